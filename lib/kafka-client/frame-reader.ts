// Splits a TCP byte stream into Kafka response frames (int32 size, then that many bytes).
// A frame that arrives inside one chunk is handed out as a view of it, without copying;
// only a frame spread over several chunks is gathered into a buffer of its own, once.

export class FrameTooLargeError extends Error {
  override name = "FrameTooLargeError";
}

export class FrameReader {
  private readonly maxFrameBytes: number;
  private readonly chunks: Buffer[] = [];
  private buffered = 0;
  /** Size of the frame being assembled, or -1 while its size prefix is incomplete. */
  private frameSize = -1;

  constructor(maxFrameBytes: number) {
    this.maxFrameBytes = maxFrameBytes;
  }

  /** Bytes received that are not yet part of a complete frame. */
  get pendingBytes(): number {
    return this.buffered;
  }

  /** Adds a chunk and calls onFrame for every frame it completes (size prefix removed). */
  push(chunk: Buffer, onFrame: (frame: Buffer) => void): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    for (;;) {
      if (this.frameSize < 0) {
        if (this.buffered < 4) return;
        const size = this.take(4).readInt32BE(0);
        if (size < 0 || size > this.maxFrameBytes) {
          throw new FrameTooLargeError(`response frame of ${size} bytes is outside 0..${this.maxFrameBytes}: the stream is not Kafka responses or is corrupt`);
        }
        this.frameSize = size;
      }
      if (this.buffered < this.frameSize) return;
      const frame = this.take(this.frameSize);
      this.frameSize = -1;
      onFrame(frame);
    }
  }

  /** Removes n buffered bytes (n <= buffered): a view when they lie in the first chunk. */
  private take(n: number): Buffer {
    this.buffered -= n;
    const first = this.chunks[0];
    if (first !== undefined && first.length >= n) {
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const c = this.chunks[0]!;
      const want = n - filled;
      if (c.length <= want) {
        c.copy(out, filled);
        filled += c.length;
        this.chunks.shift();
      } else {
        c.copy(out, filled, 0, want);
        this.chunks[0] = c.subarray(want);
        filled = n;
      }
    }
    return out;
  }
}

// Walks the record batches of a segment file, header by header, reading the file in chunks so
// that a scan costs one read per chunk rather than one per batch. Used to find a batch after an
// index lookup, and by recovery, which also asks for whole batches to check their CRC.
import { BATCH_HEADER_SIZE, LOG_OVERHEAD } from "../protocol/records/batch.ts";
import { readFully } from "./fs-util.ts";

/** Why a scan stopped: the end of the range, a partial batch, or a header that is not a batch. */
export type CursorStop = "end" | "incomplete" | "corrupt";

export class BatchCursor {
  private readonly fd: number;
  private readonly end: number;
  private chunk: Buffer;
  private chunkPos = 0;
  private chunkLen = 0;
  private nextPos: number;
  /** Position of the current batch in the file. */
  position = -1;
  /** Size of the current batch, LOG_OVERHEAD included. */
  size = 0;
  stop: CursorStop = "end";

  /**
   * Scans batches starting at `start` that lie entirely before `end`, reading `chunk` bytes at
   * a time: a size, or a scratch Buffer to reuse (callers that keep nothing from it between
   * scans can share one; body() allocates its own when a batch is larger).
   */
  constructor(fd: number, start: number, end: number, chunk: number | Buffer = 8192) {
    this.fd = fd;
    this.end = end;
    this.nextPos = start;
    this.chunk = typeof chunk === "number" ? Buffer.allocUnsafe(Math.max(chunk, BATCH_HEADER_SIZE)) : chunk;
  }

  /** Moves to the next batch; false at the end of the range or at a batch that is not whole. */
  next(): boolean {
    const pos = this.nextPos;
    if (pos >= this.end) {
      this.stop = "end";
      return false;
    }
    if (this.end - pos < BATCH_HEADER_SIZE) {
      this.stop = "incomplete";
      return false;
    }
    this.ensure(pos, BATCH_HEADER_SIZE);
    const batchLength = this.chunk.readInt32BE(pos - this.chunkPos + 8);
    if (batchLength < BATCH_HEADER_SIZE - LOG_OVERHEAD) {
      this.stop = "corrupt";
      return false;
    }
    const size = batchLength + LOG_OVERHEAD;
    if (size > this.end - pos) {
      this.stop = "incomplete";
      return false;
    }
    this.position = pos;
    this.size = size;
    this.nextPos = pos + size;
    return true;
  }

  private at(field: number): number {
    return this.position - this.chunkPos + field;
  }

  baseOffset(): bigint {
    return this.chunk.readBigInt64BE(this.at(0));
  }
  magic(): number {
    return this.chunk.readInt8(this.at(16));
  }
  crc(): number {
    return this.chunk.readUInt32BE(this.at(17));
  }
  lastOffsetDelta(): number {
    return this.chunk.readInt32BE(this.at(23));
  }
  lastOffset(): bigint {
    return this.baseOffset() + BigInt(this.lastOffsetDelta());
  }
  maxTimestamp(): bigint {
    return this.chunk.readBigInt64BE(this.at(35));
  }
  producerId(): bigint {
    return this.chunk.readBigInt64BE(this.at(43));
  }
  producerEpoch(): number {
    return this.chunk.readInt16BE(this.at(51));
  }
  baseSequence(): number {
    return this.chunk.readInt32BE(this.at(53));
  }

  /** The whole current batch. Valid until the next call to next() or body(). */
  body(): Buffer {
    this.ensure(this.position, this.size);
    const start = this.position - this.chunkPos;
    return this.chunk.subarray(start, start + this.size);
  }

  /** Makes [pos, pos + len) available in the chunk. */
  private ensure(pos: number, len: number): void {
    if (pos >= this.chunkPos && pos + len <= this.chunkPos + this.chunkLen) return;
    if (len > this.chunk.length) this.chunk = Buffer.allocUnsafe(len);
    const want = Math.min(this.chunk.length, this.end - pos);
    const got = readFully(this.fd, this.chunk, want, pos);
    this.chunkPos = pos;
    this.chunkLen = got;
    if (got < len) throw new Error(`short read: wanted ${len} bytes at ${pos}, got ${got}`);
  }
}

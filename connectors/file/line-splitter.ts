// Splits a byte stream into lines the way Kafka's FileStreamSourceTask does: a line ends at
// "\n", "\r\n" or a lone "\r"; a "\r" that is the last byte seen so far waits for the next byte
// (it may be the first half of "\r\n"). Works on bytes, not characters: "\n" and "\r" never
// occur inside a multi-byte UTF-8 sequence, and byte counts are what a resumable file position
// needs (Kafka counts UTF-16 characters, which only agrees with bytes for ASCII files).

const LF = 0x0a;
const CR = 0x0d;

export interface Line {
  /** The line's text, without its terminator. */
  readonly text: string;
  /** Bytes consumed from the stream, terminator included. */
  readonly length: number;
}

export class LineSplitter {
  #pending: Buffer = Buffer.alloc(0);

  /** Bytes received but not yet part of a complete line. */
  get pendingBytes(): number {
    return this.#pending.length;
  }

  push(chunk: Buffer): void {
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
  }

  /** The next complete line, or null until more bytes arrive. */
  next(): Line | null {
    const buf = this.#pending;
    for (let i = 0; i < buf.length; i++) {
      const b = buf[i];
      if (b !== LF && b !== CR) continue;
      let end = i + 1;
      if (b === CR) {
        if (i + 1 >= buf.length) return null;
        if (buf[i + 1] === LF) end = i + 2;
      }
      const text = buf.toString("utf8", 0, i);
      this.#pending = buf.subarray(end);
      return { text, length: end };
    }
    return null;
  }
}

// A bounds-checked cursor over one pgoutput message. Every read names what it was reading, so a
// truncated or corrupt message fails with an error that says where, not with a RangeError from
// deep inside a DataView.

export class PgoutputFormatError extends Error {
  override name = "PgoutputFormatError";
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

export class MessageReader {
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  readonly #kind: string;
  #offset = 0;

  /** kind names the message for errors, e.g. "Insert". */
  constructor(bytes: Uint8Array, kind: string) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#kind = kind;
  }

  get offset(): number {
    return this.#offset;
  }

  get remaining(): number {
    return this.#bytes.length - this.#offset;
  }

  #need(count: number, what: string): void {
    if (this.remaining < count) {
      throw new PgoutputFormatError(
        `truncated ${this.#kind} message: needed ${count} byte(s) for ${what} at offset ${this.#offset}, ` +
          `but only ${this.remaining} remain (message is ${this.#bytes.length} bytes)`,
      );
    }
  }

  fail(problem: string): never {
    throw new PgoutputFormatError(`malformed ${this.#kind} message at offset ${this.#offset}: ${problem}`);
  }

  int8(what: string): number {
    this.#need(1, what);
    return this.#view.getUint8(this.#offset++);
  }

  /** One byte read as an ASCII character, the way pgoutput tags things ('N', 'K', 't', ...). */
  char(what: string): string {
    return String.fromCharCode(this.int8(what));
  }

  int16(what: string): number {
    this.#need(2, what);
    const value = this.#view.getInt16(this.#offset);
    this.#offset += 2;
    return value;
  }

  int32(what: string): number {
    this.#need(4, what);
    const value = this.#view.getInt32(this.#offset);
    this.#offset += 4;
    return value;
  }

  /** OIDs and transaction ids are unsigned 32-bit. */
  uint32(what: string): number {
    this.#need(4, what);
    const value = this.#view.getUint32(this.#offset);
    this.#offset += 4;
    return value;
  }

  /** LSNs are unsigned 64-bit. */
  uint64(what: string): bigint {
    this.#need(8, what);
    const value = this.#view.getBigUint64(this.#offset);
    this.#offset += 8;
    return value;
  }

  /** Timestamps are signed 64-bit (dates before 2000 are negative). */
  int64(what: string): bigint {
    this.#need(8, what);
    const value = this.#view.getBigInt64(this.#offset);
    this.#offset += 8;
    return value;
  }

  bytes(count: number, what: string): Uint8Array {
    if (count < 0) this.fail(`negative length ${count} for ${what}`);
    this.#need(count, what);
    const slice = this.#bytes.subarray(this.#offset, this.#offset + count);
    this.#offset += count;
    return slice;
  }

  /** A NUL-terminated string, as the protocol's String type is. */
  cstring(what: string): string {
    const end = this.#bytes.indexOf(0, this.#offset);
    if (end === -1) {
      throw new PgoutputFormatError(
        `truncated ${this.#kind} message: ${what} at offset ${this.#offset} has no terminating NUL`,
      );
    }
    const text = this.text(this.#bytes.subarray(this.#offset, end), what);
    this.#offset = end + 1;
    return text;
  }

  text(bytes: Uint8Array, what: string): string {
    try {
      return utf8.decode(bytes);
    } catch {
      return this.fail(`${what} is not valid UTF-8`);
    }
  }

  /** Trailing bytes mean we misread the layout (or a newer protocol added fields): say so. */
  end(): void {
    if (this.remaining !== 0) this.fail(`${this.remaining} unexpected trailing byte(s)`);
  }
}

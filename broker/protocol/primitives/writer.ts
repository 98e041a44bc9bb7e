// An append-only encoder that never copies what it has already written and never copies
// large payloads at all. Output is a list of chunks: small fields go into the current
// segment of a scratch buffer; when that fills up, the written part is handed to the chunk
// list as a subarray and a fresh segment is started (no realloc-and-copy); a payload of
// ZERO_COPY_MIN bytes or more (record batches in Fetch responses, often megabytes) is put
// in the list as it is. toChunks() feeds a gathered socket write (writev); toBuffer() joins
// everything for tests. The chunk list follows @platformatic/kafka's dynamic buffer idea.
//
// Zero copy means the caller must not modify a large payload until the chunks are written.
import { ProtocolEncodeError } from "./errors.ts";
import { MAX_STRING_BYTES, type RawTaggedField } from "./reader.ts";

export { ProtocolEncodeError };

/** Payloads at least this large are referenced, not copied. */
export const ZERO_COPY_MIN = 4096;
/** Scratch segments double from the initial size up to this. */
const MAX_SEGMENT = 64 * 1024;
const UUID_TEXT = /^[A-Za-z0-9_-]{22}$/;

/** A reserved slot (from reserveInt32) to be patched once the size is known. */
export interface Reservation {
  readonly buf: Buffer;
  readonly offset: number;
  /** Writer length just after the slot. */
  readonly after: number;
}

export function sizeOfUvarint(v: number): number {
  if (v < 0x80) return 1;
  if (v < 0x4000) return 2;
  if (v < 0x200000) return 3;
  if (v < 0x10000000) return 4;
  return 5;
}

export class Writer {
  private buf: Buffer;
  private pos = 0;
  /** Start of the part of buf not yet moved to chunks. */
  private start = 0;
  private readonly chunks: Buffer[] = [];
  private chunked = 0;

  constructor(initialCapacity = 256) {
    this.buf = Buffer.allocUnsafe(Math.max(16, initialCapacity));
  }

  /** Bytes written so far. */
  get length(): number {
    return this.chunked + this.pos - this.start;
  }

  fail(message: string): never {
    throw new ProtocolEncodeError(message);
  }

  private ensure(n: number): void {
    if (this.pos + n > this.buf.length) this.grow(n);
  }

  private grow(n: number): void {
    this.flushSegment();
    this.buf = Buffer.allocUnsafe(Math.max(n, Math.min(this.buf.length * 2, MAX_SEGMENT)));
    this.pos = 0;
    this.start = 0;
  }

  private flushSegment(): void {
    if (this.pos > this.start) {
      this.chunks.push(this.buf.subarray(this.start, this.pos));
      this.chunked += this.pos - this.start;
      this.start = this.pos;
    }
  }

  int8(v: number): void {
    this.ensure(1);
    this.pos = this.buf.writeInt8(v, this.pos);
  }

  uint8(v: number): void {
    this.ensure(1);
    this.pos = this.buf.writeUInt8(v, this.pos);
  }

  bool(v: boolean): void {
    this.ensure(1);
    this.buf[this.pos++] = v ? 1 : 0;
  }

  int16(v: number): void {
    this.ensure(2);
    this.pos = this.buf.writeInt16BE(v, this.pos);
  }

  uint16(v: number): void {
    this.ensure(2);
    this.pos = this.buf.writeUInt16BE(v, this.pos);
  }

  int32(v: number): void {
    this.ensure(4);
    this.pos = this.buf.writeInt32BE(v, this.pos);
  }

  uint32(v: number): void {
    this.ensure(4);
    this.pos = this.buf.writeUInt32BE(v, this.pos);
  }

  int64(v: bigint): void {
    this.ensure(8);
    this.pos = this.buf.writeBigInt64BE(v, this.pos);
  }

  float64(v: number): void {
    this.ensure(8);
    this.pos = this.buf.writeDoubleBE(v, this.pos);
  }

  uvarint(v: number): void {
    if (!(v >= 0 && v <= 0xffffffff)) this.fail(`unsigned varint out of range: ${v}`);
    this.ensure(5);
    const b = this.buf;
    let p = this.pos;
    while (v >= 0x80) {
      b[p++] = (v & 0x7f) | 0x80;
      v = v >>> 7;
    }
    b[p++] = v;
    this.pos = p;
  }

  /** Zigzag-encoded signed 32-bit varint. */
  varint(v: number): void {
    this.uvarint(((v << 1) ^ (v >> 31)) >>> 0);
  }

  /** Zigzag-encoded signed 64-bit varint. */
  varlong(v: bigint): void {
    let z = BigInt.asUintN(64, (v << 1n) ^ (v >> 63n));
    this.ensure(10);
    const b = this.buf;
    let p = this.pos;
    while (z >= 0x80n) {
      b[p++] = Number(z & 0x7fn) | 0x80;
      z >>= 7n;
    }
    b[p++] = Number(z);
    this.pos = p;
  }

  /** A uuid in the 22-character base64url form the Reader produces. */
  uuid(v: string): void {
    if (!UUID_TEXT.test(v)) this.fail(`not a base64url uuid: ${JSON.stringify(v)}`);
    this.ensure(16);
    this.buf.write(v, this.pos, 16, "base64url");
    this.pos += 16;
  }

  /** int16 length + UTF-8. The text is encoded straight into place, then the length set. */
  string(v: string): void {
    this.ensure(2 + v.length * 3);
    const n = this.buf.write(v, this.pos + 2, "utf8");
    if (n > MAX_STRING_BYTES) this.fail(`string of ${n} bytes is longer than ${MAX_STRING_BYTES}`);
    this.buf.writeInt16BE(n, this.pos);
    this.pos += 2 + n;
  }

  nullableString(v: string | null): void {
    if (v === null) this.int16(-1);
    else this.string(v);
  }

  /** Unsigned varint (length + 1) + UTF-8. */
  compactString(v: string): void {
    // Short strings (the common case) cannot need more than a one-byte prefix: encode in
    // place; longer ones are measured first so the prefix gets its exact width.
    if (v.length * 3 < 0x7f) {
      this.ensure(1 + v.length * 3);
      const n = this.buf.write(v, this.pos + 1, "utf8");
      this.buf[this.pos] = n + 1;
      this.pos += 1 + n;
      return;
    }
    const n = Buffer.byteLength(v, "utf8");
    if (n > MAX_STRING_BYTES) this.fail(`string of ${n} bytes is longer than ${MAX_STRING_BYTES}`);
    this.uvarint(n + 1);
    this.ensure(n);
    this.pos += this.buf.write(v, this.pos, "utf8");
  }

  compactNullableString(v: string | null): void {
    if (v === null) this.uvarint(0);
    else this.compactString(v);
  }

  /** int32 length + bytes. */
  bytes(v: Buffer): void {
    this.int32(v.length);
    this.raw(v);
  }

  nullableBytes(v: Buffer | null): void {
    if (v === null) this.int32(-1);
    else this.bytes(v);
  }

  compactBytes(v: Buffer): void {
    this.uvarint(v.length + 1);
    this.raw(v);
  }

  compactNullableBytes(v: Buffer | null): void {
    if (v === null) this.uvarint(0);
    else this.compactBytes(v);
  }

  /** Appends bytes with no prefix; ZERO_COPY_MIN bytes or more are referenced, not copied. */
  raw(v: Buffer): void {
    const n = v.length;
    if (n >= ZERO_COPY_MIN) {
      this.flushSegment();
      this.chunks.push(v);
      this.chunked += n;
      return;
    }
    this.ensure(n);
    v.copy(this.buf, this.pos);
    this.pos += n;
  }

  /** Moves everything written to another writer to the end of this one. */
  append(other: Writer): void {
    const parts = other.toChunks();
    if (other.length < ZERO_COPY_MIN) {
      this.ensure(other.length);
      for (const p of parts) {
        p.copy(this.buf, this.pos);
        this.pos += p.length;
      }
      return;
    }
    this.flushSegment();
    for (const p of parts) this.chunks.push(p);
    this.chunked += other.length;
  }

  /** The tagged-field section of a struct that has no known tagged fields. */
  taggedFields(unknown: readonly RawTaggedField[] | undefined): void {
    if (unknown === undefined) {
      this.ensure(1);
      this.buf[this.pos++] = 0;
      return;
    }
    this.uvarint(unknown.length);
    this.rawTaggedFields(unknown, 0, Infinity);
  }

  /**
   * Writes unknown tagged fields from index `from` whose tag is below `below`, and returns
   * the index of the first one not written: known and unknown fields interleave in tag order.
   */
  rawTaggedFields(unknown: readonly RawTaggedField[], from: number, below: number): number {
    let i = from;
    for (; i < unknown.length; i++) {
      const f = unknown[i]!;
      if (f.tag >= below) break;
      this.uvarint(f.tag);
      this.uvarint(f.data.length);
      this.raw(f.data);
    }
    return i;
  }

  /** Reserves four bytes (zeroed) for an int32 filled in later with patchInt32. */
  reserveInt32(): Reservation {
    this.ensure(4);
    const offset = this.pos;
    this.buf.writeInt32BE(0, offset);
    this.pos += 4;
    return { buf: this.buf, offset, after: this.length };
  }

  patchInt32(slot: Reservation, v: number): void {
    slot.buf.writeInt32BE(v, slot.offset);
  }

  /** Patches a reserved slot with the number of bytes written after it (a frame size). */
  patchSizeSince(slot: Reservation): void {
    slot.buf.writeInt32BE(this.length - slot.after, slot.offset);
  }

  /** The output as a list of buffers for a gathered write. The writer keeps no claim on them. */
  toChunks(): Buffer[] {
    this.flushSegment();
    return this.chunks.slice();
  }

  /** The output as one buffer (joins the chunks: for tests and small messages). */
  toBuffer(): Buffer {
    this.flushSegment();
    if (this.chunks.length === 1) return this.chunks[0]!;
    return Buffer.concat(this.chunks, this.chunked);
  }
}

// A bounds-checked cursor over one Kafka frame. Every read checks the bytes it needs first
// and fails with ProtocolDecodeError, so a malformed or hostile frame can never make us read
// past its end (Buffer's own RangeError never surfaces) nor allocate from a length prefix
// that the remaining bytes cannot back: a string, bytes or array length larger than what is
// left is rejected before anything is built (the same rule Kafka's generated readers apply).
//
// Representations:
// - int64 is a bigint; every other integer type is a number.
// - uuid is the 22-character base64url form without padding, which is what Kafka's own
//   Uuid.toString() prints (topic ids in kafka-topics output look like this), so ids read
//   from the wire, logs and tools compare as plain strings. ZERO_UUID is Uuid.ZERO_UUID.
// - bytes and records are zero-copy subarrays of the input frame: keeping one keeps the
//   whole frame alive, so copy (Buffer.from) what must outlive the request.
import { ProtocolDecodeError } from "./errors.ts";

export { ProtocolDecodeError };

/** A tagged field whose tag this version of the code does not know: kept as raw bytes. */
export interface RawTaggedField {
  tag: number;
  data: Buffer;
}

export const EMPTY_BYTES: Buffer = Buffer.alloc(0);
/** The all-zero uuid (Kafka's Uuid.ZERO_UUID) in our base64url form. */
export const ZERO_UUID = "AAAAAAAAAAAAAAAAAAAAAA";
/** Kafka refuses strings longer than a signed int16, even where the length is a varint. */
export const MAX_STRING_BYTES = 0x7fff;

export class Reader {
  readonly buf: Buffer;
  pos: number;
  readonly end: number;

  constructor(buf: Buffer, start = 0, end = buf.length) {
    if (start < 0 || end > buf.length || start > end) throw new RangeError(`bad reader window ${start}..${end} of ${buf.length}`);
    this.buf = buf;
    this.pos = start;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  /** Throws a ProtocolDecodeError at the current position. */
  fail(message: string): never {
    throw new ProtocolDecodeError(message, this.pos);
  }

  private need(n: number, what: string): void {
    if (this.end - this.pos < n) this.fail(`${what}: needs ${n} bytes, ${this.end - this.pos} left`);
  }

  skip(n: number): void {
    this.need(n, "skip");
    this.pos += n;
  }

  /** The next n bytes as a zero-copy subarray. */
  raw(n: number): Buffer {
    this.need(n, "bytes");
    const p = this.pos;
    this.pos = p + n;
    return this.buf.subarray(p, p + n);
  }

  int8(): number {
    this.need(1, "int8");
    return (this.buf[this.pos++]! << 24) >> 24;
  }

  uint8(): number {
    this.need(1, "uint8");
    return this.buf[this.pos++]!;
  }

  bool(): boolean {
    this.need(1, "bool");
    return this.buf[this.pos++] !== 0;
  }

  int16(): number {
    this.need(2, "int16");
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 2;
    return ((b[p]! << 24) | (b[p + 1]! << 16)) >> 16;
  }

  uint16(): number {
    this.need(2, "uint16");
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 2;
    return (b[p]! << 8) | b[p + 1]!;
  }

  int32(): number {
    this.need(4, "int32");
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 4;
    return (b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!;
  }

  uint32(): number {
    this.need(4, "uint32");
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 4;
    return ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
  }

  int64(): bigint {
    this.need(8, "int64");
    const v = this.buf.readBigInt64BE(this.pos);
    this.pos += 8;
    return v;
  }

  float64(): number {
    this.need(8, "float64");
    const v = this.buf.readDoubleBE(this.pos);
    this.pos += 8;
    return v;
  }

  /** Unsigned LEB128 varint of at most 32 bits (5 bytes). */
  uvarint(): number {
    const b = this.buf;
    let p = this.pos;
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 5; i++) {
      if (p >= this.end) this.fail("varint runs past the end of the frame");
      const byte = b[p++]!;
      if (i === 4 && byte > 0x0f) this.fail("varint does not fit in 32 bits");
      result += (byte & 0x7f) * mul;
      if ((byte & 0x80) === 0) {
        this.pos = p;
        return result;
      }
      mul *= 128;
    }
    return this.fail("varint does not fit in 32 bits");
  }

  /** Zigzag-encoded signed 32-bit varint. */
  varint(): number {
    const u = this.uvarint();
    return (u >>> 1) ^ -(u & 1);
  }

  /** Zigzag-encoded signed 64-bit varint (at most 10 bytes). */
  varlong(): bigint {
    const b = this.buf;
    let p = this.pos;
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (p >= this.end) this.fail("varlong runs past the end of the frame");
      const byte = b[p++]!;
      if (i === 9 && byte > 0x01) this.fail("varlong does not fit in 64 bits");
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) {
        this.pos = p;
        return (result >> 1n) ^ -(result & 1n);
      }
      shift += 7n;
    }
    return this.fail("varlong does not fit in 64 bits");
  }

  uuid(): string {
    this.need(16, "uuid");
    const p = this.pos;
    this.pos = p + 16;
    return this.buf.toString("base64url", p, p + 16);
  }

  private utf8(len: number): string {
    if (len > MAX_STRING_BYTES) this.fail(`string of ${len} bytes is longer than ${MAX_STRING_BYTES}`);
    this.need(len, "string");
    const p = this.pos;
    this.pos = p + len;
    return this.buf.toString("utf8", p, p + len);
  }

  /** int16 length + UTF-8; a null (negative length) is an error. */
  string(): string {
    const len = this.int16();
    if (len < 0) this.fail("non-nullable string was null");
    return this.utf8(len);
  }

  nullableString(): string | null {
    const len = this.int16();
    return len < 0 ? null : this.utf8(len);
  }

  /** Unsigned varint (length + 1) + UTF-8; 0 (null) is an error. */
  compactString(): string {
    const n = this.uvarint();
    if (n === 0) this.fail("non-nullable compact string was null");
    return this.utf8(n - 1);
  }

  compactNullableString(): string | null {
    const n = this.uvarint();
    return n === 0 ? null : this.utf8(n - 1);
  }

  /** int32 length + bytes (zero-copy); a null (negative length) is an error. */
  bytes(): Buffer {
    const len = this.int32();
    if (len < 0) this.fail("non-nullable bytes were null");
    return this.raw(len);
  }

  nullableBytes(): Buffer | null {
    const len = this.int32();
    return len < 0 ? null : this.raw(len);
  }

  compactBytes(): Buffer {
    const n = this.uvarint();
    if (n === 0) this.fail("non-nullable compact bytes were null");
    return this.raw(n - 1);
  }

  compactNullableBytes(): Buffer | null {
    const n = this.uvarint();
    return n === 0 ? null : this.raw(n - 1);
  }

  /**
   * int32 element count of an array, -1 for null. A count larger than the bytes left is
   * rejected here: every element takes at least one byte, so such a count cannot be honest.
   */
  arrayLength(): number {
    const n = this.int32();
    if (n < 0) return -1;
    if (n > this.end - this.pos) this.fail(`array of ${n} elements but only ${this.end - this.pos} bytes left`);
    return n;
  }

  /** Unsigned varint (count + 1) of a compact array, -1 for null; checked like arrayLength. */
  compactArrayLength(): number {
    const u = this.uvarint();
    if (u === 0) return -1;
    const n = u - 1;
    if (n > this.end - this.pos) this.fail(`array of ${n} elements but only ${this.end - this.pos} bytes left`);
    return n;
  }

  /** The number of fields in a tagged-field section (each needs at least two bytes). */
  taggedFieldCount(): number {
    const n = this.uvarint();
    if (n * 2 > this.end - this.pos) this.fail(`${n} tagged fields but only ${this.end - this.pos} bytes left`);
    return n;
  }

  /** Checks a tagged field's size against the bytes left and returns where the field ends. */
  taggedFieldEnd(size: number): number {
    if (size > this.end - this.pos) this.fail(`tagged field of ${size} bytes but only ${this.end - this.pos} left`);
    return this.pos + size;
  }

  /** After decoding a known tagged field: its value must have filled exactly its size. */
  expectTaggedFieldEnd(end: number, tag: number): void {
    if (this.pos !== end) this.fail(`tagged field ${tag} does not match its declared size`);
  }

  /** Reads a whole tagged-field section where no tag is known; undefined when it is empty. */
  unknownTaggedFields(): RawTaggedField[] | undefined {
    const n = this.taggedFieldCount();
    if (n === 0) return undefined;
    const out: RawTaggedField[] = [];
    for (let i = 0; i < n; i++) {
      const tag = this.uvarint();
      const size = this.uvarint();
      out.push({ tag, data: this.raw(size) });
    }
    return out;
  }
}

// Avro's binary encoding (the Avro specification's "Binary Encoding"), over the schema model of
// schema.ts. Values:
//
//   null null · boolean boolean · int, float, double number · long bigint (all 64 bits)
//   bytes, fixed Buffer · string string · enum its symbol (a string)
//   array Array · map Map<string, value> · record GenericRecord · union UnionBranch
//
// A union value says which branch it is (UnionBranch), since a JavaScript number cannot tell an
// int from a double the way a Java Integer and Double can. Reading checks lengths and counts
// against the bytes left, so garbage fails with a clear error instead of a huge allocation.
import type { AvroRecord, AvroSchema } from "./schema.ts";
import { SerializationException } from "../wire-format.ts";

export type AvroValue = null | boolean | number | bigint | string | Buffer | AvroValue[] | Map<string, AvroValue> | GenericRecord | UnionBranch;

/** A record's values, in the order of the record schema's fields. */
export class GenericRecord {
  readonly schema: AvroRecord;
  readonly values: AvroValue[];

  constructor(schema: AvroRecord, values: AvroValue[]) {
    this.schema = schema;
    this.values = values;
  }

  /** A field's value by name (undefined for a name the record does not have). */
  get(name: string): AvroValue | undefined {
    const i = this.schema.fields.findIndex((f) => f.name === name);
    return i < 0 ? undefined : this.values[i];
  }
}

/** A value of a union: which branch (index into the union's types) and the branch's value. */
export class UnionBranch {
  readonly index: number;
  readonly value: AvroValue;

  constructor(index: number, value: AvroValue) {
    this.index = index;
    this.value = value;
  }
}

export class AvroEncodingError extends SerializationException {
  override name = "AvroEncodingError";
}

// ---------------------------------------------------------------------------------------------
// Writing

class Writer {
  #buf = Buffer.allocUnsafe(256);
  #pos = 0;

  #ensure(n: number): void {
    if (this.#pos + n <= this.#buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.#buf.length * 2, this.#pos + n));
    this.#buf.copy(next, 0, 0, this.#pos);
    this.#buf = next;
  }

  byte(b: number): void {
    this.#ensure(1);
    this.#buf[this.#pos++] = b;
  }

  /** A zigzag varint of a safe integer (ints, lengths, counts, small longs). */
  varint(n: number): void {
    if (n >= -(2 ** 30) && n < 2 ** 30) {
      let v = ((n << 1) ^ (n >> 31)) >>> 0;
      this.#ensure(5);
      while (v >= 0x80) {
        this.#buf[this.#pos++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
      this.#buf[this.#pos++] = v;
      return;
    }
    this.long(BigInt(n));
  }

  long(n: bigint): void {
    let v = BigInt.asUintN(64, (n << 1n) ^ (n >> 63n));
    this.#ensure(10);
    while (v >= 0x80n) {
      this.#buf[this.#pos++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.#buf[this.#pos++] = Number(v);
  }

  float(n: number): void {
    this.#ensure(4);
    this.#buf.writeFloatLE(n, this.#pos);
    this.#pos += 4;
  }

  double(n: number): void {
    this.#ensure(8);
    this.#buf.writeDoubleLE(n, this.#pos);
    this.#pos += 8;
  }

  raw(bytes: Uint8Array): void {
    this.#ensure(bytes.length);
    this.#buf.set(bytes, this.#pos);
    this.#pos += bytes.length;
  }

  result(): Buffer {
    return this.#buf.subarray(0, this.#pos);
  }
}

function invalid(schema: AvroSchema, value: unknown, path: string): never {
  const shown = typeof value === "bigint" ? `${value}` : value instanceof Buffer ? `<${value.length} bytes>` : JSON.stringify(value) ?? String(value);
  const type = schema.kind === "primitive" ? schema.type : schema.kind;
  throw new AvroEncodingError(`Invalid value ${shown?.slice(0, 100)} for Avro type ${type}${path === "" ? "" : ` at ${path}`}`);
}

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

function write(w: Writer, schema: AvroSchema, value: AvroValue, path: string): void {
  switch (schema.kind) {
    case "primitive":
      switch (schema.type) {
        case "null":
          if (value !== null) invalid(schema, value, path);
          return;
        case "boolean":
          if (typeof value !== "boolean") invalid(schema, value, path);
          w.byte(value ? 1 : 0);
          return;
        case "int":
          if (typeof value !== "number" || !Number.isInteger(value) || value < INT_MIN || value > INT_MAX) invalid(schema, value, path);
          w.varint(value);
          return;
        case "long":
          if (typeof value === "number" && Number.isSafeInteger(value)) {
            w.varint(value);
            return;
          }
          if (typeof value !== "bigint" || value < LONG_MIN || value > LONG_MAX) invalid(schema, value, path);
          w.long(value);
          return;
        case "float":
          if (typeof value !== "number") invalid(schema, value, path);
          w.float(value);
          return;
        case "double":
          if (typeof value !== "number") invalid(schema, value, path);
          w.double(value);
          return;
        case "bytes":
          if (!(value instanceof Uint8Array)) invalid(schema, value, path);
          w.varint(value.length);
          w.raw(value);
          return;
        case "string": {
          if (typeof value !== "string") invalid(schema, value, path);
          const bytes = Buffer.from(value, "utf8");
          w.varint(bytes.length);
          w.raw(bytes);
          return;
        }
      }
      return;
    case "fixed":
      if (!(value instanceof Uint8Array) || value.length !== schema.size) invalid(schema, value, path);
      w.raw(value);
      return;
    case "enum": {
      const index = typeof value === "string" ? schema.symbols.indexOf(value) : -1;
      if (index < 0) throw new AvroEncodingError(`Invalid value ${JSON.stringify(value)} for Avro enum ${schema.fullName}${path === "" ? "" : ` at ${path}`}: not one of ${schema.symbols.join(", ")}`);
      w.varint(index);
      return;
    }
    case "array":
      if (!Array.isArray(value)) invalid(schema, value, path);
      if (value.length > 0) {
        w.varint(value.length);
        value.forEach((item, i) => write(w, schema.items, item, `${path}[${i}]`));
      }
      w.byte(0);
      return;
    case "map":
      if (!(value instanceof Map)) invalid(schema, value, path);
      if (value.size > 0) {
        w.varint(value.size);
        for (const [k, v] of value) {
          if (typeof k !== "string") invalid(schema, value, path);
          write(w, { kind: "primitive", type: "string", props: new Map() }, k, path);
          write(w, schema.values, v, `${path}.${k}`);
        }
      }
      w.byte(0);
      return;
    case "record": {
      if (!(value instanceof GenericRecord) || value.schema.fullName !== schema.fullName) invalid(schema, value, path);
      const fields = schema.fields;
      if (value.values.length !== fields.length) throw new AvroEncodingError(`Record ${schema.fullName} has ${fields.length} fields, the value ${value.values.length}`);
      fields.forEach((f, i) => write(w, f.type, value.values[i] as AvroValue, path === "" ? f.name : `${path}.${f.name}`));
      return;
    }
    case "union": {
      if (!(value instanceof UnionBranch) || value.index < 0 || value.index >= schema.types.length) invalid(schema, value, path);
      w.varint(value.index);
      write(w, schema.types[value.index] as AvroSchema, value.value, path);
      return;
    }
  }
}

/** The Avro binary encoding of a value of the schema; throws AvroEncodingError on a value that does not fit. */
export function encodeAvro(schema: AvroSchema, value: AvroValue): Buffer {
  const w = new Writer();
  write(w, schema, value, "");
  return w.result();
}

// ---------------------------------------------------------------------------------------------
// Reading

class Reader {
  readonly buf: Buffer;
  pos: number;

  constructor(buf: Buffer) {
    this.buf = buf;
    this.pos = 0;
  }

  need(n: number): void {
    if (n < 0) throw new AvroEncodingError(`Malformed data. Length is negative: ${n}`);
    if (this.pos + n > this.buf.length) throw new AvroEncodingError(`Malformed data: ${n} bytes needed at offset ${this.pos}, ${this.buf.length - this.pos} left`);
  }

  byte(): number {
    this.need(1);
    return this.buf[this.pos++] as number;
  }

  int(): number {
    let raw = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      if (shift === 28 && b > 0x0f) throw new AvroEncodingError("Invalid int encoding");
      raw |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) break;
      shift += 7;
    }
    const u = raw >>> 0;
    return (u >>> 1) ^ -(u & 1);
  }

  long(): bigint {
    let raw = 0n;
    let shift = 0n;
    for (;;) {
      const b = this.byte();
      if (shift === 63n && b > 1) throw new AvroEncodingError("Invalid long encoding");
      raw |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) break;
      shift += 7n;
    }
    return BigInt.asIntN(64, (raw >> 1n) ^ -(raw & 1n));
  }

  /** A long that must fit a safe integer: lengths, counts, union indexes. */
  count(): number {
    const n = this.long();
    if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < -BigInt(Number.MAX_SAFE_INTEGER)) throw new AvroEncodingError(`Malformed data: count ${n}`);
    return Number(n);
  }

  bytes(n: number): Buffer {
    this.need(n);
    const out = Buffer.from(this.buf.subarray(this.pos, this.pos + n));
    this.pos += n;
    return out;
  }
}

const UTF8 = new TextDecoder("utf-8", { fatal: false });

/** Whether every value of the schema takes at least one byte (so a count cannot exceed the bytes left). */
function takesBytes(schema: AvroSchema): boolean {
  switch (schema.kind) {
    case "primitive":
      return schema.type !== "null";
    case "fixed":
      return schema.size > 0;
    case "record":
      return schema.fields.some((f) => f.type !== schema && takesBytes(f.type));
    default:
      return true;
  }
}

/** Reads a block-encoded array or map's items; `item` reads one. */
function readBlocks(r: Reader, itemTakesBytes: boolean, item: () => void): void {
  for (;;) {
    let count = r.count();
    if (count === 0) return;
    if (count < 0) {
      count = -count;
      r.count(); // the block's size in bytes, for skipping; not needed to read it
    }
    if (count > 2 ** 31 - 1 || (itemTakesBytes && count > r.buf.length - r.pos)) {
      throw new AvroEncodingError(`Malformed data: a block of ${count} items with ${r.buf.length - r.pos} bytes left`);
    }
    for (let i = 0; i < count; i++) item();
  }
}

function read(r: Reader, schema: AvroSchema): AvroValue {
  switch (schema.kind) {
    case "primitive":
      switch (schema.type) {
        case "null":
          return null;
        case "boolean": {
          const b = r.byte();
          if (b > 1) throw new AvroEncodingError(`Invalid boolean byte ${b}`);
          return b === 1;
        }
        case "int":
          return r.int();
        case "long":
          return r.long();
        case "float": {
          r.need(4);
          const v = r.buf.readFloatLE(r.pos);
          r.pos += 4;
          return v;
        }
        case "double": {
          r.need(8);
          const v = r.buf.readDoubleLE(r.pos);
          r.pos += 8;
          return v;
        }
        case "bytes":
          return r.bytes(r.count());
        case "string": {
          const n = r.count();
          r.need(n);
          const s = UTF8.decode(r.buf.subarray(r.pos, r.pos + n));
          r.pos += n;
          return s;
        }
      }
      break;
    case "fixed":
      return r.bytes(schema.size);
    case "enum": {
      const index = r.int();
      const symbol = schema.symbols[index];
      if (symbol === undefined) throw new AvroEncodingError(`Malformed data: enum index ${index} of ${schema.fullName}, which has ${schema.symbols.length} symbols`);
      return symbol;
    }
    case "array": {
      const out: AvroValue[] = [];
      readBlocks(r, takesBytes(schema.items), () => out.push(read(r, schema.items)));
      return out;
    }
    case "map": {
      const out = new Map<string, AvroValue>();
      const key = { kind: "primitive", type: "string", props: new Map() } as const;
      readBlocks(r, true, () => {
        const k = read(r, key) as string;
        out.set(k, read(r, schema.values));
      });
      return out;
    }
    case "record":
      return new GenericRecord(
        schema,
        schema.fields.map((f) => read(r, f.type)),
      );
    case "union": {
      const index = r.count();
      const branch = schema.types[index];
      if (branch === undefined) throw new AvroEncodingError(`Malformed data: union branch ${index} of ${schema.types.length}`);
      return new UnionBranch(index, read(r, branch));
    }
  }
  throw new AvroEncodingError("Unknown schema");
}

/**
 * Decodes a value of the schema from Avro binary; throws AvroEncodingError on bytes that do not
 * fit. Bytes after the value are ignored, as Avro's Java reader (and so Confluent's
 * deserializer) ignores them.
 */
export function decodeAvro(schema: AvroSchema, bytes: Buffer): AvroValue {
  return read(new Reader(bytes), schema);
}

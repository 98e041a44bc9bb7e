// A record's headers as Connect sees them (org.apache.kafka.connect.header.Headers and
// ConnectHeaders): an ordered list of (key, schema, value); keys may repeat. The header
// converter turns them into the Kafka record's byte headers and back.
import { DataException } from "../errors.ts";
import { Decimal } from "../data/decimal.ts";
import { ConnectDate, ConnectTime, ConnectTimestamp } from "../data/logical.ts";
import { Schema } from "../data/schema.ts";
import { SchemaAndValue } from "../data/schema-and-value.ts";
import { formatValue, type Struct } from "../data/struct.ts";
import { describeValue, validateValue } from "../data/validate.ts";

export interface Header {
  readonly key: string;
  /** null for a schemaless value. */
  readonly schema: Schema | null;
  readonly value: unknown;
  /** A copy with another schema and value. */
  with(schema: Schema | null, value: unknown): Header;
  /** A copy with another key. */
  rename(key: string): Header;
}

export class ConnectHeader implements Header {
  readonly key: string;
  readonly schema: Schema | null;
  readonly value: unknown;

  constructor(key: string, schema: Schema | null, value: unknown) {
    if (key == null) throw new DataException("Null header keys are not permitted");
    this.key = key;
    this.schema = schema;
    this.value = value === undefined ? null : value;
    Object.freeze(this);
  }

  with(schema: Schema | null, value: unknown): Header {
    return new ConnectHeader(this.key, schema, value);
  }

  rename(key: string): Header {
    return new ConnectHeader(key, this.schema, this.value);
  }

  toString(): string {
    return `ConnectHeader(key=${this.key}, value=${formatValue(this.value)}, schema=${this.schema?.toString() ?? "null"})`;
  }
}

/** Replaces a header (return it unchanged to keep it, null to remove it). */
export type HeaderTransform = (header: Header) => Header | null;

function checked(key: string, value: unknown, schema: Schema | null): Header {
  if (key == null) throw new DataException("Null header keys are not permitted");
  const v = value === undefined ? null : value;
  if (schema !== null) {
    if (v === null && !schema.optional) throw new DataException(`A null value requires an optional schema but was ${schema.toString()}`);
    try {
      validateValue(schema, v);
    } catch (e) {
      throw new DataException(`The value (${describeValue(v)}) is not compatible with the schema ${schema.toString()}`, { cause: e });
    }
  }
  return new ConnectHeader(key, schema, v);
}

export class Headers implements Iterable<Header> {
  #headers: Header[];
  /**
   * The array may be shared with a duplicate (every SMT's newRecord duplicates the headers, and
   * most records have none or never change them): it is copied before the first in-place change.
   */
  #shared = false;

  constructor(headers?: Iterable<Header> | null) {
    this.#headers = headers == null ? [] : [...headers];
  }

  get size(): number {
    return this.#headers.length;
  }

  isEmpty(): boolean {
    return this.#headers.length === 0;
  }

  [Symbol.iterator](): Iterator<Header> {
    return this.#headers[Symbol.iterator]();
  }

  /** The headers in order, as an array (a copy). */
  toArray(): Header[] {
    return [...this.#headers];
  }

  /** Every header with this key, in order. */
  allWithName(key: string): Header[] {
    return this.#headers.filter((h) => h.key === key);
  }

  /** The last header with this key, or null. */
  lastWithName(key: string): Header | null {
    for (let i = this.#headers.length - 1; i >= 0; i--) {
      const h = this.#headers[i] as Header;
      if (h.key === key) return h;
    }
    return null;
  }

  /**
   * Appends a header: add(header), add(key, schemaAndValue) or add(key, value, schema). The value
   * is validated against the schema (a null schema means a schemaless value).
   */
  add(header: Header): this;
  add(key: string, schemaAndValue: SchemaAndValue): this;
  add(key: string, value: unknown, schema: Schema | null): this;
  add(keyOrHeader: string | Header, value?: unknown, schema?: Schema | null): this {
    if (typeof keyOrHeader === "object" && keyOrHeader !== null) {
      this.#writable().push(keyOrHeader);
    } else if (keyOrHeader == null && value === undefined && schema === undefined) {
      throw new DataException("Header cannot be null");
    } else if (schema === undefined) {
      if (value != null && !(value instanceof SchemaAndValue)) {
        throw new DataException("Headers.add(key, x) takes a SchemaAndValue; use add(key, value, schema) (schema null for a schemaless value)");
      }
      const sv = value as SchemaAndValue | null | undefined;
      this.#writable().push(checked(keyOrHeader, sv?.value ?? null, sv?.schema ?? null));
    } else {
      this.#writable().push(checked(keyOrHeader, value, schema));
    }
    return this;
  }

  #addOptional(key: string, value: unknown, schema: Schema, optional: Schema): this {
    return this.add(key, value, value === null || value === undefined ? optional : schema);
  }

  addString(key: string, value: string | null): this {
    return this.#addOptional(key, value, Schema.STRING_SCHEMA, Schema.OPTIONAL_STRING_SCHEMA);
  }
  addBoolean(key: string, value: boolean): this {
    return this.add(key, value, Schema.BOOLEAN_SCHEMA);
  }
  /** INT8 */
  addByte(key: string, value: number): this {
    return this.add(key, value, Schema.INT8_SCHEMA);
  }
  /** INT16 */
  addShort(key: string, value: number): this {
    return this.add(key, value, Schema.INT16_SCHEMA);
  }
  /** INT32 */
  addInt(key: string, value: number): this {
    return this.add(key, value, Schema.INT32_SCHEMA);
  }
  /** INT64 */
  addLong(key: string, value: bigint): this {
    return this.add(key, value, Schema.INT64_SCHEMA);
  }
  /** FLOAT32 */
  addFloat(key: string, value: number): this {
    return this.add(key, value, Schema.FLOAT32_SCHEMA);
  }
  /** FLOAT64 */
  addDouble(key: string, value: number): this {
    return this.add(key, value, Schema.FLOAT64_SCHEMA);
  }
  addBytes(key: string, value: Uint8Array | null): this {
    return this.#addOptional(key, value, Schema.BYTES_SCHEMA, Schema.OPTIONAL_BYTES_SCHEMA);
  }
  addList(key: string, value: unknown[] | null, schema: Schema): this {
    return this.add(key, value, schema);
  }
  addMap(key: string, value: Map<unknown, unknown> | null, schema: Schema): this {
    return this.add(key, value, schema);
  }
  addStruct(key: string, value: Struct): this {
    return this.add(key, value, value.schema);
  }
  addDecimal(key: string, value: Decimal): this {
    return this.add(key, value, Decimal.schema(value.scale));
  }
  addDate(key: string, value: Date): this {
    ConnectDate.fromLogical(ConnectDate.SCHEMA, value);
    return this.add(key, value, ConnectDate.SCHEMA);
  }
  addTime(key: string, value: Date): this {
    ConnectTime.fromLogical(ConnectTime.SCHEMA, value);
    return this.add(key, value, ConnectTime.SCHEMA);
  }
  addTimestamp(key: string, value: Date): this {
    return this.add(key, value, ConnectTimestamp.SCHEMA);
  }

  /** Removes every header with this key. */
  remove(key: string): this {
    this.#headers = this.#headers.filter((h) => h.key !== key);
    return this;
  }

  /**
   * Keeps only the last header with this key; without a key, only the last header of each key
   * (in the order of those last headers).
   */
  retainLatest(key?: string): this {
    if (key !== undefined) {
      const last = this.lastWithName(key);
      this.#headers = this.#headers.filter((h) => h.key !== key || h === last);
      return this;
    }
    const seen = new Set<string>();
    const kept: Header[] = [];
    for (let i = this.#headers.length - 1; i >= 0; i--) {
      const h = this.#headers[i] as Header;
      if (seen.has(h.key)) continue;
      seen.add(h.key);
      kept.push(h);
    }
    this.#headers = kept.reverse();
    return this;
  }

  clear(): this {
    this.#headers = [];
    return this;
  }

  /** A copy of the list (headers themselves are immutable); the array is copied only when one of the two changes. */
  duplicate(): Headers {
    const copy = new Headers();
    copy.#headers = this.#headers;
    copy.#shared = true;
    this.#shared = true;
    return copy;
  }

  #writable(): Header[] {
    if (this.#shared) {
      this.#headers = [...this.#headers];
      this.#shared = false;
    }
    return this.#headers;
  }

  /** Replaces each header (or each with this key) by what the transform returns; null removes it. */
  apply(transform: HeaderTransform): this;
  apply(key: string, transform: HeaderTransform): this;
  apply(keyOrTransform: string | HeaderTransform, transform?: HeaderTransform): this {
    const key = typeof keyOrTransform === "string" ? keyOrTransform : null;
    const fn = typeof keyOrTransform === "string" ? (transform as HeaderTransform) : keyOrTransform;
    const out: Header[] = [];
    for (const h of this.#headers) {
      if (key !== null && h.key !== key) {
        out.push(h);
        continue;
      }
      const replaced = fn(h);
      if (replaced !== null) out.push(replaced);
    }
    this.#headers = out;
    return this;
  }

  toString(): string {
    return `ConnectHeaders(headers=[${this.#headers.map((h) => String(h)).join(", ")}])`;
  }
}

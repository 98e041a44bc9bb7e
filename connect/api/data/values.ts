// Text forms of Connect values (the common cases of Kafka's org.apache.kafka.connect.data.Values):
// what SimpleHeaderConverter writes into and reads from header bytes, and what the InsertHeader
// SMT parses its literal with.
//
// convertToString: primitives as Java prints them, bytes as base64, Decimal as BigDecimal text,
// Date/Time/Timestamp in ISO 8601 (UTC), arrays "[1,2]", maps and structs {"a":1,"b":"x"}
// (strings inside them quoted and escaped).
// parseString infers a schema: the smallest integer type that fits (INT8..INT64, then a
// Decimal of scale 0), FLOAT32 for other numbers that fit a float (else FLOAT64, else Decimal),
// true/false, ISO dates/times/timestamps, [..] arrays and {..} maps of those; anything else
// is the STRING itself (a quoted string at the top level stays as written, quotes included).
//
// Known gaps (documented in connect/api/README.md): arrays/maps whose elements differ in type
// (or are empty) get a null schema, where Kafka gives an ARRAY/MAP schema with no element schema;
// text with a top-level comma ("1,2") is a string, where Kafka reads its first token.
import { Decimal } from "./decimal.ts";
import { formatIsoDate, formatIsoTime, formatIsoTimestamp, javaDoubleToString, javaFloatToString } from "./java-text.ts";
import { ConnectDate, ConnectTime, ConnectTimestamp, MILLIS_PER_DAY } from "./logical.ts";
import { DATE_LOGICAL_NAME, DECIMAL_LOGICAL_NAME, TIME_LOGICAL_NAME, TIMESTAMP_LOGICAL_NAME } from "./logical-names.ts";
import { Schema, type SchemaType } from "./schema.ts";
import { SchemaAndValue } from "./schema-and-value.ts";
import { SchemaBuilder } from "./schema-builder.ts";
import { Struct } from "./struct.ts";
import { isPlainObject } from "./validate.ts";

const NUMBER_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_TEXT = /^(\d{2}):(\d{2}):(\d{2})\.(\d{3})Z$/;
const TIMESTAMP_TEXT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})Z$/;

/** Java's text for a schemaless number: integers as integers, others as Java doubles. */
function numberText(value: number): string {
  return Number.isSafeInteger(value) ? String(value) : javaDoubleToString(value);
}

function quote(text: string): string {
  return `"${text.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

function write(schema: Schema | null, value: unknown, embedded: boolean): string {
  if (value === null || value === undefined) return "null";
  switch (schema?.name) {
    case DECIMAL_LOGICAL_NAME:
      if (value instanceof Decimal) return value.toString();
      break;
    case DATE_LOGICAL_NAME:
      if (value instanceof Date) return formatIsoDate(value);
      break;
    case TIME_LOGICAL_NAME:
      if (value instanceof Date) return formatIsoTime(value);
      break;
    case TIMESTAMP_LOGICAL_NAME:
      if (value instanceof Date) return formatIsoTimestamp(value);
      break;
    default:
      break;
  }
  if (typeof value === "string") return embedded ? quote(value) : value;
  if (typeof value === "number") {
    if (schema?.type === "FLOAT32") return javaFloatToString(value);
    if (schema?.type === "FLOAT64") return javaDoubleToString(value);
    return schema === null ? numberText(value) : String(value);
  }
  if (typeof value === "bigint" || typeof value === "boolean") return String(value);
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64");
  if (value instanceof Decimal) return value.toString();
  if (value instanceof Date) return formatIsoTimestamp(value);
  if (Array.isArray(value)) {
    const element = schema?.valueSchema ?? null;
    return `[${value.map((v) => write(element, v, true)).join(",")}]`;
  }
  if (value instanceof Struct) {
    return `{${value.schema.fields.map((f) => `${quote(f.name)}:${write(f.schema, value.getWithoutDefault(f), true)}`).join(",")}}`;
  }
  const entries = value instanceof Map ? [...value] : isPlainObject(value) ? Object.entries(value) : null;
  if (entries !== null) {
    const keySchema = schema?.keySchema ?? null;
    const valueSchema = schema?.valueSchema ?? null;
    return `{${entries.map(([k, v]) => `${write(keySchema, k, true)}:${write(valueSchema, v, true)}`).join(",")}}`;
  }
  return String(value);
}

class Parser {
  readonly #text: string;
  #pos = 0;

  constructor(text: string) {
    this.#text = text;
  }

  get done(): boolean {
    this.#skipSpace();
    return this.#pos >= this.#text.length;
  }

  #skipSpace(): void {
    while (this.#pos < this.#text.length && /\s/.test(this.#text[this.#pos] as string)) this.#pos++;
  }

  /** One value inside a container; null when the text is not a value there. */
  value(): SchemaAndValue | null {
    this.#skipSpace();
    const c = this.#text[this.#pos];
    if (c === "[") return this.#array();
    if (c === "{") return this.#map();
    if (c === '"') {
      const s = this.#quoted();
      return s === null ? null : new SchemaAndValue(Schema.STRING_SCHEMA, s);
    }
    const start = this.#pos;
    while (this.#pos < this.#text.length && !",:]}".includes(this.#text[this.#pos] as string)) this.#pos++;
    const token = this.#text.slice(start, this.#pos).trim();
    if (token === "") return null;
    if (token === "null") return new SchemaAndValue(null, null);
    return literal(token) ?? new SchemaAndValue(Schema.STRING_SCHEMA, token);
  }

  #expect(c: string): boolean {
    this.#skipSpace();
    if (this.#text[this.#pos] !== c) return false;
    this.#pos++;
    return true;
  }

  #quoted(): string | null {
    let out = "";
    for (this.#pos++; this.#pos < this.#text.length; this.#pos++) {
      const c = this.#text[this.#pos] as string;
      if (c === '"') {
        this.#pos++;
        return out;
      }
      if (c === "\\") this.#pos++;
      out += this.#text[this.#pos] ?? "";
    }
    return null;
  }

  #array(): SchemaAndValue | null {
    this.#pos++;
    const elements: SchemaAndValue[] = [];
    if (this.#expect("]")) return container("ARRAY", [], null);
    for (;;) {
      const element = this.value();
      if (element === null) return null;
      elements.push(element);
      if (this.#expect("]")) break;
      if (!this.#expect(",")) return null;
    }
    return container("ARRAY", elements, null);
  }

  #map(): SchemaAndValue | null {
    this.#pos++;
    const keys: SchemaAndValue[] = [];
    const values: SchemaAndValue[] = [];
    if (this.#expect("}")) return container("MAP", [], []);
    for (;;) {
      const key = this.value();
      if (key === null || !this.#expect(":")) return null;
      const value = this.value();
      if (value === null) return null;
      keys.push(key);
      values.push(value);
      if (this.#expect("}")) break;
      if (!this.#expect(",")) return null;
    }
    return container("MAP", keys, values);
  }
}

const NUMERIC_RANK: Partial<Record<SchemaType, number>> = { INT8: 0, INT16: 1, INT32: 2, INT64: 3, FLOAT32: 4, FLOAT64: 5 };

/** The one schema all the elements share, numbers widened; undefined if none (or all null). */
function commonSchema(items: readonly SchemaAndValue[]): Schema | undefined {
  let common: Schema | undefined;
  for (const item of items) {
    if (item.schema === null) return undefined;
    if (common === undefined || common.equals(item.schema)) {
      common = item.schema;
      continue;
    }
    const a = NUMERIC_RANK[common.type];
    const b = NUMERIC_RANK[item.schema.type];
    if (a === undefined || b === undefined || common.name !== null || item.schema.name !== null) return undefined;
    if (b > a) common = item.schema;
  }
  return common;
}

function widen(item: SchemaAndValue, to: Schema): unknown {
  if (item.value === null || item.schema === null || item.schema.type === to.type) return item.value;
  if (to.type === "INT64") return BigInt(item.value as number);
  if (to.type === "FLOAT32") return Math.fround(Number(item.value));
  if (to.type === "FLOAT64") return Number(item.value);
  return item.value;
}

/** Kafka reads a container whose nulls sit among other values as plain text: so do we. */
function mixesNulls(items: readonly SchemaAndValue[]): boolean {
  let nulls = false;
  let others = false;
  for (const item of items) {
    if (item.value === null) nulls = true;
    else others = true;
  }
  return nulls && others;
}

function container(type: "ARRAY" | "MAP", first: SchemaAndValue[], second: SchemaAndValue[] | null): SchemaAndValue | null {
  if (mixesNulls(first) || (second !== null && mixesNulls(second))) return null;
  if (type === "ARRAY") {
    const element = commonSchema(first);
    if (element === undefined) return new SchemaAndValue(null, first.map((e) => e.value));
    return new SchemaAndValue(SchemaBuilder.array(element).build(), first.map((e) => widen(e, element)));
  }
  const values = second ?? [];
  const keySchema = commonSchema(first);
  const valueSchema = commonSchema(values);
  if (keySchema === undefined || valueSchema === undefined) {
    return new SchemaAndValue(null, new Map(first.map((k, i) => [k.value, values[i]?.value ?? null])));
  }
  const map = new Map(first.map((k, i) => [widen(k, keySchema), widen(values[i] as SchemaAndValue, valueSchema)]));
  return new SchemaAndValue(SchemaBuilder.map(keySchema, valueSchema).build(), map);
}

function utc(y: string, mo: string, d: string, h = "0", mi = "0", s = "0", ms = "0"): Date | null {
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(ms)));
  // Reject rolled-over fields (2024-02-30), as a strict date parser would.
  if (date.getUTCMonth() !== Number(mo) - 1 || date.getUTCDate() !== Number(d) || date.getUTCHours() !== Number(h) || date.getUTCMinutes() !== Number(mi) || date.getUTCSeconds() !== Number(s)) return null;
  return date;
}

/** A number, boolean or date/time token; null when the token is none of those. */
function literal(token: string): SchemaAndValue | null {
  if (token === "true" || token === "false") return new SchemaAndValue(Schema.BOOLEAN_SCHEMA, token === "true");
  if (NUMBER_TEXT.test(token)) return number(token);
  let m = TIMESTAMP_TEXT.exec(token);
  if (m) {
    const date = utc(m[1] as string, m[2] as string, m[3] as string, m[4], m[5], m[6], m[7]);
    if (date) return new SchemaAndValue(ConnectTimestamp.SCHEMA, date);
  }
  m = DATE_TEXT.exec(token);
  if (m) {
    const date = utc(m[1] as string, m[2] as string, m[3] as string);
    if (date) return new SchemaAndValue(ConnectDate.SCHEMA, date);
  }
  m = TIME_TEXT.exec(token);
  if (m) {
    const ms = ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000 + Number(m[4]);
    if (Number(m[1]) < 24 && Number(m[2]) < 60 && Number(m[3]) < 60 && ms < MILLIS_PER_DAY) return new SchemaAndValue(ConnectTime.SCHEMA, new Date(ms));
  }
  return null;
}

function number(token: string): SchemaAndValue {
  const decimal = Decimal.parse(token);
  const whole = decimal.scale <= 0 || decimal.unscaled % 10n ** BigInt(decimal.scale) === 0n;
  if (whole) {
    const n = decimal.scale <= 0 ? decimal.unscaled * 10n ** BigInt(-decimal.scale) : decimal.unscaled / 10n ** BigInt(decimal.scale);
    if (n >= -128n && n <= 127n) return new SchemaAndValue(Schema.INT8_SCHEMA, Number(n));
    if (n >= -32768n && n <= 32767n) return new SchemaAndValue(Schema.INT16_SCHEMA, Number(n));
    if (n >= -2147483648n && n <= 2147483647n) return new SchemaAndValue(Schema.INT32_SCHEMA, Number(n));
    if (n >= -(2n ** 63n) && n < 2n ** 63n) return new SchemaAndValue(Schema.INT64_SCHEMA, n);
  }
  // Whole numbers past int64 written without a point or exponent stay exact (a Decimal of
  // scale 0); others become the narrowest floating-point type that holds them, else a Decimal.
  if (decimal.scale !== 0) {
    const double = Number(token);
    const float = Math.fround(double);
    if (Number.isFinite(float)) return new SchemaAndValue(Schema.FLOAT32_SCHEMA, float);
    if (Number.isFinite(double)) return new SchemaAndValue(Schema.FLOAT64_SCHEMA, double);
  }
  return new SchemaAndValue(Decimal.schema(decimal.scale), decimal);
}

function commonInferred(values: Iterable<unknown>): Schema | undefined {
  let common: Schema | undefined;
  for (const v of values) {
    const schema = inferSchema(v);
    if (schema === null) return undefined;
    if (common === undefined) common = schema;
    else if (!common.equals(schema)) return undefined;
  }
  return common;
}

export const Values = {
  /**
   * The text of a value (null for null): what SimpleHeaderConverter writes as a header's bytes.
   * Without a schema, the value's JavaScript type decides.
   */
  convertToString(schema: Schema | null, value: unknown): string | null {
    if (value === null || value === undefined) return null;
    return write(schema, value, false);
  },

  /** The schema and value a header's text stands for (see the module comment for the rules). */
  parseString(text: string | null): SchemaAndValue {
    if (text === null) return SchemaAndValue.NULL;
    if (text === "") return new SchemaAndValue(Schema.STRING_SCHEMA, "");
    const trimmed = text.trim();
    if (trimmed === "null") return SchemaAndValue.NULL;
    if (trimmed.startsWith("[") || trimmed.startsWith("{")) {
      const parser = new Parser(trimmed);
      const parsed = parser.value();
      if (parsed !== null && parser.done) return parsed;
      return new SchemaAndValue(Schema.STRING_SCHEMA, text);
    }
    return literal(trimmed) ?? new SchemaAndValue(Schema.STRING_SCHEMA, text);
  },

  /**
   * A schema for a schemaless value, or null when it has none (empty or mixed arrays and maps,
   * plain objects' mixed values...). Numbers: INT32 when integral in its range, else FLOAT64.
   */
  inferSchema(value: unknown): Schema | null {
    return inferSchema(value);
  },
} as const;

function inferSchema(value: unknown): Schema | null {
  switch (typeof value) {
    case "string":
      return Schema.STRING_SCHEMA;
    case "boolean":
      return Schema.BOOLEAN_SCHEMA;
    case "bigint":
      return Schema.INT64_SCHEMA;
    case "number":
      return Number.isInteger(value) && value >= -2147483648 && value <= 2147483647 ? Schema.INT32_SCHEMA : Schema.FLOAT64_SCHEMA;
    default:
      break;
  }
  if (value === null || typeof value !== "object") return null;
  if (value instanceof Uint8Array) return Schema.BYTES_SCHEMA;
  if (value instanceof Decimal) return Decimal.schema(value.scale);
  if (value instanceof Date) return ConnectTimestamp.SCHEMA;
  if (value instanceof Struct) return value.schema;
  if (Array.isArray(value)) {
    const element = commonInferred(value);
    return element ? SchemaBuilder.array(element).build() : null;
  }
  const entries = value instanceof Map ? [...value] : isPlainObject(value) ? Object.entries(value) : null;
  if (entries === null || entries.length === 0) return null;
  const keySchema = commonInferred(entries.map(([k]) => k));
  const valueSchema = commonInferred(entries.map(([, v]) => v));
  return keySchema && valueSchema ? SchemaBuilder.map(keySchema, valueSchema).build() : null;
}

// The text-like, binary and structured types: strings and Debezium's string semantic types
// (Uuid, Json, Xml, Ltree, Tsvector, Enum), bytea (binary.handling.mode), bit strings, point
// and hstore (hstore.handling.mode).
import { Schema, SchemaBuilder, Struct } from "../../../connect/api/index.ts";
import type { TypeMappingOptions } from "../contracts.ts";
import { booleanType } from "./numeric.ts";
import { parseByteaText, parseHstoreText, PgTextError } from "./pg-text.ts";
import { DebeziumData } from "./schemas.ts";
import type { PgValueType, TypeContext } from "./value-type.ts";

const identity = (text: string): string => text;

function stringType(schema: Schema): PgValueType {
  return { schema, fromText: identity, fallback: "" };
}

/**
 * Types Debezium emits as their text: plain STRING for the character types, network addresses
 * and ranges; its semantic string types for uuid, json/jsonb, xml, ltree, tsvector. null for others.
 */
export function textType(typeName: string): PgValueType | null {
  switch (typeName) {
    case "varchar":
    case "text":
    case "bpchar":
    case "char":
    case "name":
    case "citext":
    case "inet":
    case "cidr":
    case "macaddr":
    case "macaddr8":
    case "int4range":
    case "int8range":
    case "numrange":
    case "tsrange":
    case "tstzrange":
    case "daterange":
      return stringType(Schema.STRING_SCHEMA);
    case "uuid":
      return stringType(DebeziumData.uuid().build());
    case "json":
    case "jsonb":
      return stringType(DebeziumData.json().build());
    case "xml":
      return stringType(DebeziumData.xml().build());
    case "ltree":
      return stringType(DebeziumData.ltree().build());
    case "tsvector":
      return stringType(DebeziumData.tsvector().build());
    default:
      return null;
  }
}

/** An enum: io.debezium.data.Enum with its labels (in sort order) as "allowed". */
export function enumType(labels: readonly string[]): PgValueType {
  return stringType(DebeziumData.enumeration(labels).build());
}

/** binary.handling.mode's schema and encoding of bytes. */
export function binaryEncoding(mode: TypeMappingOptions["binaryHandlingMode"]): { schema: Schema; encode: (bytes: Buffer) => Buffer | string } {
  switch (mode) {
    case "bytes":
      return { schema: Schema.BYTES_SCHEMA, encode: (b) => b };
    case "base64":
      return { schema: Schema.STRING_SCHEMA, encode: (b) => b.toString("base64") };
    case "base64-url-safe":
      // Java's Base64.getUrlEncoder() keeps the "=" padding (Node's "base64url" drops it).
      return { schema: Schema.STRING_SCHEMA, encode: (b) => b.toString("base64").replaceAll("+", "-").replaceAll("/", "_") };
    case "hex":
      return { schema: Schema.STRING_SCHEMA, encode: (b) => b.toString("hex") };
  }
}

export function byteaType(options: TypeMappingOptions): PgValueType {
  const { schema, encode } = binaryEncoding(options.binaryHandlingMode);
  return { schema, fromText: (t) => encode(parseByteaText(t)), fallback: encode(Buffer.alloc(0)) };
}

/**
 * A type Debezium does not know, kept only with include.unknown.datatypes=true: its text's
 * UTF-8 bytes, encoded per binary.handling.mode.
 */
export function unknownType(options: TypeMappingOptions): PgValueType {
  const { schema, encode } = binaryEncoding(options.binaryHandlingMode);
  return { schema, fromText: (t) => encode(Buffer.from(t, "utf8")), fallback: encode(Buffer.alloc(0)) };
}

/** The declared length of bit(n)/varbit(n); varbit without one is unbounded (the JDBC driver's Integer.MAX_VALUE). */
export function bitLength(typeName: string, typeModifier: number): number {
  if (typeModifier >= 0) return typeModifier;
  return typeName === "bit" ? 1 : 2147483647;
}

/**
 * The bytes of io.debezium.data.Bits: the bit string read as a binary number, little-endian,
 * as few bytes as hold its highest set bit (Java's BitSet.toByteArray(); "000" is no bytes).
 */
export function bitsToBytes(text: string): Buffer {
  if (!/^[01]*$/.test(text)) throw new PgTextError("bit", text);
  const value = text === "" ? 0n : BigInt(`0b${text}`);
  const bytes: number[] = [];
  for (let v = value; v > 0n; v >>= 8n) bytes.push(Number(v & 0xffn));
  return Buffer.from(bytes);
}

/** bit(1)/varbit(1) → BOOLEAN; longer bit strings → io.debezium.data.Bits. */
export function bitType(ctx: TypeContext): PgValueType {
  const length = bitLength(ctx.typeName, ctx.typeModifier);
  if (length <= 1) {
    return { ...booleanType(), fromText: (t) => (/^[01]$/.test(t) ? t === "1" : booleanType().fromText(t)) };
  }
  return { schema: DebeziumData.bits(length).build(), fromText: bitsToBytes, fallback: Buffer.alloc(0) };
}

const POINT_SCHEMA = DebeziumData.point().build();

/** io.debezium.data.geometry.Point's value: x, y and their OGC WKB (little-endian), no SRID. */
export function pointValue(x: number, y: number): Struct {
  const wkb = Buffer.alloc(21);
  wkb.writeUInt8(1, 0);
  wkb.writeUInt32LE(1, 1);
  wkb.writeDoubleLE(x, 5);
  wkb.writeDoubleLE(y, 13);
  return new Struct(POINT_SCHEMA).put("x", x).put("y", y).put("wkb", wkb);
}

export function pointType(): PgValueType {
  return {
    schema: POINT_SCHEMA,
    fromText: (text) => {
      const m = /^\(\s*([^,\s]+)\s*,\s*([^)\s]+)\s*\)$/.exec(text);
      const x = Number(m?.[1]);
      const y = Number(m?.[2]);
      if (!m || Number.isNaN(x) || Number.isNaN(y)) throw new PgTextError("point", text);
      return pointValue(x, y);
    },
    fallback: pointValue(0, 0),
  };
}

/** Java's String.hashCode(). */
function javaStringHash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(31, h) + text.charCodeAt(i)) | 0;
  return h;
}

/**
 * hstore pairs in the iteration order of the java.util.HashMap Debezium reads them into
 * (HStoreConverter.fromString): by bucket of the spread hash in the final table size, then
 * insertion order. The JSON text and the map keep that order, so records match byte for byte.
 */
export function hashMapOrder(pairs: readonly [string, string | null][]): [string, string | null][] {
  const unique = new Map<string, string | null>();
  for (const [k, v] of pairs) unique.set(k, v);
  let tableSize = 16;
  while (unique.size > tableSize * 0.75) tableSize *= 2;
  const bucket = (key: string): number => {
    const h = javaStringHash(key);
    return (h ^ (h >>> 16)) & (tableSize - 1);
  };
  return [...unique].map((entry, i) => ({ entry, i, b: bucket(entry[0]) })).sort((a, b) => a.b - b.b || a.i - b.i).map((e) => e.entry);
}

/** hstore: json → io.debezium.data.Json text of the object (values may be null); map → MAP<STRING, OPTIONAL STRING>. */
export function hstoreType(options: TypeMappingOptions): PgValueType {
  if (options.hstoreHandlingMode === "map") {
    return {
      schema: SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.OPTIONAL_STRING_SCHEMA).build(),
      fromText: (t) => new Map(hashMapOrder(parseHstoreText(t))),
      fallback: new Map(),
    };
  }
  return {
    schema: DebeziumData.json().build(),
    fromText: (t) => `{${hashMapOrder(parseHstoreText(t)).map(([k, v]) => `${JSON.stringify(k)}:${v === null ? "null" : JSON.stringify(v)}`).join(",")}}`,
    fallback: "{}",
  };
}

// The converter Kafka Connect uses for its internal topics: the JsonConverter with
// schemas.enable=false (Kafka's workers have hard-wired this since 2.0, KIP-174), so record
// values are bare JSON: a Struct is written as an object with its fields in schema order, null
// optional fields included as null. Reading gives schemaless values: plain objects, arrays,
// strings, booleans and numbers (Kafka reads integers as Long; callers accept any integer).
import { type Schema, Struct } from "../../api/index.ts";
import { JsonConverter } from "../../converters/index.ts";

const converter = new JsonConverter();
converter.configure({ "schemas.enable": "false" }, false);

/** The bytes of a value as Kafka's internal converter writes it (null stays null: a tombstone). */
export function writeInternal(schema: Schema | null, value: unknown): Buffer | null {
  return converter.fromConnectData("", null, schema, value);
}

/** A record value read as Kafka's internal converter reads it: a schemaless value, or null. */
export function readInternal(value: Buffer | null): unknown {
  if (value === null) return null;
  return converter.toConnectData("", null, value).value;
}

/** A Struct of `schema` with the given field values (in any order; absent fields stay null). */
export function struct(schema: Schema, fields: Record<string, unknown>): Struct {
  const s = new Struct(schema);
  for (const [name, value] of Object.entries(fields)) s.put(name, value);
  return s;
}

export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

/** An integer read from a schemaless record (a number or, past 2^53, a bigint), else null. */
export function integerValue(value: unknown): number | null {
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "bigint") return Number(value);
  return null;
}

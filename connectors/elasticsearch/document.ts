// Turns a sink record into the JSON an Elasticsearch document holds, the way Confluent's sink
// does through Kafka's JsonConverter with schemas disabled: structs and maps become objects,
// bytes base64, Decimals JSON numbers, and the Date/Time/Timestamp logical types their
// underlying integers (days since the epoch, milliseconds of the day, epoch milliseconds) —
// which an index mapping them as "date" with epoch formats reads back as dates.
import { DataException, Decimal, type Schema, type SinkRecord, Struct } from "../../connect/api/index.ts";

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

const DECIMAL = "org.apache.kafka.connect.data.Decimal";
const DATE = "org.apache.kafka.connect.data.Date";
const TIME = "org.apache.kafka.connect.data.Time";
const TIMESTAMP = "org.apache.kafka.connect.data.Timestamp";
const MILLIS_PER_DAY = 86_400_000;

/** The document body of a record's value (never called for null values). */
export function documentOf(record: SinkRecord): { [key: string]: JsonValue } {
  // The schema guides the conversion even with schema.ignore=true (which only stops the sink
  // from deriving index mappings), as in Confluent's sink.
  const json = toJson(record.value, record.valueSchema);
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new DataException(`The value of ${describeRecord(record)} is not a struct or map, so it cannot be an Elasticsearch document`);
  }
  return json;
}

/**
 * The document id: the key as text (key.ignore=false; only keys of primitive types can be ids,
 * as in Confluent's sink) or topic+partition+offset (key.ignore=true).
 */
export function documentIdOf(record: SinkRecord, keyIgnore: boolean): string {
  if (keyIgnore) return `${record.topic}+${record.kafkaPartition}+${record.kafkaOffset}`;
  const key = record.key;
  if (key === null || key === undefined) throw new DataException(`Key is used as document id and can not be null (${describeRecord(record)})`);
  if (typeof key === "string" || typeof key === "number" || typeof key === "bigint" || typeof key === "boolean") return String(key);
  throw new DataException(`Key of ${describeRecord(record)} is not a string or number, so it cannot be a document id`);
}

/** The index a topic's documents go to: Elasticsearch index names must be lower case. */
export function indexNameOf(topic: string): string {
  return topic.toLowerCase();
}

export function describeRecord(record: SinkRecord): string {
  return `record topic=${record.topic} partition=${record.kafkaPartition} offset=${record.kafkaOffset}`;
}

function toJson(value: unknown, schema: Schema | null): JsonValue {
  if (value === null || value === undefined) return schema?.defaultValue === undefined || schema.defaultValue === null ? null : toJson(schema.defaultValue, null);
  if (schema !== null && schema.name !== null) {
    const logical = logicalToJson(value, schema.name);
    if (logical !== undefined) return logical;
  }
  if (value instanceof Decimal) return decimalToJson(value);
  if (value instanceof Date) return value.getTime();
  if (value instanceof Struct) {
    const out: { [key: string]: JsonValue } = {};
    for (const field of value.schema.fields) out[field.name] = toJson(value.get(field), field.schema);
    return out;
  }
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64");
  if (value instanceof Map) {
    const out: { [key: string]: JsonValue } = {};
    for (const [k, v] of value) out[String(k)] = toJson(v, schema?.valueSchema ?? null);
    return out;
  }
  if (Array.isArray(value)) return value.map((item: unknown) => toJson(item, schema?.valueSchema ?? null));
  if (typeof value === "bigint") return bigintToJson(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new DataException(`${value} cannot be written as JSON`);
    return value;
  }
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "object") {
    const out: { [key: string]: JsonValue } = {};
    for (const [k, v] of Object.entries(value)) out[k] = toJson(v, null);
    return out;
  }
  throw new DataException(`A value of type ${typeof value} cannot be written to Elasticsearch`);
}

function logicalToJson(value: unknown, logicalName: string): JsonValue | undefined {
  if (!(value instanceof Date) && !(value instanceof Decimal)) return undefined;
  switch (logicalName) {
    case DECIMAL:
      return value instanceof Decimal ? decimalToJson(value) : undefined;
    case DATE:
      return value instanceof Date ? Math.floor(value.getTime() / MILLIS_PER_DAY) : undefined;
    case TIME:
      return value instanceof Date ? ((value.getTime() % MILLIS_PER_DAY) + MILLIS_PER_DAY) % MILLIS_PER_DAY : undefined;
    case TIMESTAMP:
      return value instanceof Date ? value.getTime() : undefined;
    default:
      return undefined;
  }
}

/** A Decimal as a JSON number (its exact digits survive as far as a double carries them). */
function decimalToJson(value: Decimal): number {
  return Number(value.toString());
}

function bigintToJson(value: bigint): number {
  // JSON.stringify cannot write bigints; beyond 2^53 the double is the nearest Elasticsearch would parse anyway.
  return Number(value);
}

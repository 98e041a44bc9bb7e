// Value validation against a schema (Kafka's ConnectSchema.validateValue) and the schema type
// of a schemaless value (ConnectSchema.schemaType). The JavaScript representation of each
// type is documented in connect/api/README.md; this module is where it is enforced.
import { DataException } from "../errors.ts";
import { Decimal } from "./decimal.ts";
import { DATE_LOGICAL_NAME, DECIMAL_LOGICAL_NAME, TIME_LOGICAL_NAME, TIMESTAMP_LOGICAL_NAME } from "./logical-names.ts";
import { type Schema, schemaEquals, type SchemaType } from "./schema.ts";
import { Struct } from "./struct.ts";

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const INT_RANGES: Partial<Record<SchemaType, readonly [number, number]>> = {
  INT8: [-128, 127],
  INT16: [-32768, 32767],
  INT32: [-2147483648, 2147483647],
};

/** How a value is named in error messages: its JavaScript type or class, never its content. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (typeof value !== "object") return typeof value;
  if (Array.isArray(value)) return "Array";
  if (Buffer.isBuffer(value)) return "Buffer";
  const ctor = (value as { constructor?: { name?: unknown } }).constructor;
  return typeof ctor?.name === "string" && ctor.name !== "" ? ctor.name : "object";
}

/**
 * Throws a DataException unless the value is valid for the schema; recurses into arrays, maps
 * and structs. `field` names the value in the message (Kafka's validateValue(field, schema, value)).
 */
export function validateValue(schema: Schema, value: unknown, field?: string): void {
  check(schema, value, field === undefined ? "value" : `field: "${field}"`);
}

function check(schema: Schema, value: unknown, location: string): void {
  if (value === null || value === undefined) {
    if (!schema.optional) throw new DataException(`Invalid value: null used for required ${location}, schema type: ${schema.type}`);
    return;
  }
  const problem = mismatch(schema, value);
  if (problem !== null) {
    const named = schema.name === null ? "" : ` "${schema.name}"`;
    throw new DataException(`Invalid value for schema${named} with type ${schema.type}: ${problem} for ${location}`);
  }
  switch (schema.type) {
    case "STRUCT": {
      const struct = value as Struct;
      if (struct.schema !== schema && !schemaEquals(struct.schema, schema)) throw new DataException("Struct schemas do not match.");
      struct.validate();
      return;
    }
    case "ARRAY":
      for (const element of value as unknown[]) check(schema.valueSchema as Schema, element, `element of array ${location}`);
      return;
    case "MAP":
      for (const [k, v] of value as Map<unknown, unknown>) {
        check(schema.keySchema as Schema, k, `key of map ${location}`);
        check(schema.valueSchema as Schema, v, `value of map ${location}`);
      }
      return;
    default:
      return;
  }
}

/** null when the value has the JavaScript representation of the schema's type, else why not. */
function mismatch(schema: Schema, value: unknown): string | null {
  switch (schema.name) {
    case DECIMAL_LOGICAL_NAME:
      return value instanceof Decimal ? null : `${describeValue(value)} (expected a Decimal)`;
    case DATE_LOGICAL_NAME:
    case TIME_LOGICAL_NAME:
    case TIMESTAMP_LOGICAL_NAME:
      return value instanceof Date ? null : `${describeValue(value)} (expected a Date)`;
    default:
      break;
  }
  switch (schema.type) {
    case "INT8":
    case "INT16":
    case "INT32": {
      const [min, max] = INT_RANGES[schema.type] as readonly [number, number];
      if (typeof value !== "number") return describeValue(value);
      return Number.isInteger(value) && value >= min && value <= max ? null : `number (not an integer in the ${schema.type} range)`;
    }
    case "INT64":
      if (typeof value !== "bigint") return `${describeValue(value)} (INT64 values are bigints)`;
      return value >= INT64_MIN && value <= INT64_MAX ? null : "bigint (out of the INT64 range)";
    case "FLOAT32":
    case "FLOAT64":
      return typeof value === "number" ? null : describeValue(value);
    case "BOOLEAN":
      return typeof value === "boolean" ? null : describeValue(value);
    case "STRING":
      return typeof value === "string" ? null : describeValue(value);
    case "BYTES":
      return value instanceof Uint8Array ? null : describeValue(value);
    case "ARRAY":
      return Array.isArray(value) ? null : describeValue(value);
    case "MAP":
      return value instanceof Map ? null : `${describeValue(value)} (MAP values are Maps)`;
    case "STRUCT":
      return value instanceof Struct ? null : describeValue(value);
  }
}

/**
 * The Connect type of a schemaless value (Kafka's ConnectSchema.schemaType(Class)), or null when
 * it has none: strings, booleans, bigints (INT64), numbers (INT32 for integers in its range,
 * else FLOAT64), bytes, arrays, Maps and plain objects (MAP), Structs. Decimals and Dates have
 * no type without a schema, as in Kafka.
 */
export function inferSchemaType(value: unknown): SchemaType | null {
  switch (typeof value) {
    case "string":
      return "STRING";
    case "boolean":
      return "BOOLEAN";
    case "bigint":
      return "INT64";
    case "number":
      return Number.isInteger(value) && value >= -2147483648 && value <= 2147483647 ? "INT32" : "FLOAT64";
    case "object":
      if (value === null) return null;
      if (value instanceof Uint8Array) return "BYTES";
      if (Array.isArray(value)) return "ARRAY";
      if (value instanceof Map) return "MAP";
      if (value instanceof Struct) return "STRUCT";
      if (isPlainObject(value)) return "MAP";
      return null;
    default:
      return null;
  }
}

/** An object literal or Object.create(null): a schemaless map. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

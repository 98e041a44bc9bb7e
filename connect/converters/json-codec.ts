// Connect data ⇄ JSON in Kafka JsonConverter's format: schemas as {"type":"struct","fields":
// [...],"optional":false,"name":...,"version":...,"doc":...,"parameters":{...},"default":...},
// values as the payload. Writing produces the same bytes as Kafka (key order, number and string
// formatting); reading accepts what Kafka writes. The envelope and the caches are the
// converter's business (json-converter.ts).
//
// Deliberate differences when reading JSON that Kafka's converter itself would never write
// (Kafka silently coerces, we fail the record with a DataException, which errors.tolerance
// handles): a number of the wrong type or out of range for INT8/16/32/64 (Kafka wraps or
// truncates), a string where a number is expected (Kafka reads 0), a non-array for an ARRAY
// (Kafka reads []). "NaN"/"Infinity" strings read back as NaN/Infinity (Kafka reads 0.0).
// Schemaless integers past int64 stay exact bigints (Kafka wraps them to 64 bits).
import {
  ConnectDate,
  ConnectTime,
  ConnectTimestamp,
  DataException,
  Decimal,
  describeValue,
  isPlainObject,
  javaDoubleToString,
  javaFloatToString,
  type Schema,
  SchemaBuilder,
  schemaEquals,
  Struct,
} from "../api/index.ts";
import { decodeBase64Strict, jsonNodeType, type JsonNode, jsonString, RawNumber } from "./json-text.ts";

export type DecimalFormat = "BASE64" | "NUMERIC";

export interface JsonCodecOptions {
  decimalFormat: DecimalFormat;
  replaceNullWithDefault: boolean;
}

const TYPE_NAMES: Record<Schema["type"], string> = {
  INT8: "int8",
  INT16: "int16",
  INT32: "int32",
  INT64: "int64",
  FLOAT32: "float",
  FLOAT64: "double",
  BOOLEAN: "boolean",
  STRING: "string",
  BYTES: "bytes",
  ARRAY: "array",
  MAP: "map",
  STRUCT: "struct",
};

const SCHEMA_BUILDERS: Record<string, () => SchemaBuilder> = {
  int8: SchemaBuilder.int8,
  int16: SchemaBuilder.int16,
  int32: SchemaBuilder.int32,
  int64: SchemaBuilder.int64,
  float: SchemaBuilder.float32,
  double: SchemaBuilder.float64,
  boolean: SchemaBuilder.bool,
  string: SchemaBuilder.string,
  bytes: SchemaBuilder.bytes,
};

const INT_RANGES = { INT8: [-128, 127], INT16: [-32768, 32767], INT32: [-2147483648, 2147483647] } as const;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Java's text of a double, quoted when Jackson writes it as a string (NaN, infinities). */
function doubleJson(value: number): string {
  return Number.isFinite(value) ? javaDoubleToString(value) : `"${javaDoubleToString(value)}"`;
}

function floatJson(value: number): string {
  const f = Math.fround(value);
  return Number.isFinite(f) ? javaFloatToString(f) : `"${javaFloatToString(f)}"`;
}

function base64(bytes: Uint8Array): string {
  return (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).toString("base64");
}

function isObjectNode(node: JsonNode | undefined): node is { [key: string]: JsonNode } {
  return typeof node === "object" && node !== null && !Array.isArray(node) && !(node instanceof RawNumber);
}

function numberText(node: JsonNode | undefined): string | null {
  if (node instanceof RawNumber) return node.text;
  if (typeof node === "number") return String(node);
  return null;
}

/** The integer a JSON number holds, or null when it is not an integer (Jackson's isIntegralNumber). */
function integralValue(node: JsonNode | undefined): bigint | null {
  if (node instanceof RawNumber) return node.integral ? BigInt(node.text) : null;
  if (typeof node === "number" && Number.isInteger(node)) return BigInt(node);
  return null;
}

export class JsonCodec {
  readonly #decimalFormat: DecimalFormat;
  readonly #replaceNullWithDefault: boolean;

  constructor(options: JsonCodecOptions) {
    this.#decimalFormat = options.decimalFormat;
    this.#replaceNullWithDefault = options.replaceNullWithDefault;
  }

  /** The JSON text of a schema (Kafka's asJsonSchema), keys in Kafka's order. */
  writeSchema(schema: Schema): string {
    return this.#writeSchema(schema, null);
  }

  #writeSchema(schema: Schema, fieldName: string | null): string {
    let out = `{"type":"${TYPE_NAMES[schema.type]}"`;
    switch (schema.type) {
      case "ARRAY":
        out += `,"items":${this.#writeSchema(schema.valueSchema as Schema, null)}`;
        break;
      case "MAP":
        out += `,"keys":${this.#writeSchema(schema.keySchema as Schema, null)},"values":${this.#writeSchema(schema.valueSchema as Schema, null)}`;
        break;
      case "STRUCT":
        out += `,"fields":[${schema.fields.map((f) => this.#writeSchema(f.schema, f.name)).join(",")}]`;
        break;
      default:
        break;
    }
    out += `,"optional":${schema.optional}`;
    if (schema.name !== null) out += `,"name":${jsonString(schema.name)}`;
    if (schema.version !== null) out += `,"version":${schema.version}`;
    if (schema.doc !== null) out += `,"doc":${jsonString(schema.doc)}`;
    if (schema.parameters !== null) {
      out += `,"parameters":{${[...schema.parameters].map(([k, v]) => `${jsonString(k)}:${jsonString(v)}`).join(",")}}`;
    }
    if (schema.defaultValue !== null) out += `,"default":${this.writeValue(schema, schema.defaultValue)}`;
    if (fieldName !== null) out += `,"field":${jsonString(fieldName)}`;
    return `${out}}`;
  }

  /** The schema a JSON schema describes (Kafka's asConnectSchema); null for JSON null. */
  readSchema(node: JsonNode | undefined): Schema | null {
    if (node === null || node === undefined) return null;
    if (!isObjectNode(node)) throw new DataException("Schema must contain 'type' field");
    const type = node.type;
    if (typeof type !== "string") throw new DataException("Schema must contain 'type' field");
    let builder: SchemaBuilder;
    switch (type) {
      case "array": {
        const items = node.items;
        if (items === undefined || items === null) throw new DataException("Array schema did not specify the element type");
        builder = SchemaBuilder.array(this.readSchema(items) as Schema);
        break;
      }
      case "map": {
        const keys = node.keys;
        if (keys === undefined || keys === null) throw new DataException("Map schema did not specify the key type");
        const values = node.values;
        if (values === undefined || values === null) throw new DataException("Map schema did not specify the value type");
        builder = SchemaBuilder.map(this.readSchema(keys) as Schema, this.readSchema(values) as Schema);
        break;
      }
      case "struct": {
        builder = SchemaBuilder.struct();
        const fields = node.fields;
        if (!Array.isArray(fields)) throw new DataException('Struct schema\'s "fields" argument is not an array.');
        for (const field of fields) {
          const name = isObjectNode(field) ? field.field : undefined;
          if (typeof name !== "string") throw new DataException("Struct schema's field name not specified properly");
          builder.field(name, this.readSchema(field) as Schema);
        }
        break;
      }
      default: {
        const make = SCHEMA_BUILDERS[type];
        if (make === undefined) throw new DataException(`Unknown schema type: ${type}`);
        builder = make();
      }
    }
    if (node.optional === true) builder.optional();
    if (typeof node.name === "string") builder.name(node.name);
    const version = numberText(node.version);
    if (version !== null && /^-?\d+$/.test(version) && Math.abs(Number(version)) < 2 ** 31) builder.version(Number(version));
    if (typeof node.doc === "string") builder.doc(node.doc);
    const params = node.parameters;
    if (isObjectNode(params)) {
      for (const [k, v] of Object.entries(params)) {
        if (typeof v !== "string") throw new DataException("Schema parameters must have string values.");
        builder.parameter(k, v);
      }
    }
    const dflt = node.default;
    if (dflt !== undefined && dflt !== null) builder.defaultValue(this.readValue(builder.build(), dflt));
    return builder.build();
  }

  /** The JSON text of a value (Kafka's convertToJson); schema null for schemaless values. */
  writeValue(schema: Schema | null, value: unknown): string {
    if (value === null || value === undefined) {
      if (schema === null) return "null";
      if (schema.defaultValue !== null && this.#replaceNullWithDefault) return this.writeValue(schema, schema.defaultValue);
      if (schema.optional) return "null";
      throw new DataException("Conversion error: null value for field that is required and has no default value");
    }
    if (schema === null) return this.#writeSchemaless(value);
    switch (schema.name) {
      case Decimal.LOGICAL_NAME:
        if (!(value instanceof Decimal)) throw new DataException(`Invalid type for Decimal, expected Decimal but was ${describeValue(value)}`);
        return this.#decimalFormat === "NUMERIC" ? value.toString() : `"${Decimal.fromLogical(schema, value).toString("base64")}"`;
      case ConnectDate.LOGICAL_NAME:
        if (!(value instanceof Date)) throw new DataException(`Invalid type for Date, expected Date but was ${describeValue(value)}`);
        return String(ConnectDate.fromLogical(schema, value));
      case ConnectTime.LOGICAL_NAME:
        if (!(value instanceof Date)) throw new DataException(`Invalid type for Time, expected Date but was ${describeValue(value)}`);
        return String(ConnectTime.fromLogical(schema, value));
      case ConnectTimestamp.LOGICAL_NAME:
        if (!(value instanceof Date)) throw new DataException(`Invalid type for Timestamp, expected Date but was ${describeValue(value)}`);
        return String(ConnectTimestamp.fromLogical(schema, value));
      default:
        break;
    }
    const type = schema.type;
    switch (type) {
      case "INT8":
      case "INT16":
      case "INT32": {
        const [min, max] = INT_RANGES[type];
        if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) throw invalidType(type, value);
        return String(value);
      }
      case "INT64":
        if (typeof value !== "bigint" || value < INT64_MIN || value > INT64_MAX) throw invalidType(type, value);
        return String(value);
      case "FLOAT32":
        if (typeof value !== "number") throw invalidType(type, value);
        return floatJson(value);
      case "FLOAT64":
        if (typeof value !== "number") throw invalidType(type, value);
        return doubleJson(value);
      case "BOOLEAN":
        if (typeof value !== "boolean") throw invalidType(type, value);
        return value ? "true" : "false";
      case "STRING":
        if (typeof value !== "string") throw invalidType(type, value);
        return jsonString(value);
      case "BYTES":
        if (!(value instanceof Uint8Array)) throw new DataException(`Invalid type for bytes type: ${describeValue(value)}`);
        return `"${base64(value)}"`;
      case "ARRAY": {
        if (!Array.isArray(value)) throw invalidType(type, value);
        const element = schema.valueSchema as Schema;
        let out = "[";
        for (let i = 0; i < value.length; i++) out += (i === 0 ? "" : ",") + this.writeValue(element, value[i]);
        return `${out}]`;
      }
      case "MAP": {
        const entries = value instanceof Map ? value.entries() : isPlainObject(value) ? Object.entries(value) : null;
        if (entries === null) throw invalidType(type, value);
        return this.#writeMap(schema.keySchema as Schema, schema.valueSchema as Schema, entries, (schema.keySchema as Schema).type === "STRING");
      }
      case "STRUCT": {
        if (!(value instanceof Struct)) throw invalidType(type, value);
        if (value.schema !== schema && !schemaEquals(value.schema, schema)) throw new DataException("Mismatching schema.");
        let out = "{";
        let first = true;
        for (const field of schema.fields) {
          out += `${first ? "" : ","}${jsonString(field.name)}:${this.writeValue(field.schema, value.getWithoutDefault(field))}`;
          first = false;
        }
        return `${out}}`;
      }
    }
  }

  #writeMap(keySchema: Schema | null, valueSchema: Schema | null, entries: Iterable<[unknown, unknown]>, objectMode: boolean): string {
    let out = objectMode ? "{" : "[";
    let first = true;
    for (const [k, v] of entries) {
      const item = this.writeValue(valueSchema, v);
      if (objectMode) {
        // Kafka writes the key's JSON node as text: a string as is, other keys as their JSON.
        const key = typeof k === "string" ? k : this.writeValue(keySchema, k);
        out += `${first ? "" : ","}${jsonString(key)}:${item}`;
      } else {
        out += `${first ? "" : ","}[${this.writeValue(keySchema, k)},${item}]`;
      }
      first = false;
    }
    return out + (objectMode ? "}" : "]");
  }

  #writeSchemaless(value: unknown): string {
    switch (typeof value) {
      case "string":
        return jsonString(value);
      case "boolean":
        return value ? "true" : "false";
      case "bigint":
        return String(value);
      case "number":
        // JavaScript has one number type: integers are written as integers (Java Integer/Long),
        // the others as Java doubles.
        return Number.isSafeInteger(value) ? String(value) : doubleJson(value);
      default:
        break;
    }
    if (value instanceof Uint8Array) return `"${base64(value)}"`;
    if (Array.isArray(value)) {
      let out = "[";
      for (let i = 0; i < value.length; i++) out += (i === 0 ? "" : ",") + this.writeValue(null, value[i]);
      return `${out}]`;
    }
    if (value instanceof Map) {
      let allStrings = true;
      for (const k of value.keys()) {
        if (typeof k !== "string") {
          allStrings = false;
          break;
        }
      }
      return this.#writeMap(null, null, value.entries(), allStrings);
    }
    if (isPlainObject(value)) return this.#writeMap(null, null, Object.entries(value), true);
    if (value instanceof Struct) throw new DataException("Mismatching schema.");
    throw new DataException(`${describeValue(value)} does not have corresponding schema type.`);
  }

  /** The Connect value of a JSON value (Kafka's convertToConnect); schema null for schemaless. */
  readValue(schema: Schema | null, node: JsonNode | undefined): unknown {
    if (schema === null) return this.#readSchemaless(node);
    if (node === null || node === undefined) {
      if (schema.defaultValue !== null && this.#replaceNullWithDefault) return schema.defaultValue;
      if (schema.optional) return null;
      throw new DataException(`Invalid null value for required ${schema.type} field`);
    }
    switch (schema.name) {
      case Decimal.LOGICAL_NAME: {
        const text = numberText(node);
        if (text !== null) return Decimal.parse(text);
        if (typeof node === "string") {
          const bytes = decodeBase64Strict(node);
          if (bytes === null || bytes.length === 0) throw new DataException("Invalid bytes for Decimal field");
          return Decimal.toLogical(schema, bytes);
        }
        throw new DataException(`Invalid type for Decimal, underlying representation should be numeric or bytes but was ${jsonNodeType(node)}`);
      }
      case ConnectDate.LOGICAL_NAME: {
        const days = integralValue(node);
        if (days === null || days < -2147483648n || days > 2147483647n) throw new DataException(`Invalid type for Date, underlying representation should be integer but was ${jsonNodeType(node)}`);
        return ConnectDate.toLogical(schema, Number(days));
      }
      case ConnectTime.LOGICAL_NAME: {
        const ms = integralValue(node);
        if (ms === null || ms < -2147483648n || ms > 2147483647n) throw new DataException(`Invalid type for Time, underlying representation should be integer but was ${jsonNodeType(node)}`);
        return ConnectTime.toLogical(schema, Number(ms));
      }
      case ConnectTimestamp.LOGICAL_NAME: {
        const ms = integralValue(node);
        if (ms === null) throw new DataException(`Invalid type for Timestamp, underlying representation should be integral but was ${jsonNodeType(node)}`);
        return ConnectTimestamp.toLogical(schema, ms);
      }
      default:
        break;
    }
    const type = schema.type;
    switch (type) {
      case "BOOLEAN":
        if (typeof node !== "boolean") throw invalidJson(type, node);
        return node;
      case "INT8":
      case "INT16":
      case "INT32": {
        const n = integralValue(node);
        const [min, max] = INT_RANGES[type];
        if (n === null || n < BigInt(min) || n > BigInt(max)) throw invalidJson(type, node);
        return Number(n);
      }
      case "INT64": {
        const n = integralValue(node);
        if (n === null || n < INT64_MIN || n > INT64_MAX) throw invalidJson(type, node);
        return n;
      }
      case "FLOAT32":
        return Math.fround(readDouble(type, node));
      case "FLOAT64":
        return readDouble(type, node);
      case "STRING":
        if (typeof node !== "string") throw invalidJson(type, node);
        return node;
      case "BYTES": {
        const bytes = typeof node === "string" ? decodeBase64Strict(node) : null;
        if (bytes === null) throw new DataException("Invalid bytes field");
        return bytes;
      }
      case "ARRAY": {
        if (!Array.isArray(node)) throw invalidJson(type, node);
        const element = schema.valueSchema as Schema;
        return node.map((e) => this.readValue(element, e));
      }
      case "MAP": {
        const keySchema = schema.keySchema as Schema;
        const valueSchema = schema.valueSchema as Schema;
        const map = new Map<unknown, unknown>();
        if (keySchema.type === "STRING") {
          if (!isObjectNode(node)) throw new DataException(`Maps with string fields should be encoded as JSON objects, but found ${jsonNodeType(node)}`);
          for (const [k, v] of Object.entries(node)) map.set(k, this.readValue(valueSchema, v));
          return map;
        }
        if (!Array.isArray(node)) throw new DataException(`Maps with non-string fields should be encoded as JSON array of tuples, but found ${jsonNodeType(node)}`);
        for (const entry of node) {
          if (!Array.isArray(entry)) throw new DataException(`Found invalid map entry instead of array tuple: ${jsonNodeType(entry)}`);
          if (entry.length !== 2) throw new DataException(`Found invalid map entry, expected length 2 but found :${entry.length}`);
          map.set(this.readValue(keySchema, entry[0]), this.readValue(valueSchema, entry[1]));
        }
        return map;
      }
      case "STRUCT": {
        if (!isObjectNode(node)) throw new DataException(`Structs should be encoded as JSON objects, but found ${jsonNodeType(node)}`);
        const struct = new Struct(schema);
        for (const field of schema.fields) struct.put(field, this.readValue(field.schema, node[field.name]));
        return struct;
      }
    }
  }

  /**
   * Schemaless JSON: null, booleans, strings, numbers (integers past 2^53 as bigints when the
   * parse kept their text), arrays and plain objects. A fast parse is already in this form.
   */
  #readSchemaless(node: JsonNode | undefined): unknown {
    if (node === undefined || node === null || typeof node !== "object") return node ?? null;
    if (node instanceof RawNumber) {
      if (!node.integral) return Number(node.text);
      const n = Number(node.text);
      return Number.isSafeInteger(n) ? n : BigInt(node.text);
    }
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) node[i] = this.#readSchemaless(node[i]) as JsonNode;
      return node;
    }
    // In place: the parsed object is ours, and assigning an own "__proto__" key is safe.
    for (const k of Object.keys(node)) node[k] = this.#readSchemaless(node[k]) as JsonNode;
    return node;
  }
}

function readDouble(type: string, node: JsonNode): number {
  // Kafka reads JSON numbers as BigDecimals, which have no negative zero: -0.0 reads as 0.0.
  if (typeof node === "number") return node === 0 ? 0 : node;
  if (node instanceof RawNumber) {
    const n = Number(node.text);
    return n === 0 ? 0 : n;
  }
  // Jackson writes NaN and the infinities as strings; read them back as what they stand for.
  if (node === "NaN") return Number.NaN;
  if (node === "Infinity") return Number.POSITIVE_INFINITY;
  if (node === "-Infinity") return Number.NEGATIVE_INFINITY;
  throw invalidJson(type, node);
}

function invalidType(type: string, value: unknown): DataException {
  return new DataException(`Invalid type for ${type}: ${describeValue(value)}`);
}

function invalidJson(type: string, node: JsonNode | undefined): DataException {
  return new DataException(`Invalid value for a ${type} field: JSON ${jsonNodeType(node)}${typeof node === "number" || node instanceof RawNumber ? " out of range or not an integer" : ""}`);
}

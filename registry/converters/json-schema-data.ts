// Connect data <-> JSON Schema and JSON, as Confluent's JsonSchemaData (io.confluent.connect.json)
// maps them:
//
//   INT8..INT64        {"type":"integer","connect.type":"int8".."int64"}
//   FLOAT32, FLOAT64   {"type":"number","connect.type":"float32"/"float64"}
//   BOOLEAN, STRING    {"type":"boolean"}, {"type":"string"}
//   BYTES              {"type":"string","connect.type":"bytes"} (base64); Decimal: {"type":"number","connect.type":"bytes"}
//   ARRAY              {"type":"array","items":...}
//   MAP, string keys   {"type":"object","additionalProperties":...,"connect.type":"map"}
//   MAP, other keys    {"type":"array","items":{"type":"object","properties":{"key":...,"value":...}},"connect.type":"map"}
//   STRUCT             {"type":"object","properties":{...}}, each property with "connect.index" (its position)
//   optional           {"oneOf":[{"type":"null"},<the schema>]}
//   name, doc, version, parameters, default   "title", "description", "connect.version", "connect.parameters", "default"
//
// Reading a schema written elsewhere: "integer" without connect.type is INT64, "number" FLOAT64,
// oneOf/anyOf of null and one schema is optional, other oneOf/anyOf a STRUCT named
// io.confluent.connect.json.OneOf, "enum" a STRING remembering its symbols, "type": [...] a
// union of those types, $ref to #/definitions, #/$defs or a referenced schema is followed.
// Decimals are written as base64 of their unscaled bytes (decimal.format=BASE64, the default)
// or as JSON numbers (NUMERIC).
import {
  ConnectDate,
  ConnectTime,
  ConnectTimestamp,
  DataException,
  Decimal,
  javaDoubleToString,
  javaFloatToString,
  Schema,
  SchemaBuilder,
  schemaEquals,
  Struct,
} from "../../connect/api/index.ts";
import { decodeBase64Strict } from "../../connect/converters/json-text.ts";
import { isJsonObject, type JsonObject, type JsonValue, jsonNumber, parseJsonExact, RawNumber } from "../serde/json.ts";
import { nonOptional } from "./schema-copy.ts";

export const NAMESPACE = "io.confluent.connect.json";
export const KEY_FIELD = "key";
export const VALUE_FIELD = "value";
export const CONNECT_TYPE_PROP = "connect.type";
export const CONNECT_VERSION_PROP = "connect.version";
export const CONNECT_PARAMETERS_PROP = "connect.parameters";
export const CONNECT_INDEX_PROP = "connect.index";
export const JSON_TYPE_ENUM = `${NAMESPACE}.Enum`;
export const JSON_TYPE_ONE_OF = `${NAMESPACE}.OneOf`;
const NULL_MARKER = "<NULL>";

const DECIMAL_NAME = Decimal.LOGICAL_NAME;

export type DecimalFormat = "BASE64" | "NUMERIC";

export interface JsonSchemaDataConfig {
  /** object.additional.properties (default true): false writes "additionalProperties": false on structs. */
  readonly allowAdditionalProperties: boolean;
  /** use.optional.for.nonrequired (default false): properties not in "required" read as optional. */
  readonly useOptionalForNonRequired: boolean;
  /** decimal.format (default BASE64). */
  readonly decimalFormat: DecimalFormat;
  /** ignore.default.for.nullables (default false). */
  readonly ignoreDefaultForNullables: boolean;
}

export const DEFAULT_JSON_SCHEMA_DATA_CONFIG: JsonSchemaDataConfig = {
  allowAdditionalProperties: true,
  useOptionalForNonRequired: false,
  decimalFormat: "BASE64",
  ignoreDefaultForNullables: false,
};

function isUnionSchema(schema: Schema): boolean {
  return schema.type === "STRUCT" && schema.name === JSON_TYPE_ONE_OF;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value !== "object") return typeof value;
  return (value as { constructor?: { name?: string } }).constructor?.name ?? "object";
}

function jsonType(value: JsonValue | undefined): string {
  if (value === undefined) return "MISSING";
  if (value === null) return "NULL";
  if (value instanceof RawNumber) return "NUMBER";
  if (Array.isArray(value)) return "ARRAY";
  switch (typeof value) {
    case "boolean":
      return "BOOLEAN";
    case "string":
      return "STRING";
    default:
      return "OBJECT";
  }
}

/** The schemas a document's $refs may point to: the document itself, and referenced documents by name. */
interface RefContext {
  readonly root: JsonValue;
  readonly references: ReadonlyMap<string, JsonValue>;
  /** Schemas being converted: meeting one again is a recursive schema. */
  readonly inProgress: Set<JsonValue>;
}

function pointer(doc: JsonValue, fragment: string): JsonValue | undefined {
  if (fragment === "" || fragment === "/") return doc;
  let node: JsonValue | undefined = doc;
  for (const raw of fragment.replace(/^\//, "").split("/")) {
    const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(node)) node = node[Number(key)];
    else if (isJsonObject(node)) node = node[key];
    else return undefined;
  }
  return node;
}

function resolveRef(ref: string, ctx: RefContext): JsonValue {
  const hash = ref.indexOf("#");
  const base = hash < 0 ? ref : ref.slice(0, hash);
  const fragment = hash < 0 ? "" : ref.slice(hash + 1);
  let doc: JsonValue | undefined = ctx.root;
  if (base !== "") {
    doc = ctx.references.get(base) ?? ctx.references.get(ref);
    if (doc === undefined) {
      // A reference registered under the file name of the URL ("https://x/y/address.json" -> "address.json").
      const tail = base.split("/").pop() ?? base;
      doc = [...ctx.references].find(([name]) => name === tail || name.endsWith(`/${tail}`))?.[1];
    }
  }
  const found = doc === undefined ? undefined : pointer(doc, fragment);
  if (found === undefined) throw new DataException(`Cannot resolve JSON Schema $ref "${ref}"`);
  return found;
}

export class JsonSchemaData {
  readonly config: JsonSchemaDataConfig;
  readonly #fromConnectCache = new WeakMap<Schema, JsonObject>();

  constructor(config: Partial<JsonSchemaDataConfig> = {}) {
    this.config = { ...DEFAULT_JSON_SCHEMA_DATA_CONFIG, ...config };
  }

  // -------------------------------------------------------------------------------------------
  // Connect schema -> JSON Schema

  /** The JSON Schema document of a Connect schema (null schema: none). */
  fromConnectSchema(schema: Schema | null): JsonObject | null {
    if (schema === null) return null;
    let found = this.#fromConnectCache.get(schema);
    if (found === undefined) {
      found = this.#raw(schema, null, false);
      this.#fromConnectCache.set(schema, found);
    }
    return found;
  }

  #raw(schema: Schema, index: number | null, ignoreOptional: boolean): JsonObject {
    // Key order as Confluent's printed schemas have it: "type", "title", "description",
    // "default", the type's own keywords, then the connect.* annotations.
    const head: JsonObject = {};
    const body: JsonObject = {};
    const annotations: JsonObject = {};
    let combined: JsonValue[] | null = null;
    const params = schema.parameters;
    switch (schema.type) {
      case "INT8":
      case "INT16":
      case "INT32":
      case "INT64":
        head.type = "integer";
        annotations[CONNECT_TYPE_PROP] = schema.type.toLowerCase();
        break;
      case "FLOAT32":
      case "FLOAT64":
        head.type = "number";
        annotations[CONNECT_TYPE_PROP] = schema.type.toLowerCase();
        break;
      case "BOOLEAN":
        head.type = "boolean";
        break;
      case "STRING":
        if (params?.has(JSON_TYPE_ENUM)) {
          const symbols: JsonValue[] = [];
          for (const key of params.keys()) {
            if (!key.startsWith(`${JSON_TYPE_ENUM}.`)) continue;
            const symbol = key.slice(JSON_TYPE_ENUM.length + 1);
            symbols.push(symbol === NULL_MARKER ? null : symbol);
          }
          body.enum = symbols;
        } else {
          head.type = "string";
        }
        break;
      case "BYTES":
        head.type = schema.name === DECIMAL_NAME ? "number" : "string";
        annotations[CONNECT_TYPE_PROP] = "bytes";
        break;
      case "ARRAY":
        head.type = "array";
        body.items = this.#raw(schema.valueSchema as Schema, null, false);
        break;
      case "MAP": {
        const keySchema = schema.keySchema as Schema;
        if (keySchema.type === "STRING" && !keySchema.optional) {
          head.type = "object";
          body.additionalProperties = this.#raw(schema.valueSchema as Schema, null, false);
        } else {
          head.type = "array";
          body.items = { type: "object", properties: { [KEY_FIELD]: this.#raw(keySchema, 0, false), [VALUE_FIELD]: this.#raw(schema.valueSchema as Schema, 1, false) } };
        }
        annotations[CONNECT_TYPE_PROP] = "map";
        break;
      }
      case "STRUCT":
        if (isUnionSchema(schema)) {
          combined = schema.optional ? [{ type: "null" }] : [];
          for (const field of schema.fields) combined.push(this.#raw(nonOptional(field.schema), field.index, true));
        } else if (schema.optional) {
          combined = [{ type: "null" }, this.#raw(nonOptional(schema), null, false)];
        } else {
          head.type = "object";
          const properties: JsonObject = {};
          for (const field of schema.fields) properties[field.name] = this.#raw(field.schema, field.index, false);
          body.properties = properties;
          if (!this.config.allowAdditionalProperties) body.additionalProperties = false;
        }
        break;
    }

    if (combined !== null) {
      const out: JsonObject = {};
      if (index !== null) out[CONNECT_INDEX_PROP] = jsonNumber(index);
      out.oneOf = combined;
      return out;
    }

    if (schema.name !== null) head.title = schema.name;
    if (schema.doc !== null) head.description = schema.doc;
    if (schema.defaultValue !== null) {
      const def = this.fromConnectData(schema, schema.defaultValue);
      if (def !== undefined) head.default = def;
    }
    if (schema.version !== null) annotations[CONNECT_VERSION_PROP] = jsonNumber(schema.version);
    if (params !== null) {
      const kept: JsonObject = {};
      for (const [k, v] of params) if (!k.startsWith(NAMESPACE)) kept[k] = v;
      if (Object.keys(kept).length > 0) annotations[CONNECT_PARAMETERS_PROP] = kept;
    }
    const ordered = (withIndex: boolean): JsonObject => {
      const out: JsonObject = { ...head, ...body };
      if (CONNECT_VERSION_PROP in annotations) out[CONNECT_VERSION_PROP] = annotations[CONNECT_VERSION_PROP] as JsonValue;
      if (withIndex && index !== null) out[CONNECT_INDEX_PROP] = jsonNumber(index);
      if (CONNECT_TYPE_PROP in annotations) out[CONNECT_TYPE_PROP] = annotations[CONNECT_TYPE_PROP] as JsonValue;
      if (CONNECT_PARAMETERS_PROP in annotations) out[CONNECT_PARAMETERS_PROP] = annotations[CONNECT_PARAMETERS_PROP] as JsonValue;
      return out;
    };
    if (schema.optional && !ignoreOptional) {
      const out: JsonObject = {};
      if (index !== null) out[CONNECT_INDEX_PROP] = jsonNumber(index);
      out.oneOf = [{ type: "null" }, ordered(false)];
      return out;
    }
    return ordered(true);
  }

  // -------------------------------------------------------------------------------------------
  // Connect value -> JSON

  /**
   * The JSON of a Connect value (Confluent's JsonSchemaData.fromConnectData). undefined for a
   * null required value without a default (the property is left out).
   */
  fromConnectData(schema: Schema | null, value: unknown): JsonValue | undefined {
    if (value === null || value === undefined) {
      if (schema === null) return null;
      if (schema.defaultValue !== null && !this.config.ignoreDefaultForNullables) return this.fromConnectData(schema, schema.defaultValue);
      if (schema.optional) return null;
      return undefined;
    }
    if (schema !== null) {
      switch (schema.name) {
        case DECIMAL_NAME: {
          if (!(value instanceof Decimal)) throw new DataException(`Invalid type for Decimal, expected Decimal but was ${describe(value)}`);
          if (this.config.decimalFormat === "NUMERIC") return new RawNumber(value.toString());
          return Decimal.fromLogical(schema, value).toString("base64");
        }
        case ConnectDate.LOGICAL_NAME:
          if (!(value instanceof Date)) throw new DataException(`Invalid type for Date, expected Date but was ${describe(value)}`);
          return jsonNumber(ConnectDate.fromLogical(schema, value));
        case ConnectTime.LOGICAL_NAME:
          if (!(value instanceof Date)) throw new DataException(`Invalid type for Time, expected Date but was ${describe(value)}`);
          return jsonNumber(ConnectTime.fromLogical(schema, value));
        case ConnectTimestamp.LOGICAL_NAME:
          if (!(value instanceof Date)) throw new DataException(`Invalid type for Timestamp, expected Date but was ${describe(value)}`);
          return jsonNumber(ConnectTimestamp.fromLogical(schema, value));
      }
    }
    const type = schema?.type ?? schemalessType(value);
    const invalid = () => new DataException(`Invalid type for ${schema?.type ?? "unknown schema"}: ${describe(value)}`);
    switch (type) {
      case "INT8":
      case "INT16":
      case "INT32":
        if (typeof value !== "number" || !Number.isInteger(value)) throw invalid();
        return jsonNumber(value);
      case "INT64":
        if (typeof value === "bigint") return jsonNumber(value);
        if (typeof value === "number" && Number.isInteger(value)) return jsonNumber(value);
        throw invalid();
      case "FLOAT32":
      case "FLOAT64": {
        if (typeof value !== "number") throw invalid();
        if (!Number.isFinite(value)) throw new DataException(`Cannot write ${value} as JSON`);
        if (schema === null) return new RawNumber(Number.isInteger(value) ? String(value) : javaDoubleToString(value));
        return new RawNumber(type === "FLOAT32" ? javaFloatToString(value) : javaDoubleToString(value));
      }
      case "BOOLEAN":
        if (typeof value !== "boolean") throw invalid();
        return value;
      case "STRING":
        if (typeof value !== "string") throw invalid();
        return value;
      case "BYTES":
        if (!(value instanceof Uint8Array)) throw invalid();
        return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64");
      case "ARRAY": {
        if (!Array.isArray(value)) throw invalid();
        const items = schema?.valueSchema ?? null;
        return value.map((e) => this.fromConnectData(items, e) ?? null);
      }
      case "MAP": {
        const map = asMap(value);
        if (map === null) throw invalid();
        const keySchema = schema?.keySchema ?? null;
        const valueSchema = schema?.valueSchema ?? null;
        const objectMode = keySchema === null ? [...map.keys()].every((k) => typeof k === "string") : keySchema.type === "STRING" && !keySchema.optional;
        if (objectMode) {
          const out: JsonObject = {};
          for (const [k, v] of map) out[String(k)] = this.fromConnectData(valueSchema, v) ?? null;
          return out;
        }
        return [...map].map(([k, v]): JsonObject => ({ [KEY_FIELD]: this.fromConnectData(keySchema, k) ?? null, [VALUE_FIELD]: this.fromConnectData(valueSchema, v) ?? null }));
      }
      case "STRUCT": {
        if (!(value instanceof Struct) || schema === null) throw invalid();
        if (value.schema !== schema && !schemaEquals(value.schema, schema)) throw new DataException("Mismatching schema.");
        const get = (name: string) => (this.config.ignoreDefaultForNullables ? value.getWithoutDefault(name) : value.get(name));
        if (isUnionSchema(schema)) {
          for (const field of schema.fields) {
            const v = get(field.name);
            if (v !== null && v !== undefined) return this.fromConnectData(field.schema, v);
          }
          return schema.optional ? null : undefined;
        }
        const out: JsonObject = {};
        for (const field of schema.fields) {
          const json = this.fromConnectData(field.schema, get(field.name));
          if (json !== undefined) out[field.name] = json;
        }
        return out;
      }
    }
    throw new DataException("Couldn't convert value to JSON.");
  }

  // -------------------------------------------------------------------------------------------
  // JSON Schema -> Connect schema

  /**
   * The Connect schema of a JSON Schema document; `references` are referenced documents by
   * reference name; `version` (the registry's) is the schema's version unless it has connect.version.
   */
  toConnectSchema(document: JsonValue, references: ReadonlyMap<string, JsonValue> = new Map(), version: number | null = null): Schema {
    return this.#toConnect(document, { root: document, references, inProgress: new Set() }, version, false);
  }

  #toConnect(json: JsonValue, ctx: RefContext, version: number | null, forceOptional: boolean): Schema {
    if (!isJsonObject(json)) throw new DataException(`Unsupported JSON schema: ${JSON.stringify(json)}`);
    if (ctx.inProgress.has(json)) throw new DataException("Recursive JSON schemas are not supported");
    ctx.inProgress.add(json);
    try {
      return this.#toConnectObject(json, ctx, version, forceOptional);
    } finally {
      ctx.inProgress.delete(json);
    }
  }

  #toConnectObject(json: JsonObject, ctx: RefContext, version: number | null, forceOptional: boolean): Schema {
    if (typeof json.$ref === "string") {
      const target = resolveRef(json.$ref, ctx);
      // A referenced document's own $refs are relative to it.
      const refCtx = json.$ref.startsWith("#") ? ctx : { ...ctx, root: resolveRef(json.$ref.split("#")[0] as string, ctx) };
      return this.#toConnect(target, refCtx, version, forceOptional);
    }
    const annotations = json;
    const connectType = typeof annotations[CONNECT_TYPE_PROP] === "string" ? (annotations[CONNECT_TYPE_PROP] as string) : null;
    let builder: SchemaBuilder;
    const combinedKey = Array.isArray(json.oneOf) ? "oneOf" : Array.isArray(json.anyOf) ? "anyOf" : null;
    const types = Array.isArray(json.type) ? (json.type as JsonValue[]).filter((t): t is string => typeof t === "string") : null;
    if (combinedKey !== null || (types !== null && types.length > 1)) {
      const members: JsonValue[] = combinedKey !== null ? (json[combinedKey] as JsonValue[]) : (types as string[]).map((t) => ({ ...json, type: t }));
      const isNull = (m: JsonValue) => isJsonObject(m) && m.type === "null";
      if (members.length === 2 && members.some(isNull)) {
        return this.#toConnect(members.find((m) => !isNull(m)) as JsonValue, ctx, version, true);
      }
      builder = SchemaBuilder.struct().name(JSON_TYPE_ONE_OF);
      let index = 0;
      for (const member of members) {
        if (isNull(member)) {
          builder.optional();
          continue;
        }
        builder.field(`${JSON_TYPE_ONE_OF}.field.${index++}`, this.#toConnect(member, ctx, null, true));
      }
    } else if (Array.isArray(json.allOf)) {
      return this.#allOf(json, ctx, version, forceOptional);
    } else if (Array.isArray(json.enum)) {
      builder = SchemaBuilder.string().parameter(JSON_TYPE_ENUM, "");
      for (const symbol of json.enum) {
        const text = symbol === null ? NULL_MARKER : symbol instanceof RawNumber ? symbol.text : typeof symbol === "string" ? symbol : JSON.stringify(symbol);
        builder.parameter(`${JSON_TYPE_ENUM}.${text}`, text);
      }
    } else {
      const type = types?.[0] ?? (typeof json.type === "string" ? json.type : impliedType(json));
      switch (type) {
        case "boolean":
          builder = SchemaBuilder.bool();
          break;
        case "integer":
        case "number":
          switch (connectType) {
            case null:
              builder = type === "integer" ? SchemaBuilder.int64() : SchemaBuilder.float64();
              break;
            case "int8":
              builder = SchemaBuilder.int8();
              break;
            case "int16":
              builder = SchemaBuilder.int16();
              break;
            case "int32":
              builder = SchemaBuilder.int32();
              break;
            case "int64":
              builder = SchemaBuilder.int64();
              break;
            case "float32":
              builder = SchemaBuilder.float32();
              break;
            case "float64":
              builder = SchemaBuilder.float64();
              break;
            case "bytes":
              builder = SchemaBuilder.bytes();
              break;
            default:
              throw new DataException(`Unsupported type ${connectType}`);
          }
          break;
        case "string":
          builder = connectType === "bytes" ? SchemaBuilder.bytes() : SchemaBuilder.string();
          break;
        case "array": {
          const items = json.items;
          if (!isJsonObject(items)) throw new DataException("Array schema did not specify the items type");
          const itemSchema = isJsonObject(items) && typeof items.$ref === "string" ? resolveRef(items.$ref, ctx) : items;
          if (connectType === "map" && isJsonObject(itemSchema) && isJsonObject(itemSchema.properties)) {
            const props = itemSchema.properties;
            builder = SchemaBuilder.map(this.#toConnect(props[KEY_FIELD] ?? {}, ctx, null, false), this.#toConnect(props[VALUE_FIELD] ?? {}, ctx, null, false));
          } else {
            builder = SchemaBuilder.array(this.#toConnect(items, ctx, null, false));
          }
          break;
        }
        case "object":
          if (connectType === "map") {
            const values = json.additionalProperties;
            if (!isJsonObject(values)) throw new DataException("Map schema did not specify the values type (additionalProperties)");
            builder = SchemaBuilder.map(Schema.STRING_SCHEMA, this.#toConnect(values, ctx, null, false));
          } else {
            builder = SchemaBuilder.struct();
            const properties = isJsonObject(json.properties) ? json.properties : {};
            const required = new Set(Array.isArray(json.required) ? json.required.filter((r): r is string => typeof r === "string") : []);
            const ordered = Object.entries(properties).map(([name, sub], i) => {
              const idx = isJsonObject(sub) && sub[CONNECT_INDEX_PROP] instanceof RawNumber ? Number((sub[CONNECT_INDEX_PROP] as RawNumber).text) : Number.NaN;
              return { name, sub, order: Number.isNaN(idx) ? i : idx, position: i };
            });
            ordered.sort((a, b) => a.order - b.order || a.position - b.position);
            for (const { name, sub } of ordered) {
              const optional = this.config.useOptionalForNonRequired && !required.has(name);
              builder.field(name, this.#toConnect(sub, ctx, null, optional));
            }
          }
          break;
        case "null":
          throw new DataException("Unsupported schema type NullSchema: a standalone null schema");
        default:
          throw new DataException(`Unsupported JSON schema: ${JSON.stringify(json).slice(0, 200)}`);
      }
    }

    if (typeof json.title === "string" && builder.build().name === null) builder.name(json.title);
    const connectVersion = json[CONNECT_VERSION_PROP];
    if (connectVersion instanceof RawNumber) builder.version(Number(connectVersion.text));
    else if (version !== null && builder.build().version === null) builder.version(version);
    if (typeof json.description === "string") builder.doc(json.description);
    const parameters = json[CONNECT_PARAMETERS_PROP];
    if (isJsonObject(parameters)) for (const [k, v] of Object.entries(parameters)) if (typeof v === "string") builder.parameter(k, v);
    if (json.default !== undefined) {
      const def = this.toConnectData(builder.build(), json.default);
      if (def !== null) builder.defaultValue(def);
    }
    if (forceOptional) builder.optional();
    return builder.build();
  }

  /** allOf: the properties of its members merged into one struct, or the one typed member (Confluent's allOfToConnectSchema). */
  #allOf(json: JsonObject, ctx: RefContext, version: number | null, forceOptional: boolean): Schema {
    const members = (json.allOf as JsonValue[]).map((m) => (isJsonObject(m) && typeof m.$ref === "string" ? resolveRef(m.$ref, ctx) : m));
    const properties: JsonObject = {};
    const required: JsonValue[] = [];
    for (const m of members) {
      if (!isJsonObject(m)) continue;
      if (isJsonObject(m.properties)) Object.assign(properties, m.properties);
      if (Array.isArray(m.required)) required.push(...m.required);
    }
    if (Object.keys(properties).length > 0) {
      const { allOf: _allOf, ...rest } = json;
      return this.#toConnect({ ...rest, type: "object", properties, required }, ctx, version, forceOptional);
    }
    const typed = members.find((m) => isJsonObject(m) && (Array.isArray(m.enum) || m.type === "number" || m.type === "integer" || m.type === "string"));
    if (typed === undefined) throw new DataException(`Unsupported criterion allOf for ${JSON.stringify(json).slice(0, 200)}`);
    return this.#toConnect(typed, ctx, version, forceOptional);
  }

  // -------------------------------------------------------------------------------------------
  // JSON -> Connect value

  /** The Connect value of JSON read with the schema (Confluent's JsonSchemaData.toConnectData). */
  toConnectData(schema: Schema | null, json: JsonValue | undefined): unknown {
    if (schema === null) return schemalessValue(json);
    if (json === undefined || json === null) {
      if (schema.defaultValue !== null) return schema.defaultValue;
      if (json === undefined || schema.optional) return null;
      throw new DataException(`Invalid null value for required ${schema.type} field`);
    }
    switch (schema.name) {
      case DECIMAL_NAME:
        if (json instanceof RawNumber) return Decimal.parse(json.text);
        if (typeof json === "string") {
          const bytes = decodeBase64Strict(json);
          if (bytes === null) throw new DataException("Invalid bytes for Decimal field");
          return Decimal.toLogical(schema, bytes);
        }
        throw new DataException(`Invalid type for Decimal, underlying representation should be numeric or bytes but was ${jsonType(json)}`);
      case ConnectDate.LOGICAL_NAME:
        if (!(json instanceof RawNumber) || !json.integral) throw new DataException(`Invalid type for Date, underlying representation should be integer but was ${jsonType(json)}`);
        return ConnectDate.toLogical(schema, Number(json.text));
      case ConnectTime.LOGICAL_NAME:
        if (!(json instanceof RawNumber) || !json.integral) throw new DataException(`Invalid type for Time, underlying representation should be integer but was ${jsonType(json)}`);
        return ConnectTime.toLogical(schema, Number(json.text));
      case ConnectTimestamp.LOGICAL_NAME:
        if (!(json instanceof RawNumber) || !json.integral) throw new DataException(`Invalid type for Timestamp, underlying representation should be integral but was ${jsonType(json)}`);
        return ConnectTimestamp.toLogical(schema, BigInt(json.text));
    }
    const expected = (what: string) => new DataException(`Expected ${what} for a ${schema.type} value but found ${jsonType(json)}`);
    switch (schema.type) {
      case "INT8":
      case "INT16":
      case "INT32":
        if (!(json instanceof RawNumber)) throw expected("a JSON number");
        return Math.trunc(Number(json.text));
      case "INT64":
        if (!(json instanceof RawNumber)) throw expected("a JSON number");
        return json.integral ? BigInt(json.text) : BigInt(Math.trunc(Number(json.text)));
      case "FLOAT32":
        if (!(json instanceof RawNumber)) throw expected("a JSON number");
        return Math.fround(Number(json.text));
      case "FLOAT64":
        if (!(json instanceof RawNumber)) throw expected("a JSON number");
        return Number(json.text);
      case "BOOLEAN":
        if (typeof json !== "boolean") throw expected("a JSON boolean");
        return json;
      case "STRING":
        if (typeof json !== "string") throw expected("a JSON string");
        return json;
      case "BYTES": {
        if (typeof json !== "string") throw expected("a base64 JSON string");
        const bytes = decodeBase64Strict(json);
        if (bytes === null) throw new DataException("Invalid bytes field: not base64");
        return bytes;
      }
      case "ARRAY":
        if (!Array.isArray(json)) throw expected("a JSON array");
        return json.map((e) => this.toConnectData(schema.valueSchema as Schema, e));
      case "MAP": {
        const keySchema = schema.keySchema as Schema;
        const valueSchema = schema.valueSchema as Schema;
        const out = new Map<unknown, unknown>();
        if (keySchema.type === "STRING" && !keySchema.optional) {
          if (!isJsonObject(json)) throw new DataException(`Maps with string fields should be encoded as JSON objects, but found ${jsonType(json)}`);
          for (const [k, v] of Object.entries(json)) out.set(k, this.toConnectData(valueSchema, v));
          return out;
        }
        if (!Array.isArray(json)) throw new DataException(`Maps with non-string fields should be encoded as JSON array of objects, but found ${jsonType(json)}`);
        for (const entry of json) {
          if (!isJsonObject(entry)) throw new DataException(`Found invalid map entry instead of object: ${jsonType(entry)}`);
          if (Object.keys(entry).length !== 2) throw new DataException(`Found invalid map entry, expected length 2 but found :${Object.keys(entry).length}`);
          out.set(this.toConnectData(keySchema, entry[KEY_FIELD]), this.toConnectData(valueSchema, entry[VALUE_FIELD]));
        }
        return out;
      }
      case "STRUCT": {
        if (isUnionSchema(schema)) return this.#unionValue(schema, json);
        if (!isJsonObject(json)) throw new DataException(`Structs should be encoded as JSON objects, but found ${jsonType(json)}`);
        const struct = new Struct(schema);
        for (const field of schema.fields) {
          const v = this.toConnectData(field.schema, json[field.name]);
          if (v !== null) struct.put(field, v);
        }
        return struct;
      }
    }
  }

  /** A oneOf value: the first member whose type fits, else the struct member sharing the most property names. */
  #unionValue(schema: Schema, json: JsonValue): Struct {
    let best: { field: (typeof schema.fields)[number]; matching: number } | null = null;
    for (const field of schema.fields) {
      if (fitsSimple(field.schema, json)) return new Struct(schema).put(field, this.toConnectData(field.schema, json));
      if (field.schema.type === "STRUCT" && isJsonObject(json)) {
        const names = new Set(field.schema.fields.map((f) => f.name));
        const matching = Object.keys(json).filter((k) => names.has(k)).length;
        if (best === null || matching > best.matching) best = { field, matching };
      }
    }
    if (best !== null) return new Struct(schema).put(best.field, this.toConnectData(best.field.schema, json));
    throw new DataException("Did not find matching oneof field for data");
  }

  /** Parses JSON payload text keeping numbers exact. */
  static parse(text: string): JsonValue {
    try {
      return parseJsonExact(text);
    } catch (e) {
      throw new DataException(`Invalid JSON: ${(e as Error).message}`, { cause: e });
    }
  }
}

function fitsSimple(schema: Schema, json: JsonValue): boolean {
  switch (schema.type) {
    case "INT8":
    case "INT16":
    case "INT32":
    case "INT64":
      return json instanceof RawNumber && json.integral;
    case "FLOAT32":
    case "FLOAT64":
      return json instanceof RawNumber;
    case "BOOLEAN":
      return typeof json === "boolean";
    case "STRING":
      return typeof json === "string";
    case "BYTES":
      return schema.name === DECIMAL_NAME ? json instanceof RawNumber : false;
    case "ARRAY":
      return Array.isArray(json);
    case "MAP":
      return isJsonObject(json) || Array.isArray(json);
    case "STRUCT":
      return false;
  }
}

/** The type a schema without "type" has, from its keywords (as JSON Schema validators infer). */
function impliedType(json: JsonObject): string | null {
  if ("properties" in json || "additionalProperties" in json || "required" in json) return "object";
  if ("items" in json) return "array";
  if ("minLength" in json || "maxLength" in json || "pattern" in json) return "string";
  if ("minimum" in json || "maximum" in json || "multipleOf" in json) return "number";
  return null;
}

function schemalessType(value: unknown): Schema["type"] {
  if (typeof value === "boolean") return "BOOLEAN";
  if (typeof value === "bigint") return "INT64";
  if (typeof value === "number") return Number.isInteger(value) ? "INT64" : "FLOAT64";
  if (typeof value === "string") return "STRING";
  if (value instanceof Uint8Array) return "BYTES";
  if (Array.isArray(value)) return "ARRAY";
  if (asMap(value) !== null) return "MAP";
  if (value instanceof Struct) return "STRUCT";
  throw new DataException(`JavaScript value of type ${describe(value)} does not have corresponding schema type.`);
}

function schemalessValue(json: JsonValue | undefined): unknown {
  if (json === undefined || json === null) return null;
  if (json instanceof RawNumber) {
    if (json.integral) return BigInt(json.text);
    return Number(json.text);
  }
  if (Array.isArray(json)) return json.map(schemalessValue);
  if (isJsonObject(json)) return new Map(Object.entries(json).map(([k, v]) => [k, schemalessValue(v)]));
  return json;
}

function asMap(value: unknown): Map<unknown, unknown> | null {
  if (value instanceof Map) return value;
  if (typeof value === "object" && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype) return new Map(Object.entries(value));
  return null;
}

// Connect data <-> Avro, as Confluent's AvroData (io.confluent.connect.avro) maps them, so that
// what the hub's AvroConverter registers and writes is what Confluent's writes, and either
// reads the other's records:
//
//   INT8 / INT16        int with "connect.type": "int8" / "int16"
//   INT32 INT64 FLOAT32 FLOAT64 BOOLEAN STRING BYTES   int long float double boolean string bytes
//   ARRAY               array
//   MAP, string keys    map (values only: Avro maps have string keys)
//   MAP, other keys     array of records {key, value} named io.confluent.connect.avro.MapEntry
//   STRUCT              record, named after the schema (unnamed: io.confluent.connect.avro.ConnectDefault,
//                       ConnectDefault2, ... for the next unnamed ones)
//   optional            ["null", T] with a null field default; [T, "null"] when the schema has a default
//   Decimal             bytes with logicalType decimal, precision (connect.decimal.precision, else 64), scale
//   Date Time Timestamp int date, int time-millis, long timestamp-millis
//   schemaless (null schema)  the record io.confluent.connect.avro.Anything
//
// With connect.meta.data (default true) each type also carries the Connect schema's doc,
// version, parameters, default and name as connect.doc, connect.version, connect.parameters,
// connect.default and connect.name, so that reading gives back the same Connect schema.
// Avro unions other than [null, T] read as a STRUCT named io.confluent.connect.avro.Union with one
// optional field per branch; enums read as strings with the symbols in parameters (and are
// written back as enums with enhanced.avro.schema.support).
//
// Not supported (yet): recursive Avro records (a Connect schema cannot be cyclic here),
// generalized.sum.type.support (accepted, no effect).
import {
  ConnectDate,
  ConnectTime,
  ConnectTimestamp,
  DataException,
  Decimal,
  Field,
  inferSchemaType,
  javaDoubleToString,
  javaFloatToString,
  Schema,
  SchemaAndValue,
  SchemaBuilder,
  schemaEquals,
  Struct,
  type SchemaType,
} from "../../connect/api/index.ts";
import { GenericRecord, UnionBranch, type AvroValue } from "../serde/avro/binary.ts";
import {
  type AvroEnum,
  type AvroField,
  type AvroFixed,
  type AvroMap,
  type AvroProps,
  type AvroRecord,
  type AvroSchema,
  type AvroUnion,
  isNamed,
  primitive,
  splitFullName,
  stringProp,
} from "../serde/avro/schema.ts";
import { isJsonObject, type JsonObject, type JsonValue, jsonNumber, numberOf, RawNumber } from "../serde/json.ts";
import { nonOptional } from "./schema-copy.ts";

export const NAMESPACE = "io.confluent.connect.avro";
export const DEFAULT_SCHEMA_NAME = "ConnectDefault";
export const DEFAULT_SCHEMA_FULL_NAME = `${NAMESPACE}.${DEFAULT_SCHEMA_NAME}`;
export const MAP_ENTRY_TYPE_NAME = "MapEntry";
export const KEY_FIELD = "key";
export const VALUE_FIELD = "value";

export const CONNECT_NAME_PROP = "connect.name";
export const CONNECT_DOC_PROP = "connect.doc";
export const CONNECT_RECORD_DOC_PROP = "connect.record.doc";
export const CONNECT_VERSION_PROP = "connect.version";
export const CONNECT_DEFAULT_VALUE_PROP = "connect.default";
export const CONNECT_PARAMETERS_PROP = "connect.parameters";
export const CONNECT_INTERNAL_TYPE_NAME = "connect.internal.type";
export const CONNECT_TYPE_PROP = "connect.type";
export const CONNECT_AVRO_FIXED_SIZE_PROP = "connect.fixed.size";
export const CONNECT_AVRO_DECIMAL_PRECISION_PROP = "connect.decimal.precision";
export const AVRO_RECORD_DOC_PROP = `${NAMESPACE}.record.doc`;
export const AVRO_ENUM_DOC_PREFIX_PROP = `${NAMESPACE}.enum.doc.`;
export const AVRO_ENUM_DEFAULT_PREFIX_PROP = `${NAMESPACE}.enum.default.`;
export const AVRO_FIELD_DOC_PREFIX_PROP = `${NAMESPACE}.field.doc.`;
/** Marks a Connect default that came from an Avro field default (not from connect.default). */
export const AVRO_FIELD_DEFAULT_FLAG_PROP = `${NAMESPACE}.field.default`;
export const AVRO_TYPE_UNION = `${NAMESPACE}.Union`;
export const AVRO_TYPE_ENUM = `${NAMESPACE}.Enum`;
export const AVRO_TYPE_ANYTHING = `${NAMESPACE}.Anything`;

const CONNECT_AVRO_DECIMAL_PRECISION_DEFAULT = 64;
const DECIMAL_NAME = Decimal.LOGICAL_NAME;
const DATE_NAME = ConnectDate.LOGICAL_NAME;
const TIME_NAME = ConnectTime.LOGICAL_NAME;
const TIMESTAMP_NAME = ConnectTimestamp.LOGICAL_NAME;

export interface AvroDataConfig {
  /** connect.meta.data: write and read the connect.* attributes (default true). */
  readonly connectMetaData: boolean;
  /** enhanced.avro.schema.support: keep enums as enums, and full names for union branches (default false). */
  readonly enhancedSchemaSupport: boolean;
  /** scrub.invalid.names: replace characters Avro names do not allow (default false). */
  readonly scrubInvalidNames: boolean;
  /** allow.optional.map.keys: an optional string key still makes an Avro map (default false). */
  readonly allowOptionalMapKeys: boolean;
  /** flatten.singleton.union: a union of one type reads as that type (default true). */
  readonly flattenSingletonUnion: boolean;
  /** discard.type.doc.default: only field docs and defaults are kept (default false). */
  readonly discardTypeDocDefault: boolean;
  /** ignore.default.for.nullables: a null optional field is written as null, not as its default (default false). */
  readonly ignoreDefaultForNullables: boolean;
}

export const DEFAULT_AVRO_DATA_CONFIG: AvroDataConfig = {
  connectMetaData: true,
  enhancedSchemaSupport: false,
  scrubInvalidNames: false,
  allowOptionalMapKeys: false,
  flattenSingletonUnion: true,
  discardTypeDocDefault: false,
  ignoreDefaultForNullables: false,
};

// ---------------------------------------------------------------------------------------------
// The schemaless representation: a record with one optional field per kind of value.

function buildAnythingSchema(): AvroRecord {
  const anything: AvroRecord = { kind: "record", fullName: AVRO_TYPE_ANYTHING, name: "Anything", namespace: NAMESPACE, doc: null, aliases: [], props: new Map(), error: false, fields: [] };
  const nul = primitive("null");
  const opt = (name: string, type: AvroSchema): AvroField => ({ name, type: { kind: "union", types: [nul, type] }, doc: null, default: null, order: "ascending", aliases: [], props: new Map() });
  const entry: AvroRecord = {
    kind: "record",
    fullName: `${NAMESPACE}.${MAP_ENTRY_TYPE_NAME}`,
    name: MAP_ENTRY_TYPE_NAME,
    namespace: NAMESPACE,
    doc: null,
    aliases: [],
    props: new Map(),
    error: false,
    fields: [
      { name: KEY_FIELD, type: anything, doc: null, default: undefined, order: "ascending", aliases: [], props: new Map() },
      { name: VALUE_FIELD, type: anything, doc: null, default: undefined, order: "ascending", aliases: [], props: new Map() },
    ],
  };
  anything.fields = [
    opt("boolean", primitive("boolean")),
    opt("bytes", primitive("bytes")),
    opt("double", primitive("double")),
    opt("float", primitive("float")),
    opt("int", primitive("int")),
    opt("long", primitive("long")),
    opt("string", primitive("string")),
    opt("array", { kind: "array", items: anything, props: new Map() }),
    opt("map", { kind: "array", items: entry, props: new Map() }),
  ];
  return anything;
}

/** io.confluent.connect.avro.Anything: how schemaless Connect values are written. */
export const ANYTHING_SCHEMA: AvroRecord = buildAnythingSchema();
const ANYTHING_FIELD = new Map(ANYTHING_SCHEMA.fields.map((f, i) => [f.name, i]));

// ---------------------------------------------------------------------------------------------
// Names

function splitName(fullName: string, scrub: boolean): { namespace: string | null; name: string } {
  const { namespace, name } = splitFullName(fullName);
  if (!scrub) return { namespace, name };
  return { namespace: namespace === null ? null : namespace.split(".").map(scrubName).join("."), name: scrubName(name) };
}

/** Confluent's scrub.invalid.names: URL-encode, then replace what Avro names do not allow with _. */
export function scrubName(name: string): string {
  if (name === "" || /^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return name;
  let encoded = encodeURIComponent(name).replace(/%20/g, "+");
  if (/^[0-9]/.test(encoded)) encoded = `x${encoded}`;
  return encoded.replace(/[^A-Za-z0-9_]/g, "_");
}

function isUnionSchema(schema: Schema): boolean {
  return schema.type === "STRUCT" && schema.name === AVRO_TYPE_UNION;
}

function isEnumSchema(schema: Schema): boolean {
  return schema.type === "STRING" && schema.parameters?.has(AVRO_TYPE_ENUM) === true;
}

/** The type name a Connect type shares with Avro (Confluent's crossReferenceSchemaNames). */
const CONNECT_TYPE_NAMES: Partial<Record<SchemaType, string>> = { BOOLEAN: "boolean", STRING: "string", BYTES: "bytes", ARRAY: "array", MAP: "map" };

function avroTypeName(schema: AvroSchema): string {
  if (schema.kind === "primitive") return schema.type;
  return schema.kind;
}

// ---------------------------------------------------------------------------------------------
// Default values, both ways

/** The Avro JSON form of a Connect default value (Confluent's defaultValueFromConnect). */
function defaultValueFromConnect(schema: Schema, value: unknown, config: AvroDataConfig): JsonValue {
  if (value === null || value === undefined) return null;
  const logical = toAvroLogical(schema, value);
  switch (schema.type) {
    case "INT8":
    case "INT16":
    case "INT32":
      return jsonNumber(logical as number);
    case "INT64":
      return jsonNumber(logical as bigint);
    case "FLOAT32":
    case "FLOAT64": {
      const n = logical as number;
      if (!Number.isFinite(n)) throw new DataException(`Invalid default value ${n} for a ${schema.type} field: JSON has no ${n}`);
      return new RawNumber(schema.type === "FLOAT32" ? javaFloatToString(n) : javaDoubleToString(n));
    }
    case "BOOLEAN":
      return logical as boolean;
    case "STRING":
      return logical as string;
    case "BYTES":
      // Avro's JSON form of bytes: one character per byte (ISO-8859-1).
      return Buffer.from(logical as Uint8Array).toString("latin1");
    case "ARRAY":
      return (logical as unknown[]).map((e) => defaultValueFromConnect(schema.valueSchema as Schema, e, config));
    case "MAP": {
      const map = logical as Map<unknown, unknown>;
      const keySchema = schema.keySchema as Schema;
      if (keySchema.type === "STRING" && (!keySchema.optional || config.allowOptionalMapKeys)) {
        const out: JsonObject = {};
        for (const [k, v] of map) out[String(k)] = defaultValueFromConnect(schema.valueSchema as Schema, v, config);
        return out;
      }
      return [...map].map(([k, v]) => [defaultValueFromConnect(keySchema, k, config), defaultValueFromConnect(schema.valueSchema as Schema, v, config)]);
    }
    case "STRUCT": {
      const struct = logical as Struct;
      if (isUnionSchema(schema)) {
        for (const field of schema.fields) {
          const v = struct.get(field);
          if (v !== null) return defaultValueFromConnect(field.schema, v, config);
        }
        return null;
      }
      const out: JsonObject = {};
      for (const field of schema.fields) out[config.scrubInvalidNames ? scrubName(field.name) : field.name] = defaultValueFromConnect(field.schema, struct.get(field), config);
      return out;
    }
  }
}

/** Whether a JSON default is valid for an Avro schema (Avro's Schema.isValidDefault). */
function isValidDefault(schema: AvroSchema, value: JsonValue | undefined): boolean {
  if (value === undefined) return false;
  switch (schema.kind) {
    case "primitive":
      switch (schema.type) {
        case "null":
          return value === null;
        case "boolean":
          return typeof value === "boolean";
        case "string":
        case "bytes":
          return typeof value === "string";
        case "int": {
          const n = numberOf(value);
          return value instanceof RawNumber && value.integral && n >= -(2 ** 31) && n < 2 ** 31;
        }
        case "long":
          return value instanceof RawNumber && value.integral && BigInt(value.text) >= -(2n ** 63n) && BigInt(value.text) < 2n ** 63n;
        case "float":
        case "double":
          return value instanceof RawNumber;
      }
      return false;
    case "enum":
    case "fixed":
      return typeof value === "string";
    case "array":
      return Array.isArray(value) && value.every((v) => isValidDefault(schema.items, v));
    case "map":
      return isJsonObject(value) && Object.values(value).every((v) => isValidDefault(schema.values, v));
    case "union":
      return schema.types.length > 0 && isValidDefault(schema.types[0] as AvroSchema, value);
    case "record":
      return isJsonObject(value) && schema.fields.every((f) => (f.name in value ? isValidDefault(f.type, value[f.name]) : f.default !== undefined));
  }
}

/** A Connect value from an Avro JSON default (Confluent's defaultValueFromAvro). */
function defaultValueFromAvro(schema: Schema, avro: AvroSchema, json: JsonValue | undefined, config: AvroDataConfig): unknown {
  const raw = defaultValueFromAvroWithoutLogical(schema, avro, json, config);
  return raw === null ? null : toConnectLogical(schema, raw);
}

function defaultValueFromAvroWithoutLogical(schema: Schema, avro: AvroSchema, json: JsonValue | undefined, config: AvroDataConfig): unknown {
  if (json === undefined || json === null) return null;
  switch (avro.kind) {
    case "primitive":
      switch (avro.type) {
        case "int":
          return schema.type === "INT8" || schema.type === "INT16" || schema.type === "INT32" ? Math.trunc(numberOf(json)) : null;
        case "long":
          return json instanceof RawNumber ? BigInt(json.integral ? json.text : Math.trunc(Number(json.text)).toString()) : null;
        case "float":
          return Math.fround(numberOf(json));
        case "double":
          return numberOf(json);
        case "boolean":
          return json === true;
        case "null":
          return null;
        case "string":
          return typeof json === "string" ? json : null;
        case "bytes":
          return typeof json === "string" ? Buffer.from(json, "latin1") : null;
      }
      return null;
    case "enum":
      return typeof json === "string" ? json : null;
    case "fixed":
      return typeof json === "string" ? Buffer.from(json, "latin1") : null;
    case "array": {
      if (!Array.isArray(json)) throw new DataException(`Invalid JSON for array default value: ${JSON.stringify(json)}`);
      if (schema.type === "MAP") return mapDefaultFromEntries(schema, avro, json, config);
      return json.map((e) => defaultValueFromAvro(schema.valueSchema as Schema, avro.items, e, config));
    }
    case "map": {
      if (!isJsonObject(json)) throw new DataException(`Invalid JSON for map default value: ${JSON.stringify(json)}`);
      const out = new Map<unknown, unknown>();
      for (const [k, v] of Object.entries(json)) out.set(k, defaultValueFromAvro(schema.valueSchema as Schema, avro.values, v, config));
      return out;
    }
    case "record": {
      if (!isJsonObject(json)) throw new DataException(`Invalid JSON for record default value: ${JSON.stringify(json)}`);
      const struct = new Struct(schema);
      for (const avroField of avro.fields) {
        const field = schema.field(avroField.name);
        if (field === null) continue;
        struct.put(field, defaultValueFromAvro(field.schema, avroField.type, json[avroField.name] ?? avroField.default, config));
      }
      return struct;
    }
    case "union": {
      // A union's default is of its first type.
      const first = avro.types[0];
      if (first === undefined || (first.kind === "primitive" && first.type === "null")) return null;
      if (isUnionSchema(schema)) {
        const field = schema.field(unionMemberFieldName(first, config));
        if (field === null) return null;
        return new Struct(schema).put(field, defaultValueFromAvro(field.schema, first, json, config));
      }
      return defaultValueFromAvroWithoutLogical(schema, first, json, config);
    }
  }
}

/** A map with non-string keys: its default as Avro entries ({key, value}) or Confluent's [key, value] pairs. */
function mapDefaultFromEntries(schema: Schema, avro: AvroSchema & { kind: "array" }, json: JsonValue[], config: AvroDataConfig): Map<unknown, unknown> {
  const entry = avro.items;
  const keyAvro = entry.kind === "record" ? entry.fields.find((f) => f.name === KEY_FIELD)?.type : undefined;
  const valueAvro = entry.kind === "record" ? entry.fields.find((f) => f.name === VALUE_FIELD)?.type : undefined;
  if (keyAvro === undefined || valueAvro === undefined) throw new DataException("Invalid map default value");
  const out = new Map<unknown, unknown>();
  for (const item of json) {
    let k: JsonValue | undefined;
    let v: JsonValue | undefined;
    if (Array.isArray(item) && item.length === 2) [k, v] = item;
    else if (isJsonObject(item)) [k, v] = [item[KEY_FIELD], item[VALUE_FIELD]];
    else throw new DataException(`Invalid JSON for map entry default value: ${JSON.stringify(item)}`);
    out.set(defaultValueFromAvro(schema.keySchema as Schema, keyAvro, k, config), defaultValueFromAvro(schema.valueSchema as Schema, valueAvro, v, config));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Logical types

function toAvroLogical(schema: Schema, value: unknown): unknown {
  switch (schema.name) {
    case DECIMAL_NAME:
      if (!(value instanceof Decimal)) throw new DataException(`Invalid type for Decimal, expected Decimal but was ${describe(value)}`);
      return Decimal.fromLogical(schema, value);
    case DATE_NAME:
      if (!(value instanceof Date)) throw new DataException(`Invalid type for Date, expected Date but was ${describe(value)}`);
      return ConnectDate.fromLogical(schema, value);
    case TIME_NAME:
      if (!(value instanceof Date)) throw new DataException(`Invalid type for Time, expected Date but was ${describe(value)}`);
      return ConnectTime.fromLogical(schema, value);
    case TIMESTAMP_NAME:
      if (!(value instanceof Date)) throw new DataException(`Invalid type for Timestamp, expected Date but was ${describe(value)}`);
      return ConnectTimestamp.fromLogical(schema, value);
    default:
      return value;
  }
}

function toConnectLogical(schema: Schema, value: unknown): unknown {
  switch (schema.name) {
    case DECIMAL_NAME:
      if (!(value instanceof Uint8Array)) throw new DataException(`Invalid type for Decimal, underlying representation should be bytes but was ${describe(value)}`);
      return Decimal.toLogical(schema, value);
    case DATE_NAME:
      if (typeof value !== "number") throw new DataException(`Invalid type for Date, underlying representation should be int32 but was ${describe(value)}`);
      return ConnectDate.toLogical(schema, value);
    case TIME_NAME:
      if (typeof value !== "number") throw new DataException(`Invalid type for Time, underlying representation should be int32 but was ${describe(value)}`);
      return ConnectTime.toLogical(schema, value);
    case TIMESTAMP_NAME:
      if (typeof value !== "bigint") throw new DataException(`Invalid type for Timestamp, underlying representation should be int64 but was ${describe(value)}`);
      return ConnectTimestamp.toLogical(schema, value);
    default:
      return value;
  }
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value !== "object") return typeof value;
  return (value as { constructor?: { name?: string } }).constructor?.name ?? "object";
}

/** The field name a union branch gets in a Connect Union struct (Confluent's unionMemberFieldName). */
function unionMemberFieldName(avro: AvroSchema, config: AvroDataConfig): string {
  if (avro.kind === "record" || avro.kind === "enum") return config.enhancedSchemaSupport ? avro.fullName : avro.name;
  return avroTypeName(avro);
}

// ---------------------------------------------------------------------------------------------

interface FromConnectContext {
  /** Required, non-union schemas already converted (Confluent's schemaMap), reused rather than redefined. */
  readonly converted: Array<{ connect: Schema; avro: AvroSchema }>;
  /** Records by Connect name (Confluent's cycleReferences). */
  readonly records: Map<string, AvroRecord>;
  /** How many unnamed types got a default name so far. */
  nameIndex: number;
}

interface ToConnectContext {
  /** Records being converted: meeting one again is a recursive schema. */
  readonly inProgress: Set<AvroRecord>;
}

export class AvroData {
  readonly config: AvroDataConfig;
  readonly #fromConnectCache = new WeakMap<Schema, AvroSchema>();
  readonly #toConnectCache = new WeakMap<AvroSchema, Map<number, Schema | null>>();

  constructor(config: Partial<AvroDataConfig> = {}) {
    this.config = { ...DEFAULT_AVRO_DATA_CONFIG, ...config };
  }

  // -------------------------------------------------------------------------------------------
  // Connect schema -> Avro schema

  /** The Avro schema of a Connect schema (null: schemaless, the Anything record). */
  fromConnectSchema(schema: Schema | null): AvroSchema {
    if (schema === null) return ANYTHING_SCHEMA;
    const cached = this.#fromConnectCache.get(schema);
    if (cached !== undefined) return cached;
    const ctx: FromConnectContext = { converted: [], records: new Map(), nameIndex: 0 };
    const result = this.#fromConnectSchema(schema, ctx, false);
    this.#fromConnectCache.set(schema, result);
    return result;
  }

  #nameOrDefault(ctx: FromConnectContext, name: string | null): { namespace: string | null; name: string } {
    if (name !== null) return splitName(name, this.config.scrubInvalidNames);
    ctx.nameIndex++;
    return { namespace: NAMESPACE, name: DEFAULT_SCHEMA_NAME + (ctx.nameIndex > 1 ? String(ctx.nameIndex) : "") };
  }

  #withCycle(schema: Schema, ctx: FromConnectContext, ignoreOptional: boolean): AvroSchema {
    const known = schema.name === null ? undefined : ctx.records.get(schema.name);
    if (known !== undefined) return ignoreOptional ? known : this.#maybeOptional(schema, known);
    return this.#fromConnectSchema(schema, ctx, ignoreOptional);
  }

  #maybeOptional(schema: Schema, base: AvroSchema): AvroSchema {
    if (!schema.optional) return base;
    const nul = primitive("null");
    return { kind: "union", types: schema.defaultValue !== null ? [base, nul] : [nul, base] };
  }

  #fromConnectSchema(schema: Schema, ctx: FromConnectContext, ignoreOptional: boolean): AvroSchema {
    const config = this.config;
    if (!isUnionSchema(schema) && !schema.optional) {
      const known = ctx.converted.find((c) => c.connect === schema) ?? ctx.converted.find((c) => schemaEquals(c.connect, schema));
      if (known !== undefined) return known.avro;
    }
    const params = schema.parameters;
    let connectType: string | null = null;
    let base: AvroSchema;
    switch (schema.type) {
      case "INT8":
        connectType = "int8";
        base = primitive("int");
        break;
      case "INT16":
        connectType = "int16";
        base = primitive("int");
        break;
      case "INT32":
        base = primitive("int");
        break;
      case "INT64":
        base = primitive("long");
        break;
      case "FLOAT32":
        base = primitive("float");
        break;
      case "FLOAT64":
        base = primitive("double");
        break;
      case "BOOLEAN":
        base = primitive("boolean");
        break;
      case "STRING":
        if (config.enhancedSchemaSupport && params?.has(AVRO_TYPE_ENUM)) {
          const symbols: string[] = [];
          for (const key of params.keys()) if (key.startsWith(`${AVRO_TYPE_ENUM}.`)) symbols.push(key.slice(AVRO_TYPE_ENUM.length + 1));
          const short = this.#nameOrDefault(ctx, schema.name).name;
          const enumName = splitName(params.get(AVRO_TYPE_ENUM) as string, config.scrubInvalidNames);
          const fullName = enumName.namespace === null ? enumName.name : `${enumName.namespace}.${enumName.name}`;
          const enumDefault = params.get(AVRO_ENUM_DEFAULT_PREFIX_PROP + short) ?? null;
          const e: AvroEnum = {
            kind: "enum",
            fullName,
            ...enumName,
            doc: params.get(AVRO_ENUM_DOC_PREFIX_PROP + short) ?? null,
            aliases: [],
            props: new Map(),
            symbols,
            default: enumDefault !== null && symbols.includes(enumDefault) ? enumDefault : null,
          };
          base = e;
        } else {
          base = primitive("string");
        }
        break;
      case "BYTES": {
        const size = params?.get(CONNECT_AVRO_FIXED_SIZE_PROP);
        if (size !== undefined) {
          const naming = this.#nameOrDefault(ctx, schema.name);
          const fixed: AvroFixed = { kind: "fixed", fullName: naming.namespace === null ? naming.name : `${naming.namespace}.${naming.name}`, ...naming, doc: null, aliases: [], props: new Map(), size: Number(size) };
          base = fixed;
        } else {
          base = primitive("bytes");
        }
        if (schema.name === DECIMAL_NAME) {
          const props = (base as { props: AvroProps }).props;
          props.set("scale", jsonNumber(Decimal.scaleOf(schema)));
          props.set("precision", jsonNumber(Number(params?.get(CONNECT_AVRO_DECIMAL_PRECISION_PROP) ?? CONNECT_AVRO_DECIMAL_PRECISION_DEFAULT)));
        }
        break;
      }
      case "ARRAY":
        base = { kind: "array", items: this.#withCycle(schema.valueSchema as Schema, ctx, false), props: new Map() };
        break;
      case "MAP": {
        const keySchema = schema.keySchema as Schema;
        const valueSchema = schema.valueSchema as Schema;
        if (keySchema.type === "STRING" && (!keySchema.optional || config.allowOptionalMapKeys)) {
          base = { kind: "map", values: this.#withCycle(valueSchema, ctx, false), props: new Map() } satisfies AvroMap;
        } else {
          const naming = schema.name === null ? { namespace: NAMESPACE, name: MAP_ENTRY_TYPE_NAME } : this.#nameOrDefault(ctx, schema.name);
          const entry: AvroRecord = {
            kind: "record",
            fullName: naming.namespace === null ? naming.name : `${naming.namespace}.${naming.name}`,
            ...naming,
            doc: null,
            aliases: [],
            props: new Map(schema.name === null ? [] : [[CONNECT_INTERNAL_TYPE_NAME, MAP_ENTRY_TYPE_NAME]]),
            error: false,
            fields: [],
          };
          entry.fields = [this.#avroField(KEY_FIELD, keySchema, null, ctx), this.#avroField(VALUE_FIELD, valueSchema, null, ctx)];
          base = { kind: "array", items: entry, props: new Map() };
        }
        break;
      }
      case "STRUCT":
        if (isUnionSchema(schema)) {
          const types: AvroSchema[] = schema.optional ? [primitive("null")] : [];
          for (const field of schema.fields) types.push(this.#withCycle(nonOptional(field.schema), ctx, true));
          base = { kind: "union", types } satisfies AvroUnion;
        } else if (schema.optional) {
          base = { kind: "union", types: [primitive("null"), this.#withCycle(nonOptional(schema), ctx, false)] };
        } else {
          const naming = this.#nameOrDefault(ctx, schema.name);
          const record: AvroRecord = {
            kind: "record",
            fullName: naming.namespace === null ? naming.name : `${naming.namespace}.${naming.name}`,
            ...naming,
            doc: params?.get(config.discardTypeDocDefault ? CONNECT_RECORD_DOC_PROP : AVRO_RECORD_DOC_PROP) ?? null,
            aliases: [],
            props: new Map(),
            error: false,
            fields: [],
          };
          if (schema.name !== null) ctx.records.set(schema.name, record);
          record.fields = schema.fields.map((field) => {
            const doc = config.discardTypeDocDefault ? field.schema.doc : (params?.get(AVRO_FIELD_DOC_PREFIX_PROP + field.name) ?? null);
            return this.#avroField(config.scrubInvalidNames ? scrubName(field.name) : field.name, field.schema, doc, ctx);
          });
          base = record;
        }
        break;
    }

    let result = base;
    if (base.kind !== "union") {
      const props = base.props;
      if (config.connectMetaData) {
        if (schema.doc !== null) props.set(CONNECT_DOC_PROP, schema.doc);
        if (schema.version !== null) props.set(CONNECT_VERSION_PROP, jsonNumber(schema.version));
        if (params !== null) {
          const out: JsonObject = {};
          for (const [k, v] of params) if (config.discardTypeDocDefault || k !== AVRO_FIELD_DEFAULT_FLAG_PROP) out[k] = v;
          if (Object.keys(out).length > 0) props.set(CONNECT_PARAMETERS_PROP, out);
        }
        if (schema.defaultValue !== null && (config.discardTypeDocDefault || params === null || !params.has(AVRO_FIELD_DEFAULT_FLAG_PROP))) {
          props.set(CONNECT_DEFAULT_VALUE_PROP, defaultValueFromConnect(schema, schema.defaultValue, config));
        }
        if (schema.name !== null) props.set(CONNECT_NAME_PROP, schema.name);
        if (connectType !== null) props.set(CONNECT_TYPE_PROP, connectType);
      }
      switch (schema.name) {
        case DECIMAL_NAME:
          // Scale and precision were set above; a scale Avro's decimal does not allow (negative,
          // or past the precision) keeps Confluent's "legacy" form, which is the same attributes.
          props.set("logicalType", "decimal");
          break;
        case TIME_NAME:
          props.set("logicalType", "time-millis");
          break;
        case TIMESTAMP_NAME:
          props.set("logicalType", "timestamp-millis");
          break;
        case DATE_NAME:
          props.set("logicalType", "date");
          break;
      }
      if (params !== null) for (const [k, v] of params) if (k.startsWith("avro")) props.set(k, v);
      if (!ignoreOptional) result = this.#maybeOptional(schema, base);
    }
    if (!schema.optional) ctx.converted.push({ connect: schema, avro: result });
    return result;
  }

  #avroField(name: string, schema: Schema, doc: string | null, ctx: FromConnectContext): AvroField {
    const type = this.#fromConnectSchema(schema, ctx, false);
    let def: JsonValue | undefined;
    if (schema.defaultValue !== null) def = defaultValueFromConnect(schema, schema.defaultValue, this.config);
    else if (schema.optional) def = null;
    // A default Avro would reject (a struct default behind ["null", record]) is left out, as
    // Confluent does (it logs "Ignoring invalid default for field").
    if (def !== undefined && !isValidDefault(type, def)) def = undefined;
    return { name, type, doc, default: def, order: "ascending", aliases: [], props: new Map() };
  }

  // -------------------------------------------------------------------------------------------
  // Connect value -> Avro value

  /**
   * The Avro value of a Connect value, for the Avro schema `avro` (the one fromConnectSchema
   * gave, or another one with the same shape: with use.latest.version, the subject's latest
   * schema, matched by field name). null for a null value of an optional schema.
   */
  fromConnectData(schema: Schema | null, avro: AvroSchema, value: unknown): AvroValue {
    if (schema === null) return value === null || value === undefined ? null : this.#toAnything(value);
    return this.#fromConnect(schema, avro, value, "");
  }

  #fromConnect(schema: Schema, avro: AvroSchema, value: unknown, path: string): AvroValue {
    if (value === null || value === undefined) {
      if (!schema.optional) throw new DataException(`Found null value for non-optional schema${at(path)}`);
      return nullFor(avro, path);
    }
    if (avro.kind === "union" && !isUnionSchema(schema)) {
      const index = this.#branchFor(schema, avro, path);
      return new UnionBranch(index, this.#fromConnect(schema, avro.types[index] as AvroSchema, value, path));
    }
    const v = toAvroLogical(schema, value);
    switch (schema.type) {
      case "INT8":
      case "INT16":
      case "INT32":
      case "INT64":
      case "FLOAT32":
      case "FLOAT64":
        return numberFor(schema, avro, v, path);
      case "BOOLEAN":
        if (typeof v !== "boolean") throw mismatch(schema, v, path);
        return v;
      case "STRING":
        if (typeof v !== "string") throw mismatch(schema, v, path);
        if (avro.kind === "enum" && !avro.symbols.includes(v)) throw new DataException(`Invalid value ${JSON.stringify(v)} for Avro enum ${avro.fullName}${at(path)}: not one of ${avro.symbols.join(", ")}`);
        return v;
      case "BYTES":
        if (!(v instanceof Uint8Array)) throw mismatch(schema, v, path);
        return Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength);
      case "ARRAY": {
        if (!Array.isArray(v)) throw mismatch(schema, v, path);
        if (avro.kind !== "array") throw shapeMismatch(schema, avro, path);
        return v.map((e, i) => this.#fromConnect(schema.valueSchema as Schema, avro.items, e, `${path}[${i}]`));
      }
      case "MAP":
        return this.#mapFromConnect(schema, avro, v, path);
      case "STRUCT":
        return this.#structFromConnect(schema, avro, v, path);
    }
  }

  /** Which branch of a union a Connect value of this schema goes to. */
  #branchFor(schema: Schema, union: AvroUnion, path: string): number {
    const types = union.types;
    const isNull = (t: AvroSchema) => t.kind === "primitive" && t.type === "null";
    // Named types by name first (two records in one union), then by kind.
    if (schema.name !== null) {
      const full = this.config.scrubInvalidNames ? scrubFullName(schema.name) : schema.name;
      const i = types.findIndex((t) => isNamed(t) && t.fullName === full);
      if (i >= 0) return i;
    }
    const wanted = avroKindsFor(schema, this.config);
    const i = types.findIndex((t) => !isNull(t) && wanted.includes(avroTypeName(t)));
    if (i >= 0) return i;
    const sameName = CONNECT_TYPE_NAMES[schema.type];
    const j = types.findIndex((t) => !isNull(t) && (avroTypeName(t) === sameName || (schema.name === null && isNamed(t) && t.fullName.startsWith(DEFAULT_SCHEMA_FULL_NAME))));
    if (j >= 0) return j;
    throw new DataException(`No branch of the Avro union ${JSON.stringify(types.map(avroTypeName))} fits a ${schema.type} value${at(path)}`);
  }

  #mapFromConnect(schema: Schema, avro: AvroSchema, value: unknown, path: string): AvroValue {
    const map = asMap(value);
    if (map === null) throw mismatch(schema, value, path);
    const keySchema = schema.keySchema as Schema;
    const valueSchema = schema.valueSchema as Schema;
    if (avro.kind === "map") {
      const out = new Map<string, AvroValue>();
      for (const [k, v] of map) {
        if (typeof k !== "string") throw new DataException(`Invalid map key ${String(k)}${at(path)}: Avro maps have string keys`);
        out.set(k, this.#fromConnect(valueSchema, avro.values, v, `${path}.${k}`));
      }
      return out;
    }
    if (avro.kind !== "array" || avro.items.kind !== "record") throw shapeMismatch(schema, avro, path);
    const entry = avro.items;
    const keyIndex = entry.fields.findIndex((f) => f.name === KEY_FIELD);
    const valueIndex = entry.fields.findIndex((f) => f.name === VALUE_FIELD);
    if (keyIndex < 0 || valueIndex < 0 || entry.fields.length !== 2) throw shapeMismatch(schema, avro, path);
    const out: AvroValue[] = [];
    for (const [k, v] of map) {
      const values: AvroValue[] = [null, null];
      values[keyIndex] = this.#fromConnect(keySchema, (entry.fields[keyIndex] as AvroField).type, k, `${path}.key`);
      values[valueIndex] = this.#fromConnect(valueSchema, (entry.fields[valueIndex] as AvroField).type, v, `${path}.value`);
      out.push(new GenericRecord(entry, values));
    }
    return out;
  }

  #structFromConnect(schema: Schema, avro: AvroSchema, value: unknown, path: string): AvroValue {
    if (!(value instanceof Struct)) throw mismatch(schema, value, path);
    if (value.schema !== schema && !schemaEquals(value.schema, schema)) throw new DataException(`Mismatching struct schema${at(path)}`);
    if (isUnionSchema(schema)) {
      for (const field of schema.fields) {
        const v = this.config.ignoreDefaultForNullables ? value.getWithoutDefault(field) : value.get(field);
        if (v !== null && v !== undefined) {
          if (avro.kind !== "union") return this.#fromConnect(field.schema, avro, v, path);
          const index = this.#branchFor(field.schema, avro, path);
          return new UnionBranch(index, this.#fromConnect(nonOptional(field.schema), avro.types[index] as AvroSchema, v, path));
        }
      }
      if (!schema.optional) throw new DataException(`Found null value for non-optional schema${at(path)}`);
      return nullFor(avro, path);
    }
    if (avro.kind !== "record") throw shapeMismatch(schema, avro, path);
    const values = avro.fields.map((avroField): AvroValue => {
      const field = this.#connectField(schema, avroField.name);
      const fieldPath = path === "" ? avroField.name : `${path}.${avroField.name}`;
      if (field === null) {
        // A field the Connect schema does not have (a newer registered schema): its default.
        if (avroField.default === undefined) throw new DataException(`Field ${avroField.name} of Avro record ${avro.fullName} is not in the Connect schema and has no default${at(path)}`);
        return jsonToAvro(avroField.type, avroField.default);
      }
      const v = this.config.ignoreDefaultForNullables && field.schema.optional ? value.getWithoutDefault(field) : value.get(field);
      return this.#fromConnect(field.schema, avroField.type, v, fieldPath);
    });
    return new GenericRecord(avro, values);
  }

  #connectField(schema: Schema, avroName: string): Field | null {
    const direct = schema.field(avroName);
    if (direct !== null || !this.config.scrubInvalidNames) return direct;
    return schema.fields.find((f) => scrubName(f.name) === avroName) ?? null;
  }

  #toAnything(value: unknown): GenericRecord {
    const values: AvroValue[] = ANYTHING_SCHEMA.fields.map(() => new UnionBranch(0, null));
    const set = (field: string, v: AvroValue) => {
      values[ANYTHING_FIELD.get(field) as number] = new UnionBranch(1, v);
    };
    if (value === null || value === undefined) return new GenericRecord(ANYTHING_SCHEMA, values);
    if (typeof value === "boolean") set("boolean", value);
    else if (typeof value === "bigint") set("long", value);
    else if (typeof value === "number") {
      if (inferSchemaType(value) === "INT32") set("int", value);
      else set("double", value);
    } else if (typeof value === "string") set("string", value);
    else if (value instanceof Uint8Array) set("bytes", Buffer.from(value));
    else if (Array.isArray(value)) set("array", value.map((v) => this.#toAnything(v)));
    else {
      const map = asMap(value);
      if (map === null) throw new DataException(`Unknown JavaScript type for schemaless data: ${describe(value)}`);
      const entry = ((ANYTHING_SCHEMA.fields[ANYTHING_FIELD.get("map") as number] as AvroField).type as AvroUnion).types[1] as AvroSchema & { kind: "array" };
      set(
        "map",
        [...map].map(([k, v]) => new GenericRecord(entry.items as AvroRecord, [this.#toAnything(k), this.#toAnything(v)])),
      );
    }
    return new GenericRecord(ANYTHING_SCHEMA, values);
  }

  // -------------------------------------------------------------------------------------------
  // Avro schema -> Connect schema

  /**
   * The Connect schema of an Avro schema (null for the Anything record: schemaless data).
   * `version`, the registry's version of the schema, is the Connect schema's version unless
   * the Avro schema has a connect.version.
   */
  toConnectSchema(avro: AvroSchema, version: number | null = null): Schema | null {
    if (avro.kind === "record" && avro.fullName === AVRO_TYPE_ANYTHING) return null;
    let byVersion = this.#toConnectCache.get(avro);
    const key = version ?? -1;
    const cached = byVersion?.get(key);
    if (cached !== undefined) return cached;
    const result = this.#toConnectSchema(avro, { forceOptional: false, fieldDefault: undefined, version }, { inProgress: new Set() });
    if (byVersion === undefined) {
      byVersion = new Map();
      this.#toConnectCache.set(avro, byVersion);
    }
    byVersion.set(key, result);
    return result;
  }

  #toConnectSchema(avro: AvroSchema, opts: { forceOptional: boolean; fieldDefault: JsonValue | undefined; version: number | null }, ctx: ToConnectContext): Schema {
    const config = this.config;
    const connectType = stringProp(avro, CONNECT_TYPE_PROP);
    const logicalType = stringProp(avro, "logicalType");
    let builder: SchemaBuilder;
    switch (avro.kind) {
      case "primitive":
        switch (avro.type) {
          case "boolean":
            builder = SchemaBuilder.bool();
            break;
          case "bytes":
            builder = logicalType?.toLowerCase() === "decimal" ? decimalBuilder(avro.props) : SchemaBuilder.bytes();
            break;
          case "double":
            builder = SchemaBuilder.float64();
            break;
          case "float":
            builder = SchemaBuilder.float32();
            break;
          case "int":
            if (logicalType?.toLowerCase() === "date") builder = ConnectDate.builder();
            else if (logicalType?.toLowerCase() === "time-millis") builder = ConnectTime.builder();
            else if (connectType === "int8") builder = SchemaBuilder.int8();
            else if (connectType === "int16") builder = SchemaBuilder.int16();
            else if (connectType === null || logicalType !== null) builder = SchemaBuilder.int32();
            else throw new DataException(`Connect type annotation for Avro int field is ${connectType}, not int8 or int16`);
            break;
          case "long":
            builder = logicalType?.toLowerCase() === "timestamp-millis" ? ConnectTimestamp.builder() : SchemaBuilder.int64();
            break;
          case "string":
            builder = SchemaBuilder.string();
            break;
          case "null":
            throw new DataException("Standalone null schemas are not supported by this converter");
        }
        break;
      case "fixed":
        if (logicalType?.toLowerCase() === "decimal") {
          builder = decimalBuilder(avro.props);
        } else {
          builder = SchemaBuilder.bytes().name(avro.fullName);
        }
        builder.parameter(CONNECT_AVRO_FIXED_SIZE_PROP, String(avro.size));
        break;
      case "array": {
        const items = avro.items;
        if (isMapEntry(items)) {
          const keyField = items.fields.find((f) => f.name === KEY_FIELD);
          const valueField = items.fields.find((f) => f.name === VALUE_FIELD);
          if (items.fields.length !== 2 || keyField === undefined || valueField === undefined) {
            throw new DataException("Found map encoded as array of key-value pairs, but array elements do not match the expected format.");
          }
          builder = SchemaBuilder.map(this.#nested(keyField.type, ctx), this.#nested(valueField.type, ctx));
        } else {
          builder = SchemaBuilder.array(this.#nested(items, ctx));
        }
        break;
      }
      case "map":
        builder = SchemaBuilder.map(Schema.STRING_SCHEMA, this.#nested(avro.values, ctx));
        break;
      case "record": {
        if (ctx.inProgress.has(avro)) throw new DataException(`Recursive Avro schemas are not supported: ${avro.fullName} refers to itself`);
        ctx.inProgress.add(avro);
        builder = SchemaBuilder.struct();
        if (config.connectMetaData && avro.doc !== null) builder.parameter(config.discardTypeDocDefault ? CONNECT_RECORD_DOC_PROP : AVRO_RECORD_DOC_PROP, avro.doc);
        for (const field of avro.fields) {
          if (config.connectMetaData && field.doc !== null && !config.discardTypeDocDefault) builder.parameter(AVRO_FIELD_DOC_PREFIX_PROP + field.name, field.doc);
          builder.field(field.name, this.#toConnectSchema(field.type, { forceOptional: false, fieldDefault: field.default, version: null }, ctx));
        }
        ctx.inProgress.delete(avro);
        break;
      }
      case "enum":
        builder = SchemaBuilder.string();
        if (config.connectMetaData) {
          if (avro.doc !== null) builder.parameter(AVRO_ENUM_DOC_PREFIX_PROP + avro.name, avro.doc);
          if (avro.default !== null) builder.parameter(AVRO_ENUM_DEFAULT_PREFIX_PROP + avro.name, avro.default);
        }
        builder.parameter(AVRO_TYPE_ENUM, avro.fullName);
        for (const symbol of avro.symbols) builder.parameter(`${AVRO_TYPE_ENUM}.${symbol}`, symbol);
        break;
      case "union": {
        const types = avro.types;
        const isNull = (t: AvroSchema) => t.kind === "primitive" && t.type === "null";
        if (types.length === 1 && config.flattenSingletonUnion) {
          return this.#toConnectSchema(types[0] as AvroSchema, opts, ctx);
        }
        if (types.length === 2 && types.some(isNull)) {
          const member = types.find((t) => !isNull(t)) as AvroSchema;
          // The field's default belongs to the union's first type: kept when that is the member.
          const fieldDefault = isNull(types[0] as AvroSchema) ? undefined : opts.fieldDefault;
          return this.#toConnectSchema(member, { forceOptional: true, fieldDefault, version: opts.version }, ctx);
        }
        builder = SchemaBuilder.struct().name(AVRO_TYPE_UNION);
        const names = new Set<string>();
        for (const member of types) {
          if (isNull(member)) {
            builder.optional();
            continue;
          }
          const fieldName = unionMemberFieldName(member, config);
          if (names.has(fieldName)) throw new DataException("Multiple union schemas map to the Connect union field name");
          names.add(fieldName);
          builder.field(fieldName, this.#toConnectSchema(member, { forceOptional: true, fieldDefault: undefined, version: null }, ctx));
        }
        break;
      }
    }

    const props: AvroProps = avro.kind === "union" ? new Map() : avro.props;
    const doc = props.get(CONNECT_DOC_PROP);
    if (config.connectMetaData && typeof doc === "string") builder.doc(doc);

    // connect.version first, then the registry's version (a logical type has its own already).
    const versionProp = props.get(CONNECT_VERSION_PROP);
    if (versionProp !== undefined) {
      const v = numberOf(versionProp);
      if (!Number.isInteger(v)) throw new DataException(`Invalid Connect version found: ${JSON.stringify(versionProp)}`);
      if (v >= 0) builder.version(v);
    } else if (opts.version !== null && opts.version >= 0) {
      const preset = builder.build().version;
      if (preset === null) builder.version(opts.version);
    }

    const parameters = props.get(CONNECT_PARAMETERS_PROP);
    if (config.connectMetaData && parameters !== undefined) {
      if (!isJsonObject(parameters)) throw new DataException(`Expected JSON object for schema parameters but found: ${JSON.stringify(parameters)}`);
      for (const [k, v] of Object.entries(parameters)) {
        if (typeof v !== "string") throw new DataException(`Expected schema parameter values to be strings but found: ${JSON.stringify(v)}`);
        builder.parameter(k, v);
      }
    }
    for (const [k, v] of props) if (k.startsWith("avro")) builder.parameter(k, typeof v === "string" ? v : v instanceof RawNumber ? v.text : JSON.stringify(v));

    // The name before the default, so that the default of a logical type is converted.
    const connectName = props.get(CONNECT_NAME_PROP);
    let name: string | null = null;
    if (connectName !== undefined) {
      if (typeof connectName !== "string") throw new DataException(`Invalid schema name: ${JSON.stringify(connectName)}`);
      name = connectName;
    } else if (avro.kind === "record" || avro.kind === "enum") {
      name = avro.fullName;
    }
    if (name !== null && !name.startsWith(DEFAULT_SCHEMA_FULL_NAME)) {
      const preset = builder.build().name;
      if (preset !== null && preset !== name) throw new DataException(`Mismatched names: name already added to SchemaBuilder (${preset}) differs from name in source schema (${name})`);
      if (preset === null) builder.name(name);
    }

    const connectDefault = props.get(CONNECT_DEFAULT_VALUE_PROP);
    let defaultJson = opts.fieldDefault;
    if (defaultJson === undefined || defaultJson === null) {
      defaultJson = connectDefault;
    } else if (connectDefault === undefined) {
      builder.parameter(AVRO_FIELD_DEFAULT_FLAG_PROP, "true");
    }
    if (defaultJson !== undefined && defaultJson !== null) {
      const def = defaultValueFromAvro(builder.build(), avro, defaultJson, config);
      if (def !== null) builder.defaultValue(def);
    }

    if (opts.forceOptional) builder.optional();
    return builder.build();
  }

  #nested(avro: AvroSchema, ctx: ToConnectContext): Schema {
    return this.#toConnectSchema(avro, { forceOptional: false, fieldDefault: undefined, version: null }, ctx);
  }

  // -------------------------------------------------------------------------------------------
  // Avro value -> Connect value

  /**
   * The Connect schema and value of an Avro value written with `avro` (Confluent's
   * AvroData.toConnectData); `version` as for toConnectSchema.
   */
  toConnectData(avro: AvroSchema, value: AvroValue, version: number | null = null): SchemaAndValue {
    const schema = this.toConnectSchema(avro, version);
    if (value === null) return new SchemaAndValue(schema, null);
    return new SchemaAndValue(schema, schema === null ? fromAnything(value) : this.#toConnect(schema, avro, value, ""));
  }

  #toConnect(schema: Schema, avro: AvroSchema, value: AvroValue, path: string): unknown {
    if (value instanceof UnionBranch) {
      if (avro.kind !== "union") throw new DataException(`Invalid Avro data${at(path)}: a union value for a ${avroTypeName(avro)}`);
      const member = avro.types[value.index] as AvroSchema;
      if (isUnionSchema(schema)) {
        if (value.value === null) return null;
        const field = schema.field(unionMemberFieldName(member, this.config));
        if (field === null) throw new DataException(`Did not find matching union field for data${at(path)}`);
        return new Struct(schema).put(field, this.#toConnect(field.schema, member, value.value, path));
      }
      return this.#toConnect(schema, member, value.value, path);
    }
    if (value === null) {
      if (!schema.optional) throw new DataException(`Found null value for non-optional schema${at(path)}`);
      return null;
    }
    let converted: unknown;
    switch (schema.type) {
      case "INT8":
      case "INT16":
      case "INT32":
      case "FLOAT32":
      case "FLOAT64":
        if (typeof value !== "number") throw mismatch(schema, value, path);
        converted = value;
        break;
      case "INT64":
        if (typeof value !== "bigint") throw mismatch(schema, value, path);
        converted = value;
        break;
      case "BOOLEAN":
        if (typeof value !== "boolean") throw mismatch(schema, value, path);
        converted = value;
        break;
      case "STRING":
        if (typeof value !== "string") throw mismatch(schema, value, path);
        converted = value;
        break;
      case "BYTES":
        if (!Buffer.isBuffer(value)) throw mismatch(schema, value, path);
        converted = value;
        break;
      case "ARRAY": {
        if (!Array.isArray(value) || avro.kind !== "array") throw mismatch(schema, value, path);
        converted = value.map((e, i) => this.#toConnect(schema.valueSchema as Schema, avro.items, e, `${path}[${i}]`));
        break;
      }
      case "MAP": {
        const out = new Map<unknown, unknown>();
        if (value instanceof Map && avro.kind === "map") {
          for (const [k, v] of value) out.set(k, this.#toConnect(schema.valueSchema as Schema, avro.values, v, `${path}.${k}`));
        } else if (Array.isArray(value) && avro.kind === "array" && avro.items.kind === "record") {
          const entry = avro.items;
          const keyIndex = entry.fields.findIndex((f) => f.name === KEY_FIELD);
          const valueIndex = entry.fields.findIndex((f) => f.name === VALUE_FIELD);
          for (const item of value) {
            if (!(item instanceof GenericRecord)) throw mismatch(schema, item, path);
            out.set(
              this.#toConnect(schema.keySchema as Schema, (entry.fields[keyIndex] as AvroField).type, item.values[keyIndex] as AvroValue, `${path}.key`),
              this.#toConnect(schema.valueSchema as Schema, (entry.fields[valueIndex] as AvroField).type, item.values[valueIndex] as AvroValue, `${path}.value`),
            );
          }
        } else {
          throw mismatch(schema, value, path);
        }
        converted = out;
        break;
      }
      case "STRUCT": {
        if (!(value instanceof GenericRecord) || avro.kind !== "record") throw mismatch(schema, value, path);
        const struct = new Struct(schema);
        avro.fields.forEach((avroField, i) => {
          const field = schema.field(avroField.name);
          if (field === null) return;
          struct.put(field, this.#toConnect(field.schema, avroField.type, value.values[i] as AvroValue, path === "" ? field.name : `${path}.${field.name}`));
        });
        converted = struct;
        break;
      }
    }
    return toConnectLogical(schema, converted);
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

function at(path: string): string {
  return path === "" ? "" : ` (at ${path})`;
}

function mismatch(schema: Schema, value: unknown, path: string): DataException {
  return new DataException(`Invalid type for ${schema.type}: ${describe(value)}${at(path)}`);
}

function shapeMismatch(schema: Schema, avro: AvroSchema, path: string): DataException {
  return new DataException(`A Connect ${schema.type} does not fit the Avro type ${avroTypeName(avro)}${at(path)}`);
}

function scrubFullName(name: string): string {
  const { namespace, name: short } = splitName(name, true);
  return namespace === null ? short : `${namespace}.${short}`;
}

function isMapEntry(avro: AvroSchema): avro is AvroRecord {
  if (avro.kind !== "record") return false;
  return (avro.namespace === NAMESPACE && avro.name === MAP_ENTRY_TYPE_NAME) || stringProp(avro, CONNECT_INTERNAL_TYPE_NAME) === MAP_ENTRY_TYPE_NAME;
}

function decimalBuilder(props: AvroProps): SchemaBuilder {
  const scale = props.get("scale");
  if (!(scale instanceof RawNumber)) throw new DataException("scale must be specified and must be a number.");
  const builder = Decimal.builder(Math.trunc(Number(scale.text)));
  const precision = props.get("precision");
  if (precision !== undefined) {
    if (!(precision instanceof RawNumber)) throw new DataException("precision property must be a JSON Integer. https://avro.apache.org/docs/1.9.1/spec.html#Decimal");
    const p = Math.trunc(Number(precision.text));
    if (p !== CONNECT_AVRO_DECIMAL_PRECISION_DEFAULT) builder.parameter(CONNECT_AVRO_DECIMAL_PRECISION_PROP, String(p));
  }
  return builder;
}

/** The Avro type names a Connect schema's values can be written as, best first. */
function avroKindsFor(schema: Schema, config: AvroDataConfig): string[] {
  switch (schema.type) {
    case "INT8":
    case "INT16":
    case "INT32":
      return schema.name === DATE_NAME || schema.name === TIME_NAME ? ["int"] : ["int", "long", "float", "double"];
    case "INT64":
      return ["long", "float", "double"];
    case "FLOAT32":
      return ["float", "double"];
    case "FLOAT64":
      return ["double"];
    case "BOOLEAN":
      return ["boolean"];
    case "STRING":
      return isEnumSchema(schema) && config.enhancedSchemaSupport ? ["enum", "string"] : ["string", "enum"];
    case "BYTES":
      return schema.parameters?.has(CONNECT_AVRO_FIXED_SIZE_PROP) ? ["fixed", "bytes"] : ["bytes", "fixed"];
    case "ARRAY":
      return ["array"];
    case "MAP": {
      const key = schema.keySchema as Schema;
      return key.type === "STRING" && (!key.optional || config.allowOptionalMapKeys) ? ["map", "array"] : ["array", "map"];
    }
    case "STRUCT":
      return ["record"];
  }
}

/** A number for the Avro numeric type (Java's writer takes any Number for any numeric type). */
function numberFor(schema: Schema, avro: AvroSchema, value: unknown, path: string): AvroValue {
  if (typeof value !== "number" && typeof value !== "bigint") throw mismatch(schema, value, path);
  const type = avro.kind === "primitive" ? avro.type : null;
  switch (type) {
    case "int": {
      const n = Number(value);
      if (!Number.isInteger(n) || n < -(2 ** 31) || n >= 2 ** 31) throw new DataException(`Value ${value} does not fit an Avro int${at(path)}`);
      return n;
    }
    case "long":
      if (typeof value === "bigint") return value;
      if (!Number.isInteger(value)) throw new DataException(`Value ${value} does not fit an Avro long${at(path)}`);
      return BigInt(value);
    case "float":
    case "double":
      return Number(value);
    default:
      throw shapeMismatch(schema, avro, path);
  }
}

function nullFor(avro: AvroSchema, path: string): AvroValue {
  if (avro.kind === "primitive" && avro.type === "null") return null;
  if (avro.kind === "union") {
    const i = avro.types.findIndex((t) => t.kind === "primitive" && t.type === "null");
    if (i >= 0) return new UnionBranch(i, null);
  }
  throw new DataException(`Found null value for a non-nullable Avro ${avroTypeName(avro)}${at(path)}`);
}

function asMap(value: unknown): Map<unknown, unknown> | null {
  if (value instanceof Map) return value;
  if (typeof value === "object" && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype) {
    return new Map(Object.entries(value));
  }
  return null;
}

/** An Avro value of a JSON default (a field the Connect schema does not have). */
export function jsonToAvro(avro: AvroSchema, json: JsonValue): AvroValue {
  switch (avro.kind) {
    case "primitive":
      switch (avro.type) {
        case "null":
          return null;
        case "boolean":
          return json === true;
        case "int":
          return Math.trunc(numberOf(json));
        case "long":
          return json instanceof RawNumber && json.integral ? BigInt(json.text) : BigInt(Math.trunc(numberOf(json)));
        case "float":
        case "double":
          return numberOf(json);
        case "bytes":
          return Buffer.from(String(json), "latin1");
        case "string":
          return String(json);
      }
      return null;
    case "enum":
      return String(json);
    case "fixed":
      return Buffer.from(String(json), "latin1");
    case "array":
      return Array.isArray(json) ? json.map((e) => jsonToAvro(avro.items, e)) : [];
    case "map": {
      const out = new Map<string, AvroValue>();
      if (isJsonObject(json)) for (const [k, v] of Object.entries(json)) out.set(k, jsonToAvro(avro.values, v));
      return out;
    }
    case "record": {
      const obj = isJsonObject(json) ? json : {};
      return new GenericRecord(
        avro,
        avro.fields.map((f) => jsonToAvro(f.type, obj[f.name] ?? f.default ?? null)),
      );
    }
    case "union":
      return new UnionBranch(0, jsonToAvro(avro.types[0] as AvroSchema, json));
  }
}

/** The JavaScript value of an Anything record (schemaless data). */
function fromAnything(value: AvroValue): unknown {
  if (value === null) return null;
  if (!(value instanceof GenericRecord)) throw new DataException("Invalid Avro data for schemaless Connect data");
  for (const field of ANYTHING_SCHEMA.fields) {
    const branch = value.values[ANYTHING_FIELD.get(field.name) as number];
    const v = branch instanceof UnionBranch ? branch.value : branch;
    if (v === null || v === undefined) continue;
    switch (field.name) {
      case "array":
        return (v as AvroValue[]).map(fromAnything);
      case "map": {
        const out = new Map<unknown, unknown>();
        for (const entry of v as GenericRecord[]) out.set(fromAnything(entry.values[0] as AvroValue), fromAnything(entry.values[1] as AvroValue));
        return out;
      }
      default:
        return v;
    }
  }
  return null;
}

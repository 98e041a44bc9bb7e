// Connect data <-> Protobuf, as Confluent's ProtobufData (io.confluent.connect.protobuf) maps them:
//
//   reading  a message is a STRUCT named after the message (its full name with
//            enhanced.protobuf.schema.support), every field optional, its number kept in the
//            parameter io.confluent.connect.protobuf.Tag; int32/sint32/sfixed32 INT32 (INT8/INT16
//            with (confluent.field_meta) connect.type), the other integers INT64, float FLOAT32,
//            double FLOAT64, bool, string, bytes; an enum a STRING with its values in parameters;
//            repeated an ARRAY; a map (or a repeated XxxEntry {key, value} message) a MAP; a oneof a
//            STRUCT field <oneof>_<index> named io.confluent.connect.protobuf.Union.<oneof>;
//            confluent.type.Decimal, google.type.Date, google.type.TimeOfDay and
//            google.protobuf.Timestamp Connect's Decimal, Date, Time and Timestamp.
//   writing  a STRUCT schema becomes a proto3 file with one top-level message (fields numbered
//            in order, or by their Tag parameter), nested messages for structs, XxxEntry
//            messages for maps, enums for enum strings, oneofs for Union structs.
//
// Not supported: wrapper.for.nullables (google.protobuf.*Value as optional primitives), proto2
// defaults, recursive messages.
import {
  ConnectDate,
  ConnectTime,
  ConnectTimestamp,
  DataException,
  Decimal,
  Schema,
  SchemaBuilder,
  schemaEquals,
  Struct,
} from "../../connect/api/index.ts";
import type { ProtobufParsedSchema } from "../formats/protobuf/index.ts";
import type { ProtoEnum, ProtoField, ProtoFieldType, ProtoMessage, ProtoObject, ProtoValue } from "../formats/protobuf/model.ts";
import { copySchema } from "./schema-copy.ts";

export const NAMESPACE = "io.confluent.connect.protobuf";
export const DEFAULT_SCHEMA_NAME = "ConnectDefault";
export const PROTOBUF_TYPE_ENUM = `${NAMESPACE}.Enum`;
export const PROTOBUF_TYPE_UNION = `${NAMESPACE}.Union`;
export const PROTOBUF_TYPE_TAG = `${NAMESPACE}.Tag`;
const ENUM_PREFIX = `${PROTOBUF_TYPE_ENUM}.`;
const UNION_PREFIX = `${PROTOBUF_TYPE_UNION}.`;
const CONNECT_TYPE_PROP = "connect.type";
const CONNECT_PRECISION_PROP = "connect.decimal.precision";

const DECIMAL_TYPE = "confluent.type.Decimal";
const DATE_TYPE = "google.type.Date";
const TIME_TYPE = "google.type.TimeOfDay";
const TIMESTAMP_TYPE = "google.protobuf.Timestamp";
const IMPORTS: Record<string, string> = {
  [DECIMAL_TYPE]: "confluent/type/decimal.proto",
  [DATE_TYPE]: "google/type/date.proto",
  [TIME_TYPE]: "google/type/timeofday.proto",
  [TIMESTAMP_TYPE]: "google/protobuf/timestamp.proto",
};
const META_IMPORT = "confluent/meta.proto";

export interface ProtobufDataConfig {
  /** enhanced.protobuf.schema.support: structs named after the message's full name (default false). */
  readonly enhancedSchemaSupport: boolean;
  /** scrub.invalid.names (default false). */
  readonly scrubInvalidNames: boolean;
}

/** The .proto text of a Connect schema, and how to find its message. */
export interface GeneratedProto {
  readonly text: string;
  /** The root message's full name. */
  readonly messageName: string;
}

function scrub(name: string, on: boolean): string {
  if (!on) return name;
  let encoded = encodeURIComponent(name).replace(/%20/g, "+");
  if (!/^[A-Za-z]/.test(encoded)) encoded = `x${encoded}`;
  return encoded.replace(/[^A-Za-z0-9_]/g, "_");
}

function splitName(fullName: string): { namespace: string | null; name: string } {
  const dot = fullName.lastIndexOf(".");
  return dot < 0 ? { namespace: null, name: fullName } : { namespace: fullName.slice(0, dot), name: fullName.slice(dot + 1) };
}

/** protoc's entry message name for a map field: CamelCase of the name, then "Entry". */
function toMapEntry(name: string): string {
  const camel = name.replace(/(^|_)([a-zA-Z0-9])/g, (_m, _u: string, c: string) => c.toUpperCase());
  return `${camel}Entry`;
}

function paramsOf(field: ProtoField): Record<string, string> {
  const meta = field.options["(confluent.field_meta)"];
  const out: Record<string, string> = {};
  if (typeof meta !== "object" || meta === null || Array.isArray(meta)) return out;
  const params = (meta as Record<string, unknown>).params;
  const entries = Array.isArray(params) ? params : params === undefined ? [] : [params];
  for (const entry of entries) {
    if (typeof entry !== "object" || entry === null) continue;
    const { key, value } = entry as { key?: unknown; value?: unknown };
    if (typeof key === "string") out[key] = String(value ?? "");
    else for (const [k, v] of Object.entries(entry as Record<string, unknown>)) out[k] = String(v);
  }
  return out;
}

interface MessageText {
  readonly lines: string[];
}

export class ProtobufData {
  readonly config: ProtobufDataConfig;
  /** Confluent numbers unnamed schemas per converter instance: ConnectDefault1, ConnectDefault2 ... */
  #defaultNameIndex = 0;
  readonly #generated = new WeakMap<Schema, GeneratedProto>();
  readonly #toConnect = new WeakMap<ProtoMessage, Schema>();

  constructor(config: Partial<ProtobufDataConfig> = {}) {
    this.config = { enhancedSchemaSupport: false, scrubInvalidNames: false, ...config };
  }

  #nameOrDefault(name: string | null): string {
    return name !== null && name !== "" ? name : `${DEFAULT_SCHEMA_NAME}${++this.#defaultNameIndex}`;
  }

  #unqualified(name: string | null): string {
    return scrub(splitName(this.#nameOrDefault(name)).name, this.config.scrubInvalidNames);
  }

  // -------------------------------------------------------------------------------------------
  // Connect schema -> .proto

  fromConnectSchema(schema: Schema): GeneratedProto {
    const cached = this.#generated.get(schema);
    if (cached !== undefined) return cached;
    if (schema.type !== "STRUCT") throw new DataException(`Unsupported root schema of type ${schema.type}`);
    const { namespace, name: rawName } = splitName(this.#nameOrDefault(schema.name));
    const name = scrub(rawName, this.config.scrubInvalidNames);
    const imports = new Set<string>();
    const prefix = namespace === null ? "" : `${namespace}.`;
    const defined = new Map<string, string>([[schema.name ?? name, `${prefix}${name}`]]);
    const body = this.#message(schema, name, `${prefix}${name}`, imports, defined, "");
    const head = ['syntax = "proto3";', ...(namespace === null ? [] : [`package ${namespace};`]), ...[...imports].sort().map((i) => `import "${i}";`)];
    const generated = { text: `${head.join("\n")}\n\n${body.lines.join("\n")}\n`, messageName: `${prefix}${name}` };
    this.#generated.set(schema, generated);
    return generated;
  }

  #message(schema: Schema, name: string, fullName: string, imports: Set<string>, defined: Map<string, string>, indent: string): MessageText {
    const inner = `${indent}  `;
    const fields: string[] = [];
    const nested: string[] = [];
    let tag = 1;
    for (const field of schema.fields) {
      const fieldName = scrub(field.name, this.config.scrubInvalidNames);
      const fieldSchema = field.schema;
      if (fieldSchema.type === "STRUCT" && fieldSchema.name?.startsWith(UNION_PREFIX)) {
        const oneof = scrub(splitName(fieldSchema.name.slice(UNION_PREFIX.length)).name, this.config.scrubInvalidNames);
        fields.push(`${inner}oneof ${oneof} {`);
        for (const member of fieldSchema.fields) {
          const memberTag = Number(member.schema.parameters?.get(PROTOBUF_TYPE_TAG) ?? 0);
          const line = this.#field(member.schema, scrub(member.name, this.config.scrubInvalidNames), memberTag, fullName, imports, defined, `${inner}  `, nested, true);
          fields.push(line);
        }
        fields.push(`${inner}}`);
        continue;
      }
      const explicit = fieldSchema.parameters?.get(PROTOBUF_TYPE_TAG);
      const number = explicit !== undefined ? Number(explicit) : tag++;
      fields.push(this.#field(fieldSchema, fieldName, number, fullName, imports, defined, inner, nested, false));
    }
    return { lines: [`${indent}message ${name} {`, ...fields, ...nested, `${indent}}`] };
  }

  /** One field line; nested message, entry and enum definitions go to `nested`. */
  #field(schema: Schema, name: string, number: number, scope: string, imports: Set<string>, defined: Map<string, string>, indent: string, nested: string[], inOneof: boolean): string {
    let label = "";
    let element = schema;
    if (schema.type === "ARRAY") {
      if (inOneof) throw new DataException(`A repeated field cannot be in a oneof: ${name}`);
      label = "repeated ";
      element = schema.valueSchema as Schema;
      if (element.type === "ARRAY") throw new DataException("Array cannot be nested");
    } else if (schema.type === "MAP") {
      label = "repeated ";
    }
    const params: Record<string, string> = {};
    let type: string;
    const nestedIndent = indent.replace(/^ {2}/, "") + "  ";
    switch (element.name) {
      case Decimal.LOGICAL_NAME: {
        const precision = element.parameters?.get(CONNECT_PRECISION_PROP);
        if (precision !== undefined) params.precision = precision;
        const scale = element.parameters?.get(Decimal.SCALE_FIELD);
        if (scale !== undefined) params.scale = scale;
        type = `.${DECIMAL_TYPE}`;
        imports.add(IMPORTS[DECIMAL_TYPE] as string);
        break;
      }
      case ConnectDate.LOGICAL_NAME:
        type = `.${DATE_TYPE}`;
        imports.add(IMPORTS[DATE_TYPE] as string);
        break;
      case ConnectTime.LOGICAL_NAME:
        type = `.${TIME_TYPE}`;
        imports.add(IMPORTS[TIME_TYPE] as string);
        break;
      case ConnectTimestamp.LOGICAL_NAME:
        type = `.${TIMESTAMP_TYPE}`;
        imports.add(IMPORTS[TIMESTAMP_TYPE] as string);
        break;
      default:
        type = this.#type(element, name, scope, imports, defined, nestedIndent, nested);
    }
    let options = "";
    if (element.type === "INT8" || element.type === "INT16") params[CONNECT_TYPE_PROP] = element.type.toLowerCase();
    const keys = Object.keys(params);
    if (keys.length > 0) {
      imports.add(META_IMPORT);
      const entries = keys.map((k) => `{ key: "${k}", value: "${params[k]}" }`).join(", ");
      options = ` [(confluent.field_meta) = { params: [${entries}] }]`;
    }
    return `${indent}${label}${type} ${name} = ${number}${options};`;
  }

  #type(schema: Schema, fieldName: string, scope: string, imports: Set<string>, defined: Map<string, string>, indent: string, nested: string[]): string {
    switch (schema.type) {
      case "INT8":
      case "INT16":
      case "INT32":
        return "int32";
      case "INT64":
        return "int64";
      case "FLOAT32":
        return "float";
      case "FLOAT64":
        return "double";
      case "BOOLEAN":
        return "bool";
      case "BYTES":
        return "bytes";
      case "STRING": {
        const enumName = schema.parameters?.get(PROTOBUF_TYPE_ENUM);
        if (enumName === undefined) return "string";
        const short = this.#unqualified(schema.name ?? enumName);
        const key = `enum:${scope}.${short}`;
        if (!defined.has(key)) {
          defined.set(key, `${scope}.${short}`);
          const values = [...(schema.parameters ?? [])].filter(([k]) => k.startsWith(ENUM_PREFIX)).map(([k, v]) => `${indent}  ${k.slice(ENUM_PREFIX.length)} = ${Number(v)};`);
          nested.push(`${indent}enum ${short} {`, ...values, `${indent}}`);
        }
        return `.${defined.get(key) as string}`;
      }
      case "MAP": {
        const entry = toMapEntry(this.#unqualified(schema.name));
        const full = `${scope}.${entry}`;
        const entryNested: string[] = [];
        const key = this.#field(schema.keySchema as Schema, "key", 1, full, imports, defined, `${indent}  `, entryNested, false);
        const value = this.#field(schema.valueSchema as Schema, "value", 2, full, imports, defined, `${indent}  `, entryNested, false);
        nested.push(`${indent}message ${entry} {`, key, value, ...entryNested, `${indent}}`);
        return `.${full}`;
      }
      case "STRUCT": {
        let name = this.#unqualified(schema.name);
        if (name === fieldName) name += "Message";
        const full = `${scope}.${name}`;
        // A named struct met again (a field of the same type) refers to its first definition.
        const key = schema.name ?? full;
        if (!defined.has(key)) {
          defined.set(key, full);
          nested.push(...this.#message(schema, name, full, imports, defined, indent).lines);
        }
        return `.${defined.get(key) as string}`;
      }
      case "ARRAY":
        throw new DataException("Array cannot be nested");
    }
  }

  // -------------------------------------------------------------------------------------------
  // Connect value -> message value

  fromConnectData(schema: Schema, value: unknown): ProtoObject {
    if (!(value instanceof Struct)) throw new DataException(`Invalid type for STRUCT: ${typeof value}`);
    return this.#struct(schema, value);
  }

  #struct(schema: Schema, struct: Struct): ProtoObject {
    if (struct.schema !== schema && !schemaEquals(struct.schema, schema)) throw new DataException("Mismatching struct schema");
    const out: Record<string, ProtoValue> = {};
    for (const field of schema.fields) {
      const v = struct.get(field);
      if (v === null || v === undefined) continue;
      if (field.schema.type === "STRUCT" && field.schema.name?.startsWith(UNION_PREFIX)) {
        const union = v as Struct;
        const member = field.schema.fields.find((f) => union.get(f) !== null);
        if (member === undefined) throw new DataException("Cannot find non-null field");
        out[scrub(member.name, this.config.scrubInvalidNames)] = this.#value(member.schema, union.get(member)) as ProtoValue;
        continue;
      }
      const converted = this.#value(field.schema, v);
      if (converted !== null) out[scrub(field.name, this.config.scrubInvalidNames)] = converted;
    }
    return out;
  }

  #value(schema: Schema, value: unknown): ProtoValue | null {
    if (value === null || value === undefined) return null;
    switch (schema.name) {
      case Decimal.LOGICAL_NAME: {
        const d = value as Decimal;
        return { value: Decimal.fromLogical(Decimal.schema(d.scale), d), precision: d.precision, scale: d.scale };
      }
      case ConnectDate.LOGICAL_NAME: {
        ConnectDate.fromLogical(schema, value as Date);
        const date = value as Date;
        return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
      }
      case ConnectTime.LOGICAL_NAME: {
        const ms = ConnectTime.fromLogical(schema, value as Date);
        return { hours: Math.floor(ms / 3_600_000), minutes: Math.floor(ms / 60_000) % 60, seconds: Math.floor(ms / 1000) % 60, nanos: (ms % 1000) * 1_000_000 };
      }
      case ConnectTimestamp.LOGICAL_NAME: {
        const ms = ConnectTimestamp.fromLogical(schema, value as Date);
        const seconds = ms >= 0n ? ms / 1000n : -((-ms + 999n) / 1000n);
        return { seconds, nanos: Number(ms - seconds * 1000n) * 1_000_000 };
      }
    }
    switch (schema.type) {
      case "INT8":
      case "INT16":
      case "INT32":
      case "FLOAT32":
      case "FLOAT64":
        if (typeof value !== "number") throw new DataException(`Invalid type for ${schema.type}: ${typeof value}`);
        return value;
      case "INT64":
        if (typeof value !== "bigint") throw new DataException(`Invalid type for INT64: ${typeof value}`);
        return value;
      case "BOOLEAN":
        return value as boolean;
      case "STRING": {
        const tag = schema.parameters?.has(PROTOBUF_TYPE_ENUM) ? schema.parameters.get(`${ENUM_PREFIX}${String(value)}`) : undefined;
        return tag !== undefined ? Number(tag) : (value as string);
      }
      case "BYTES":
        return value as Uint8Array;
      case "ARRAY": {
        const items = value as unknown[];
        if (items.length === 0) return null;
        return items.map((e) => this.#value(schema.valueSchema as Schema, e) ?? defaultOf(schema.valueSchema as Schema));
      }
      case "MAP": {
        const entries: ProtoValue[] = [];
        for (const [k, v] of value as Map<unknown, unknown>) {
          const entry: Record<string, ProtoValue> = {};
          const key = this.#value(schema.keySchema as Schema, k);
          const val = this.#value(schema.valueSchema as Schema, v);
          if (key !== null) entry.key = key;
          if (val !== null) entry.value = val;
          entries.push(entry);
        }
        return entries.length === 0 ? null : entries;
      }
      case "STRUCT":
        return this.#struct(schema, value as Struct);
    }
  }

  // -------------------------------------------------------------------------------------------
  // message -> Connect

  /** The Connect schema of a message of the schema (the registry's version as the schema's version). */
  toConnectSchema(parsed: ProtobufParsedSchema, message: ProtoMessage, version: number | null): Schema {
    const cached = version === null ? this.#toConnect.get(message) : undefined;
    if (cached !== undefined) return cached;
    const builder = this.#structBuilder(parsed, message, new Set());
    if (version !== null) builder.version(version);
    const schema = builder.build();
    if (version === null) this.#toConnect.set(message, schema);
    return schema;
  }

  #structBuilder(parsed: ProtobufParsedSchema, message: ProtoMessage, inProgress: Set<string>): SchemaBuilder {
    if (inProgress.has(message.fullName)) throw new DataException(`Recursive Protobuf messages are not supported: ${message.fullName}`);
    inProgress.add(message.fullName);
    const builder = SchemaBuilder.struct().name(this.config.enhancedSchemaSupport ? message.fullName : message.name);
    message.oneofs.forEach((oneof, index) => {
      const union = SchemaBuilder.struct().name(`${UNION_PREFIX}${oneof.name}`);
      for (const name of oneof.fields) {
        const field = message.fields.find((f) => f.name === name) as ProtoField;
        union.field(field.name, this.#fieldSchema(parsed, field, inProgress));
      }
      builder.field(`${oneof.name}_${index}`, union.optional().build());
    });
    for (const field of message.fields) {
      if (field.oneof !== null) continue;
      builder.field(field.name, this.#fieldSchema(parsed, field, inProgress));
    }
    inProgress.delete(message.fullName);
    return builder;
  }

  #fieldSchema(parsed: ProtobufParsedSchema, field: ProtoField, inProgress: Set<string>): Schema {
    let builder: SchemaBuilder;
    if (field.type.kind === "map") {
      builder = SchemaBuilder.map(this.#typeSchema(parsed, { kind: "scalar", scalar: field.type.key }, field, inProgress), this.#typeSchema(parsed, field.type.value, field, inProgress));
    } else {
      const element = this.#typeSchema(parsed, field.type, field, inProgress);
      if (field.label === "repeated" && element.type !== "MAP") builder = SchemaBuilder.array(element);
      else return withTag(element, field.number);
    }
    return withTag(builder.optional().build(), field.number);
  }

  #typeSchema(parsed: ProtobufParsedSchema, type: ProtoFieldType, field: ProtoField, inProgress: Set<string>): Schema {
    let builder: SchemaBuilder;
    switch (type.kind) {
      case "scalar":
        switch (type.scalar) {
          case "int32":
          case "sint32":
          case "sfixed32": {
            const connectType = paramsOf(field)[CONNECT_TYPE_PROP];
            builder = connectType === "int8" ? SchemaBuilder.int8() : connectType === "int16" ? SchemaBuilder.int16() : SchemaBuilder.int32();
            break;
          }
          case "uint32":
          case "fixed32":
          case "int64":
          case "uint64":
          case "sint64":
          case "fixed64":
          case "sfixed64":
            builder = SchemaBuilder.int64();
            break;
          case "float":
            builder = SchemaBuilder.float32();
            break;
          case "double":
            builder = SchemaBuilder.float64();
            break;
          case "bool":
            builder = SchemaBuilder.bool();
            break;
          case "string":
            builder = SchemaBuilder.string();
            break;
          case "bytes":
            builder = SchemaBuilder.bytes();
            break;
        }
        break;
      case "enum": {
        const protoEnum = findEnum(parsed, type.fullName);
        builder = SchemaBuilder.string().name(protoEnum.name).parameter(PROTOBUF_TYPE_ENUM, protoEnum.name);
        for (const v of protoEnum.values) builder.parameter(`${ENUM_PREFIX}${v.name}`, String(v.number));
        break;
      }
      case "map":
        builder = SchemaBuilder.map(this.#typeSchema(parsed, { kind: "scalar", scalar: type.key }, field, inProgress), this.#typeSchema(parsed, type.value, field, inProgress));
        break;
      case "message":
      case "group":
        switch (type.fullName) {
          case DECIMAL_TYPE: {
            const params = paramsOf(field);
            builder = Decimal.builder(Number(params.scale ?? 0) || 0);
            if (params.precision !== undefined) builder.parameter(CONNECT_PRECISION_PROP, params.precision);
            break;
          }
          case DATE_TYPE:
            builder = ConnectDate.builder();
            break;
          case TIME_TYPE:
            builder = ConnectTime.builder();
            break;
          case TIMESTAMP_TYPE:
            builder = ConnectTimestamp.builder();
            break;
          default: {
            const message = parsed.findMessage(type.fullName);
            if (message === undefined) throw new DataException(`Unknown message type ${type.fullName}`);
            if (isMapEntry(message)) {
              const [key, value] = message.fields as [ProtoField, ProtoField];
              builder = SchemaBuilder.map(this.#fieldSchema(parsed, key, inProgress), this.#fieldSchema(parsed, value, inProgress)).name(field.name);
            } else {
              builder = this.#structBuilder(parsed, message, inProgress);
            }
          }
        }
        break;
    }
    return builder.optional().build();
  }

  /** The Connect value of a decoded message. */
  toConnectData(schema: Schema, message: ProtoMessage, parsed: ProtobufParsedSchema, value: ProtoObject): Struct {
    const struct = new Struct(schema);
    message.oneofs.forEach((oneof, index) => {
      const member = oneof.fields.find((name) => value[name] !== undefined);
      if (member === undefined) return;
      const unionField = schema.field(`${oneof.name}_${index}`);
      if (unionField === null) return;
      const field = message.fields.find((f) => f.name === member) as ProtoField;
      const unionSchema = unionField.schema;
      struct.put(unionField, new Struct(unionSchema).put(member, this.#fieldValue(unionSchema.field(member)?.schema as Schema, field, parsed, value[member] as ProtoValue)));
    });
    for (const field of message.fields) {
      if (field.oneof !== null) continue;
      const v = value[field.name];
      const target = schema.field(field.name);
      if (v === undefined || target === null) continue;
      struct.put(target, this.#fieldValue(target.schema, field, parsed, v));
    }
    return struct;
  }

  #fieldValue(schema: Schema, field: ProtoField, parsed: ProtobufParsedSchema, value: ProtoValue): unknown {
    const type = field.type;
    if (type.kind === "map") {
      const out = new Map<unknown, unknown>();
      for (const [k, v] of Object.entries(value as ProtoObject)) out.set(mapKey(schema.keySchema as Schema, k), this.#convert(schema.valueSchema as Schema, type.value, parsed, v));
      return out;
    }
    if (schema.type === "ARRAY") return (value as ProtoValue[]).map((e) => this.#convert(schema.valueSchema as Schema, type, parsed, e));
    return this.#convert(schema, type, parsed, value);
  }

  #convert(schema: Schema, type: ProtoFieldType, parsed: ProtobufParsedSchema, value: ProtoValue | undefined): unknown {
    if (value === undefined) return null;
    switch (schema.name) {
      case Decimal.LOGICAL_NAME: {
        const m = value as ProtoObject;
        const bytes = m.value as Uint8Array | undefined;
        const scale = Number(m.scale ?? 0);
        return bytes === undefined || bytes.length === 0 ? new Decimal(0n, scale) : Decimal.toLogical(Decimal.schema(scale), bytes);
      }
      case ConnectDate.LOGICAL_NAME: {
        const m = value as ProtoObject;
        return new Date(Date.UTC(Number(m.year ?? 0), Number(m.month ?? 1) - 1, Number(m.day ?? 1)));
      }
      case ConnectTime.LOGICAL_NAME: {
        const m = value as ProtoObject;
        return new Date(Number(m.hours ?? 0) * 3_600_000 + Number(m.minutes ?? 0) * 60_000 + Number(m.seconds ?? 0) * 1000 + Math.floor(Number(m.nanos ?? 0) / 1_000_000));
      }
      case ConnectTimestamp.LOGICAL_NAME: {
        const m = value as ProtoObject;
        return new Date(Number(BigInt((m.seconds as bigint | number | undefined) ?? 0) * 1000n) + Math.floor(Number(m.nanos ?? 0) / 1_000_000));
      }
    }
    switch (schema.type) {
      case "INT8":
      case "INT16":
      case "INT32":
        return Number(value);
      case "INT64":
        return typeof value === "bigint" ? BigInt.asIntN(64, value) : BigInt(value as number);
      case "FLOAT32":
      case "FLOAT64":
        return Number(value);
      case "BOOLEAN":
        return value === true;
      case "STRING":
        return typeof value === "string" ? value : String(value);
      case "BYTES":
        return Buffer.from(value as Uint8Array);
      case "ARRAY":
        return (value as ProtoValue[]).map((e) => this.#convert(schema.valueSchema as Schema, type, parsed, e));
      case "STRUCT":
      case "MAP": {
        if (type.kind !== "message" && type.kind !== "group") throw new DataException(`A ${schema.type} from a protobuf ${type.kind}`);
        const message = parsed.findMessage(type.fullName);
        if (message === undefined) throw new DataException(`Unknown message type ${type.fullName}`);
        if (schema.type === "STRUCT") return this.toConnectData(schema, message, parsed, value as ProtoObject);
        // A repeated XxxEntry {key, value} message: a map.
        const [keyField, valueField] = message.fields as [ProtoField, ProtoField];
        const out = new Map<unknown, unknown>();
        for (const entry of value as ProtoObject[]) {
          out.set(this.#convert(schema.keySchema as Schema, keyField.type, parsed, entry.key), this.#convert(schema.valueSchema as Schema, valueField.type, parsed, entry.value));
        }
        return out;
      }
    }
  }
}

function withTag(schema: Schema, number: number): Schema {
  const params = new Map(schema.parameters ?? []);
  params.set(PROTOBUF_TYPE_TAG, String(number));
  return copySchema(schema, { optional: true, parameters: params });
}

function defaultOf(schema: Schema): ProtoValue {
  switch (schema.type) {
    case "INT64":
      return 0n;
    case "STRING":
      return "";
    case "BOOLEAN":
      return false;
    case "BYTES":
      return new Uint8Array(0);
    case "STRUCT":
      return {};
    default:
      return 0;
  }
}

function mapKey(schema: Schema, text: string): unknown {
  switch (schema.type) {
    case "INT8":
    case "INT16":
    case "INT32":
      return Number(text);
    case "INT64":
      return BigInt(text);
    case "BOOLEAN":
      return text === "true";
    default:
      return text;
  }
}

function isMapEntry(message: ProtoMessage): boolean {
  return message.name.endsWith("Entry") && message.fields.length === 2 && message.fields[0]?.name === "key" && message.fields[1]?.name === "value";
}

function findEnum(parsed: ProtobufParsedSchema, fullName: string): ProtoEnum {
  const files = [parsed.file, ...parsed.dependencies.values()];
  const visit = (messages: readonly ProtoMessage[]): ProtoEnum | undefined => {
    for (const m of messages) {
      const found = m.enums.find((e) => e.fullName === fullName) ?? visit(m.messages);
      if (found) return found;
    }
    return undefined;
  };
  for (const file of files) {
    const found = file.enums.find((e) => e.fullName === fullName) ?? visit(file.messages);
    if (found) return found;
  }
  throw new DataException(`Unknown enum type ${fullName}`);
}

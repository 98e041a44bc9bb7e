// Cast (org.apache.kafka.connect.transforms.Cast$Key / $Value): casts fields (`spec` =
// "field:type,...") or the whole key/value (`spec` = "type") to INT8, INT16, INT32, INT64,
// FLOAT32, FLOAT64, BOOLEAN or STRING, with Java's conversions: numbers narrow as Java's
// byteValue()/intValue()/longValue() do, booleans become 1/0, strings are parsed, anything becomes
// text. Inputs supported: the primitive types (BYTES to STRING only, as Base64). Not yet: the
// logical types (Decimal, Date, Time, Timestamp) as inputs.
import {
  ConfigDef,
  ConfigException,
  type ConnectRecord,
  DataException,
  inferSchemaType,
  javaDoubleToString,
  javaFloatToString,
  type Schema,
  SchemaBuilder,
  type SchemaType,
  Struct,
  Transformation,
  type PluginConfigs,
} from "../connect/api/index.ts";
import { copySchemaBasics, KAFKA_TRANSFORMS_PACKAGE, keyValuePlugins, operatingSchema, operatingValue, REPLACE_NULL_WITH_DEFAULT_DOC, requireMap, requireStruct, type Side, structGet, withOperated } from "./util.ts";

const PURPOSE = "cast types";
const OUTPUT_TYPES: readonly string[] = ["INT8", "INT16", "INT32", "INT64", "FLOAT32", "FLOAT64", "BOOLEAN", "STRING"];
const INPUT_TYPES: readonly string[] = [...OUTPUT_TYPES, "BYTES"];

interface CastSpec {
  readonly whole: SchemaType | null;
  readonly fields: ReadonlyMap<string, SchemaType>;
}

function parseType(text: string): SchemaType {
  const type = text.trim().toUpperCase();
  if (!OUTPUT_TYPES.includes(type)) throw new ConfigException(`Invalid type found in casting spec: ${text.trim()}`);
  return type as SchemaType;
}

function parseSpec(mappings: readonly string[]): CastSpec {
  const fields = new Map<string, SchemaType>();
  let whole: SchemaType | null = null;
  for (const mapping of mappings) {
    const parts = mapping.split(":");
    if (parts.length > 2) throw new ConfigException("spec", mappings, `Invalid cast mapping: ${mapping}`);
    if (parts.length === 1) {
      if (mappings.length > 1) throw new ConfigException("spec", mappings, `Cast transformations that specify a type to cast the entire value to may only specify a single cast in their spec`);
      whole = parseType(parts[0]!);
    } else {
      fields.set(parts[0]!.trim(), parseType(parts[1]!));
    }
  }
  return { whole, fields };
}

export const CAST_CONFIG = new ConfigDef()
  .define({
    name: "spec",
    type: "LIST",
    validator: {
      ensureValid: (_name: string, value: unknown) => {
        parseSpec((value as string[] | null) ?? []);
      },
      toString: () => "list of colon-delimited pairs, e.g. <code>foo:bar,abc:xyz</code>",
    },
    importance: "HIGH",
    documentation: "List of fields and the type to cast them to of the form field1:type,field2:type to cast fields of Maps or Structs. A single type to cast the entire value. Valid types are int8, int16, int32, int64, float32, float64, boolean, and string. Note that binary fields can only be cast to string.",
  })
  .define({ name: "replace.null.with.default", type: "BOOLEAN", defaultValue: true, importance: "MEDIUM", documentation: REPLACE_NULL_WITH_DEFAULT_DOC });

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/** Java's (long) cast of a double: truncation, NaN → 0, saturation. */
function doubleToLong(d: number): bigint {
  if (Number.isNaN(d)) return 0n;
  if (d >= 9.223372036854776e18) return LONG_MAX;
  if (d <= -9.223372036854776e18) return LONG_MIN;
  return BigInt(Math.trunc(d));
}

/** Java's (int) cast of a double. */
function doubleToInt(d: number): number {
  if (Number.isNaN(d)) return 0;
  return Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, Math.trunc(d)));
}

function parseJavaInteger(text: string, bits: number): bigint {
  if (!/^[+-]?\d+$/.test(text)) throw new DataException(`For input string: "${text}"`);
  const n = BigInt(text);
  if (n !== BigInt.asIntN(bits, n)) throw new DataException(`Value out of range. Value:"${text}"`);
  return n;
}

function parseJavaDouble(text: string): number {
  const t = text.trim();
  if (!/^[+-]?(NaN|Infinity|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?)$/.test(t)) throw new DataException(`For input string: "${text}"`);
  return Number(t.replace(/[fFdD]$/, ""));
}

function integral(value: unknown, type: SchemaType | null, bits: number): bigint {
  if (typeof value === "boolean") return value ? 1n : 0n;
  if (typeof value === "string") return parseJavaInteger(value, bits);
  if (typeof value === "bigint") return BigInt.asIntN(bits, value);
  if (typeof value === "number") {
    if (type === "FLOAT32" || type === "FLOAT64" || !Number.isInteger(value)) return BigInt.asIntN(bits, bits === 64 ? doubleToLong(value) : BigInt(doubleToInt(value)));
    return BigInt.asIntN(bits, BigInt(value));
  }
  throw new DataException(`Unexpected type in Cast transformation: ${typeof value}`);
}

function castValue(value: unknown, from: SchemaType | null, to: SchemaType): unknown {
  if (value === null || value === undefined) return null;
  // Without a schema an integral number is taken as a Java Long (what JSON integers read as), so
  // narrowing wraps around as Kafka's does; other numbers are doubles.
  const type = from ?? (typeof value === "number" ? (Number.isInteger(value) ? "INT64" : "FLOAT64") : inferSchemaType(value));
  if (type === null || !INPUT_TYPES.includes(type)) throw new DataException(`Cast transformation does not support casting from ${type ?? typeof value}`);
  if (type === "BYTES" && to !== "STRING") throw new DataException(`Unexpected type in Cast transformation: BYTES`);
  switch (to) {
    case "INT8": return Number(integral(value, type, 8));
    case "INT16": return Number(integral(value, type, 16));
    case "INT32": return Number(integral(value, type, 32));
    case "INT64": return integral(value, type, 64);
    case "FLOAT32":
    case "FLOAT64": {
      const d = typeof value === "boolean" ? (value ? 1 : 0) : typeof value === "string" ? parseJavaDouble(value) : Number(value);
      return to === "FLOAT32" ? Math.fround(d) : d;
    }
    case "BOOLEAN":
      if (typeof value === "string") return value.toLowerCase() === "true";
      if (typeof value === "boolean") return value;
      return typeof value === "bigint" ? value !== 0n : (value as number) !== 0;
    case "STRING":
      if (Buffer.isBuffer(value) || value instanceof Uint8Array) return Buffer.from(value).toString("base64");
      if (typeof value === "number") return type === "FLOAT64" ? javaDoubleToString(value) : type === "FLOAT32" ? javaFloatToString(value) : String(value);
      return String(value);
    default:
      throw new DataException(`Unexpected type in Cast transformation: ${to}`);
  }
}

function typeBuilder(type: SchemaType): SchemaBuilder {
  return SchemaBuilder.type(type);
}

export class Cast extends Transformation {
  readonly #side: Side;
  #spec: CastSpec = { whole: null, fields: new Map() };
  #replaceNullWithDefault = true;
  readonly #schemaCache = new Map<Schema, Schema>();

  constructor(side: Side) {
    super();
    this.#side = side;
  }

  override configure(configs: PluginConfigs): void {
    const c = CAST_CONFIG.parse(configs);
    this.#spec = parseSpec(c["spec"] as string[]);
    this.#replaceNullWithDefault = c["replace.null.with.default"] as boolean;
  }

  override apply(record: ConnectRecord): ConnectRecord | null {
    const schema = operatingSchema(record, this.#side);
    const value = operatingValue(record, this.#side);
    if (value === null || value === undefined) return record;
    const whole = this.#spec.whole;
    if (schema === null) {
      if (whole !== null) return withOperated(record, this.#side, null, castValue(value, null, whole));
      const updated: Record<string, unknown> = { ...requireMap(value, PURPOSE) };
      for (const [field, type] of this.#spec.fields) if (field in updated) updated[field] = castValue(updated[field], null, type);
      return withOperated(record, this.#side, null, updated);
    }
    const updatedSchema = this.#updatedSchema(schema);
    if (whole !== null) return withOperated(record, this.#side, updatedSchema, castValue(value, schema.type, whole));
    const struct = requireStruct(value, PURPOSE);
    const updated = new Struct(updatedSchema);
    for (const field of struct.schema.fields) {
      const original = structGet(struct, field.name, this.#replaceNullWithDefault);
      const to = this.#spec.fields.get(field.name);
      updated.put(field.name, to === undefined ? original : castValue(original, field.schema.type, to));
    }
    return withOperated(record, this.#side, updatedSchema, updated);
  }

  #updatedSchema(schema: Schema): Schema {
    let updated = this.#schemaCache.get(schema);
    if (updated) return updated;
    const whole = this.#spec.whole;
    let builder: SchemaBuilder;
    if (whole !== null) {
      if (!INPUT_TYPES.includes(schema.type) || schema.name !== null) throw new DataException(`Cast transformation does not support casting from ${schema.name ?? schema.type}`);
      builder = copySchemaBasics(schema, typeBuilder(whole));
    } else {
      if (schema.type !== "STRUCT") throw new DataException(`Only Struct objects supported for [${PURPOSE}], found: ${schema.type}`);
      builder = copySchemaBasics(schema, SchemaBuilder.struct());
      for (const field of schema.fields) {
        const to = this.#spec.fields.get(field.name);
        if (to === undefined) {
          builder.field(field.name, field.schema);
          continue;
        }
        if (field.schema.name !== null || !INPUT_TYPES.includes(field.schema.type)) throw new DataException(`Cast transformation does not support casting from ${field.schema.name ?? field.schema.type}`);
        const fieldBuilder = typeBuilder(to);
        if (field.schema.optional) fieldBuilder.optional();
        if (field.schema.defaultValue !== null) fieldBuilder.defaultValue(castValue(field.schema.defaultValue, field.schema.type, to));
        builder.field(field.name, fieldBuilder);
      }
    }
    if (schema.optional) builder.optional();
    if (schema.defaultValue !== null && whole !== null) builder.defaultValue(castValue(schema.defaultValue, schema.type, whole));
    updated = builder.build();
    this.#schemaCache.set(schema, updated);
    return updated;
  }

  override config(): ConfigDef {
    return CAST_CONFIG;
  }
}

export const [castKeyPlugin, castValuePlugin] = keyValuePlugins(
  "Cast",
  `${KAFKA_TRANSFORMS_PACKAGE}.Cast`,
  CAST_CONFIG,
  "Cast fields or the entire key or value to a specific type",
  (side) => new Cast(side),
);

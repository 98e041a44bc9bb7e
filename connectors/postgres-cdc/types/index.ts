// Column → Connect field: which of Debezium's schemas a PostgreSQL column gets and how its text
// values (pgoutput's, or a text-mode SELECT's) become Connect values, following Debezium's
// PostgresValueConverter (see docs "PostgreSQL connector data type mappings").
import { createHash } from "node:crypto";
import { Decimal, Schema, SchemaBuilder, Struct, validateValue } from "../../../connect/api/index.ts";
import type { ColumnInfo, TypeMappingOptions } from "../contracts.ts";
import { UNCHANGED_TOAST, type ColumnValue } from "../pgoutput/index.ts";
import { defaultText } from "./defaults.ts";
import { moneyType, numericType, simpleNumericType, variableScaleDecimal } from "./numeric.ts";
import { bitType, byteaType, enumType, hstoreType, pointType, textType, unknownType } from "./other.ts";
import { parseArrayText, PgTextError } from "./pg-text.ts";
import { dateType, intervalType, timestampType, timestamptzType, timetzType, timeType } from "./temporal.ts";
import { contextOf, type PgValueType, type TypeContext } from "./value-type.ts";

export type { PgValueType, TypeContext } from "./value-type.ts";
export { PgTextError } from "./pg-text.ts";
export { defaultText } from "./defaults.ts";

/**
 * The value type of a non-array type, or null when Debezium has no mapping for it: such columns
 * are left out of the records unless include.unknown.datatypes is on (PostgresValueConverter
 * returns no schema builder, and TableSchemaBuilder skips the column with a warning).
 */
export function scalarType(ctx: TypeContext): PgValueType | null {
  if (ctx.typeCategory === "E" && ctx.enumValues !== undefined) return enumType(ctx.enumValues);
  const simple = simpleNumericType(ctx.typeName);
  if (simple !== null) return simple;
  switch (ctx.typeName) {
    case "numeric":
      return numericType(ctx);
    case "money":
      return moneyType(ctx);
    case "date":
      return dateType(ctx);
    case "time":
      return timeType(ctx);
    case "timetz":
      return timetzType();
    case "timestamp":
      return timestampType(ctx);
    case "timestamptz":
      return timestamptzType(ctx);
    case "interval":
      return intervalType(ctx);
    case "bytea":
      return byteaType(ctx.options);
    case "bit":
    case "varbit":
      return bitType(ctx);
    case "point":
      return pointType();
    case "hstore":
      return hstoreType(ctx.options);
    default:
      return textType(ctx.typeName) ?? (ctx.options.includeUnknownDatatypes === true ? unknownType(ctx.options) : null);
  }
}

/** Array types whose elements Debezium leaves unmapped (DBZ-459): such columns are skipped. */
const UNMAPPED_ARRAY_ELEMENTS: ReadonlySet<string> = new Set(["money", "name", "interval", "varbit", "bit", "xml", "point", "refcursor"]);

/**
 * Array types whose element schema Debezium declares optional; every other array (enum arrays
 * included) gets the element type's schema as it is, required.
 */
const OPTIONAL_ARRAY_ELEMENTS: ReadonlySet<string> = new Set([
  "int2", "int4", "int8", "oid", "char", "varchar", "text", "bpchar", "inet", "cidr", "macaddr", "macaddr8",
  "tsrange", "tstzrange", "daterange", "int4range", "numrange", "int8range", "numeric", "float4", "float8", "bool",
  "date", "uuid", "jsonb", "json", "time", "timetz", "timestamp", "timestamptz", "bytea", "citext", "hstore", "ltree",
]);

/** An array column: ARRAY of the element's schema; the text is parsed element by element. */
export function arrayType(ctx: TypeContext, elementTypeName: string): PgValueType | null {
  if (UNMAPPED_ARRAY_ELEMENTS.has(elementTypeName)) return null;
  const elementCtx: TypeContext = { ...ctx, typeName: elementTypeName, typeCategory: ctx.enumValues === undefined ? "" : "E" };
  let element = scalarType(elementCtx);
  if (element === null) {
    if (ctx.options.includeUnknownDatatypes !== true) return null;
    element = unknownType(ctx.options);
  }
  const elementSchema = OPTIONAL_ARRAY_ELEMENTS.has(elementTypeName) ? element.schema.with({ optional: true }) : element.schema;
  const convertElement = element.fromText;
  return {
    schema: SchemaBuilder.array(elementSchema).build(),
    fromText: (text) =>
      parseArrayText(text).map((item) => {
        // Debezium's array schemas are one-dimensional; it cannot convert a multi-dimensional value either.
        if (Array.isArray(item)) throw new PgTextError(`one-dimensional ${elementTypeName}[]`, text);
        return item === null ? null : convertElement(item);
      }),
    fallback: [],
  };
}

/** Java's UUID.nameUUIDFromBytes: an MD5 name-based (version 3) UUID. */
function nameUuid(bytes: Buffer): string {
  const md5 = createHash("md5").update(bytes).digest();
  md5[6] = ((md5[6] as number) & 0x0f) | 0x30;
  md5[8] = ((md5[8] as number) & 0x3f) | 0x80;
  const hex = md5.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * An array's placeholder in its element type (UnchangedToastedPlaceholder.getArrayValue): one
 * element for strings (a name-based UUID of the placeholder for uuid[]) and non-decimal bytes;
 * one element per placeholder byte for the numeric and boolean types; null for the rest.
 */
function arrayPlaceholder(element: Schema, text: string, bytes: Buffer): unknown[] | null {
  const each = (f: (b: number) => unknown): unknown[] => [...bytes].map((b) => f(b > 127 ? b - 256 : b));
  switch (element.type) {
    case "STRING":
      return [element.name === "io.debezium.data.Uuid" ? nameUuid(bytes) : text];
    case "BYTES":
      return element.name === Decimal.LOGICAL_NAME ? each((b) => new Decimal(BigInt(b), Decimal.scaleOf(element))) : [bytes];
    case "INT16":
    case "INT32":
    case "FLOAT32":
    case "FLOAT64":
      return each((b) => b);
    case "INT64":
      return each((b) => BigInt(b));
    case "BOOLEAN":
      return each((b) => b !== 0);
    case "STRUCT":
      return element.name === "io.debezium.data.VariableScaleDecimal" ? each((b) => copyStruct(variableScaleDecimal(new Decimal(BigInt(b), 0)), element)) : null;
    default:
      return null;
  }
}

/**
 * What Debezium puts for an unchanged TOASTed value (UnchangedToastedPlaceholder): the
 * placeholder's bytes for bytea in bytes mode, a {placeholder: placeholder} hstore, arrays in
 * their element type (see arrayPlaceholder), and the string for every type whose schema is a
 * string. Other types cannot hold it: null, as Debezium's failed conversion leaves the field.
 */
export function toastPlaceholder(column: ColumnInfo, schema: Schema, options: TypeMappingOptions): unknown {
  const text = options.unavailableValuePlaceholder;
  const bytes = Buffer.from(text, "utf8");
  let value: unknown = null;
  if (schema.type === "ARRAY" && schema.valueSchema !== null) {
    value = arrayPlaceholder(schema.valueSchema, text, bytes);
  } else if (column.typeName === "hstore") {
    value = options.hstoreHandlingMode === "map" ? new Map([[text, text]]) : `{${JSON.stringify(text)}:${JSON.stringify(text)}}`;
  } else if (column.typeName === "bytea" && options.binaryHandlingMode === "bytes") {
    value = bytes;
  } else if (schema.type === "STRING") {
    value = text;
  }
  if (value === null) return null;
  try {
    validateValue(schema.with({ optional: true }), value);
    return value;
  } catch {
    return null;
  }
}

/** One column's field: its schema and the conversion of its values. */
export interface ColumnMapping {
  readonly column: ColumnInfo;
  /** The field schema: the type's, optional unless NOT NULL, with the column's constant default. */
  readonly schema: Schema;
  /**
   * The Connect value of one value of the column (pgoutput's text, null, UNCHANGED_TOAST, or
   * undefined when the tuple did not carry the column). Throws when the text cannot be read.
   */
  convert(value: ColumnValue | undefined): unknown;
}

/** The field of a column, or null when Debezium leaves the column out (an unmapped type). */
export function mapColumn(column: ColumnInfo, options: TypeMappingOptions): ColumnMapping | null {
  const ctx = contextOf(column, options);
  const type = column.typeCategory === "A" && column.elementTypeName !== undefined ? arrayType(ctx, column.elementTypeName) : scalarType(ctx);
  if (type === null) return null;
  let defaultValue: unknown = null;
  const literal = column.defaultExpression === undefined || column.typeCategory === "A" ? null : defaultText(column.typeName, column.defaultExpression);
  if (literal !== null) {
    try {
      defaultValue = type.fromText(literal);
      validateValue(type.schema, defaultValue);
      // KAFKA-12694: Debezium gives struct-valued columns (VariableScaleDecimal) no default
      if (defaultValue instanceof Struct) defaultValue = null;
    } catch {
      defaultValue = null;
    }
  }
  const schema = type.schema.with({ optional: column.optional, defaultValue: null });
  // Struct values (VariableScaleDecimal, Point) must carry the field's own schema: Connect
  // checks a struct's schema against the field's, optionality included.
  const own = (value: unknown): unknown => (value instanceof Struct && schema.type === "STRUCT" ? copyStruct(value, schema) : value);
  const fieldSchema = defaultValue === null ? schema : schema.with({ defaultValue: own(defaultValue) });
  const placeholder = toastPlaceholder(column, fieldSchema, options);
  const absent = column.optional ? null : own(defaultValue ?? type.fallback);
  return {
    column,
    schema: fieldSchema,
    convert(value: ColumnValue | undefined): unknown {
      if (value === null || value === undefined) return absent;
      if (value === UNCHANGED_TOAST) return placeholder;
      if (typeof value !== "string") throw new PgTextError(`${column.typeName} (binary-format values are not supported; use text)`, "<bytes>");
      return own(type.fromText(value));
    },
  };
}

function copyStruct(value: Struct, schema: Schema): Struct {
  const copy = new Struct(schema);
  for (const field of schema.fields) copy.put(field.name, value.getWithoutDefault(field.name));
  return copy;
}


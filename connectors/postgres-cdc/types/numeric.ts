// bool, the integer and floating-point types, oid, numeric and money, as Debezium's
// PostgresValueConverter maps them (decimal.handling.mode decides numeric and money).
import { Decimal, Schema, Struct, javaDoubleToString } from "../../../connect/api/index.ts";
import { bigintToTwosComplement } from "../../../connect/api/data/decimal.ts";
import { PgTextError } from "./pg-text.ts";
import { DebeziumData } from "./schemas.ts";
import type { PgValueType, TypeContext } from "./value-type.ts";

const VARIABLE_SCALE = DebeziumData.variableScaleDecimal().build();

function parseBool(text: string): boolean {
  if (text === "t" || text === "true") return true;
  if (text === "f" || text === "false") return false;
  throw new PgTextError("boolean", text);
}

function parseInteger(text: string, type: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^-?\d+$/.test(text) || n < min || n > max) throw new PgTextError(type, text);
  return n;
}

function parseBigint(text: string, type: string): bigint {
  if (!/^-?\d+$/.test(text)) throw new PgTextError(type, text);
  return BigInt(text);
}

/** float4/float8 output: digits, "NaN", "Infinity", "-Infinity". */
function parseFloat(text: string, type: string): number {
  if (text === "NaN") return Number.NaN;
  if (text === "Infinity") return Number.POSITIVE_INFINITY;
  if (text === "-Infinity") return Number.NEGATIVE_INFINITY;
  const n = Number(text);
  if (text.trim() === "" || Number.isNaN(n)) throw new PgTextError(type, text);
  return n;
}

export function booleanType(): PgValueType {
  return { schema: Schema.BOOLEAN_SCHEMA, fromText: parseBool, fallback: false };
}

/** bool, int2/4/8, oid (INT64, as Debezium), float4/8; null for other types. */
export function simpleNumericType(typeName: string): PgValueType | null {
  switch (typeName) {
    case "bool":
      return booleanType();
    case "int2":
      return { schema: Schema.INT16_SCHEMA, fromText: (t) => parseInteger(t, "smallint", -32768, 32767), fallback: 0 };
    case "int4":
      return { schema: Schema.INT32_SCHEMA, fromText: (t) => parseInteger(t, "integer", -2147483648, 2147483647), fallback: 0 };
    case "int8":
      return { schema: Schema.INT64_SCHEMA, fromText: (t) => parseBigint(t, "bigint"), fallback: 0n };
    case "oid":
      return { schema: Schema.INT64_SCHEMA, fromText: (t) => parseBigint(t, "oid"), fallback: 0n };
    case "float4":
      return { schema: Schema.FLOAT32_SCHEMA, fromText: (t) => Math.fround(parseFloat(t, "real")), fallback: 0 };
    case "float8":
      return { schema: Schema.FLOAT64_SCHEMA, fromText: (t) => parseFloat(t, "double precision"), fallback: 0 };
    default:
      return null;
  }
}

/** numeric's precision and scale from atttypmod ((p << 16 | s) + 4), or null without one. */
export function numericPrecisionScale(typeModifier: number): { precision: number; scale: number } | null {
  if (typeModifier < 4) return null;
  const packed = typeModifier - 4;
  // PostgreSQL 15 allows negative scales, stored as an 11-bit two's complement.
  const rawScale = packed & 0x7ff;
  return { precision: (packed >> 16) & 0xffff, scale: rawScale > 1023 ? rawScale - 2048 : rawScale };
}

/** Java's BigDecimal.stripTrailingZeros(). */
export function stripTrailingZeros(value: Decimal): Decimal {
  if (value.unscaled === 0n) return new Decimal(0n, 0);
  let { unscaled, scale } = value;
  while (unscaled % 10n === 0n) {
    unscaled /= 10n;
    scale--;
  }
  return new Decimal(unscaled, scale);
}

/** BigDecimal.setScale(scale, RoundingMode.HALF_UP). */
export function setScaleHalfUp(value: Decimal, scale: number): Decimal {
  if (scale >= value.scale) return value.setScale(scale);
  const divisor = 10n ** BigInt(value.scale - scale);
  const negative = value.unscaled < 0n;
  const magnitude = negative ? -value.unscaled : value.unscaled;
  let quotient = magnitude / divisor;
  if ((magnitude % divisor) * 2n >= divisor) quotient++;
  return new Decimal(negative ? -quotient : quotient, scale);
}

/** io.debezium.data.VariableScaleDecimal's struct: the scale and the unscaled value's bytes. */
export function variableScaleDecimal(value: Decimal): Struct {
  return new Struct(VARIABLE_SCALE).put("scale", value.scale).put("value", bigintToTwosComplement(value.unscaled));
}

/** The names decimal.handling.mode=string prints for numeric's special values (Debezium's enum names). */
const SPECIAL_NAMES: Readonly<Record<string, string>> = { NaN: "NAN", Infinity: "POSITIVE_INFINITY", "-Infinity": "NEGATIVE_INFINITY" };

/**
 * numeric. precise: Connect Decimal with the declared scale (and connect.decimal.precision), or
 * io.debezium.data.VariableScaleDecimal when no scale is declared; double: FLOAT64; string: the
 * number's Java BigDecimal text. NaN and ±Infinity exist only as doubles and strings: in precise
 * mode Debezium fails the conversion (and leaves the field null), as this does by throwing.
 */
export function numericType(ctx: TypeContext): PgValueType {
  const declared = numericPrecisionScale(ctx.typeModifier);
  const variable = declared === null || (declared.precision === 0 && declared.scale === 0);
  const scale = declared?.scale ?? 0;
  const parse = (text: string): Decimal => {
    const value = Decimal.parse(text);
    // Debezium sets a declared scale on every value (defaults may carry a longer one).
    return variable ? value : value.scale > scale ? setScaleHalfUp(value, scale) : value.setScale(scale);
  };
  const special = (text: string): boolean => text in SPECIAL_NAMES;
  switch (ctx.options.decimalHandlingMode) {
    case "double":
      return { schema: Schema.FLOAT64_SCHEMA, fromText: (t) => (special(t) ? parseFloat(t, "numeric") : Number(parse(t).toString())), fallback: 0 };
    case "string":
      return { schema: Schema.STRING_SCHEMA, fromText: (t) => SPECIAL_NAMES[t] ?? parse(t).toString(), fallback: variable ? "0" : new Decimal(0n, scale).toString() };
    case "precise": {
      const reject = (t: string): never => {
        throw new PgTextError(`numeric in decimal.handling.mode=precise (${t} needs decimal.handling.mode=string or double)`, t);
      };
      if (variable) {
        return {
          schema: VARIABLE_SCALE,
          fromText: (t) => {
            if (special(t)) return reject(t);
            const stripped = stripTrailingZeros(parse(t));
            return variableScaleDecimal(stripped.scale < 0 ? stripped.setScale(0) : stripped);
          },
          fallback: variableScaleDecimal(new Decimal(0n, 0)),
        };
      }
      const schema = Decimal.builder(scale)
        .parameter("connect.decimal.precision", String(declared?.precision ?? 0))
        .build();
      return { schema, fromText: (t) => (special(t) ? reject(t) : parse(t)), fallback: new Decimal(0n, scale) };
    }
  }
}

/**
 * money. Debezium reads pgoutput's money text ("$1,234.56", "-$1,234.56") with the JDBC driver's
 * PGmoney, i.e. into a double, then: precise → Decimal with money.fraction.digits (HALF_UP),
 * double → the double, string → Java's Double.toString of it.
 */
export function moneyType(ctx: TypeContext): PgValueType {
  const digits = ctx.options.moneyFractionDigits;
  const read = (text: string): number => {
    const negative = text.includes("-") || text.startsWith("(");
    const cleaned = text.replace(/[^0-9.]/g, "");
    const n = Number(cleaned);
    if (cleaned === "" || Number.isNaN(n)) throw new PgTextError("money", text);
    return negative ? -n : n;
  };
  switch (ctx.options.decimalHandlingMode) {
    case "double":
      return { schema: Schema.FLOAT64_SCHEMA, fromText: read, fallback: 0 };
    case "string":
      return { schema: Schema.STRING_SCHEMA, fromText: (t) => javaDoubleToString(read(t)), fallback: new Decimal(0n, digits).toString() };
    case "precise":
      return {
        schema: Decimal.schema(digits),
        fromText: (t) => setScaleHalfUp(Decimal.from(read(t)), digits),
        fallback: new Decimal(0n, digits),
      };
  }
}


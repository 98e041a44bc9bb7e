// The Decimal logical type (org.apache.kafka.connect.data.Decimal): a BYTES schema named
// "org.apache.kafka.connect.data.Decimal" whose "scale" parameter says where the point goes;
// the bytes are the unscaled value in big-endian two's complement (Java's BigInteger bytes).
//
// The JavaScript value is this small immutable class, Java's BigDecimal reduced to what Connect
// needs: an unscaled bigint and a scale (value = unscaled × 10^-scale). As with BigDecimal,
// 1.0 and 1.00 are different values (equals) that compare the same (compareTo).
import { DataException } from "../errors.ts";
import type { Schema } from "./schema.ts";
import { SchemaBuilder } from "./schema-builder.ts";
import { DECIMAL_LOGICAL_NAME } from "./logical-names.ts";

const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

export class Decimal {
  /** The digits without the point: the value is unscaled × 10^-scale. */
  readonly unscaled: bigint;
  /** Digits after the point; negative scales multiply by a power of ten (Java allows both). */
  readonly scale: number;

  constructor(unscaled: bigint, scale: number) {
    if (typeof unscaled !== "bigint") throw new DataException(`Decimal unscaled value must be a bigint, got ${typeof unscaled}`);
    if (!Number.isInteger(scale) || scale < INT32_MIN || scale > INT32_MAX) throw new DataException(`Invalid decimal scale: ${scale}`);
    this.unscaled = unscaled;
    this.scale = scale;
    Object.freeze(this);
  }

  /** Parses decimal text as Java's new BigDecimal(String) does: "12.30" is (1230, 2), "1E+3" is (1, -3). */
  static parse(text: string): Decimal {
    const m = DECIMAL_TEXT.exec(text);
    const intPart = m?.[2] ?? "";
    const fraction = m?.[3] ?? "";
    if (!m || (intPart === "" && fraction === "")) throw new DataException(`Not a decimal number: ${JSON.stringify(text)}`);
    const exponent = m[4] === undefined ? 0 : Number(m[4]);
    const digits = BigInt(intPart + fraction || "0");
    return new Decimal(m[1] === "-" ? -digits : digits, fraction.length - exponent);
  }

  /**
   * A Decimal from a bigint (scale 0), a string (see parse) or a number (its shortest decimal
   * form, as Java's BigDecimal.valueOf(double): 0.1 is 0.1, not 0.1000000000000000055...).
   */
  static from(value: bigint | number | string): Decimal {
    if (typeof value === "bigint") return new Decimal(value, 0);
    if (typeof value === "number") {
      if (!Number.isFinite(value)) throw new DataException(`Not a decimal number: ${value}`);
      return Decimal.parse(String(value));
    }
    return Decimal.parse(value);
  }

  /** The number of digits of the unscaled value (Java's precision(); 1 for zero). */
  get precision(): number {
    return (this.unscaled < 0n ? -this.unscaled : this.unscaled).toString().length;
  }

  /** The same value with another scale; throws when that would lose digits (no rounding). */
  setScale(scale: number): Decimal {
    if (scale === this.scale) return this;
    if (scale > this.scale) return new Decimal(this.unscaled * 10n ** BigInt(scale - this.scale), scale);
    const divisor = 10n ** BigInt(this.scale - scale);
    if (this.unscaled % divisor !== 0n) throw new DataException(`Rounding necessary to set scale ${scale} on ${this.toString()}`);
    return new Decimal(this.unscaled / divisor, scale);
  }

  /** Same unscaled value and scale (Java's BigDecimal.equals). */
  equals(other: unknown): boolean {
    return other instanceof Decimal && other.unscaled === this.unscaled && other.scale === this.scale;
  }

  /** Numeric comparison, scale ignored: -1, 0 or 1. */
  compareTo(other: Decimal): number {
    const scale = Math.max(this.scale, other.scale);
    const a = this.unscaled * 10n ** BigInt(scale - this.scale);
    const b = other.unscaled * 10n ** BigInt(scale - other.scale);
    return a < b ? -1 : a > b ? 1 : 0;
  }

  /** The nearest number (precision may be lost). */
  toNumber(): number {
    return Number(this.toString());
  }

  /** Java's BigDecimal.toString(): plain, or scientific ("1E-10", "1.5E+3") for small exponents. */
  toString(): string {
    const negative = this.unscaled < 0n;
    const digits = (negative ? -this.unscaled : this.unscaled).toString();
    const adjusted = -this.scale + (digits.length - 1);
    let text: string;
    if (this.scale >= 0 && adjusted >= -6) {
      text = plain(digits, this.scale);
    } else {
      text = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
      text += `E${adjusted >= 0 ? "+" : ""}${adjusted}`;
    }
    return negative ? `-${text}` : text;
  }

  /** Java's BigDecimal.toPlainString(): never scientific. */
  toPlainString(): string {
    const negative = this.unscaled < 0n;
    const digits = (negative ? -this.unscaled : this.unscaled).toString();
    const text = this.scale >= 0 ? plain(digits, this.scale) : digits === "0" ? "0" : digits + "0".repeat(-this.scale);
    return negative ? `-${text}` : text;
  }

  toJSON(): string {
    return this.toString();
  }

  static readonly LOGICAL_NAME = DECIMAL_LOGICAL_NAME;
  static readonly SCALE_FIELD = "scale";

  /** A BYTES schema builder for decimals of this scale (name, version 1, "scale" parameter). */
  static builder(scale: number): SchemaBuilder {
    return SchemaBuilder.bytes().name(DECIMAL_LOGICAL_NAME).parameter(Decimal.SCALE_FIELD, String(scale)).version(1);
  }

  static schema(scale: number): Schema {
    return Decimal.builder(scale).build();
  }

  /** The scale a Decimal schema declares. */
  static scaleOf(schema: Schema): number {
    const text = schema.parameters?.get(Decimal.SCALE_FIELD);
    if (text === undefined) throw new DataException("Invalid Decimal schema: scale parameter not found.");
    const scale = Number(text);
    if (!/^[+-]?\d+$/.test(text.trim()) || !Number.isInteger(scale)) throw new DataException(`Invalid scale parameter found in Decimal schema: ${text}`);
    return scale;
  }

  /** The bytes of a decimal: its unscaled value in big-endian two's complement. */
  static fromLogical(schema: Schema, value: Decimal): Buffer {
    const scale = Decimal.scaleOf(schema);
    if (value.scale !== scale) {
      throw new DataException(`Decimal value has mismatching scale for given Decimal schema. Schema has scale ${scale}, value has scale ${value.scale}.`);
    }
    return bigintToTwosComplement(value.unscaled);
  }

  static toLogical(schema: Schema, bytes: Uint8Array): Decimal {
    return new Decimal(twosComplementToBigint(bytes), Decimal.scaleOf(schema));
  }
}

function plain(digits: string, scale: number): string {
  if (scale === 0) return digits;
  if (digits.length > scale) return `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  return `0.${"0".repeat(scale - digits.length)}${digits}`;
}

/** Java's BigInteger.toByteArray(): the fewest bytes that hold the value and its sign. */
export function bigintToTwosComplement(value: bigint): Buffer {
  let bytes = 1;
  while (value < -(1n << BigInt(bytes * 8 - 1)) || value >= 1n << BigInt(bytes * 8 - 1)) bytes++;
  const hex = BigInt.asUintN(bytes * 8, value).toString(16).padStart(bytes * 2, "0");
  return Buffer.from(hex, "hex");
}

/** Java's new BigInteger(byte[]). */
export function twosComplementToBigint(bytes: Uint8Array): bigint {
  if (bytes.length === 0) throw new DataException("Invalid decimal bytes: zero length");
  const unsigned = BigInt(`0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex")}`);
  return BigInt.asIntN(bytes.length * 8, unsigned);
}

// date, time, timetz, timestamp, timestamptz and interval, as Debezium's PostgreSQL connector maps
// them for each time.precision.mode and interval.handling.mode. Arithmetic is on bigint
// microseconds: timestamps reach ±9.2e18 µs (PostgreSQL's infinities), far past 2^53.
import { ConnectDate, ConnectTime, ConnectTimestamp, MILLIS_PER_DAY } from "../../../connect/api/index.ts";
import { Decimal } from "../../../connect/api/index.ts";
import {
  civilFromDays,
  daysFromCivil,
  MICROS_PER_DAY,
  parseDate,
  parseInterval,
  parseTimeMicros,
  parseTimestampMicros,
  parseTimetzMicrosUtc,
  PgTextError,
} from "./pg-text.ts";
import { stripTrailingZeros } from "./numeric.ts";
import { DebeziumTime } from "./schemas.ts";
import type { PgValueType, TypeContext } from "./value-type.ts";

/**
 * Debezium's values for PostgreSQL's infinite timestamps: the JDBC driver's
 * PGStatement.DATE_POSITIVE_INFINITY / DATE_NEGATIVE_INFINITY read as microseconds (the
 * PostgreSQL connector documentation: "converted to timestamps with value 9223372036825200000
 * in case of positive infinity or -9223372036832400000 in case of negative infinity").
 */
export const POSITIVE_INFINITY_MICROS = 9223372036825200000n;
export const NEGATIVE_INFINITY_MICROS = -9223372036832400000n;

/**
 * Debezium's epoch days for date 'infinity' and '-infinity': PostgresValueConverter's
 * POSITIVE_INFINITY_LOCAL_DATE (-5877611-06-21) and NEGATIVE_INFINITY_LOCAL_DATE (-5877611-06-22)
 * through LocalDate.toEpochDay(), odd as they are.
 */
export const POSITIVE_INFINITY_DAYS = daysFromCivil(-5877611, 6, 21);
export const NEGATIVE_INFINITY_DAYS = daysFromCivil(-5877611, 6, 22);

/** The fractional-second precision of time/timestamp types: atttypmod, or 6 without one. */
export function timePrecision(typeModifier: number): number {
  return typeModifier < 0 ? 6 : typeModifier;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}

function jsDate(ms: bigint, what: string): Date {
  const date = new Date(Number(ms));
  if (Number.isNaN(date.getTime())) throw new PgTextError(`${what} (outside JavaScript's Date range)`, String(ms));
  return date;
}

export function dateType(ctx: TypeContext): PgValueType {
  const days = (text: string): number => {
    const value = parseDate(text);
    return value === "infinity" ? POSITIVE_INFINITY_DAYS : value === "-infinity" ? NEGATIVE_INFINITY_DAYS : value;
  };
  if (ctx.options.timePrecisionMode === "connect") {
    return { schema: ConnectDate.SCHEMA, fromText: (t) => jsDate(BigInt(days(t)) * BigInt(MILLIS_PER_DAY), "date"), fallback: new Date(0) };
  }
  return { schema: DebeziumTime.date().build(), fromText: days, fallback: 0 };
}

/** time: adaptive_time_microseconds → MicroTime; adaptive → Time (precision ≤ 3) or MicroTime; connect → Connect Time. */
export function timeType(ctx: TypeContext): PgValueType {
  const mode = ctx.options.timePrecisionMode;
  if (mode === "connect") {
    return { schema: ConnectTime.SCHEMA, fromText: (t) => new Date(Number(parseTimeMicros(t) / 1000n)), fallback: new Date(0) };
  }
  if (mode === "adaptive" && timePrecision(ctx.typeModifier) <= 3) {
    return { schema: DebeziumTime.time().build(), fromText: (t) => Number(parseTimeMicros(t) / 1000n), fallback: 0 };
  }
  return { schema: DebeziumTime.microTime().build(), fromText: parseTimeMicros, fallback: 0n };
}

/** timestamp (no zone): Timestamp (ms, precision ≤ 3) or MicroTimestamp in the adaptive modes; Connect Timestamp in connect. */
export function timestampType(ctx: TypeContext): PgValueType {
  const micros = (text: string): bigint => {
    const value = parseTimestampMicros(text);
    return value === "infinity" ? POSITIVE_INFINITY_MICROS : value === "-infinity" ? NEGATIVE_INFINITY_MICROS : value;
  };
  if (ctx.options.timePrecisionMode === "connect") {
    return { schema: ConnectTimestamp.SCHEMA, fromText: (t) => jsDate(floorDiv(micros(t), 1000n), "timestamp"), fallback: new Date(0) };
  }
  if (timePrecision(ctx.typeModifier) <= 3) {
    return { schema: DebeziumTime.timestamp().build(), fromText: (t) => floorDiv(micros(t), 1000n), fallback: 0n };
  }
  return { schema: DebeziumTime.microTimestamp().build(), fromText: micros, fallback: 0n };
}

function pad(n: number | bigint, width: number): string {
  return String(n).padStart(width, "0");
}

/** java.time's ISO_LOCAL_DATE year: four digits at least, "+" past 9999, "-" before year 0. */
function isoYear(year: number): string {
  if (year > 9999) return `+${year}`;
  if (year < 0) return `-${pad(-year, 4)}`;
  return pad(year, 4);
}

/** Digits of a fraction of a second: exactly `width` of them, or (width null) as few as needed. */
function fraction(nanos: bigint, width: number | null): string {
  const digits = pad(nanos, 9);
  if (width !== null) return `.${digits.slice(0, width)}`;
  const trimmed = digits.replace(/0+$/, "");
  return trimmed === "" ? "" : `.${trimmed}`;
}

function clock(microsOfDay: bigint, width: number | null): string {
  const seconds = microsOfDay / 1_000_000n;
  const h = seconds / 3600n;
  const m = (seconds / 60n) % 60n;
  const s = seconds % 60n;
  return `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}${fraction((microsOfDay % 1_000_000n) * 1000n, width)}`;
}

/**
 * io.debezium.time.ZonedTimestamp's text of an instant in UTC: ISO 8601 with exactly as many
 * fractional digits as the column's precision (DBZ-6163; 6 without a declared precision), or for
 * precision 0 java.time's ISO_OFFSET_DATE_TIME (no fraction, trailing zeros dropped).
 */
export function formatZonedTimestamp(micros: bigint, precision: number): string {
  const days = floorDiv(micros, MICROS_PER_DAY);
  const { year, month, day } = civilFromDays(Number(days));
  const width = precision > 0 && precision <= 9 ? precision : null;
  return `${isoYear(year)}-${pad(month, 2)}-${pad(day, 2)}T${clock(micros - days * MICROS_PER_DAY, width)}Z`;
}

/** timestamptz → io.debezium.time.ZonedTimestamp in UTC (every mode); infinities stay "infinity"/"-infinity". */
export function timestamptzType(ctx: TypeContext): PgValueType {
  const precision = timePrecision(ctx.typeModifier);
  return {
    schema: DebeziumTime.zonedTimestamp().build(),
    fromText: (text) => {
      const value = parseTimestampMicros(text);
      return typeof value === "string" ? value : formatZonedTimestamp(value, precision);
    },
    fallback: "1970-01-01T00:00:00Z",
  };
}

/**
 * timetz → io.debezium.time.ZonedTime: the time shifted to UTC, java.time's ISO_OFFSET_TIME
 * ("10:15:30.12Z", trailing fraction zeros dropped). 24:00:00 at UTC stays 24:00:00
 * (Debezium's PostgresTimeBoundary).
 */
export function timetzType(): PgValueType {
  return {
    schema: DebeziumTime.zonedTime().build(),
    fromText: (text) => {
      if (/^24:00:00(\.0+)?[+-]00(:00){0,2}$/.test(text)) return "24:00:00Z";
      return `${clock(parseTimetzMicrosUtc(text), null)}Z`;
    },
    fallback: "00:00:00Z",
  };
}

const LONG_MAX = 2n ** 63n - 1n;
const LONG_MIN = -(2n ** 63n);

/** Java's (long) cast of a double: truncation toward zero, saturating at the long range. */
function javaLongCast(value: number): bigint {
  if (Number.isNaN(value)) return 0n;
  if (value >= 2 ** 63) return LONG_MAX;
  if (value <= -(2 ** 63)) return LONG_MIN;
  return BigInt(Math.trunc(value));
}

/** Debezium's MicroDuration.DAYS_PER_MONTH_AVG. */
const DAYS_PER_MONTH_AVG = 365.25 / 12.0;

/**
 * interval. numeric → io.debezium.time.MicroDuration: Debezium's approximation (a month is
 * 365.25/12 days), computed in doubles in Debezium's order and truncated as Java's (long) cast;
 * string → io.debezium.time.Interval, "PnYnMnDTnHnMnS".
 */
export function intervalType(ctx: TypeContext): PgValueType {
  if (ctx.options.intervalHandlingMode === "string") {
    return {
      schema: DebeziumTime.interval().build(),
      fromText: (text) => {
        const p = parseInterval(text);
        // Debezium: BigDecimal.valueOf(seconds as double), scale cut to 6, trailing zeros stripped, plain.
        let seconds = stripTrailingZeros(Decimal.from(Number(p.seconds)));
        if (seconds.scale > 6) seconds = new Decimal(seconds.unscaled / 10n ** BigInt(seconds.scale - 6), 6);
        if (seconds.scale < 0) seconds = seconds.setScale(0);
        return `P${p.years}Y${p.months}M${p.days}DT${p.hours}H${p.minutes}M${seconds.toPlainString()}S`;
      },
      fallback: "P0Y0M0DT0H0M0S",
    };
  }
  return {
    schema: DebeziumTime.microDuration().build(),
    fromText: (text) => {
      const p = parseInterval(text);
      const numberOfDays = (p.years * 12 + p.months) * DAYS_PER_MONTH_AVG + p.days;
      const numberOfSeconds = ((numberOfDays * 24 + p.hours) * 60 + p.minutes) * 60 + Number(p.seconds);
      return javaLongCast(numberOfSeconds * 1e6 + 0);
    },
    fallback: 0n,
  };
}


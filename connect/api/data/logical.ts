// The date and time logical types (org.apache.kafka.connect.data.Date, Time, Timestamp). Their
// JavaScript value is a Date, always read in UTC:
//   Date      INT32 days since the epoch; the Date must be at midnight UTC
//   Time      INT32 milliseconds since midnight; the Date must be on 1970-01-01 UTC
//   Timestamp INT64 milliseconds since the epoch
// Exported as ConnectDate/ConnectTime/ConnectTimestamp so they never shadow JavaScript's Date.
// (Decimal, the fourth logical type, is in decimal.ts: it is also the value class.)
import { DataException } from "../errors.ts";
import { DATE_LOGICAL_NAME, TIME_LOGICAL_NAME, TIMESTAMP_LOGICAL_NAME } from "./logical-names.ts";
import type { Schema } from "./schema.ts";
import { SchemaBuilder } from "./schema-builder.ts";

export const MILLIS_PER_DAY = 24 * 60 * 60 * 1000;

function millisOf(value: Date, what: string): number {
  if (!(value instanceof Date)) throw new DataException(`Invalid type for ${what}, expected Date but was ${typeof value}`);
  const ms = value.getTime();
  if (Number.isNaN(ms)) throw new DataException(`Invalid ${what}: the Date is invalid`);
  return ms;
}

export const ConnectDate = {
  LOGICAL_NAME: DATE_LOGICAL_NAME,
  builder(): SchemaBuilder {
    return SchemaBuilder.int32().name(DATE_LOGICAL_NAME).version(1);
  },
  SCHEMA: SchemaBuilder.int32().name(DATE_LOGICAL_NAME).version(1).build(),
  /** Days since the epoch of a Date at midnight UTC. */
  fromLogical(schema: Schema, value: Date): number {
    if (schema.name !== DATE_LOGICAL_NAME) throw new DataException("Requested conversion of Date object but the schema does not match.");
    const ms = millisOf(value, "Date");
    if (ms % MILLIS_PER_DAY !== 0) throw new DataException("Kafka Connect Date type should not have any time fields set to non-zero values.");
    return ms / MILLIS_PER_DAY;
  },
  toLogical(schema: Schema, days: number): Date {
    if (schema.name !== DATE_LOGICAL_NAME) throw new DataException("Requested conversion of Date object but the schema does not match.");
    return new Date(days * MILLIS_PER_DAY);
  },
} as const;

export const ConnectTime = {
  LOGICAL_NAME: TIME_LOGICAL_NAME,
  builder(): SchemaBuilder {
    return SchemaBuilder.int32().name(TIME_LOGICAL_NAME).version(1);
  },
  SCHEMA: SchemaBuilder.int32().name(TIME_LOGICAL_NAME).version(1).build(),
  /** Milliseconds since midnight of a Date on 1970-01-01 UTC. */
  fromLogical(schema: Schema, value: Date): number {
    if (schema.name !== TIME_LOGICAL_NAME) throw new DataException("Requested conversion of Time object but the schema does not match.");
    const ms = millisOf(value, "Time");
    // Kafka accepts the full day, 86400000 included.
    if (ms < 0 || ms > MILLIS_PER_DAY) throw new DataException("Kafka Connect Time type should not have any date fields set to non-zero values.");
    return ms;
  },
  toLogical(schema: Schema, millis: number): Date {
    if (schema.name !== TIME_LOGICAL_NAME) throw new DataException("Requested conversion of Date object but the schema does not match.");
    if (millis < 0 || millis > MILLIS_PER_DAY) throw new DataException("Time values must use number of milliseconds greater than 0 and less than 86400000");
    return new Date(millis);
  },
} as const;

export const ConnectTimestamp = {
  LOGICAL_NAME: TIMESTAMP_LOGICAL_NAME,
  builder(): SchemaBuilder {
    return SchemaBuilder.int64().name(TIMESTAMP_LOGICAL_NAME).version(1);
  },
  SCHEMA: SchemaBuilder.int64().name(TIMESTAMP_LOGICAL_NAME).version(1).build(),
  /** Milliseconds since the epoch, as the INT64 bigint the schema's type calls for. */
  fromLogical(schema: Schema, value: Date): bigint {
    if (schema.name !== TIMESTAMP_LOGICAL_NAME) throw new DataException("Requested conversion of Timestamp object but the schema does not match.");
    return BigInt(millisOf(value, "Timestamp"));
  },
  toLogical(schema: Schema, millis: bigint | number): Date {
    if (schema.name !== TIMESTAMP_LOGICAL_NAME) throw new DataException("Requested conversion of Timestamp object but the schema does not match.");
    const date = new Date(Number(millis));
    if (Number.isNaN(date.getTime())) throw new DataException(`Timestamp ${millis} is out of the range of JavaScript dates`);
    return date;
  },
} as const;

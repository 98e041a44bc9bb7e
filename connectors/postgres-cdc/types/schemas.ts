// Debezium's semantic types: the Connect schemas (names, versions, parameters) its PostgreSQL
// connector gives columns, as io.debezium.data.* and io.debezium.time.* define them. Consumers
// (sinks, ExtractNewRecordState, schema registries) recognise them by name, so the names and
// versions are exactly Debezium's.
import { Schema, SchemaBuilder } from "../../../connect/api/index.ts";

function named(builder: SchemaBuilder, name: string): SchemaBuilder {
  return builder.name(name).version(1);
}

export const DebeziumTime = {
  date: (): SchemaBuilder => named(SchemaBuilder.int32(), "io.debezium.time.Date"),
  /** Milliseconds past midnight (INT32). */
  time: (): SchemaBuilder => named(SchemaBuilder.int32(), "io.debezium.time.Time"),
  /** Microseconds past midnight (INT64). */
  microTime: (): SchemaBuilder => named(SchemaBuilder.int64(), "io.debezium.time.MicroTime"),
  /** Milliseconds since the epoch (INT64). */
  timestamp: (): SchemaBuilder => named(SchemaBuilder.int64(), "io.debezium.time.Timestamp"),
  /** Microseconds since the epoch (INT64). */
  microTimestamp: (): SchemaBuilder => named(SchemaBuilder.int64(), "io.debezium.time.MicroTimestamp"),
  zonedTimestamp: (): SchemaBuilder => named(SchemaBuilder.string(), "io.debezium.time.ZonedTimestamp"),
  zonedTime: (): SchemaBuilder => named(SchemaBuilder.string(), "io.debezium.time.ZonedTime"),
  /** Approximate microseconds of an interval (INT64). */
  microDuration: (): SchemaBuilder => named(SchemaBuilder.int64(), "io.debezium.time.MicroDuration"),
  /** ISO 8601 text of an interval (interval.handling.mode=string). */
  interval: (): SchemaBuilder => named(SchemaBuilder.string(), "io.debezium.time.Interval"),
} as const;

export const DebeziumData = {
  json: (): SchemaBuilder => named(SchemaBuilder.string(), "io.debezium.data.Json"),
  uuid: (): SchemaBuilder => named(SchemaBuilder.string(), "io.debezium.data.Uuid"),
  xml: (): SchemaBuilder => named(SchemaBuilder.string(), "io.debezium.data.Xml"),
  ltree: (): SchemaBuilder => named(SchemaBuilder.string(), "io.debezium.data.Ltree"),
  // Debezium's TsVector class names it with a lower-case v.
  tsvector: (): SchemaBuilder => named(SchemaBuilder.string(), "io.debezium.data.Tsvector"),
  /** An enum: the labels, comma-separated, in the "allowed" parameter. */
  enumeration: (allowed: readonly string[]): SchemaBuilder =>
    named(SchemaBuilder.string(), "io.debezium.data.Enum").parameter("allowed", allowed.join(",")),
  /** A bit string of `length` bits as little-endian bytes. */
  bits: (length: number): SchemaBuilder => named(SchemaBuilder.bytes(), "io.debezium.data.Bits").parameter("length", String(length)),
  variableScaleDecimal: (): SchemaBuilder =>
    named(SchemaBuilder.struct(), "io.debezium.data.VariableScaleDecimal")
      .doc("Variable scaled decimal")
      .field("scale", Schema.INT32_SCHEMA)
      .field("value", Schema.BYTES_SCHEMA),
  point: (): SchemaBuilder =>
    named(SchemaBuilder.struct(), "io.debezium.data.geometry.Point")
      .doc("Geometry (POINT)")
      .field("x", Schema.FLOAT64_SCHEMA)
      .field("y", Schema.FLOAT64_SCHEMA)
      .field("wkb", Schema.OPTIONAL_BYTES_SCHEMA)
      .field("srid", Schema.OPTIONAL_INT32_SCHEMA),
} as const;

// The `source` block of Debezium's PostgreSQL change events (io.debezium.connector.postgresql.Source):
// the common fields of SchemaFactory.sourceInfoSchemaBuilder() (version 1) followed by
// PostgresSourceInfoStructMaker's schema, table, txId, lsn, xmin — in that order.
import { Schema, SchemaBuilder, Struct } from "../../../connect/api/index.ts";
import type { SourceInfo } from "../contracts.ts";
import { DebeziumData } from "../types/schemas.ts";

/** Debezium's SnapshotRecord values, lower-cased, in declaration order (the Enum's "allowed"). */
export const SNAPSHOT_VALUES = ["true", "first", "first_in_data_collection", "last_in_data_collection", "last", "false", "incremental"] as const;

export const SOURCE_SCHEMA: Schema = SchemaBuilder.struct()
  .name("io.debezium.connector.postgresql.Source")
  .version(1)
  .field("version", Schema.STRING_SCHEMA)
  .field("connector", Schema.STRING_SCHEMA)
  .field("name", Schema.STRING_SCHEMA)
  .field("ts_ms", Schema.INT64_SCHEMA)
  .field("snapshot", DebeziumData.enumeration(SNAPSHOT_VALUES).defaultValue("false").optional())
  .field("db", Schema.STRING_SCHEMA)
  .field("sequence", Schema.OPTIONAL_STRING_SCHEMA)
  .field("ts_us", Schema.OPTIONAL_INT64_SCHEMA)
  .field("ts_ns", Schema.OPTIONAL_INT64_SCHEMA)
  .field("schema", Schema.STRING_SCHEMA)
  .field("table", Schema.STRING_SCHEMA)
  .field("txId", Schema.OPTIONAL_INT64_SCHEMA)
  .field("lsn", Schema.OPTIONAL_INT64_SCHEMA)
  .field("xmin", Schema.OPTIONAL_INT64_SCHEMA)
  .build();

export function sourceStruct(source: SourceInfo): Struct {
  const tsUs = source.tsUs ?? BigInt(source.tsMs) * 1000n;
  const struct = new Struct(SOURCE_SCHEMA)
    .put("version", source.version)
    .put("connector", "postgresql")
    .put("name", source.name)
    .put("ts_ms", BigInt(source.tsMs))
    .put("db", source.db)
    .put("sequence", source.sequence)
    .put("ts_us", tsUs)
    .put("ts_ns", tsUs * 1000n)
    .put("schema", source.schema)
    .put("table", source.table)
    .put("txId", source.txId === null ? null : BigInt(source.txId))
    .put("lsn", source.lsn)
    .put("xmin", source.xmin === null ? null : BigInt(source.xmin));
  // SnapshotRecord.toSource leaves streaming events' snapshot unset: the schema default ("false")
  // is what converters write for it.
  if (source.snapshot !== "false") struct.put("snapshot", source.snapshot);
  return struct;
}

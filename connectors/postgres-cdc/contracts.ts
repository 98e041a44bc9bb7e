// The seams between the parts of the Postgres CDC source: the catalog (what a table looks like),
// the change-event builder (Debezium's records from rows), the replication connection (pgoutput
// frames off a logical slot) and the snapshot reader (a table's rows as of the slot's starting
// point). The task wires them together; each part is tested on its own against a real server.
import type { Schema, Struct } from "../../connect/api/index.ts";
import type { ColumnValue } from "./pgoutput/index.ts";

/** One column as the catalog describes it (pg_attribute + pg_type), in table order. */
export interface ColumnInfo {
  name: string;
  /** 1-based attribute number. */
  position: number;
  typeOid: number;
  /** atttypmod: -1 when none (varchar(n) is n+4, numeric(p,s) is ((p << 16) | s) + 4). */
  typeModifier: number;
  /** pg_type.typname of the column's type, e.g. "int4", "numeric", "_text", "mood". For a domain, its base type's. */
  typeName: string;
  /** pg_type.typcategory: "E" for an enum, "A" for an array, "U" user-defined, ... */
  typeCategory: string;
  /** The element type of an array column (its typname), e.g. "int4" for "_int4". */
  elementTypeName?: string;
  /** The labels of an enum type (or of an array of enums' element), in sort order. */
  enumValues?: readonly string[];
  /** Not declared NOT NULL. */
  optional: boolean;
  /** The column's default expression text, when any (Debezium uses constant defaults in the schema). */
  defaultExpression?: string;
}

export interface TableInfo {
  schema: string;
  table: string;
  /** pg_class oid: the relation id pgoutput's Relation messages carry. */
  relationId: number;
  columns: readonly ColumnInfo[];
  /** The primary key's columns, in key order; empty when the table has none. */
  primaryKey: readonly string[];
  /** relreplident: 'd' default (primary key), 'n' nothing, 'f' full, 'i' index. */
  replicaIdentity: "d" | "n" | "f" | "i";
}

/** How values are represented: Debezium's config keys and values. */
export interface TypeMappingOptions {
  /** decimal.handling.mode: precise (Connect Decimal / VariableScaleDecimal), double, string. */
  decimalHandlingMode: "precise" | "double" | "string";
  /** time.precision.mode: adaptive, adaptive_time_microseconds (Debezium's default for Postgres), connect. */
  timePrecisionMode: "adaptive" | "adaptive_time_microseconds" | "connect";
  /** binary.handling.mode: bytes, base64, base64-url-safe, hex. */
  binaryHandlingMode: "bytes" | "base64" | "base64-url-safe" | "hex";
  /** interval.handling.mode: numeric (MicroDuration), string (ISO 8601). */
  intervalHandlingMode: "numeric" | "string";
  /** hstore.handling.mode: json (io.debezium.data.Json), map. */
  hstoreHandlingMode: "json" | "map";
  /** unavailable.value.placeholder: what an unchanged TOASTed value becomes (Debezium: "__debezium_unavailable_value"). */
  unavailableValuePlaceholder: string;
  /** money.fraction.digits (Debezium's default 2). */
  moneyFractionDigits: number;
  /** include.unknown.datatypes: keep columns of unmapped types as their text's bytes (Debezium's default false: leave them out). */
  includeUnknownDatatypes?: boolean;
}

/** Debezium's `source` block for one event. */
export interface SourceInfo {
  /** Connector version string. */
  version: string;
  /** topic.prefix (Debezium's logical server name). */
  name: string;
  /** Event time in the database: commit time while streaming, read time in a snapshot (ms since epoch). */
  tsMs: number;
  /** The same time in microseconds (pgoutput's commit times have them), for ts_us/ts_ns; tsMs × 1000 when absent. */
  tsUs?: bigint;
  /** "true", "first", "first_in_data_collection", "last_in_data_collection", "last", "false", "incremental" (Debezium's SnapshotRecord, lower-cased). */
  snapshot: "true" | "first" | "first_in_data_collection" | "last_in_data_collection" | "last" | "false";
  db: string;
  schema: string;
  table: string;
  txId: number | null;
  /** The change's LSN (or the snapshot's starting LSN). */
  lsn: bigint | null;
  /** Debezium's `sequence`: JSON text of [last committed LSN as string or null, current LSN as string]. */
  sequence: string | null;
  /** Transaction origin xmin (null unless xmin tracking is on). */
  xmin: number | null;
}

/** One change as the task hands it to the builder. Rows hold pgoutput's text values (or UNCHANGED_TOAST). */
export type RowChange =
  | { op: "r"; after: Readonly<Record<string, ColumnValue>> }
  | { op: "c"; after: Readonly<Record<string, ColumnValue>> }
  | { op: "u"; before: Readonly<Record<string, ColumnValue>> | null; after: Readonly<Record<string, ColumnValue>> }
  | { op: "d"; before: Readonly<Record<string, ColumnValue>> };

/** Key and value of one Debezium change event (value null only for a tombstone). */
export interface ChangeEvent {
  topic: string;
  keySchema: Schema | null;
  key: Struct | null;
  valueSchema: Schema;
  value: Struct;
}

/**
 * Builds Debezium change events for one table. Created from the table's catalog description;
 * the task makes a new one when the table's shape changes (a Relation message that differs).
 */
export interface TableEventBuilder {
  readonly table: TableInfo;
  /** `{topic.prefix}.{schema}.{table}` */
  readonly topic: string;
  /** `{topic.prefix}.{schema}.{table}.Key` (null when the table has no key to use). */
  readonly keySchema: Schema | null;
  /** `{topic.prefix}.{schema}.{table}.Value` */
  readonly rowSchema: Schema;
  /** `{topic.prefix}.{schema}.{table}.Envelope` */
  readonly envelopeSchema: Schema;
  /** One change event; tsMs is the envelope's ts_ms (when the connector processed it). */
  build(change: RowChange, source: SourceInfo, tsMs: number): ChangeEvent;
  /** The truncate event (op "t", no key, before/after null), for a table when truncates are published. */
  truncate(source: SourceInfo, tsMs: number): ChangeEvent;
}

/** One XLogData frame from the slot: a pgoutput message and where it is in the WAL. */
export interface WalMessage {
  /** The WAL start position of the message (XLogData's dataStart). */
  lsn: bigint;
  /** The server's current end of WAL when it sent the frame. */
  walEnd: bigint;
  /** The server's clock when it sent the frame (ms since epoch). */
  sendTimeMs: number;
  /** The pgoutput message's bytes (decode with PgoutputDecoder). */
  data: Uint8Array;
}

/** A logical replication connection streaming one slot (pg's replication protocol, CopyBoth). */
export interface ReplicationStream {
  /** The next frames (up to max), waiting at most waitMs for the first one; [] when none came. Rejects with the server's error if the stream failed. */
  read(max: number, waitMs: number): Promise<WalMessage[]>;
  /**
   * Tells the server everything up to lsn is durably processed (Standby Status Update with
   * write = flush = apply = lsn): the slot's confirmed_flush_lsn moves and WAL before it can go.
   * Never moves backwards.
   */
  acknowledge(lsn: bigint): void;
  /** The last position acknowledged to the server. */
  readonly acknowledgedLsn: bigint;
  /** Ends the stream (CopyDone) and closes the connection. */
  close(): Promise<void>;
}

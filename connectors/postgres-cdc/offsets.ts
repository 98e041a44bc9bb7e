// The connector's source partition and offsets, in Debezium's shapes so that offsets written by
// Debezium's PostgresConnector (and ours, read by it) carry over:
//
//   partition {"server": <topic.prefix>}
//   streaming {"lsn": <change LSN>, "txId": <xid>, "ts_usec": <commit time, µs>,
//              "lsn_proc": <last completely processed LSN>, "lsn_commit": <commit LSN of the last
//              transaction fully processed>, "messageType": "INSERT" | ...}
//   snapshot  {"lsn": <the slot's consistent point>, "ts_usec", "snapshot": "INITIAL",
//              "last_snapshot_record": <true on the snapshot's last record>, plus our resume fields}
//
// LSNs are numbers (Java longs in Debezium), never "X/Y" text. Debezium 1.x and 2.x wrote
// `"snapshot": true`, current versions write the snapshot type ("INITIAL"); both are read.
// The resume fields (snapshot_table, snapshot_key, snapshot_completed_tables, snapshot_table_rows)
// are ours: with them an interrupted snapshot continues after the last stored row instead of
// starting over. Debezium ignores keys it does not know.
import { ConnectException, type SourceMap } from "../../connect/api/index.ts";

export const SERVER_PARTITION_KEY = "server";

export const LSN_KEY = "lsn";
export const TXID_KEY = "txId";
export const TIMESTAMP_USEC_KEY = "ts_usec";
export const LAST_COMPLETELY_PROCESSED_LSN_KEY = "lsn_proc";
export const LAST_COMMIT_LSN_KEY = "lsn_commit";
export const MESSAGE_TYPE_KEY = "messageType";
export const SNAPSHOT_KEY = "snapshot";
export const LAST_SNAPSHOT_RECORD_KEY = "last_snapshot_record";
export const SNAPSHOT_TABLE_KEY = "snapshot_table";
export const SNAPSHOT_KEY_KEY = "snapshot_key";
export const SNAPSHOT_COMPLETED_TABLES_KEY = "snapshot_completed_tables";
export const SNAPSHOT_TABLE_ROWS_KEY = "snapshot_table_rows";

/** What Debezium writes as the snapshot type of an initial snapshot. */
export const INITIAL_SNAPSHOT_TYPE = "INITIAL";

/** Debezium's ReplicationMessage.Operation names, for the messageType field. */
export type MessageType = "INSERT" | "UPDATE" | "DELETE" | "TRUNCATE";

/** A table in offsets: [schema, table] (names may contain dots, so no "schema.table" text). */
export type TableName = readonly [schema: string, table: string];

/** The position of a streaming connector. */
export interface StreamingOffset {
  readonly kind: "streaming";
  /** The LSN of the last change emitted. */
  readonly lsn: bigint | null;
  readonly txId: number | null;
  /** Commit time of the change's transaction, microseconds since the epoch. */
  readonly tsUsec: number | null;
  readonly lastProcessedLsn: bigint | null;
  /** The commit LSN of the last transaction whose changes were all emitted. */
  readonly lastCommitLsn: bigint | null;
  readonly messageType: MessageType | null;
}

/** The position of a connector that is snapshotting (or has just emitted the snapshot's last record). */
export interface SnapshotOffset {
  readonly kind: "snapshot";
  /** The slot's consistent point: streaming after the snapshot starts there. */
  readonly lsn: bigint | null;
  readonly txId: number | null;
  readonly tsUsec: number | null;
  /** True on the snapshot's last record: the snapshot is complete. */
  readonly lastSnapshotRecord: boolean;
  /** The table of the last row emitted, null when none is known (a Debezium offset). */
  readonly table: TableName | null;
  /** That row's primary key (text values in key order); null for a table without one. */
  readonly key: readonly string[] | null;
  /** Rows of `table` emitted up to and including that row. */
  readonly tableRows: number;
  /** Tables whose snapshot is complete. */
  readonly completedTables: readonly TableName[];
}

export type PostgresOffset = StreamingOffset | SnapshotOffset;

/** The source partition of a connector: one per logical server (topic.prefix). */
export function sourcePartition(topicPrefix: string): SourceMap {
  return Object.freeze({ [SERVER_PARTITION_KEY]: topicPrefix });
}

/** An LSN as Debezium stores it: a number (a bigint only past 2^53, which JSON still writes as a number). */
function lsnValue(lsn: bigint): number | bigint {
  return lsn <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(lsn) : lsn;
}

/** The offset map a record carries. */
export function offsetToMap(offset: PostgresOffset): SourceMap {
  const map: Record<string, unknown> = {};
  if (offset.tsUsec !== null) map[TIMESTAMP_USEC_KEY] = offset.tsUsec;
  if (offset.txId !== null) map[TXID_KEY] = offset.txId;
  if (offset.lsn !== null) map[LSN_KEY] = lsnValue(offset.lsn);
  if (offset.kind === "streaming") {
    if (offset.lastProcessedLsn !== null) map[LAST_COMPLETELY_PROCESSED_LSN_KEY] = lsnValue(offset.lastProcessedLsn);
    if (offset.lastCommitLsn !== null) map[LAST_COMMIT_LSN_KEY] = lsnValue(offset.lastCommitLsn);
    if (offset.messageType !== null) map[MESSAGE_TYPE_KEY] = offset.messageType;
    return map;
  }
  map[SNAPSHOT_KEY] = INITIAL_SNAPSHOT_TYPE;
  map[LAST_SNAPSHOT_RECORD_KEY] = offset.lastSnapshotRecord;
  if (offset.table !== null) {
    map[SNAPSHOT_TABLE_KEY] = JSON.stringify(offset.table);
    map[SNAPSHOT_TABLE_ROWS_KEY] = offset.tableRows;
    if (offset.key !== null) map[SNAPSHOT_KEY_KEY] = JSON.stringify(offset.key);
  }
  map[SNAPSHOT_COMPLETED_TABLES_KEY] = JSON.stringify(offset.completedTables);
  return map;
}

/** A stored offset that cannot be read: says which field and what was found. */
export class OffsetFormatError extends ConnectException {
  constructor(field: string, problem: string, found: unknown) {
    super(`The stored offset of the Postgres CDC connector cannot be read: field "${field}" ${problem} (found ${describe(found)}). Reset the connector's offsets (DELETE /connectors/<name>/offsets) or fix them with PATCH.`);
    this.name = "OffsetFormatError";
  }
}

function describe(value: unknown): string {
  if (typeof value === "bigint") return `${value}`;
  if (typeof value === "string") return JSON.stringify(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function optionalInteger(map: SourceMap, key: string): bigint | null {
  const value = map[key];
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint") return value;
  if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
  // Debezium writes longs; a decimal string is what a hand-edited offset may hold.
  if (typeof value === "string" && /^\d+$/.test(value)) return BigInt(value);
  throw new OffsetFormatError(key, "must be an integer (a number)", value);
}

function optionalLsn(map: SourceMap, key: string): bigint | null {
  const value = optionalInteger(map, key);
  if (value !== null && (value < 0n || value > 0xffff_ffff_ffff_ffffn)) throw new OffsetFormatError(key, "is not a WAL position (0 to 2^64-1)", map[key]);
  return value;
}

function optionalNumber(map: SourceMap, key: string): number | null {
  const value = optionalInteger(map, key);
  return value === null ? null : Number(value);
}

function optionalBoolean(map: SourceMap, key: string): boolean {
  const value = map[key];
  if (value === null || value === undefined) return false;
  if (typeof value === "boolean") return value;
  if (value === "true" || value === "false") return value === "true";
  throw new OffsetFormatError(key, "must be true or false", value);
}

/** Debezium's snapshot field: a boolean (1.x, 2.x) or the snapshot type's name (later versions). */
function snapshotFlag(map: SourceMap): boolean {
  const value = map[SNAPSHOT_KEY];
  if (value === null || value === undefined || value === false || value === "false") return false;
  if (value === true || value === "true") return true;
  if (typeof value === "string" && /^[A-Z_]+$/i.test(value)) return value.toUpperCase() !== "INCREMENTAL";
  throw new OffsetFormatError(SNAPSHOT_KEY, "must be a boolean or a snapshot type such as INITIAL", value);
}

function jsonField(map: SourceMap, key: string): unknown {
  const value = map[key];
  if (value === null || value === undefined) return null;
  if (typeof value !== "string") throw new OffsetFormatError(key, "must be JSON text", value);
  try {
    return JSON.parse(value) as unknown;
  } catch {
    throw new OffsetFormatError(key, "must be JSON text", value);
  }
}

function isTableName(value: unknown): value is TableName {
  return Array.isArray(value) && value.length === 2 && typeof value[0] === "string" && typeof value[1] === "string";
}

function tableField(map: SourceMap, key: string): TableName | null {
  const value = jsonField(map, key);
  if (value === null) return null;
  if (!isTableName(value)) throw new OffsetFormatError(key, 'must be a JSON ["schema","table"] pair', map[key]);
  return value;
}

function keyField(map: SourceMap): readonly string[] | null {
  const value = jsonField(map, SNAPSHOT_KEY_KEY);
  if (value === null) return null;
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) throw new OffsetFormatError(SNAPSHOT_KEY_KEY, "must be a JSON array of strings", map[SNAPSHOT_KEY_KEY]);
  return value as string[];
}

function completedTablesField(map: SourceMap): TableName[] {
  const value = jsonField(map, SNAPSHOT_COMPLETED_TABLES_KEY);
  if (value === null) return [];
  if (!Array.isArray(value) || !value.every(isTableName)) {
    throw new OffsetFormatError(SNAPSHOT_COMPLETED_TABLES_KEY, 'must be a JSON array of ["schema","table"] pairs', map[SNAPSHOT_COMPLETED_TABLES_KEY]);
  }
  return value;
}

const MESSAGE_TYPES: readonly string[] = ["INSERT", "UPDATE", "DELETE", "TRUNCATE", "MESSAGE", "BEGIN", "COMMIT", "NOOP"];

/** Reads a stored offset (ours or Debezium's); null stays null. Throws OffsetFormatError naming the bad field. */
export function parseOffset(map: SourceMap | null): PostgresOffset | null {
  if (map === null) return null;
  if (typeof map !== "object" || Array.isArray(map)) throw new OffsetFormatError("(offset)", "must be a map", map);
  const lsn = optionalLsn(map, LSN_KEY);
  const txId = optionalNumber(map, TXID_KEY);
  const tsUsec = optionalNumber(map, TIMESTAMP_USEC_KEY);
  if (snapshotFlag(map)) {
    const table = tableField(map, SNAPSHOT_TABLE_KEY);
    const rows = optionalNumber(map, SNAPSHOT_TABLE_ROWS_KEY);
    return {
      kind: "snapshot",
      lsn,
      txId,
      tsUsec,
      lastSnapshotRecord: optionalBoolean(map, LAST_SNAPSHOT_RECORD_KEY),
      table,
      key: table === null ? null : keyField(map),
      tableRows: rows ?? 0,
      completedTables: completedTablesField(map),
    };
  }
  const messageType = map[MESSAGE_TYPE_KEY];
  if (messageType !== undefined && messageType !== null && (typeof messageType !== "string" || !MESSAGE_TYPES.includes(messageType))) {
    throw new OffsetFormatError(MESSAGE_TYPE_KEY, `must be one of ${MESSAGE_TYPES.join(", ")}`, messageType);
  }
  const lastProcessedLsn = optionalLsn(map, LAST_COMPLETELY_PROCESSED_LSN_KEY);
  return {
    kind: "streaming",
    lsn,
    txId,
    tsUsec,
    lastProcessedLsn,
    // As Debezium: an offset without lsn_commit (written by older versions) counts lsn_proc as it.
    lastCommitLsn: optionalLsn(map, LAST_COMMIT_LSN_KEY) ?? lastProcessedLsn,
    messageType: typeof messageType === "string" && ["INSERT", "UPDATE", "DELETE", "TRUNCATE"].includes(messageType) ? (messageType as MessageType) : null,
  };
}

/** True when the offset says the snapshot ran to its end (or was never part of this offset: streaming). */
export function snapshotCompleted(offset: PostgresOffset): boolean {
  return offset.kind === "streaming" || offset.lastSnapshotRecord;
}

/**
 * The WAL position a stored offset allows the slot to be confirmed at: everything before it has
 * been written to Kafka. As Debezium: the last completed transaction's commit LSN, else the last
 * processed change, else the stored position. Null for an unfinished snapshot, whose records
 * say nothing about the WAL.
 */
export function acknowledgeableLsn(offset: PostgresOffset): bigint | null {
  if (offset.kind === "snapshot") return offset.lastSnapshotRecord ? offset.lsn : null;
  return offset.lastCommitLsn ?? offset.lastProcessedLsn ?? offset.lsn;
}

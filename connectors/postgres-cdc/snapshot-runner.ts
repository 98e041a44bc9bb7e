// The snapshot phase: every captured table's rows, in primary-key chunks, as op "r" records.
//
// Each record's offset says where the snapshot stands after it (the table, that row's key, the
// tables already done), so a task restarted mid-snapshot continues after the last stored row
// rather than starting over. Records are released one row late: whether a row is the last of its
// table, or of the whole snapshot, is known only when the next row (or the end) is seen, and
// source.snapshot says so (Debezium's first / first_in_data_collection / true /
// last_in_data_collection / last). The snapshot's last record carries last_snapshot_record=true:
// once it is stored the snapshot is complete.
//
// Progress (rows done of the planner's estimate, per table) is kept for the task to expose and log.
import type { SourceMap, SourceRecord } from "../../connect/api/index.ts";
import type { Logger } from "../../lib/logger.ts";
import type { SourceInfo, TableEventBuilder, TableInfo } from "./contracts.ts";
import { offsetToMap, type SnapshotOffset, type TableName } from "./offsets.ts";
import { eventRecord } from "./records.ts";
import type { SnapshotSession } from "./snapshot/index.ts";

export interface TableProgress {
  readonly schema: string;
  readonly table: string;
  /** Rows emitted so far (including those emitted before a restart). */
  rowsDone: number;
  /** The planner's estimate of the table's rows (pg_class.reltuples), at least rowsDone; 0 when unknown. */
  rowsTotal: number;
  state: "pending" | "running" | "done";
}

export interface SnapshotPlan {
  /** The captured tables, in snapshot order. */
  readonly tables: readonly TableInfo[];
  readonly builderFor: (table: TableInfo) => TableEventBuilder;
  /** Where streaming continues after the snapshot (the slot's consistent point). */
  readonly lsn: bigint | null;
  /** An unfinished snapshot's stored offset, to continue from. */
  readonly resume: SnapshotOffset | null;
  readonly chunkSize: number;
  readonly topicPrefix: string;
  readonly database: string;
  readonly connectorVersion: string;
  readonly partition: SourceMap;
}

type Marker = SourceInfo["snapshot"];

interface PendingRow {
  table: TableInfo;
  row: Record<string, string | null>;
  key: readonly string[] | null;
  tableRows: number;
  firstInTable: boolean;
  completedTables: readonly TableName[];
}

const nameOf = (table: TableInfo): TableName => [table.schema, table.table];
const sameName = (a: TableName, b: TableName): boolean => a[0] === b[0] && a[1] === b[1];

export class SnapshotRunner {
  readonly #session: SnapshotSession;
  readonly #plan: SnapshotPlan;
  readonly #log: Logger;
  readonly #progress: TableProgress[];
  #emitted = 0;

  constructor(session: SnapshotSession, plan: SnapshotPlan, log: Logger) {
    this.#session = session;
    this.#plan = plan;
    this.#log = log;
    this.#progress = plan.tables.map((t) => ({ schema: t.schema, table: t.table, rowsDone: 0, rowsTotal: 0, state: "pending" }));
  }

  /** Per-table progress, in snapshot order. */
  progress(): readonly Readonly<TableProgress>[] {
    return this.#progress;
  }

  /** Records emitted by this run (not counting those before a restart). */
  get emitted(): number {
    return this.#emitted;
  }

  async *records(): AsyncGenerator<SourceRecord, void, undefined> {
    const { tables, resume, chunkSize } = this.#plan;
    const completed: TableName[] = [...(resume?.completedTables ?? [])];
    let pending: PendingRow | null = null;
    for (const [index, table] of tables.entries()) {
      const progress = this.#progress[index] as TableProgress;
      const name = nameOf(table);
      if (completed.some((done) => sameName(done, name))) {
        progress.state = "done";
        continue;
      }
      const resuming = resume?.table != null && sameName(resume.table, name) && (resume.key !== null || table.primaryKey.length === 0) ? resume : null;
      // A table without a primary key cannot continue after a row: it is read again from its start.
      const afterKey = resuming !== null && table.primaryKey.length > 0 ? resuming.key : null;
      let tableRows = afterKey !== null ? (resuming?.tableRows ?? 0) : 0;
      progress.state = "running";
      progress.rowsDone = tableRows;
      progress.rowsTotal = Math.max(tableRows, await this.#session.estimateRows(table));
      if (afterKey !== null) this.#log.info({ table: `${table.schema}.${table.table}`, rowsDone: tableRows }, "resuming the snapshot of a table after its last stored row");
      const completedBefore = [...completed];
      for await (const chunk of this.#session.readChunks(table, { chunkSize, afterKey })) {
        for (const row of chunk.rows) {
          tableRows++;
          const next: PendingRow = {
            table,
            row,
            key: table.primaryKey.length === 0 ? null : table.primaryKey.map((column) => row[column] ?? ""),
            tableRows,
            firstInTable: tableRows === 1,
            completedTables: completedBefore,
          };
          if (pending !== null) yield this.#release(pending, pending.table !== table, false);
          pending = next;
        }
        progress.rowsDone = tableRows;
        progress.rowsTotal = Math.max(progress.rowsTotal, tableRows);
        this.#log.info(
          { table: `${table.schema}.${table.table}`, rowsDone: tableRows, rowsTotal: progress.rowsTotal, percent: percent(tableRows, progress.rowsTotal) },
          "snapshot progress",
        );
      }
      progress.state = "done";
      progress.rowsTotal = tableRows;
      completed.push(name);
    }
    if (pending !== null) yield this.#release(pending, true, true);
  }

  #release(pending: PendingRow, lastInTable: boolean, last: boolean): SourceRecord {
    const { builderFor, lsn, resume, topicPrefix, database, connectorVersion, partition } = this.#plan;
    const firstOverall = this.#emitted === 0 && (resume === null || resume.table === null);
    const marker: Marker = last ? "last" : firstOverall ? "first" : lastInTable ? "last_in_data_collection" : pending.firstInTable ? "first_in_data_collection" : "true";
    const nowMs = Date.now();
    const source: SourceInfo = {
      version: connectorVersion,
      name: topicPrefix,
      tsMs: nowMs,
      snapshot: marker,
      db: database,
      schema: pending.table.schema,
      table: pending.table.table,
      txId: null,
      lsn,
      sequence: lsn === null ? null : JSON.stringify([null, lsn.toString()]),
      xmin: null,
    };
    const offset: SnapshotOffset = {
      kind: "snapshot",
      lsn,
      txId: null,
      tsUsec: nowMs * 1000,
      lastSnapshotRecord: last,
      table: nameOf(pending.table),
      key: pending.key,
      tableRows: pending.tableRows,
      completedTables: pending.completedTables,
    };
    const event = builderFor(pending.table).build({ op: "r", after: pending.row }, source, nowMs);
    this.#emitted++;
    return eventRecord(event, partition, offsetToMap(offset));
  }
}

function percent(done: number, total: number): number {
  return total <= 0 ? 100 : Math.min(100, Math.round((done / total) * 1000) / 10);
}

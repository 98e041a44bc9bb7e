// The snapshot reader: one REPEATABLE READ, READ ONLY transaction that sees the database exactly
// as the slot's exported snapshot did (so every row committed before the slot's consistent point
// is read here and every later change arrives through the slot, none in both), reading tables in
// bounded chunks. Values come back as PostgreSQL's text output, the same form pgoutput sends,
// so the event builder handles snapshot rows and streamed rows alike.
import type pg from "pg";
import type { TableInfo } from "../contracts.ts";
import { PostgresError, connectClient, qualifiedName, quoteIdentifier, quoteLiteral, type PgConnectionOptions } from "../replication/connection.ts";

export type SnapshotRow = Record<string, string | null>;

export interface SnapshotChunk {
  rows: SnapshotRow[];
  /** The primary key of the chunk's last row (text values, key order): resume after it. Null for a table without a primary key. */
  lastKey: string[] | null;
}

export interface ReadChunksOptions {
  chunkSize: number;
  /** Resume after this primary key (text values in key order); null or absent starts at the beginning. */
  afterKey?: readonly string[] | null;
  /** The columns to read (default: all of the table's columns, in table order). */
  columns?: readonly string[];
}

export interface SnapshotSession {
  /** The table's rows in chunks of at most chunkSize (key order when it has a primary key); nothing for an empty table. */
  readChunks(table: TableInfo, opts: ReadChunksOptions): AsyncIterable<SnapshotChunk>;
  /** The planner's row estimate (pg_class.reltuples); 0 when the table was never vacuumed or analyzed. */
  estimateRows(table: TableInfo): Promise<number>;
  /** Ends the transaction and closes the connection. */
  close(): Promise<void>;
}

/** Every value as the server's text output: pg would otherwise parse dates, numbers and arrays. */
const TEXT_VALUES = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;

/**
 * Opens the snapshot transaction. With a snapshot name (from createSlotWithSnapshot) the
 * transaction imports it; the exporting connection must still be open at that moment.
 */
export async function openSnapshotSession(options: PgConnectionOptions, snapshotName: string | null): Promise<SnapshotSession> {
  const client = await connectClient(options);
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    if (snapshotName !== null) {
      // SET TRANSACTION SNAPSHOT takes no bind parameters; it must be the transaction's first statement.
      try {
        await client.query(`SET TRANSACTION SNAPSHOT ${quoteLiteral(snapshotName)}`);
      } catch (error) {
        throw new PostgresError(`could not import snapshot "${snapshotName}" (the connection that exported it must stay open)`, error);
      }
    }
  } catch (error) {
    await client.end().catch(() => {});
    throw error instanceof PostgresError ? error : new PostgresError("could not open the snapshot transaction", error);
  }
  return new PgSnapshotSession(client);
}

class PgSnapshotSession implements SnapshotSession {
  readonly #client: pg.Client;
  #cursors = 0;
  #closed: Promise<void> | null = null;

  constructor(client: pg.Client) {
    this.#client = client;
  }

  readChunks(table: TableInfo, opts: ReadChunksOptions): AsyncIterable<SnapshotChunk> {
    if (!Number.isInteger(opts.chunkSize) || opts.chunkSize < 1) throw new RangeError(`chunkSize must be a positive integer, got ${opts.chunkSize}`);
    const columns = opts.columns ?? table.columns.map((c) => c.name);
    if (table.primaryKey.length === 0) {
      if (opts.afterKey != null) throw new Error(`table ${table.schema}.${table.table} has no primary key: its snapshot cannot resume after a key`);
      return this.#readWithCursor(table, columns, opts.chunkSize);
    }
    return this.#readByKey(table, columns, opts.chunkSize, opts.afterKey ?? null);
  }

  /**
   * Keyset pagination: each chunk is `WHERE (key) > (last key) ORDER BY key LIMIT n`, so a chunk
   * costs an index range scan wherever it starts and a restart resumes right after the last key.
   */
  async *#readByKey(table: TableInfo, columns: readonly string[], chunkSize: number, afterKey: readonly string[] | null): AsyncGenerator<SnapshotChunk> {
    const key = table.primaryKey;
    if (afterKey !== null && afterKey.length !== key.length) {
      throw new Error(`afterKey has ${afterKey.length} values but the primary key of ${table.schema}.${table.table} has ${key.length} columns`);
    }
    // The key columns are read even when not asked for: the next chunk starts after them.
    const selected = [...columns, ...key.filter((k) => !columns.includes(k))];
    const select = `SELECT ${selected.map(quoteIdentifier).join(", ")} FROM ${qualifiedName(table.schema, table.table)}`;
    const keyList = key.map(quoteIdentifier).join(", ");
    const order = `ORDER BY ${keyList} LIMIT ${chunkSize}`;
    let after = afterKey;
    for (;;) {
      const text =
        after === null
          ? `${select} ${order}`
          : `${select} WHERE (${keyList}) > (${key.map((_, i) => `$${i + 1}`).join(", ")}) ${order}`;
      const result = await this.#query(text, after ?? [], table);
      if (result.length === 0) return;
      const last = result[result.length - 1] as SnapshotRow;
      const lastKey = key.map((k) => last[k] ?? "");
      yield { rows: columns.length === selected.length ? result : result.map((row) => pick(row, columns)), lastKey };
      if (result.length < chunkSize) return;
      after = lastKey;
    }
  }

  /** A table without a primary key: one pass through a cursor, a chunk per FETCH. */
  async *#readWithCursor(table: TableInfo, columns: readonly string[], chunkSize: number): AsyncGenerator<SnapshotChunk> {
    const cursor = quoteIdentifier(`hub_snapshot_${++this.#cursors}`);
    const select = `SELECT ${columns.map(quoteIdentifier).join(", ")} FROM ${qualifiedName(table.schema, table.table)}`;
    await this.#query(`DECLARE ${cursor} NO SCROLL CURSOR FOR ${select}`, [], table);
    let open = true;
    try {
      for (;;) {
        const rows = await this.#query(`FETCH FORWARD ${chunkSize} FROM ${cursor}`, [], table);
        if (rows.length === 0) break;
        yield { rows, lastKey: null };
        if (rows.length < chunkSize) break;
      }
      await this.#query(`CLOSE ${cursor}`, [], table);
      open = false;
    } finally {
      // The consumer stopped early: release the cursor (ignoring a transaction that already failed).
      if (open) await this.#client.query(`CLOSE ${cursor}`).catch(() => {});
    }
  }

  async #query(text: string, values: readonly string[], table: TableInfo): Promise<SnapshotRow[]> {
    try {
      const result = await this.#client.query<SnapshotRow>({ text, values: [...values], types: TEXT_VALUES });
      return result.rows;
    } catch (error) {
      throw new PostgresError(`snapshot of ${table.schema}.${table.table} failed`, error);
    }
  }

  async estimateRows(table: TableInfo): Promise<number> {
    const result = await this.#client.query<{ reltuples: number }>(
      `SELECT c.reltuples::float8 AS reltuples FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relname = $2`,
      [table.schema, table.table],
    );
    const estimate = Number(result.rows[0]?.reltuples ?? 0);
    return estimate > 0 ? Math.round(estimate) : 0;
  }

  close(): Promise<void> {
    this.#closed ??= (async () => {
      await this.#client.query("COMMIT").catch(() => {});
      await this.#client.end().catch(() => {});
    })();
    return this.#closed;
  }
}

function pick(row: SnapshotRow, columns: readonly string[]): SnapshotRow {
  const picked: SnapshotRow = {};
  for (const column of columns) picked[column] = row[column] ?? null;
  return picked;
}

// Shared helpers for the Postgres CDC integration tests: connection options from the service
// URL, unique object names, polling, and a TableInfo read from the catalog.
import pg from "pg";
import type { ColumnInfo, TableInfo } from "../../../../connectors/postgres-cdc/contracts.ts";
import type { PgConnectionOptions } from "../../../../connectors/postgres-cdc/replication/index.ts";

export function optionsFromUrl(url: string): PgConnectionOptions {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: decodeURIComponent(parsed.pathname.replace(/^\//, "")),
    connectTimeoutMs: 10_000,
    applicationName: "hub-cdc-test",
  };
}

let counter = 0;
/** A unique lower-case base name for one test's objects (slot names allow only [a-z0-9_]). */
export function uniqueName(prefix: string): string {
  counter++;
  return `${prefix}_${process.pid}_${Date.now() % 1_000_000}_${counter}`;
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A TableInfo good enough for the snapshot reader (names, positions, types, primary key). */
export async function loadTableInfo(client: pg.ClientBase, schema: string, table: string): Promise<TableInfo> {
  const rel = await client.query<{ oid: number; relreplident: "d" | "n" | "f" | "i" }>(
    `SELECT c.oid::int AS oid, c.relreplident FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2`,
    [schema, table],
  );
  const relation = rel.rows[0];
  if (relation === undefined) throw new Error(`no table ${schema}.${table}`);
  const cols = await client.query<{ attname: string; attnum: number; atttypid: number; atttypmod: number; typname: string; typcategory: string; attnotnull: boolean }>(
    `SELECT a.attname, a.attnum::int AS attnum, a.atttypid::int AS atttypid, a.atttypmod, t.typname, t.typcategory, a.attnotnull
       FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
      WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    [relation.oid],
  );
  const pk = await client.query<{ attname: string }>(
    `SELECT a.attname FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
      WHERE i.indrelid = $1 AND i.indisprimary ORDER BY k.ord`,
    [relation.oid],
  );
  const columns: ColumnInfo[] = cols.rows.map((c) => ({
    name: c.attname,
    position: c.attnum,
    typeOid: c.atttypid,
    typeModifier: c.atttypmod,
    typeName: c.typname,
    typeCategory: c.typcategory,
    optional: !c.attnotnull,
  }));
  return { schema, table, relationId: relation.oid, columns, primaryKey: pk.rows.map((r) => r.attname), replicaIdentity: relation.relreplident };
}

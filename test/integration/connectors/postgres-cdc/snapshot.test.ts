// The snapshot reader against a real PostgreSQL: the exported-snapshot handoff (the snapshot and
// the stream together see every change exactly once), keyset chunking and resuming, awkward
// identifiers, tables without a primary key, and text values identical to pgoutput's.
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { TableInfo } from "../../../../connectors/postgres-cdc/contracts.ts";
import { PgoutputDecoder, type PgoutputEvent } from "../../../../connectors/postgres-cdc/pgoutput/index.ts";
import {
  PostgresError,
  createSlot,
  createSlotWithSnapshot,
  dropSlot,
  ensurePublication,
  openReplicationStream,
  qualifiedName,
  quoteIdentifier,
  type PgConnectionOptions,
} from "../../../../connectors/postgres-cdc/replication/index.ts";
import { openSnapshotSession, type SnapshotChunk, type SnapshotRow, type SnapshotSession } from "../../../../connectors/postgres-cdc/snapshot/index.ts";
import { requireService } from "../../../services/index.ts";
import { loadTableInfo, optionsFromUrl, uniqueName } from "./support.ts";

describe("snapshot reader on a real PostgreSQL", () => {
  let options: PgConnectionOptions;
  let client: pg.Client;
  const cleanups: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    options = optionsFromUrl(await requireService("postgres"));
    client = new pg.Client({ ...options });
    await client.connect();
    await client.query("SET synchronous_commit = on");
  });
  afterEach(async () => {
    const errors: unknown[] = [];
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch((error: unknown) => errors.push(error));
    if (errors.length > 0) throw errors[0];
  });
  afterAll(async () => {
    await client.end();
  });

  async function createTable(schema: string, table: string, ddl: string): Promise<TableInfo> {
    await client.query(`CREATE TABLE ${qualifiedName(schema, table)} (${ddl})`);
    cleanups.push(() => client.query(`DROP TABLE IF EXISTS ${qualifiedName(schema, table)}`));
    return loadTableInfo(client, schema, table);
  }

  async function session(snapshotName: string | null = null): Promise<SnapshotSession> {
    const opened = await openSnapshotSession(options, snapshotName);
    cleanups.push(() => opened.close());
    return opened;
  }

  async function collect(chunks: AsyncIterable<SnapshotChunk>): Promise<SnapshotChunk[]> {
    const all: SnapshotChunk[] = [];
    for await (const chunk of chunks) all.push(chunk);
    return all;
  }

  it("sees exactly the rows as of the slot's consistent point, and the stream brings exactly the later changes", async () => {
    const base = uniqueName("snap");
    const table = `${base}_t`;
    const pub = `${base}_p`;
    const slot = `${base}_s`;
    const info = await createTable("public", table, "id int PRIMARY KEY, v text");
    await client.query(`INSERT INTO ${table} SELECT g, 'v' || g FROM generate_series(1, 5) g`);
    await ensurePublication(client, pub, "filtered", [{ schema: "public", table }]);
    cleanups.push(() => client.query(`DROP PUBLICATION IF EXISTS ${pub}`));

    // A transaction in flight while the slot is created: slot creation waits for it, so it
    // commits before the consistent point and belongs to the snapshot, not the stream.
    const inFlight = new pg.Client({ ...options });
    await inFlight.connect();
    cleanups.push(() => inFlight.end());
    await inFlight.query("BEGIN");
    await inFlight.query(`INSERT INTO ${table} VALUES (100, 'in flight')`);
    cleanups.push(() => dropSlot(client, slot));
    const creating = createSlotWithSnapshot(options, slot);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await inFlight.query("COMMIT");
    const created = await creating;
    cleanups.push(() => created.release());

    // Changes after the consistent point, before and after the snapshot session starts.
    await client.query(`INSERT INTO ${table} VALUES (6, 'v6')`);
    await client.query(`UPDATE ${table} SET v = 'changed' WHERE id = 1`);
    await client.query(`DELETE FROM ${table} WHERE id = 2`);
    const reader = await session(created.snapshotName);
    await created.release(); // the imported snapshot outlives its exporter's connection
    await client.query(`INSERT INTO ${table} VALUES (7, 'v7')`);
    await client.query(`DELETE FROM ${table} WHERE id = 3`);
    await client.query(`UPDATE ${table} SET id = 50 WHERE id = 100`);

    const snapshotRows = (await collect(reader.readChunks(info, { chunkSize: 2 }))).flatMap((c) => c.rows);
    expect(snapshotRows).toEqual([
      { id: "1", v: "v1" },
      { id: "2", v: "v2" },
      { id: "3", v: "v3" },
      { id: "4", v: "v4" },
      { id: "5", v: "v5" },
      { id: "100", v: "in flight" },
    ]);

    const stream = await openReplicationStream(options, { slotName: slot, publicationNames: [pub], startLsn: created.consistentPoint });
    cleanups.push(() => stream.close());
    const decoder = new PgoutputDecoder();
    const events: PgoutputEvent[] = [];
    while (events.filter((e) => e.tag === "commit").length < 6) {
      for (const message of await stream.read(100, 1000)) events.push(decoder.decode(message.data));
    }
    // Nothing more is waiting: six transactions happened after the consistent point, no more.
    for (const message of await stream.read(100, 500)) events.push(decoder.decode(message.data));
    const changes = events.flatMap((e) => {
      if (e.tag === "insert") return [`insert ${String(e.columns.id)}`];
      if (e.tag === "update") return [`update ${String(e.old?.id ?? e.columns.id)}->${String(e.columns.id)} ${String(e.columns.v)}`];
      if (e.tag === "delete") return [`delete ${String(e.old.id)}`];
      return [];
    });
    expect(changes).toEqual(["insert 6", "update 1->1 changed", "delete 2", "insert 7", "delete 3", "update 100->50 in flight"]);
    expect(events.filter((e) => e.tag === "commit")).toHaveLength(6);

    // Snapshot + stream replayed in order equals the table now: nothing missed, nothing twice.
    const state = new Map(snapshotRows.map((r) => [r.id, r.v]));
    for (const e of events) {
      if (e.tag === "insert") {
        expect(state.has(String(e.columns.id))).toBe(false);
        state.set(String(e.columns.id), String(e.columns.v));
      } else if (e.tag === "update") {
        const oldId = String(e.old?.id ?? e.columns.id);
        expect(state.has(oldId)).toBe(true);
        state.delete(oldId);
        state.set(String(e.columns.id), String(e.columns.v));
      } else if (e.tag === "delete") {
        expect(state.delete(String(e.old.id))).toBe(true);
      }
    }
    const now = await client.query<{ id: string; v: string }>(`SELECT t.id::text AS id, t.v FROM ${table} t ORDER BY t.id`);
    expect([...state.entries()].sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual(now.rows.map((r) => [r.id, r.v]));
  });

  it("reads 10,000 rows in chunks of 1,000 in key order, and resumes after a given key", async () => {
    const table = `${uniqueName("snapbig")}_t`;
    const info = await createTable("public", table, "id bigint PRIMARY KEY, label text NOT NULL, amount numeric(10,2)");
    // Inserted out of key order, so key order comes from ORDER BY and not from the heap.
    await client.query(`INSERT INTO ${table} SELECT g, 'row ' || g, g / 100.0 FROM generate_series(10000, 1, -1) g`);
    await client.query(`ANALYZE ${table}`);
    const reader = await session();
    expect(await reader.estimateRows(info)).toBeGreaterThan(9000);
    expect(await reader.estimateRows(info)).toBeLessThan(11000);

    const chunks = await collect(reader.readChunks(info, { chunkSize: 1000 }));
    expect(chunks.map((c) => c.rows.length)).toEqual(Array(10).fill(1000));
    const ids = chunks.flatMap((c) => c.rows.map((r) => Number(r.id)));
    expect(ids).toEqual(Array.from({ length: 10000 }, (_, i) => i + 1));
    expect(chunks.map((c) => c.lastKey)).toEqual(Array.from({ length: 10 }, (_, i) => [String((i + 1) * 1000)]));
    expect(chunks[0]?.rows[0]).toEqual({ id: "1", label: "row 1", amount: "0.01" });

    // Resume after a key that is not a chunk boundary, reading only some columns.
    const resumed = await collect(reader.readChunks(info, { chunkSize: 1000, afterKey: ["4321"], columns: ["label"] }));
    const labels = resumed.flatMap((c) => c.rows.map((r) => r.label));
    expect(labels).toEqual(Array.from({ length: 10000 - 4321 }, (_, i) => `row ${4322 + i}`));
    expect(resumed.every((c) => c.rows.every((r) => Object.keys(r).join() === "label"))).toBe(true);
    expect(resumed.at(-1)?.lastKey).toEqual(["10000"]);
    expect(resumed.map((c) => c.rows.length)).toEqual([1000, 1000, 1000, 1000, 1000, 679]);
  });

  it("pages on composite keys in key order and quotes awkward schema, table and column names", async () => {
    const schema = `${uniqueName("Snap Schema")} "Q"`;
    await client.query(`CREATE SCHEMA ${quoteIdentifier(schema)}`);
    cleanups.push(() => client.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`));
    const table = `Order "Lines" ${uniqueName("x")}`;
    // Key order (region, "Line No") differs from column order, and text sorts by the column's collation.
    const info = await createTable(
      schema,
      table,
      `"Line No" int NOT NULL, region text NOT NULL, "Amount; DROP" numeric, "select" text, PRIMARY KEY (region, "Line No")`,
    );
    expect(info.primaryKey).toEqual(["region", "Line No"]);
    const regions = ["b", "a", "c c", "a'b", "A"];
    for (const region of regions) {
      for (let line = 5; line >= 1; line--) {
        await client.query(`INSERT INTO ${qualifiedName(schema, table)} VALUES ($1, $2, $3, $4)`, [line, region, line * 1.5, `${region}-${line}`]);
      }
    }
    const expected = (
      await client.query<{ region: string; line: string }>(
        `SELECT region, "Line No"::text AS line FROM ${qualifiedName(schema, table)} ORDER BY region, "Line No"`,
      )
    ).rows.map((r) => [r.region, r.line]);
    expect(expected).toHaveLength(25);

    const reader = await session();
    const chunks = await collect(reader.readChunks(info, { chunkSize: 4 }));
    const keys = chunks.flatMap((c) => c.rows.map((r) => [r.region, r["Line No"]]));
    expect(keys).toEqual(expected);
    expect(chunks.map((c) => c.lastKey)).toEqual(chunks.map((c) => [c.rows.at(-1)?.region, c.rows.at(-1)?.["Line No"]]));
    const first = chunks[0]?.rows[0];
    expect(Object.keys(first ?? {})).toEqual(["Line No", "region", "Amount; DROP", "select"]);

    // Resume in the middle of a region: after ("a'b", 3) comes ("a'b", 4).
    const from = expected.findIndex(([region, line]) => region === "a'b" && line === "3");
    const resumed = await collect(reader.readChunks(info, { chunkSize: 7, afterKey: ["a'b", "3"] }));
    expect(resumed.flatMap((c) => c.rows.map((r) => [r.region, r["Line No"]]))).toEqual(expected.slice(from + 1));
    await expect(collect(reader.readChunks(info, { chunkSize: 7, afterKey: ["a"] }))).rejects.toThrow(/afterKey has 1 values but the primary key/);
  });

  it("reads a table without a primary key through a cursor, in chunks, in one pass", async () => {
    const table = `${uniqueName("snapnopk")}_t`;
    const info = await createTable("public", table, 'n int, "Note" text');
    await client.query(`INSERT INTO ${table} SELECT g % 7, CASE WHEN g % 3 = 0 THEN NULL ELSE 'n' || g END FROM generate_series(1, 2500) g`);
    const reader = await session();
    const chunks = await collect(reader.readChunks(info, { chunkSize: 1000 }));
    expect(chunks.map((c) => c.rows.length)).toEqual([1000, 1000, 500]);
    expect(chunks.every((c) => c.lastKey === null)).toBe(true);
    const rows = chunks.flatMap((c) => c.rows);
    const sortKey = (r: SnapshotRow): string => JSON.stringify([r.n, r.Note]);
    const expected = (await client.query<SnapshotRow>({ text: `SELECT n::text AS n, "Note" FROM ${table}` })).rows;
    expect(rows.map(sortKey).sort()).toEqual(expected.map(sortKey).sort());
    expect(rows.filter((r) => r.Note === null)).toHaveLength(833);
    expect(() => reader.readChunks(info, { chunkSize: 10, afterKey: ["1"] })).toThrow(/has no primary key/);

    // Stopping early releases the cursor; the session stays usable.
    for await (const chunk of reader.readChunks(info, { chunkSize: 10 })) {
      expect(chunk.rows).toHaveLength(10);
      break;
    }
    expect((await collect(reader.readChunks(info, { chunkSize: 2500 })))[0]?.rows).toHaveLength(2500);
  });

  it("gives values in the same text form as pgoutput", async () => {
    const base = uniqueName("snaptypes");
    const table = `${base}_t`;
    const pub = `${base}_p`;
    const slot = `${base}_s`;
    const info = await createTable(
      "public",
      table,
      `id int PRIMARY KEY, big bigint, amount numeric(12,4), f8 float8, f4 real, flag bool, at timestamptz, ts timestamp,
       d date, t time, iv interval, doc jsonb, js json, uid uuid, raw bytea, ints int[], words text[], inet inet, m money, bits bit(4)`,
    );
    await ensurePublication(client, pub, "filtered", [{ schema: "public", table }]);
    cleanups.push(() => client.query(`DROP PUBLICATION IF EXISTS ${pub}`));
    const { consistentPoint } = await createSlot(options, slot);
    cleanups.push(() => dropSlot(client, slot));
    await client.query(
      `INSERT INTO ${table} VALUES (1, 9007199254740993, 12345.6789, 0.1, 1.5e-7, true, '2024-01-02 03:04:05.123456+02', '2024-01-02 03:04:05',
        '2024-02-29', '23:59:59.5', '1 year 2 mons 3 days 04:05:06', '{"b": [1, 2], "a": null}', '{"b":1,  "a":2}',
        'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', '\\x01ff00', '{1,2,3}', '{a,"b c",NULL}', '10.0.0.1/8', 12.34, B'1010'),
        (2, NULL, NULL, 'NaN', '-Infinity', NULL, NULL, NULL, 'infinity', NULL, NULL, NULL, NULL, NULL, NULL, '{}', '{}', NULL, NULL, NULL)`,
    );
    const stream = await openReplicationStream(options, { slotName: slot, publicationNames: [pub], startLsn: consistentPoint });
    cleanups.push(() => stream.close());
    const decoder = new PgoutputDecoder();
    const streamed: Record<string, unknown>[] = [];
    while (streamed.length < 2) {
      for (const message of await stream.read(100, 1000)) {
        const event = decoder.decode(message.data);
        if (event.tag === "insert") streamed.push(event.columns);
      }
    }
    const reader = await session();
    const snapshotRows = (await collect(reader.readChunks(info, { chunkSize: 10 }))).flatMap((c) => c.rows);
    expect(snapshotRows).toEqual(streamed);
    expect(snapshotRows[0]).toMatchObject({ big: "9007199254740993", f8: "0.1", flag: "t", raw: "\\x01ff00", words: '{a,"b c",NULL}' });
  });

  it("fails clearly when the snapshot cannot be imported", async () => {
    const error = await openSnapshotSession(options, "00000003-0000001B-1").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PostgresError);
    expect((error as PostgresError).message).toMatch(/could not import snapshot "00000003-0000001B-1".*(invalid snapshot identifier|SQLSTATE)/);
  });
});

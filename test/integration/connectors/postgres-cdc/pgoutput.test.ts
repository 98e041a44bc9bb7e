// The pgoutput decoder against real PostgreSQL output: each test creates its own table(s),
// publication and pgoutput slot, makes changes, then reads the slot's messages as bytes through
// pg_logical_slot_get_binary_changes (one row per message) and decodes them.
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  PgoutputDecoder,
  UNCHANGED_TOAST,
  formatLsn,
  parseLsn,
  postgresTimestampToDate,
  type PgoutputEvent,
} from "../../../../connectors/postgres-cdc/pgoutput/index.ts";
import { requireService } from "../../../services/index.ts";

interface SlotRow {
  lsn: string;
  xid: string;
  data: Buffer;
}

describe("pgoutput decoder on a real PostgreSQL", () => {
  let client: pg.Client;
  let serverVersion = 0;
  let counter = 0;
  const cleanups: string[] = [];

  beforeAll(async () => {
    client = new pg.Client({ connectionString: await requireService("postgres") });
    await client.connect();
    // The service runs with synchronous_commit=off, and the slot SQL functions decode only up to
    // the flushed WAL position: without this a just-committed transaction may not be decoded yet.
    await client.query("SET synchronous_commit = on");
    await client.query("SET TimeZone = 'UTC'");
    serverVersion = Number((await client.query("SHOW server_version_num")).rows[0].server_version_num);
  });
  afterEach(async () => {
    // Slots first: an active slot pins WAL; then the publications and tables.
    for (const sql of cleanups.splice(0).reverse()) await client.query(sql);
  });
  afterAll(async () => {
    await client.end();
  });

  /** Unique names for one test; everything they name is dropped after the test. */
  function names(): { table: string; pub: string; slot: string } {
    counter++;
    const base = `pgo_${process.pid}_${Date.now() % 1_000_000}_${counter}`;
    return { table: `${base}_t`, pub: `${base}_p`, slot: `${base}_s` };
  }

  async function createTable(table: string, ddl: string): Promise<void> {
    await client.query(`CREATE TABLE ${table} (${ddl})`);
    cleanups.push(`DROP TABLE IF EXISTS ${table} CASCADE`);
  }

  /** The publication must exist before the slot: decoding reads it with the slot's historic snapshot. */
  async function createPublicationAndSlot(pub: string, slot: string, tables: string[]): Promise<void> {
    await client.query(`CREATE PUBLICATION ${pub} FOR TABLE ${tables.join(", ")}`);
    cleanups.push(`DROP PUBLICATION IF EXISTS ${pub}`);
    await client.query(`SELECT pg_create_logical_replication_slot($1, 'pgoutput')`, [slot]);
    cleanups.push(`SELECT pg_drop_replication_slot('${slot}') WHERE EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = '${slot}')`);
  }

  async function readSlot(slot: string, pub: string, options: Record<string, string> = {}): Promise<SlotRow[]> {
    const args = Object.entries({ proto_version: "1", publication_names: pub, ...options }).flat();
    const placeholders = args.map((_, i) => `$${i + 2}`).join(", ");
    const { rows } = await client.query<SlotRow>(
      `SELECT lsn::text AS lsn, xid::text AS xid, data FROM pg_logical_slot_get_binary_changes($1, NULL, NULL, ${placeholders})`,
      [slot, ...args],
    );
    return rows;
  }

  async function decodeSlot(slot: string, pub: string, options: Record<string, string> = {}): Promise<PgoutputEvent[]> {
    const decoder = new PgoutputDecoder();
    return (await readSlot(slot, pub, options)).map((row) => decoder.decode(row.data));
  }

  /** Events without Begin/Commit/Relation/Type, for asserting on the changes alone. */
  const changesOf = (events: PgoutputEvent[]): PgoutputEvent[] =>
    events.filter((e) => ["insert", "update", "delete", "truncate"].includes(e.tag));

  it("decodes Begin/Commit, a Type and Relation, and mixed-type inserts/updates/deletes", async () => {
    const { table, pub, slot } = names();
    const mood = `${table}_mood`;
    await client.query(`CREATE TYPE ${mood} AS ENUM ('sad', 'happy')`);
    cleanups.push(`DROP TYPE IF EXISTS ${mood}`);
    await createTable(
      table,
      `id int PRIMARY KEY, big bigint, amount numeric(12,6), label varchar(10), note text, flag bool,
       at timestamptz, doc jsonb, uid uuid, raw bytea, ints int[], words text[], feeling ${mood}`,
    );
    await createPublicationAndSlot(pub, slot, [table]);

    const before = Date.now();
    await client.query("BEGIN");
    const xid = Number((await client.query("SELECT txid_current() % 4294967296 AS xid")).rows[0].xid);
    await client.query(
      `INSERT INTO ${table} VALUES (1, 9007199254740993, 12345.6789, 'short', 'héllo', true,
        '2024-01-02 03:04:05.123456+00', '{"b": [1, 2], "a": null}', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11',
        '\\x01ff00', '{1,2,3}', '{a,"b c",NULL}', 'happy')`,
    );
    await client.query(`INSERT INTO ${table} (id) VALUES (2)`);
    await client.query(`UPDATE ${table} SET note = 'changed', flag = false WHERE id = 1`);
    await client.query(`DELETE FROM ${table} WHERE id = 2`);
    await client.query("COMMIT");
    const after = Date.now();

    const rows = await readSlot(slot, pub);
    const decoder = new PgoutputDecoder();
    const events = rows.map((row) => decoder.decode(row.data));
    expect(events.map((e) => e.tag)).toEqual(["begin", "type", "relation", "insert", "insert", "update", "delete", "commit"]);

    const begin = events[0];
    const commit = events[7];
    if (begin?.tag !== "begin" || commit?.tag !== "commit") throw new Error("expected Begin ... Commit");
    expect(begin.xid).toBe(xid);
    expect(rows.every((row) => Number(row.xid) === xid)).toBe(true);
    // Begin's final LSN is the commit record's LSN; the slot reports each message at an LSN too.
    expect(begin.finalLsn).toBe(commit.commitLsn);
    expect(commit.endLsn).toBeGreaterThan(commit.commitLsn);
    expect(formatLsn(commit.endLsn)).toBe(rows[7]?.lsn);
    expect(parseLsn(rows[0]?.lsn ?? "")).toBeLessThanOrEqual(commit.commitLsn);
    expect(commit.commitTime).toBe(begin.commitTime);
    const committedAt = postgresTimestampToDate(commit.commitTime).getTime();
    expect(committedAt).toBeGreaterThanOrEqual(before - 1000);
    expect(committedAt).toBeLessThanOrEqual(after + 1000);

    const moodOid = Number((await client.query(`SELECT $1::regtype::oid AS oid`, [mood])).rows[0].oid);
    expect(events[1]).toEqual({ tag: "type", typeOid: moodOid, namespace: "public", name: mood });

    const relation = events[2];
    if (relation?.tag !== "relation") throw new Error("expected a Relation");
    const tableOid = Number((await client.query(`SELECT $1::regclass::oid AS oid`, [table])).rows[0].oid);
    expect(relation).toMatchObject({ relationId: tableOid, namespace: "public", name: table, replicaIdentity: "d" });
    expect(relation.columns.map((c) => [c.name, c.isKey, c.typeOid, c.typeModifier])).toEqual([
      ["id", true, 23, -1],
      ["big", false, 20, -1],
      ["amount", false, 1700, ((12 << 16) | 6) + 4],
      ["label", false, 1043, 14],
      ["note", false, 25, -1],
      ["flag", false, 16, -1],
      ["at", false, 1184, -1],
      ["doc", false, 3802, -1],
      ["uid", false, 2950, -1],
      ["raw", false, 17, -1],
      ["ints", false, 1007, -1],
      ["words", false, 1009, -1],
      ["feeling", false, moodOid, -1],
    ]);
    expect(decoder.relation(tableOid)).toBe(relation);

    const full = {
      id: "1",
      big: "9007199254740993",
      amount: "12345.678900",
      label: "short",
      note: "héllo",
      flag: "t",
      at: "2024-01-02 03:04:05.123456+00",
      doc: '{"a": null, "b": [1, 2]}',
      uid: "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
      raw: "\\x01ff00",
      ints: "{1,2,3}",
      words: '{a,"b c",NULL}',
      feeling: "happy",
    };
    const nulls = Object.fromEntries(Object.keys(full).map((k) => [k, null]));
    expect(events[3]).toEqual({ tag: "insert", relation, columns: full });
    expect(events[4]).toEqual({ tag: "insert", relation, columns: { ...nulls, id: "2" } });
    // REPLICA IDENTITY DEFAULT and an unchanged key: no old tuple at all.
    expect(events[5]).toEqual({ tag: "update", relation, columns: { ...full, note: "changed", flag: "f" } });
    // A delete under DEFAULT carries only the key.
    expect(events[6]).toEqual({ tag: "delete", relation, oldKind: "K", old: { id: "2" } });
  });

  it("sends the old key ('K') when an update changes the key, and the whole old row ('O') under REPLICA IDENTITY FULL", async () => {
    const { table, pub, slot } = names();
    const fullTable = `${table}_full`;
    await createTable(table, "id int PRIMARY KEY, name text");
    await createTable(fullTable, "id int, name text, score numeric");
    await client.query(`ALTER TABLE ${fullTable} REPLICA IDENTITY FULL`);
    await createPublicationAndSlot(pub, slot, [table, fullTable]);

    await client.query(`INSERT INTO ${table} VALUES (1, 'a')`);
    await client.query(`UPDATE ${table} SET id = 10, name = 'b' WHERE id = 1`);
    await client.query(`INSERT INTO ${fullTable} VALUES (1, 'x', 1.5)`);
    await client.query(`UPDATE ${fullTable} SET score = NULL WHERE id = 1`);
    await client.query(`DELETE FROM ${fullTable} WHERE id = 1`);

    const changes = changesOf(await decodeSlot(slot, pub));
    expect(changes.map((c) => c.tag)).toEqual(["insert", "update", "insert", "update", "delete"]);
    expect(changes[1]).toMatchObject({ tag: "update", oldKind: "K", old: { id: "1" }, columns: { id: "10", name: "b" } });
    expect(changes[3]).toMatchObject({
      tag: "update",
      relation: { name: fullTable, replicaIdentity: "f" },
      oldKind: "O",
      old: { id: "1", name: "x", score: "1.5" },
      columns: { id: "1", name: "x", score: null },
    });
    expect(changes[4]).toMatchObject({ tag: "delete", oldKind: "O", old: { id: "1", name: "x", score: null } });
  });

  it("marks an unchanged TOASTed column as UNCHANGED_TOAST ('u') in an update", async () => {
    const { table, pub, slot } = names();
    await createTable(table, "id int PRIMARY KEY, counter int, body text");
    // EXTERNAL: stored out of line uncompressed, so a modest value is surely TOASTed.
    await client.query(`ALTER TABLE ${table} ALTER COLUMN body SET STORAGE EXTERNAL`);
    await createPublicationAndSlot(pub, slot, [table]);

    const body = "toast-".repeat(2000);
    await client.query(`INSERT INTO ${table} VALUES (1, 0, $1)`, [body]);
    await client.query(`UPDATE ${table} SET counter = counter + 1 WHERE id = 1`);
    await client.query(`UPDATE ${table} SET body = 'small' WHERE id = 1`);

    const changes = changesOf(await decodeSlot(slot, pub));
    expect(changes[0]).toMatchObject({ tag: "insert", columns: { id: "1", counter: "0", body } });
    expect(changes[1]).toMatchObject({ tag: "update", columns: { id: "1", counter: "1", body: UNCHANGED_TOAST } });
    expect(changes[2]).toMatchObject({ tag: "update", columns: { id: "1", counter: "1", body: "small" } });
  });

  it("picks up a column added mid-stream from the new Relation message", async () => {
    const { table, pub, slot } = names();
    await createTable(table, "id int PRIMARY KEY, name text");
    await createPublicationAndSlot(pub, slot, [table]);

    await client.query(`INSERT INTO ${table} VALUES (1, 'before')`);
    await client.query(`ALTER TABLE ${table} ADD COLUMN extra int DEFAULT 7`);
    await client.query(`INSERT INTO ${table} VALUES (2, 'after', 8)`);
    await client.query(`UPDATE ${table} SET name = 'again' WHERE id = 1`);

    const events = await decodeSlot(slot, pub);
    const relations = events.filter((e) => e.tag === "relation");
    expect(relations.map((r) => r.columns.map((c) => c.name))).toEqual([
      ["id", "name"],
      ["id", "name", "extra"],
    ]);
    const changes = changesOf(events);
    expect(changes[0]).toMatchObject({ tag: "insert", columns: { id: "1", name: "before" } });
    expect(changes[1]).toMatchObject({ tag: "insert", columns: { id: "2", name: "after", extra: "8" } });
    // The existing row reads the column's default once the column exists.
    expect(changes[2]).toMatchObject({ tag: "update", columns: { id: "1", name: "again", extra: "7" } });
  });

  it("decodes Truncate with its options and every truncated relation", async () => {
    const { table, pub, slot } = names();
    const child = `${table}_child`;
    await createTable(table, "id serial PRIMARY KEY");
    await createTable(child, `id int REFERENCES ${table}(id)`);
    await createPublicationAndSlot(pub, slot, [table, child]);

    await client.query(`INSERT INTO ${table} DEFAULT VALUES`);
    await client.query(`TRUNCATE ${table} RESTART IDENTITY CASCADE`);
    await client.query(`TRUNCATE ${child}`);

    const truncates = (await decodeSlot(slot, pub)).filter((e) => e.tag === "truncate");
    expect(truncates).toHaveLength(2);
    expect(truncates[0]).toMatchObject({ cascade: true, restartIdentity: true });
    expect(truncates[0]?.relations.map((r) => r.name).sort()).toEqual([table, child].sort());
    expect(truncates[1]).toMatchObject({ cascade: false, restartIdentity: false });
    expect(truncates[1]?.relations.map((r) => r.name)).toEqual([child]);
  });

  it("decodes logical decoding Messages, transactional and not", async () => {
    const { table, pub, slot } = names();
    await createTable(table, "id int PRIMARY KEY");
    await createPublicationAndSlot(pub, slot, [table]);

    await client.query("BEGIN");
    await client.query(`INSERT INTO ${table} VALUES (1)`);
    await client.query(`SELECT pg_logical_emit_message(true, 'hub-test', 'in the transaction')`);
    await client.query("COMMIT");
    await client.query(`SELECT pg_logical_emit_message(false, 'hub-test', '\\x00ff'::bytea)`);
    // A non-transactional message's WAL is not flushed by anything of its own (PostgreSQL < 17),
    // and the slot functions decode only flushed WAL: a later committed write flushes it.
    await client.query(`INSERT INTO ${table} VALUES (2)`);

    const events = await decodeSlot(slot, pub, { messages: "true" });
    const messages = events.filter((e) => e.tag === "message");
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatchObject({ transactional: true, prefix: "hub-test" });
    expect(Buffer.from(messages[0]?.content ?? []).toString()).toBe("in the transaction");
    expect(messages[1]).toMatchObject({ transactional: false, prefix: "hub-test", content: new Uint8Array([0, 255]) });
    expect(messages[1]?.lsn).toBeGreaterThan(messages[0]?.lsn ?? 0n);
    // The transactional message sits inside its transaction; the other stands alone, outside any.
    expect(events.map((e) => e.tag)).toEqual(["begin", "relation", "insert", "message", "commit", "message", "begin", "insert", "commit"]);
  });

  it("decodes binary-format columns ('b') when the binary option is on (protocol 2)", async () => {
    const { table, pub, slot } = names();
    await createTable(table, "id int PRIMARY KEY, big bigint, note text");
    await createPublicationAndSlot(pub, slot, [table]);
    await client.query(`INSERT INTO ${table} VALUES (258, -2, NULL)`);

    const [insert] = changesOf(await decodeSlot(slot, pub, { proto_version: "2", binary: "true" }));
    expect(insert).toMatchObject({
      tag: "insert",
      columns: { id: new Uint8Array([0, 0, 1, 2]), big: new Uint8Array([255, 255, 255, 255, 255, 255, 255, 254]), note: null },
    });
  });

  it("decodes a streamed large transaction (protocol 2): Stream Start/Stop/Commit and xids on changes", async () => {
    expect(serverVersion).toBeGreaterThanOrEqual(140000);
    const { table, pub, slot } = names();
    await createTable(table, "id int PRIMARY KEY, pad text");
    await createPublicationAndSlot(pub, slot, [table]);

    await client.query("BEGIN");
    const xid = Number((await client.query("SELECT txid_current() % 4294967296 AS xid")).rows[0].xid);
    await client.query(`INSERT INTO ${table} SELECT g, repeat('p', 100) FROM generate_series(1, 3000) g`);
    await client.query("COMMIT");

    // The smallest work memory makes the decoder stream the transaction before its commit.
    await client.query("SET logical_decoding_work_mem = '64kB'");
    let events: PgoutputEvent[];
    try {
      events = await decodeSlot(slot, pub, { proto_version: "2", streaming: "on" });
    } finally {
      await client.query("RESET logical_decoding_work_mem");
    }
    const tags = events.map((e) => e.tag);
    expect(tags[0]).toBe("stream-start");
    expect(tags).not.toContain("begin");
    expect(events[0]).toEqual({ tag: "stream-start", xid, firstSegment: true });
    expect(tags.filter((t) => t === "stream-start").length).toBeGreaterThan(1);
    expect(tags.filter((t) => t === "stream-start").length).toBe(tags.filter((t) => t === "stream-stop").length);
    const inserts = events.filter((e) => e.tag === "insert");
    expect(inserts).toHaveLength(3000);
    expect(inserts.every((e) => e.xid === xid)).toBe(true);
    expect(inserts[2999]?.columns).toEqual({ id: "3000", pad: "p".repeat(100) });
    expect(events.find((e) => e.tag === "relation")).toMatchObject({ xid, name: table });
    const last = events.at(-1);
    expect(last).toMatchObject({ tag: "stream-commit", xid, flags: 0 });
  });
});

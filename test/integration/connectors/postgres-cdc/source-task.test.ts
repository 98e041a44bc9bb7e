// The Postgres CDC task driven directly against a real PostgreSQL, with the runtime's own offset
// machinery (OffsetStorageWriter / OffsetStorageReaderImpl over a memory store): records are
// "written" by storing their offsets and then calling commit(), as the worker does after Kafka
// acknowledged them. Each test has its own tables, slot, publication and topic prefix, all
// dropped afterwards (a slot left behind would pin WAL).
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ConnectorProps, SourceRecord, Struct } from "../../../../connect/api/index.ts";
import { OffsetStorageReaderImpl, OffsetStorageWriter } from "../../../../connect/runtime/offset-storage.ts";
import { MemoryOffsetBackingStore } from "../../../../connect/storage/memory-offset-store.ts";
import { acknowledgeableLsn, parseOffset } from "../../../../connectors/postgres-cdc/offsets.ts";
import { PostgresCdcSourceConnector, PostgresCdcSourceTask } from "../../../../connectors/postgres-cdc/index.ts";
import { parseLsn } from "../../../../connectors/postgres-cdc/pgoutput/index.ts";
import { requireService } from "../../../services/index.ts";

const CONNECTOR = "pg-cdc-test";

/** A connector's offsets as the runtime keeps them, and tasks started against them. */
class Harness {
  readonly store = new MemoryOffsetBackingStore();
  readonly writer = new OffsetStorageWriter(this.store, CONNECTOR);
  readonly reader = new OffsetStorageReaderImpl(this.store, CONNECTOR);
  readonly props: ConnectorProps;
  task: PostgresCdcSourceTask | null = null;

  constructor(props: ConnectorProps) {
    this.props = props;
  }

  async start(): Promise<PostgresCdcSourceTask> {
    const task = new PostgresCdcSourceTask();
    task.initialize({ configs: () => this.props, offsetStorageReader: () => this.reader });
    await task.start(this.props);
    this.task = task;
    return task;
  }

  /** Polls until `done(records so far)` holds; fails after timeoutMs. */
  async pollUntil(done: (records: SourceRecord[]) => boolean, timeoutMs = 20_000): Promise<SourceRecord[]> {
    const task = this.task as PostgresCdcSourceTask;
    const records: SourceRecord[] = [];
    const deadline = Date.now() + timeoutMs;
    while (!done(records)) {
      if (Date.now() > deadline) throw new Error(`timed out; got ${records.length} record(s): ${records.map(describeRecord).join(" ")}`);
      records.push(...((await task.poll()) ?? []));
    }
    return records;
  }

  /** Stores the offset of `record` (as the runtime does once it and all before it are acknowledged), then commit(). */
  async store_(record: SourceRecord): Promise<void> {
    this.writer.offset(record.sourcePartition, record.sourceOffset);
    if (this.writer.beginFlush()) await this.writer.doFlush();
    await this.task?.commit();
  }

  async storedOffset(): Promise<Readonly<Record<string, unknown>> | null> {
    return this.reader.offset({ server: this.props["topic.prefix"] });
  }

  async stop(): Promise<void> {
    await this.task?.stop();
    this.task = null;
  }
}

/** The stored offsets of a harness's connector, as [partition, offset] pairs. */
async function offsetsOf(h: Harness): Promise<[Readonly<Record<string, unknown>>, Readonly<Record<string, unknown>>][]> {
  const partition = { server: h.props["topic.prefix"] };
  const offset = await h.reader.offset(partition);
  return offset === null ? [] : [[partition, offset]];
}

const op = (r: SourceRecord): string | null => (r.value === null ? null : ((r.value as Struct).get("op") as string));
const keyId = (r: SourceRecord): unknown => (r.key as Struct | null)?.get("id") ?? null;
const afterId = (r: SourceRecord): unknown => ((r.value as Struct | null)?.get("after") as Struct | null)?.get("id") ?? null;
const marker = (r: SourceRecord): string => ((r.value as Struct).get("source") as Struct).get("snapshot") as string;
const isData = (r: SourceRecord): boolean => !r.topic.startsWith("__debezium-heartbeat");
function describeRecord(r: SourceRecord): string {
  return `${r.topic}:${op(r) ?? "tombstone"}:${String(keyId(r))}`;
}

describe("PostgresCdcSourceTask on a real PostgreSQL", () => {
  let url: string;
  let admin: pg.Client;
  let counter = 0;
  const cleanups: string[] = [];
  const harnesses: Harness[] = [];

  beforeAll(async () => {
    url = await requireService("postgres");
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
    // The service runs with synchronous_commit=off; the slot only sees flushed WAL promptly with it on.
    await admin.query("SET synchronous_commit = on");
  });
  afterEach(async () => {
    for (const h of harnesses.splice(0)) await h.stop().catch(() => {});
    for (const sql of cleanups.splice(0).reverse()) await admin.query(sql).catch(() => {});
  });
  afterAll(async () => {
    await admin.end();
  });

  /** Unique names for one test, dropped afterwards (slot first, then publication and tables). */
  function names(): { table: string; slot: string; pub: string; prefix: string } {
    counter++;
    const base = `cdc_${process.pid}_${Date.now() % 1_000_000}_${counter}`;
    cleanups.push(`DROP TABLE IF EXISTS ${base}_t, ${base}_hb CASCADE`);
    cleanups.push(`DROP PUBLICATION IF EXISTS ${base}_p`);
    cleanups.push(`SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '${base}_s' AND NOT active`);
    return { table: `${base}_t`, slot: `${base}_s`, pub: `${base}_p`, prefix: `srv_${counter}` };
  }

  function harness(n: ReturnType<typeof names>, extra: Record<string, string> = {}): Harness {
    const u = new URL(url);
    const h = new Harness({
      "connector.class": "io.debezium.connector.postgresql.PostgresConnector",
      "database.hostname": u.hostname,
      "database.port": u.port,
      "database.user": decodeURIComponent(u.username),
      "database.password": decodeURIComponent(u.password),
      "database.dbname": u.pathname.slice(1),
      "database.sslmode": "disable",
      "topic.prefix": n.prefix,
      "plugin.name": "pgoutput",
      "slot.name": n.slot,
      "publication.name": n.pub,
      "publication.autocreate.mode": "filtered",
      "table.include.list": `public\\.${n.table}`,
      "poll.interval.ms": "200",
      "heartbeat.interval.ms": "0",
      "slot.retry.delay.ms": "500",
      ...extra,
    });
    harnesses.push(h);
    return h;
  }

  async function confirmedFlush(slot: string): Promise<bigint | null> {
    const { rows } = await admin.query<{ lsn: string | null }>("SELECT confirmed_flush_lsn::text AS lsn FROM pg_replication_slots WHERE slot_name = $1", [slot]);
    const text = rows[0]?.lsn ?? null;
    return text === null ? null : parseLsn(text);
  }

  async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it("snapshots the existing rows, then streams inserts, updates, deletes with tombstones, key changes and truncates", async () => {
    const n = names();
    await admin.query(`CREATE TABLE ${n.table} (id int PRIMARY KEY, name text)`);
    await admin.query(`INSERT INTO ${n.table} VALUES (1, 'a'), (2, 'b'), (3, 'c')`);
    const h = harness(n, { "skipped.operations": "none" });
    const task = await h.start();
    const topic = `${n.prefix}.public.${n.table}`;

    const snapshot = await h.pollUntil((r) => r.length >= 3);
    expect(snapshot.map(op)).toEqual(["r", "r", "r"]);
    expect(snapshot.map((r) => r.topic)).toEqual([topic, topic, topic]);
    expect(snapshot.map(keyId)).toEqual([1, 2, 3]);
    expect(snapshot.map(marker)).toEqual(["first", "true", "last"]);
    expect(snapshot[0]?.keySchema?.name).toBe(`${topic}.Key`);
    expect(snapshot[0]?.valueSchema?.name).toBe(`${topic}.Envelope`);
    expect(snapshot[0]?.sourcePartition).toEqual({ server: n.prefix });
    expect(snapshot[2]?.sourceOffset).toMatchObject({ snapshot: "INITIAL", last_snapshot_record: true });
    expect(snapshot[1]?.sourceOffset).toMatchObject({ snapshot: "INITIAL", last_snapshot_record: false, snapshot_key: '["2"]' });
    expect(typeof snapshot[0]?.sourceOffset?.lsn).toBe("number");
    expect(task.snapshotProgress()).toEqual([{ schema: "public", table: n.table, rowsDone: 3, rowsTotal: 3, state: "done" }]);

    await admin.query(`INSERT INTO ${n.table} VALUES (4, 'd')`);
    await admin.query(`UPDATE ${n.table} SET name = 'B' WHERE id = 2`);
    await admin.query(`DELETE FROM ${n.table} WHERE id = 3`);
    await admin.query(`UPDATE ${n.table} SET id = 10 WHERE id = 1`);
    await admin.query(`TRUNCATE ${n.table}`);
    const changes = await h.pollUntil((r) => r.filter(isData).length >= 8);
    const data = changes.filter(isData);
    expect(data.map((r) => `${op(r) ?? "tombstone"}:${String(keyId(r))}`)).toEqual(["c:4", "u:2", "d:3", "tombstone:3", "d:1", "tombstone:1", "c:10", "t:null"]);
    expect(data.every((r) => r.topic === topic)).toBe(true);
    const update = data[1]?.value as Struct;
    expect(((update.get("after") as Struct).get("name"))).toBe("B");
    expect(((update.get("source") as Struct).get("snapshot"))).toBe("false");
    expect(typeof ((update.get("source") as Struct).get("lsn"))).toBe("bigint");
    // The tombstone keeps the key and has neither value nor value schema.
    expect(data[3]?.value).toBeNull();
    expect(data[3]?.valueSchema).toBeNull();
    // A primary key change: a delete carrying the new key, and a create carrying the old one.
    expect(data[4]?.headers.lastWithName("__debezium.newkey")?.value).toBeTruthy();
    expect(afterId(data[6] as SourceRecord)).toBe(10);
    expect((data[6]?.headers.lastWithName("__debezium.oldkey")?.value as Struct).get("id")).toBe(1);
    // Streaming offsets have Debezium's fields, LSNs as numbers.
    const offset = data[1]?.sourceOffset as Record<string, unknown>;
    expect(Object.keys(offset).sort()).toEqual(["lsn", "lsn_commit", "lsn_proc", "messageType", "ts_usec", "txId"]);
    expect(offset.messageType).toBe("UPDATE");
    expect(typeof offset.lsn).toBe("number");
    expect(offset.lsn_commit as number).toBeLessThan(offset.lsn as number);
  });

  it("refreshes a table's event schema when its shape changes while streaming", async () => {
    const n = names();
    await admin.query(`CREATE TABLE ${n.table} (id int PRIMARY KEY, a text)`);
    const h = harness(n, { "snapshot.mode": "no_data" });
    await h.start();
    await admin.query(`INSERT INTO ${n.table} VALUES (1, 'x')`);
    const before = await h.pollUntil((r) => r.length >= 1);
    const oldRow = (before[0]?.value as Struct).get("after") as Struct;
    expect(oldRow.schema.fields.map((f) => f.name)).toEqual(["id", "a"]);
    await admin.query(`ALTER TABLE ${n.table} ADD COLUMN b int`);
    await admin.query(`INSERT INTO ${n.table} VALUES (2, 'y', 42)`);
    const after = await h.pollUntil((r) => r.length >= 1);
    const newRow = (after[0]?.value as Struct).get("after") as Struct;
    expect(newRow.schema.fields.map((f) => f.name)).toEqual(["id", "a", "b"]);
    expect(newRow.get("b")).toBe(42);
  });

  it("skips truncates by default and tables outside the filters", async () => {
    const n = names();
    await admin.query(`CREATE TABLE ${n.table} (id int PRIMARY KEY)`);
    await admin.query(`CREATE TABLE ${n.table.replace(/_t$/, "_hb")} (id int PRIMARY KEY)`);
    await admin.query(`CREATE PUBLICATION ${n.pub} FOR TABLE ${n.table}, ${n.table.replace(/_t$/, "_hb")}`);
    const h = harness(n, { "publication.autocreate.mode": "disabled", "snapshot.mode": "no_data" });
    await h.start();
    await admin.query(`INSERT INTO ${n.table.replace(/_t$/, "_hb")} VALUES (1)`);
    await admin.query(`TRUNCATE ${n.table}`);
    await admin.query(`INSERT INTO ${n.table} VALUES (7)`);
    const records = await h.pollUntil((r) => r.length >= 1);
    expect(records.map(describeRecord)).toEqual([`${n.prefix}.public.${n.table}:c:7`]);
  });

  it("resumes after stop/start from the stored offset: nothing lost, only unstored records repeat", async () => {
    const n = names();
    await admin.query(`CREATE TABLE ${n.table} (id int PRIMARY KEY, v text)`);
    await admin.query(`INSERT INTO ${n.table} VALUES (1, 's'), (2, 's')`);
    const h = harness(n);
    await h.start();
    const snap = await h.pollUntil((r) => r.length >= 2);
    await h.store_(snap[1] as SourceRecord);

    for (let id = 3; id <= 12; id++) await admin.query(`INSERT INTO ${n.table} VALUES ($1, 'x')`, [id]);
    // One transaction of three rows: the restart must continue inside it.
    await admin.query(`BEGIN; INSERT INTO ${n.table} VALUES (20, 't'), (21, 't'), (22, 't'); COMMIT`);
    const run1 = await h.pollUntil((r) => r.filter(isData).some((x) => keyId(x) === 21));
    const ids1 = run1.filter(isData).map(keyId);
    expect(ids1.slice(0, 12)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 20, 21]);
    // Kafka acknowledged up to id 6 only; and, separately, up to id 20 would be in the middle of
    // the last transaction: store 6 first, stop, restart, check, then the transaction case.
    await h.store_(run1.find((r) => keyId(r) === 6) as SourceRecord);
    const storedLsn = acknowledgeableLsn(parseOffset(await h.storedOffset()) as NonNullable<ReturnType<typeof parseOffset>>);
    await waitFor(async () => (await confirmedFlush(n.slot)) === storedLsn, "the slot to be confirmed at the stored offset");
    await h.stop();

    await admin.query(`INSERT INTO ${n.table} VALUES (13, 'while stopped')`);
    await h.start();
    const run2 = await h.pollUntil((r) => r.filter(isData).some((x) => keyId(x) === 13));
    const ids2 = run2.filter(isData).map(keyId);
    // Everything after the stored record, in order, exactly once; nothing stored is repeated.
    expect(ids2).toEqual([7, 8, 9, 10, 11, 12, 20, 21, 22, 13]);
    const repeated = ids2.filter((id) => ids1.includes(id));
    expect(repeated.length).toBeLessThanOrEqual(ids1.length - 4); // at most the unstored ones (7 .. 21)

    // Now store the record of id 20 (the middle of the 3-row transaction) and restart.
    await h.store_(run2.find((r) => keyId(r) === 20) as SourceRecord);
    await h.stop();
    await h.start();
    const run3 = await h.pollUntil((r) => r.filter(isData).some((x) => keyId(x) === 13));
    expect(run3.filter(isData).map(keyId)).toEqual([21, 22, 13]);
  });

  it("resumes an interrupted snapshot after the last stored row (a snapshot stopped at 90% resumes at 90%)", async () => {
    const n = names();
    await admin.query(`CREATE TABLE ${n.table} (id int PRIMARY KEY, v text)`);
    await admin.query(`INSERT INTO ${n.table} SELECT g, 'row ' || g FROM generate_series(1, 50) g`);
    await admin.query(`ANALYZE ${n.table}`);
    const h = harness(n, { "snapshot.fetch.size": "10", "max.batch.size": "5", "max.queue.size": "20" });
    const task = await h.start();
    const first = await h.pollUntil((r) => r.length >= 45);
    expect(first.slice(0, 45).map(keyId)).toEqual(Array.from({ length: 45 }, (_, i) => i + 1));
    await h.store_(first[44] as SourceRecord);
    expect(task.snapshotProgress()[0]?.rowsTotal).toBe(50);
    await h.stop();
    // Changes while stopped: the slot (created at the snapshot's start, not confirmed since) keeps them.
    await admin.query(`UPDATE ${n.table} SET v = 'changed' WHERE id = 3`);

    const task2 = await h.start();
    expect(task2.phase).toBe("snapshot");
    const rest = await h.pollUntil((r) => r.some((x) => op(x) === "u"));
    const snapshotRows = rest.filter((r) => op(r) === "r");
    expect(snapshotRows.map(keyId)).toEqual([46, 47, 48, 49, 50]);
    expect(snapshotRows.map(marker)).toEqual(["true", "true", "true", "true", "last"]);
    expect(snapshotRows[4]?.sourceOffset).toMatchObject({ last_snapshot_record: true, snapshot_table_rows: 50 });
    expect(task2.snapshotProgress()).toEqual([{ schema: "public", table: n.table, rowsDone: 50, rowsTotal: 50, state: "done" }]);
    const update = rest.find((r) => op(r) === "u") as SourceRecord;
    expect(keyId(update)).toBe(3);
    expect(task2.phase).toBe("streaming");
  });

  it("snapshot.mode=initial_only snapshots once and streams nothing; when_needed snapshots again when the slot is gone", async () => {
    const n = names();
    await admin.query(`CREATE TABLE ${n.table} (id int PRIMARY KEY)`);
    await admin.query(`INSERT INTO ${n.table} VALUES (1), (2)`);
    const only = harness(n, { "snapshot.mode": "initial_only" });
    const task = await only.start();
    const rows = await only.pollUntil((r) => r.length >= 2);
    expect(rows.map(op)).toEqual(["r", "r"]);
    await only.store_(rows[1] as SourceRecord);
    await admin.query(`INSERT INTO ${n.table} VALUES (3)`);
    for (let i = 0; i < 3; i++) expect(await task.poll()).toBeNull();
    expect(task.phase).toBe("idle");
    await only.stop();
    const again = await only.start();
    expect(again.phase).toBe("idle");
    await only.stop();

    // The same stored offsets under when_needed: the slot is there, so no snapshot ...
    const needed = new Harness({ ...only.props, "snapshot.mode": "when_needed" });
    harnesses.push(needed);
    for (const [key, value] of await offsetsOf(only)) needed.writer.offset(key, value);
    if (needed.writer.beginFlush()) await needed.writer.doFlush();
    expect((await needed.start()).phase).toBe("streaming");
    const streamed = await needed.pollUntil((r) => r.length >= 1);
    expect(streamed.map(describeRecord)).toEqual([`${n.prefix}.public.${n.table}:c:3`]);
    await needed.stop();
    // ... but once the slot is gone, the stored position means nothing: snapshot again.
    await admin.query("SELECT pg_drop_replication_slot($1)", [n.slot]);
    const resnapshot = await needed.start();
    expect(resnapshot.phase).toBe("snapshot");
    expect((await needed.pollUntil((r) => r.length >= 3)).map((r) => `${op(r)}:${String(keyId(r))}`)).toEqual(["r:1", "r:2", "r:3"]);
  });

  it("confirms the slot only in commit(), and only up to the stored offset", async () => {
    const n = names();
    await admin.query(`CREATE TABLE ${n.table} (id int PRIMARY KEY)`);
    const h = harness(n, { "snapshot.mode": "no_data" });
    await h.start();
    const initial = await confirmedFlush(n.slot);
    for (let id = 1; id <= 4; id++) await admin.query(`INSERT INTO ${n.table} VALUES ($1)`, [id]);
    const records = await h.pollUntil((r) => r.length >= 4);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await confirmedFlush(n.slot)).toBe(initial); // polled, not stored: not confirmed

    // Stored but commit() not called yet: still not confirmed.
    const second = records[1] as SourceRecord;
    h.writer.offset(second.sourcePartition, second.sourceOffset);
    if (h.writer.beginFlush()) await h.writer.doFlush();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await confirmedFlush(n.slot)).toBe(initial);

    await h.task?.commit();
    const expected = acknowledgeableLsn(parseOffset(second.sourceOffset) as NonNullable<ReturnType<typeof parseOffset>>) as bigint;
    await waitFor(async () => (await confirmedFlush(n.slot)) === expected, "the slot to be confirmed at the second record's commit position");
    // Never beyond what was stored: the later records' positions are not confirmed.
    const last = parseOffset(records[3]?.sourceOffset ?? null);
    expect(expected).toBeLessThan(last?.lsn as bigint);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await confirmedFlush(n.slot)).toBe(expected);
  });

  it("writes heartbeats that carry the latest position, so the slot advances while captured tables are idle", async () => {
    const n = names();
    const hb = n.table.replace(/_t$/, "_hb");
    await admin.query(`CREATE TABLE ${n.table} (id int PRIMARY KEY)`);
    await admin.query(`CREATE TABLE ${hb} (id int PRIMARY KEY, ts timestamptz)`);
    await admin.query(`INSERT INTO ${hb} VALUES (1, now())`);
    await admin.query(`CREATE PUBLICATION ${n.pub} FOR TABLE ${n.table}, ${hb}`);
    const h = harness(n, {
      "snapshot.mode": "no_data",
      "publication.autocreate.mode": "disabled",
      "heartbeat.interval.ms": "300",
      "heartbeat.action.query": `UPDATE ${hb} SET ts = now() WHERE id = 1`,
    });
    await h.start();
    const initial = (await confirmedFlush(n.slot)) as bigint;
    const heartbeats = await h.pollUntil((r) => r.filter((x) => !isData(x)).length >= 3);
    const beat = heartbeats.find((x) => !isData(x)) as SourceRecord;
    expect(beat.topic).toBe(`__debezium-heartbeat.${n.prefix}`);
    expect(beat.keySchema?.name).toBe("io.debezium.connector.common.ServerNameKey");
    expect((beat.key as Struct).get("serverName")).toBe(n.prefix);
    expect(beat.valueSchema?.name).toBe("io.debezium.connector.common.Heartbeat");
    expect(typeof (beat.value as Struct).get("ts_ms")).toBe("bigint");
    expect(heartbeats.filter(isData)).toEqual([]); // the heartbeat table is not captured
    const latest = heartbeats.filter((x) => !isData(x)).at(-1) as SourceRecord;
    const latestLsn = acknowledgeableLsn(parseOffset(latest.sourceOffset) as NonNullable<ReturnType<typeof parseOffset>>) as bigint;
    expect(latestLsn).toBeGreaterThan(initial);
    await h.store_(latest);
    await waitFor(async () => ((await confirmedFlush(n.slot)) as bigint) === latestLsn, "the slot to advance to the heartbeat's position");
  });

  it("returns a pending poll promptly on stop(), and drops the slot with slot.drop.on.stop", async () => {
    const n = names();
    await admin.query(`CREATE TABLE ${n.table} (id int PRIMARY KEY)`);
    const h = harness(n, { "snapshot.mode": "no_data", "poll.interval.ms": "10000", "slot.drop.on.stop": "true" });
    const task = await h.start();
    expect(await confirmedFlush(n.slot)).not.toBeNull();
    const started = Date.now();
    const pending = task.poll();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await task.stop();
    expect(await pending).toBeNull();
    expect(Date.now() - started).toBeLessThan(5000);
    const { rows } = await admin.query("SELECT 1 FROM pg_replication_slots WHERE slot_name = $1", [n.slot]);
    expect(rows).toEqual([]);
  });

  it("validate() checks credentials and the server's readiness", async () => {
    const n = names();
    const props = { ...harness(n).props };
    const connector = new PostgresCdcSourceConnector();
    const ok = await connector.validate(props);
    expect(ok.configValues.filter((v) => v.errors.length > 0)).toEqual([]);
    const noDb = await connector.validate({ ...props, "database.dbname": "no_such_db_for_cdc" });
    expect(noDb.configValues.filter((v) => v.errors.length > 0).map((v) => v.name)).toEqual(["database.dbname"]);
    // A role without REPLICATION: the message says how to grant it.
    const role = `${n.slot}_role`;
    await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD 'pw'`);
    cleanups.push(`DROP ROLE IF EXISTS ${role}`);
    const noReplication = await connector.validate({ ...props, "database.user": role, "database.password": "pw" });
    const userErrors = noReplication.configValues.filter((v) => v.errors.length > 0).map((v) => [v.name, v.errors[0]]);
    expect(userErrors).toEqual([["database.user", `The role "${role}" may not open replication connections: ALTER ROLE "${role}" WITH REPLICATION (or use a superuser)`]]);
    const unreachable = await connector.validate({ ...props, "database.port": "1" });
    const problem = unreachable.configValues.find((v) => v.errors.length > 0);
    expect(problem?.name).toBe("database.hostname");
    expect(problem?.errors[0]).toMatch(/Unable to connect to PostgreSQL at .*:1/);
  });
});

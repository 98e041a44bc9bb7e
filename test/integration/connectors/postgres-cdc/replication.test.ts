// The replication stream, slots and publications against a real PostgreSQL: every test creates
// its own table, publication and slot and drops them afterwards (slots pin WAL), whatever happens.
import { readFile, writeFile } from "node:fs/promises";
import { createServer, connect, type AddressInfo, type Socket } from "node:net";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { PgoutputDecoder, type PgoutputEvent } from "../../../../connectors/postgres-cdc/pgoutput/index.ts";
import {
  PostgresError,
  createSlot,
  currentWalLsn,
  dropSlot,
  ensurePublication,
  openReplicationStream,
  quoteIdentifier,
  slotState,
  type PgConnectionOptions,
  type PgReplicationStream,
  type ReplicationStreamParams,
} from "../../../../connectors/postgres-cdc/replication/index.ts";
import { requireService } from "../../../services/index.ts";
import { optionsFromUrl, uniqueName, waitFor } from "./support.ts";

describe("logical replication stream on a real PostgreSQL", () => {
  let options: PgConnectionOptions;
  let client: pg.Client;
  const cleanups: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    options = optionsFromUrl(await requireService("postgres"));
    client = new pg.Client({ ...options });
    await client.connect();
    // The service runs with synchronous_commit=off; on makes a commit reach the walsender at once.
    await client.query("SET synchronous_commit = on");
  });
  afterEach(async () => {
    // In reverse: streams close before their slots drop, publications before tables. Every step
    // runs even when one fails, and the first failure is reported.
    const errors: unknown[] = [];
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch((error: unknown) => errors.push(error));
    if (errors.length > 0) throw errors[0];
  });
  afterAll(async () => {
    await client.end();
  });

  interface Fixture {
    table: string;
    pub: string;
    slot: string;
    consistentPoint: bigint;
  }

  /** A table, a filtered publication for it and a slot (created in that order: decoding reads the publication historically). */
  async function fixture(ddl = "id int PRIMARY KEY, note text", pubName?: string): Promise<Fixture> {
    const base = uniqueName("repl");
    const table = `${base}_t`;
    const pub = pubName ?? `${base}_p`;
    const slot = `${base}_s`;
    await client.query(`CREATE TABLE ${table} (${ddl})`);
    cleanups.push(() => client.query(`DROP TABLE IF EXISTS ${table}`));
    await ensurePublication(client, pub, "filtered", [{ schema: "public", table }]);
    cleanups.push(() => client.query(`DROP PUBLICATION IF EXISTS ${quoteIdentifier(pub)}`));
    const { consistentPoint } = await createSlot(options, slot);
    cleanups.push(() => dropSlot(client, slot));
    return { table, pub, slot, consistentPoint };
  }

  async function open(f: Fixture, params: Partial<ReplicationStreamParams> = {}, connection = options): Promise<PgReplicationStream> {
    const stream = await openReplicationStream(connection, { slotName: f.slot, publicationNames: [f.pub], startLsn: f.consistentPoint, ...params });
    cleanups.push(() => stream.close());
    return stream;
  }

  interface Received {
    event: PgoutputEvent;
    lsn: bigint;
    walEnd: bigint;
    sendTimeMs: number;
  }

  /** Reads and decodes frames until `commits` Commit messages arrived. */
  async function readCommits(stream: PgReplicationStream, commits: number, timeoutMs = 15_000): Promise<Received[]> {
    const decoder = new PgoutputDecoder();
    const received: Received[] = [];
    const deadline = Date.now() + timeoutMs;
    while (received.filter((r) => r.event.tag === "commit").length < commits) {
      if (Date.now() > deadline) throw new Error(`timed out after ${received.length} messages waiting for ${commits} commits`);
      for (const message of await stream.read(500, 500)) received.push({ event: decoder.decode(message.data), lsn: message.lsn, walEnd: message.walEnd, sendTimeMs: message.sendTimeMs });
    }
    return received;
  }

  const changes = (received: Received[]): PgoutputEvent[] => received.map((r) => r.event).filter((e) => !["relation", "type", "origin"].includes(e.tag));
  const insertedIds = (received: Received[]): string[] =>
    received.flatMap((r) => (r.event.tag === "insert" ? [String(r.event.columns.id)] : []));

  it("streams inserts, updates, deletes and truncates as XLogData frames the pgoutput decoder reads", async () => {
    // A publication name that needs quoting inside publication_names: mixed case, a space, a
    // double quote, a single quote, a backslash and a comma.
    const f = await fixture("id int PRIMARY KEY, note text", `Pub ${uniqueName("x")} "q" it's a\\b,c`);
    const stream = await open(f);
    const before = Date.now();

    await client.query("BEGIN");
    await client.query(`INSERT INTO ${f.table} VALUES (1, 'one'), (2, 'two')`);
    await client.query(`UPDATE ${f.table} SET note = 'uno' WHERE id = 1`);
    await client.query(`DELETE FROM ${f.table} WHERE id = 2`);
    await client.query("COMMIT");
    await client.query(`TRUNCATE ${f.table}`);

    const received = await readCommits(stream, 2);
    const events = changes(received);
    expect(events.map((e) => e.tag)).toEqual(["begin", "insert", "insert", "update", "delete", "commit", "begin", "truncate", "commit"]);
    const [begin, insert1, , update, del, commit, , truncate] = events;
    if (begin?.tag !== "begin" || commit?.tag !== "commit") throw new Error("expected Begin ... Commit");
    expect(insert1).toMatchObject({ tag: "insert", columns: { id: "1", note: "one" } });
    expect(update).toMatchObject({ tag: "update", columns: { id: "1", note: "uno" } });
    expect(del).toMatchObject({ tag: "delete", oldKind: "K", old: { id: "2" } });
    expect(truncate).toMatchObject({ tag: "truncate" });
    if (truncate?.tag === "truncate") expect(truncate.relations.map((r) => r.name)).toEqual([f.table]);

    // The Commit frame sits at the transaction's end LSN: what the task acknowledges once it is durable.
    const commitFrame = received.find((r) => r.event === commit);
    expect(commitFrame?.lsn).toBe(commit.endLsn);
    expect(begin.finalLsn).toBe(commit.commitLsn);
    expect(commit.endLsn).toBeGreaterThan(f.consistentPoint);
    expect(await currentWalLsn(client)).toBeGreaterThanOrEqual(commit.endLsn);
    // The server's send time and end of WAL ride on every frame (same machine: clocks agree).
    for (const r of received) {
      expect(r.sendTimeMs).toBeGreaterThanOrEqual(before - 2000);
      expect(r.sendTimeMs).toBeLessThanOrEqual(Date.now() + 2000);
      // The walsender sends Relation/Type frames (written ahead of a change) with no position: 0.
      const positioned = !["relation", "type"].includes(r.event.tag);
      expect(r.walEnd >= f.consistentPoint).toBe(positioned);
      expect(r.lsn >= f.consistentPoint).toBe(positioned);
      if (!positioned) expect([r.lsn, r.walEnd]).toEqual([0n, 0n]);
    }
    expect(stream.stats.framesReceived).toBeGreaterThanOrEqual(received.length);
    expect(stream.stats.serverWalEnd).toBeGreaterThanOrEqual(commit.commitLsn);
  });

  it("decodes logical decoding messages when messages is on", async () => {
    const f = await fixture();
    const stream = await open(f, { messages: true, protoVersion: 2 });
    await client.query("BEGIN");
    await client.query(`INSERT INTO ${f.table} VALUES (1, 'x')`);
    await client.query("SELECT pg_logical_emit_message(true, 'hub-test', 'hello')");
    await client.query("COMMIT");
    const events = changes(await readCommits(stream, 1));
    expect(events.map((e) => e.tag)).toEqual(["begin", "insert", "message", "commit"]);
    expect(events[2]).toMatchObject({ tag: "message", transactional: true, prefix: "hub-test" });
  });

  it("moves confirmed_flush_lsn to exactly what was acknowledged, and a restart replays the rest", async () => {
    const f = await fixture();
    // Frequent periodic status updates: they must still carry only the acknowledged position.
    const stream = await open(f, { statusIntervalMs: 100, acknowledgeDelayMs: 10 });
    for (const id of [1, 2, 3]) await client.query(`INSERT INTO ${f.table} VALUES (${id}, 'n')`);
    const received = await readCommits(stream, 3);
    expect(insertedIds(received)).toEqual(["1", "2", "3"]);
    const commitLsns = received.flatMap((r) => (r.event.tag === "commit" ? [r.event.endLsn] : []));
    const [first, , last] = commitLsns;
    if (first === undefined || last === undefined) throw new Error("expected three commits");

    stream.acknowledge(first);
    stream.acknowledge(first - 1n); // never backwards
    expect(stream.acknowledgedLsn).toBe(first);
    await waitFor("confirmed_flush_lsn to reach the acknowledged LSN", async () => (await slotState(client, f.slot))?.confirmedFlushLsn === first);
    // Several periodic updates later, everything received but unacknowledged is still unconfirmed.
    const updatesBefore = stream.stats.statusUpdatesSent;
    await waitFor("more status updates", async () => stream.stats.statusUpdatesSent >= updatesBefore + 3);
    expect((await slotState(client, f.slot))?.confirmedFlushLsn).toBe(first);
    await stream.close();
    expect((await slotState(client, f.slot))?.confirmedFlushLsn).toBe(first);

    // Restart from the slot's creation point (older than what was confirmed): the server starts at
    // the confirmed position, so the two unacknowledged transactions come again, the first does not.
    const again = await open(f, { startLsn: f.consistentPoint });
    expect(again.acknowledgedLsn).toBe(first);
    const replayed = await readCommits(again, 2);
    expect(insertedIds(replayed)).toEqual(["2", "3"]);
    again.acknowledge(last);
    await again.close();
    expect((await slotState(client, f.slot))?.confirmedFlushLsn).toBe(last);
  });

  it("answers keepalives, so a stream idle past wal_sender_timeout stays up", async () => {
    const f = await fixture();
    // wal_sender_timeout is settable per connection: 1 s here, with periodic status updates far
    // rarer, so only the replies to the server's keepalives keep the walsender from timing out.
    const stream = await open(f, { statusIntervalMs: 600_000 }, { ...options, runtimeParameters: { wal_sender_timeout: "1s" } });
    const pid = stream.backendPid;
    expect(await stream.read(100, 3_500)).toEqual([]);
    expect(stream.stats.repliesRequested).toBeGreaterThan(0);
    const state = await slotState(client, f.slot);
    expect(state).toMatchObject({ active: true, activePid: pid, plugin: "pgoutput" });
    await client.query(`INSERT INTO ${f.table} VALUES (7, 'after idle')`);
    expect(insertedIds(await readCommits(stream, 1))).toEqual(["7"]);
  });

  it("rejects read() with the server's message when the walsender is terminated", async () => {
    const f = await fixture();
    const stream = await open(f);
    const terminated = await client.query<{ ok: boolean }>("SELECT pg_terminate_backend($1) AS ok", [stream.backendPid]);
    expect(terminated.rows[0]?.ok).toBe(true);
    const error = await readUntilFailure(stream);
    expect(error).toBeInstanceOf(PostgresError);
    expect(error.sqlState).toBe("57P01");
    expect(error.message).toMatch(/logical replication on slot ".*" failed: terminating connection due to administrator command \(SQLSTATE 57P01\)/);
    // Every later read fails the same way; close still works.
    await expect(stream.read(10, 10)).rejects.toBe(error);
    await stream.close();
  });

  it("rejects read() when the connection to the server drops without a word", async () => {
    // A TCP relay between the stream and the server, cut mid-stream: what a server crash or a
    // network failure looks like from the client (no ErrorResponse, the socket just ends).
    const f = await fixture();
    const sockets: Socket[] = [];
    const relay = createServer((downstream) => {
      const upstream = connect(options.port, options.host);
      sockets.push(downstream, upstream);
      downstream.pipe(upstream).on("error", () => {});
      upstream.pipe(downstream).on("error", () => {});
      downstream.on("error", () => {});
      upstream.on("error", () => {});
    });
    await new Promise<void>((resolve) => relay.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => new Promise((resolve) => relay.close(resolve)));
    const port = (relay.address() as AddressInfo).port;
    const stream = await open(f, {}, { ...options, port });
    await client.query(`INSERT INTO ${f.table} VALUES (1, 'before the cut')`);
    expect(insertedIds(await readCommits(stream, 1))).toEqual(["1"]);
    for (const socket of sockets) socket.destroy();
    const error = await readUntilFailure(stream);
    expect(error).toBeInstanceOf(PostgresError);
    expect(error.sqlState).toBeUndefined();
    expect(error.message).toMatch(/logical replication on slot ".*" failed: Connection terminated unexpectedly/);
    await stream.close();
    // The walsender notices its client is gone and lets go of the slot.
    await waitFor("the slot to become inactive", async () => (await slotState(client, f.slot))?.active === false);
  });

  async function readUntilFailure(stream: PgReplicationStream): Promise<PostgresError> {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      try {
        await stream.read(100, 500);
      } catch (error) {
        return error as PostgresError;
      }
    }
    throw new Error("the stream never failed");
  }

  it("refuses a second stream on an active slot, naming the PID that holds it", async () => {
    const f = await fixture();
    const first = await open(f);
    const error = await openReplicationStream(options, { slotName: f.slot, publicationNames: [f.pub], startLsn: 0n }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PostgresError);
    expect((error as PostgresError).sqlState).toBe("55006");
    expect((error as PostgresError).message).toContain(`replication slot "${f.slot}" is active for PID ${first.backendPid}`);
  });

  it("fails clearly when the slot does not exist", async () => {
    const f = await fixture();
    const missing = `${f.slot}_missing`;
    const error = await openReplicationStream(options, { slotName: missing, publicationNames: [f.pub], startLsn: 0n }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PostgresError);
    expect((error as PostgresError).sqlState).toBe("42704");
    expect((error as PostgresError).message).toContain(`replication slot "${missing}" does not exist`);
    await expect(openReplicationStream(options, { slotName: "Bad-Name", publicationNames: [f.pub], startLsn: 0n })).rejects.toThrow(/invalid replication slot name/);
  });

  it("fails clearly on a wrong password", async () => {
    // The test server trusts every local connection; a rule for one throwaway role makes it ask
    // that role for a password (and the original pg_hba.conf is put back afterwards).
    const role = uniqueName("pwtest");
    await client.query(`CREATE ROLE ${role} LOGIN REPLICATION PASSWORD 'right-password'`);
    cleanups.push(() => client.query(`DROP ROLE IF EXISTS ${role}`));
    const hbaFile = String((await client.query<{ hba_file: string }>("SHOW hba_file")).rows[0]?.hba_file);
    const original = await readFile(hbaFile, "utf8");
    cleanups.push(async () => {
      await writeFile(hbaFile, original);
      await client.query("SELECT pg_reload_conf()");
    });
    const rules = [`host all ${role} 127.0.0.1/32 scram-sha-256`, `host replication ${role} 127.0.0.1/32 scram-sha-256`];
    await writeFile(hbaFile, `${rules.join("\n")}\n${original}`);
    await client.query("SELECT pg_reload_conf()");
    await waitFor("the new pg_hba.conf to load", async () => {
      const loaded = await client.query("SELECT 1 FROM pg_hba_file_rules WHERE $1 = ANY(user_name)", [role]);
      return (loaded.rowCount ?? 0) > 0;
    });

    const wrong = { ...options, user: role, password: "wrong-password" };
    const error = await openReplicationStream(wrong, { slotName: "any_slot", publicationNames: ["p"], startLsn: 0n }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PostgresError);
    expect((error as PostgresError).sqlState).toBe("28P01");
    expect((error as PostgresError).message).toContain(`could not connect to PostgreSQL at ${options.host}:${options.port} as "${role}"`);
    expect((error as PostgresError).message).toContain(`password authentication failed for user "${role}"`);
    await expect(createSlot(wrong, "any_slot")).rejects.toThrow(/password authentication failed/);
  });

  it("pauses the socket when the consumer lags, and still delivers every change of a large transaction", async () => {
    const f = await fixture("id int PRIMARY KEY, pad text");
    const maxBufferedBytes = 64 * 1024;
    const stream = await open(f, { maxBufferedBytes });
    await client.query(`INSERT INTO ${f.table} SELECT g, repeat('x', 200) FROM generate_series(1, 20000) g`);
    await waitFor("the buffer to fill and the socket to pause", async () => stream.paused);
    // Nothing read for a while: the buffer stays near its bound (one socket read past it at most).
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(stream.bufferedBytes).toBeLessThan(maxBufferedBytes + 256 * 1024);
    expect(stream.bufferedMessages).toBeLessThan(5000);
    const received = await readCommits(stream, 1, 60_000);
    const ids = insertedIds(received).map(Number);
    expect(ids.length).toBe(20000);
    expect(ids).toEqual(Array.from({ length: 20000 }, (_, i) => i + 1));
    expect(stream.stats.pauses).toBeGreaterThan(1);
  });

  it("closes promptly while paused with a full buffer, and only one read may wait at a time", async () => {
    const f = await fixture("id int PRIMARY KEY, pad text");
    const stream = await open(f, { maxBufferedBytes: 32 * 1024 });
    const waiting = stream.read(10, 5_000);
    await expect(stream.read(10, 10)).rejects.toThrow(/another read is already waiting/);
    await client.query(`INSERT INTO ${f.table} SELECT g, repeat('y', 500) FROM generate_series(1, 20000) g`);
    expect((await waiting).length).toBeGreaterThan(0);
    await waitFor("the socket to pause", async () => stream.paused);
    const started = Date.now();
    await stream.close();
    expect(Date.now() - started).toBeLessThan(4_000);
    await expect(stream.read(10, 10)).rejects.toThrow(/is closed/);
    await waitFor("the slot to become inactive", async () => (await slotState(client, f.slot))?.active === false);
  });

  it("drops a slot once its stream lets go, and reports a missing slot", async () => {
    const f = await fixture();
    const stream = await open(f);
    const closing = new Promise((resolve) => setTimeout(resolve, 300)).then(() => stream.close());
    expect(await dropSlot(client, f.slot)).toBe(true);
    await closing;
    expect(await slotState(client, f.slot)).toBeNull();
    expect(await dropSlot(client, f.slot)).toBe(false);
  });

  it("manages the publication the way publication.autocreate.mode says", async () => {
    const base = uniqueName("pubmode");
    const tables = [`${base}_a`, `${base}_B x`];
    for (const table of tables) {
      await client.query(`CREATE TABLE ${quoteIdentifier(table)} (id int PRIMARY KEY)`);
      cleanups.push(() => client.query(`DROP TABLE IF EXISTS ${quoteIdentifier(table)}`));
    }
    const published = async (pub: string): Promise<{ all: boolean; tables: string[] } | null> => {
      const row = (await client.query<{ puballtables: boolean }>("SELECT puballtables FROM pg_publication WHERE pubname = $1", [pub])).rows[0];
      if (row === undefined) return null;
      const list = await client.query<{ tablename: string }>("SELECT tablename FROM pg_publication_tables WHERE pubname = $1 AND schemaname = 'public' ORDER BY tablename", [pub]);
      return { all: row.puballtables, tables: list.rows.map((r) => r.tablename) };
    };
    const drop = (pub: string) => () => client.query(`DROP PUBLICATION IF EXISTS ${quoteIdentifier(pub)}`);
    const ref = (table: string) => ({ schema: "public", table });

    // disabled: never creates; a missing publication is a clear error.
    const disabled = `${base}_disabled`;
    await expect(ensurePublication(client, disabled, "disabled", [ref(tables[0] ?? "")])).rejects.toThrow(
      new RegExp(`publication "${disabled}" does not exist and publication.autocreate.mode is disabled`),
    );
    expect(await published(disabled)).toBeNull();

    // filtered: exactly the captured tables, and an existing publication is set to exactly them.
    const filtered = `${base}_Filtered`;
    cleanups.push(drop(filtered));
    await ensurePublication(client, filtered, "filtered", [ref(tables[0] ?? "")]);
    expect(await published(filtered)).toEqual({ all: false, tables: [tables[0]] });
    await ensurePublication(client, filtered, "filtered", tables.map(ref));
    expect(await published(filtered)).toEqual({ all: false, tables: [...tables].sort() });
    await ensurePublication(client, filtered, "filtered", [ref(tables[1] ?? "")]);
    expect(await published(filtered)).toEqual({ all: false, tables: [tables[1]] });
    await expect(ensurePublication(client, filtered, "filtered", [])).rejects.toThrow(/no captured tables/);
    // disabled accepts the existing one as it is.
    await ensurePublication(client, filtered, "disabled", []);
    expect(await published(filtered)).toEqual({ all: false, tables: [tables[1]] });

    // all_tables: FOR ALL TABLES.
    const all = `${base}_all`;
    cleanups.push(drop(all));
    await ensurePublication(client, all, "all_tables", []);
    expect((await published(all))?.all).toBe(true);
    await expect(ensurePublication(client, all, "filtered", [ref(tables[0] ?? "")])).rejects.toThrow(/FOR ALL TABLES/);

    // no_tables: an empty publication, left alone once it exists.
    const none = `${base}_none`;
    cleanups.push(drop(none));
    await ensurePublication(client, none, "no_tables", tables.map(ref));
    expect(await published(none)).toEqual({ all: false, tables: [] });
    await client.query(`ALTER PUBLICATION ${quoteIdentifier(none)} ADD TABLE ${quoteIdentifier(tables[0] ?? "")}`);
    await ensurePublication(client, none, "no_tables", []);
    expect(await published(none)).toEqual({ all: false, tables: [tables[0]] });
  });
});

// Offsets in Debezium's shapes: what records carry, what is read back (ours and Debezium's,
// through the offset store's JSON codec), clear errors for unreadable ones, which LSN the slot
// may be confirmed at, the resume filter's skipping, and when a start snapshots.
import { describe, expect, it } from "vitest";
import { parseOffsetValue, serializeOffsetKey, serializeOffsetValue } from "../../../../connect/storage/offset-codec.ts";
import {
  acknowledgeableLsn,
  OffsetFormatError,
  offsetToMap,
  parseOffset,
  type SnapshotOffset,
  snapshotCompleted,
  sourcePartition,
  type StreamingOffset,
} from "../../../../connectors/postgres-cdc/offsets.ts";
import { ResumeFilter } from "../../../../connectors/postgres-cdc/resume-filter.ts";
import { snapshotDecision } from "../../../../connectors/postgres-cdc/source-task.ts";
import type { SlotState } from "../../../../connectors/postgres-cdc/replication/index.ts";

const streaming: StreamingOffset = {
  kind: "streaming",
  lsn: 24_023_128n,
  txId: 555,
  tsUsec: 1_700_000_000_123_456,
  lastProcessedLsn: 24_023_128n,
  lastCommitLsn: 24_022_000n,
  messageType: "UPDATE",
};

const snapshot: SnapshotOffset = {
  kind: "snapshot",
  lsn: 23_000_000n,
  txId: null,
  tsUsec: 1_700_000_000_000_000,
  lastSnapshotRecord: false,
  table: ["public", "orders.2024"],
  key: ["42", "a,\"b\""],
  tableRows: 9000,
  completedTables: [["public", "customers"]],
};

/** Through the offset store's codec, as a restarted task reads it. */
function roundTrip(map: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> | null {
  return parseOffsetValue(serializeOffsetValue("c", map));
}

describe("Postgres CDC offsets", () => {
  it("use Debezium's partition {server: topic.prefix}", () => {
    expect(sourcePartition("inv")).toEqual({ server: "inv" });
    expect(serializeOffsetKey("pg", sourcePartition("inv")).toString()).toBe('["pg",{"server":"inv"}]');
  });

  it("write streaming positions with Debezium's field names, LSNs as numbers", () => {
    const map = offsetToMap(streaming);
    expect(map).toEqual({ ts_usec: 1_700_000_000_123_456, txId: 555, lsn: 24_023_128, lsn_proc: 24_023_128, lsn_commit: 24_022_000, messageType: "UPDATE" });
    expect(typeof map.lsn).toBe("number");
    expect(parseOffset(roundTrip(map))).toEqual(streaming);
  });

  it("write snapshot positions with Debezium's fields plus the resume fields, and read them back", () => {
    const map = offsetToMap(snapshot);
    expect(map).toMatchObject({ lsn: 23_000_000, snapshot: "INITIAL", last_snapshot_record: false, snapshot_table_rows: 9000 });
    expect(JSON.parse(map.snapshot_table as string)).toEqual(["public", "orders.2024"]);
    expect(JSON.parse(map.snapshot_key as string)).toEqual(["42", 'a,"b"']);
    expect(parseOffset(roundTrip(map))).toEqual(snapshot);
    expect(snapshotCompleted(snapshot)).toBe(false);
    expect(snapshotCompleted({ ...snapshot, lastSnapshotRecord: true })).toBe(true);
    expect(snapshotCompleted(streaming)).toBe(true);
  });

  it("keep LSNs past 2^53 exact", () => {
    const big = 0xffff_0000_1234_5678n;
    const parsed = parseOffset(roundTrip(offsetToMap({ ...streaming, lsn: big, lastProcessedLsn: big })));
    expect(parsed?.lsn).toBe(big);
  });

  it("read offsets written by Debezium (1.x booleans, 2.x/3.x fields)", () => {
    // Debezium 1.x: snapshot as a boolean, no lsn_commit (lsn_proc stands in for it).
    expect(parseOffset({ lsn: 100, txId: 7, ts_usec: 5, lsn_proc: 90 })).toEqual({
      kind: "streaming", lsn: 100n, txId: 7, tsUsec: 5, lastProcessedLsn: 90n, lastCommitLsn: 90n, messageType: null,
    });
    expect(parseOffset({ lsn: 100, ts_usec: 5, snapshot: true, last_snapshot_record: true })).toMatchObject({ kind: "snapshot", lsn: 100n, lastSnapshotRecord: true, table: null, completedTables: [] });
    // Debezium 3.x: the snapshot type as text; transaction metadata keys pass unnoticed.
    expect(parseOffset({ lsn: 100, snapshot: "INITIAL", last_snapshot_record: false, transaction_id: null })).toMatchObject({ kind: "snapshot", lastSnapshotRecord: false });
    expect(parseOffset({ lsn: 100, lsn_commit: 80, lsn_proc: 100, messageType: "COMMIT" })).toMatchObject({ kind: "streaming", lastCommitLsn: 80n, messageType: null });
    expect(parseOffset({ lsn: 100, snapshot: false })?.kind).toBe("streaming");
    expect(parseOffset(null)).toBeNull();
  });

  it("name the bad field of an unreadable offset", () => {
    expect(() => parseOffset({ lsn: "0/16B3748" })).toThrow(OffsetFormatError);
    expect(() => parseOffset({ lsn: "0/16B3748" })).toThrow(/field "lsn" must be an integer \(a number\) \(found "0\/16B3748"\)/);
    expect(() => parseOffset({ lsn: -1 })).toThrow(/field "lsn" is not a WAL position/);
    expect(() => parseOffset({ lsn: 1, txId: 1.5 })).toThrow(/field "txId" must be an integer/);
    expect(() => parseOffset({ lsn: 1, snapshot: 3 })).toThrow(/field "snapshot" must be a boolean or a snapshot type/);
    expect(() => parseOffset({ lsn: 1, snapshot: true, last_snapshot_record: "yes" })).toThrow(/field "last_snapshot_record" must be true or false/);
    expect(() => parseOffset({ lsn: 1, snapshot: true, snapshot_table: "public.orders" })).toThrow(/field "snapshot_table" must be JSON text/);
    expect(() => parseOffset({ lsn: 1, snapshot: true, snapshot_table: '["public"]' })).toThrow(/must be a JSON \["schema","table"\] pair/);
    expect(() => parseOffset({ lsn: 1, snapshot: true, snapshot_table: '["a","b"]', snapshot_key: "[1]" })).toThrow(/"snapshot_key" must be a JSON array of strings/);
    expect(() => parseOffset({ lsn: 1, messageType: "UPSERT" })).toThrow(/field "messageType" must be one of/);
    expect(() => parseOffset({ lsn: 1 })).not.toThrow();
  });

  it("confirm the slot at the last completed commit, never from an unfinished snapshot", () => {
    expect(acknowledgeableLsn(streaming)).toBe(24_022_000n);
    expect(acknowledgeableLsn({ ...streaming, lastCommitLsn: null })).toBe(24_023_128n);
    expect(acknowledgeableLsn({ ...streaming, lastCommitLsn: null, lastProcessedLsn: null })).toBe(24_023_128n);
    expect(acknowledgeableLsn(snapshot)).toBeNull();
    expect(acknowledgeableLsn({ ...snapshot, lastSnapshotRecord: true })).toBe(23_000_000n);
  });
});

describe("ResumeFilter", () => {
  it("skips transactions committed at or before lsn_commit, and the stored transaction's changes up to lsn", () => {
    const filter = new ResumeFilter({ ...streaming, lastCommitLsn: 1000n, txId: 77, lsn: 1500n });
    filter.beginTransaction(70, 900n);
    expect(filter.skippingTransaction).toBe(true);
    expect(filter.alreadyEmitted(850n)).toBe(true);
    filter.beginTransaction(71, 1000n);
    expect(filter.alreadyEmitted(990n)).toBe(true);
    // The stored transaction: emitted up to and including 1500.
    filter.beginTransaction(77, 2000n);
    expect(filter.skippingTransaction).toBe(false);
    expect([1400n, 1500n, 1600n].map((lsn) => filter.alreadyEmitted(lsn))).toEqual([true, true, false]);
    // A transaction interleaved with it (lower change LSNs, later commit) is new.
    filter.beginTransaction(78, 2100n);
    expect(filter.alreadyEmitted(1200n)).toBe(false);
  });

  it("skips nothing without a stored offset", () => {
    const filter = new ResumeFilter(null);
    filter.beginTransaction(1, 10n);
    expect(filter.alreadyEmitted(5n)).toBe(false);
  });
});

describe("snapshotDecision", () => {
  const slot = (confirmed: bigint | null): SlotState => ({ active: false, activePid: null, plugin: "pgoutput", database: "db", confirmedFlushLsn: confirmed, restartLsn: confirmed });
  const done: SnapshotOffset = { ...snapshot, lastSnapshotRecord: true };

  it("follows snapshot.mode and the stored offset", () => {
    expect(snapshotDecision({ snapshotMode: "initial" }, null, null)).toEqual({ snapshot: true, resume: null });
    expect(snapshotDecision({ snapshotMode: "initial" }, snapshot, slot(1n))).toEqual({ snapshot: true, resume: snapshot });
    expect(snapshotDecision({ snapshotMode: "initial" }, done, slot(1n)).snapshot).toBe(false);
    expect(snapshotDecision({ snapshotMode: "initial" }, streaming, slot(1n)).snapshot).toBe(false);
    expect(snapshotDecision({ snapshotMode: "initial_only" }, null, null).snapshot).toBe(true);
    expect(snapshotDecision({ snapshotMode: "initial_only" }, streaming, null).snapshot).toBe(false);
    expect(snapshotDecision({ snapshotMode: "no_data" }, null, null).snapshot).toBe(false);
    expect(snapshotDecision({ snapshotMode: "always" }, streaming, slot(1n))).toEqual({ snapshot: true, resume: null });
    expect(snapshotDecision({ snapshotMode: "always" }, snapshot, slot(1n))).toEqual({ snapshot: true, resume: snapshot });
  });

  it("when_needed snapshots when the slot is gone or ahead of the stored position", () => {
    expect(snapshotDecision({ snapshotMode: "when_needed" }, streaming, slot(24_022_000n)).snapshot).toBe(false);
    expect(snapshotDecision({ snapshotMode: "when_needed" }, streaming, slot(24_022_001n)).snapshot).toBe(true);
    expect(snapshotDecision({ snapshotMode: "when_needed" }, streaming, null).snapshot).toBe(true);
    expect(snapshotDecision({ snapshotMode: "when_needed" }, null, slot(5n)).snapshot).toBe(true);
  });
});

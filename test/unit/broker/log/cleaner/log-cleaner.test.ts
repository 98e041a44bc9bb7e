import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LogCleaner, type CleanerConfig } from "../../../../../broker/log/cleaner/log-cleaner.ts";
import { DEFAULT_LOG_CONFIG } from "../../../../../broker/log/log-config.ts";
import { LogManager } from "../../../../../broker/log/log-manager.ts";
import type { PartitionLog } from "../../../../../broker/log/partition-log.ts";
import { validateBatches } from "../../../../../broker/protocol/records/batch.ts";
import { Compression } from "../../../../../broker/protocol/records/compression.ts";
import { buildBatch, readBatchRecords } from "../../../../../broker/protocol/records/records.ts";
import { tempDir } from "../batch-helper.ts";
import { expectedState, live, readBack, stateOf, writeUpdates, type Written } from "../../../../support/log-compaction.ts";

let tmp: { dir: string; cleanup: () => void };
let logs: LogManager;
const cleaners: LogCleaner[] = [];

const TOPIC = "compacted";
const HOUR = 3_600_000;

function open(): LogManager {
  return LogManager.open({ logDirs: [join(tmp.dir, "logs")], defaults: { ...DEFAULT_LOG_CONFIG } });
}

function createTopic(configs: Record<string, string> = {}): PartitionLog {
  logs.createTopic(TOPIC, 1, { "cleanup.policy": "compact", "min.cleanable.dirty.ratio": "0.01", "segment.bytes": "65536", "delete.retention.ms": String(HOUR), ...configs });
  return logs.log(TOPIC, 0)!;
}

function cleaner(options: { inProcess?: boolean; now?: () => number; config?: Partial<CleanerConfig> } = {}): LogCleaner {
  const c = new LogCleaner({ logs, inProcess: options.inProcess ?? true, ...(options.now ? { now: options.now } : {}), config: { backoffMs: 10, ...options.config } });
  cleaners.push(c);
  return c;
}

/** Makes everything written so far inactive: the active segment rolls at the next append. */
function roll(log: PartitionLog, latest?: Map<string, Written>): void {
  const configs = { ...logs.topic(log.topic)!.configs };
  logs.setTopicConfigs(log.topic, { ...configs, "segment.ms": "1" });
  writeUpdates(log, { keys: 1, updates: 1, keyPrefix: "roller", startTimestamp: BigInt(Date.now()) + 10_000n, seed: Number(log.logEndOffset) }, latest);
  logs.setTopicConfigs(log.topic, configs);
}

/**
 * Below the active segment (all cleanable), each key appears once, and that record is the
 * key's latest write unless the latest is in the active segment, which is never cleaned.
 */
function expectOnlyLatestBelowActive(log: PartitionLog, latest: Map<string, Written>): void {
  const activeBase = log.segments[log.segments.length - 1]!.baseOffset;
  const seen = new Set<string>();
  for (const r of readBack(log).records) {
    if (r.offset >= activeBase) continue;
    expect(seen.has(r.key), `key ${r.key} twice`).toBe(false);
    seen.add(r.key);
    const last = latest.get(r.key)!.offset;
    if (last < activeBase) expect(r.offset, `key ${r.key}`).toBe(last);
  }
}

beforeEach(() => {
  tmp = tempDir();
  logs = open();
});

afterEach(async () => {
  for (const c of cleaners.splice(0)) await c.stop();
  logs.close();
  tmp.cleanup();
});

describe("LogCleaner", () => {
  it.each([
    ["in process", true],
    ["in the worker thread", false],
  ])("keeps the newest value of every key at its original offset (%s)", async (_name, inProcess) => {
    const log = createTopic();
    const { latest } = writeUpdates(log, { keys: 500, updates: 20_000, batchSize: 50 });
    roll(log, latest);
    const before = readBack(log);
    const sizeBefore = log.sizeInBytes();
    const summaries = await cleaner({ inProcess }).cleanAll();
    expect(summaries.length).toBeGreaterThan(0);
    expect(summaries.every((s) => s.swapped)).toBe(true);
    const after = readBack(log);
    expect(live(stateOf(after.records))).toEqual(expectedState(latest));
    expect(live(stateOf(before.records))).toEqual(expectedState(latest));
    expect(after.records.length).toBeLessThanOrEqual(501 + 1);
    expect(log.sizeInBytes()).toBeLessThan(sizeBefore / 10);
    expectOnlyLatestBelowActive(log, latest);
    // The log start, end and the offsets of what stays do not move.
    expect(log.logStartOffset).toBe(0n);
    expect(log.logEndOffset).toBe(20_001n);
    // Nothing left over in the partition directory but segments and Kafka's own files.
    expect(readdirSync(log.dir).filter((n) => /\.(cleaned|swap|deleted)$|cleaner-swap/.test(n) && !n.endsWith(".deleted"))).toEqual([]);
  });

  it("survives a restart: the cleaned segments, their indexes and the checkpoint", async () => {
    const log = createTopic();
    const { latest } = writeUpdates(log, { keys: 200, updates: 10_000, batchSize: 20 });
    roll(log, latest);
    await cleaner().cleanAll();
    const after = readBack(log);
    logs.close();
    logs = open();
    const reopened = logs.log(TOPIC, 0)!;
    expect(readBack(reopened).records).toEqual(after.records);
    // Lookups through the new segments' indexes land on the right batches.
    for (const r of after.records.filter((_, i) => i % 17 === 0)) {
      const got = reopened.read(r.offset, 1);
      const first = readBatchRecords(got.records[0]!).records.find((x) => x.offset >= r.offset)!;
      expect(first.offset).toBe(r.offset);
    }
    // The checkpoint says the dirty section is empty: nothing to clean.
    expect(await cleaner().cleanAll()).toEqual([]);
  });

  it("keeps tombstones for delete.retention.ms after their segment's time, then drops them", async () => {
    const log = createTopic();
    const start = BigInt(Date.now());
    const { latest } = writeUpdates(log, { keys: 300, updates: 6_000, batchSize: 30, tombstoneEvery: 7, startTimestamp: start });
    roll(log, latest);
    const tombstoned = [...latest].filter(([, w]) => w.value === null).map(([k]) => k);
    expect(tombstoned.length).toBeGreaterThan(10);
    await cleaner().cleanAll();
    let state = stateOf(readBack(log).records);
    for (const key of tombstoned) expect(state.get(key), key).toBeNull();
    expect(live(state)).toEqual(expectedState(latest));

    // More dirty data, and the clock past delete.retention.ms: the tombstones go.
    writeUpdates(log, { keys: 50, updates: 2_000, batchSize: 20, keyPrefix: "later", seed: 1 }, latest);
    roll(log, latest);
    await cleaner({ now: () => Date.now() + 2 * HOUR }).cleanAll();
    const records = readBack(log).records;
    state = stateOf(records);
    for (const key of tombstoned) expect(state.has(key), key).toBe(false);
    expect(live(state)).toEqual(expectedState(latest));
    expect(records.some((r) => r.value === null)).toBe(false);
  });

  it.each([
    ["gzip", Compression.gzip],
    ["snappy", Compression.snappy],
    ["lz4", Compression.lz4],
    ["zstd", Compression.zstd],
  ])("recompresses rewritten %s batches with their own codec", async (_name, codec) => {
    const log = createTopic();
    const { latest } = writeUpdates(log, { keys: 100, updates: 4_000, batchSize: 40, compression: codec });
    roll(log, latest);
    const summaries = await cleaner({ inProcess: false }).cleanAll();
    expect(summaries[0]!.stats.batchesRewritten).toBeGreaterThan(0);
    const back = readBack(log);
    expect(live(stateOf(back.records))).toEqual(expectedState(latest));
    expect(back.compressions.has(codec)).toBe(true);
    // Only the roller's batch is uncompressed.
    expect([...back.compressions].filter((c) => c !== codec)).toEqual([Compression.none]);
  });

  it("keeps an idempotent producer's last batch, emptied, so its sequence numbers survive", async () => {
    const log = createTopic();
    const append = (batch: Buffer) => log.append(batch, validateBatches(batch));
    const ts = BigInt(Date.now());
    const rec = (key: string, value: string) => ({ key: Buffer.from(key), value: Buffer.from(value), timestamp: ts });
    append(buildBatch([rec("a", "1"), rec("b", "1")], { producerId: 7n, producerEpoch: 3, baseSequence: 0, now: ts }));
    append(buildBatch([rec("a", "2"), rec("b", "2")], { producerId: 7n, producerEpoch: 3, baseSequence: 2, now: ts }));
    append(buildBatch([rec("a", "3"), rec("b", "3"), rec("c", "3")], { now: ts }));
    roll(log);
    await cleaner().cleanAll();
    const buf = Buffer.concat(log.read(0n, 1 << 20).records);
    const batches = validateBatches(buf);
    const producer = batches.filter((b) => b.producerId === 7n);
    expect(producer).toHaveLength(1);
    expect(producer[0]).toMatchObject({ baseOffset: 2n, lastOffsetDelta: 1, recordCount: 0, producerEpoch: 3, baseSequence: 2 });
    expect(readBatchRecords(buf, batches.find((b) => b.producerId === -1n)!.position).records.map((r) => r.value?.toString())).toEqual(["3", "3", "3"]);
  });

  it("leaves records newer than min.compaction.lag.ms alone", async () => {
    const log = createTopic({ "min.compaction.lag.ms": String(HOUR) });
    const { latest } = writeUpdates(log, { keys: 50, updates: 5_000, batchSize: 50 });
    roll(log, latest);
    const c = cleaner();
    expect(await c.cleanAll()).toEqual([]);
    // An hour later they may go.
    const later = cleaner({ now: () => Date.now() + 2 * HOUR });
    expect((await later.cleanAll()).length).toBeGreaterThan(0);
    expectOnlyLatestBelowActive(log, latest);
  });

  it("cleans below min.cleanable.dirty.ratio only when max.compaction.lag.ms is exceeded", async () => {
    const log = createTopic({ "min.cleanable.dirty.ratio": "0.99", "max.compaction.lag.ms": String(HOUR) });
    const { latest } = writeUpdates(log, { keys: 50, updates: 5_000, batchSize: 50 });
    roll(log, latest);
    await cleaner().cleanAll(); // first clean: everything is dirty (ratio 1)
    writeUpdates(log, { keys: 50, updates: 500, batchSize: 50, seed: 2 }, latest);
    roll(log, latest);
    expect(await cleaner().cleanAll()).toEqual([]);
    const due = await cleaner({ now: () => Date.now() + 2 * HOUR }).cleanAll();
    expect(due.length).toBeGreaterThan(0);
    expectOnlyLatestBelowActive(log, latest);
  });

  it("cleans in rounds when the dedupe buffer cannot hold every key", async () => {
    const log = createTopic({ "segment.bytes": "32768" });
    const { latest } = writeUpdates(log, { keys: 10_000, updates: 30_000, batchSize: 100 });
    roll(log, latest);
    const summaries = await cleaner({ config: { dedupeBufferSize: 100_000 } }).cleanAll();
    expect(summaries.length).toBeGreaterThan(1);
    expect(summaries[0]!.stats.mapFull).toBe(true);
    expect(summaries.every((s) => s.swapped)).toBe(true);
    expect(live(stateOf(readBack(log).records))).toEqual(expectedState(latest));
    expectOnlyLatestBelowActive(log, latest);
  });

  it("never brings a deleted key back when the map fills before the key's tombstone", async () => {
    const log = createTopic({ "segment.bytes": "32768" });
    // Old records: every tombstone is past delete.retention.ms from the start.
    const { latest } = writeUpdates(log, { keys: 10_000, updates: 30_000, batchSize: 100, tombstoneEvery: 7, startTimestamp: BigInt(Date.now() - 10 * 24 * HOUR) });
    roll(log, latest);
    const c = cleaner({ config: { dedupeBufferSize: 100_000 } });
    let rounds = 0;
    for (;;) {
      const summary = await c.cleanOnce();
      if (!summary) break;
      rounds++;
      // After every round, partial or not, a consumer from the start sees exactly the latest state.
      expect(live(stateOf(readBack(log).records))).toEqual(expectedState(latest));
    }
    expect(rounds).toBeGreaterThan(1);
  });

  it("drops its work when retention took the segments meanwhile", async () => {
    const log = createTopic();
    const { latest } = writeUpdates(log, { keys: 100, updates: 5_000, batchSize: 50 });
    roll(log, latest);
    const c = cleaner({ inProcess: false });
    const running = c.cleanOnce();
    // DeleteRecords while the worker cleans: the first segments leave the log.
    log.deleteRecordsBefore(log.segments[2]!.baseOffset);
    const summary = await running;
    expect(summary?.swapped).toBe(false);
    expect(readdirSync(log.dir).filter((n) => /\.(cleaned|swap)$|cleaner-swap/.test(n))).toEqual([]);
    // The next round cleans what is left.
    const again = await c.cleanAll();
    expect(again[0]?.swapped).toBe(true);
  });

  it("compacts 1,000,000 updates over 10,000 keys with tombstones down to the latest value per key", { timeout: 120_000 }, async () => {
    const log = createTopic({ "segment.bytes": String(8 * 1024 * 1024) });
    const t0 = performance.now();
    const { latest, bytes } = writeUpdates(log, { keys: 10_000, updates: 1_000_000, batchSize: 1_000, tombstoneEvery: 50, valueBytes: 16 });
    roll(log, latest);
    const writeMs = performance.now() - t0;
    const summaries = await cleaner({ inProcess: false }).cleanAll();
    const cleanMs = summaries.reduce((n, s) => n + s.ms, 0);
    const back = readBack(log);
    const state = stateOf(back.records);
    expect(live(state)).toEqual(expectedState(latest));
    // At most one record per key (the latest) plus the roller.
    expect(back.records.length).toBeLessThanOrEqual(10_001);
    expectOnlyLatestBelowActive(log, latest);
    const tombstones = back.records.filter((r) => r.value === null).length;
    expect(tombstones).toBeGreaterThan(0);
    // Past delete.retention.ms, with new dirty data, the tombstones go as well.
    writeUpdates(log, { keys: 10, updates: 1_000, batchSize: 100, keyPrefix: "later", seed: 3 }, latest);
    roll(log, latest);
    await cleaner({ inProcess: false, now: () => Date.now() + 2 * HOUR }).cleanAll();
    const final = readBack(log).records;
    expect(final.some((r) => r.value === null)).toBe(false);
    expect(live(stateOf(final))).toEqual(expectedState(latest));
    console.log(`1M updates: wrote ${(bytes / 1048576).toFixed(1)} MiB in ${writeMs.toFixed(0)} ms; cleaned in ${cleanMs.toFixed(0)} ms (${summaries.length} rounds, ${(summaries.reduce((n, s) => n + s.stats.bytesRead, 0) / 1048576 / (cleanMs / 1000)).toFixed(1)} MiB/s); ${back.records.length} records left, ${tombstones} tombstones`);
  });
});

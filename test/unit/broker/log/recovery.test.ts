// Crash recovery by shutdown kind (clean, process crash, OS crash), the recovery point
// checkpoint, and producer state that survives restarts (snapshots + batch header replay).
import { appendFileSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_LOG_CONFIG, type LogConfig } from "../../../../broker/log/log-config.ts";
import { LOCK_FILE, LogManager } from "../../../../broker/log/log-manager.ts";
import { PartitionLog } from "../../../../broker/log/partition-log.ts";
import { currentBootId, previousShutdown, RECOVERY_POINT_CHECKPOINT_FILE, readRecoveryPoints } from "../../../../broker/log/recovery.ts";
import { decodeProducerSnapshot, encodeProducerSnapshot, listProducerSnapshots, PRODUCER_SNAPSHOT_SUFFIX } from "../../../../broker/producer/producer-snapshot.ts";
import { PartitionProducerState, ProducerCheck } from "../../../../broker/producer/producer-state.ts";
import { validateBatches } from "../../../../broker/protocol/records/batch.ts";
import { crc32c } from "../../../../broker/protocol/records/compression.ts";
import { readAllRecords } from "../../../../broker/protocol/records/records.ts";
import type { Logger } from "../../../../lib/logger.ts";
import { append, makeBatch, recordsOf, tempDir } from "./batch-helper.ts";

const config = (overrides: Partial<LogConfig> = {}): LogConfig => ({ ...DEFAULT_LOG_CONFIG, ...overrides });

let tmp: { dir: string; cleanup: () => void };
let partitionDir: string;
const opened: Array<{ close(): void }> = [];

beforeEach(() => {
  tmp = tempDir();
  partitionDir = join(tmp.dir, "events-0");
});

afterEach(() => {
  for (const o of opened.splice(0)) {
    try {
      o.close();
    } catch {
      // closed already
    }
  }
  tmp.cleanup();
});

function track<T extends { close(): void }>(o: T): T {
  opened.push(o);
  return o;
}

/** Forgets an open log without closing it: what a crash leaves behind. */
function crash(o: { close(): void }): void {
  const i = opened.indexOf(o);
  if (i >= 0) opened.splice(i, 1);
}

function capture(): { logger: Logger; warnings: Array<{ fields: Record<string, unknown>; msg: string }>; infos: Array<{ fields: Record<string, unknown>; msg: string }> } {
  const warnings: Array<{ fields: Record<string, unknown>; msg: string }> = [];
  const infos: Array<{ fields: Record<string, unknown>; msg: string }> = [];
  const logger = {
    warn: (fields: Record<string, unknown>, msg: string) => warnings.push({ fields, msg }),
    info: (fields: Record<string, unknown>, msg: string) => infos.push({ fields, msg }),
    error: () => {},
    child: () => logger,
  };
  return { logger: logger as unknown as Logger, warnings, infos };
}

function values(log: PartitionLog): string[] {
  if (log.logEndOffset === log.logStartOffset) return [];
  return readAllRecords(Buffer.concat(log.read(log.logStartOffset, 1 << 30).records)).map((r) => (r.value as Buffer).toString().replace(/x+$/, ""));
}

/** A batch from an idempotent producer: producer id, epoch and base sequence in the header, CRC redone. */
function idempotentBatch(producerId: bigint, epoch: number, baseSequence: number, count: number, prefix: string): Buffer {
  const batch = makeBatch(recordsOf(count, 30, prefix));
  batch.writeBigInt64BE(producerId, 43);
  batch.writeInt16BE(epoch, 51);
  batch.writeInt32BE(baseSequence, 53);
  batch.writeUInt32BE(crc32c(batch.subarray(21)), 17);
  return batch;
}

/** What the Produce handler does with an idempotent batch: check, append, record. */
function produce(log: PartitionLog, producerId: bigint, epoch: number, seq: number, count: number, prefix: string): { kind: number; baseOffset: bigint } {
  const batch = idempotentBatch(producerId, epoch, seq, count, prefix);
  const state = log.producerState();
  const check = state.check(producerId, epoch, seq, count - 1);
  if (check.kind === ProducerCheck.duplicate) return { kind: check.kind, baseOffset: check.baseOffset };
  if (check.kind !== ProducerCheck.append) return { kind: check.kind, baseOffset: -1n };
  const result = log.append(batch, validateBatches(batch));
  state.update(producerId, epoch, seq, count - 1, result.baseOffset);
  return { kind: check.kind, baseOffset: result.baseOffset };
}

describe("how the previous run ended", () => {
  it("tells a clean shutdown, a process crash (same boot) and an OS crash apart", () => {
    const boot = currentBootId();
    expect(previousShutdown(true, undefined)).toBe("clean");
    expect(previousShutdown(false, `123\n${boot}\n`)).toBe(boot ? "process-crash" : "os-crash");
    expect(previousShutdown(false, "123\n00000000-0000-0000-0000-000000000000\n")).toBe("os-crash");
    expect(previousShutdown(false, "123\n")).toBe("os-crash"); // a lock from before boot ids
    expect(previousShutdown(false, undefined)).toBe("os-crash");
  });
});

describe("segment recovery by shutdown kind", () => {
  const c = config({ segmentBytes: 1500, indexIntervalBytes: 200 });

  /** A log of several segments, closed cleanly; returns the segment file names. */
  function multiSegmentLog(): string[] {
    const log = track(PartitionLog.open(partitionDir, c));
    for (let i = 0; i < 40; i++) append(log, makeBatch(recordsOf(2, 60, `m${i}`)));
    expect(log.segments.length).toBeGreaterThan(3);
    log.close();
    return readdirSync(partitionDir).filter((f) => f.endsWith(".log")).sort();
  }

  it("after a process crash trusts the older segments and checks only the active one", () => {
    const files = multiSegmentLog();
    const second = join(partitionDir, files[1] as string);
    truncateSync(second, statSync(second).size - 10); // damage no crash of ours can cause
    const { logger } = capture();
    const log = track(PartitionLog.open(partitionDir, c, { shutdown: "process-crash", recoveryPoint: 0n, logger }));
    expect(log.recovery).toMatchObject({ kind: "process-crash", checkedSegments: 1, truncatedBytes: 0, deletedSegments: 0 });
    expect(log.logEndOffset).toBe(80n);
  });

  it("after an OS crash checks every segment past the recovery point and drops the segments after a hole", async () => {
    const files = multiSegmentLog();
    const second = join(partitionDir, files[1] as string);
    const secondBase = BigInt((files[1] as string).slice(0, 20));
    truncateSync(second, statSync(second).size - 10); // its unsynced tail was lost; later segments made it
    const { logger, warnings } = capture();
    const log = track(PartitionLog.open(partitionDir, c, { shutdown: "os-crash", recoveryPoint: secondBase, logger }));
    expect(log.recovery).toMatchObject({ kind: "os-crash", truncatedSegments: 1, deletedSegments: files.length - 2 });
    expect(log.recovery!.checkedSegments).toBe(1); // the first segment lies below the recovery point
    expect(log.segments.length).toBe(2);
    const lost = values(log).length;
    expect(log.logEndOffset).toBe(BigInt(lost));
    expect(lost).toBeLessThan(80);
    expect(warnings.map((w) => w.msg)).toEqual(expect.arrayContaining([expect.stringMatching(/^truncated \d+ bytes/), expect.stringMatching(/^deleted \d+ log segments that followed a truncated one/)]));
    expect(readdirSync(partitionDir).filter((f) => f.endsWith(".log"))).toHaveLength(2);
    // The log goes on from there, and its repairs are made durable in the background.
    await log.sync();
    expect(log.recoveryPoint).toBe(log.logEndOffset);
    expect(append(log, makeBatch(recordsOf(1, 10, "after"))).baseOffset).toBe(BigInt(lost));
  });

  it("after an OS crash reads the segment holding the recovery point from the index entry below it, once that entry is checked", () => {
    const c2 = config({ indexIntervalBytes: 200 });
    let log = track(PartitionLog.open(partitionDir, c2));
    for (let i = 0; i < 100; i++) append(log, makeBatch(recordsOf(2, 60, `w${i}`)));
    const size = log.sizeInBytes();
    log.close();
    log = track(PartitionLog.open(partitionDir, c2, { shutdown: "os-crash", recoveryPoint: 150n }));
    expect(log.logEndOffset).toBe(200n);
    expect(log.recovery!.checkedBytes).toBeGreaterThan(0);
    expect(log.recovery!.checkedBytes).toBeLessThan(size / 3);
    log.close();
    // An index entry that survived the crash with wrong content (still in order): the batch it
    // names is not there, so the whole segment is read instead, and nothing is cut.
    const indexFile = join(partitionDir, "00000000000000000000.index");
    const index = readFileSync(indexFile);
    const n = index.length / 8;
    index.writeInt32BE(index.readInt32BE((n - 2) * 8 + 4) + 7, (n - 1) * 8 + 4); // the last entry: a position inside a batch
    index.writeInt32BE(index.readInt32BE((n - 2) * 8) + 1, (n - 1) * 8);
    writeFileSync(indexFile, index);
    log = track(PartitionLog.open(partitionDir, c2, { shutdown: "os-crash", recoveryPoint: 200n }));
    expect(log.logEndOffset).toBe(200n);
    expect(log.recovery).toMatchObject({ checkedBytes: size, truncatedBytes: 0 });
    expect(values(log)).toHaveLength(200);
  });

  it("after an OS crash with no checkpoint checks every segment", () => {
    multiSegmentLog();
    const log = track(PartitionLog.open(partitionDir, c, { shutdown: "os-crash" }));
    expect(log.recovery!.checkedSegments).toBe(log.segments.length);
    expect(log.logEndOffset).toBe(80n);
    expect(values(log)).toHaveLength(80);
  });

  it("after a clean shutdown still catches a tail damaged while the broker was down", () => {
    const log = track(PartitionLog.open(partitionDir, c));
    for (let i = 0; i < 5; i++) append(log, makeBatch(recordsOf(2, 60, `d${i}`)));
    log.close();
    const active = join(partitionDir, readdirSync(partitionDir).filter((f) => f.endsWith(".log")).sort().at(-1) as string);
    appendFileSync(active, Buffer.alloc(100, 0x41));
    const { logger, warnings } = capture();
    const again = track(PartitionLog.open(partitionDir, c, { shutdown: "clean", logger }));
    expect(again.logEndOffset).toBe(10n);
    expect(again.recovery).toMatchObject({ kind: "clean", checkedSegments: 1, truncatedBytes: 100 });
    expect(warnings[0]?.msg).toMatch(/^truncated 100 bytes of torn or corrupt data/);
  });
});

describe("LogManager: recovery points and the repair summary", () => {
  const defaults = config({ segmentBytes: 2000, indexIntervalBytes: 200 });

  it("checkpoints every partition's recovery point, and an OS crash restart starts from it", () => {
    let m = track(LogManager.open({ logDirs: [tmp.dir], defaults }));
    m.createTopic("t", 2);
    for (let i = 0; i < 30; i++) append(m.log("t", i % 2)!, makeBatch(recordsOf(2, 60, `r${i}`)));
    m.close();
    expect(readRecoveryPoints(tmp.dir)).toEqual(new Map([["t-0", 30n], ["t-1", 30n]]));
    expect(readFileSync(join(tmp.dir, RECOVERY_POINT_CHECKPOINT_FILE), "utf8")).toBe("0\n2\nt 0 30\nt 1 30\n");

    m = LogManager.open({ logDirs: [tmp.dir], defaults });
    crash(m);
    for (let i = 0; i < 10; i++) append(m.log("t", 0)!, makeBatch(recordsOf(2, 60, `s${i}`)));
    // The OS went down too: the lock file names another boot. The tail past the recovery
    // point (offset 30) reached the disk in part only.
    writeFileSync(join(tmp.dir, LOCK_FILE), "999999\nanother-boot\n");
    const file = m.log("t", 0)!.segments.at(-1)!.logPath;
    truncateSync(file, statSync(file).size - 7);
    const { logger, warnings } = capture();
    m = track(LogManager.open({ logDirs: [tmp.dir], defaults, logger }));
    expect(m.previousShutdown).toBe("os-crash");
    expect(m.log("t", 0)!.logEndOffset).toBe(48n);
    expect(m.log("t", 1)!.logEndOffset).toBe(30n);
    const summary = warnings.find((w) => w.msg.startsWith("loaded the logs and repaired"));
    expect(summary?.fields).toMatchObject({ previousShutdown: "os-crash", repairedPartitions: 1, truncatedSegments: 1 });
  });

  it("says which kind of restart it was, and that nothing needed repair", () => {
    let m = LogManager.open({ logDirs: [tmp.dir], defaults });
    m.createTopic("q", 1);
    append(m.log("q", 0)!, makeBatch(recordsOf(1, 10, "a")));
    crash(m); // never closed: a process crash
    const { logger, infos } = capture();
    m = track(LogManager.open({ logDirs: [tmp.dir], defaults, logger }));
    expect(m.previousShutdown).toBe(currentBootId() ? "process-crash" : "os-crash");
    expect(infos.find((i) => i.msg === "loaded the logs")?.fields).toMatchObject({ cleanShutdown: false, partitions: 1 });
    m.close();
    const clean = capture();
    m = track(LogManager.open({ logDirs: [tmp.dir], defaults, logger: clean.logger }));
    expect(m.previousShutdown).toBe("clean");
    expect(clean.infos.find((i) => i.msg === "loaded the logs")?.fields).toMatchObject({ cleanShutdown: true, previousShutdown: "clean" });
  });
});

describe("producer state across restarts", () => {
  const c = config({ segmentBytes: 4000, indexIntervalBytes: 256 });

  it("encodes and decodes snapshots, and refuses a damaged one", () => {
    const state = new PartitionProducerState();
    state.update(5n, 2, 0, 4, 100n);
    state.update(5n, 2, 5, 0, 105n);
    state.update(9n, 0, 7, 2, 200n);
    const bytes = encodeProducerSnapshot(300n, state);
    const back = decodeProducerSnapshot(bytes, 300n)!;
    expect(back.entries()).toEqual(state.entries());
    expect(back.check(5n, 2, 0, 4)).toEqual({ kind: ProducerCheck.duplicate, baseOffset: 100n });
    expect(decodeProducerSnapshot(bytes, 301n)).toBeUndefined();
    const torn = Buffer.from(bytes);
    torn.writeUInt8(torn.readUInt8(torn.length - 1) ^ 1, torn.length - 1);
    expect(decodeProducerSnapshot(torn, 300n)).toBeUndefined();
    expect(decodeProducerSnapshot(bytes.subarray(0, bytes.length - 3), 300n)).toBeUndefined();
  });

  it("recognises a retried batch after a crash, with no snapshot at all (full header replay)", () => {
    let log = track(PartitionLog.open(partitionDir, c));
    for (let seq = 0; seq < 30; seq += 3) produce(log, 42n, 0, seq, 3, `p${seq}`);
    crash(log);
    const { logger, infos } = capture();
    log = track(PartitionLog.open(partitionDir, c, { logger }));
    // The last five batches are all recognised, with the offsets they were written at.
    for (let seq = 15; seq < 30; seq += 3) expect(produce(log, 42n, 0, seq, 3, "retry")).toEqual({ kind: ProducerCheck.duplicate, baseOffset: BigInt(seq) });
    expect(produce(log, 42n, 0, 30, 3, "next")).toEqual({ kind: ProducerCheck.append, baseOffset: 30n });
    expect(produce(log, 42n, 0, 40, 1, "gap").kind).toBe(ProducerCheck.outOfOrder);
    expect(infos.find((i) => i.msg === "rebuilt the producer state from the log")?.fields).toMatchObject({ replayedBatches: 10 });
    expect(values(log)).toHaveLength(33);
  });

  it("snapshots at each roll and replays only the batches after the newest snapshot", () => {
    let log = track(PartitionLog.open(partitionDir, c));
    let seq = 0;
    while (log.segments.length < 4) {
      produce(log, 7n, 1, seq, 2, `q${seq}`);
      seq += 2;
    }
    produce(log, 7n, 1, seq, 2, "tail"); // the new segment holds the batch that rolled it, and this one
    seq += 2;
    const snapshots = listProducerSnapshots(partitionDir);
    expect(snapshots).toHaveLength(2); // the newest two are kept
    expect(snapshots[0]).toBe(log.segments.at(-1)!.baseOffset);
    crash(log);
    const { logger, infos } = capture();
    log = track(PartitionLog.open(partitionDir, c, { logger }));
    expect(produce(log, 7n, 1, seq - 2, 2, "retry")).toEqual({ kind: ProducerCheck.duplicate, baseOffset: BigInt(seq - 2) });
    expect(infos.find((i) => i.msg === "rebuilt the producer state from the log")?.fields).toMatchObject({ snapshotOffset: snapshots[0], replayedBatches: 2 });
  });

  it("after a clean shutdown loads the snapshot written at close and replays nothing", () => {
    let log = track(PartitionLog.open(partitionDir, c));
    for (let seq = 0; seq < 10; seq++) produce(log, 3n, 0, seq, 1, `c${seq}`);
    log.close();
    expect(listProducerSnapshots(partitionDir)[0]).toBe(10n);
    const { logger, infos } = capture();
    log = track(PartitionLog.open(partitionDir, c, { cleanShutdown: true, logger }));
    expect(produce(log, 3n, 0, 9, 1, "retry")).toEqual({ kind: ProducerCheck.duplicate, baseOffset: 9n });
    expect(infos.some((i) => i.msg === "rebuilt the producer state from the log")).toBe(false);
  });

  it("drops snapshots beyond a truncated tail, and skips an unreadable snapshot", () => {
    let log = track(PartitionLog.open(partitionDir, c));
    for (let seq = 0; seq < 6; seq++) produce(log, 11n, 0, seq, 1, `t${seq}`);
    log.close(); // snapshot at 6
    const logFile = join(partitionDir, "00000000000000000000.log");
    const size = statSync(logFile).size;
    truncateSync(logFile, size - (size / 6) * 2 - 3); // batches 4 and 5 lost, 3 torn
    const { logger, warnings } = capture();
    log = track(PartitionLog.open(partitionDir, c, { logger }));
    expect(log.logEndOffset).toBe(3n);
    expect(warnings.some((w) => w.msg === "removed a producer state snapshot beyond the log end offset")).toBe(true);
    expect(listProducerSnapshots(partitionDir)).toEqual([]);
    // Sequence 3 is not in the log any more: the producer's retry of it must be written again.
    expect(produce(log, 11n, 0, 3, 1, "again")).toEqual({ kind: ProducerCheck.append, baseOffset: 3n });
    log.close();
    const snap = join(partitionDir, `00000000000000000004${PRODUCER_SNAPSHOT_SUFFIX}`);
    writeFileSync(snap, Buffer.from("not a snapshot"));
    log = track(PartitionLog.open(partitionDir, c, { cleanShutdown: true, logger }));
    expect(produce(log, 11n, 0, 3, 1, "retry")).toEqual({ kind: ProducerCheck.duplicate, baseOffset: 3n });
    expect(warnings.some((w) => w.msg === "skipped an unreadable producer state snapshot")).toBe(true);
  });
});

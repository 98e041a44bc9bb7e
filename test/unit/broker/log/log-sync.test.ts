// Group commit (concurrent sync requests share fsyncs), fsync failures, flush.messages and
// flush.ms, and the recovery point each successful fsync moves.
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FlushScheduler } from "../../../../broker/log/flush-scheduler.ts";
import { DEFAULT_LOG_CONFIG, type LogConfig } from "../../../../broker/log/log-config.ts";
import { LogManager } from "../../../../broker/log/log-manager.ts";
import { setSyncImplementation, type SyncFile } from "../../../../broker/log/log-sync.ts";
import { PartitionLog } from "../../../../broker/log/partition-log.ts";
import { append, makeBatch, recordsOf, tempDir } from "./batch-helper.ts";

const config = (overrides: Partial<LogConfig> = {}): LogConfig => ({ ...DEFAULT_LOG_CONFIG, ...overrides });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let tmp: { dir: string; cleanup: () => void };
let log: PartitionLog;
let calls: Array<{ path: string; kind: string }>;

/** An fsync stand-in that records its calls and takes `ms`, failing when `fail` says so. */
function slowSync(ms: number, fail: () => Error | undefined = () => undefined): SyncFile {
  return async (path, kind) => {
    calls.push({ path, kind });
    await sleep(ms);
    const err = fail();
    if (err) throw err;
  };
}

beforeEach(() => {
  tmp = tempDir();
  calls = [];
  log = PartitionLog.open(join(tmp.dir, "sync-0"), config());
});

afterEach(() => {
  setSyncImplementation(undefined);
  try {
    log.close();
  } catch {
    // closed by the test
  }
  tmp.cleanup();
});

const rounds = () => calls.filter((c) => c.path.endsWith(".log")).length;

describe("group commit", () => {
  it("lets producers that ask while an fsync runs share the next one", async () => {
    setSyncImplementation(slowSync(40));
    append(log, makeBatch(recordsOf(1, 10, "first")));
    const first = log.sync();
    const later: Array<Promise<void>> = [];
    for (let i = 0; i < 20; i++) {
      append(log, makeBatch(recordsOf(1, 10, `c${i}`)));
      later.push(log.sync());
    }
    await Promise.all([first, ...later]);
    expect(rounds()).toBe(2);
    expect(log.recoveryPoint).toBe(21n);
    // Nothing new: no fsync at all.
    await log.sync();
    expect(rounds()).toBe(2);
  });

  it("answers a waiter only once an fsync that started after its append has completed", async () => {
    let release: (() => void) | undefined;
    setSyncImplementation(async (path, kind) => {
      calls.push({ path, kind });
      await new Promise<void>((r) => (release = r));
    });
    append(log, makeBatch(recordsOf(1, 10, "a")));
    let done = false;
    const waiting = log.sync().then(() => (done = true));
    await sleep(20);
    expect(done).toBe(false);
    expect(log.recoveryPoint).toBe(0n);
    release!();
    await waiting;
    expect(done).toBe(true);
    expect(log.recoveryPoint).toBe(1n);
  });

  it("rejects the waiters of a failed fsync, keeps the recovery point, and syncs again next time", async () => {
    let failing = true;
    setSyncImplementation(slowSync(5, () => (failing ? Object.assign(new Error("EIO: i/o error, fsync"), { code: "EIO" }) : undefined)));
    append(log, makeBatch(recordsOf(2, 10, "x")));
    const results = await Promise.allSettled([log.sync(), log.sync()]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(log.recoveryPoint).toBe(0n);
    failing = false;
    await log.sync();
    expect(log.recoveryPoint).toBe(2n);
  });

  it("syncs the directory after a segment was created, and the rolled segment with its indexes", async () => {
    log.close();
    log = PartitionLog.open(join(tmp.dir, "roll-0"), config({ segmentBytes: 400 }));
    setSyncImplementation(slowSync(1));
    for (let i = 0; i < 6; i++) append(log, makeBatch(recordsOf(1, 100, `r${i}`)));
    expect(log.segments.length).toBeGreaterThan(1);
    await log.sync();
    expect(calls.some((c) => c.kind === "dir")).toBe(true);
    expect(calls.some((c) => c.path.endsWith(".timeindex"))).toBe(true);
    expect(log.recoveryPoint).toBe(6n);
  });

  it("fsyncs for real without blocking (the default implementation)", async () => {
    append(log, makeBatch(recordsOf(3, 10, "real")));
    await log.sync();
    expect(log.recoveryPoint).toBe(3n);
  });
});

describe("flush policy", () => {
  it("flush.messages: the append that reaches it starts an fsync the caller can wait for", async () => {
    log.close();
    log = PartitionLog.open(join(tmp.dir, "msgs-0"), config({ flushMessages: 5 }));
    setSyncImplementation(slowSync(5));
    const results = [];
    for (let i = 0; i < 4; i++) results.push(append(log, makeBatch(recordsOf(1, 10, `m${i}`))));
    expect(results.every((r) => r.flushed === undefined)).toBe(true);
    const fifth = append(log, makeBatch(recordsOf(1, 10, "m4")));
    expect(fifth.flushed).toBeInstanceOf(Promise);
    await fifth.flushed;
    expect(log.recoveryPoint).toBe(5n);
    // Counted from the recovery point again: two more records do not flush.
    expect(append(log, makeBatch(recordsOf(2, 10, "n"))).flushed).toBeUndefined();
  });

  it("flush.ms: the scheduler fsyncs the logs whose last fsync is older than it", async () => {
    log.close();
    const m = LogManager.open({ logDirs: [join(tmp.dir, "logs")], defaults: config() });
    try {
      m.createTopic("timed", 1, { "flush.ms": "50" });
      m.createTopic("never", 1);
      setSyncImplementation(slowSync(1));
      append(m.log("timed", 0)!, makeBatch(recordsOf(1, 10, "t")));
      append(m.log("never", 0)!, makeBatch(recordsOf(1, 10, "n")));
      const scheduler = new FlushScheduler(m, { schedulerIntervalMs: Infinity, checkpointIntervalMs: 0 });
      const now = Date.now();
      expect(scheduler.flushDueLogs(now)).toBe(0); // not 50 ms yet
      expect(scheduler.flushDueLogs(now + 60)).toBe(1);
      await m.log("timed", 0)!.sync();
      expect(m.log("timed", 0)!.recoveryPoint).toBe(1n);
      expect(m.log("never", 0)!.recoveryPoint).toBe(0n);
    } finally {
      m.close();
    }
  });
});

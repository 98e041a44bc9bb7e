import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_LOG_CONFIG } from "../../../../broker/log/log-config.ts";
import { LogManager } from "../../../../broker/log/log-manager.ts";
import { LOG_START_OFFSET_FILE, type PartitionLog } from "../../../../broker/log/partition-log.ts";
import { enforceRetention, flushPendingDeletions, RetentionTask } from "../../../../broker/log/retention.ts";
import { ErrorCode } from "../../../../broker/protocol/generated/errors.ts";
import { append, batchesOf, makeBatch, recordsOf, tempDir } from "./batch-helper.ts";

let tmp: { dir: string; cleanup: () => void };
let logs: LogManager;
const HOUR = 3_600_000;
const NOW = Date.now();

function open(): LogManager {
  return LogManager.open({ logDirs: [join(tmp.dir, "logs")], defaults: { ...DEFAULT_LOG_CONFIG } });
}

/** A topic whose segments hold 4 batches of ~1 KiB each. */
function topic(configs: Record<string, string>): PartitionLog {
  logs.createTopic("t", 1, { "segment.bytes": "4500", "file.delete.delay.ms": "0", ...configs });
  return logs.log("t", 0)!;
}

/** `segments` full segments of records stamped `timestamp`. */
function fill(log: PartitionLog, segments: number, timestamp: number): void {
  for (let i = 0; i < segments * 4; i++) append(log, makeBatch(recordsOf(1, 1000, `r${i}`, BigInt(timestamp))));
}

function codeOf(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (err) {
    return (err as { code?: number }).code;
  }
  return undefined;
}

beforeEach(() => {
  tmp = tempDir();
  logs = open();
});

afterEach(() => {
  flushPendingDeletions();
  logs.close();
  tmp.cleanup();
});

describe("retention", () => {
  it("by time deletes whole segments older than retention.ms and moves the log start offset (persisted)", () => {
    const log = topic({ "retention.ms": String(HOUR) });
    fill(log, 3, NOW - 2 * HOUR);
    fill(log, 2, NOW);
    expect(log.segments.length).toBe(5);
    const firstNew = log.segments[3]!.baseOffset;
    const outcome = enforceRetention(log, NOW);
    expect(outcome).toMatchObject({ segments: 3, reason: "retention.ms" });
    expect(log.logStartOffset).toBe(firstNew);
    expect(log.segments[0]!.baseOffset).toBe(firstNew);
    expect(codeOf(() => log.read(firstNew - 1n, 1 << 20))).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
    expect(batchesOf(log.read(firstNew, 1 << 20))[0]!.baseOffset).toBe(firstNew);
    expect(readFileSync(join(log.dir, LOG_START_OFFSET_FILE), "utf8").trim()).toBe(firstNew.toString());
    expect(readdirSync(log.dir).filter((n) => n.endsWith(".log"))).toHaveLength(2);
    // Nothing more to do, and the log start offset survives a restart.
    expect(enforceRetention(log, NOW).segments).toBe(0);
    logs.close();
    logs = open();
    expect(logs.log("t", 0)!.logStartOffset).toBe(firstNew);
  });

  it("rolls and deletes the active segment when everything expired, and appends go on at the end", () => {
    const log = topic({ "retention.ms": String(HOUR) });
    fill(log, 2, NOW - 2 * HOUR);
    append(log, makeBatch(recordsOf(1, 100, "tail", BigInt(NOW - 2 * HOUR))));
    const end = log.logEndOffset;
    expect(log.segments).toHaveLength(2);
    expect(enforceRetention(log, NOW).segments).toBe(2);
    expect(log.logStartOffset).toBe(end);
    expect(log.segments).toHaveLength(1);
    expect(log.sizeInBytes()).toBe(0);
    expect(log.read(end, 1 << 20).totalBytes).toBe(0);
    expect(append(log, makeBatch(recordsOf(1, 10, "next"))).baseOffset).toBe(end);
    // An empty active segment is never deleted.
    expect(enforceRetention(log, NOW + 10 * HOUR).segments).toBe(1);
    expect(enforceRetention(log, NOW + 10 * HOUR).segments).toBe(0);
  });

  it("by size deletes the oldest segments while the log exceeds retention.bytes by a whole segment", () => {
    const log = topic({ "retention.bytes": "10000" });
    fill(log, 6, NOW);
    const size = log.sizeInBytes();
    const segmentSize = log.segments[0]!.size;
    const outcome = enforceRetention(log, NOW);
    // Kafka's rule: delete while size - segment >= retention.bytes.
    const expected = Math.floor((size - 10000) / segmentSize);
    expect(outcome).toMatchObject({ segments: expected, reason: "retention.bytes" });
    expect(log.sizeInBytes()).toBeGreaterThanOrEqual(10000);
    expect(log.sizeInBytes() - log.segments[0]!.size).toBeLessThan(10000);
    expect(log.logStartOffset).toBe(log.segments[0]!.baseOffset);
  });

  it("leaves cleanup.policy=compact alone, applies both rules under compact,delete", () => {
    const log = topic({ "retention.ms": String(HOUR), "cleanup.policy": "compact" });
    fill(log, 3, NOW - 2 * HOUR);
    fill(log, 1, NOW);
    expect(enforceRetention(log, NOW).segments).toBe(0);
    logs.setTopicConfigs("t", { ...logs.topic("t")!.configs, "cleanup.policy": "compact,delete" });
    expect(enforceRetention(log, NOW).segments).toBe(3);
  });

  it("deletes segments left wholly below the log start offset, whatever the policy", () => {
    const log = topic({ "cleanup.policy": "compact" });
    fill(log, 3, NOW);
    const third = log.segments[2]!.baseOffset;
    logs.close();
    // The log start offset moved, but the segments below it are still there (a crash mid-way).
    writeFileSync(join(tmp.dir, "logs", "t-0", LOG_START_OFFSET_FILE), `${third}\n`);
    logs = open();
    const reopened = logs.log("t", 0)!;
    expect(reopened.segments.length).toBe(3);
    expect(enforceRetention(reopened, NOW)).toMatchObject({ segments: 2, reason: "log start offset" });
    expect(reopened.segments[0]!.baseOffset).toBe(third);
  });

  it("honours file.delete.delay.ms: files are renamed .deleted and removed later", async () => {
    const log = topic({ "retention.ms": String(HOUR), "file.delete.delay.ms": "150" });
    fill(log, 2, NOW - 2 * HOUR);
    fill(log, 1, NOW);
    const doomed = log.segments[0]!.logPath;
    expect(enforceRetention(log, NOW).segments).toBe(2);
    expect(existsSync(doomed)).toBe(false);
    expect(existsSync(`${doomed}.deleted`)).toBe(true);
    const deadline = Date.now() + 5000;
    while (existsSync(`${doomed}.deleted`) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(existsSync(`${doomed}.deleted`)).toBe(false);
    expect(readdirSync(log.dir).filter((n) => n.endsWith(".deleted"))).toEqual([]);
  });

  it("runs every log.retention.check.interval.ms", async () => {
    const log = topic({ "retention.ms": "200" });
    fill(log, 3, Date.now());
    const task = new RetentionTask({ logs, intervalMs: 25 });
    task.start();
    try {
      const deadline = Date.now() + 5000;
      while (log.logStartOffset === 0n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      expect(log.logStartOffset).toBeGreaterThan(0n);
    } finally {
      task.stop();
    }
  });
});

import { appendFileSync, existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_LOG_CONFIG, logConfigFromBrokerProperties, resolveLogConfig } from "../../../../broker/log/log-config.ts";
import { OffsetIndex } from "../../../../broker/log/offset-index.ts";
import { TimeIndex } from "../../../../broker/log/time-index.ts";
import { ErrorCode } from "../../../../broker/protocol/generated/errors.ts";
import { tempDir } from "./batch-helper.ts";

let tmp: { dir: string; cleanup: () => void };
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

describe("OffsetIndex", () => {
  it("finds floor entries, persists in Kafka's 8-byte format, and reloads lazily", () => {
    const path = join(tmp.dir, "00000000000000000100.index");
    const index = new OffsetIndex(path, 1000, "create");
    for (let i = 1; i <= 100; i++) index.append(i * 10, i * 4096);
    expect(index.floorPosition(5)).toBe(0); // below the first entry: the segment start
    expect(index.floorPosition(10)).toBe(4096);
    expect(index.floorPosition(555)).toBe(55 * 4096);
    expect(index.floorPosition(1_000_000)).toBe(100 * 4096);
    expect(() => index.append(1000, 999_999)).toThrow(/does not follow/);
    index.closeFile();
    const raw = readFileSync(path);
    expect(raw.length).toBe(800);
    expect([raw.readInt32BE(8), raw.readInt32BE(12)]).toEqual([20, 8192]);

    const again = new OffsetIndex(path, 1000, "open");
    expect(again.damaged).toBe(false);
    expect(again.entries).toBe(100);
    expect(again.floorPosition(555)).toBe(55 * 4096);
    expect(again.isConsistent(100 * 4096 + 1)).toBe(true);
    expect(again.isConsistent(100 * 4096)).toBe(false); // an entry at the end of the log
    again.truncateToPosition(50 * 4096);
    expect(again.entries).toBe(49);
    expect(statSync(path).size).toBe(49 * 8);
  });

  it("notices a missing or torn file", () => {
    const path = join(tmp.dir, "00000000000000000000.index");
    expect(new OffsetIndex(path, 10, "open").damaged).toBe(true);
    const index = new OffsetIndex(path, 10, "create");
    index.append(3, 100);
    index.closeFile();
    appendFileSync(path, Buffer.from([9, 9, 9]));
    const torn = new OffsetIndex(path, 10, "open");
    expect(torn.damaged).toBe(true);
    expect(torn.entries).toBe(1);
    torn.append(7, 200);
    torn.closeFile();
    expect(statSync(path).size).toBe(16); // the torn bytes were cut before the new entry
    expect(existsSync(path)).toBe(true);
  });
});

describe("TimeIndex", () => {
  it("keeps only increasing timestamps and finds the last entry at or below a time", () => {
    const path = join(tmp.dir, "00000000000000000000.timeindex");
    const index = new TimeIndex(path, 100, "create");
    index.maybeAppend(1000n, 5);
    index.maybeAppend(1000n, 9); // not above the last: ignored
    index.maybeAppend(900n, 12); // ignored
    index.maybeAppend(2000n, 20);
    expect(index.entries).toBe(2);
    expect(index.floor(999n)).toBeUndefined();
    expect(index.floor(1500n)).toEqual({ timestamp: 1000n, relOffset: 5 });
    expect(index.floor(2000n)).toEqual({ timestamp: 2000n, relOffset: 20 });
    index.closeFile();
    const raw = readFileSync(path);
    expect(raw.length).toBe(24);
    expect([raw.readBigInt64BE(12), raw.readInt32BE(20)]).toEqual([2000n, 20]);
    const again = new TimeIndex(path, 100, "open");
    expect(again.lastEntry()).toEqual({ timestamp: 2000n, relOffset: 20 }); // without loading the file
    again.truncateToRelOffset(19);
    expect(again.lastEntry()).toEqual({ timestamp: 1000n, relOffset: 5 });
    expect(statSync(path).size).toBe(12);
  });
});

describe("log config", () => {
  it("resolves topic overrides over broker defaults, with Kafka's names", () => {
    const defaults = logConfigFromBrokerProperties(new Map([["log.segment.bytes", "1048576"], ["log.retention.hours", "24"], ["log.roll.hours", "1"], ["message.max.bytes", "2000000"]]));
    expect(defaults).toMatchObject({ segmentBytes: 1048576, retentionMs: 86_400_000, segmentMs: 3_600_000, maxMessageBytes: 2_000_000, indexIntervalBytes: 4096 });
    const topic = resolveLogConfig(defaults, { "segment.bytes": "4096", "cleanup.policy": "delete,compact", "flush.ms": "9223372036854775807", "some.other.key": "x" });
    expect(topic).toMatchObject({ segmentBytes: 4096, cleanupPolicy: "compact,delete", flushMs: Infinity, retentionMs: 86_400_000 });
    expect(DEFAULT_LOG_CONFIG.segmentBytes).toBe(1073741824);
  });

  it("rejects bad values with INVALID_CONFIG naming the key", () => {
    for (const [key, value] of [["segment.bytes", "big"], ["segment.bytes", "10"], ["min.cleanable.dirty.ratio", "1.5"], ["message.timestamp.type", "Now"]] as const) {
      let err: { code?: number; message?: string } | undefined;
      try {
        resolveLogConfig(DEFAULT_LOG_CONFIG, { [key]: value });
      } catch (e) {
        err = e as { code?: number; message?: string };
      }
      expect(err?.code).toBe(ErrorCode.INVALID_CONFIG);
      expect(err?.message).toContain(key);
    }
  });
});

import { appendFileSync, existsSync, readdirSync, readFileSync, statSync, truncateSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_LOG_CONFIG, type LogConfig } from "../../../../broker/log/log-config.ts";
import { parsePartitionDirName, PartitionLog } from "../../../../broker/log/partition-log.ts";
import type { Logger } from "../../../../lib/logger.ts";
import { ErrorCode } from "../../../../broker/protocol/generated/errors.ts";
import { readAllRecords } from "../../../../broker/protocol/records/records.ts";
import { append, batchesOf, makeBatch, recordsOf, tempDir } from "./batch-helper.ts";

const config = (overrides: Partial<LogConfig> = {}): LogConfig => ({ ...DEFAULT_LOG_CONFIG, ...overrides });

let tmp: { dir: string; cleanup: () => void };
let partitionDir: string;
const open: PartitionLog[] = [];

function openLog(c: LogConfig = config(), options: { cleanShutdown?: boolean } = {}): PartitionLog {
  const log = PartitionLog.open(partitionDir, c, options);
  open.push(log);
  return log;
}

function reopen(log: PartitionLog, c: LogConfig = log.config as LogConfig, clean = true): PartitionLog {
  log.close();
  return openLog(c, { cleanShutdown: clean });
}

function segmentFiles(suffix: string): string[] {
  return readdirSync(partitionDir)
    .filter((f) => f.endsWith(suffix))
    .sort();
}

function values(log: PartitionLog, from: bigint, maxBytes = 1 << 30): string[] {
  return readAllRecords(Buffer.concat(log.read(from, maxBytes).records)).map((r) => (r.value as Buffer).toString());
}

function expectKafkaError(fn: () => unknown, code: number): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught, "expected a KafkaError").toBeDefined();
  expect((caught as { code?: number }).code).toBe(code);
}

beforeEach(() => {
  tmp = tempDir();
  partitionDir = join(tmp.dir, "orders.v1-eu-3");
});

afterEach(() => {
  for (const log of open.splice(0)) {
    try {
      log.close();
    } catch {
      // already closed or deleted
    }
  }
  tmp.cleanup();
});

describe("partition directory names", () => {
  it("takes the partition after the last dash", () => {
    expect(parsePartitionDirName("orders.v1-eu-3")).toEqual({ topic: "orders.v1-eu", partition: 3 });
    expect(parsePartitionDirName("a_b-c-2-0")).toEqual({ topic: "a_b-c-2", partition: 0 });
    expect(parsePartitionDirName("__consumer_offsets-49")).toEqual({ topic: "__consumer_offsets", partition: 49 });
    expect(parsePartitionDirName("orders-0.0123abcd-delete")).toBeUndefined();
    expect(parsePartitionDirName("orders")).toBeUndefined();
    expect(parsePartitionDirName("-1")).toBeUndefined();
  });
});

describe("PartitionLog append and read", () => {
  it("assigns consecutive offsets across appends and reads the records back", () => {
    const log = openLog();
    expect(log.topic).toBe("orders.v1-eu");
    expect(log.partition).toBe(3);
    expect([log.logStartOffset, log.logEndOffset, log.highWatermark]).toEqual([0n, 0n, 0n]);

    const r1 = append(log, makeBatch(recordsOf(3, 20, "a")));
    expect(r1).toEqual({ baseOffset: 0n, lastOffset: 2n, logAppendTime: -1n, logStartOffset: 0n });
    // Two batches in one produce request: both get offsets, in order.
    const r2 = append(log, makeBatch(recordsOf(2, 20, "b")), makeBatch(recordsOf(4, 20, "c")));
    expect([r2.baseOffset, r2.lastOffset]).toEqual([3n, 8n]);
    expect([log.logEndOffset, log.highWatermark]).toEqual([9n, 9n]);

    const result = log.read(0n, 1 << 20);
    expect(result.records).toHaveLength(1); // one read, one Buffer, for one segment
    expect(batchesOf(result).map((b) => [b.baseOffset, b.lastOffset])).toEqual([
      [0n, 2n],
      [3n, 4n],
      [5n, 8n],
    ]);
    const records = readAllRecords(result.records[0] as Buffer);
    expect(records.map((r) => r.offset)).toEqual([0n, 1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n]);
    expect(records.map((r) => (r.value as Buffer).toString().split("x")[0])).toEqual(["a-0", "a-1", "a-2", "b-0", "b-1", "c-0", "c-1", "c-2", "c-3"]);
  });

  it("returns the whole batch when the fetch offset is in its middle", () => {
    const log = openLog();
    append(log, makeBatch(recordsOf(5, 10, "a")));
    append(log, makeBatch(recordsOf(5, 10, "b")));
    const batches = batchesOf(log.read(7n, 1 << 20));
    expect(batches.map((b) => b.baseOffset)).toEqual([5n]);
    expect(batches[0]?.lastOffset).toBe(9n);
  });

  it("reads nothing at the log end offset and refuses offsets outside the log", () => {
    const log = openLog();
    append(log, makeBatch(recordsOf(2, 10)));
    expect(log.read(2n, 1000)).toEqual({ records: [], totalBytes: 0 });
    expectKafkaError(() => log.read(3n, 1000), ErrorCode.OFFSET_OUT_OF_RANGE);
    expectKafkaError(() => log.read(-1n, 1000), ErrorCode.OFFSET_OUT_OF_RANGE);
  });

  it("keeps to maxBytes with whole batches, and gives one oversized batch when minOneBatch", () => {
    const log = openLog();
    const sizes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const b = makeBatch(recordsOf(4, 100, `b${i}`));
      sizes.push(b.length);
      append(log, b);
    }
    const one = sizes[0] as number;
    // Room for two and a half batches: two whole ones come back.
    const two = log.read(0n, Math.floor(one * 2.5));
    expect(batchesOf(two).map((b) => b.baseOffset)).toEqual([0n, 4n]);
    expect(two.totalBytes).toBe(one * 2);
    // Less than one batch: KIP-74 returns the first batch whole...
    const min = log.read(4n, 10);
    expect(batchesOf(min).map((b) => b.baseOffset)).toEqual([4n]);
    expect(min.totalBytes).toBe(one);
    // ...unless the caller already has data for this response (minOneBatch false).
    expect(log.read(4n, 10, { minOneBatch: false }).totalBytes).toBe(0);
    // maxOffset bounds the batches (a high watermark or last stable offset below the LEO).
    expect(batchesOf(log.read(0n, 1 << 20, { maxOffset: 12n })).map((b) => b.baseOffset)).toEqual([0n, 4n, 8n]);
    expect(batchesOf(log.read(0n, 1 << 20, { maxOffset: 13n })).map((b) => b.baseOffset)).toEqual([0n, 4n, 8n, 12n]);
  });

  it("refuses a batch above max.message.bytes and an append larger than a segment", () => {
    const log = openLog(config({ maxMessageBytes: 500, segmentBytes: 2000 }));
    expectKafkaError(() => append(log, makeBatch(recordsOf(1, 600))), ErrorCode.MESSAGE_TOO_LARGE);
    const small = recordsOf(1, 300);
    expectKafkaError(() => append(log, ...Array.from({ length: 6 }, () => makeBatch(small))), ErrorCode.RECORD_LIST_TOO_LARGE);
    expect(log.logEndOffset).toBe(0n);
    append(log, makeBatch(small));
    expect(log.logEndOffset).toBe(1n);
  });

  it("stamps LogAppendTime batches, keeping them valid", () => {
    const log = openLog(config({ messageTimestampType: "LogAppendTime" }));
    const before = BigInt(Date.now());
    const result = append(log, makeBatch(recordsOf(3, 10, "t", 5n)));
    expect(result.logAppendTime).toBeGreaterThanOrEqual(before);
    const records = readAllRecords(Buffer.concat(log.read(0n, 1 << 20).records)); // CRC checked on the way
    expect(records.map((r) => r.timestamp)).toEqual([result.logAppendTime, result.logAppendTime, result.logAppendTime]);
    expect(batchesOf(log.read(0n, 1 << 20))).toHaveLength(1);
  });
});

describe("segments and indexes", () => {
  it("rolls segments by size, names them by base offset, and reads across them", () => {
    const log = openLog(config({ segmentBytes: 4096, indexIntervalBytes: 512 }));
    const batchSize = makeBatch(recordsOf(4, 100)).length;
    for (let i = 0; i < 40; i++) append(log, makeBatch(recordsOf(4, 100, `s${i}`)));
    const logs = segmentFiles(".log");
    expect(logs.length).toBeGreaterThan(4);
    for (const name of logs) {
      expect(name).toMatch(/^\d{20}\.log$/);
      expect(statSync(join(partitionDir, name)).size).toBeLessThanOrEqual(4096);
      const base = name.slice(0, 20);
      expect(existsSync(join(partitionDir, `${base}.index`))).toBe(true);
      expect(existsSync(join(partitionDir, `${base}.timeindex`))).toBe(true);
    }
    expect(logs[0]).toBe("00000000000000000000.log");
    expect(log.segments.map((s) => s.baseOffset.toString().padStart(20, "0") + ".log")).toEqual(logs);
    expect(log.sizeInBytes()).toBe(40 * batchSize);
    // One read spans segments: one Buffer per segment.
    const all = log.read(0n, 1 << 20);
    expect(all.records.length).toBe(logs.length);
    expect(all.totalBytes).toBe(40 * batchSize);
    expect(values(log, 0n)).toHaveLength(160);
    expect(values(log, 0n)[159]).toMatch(/^s39-3x/);
  });

  it("writes Kafka's index formats: 8-byte offset entries and 12-byte time entries", () => {
    const log = openLog(config({ indexIntervalBytes: 1000 }));
    const t0 = 1_700_000_000_000n;
    for (let i = 0; i < 20; i++) append(log, makeBatch(recordsOf(5, 100, `i${i}`, t0 + BigInt(i) * 1000n)));
    log.close();
    const index = readFileSync(join(partitionDir, "00000000000000000000.index"));
    const timeIndex = readFileSync(join(partitionDir, "00000000000000000000.timeindex"));
    expect(index.length % 8).toBe(0);
    expect(timeIndex.length % 12).toBe(0);
    expect(index.length).toBeGreaterThan(0);
    const segment = readFileSync(join(partitionDir, "00000000000000000000.log"));
    let lastTs = -1n;
    for (let i = 0; i < index.length; i += 8) {
      const rel = index.readInt32BE(i);
      const pos = index.readInt32BE(i + 4);
      // Each entry: the last offset of the batch that starts at that position (Kafka's rule).
      expect(segment.readBigInt64BE(pos) + BigInt(segment.readInt32BE(pos + 23))).toBe(BigInt(rel));
    }
    for (let i = 0; i < timeIndex.length; i += 12) {
      const ts = timeIndex.readBigInt64BE(i);
      expect(ts).toBeGreaterThan(lastTs);
      lastTs = ts;
    }
    // The closed segment's last time entry holds its largest timestamp and where it is.
    expect(lastTs).toBe(t0 + 19_000n);
    expect(timeIndex.readInt32BE(timeIndex.length - 4)).toBe(99);
  });

  it("finds the right batch for random offsets among 10,000 batches in many segments, before and after a restart", () => {
    const c = config({ segmentBytes: 64 * 1024, indexIntervalBytes: 1024 });
    let log = openLog(c);
    const counts: number[] = [];
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    // Batches of 1..8 records, 10..200 bytes each, sometimes several per append.
    let appended = 0;
    while (appended < 10_000) {
      const group = Math.min(1 + rand(3), 10_000 - appended);
      const batches = Array.from({ length: group }, () => {
        const n = 1 + rand(8);
        counts.push(n);
        return makeBatch(recordsOf(n, 10 + rand(190), `k${counts.length - 1}`));
      });
      append(log, ...batches);
      appended += group;
    }
    const firsts: bigint[] = [];
    let next = 0n;
    for (const n of counts) {
      firsts.push(next);
      next += BigInt(n);
    }
    expect(log.logEndOffset).toBe(next);
    expect(log.segments.length).toBeGreaterThan(20);

    const check = (l: PartitionLog) => {
      for (let i = 0; i < 1500; i++) {
        const offset = BigInt(rand(Number(next)));
        const [first] = batchesOf(l.read(offset, 1));
        expect(first).toBeDefined();
        expect(first!.baseOffset <= offset && offset <= first!.lastOffset).toBe(true);
        // Binary search for the batch that should hold it.
        let lo = 0;
        let hi = firsts.length - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if ((firsts[mid] as bigint) <= offset) lo = mid;
          else hi = mid - 1;
        }
        expect(first!.baseOffset).toBe(firsts[lo]);
      }
    };
    check(log);
    log = reopen(log, c, true);
    check(log);
    log = reopen(log, c, false);
    check(log);
    expect(log.logEndOffset).toBe(next);
  });

  it("rolls by segment.ms, measured by batch timestamps", () => {
    const log = openLog(config({ segmentMs: 10_000 }));
    const t0 = 1_700_000_000_000n;
    append(log, makeBatch(recordsOf(1, 10, "a", t0)));
    append(log, makeBatch(recordsOf(1, 10, "b", t0 + 9_000n)));
    expect(log.segments).toHaveLength(1);
    append(log, makeBatch(recordsOf(1, 10, "c", t0 + 10_001n)));
    expect(log.segments.map((s) => s.baseOffset)).toEqual([0n, 2n]);
  });

  it("rolls when the offset index is full (segment.index.bytes)", () => {
    const log = openLog(config({ segmentIndexBytes: 8 * 4, indexIntervalBytes: 0 }));
    for (let i = 0; i < 12; i++) append(log, makeBatch(recordsOf(1, 10)));
    expect(log.segments.length).toBeGreaterThan(1);
    expect(values(log, 0n)).toHaveLength(12);
  });
});

describe("restart and recovery", () => {
  it("keeps everything across close and open, and appends continue from the log end offset", () => {
    const c = config({ segmentBytes: 2048, indexIntervalBytes: 256 });
    let log = openLog(c);
    for (let i = 0; i < 30; i++) append(log, makeBatch(recordsOf(3, 50, `p${i}`)));
    const before = values(log, 0n);
    const segments = log.segments.length;
    log = reopen(log, c);
    expect(log.logEndOffset).toBe(90n);
    expect(log.highWatermark).toBe(90n);
    expect(log.segments.length).toBe(segments);
    expect(values(log, 0n)).toEqual(before);
    expect(append(log, makeBatch(recordsOf(2, 50, "after"))).baseOffset).toBe(90n);
    log = reopen(log, c, false);
    expect(values(log, 88n).slice(-2).map((v) => v.split("x")[0])).toEqual(["after-0", "after-1"]);
  });

  it("truncates a batch torn mid-write and serves everything before it", () => {
    let log = openLog();
    for (let i = 0; i < 10; i++) append(log, makeBatch(recordsOf(5, 40, `t${i}`)));
    log.close();
    const file = join(partitionDir, "00000000000000000000.log");
    const size = statSync(file).size;
    truncateSync(file, size - 17); // the last batch loses its end
    log = openLog();
    expect(log.logEndOffset).toBe(45n);
    expect(statSync(file).size).toBe(size - (size / 10));
    expect(values(log, 0n)).toHaveLength(45);
    expect(append(log, makeBatch(recordsOf(1, 10, "new"))).baseOffset).toBe(45n);
    expect(values(log, 45n)[0]).toMatch(/^new-0/);
  });

  it("cuts garbage appended to the active segment", () => {
    let log = openLog(config({ indexIntervalBytes: 128 }));
    for (let i = 0; i < 10; i++) append(log, makeBatch(recordsOf(5, 40, `g${i}`)));
    log.close();
    const file = join(partitionDir, "00000000000000000000.log");
    const size = statSync(file).size;
    appendFileSync(file, Buffer.from("garbage that is not a record batch, long enough to look like a header, more or less"));
    log = openLog();
    expect(log.logEndOffset).toBe(50n);
    expect(statSync(file).size).toBe(size);
    expect(values(log, 0n)).toHaveLength(50);
  });

  it("drops a tail batch whose CRC fails, and a header that promises more bytes than exist", () => {
    let log = openLog();
    for (let i = 0; i < 4; i++) append(log, makeBatch(recordsOf(2, 40, `c${i}`)));
    log.close();
    const file = join(partitionDir, "00000000000000000000.log");
    const data = readFileSync(file);
    const batch = data.length / 4;
    data[data.length - 5] = (data[data.length - 5] as number) ^ 0xff; // flip a byte in the last record
    writeFileSync(file, data);
    log = openLog();
    expect(log.logEndOffset).toBe(6n);
    expect(statSync(file).size).toBe(batch * 3);
    log.close();
    const header = Buffer.alloc(61);
    header.writeInt32BE(1_000_000, 8); // a length running past the end of the file
    header.writeInt8(2, 16);
    appendFileSync(file, header);
    log = openLog();
    expect(log.logEndOffset).toBe(6n);
    expect(statSync(file).size).toBe(batch * 3);
  });

  it("rebuilds missing or damaged indexes from the log", () => {
    const c = config({ segmentBytes: 2048, indexIntervalBytes: 256 });
    let log = openLog(c);
    const t0 = 1_700_000_000_000n;
    for (let i = 0; i < 60; i++) append(log, makeBatch(recordsOf(2, 60, `x${i}`, t0 + BigInt(i))));
    log.close();
    const indexes = segmentFiles(".index");
    expect(indexes.length).toBeGreaterThan(3);
    const oldIndex = readFileSync(join(partitionDir, indexes[1] as string));
    unlinkSync(join(partitionDir, indexes[1] as string)); // an old segment's index is gone
    unlinkSync(join(partitionDir, (indexes[0] as string).replace(".index", ".timeindex")));
    appendFileSync(join(partitionDir, indexes[indexes.length - 1] as string), Buffer.from([1, 2, 3])); // a torn entry
    log = openLog(c);
    expect(readFileSync(join(partitionDir, indexes[1] as string))).toEqual(oldIndex);
    for (let offset = 0n; offset < 120n; offset += 7n) {
      const [first] = batchesOf(log.read(offset, 1));
      expect(first!.baseOffset).toBe(offset - (offset % 2n));
    }
    expect(log.offsetForTimestamp(t0 + 30n)).toEqual({ offset: 60n, timestamp: t0 + 30n });
    expect(log.maxTimestamp()).toEqual({ offset: 118n, timestamp: t0 + 59n });
  });

  it("rescans an unclean shutdown's tail from the last persisted index entries", () => {
    const c = config({ indexIntervalBytes: 64 });
    let log = openLog(c);
    for (let i = 0; i < 2000; i++) append(log, makeBatch(recordsOf(1, 30, `u${i}`, 1_700_000_000_000n + BigInt(i))));
    // A crash: no close, so the index files hold only what was written in batches.
    const file = join(partitionDir, "00000000000000000000.log");
    truncateSync(file, statSync(file).size - 5);
    open.splice(open.indexOf(log), 1);
    log = openLog(c, { cleanShutdown: false });
    expect(log.logEndOffset).toBe(1999n);
    for (let offset = 0n; offset < 1999n; offset += 97n) expect(batchesOf(log.read(offset, 1))[0]?.baseOffset).toBe(offset);
    expect(log.offsetForTimestamp(1_700_000_000_000n + 1500n)).toEqual({ offset: 1500n, timestamp: 1_700_000_000_000n + 1500n });
    expect(log.maxTimestamp()?.offset).toBe(1998n);
  });
  it("recovers when the log lost a tail its indexes had already recorded (OS crash)", () => {
    const c = config({ indexIntervalBytes: 64 });
    const t0 = 1_700_000_000_000n;
    let log = openLog(c);
    for (let i = 0; i < 300; i++) append(log, makeBatch(recordsOf(1, 30, `o${i}`, t0 + BigInt(i))));
    const batch = log.sizeInBytes() / 300;
    log.close();
    // The log keeps 120.5 batches; the index files still describe all 300.
    truncateSync(join(partitionDir, "00000000000000000000.log"), Math.floor(batch * 120.5));
    const warnings: Array<Record<string, unknown>> = [];
    const logger = { warn: (fields: Record<string, unknown>) => warnings.push(fields), info: () => {}, child: () => logger };
    log = PartitionLog.open(partitionDir, c, { cleanShutdown: false, logger: logger as unknown as Logger });
    open.push(log);
    expect(log.logEndOffset).toBe(120n);
    expect(warnings[0]).toMatchObject({ truncatedBytes: Math.floor(batch * 120.5) - batch * 120 });
    expect(log.maxTimestamp()).toEqual({ offset: 119n, timestamp: t0 + 119n });
    expect(log.offsetForTimestamp(t0 + 100n)).toEqual({ offset: 100n, timestamp: t0 + 100n });
    expect(log.offsetForTimestamp(t0 + 120n)).toBeUndefined();
    for (let offset = 0n; offset < 120n; offset += 13n) expect(batchesOf(log.read(offset, 1))[0]?.baseOffset).toBe(offset);
    // New appends index on from the right place.
    for (let i = 120; i < 200; i++) append(log, makeBatch(recordsOf(1, 30, `o${i}`, t0 + BigInt(i))));
    log = reopen(log, c, false);
    expect(log.offsetForTimestamp(t0 + 150n)).toEqual({ offset: 150n, timestamp: t0 + 150n });
    expect(log.maxTimestamp()).toEqual({ offset: 199n, timestamp: t0 + 199n });
  });
});

describe("timestamps", () => {
  it("finds the earliest record at or after a timestamp, inside batches, compressed or not", () => {
    const log = openLog(config({ indexIntervalBytes: 100 }));
    const t0 = 1_700_000_000_000n;
    // Batch k holds records at t0 + 100k + 10j (j = 0..4); every third batch is gzip'd.
    for (let k = 0; k < 30; k++) {
      const records = Array.from({ length: 5 }, (_, j) => ({ value: `v${k}.${j}`, timestamp: t0 + BigInt(100 * k + 10 * j) }));
      append(log, makeBatch(records, { gzip: k % 3 === 0 }));
    }
    expect(log.offsetForTimestamp(0n)).toEqual({ offset: 0n, timestamp: t0 });
    expect(log.offsetForTimestamp(t0 + 1225n)).toEqual({ offset: 63n, timestamp: t0 + 1230n });
    expect(log.offsetForTimestamp(t0 + 1500n)).toEqual({ offset: 75n, timestamp: t0 + 1500n }); // gzip'd batch 15
    expect(log.offsetForTimestamp(t0 + 1541n)).toEqual({ offset: 80n, timestamp: t0 + 1600n });
    expect(log.offsetForTimestamp(t0 + 2940n)).toEqual({ offset: 149n, timestamp: t0 + 2940n });
    expect(log.offsetForTimestamp(t0 + 2941n)).toBeUndefined();
    expect(log.maxTimestamp()).toEqual({ offset: 149n, timestamp: t0 + 2940n });
  });

  it("handles timestamps that go backwards: the earliest offset wins, and the first max", () => {
    const log = openLog(config({ indexIntervalBytes: 0, segmentBytes: 300 }));
    const ts = [500n, 100n, 900n, 300n, 900n, 200n];
    for (const t of ts) append(log, makeBatch([{ value: "v", timestamp: t }]));
    expect(log.segments.length).toBeGreaterThan(1);
    expect(log.offsetForTimestamp(150n)).toEqual({ offset: 0n, timestamp: 500n });
    expect(log.offsetForTimestamp(600n)).toEqual({ offset: 2n, timestamp: 900n });
    expect(log.offsetForTimestamp(50n)).toEqual({ offset: 0n, timestamp: 500n });
    expect(log.maxTimestamp()).toEqual({ offset: 2n, timestamp: 900n });
    const reopened = reopen(log);
    expect(reopened.offsetForTimestamp(600n)).toEqual({ offset: 2n, timestamp: 900n });
    expect(reopened.maxTimestamp()).toEqual({ offset: 2n, timestamp: 900n });
  });

  it("has no answer on an empty log", () => {
    const log = openLog();
    expect(log.offsetForTimestamp(0n)).toBeUndefined();
    expect(log.maxTimestamp()).toBeUndefined();
  });
});

describe("deleteRecordsBefore", () => {
  it("moves the log start offset, deletes whole segments below it, and survives a restart", () => {
    const c = config({ segmentBytes: 1024 });
    let log = openLog(c);
    for (let i = 0; i < 40; i++) append(log, makeBatch(recordsOf(2, 100, `d${i}`)));
    const segments = log.segments.length;
    expect(log.deleteRecordsBefore(31n)).toBe(31n);
    expect(log.logStartOffset).toBe(31n);
    expect(log.segments.length).toBeLessThan(segments);
    expect(log.segments[0]!.baseOffset).toBeLessThanOrEqual(31n);
    expect(log.segments[1]!.baseOffset).toBeGreaterThan(31n);
    expect(existsSync(join(partitionDir, "00000000000000000000.log"))).toBe(false);
    expectKafkaError(() => log.read(30n, 1000), ErrorCode.OFFSET_OUT_OF_RANGE);
    expect(batchesOf(log.read(31n, 1))[0]?.baseOffset).toBe(30n); // the batch holding 31, whole
    expect(log.deleteRecordsBefore(10n)).toBe(31n); // never backwards
    expectKafkaError(() => log.deleteRecordsBefore(81n), ErrorCode.OFFSET_OUT_OF_RANGE);

    log = reopen(log, c, false);
    expect(log.logStartOffset).toBe(31n);
    expect(log.logEndOffset).toBe(80n);
    expectKafkaError(() => log.read(30n, 1000), ErrorCode.OFFSET_OUT_OF_RANGE);
    expect(log.offsetForTimestamp(0n)?.offset).toBe(31n);

    expect(log.deleteRecordsBefore(-1n)).toBe(80n); // -1: up to the high watermark
    log = reopen(log, c);
    expect([log.logStartOffset, log.logEndOffset]).toEqual([80n, 80n]);
    expect(log.read(80n, 1000).totalBytes).toBe(0);
    expect(append(log, makeBatch(recordsOf(1, 10))).baseOffset).toBe(80n);
  });

  it("never reuses offsets when a crash cut the log below its start offset", () => {
    let log = openLog();
    for (let i = 0; i < 5; i++) append(log, makeBatch(recordsOf(2, 10)));
    log.deleteRecordsBefore(10n);
    log.close();
    truncateSync(join(partitionDir, "00000000000000000000.log"), 30);
    log = openLog();
    expect([log.logStartOffset, log.logEndOffset]).toEqual([10n, 10n]);
    expect(append(log, makeBatch(recordsOf(1, 10))).baseOffset).toBe(10n);
  });
});

describe("delete", () => {
  it("removes the partition directory", () => {
    const log = openLog();
    append(log, makeBatch(recordsOf(2, 10)));
    log.delete();
    expect(existsSync(partitionDir)).toBe(false);
    expect(readdirSync(tmp.dir)).toEqual([]);
    expectKafkaError(() => log.read(0n, 10), ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  });
});

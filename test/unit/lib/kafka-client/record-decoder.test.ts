import { describe, expect, it } from "vitest";
import { Compression, crc32c } from "../../../../broker/protocol/records/compression.ts";
import { buildBatch, type NewRecord } from "../../../../broker/protocol/records/records.ts";
import { CorruptRecordError, decodeRecordBatches, type ConsumedRecord } from "../../../../lib/kafka-client/record-decoder.ts";

const rec = (key: string | null, value: string | null, headers: Record<string, string | null> = {}, timestamp?: bigint): NewRecord => ({
  key: key === null ? null : Buffer.from(key),
  value: value === null ? null : Buffer.from(value),
  headers: Object.entries(headers).map(([k, v]) => ({ key: k, value: v === null ? null : Buffer.from(v) })),
  timestamp,
});

const decode = (buf: Buffer, from = 0n): { records: ConsumedRecord[]; next: bigint } => {
  const records: ConsumedRecord[] = [];
  const next = decodeRecordBatches(buf, from, "t", 3, records);
  return { records, next };
};

const simple = (r: ConsumedRecord) => [r.offset, r.key?.toString() ?? null, r.value?.toString() ?? null];

/** Rewrites a batch's lastOffsetDelta (as compaction leaves it: the batch keeps its offset range) and fixes the CRC. */
function withLastOffsetDelta(batch: Buffer, delta: number): Buffer {
  const copy = Buffer.from(batch);
  copy.writeInt32BE(delta, 23);
  copy.writeUInt32BE(crc32c(copy.subarray(21)), 17);
  return copy;
}

describe("decodeRecordBatches", () => {
  it("decodes keys, values, nulls, headers and timestamps, and returns the next offset", () => {
    const batch = buildBatch([rec("k1", "v1", { a: "1", b: null }, 1_700_000_000_000n), rec(null, "v2", {}, 1_700_000_000_005n), rec("k3", null, { "ü": "x" }, 1_700_000_000_002n)], { baseOffset: 10n });
    const { records, next } = decode(batch, 10n);
    expect(records).toEqual([
      { topic: "t", partition: 3, offset: 10n, timestamp: 1_700_000_000_000, logAppendTime: false, key: Buffer.from("k1"), value: Buffer.from("v1"), headers: [{ key: "a", value: Buffer.from("1") }, { key: "b", value: null }] },
      { topic: "t", partition: 3, offset: 11n, timestamp: 1_700_000_000_005, logAppendTime: false, key: null, value: Buffer.from("v2"), headers: [] },
      { topic: "t", partition: 3, offset: 12n, timestamp: 1_700_000_000_002, logAppendTime: false, key: Buffer.from("k3"), value: null, headers: [{ key: "ü", value: Buffer.from("x") }] },
    ]);
    expect(next).toBe(13n);
  });

  it("returns values of an uncompressed batch as views of the response, not copies", () => {
    const batch = buildBatch([rec("k", "value")]);
    const { records } = decode(batch);
    expect(records[0]!.value!.buffer).toBe(batch.buffer);
  });

  it.each(Object.entries(Compression))("reads %s batches", (_name, codec) => {
    const records = Array.from({ length: 50 }, (_, i) => rec(`key-${i}`, `value-${i}-${"z".repeat(i)}`, { i: String(i) }));
    const buf = Buffer.concat([buildBatch(records.slice(0, 20), { baseOffset: 0n, compression: codec }), buildBatch(records.slice(20), { baseOffset: 20n, compression: codec })]);
    const { records: got, next } = decode(buf);
    expect(got.map((r) => r.value!.toString())).toEqual(records.map((r) => r.value!.toString()));
    expect(got.map((r) => r.headers[0]!.value!.toString())).toEqual(records.map((_, i) => String(i)));
    expect(next).toBe(50n);
  });

  it("leaves out the records before the fetch offset in a batch that starts earlier", () => {
    const batch = buildBatch([rec("a", "1"), rec("b", "2"), rec("c", "3"), rec("d", "4")], { baseOffset: 100n, compression: Compression.gzip });
    const { records, next } = decode(batch, 102n);
    expect(records.map(simple)).toEqual([
      [102n, "c", "3"],
      [103n, "d", "4"],
    ]);
    expect(next).toBe(104n);
    expect(decode(batch, 104n)).toEqual({ records: [], next: 104n });
  });

  it("skips control batches (transaction markers) but moves past them", () => {
    const data = buildBatch([rec("k", "in-txn")], { baseOffset: 0n, transactional: true, producerId: 7n, producerEpoch: 0 });
    const marker = buildBatch([{ key: Buffer.from([0, 0, 0, 1]), value: Buffer.from([0, 0, 0, 0, 0, 0]) }], { baseOffset: 1n, control: true, transactional: true, producerId: 7n, producerEpoch: 0 });
    const after = buildBatch([rec("k", "after")], { baseOffset: 2n });
    const { records, next } = decode(Buffer.concat([data, marker, after]));
    expect(records.map(simple)).toEqual([
      [0n, "k", "in-txn"],
      [2n, "k", "after"],
    ]);
    expect(next).toBe(3n);
    expect(decode(marker, 1n)).toEqual({ records: [], next: 2n });
  });

  it("moves past the offsets compaction removed from the end of a batch, and past emptied batches", () => {
    // The cleaner keeps a batch's offset range: here offsets 5 and 6 survived of a batch that
    // covered 5..9, and a later batch covering 20..23 lost every record.
    const kept = withLastOffsetDelta(buildBatch([rec("a", "x"), rec("b", "y")], { baseOffset: 5n }), 4);
    const emptied = Buffer.from(buildBatch([rec("gone", "x")], { baseOffset: 20n }).subarray(0, 61));
    emptied.writeInt32BE(61 - 12, 8);
    emptied.writeInt32BE(0, 57);
    const { records, next } = decode(Buffer.concat([kept, buildBatch([rec("c", "z")], { baseOffset: 12n }), withLastOffsetDelta(emptied, 3)]), 5n);
    expect(records.map(simple)).toEqual([
      [5n, "a", "x"],
      [6n, "b", "y"],
      [12n, "c", "z"],
    ]);
    expect(next).toBe(24n);
  });

  it("stops before a batch the response cut short, and says where to fetch from", () => {
    const first = buildBatch([rec("a", "1")], { baseOffset: 0n });
    const second = buildBatch([rec("b", "2"), rec("c", "3")], { baseOffset: 1n });
    const { records, next } = decode(Buffer.concat([first, second.subarray(0, second.length - 5)]));
    expect(records.map(simple)).toEqual([[0n, "a", "1"]]);
    expect(next).toBe(1n);
    expect(decode(second.subarray(0, 30), 1n)).toEqual({ records: [], next: 1n });
    expect(decode(Buffer.alloc(0), 9n)).toEqual({ records: [], next: 9n });
  });

  it("uses the batch's max timestamp for log-append-time topics", () => {
    const batch = buildBatch([rec("a", "1", {}, 5n), rec("b", "2", {}, 9n)], { logAppendTime: true });
    batch.writeBigInt64BE(1_234_567n, 35);
    batch.writeUInt32BE(crc32c(batch.subarray(21)), 17);
    expect(decode(batch).records.map((r) => [r.timestamp, r.logAppendTime])).toEqual([
      [1_234_567, true],
      [1_234_567, true],
    ]);
  });

  it("refuses corrupt batches", () => {
    const batch = buildBatch([rec("a", "1")]);
    const flipped = Buffer.from(batch);
    flipped[flipped.length - 1]! ^= 0xff;
    expect(() => decode(flipped)).toThrow(CorruptRecordError);
    expect(() => decode(flipped)).toThrow(/CRC32C/);
    const magic1 = Buffer.from(batch);
    magic1.writeInt8(1, 16);
    expect(() => decode(magic1)).toThrow(/magic 1/);
    const badCount = Buffer.from(batch);
    badCount.writeInt32BE(2, 57);
    badCount.writeUInt32BE(crc32c(badCount.subarray(21)), 17);
    expect(() => decode(badCount)).toThrow(/truncated|runs past|bad length/);
  });
});

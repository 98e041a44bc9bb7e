import { describe, expect, it } from "vitest";
import { encodeRecordBatch, type ProducerRecord } from "../../../../lib/kafka-client/record-encoder.ts";
import { readBatchInfo, validateBatches } from "../../../../broker/protocol/records/batch.ts";
import { buildBatch, readBatchRecords } from "../../../../broker/protocol/records/records.ts";
import { Compression } from "../../../../broker/protocol/records/compression.ts";

const NOW = 1_795_000_000_000;

function sample(): ProducerRecord[] {
  return [
    { key: Buffer.from("k1"), value: Buffer.from("v1"), headers: [], timestamp: null },
    { key: null, value: Buffer.from("x".repeat(300)), headers: [{ key: "h", value: Buffer.from([1, 2, 3]) }], timestamp: NOW - 5000 },
    { key: Buffer.alloc(0), value: null, headers: [{ key: "ünïcode-ключ", value: null }, { key: "h", value: Buffer.alloc(0) }], timestamp: NOW + 7 },
    { key: Buffer.alloc(200, 7), value: Buffer.alloc(70_000, 9), headers: [], timestamp: 0 },
  ];
}

describe("encodeRecordBatch", () => {
  it("writes a batch the broker's reader decodes record for record, CRC valid", () => {
    const batch = encodeRecordBatch(sample(), Compression.none, NOW);
    expect(validateBatches(batch)).toHaveLength(1);
    const { info, records } = readBatchRecords(batch);
    expect(info.recordCount).toBe(4);
    expect(info.baseTimestamp).toBe(0n);
    expect(info.maxTimestamp).toBe(BigInt(NOW + 7));
    expect(info.producerId).toBe(-1n);
    expect(records.map((r) => r.offset)).toEqual([0n, 1n, 2n, 3n]);
    expect(records.map((r) => r.timestamp)).toEqual([BigInt(NOW), BigInt(NOW - 5000), BigInt(NOW + 7), 0n]);
    const input = sample();
    records.forEach((r, i) => {
      expect(r.key).toEqual(input[i]!.key);
      expect(r.value).toEqual(input[i]!.value);
      expect(r.headers).toEqual(input[i]!.headers);
    });
  });

  it("matches the broker's own batch builder byte for byte", () => {
    const input = sample();
    const ours = encodeRecordBatch(input, Compression.none, NOW);
    const theirs = buildBatch(
      input.map((r) => ({ key: r.key, value: r.value, headers: [...r.headers], timestamp: BigInt(r.timestamp ?? NOW) })),
      { now: BigInt(NOW) },
    );
    expect(ours.equals(theirs)).toBe(true);
  });

  it.each([
    ["gzip", Compression.gzip],
    ["snappy", Compression.snappy],
    ["lz4", Compression.lz4],
    ["zstd", Compression.zstd],
  ])("compresses with %s and the records come back", (_name, codec) => {
    const batch = encodeRecordBatch(sample(), codec, NOW);
    expect(validateBatches(batch)).toHaveLength(1);
    expect(readBatchInfo(batch, 0).attributes & 0x07).toBe(codec);
    const { records } = readBatchRecords(batch);
    expect(records.map((r) => r.value?.length ?? null)).toEqual([2, 300, null, 70_000]);
    expect(records[2]!.headers[0]!.key).toBe("ünïcode-ключ");
  });

  it("refuses an empty batch", () => {
    expect(() => encodeRecordBatch([])).toThrow(/at least one record/);
  });
});

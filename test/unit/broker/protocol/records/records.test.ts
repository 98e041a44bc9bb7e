import { describe, expect, it } from "vitest";
import { assignBaseOffset, CorruptBatchError, UnsupportedMagicError, validateBatches } from "../../../../../broker/protocol/records/batch.ts";
import { Compression } from "../../../../../broker/protocol/records/compression.ts";
import { buildBatch, readAllRecords, readBatchRecords } from "../../../../../broker/protocol/records/records.ts";

const sample = [
  { key: Buffer.from("k1"), value: Buffer.from("v1"), headers: [{ key: "h", value: Buffer.from("x") }], timestamp: 1000n },
  { key: null, value: Buffer.from("v2".repeat(500)), timestamp: 1005n },
  { key: Buffer.from("k3"), value: null, headers: [{ key: "empty", value: null }], timestamp: 1002n },
];

describe("record batches", () => {
  for (const [name, codec] of Object.entries(Compression)) {
    it(`round-trips records through a ${name} batch`, () => {
      const batch = buildBatch(sample, { compression: codec, baseOffset: 40n });
      const [info] = validateBatches(batch);
      expect(info).toMatchObject({ baseOffset: 40n, recordCount: 3, lastOffsetDelta: 2, maxTimestamp: 1005n, baseTimestamp: 1000n });
      const { records } = readBatchRecords(batch);
      expect(records.map((r) => [r.offset, r.timestamp, r.key?.toString() ?? null, r.value?.toString() ?? null])).toEqual([
        [40n, 1000n, "k1", "v1"],
        [41n, 1005n, null, "v2".repeat(500)],
        [42n, 1002n, "k3", null],
      ]);
      expect(records[0]?.headers).toEqual([{ key: "h", value: Buffer.from("x") }]);
      expect(records[2]?.headers).toEqual([{ key: "empty", value: null }]);
    });
  }

  it("keeps the CRC valid when the base offset is patched", () => {
    const two = Buffer.concat([buildBatch(sample), buildBatch(sample.slice(0, 1))]);
    const infos = validateBatches(two);
    assignBaseOffset(two, infos[0]!.position, 100n);
    assignBaseOffset(two, infos[1]!.position, 103n);
    expect(validateBatches(two).map((b) => b.baseOffset)).toEqual([100n, 103n]);
    expect(readAllRecords(two).map((r) => r.offset)).toEqual([100n, 101n, 102n, 103n]);
  });

  it("rejects a flipped bit, a truncated batch and an old magic", () => {
    const batch = buildBatch(sample);
    const flipped = Buffer.from(batch);
    flipped[flipped.length - 3]! ^= 0x10;
    expect(() => validateBatches(flipped)).toThrow(CorruptBatchError);
    expect(() => validateBatches(batch.subarray(0, batch.length - 1))).toThrow(/declares length/);
    expect(() => validateBatches(batch.subarray(0, 30))).toThrow(/truncated/);
    const old = Buffer.from(batch);
    old.writeInt8(1, 16);
    expect(() => validateBatches(old)).toThrow(UnsupportedMagicError);
  });

  it("reads the records of a fetch response that ends with a partial batch", () => {
    const two = Buffer.concat([buildBatch(sample), buildBatch(sample)]);
    expect(readAllRecords(two.subarray(0, two.length - 5))).toHaveLength(3);
  });
});

import { describe, expect, it } from "vitest";
import { murmur3x86x128, OffsetMap } from "../../../../../broker/log/cleaner/offset-map.ts";
import { findKeylessRecords, RecordCursor } from "../../../../../broker/log/cleaner/record-scan.ts";
import { validateBatches } from "../../../../../broker/protocol/records/batch.ts";
import { Compression } from "../../../../../broker/protocol/records/compression.ts";
import { buildBatch } from "../../../../../broker/protocol/records/records.ts";

describe("murmur3x86x128", () => {
  it("matches SMHasher's verification value for MurmurHash3_x86_128 (0xB3ECE62A)", () => {
    // SMHasher: hash keys {0}, {0,1}, ... of lengths 0..255 with seed 256 - length, hash the
    // concatenated hashes with seed 0, read the first 4 bytes little-endian.
    const key = new Uint8Array(256);
    const all = new Uint8Array(256 * 16);
    const out = new Int32Array(4);
    for (let i = 0; i < 256; i++) {
      key[i] = i;
      murmur3x86x128(key, 0, i, 256 - i, out);
      all.set(new Uint8Array(out.buffer.slice(0)), i * 16);
    }
    murmur3x86x128(all, 0, all.length, 0, out);
    expect(out[0]! >>> 0).toBe(0xb3ece62a);
  });

  it("hashes a slice of a larger buffer like the same bytes alone", () => {
    const a = new Int32Array(4);
    const b = new Int32Array(4);
    const big = Buffer.from("xxxx-hello, world-yyyy");
    murmur3x86x128(big, 5, 17, 42, a);
    murmur3x86x128(Buffer.from("hello, world"), 0, 12, 42, b);
    expect([...a]).toEqual([...b]);
  });
});

describe("OffsetMap", () => {
  const key = (s: string) => Buffer.from(s);

  it("keeps the latest offset per key, across growth", () => {
    const map = new OffsetMap({ maxBytes: 64 * 1024 * 1024, loadFactor: 0.9, seed: 1 });
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 50_000; i++) {
        const k = key(`k${i}`);
        map.put(k, 0, k.length, round * 100_000 + i);
      }
    }
    expect(map.size).toBe(50_000);
    for (let i = 0; i < 50_000; i += 997) {
      const k = key(`k${i}`);
      expect(map.get(k, 0, k.length)).toBe(200_000 + i);
    }
    const absent = key("nope");
    expect(map.get(absent, 0, absent.length)).toBe(-1);
    expect(map.latestOffset).toBe(249_999);
    expect(map.full).toBe(false);
  });

  it("stays within its memory bound and says when it is full", () => {
    const map = new OffsetMap({ maxBytes: 1024 * 1024, loadFactor: 0.9, seed: 7 });
    let i = 0;
    while (!map.full) {
      const k = key(`key-${i}`);
      map.put(k, 0, k.length, i++);
    }
    expect(map.bytes).toBeLessThanOrEqual(1024 * 1024);
    expect(map.size).toBe(map.capacity);
    expect(map.capacity).toBeGreaterThan(20_000);
  });
});

describe("RecordCursor / findKeylessRecords", () => {
  it("walks keys, tombstones and deltas of plain and compressed batches", () => {
    for (const compression of [Compression.none, Compression.gzip, Compression.zstd]) {
      const batch = buildBatch(
        [
          { key: Buffer.from("a"), value: Buffer.from("1"), timestamp: 1000n },
          { key: null, value: Buffer.from("2"), timestamp: 1005n },
          { key: Buffer.from("c"), value: null, timestamp: 999n },
        ],
        { compression },
      );
      const [info] = validateBatches(batch);
      expect(findKeylessRecords(batch, [info!])).toEqual([{ batchIndex: 1 }]);
    }
    const batch = buildBatch([
      { key: Buffer.from("k1"), value: Buffer.from("v"), timestamp: 5000n },
      { key: Buffer.from("k2"), value: null, timestamp: 4000n + 2n ** 40n },
    ]);
    const cursor = new RecordCursor(batch.subarray(61), 2);
    const seen: Array<[string, boolean, number, number]> = [];
    while (cursor.next()) seen.push([batch.subarray(61).subarray(cursor.keyStart, cursor.keyEnd).toString(), cursor.valueNull, cursor.offsetDelta, cursor.timestampDelta]);
    expect(seen).toEqual([
      ["k1", false, 0, 0],
      ["k2", true, 1, -1000 + 2 ** 40],
    ]);
  });
});

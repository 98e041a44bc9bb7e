// Source records without a partition get the one Kafka's Java producer would choose: murmur2 of
// the key, or for records without a key one partition per topic until batch.size bytes went to
// it (sticky); nothing is chosen while the topic's partition count is unknown or too old.
import { describe, expect, it } from "vitest";
import { RecordPartitioner } from "../../../../../connect/runtime/tasks/record-partitioner.ts";
import { partitionForKey } from "../../../../../connect/storage/kafka/murmur2.ts";

describe("RecordPartitioner", () => {
  it("chooses nothing until the topic's partition count is known", () => {
    const p = new RecordPartitioner({ batchSizeBytes: 100, metadataMaxAgeMs: 1000 });
    expect(p.partitionFor("t", Buffer.from("k"), 10)).toBeNull();
    p.learn("t", 6);
    expect(p.partitionCount("t")).toBe(6);
    expect(p.partitionFor("t", Buffer.from("k"), 10)).not.toBeNull();
    p.forget("t");
    expect(p.partitionFor("t", null, 10)).toBeNull();
  });

  it("places keyed records by murmur2 of the key, as the Java producer", () => {
    const p = new RecordPartitioner({ batchSizeBytes: 100, metadataMaxAgeMs: 1000 });
    p.learn("t", 7);
    for (const key of ["a", "key-1", "connector-x", "ü"]) expect(p.partitionFor("t", Buffer.from(key), 10)).toBe(partitionForKey(Buffer.from(key), 7));
  });

  it("keeps records without key on one partition until batch.size bytes went there, then moves to another", () => {
    const draws = [0.1, 0.9, 0.0];
    const p = new RecordPartitioner({ batchSizeBytes: 100, metadataMaxAgeMs: 1000, random: () => draws.shift() ?? 0.5 });
    p.learn("t", 4);
    const first = [0, 1, 2, 3].map(() => p.partitionFor("t", null, 30));
    expect(new Set(first)).toEqual(new Set([0]));
    // 120 bytes went to partition 0: the next record starts a new sticky partition, never the same.
    const second = p.partitionFor("t", null, 30);
    expect(second).not.toBe(0);
    expect(second).toBe(3);
  });

  it("stops trusting a partition count older than metadata.max.age.ms", () => {
    let now = 1000;
    const p = new RecordPartitioner({ batchSizeBytes: 100, metadataMaxAgeMs: 500, now: () => now });
    p.learn("t", 3);
    now += 400;
    expect(p.partitionCount("t")).toBe(3);
    now += 200;
    expect(p.partitionCount("t")).toBeNull();
    expect(p.partitionFor("t", Buffer.from("k"), 1)).toBeNull();
    p.learn("t", 3);
    expect(p.partitionCount("t")).toBe(3);
  });
});

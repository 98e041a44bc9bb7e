// GroupStore entries <-> __consumer_offsets records in Kafka's formats. The expected bytes
// are spelled out field by field from Kafka's schemas (../shared/kafka-protocol/group-coordinator),
// independently of the generated codecs the implementation uses.
import { describe, expect, it } from "vitest";
import { decodeGroupStoreEntry, encodeGroupStoreEntry, partitionForGroup } from "../../../../../broker/coordinator/group/offsets-topic-codec.ts";
import type { GroupStoreEntry } from "../../../../../broker/coordinator/group/store.ts";
import { ProtocolDecodeError } from "../../../../../broker/protocol/primitives/errors.ts";

const i16 = (v: number) => {
  const b = Buffer.alloc(2);
  b.writeInt16BE(v);
  return b;
};
const i32 = (v: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(v);
  return b;
};
const i64 = (v: bigint) => {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(v);
  return b;
};
const str = (s: string | null) => (s === null ? i16(-1) : Buffer.concat([i16(Buffer.byteLength(s)), Buffer.from(s)]));
const bytes = (b: Buffer) => Buffer.concat([i32(b.length), b]);

describe("__consumer_offsets record codec", () => {
  it("writes an offset commit as OffsetCommitKey v1 + OffsetCommitValue v3", () => {
    const entry: GroupStoreEntry = { kind: "offset", groupId: "grp", topic: "orders", partition: 7, value: { offset: 12345n, leaderEpoch: 3, metadata: "meta", commitTimestamp: 1_700_000_000_123, expireTimestamp: -1 } };
    const rec = encodeGroupStoreEntry(entry);
    expect(rec.key).toEqual(Buffer.concat([i16(1), str("grp"), str("orders"), i32(7)]));
    expect(rec.value).toEqual(Buffer.concat([i16(3), i64(12345n), i32(3), str("meta"), i64(1_700_000_000_123n)]));
    expect(decodeGroupStoreEntry(rec.key, rec.value)).toEqual(entry);
  });

  it("writes a commit with an explicit expiry as OffsetCommitValue v1", () => {
    const entry: GroupStoreEntry = { kind: "offset", groupId: "g", topic: "t", partition: 0, value: { offset: 1n, leaderEpoch: -1, metadata: "", commitTimestamp: 10, expireTimestamp: 20 } };
    const rec = encodeGroupStoreEntry(entry);
    expect(rec.value).toEqual(Buffer.concat([i16(1), i64(1n), str(""), i64(10n), i64(20n)]));
    expect(decodeGroupStoreEntry(rec.key, rec.value)).toEqual(entry);
  });

  it("reads older and flexible offset values", () => {
    const key = Buffer.concat([i16(0), str("g"), str("t"), i32(2)]);
    const v0 = Buffer.concat([i16(0), i64(42n), str("x"), i64(99n)]);
    expect(decodeGroupStoreEntry(key, v0)).toEqual({ kind: "offset", groupId: "g", topic: "t", partition: 2, value: { offset: 42n, leaderEpoch: -1, metadata: "x", commitTimestamp: 99, expireTimestamp: -1 } });
    // v4: compact string (length+1 as uvarint) and an empty tagged-field section.
    const v4 = Buffer.concat([i16(4), i64(42n), i32(5), Buffer.from([2]), Buffer.from("x"), i64(99n), Buffer.from([0])]);
    expect(decodeGroupStoreEntry(key, v4)).toMatchObject({ value: { offset: 42n, leaderEpoch: 5, metadata: "x", commitTimestamp: 99 } });
  });

  it("writes group metadata as GroupMetadataKey v2 + GroupMetadataValue v3", () => {
    const entry: GroupStoreEntry = {
      kind: "group",
      groupId: "grp",
      value: {
        protocolType: "consumer",
        generation: 5,
        protocol: "range",
        leader: "m1",
        currentStateTimestamp: 1_700_000_000_000,
        members: [
          { memberId: "m1", groupInstanceId: null, clientId: "c1", clientHost: "/10.0.0.1", rebalanceTimeoutMs: 300_000, sessionTimeoutMs: 45_000, subscription: Buffer.from([1, 2]), assignment: Buffer.from([3]) },
          { memberId: "m2", groupInstanceId: "i2", clientId: "c2", clientHost: "/10.0.0.2", rebalanceTimeoutMs: 60_000, sessionTimeoutMs: 10_000, subscription: Buffer.alloc(0), assignment: Buffer.alloc(0) },
        ],
      },
    };
    const rec = encodeGroupStoreEntry(entry);
    expect(rec.key).toEqual(Buffer.concat([i16(2), str("grp")]));
    expect(rec.value).toEqual(
      Buffer.concat([
        i16(3),
        str("consumer"),
        i32(5),
        str("range"),
        str("m1"),
        i64(1_700_000_000_000n),
        i32(2),
        str("m1"),
        str(null),
        str("c1"),
        str("/10.0.0.1"),
        i32(300_000),
        i32(45_000),
        bytes(Buffer.from([1, 2])),
        bytes(Buffer.from([3])),
        str("m2"),
        str("i2"),
        str("c2"),
        str("/10.0.0.2"),
        i32(60_000),
        i32(10_000),
        bytes(Buffer.alloc(0)),
        bytes(Buffer.alloc(0)),
      ]),
    );
    const back = decodeGroupStoreEntry(rec.key, rec.value);
    expect(back).toEqual(entry);
  });

  it("reads an empty group's metadata (null protocol and leader) and GroupMetadataValue v0", () => {
    const key = Buffer.concat([i16(2), str("g")]);
    const v0 = Buffer.concat([i16(0), str("consumer"), i32(3), str(null), str(null), i32(0)]);
    expect(decodeGroupStoreEntry(key, v0)).toEqual({ kind: "group", groupId: "g", value: { protocolType: "consumer", generation: 3, protocol: null, leader: null, currentStateTimestamp: -1, members: [] } });
  });

  it("tombstones round-trip as null values", () => {
    for (const entry of [
      { kind: "offset", groupId: "g", topic: "t", partition: 1, value: null },
      { kind: "group", groupId: "g", value: null },
    ] satisfies GroupStoreEntry[]) {
      const rec = encodeGroupStoreEntry(entry);
      expect(rec.value).toBeNull();
      expect(decodeGroupStoreEntry(rec.key, null)).toEqual(entry);
    }
  });

  it("skips records of the KIP-848 and share group types, fails on corrupt bytes", () => {
    expect(decodeGroupStoreEntry(Buffer.concat([i16(3), str("g")]), Buffer.from([0, 0]))).toBeNull();
    expect(decodeGroupStoreEntry(Buffer.concat([i16(11), str("g")]), null)).toBeNull();
    expect(() => decodeGroupStoreEntry(Buffer.concat([i16(1), str("g")]), null)).toThrow(ProtocolDecodeError);
    expect(() => decodeGroupStoreEntry(Buffer.concat([i16(2), str("g")]), Buffer.from([0, 3, 0]))).toThrow(ProtocolDecodeError);
  });

  it("places groups in partitions as Kafka does (abs(String.hashCode) % partitions)", () => {
    expect(partitionForGroup("hello", 50)).toBe(22); // "hello".hashCode() == 99162322
    expect(partitionForGroup("abc", 50)).toBe(4); // 96354
    expect(partitionForGroup("my-group", 50)).toBe(12); // -1906497762
    expect(partitionForGroup("polygenelubricants", 50)).toBe(0); // Integer.MIN_VALUE: Utils.abs gives 0
    expect(partitionForGroup("", 50)).toBe(0);
    expect(partitionForGroup("any", 1)).toBe(0);
  });
});

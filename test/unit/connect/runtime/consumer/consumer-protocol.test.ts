// The consumer group protocol's subscription and assignment bytes: what we write reads back,
// and the layouts of other versions (a v0 subscription as old clients write it, a version
// newer than we know) read as Kafka reads them.
import { describe, expect, it } from "vitest";
import { decodeAssignment, decodeSubscription, encodeAssignment, encodeSubscription } from "../../../../../connect/runtime/consumer/consumer-protocol.ts";
import { parseSubscriptionTopics } from "../../../../../broker/coordinator/group/consumer-protocol.ts";

/** int16 length + UTF-8. */
const str = (s: string): Buffer => {
  const b = Buffer.from(s, "utf8");
  const len = Buffer.alloc(2);
  len.writeInt16BE(b.length);
  return Buffer.concat([len, b]);
};
const i16 = (n: number): Buffer => {
  const b = Buffer.alloc(2);
  b.writeInt16BE(n);
  return b;
};
const i32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};

describe("subscription", () => {
  it("round-trips, and the broker's reader sees its topics", () => {
    const bytes = encodeSubscription({ topics: ["a", "b"], userData: null, ownedPartitions: [{ topic: "a", partitions: [0, 2] }], generationId: 7, rackId: "r1" });
    expect(bytes.readInt16BE(0)).toBe(3);
    expect(decodeSubscription(bytes)).toEqual({ topics: ["a", "b"], userData: null, ownedPartitions: [{ topic: "a", partitions: [0, 2] }], generationId: 7, rackId: "r1" });
    expect(parseSubscriptionTopics(bytes)).toEqual(["a", "b"]);
  });

  it("reads a version 0 subscription (topics and user data only)", () => {
    const v0 = Buffer.concat([i16(0), i32(1), str("orders"), i32(3), Buffer.from("xyz")]);
    expect(decodeSubscription(v0)).toEqual({ topics: ["orders"], userData: Buffer.from("xyz"), ownedPartitions: [], generationId: -1, rackId: null });
  });

  it("reads a version newer than it knows with the newest layout it knows", () => {
    const v9 = Buffer.concat([i16(9), i32(1), str("t"), i32(-1), i32(0), i32(4), i16(-1), Buffer.from("future fields")]);
    expect(decodeSubscription(v9).topics).toEqual(["t"]);
  });
});

describe("assignment", () => {
  it("round-trips, and an empty assignment (a member the leader left out) is empty", () => {
    const bytes = encodeAssignment({ partitions: [{ topic: "t", partitions: [1, 3] }], userData: null });
    expect(decodeAssignment(bytes)).toEqual({ partitions: [{ topic: "t", partitions: [1, 3] }], userData: null });
    expect(decodeAssignment(Buffer.alloc(0))).toEqual({ partitions: [], userData: null });
  });

  it("reads a version 0 assignment", () => {
    const v0 = Buffer.concat([i16(0), i32(1), str("t"), i32(2), i32(0), i32(1), i32(-1)]);
    expect(decodeAssignment(v0)).toEqual({ partitions: [{ topic: "t", partitions: [0, 1] }], userData: null });
  });
});

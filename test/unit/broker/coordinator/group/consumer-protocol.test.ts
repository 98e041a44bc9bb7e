import { describe, expect, it } from "vitest";
import { parseSubscriptionTopics } from "../../../../../broker/coordinator/group/consumer-protocol.ts";
import { subscription } from "./helpers.ts";

describe("ConsumerProtocolSubscription topics", () => {
  it("reads the topics of every version the Java consumer writes", () => {
    for (const v of [0, 1, 2, 3]) expect(parseSubscriptionTopics(subscription(["orders", "users", "ünïcode"], v))).toEqual(["orders", "users", "ünïcode"]);
    expect(parseSubscriptionTopics(subscription([], 3))).toEqual([]);
  });

  it("reads the prefix of a future version with extra fields", () => {
    const future = Buffer.concat([subscription(["a"], 3), Buffer.from([1, 2, 3, 4])]);
    future.writeInt16BE(9, 0);
    expect(parseSubscriptionTopics(future)).toEqual(["a"]);
  });

  it("returns null for bytes that are not a subscription", () => {
    expect(parseSubscriptionTopics(Buffer.alloc(0))).toBeNull();
    expect(parseSubscriptionTopics(Buffer.from("{\"url\":\"http://w1:8083\"}"))).toBeNull();
    expect(parseSubscriptionTopics(Buffer.from([0, 0, 0, 0, 0, 1, 0, 5, 97]))).toBeNull(); // string longer than the buffer
    expect(parseSubscriptionTopics(Buffer.from([0xff, 0xff, 0, 0, 0, 0]))).toBeNull(); // negative version
  });
});

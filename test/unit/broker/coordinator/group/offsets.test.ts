import { describe, expect, it } from "vitest";
import type { OffsetCommitRequest } from "../../../../../broker/coordinator/group/types.ts";
import { GroupStoreError } from "../../../../../broker/coordinator/group/store.ts";
import type { Harness } from "./helpers.ts";
import { ErrorCode, formGroup, joinRequest, setup, subscription, track } from "./helpers.ts";

function commit(h: Harness, offsets: Record<string, Record<number, bigint>>, extra: Partial<OffsetCommitRequest> = {}) {
  return h.coordinator.commitOffsets({
    groupId: "g",
    generationId: -1,
    memberId: "",
    groupInstanceId: null,
    topics: Object.entries(offsets).map(([name, parts]) => ({
      name,
      partitions: Object.entries(parts).map(([p, offset]) => ({ partitionIndex: Number(p), committedOffset: offset, committedLeaderEpoch: 4, committedMetadata: `meta-${p}` })),
    })),
    ...extra,
  });
}

function codes(r: { topics: { name: string; partitions: { partitionIndex: number; errorCode: number }[] }[] }): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of r.topics) for (const p of t.partitions) out[`${t.name}-${p.partitionIndex}`] = p.errorCode;
  return out;
}

describe("group coordinator: offsets", () => {
  it("standalone commits (generation -1) create a group without protocol; fetch returns them, -1 for the rest", async () => {
    const h = setup();
    const r = await commit(h, { orders: { 0: 10n, 1: 20n }, users: { 0: 7n } });
    expect(codes(r)).toEqual({ "orders-0": 0, "orders-1": 0, "users-0": 0 });
    expect(h.coordinator.inspectGroup("g")).toMatchObject({ state: "Empty", protocolType: null });

    const f = h.coordinator.fetchOffsets("g", [{ name: "orders", partitionIndexes: [1, 2] }, { name: "nothing", partitionIndexes: [0] }]);
    expect(f).toEqual({
      errorCode: 0,
      topics: [
        {
          name: "orders",
          partitions: [
            { partitionIndex: 1, committedOffset: 20n, committedLeaderEpoch: 4, metadata: "meta-1", errorCode: 0 },
            { partitionIndex: 2, committedOffset: -1n, committedLeaderEpoch: -1, metadata: "", errorCode: 0 },
          ],
        },
        { name: "nothing", partitions: [{ partitionIndex: 0, committedOffset: -1n, committedLeaderEpoch: -1, metadata: "", errorCode: 0 }] },
      ],
    });
    // All topics (OffsetFetch v2+ with null topics).
    const all = h.coordinator.fetchOffsets("g", null);
    expect(all.topics.map((t) => [t.name, t.partitions.map((p) => [p.partitionIndex, p.committedOffset])])).toEqual([
      ["orders", [[0, 10n], [1, 20n]]],
      ["users", [[0, 7n]]],
    ]);
    // Unknown group: -1 everywhere, no error; all-topics is empty.
    expect(h.coordinator.fetchOffsets("unknown", [{ name: "orders", partitionIndexes: [0] }]).topics[0]!.partitions[0]!.committedOffset).toBe(-1n);
    expect(h.coordinator.fetchOffsets("unknown", null)).toEqual({ errorCode: 0, topics: [] });

    // A later commit replaces the offset; null metadata is stored as "".
    await h.coordinator.commitOffsets({ groupId: "g", generationId: -1, memberId: "", groupInstanceId: null, topics: [{ name: "orders", partitions: [{ partitionIndex: 0, committedOffset: 11n, committedMetadata: null }] }] });
    expect(h.coordinator.fetchOffsets("g", [{ name: "orders", partitionIndexes: [0] }]).topics[0]!.partitions[0]).toEqual({ partitionIndex: 0, committedOffset: 11n, committedLeaderEpoch: -1, metadata: "", errorCode: 0 });
  });

  it("metadata over offset.metadata.max.bytes fails that partition only", async () => {
    const h = setup({ "offset.metadata.max.bytes": 10 });
    const r = await h.coordinator.commitOffsets({
      groupId: "g",
      generationId: -1,
      memberId: "",
      groupInstanceId: null,
      topics: [{ name: "t", partitions: [{ partitionIndex: 0, committedOffset: 1n, committedMetadata: "0123456789" }, { partitionIndex: 1, committedOffset: 1n, committedMetadata: "0123456789x" }] }],
    });
    expect(codes(r)).toEqual({ "t-0": ErrorCode.NONE, "t-1": ErrorCode.OFFSET_METADATA_TOO_LARGE });
    expect(h.coordinator.inspectGroup("g")?.offsets.map((o) => o.partition)).toEqual([0]);
  });

  it("a commit is answered only once the store has accepted it, and is invisible until then", async () => {
    const h = setup();
    h.store.hold();
    const pending = track(commit(h, { t: { 0: 5n } }));
    await h.clock.advanceAsync(0);
    expect(pending.done).toBe(false);
    expect(h.coordinator.fetchOffsets("g", [{ name: "t", partitionIndexes: [0] }]).topics[0]!.partitions[0]!.committedOffset).toBe(-1n);
    expect(h.coordinator.fetchOffsets("g", [{ name: "t", partitionIndexes: [0] }], true).topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.UNSTABLE_OFFSET_COMMIT);
    h.store.release();
    expect(codes(await pending.promise)).toEqual({ "t-0": 0 });
    expect(h.coordinator.fetchOffsets("g", [{ name: "t", partitionIndexes: [0] }]).topics[0]!.partitions[0]!.committedOffset).toBe(5n);
  });

  it("a failed store write fails the commit and leaves the previous offset", async () => {
    const h = setup();
    await commit(h, { t: { 0: 5n } });
    h.store.failNext(new Error("io"));
    expect(codes(await commit(h, { t: { 0: 6n } }))).toEqual({ "t-0": ErrorCode.COORDINATOR_NOT_AVAILABLE });
    h.store.failNext(new GroupStoreError("too big", ErrorCode.MESSAGE_TOO_LARGE));
    expect(codes(await commit(h, { t: { 0: 6n } }))).toEqual({ "t-0": ErrorCode.INVALID_COMMIT_OFFSET_SIZE });
    expect(h.coordinator.fetchOffsets("g", [{ name: "t", partitionIndexes: [0] }]).topics[0]!.partitions[0]!.committedOffset).toBe(5n);
  });

  it("members commit with their generation; outsiders cannot commit to a group with members", async () => {
    const h = setup();
    const { memberIds, generationId } = await formGroup(h, 1);
    const ok = await commit(h, { t: { 0: 1n } }, { generationId, memberId: memberIds[0]! });
    expect(codes(ok)).toEqual({ "t-0": 0 });
    const outsider = await commit(h, { t: { 0: 2n } });
    expect(codes(outsider)).toEqual({ "t-0": ErrorCode.UNKNOWN_MEMBER_ID });
    expect(h.store.log.filter((e) => e.kind === "offset")).toHaveLength(1);
  });

  it("deleteOffsets on an empty group deletes them; deleting the last ones deletes the group", async () => {
    const h = setup();
    await commit(h, { a: { 0: 1n, 1: 2n }, b: { 0: 3n } });
    const r = await h.coordinator.deleteOffsets("g", [{ name: "a", partitionIndexes: [0, 1, 9] }]);
    expect(r.errorCode).toBe(0);
    expect(codes(r)).toEqual({ "a-0": 0, "a-1": 0, "a-9": 0 });
    expect(h.coordinator.fetchOffsets("g", null).topics.map((t) => t.name)).toEqual(["b"]);
    // Tombstones for what existed.
    expect(h.store.log.slice(-2)).toEqual([
      { kind: "offset", groupId: "g", topic: "a", partition: 0, value: null },
      { kind: "offset", groupId: "g", topic: "a", partition: 1, value: null },
    ]);
    await h.coordinator.deleteOffsets("g", [{ name: "b", partitionIndexes: [0] }]);
    expect(h.coordinator.inspectGroup("g")).toBeUndefined();
    expect(h.store.log.at(-1)).toEqual({ kind: "group", groupId: "g", value: null });
    expect(await h.coordinator.deleteOffsets("g", [{ name: "b", partitionIndexes: [0] }])).toEqual({ errorCode: ErrorCode.GROUP_ID_NOT_FOUND, topics: [] });
  });

  it("deleteOffsets on an active consumer group: GROUP_SUBSCRIBED_TO_TOPIC for subscribed topics, deleted otherwise", async () => {
    const h = setup();
    const { memberIds, generationId } = await formGroup(h, 2, { protocols: [{ name: "range", metadata: subscription(["orders", "users"]) }] });
    await commit(h, { orders: { 0: 1n }, old: { 0: 2n } }, { generationId, memberId: memberIds[0]! });
    const r = await h.coordinator.deleteOffsets("g", [{ name: "orders", partitionIndexes: [0] }, { name: "old", partitionIndexes: [0] }]);
    expect(codes(r)).toEqual({ "orders-0": ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC, "old-0": 0 });
    expect(h.coordinator.fetchOffsets("g", null).topics.map((t) => t.name)).toEqual(["orders"]);
  });

  it("deleteOffsets on a non-empty group of another protocol type: NON_EMPTY_GROUP", async () => {
    const h = setup();
    await formGroup(h, 1, { protocolType: "connect", protocols: [{ name: "sessioned", metadata: Buffer.from("worker") }] });
    expect(await h.coordinator.deleteOffsets("g", [{ name: "t", partitionIndexes: [0] }])).toEqual({ errorCode: ErrorCode.NON_EMPTY_GROUP, topics: [] });
  });

  it("a commit still in flight when its offset (or group) is deleted does not come back", async () => {
    const h = setup();
    await commit(h, { t: { 0: 1n } });
    h.store.hold();
    const inFlight = commit(h, { t: { 0: 2n, 1: 5n } });
    const del = h.coordinator.deleteGroups(["g"]);
    h.store.release();
    expect(codes(await inFlight)).toEqual({ "t-0": 0, "t-1": 0 });
    expect(await del).toEqual([{ groupId: "g", errorCode: 0 }]);
    expect(h.coordinator.inspectGroup("g")).toBeUndefined();
    // The log ends with tombstones for both partitions (t-1 only existed as a pending commit).
    const tail = h.store.log.slice(-3);
    expect(tail).toEqual([
      { kind: "offset", groupId: "g", topic: "t", partition: 0, value: null },
      { kind: "offset", groupId: "g", topic: "t", partition: 1, value: null },
      { kind: "group", groupId: "g", value: null },
    ]);
  });

  it("offsets expire per offsets.retention.minutes: standalone groups by commit time, empty groups from when they emptied", async () => {
    const h = setup({ "offsets.retention.minutes": 1 });
    await commit(h, { t: { 0: 1n } }); // standalone group "g"
    const { memberIds, generationId } = await formGroup(h, 1, { groupId: "consumers", sessionTimeoutMs: 120_000 });
    await commit(h, { t: { 0: 1n } }, { groupId: "consumers", generationId, memberId: memberIds[0]! });
    await h.clock.advanceAsync(30_000);
    h.coordinator.heartbeat({ groupId: "consumers", memberId: memberIds[0]!, generationId, groupInstanceId: null });
    await h.clock.advanceAsync(30_000);
    expect(await h.coordinator.expireOffsets()).toBe(1);
    expect(h.coordinator.inspectGroup("g")).toBeUndefined();
    // The consumer group is Stable and subscribed to t: its offset stays.
    expect(h.coordinator.inspectGroup("consumers")?.offsets).toHaveLength(1);
    h.coordinator.leaveGroup({ groupId: "consumers", members: [{ memberId: memberIds[0]!, groupInstanceId: null }] });
    await h.clock.advanceAsync(0);
    expect(h.coordinator.inspectGroup("consumers")?.state).toBe("Empty");
    await h.clock.advanceAsync(59_000);
    expect(await h.coordinator.expireOffsets()).toBe(0);
    await h.clock.advanceAsync(1_000);
    expect(await h.coordinator.expireOffsets()).toBe(1);
    expect(h.coordinator.inspectGroup("consumers")).toBeUndefined();
  });

  it("startup() runs the retention pass every offsets.retention.check.interval.ms", async () => {
    const h = setup({ "offsets.retention.minutes": 1, "offsets.retention.check.interval.ms": 10_000 });
    h.coordinator.startup();
    await commit(h, { t: { 0: 1n } });
    await h.clock.advanceAsync(59_999);
    expect(h.coordinator.inspectGroup("g")?.offsets).toHaveLength(1);
    await h.clock.advanceAsync(1);
    expect(h.coordinator.inspectGroup("g")).toBeUndefined();
    h.coordinator.shutdown();
    expect(h.clock.pending).toBe(0);
  });

  it("removeOffsetsForTopics forgets a deleted topic in every group", async () => {
    const h = setup();
    await commit(h, { t: { 0: 1n }, keep: { 0: 1n } });
    await commit(h, { t: { 0: 1n } }, { groupId: "other" });
    expect(await h.coordinator.removeOffsetsForTopics(["t"])).toBe(2);
    expect(h.coordinator.fetchOffsets("g", null).topics.map((t) => t.name)).toEqual(["keep"]);
    expect(h.coordinator.inspectGroup("other")).toBeUndefined();
  });

  it("a member's commit during PreparingRebalance is accepted and extends its session", async () => {
    const h = setup();
    const { memberIds, generationId } = await formGroup(h, 2);
    void h.coordinator.joinGroup(joinRequest());
    expect(h.coordinator.inspectGroup("g")?.state).toBe("PreparingRebalance");
    expect(codes(await commit(h, { t: { 0: 9n } }, { generationId, memberId: memberIds[1]! }))).toEqual({ "t-0": 0 });
  });
});

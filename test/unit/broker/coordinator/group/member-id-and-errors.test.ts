// KIP-394 (MEMBER_ID_REQUIRED on JoinGroup v4+) and the errors members get for stale or
// unknown ids, wrong generations and bad requests.
import { describe, expect, it } from "vitest";
import { ErrorCode, INITIAL_DELAY, SESSION, formGroup, heartbeat, joinRequest, setup, track } from "./helpers.ts";

describe("group coordinator: MEMBER_ID_REQUIRED (KIP-394)", () => {
  it("a new dynamic member first gets its id with MEMBER_ID_REQUIRED, then joins with it", async () => {
    const h = setup();
    const first = await h.coordinator.joinGroup(joinRequest({ requireKnownMemberId: true, clientId: "consumer-1" }));
    expect(first).toEqual({ errorCode: ErrorCode.MEMBER_ID_REQUIRED, generationId: -1, protocolType: null, protocolName: null, leader: "", skipAssignment: false, memberId: first.memberId, members: [] });
    expect(first.memberId).toMatch(/^consumer-1-/);
    expect(h.coordinator.inspectGroup("g")).toMatchObject({ state: "Empty", pendingMembers: [first.memberId], members: [] });

    const second = track(h.coordinator.joinGroup(joinRequest({ requireKnownMemberId: true, memberId: first.memberId })));
    await h.clock.advanceAsync(INITIAL_DELAY);
    expect(await second.promise).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1, memberId: first.memberId, leader: first.memberId });
    expect(h.coordinator.inspectGroup("g")?.pendingMembers).toEqual([]);
  });

  it("a pending member holds the join phase until it joins or its session times out", async () => {
    const h = setup();
    const { memberIds } = await formGroup(h, 1);
    const pending = await h.coordinator.joinGroup(joinRequest({ requireKnownMemberId: true }));
    expect(pending.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
    // The leader rejoins: everybody but the pending member has joined, so the phase waits.
    const leaderJoin = track(h.coordinator.joinGroup(joinRequest({ memberId: memberIds[0]! })));
    await h.clock.advanceAsync(SESSION - 1);
    expect(leaderJoin.done).toBe(false);
    // The pending member never comes back: its id expires and the rebalance completes without it.
    await h.clock.advanceAsync(1);
    const r = await leaderJoin.promise;
    expect(r).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 2 });
    expect(r.members).toHaveLength(1);
    // Too late now.
    expect((await h.coordinator.joinGroup(joinRequest({ memberId: pending.memberId }))).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it("a pending member that joins completes the rebalance at once", async () => {
    const h = setup();
    const { memberIds } = await formGroup(h, 1);
    const pending = await h.coordinator.joinGroup(joinRequest({ requireKnownMemberId: true }));
    const leaderJoin = track(h.coordinator.joinGroup(joinRequest({ memberId: memberIds[0]! })));
    await h.clock.advanceAsync(10);
    const newJoin = await h.coordinator.joinGroup(joinRequest({ requireKnownMemberId: true, memberId: pending.memberId }));
    expect(newJoin.generationId).toBe(2);
    expect((await leaderJoin.promise).members).toHaveLength(2);
  });

  it("a pending member can leave", async () => {
    const h = setup();
    const pending = await h.coordinator.joinGroup(joinRequest({ requireKnownMemberId: true }));
    expect(h.coordinator.leaveGroup({ groupId: "g", members: [{ memberId: pending.memberId, groupInstanceId: null }] }).members[0]!.errorCode).toBe(ErrorCode.NONE);
    expect(h.coordinator.inspectGroup("g")?.pendingMembers).toEqual([]);
  });
});

describe("group coordinator: errors", () => {
  it("rejects session timeouts outside group.min/max.session.timeout.ms", async () => {
    const h = setup({ "group.min.session.timeout.ms": 6000, "group.max.session.timeout.ms": 300_000 });
    expect((await h.coordinator.joinGroup(joinRequest({ sessionTimeoutMs: 5999 }))).errorCode).toBe(ErrorCode.INVALID_SESSION_TIMEOUT);
    expect((await h.coordinator.joinGroup(joinRequest({ sessionTimeoutMs: 300_001 }))).errorCode).toBe(ErrorCode.INVALID_SESSION_TIMEOUT);
    expect(h.coordinator.inspectGroup("g")).toBeUndefined();
  });

  it("rejects an empty group id where Kafka does", async () => {
    const h = setup();
    expect((await h.coordinator.joinGroup(joinRequest({ groupId: "" }))).errorCode).toBe(ErrorCode.INVALID_GROUP_ID);
    expect(h.coordinator.heartbeat({ groupId: "", memberId: "m", generationId: 1, groupInstanceId: null }).errorCode).toBe(ErrorCode.INVALID_GROUP_ID);
    expect((await h.coordinator.syncGroup({ groupId: "", memberId: "m", generationId: 1, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] })).errorCode).toBe(ErrorCode.INVALID_GROUP_ID);
    expect(h.coordinator.leaveGroup({ groupId: "", members: [] }).errorCode).toBe(ErrorCode.INVALID_GROUP_ID);
    // Offsets of the "" group are allowed (backwards compatibility), as in Kafka.
    const c = await h.coordinator.commitOffsets({ groupId: "", generationId: -1, memberId: "", groupInstanceId: null, topics: [{ name: "t", partitions: [{ partitionIndex: 0, committedOffset: 1n, committedMetadata: null }] }] });
    expect(c.topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.NONE);
  });

  it("unknown members and groups: UNKNOWN_MEMBER_ID", async () => {
    const h = setup();
    expect((await h.coordinator.joinGroup(joinRequest({ memberId: "ghost" }))).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(heartbeat(h, "ghost", 1, "nope")).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect((await h.coordinator.syncGroup({ groupId: "nope", memberId: "ghost", generationId: 1, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] })).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(h.coordinator.leaveGroup({ groupId: "nope", members: [{ memberId: "ghost", groupInstanceId: null }] })).toEqual({ errorCode: ErrorCode.NONE, members: [{ memberId: "ghost", groupInstanceId: null, errorCode: ErrorCode.UNKNOWN_MEMBER_ID }] });

    await formGroup(h, 1);
    expect((await h.coordinator.joinGroup(joinRequest({ memberId: "ghost" }))).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(heartbeat(h, "ghost", 1)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect((await h.coordinator.syncGroup({ groupId: "g", memberId: "ghost", generationId: 1, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] })).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    const c = await h.coordinator.commitOffsets({ groupId: "g", generationId: 1, memberId: "ghost", groupInstanceId: null, topics: [{ name: "t", partitions: [{ partitionIndex: 0, committedOffset: 1n, committedMetadata: null }] }] });
    expect(c.topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it("wrong generation: ILLEGAL_GENERATION on heartbeat, sync and commit", async () => {
    const h = setup();
    const { memberIds } = await formGroup(h, 1);
    const m = memberIds[0]!;
    expect(heartbeat(h, m, 0)).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(heartbeat(h, m, 2)).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect((await h.coordinator.syncGroup({ groupId: "g", memberId: m, generationId: 7, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] })).errorCode).toBe(ErrorCode.ILLEGAL_GENERATION);
    const c = await h.coordinator.commitOffsets({ groupId: "g", generationId: 3, memberId: m, groupInstanceId: null, topics: [{ name: "t", partitions: [{ partitionIndex: 0, committedOffset: 1n, committedMetadata: null }] }] });
    expect(c.topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.ILLEGAL_GENERATION);
    // A commit with a generation for a group that does not exist: a member of a lost generation.
    const lost = await h.coordinator.commitOffsets({ groupId: "gone", generationId: 3, memberId: "x", groupInstanceId: null, topics: [{ name: "t", partitions: [{ partitionIndex: 0, committedOffset: 1n, committedMetadata: null }] }] });
    expect(lost.topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.ILLEGAL_GENERATION);
  });

  it("sync during PreparingRebalance: REBALANCE_IN_PROGRESS; mismatched protocol: INCONSISTENT_GROUP_PROTOCOL", async () => {
    const h = setup();
    const { memberIds } = await formGroup(h, 2);
    const m = memberIds[1]!;
    expect((await h.coordinator.syncGroup({ groupId: "g", memberId: m, generationId: 1, groupInstanceId: null, protocolType: "connect", protocolName: null, assignments: [] })).errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    expect((await h.coordinator.syncGroup({ groupId: "g", memberId: m, generationId: 1, groupInstanceId: null, protocolType: "consumer", protocolName: "roundrobin", assignments: [] })).errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    void h.coordinator.joinGroup(joinRequest());
    expect((await h.coordinator.syncGroup({ groupId: "g", memberId: m, generationId: 1, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] })).errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
  });

  it("commits during CompletingRebalance: REBALANCE_IN_PROGRESS", async () => {
    const h = setup();
    const join = h.coordinator.joinGroup(joinRequest());
    await h.clock.advanceAsync(INITIAL_DELAY);
    const j = await join;
    const c = await h.coordinator.commitOffsets({ groupId: "g", generationId: 1, memberId: j.memberId, groupInstanceId: null, topics: [{ name: "t", partitions: [{ partitionIndex: 0, committedOffset: 1n, committedMetadata: null }] }] });
    expect(c.topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
  });

  it("group.max.size: members beyond it get GROUP_MAX_SIZE_REACHED", async () => {
    const h = setup({ "group.max.size": 2 });
    const joins = [0, 1, 2].map(() => h.coordinator.joinGroup(joinRequest()));
    await h.clock.advanceAsync(2 * INITIAL_DELAY);
    const results = await Promise.all(joins);
    expect(results.map((r) => r.errorCode)).toEqual([ErrorCode.NONE, ErrorCode.NONE, ErrorCode.GROUP_MAX_SIZE_REACHED]);
    expect(results[2]!.memberId).toBe("");
    // Also once the group is formed.
    expect((await h.coordinator.joinGroup(joinRequest())).errorCode).toBe(ErrorCode.GROUP_MAX_SIZE_REACHED);
  });

  it("a repeated JoinGroup from the same member answers the earlier one instead of leaving it hanging", async () => {
    const h = setup();
    const { memberIds } = await formGroup(h, 2);
    const r1 = track(h.coordinator.joinGroup(joinRequest({ memberId: memberIds[0]! })));
    const r1again = track(h.coordinator.joinGroup(joinRequest({ memberId: memberIds[0]! })));
    await h.clock.advanceAsync(0);
    expect(r1.done).toBe(true);
    expect((await r1.promise).errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    expect(r1again.done).toBe(false);
    // The group completes with the second request of member 0.
    await h.coordinator.joinGroup(joinRequest({ memberId: memberIds[1]! }));
    expect(await r1again.promise).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 2 });
  });

  it("after shutdown, requests get COORDINATOR_NOT_AVAILABLE and parked ones NOT_COORDINATOR", async () => {
    const h = setup();
    const join = h.coordinator.joinGroup(joinRequest());
    h.coordinator.shutdown();
    expect((await join).errorCode).toBe(ErrorCode.NOT_COORDINATOR);
    expect((await h.coordinator.joinGroup(joinRequest())).errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    expect(h.clock.pending).toBe(0);
  });
});

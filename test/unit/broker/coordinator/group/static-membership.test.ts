// KIP-345 static membership (group.instance.id) and KIP-814 skipAssignment.
import { describe, expect, it } from "vitest";
import type { Harness } from "./helpers.ts";
import { ErrorCode, INITIAL_DELAY, REBALANCE, SESSION, assignmentFor, heartbeat, joinRequest, setup, syncAll, track } from "./helpers.ts";

async function formStaticGroup(h: Harness, instances: string[]) {
  const joins = instances.map((id) => h.coordinator.joinGroup(joinRequest({ groupInstanceId: id, clientId: `client-${id}`, requireKnownMemberId: true })));
  await h.clock.advanceAsync(2 * INITIAL_DELAY);
  const results = await Promise.all(joins);
  const leader = results[0]!.leader;
  const memberIds = results.map((r) => r.memberId);
  await syncAll(h, "g", 1, leader, memberIds);
  return { memberIds, leader };
}

describe("group coordinator: static membership", () => {
  it("static members skip MEMBER_ID_REQUIRED and get ids derived from their instance id", async () => {
    const h = setup();
    const { memberIds, leader } = await formStaticGroup(h, ["a", "b"]);
    expect(memberIds[0]).toMatch(/^a-/);
    expect(memberIds[1]).toMatch(/^b-/);
    expect(leader).toBe(memberIds[0]);
    expect(h.coordinator.inspectGroup("g")?.members.map((m) => m.groupInstanceId)).toEqual(["a", "b"]);
  });

  it("a restarted static follower with the same metadata takes its place without a rebalance; the old id is fenced", async () => {
    const h = setup();
    const { memberIds, leader } = await formStaticGroup(h, ["a", "b"]);
    const restarted = await h.coordinator.joinGroup(joinRequest({ groupInstanceId: "b", clientId: "client-b", requireKnownMemberId: true }));
    expect(restarted).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1, leader, protocolName: "range", members: [], skipAssignment: false });
    expect(restarted.memberId).not.toBe(memberIds[1]);
    expect(restarted.memberId).toMatch(/^b-/);
    const g = h.coordinator.inspectGroup("g")!;
    expect(g).toMatchObject({ state: "Stable", generationId: 1 });
    // It keeps the assignment of the instance it replaces.
    const sync = await h.coordinator.syncGroup({ groupId: "g", generationId: 1, memberId: restarted.memberId, groupInstanceId: "b", protocolType: "consumer", protocolName: "range", assignments: [] });
    expect(sync.assignment).toEqual(assignmentFor(memberIds[1]!));
    // The previous incarnation is a zombie now.
    expect(heartbeat(h, memberIds[1]!, 1, "g", "b")).toBe(ErrorCode.FENCED_INSTANCE_ID);
    expect((await h.coordinator.syncGroup({ groupId: "g", generationId: 1, memberId: memberIds[1]!, groupInstanceId: "b", protocolType: null, protocolName: null, assignments: [] })).errorCode).toBe(ErrorCode.FENCED_INSTANCE_ID);
    const commit = await h.coordinator.commitOffsets({ groupId: "g", generationId: 1, memberId: memberIds[1]!, groupInstanceId: "b", topics: [{ name: "t", partitions: [{ partitionIndex: 0, committedOffset: 1n, committedMetadata: "" }] }] });
    expect(commit.topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.FENCED_INSTANCE_ID);
    expect(h.coordinator.leaveGroup({ groupId: "g", members: [{ memberId: memberIds[1]!, groupInstanceId: "b" }] }).members[0]!.errorCode).toBe(ErrorCode.FENCED_INSTANCE_ID);
    expect(heartbeat(h, restarted.memberId, 1, "g", "b")).toBe(ErrorCode.NONE);
    // The replacement was persisted (so a coordinator restart knows the new id).
    expect(h.store.log.at(-1)).toMatchObject({ kind: "group", value: { generation: 1, members: [{ memberId: memberIds[0] }, { memberId: restarted.memberId, groupInstanceId: "b" }] } });
  });

  it("a restarted static leader is told the old leader id (JoinGroup < v9) so it does not run the assignor", async () => {
    const h = setup();
    const { memberIds, leader } = await formStaticGroup(h, ["a", "b"]);
    const restarted = await h.coordinator.joinGroup(joinRequest({ groupInstanceId: "a", clientId: "client-a", requireKnownMemberId: true }));
    expect(restarted).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1, leader, members: [], skipAssignment: false });
    expect(restarted.memberId).not.toBe(leader);
    expect(h.coordinator.inspectGroup("g")).toMatchObject({ state: "Stable", leaderId: restarted.memberId });
    void memberIds;
  });

  it("a restarted static leader learns it leads but skips the assignment (JoinGroup v9, KIP-814)", async () => {
    const h = setup();
    const { memberIds } = await formStaticGroup(h, ["a", "b"]);
    const restarted = await h.coordinator.joinGroup(joinRequest({ groupInstanceId: "a", clientId: "client-a", requireKnownMemberId: true, supportSkippingAssignment: true }));
    expect(restarted).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1, leader: restarted.memberId, skipAssignment: true });
    expect(restarted.members.map((m) => [m.groupInstanceId, m.memberId]).sort()).toEqual([
      ["a", restarted.memberId],
      ["b", memberIds[1]],
    ]);
    expect(h.coordinator.inspectGroup("g")?.state).toBe("Stable");
  });

  it("a restarted static member rebalances only when the group's selected protocol would change", async () => {
    const h = setup();
    const both = [{ name: "range", metadata: Buffer.from("x") }, { name: "roundrobin", metadata: Buffer.from("x") }];
    const reversed = [both[1]!, both[0]!];
    const joins = ["a", "b"].map((id) => h.coordinator.joinGroup(joinRequest({ groupInstanceId: id, protocols: both })));
    await h.clock.advanceAsync(2 * INITIAL_DELAY);
    const [a, b] = await Promise.all(joins);
    expect(a!.protocolName).toBe("range");
    await syncAll(h, "g", 1, a!.leader, [a!.memberId, b!.memberId]);

    // b now prefers roundrobin: one vote each, the tie keeps range (first vote in join order).
    const b2 = await h.coordinator.joinGroup(joinRequest({ groupInstanceId: "b", protocols: reversed }));
    expect(b2).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1, protocolName: "range" });
    expect(h.coordinator.inspectGroup("g")?.state).toBe("Stable");

    // a too: roundrobin would win, so the group must rebalance to switch.
    const a2 = track(h.coordinator.joinGroup(joinRequest({ groupInstanceId: "a", protocols: reversed })));
    expect(h.coordinator.inspectGroup("g")?.state).toBe("PreparingRebalance");
    await h.coordinator.joinGroup(joinRequest({ groupInstanceId: "b", memberId: b2.memberId, protocols: reversed }));
    const r = await a2.promise;
    expect(r).toMatchObject({ generationId: 2, protocolName: "roundrobin" });

    // A protocol nobody else supports is refused outright.
    const only = await h.coordinator.joinGroup(joinRequest({ groupInstanceId: "b", protocols: [{ name: "sticky", metadata: Buffer.alloc(0) }] }));
    expect(only.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  });

  it("a static member rejoining during CompletingRebalance restarts the rebalance", async () => {
    const h = setup();
    const joins = ["a", "b"].map((id) => h.coordinator.joinGroup(joinRequest({ groupInstanceId: id })));
    await h.clock.advanceAsync(2 * INITIAL_DELAY);
    const [a, b] = await Promise.all(joins);
    const bSync = h.coordinator.syncGroup({ groupId: "g", generationId: 1, memberId: b!.memberId, groupInstanceId: "b", protocolType: null, protocolName: null, assignments: [] });
    const bAgain = track(h.coordinator.joinGroup(joinRequest({ groupInstanceId: "b" })));
    // The old incarnation's parked sync is fenced.
    expect((await bSync).errorCode).toBe(ErrorCode.FENCED_INSTANCE_ID);
    expect(h.coordinator.inspectGroup("g")?.state).toBe("PreparingRebalance");
    const aAgain = await h.coordinator.joinGroup(joinRequest({ groupInstanceId: "a", memberId: a!.memberId }));
    expect(aAgain.generationId).toBe(2);
    expect((await bAgain.promise).generationId).toBe(2);
  });

  it("static members that miss a rebalance keep their membership until their session expires", async () => {
    const h = setup();
    const longSession = 60_000;
    const joins = ["a", "b"].map((id) => h.coordinator.joinGroup(joinRequest({ groupInstanceId: id, sessionTimeoutMs: longSession })));
    await h.clock.advanceAsync(2 * INITIAL_DELAY);
    const [a, b] = await Promise.all(joins);
    await syncAll(h, "g", 1, a!.leader, [a!.memberId, b!.memberId]);

    // a (the leader) rejoins; b is restarting and misses the whole rebalance timeout.
    const aJoin = track(h.coordinator.joinGroup(joinRequest({ groupInstanceId: "a", memberId: a!.memberId, sessionTimeoutMs: longSession })));
    await h.clock.advanceAsync(REBALANCE);
    const a2 = await aJoin.promise;
    expect(a2.generationId).toBe(2);
    // A dynamic member would have been dropped; b is kept in the new generation.
    expect(a2.members.map((m) => m.groupInstanceId)).toEqual(["a", "b"]);
    await h.coordinator.syncGroup({ groupId: "g", generationId: 2, memberId: a!.memberId, groupInstanceId: "a", protocolType: null, protocolName: null, assignments: [] });

    // b comes back with a new member id within its session: no rebalance, generation 2.
    const b2 = await h.coordinator.joinGroup(joinRequest({ groupInstanceId: "b", sessionTimeoutMs: longSession }));
    expect(b2).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 2 });
    expect(heartbeat(h, b2.memberId, 2, "g", "b")).toBe(ErrorCode.NONE);
    expect(SESSION).toBeLessThan(longSession);
  });

  it("a static member whose session expires is removed like any other", async () => {
    const h = setup();
    const { memberIds } = await formStaticGroup(h, ["a", "b"]);
    for (let t = 0; t < SESSION; t += 4000) {
      expect(heartbeat(h, memberIds[0]!, 1, "g", "a")).toBe(ErrorCode.NONE);
      await h.clock.advanceAsync(4000);
    }
    expect(h.coordinator.inspectGroup("g")?.members.map((m) => m.groupInstanceId)).toEqual(["a"]);
    expect(h.coordinator.inspectGroup("g")?.state).toBe("PreparingRebalance");
  });

  it("an administrator removes a static member by instance id alone (LeaveGroup v3+)", async () => {
    const h = setup();
    const { memberIds } = await formStaticGroup(h, ["a", "b"]);
    const r = h.coordinator.leaveGroup({ groupId: "g", members: [{ memberId: "", groupInstanceId: "b" }, { memberId: "", groupInstanceId: "nobody" }] });
    expect(r.members).toEqual([
      { memberId: "", groupInstanceId: "b", errorCode: ErrorCode.NONE },
      { memberId: "", groupInstanceId: "nobody", errorCode: ErrorCode.UNKNOWN_MEMBER_ID },
    ]);
    expect(h.coordinator.inspectGroup("g")?.members.map((m) => m.memberId)).toEqual([memberIds[0]]);
    expect(h.coordinator.inspectGroup("g")?.state).toBe("PreparingRebalance");
  });

  it("an instance id that does not belong to the member id is rejected", async () => {
    const h = setup();
    const { memberIds } = await formStaticGroup(h, ["a", "b"]);
    expect(heartbeat(h, memberIds[0]!, 1, "g", "b")).toBe(ErrorCode.FENCED_INSTANCE_ID);
    expect(heartbeat(h, memberIds[0]!, 1, "g", "zzz")).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect((await h.coordinator.joinGroup(joinRequest({ memberId: memberIds[0]!, groupInstanceId: "b" }))).errorCode).toBe(ErrorCode.FENCED_INSTANCE_ID);
  });

  it("a failed write of the replacement reverts it and answers with the error", async () => {
    const h = setup();
    const { memberIds } = await formStaticGroup(h, ["a", "b"]);
    h.store.failNext(new Error("disk gone"));
    const r = await h.coordinator.joinGroup(joinRequest({ groupInstanceId: "b" }));
    expect(r).toMatchObject({ errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, memberId: "" });
    expect(h.coordinator.inspectGroup("g")?.members.map((m) => m.memberId)).toEqual(memberIds);
    expect(heartbeat(h, memberIds[1]!, 1, "g", "b")).toBe(ErrorCode.NONE);
  });
});

import { describe, expect, it } from "vitest";
import { ErrorCode, INITIAL_DELAY, REBALANCE, assignmentFor, formGroup, heartbeat, joinRequest, setup, subscription, track } from "./helpers.ts";

describe("group coordinator: join, sync, heartbeat", () => {
  it("one member: join waits for the initial delay, leads, syncs its own assignment, heartbeats", async () => {
    const h = setup();
    const join = track(h.coordinator.joinGroup(joinRequest({ clientId: "solo" })));
    await h.clock.advanceAsync(INITIAL_DELAY - 1);
    expect(join.done).toBe(false);
    expect(h.coordinator.inspectGroup("g")?.state).toBe("PreparingRebalance");
    await h.clock.advanceAsync(1);
    const j = await join.promise;
    expect(j).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1, protocolType: "consumer", protocolName: "range", skipAssignment: false });
    expect(j.memberId).toMatch(/^solo-[0-9a-f-]{36}$/);
    expect(j.leader).toBe(j.memberId);
    expect(j.members).toEqual([{ memberId: j.memberId, groupInstanceId: null, metadata: subscription(["t"]) }]);
    expect(h.coordinator.inspectGroup("g")?.state).toBe("CompletingRebalance");

    const sync = await h.coordinator.syncGroup({
      groupId: "g",
      generationId: 1,
      memberId: j.memberId,
      groupInstanceId: null,
      protocolType: "consumer",
      protocolName: "range",
      assignments: [{ memberId: j.memberId, assignment: Buffer.from("all of t") }],
    });
    expect(sync).toEqual({ errorCode: ErrorCode.NONE, protocolType: "consumer", protocolName: "range", assignment: Buffer.from("all of t") });
    expect(h.coordinator.inspectGroup("g")?.state).toBe("Stable");
    expect(heartbeat(h, j.memberId, 1)).toBe(ErrorCode.NONE);

    // The generation was persisted with the member's metadata and assignment.
    const groupEntries = h.store.log.filter((e) => e.kind === "group");
    expect(groupEntries).toHaveLength(1);
    expect(groupEntries[0]).toMatchObject({
      groupId: "g",
      value: { protocolType: "consumer", generation: 1, protocol: "range", leader: j.memberId, members: [{ memberId: j.memberId, clientId: "solo", sessionTimeoutMs: 10_000, rebalanceTimeoutMs: REBALANCE }] },
    });
  });

  it("three members: the leader alone gets the member list; followers wait for the leader's assignment", async () => {
    const h = setup();
    const joins = [0, 1, 2].map((i) => h.coordinator.joinGroup(joinRequest({ clientId: `c${i}`, protocols: [{ name: "range", metadata: subscription([`t${i}`]) }] })));
    await h.clock.advanceAsync(2 * INITIAL_DELAY);
    const results = await Promise.all(joins);
    const leader = results[0]!.memberId;
    for (const r of results) {
      expect(r).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1, leader, protocolName: "range" });
      if (r.memberId === leader) {
        expect(r.members.map((m) => m.memberId)).toEqual(results.map((x) => x.memberId));
        expect(r.members.map((m) => m.metadata)).toEqual([0, 1, 2].map((i) => subscription([`t${i}`])));
      } else {
        expect(r.members).toEqual([]);
      }
    }
    const ids = results.map((r) => r.memberId);
    const followerSyncs = ids.slice(1).map((memberId) => track(h.coordinator.syncGroup({ groupId: "g", generationId: 1, memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] })));
    await h.clock.advanceAsync(1000);
    expect(followerSyncs.map((s) => s.done)).toEqual([false, false]);
    // Followers waiting for their assignment are not expired even past their session timeout;
    // the leader, busy assigning, heartbeats (NONE while CompletingRebalance).
    await h.clock.advanceAsync(8_000);
    expect(heartbeat(h, leader, 1)).toBe(ErrorCode.NONE);
    await h.clock.advanceAsync(7_000);
    expect(h.coordinator.inspectGroup("g")?.members).toHaveLength(3);

    const leaderSync = await h.coordinator.syncGroup({
      groupId: "g",
      generationId: 1,
      memberId: leader,
      groupInstanceId: null,
      protocolType: null,
      protocolName: null,
      assignments: ids.map((m) => ({ memberId: m, assignment: assignmentFor(m) })),
    });
    expect(leaderSync.assignment).toEqual(assignmentFor(leader));
    const follower = await Promise.all(followerSyncs.map((s) => s.promise));
    expect(follower.map((s) => s.assignment.toString())).toEqual(ids.slice(1).map((m) => assignmentFor(m).toString()));
    expect(h.coordinator.inspectGroup("g")?.state).toBe("Stable");
    for (const id of ids) expect(heartbeat(h, id, 1)).toBe(ErrorCode.NONE);
  });

  it("the initial delay is extended while new members keep arriving, up to the rebalance timeout", async () => {
    const h = setup({ "group.initial.rebalance.delay.ms": 100 });
    const first = track(h.coordinator.joinGroup(joinRequest({ rebalanceTimeoutMs: 350 })));
    await h.clock.advanceAsync(90);
    const second = track(h.coordinator.joinGroup(joinRequest({ rebalanceTimeoutMs: 350 })));
    await h.clock.advanceAsync(100); // t=190: the first delay ended at 100 and was extended to 200
    const third = track(h.coordinator.joinGroup(joinRequest({ rebalanceTimeoutMs: 350 })));
    await h.clock.advanceAsync(100); // t=290: extended again at 200, to 300
    expect([first.done, second.done, third.done]).toEqual([false, false, false]);
    await h.clock.advanceAsync(10);
    const all = await Promise.all([first.promise, second.promise, third.promise]);
    expect(all.map((r) => r.generationId)).toEqual([1, 1, 1]);
    expect(all[0]!.members).toHaveLength(3);
  });

  it("without an initial delay the first generation forms on the next tick", async () => {
    const h = setup({ "group.initial.rebalance.delay.ms": 0 });
    const join = h.coordinator.joinGroup(joinRequest());
    await h.clock.advanceAsync(0);
    expect((await join).generationId).toBe(1);
  });

  it("selects the protocol all members support with the most votes", async () => {
    const h = setup();
    const meta = Buffer.from("m");
    const joins = [
      h.coordinator.joinGroup(joinRequest({ protocols: [{ name: "range", metadata: meta }, { name: "roundrobin", metadata: meta }, { name: "sticky", metadata: meta }] })),
      h.coordinator.joinGroup(joinRequest({ protocols: [{ name: "roundrobin", metadata: meta }, { name: "range", metadata: meta }] })),
      h.coordinator.joinGroup(joinRequest({ protocols: [{ name: "sticky", metadata: meta }, { name: "roundrobin", metadata: meta }, { name: "range", metadata: meta }] })),
    ];
    await h.clock.advanceAsync(2 * INITIAL_DELAY);
    // sticky is not supported by member 2; of range and roundrobin, roundrobin gets two votes.
    for (const r of await Promise.all(joins)) expect(r.protocolName).toBe("roundrobin");
  });

  it("refuses a member whose protocol type or protocols do not fit the group (INCONSISTENT_GROUP_PROTOCOL)", async () => {
    const h = setup();
    await formGroup(h, 1);
    expect((await h.coordinator.joinGroup(joinRequest({ protocolType: "connect" }))).errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    expect((await h.coordinator.joinGroup(joinRequest({ protocols: [{ name: "cooperative-sticky", metadata: Buffer.alloc(0) }] }))).errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    expect((await h.coordinator.joinGroup(joinRequest({ groupId: "other", protocols: [] }))).errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    expect((await h.coordinator.joinGroup(joinRequest({ groupId: "other2", protocolType: "" }))).errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  });

  it("a follower that lost its JoinGroup response and rejoins with the same metadata gets the generation again", async () => {
    const h = setup();
    const joins = [h.coordinator.joinGroup(joinRequest()), h.coordinator.joinGroup(joinRequest())];
    await h.clock.advanceAsync(2 * INITIAL_DELAY);
    const [, follower] = await Promise.all(joins);
    const again = await h.coordinator.joinGroup(joinRequest({ memberId: follower!.memberId }));
    expect(again).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1, memberId: follower!.memberId, members: [] });
    expect(h.coordinator.inspectGroup("g")?.state).toBe("CompletingRebalance");
  });

  it("the leader gets empty assignments filled in for members it left out", async () => {
    const h = setup();
    const joins = [h.coordinator.joinGroup(joinRequest()), h.coordinator.joinGroup(joinRequest())];
    await h.clock.advanceAsync(2 * INITIAL_DELAY);
    const [leader, follower] = await Promise.all(joins);
    const fsync = h.coordinator.syncGroup({ groupId: "g", generationId: 1, memberId: follower!.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] });
    await h.coordinator.syncGroup({ groupId: "g", generationId: 1, memberId: leader!.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [{ memberId: leader!.memberId, assignment: Buffer.from("x") }] });
    expect((await fsync).assignment.length).toBe(0);
  });

  it("a sync from a stable group's member returns its current assignment", async () => {
    const h = setup();
    const { memberIds, generationId } = await formGroup(h, 2);
    const again = await h.coordinator.syncGroup({ groupId: "g", generationId, memberId: memberIds[1]!, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] });
    expect(again.assignment).toEqual(assignmentFor(memberIds[1]!));
  });
});

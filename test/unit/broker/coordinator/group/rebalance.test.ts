import { describe, expect, it } from "vitest";
import { ErrorCode, INITIAL_DELAY, REBALANCE, SESSION, assignmentFor, formGroup, heartbeat, joinRequest, setup, syncAll, track } from "./helpers.ts";

describe("group coordinator: rebalances", () => {
  it("a member joining a stable group starts a rebalance; heartbeats tell the others to rejoin; a new generation forms", async () => {
    const h = setup();
    const { memberIds, generationId, leader } = await formGroup(h, 2);
    expect(generationId).toBe(1);

    const newcomer = track(h.coordinator.joinGroup(joinRequest({ clientId: "c2" })));
    expect(h.coordinator.inspectGroup("g")?.state).toBe("PreparingRebalance");
    expect(heartbeat(h, memberIds[0]!, 1)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    expect(heartbeat(h, memberIds[1]!, 1)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    // Commits of the old generation are still accepted while preparing (Kafka does the same).
    const commit = await h.coordinator.commitOffsets({ groupId: "g", generationId: 1, memberId: memberIds[1]!, groupInstanceId: null, topics: [{ name: "t", partitions: [{ partitionIndex: 0, committedOffset: 5n, committedMetadata: null }] }] });
    expect(commit.topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.NONE);

    const rejoin0 = h.coordinator.joinGroup(joinRequest({ memberId: memberIds[0]! }));
    expect(newcomer.done).toBe(false);
    const rejoin1 = h.coordinator.joinGroup(joinRequest({ memberId: memberIds[1]! }));
    // Everybody is in: the join phase completes at once, without waiting for the rebalance timeout.
    const [r0, r1, r2] = await Promise.all([rejoin0, rejoin1, newcomer.promise]);
    for (const r of [r0!, r1!, r2!]) expect(r).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 2, leader });
    expect(r0!.members).toHaveLength(3);
    await syncAll(h, "g", 2, leader, [r0!.memberId, r1!.memberId, r2!.memberId]);
    expect(heartbeat(h, memberIds[0]!, 1)).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(heartbeat(h, memberIds[0]!, 2)).toBe(ErrorCode.NONE);
  });

  it("a member leaving triggers a rebalance; the leader leaving hands leadership to a rejoined member", async () => {
    const h = setup();
    const { memberIds, leader } = await formGroup(h, 3);
    expect(leader).toBe(memberIds[0]);

    const leave = h.coordinator.leaveGroup({ groupId: "g", members: [{ memberId: leader, groupInstanceId: null, reason: "the consumer is being closed" }] });
    expect(leave).toEqual({ errorCode: ErrorCode.NONE, members: [{ memberId: leader, groupInstanceId: null, errorCode: ErrorCode.NONE }] });
    expect(h.coordinator.inspectGroup("g")?.state).toBe("PreparingRebalance");
    expect(heartbeat(h, leader, 1)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);

    const rejoins = memberIds.slice(1).map((m) => h.coordinator.joinGroup(joinRequest({ memberId: m })));
    const results = await Promise.all(rejoins);
    const newLeader = results[0]!.leader;
    expect(memberIds.slice(1)).toContain(newLeader);
    for (const r of results) expect(r.generationId).toBe(2);
    expect(results.find((r) => r.memberId === newLeader)!.members.map((m) => m.memberId).sort()).toEqual(memberIds.slice(1).sort());
    await syncAll(h, "g", 2, newLeader, memberIds.slice(1));

    // The last members leave: the group becomes Empty with a new (empty) generation, persisted.
    h.coordinator.leaveGroup({ groupId: "g", members: memberIds.slice(1).map((m) => ({ memberId: m, groupInstanceId: null })) });
    await h.clock.advanceAsync(0);
    const g = h.coordinator.inspectGroup("g")!;
    expect(g).toMatchObject({ state: "Empty", generationId: 3, protocolName: null, leaderId: null, members: [] });
    expect(h.store.log.at(-1)).toMatchObject({ kind: "group", value: { generation: 3, protocolType: "consumer", protocol: null, leader: null, members: [] } });
  });

  it("a member whose session expires is removed and the rest rebalance", async () => {
    const h = setup();
    const { memberIds } = await formGroup(h, 2);
    // Member 0 keeps heartbeating, member 1 goes silent.
    for (let t = 0; t < SESSION - 1000; t += 3000) {
      await h.clock.advanceAsync(3000);
      expect(heartbeat(h, memberIds[0]!, 1)).toBe(ErrorCode.NONE);
    }
    expect(h.coordinator.inspectGroup("g")?.members).toHaveLength(2);
    await h.clock.advanceAsync(1000);
    const g = h.coordinator.inspectGroup("g")!;
    expect(g.members.map((m) => m.memberId)).toEqual([memberIds[0]]);
    expect(g.state).toBe("PreparingRebalance");
    expect(heartbeat(h, memberIds[1]!, 1)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(heartbeat(h, memberIds[0]!, 1)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    const r = await h.coordinator.joinGroup(joinRequest({ memberId: memberIds[0]! }));
    expect(r).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 2, leader: memberIds[0] });
  });

  it("members that do not rejoin within the rebalance timeout are removed from the new generation", async () => {
    const h = setup();
    const { memberIds } = await formGroup(h, 3);
    const newcomer = track(h.coordinator.joinGroup(joinRequest({ clientId: "late" })));
    const rejoin0 = track(h.coordinator.joinGroup(joinRequest({ memberId: memberIds[0]! })));
    // Members 1 and 2 keep heartbeating (so their sessions stay alive) but never rejoin.
    for (let t = 0; t < REBALANCE - 1; t += 5000) {
      await h.clock.advanceAsync(Math.min(5000, REBALANCE - 1 - t));
      if (!rejoin0.done) {
        expect(heartbeat(h, memberIds[1]!, 1)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
        expect(heartbeat(h, memberIds[2]!, 1)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
      }
    }
    expect(rejoin0.done).toBe(false);
    await h.clock.advanceAsync(1);
    const [a, b] = await Promise.all([rejoin0.promise, newcomer.promise]);
    expect(a!.generationId).toBe(2);
    expect(a!.members.map((m) => m.memberId).sort()).toEqual([memberIds[0]!, b!.memberId].sort());
    expect(heartbeat(h, memberIds[1]!, 2)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    // A removed member that comes back is told to start over.
    expect((await h.coordinator.joinGroup(joinRequest({ memberId: memberIds[2]! }))).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it("members that never send SyncGroup are removed after the rebalance timeout, and the rest rebalance", async () => {
    const h = setup();
    const joins = [h.coordinator.joinGroup(joinRequest()), h.coordinator.joinGroup(joinRequest())];
    await h.clock.advanceAsync(2 * INITIAL_DELAY);
    const [leader, follower] = await Promise.all(joins);
    const leaderSync = h.coordinator.syncGroup({ groupId: "g", generationId: 1, memberId: leader!.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [leader!, follower!].map((j) => ({ memberId: j.memberId, assignment: assignmentFor(j.memberId) })) });
    expect((await leaderSync).errorCode).toBe(ErrorCode.NONE);
    // The follower heartbeats but never syncs.
    for (let t = 0; t < REBALANCE; t += 5000) {
      expect(heartbeat(h, follower!.memberId, 1)).toBe(ErrorCode.NONE);
      expect(heartbeat(h, leader!.memberId, 1)).toBe(ErrorCode.NONE);
      await h.clock.advanceAsync(5000);
    }
    const g = h.coordinator.inspectGroup("g")!;
    expect(g.members.map((m) => m.memberId)).toEqual([leader!.memberId]);
    expect(g.state).toBe("PreparingRebalance");
  });

  it("the leader rejoining a stable group forces a rebalance (e.g. for new partitions)", async () => {
    const h = setup();
    const { memberIds, leader } = await formGroup(h, 2);
    const leaderJoin = track(h.coordinator.joinGroup(joinRequest({ memberId: leader })));
    expect(h.coordinator.inspectGroup("g")?.state).toBe("PreparingRebalance");
    await h.clock.advanceAsync(0);
    expect(leaderJoin.done).toBe(false);
    const followerJoin = await h.coordinator.joinGroup(joinRequest({ memberId: memberIds[1]! }));
    expect(followerJoin.generationId).toBe(2);
    expect((await leaderJoin.promise).generationId).toBe(2);
  });

  it("a follower rejoining a stable group with unchanged metadata does not rebalance; with changed metadata it does", async () => {
    const h = setup();
    const { memberIds } = await formGroup(h, 2);
    const same = await h.coordinator.joinGroup(joinRequest({ memberId: memberIds[1]! }));
    expect(same).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1, members: [] });
    expect(h.coordinator.inspectGroup("g")?.state).toBe("Stable");

    const changed = track(h.coordinator.joinGroup(joinRequest({ memberId: memberIds[1]!, protocols: [{ name: "range", metadata: Buffer.from("other topics") }] })));
    expect(h.coordinator.inspectGroup("g")?.state).toBe("PreparingRebalance");
    await h.coordinator.joinGroup(joinRequest({ memberId: memberIds[0]! }));
    expect((await changed.promise).generationId).toBe(2);
  });

  it("a rebalance during CompletingRebalance answers waiting syncs with REBALANCE_IN_PROGRESS", async () => {
    const h = setup();
    const joins = [h.coordinator.joinGroup(joinRequest()), h.coordinator.joinGroup(joinRequest())];
    await h.clock.advanceAsync(2 * INITIAL_DELAY);
    const [leader, follower] = await Promise.all(joins);
    const followerSync = h.coordinator.syncGroup({ groupId: "g", generationId: 1, memberId: follower!.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] });
    const newcomer = h.coordinator.joinGroup(joinRequest());
    expect((await followerSync).errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    const leaderSync = await h.coordinator.syncGroup({ groupId: "g", generationId: 1, memberId: leader!.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] });
    expect(leaderSync.errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    await Promise.all([h.coordinator.joinGroup(joinRequest({ memberId: leader!.memberId })), h.coordinator.joinGroup(joinRequest({ memberId: follower!.memberId })), newcomer]);
    expect(h.coordinator.inspectGroup("g")).toMatchObject({ state: "CompletingRebalance", generationId: 2 });
  });

  it("a leader's assignment that arrives after the group moved on is discarded", async () => {
    const h = setup();
    const joins = [h.coordinator.joinGroup(joinRequest()), h.coordinator.joinGroup(joinRequest())];
    await h.clock.advanceAsync(2 * INITIAL_DELAY);
    const [leader] = await Promise.all(joins);
    h.store.hold();
    const leaderSync = h.coordinator.syncGroup({ groupId: "g", generationId: 1, memberId: leader!.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [{ memberId: leader!.memberId, assignment: Buffer.from("a") }] });
    const newcomer = h.coordinator.joinGroup(joinRequest());
    expect((await leaderSync).errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    h.store.release();
    await h.clock.advanceAsync(0);
    expect(h.coordinator.inspectGroup("g")?.state).toBe("PreparingRebalance");
    void newcomer;
  });

  it("a failed write of the assignment fails the sync and starts a new rebalance", async () => {
    const h = setup();
    const join = h.coordinator.joinGroup(joinRequest());
    await h.clock.advanceAsync(INITIAL_DELAY);
    const j = await join;
    h.store.failNext(new Error("disk full"));
    const sync = await h.coordinator.syncGroup({ groupId: "g", generationId: 1, memberId: j.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [{ memberId: j.memberId, assignment: Buffer.from("a") }] });
    expect(sync.errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    expect(h.coordinator.inspectGroup("g")?.state).toBe("PreparingRebalance");
  });
});

// The coordinator rebuilt from what its store replays has the same groups and offsets.
import { describe, expect, it } from "vitest";
import { GroupCoordinator } from "../../../../../broker/coordinator/group/coordinator.ts";
import { ManualScheduler } from "../../../../../broker/coordinator/group/scheduler.ts";
import { decodeGroupStoreEntry, encodeGroupStoreEntry } from "../../../../../broker/coordinator/group/offsets-topic-codec.ts";
import type { GroupStoreEntry } from "../../../../../broker/coordinator/group/store.ts";
import { InMemoryGroupStore } from "../../../../../broker/coordinator/group/store.ts";
import type { Harness } from "./helpers.ts";
import { ErrorCode, INITIAL_DELAY, SESSION, assignmentFor, formGroup, heartbeat, joinRequest, setup, subscription, syncAll } from "./helpers.ts";

function restart(h: Harness, entries: GroupStoreEntry[]): Harness {
  h.coordinator.shutdown();
  const store = new InMemoryGroupStore();
  store.log.push(...entries);
  const clock = new ManualScheduler(h.clock.now());
  const coordinator = new GroupCoordinator({ store, scheduler: clock, config: { "group.initial.rebalance.delay.ms": INITIAL_DELAY } });
  coordinator.load(entries);
  return { coordinator, store, clock };
}

async function buildState(h: Harness) {
  // A stable consumer group with offsets, a standalone group, a deleted group, a deleted offset,
  // and an emptied group.
  const { memberIds, generationId, leader } = await formGroup(h, 2, { protocols: [{ name: "range", metadata: subscription(["orders"]) }] });
  await h.coordinator.commitOffsets({ groupId: "g", generationId, memberId: leader, groupInstanceId: null, topics: [{ name: "orders", partitions: [{ partitionIndex: 0, committedOffset: 100n, committedLeaderEpoch: 3, committedMetadata: "m0" }, { partitionIndex: 1, committedOffset: 200n, committedMetadata: null }] }] });
  await h.coordinator.commitOffsets({ groupId: "g", generationId, memberId: leader, groupInstanceId: null, topics: [{ name: "orders", partitions: [{ partitionIndex: 0, committedOffset: 150n, committedLeaderEpoch: 4, committedMetadata: "m1" }] }] });
  await h.coordinator.commitOffsets({ groupId: "simple", generationId: -1, memberId: "", groupInstanceId: null, topics: [{ name: "t", partitions: [{ partitionIndex: 0, committedOffset: 7n, committedMetadata: null }, { partitionIndex: 1, committedOffset: 8n, committedMetadata: null }] }] });
  await h.coordinator.deleteOffsets("simple", [{ name: "t", partitionIndexes: [1] }]);
  await h.coordinator.commitOffsets({ groupId: "doomed", generationId: -1, memberId: "", groupInstanceId: null, topics: [{ name: "t", partitions: [{ partitionIndex: 0, committedOffset: 1n, committedMetadata: null }] }] });
  await h.coordinator.deleteGroups(["doomed"]);
  const emptied = await formGroup(h, 1, { groupId: "emptied", protocolType: "connect", protocols: [{ name: "default", metadata: Buffer.from("w") }] });
  h.coordinator.leaveGroup({ groupId: "emptied", members: [{ memberId: emptied.memberIds[0]!, groupInstanceId: null }] });
  await h.clock.advanceAsync(0);
  return { memberIds, generationId, leader };
}

function comparable(h: Harness, groupId: string) {
  const g = h.coordinator.inspectGroup(groupId);
  if (!g) return undefined;
  return {
    state: g.state,
    generationId: g.generationId,
    protocolType: g.protocolType,
    protocolName: g.protocolName,
    leaderId: g.leaderId,
    members: g.members.map((m) => ({ memberId: m.memberId, clientId: m.clientId, assignment: m.assignment.toString(), metadata: m.protocols.find((p) => p.name === g.protocolName)?.metadata.toString() })),
    offsets: [...g.offsets].sort((a, b) => `${a.topic}-${a.partition}`.localeCompare(`${b.topic}-${b.partition}`)),
  };
}

describe("group coordinator: reload from the store", () => {
  for (const mode of ["full log", "compacted log"] as const) {
    it(`gives the same groups and offsets (${mode})`, async () => {
      const h = setup();
      const { memberIds, generationId } = await buildState(h);
      const before = Object.fromEntries(["g", "simple", "doomed", "emptied"].map((id) => [id, comparable(h, id)]));
      const entries = mode === "full log" ? [...h.store.log] : h.store.compacted();
      const r = restart(h, entries);
      const after = Object.fromEntries(["g", "simple", "doomed", "emptied"].map((id) => [id, comparable(r, id)]));
      expect(after).toEqual(before);
      expect(after.g).toMatchObject({ state: "Stable", generationId: 1, protocolName: "range" });
      expect(after.doomed).toBeUndefined();
      expect(after.emptied).toMatchObject({ state: "Empty", protocolType: "connect", generationId: 2, members: [] });
      expect(r.coordinator.fetchOffsets("g", [{ name: "orders", partitionIndexes: [0, 1] }]).topics[0]!.partitions).toEqual([
        { partitionIndex: 0, committedOffset: 150n, committedLeaderEpoch: 4, metadata: "m1", errorCode: 0 },
        { partitionIndex: 1, committedOffset: 200n, committedLeaderEpoch: -1, metadata: "", errorCode: 0 },
      ]);
      expect(r.coordinator.fetchOffsets("simple", null).topics).toEqual([{ name: "t", partitions: [{ partitionIndex: 0, committedOffset: 7n, committedLeaderEpoch: -1, metadata: "", errorCode: 0 }] }]);

      // The loaded members carry on: heartbeats with the old generation work, the assignment is there.
      expect(heartbeat(r, memberIds[0]!, generationId)).toBe(ErrorCode.NONE);
      const sync = await r.coordinator.syncGroup({ groupId: "g", generationId, memberId: memberIds[1]!, groupInstanceId: null, protocolType: "consumer", protocolName: "range", assignments: [] });
      expect(sync.assignment).toEqual(assignmentFor(memberIds[1]!));
      // Subscriptions were recovered: the subscribed topic's offsets cannot be deleted.
      const del = await r.coordinator.deleteOffsets("g", [{ name: "orders", partitionIndexes: [0] }]);
      expect(del.topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC);
    });
  }

  it("gives the same state through the __consumer_offsets record codec", async () => {
    const h = setup();
    await buildState(h);
    const ids = ["g", "simple", "doomed", "emptied"];
    const before = Object.fromEntries(ids.map((id) => [id, comparable(h, id)]));
    const records = h.store.log.map(encodeGroupStoreEntry);
    const decoded = records.map((rec) => decodeGroupStoreEntry(rec.key, rec.value)!);
    const r = restart(h, decoded);
    expect(Object.fromEntries(ids.map((id) => [id, comparable(r, id)]))).toEqual(before);
  });

  it("loaded members that never come back expire after their session timeout and the group empties", async () => {
    const h = setup();
    await formGroup(h, 2);
    const r = restart(h, [...h.store.log]);
    expect(r.coordinator.inspectGroup("g")?.state).toBe("Stable");
    await r.clock.advanceAsync(SESSION);
    // Both expired: a rebalance with nobody left ends in an empty generation.
    expect(r.coordinator.inspectGroup("g")).toMatchObject({ state: "Empty", generationId: 2, members: [] });
  });

  it("a loaded group rebalances normally when a member rejoins with its full protocol list", async () => {
    const h = setup();
    const { memberIds } = await formGroup(h, 2);
    const r = restart(h, [...h.store.log]);
    // After a restart only the selected protocol's metadata is known, so a rejoin counts as changed metadata.
    const joins = memberIds.map((m) => r.coordinator.joinGroup(joinRequest({ memberId: m, protocols: [{ name: "range", metadata: subscription(["t"]) }, { name: "roundrobin", metadata: subscription(["t"]) }] })));
    const results = await Promise.all(joins);
    for (const j of results) expect(j).toMatchObject({ errorCode: 0, generationId: 2, protocolName: "range" });
    await syncAll(r, "g", 2, results[0]!.leader, memberIds);
  });

  it("ignores tombstones for keys it never saw and offsets written after a group tombstone revive an empty group", () => {
    const h = setup();
    h.coordinator.load([
      { kind: "offset", groupId: "x", topic: "t", partition: 0, value: null },
      { kind: "group", groupId: "y", value: null },
      { kind: "group", groupId: "z", value: { protocolType: "consumer", generation: 4, protocol: "range", leader: "m", currentStateTimestamp: 1, members: [] } },
      { kind: "group", groupId: "z", value: null },
      { kind: "offset", groupId: "z", topic: "t", partition: 0, value: { offset: 3n, leaderEpoch: -1, metadata: "", commitTimestamp: 5, expireTimestamp: -1 } },
    ]);
    expect(h.coordinator.listGroups().groups).toEqual([{ groupId: "z", protocolType: "", groupState: "Empty", groupType: "classic" }]);
    expect(h.coordinator.inspectGroup("z")?.generationId).toBe(0);
  });
});

// DescribeGroups, ListGroups, DeleteGroups, and a Kafka Connect ("connect" protocol type) group.
import { describe, expect, it } from "vitest";
import { ErrorCode, INITIAL_DELAY, assignmentFor, formGroup, joinRequest, setup, subscription, syncAll } from "./helpers.ts";

describe("group coordinator: describe, list, delete", () => {
  it("describes a stable group with metadata and assignments, other states without", async () => {
    const h = setup();
    const { memberIds } = await formGroup(h, 2, { clientId: "app" });
    const [d] = h.coordinator.describeGroups(["g"]);
    expect(d).toEqual({
      errorCode: 0,
      groupId: "g",
      groupState: "Stable",
      protocolType: "consumer",
      protocolData: "range",
      members: memberIds.map((m) => ({ memberId: m, groupInstanceId: null, clientId: "app", clientHost: "/127.0.0.1", memberMetadata: subscription(["t"]), memberAssignment: assignmentFor(m) })),
    });
    void h.coordinator.joinGroup(joinRequest());
    const [p] = h.coordinator.describeGroups(["g"]);
    expect(p).toMatchObject({ groupState: "PreparingRebalance", protocolType: "consumer", protocolData: "" });
    expect(p!.members).toHaveLength(3);
    for (const m of p!.members) expect([m.memberMetadata.length, m.memberAssignment.length]).toEqual([0, 0]);
  });

  it("describes an unknown group as Dead without an error (DescribeGroups v0-v5)", () => {
    const h = setup();
    expect(h.coordinator.describeGroups(["nope"])).toEqual([{ errorCode: 0, groupId: "nope", groupState: "Dead", protocolType: "", protocolData: "", members: [] }]);
  });

  it("lists groups with their state, filtered by state and type (case-insensitive)", async () => {
    const h = setup();
    await formGroup(h, 1, { groupId: "stable" });
    await h.coordinator.commitOffsets({ groupId: "simple", generationId: -1, memberId: "", groupInstanceId: null, topics: [{ name: "t", partitions: [{ partitionIndex: 0, committedOffset: 0n, committedMetadata: null }] }] });
    void h.coordinator.joinGroup(joinRequest({ groupId: "joining", protocolType: "connect" }));

    const all = h.coordinator.listGroups();
    expect(all.errorCode).toBe(0);
    expect(all.groups.sort((a, b) => a.groupId.localeCompare(b.groupId))).toEqual([
      { groupId: "joining", protocolType: "connect", groupState: "PreparingRebalance", groupType: "classic" },
      { groupId: "simple", protocolType: "", groupState: "Empty", groupType: "classic" },
      { groupId: "stable", protocolType: "consumer", groupState: "Stable", groupType: "classic" },
    ]);
    expect(h.coordinator.listGroups(["stable", "EMPTY"]).groups.map((g) => g.groupId).sort()).toEqual(["simple", "stable"]);
    expect(h.coordinator.listGroups([], ["Classic"]).groups).toHaveLength(3);
    expect(h.coordinator.listGroups([], ["consumer"]).groups).toEqual([]);
    expect(h.coordinator.groupCountsByState()).toEqual({ Empty: 1, PreparingRebalance: 1, CompletingRebalance: 0, Stable: 1, Dead: 0 });
  });

  it("deletes only empty groups, with their offsets; unknown groups: GROUP_ID_NOT_FOUND", async () => {
    const h = setup();
    await formGroup(h, 1, { groupId: "busy" });
    await h.coordinator.commitOffsets({ groupId: "idle", generationId: -1, memberId: "", groupInstanceId: null, topics: [{ name: "t", partitions: [{ partitionIndex: 0, committedOffset: 3n, committedMetadata: null }, { partitionIndex: 1, committedOffset: 4n, committedMetadata: null }] }] });
    const r = await h.coordinator.deleteGroups(["busy", "idle", "ghost", "idle"]);
    expect(r).toEqual([
      { groupId: "busy", errorCode: ErrorCode.NON_EMPTY_GROUP },
      { groupId: "idle", errorCode: ErrorCode.NONE },
      { groupId: "ghost", errorCode: ErrorCode.GROUP_ID_NOT_FOUND },
    ]);
    expect(h.coordinator.inspectGroup("idle")).toBeUndefined();
    expect(h.coordinator.fetchOffsets("idle", [{ name: "t", partitionIndexes: [0] }]).topics[0]!.partitions[0]!.committedOffset).toBe(-1n);
    expect(h.store.log.slice(-3)).toEqual([
      { kind: "offset", groupId: "idle", topic: "t", partition: 0, value: null },
      { kind: "offset", groupId: "idle", topic: "t", partition: 1, value: null },
      { kind: "group", groupId: "idle", value: null },
    ]);
    // A group that emptied after its members left can be deleted too, and its name reused.
    h.coordinator.leaveGroup({ groupId: "busy", members: h.coordinator.inspectGroup("busy")!.members.map((m) => ({ memberId: m.memberId, groupInstanceId: null })) });
    expect(h.coordinator.inspectGroup("busy")?.state).toBe("Empty");
    expect(await h.coordinator.deleteGroups(["busy"])).toEqual([{ groupId: "busy", errorCode: 0 }]);
    const again = await formGroup(h, 1, { groupId: "busy" });
    expect(again.generationId).toBe(1);
  });
});

describe("group coordinator: Kafka Connect workers (protocol type connect)", () => {
  it("forms and rebalances a group of workers with Connect's protocols", async () => {
    const h = setup();
    const workerMeta = (url: string) => Buffer.from(JSON.stringify({ url, configOffset: 5 }));
    const protocols = (url: string) => [
      { name: "sessioned", metadata: workerMeta(url) },
      { name: "compatible", metadata: workerMeta(url) },
      { name: "default", metadata: workerMeta(url) },
    ];
    const joins = ["w1", "w2"].map((w) => h.coordinator.joinGroup(joinRequest({ groupId: "connect-cluster", protocolType: "connect", protocols: protocols(`http://${w}:8083`), clientId: w })));
    await h.clock.advanceAsync(2 * INITIAL_DELAY);
    const results = await Promise.all(joins);
    for (const r of results) expect(r).toMatchObject({ errorCode: 0, protocolType: "connect", protocolName: "sessioned", generationId: 1 });
    const leader = results[0]!.leader;
    expect(results[0]!.members.map((m) => JSON.parse(m.metadata.toString()).url)).toEqual(["http://w1:8083", "http://w2:8083"]);
    await syncAll(h, "connect-cluster", 1, leader, results.map((r) => r.memberId));
    expect(h.coordinator.describeGroups(["connect-cluster"])[0]).toMatchObject({ groupState: "Stable", protocolType: "connect", protocolData: "sessioned" });

    // A third worker that only speaks "default" (an older Connect): the group falls back to it.
    const w3 = h.coordinator.joinGroup(joinRequest({ groupId: "connect-cluster", protocolType: "connect", protocols: [{ name: "default", metadata: workerMeta("http://w3:8083") }], clientId: "w3" }));
    const re = results.map((r) => h.coordinator.joinGroup(joinRequest({ groupId: "connect-cluster", protocolType: "connect", memberId: r.memberId, protocols: protocols("http://again:8083") })));
    const next = await Promise.all([w3, ...re]);
    for (const r of next) expect(r).toMatchObject({ errorCode: 0, protocolName: "default", generationId: 2 });
    // Offsets of a Connect group (sink connectors use consumer groups, but Connect's own group has none) are plain offsets.
    expect(h.coordinator.fetchOffsets("connect-cluster", null)).toEqual({ errorCode: 0, topics: [] });
  });
});

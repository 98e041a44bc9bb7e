// KafkaClusterClient against the hub's broker and Apache Kafka: metadata, cluster id, version
// negotiation and raw requests; then bad input (unknown topics and partitions, unreachable or
// silent brokers, request timeouts, groups that refuse a member), and a hub broker that
// restarts under a reader and a group member.
import { createServer, type Server, type Socket } from "node:net";
import { Kafka, logLevel } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientVersionRange } from "../../../lib/kafka-client/versions.ts";
import {
  ApiKey,
  ConnectionError,
  ErrorCode,
  GroupMember,
  KafkaClusterClient,
  KafkaError,
  PartitionReader,
  RequestTimeoutError,
  UnsupportedVersionError,
  type JoinResult,
} from "../../../lib/kafka-client/index.ts";
import { startHubBroker, type HubBrokerHandle } from "../../support/hub-broker.ts";
import { TARGETS, openTarget, type InteropTarget } from "../../support/interop-targets.ts";
import { readUntil, str, waitFor } from "./helpers.ts";

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Accepts connections and never answers: a hung broker, or something else on the port. */
async function silentServer(): Promise<{ server: Server; port: number; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createServer((s) => void sockets.push(s));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as { port: number }).port, sockets };
}

const elapsedOf = async <T>(fn: () => Promise<T>): Promise<{ ms: number; error: unknown }> => {
  const start = Date.now();
  try {
    await fn();
    return { ms: Date.now() - start, error: undefined };
  } catch (error) {
    return { ms: Date.now() - start, error };
  }
};

describe.each(TARGETS)("KafkaClusterClient against %s", (targetName) => {
  let target: InteropTarget;
  let client: KafkaClusterClient;

  beforeAll(async () => {
    target = await openTarget(targetName);
    client = new KafkaClusterClient({ bootstrapServers: [target.bootstrap], clientId: "cluster-test" });
  });
  afterAll(async () => {
    await client?.close();
    await target?.close();
  });

  it("describes the cluster and the topics it is asked about", async () => {
    const topic = target.unique("cluster-meta");
    await target.createTopic(topic, 3);
    const clusterId = await client.clusterId();
    expect(typeof clusterId).toBe("string");
    expect(clusterId!.length).toBeGreaterThan(0);
    const meta = await client.metadata([topic]);
    const port = Number(target.bootstrap.split(":")[1]);
    expect([...meta.brokers.values()].map((b) => b.port)).toContain(port);
    const t = meta.topics.get(topic)!;
    expect(t.errorCode).toBe(ErrorCode.NONE);
    expect([...t.partitions.keys()].sort()).toEqual([0, 1, 2]);
    for (const p of t.partitions.values()) expect(meta.brokers.has(p.leaderId)).toBe(true);
    // Cached now: the same snapshot comes back without a request.
    expect(await client.metadata([topic])).toBe(meta);
    expect((await client.refreshMetadata()).topics.get(topic)?.partitions.size).toBe(3);
  });

  it("speaks the highest version of each API that both sides support", async () => {
    const advertised = await client.send("any", ApiKey.ApiVersions, { clientSoftwareName: "cluster-test", clientSoftwareVersion: "1" });
    expect(advertised.errorCode).toBe(ErrorCode.NONE);
    for (const apiKey of [ApiKey.Fetch, ApiKey.ListOffsets, ApiKey.Metadata, ApiKey.FindCoordinator, ApiKey.JoinGroup, ApiKey.SyncGroup, ApiKey.Heartbeat, ApiKey.LeaveGroup] as const) {
      const theirs = advertised.apiKeys.find((k) => k.apiKey === apiKey)!;
      const ours = clientVersionRange(apiKey)!;
      expect(await client.apiVersion("any", apiKey), `api ${apiKey}`).toBe(Math.min(theirs.maxVersion, ours.maxVersion));
    }
    expect(await client.apiVersion("any", ApiKey.Fetch, { maxVersion: 12 })).toBe(12);
    // ListOffsets v0 is gone from both brokers: a cap below their range has no common version.
    await expect(client.send("any", ApiKey.ListOffsets, { replicaId: -1, isolationLevel: 0, topics: [], timeoutMs: 1000 }, { maxVersion: 0 })).rejects.toBeInstanceOf(UnsupportedVersionError);
  });

  it("reports unknown topics and partitions with UNKNOWN_TOPIC_OR_PARTITION, without creating them", async () => {
    const missing = target.unique("no-such-topic");
    const meta = await client.metadata([missing]);
    expect(meta.topics.get(missing)?.errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);

    const reader = new PartitionReader(client, { topicWaitMs: 500 });
    const ends = await elapsedOf(() => reader.endOffsets([{ topic: missing, partition: 0 }]));
    expect(ends.error).toBeInstanceOf(KafkaError);
    expect(ends.error).toMatchObject({ code: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, message: expect.stringMatching(/does not exist/) });
    expect(ends.ms).toBeLessThan(5000);

    reader.assign([{ topic: missing, partition: 0, offset: "earliest" }]);
    const polled = await elapsedOf(async () => {
      for (;;) await reader.poll({ maxWaitMs: 100 });
    });
    expect(polled.error).toMatchObject({ code: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION });
    expect(polled.ms).toBeLessThan(5000);

    const existing = target.unique("one-partition");
    await target.createTopic(existing, 1);
    reader.assign([{ topic: existing, partition: 4, offset: 0n }]);
    await expect(reader.beginningOffsets([{ topic: existing, partition: 4 }])).rejects.toMatchObject({ code: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, message: expect.stringContaining("partition 4") });
    await reader.close();
    expect((await client.refreshMetadata([missing])).topics.get(missing)?.errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    expect(() => reader.assign([])).toThrow(/closed/);
  });

  it("times a request out, and the client carries on with a new connection", async () => {
    const topic = target.unique("timeout");
    await target.createTopic(topic, 1);
    const meta = await client.metadata([topic]);
    const leader = meta.topics.get(topic)!.partitions.get(0)!.leaderId;
    // A fetch that long-polls 3 s on an empty partition, with a 300 ms deadline.
    const fetch = (maxWaitMs: number, timeoutMs: number) =>
      client.send(
        leader,
        ApiKey.Fetch,
        (v) => ({
          clusterId: null,
          replicaId: -1,
          replicaState: { replicaId: -1, replicaEpoch: -1n },
          maxWaitMs,
          minBytes: 1,
          maxBytes: 1 << 20,
          isolationLevel: 0,
          sessionId: 0,
          sessionEpoch: -1,
          topics: [{ topic, topicId: v >= 13 ? meta.topics.get(topic)!.topicId : "", partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 0n, lastFetchedEpoch: -1, logStartOffset: -1n, partitionMaxBytes: 1 << 20, replicaDirectoryId: "AAAAAAAAAAAAAAAAAAAAAA" }] }],
          forgottenTopicsData: [],
          rackId: "",
        }),
        { timeoutMs, lane: "timeout-test" },
      );
    const timedOut = await elapsedOf(() => fetch(3000, 300));
    expect(timedOut.error).toBeInstanceOf(RequestTimeoutError);
    expect((timedOut.error as Error).message).toMatch(/Fetch v\d+ to broker .* got no response within 300 ms/);
    expect(timedOut.ms).toBeGreaterThanOrEqual(290);
    expect(timedOut.ms).toBeLessThan(2000);
    expect((await client.refreshMetadata([topic])).topics.get(topic)?.errorCode).toBe(ErrorCode.NONE);
    const answered = await fetch(100, 10_000);
    expect(answered.responses[0]?.partitions[0]?.errorCode).toBe(ErrorCode.NONE);
  });

  it("refuses a member whose protocol type or session timeout the group cannot take", async () => {
    const group = target.unique("refusing-group");
    const a = new GroupMember(client, { groupId: group, protocolType: "connect", sessionTimeoutMs: 6000, heartbeatIntervalMs: 500, rebalanceTimeoutMs: 5000 });
    const joined: JoinResult = await a.join([{ name: "default", metadata: Buffer.from("a") }], ({ members }) => new Map(members.map((m) => [m.memberId, Buffer.from("x")])));
    expect(joined.isLeader).toBe(true);
    const otherClient = new KafkaClusterClient({ bootstrapServers: [target.bootstrap], clientId: "refused" });
    const b = new GroupMember(otherClient, { groupId: group, protocolType: "consumer", sessionTimeoutMs: 6000, heartbeatIntervalMs: 500, rebalanceTimeoutMs: 5000 });
    await expect(b.join([{ name: "range", metadata: Buffer.alloc(0) }], () => new Map())).rejects.toMatchObject({ code: ErrorCode.INCONSISTENT_GROUP_PROTOCOL });
    const c = new GroupMember(otherClient, { groupId: target.unique("short-session"), protocolType: "connect", sessionTimeoutMs: 1000, heartbeatIntervalMs: 300 });
    await expect(c.join([{ name: "default", metadata: Buffer.alloc(0) }], () => new Map())).rejects.toMatchObject({ code: ErrorCode.INVALID_SESSION_TIMEOUT });
    await a.leave();
    await otherClient.close();
  });
});

describe("KafkaClusterClient with nothing to talk to", () => {
  it("fails fast and clearly when no bootstrap server accepts connections", async () => {
    const port = await closedPort();
    const client = new KafkaClusterClient({ bootstrapServers: [`127.0.0.1:${port}`], clientId: "nowhere" });
    const meta = await elapsedOf(() => client.metadata());
    expect(meta.error).toBeInstanceOf(ConnectionError);
    expect((meta.error as Error).message).toMatch(new RegExp(`no Kafka broker reachable: cannot connect to broker 127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`));
    expect(meta.ms).toBeLessThan(2000);

    const reader = new PartitionReader(client, { offsetsTimeoutMs: 1000 });
    const ends = await elapsedOf(() => reader.endOffsets([{ topic: "t", partition: 0 }]));
    expect((ends.error as Error).message).toMatch(/ECONNREFUSED/);
    expect(ends.ms).toBeLessThan(3000);

    const member = new GroupMember(client, { groupId: "g", protocolType: "connect", sessionTimeoutMs: 6000, heartbeatIntervalMs: 500, rebalanceTimeoutMs: 1000, joinTimeoutMs: 1000 });
    const join = await elapsedOf(() => member.join([{ name: "default", metadata: Buffer.alloc(0) }], () => new Map()));
    expect(join.error).toBeInstanceOf(ConnectionError);
    expect((join.error as Error).message).toMatch(/could not join group g within 1000 ms: .*ECONNREFUSED/);
    expect(join.ms).toBeLessThan(3000);
    await client.close();
    await expect(client.metadata()).rejects.toThrow(/closed/);
  });

  it("gives up on a server that accepts connections but never answers, after connectTimeoutMs", async () => {
    const silent = await silentServer();
    const client = new KafkaClusterClient({ bootstrapServers: [`127.0.0.1:${silent.port}`], clientId: "silent", connectTimeoutMs: 500 });
    const meta = await elapsedOf(() => client.metadata());
    expect(meta.error).toBeInstanceOf(ConnectionError);
    expect((meta.error as Error).message).toMatch(/did not answer ApiVersions within 500 ms/);
    expect(meta.ms).toBeLessThan(2000);
    await client.close();
    for (const s of silent.sockets) s.destroy();
    silent.server.close();
  });

  it("rejects malformed configuration", () => {
    expect(() => new KafkaClusterClient({ bootstrapServers: [], clientId: "x" })).toThrow(/bootstrapServers is empty/);
    expect(() => new KafkaClusterClient({ bootstrapServers: ["localhost"], clientId: "x" })).toThrow(/not host:port/);
    const client = new KafkaClusterClient({ bootstrapServers: ["[::1]:9092"], clientId: "x" });
    const reader = new PartitionReader(client);
    expect(() => reader.assign([{ topic: "t", partition: -1, offset: 0n }])).toThrow(/not a partition number/);
    expect(() => reader.assign([{ topic: "t", partition: 0, offset: -5n }])).toThrow(/negative/);
    expect(() => reader.assign([{ topic: "t", partition: 0, offset: 0n }, { topic: "t", partition: 0, offset: 1n }])).toThrow(/assigned twice/);
    expect(() => reader.seek({ topic: "other", partition: 0 }, 0n)).toThrow(/not assigned/);
    expect(() => new GroupMember(client, { groupId: "g", protocolType: "connect", sessionTimeoutMs: 1000, heartbeatIntervalMs: 1000 })).toThrow(/heartbeatIntervalMs/);
  });
});

describe("a hub broker restarting under a reader and a group member", () => {
  let hub: HubBrokerHandle;
  afterAll(async () => {
    await hub?.destroy();
  });

  it("reconnects: the reader goes on from its position and the member gets back into a generation", async () => {
    hub = await startHubBroker();
    const topic = "restarts";
    const produce = async (values: string[]): Promise<void> => {
      const kafka = new Kafka({ clientId: "restart-producer", brokers: [hub.bootstrap], logLevel: logLevel.NOTHING });
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({ topic, messages: values.map((value) => ({ value })) });
      await producer.disconnect();
    };
    const admin = new Kafka({ clientId: "restart-admin", brokers: [hub.bootstrap], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    await admin.disconnect();
    await produce(["a", "b"]);

    const client = new KafkaClusterClient({ bootstrapServers: [hub.bootstrap], clientId: "restart-test", connectTimeoutMs: 1000 });
    const reader = new PartitionReader(client);
    reader.assign([{ topic, partition: 0, offset: "earliest" }]);
    expect((await readUntil(reader, (rs) => rs.length >= 2)).map((r) => str(r.value))).toEqual(["a", "b"]);

    const member = new GroupMember(client, { groupId: "restart-group", protocolType: "connect", sessionTimeoutMs: 6000, heartbeatIntervalMs: 200, rebalanceTimeoutMs: 5000 });
    const protocols = [{ name: "default", metadata: Buffer.from("m") }];
    const assign = ({ members }: { members: { memberId: string }[] }) => new Map(members.map((m) => [m.memberId, Buffer.from("work")]));
    let rejoins = 0;
    member.on("rebalance-needed", () => {
      rejoins++;
      void member.join(protocols, assign).catch(() => undefined);
    });
    const first = await member.join(protocols, assign);
    expect(first.assignment.toString()).toBe("work");

    // While the broker is down, polls return nothing (and do not throw).
    await hub.stop();
    expect(await reader.poll({ maxWaitMs: 300 })).toEqual([]);
    hub = await hub.restart();
    await produce(["c"]);
    const after = await readUntil(reader, (rs) => rs.length >= 1, 20_000);
    expect(after.map((r) => [r.offset, str(r.value)])).toEqual([[2n, "c"]]);
    // The member heartbeats to the restarted coordinator; if that one no longer knows it, it
    // is told to rejoin, and does.
    await waitFor("the member in a generation again", () => (member.isActive && member.generationId >= 0 ? true : undefined), 20_000);
    await waitFor("a heartbeat round after the restart", () => new Promise<true>((r) => setTimeout(() => r(true), 600)));
    expect(member.isActive).toBe(true);
    expect(rejoins).toBeLessThanOrEqual(2);
    await member.leave();
    await reader.close();
    await client.close();
  });
});

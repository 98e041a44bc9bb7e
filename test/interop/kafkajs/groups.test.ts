// kafkajs consumer groups against the hub's broker: three members sharing partitions,
// rebalancing as members join and leave, and committed offsets surviving a broker restart.
import { Kafka, logLevel, type Consumer } from "kafkajs";
import { afterAll, describe, expect, it } from "vitest";
import { BROKER_TARGETS, openBrokerTarget } from "../../support/broker-targets.ts";
import { startHubBroker, type HubBrokerHandle } from "../../support/hub-broker.ts";

const waitUntil = async (pred: () => boolean, what: string, timeoutMs = 30_000): Promise<void> => {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe.each(BROKER_TARGETS)("kafkajs consumer groups against %s", (targetName) => {
  it("balances 6 partitions over 3 members, rebalancing as members join and leave", async () => {
    const target = await openBrokerTarget(targetName);
    const topic = `shared${target.suffix}`;
    const group = `trio${target.suffix}`;
    const kafka = new Kafka({ clientId: "groups", brokers: [target.bootstrap], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 6 }] });
    const assignments = new Map<string, number[]>();
    const members: Consumer[] = [];
    const addMember = async (name: string): Promise<void> => {
      const consumer = kafka.consumer({ groupId: group, sessionTimeout: 10_000, heartbeatInterval: 500, rebalanceTimeout: 10_000 });
      consumer.on(consumer.events.GROUP_JOIN, (e) => assignments.set(name, (e.payload.memberAssignment[topic] as number[] | undefined) ?? []));
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({ eachMessage: async () => {} });
      members.push(consumer);
    };
    const total = (): number[] => [...assignments.values()].flat().sort((a, b) => a - b);

    await addMember("a");
    await waitUntil(() => assignments.get("a")?.length === 6, "one member owning all partitions");
    await addMember("b");
    await addMember("c");
    await waitUntil(() => [...assignments.values()].every((p) => p.length === 2) && assignments.size === 3, "three members with two partitions each");
    expect(total()).toEqual([0, 1, 2, 3, 4, 5]);
    const groups = await admin.describeGroups([group]);
    expect(groups.groups[0]).toMatchObject({ state: "Stable", protocolType: "consumer" });
    expect(groups.groups[0]?.members).toHaveLength(3);

    await members.pop()?.disconnect();
    assignments.delete("c");
    await waitUntil(() => [...assignments.values()].every((p) => p.length === 3), "two members with three partitions each");
    expect(total()).toEqual([0, 1, 2, 3, 4, 5]);
    for (const m of members) await m.disconnect();
    await admin.disconnect();
    await target.close();
  });
});

describe("kafkajs against a restarted hub broker", () => {
  let hub: HubBrokerHandle | undefined;
  afterAll(async () => {
    await hub?.destroy();
  });

  it("keeps committed offsets across a broker restart", async () => {
    hub = await startHubBroker();
    let kafka = new Kafka({ clientId: "restart", brokers: [hub.bootstrap], logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: "durable", messages: Array.from({ length: 10 }, (_, i) => ({ value: String(i) })) });
    await producer.disconnect();
    const consumer = kafka.consumer({ groupId: "survivor" });
    await consumer.connect();
    await consumer.subscribe({ topic: "durable", fromBeginning: true });
    let seen = 0;
    await consumer.run({ autoCommit: true, autoCommitThreshold: 1, eachMessage: async () => void seen++ });
    await waitUntil(() => seen === 10, "ten records");
    await consumer.disconnect();

    hub = await hub.restart();
    kafka = new Kafka({ clientId: "restart", brokers: [hub.bootstrap], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    expect(await admin.fetchOffsets({ groupId: "survivor", topics: ["durable"] })).toEqual([
      { topic: "durable", partitions: [expect.objectContaining({ partition: 0, offset: "10" })] },
    ]);
    const offsets = await admin.fetchTopicOffsets("durable");
    expect(offsets[0]).toMatchObject({ partition: 0, offset: "10", low: "0", high: "10" });
    await admin.disconnect();
  });
});

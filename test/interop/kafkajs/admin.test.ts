// kafkajs admin client against the hub's broker: topics, partitions, configs.
import { ConfigResourceTypes, Kafka, logLevel, type Admin } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHubBroker, type HubBrokerHandle } from "../../support/hub-broker.ts";

describe("kafkajs admin against hub broker", () => {
  let hub: HubBrokerHandle;
  let admin: Admin;

  beforeAll(async () => {
    hub = await startHubBroker();
    admin = new Kafka({ clientId: "admin-test", brokers: [hub.bootstrap], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.disconnect();
    await hub?.destroy();
  });

  it("creates, lists and deletes topics", async () => {
    expect(await admin.createTopics({ topics: [{ topic: "orders", numPartitions: 3 }, { topic: "audit.log-v1", numPartitions: 1 }] })).toBe(true);
    expect(await admin.createTopics({ topics: [{ topic: "orders", numPartitions: 3 }] })).toBe(false);
    expect((await admin.listTopics()).sort()).toEqual(expect.arrayContaining(["audit.log-v1", "orders"]));
    const meta = await admin.fetchTopicMetadata({ topics: ["orders"] });
    expect(meta.topics[0]?.partitions.map((p) => p.partitionId).sort()).toEqual([0, 1, 2]);
    await admin.deleteTopics({ topics: ["audit.log-v1"] });
    expect(await admin.listTopics()).not.toContain("audit.log-v1");
  });

  it("rejects invalid topic names and partition counts with Kafka's errors", async () => {
    await expect(admin.createTopics({ topics: [{ topic: "bad/name" }] })).rejects.toMatchObject({
      errors: [expect.objectContaining({ type: "INVALID_TOPIC_EXCEPTION" })],
    });
    await expect(admin.createTopics({ topics: [{ topic: "zero-parts", numPartitions: 0 }] })).rejects.toMatchObject({
      errors: [expect.objectContaining({ type: "INVALID_PARTITIONS" })],
    });
  });

  it("validates topic creation without creating (validateOnly)", async () => {
    // kafkajs waits for the new topic's leaders unless told not to, even when nothing is created.
    expect(await admin.createTopics({ validateOnly: true, waitForLeaders: false, topics: [{ topic: "dry-run", numPartitions: 2 }] })).toBe(true);
    await expect(admin.createTopics({ validateOnly: true, waitForLeaders: false, topics: [{ topic: "dry-run", numPartitions: 2, replicationFactor: 3 }] })).rejects.toMatchObject({
      errors: [expect.objectContaining({ type: "INVALID_REPLICATION_FACTOR" })],
    });
    expect(await admin.listTopics()).not.toContain("dry-run");
  });

  it("adds partitions to a topic", async () => {
    await admin.createTopics({ topics: [{ topic: "grow", numPartitions: 1 }] });
    await admin.createPartitions({ topicPartitions: [{ topic: "grow", count: 4 }] });
    const meta = await admin.fetchTopicMetadata({ topics: ["grow"] });
    expect(meta.topics[0]?.partitions).toHaveLength(4);
    await expect(admin.createPartitions({ topicPartitions: [{ topic: "grow", count: 2 }] })).rejects.toThrow(/INVALID_PARTITIONS|partitions/i);
  });

  it("describes and alters topic configs", async () => {
    await admin.createTopics({ topics: [{ topic: "configured", configEntries: [{ name: "retention.ms", value: "3600000" }] }] });
    const described = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: "configured" }] });
    const entries = new Map(described.resources[0]?.configEntries.map((e) => [e.configName, e]));
    expect(entries.get("retention.ms")).toMatchObject({ configValue: "3600000", isDefault: false });
    expect(entries.get("cleanup.policy")).toMatchObject({ configValue: "delete", isDefault: true });
    await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: "configured", configEntries: [{ name: "cleanup.policy", value: "compact" }] }] });
    const after = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: "configured", configNames: ["cleanup.policy"] }] });
    expect(after.resources[0]?.configEntries).toEqual([expect.objectContaining({ configName: "cleanup.policy", configValue: "compact", isDefault: false })]);
  });
});

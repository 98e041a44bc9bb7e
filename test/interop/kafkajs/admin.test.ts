// kafkajs admin client against the hub's broker: topics, partitions, configs.
import { ConfigResourceTypes, Kafka, logLevel, type Admin } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultCreateTopicsRequest } from "../../../broker/protocol/generated/create-topics-request.ts";
import { ErrorCode } from "../../../broker/protocol/generated/errors.ts";
import { RawKafkaSocket } from "../../support/raw-kafka-socket.ts";
import { BROKER_TARGETS, openBrokerTarget, type BrokerTarget } from "../../support/broker-targets.ts";

describe.each(BROKER_TARGETS)("kafkajs admin against %s", (targetName) => {
  let target: BrokerTarget;
  let admin: Admin;
  const t = (name: string): string => name + target.suffix;

  beforeAll(async () => {
    target = await openBrokerTarget(targetName);
    admin = new Kafka({ clientId: "admin-test", brokers: [target.bootstrap], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.disconnect();
    await target?.close();
  });

  it("creates, lists and deletes topics", async () => {
    expect(await admin.createTopics({ topics: [{ topic: t("orders"), numPartitions: 3 }, { topic: t("audit.log-v1"), numPartitions: 1 }] })).toBe(true);
    expect(await admin.createTopics({ topics: [{ topic: t("orders"), numPartitions: 3 }] })).toBe(false);
    expect(await admin.listTopics()).toEqual(expect.arrayContaining([t("audit.log-v1"), t("orders")]));
    const meta = await admin.fetchTopicMetadata({ topics: [t("orders")] });
    expect(meta.topics[0]?.partitions.map((p) => p.partitionId).sort()).toEqual([0, 1, 2]);
    await admin.deleteTopics({ topics: [t("audit.log-v1")] });
    expect(await admin.listTopics()).not.toContain(t("audit.log-v1"));
  });

  it("rejects invalid topic names and partition counts with Kafka's errors", async () => {
    await expect(admin.createTopics({ topics: [{ topic: "bad/name" }] })).rejects.toMatchObject({
      errors: [expect.objectContaining({ type: "INVALID_TOPIC_EXCEPTION" })],
    });
    await expect(admin.createTopics({ topics: [{ topic: t("zero-parts"), numPartitions: 0 }] })).rejects.toMatchObject({
      errors: [expect.objectContaining({ type: "INVALID_PARTITIONS" })],
    });
  });

  it("validates topic creation without creating (validateOnly)", async () => {
    // kafkajs waits for the new topic's leaders unless told not to, even when nothing is created.
    expect(await admin.createTopics({ validateOnly: true, waitForLeaders: false, topics: [{ topic: t("dry-run"), numPartitions: 2 }] })).toBe(true);
    await expect(admin.createTopics({ validateOnly: true, waitForLeaders: false, topics: [{ topic: t("dry-run"), numPartitions: 2, replicationFactor: 3 }] })).rejects.toMatchObject({
      errors: [expect.objectContaining({ type: "INVALID_REPLICATION_FACTOR" })],
    });
    expect(await admin.listTopics()).not.toContain(t("dry-run"));
  });

  it("rejects invalid config values with INVALID_CONFIG and a message naming the key", async () => {
    const create = admin.createTopics({ topics: [{ topic: t("bad-config"), configEntries: [{ name: "retention.ms", value: "soon" }] }] });
    await expect(create).rejects.toMatchObject({ errors: [expect.objectContaining({ type: "INVALID_CONFIG", topic: t("bad-config") })] });
    // kafkajs drops the response's error message: ask with a raw CreateTopics v7 to read it.
    const [host, port] = target.bootstrap.split(":") as [string, string];
    const raw = await RawKafkaSocket.connect(Number(port), host);
    const request = { ...defaultCreateTopicsRequest(), validateOnly: true, timeoutMs: 5000 };
    request.topics = [{ name: t("bad-config"), numPartitions: 1, replicationFactor: 1, assignments: [], configs: [{ name: "retention.ms", value: "soon" }] }];
    const body = await raw.request(19, 7, request);
    raw.destroy();
    expect(body.topics[0]?.errorCode).toBe(ErrorCode.INVALID_CONFIG);
    expect(body.topics[0]?.errorMessage).toMatch(/retention\.ms/);
    await admin.createTopics({ topics: [{ topic: t("good-config") }] });
    await expect(
      admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: t("good-config"), configEntries: [{ name: "cleanup.policy", value: "sometimes" }] }] }),
    ).rejects.toMatchObject({ type: "INVALID_CONFIG" });
    expect(await admin.listTopics()).not.toContain(t("bad-config"));
  });

  it("adds partitions to a topic", async () => {
    await admin.createTopics({ topics: [{ topic: t("grow"), numPartitions: 1 }] });
    await admin.createPartitions({ topicPartitions: [{ topic: t("grow"), count: 4 }] });
    const meta = await admin.fetchTopicMetadata({ topics: [t("grow")] });
    expect(meta.topics[0]?.partitions).toHaveLength(4);
    await expect(admin.createPartitions({ topicPartitions: [{ topic: t("grow"), count: 2 }] })).rejects.toThrow(/INVALID_PARTITIONS|partitions/i);
  });

  it("describes and alters topic configs", async () => {
    await admin.createTopics({ topics: [{ topic: t("configured"), configEntries: [{ name: "retention.ms", value: "3600000" }] }] });
    const described = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: t("configured") }] });
    const entries = new Map(described.resources[0]?.configEntries.map((e) => [e.configName, e]));
    expect(entries.get("retention.ms")).toMatchObject({ configValue: "3600000", isDefault: false });
    expect(entries.get("cleanup.policy")).toMatchObject({ configValue: "delete", isDefault: true });
    await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: t("configured"), configEntries: [{ name: "cleanup.policy", value: "compact" }] }] });
    const after = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: t("configured"), configNames: ["cleanup.policy"] }] });
    expect(after.resources[0]?.configEntries).toEqual([expect.objectContaining({ configName: "cleanup.policy", configValue: "compact", isDefault: false })]);
  });
});

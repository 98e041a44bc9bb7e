// Distributed mode's Kafka-backed stores against the hub's broker and Apache Kafka: two store
// instances on the same topics play two workers. The topics are created compacted with the
// configured partitions; what one writes, the other reads (configs applied only with their
// commit, offsets found after a move, statuses with the generation rule of putSafe); each key
// lands in the partition Kafka's Java producer would choose; and topics that would lose data
// (cleanup.policy=delete, a multi-partition config topic) are refused.
import { type Admin, ConfigResourceTypes, type Kafka } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigException } from "../../../connect/api/index.ts";
import { KafkaClusterClient, PartitionReader } from "../../../lib/kafka-client/index.ts";
import { createLogger } from "../../../lib/logger.ts";
import type { ConnectorId } from "../../../connect/runtime/herder/entities.ts";
import { KafkaConfigBackingStore } from "../../../connect/storage/kafka/kafka-config-backing-store.ts";
import { KafkaOffsetBackingStore } from "../../../connect/storage/kafka/kafka-offset-backing-store.ts";
import { KafkaStatusBackingStore } from "../../../connect/storage/kafka/kafka-status-backing-store.ts";
import { kafkaClient } from "../../../connect/runtime/kafka-clients.ts";
import { partitionForKey } from "../../../connect/storage/kafka/murmur2.ts";
import { offsetKey, offsetValue, parseOffsetValue } from "../../../connect/storage/kafka/offset-records.ts";
import type { ConfigUpdateListener } from "../../../connect/storage/types.ts";
import { TARGETS, openTarget, type InteropTarget } from "../../support/interop-targets.ts";

const log = createLogger({ level: (process.env.HUB_TEST_LOG_LEVEL as "info" | undefined) ?? "warn", format: "json" });

async function waitFor<T>(what: string, fn: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

class RecordingListener implements ConfigUpdateListener {
  readonly events: string[] = [];
  onConnectorConfigUpdate(c: string): void {
    this.events.push(`config:${c}`);
  }
  onConnectorConfigRemove(c: string): void {
    this.events.push(`remove:${c}`);
  }
  onTaskConfigUpdate(tasks: readonly ConnectorId[]): void {
    this.events.push(`tasks:${tasks.map((t) => `${t.connector}/${t.task}`).join(",")}`);
  }
  onConnectorTargetStateChange(c: string): void {
    this.events.push(`target:${c}`);
  }
  onRestartRequest(r: { connector: string; onlyFailed: boolean; includeTasks: boolean }): void {
    this.events.push(`restart:${r.connector}:${r.includeTasks}:${r.onlyFailed}`);
  }
}

async function topicConfig(admin: Admin, topic: string, name: string): Promise<string | undefined> {
  const described = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: [name] }] });
  return described.resources[0]?.configEntries.find((c) => c.configName === name)?.configValue;
}

describe.each(TARGETS)("Kafka-backed Connect stores on %s", (targetName) => {
  let target: InteropTarget;
  let kafka: Kafka;
  let admin: Admin;
  const clients: KafkaClusterClient[] = [];
  const newClient = (): KafkaClusterClient => {
    const c = new KafkaClusterClient({ bootstrapServers: [target.bootstrap], clientId: "store-test" });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    target = await openTarget(targetName);
    kafka = kafkaClient({ "bootstrap.servers": target.bootstrap, "client.id": "store-test" }, log);
    admin = kafka.admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.disconnect();
    for (const c of clients) await c.close();
    await target?.close();
  });

  it("config store: creates a compacted one-partition topic; a second worker sees writes, tasks only once committed", async () => {
    const topic = target.unique("connect-configs");
    const opts = { topic, replicationFactor: -1, kafka, log };
    const leader = new KafkaConfigBackingStore({ ...opts, client: newClient() });
    await leader.start();
    try {
      expect(await topicConfig(admin, topic, "cleanup.policy")).toBe("compact");
      const [meta] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
      expect(meta!.partitions.length).toBe(1);

      await leader.putConnectorConfig("file-src", { "connector.class": "FileStreamSource", "tasks.max": "2" });
      await leader.putTaskConfigs("file-src", [{ task: "zero" }, { task: "one" }]);
      await leader.putConnectorConfig("paused-one", { "connector.class": "X" }, "PAUSED");

      const follower = new KafkaConfigBackingStore({ ...opts, client: newClient() });
      const listener = new RecordingListener();
      follower.setUpdateListener(listener);
      await follower.start();
      try {
        const snap = follower.snapshot();
        expect(snap.offset).toBeGreaterThan(0);
        expect(snap.connectorConfigs.get("file-src")).toEqual({ "connector.class": "FileStreamSource", "tasks.max": "2" });
        expect(snap.taskConfigs.get("file-src")).toEqual([{ task: "zero" }, { task: "one" }]);
        expect(snap.targetStates.get("file-src")).toBe("STARTED");
        expect(snap.targetStates.get("paused-one")).toBe("PAUSED");
        expect(listener.events).toEqual([]); // what was there at start is the snapshot, not events

        await leader.putTargetState("file-src", "STOPPED");
        await leader.putTaskConfigs("file-src", [{ task: "only" }]);
        await leader.putRestartRequest({ connector: "file-src", onlyFailed: true, includeTasks: true });
        await leader.removeConnectorConfig("paused-one");
        await follower.refresh(10_000);
        expect(listener.events).toEqual(["target:file-src", "tasks:file-src/0", "restart:file-src:true:true", "remove:paused-one"]);
        const after = follower.snapshot();
        expect(after.targetStates.get("file-src")).toBe("STOPPED");
        expect(after.taskConfigs.get("file-src")).toEqual([{ task: "only" }]);
        expect(after.connectorConfigs.has("paused-one")).toBe(false);
        expect(after.offset).toBe(leader.snapshot().offset);
      } finally {
        await follower.stop();
      }
    } finally {
      await leader.stop();
    }
  });

  it("config store: a commit whose task records are missing (compaction, a failed write) leaves the connector inconsistent until a full set", async () => {
    const topic = target.unique("connect-configs-gaps");
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, configEntries: [{ name: "cleanup.policy", value: "compact" }] }] });
    const producer = kafka.producer();
    await producer.connect();
    const raw = (key: string, value: string | null) => ({ key, value });
    // What a compacted log can look like: task 0 of the first set gone, and a commit after it.
    await producer.send({
      topic,
      messages: [
        raw("connector-c", '{"properties":{"connector.class":"X"}}'),
        raw("task-c-1", '{"properties":{"n":"1"}}'),
        raw("commit-c", '{"tasks":2}'),
        raw("junk-key", "{}"),
        raw("task-c-bad", "{}"),
      ],
    });
    const store = new KafkaConfigBackingStore({ topic, replicationFactor: -1, kafka, client: newClient(), log });
    const listener = new RecordingListener();
    store.setUpdateListener(listener);
    await store.start();
    try {
      let snap = store.snapshot();
      expect(snap.inconsistentConnectors?.has("c")).toBe(true);
      expect(snap.taskConfigs.get("c")).toEqual([]);
      expect(snap.targetStates.get("c")).toBe("STARTED");
      // A smaller complete set (task 1 of the old set is left over and ignored) repairs it.
      await producer.send({ topic, messages: [raw("task-c-0", '{"properties":{"n":"0"}}'), raw("commit-c", '{"tasks":1}')] });
      await store.refresh(10_000);
      snap = store.snapshot();
      expect(snap.inconsistentConnectors?.has("c")).toBe(false);
      expect(snap.taskConfigs.get("c")).toEqual([{ n: "0" }]);
      expect(listener.events).toEqual(["tasks:c/0"]);
      expect(store.appliedConnectorConfig("c")).toEqual({ "connector.class": "X" });
    } finally {
      await store.stop();
      await producer.disconnect();
    }
  });

  it("config store: refuses a topic that is not compacted, and a config topic with several partitions", async () => {
    const deleting = target.unique("connect-configs-delete");
    await admin.createTopics({ topics: [{ topic: deleting, numPartitions: 1, configEntries: [{ name: "cleanup.policy", value: "delete" }] }] });
    const store = new KafkaConfigBackingStore({ topic: deleting, replicationFactor: -1, kafka, client: newClient(), log });
    const err = await store.start().then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(err).toBeInstanceOf(ConfigException);
    expect(err!.message).toContain(`'${deleting}'`);
    expect(err!.message).toContain("cleanup.policy=compact");
    expect(err!.message).toContain("cleanup.policy=delete");

    const wide = target.unique("connect-configs-wide");
    await admin.createTopics({ topics: [{ topic: wide, numPartitions: 3, configEntries: [{ name: "cleanup.policy", value: "compact" }] }] });
    const wideStore = new KafkaConfigBackingStore({ topic: wide, replicationFactor: -1, kafka, client: newClient(), log });
    await expect(wideStore.start()).rejects.toThrow(/must have exactly one partition.*has 3/);
  });

  it("offset store: offsets written by one worker are read by another, each in the key's murmur2 partition", async () => {
    const topic = target.unique("connect-offsets");
    const opts = { topic, partitions: 5, replicationFactor: -1, kafka, log };
    const a = new KafkaOffsetBackingStore({ ...opts, client: newClient() });
    await a.start();
    const b = new KafkaOffsetBackingStore({ ...opts, client: newClient() });
    try {
      const [meta] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
      expect(meta!.partitions.length).toBe(5);
      expect(await topicConfig(admin, topic, "cleanup.policy")).toBe("compact");
      const keys = Array.from({ length: 12 }, (_, i) => offsetKey("file-src", { filename: `/data/in-${i}.txt` }));
      await a.set(keys.map((key, i) => ({ key, value: offsetValue({ position: i * 100 }) })));
      await a.set([{ key: offsetKey("other", { p: 1 }), value: offsetValue({ position: 7 }) }]);
      await b.start();
      const got = await b.get([...keys, offsetKey("file-src", { filename: "/nope" })]);
      expect(got.size).toBe(12);
      expect(keys.map((k) => parseOffsetValue(got.get(k.toString("utf8")) ?? null))).toEqual(keys.map((_, i) => ({ position: i * 100 })));
      expect((await b.connectorPartitions("file-src")).length).toBe(12);

      // A reset (tombstone) written by b is seen by a.
      await b.set([{ key: keys[0]!, value: null }]);
      expect((await a.get([keys[0]!])).size).toBe(0);
      expect((await a.connectorPartitions("file-src")).length).toBe(11);

      // Where the records are: the partition Kafka's producer picks for each key.
      const reader = new PartitionReader(newClient());
      reader.assign(Array.from({ length: 5 }, (_, partition) => ({ topic, partition, offset: "earliest" as const })));
      const seen: Array<{ key: string; partition: number }> = [];
      await waitFor("all offset records", async () => {
        for (const r of await reader.poll({ maxWaitMs: 200 })) seen.push({ key: r.key!.toString("utf8"), partition: r.partition });
        return seen.length >= 14 ? true : undefined;
      });
      await reader.close();
      for (const s of seen) expect(s.partition).toBe(partitionForKey(Buffer.from(s.key, "utf8"), 5));
      expect(new Set(seen.map((s) => s.partition)).size).toBeGreaterThan(1);
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  it("status store: statuses and topics are shared; putSafe keeps a newer generation's status", async () => {
    const topic = target.unique("connect-status");
    const opts = { topic, partitions: 3, replicationFactor: -1, kafka, log };
    const w1 = new KafkaStatusBackingStore({ ...opts, client: newClient() });
    const w2 = new KafkaStatusBackingStore({ ...opts, client: newClient() });
    await w1.start();
    await w2.start();
    try {
      await w1.put({ id: "sink", state: "RUNNING", trace: null, workerId: "w1:8083", generation: 3, version: "1.0" });
      await w1.putTask({ id: { connector: "sink", task: 0 }, state: "FAILED", trace: "boom\n\tat x", workerId: "w1:8083", generation: 3 });
      await w1.putTopic("sink", "orders", 0);
      await w1.putTopic("sink", "orders", 0); // written once
      await w2.readToEnd();
      expect(w2.get("sink")).toEqual({ id: "sink", state: "RUNNING", trace: null, workerId: "w1:8083", generation: 3, version: "1.0" });
      expect(w2.getTask({ connector: "sink", task: 0 })).toMatchObject({ state: "FAILED", trace: "boom\n\tat x", generation: 3, version: null });
      expect(w2.getTopics("sink")).toEqual(["orders"]);
      expect(w2.connectors()).toEqual(["sink"]);

      // The task moved to w2 in generation 4; w1's late report from generation 3 is dropped.
      await w2.putTask({ id: { connector: "sink", task: 0 }, state: "RUNNING", trace: null, workerId: "w2:8083", generation: 4 });
      await w1.readToEnd();
      await w1.putTaskSafe({ id: { connector: "sink", task: 0 }, state: "UNASSIGNED", trace: null, workerId: "w1:8083", generation: 3 });
      await w2.putTaskSafe({ id: { connector: "sink", task: 0 }, state: "RUNNING", trace: null, workerId: "w2:8083", generation: 4 });
      await w1.readToEnd();
      expect(w1.getTask({ connector: "sink", task: 0 })).toMatchObject({ state: "RUNNING", workerId: "w2:8083", generation: 4 });

      await w2.deleteTopics("sink");
      await w1.readToEnd();
      expect(w1.getTopics("sink")).toEqual([]);
      await w1.putTopic("sink", "orders-v2", 0);
      await w1.deleteConnector("sink");
      await w2.readToEnd();
      expect(w2.get("sink")).toBeNull();
      expect(w2.getAllTasks("sink")).toEqual([]);
      expect(w2.getTopics("sink")).toEqual([]);
    } finally {
      await w1.stop();
      await w2.stop();
    }
  });
});

// The two brokers the cross-client interop scenarios run against: the hub's own broker
// (in-process, one per test file) and the Apache Kafka test service, so that a behaviour
// difference between them shows up as a failure of the same scenario. Kafka's topics and
// groups outlive a run, so every name a scenario uses goes through unique().
import { Kafka, logLevel, type Admin } from "kafkajs";
import { requireService } from "../services/index.ts";
import { startHubBroker, type HubBrokerHandle } from "./hub-broker.ts";

export type TargetName = "hub" | "kafka";
export const TARGETS: readonly TargetName[] = ["hub", "kafka"];

export interface InteropTarget {
  readonly name: TargetName;
  readonly bootstrap: string;
  /** A topic or group name that no other run (nor other scenario of this run) uses. */
  unique(prefix: string): string;
  /** Creates the topic (with these topic configs, if any); throws if it exists. */
  createTopic(topic: string, partitions: number, configs?: Readonly<Record<string, string>>): Promise<void>;
  /** The group's committed offset for each partition of the topic that has one. */
  committedOffsets(group: string, topic: string): Promise<Map<number, bigint>>;
  /** The topic's high watermark per partition. */
  endOffsets(topic: string): Promise<Map<number, bigint>>;
  close(): Promise<void>;
}

let counter = 0;

export async function openTarget(name: TargetName): Promise<InteropTarget> {
  let hub: HubBrokerHandle | undefined;
  let bootstrap: string;
  if (name === "hub") {
    hub = await startHubBroker();
    bootstrap = hub.bootstrap;
  } else {
    bootstrap = await requireService("kafka");
  }
  const runId = `${process.pid}-${Date.now().toString(36)}`;
  let admin: Admin | undefined;
  const getAdmin = async (): Promise<Admin> => {
    if (!admin) {
      admin = new Kafka({ clientId: "interop-admin", brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
    }
    return admin;
  };
  return {
    name,
    bootstrap,
    unique: (prefix) => `${prefix}-${runId}-${++counter}`,
    async createTopic(topic, partitions, configs = {}) {
      const configEntries = Object.entries(configs).map(([name, value]) => ({ name, value }));
      const created = await (await getAdmin()).createTopics({ topics: [{ topic, numPartitions: partitions, configEntries }] });
      if (!created) throw new Error(`topic ${topic} already exists on ${name}`);
    },
    async committedOffsets(group, topic) {
      const [offsets] = await (await getAdmin()).fetchOffsets({ groupId: group, topics: [topic] });
      return new Map((offsets?.partitions ?? []).filter((p) => p.offset !== "-1").map((p) => [p.partition, BigInt(p.offset)]));
    },
    async endOffsets(topic) {
      const offsets = await (await getAdmin()).fetchTopicOffsets(topic);
      return new Map(offsets.map((p) => [p.partition, BigInt(p.high)]));
    },
    async close() {
      await admin?.disconnect();
      await hub?.destroy();
    },
  };
}

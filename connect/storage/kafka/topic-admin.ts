// Creates Connect's internal topics when they are missing and checks the ones that exist, as
// Kafka's TopicAdmin does for KafkaBasedLog: a new topic is compacted, with the configured
// partitions and replication factor (-1: the broker's default) and any extra topic settings the
// worker config gives (config.storage.*, offset.storage.*, status.storage.*); an existing topic
// must be compacted *only*: with "delete" in its cleanup.policy, retention would eventually
// drop connector configs, offsets or statuses, so the worker refuses to start.
import type { Admin, ConfigResourceTypes } from "kafkajs";
import { ConfigException } from "../../api/index.ts";
import type { Logger } from "../../../lib/logger.ts";

// kafkajs's ConfigResourceTypes.TOPIC. The enum itself cannot be imported by name: kafkajs is
// CommonJS and Node's ESM loader does not see that export (vitest's loader does, plain node not).
const TOPIC_RESOURCE = 2 as ConfigResourceTypes;

export interface TopicDescription {
  readonly name: string;
  readonly partitions: number;
  /** -1: the broker's default.replication.factor. */
  readonly replicationFactor: number;
  /** Extra topic configs; cleanup.policy is always compact. */
  readonly configs: Readonly<Record<string, string>>;
}

export interface TopicPurpose {
  /** The worker config key naming the topic, e.g. "config.storage.topic". */
  readonly configKey: string;
  /** What the topic holds, for messages: "connector configurations". */
  readonly holds: string;
}

/** Creates the topic if it does not exist; returns true if it was created here. */
export async function ensureTopic(admin: Admin, topic: TopicDescription, purpose: TopicPurpose, log: Logger): Promise<boolean> {
  const existing = await admin.listTopics();
  if (!existing.includes(topic.name)) {
    const configEntries = Object.entries({ ...topic.configs, "cleanup.policy": "compact" }).map(([name, value]) => ({ name, value }));
    try {
      const created = await admin.createTopics({
        waitForLeaders: true,
        topics: [{ topic: topic.name, numPartitions: topic.partitions, replicationFactor: topic.replicationFactor, configEntries }],
      });
      if (created) {
        log.info({ topic: topic.name, partitions: topic.partitions, replicationFactor: topic.replicationFactor, purpose: purpose.holds }, "created internal topic");
        return true;
      }
    } catch (e) {
      // Another worker may have created it meanwhile; anything else is fatal.
      if (!/already exists/i.test((e as Error).message)) {
        throw new ConfigException(`could not create topic '${topic.name}' (${purpose.configKey}) for ${purpose.holds}: ${(e as Error).message}`);
      }
    }
  }
  await verifyCompactOnly(admin, topic.name, purpose);
  return false;
}

/** Fails unless the topic's cleanup.policy is exactly "compact". */
export async function verifyCompactOnly(admin: Admin, topic: string, purpose: TopicPurpose): Promise<void> {
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: [{ type: TOPIC_RESOURCE, name: topic, configNames: ["cleanup.policy"] }],
  });
  const entry = described.resources[0]?.configEntries.find((c) => c.configName === "cleanup.policy");
  const policy = (entry?.configValue ?? "")
    .split(",")
    .map((p) => p.trim().toLowerCase())
    .filter((p) => p !== "");
  if (policy.length === 1 && policy[0] === "compact") return;
  throw new ConfigException(
    `Topic '${topic}' named by '${purpose.configKey}' must have 'cleanup.policy=compact' (only), but it has 'cleanup.policy=${entry?.configValue ?? ""}': ` +
      `with it the broker would in time delete ${purpose.holds}, and this Connect cluster could not restart correctly. ` +
      `Point '${purpose.configKey}' at a topic with 'cleanup.policy=compact'.`,
  );
}

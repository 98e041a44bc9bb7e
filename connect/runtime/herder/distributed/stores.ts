// The three Kafka-backed stores of a distributed worker, from its config (Kafka's
// DistributedConfig): config.storage.topic (one partition), offset.storage.topic and
// status.storage.topic with their .partitions and .replication.factor, plus any other topic
// setting given under the same prefix (e.g. offset.storage.min.insync.replicas=2), applied when
// the worker creates a missing topic.
import type { Kafka } from "kafkajs";
import type { KafkaClusterClient } from "../../../../lib/kafka-client/index.ts";
import type { Logger } from "../../../../lib/logger.ts";
import { KafkaConfigBackingStore } from "../../../storage/kafka/kafka-config-backing-store.ts";
import { KafkaOffsetBackingStore } from "../../../storage/kafka/kafka-offset-backing-store.ts";
import { KafkaStatusBackingStore } from "../../../storage/kafka/kafka-status-backing-store.ts";
import type { WorkerConfig } from "../../worker-config.ts";

export interface DistributedStores {
  readonly config: KafkaConfigBackingStore;
  readonly offset: KafkaOffsetBackingStore;
  readonly status: KafkaStatusBackingStore;
}

const OWN_KEYS = new Set(["topic", "partitions", "replication.factor"]);

/** Topic settings given as <prefix><topic config>, without the worker's own keys. */
export function topicSettings(config: WorkerConfig, prefix: "config.storage." | "offset.storage." | "status.storage."): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(config.originalsWithPrefix(prefix))) {
    if (OWN_KEYS.has(key) || key === "file.filename" || key === "cleanup.policy") continue;
    out[key] = String(value);
  }
  return out;
}

export function createDistributedStores(config: WorkerConfig, clients: { kafka: Kafka; client: KafkaClusterClient; log: Logger }): DistributedStores {
  const num = (key: string): number => Number(config.get(key));
  return {
    config: new KafkaConfigBackingStore({
      topic: config.getString("config.storage.topic") ?? "",
      replicationFactor: num("config.storage.replication.factor"),
      topicConfigs: topicSettings(config, "config.storage."),
      ...clients,
    }),
    offset: new KafkaOffsetBackingStore({
      topic: config.getString("offset.storage.topic") ?? "",
      partitions: num("offset.storage.partitions"),
      replicationFactor: num("offset.storage.replication.factor"),
      topicConfigs: topicSettings(config, "offset.storage."),
      ...clients,
    }),
    status: new KafkaStatusBackingStore({
      topic: config.getString("status.storage.topic") ?? "",
      partitions: num("status.storage.partitions"),
      replicationFactor: num("status.storage.replication.factor"),
      topicConfigs: topicSettings(config, "status.storage."),
      ...clients,
    }),
  };
}

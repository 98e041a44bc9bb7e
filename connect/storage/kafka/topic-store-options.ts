// What the offset and status stores are given (Kafka's <x>.storage.topic, <x>.storage.partitions,
// <x>.storage.replication.factor and the <x>.storage.* topic settings), and the topic those
// settings describe for the KafkaBasedLog that backs the store.
import type { Kafka } from "kafkajs";
import type { KafkaClusterClient } from "../../../lib/kafka-client/index.ts";
import type { Logger } from "../../../lib/logger.ts";
import type { TopicDescription } from "./topic-admin.ts";

export interface KafkaTopicStoreOptions {
  /** <x>.storage.topic */
  readonly topic: string;
  /** <x>.storage.partitions */
  readonly partitions: number;
  /** <x>.storage.replication.factor (-1: the broker default) */
  readonly replicationFactor: number;
  readonly topicConfigs?: Readonly<Record<string, string>>;
  readonly kafka: Kafka;
  readonly client: KafkaClusterClient;
  readonly log: Logger;
}

/** The store's topic as the KafkaBasedLog creates it when it is missing. */
export function storeTopic(options: KafkaTopicStoreOptions): TopicDescription {
  return { name: options.topic, partitions: options.partitions, replicationFactor: options.replicationFactor, configs: options.topicConfigs ?? {} };
}

// Creates the registry's topic (kafkastore.topic, `_schemas`) when it is missing and checks the
// one that exists, as Confluent's KafkaStore does before it reads:
// - a new topic gets one partition (the registry relies on a single ordered log), cleanup.policy
//   =compact plus any kafkastore.topic.config.* settings, and the replication factor asked for
//   (kafkastore.topic.replication.factor, 3 by default) capped at the number of live brokers,
//   with a warning when capped;
// - an existing topic with more than one partition is refused; fewer replicas than asked for is
//   a warning; a cleanup.policy other than exactly "compact" is logged as an error and refused
//   (retention would in time delete schemas, and ids would be reused);
// - kafkastore.topic.skip.validation skips all of it.
// Everything goes through the Kafka protocol (Metadata, CreateTopics, DescribeConfigs), so it
// works the same against the hub's broker and Apache Kafka. Retriable trouble (no broker
// reachable yet, a topic that has not reached every broker) is retried until the deadline
// (kafkastore.init.timeout.ms).
import { ApiKey, ErrorCode, KafkaError, isRetriable, type KafkaClusterClient, type TopicMetadata } from "../../lib/kafka-client/index.ts";
import { Backoff, sleep } from "../../lib/kafka-client/backoff.ts";
import type { Logger } from "../../lib/logger.ts";
import { RegistryStoreError, RegistryStoreTimeoutError } from "./store-errors.ts";

/** Kafka's ConfigResource.Type.TOPIC in DescribeConfigs. */
const TOPIC_RESOURCE = 2;

export interface SchemasTopicOptions {
  readonly client: KafkaClusterClient;
  readonly topic: string;
  /** kafkastore.topic.replication.factor: wanted, capped at the live brokers on creation. */
  readonly replicationFactor: number;
  /** kafkastore.topic.config.*: extra configs of a topic created here (cleanup.policy is always compact). */
  readonly topicConfigs: Readonly<Record<string, string>>;
  /** kafkastore.topic.skip.validation. */
  readonly skipValidation: boolean;
  /** Date.now() after which giving up (kafkastore.init.timeout.ms from the start). */
  readonly deadline: number;
  readonly initTimeoutMs: number;
  readonly log: Logger;
}

/** Makes sure the topic exists with one partition and is compacted; rejects with RegistryStoreError otherwise. */
export async function ensureSchemasTopic(o: SchemasTopicOptions): Promise<void> {
  if (o.skipValidation) {
    o.log.info({ topic: o.topic }, "kafkastore.topic.skip.validation is set: not creating or checking the schemas topic");
    return;
  }
  const described = await retrying(o, "describe", () => describeTopic(o.client, o.topic));
  if (described === null) {
    const created = await retrying(o, "create", () => createTopic(o));
    if (!created) await verifyTopic(o);
    await retrying(o, "find the leader of", () => partitionLed(o.client, o.topic));
    return;
  }
  await verifyTopic(o);
}

/** The topic's metadata, null if it does not exist. */
async function describeTopic(client: KafkaClusterClient, topic: string): Promise<TopicMetadata | null> {
  const t = (await client.refreshMetadata([topic])).topics.get(topic);
  if (!t || t.errorCode === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) return null;
  if (t.errorCode !== ErrorCode.NONE) throw new KafkaError(t.errorCode, `cannot describe topic "${topic}": ${new KafkaError(t.errorCode).errorName}`);
  return t;
}

/** Creates the topic; false when another instance created it first. */
async function createTopic(o: SchemasTopicOptions): Promise<boolean> {
  const meta = await o.client.refreshMetadata([]);
  const liveBrokers = meta.brokers.size;
  if (liveBrokers <= 0) throw new RegistryStoreError(`cannot create the schemas topic "${o.topic}": the cluster metadata lists no live Kafka broker`);
  const replicationFactor = Math.min(liveBrokers, o.replicationFactor);
  if (replicationFactor < o.replicationFactor) {
    o.log.warn(
      { topic: o.topic, replicationFactor, wanted: o.replicationFactor, liveBrokers },
      `creating the schemas topic with replication factor ${replicationFactor}, below the ${o.replicationFactor} asked for (kafkastore.topic.replication.factor), because only ${liveBrokers} broker(s) are live: in production, add brokers and raise the topic's replication factor`,
    );
  }
  o.log.info({ topic: o.topic, partitions: 1, replicationFactor }, "creating the schemas topic");
  const configs = Object.entries({ ...o.topicConfigs, "cleanup.policy": "compact" }).map(([name, value]) => ({ name, value }));
  const response = await o.client.send("any", ApiKey.CreateTopics, {
    topics: [{ name: o.topic, numPartitions: 1, replicationFactor, assignments: [], configs }],
    timeoutMs: Math.max(1000, o.deadline - Date.now()),
    validateOnly: false,
  });
  const result = response.topics.find((t) => t.name === o.topic);
  if (!result) throw new RegistryStoreError(`creating the schemas topic "${o.topic}": the broker's answer does not mention it`);
  if (result.errorCode === ErrorCode.TOPIC_ALREADY_EXISTS) return false;
  if (result.errorCode !== ErrorCode.NONE) {
    const err = new KafkaError(result.errorCode, `cannot create the schemas topic "${o.topic}": ${new KafkaError(result.errorCode).errorName}${result.errorMessage ? ` (${result.errorMessage})` : ""}`);
    // A retriable answer (the controller moving...) is retried by the caller; anything else is final.
    if (err.retriable) throw err;
    throw new RegistryStoreError(err.message, { cause: err });
  }
  return true;
}

/** Resolves once partition 0 of the topic has a leader (a new topic reaches the brokers one by one). */
async function partitionLed(client: KafkaClusterClient, topic: string): Promise<void> {
  const t = await describeTopic(client, topic);
  const p = t?.partitions.get(0);
  if (!p || p.leaderId < 0) throw new KafkaError(ErrorCode.LEADER_NOT_AVAILABLE, `partition 0 of "${topic}" has no leader yet`);
}

async function verifyTopic(o: SchemasTopicOptions): Promise<void> {
  o.log.info({ topic: o.topic }, "checking the schemas topic");
  const t = await retrying(o, "describe", async () => {
    const described = await describeTopic(o.client, o.topic);
    // Just created by another instance and not yet known to the broker that answered.
    if (!described || described.partitions.size === 0) throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `topic "${o.topic}" is not described yet`);
    return described;
  });
  if (t.partitions.size !== 1) {
    throw new RegistryStoreError(
      `the schemas topic "${o.topic}" has ${t.partitions.size} partitions, but it must have exactly 1: the registry's state is one ordered log. Point kafkastore.topic at a topic with a single partition.`,
    );
  }
  const replicas = t.partitions.get(0)?.replicas.length ?? 0;
  if (replicas < o.replicationFactor) {
    o.log.warn(
      { topic: o.topic, replicationFactor: replicas, wanted: o.replicationFactor },
      `the schemas topic has replication factor ${replicas}, below the ${o.replicationFactor} asked for (kafkastore.topic.replication.factor): in production, add brokers and raise the topic's replication factor`,
    );
  }
  const policy = await retrying(o, "read the configs of", () => cleanupPolicy(o.client, o.topic));
  if (policy !== "compact") {
    const message =
      `the schemas topic "${o.topic}" has cleanup.policy=${policy ?? "(none)"}, but it must be "compact": with deletion, Kafka would remove schemas once they pass the retention time. ` +
      `Set cleanup.policy=compact on the topic (kafka-configs --alter --entity-type topics --entity-name ${o.topic} --add-config cleanup.policy=compact).`;
    o.log.error({ topic: o.topic, cleanupPolicy: policy }, message);
    throw new RegistryStoreError(message);
  }
}

async function cleanupPolicy(client: KafkaClusterClient, topic: string): Promise<string | null> {
  const response = await client.send("any", ApiKey.DescribeConfigs, {
    resources: [{ resourceType: TOPIC_RESOURCE, resourceName: topic, configurationKeys: ["cleanup.policy"] }],
    includeSynonyms: false,
    includeDocumentation: false,
  });
  const result = response.results.find((r) => r.resourceName === topic);
  if (!result) throw new RegistryStoreError(`reading the configs of "${topic}": the broker's answer does not mention it`);
  if (result.errorCode !== ErrorCode.NONE) {
    throw new KafkaError(result.errorCode, `cannot read the configs of "${topic}": ${new KafkaError(result.errorCode).errorName}${result.errorMessage ? ` (${result.errorMessage})` : ""}`);
  }
  return result.configs.find((c) => c.name === "cleanup.policy")?.value ?? null;
}

/**
 * Runs `attempt` until it resolves, retrying retriable failures with backoff until the
 * deadline; a RegistryStoreError or a non-retriable failure ends it at once.
 */
async function retrying<T>(o: SchemasTopicOptions, what: string, attempt: () => Promise<T>): Promise<T> {
  const backoff = new Backoff(100, 1000);
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (err instanceof RegistryStoreError) throw err;
      const message = (err as Error).message;
      if (!isRetriable(err)) throw new RegistryStoreError(`cannot ${what} the schemas topic "${o.topic}": ${message}`, { cause: err });
      const left = o.deadline - Date.now();
      if (left <= 0) {
        throw new RegistryStoreTimeoutError(`timed out after ${o.initTimeoutMs} ms (kafkastore.init.timeout.ms) trying to ${what} the schemas topic "${o.topic}": ${message}`, { cause: err });
      }
      const wait = Math.min(backoff.next(), left);
      o.log.debug({ topic: o.topic, err: message, retryInMs: wait }, `cannot ${what} the schemas topic yet; retrying`);
      await sleep(wait);
    }
  }
}

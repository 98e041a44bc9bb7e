// CreateTopics (key 19), v2-7 (Kafka 4's range): partitions and replication factor may be
// left to the broker (-1); manual assignments must name only this broker; configs are checked
// against the topic config definitions; validate_only checks without creating.
import { describeTopicConfigs, validateTopicConfigs } from "../config/describe.ts";
import { ErrorCode, KafkaError } from "../protocol/generated/errors.ts";
import { defaultCreateTopicsResponse, type CreateTopicsResponseCreatableTopicResult } from "../protocol/generated/create-topics-response.ts";
import type { CreateTopicsRequestCreatableTopic } from "../protocol/generated/create-topics-request.ts";
import { validateTopicName } from "../log/log-manager.ts";
import { ZERO_UUID } from "../protocol/primitives/reader.ts";
import type { ApiHandler } from "../server/router.ts";
import type { BrokerCore } from "../core.ts";
import { errorFields } from "./kafka-error.ts";

/**
 * Kafka's controller refuses a CreateTopics request that would create more than 10,000
 * partitions in all (ReplicationControlManager.MAX_PARTITIONS_PER_BATCH) with POLICY_VIOLATION
 * for every topic, before looking at anything else: one request cannot make the broker
 * allocate millions of partition logs.
 */
export const MAX_PARTITIONS_PER_REQUEST = 10_000;

function totalPartitions(topics: readonly CreateTopicsRequestCreatableTopic[], defaultPartitions: number): number {
  let total = 0;
  for (const t of topics) {
    if (t.assignments.length > 0) total += t.assignments.length;
    else if (t.numPartitions === -1) total += defaultPartitions;
    else if (t.numPartitions > 0) total += t.numPartitions;
  }
  return total;
}

export function createTopicsHandler(core: BrokerCore): ApiHandler<19> {
  const plan = (t: CreateTopicsRequestCreatableTopic): { partitions: number; configs: Record<string, string> } => {
    validateTopicName(t.name);
    if (core.logs.topic(t.name)) throw new KafkaError(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${t.name}' already exists.`);
    let partitions = t.numPartitions === -1 ? core.config.numPartitions : t.numPartitions;
    if (t.assignments.length > 0) {
      if (t.numPartitions !== -1 || t.replicationFactor !== -1) {
        throw new KafkaError(ErrorCode.INVALID_REQUEST, "Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.");
      }
      const bad = t.assignments.find((a) => a.brokerIds.length !== 1 || a.brokerIds[0] !== core.identity.nodeId);
      if (bad) throw new KafkaError(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `Partition ${bad.partitionIndex} must be assigned to broker ${core.identity.nodeId} alone`);
      partitions = t.assignments.length;
    }
    if (partitions <= 0) throw new KafkaError(ErrorCode.INVALID_PARTITIONS, "Number of partitions was set to an invalid non-positive value.");
    const replication = t.replicationFactor === -1 ? core.config.defaultReplicationFactor : t.replicationFactor;
    if (replication <= 0) throw new KafkaError(ErrorCode.INVALID_REPLICATION_FACTOR, "Replication factor must be larger than 0, or -1 to use the default value.");
    if (replication > 1) throw new KafkaError(ErrorCode.INVALID_REPLICATION_FACTOR, `Unable to replicate the partition ${replication} time(s): The target replication factor of ${replication} cannot be reached because only 1 broker(s) are registered.`);
    const configs: Record<string, string> = {};
    for (const c of t.configs) {
      if (c.value === null) throw new KafkaError(ErrorCode.INVALID_CONFIG, `Null value not supported for topic configs: ${c.name}`);
      configs[c.name] = c.value;
    }
    validateTopicConfigs(configs);
    return { partitions, configs };
  };

  return {
    apiKey: 19,
    minVersion: 2,
    maxVersion: 7,
    handle(request, ctx) {
      const response = defaultCreateTopicsResponse();
      const seen = new Set<string>();
      const tooMany = totalPartitions(request.topics, core.config.numPartitions) > MAX_PARTITIONS_PER_REQUEST;
      response.topics = request.topics.map((t): CreateTopicsResponseCreatableTopicResult => {
        const result: CreateTopicsResponseCreatableTopicResult = {
          name: t.name, topicId: ZERO_UUID, errorCode: ErrorCode.NONE, errorMessage: null, topicConfigErrorCode: ErrorCode.NONE,
          numPartitions: -1, replicationFactor: -1, configs: null,
        };
        if (tooMany) return { ...result, errorCode: ErrorCode.POLICY_VIOLATION, errorMessage: "Excessively large number of partitions per request." };
        if (seen.has(t.name)) return { ...result, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: "Create topics request from client contains a duplicate topic" };
        seen.add(t.name);
        try {
          const { partitions, configs } = plan(t);
          const topicId = request.validateOnly ? ZERO_UUID : core.logs.createTopic(t.name, partitions, configs).topicId;
          if (!request.validateOnly) core.log.info({ topic: t.name, partitions }, "created topic");
          const described = ctx.version >= 5 ? describeTopicConfigs(configs, core.config.overrides, { keys: null, includeSynonyms: false, includeDocumentation: false }) : [];
          return {
            ...result, topicId, numPartitions: partitions, replicationFactor: 1,
            configs: described.map((c) => ({ name: c.name, value: c.value, readOnly: c.readOnly, configSource: c.configSource, isSensitive: c.isSensitive })),
          };
        } catch (err) {
          return { ...result, ...errorFields(err) };
        }
      });
      return response;
    },
  };
}

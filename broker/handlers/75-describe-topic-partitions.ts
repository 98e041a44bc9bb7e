// DescribeTopicPartitions (key 75), v0 (KIP-966): the paged topic description that Kafka's
// Admin client (3.8+) prefers to Metadata for describeTopics(), so kafka-topics --describe
// prints eligible leader replicas as Kafka does. One node leads every partition, so both ELR
// lists are empty (not null, which the tools print as N/A). Paging follows Kafka: topics in
// name order, at most min(2000, ResponsePartitionLimit) partitions per response, and a cursor
// naming the first partition left out. Left out: authorization (no ACLs here).
import { ErrorCode, KafkaError } from "../protocol/generated/errors.ts";
import {
  defaultDescribeTopicPartitionsResponse,
  type DescribeTopicPartitionsResponse,
  type DescribeTopicPartitionsResponseTopic,
} from "../protocol/generated/describe-topic-partitions-response.ts";
import { validateTopicName } from "../log/log-manager.ts";
import { ZERO_UUID } from "../protocol/primitives/reader.ts";
import type { ApiHandler } from "../server/router.ts";
import type { BrokerCore } from "../core.ts";

const NO_OPERATIONS = -2147483648;
/** Kafka's max.request.partition.size.limit default. */
const MAX_PARTITIONS_PER_RESPONSE = 2000;

export function describeTopicPartitionsHandler(core: BrokerCore): ApiHandler<75> {
  return {
    apiKey: 75,
    minVersion: 0,
    maxVersion: 0,
    handle(request) {
      const response = defaultDescribeTopicPartitionsResponse();
      const fetchAll = request.topics.length === 0;
      const cursorTopic = request.cursor?.topicName ?? "";
      const names = new Set((fetchAll ? core.logs.topicNames() : request.topics.map((t) => t.name)).filter((n) => n >= cursorTopic));
      if (!fetchAll && request.cursor && !names.has(request.cursor.topicName)) {
        // Kafka throws InvalidRequestException; its error response marks every requested topic.
        response.topics = request.topics.map((t) => ({
          errorCode: ErrorCode.INVALID_REQUEST,
          name: t.name,
          topicId: ZERO_UUID,
          isInternal: false,
          partitions: [],
          topicAuthorizedOperations: NO_OPERATIONS,
        }));
        return response;
      }
      let remaining = Math.min(MAX_PARTITIONS_PER_RESPONSE, request.responsePartitionLimit);
      for (const name of [...names].sort()) {
        if (remaining === 0) {
          response.nextCursor = { topicName: name, partitionIndex: 0 };
          break;
        }
        if (remaining < 0) break;
        const meta = core.logs.topic(name);
        if (!meta) {
          if (!fetchAll) response.topics.push(missingTopic(name));
          continue;
        }
        const nodeId = core.identity.nodeId;
        const start = name === cursorTopic ? (request.cursor?.partitionIndex ?? 0) : 0;
        const end = Math.min(meta.partitions, start + remaining);
        const topic: DescribeTopicPartitionsResponseTopic = {
          errorCode: ErrorCode.NONE,
          name,
          topicId: meta.topicId,
          isInternal: name.startsWith("__"),
          partitions: [],
          topicAuthorizedOperations: NO_OPERATIONS,
        };
        for (let partitionIndex = start; partitionIndex < end; partitionIndex++) {
          topic.partitions.push({
            errorCode: ErrorCode.NONE,
            partitionIndex,
            leaderId: nodeId,
            leaderEpoch: 0,
            replicaNodes: [nodeId],
            isrNodes: [nodeId],
            eligibleLeaderReplicas: [],
            lastKnownElr: [],
            offlineReplicas: [],
          });
        }
        response.topics.push(topic);
        if (end < meta.partitions) {
          response.nextCursor = { topicName: name, partitionIndex: end };
          break;
        }
        remaining -= topic.partitions.length;
      }
      return response satisfies DescribeTopicPartitionsResponse;
    },
  };
}

function missingTopic(name: string): DescribeTopicPartitionsResponseTopic {
  let errorCode: number = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
  try {
    validateTopicName(name);
  } catch (err) {
    if (!(err instanceof KafkaError)) throw err;
    errorCode = ErrorCode.INVALID_TOPIC_EXCEPTION;
  }
  return { errorCode, name, topicId: ZERO_UUID, isInternal: false, partitions: [], topicAuthorizedOperations: NO_OPERATIONS };
}

// Metadata (key 3), v0-12. One broker leads every partition (leader epoch 0, one replica).
// Topics asked for by name are auto-created when auto.create.topics.enable and the request
// allow it, with num.partitions partitions; v10+ requests may name topics by id.
import { ErrorCode } from "../protocol/generated/errors.ts";
import { defaultMetadataResponse, type MetadataResponseTopic } from "../protocol/generated/metadata-response.ts";
import { ZERO_UUID } from "../protocol/primitives/reader.ts";
import type { ApiHandler } from "../server/router.ts";
import type { BrokerCore } from "../core.ts";

const NO_OPERATIONS = -2147483648;

export function metadataHandler(core: BrokerCore): ApiHandler<3> {
  const describe = (name: string): MetadataResponseTopic => {
    const meta = core.logs.topic(name);
    const nodeId = core.identity.nodeId;
    if (!meta) {
      return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, name, topicId: ZERO_UUID, isInternal: false, partitions: [], topicAuthorizedOperations: NO_OPERATIONS };
    }
    return {
      errorCode: ErrorCode.NONE,
      name,
      topicId: meta.topicId,
      isInternal: name.startsWith("__"),
      partitions: Array.from({ length: meta.partitions }, (_, partitionIndex) => ({
        errorCode: ErrorCode.NONE,
        partitionIndex,
        leaderId: nodeId,
        leaderEpoch: 0,
        replicaNodes: [nodeId],
        isrNodes: [nodeId],
        offlineReplicas: [],
      })),
      topicAuthorizedOperations: NO_OPERATIONS,
    };
  };

  return {
    apiKey: 3,
    minVersion: 0,
    maxVersion: 12,
    handle(request, ctx) {
      const { nodeId, host, port, clusterId } = core.identity;
      const response = defaultMetadataResponse();
      response.brokers = [{ nodeId, host, port, rack: null }];
      response.clusterId = clusterId;
      response.controllerId = nodeId;
      response.clusterAuthorizedOperations = NO_OPERATIONS;
      // v0: an empty list means every topic; v1+: null means every topic.
      const all = request.topics === null || (ctx.version === 0 && request.topics.length === 0);
      if (all) {
        response.topics = core.logs.topicNames().sort().map(describe);
        return response;
      }
      const allowAutoCreate = ctx.version < 4 || request.allowAutoTopicCreation;
      const requested = request.topics ?? [];
      if (ctx.version < 12 && requested.some((t) => t.name === null || t.topicId !== ZERO_UUID)) {
        // As Kafka: v10-11 carry topic ids but cannot look topics up by them (nor encode a null
        // name), so the request is refused with INVALID_REQUEST on every topic.
        response.topics = requested.map((t) => ({
          errorCode: ErrorCode.INVALID_REQUEST, name: t.name ?? "", topicId: t.topicId, isInternal: false, partitions: [], topicAuthorizedOperations: NO_OPERATIONS,
        }));
        return response;
      }
      response.topics = requested.map((t) => {
        // v12: a topic id, when given, wins over the name (Kafka looks the topic up by id).
        let name = t.topicId !== ZERO_UUID ? null : t.name;
        if (name === null) {
          name = core.logs.topicById(t.topicId)?.name ?? null;
          if (name === null) {
            return { errorCode: ErrorCode.UNKNOWN_TOPIC_ID, name: null, topicId: t.topicId, isInternal: false, partitions: [], topicAuthorizedOperations: NO_OPERATIONS };
          }
        }
        if (!core.logs.topic(name) && allowAutoCreate && !core.autoCreateTopic(name)) {
          // autoCreateTopic said no because the name is illegal
          return { ...describe(name), errorCode: core.config.autoCreateTopics ? ErrorCode.INVALID_TOPIC_EXCEPTION : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
        }
        return describe(name);
      });
      return response;
    },
  };
}

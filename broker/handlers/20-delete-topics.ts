// DeleteTopics (key 20), v1-6 (by name; by name or id from v6). Deleting a topic also drops
// its producer state and the offsets groups committed for it, as Kafka does.
import { ErrorCode, KafkaError } from "../protocol/generated/errors.ts";
import { defaultDeleteTopicsResponse } from "../protocol/generated/delete-topics-response.ts";
import { ZERO_UUID } from "../protocol/primitives/reader.ts";
import type { ApiHandler } from "../server/router.ts";
import type { BrokerCore } from "../core.ts";
import { errorFields } from "./kafka-error.ts";

export function deleteTopicsHandler(core: BrokerCore): ApiHandler<20> {
  return {
    apiKey: 20,
    minVersion: 1,
    maxVersion: 6,
    handle(request, ctx) {
      const wanted = ctx.version >= 6 ? request.topics : request.topicNames.map((name) => ({ name, topicId: ZERO_UUID }));
      const response = defaultDeleteTopicsResponse();
      response.responses = wanted.map(({ name, topicId }) => {
        const meta = name !== null ? core.logs.topic(name) : core.logs.topicById(topicId);
        const result = { name: meta?.name ?? name, topicId: meta?.topicId ?? topicId, errorCode: ErrorCode.NONE as number, errorMessage: null as string | null };
        try {
          if (!core.config.deleteTopicEnable) throw new KafkaError(ErrorCode.TOPIC_DELETION_DISABLED, "Topic deletion is disabled.");
          if (!meta) {
            throw name !== null
              ? new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "This server does not host this topic-partition.")
              : new KafkaError(ErrorCode.UNKNOWN_TOPIC_ID, `Topic id ${topicId} does not exist.`);
          }
          if (meta.name.startsWith("__")) throw new KafkaError(ErrorCode.INVALID_REQUEST, `Internal topic ${meta.name} cannot be deleted.`);
          core.logs.deleteTopic(meta.name);
          core.forgetTopic(meta.name);
          core.log.info({ topic: meta.name }, "deleted topic");
          return result;
        } catch (err) {
          return { ...result, ...errorFields(err) };
        }
      });
      return response;
    },
  };
}

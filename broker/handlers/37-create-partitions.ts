// CreatePartitions (key 37), v0-3: grows a topic; explicit assignments must name this broker.
import { ErrorCode, KafkaError } from "../protocol/generated/errors.ts";
import { defaultCreatePartitionsResponse } from "../protocol/generated/create-partitions-response.ts";
import type { ApiHandler } from "../server/router.ts";
import { MAX_PARTITIONS_PER_REQUEST } from "./19-create-topics.ts";
import type { BrokerCore } from "../core.ts";
import { errorFields } from "./kafka-error.ts";

export function createPartitionsHandler(core: BrokerCore): ApiHandler<37> {
  return {
    apiKey: 37,
    minVersion: 0,
    maxVersion: 3,
    handle(request) {
      const response = defaultCreatePartitionsResponse();
      let added = 0;
      for (const t of request.topics) {
        const current = core.logs.topic(t.name)?.partitions;
        if (current !== undefined && t.count > current) added += t.count - current;
      }
      if (added > MAX_PARTITIONS_PER_REQUEST) {
        // Kafka's controller fails such a request as a whole (its per-operation record limit).
        response.results = request.topics.map((t) => ({ name: t.name, errorCode: ErrorCode.POLICY_VIOLATION, errorMessage: "Unable to perform excessively large batch operation." }));
        return response;
      }
      response.results = request.topics.map((t) => {
        try {
          const meta = core.logs.topic(t.name);
          if (!meta) throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `The topic '${t.name}' does not exist.`);
          if (t.count <= meta.partitions) {
            throw new KafkaError(ErrorCode.INVALID_PARTITIONS, `Topic currently has ${meta.partitions} partitions, which is higher than the requested ${t.count}.`);
          }
          if (t.assignments && (t.assignments.length !== t.count - meta.partitions || t.assignments.some((a) => a.brokerIds.some((b) => b !== core.identity.nodeId)))) {
            throw new KafkaError(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `Assignments must give one replica on broker ${core.identity.nodeId} for each of the ${t.count - meta.partitions} new partitions`);
          }
          if (!request.validateOnly) {
            core.logs.createPartitions(t.name, t.count);
            core.log.info({ topic: t.name, partitions: t.count }, "added partitions");
          }
          return { name: t.name, errorCode: ErrorCode.NONE, errorMessage: null };
        } catch (err) {
          return { name: t.name, ...errorFields(err) };
        }
      });
      return response;
    },
  };
}

// DescribeProducers (key 61), v0: the idempotent producers each partition has seen.
import { ErrorCode } from "../protocol/generated/errors.ts";
import { defaultDescribeProducersResponse } from "../protocol/generated/describe-producers-response.ts";
import type { ApiHandler } from "../server/router.ts";
import type { BrokerCore } from "../core.ts";

export function describeProducersHandler(core: BrokerCore): ApiHandler<61> {
  return {
    apiKey: 61,
    minVersion: 0,
    maxVersion: 0,
    handle(request) {
      const response = defaultDescribeProducersResponse();
      response.topics = request.topics.map((t) => ({
        name: t.name,
        partitions: t.partitionIndexes.map((partitionIndex) => {
          if (!core.logs.log(t.name, partitionIndex)) {
            return { partitionIndex, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: null, activeProducers: [] };
          }
          const activeProducers = core.producerState(t.name, partitionIndex).describe().map((p) => ({
            producerId: p.producerId, producerEpoch: p.epoch, lastSequence: p.lastSequence, lastTimestamp: -1n, coordinatorEpoch: -1, currentTxnStartOffset: -1n,
          }));
          return { partitionIndex, errorCode: ErrorCode.NONE, errorMessage: null, activeProducers };
        }),
      }));
      return response;
    },
  };
}

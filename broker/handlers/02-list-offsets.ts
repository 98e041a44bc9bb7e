// ListOffsets (key 2), v1-10: earliest (-2), latest (-1), max timestamp (-3, KIP-734),
// earliest local (-4, KIP-405: the same as earliest without tiered storage), and by
// timestamp (the first offset whose batch max timestamp is at or after it).
// v0 (old-style offset arrays) is not offered; Kafka 4 dropped it too.
import { ErrorCode } from "../protocol/generated/errors.ts";
import { defaultListOffsetsResponse } from "../protocol/generated/list-offsets-response.ts";
import type { ApiHandler } from "../server/router.ts";
import type { BrokerCore } from "../core.ts";

const LATEST = -1n;
const EARLIEST = -2n;
const MAX_TIMESTAMP = -3n;
const EARLIEST_LOCAL = -4n;
const LATEST_TIERED = -5n;

export function listOffsetsHandler(core: BrokerCore): ApiHandler<2> {
  return {
    apiKey: 2,
    minVersion: 1,
    maxVersion: 10,
    handle(request) {
      const response = defaultListOffsetsResponse();
      response.topics = request.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => {
          const answer = { partitionIndex: p.partitionIndex, errorCode: ErrorCode.NONE as number, oldStyleOffsets: [] as bigint[], timestamp: -1n, offset: -1n, leaderEpoch: -1 };
          const log = core.logs.log(t.name, p.partitionIndex);
          if (!log) return { ...answer, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
          answer.leaderEpoch = 0;
          if (p.timestamp === LATEST) answer.offset = log.highWatermark;
          else if (p.timestamp === EARLIEST || p.timestamp === EARLIEST_LOCAL) answer.offset = log.logStartOffset;
          else if (p.timestamp === LATEST_TIERED) answer.offset = -1n;
          else if (p.timestamp === MAX_TIMESTAMP) {
            const found = log.maxTimestamp();
            if (found) Object.assign(answer, { offset: found.offset, timestamp: found.timestamp });
          } else if (p.timestamp < 0n) return { ...answer, errorCode: ErrorCode.INVALID_REQUEST };
          else {
            const found = log.offsetForTimestamp(p.timestamp);
            if (found) Object.assign(answer, { offset: found.offset, timestamp: found.timestamp });
          }
          return answer;
        }),
      }));
      return response;
    },
  };
}

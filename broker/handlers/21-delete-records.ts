// DeleteRecords (key 21), v0-2: moves a partition's log start offset (-1 means the high
// watermark); offsets beyond the high watermark are OFFSET_OUT_OF_RANGE.
import { ErrorCode } from "../protocol/generated/errors.ts";
import { defaultDeleteRecordsResponse } from "../protocol/generated/delete-records-response.ts";
import type { ApiHandler } from "../server/router.ts";
import type { BrokerCore } from "../core.ts";

export function deleteRecordsHandler(core: BrokerCore): ApiHandler<21> {
  return {
    apiKey: 21,
    minVersion: 0,
    maxVersion: 2,
    handle(request) {
      const response = defaultDeleteRecordsResponse();
      response.topics = request.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => {
          const log = core.logs.log(t.name, p.partitionIndex);
          if (!log) return { partitionIndex: p.partitionIndex, lowWatermark: -1n, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
          const target = p.offset === -1n ? log.highWatermark : p.offset;
          if (target < 0n || target > log.highWatermark) return { partitionIndex: p.partitionIndex, lowWatermark: -1n, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE };
          return { partitionIndex: p.partitionIndex, lowWatermark: log.deleteRecordsBefore(target), errorCode: ErrorCode.NONE };
        }),
      }));
      return response;
    },
  };
}

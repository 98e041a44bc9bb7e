// OffsetCommit (key 8), v2-9 (Kafka 4's range): answered once the commit is in
// __consumer_offsets. Commits to partitions that do not exist get UNKNOWN_TOPIC_OR_PARTITION.
import type { GroupCoordinator } from "../coordinator/group/coordinator.ts";
import { ErrorCode } from "../protocol/generated/errors.ts";
import { defaultOffsetCommitResponse } from "../protocol/generated/offset-commit-response.ts";
import type { ApiHandler } from "../server/router.ts";
import type { BrokerCore } from "../core.ts";

export function offsetCommitHandler(groups: GroupCoordinator, core: BrokerCore): ApiHandler<8> {
  return {
    apiKey: 8,
    minVersion: 2,
    maxVersion: 9,
    async handle(request) {
      const known = request.topics.map((t) => ({ name: t.name, partitions: t.partitions.filter((p) => core.logs.log(t.name, p.partitionIndex)) }));
      const result = await groups.commitOffsets({
        groupId: request.groupId,
        generationId: request.generationIdOrMemberEpoch,
        memberId: request.memberId,
        groupInstanceId: request.groupInstanceId,
        topics: known.filter((t) => t.partitions.length > 0),
      });
      const errors = new Map(result.topics.flatMap((t) => t.partitions.map((p) => [`${t.name}\u0000${p.partitionIndex}`, p.errorCode] as const)));
      const response = defaultOffsetCommitResponse();
      response.topics = request.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({
          partitionIndex: p.partitionIndex,
          errorCode: errors.get(`${t.name}\u0000${p.partitionIndex}`) ?? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
        })),
      }));
      return response;
    },
  };
}

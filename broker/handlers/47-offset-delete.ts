// OffsetDelete (key 47), v0: removes a group's committed offsets for partitions it no longer
// consumes (GROUP_SUBSCRIBED_TO_TOPIC while a member subscribes to the topic).
import type { GroupCoordinator } from "../coordinator/group/coordinator.ts";
import { defaultOffsetDeleteResponse } from "../protocol/generated/offset-delete-response.ts";
import type { ApiHandler } from "../server/router.ts";

export function offsetDeleteHandler(groups: GroupCoordinator): ApiHandler<47> {
  return {
    apiKey: 47,
    minVersion: 0,
    maxVersion: 0,
    async handle(request) {
      const result = await groups.deleteOffsets(
        request.groupId,
        request.topics.map((t) => ({ name: t.name, partitionIndexes: t.partitions.map((p) => p.partitionIndex) })),
      );
      return Object.assign(defaultOffsetDeleteResponse(), result);
    },
  };
}

// SyncGroup (key 14), v0-5: the leader's assignment reaches every member.
import type { GroupCoordinator } from "../coordinator/group/coordinator.ts";
import { defaultSyncGroupResponse } from "../protocol/generated/sync-group-response.ts";
import type { ApiHandler } from "../server/router.ts";

export function syncGroupHandler(groups: GroupCoordinator): ApiHandler<14> {
  return {
    apiKey: 14,
    minVersion: 0,
    maxVersion: 5,
    async handle(request, ctx) {
      const result = await groups.syncGroup({
        groupId: request.groupId,
        generationId: request.generationId,
        memberId: request.memberId,
        groupInstanceId: request.groupInstanceId,
        protocolType: ctx.version >= 5 ? request.protocolType : null,
        protocolName: ctx.version >= 5 ? request.protocolName : null,
        assignments: request.assignments,
      });
      return Object.assign(defaultSyncGroupResponse(), result);
    },
  };
}

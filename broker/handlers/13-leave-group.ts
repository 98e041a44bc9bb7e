// LeaveGroup (key 13), v0-5: one member (v0-2) or a batch of members by id or instance id (v3+).
import type { GroupCoordinator } from "../coordinator/group/coordinator.ts";
import { defaultLeaveGroupResponse } from "../protocol/generated/leave-group-response.ts";
import type { ApiHandler } from "../server/router.ts";

export function leaveGroupHandler(groups: GroupCoordinator): ApiHandler<13> {
  return {
    apiKey: 13,
    minVersion: 0,
    maxVersion: 5,
    handle(request, ctx) {
      const members = ctx.version >= 3 ? request.members : [{ memberId: request.memberId, groupInstanceId: null, reason: null }];
      const result = groups.leaveGroup({ groupId: request.groupId, members });
      const response = defaultLeaveGroupResponse();
      if (ctx.version >= 3) Object.assign(response, result);
      else response.errorCode = result.errorCode !== 0 ? result.errorCode : (result.members[0]?.errorCode ?? 0);
      return response;
    },
  };
}

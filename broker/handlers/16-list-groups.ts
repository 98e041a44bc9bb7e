// ListGroups (key 16), v0-5 (state filter from v4, type filter from v5).
import type { GroupCoordinator } from "../coordinator/group/coordinator.ts";
import { defaultListGroupsResponse } from "../protocol/generated/list-groups-response.ts";
import type { ApiHandler } from "../server/router.ts";

export function listGroupsHandler(groups: GroupCoordinator): ApiHandler<16> {
  return {
    apiKey: 16,
    minVersion: 0,
    maxVersion: 5,
    handle(request, ctx) {
      const result = groups.listGroups(ctx.version >= 4 ? request.statesFilter : [], ctx.version >= 5 ? request.typesFilter : []);
      return Object.assign(defaultListGroupsResponse(), { errorCode: result.errorCode, groups: result.groups.map((g) => ({ ...g })) });
    },
  };
}

// DescribeGroups (key 15), v0-5.
import type { GroupCoordinator } from "../coordinator/group/coordinator.ts";
import { defaultDescribeGroupsResponse } from "../protocol/generated/describe-groups-response.ts";
import type { ApiHandler } from "../server/router.ts";

export function describeGroupsHandler(groups: GroupCoordinator): ApiHandler<15> {
  return {
    apiKey: 15,
    minVersion: 0,
    maxVersion: 5,
    handle(request) {
      const response = defaultDescribeGroupsResponse();
      response.groups = groups.describeGroups(request.groups).map((g) => ({ ...g, authorizedOperations: -2147483648 }));
      return response;
    },
  };
}

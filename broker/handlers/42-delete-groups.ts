// DeleteGroups (key 42), v0-2: only empty groups can be deleted (NON_EMPTY_GROUP otherwise).
import type { GroupCoordinator } from "../coordinator/group/coordinator.ts";
import { defaultDeleteGroupsResponse } from "../protocol/generated/delete-groups-response.ts";
import type { ApiHandler } from "../server/router.ts";

export function deleteGroupsHandler(groups: GroupCoordinator): ApiHandler<42> {
  return {
    apiKey: 42,
    minVersion: 0,
    maxVersion: 2,
    async handle(request) {
      const response = defaultDeleteGroupsResponse();
      response.results = await groups.deleteGroups(request.groupsNames);
      return response;
    },
  };
}

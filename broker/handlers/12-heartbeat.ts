// Heartbeat (key 12), v0-4.
import type { GroupCoordinator } from "../coordinator/group/coordinator.ts";
import { defaultHeartbeatResponse } from "../protocol/generated/heartbeat-response.ts";
import type { ApiHandler } from "../server/router.ts";

export function heartbeatHandler(groups: GroupCoordinator): ApiHandler<12> {
  return {
    apiKey: 12,
    minVersion: 0,
    maxVersion: 4,
    handle(request) {
      return Object.assign(defaultHeartbeatResponse(), groups.heartbeat(request));
    },
  };
}

// The group coordinator's APIs, registered together once the coordinator is loaded.
import type { GroupCoordinator } from "../coordinator/group/coordinator.ts";
import type { BrokerCore } from "../core.ts";
import type { ApiHandler } from "../server/router.ts";
import { offsetCommitHandler } from "./08-offset-commit.ts";
import { offsetFetchHandler } from "./09-offset-fetch.ts";
import { joinGroupHandler } from "./11-join-group.ts";
import { heartbeatHandler } from "./12-heartbeat.ts";
import { leaveGroupHandler } from "./13-leave-group.ts";
import { syncGroupHandler } from "./14-sync-group.ts";
import { describeGroupsHandler } from "./15-describe-groups.ts";
import { listGroupsHandler } from "./16-list-groups.ts";
import { deleteGroupsHandler } from "./42-delete-groups.ts";
import { offsetDeleteHandler } from "./47-offset-delete.ts";

export function groupHandlers(groups: GroupCoordinator, core: BrokerCore): ApiHandler[] {
  return [
    offsetCommitHandler(groups, core), offsetFetchHandler(groups), joinGroupHandler(groups), heartbeatHandler(groups),
    leaveGroupHandler(groups), syncGroupHandler(groups), describeGroupsHandler(groups), listGroupsHandler(groups),
    deleteGroupsHandler(groups), offsetDeleteHandler(groups),
  ] as unknown as ApiHandler[];
}

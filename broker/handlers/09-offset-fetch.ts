// OffsetFetch (key 9), v1-9: one group (v1-7, null topics = all from v2) or several (v8+).
import type { GroupCoordinator } from "../coordinator/group/coordinator.ts";
import { defaultOffsetFetchResponse } from "../protocol/generated/offset-fetch-response.ts";
import type { ApiHandler } from "../server/router.ts";

export function offsetFetchHandler(groups: GroupCoordinator): ApiHandler<9> {
  return {
    apiKey: 9,
    minVersion: 1,
    maxVersion: 9,
    handle(request, ctx) {
      const response = defaultOffsetFetchResponse();
      if (ctx.version >= 8) {
        response.groups = request.groups.map((g) => {
          const result = groups.fetchOffsets(g.groupId, g.topics, request.requireStable);
          return { groupId: g.groupId, errorCode: result.errorCode, topics: result.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ ...p })) })) };
        });
        return response;
      }
      const result = groups.fetchOffsets(request.groupId, request.topics, ctx.version >= 7 && request.requireStable);
      response.errorCode = result.errorCode;
      response.topics = result.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ ...p })) }));
      return response;
    },
  };
}

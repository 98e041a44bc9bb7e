// FindCoordinator (key 10), v0-6: this node coordinates every group (key type 0). Transaction
// coordinators (key type 1) are not offered: transactions are not supported (see SKIPPED.md),
// and share groups (key type 2) neither.
import { ErrorCode } from "../protocol/generated/errors.ts";
import { defaultFindCoordinatorResponse } from "../protocol/generated/find-coordinator-response.ts";
import type { ApiHandler } from "../server/router.ts";
import type { BrokerCoreBase } from "../core.ts";

export function findCoordinatorHandler(core: BrokerCoreBase): ApiHandler<10> {
  return {
    apiKey: 10,
    minVersion: 0,
    maxVersion: 6,
    handle(request, ctx) {
      const { nodeId, host, port } = core.identity;
      const answer = (key: string): { errorCode: number; errorMessage: string | null } =>
        request.keyType === 0
          ? { errorCode: ErrorCode.NONE, errorMessage: null }
          : { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, errorMessage: `no coordinator of key type ${request.keyType} for '${key}': transactions and share groups are not supported` };
      const response = defaultFindCoordinatorResponse();
      if (ctx.version < 4) {
        const { errorCode, errorMessage } = answer(request.key);
        Object.assign(response, { errorCode, errorMessage, nodeId, host, port });
      } else {
        response.coordinators = request.coordinatorKeys.map((key) => ({ key, nodeId, host, port, ...answer(key) }));
      }
      return response;
    },
  };
}

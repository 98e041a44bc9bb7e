// ApiVersions (key 18), v0-4. Advertises exactly the handlers registered in the router (but
// Produce from v0, as Kafka does: see below).
// Left out: supported/finalized features (a single node has no feature-level negotiation to
// offer; Kafka clients treat the absent tags as "none").
import { ErrorCode } from "../protocol/generated/errors.ts";
import { defaultApiVersionsResponse } from "../protocol/generated/api-versions-response.ts";
import type { ApiHandler } from "../server/router.ts";
import type { BrokerCoreBase } from "../core.ts";

export function apiVersionsHandler(core: BrokerCoreBase): ApiHandler<18> {
  return {
    apiKey: 18,
    minVersion: 0,
    maxVersion: 4,
    handle(request, ctx) {
      const response = defaultApiVersionsResponse();
      // KIP-511: v3+ requests name the client software; Kafka validates the strings.
      if (ctx.version >= 3 && !/^[a-zA-Z0-9](?:[a-zA-Z0-9\-.]*[a-zA-Z0-9])?$/.test(request.clientSoftwareName)) {
        response.errorCode = ErrorCode.INVALID_REQUEST;
      }
      // Produce is advertised from v0 although only v3+ is served (a v0-2 request closes the
      // connection): Kafka 4 does the same (KAFKA-18659), because librdkafka < 2.10 sends no
      // gzip/snappy/lz4 batches to a broker whose Produce range does not include v0.
      response.apiKeys = core.supportedApis().map((api) => (api.apiKey === 0 ? { ...api, minVersion: 0 } : { ...api }));
      return response;
    },
  };
}

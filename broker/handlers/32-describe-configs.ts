// DescribeConfigs (key 32), v0-4: topic and broker resources. Broker loggers (type 8) answer
// with an empty list; dynamic broker configs do not exist here (server.properties is static).
import { describeBrokerConfigs, describeTopicConfigs, ResourceType } from "../config/describe.ts";
import { ErrorCode } from "../protocol/generated/errors.ts";
import { defaultDescribeConfigsResponse } from "../protocol/generated/describe-configs-response.ts";
import type { ApiHandler } from "../server/router.ts";
import type { BrokerCore } from "../core.ts";

export function describeConfigsHandler(core: BrokerCore): ApiHandler<32> {
  return {
    apiKey: 32,
    minVersion: 0,
    maxVersion: 4,
    handle(request, ctx) {
      const response = defaultDescribeConfigsResponse();
      response.results = request.resources.map((res) => {
        const base = { errorCode: ErrorCode.NONE as number, errorMessage: null as string | null, resourceType: res.resourceType, resourceName: res.resourceName, configs: [] as ReturnType<typeof describeTopicConfigs> };
        const opts = { keys: res.configurationKeys, includeSynonyms: ctx.version >= 1 && request.includeSynonyms, includeDocumentation: request.includeDocumentation };
        if (res.resourceType === ResourceType.TOPIC) {
          const meta = core.logs.topic(res.resourceName);
          if (!meta) return { ...base, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: `Topic '${res.resourceName}' does not exist.` };
          return { ...base, configs: describeTopicConfigs(meta.configs, core.config.overrides, opts) };
        }
        if (res.resourceType === ResourceType.BROKER) {
          if (res.resourceName !== "" && res.resourceName !== String(core.identity.nodeId)) {
            return { ...base, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `Unexpected broker id, expected ${core.identity.nodeId} or empty string, but received ${res.resourceName}` };
          }
          return { ...base, configs: describeBrokerConfigs(core.config.overrides, opts) };
        }
        if (res.resourceType === ResourceType.BROKER_LOGGER) return base;
        return { ...base, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `Unsupported resource type ${res.resourceType}` };
      });
      return response;
    },
  };
}

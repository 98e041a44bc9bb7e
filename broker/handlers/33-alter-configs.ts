// AlterConfigs (key 33), v0-2: replaces a topic's whole set of overrides.
import { ErrorCode, KafkaError } from "../protocol/generated/errors.ts";
import { defaultAlterConfigsResponse } from "../protocol/generated/alter-configs-response.ts";
import type { ApiHandler } from "../server/router.ts";
import type { BrokerCore } from "../core.ts";
import { alterResource } from "./alter-topic-configs.ts";

export function alterConfigsHandler(core: BrokerCore): ApiHandler<33> {
  return {
    apiKey: 33,
    minVersion: 0,
    maxVersion: 2,
    handle(request) {
      const response = defaultAlterConfigsResponse();
      response.responses = request.resources.map((res) =>
        alterResource(core, res.resourceType, res.resourceName, request.validateOnly, () => {
          const configs: Record<string, string> = {};
          for (const c of res.configs) {
            if (c.value === null) throw new KafkaError(ErrorCode.INVALID_REQUEST, `Null value not supported for: ${c.name}`);
            configs[c.name] = c.value;
          }
          return configs;
        }),
      );
      return response;
    },
  };
}

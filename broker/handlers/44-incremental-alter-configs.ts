// IncrementalAlterConfigs (key 44), v0-1: SET, DELETE, APPEND and SUBTRACT (the last two for
// list-typed configs such as cleanup.policy) on a topic's overrides.
import { TOPIC_CONFIG_BY_NAME } from "../config/definitions.ts";
import { ErrorCode, KafkaError } from "../protocol/generated/errors.ts";
import { defaultIncrementalAlterConfigsResponse } from "../protocol/generated/incremental-alter-configs-response.ts";
import type { ApiHandler } from "../server/router.ts";
import type { BrokerCore } from "../core.ts";
import { alterResource } from "./alter-topic-configs.ts";

const SET = 0;
const DELETE = 1;
const APPEND = 2;
const SUBTRACT = 3;

export function incrementalAlterConfigsHandler(core: BrokerCore): ApiHandler<44> {
  return {
    apiKey: 44,
    minVersion: 0,
    maxVersion: 1,
    handle(request) {
      const response = defaultIncrementalAlterConfigsResponse();
      response.responses = request.resources.map((res) =>
        alterResource(core, res.resourceType, res.resourceName, request.validateOnly, (current) => {
          const configs: Record<string, string> = { ...current };
          for (const c of res.configs) {
            const def = TOPIC_CONFIG_BY_NAME.get(c.name);
            if (!def) throw new KafkaError(ErrorCode.INVALID_CONFIG, `Unknown topic config name: ${c.name}`);
            if (c.configOperation === DELETE) {
              delete configs[c.name];
              continue;
            }
            if (c.value === null) throw new KafkaError(ErrorCode.INVALID_REQUEST, `Null value not supported for: ${c.name}`);
            if (c.configOperation === SET) configs[c.name] = c.value;
            else if (c.configOperation === APPEND || c.configOperation === SUBTRACT) {
              if (def.type !== "LIST") throw new KafkaError(ErrorCode.INVALID_CONFIG, `Config value append/subtract is not allowed for config key: ${c.name}`);
              const items = (configs[c.name] ?? def.default ?? "").split(",").map((s) => s.trim()).filter(Boolean);
              const given = c.value.split(",").map((s) => s.trim()).filter(Boolean);
              const result = c.configOperation === APPEND ? [...items, ...given.filter((g) => !items.includes(g))] : items.filter((i) => !given.includes(i));
              configs[c.name] = result.join(",");
            } else throw new KafkaError(ErrorCode.INVALID_REQUEST, `Unknown config operation ${c.configOperation}`);
          }
          return configs;
        }),
      );
      return response;
    },
  };
}

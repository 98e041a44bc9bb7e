// Shared by AlterConfigs and IncrementalAlterConfigs: applies a new set of topic overrides
// after validating it, or reports why not. Broker configs are static (server.properties).
import { ResourceType, validateTopicConfigs } from "../config/describe.ts";
import { ErrorCode, KafkaError } from "../protocol/generated/errors.ts";
import type { BrokerCore } from "../core.ts";
import { errorFields } from "./kafka-error.ts";

export interface AlterResult {
  errorCode: number;
  errorMessage: string | null;
  resourceType: number;
  resourceName: string;
}

export function alterResource(
  core: BrokerCore,
  resourceType: number,
  resourceName: string,
  validateOnly: boolean,
  next: (current: Readonly<Record<string, string>>) => Record<string, string>,
): AlterResult {
  const base = { errorCode: ErrorCode.NONE as number, errorMessage: null as string | null, resourceType, resourceName };
  try {
    if (resourceType === ResourceType.BROKER || resourceType === ResourceType.BROKER_LOGGER) {
      throw new KafkaError(ErrorCode.INVALID_REQUEST, "Broker configs are static here: change server.properties and restart the broker");
    }
    if (resourceType !== ResourceType.TOPIC) throw new KafkaError(ErrorCode.INVALID_REQUEST, `Unsupported resource type ${resourceType}`);
    const meta = core.logs.topic(resourceName);
    if (!meta) throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic ${resourceName} does not exist`);
    const configs = next(meta.configs);
    validateTopicConfigs(configs);
    if (!validateOnly) {
      core.logs.setTopicConfigs(resourceName, configs);
      core.log.info({ topic: resourceName, configs }, "changed topic configs");
    }
    return base;
  } catch (err) {
    return { ...base, ...errorFields(err) };
  }
}

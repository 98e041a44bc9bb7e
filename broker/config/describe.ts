// DescribeConfigs answers for topics and the broker: each config's value, where it came from
// (a topic override, server.properties, or Kafka's default), its synonyms in precedence order
// and its type, as Apache Kafka reports them.
import { ErrorCode, KafkaError } from "../protocol/generated/errors.ts";
import type { DescribeConfigsResponseDescribeConfigsResourceResult } from "../protocol/generated/describe-configs-response.ts";
import {
  BROKER_CONFIG_BY_NAME,
  BROKER_CONFIGS,
  ConfigType,
  InvalidConfigError,
  TOPIC_CONFIG_BY_NAME,
  TOPIC_CONFIGS,
  validateConfigValue,
  type ConfigDefinition,
} from "./definitions.ts";

/** DescribeConfigs config sources. */
export const ConfigSource = { TOPIC_CONFIG: 1, DYNAMIC_BROKER_CONFIG: 2, STATIC_BROKER_CONFIG: 4, DEFAULT_CONFIG: 5 } as const;
export const ResourceType = { TOPIC: 2, BROKER: 4, BROKER_LOGGER: 8 } as const;

type Entry = DescribeConfigsResponseDescribeConfigsResourceResult;

interface DescribeOptions {
  keys: readonly string[] | null;
  includeSynonyms: boolean;
  includeDocumentation: boolean;
}

function entry(def: ConfigDefinition, synonyms: Array<{ name: string; value: string | null; source: number }>, opts: DescribeOptions): Entry {
  const effective = synonyms[0] ?? { name: def.name, value: def.default, source: ConfigSource.DEFAULT_CONFIG };
  return {
    name: def.name,
    value: effective.value,
    readOnly: false,
    isDefault: effective.source === ConfigSource.DEFAULT_CONFIG,
    configSource: effective.source,
    isSensitive: false,
    synonyms: opts.includeSynonyms ? synonyms : [],
    configType: ConfigType[def.type],
    documentation: opts.includeDocumentation ? def.doc : null,
  };
}

const wanted = (name: string, keys: readonly string[] | null): boolean => keys === null || keys.length === 0 || keys.includes(name);

export function describeTopicConfigs(overrides: Readonly<Record<string, string>>, brokerOverrides: ReadonlyMap<string, string>, opts: DescribeOptions): Entry[] {
  return TOPIC_CONFIGS.filter((def) => wanted(def.name, opts.keys)).map((def) => {
    const synonyms: Array<{ name: string; value: string | null; source: number }> = [];
    const own = overrides[def.name];
    if (own !== undefined) synonyms.push({ name: def.name, value: own, source: ConfigSource.TOPIC_CONFIG });
    if (def.brokerSynonym) {
      const fromBroker = brokerOverrides.get(def.brokerSynonym);
      if (fromBroker !== undefined) synonyms.push({ name: def.brokerSynonym, value: fromBroker, source: ConfigSource.STATIC_BROKER_CONFIG });
      // As Kafka: a broker synonym without a default of its own (log.retention.ms, whose
      // default comes from log.retention.hours) is not listed; the topic default still applies.
      const brokerDef = BROKER_CONFIG_BY_NAME.get(def.brokerSynonym);
      const brokerDefault = brokerDef ? brokerDef.default : def.default;
      if (brokerDefault !== null) synonyms.push({ name: def.brokerSynonym, value: brokerDefault, source: ConfigSource.DEFAULT_CONFIG });
    } else synonyms.push({ name: def.name, value: def.default, source: ConfigSource.DEFAULT_CONFIG });
    return entry(def, synonyms, opts);
  });
}

export function describeBrokerConfigs(brokerOverrides: ReadonlyMap<string, string>, opts: DescribeOptions): Entry[] {
  return BROKER_CONFIGS.filter((def) => wanted(def.name, opts.keys)).map((def) => {
    const synonyms: Array<{ name: string; value: string | null; source: number }> = [];
    const given = brokerOverrides.get(def.name);
    if (given !== undefined) synonyms.push({ name: def.name, value: given, source: ConfigSource.STATIC_BROKER_CONFIG });
    synonyms.push({ name: def.name, value: def.default, source: ConfigSource.DEFAULT_CONFIG });
    return entry(def, synonyms, opts);
  });
}

/** Checks topic config overrides; throws KafkaError(INVALID_CONFIG) naming the bad key. */
export function validateTopicConfigs(configs: Readonly<Record<string, string>>): void {
  for (const [name, value] of Object.entries(configs)) {
    const def = TOPIC_CONFIG_BY_NAME.get(name);
    if (!def) throw new KafkaError(ErrorCode.INVALID_CONFIG, `Unknown topic config name: ${name}`);
    try {
      validateConfigValue(def, value);
    } catch (err) {
      if (err instanceof InvalidConfigError) throw new KafkaError(ErrorCode.INVALID_CONFIG, err.message);
      throw err;
    }
  }
}

// TopicNameMatches (org.apache.kafka.connect.transforms.predicates.TopicNameMatches): true when
// the whole topic name matches `pattern`. `negate` is not the predicate's business: the runtime
// applies `transforms.<alias>.negate` around test().
import { ConfigDef, type ConnectRecord, definePlugin, NonEmptyString, CompositeValidator, Predicate, type PluginConfigs } from "../../connect/api/index.ts";
import { fullMatchRegExp, REGEX_VALIDATOR } from "../regex-router.ts";
import { HUB_TRANSFORMS_VERSION, KAFKA_TRANSFORMS_PACKAGE } from "../util.ts";

export const TOPIC_NAME_MATCHES_CONFIG = new ConfigDef().define({
  name: "pattern",
  type: "STRING",
  validator: CompositeValidator.of(new NonEmptyString(), REGEX_VALIDATOR),
  importance: "MEDIUM",
  documentation: "A Java regular expression for matching against the name of a record's topic.",
});

export class TopicNameMatches extends Predicate {
  #pattern = /$^/;

  override configure(configs: PluginConfigs): void {
    this.#pattern = fullMatchRegExp(TOPIC_NAME_MATCHES_CONFIG.parse(configs)["pattern"] as string);
  }

  override test(record: ConnectRecord): boolean {
    return record.topic !== null && this.#pattern.test(record.topic);
  }

  override config(): ConfigDef {
    return TOPIC_NAME_MATCHES_CONFIG;
  }
}

export const topicNameMatchesPlugin = definePlugin({
  name: "TopicNameMatches",
  kind: "predicate",
  version: HUB_TRANSFORMS_VERSION,
  aliases: [`${KAFKA_TRANSFORMS_PACKAGE}.predicates.TopicNameMatches`],
  configDef: TOPIC_NAME_MATCHES_CONFIG,
  doc: "A predicate which is true for records with a topic name that matches the configured regular expression.",
  create: () => new TopicNameMatches(),
});

// HasHeaderKey (org.apache.kafka.connect.transforms.predicates.HasHeaderKey): true when the
// record has at least one header named `name`. `negate` is applied by the runtime.
import { ConfigDef, type ConnectRecord, definePlugin, NonEmptyString, Predicate, type PluginConfigs } from "../../connect/api/index.ts";
import { HUB_TRANSFORMS_VERSION, KAFKA_TRANSFORMS_PACKAGE } from "../util.ts";

export const HAS_HEADER_KEY_CONFIG = new ConfigDef().define({
  name: "name",
  type: "STRING",
  validator: new NonEmptyString(),
  importance: "MEDIUM",
  documentation: "The header name.",
});

export class HasHeaderKey extends Predicate {
  #name = "";

  override configure(configs: PluginConfigs): void {
    this.#name = HAS_HEADER_KEY_CONFIG.parse(configs)["name"] as string;
  }

  override test(record: ConnectRecord): boolean {
    return record.headers.allWithName(this.#name).length > 0;
  }

  override config(): ConfigDef {
    return HAS_HEADER_KEY_CONFIG;
  }
}

export const hasHeaderKeyPlugin = definePlugin({
  name: "HasHeaderKey",
  kind: "predicate",
  version: HUB_TRANSFORMS_VERSION,
  aliases: [`${KAFKA_TRANSFORMS_PACKAGE}.predicates.HasHeaderKey`],
  configDef: HAS_HEADER_KEY_CONFIG,
  doc: "A predicate which is true for records with at least one header with the configured name.",
  create: () => new HasHeaderKey(),
});

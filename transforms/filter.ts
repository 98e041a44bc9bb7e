// Filter (org.apache.kafka.connect.transforms.Filter): drops every record it is applied to;
// used with a predicate (`transforms.<alias>.predicate`, optionally negated by the runtime).
import { ConfigDef, type ConnectRecord, definePlugin, Transformation } from "../connect/api/index.ts";
import { HUB_TRANSFORMS_VERSION, KAFKA_TRANSFORMS_PACKAGE } from "./util.ts";

export const FILTER_CONFIG = new ConfigDef();

export class Filter extends Transformation {
  override apply(_record: ConnectRecord): ConnectRecord | null {
    return null;
  }

  override config(): ConfigDef {
    return FILTER_CONFIG;
  }
}

export const filterPlugin = definePlugin({
  name: "Filter",
  kind: "transformation",
  version: HUB_TRANSFORMS_VERSION,
  aliases: [`${KAFKA_TRANSFORMS_PACKAGE}.Filter`],
  configDef: FILTER_CONFIG,
  doc: "Drops all records, filtering them from subsequent transformations in the chain. This is intended to be used conditionally to filter out records matching (or not matching) a particular Predicate.",
  create: () => new Filter(),
});

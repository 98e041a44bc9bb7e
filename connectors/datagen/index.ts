// The data generator as a plugin descriptor; Confluent's class name resolves to it, so
// kafka-connect-datagen demo configs that use a quickstart run unchanged.
import { definePlugin } from "../../connect/api/index.ts";
import { HUB_VERSION } from "../../lib/version.ts";
import { DATAGEN_CONFIG } from "./config.ts";
import { DatagenConnector } from "./source-connector.ts";

export { DatagenConnector } from "./source-connector.ts";
export { DatagenTask } from "./source-task.ts";
export { QUICKSTARTS, type Quickstart } from "./quickstarts.ts";

export const datagenPlugin = definePlugin({
  name: "Datagen",
  kind: "source",
  version: HUB_VERSION,
  aliases: ["io.confluent.kafka.connect.datagen.DatagenConnector", "DatagenConnector"],
  configDef: DATAGEN_CONFIG,
  doc: "Generates realistic demo records (users, pageviews, orders, stock trades, clickstream), rate-limited and reproducible with a seed.",
  create: () => new DatagenConnector(),
});

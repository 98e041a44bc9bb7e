// The Postgres CDC source as a plugin descriptor: Debezium's class name (and its short form)
// resolve to it, so a Debezium PostgresConnector config runs unchanged.
import { definePlugin } from "../../connect/api/index.ts";
import { HUB_VERSION } from "../../lib/version.ts";
import { POSTGRES_CDC_CONFIG } from "./config.ts";
import { PostgresCdcSourceConnector } from "./source-connector.ts";

export { PostgresCdcSourceConnector } from "./source-connector.ts";
export { PostgresCdcSourceTask } from "./source-task.ts";

export const postgresCdcSourcePlugin = definePlugin({
  name: "PostgresCdcSource",
  kind: "source",
  version: HUB_VERSION,
  aliases: ["io.debezium.connector.postgresql.PostgresConnector", "PostgresConnector", "PostgresCdcSource"],
  configDef: POSTGRES_CDC_CONFIG,
  doc: "Captures row-level changes of PostgreSQL tables through logical replication (pgoutput), after an initial snapshot, as Debezium change events.",
  create: () => new PostgresCdcSourceConnector(),
});

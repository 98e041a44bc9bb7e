// The Elasticsearch sink as a plugin descriptor: Confluent's class name (and its short forms)
// resolve to it, so connector configs written for Confluent's sink run unchanged.
import { definePlugin } from "../../connect/api/index.ts";
import { HUB_VERSION } from "../../lib/version.ts";
import { ELASTICSEARCH_SINK_CONFIG } from "./config.ts";
import { ElasticsearchSinkConnector } from "./sink-connector.ts";

export { ElasticsearchSinkConnector } from "./sink-connector.ts";
export { ElasticsearchSinkTask } from "./sink-task.ts";

export const elasticsearchSinkPlugin = definePlugin({
  name: "ElasticsearchSink",
  kind: "sink",
  version: HUB_VERSION,
  aliases: ["io.confluent.connect.elasticsearch.ElasticsearchSinkConnector", "ElasticsearchSinkConnector", "ElasticsearchSink"],
  configDef: ELASTICSEARCH_SINK_CONFIG,
  doc: "Writes the values of the records of topics as documents to Elasticsearch indices (one per topic), through bulk requests.",
  create: () => new ElasticsearchSinkConnector(),
});

// The FileStream connectors as plugin descriptors: Kafka's class names (and the short names
// FileStreamSource/FileStreamSink Kafka accepts) resolve to them, so configs written for
// Kafka Connect's connect-file run unchanged.
import { definePlugin } from "../../connect/api/index.ts";
import { HUB_VERSION } from "../../lib/version.ts";
import { FILE_STREAM_SINK_CONFIG, FILE_STREAM_SOURCE_CONFIG } from "./config.ts";
import { FileStreamSinkConnector } from "./sink-connector.ts";
import { FileStreamSourceConnector } from "./source-connector.ts";

export { FileStreamSinkConnector } from "./sink-connector.ts";
export { FileStreamSinkTask } from "./sink-task.ts";
export { FileStreamSourceConnector } from "./source-connector.ts";
export { FileStreamSourceTask } from "./source-task.ts";

export const fileStreamSourcePlugin = definePlugin({
  name: "FileStreamSource",
  kind: "source",
  version: HUB_VERSION,
  aliases: ["org.apache.kafka.connect.file.FileStreamSourceConnector", "FileStreamSourceConnector", "FileStreamSource"],
  configDef: FILE_STREAM_SOURCE_CONFIG,
  doc: "Reads the lines of a file (or of standard input) into a topic, one record per line.",
  create: () => new FileStreamSourceConnector(),
});

export const fileStreamSinkPlugin = definePlugin({
  name: "FileStreamSink",
  kind: "sink",
  version: HUB_VERSION,
  aliases: ["org.apache.kafka.connect.file.FileStreamSinkConnector", "FileStreamSinkConnector", "FileStreamSink"],
  configDef: FILE_STREAM_SINK_CONFIG,
  doc: "Appends the values of the records of topics to a file (or to standard output), one line each.",
  create: () => new FileStreamSinkConnector(),
});

// TimestampRouter (org.apache.kafka.connect.transforms.TimestampRouter): renames the topic to
// `topic.format` with ${topic} and ${timestamp} replaced, the record timestamp formatted (in UTC)
// with the java.text.SimpleDateFormat pattern `timestamp.format`. Supported pattern letters:
// y M d H m s S (numeric forms) and quoted literals; others are refused at configure time.
import { ConfigDef, ConfigException, type ConnectRecord, DataException, definePlugin, Transformation, type PluginConfigs } from "../connect/api/index.ts";
import { simpleDateFormat } from "./simple-date-format.ts";
import { HUB_TRANSFORMS_VERSION, KAFKA_TRANSFORMS_PACKAGE } from "./util.ts";

export const TIMESTAMP_ROUTER_CONFIG = new ConfigDef()
  .define({ name: "topic.format", type: "STRING", defaultValue: "${topic}-${timestamp}", importance: "HIGH", documentation: "Format string which can contain <code>${topic}</code> and <code>${timestamp}</code> as placeholders for the topic and timestamp, respectively." })
  .define({ name: "timestamp.format", type: "STRING", defaultValue: "yyyyMMdd", importance: "HIGH", documentation: "Format string for the timestamp that is compatible with <code>java.text.SimpleDateFormat</code>." });

export class TimestampRouter extends Transformation {
  #topicFormat = "";
  #format: (d: Date) => string = () => "";

  override configure(configs: PluginConfigs): void {
    const c = TIMESTAMP_ROUTER_CONFIG.parse(configs);
    this.#topicFormat = c["topic.format"] as string;
    try {
      this.#format = simpleDateFormat(c["timestamp.format"] as string);
    } catch (error) {
      throw new ConfigException("timestamp.format", c["timestamp.format"], (error as Error).message);
    }
  }

  override apply(record: ConnectRecord): ConnectRecord | null {
    if (record.timestamp === null) throw new DataException(`Timestamp missing on record: ${record.topic}`);
    const timestamp = this.#format(new Date(record.timestamp));
    return record.newRecord({ topic: this.#topicFormat.replaceAll("${topic}", record.topic).replaceAll("${timestamp}", timestamp) });
  }

  override config(): ConfigDef {
    return TIMESTAMP_ROUTER_CONFIG;
  }
}

export const timestampRouterPlugin = definePlugin({
  name: "TimestampRouter",
  kind: "transformation",
  version: HUB_TRANSFORMS_VERSION,
  aliases: [`${KAFKA_TRANSFORMS_PACKAGE}.TimestampRouter`],
  configDef: TIMESTAMP_ROUTER_CONFIG,
  doc: "Update the record's topic field as a function of the original topic value and the record timestamp.",
  create: () => new TimestampRouter(),
});

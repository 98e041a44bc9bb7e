// DropHeaders (org.apache.kafka.connect.transforms.DropHeaders): removes every header whose key
// is one of `headers`.
import { ConfigDef, type ConnectRecord, definePlugin, Transformation, ValidList, type PluginConfigs } from "../connect/api/index.ts";
import { HUB_TRANSFORMS_VERSION, KAFKA_TRANSFORMS_PACKAGE } from "./util.ts";

export const DROP_HEADERS_CONFIG = new ConfigDef().define({
  name: "headers",
  type: "LIST",
  validator: ValidList.anyNonDuplicateValues(false, false),
  importance: "HIGH",
  documentation: "The name of the headers to be removed.",
});

export class DropHeaders extends Transformation {
  #headers: ReadonlySet<string> = new Set();

  override configure(configs: PluginConfigs): void {
    this.#headers = new Set(DROP_HEADERS_CONFIG.parse(configs)["headers"] as string[]);
  }

  override apply(record: ConnectRecord): ConnectRecord | null {
    const headers = record.headers.duplicate();
    for (const key of this.#headers) headers.remove(key);
    return record.newRecord({ headers });
  }

  override config(): ConfigDef {
    return DROP_HEADERS_CONFIG;
  }
}

export const dropHeadersPlugin = definePlugin({
  name: "DropHeaders",
  kind: "transformation",
  version: HUB_TRANSFORMS_VERSION,
  aliases: [`${KAFKA_TRANSFORMS_PACKAGE}.DropHeaders`],
  configDef: DROP_HEADERS_CONFIG,
  doc: "Removes one or more headers from each record.",
  create: () => new DropHeaders(),
});

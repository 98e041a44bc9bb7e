// InsertHeader (org.apache.kafka.connect.transforms.InsertHeader): adds a header `header` whose
// value is `value.literal` parsed as Kafka's Values.parseString does (so "42" is an INT8 header,
// "true" a BOOLEAN, other text a STRING).
import { ConfigDef, type ConnectRecord, definePlugin, NonNullValidator, type SchemaAndValue, Transformation, Values, type PluginConfigs } from "../connect/api/index.ts";
import { HUB_TRANSFORMS_VERSION, KAFKA_TRANSFORMS_PACKAGE } from "./util.ts";

export const INSERT_HEADER_CONFIG = new ConfigDef()
  .define({ name: "header", type: "STRING", validator: new NonNullValidator(), importance: "HIGH", documentation: "The name of the header." })
  .define({ name: "value.literal", type: "STRING", validator: new NonNullValidator(), importance: "HIGH", documentation: "The literal value that is to be set as the header value on all records." });

export class InsertHeader extends Transformation {
  #header = "";
  #value: SchemaAndValue | null = null;

  override configure(configs: PluginConfigs): void {
    const c = INSERT_HEADER_CONFIG.parse(configs);
    this.#header = c["header"] as string;
    this.#value = Values.parseString(c["value.literal"] as string);
  }

  override apply(record: ConnectRecord): ConnectRecord | null {
    const headers = record.headers.duplicate();
    headers.add(this.#header, this.#value!);
    return record.newRecord({ headers });
  }

  override config(): ConfigDef {
    return INSERT_HEADER_CONFIG;
  }
}

export const insertHeaderPlugin = definePlugin({
  name: "InsertHeader",
  kind: "transformation",
  version: HUB_TRANSFORMS_VERSION,
  aliases: [`${KAFKA_TRANSFORMS_PACKAGE}.InsertHeader`],
  configDef: INSERT_HEADER_CONFIG,
  doc: "Add a header to each record.",
  create: () => new InsertHeader(),
});

// SimpleHeaderConverter (org.apache.kafka.connect.storage.SimpleHeaderConverter), Kafka
// Connect's default header.converter: each header value is written as its text (Values.
// convertToString) in UTF-8, and read back with a schema inferred from the text
// (Values.parseString): numbers, booleans, ISO dates/times/timestamps, arrays and maps, else a
// string. The inference rules and their known gaps are in connect/api/data/values.ts.
import { ConfigDef, definePlugin, HeaderConverter, type PluginConfigs, Schema, SchemaAndValue, Values } from "../api/index.ts";
import { HUB_VERSION } from "../../lib/version.ts";

export const SIMPLE_HEADER_CONVERTER_CLASS = "org.apache.kafka.connect.storage.SimpleHeaderConverter";

export class SimpleHeaderConverter extends HeaderConverter {
  override configure(_configs: PluginConfigs): void {}

  override config(): ConfigDef {
    return new ConfigDef();
  }

  override toConnectHeader(_topic: string, _headerKey: string, value: Buffer | null): SchemaAndValue {
    if (value === null || value === undefined) return SchemaAndValue.NULL;
    if (value.length === 0) return new SchemaAndValue(Schema.STRING_SCHEMA, "");
    return Values.parseString(value.toString("utf8"));
  }

  override fromConnectHeader(_topic: string, _headerKey: string, schema: Schema | null, value: unknown): Buffer | null {
    const text = Values.convertToString(schema, value);
    return text === null ? null : Buffer.from(text, "utf8");
  }
}

export const simpleHeaderConverterPlugin = definePlugin({
  name: "SimpleHeaderConverter",
  kind: "header-converter",
  version: HUB_VERSION,
  aliases: [SIMPLE_HEADER_CONVERTER_CLASS],
  configDef: new ConfigDef(),
  doc: "Header values as text, their type inferred when read (Kafka Connect's default header converter).",
  create: () => new SimpleHeaderConverter(),
});

// BooleanConverter (org.apache.kafka.connect.converters.BooleanConverter, Kafka 3.0+): one byte,
// 1 for true and 0 for false, the bytes of Kafka's BooleanSerializer. Reading gives an optional
// BOOLEAN; any other byte or length is refused (Kafka's BooleanDeserializer is strict too, so a
// topic written by another producer fails the same records on both). Also a header converter.
import {
  type ConfigDef,
  CONVERTER_TYPE_CONFIG,
  Converter,
  converterConfigDef,
  DataException,
  definePlugin,
  describeValue,
  HeaderConverter,
  type PluginConfigs,
  type RecordHeader,
  Schema,
  SchemaAndValue,
} from "../api/index.ts";
import { HUB_VERSION } from "../../lib/version.ts";

export const BOOLEAN_CONVERTER_CLASS = "org.apache.kafka.connect.converters.BooleanConverter";

const TRUE = 0x01;
const FALSE = 0x00;

function toBytes(schema: Schema | null, value: unknown): Buffer | null {
  if (schema !== null && schema.type !== "BOOLEAN") throw new DataException(`Invalid schema type for BooleanConverter: ${schema.type}`);
  // A null value is a null record (a tombstone), as the serializer writes it.
  if (value === null || value === undefined) return null;
  if (typeof value !== "boolean") throw new DataException(`BooleanConverter is not compatible with objects of type ${describeValue(value)}`);
  return Buffer.of(value ? TRUE : FALSE);
}

function fromBytes(bytes: Buffer | null): SchemaAndValue {
  if (bytes === null || bytes === undefined) return new SchemaAndValue(Schema.OPTIONAL_BOOLEAN_SCHEMA, null);
  // Kafka wraps the deserializer's SerializationException; its text follows the prefix here.
  if (bytes.length !== 1) throw new DataException("Failed to deserialize boolean: Size of data received by BooleanDeserializer is not 1");
  const byte = bytes[0];
  if (byte === TRUE) return new SchemaAndValue(Schema.OPTIONAL_BOOLEAN_SCHEMA, true);
  if (byte === FALSE) return new SchemaAndValue(Schema.OPTIONAL_BOOLEAN_SCHEMA, false);
  // Java bytes are signed: 0xff is reported as -1.
  throw new DataException(`Failed to deserialize boolean: Unexpected byte received by BooleanDeserializer: ${bytes.readInt8(0)}`);
}

export class BooleanConverter extends Converter {
  override configure(configs: PluginConfigs, isKey: boolean): void {
    converterConfigDef().parse({ ...configs, [CONVERTER_TYPE_CONFIG]: isKey ? "key" : "value" });
  }

  override config(): ConfigDef {
    return converterConfigDef();
  }

  override fromConnectData(_topic: string, _headers: RecordHeader[] | null, schema: Schema | null, value: unknown): Buffer | null {
    return toBytes(schema, value);
  }

  override toConnectData(_topic: string, _headers: readonly RecordHeader[] | null, value: Buffer | null): SchemaAndValue {
    return fromBytes(value);
  }
}

export class BooleanHeaderConverter extends HeaderConverter {
  override configure(configs: PluginConfigs): void {
    converterConfigDef().parse({ [CONVERTER_TYPE_CONFIG]: "header", ...configs });
  }

  override config(): ConfigDef {
    return converterConfigDef();
  }

  override toConnectHeader(_topic: string, _headerKey: string, value: Buffer | null): SchemaAndValue {
    return fromBytes(value);
  }

  override fromConnectHeader(_topic: string, _headerKey: string, schema: Schema | null, value: unknown): Buffer | null {
    return toBytes(schema, value);
  }
}

export const booleanConverterPlugin = definePlugin({
  name: "BooleanConverter",
  kind: "converter",
  version: HUB_VERSION,
  aliases: [BOOLEAN_CONVERTER_CLASS],
  configDef: converterConfigDef(),
  doc: "A boolean as one byte: 1 for true, 0 for false.",
  create: () => new BooleanConverter(),
});

export const booleanHeaderConverterPlugin = definePlugin({
  name: "BooleanConverter",
  kind: "header-converter",
  version: HUB_VERSION,
  aliases: [BOOLEAN_CONVERTER_CLASS],
  configDef: converterConfigDef(),
  doc: "Header values as a boolean byte: 1 for true, 0 for false.",
  create: () => new BooleanHeaderConverter(),
});

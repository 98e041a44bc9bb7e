// ByteArrayConverter (org.apache.kafka.connect.converters.ByteArrayConverter): bytes pass
// through untouched; the schema, when there is one, must be BYTES. Also a header converter.
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

export const BYTE_ARRAY_CONVERTER_CLASS = "org.apache.kafka.connect.converters.ByteArrayConverter";

function toBytes(schema: Schema | null, value: unknown): Buffer | null {
  if (schema !== null && schema.type !== "BYTES") throw new DataException(`Invalid schema type for ByteArrayConverter: ${schema.type}`);
  if (value === null || value === undefined) return null;
  if (!(value instanceof Uint8Array)) throw new DataException(`ByteArrayConverter is not compatible with objects of type ${describeValue(value)}`);
  return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

export class ByteArrayConverter extends Converter {
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
    return new SchemaAndValue(Schema.OPTIONAL_BYTES_SCHEMA, value ?? null);
  }
}

export class ByteArrayHeaderConverter extends HeaderConverter {
  override configure(configs: PluginConfigs): void {
    converterConfigDef().parse({ [CONVERTER_TYPE_CONFIG]: "header", ...configs });
  }

  override config(): ConfigDef {
    return converterConfigDef();
  }

  override toConnectHeader(_topic: string, _headerKey: string, value: Buffer | null): SchemaAndValue {
    return new SchemaAndValue(Schema.OPTIONAL_BYTES_SCHEMA, value ?? null);
  }

  override fromConnectHeader(_topic: string, _headerKey: string, schema: Schema | null, value: unknown): Buffer | null {
    return toBytes(schema, value);
  }
}

export const byteArrayConverterPlugin = definePlugin({
  name: "ByteArrayConverter",
  kind: "converter",
  version: HUB_VERSION,
  aliases: [BYTE_ARRAY_CONVERTER_CLASS],
  configDef: converterConfigDef(),
  doc: "Raw bytes, passed through unchanged.",
  create: () => new ByteArrayConverter(),
});

export const byteArrayHeaderConverterPlugin = definePlugin({
  name: "ByteArrayConverter",
  kind: "header-converter",
  version: HUB_VERSION,
  aliases: [BYTE_ARRAY_CONVERTER_CLASS],
  configDef: converterConfigDef(),
  doc: "Raw header bytes, passed through unchanged.",
  create: () => new ByteArrayHeaderConverter(),
});

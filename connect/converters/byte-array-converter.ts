// ByteArrayConverter (org.apache.kafka.connect.converters.ByteArrayConverter): bytes pass
// through untouched; the schema, when there is one, must be BYTES. Also a header converter.
import { converterConfigDef, DataException, definePlugin, describeValue, Schema, SchemaAndValue } from "../api/index.ts";
import { HUB_VERSION } from "../../lib/version.ts";
import { type BytesCodec, CodecConverter, CodecHeaderConverter } from "./codec-converter.ts";

export const BYTE_ARRAY_CONVERTER_CLASS = "org.apache.kafka.connect.converters.ByteArrayConverter";

function toBytes(schema: Schema | null, value: unknown): Buffer | null {
  if (schema !== null && schema.type !== "BYTES") throw new DataException(`Invalid schema type for ByteArrayConverter: ${schema.type}`);
  if (value === null || value === undefined) return null;
  if (!(value instanceof Uint8Array)) throw new DataException(`ByteArrayConverter is not compatible with objects of type ${describeValue(value)}`);
  return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

const BYTE_ARRAY_CODEC: BytesCodec = { encode: toBytes, decode: (bytes) => new SchemaAndValue(Schema.OPTIONAL_BYTES_SCHEMA, bytes ?? null) };

export class ByteArrayConverter extends CodecConverter {
  constructor() {
    super(BYTE_ARRAY_CODEC);
  }
}

export class ByteArrayHeaderConverter extends CodecHeaderConverter {
  constructor() {
    super(BYTE_ARRAY_CODEC);
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

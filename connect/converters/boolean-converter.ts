// BooleanConverter (org.apache.kafka.connect.converters.BooleanConverter, Kafka 3.0+): one byte,
// 1 for true and 0 for false, the bytes of Kafka's BooleanSerializer. Reading gives an optional
// BOOLEAN; any other byte or length is refused (Kafka's BooleanDeserializer is strict too, so a
// topic written by another producer fails the same records on both). Also a header converter.
import { converterConfigDef, DataException, definePlugin, describeValue, Schema, SchemaAndValue } from "../api/index.ts";
import { HUB_VERSION } from "../../lib/version.ts";
import { type BytesCodec, CodecConverter, CodecHeaderConverter } from "./codec-converter.ts";

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

const BOOLEAN_CODEC: BytesCodec = { encode: toBytes, decode: fromBytes };

export class BooleanConverter extends CodecConverter {
  constructor() {
    super(BOOLEAN_CODEC);
  }
}

export class BooleanHeaderConverter extends CodecHeaderConverter {
  constructor() {
    super(BOOLEAN_CODEC);
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

// The Connect converters backed by the Schema Registry, as plugin descriptors whose aliases are
// Confluent's class names (value.converter=io.confluent.connect.avro.AvroConverter ...).
import type { PluginDescriptor } from "../../connect/api/index.ts";
import { avroConverterPlugin } from "./avro-converter.ts";
import { jsonSchemaConverterPlugin } from "./json-schema-converter.ts";
import { protobufConverterPlugin } from "./protobuf-converter.ts";

export { AVRO_CONVERTER_CLASS, AvroConverter, avroConverterConfigDef, avroConverterPlugin } from "./avro-converter.ts";
export { AvroData, type AvroDataConfig } from "./avro-data.ts";
export { JSON_SCHEMA_CONVERTER_CLASS, JsonSchemaConverter, jsonSchemaConverterConfigDef, jsonSchemaConverterPlugin } from "./json-schema-converter.ts";
export { JsonSchemaData, type JsonSchemaDataConfig } from "./json-schema-data.ts";
export { PROTOBUF_CONVERTER_CLASS, ProtobufConverter, protobufConverterConfigDef, protobufConverterPlugin } from "./protobuf-converter.ts";
export { ProtobufData, type ProtobufDataConfig } from "./protobuf-data.ts";

/** Every registry-backed converter descriptor. */
export const registryConverterPlugins: ReadonlyArray<PluginDescriptor<"converter">> = [avroConverterPlugin, jsonSchemaConverterPlugin, protobufConverterPlugin];

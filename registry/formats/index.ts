// The schema formats by Confluent's `schemaType` name (AVRO when a request names none), as
// Confluent's KafkaSchemaRegistry keeps its SchemaProviders, and the list GET /schemas/types
// answers with.
import { avroFormat } from "./avro/index.ts";
import { jsonSchemaFormat } from "./json-schema/index.ts";
import { protobufFormat } from "./protobuf/index.ts";
import type { ParsedSchema, SchemaFormat, SchemaType } from "./types.ts";

const FORMATS: ReadonlyMap<SchemaType, SchemaFormat> = new Map<SchemaType, SchemaFormat>([
  ["AVRO", avroFormat as SchemaFormat],
  ["JSON", jsonSchemaFormat as SchemaFormat],
  ["PROTOBUF", protobufFormat as SchemaFormat],
]);

/** The format of a schema type; undefined for a name that is not one of Confluent's types. */
export function formatFor(schemaType: string): SchemaFormat<ParsedSchema> | undefined {
  return FORMATS.get(schemaType as SchemaType);
}

/**
 * The types in the order Confluent's GET /schemas/types lists them (the iteration order of its
 * provider HashMap: JSON, PROTOBUF, AVRO).
 */
export const SCHEMA_TYPES_LISTED: readonly SchemaType[] = ["JSON", "PROTOBUF", "AVRO"];

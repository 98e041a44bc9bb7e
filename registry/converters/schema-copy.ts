// Copies of Connect schemas with one attribute changed, for the data mappings (Avro, JSON Schema,
// Protobuf): Connect schemas are immutable, so a changed schema is a new one with every other
// attribute carried over.
import { Schema, type SchemaOptions } from "../../connect/api/index.ts";

/** `schema` with `changes` applied (optional, parameters). */
export function copySchema(schema: Schema, changes: Pick<SchemaOptions, "optional" | "parameters">): Schema {
  return schema.with(changes);
}

/** The same schema, required (Confluent's AvroData/JsonSchemaData nonOptional). */
export function nonOptional(schema: Schema): Schema {
  return schema.optional ? copySchema(schema, { optional: false }) : schema;
}

// Copies of Connect schemas with one attribute changed, for the data mappings (Avro, JSON Schema,
// Protobuf): Connect schemas are immutable, so a changed schema is a new one with every other
// attribute carried over.
import { Schema, type SchemaOptions } from "../../connect/api/index.ts";

/** `schema` with `changes` applied (optional, parameters). */
export function copySchema(schema: Schema, changes: Pick<SchemaOptions, "optional" | "parameters">): Schema {
  return new Schema({
    type: schema.type,
    optional: schema.optional,
    defaultValue: schema.defaultValue,
    name: schema.name,
    version: schema.version,
    doc: schema.doc,
    parameters: schema.parameters,
    fields: schema.type === "STRUCT" ? schema.fields : null,
    keySchema: schema.keySchema,
    valueSchema: schema.valueSchema,
    ...changes,
  });
}

/** The same schema, required (Confluent's AvroData/JsonSchemaData nonOptional). */
export function nonOptional(schema: Schema): Schema {
  return schema.optional ? copySchema(schema, { optional: false }) : schema;
}

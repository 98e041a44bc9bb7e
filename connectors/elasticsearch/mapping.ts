// The index mapping derived from a record value's Connect schema (schema.ignore=false), so that
// a new index gets field types from the schema rather than from Elasticsearch guessing them from
// the first document. Logical types follow what document.ts writes: Timestamp is epoch
// milliseconds (a "date"), Date and Time stay the integers the JSON holds (days since the
// epoch, milliseconds of the day), Decimal a double.
import type { Schema } from "../../connect/api/index.ts";

export interface FieldMapping {
  readonly type?: string;
  readonly properties?: Readonly<Record<string, FieldMapping>>;
  readonly fields?: Readonly<Record<string, FieldMapping>>;
  readonly ignore_above?: number;
}

const LOGICAL_TYPES: Readonly<Record<string, string>> = {
  "org.apache.kafka.connect.data.Decimal": "double",
  "org.apache.kafka.connect.data.Timestamp": "date",
  "org.apache.kafka.connect.data.Date": "integer",
  "org.apache.kafka.connect.data.Time": "integer",
};

const PRIMITIVE_TYPES: Readonly<Record<string, string>> = {
  INT8: "byte",
  INT16: "short",
  INT32: "integer",
  INT64: "long",
  FLOAT32: "float",
  FLOAT64: "double",
  BOOLEAN: "boolean",
  BYTES: "binary",
};

/** The mappings of an index for documents of this schema; null when the schema is not a struct. */
export function indexMappingOf(schema: Schema | null): { properties: Record<string, FieldMapping> } | null {
  if (schema === null || schema.type !== "STRUCT") return null;
  return { properties: propertiesOf(schema) };
}

function propertiesOf(struct: Schema): Record<string, FieldMapping> {
  const properties: Record<string, FieldMapping> = {};
  for (const field of struct.fields) properties[field.name] = fieldMappingOf(field.schema);
  return properties;
}

function fieldMappingOf(schema: Schema): FieldMapping {
  const logical = schema.name === null ? undefined : LOGICAL_TYPES[schema.name];
  if (logical !== undefined) return { type: logical };
  switch (schema.type) {
    case "STRING":
      // Searchable text, plus an exact keyword for sorting and aggregations.
      return { type: "text", fields: { keyword: { type: "keyword", ignore_above: 256 } } };
    case "STRUCT":
      return { properties: propertiesOf(schema) };
    case "ARRAY":
      // Elasticsearch has no array type: a field holds any number of values of its type.
      return schema.valueSchema === null ? { type: "object" } : fieldMappingOf(schema.valueSchema);
    case "MAP":
      // Map keys are data, not field names known in advance: leave them to dynamic mapping.
      return { type: "object" };
    default:
      return { type: PRIMITIVE_TYPES[schema.type] ?? "keyword" };
  }
}

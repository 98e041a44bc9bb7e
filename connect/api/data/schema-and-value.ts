// A value with its schema (org.apache.kafka.connect.data.SchemaAndValue): what converters and
// header converters return. The schema is null for schemaless values.
import { formatValue } from "./struct.ts";
import type { Schema } from "./schema.ts";

export class SchemaAndValue {
  readonly schema: Schema | null;
  readonly value: unknown;

  constructor(schema: Schema | null, value: unknown) {
    this.schema = schema;
    this.value = value === undefined ? null : value;
    Object.freeze(this);
  }

  /** No schema, no value: a tombstone, an absent header. */
  static readonly NULL = new SchemaAndValue(null, null);

  toString(): string {
    return `SchemaAndValue{schema=${this.schema?.toString() ?? "null"}, value=${formatValue(this.value)}}`;
  }
}

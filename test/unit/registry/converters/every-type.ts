// The struct the data mappings' round-trip tests share: a field of every primitive and logical
// Connect type (each test adds the containers its format can carry), and a way to fill it.
import { ConnectDate, ConnectTime, ConnectTimestamp, Decimal, Schema, SchemaBuilder, Struct } from "../../../../connect/api/index.ts";

/** A struct builder with i8 i16 i32 i64 f32 f64 bool str bytes, dec (a Decimal of `decimalScale`), date, time and ts; named when `name` is given. */
export function everyTypeStruct(decimalScale: number, name?: string): SchemaBuilder {
  const builder = SchemaBuilder.struct();
  if (name !== undefined) builder.name(name);
  return builder
    .field("i8", Schema.INT8_SCHEMA)
    .field("i16", Schema.INT16_SCHEMA)
    .field("i32", Schema.INT32_SCHEMA)
    .field("i64", Schema.INT64_SCHEMA)
    .field("f32", Schema.FLOAT32_SCHEMA)
    .field("f64", Schema.FLOAT64_SCHEMA)
    .field("bool", Schema.BOOLEAN_SCHEMA)
    .field("str", Schema.STRING_SCHEMA)
    .field("bytes", Schema.BYTES_SCHEMA)
    .field("dec", Decimal.schema(decimalScale))
    .field("date", ConnectDate.SCHEMA)
    .field("time", ConnectTime.SCHEMA)
    .field("ts", ConnectTimestamp.SCHEMA);
}

/** A struct of `schema` with `values` put in, field by field in their order. */
export function structOf(schema: Schema, values: Readonly<Record<string, unknown>>): Struct {
  const struct = new Struct(schema);
  for (const [field, value] of Object.entries(values)) struct.put(field, value);
  return struct;
}

// The text Kafka's FileStreamSinkTask writes for a record value: Java's String.valueOf(value)
// (PrintStream.println(Object)). Strings as they are, null as "null", numbers as Java prints
// them (a FLOAT64 2.0 is "2.0"), structs as Struct{a=1,b=x}, lists as [a, b], maps as {k=v}.
// Bytes are written as UTF-8 text instead of Java's meaningless "[B@1b6d3586".
import { Decimal, javaDoubleToString, javaFloatToString, type Schema, Struct } from "../../connect/api/index.ts";

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** java.util.Date.toString() in UTC: "Thu Jan 01 00:00:00 UTC 1970". */
function javaDateText(date: Date): string {
  const p = (n: number): string => String(n).padStart(2, "0");
  return (
    `${DAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${p(date.getUTCDate())} ` +
    `${p(date.getUTCHours())}:${p(date.getUTCMinutes())}:${p(date.getUTCSeconds())} UTC ${date.getUTCFullYear()}`
  );
}

export function javaText(value: unknown, schema: Schema | null = null): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return value;
  if (typeof value === "number") {
    if (schema?.type === "FLOAT32") return javaFloatToString(value);
    if (schema?.type === "FLOAT64" || !Number.isInteger(value)) return javaDoubleToString(value);
    return String(value);
  }
  if (typeof value === "bigint" || typeof value === "boolean") return String(value);
  if (value instanceof Decimal) return value.toString();
  if (value instanceof Struct) {
    // Struct.toString() loses the field types (a FLOAT64 2.0 prints as 2); Kafka's keeps them.
    const parts = value.schema.fields.flatMap((f) => {
      const v = value.getWithoutDefault(f.name);
      return v === null ? [] : [`${f.name}=${javaText(v, f.schema)}`];
    });
    return `Struct{${parts.join(",")}}`;
  }
  if (value instanceof Date) return javaDateText(value);
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("utf8");
  if (Array.isArray(value)) return `[${value.map((v) => javaText(v, schema?.type === "ARRAY" ? schema.valueSchema : null)).join(", ")}]`;
  if (value instanceof Map) {
    const keySchema = schema?.type === "MAP" ? schema.keySchema : null;
    const valueSchema = schema?.type === "MAP" ? schema.valueSchema : null;
    return `{${[...value].map(([k, v]) => `${javaText(k, keySchema)}=${javaText(v, valueSchema)}`).join(", ")}}`;
  }
  if (typeof value === "object") return `{${Object.entries(value).map(([k, v]) => `${k}=${javaText(v)}`).join(", ")}}`;
  return String(value);
}

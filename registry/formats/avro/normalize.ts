// Confluent's Avro normalization (`normalize=true`; AvroSchemaUtils.toNormalizedString), which
// starts from Avro's Parsing Canonical Form but keeps what matters to readers: every named type
// written with its full name the first time and referred to by its quoted full name after;
// properties sorted by key (and the keys of objects inside them); aliases sorted and fully
// qualified; a named type's doc dropped when empty; defaults converted to the field's type
// (a double field's `1` becomes `1.0`); logical-type attributes written first. Confluent then
// parses that text again and prints it as Java does, so the caller does the same (index.ts).
import { javaDoubleToString, javaFloatToString } from "./java-numbers.ts";
import { isJavaInt, isJavaLong, quoteJson, type JsonValue } from "./json.ts";
import type { AvroSchema, Field, NamedSchema, Props } from "./schema.ts";

/** `references`: the full names of the referenced schemas, written by name only. */
export function normalizedSchemaText(schema: AvroSchema, references: Iterable<string>): string {
  const env = new Set(references);
  const out: string[] = [];
  build(schema, env, out);
  return out.join("");
}

function build(s: AvroSchema, env: Set<string>, out: string[]): void {
  switch (s.kind) {
    case "union":
      out.push("[");
      s.types.forEach((t, i) => {
        if (i > 0) out.push(",");
        build(t, env, out);
      });
      out.push("]");
      return;
    case "array":
    case "map":
      out.push(`{"type":"${s.kind}"`);
      if (s.kind === "array") {
        out.push(',"items":');
        build(s.items, env, out);
      } else {
        out.push(',"values":');
        build(s.values, env, out);
      }
      simpleProps(s.props, out);
      out.push("}");
      return;
    case "record":
    case "enum":
    case "fixed":
      named(s, env, out);
      return;
    default: {
      const logical = logicalTypeOf(s);
      if (logical !== null || s.props.size > 0) {
        out.push(`{"type":"${s.kind}"`);
        if (logical !== null) logicalProps(logical, out);
        simpleProps(s.props, out);
        out.push("}");
      } else {
        out.push(`"${s.kind}"`);
      }
    }
  }
}

function named(s: NamedSchema, env: Set<string>, out: string[]): void {
  const full = s.name.full;
  if (env.has(full)) {
    out.push(quoteJson(full));
    return;
  }
  env.add(full);
  out.push(`{"name":${quoteJson(full)},"type":"${s.kind}"`);
  switch (s.kind) {
    case "enum":
      out.push(`,"symbols":[${s.symbols.map(quoteJson).join(",")}]`);
      break;
    case "fixed": {
      out.push(`,"size":${s.size}`);
      const logical = logicalTypeOf(s);
      if (logical !== null) logicalProps(logical, out);
      break;
    }
    case "record":
      out.push(',"fields":[');
      s.fields.forEach((f, i) => {
        if (i > 0) out.push(",");
        out.push(`{"name":${quoteJson(f.name)},"type":`);
        build(f.type, env, out);
        fieldProps(f, out);
        out.push("}");
      });
      out.push("]");
      break;
  }
  if (s.doc !== null && s.doc !== "") out.push(`,"doc":${quoteJson(s.doc)}`);
  if (s.aliases.length > 0) out.push(`,"aliases":${sortedStrings(s.aliases.map((a) => a.full))}`);
  if (s.kind === "enum" && s.default !== null) out.push(`,"default":${quoteJson(s.default)}`);
  simpleProps(s.props, out);
  out.push("}");
}

function fieldProps(f: Field, out: string[]): void {
  out.push(`,"order":"${f.order.toUpperCase()}"`);
  if (f.doc !== null) out.push(`,"doc":${quoteJson(f.doc)}`);
  if (f.aliases.length > 0) out.push(`,"aliases":${sortedStrings(f.aliases)}`);
  const value = f.default === undefined ? null : toJava(f.default, f.type);
  if (value !== null) out.push(`,"default":${writeJava(value)}`);
  simpleProps(f.props, out);
}

function sortedStrings(values: readonly string[]): string {
  return `[${[...new Set(values)].sort(compareJava).map(quoteJson).join(",")}]`;
}

/** Java's String.compareTo (UTF-16 code units), which is also JavaScript's default string order. */
function compareJava(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function simpleProps(props: Props, out: string[]): void {
  for (const key of [...props.keys()].sort(compareJava)) {
    const value = props.get(key);
    if (value === undefined) continue;
    out.push(`,${quoteJson(key)}:${writeJava(toJava(value, null) ?? { t: "null" })}`);
  }
}

/** A logical type Java Avro 1.11 accepts (invalid ones are ignored, their attributes kept as properties). */
type LogicalType = { readonly name: "decimal"; readonly precision: number; readonly scale: number } | { readonly name: string };

const INT_LOGICAL = new Set(["date", "time-millis"]);
const LONG_LOGICAL = new Set([
  "time-micros",
  "timestamp-millis",
  "timestamp-micros",
  "local-timestamp-millis",
  "local-timestamp-micros",
]);

export function logicalTypeOf(s: AvroSchema): LogicalType | null {
  if (s.kind === "union") return null;
  const prop = s.props.get("logicalType");
  if (prop?.kind !== "string") return null;
  const name = prop.value;
  switch (name) {
    case "decimal": {
      if (s.kind !== "bytes" && s.kind !== "fixed") return null;
      const precision = intProp(s.props, "precision", null);
      const scale = intProp(s.props, "scale", 0);
      if (precision === null || scale === null || precision <= 0 || scale < 0 || scale > precision) return null;
      if (s.kind === "fixed") {
        const max = Math.round(Math.floor(Math.log10(Math.pow(2, 8 * s.size - 1) - 1)));
        if (precision > max) return null;
      }
      return { name, precision, scale };
    }
    case "big-decimal":
      return s.kind === "bytes" ? { name } : null;
    case "uuid":
      return s.kind === "string" || s.kind === "fixed" ? { name } : null;
    default:
      if (INT_LOGICAL.has(name)) return s.kind === "int" ? { name } : null;
      if (LONG_LOGICAL.has(name)) return s.kind === "long" ? { name } : null;
      return null;
  }
}

function intProp(props: Props, key: string, absent: number | null): number | null {
  const v = props.get(key);
  if (v === undefined) return absent;
  return v.kind === "integer" && isJavaInt(v) ? Number(v.value) : null;
}

function logicalProps(logical: LogicalType, out: string[]): void {
  out.push(`,"logicalType":${quoteJson(logical.name)}`);
  if ("precision" in logical) {
    out.push(`,"precision":${logical.precision}`);
    if (logical.scale !== 0) out.push(`,"scale":${logical.scale}`);
  }
}

/** A JSON value as the Java object Avro turns it into (JacksonUtils.toObject), then writes back. */
type JavaValue =
  | { readonly t: "null" }
  | { readonly t: "boolean"; readonly v: boolean }
  | { readonly t: "string"; readonly v: string }
  | { readonly t: "integer"; readonly v: bigint }
  | { readonly t: "double"; readonly v: number }
  | { readonly t: "float"; readonly v: number }
  | { readonly t: "list"; readonly items: readonly JavaValue[] }
  | { readonly t: "map"; readonly entries: ReadonlyMap<string, JavaValue> };

/**
 * Converts a default (or, with no schema, a property) as Avro's `Field.defaultVal()` does: a
 * number takes the field's numeric type, bytes and fixed strings go through ISO-8859-1, a union
 * default is read with the union's first branch; a value of the wrong kind gives null (Java
 * null: the default is left out).
 */
function toJava(v: JsonValue, schema: AvroSchema | null): JavaValue | null {
  if (schema?.kind === "union") {
    const first = schema.types[0];
    return first === undefined ? null : toJava(v, first);
  }
  const k = schema?.kind ?? null;
  switch (v.kind) {
    case "null":
      return { t: "null" };
    case "boolean":
      return { t: "boolean", v: v.value };
    case "integer":
      if (!isJavaInt(v) && !isJavaLong(v)) return k === null ? { t: "integer", v: v.value } : null;
      if (k === null || k === "int" || k === "long") return { t: "integer", v: v.value };
      if (k === "float") return { t: "float", v: Math.fround(Number(v.value)) };
      if (k === "double") return { t: "double", v: Number(v.value) };
      return null;
    case "double":
      if (k === null || k === "double") return { t: "double", v: v.value };
      if (k === "float") return { t: "float", v: Math.fround(v.value) };
      return null;
    case "string":
      if (k === null || k === "string" || k === "enum") return { t: "string", v: v.value };
      // eslint-disable-next-line no-control-regex -- every char outside ISO-8859-1 becomes "?"
      if (k === "bytes" || k === "fixed") return { t: "string", v: v.value.replace(/[^\u0000-\u00ff]/g, "?") };
      return null;
    case "array": {
      const items = schema?.kind === "array" ? schema.items : null;
      return { t: "list", items: v.items.map((item) => toJava(item, items) ?? { t: "null" }) };
    }
    case "object": {
      const entries = new Map<string, JavaValue>();
      for (const [key, value] of v.entries) {
        let inner: AvroSchema | null = null;
        if (schema?.kind === "map") inner = schema.values;
        else if (schema?.kind === "record") inner = schema.fields.find((f) => f.name === key)?.type ?? null;
        entries.set(key, toJava(value, inner) ?? { t: "null" });
      }
      return { t: "map", entries };
    }
  }
}

/** Jackson's rendering, objects with their keys sorted (Confluent reads them into sorted nodes). */
function writeJava(v: JavaValue): string {
  switch (v.t) {
    case "null":
      return "null";
    case "boolean":
      return v.v ? "true" : "false";
    case "string":
      return quoteJson(v.v);
    case "integer":
      return v.v.toString();
    case "double":
      return Number.isFinite(v.v) ? javaDoubleToString(v.v) : quoteJson(javaDoubleToString(v.v));
    case "float":
      return Number.isFinite(v.v) ? javaFloatToString(v.v) : quoteJson(javaFloatToString(v.v));
    case "list":
      return `[${v.items.map(writeJava).join(",")}]`;
    case "map":
      return `{${[...v.entries.keys()]
        .sort(compareJava)
        .map((key) => `${quoteJson(key)}:${writeJava(v.entries.get(key) ?? { t: "null" })}`)
        .join(",")}}`;
  }
}

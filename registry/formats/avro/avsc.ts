// The parsed schema as an avsc Type, for the serializers and converters: a self-contained JSON
// schema (referenced types written out where first used) whose names are all absolute, since
// avsc resolves a short name only in the enclosing namespace while Java also looks in the null
// namespace.
import avro from "avsc";
import type { JsonValue } from "./json.ts";
import type { AvroSchema, NamedSchema, Props } from "./schema.ts";

type Plain = null | boolean | number | string | Plain[] | { [key: string]: Plain };

export function plainJson(v: JsonValue): Plain {
  switch (v.kind) {
    case "null":
      return null;
    case "boolean":
    case "string":
    case "double":
      return v.value;
    case "integer":
      return Number(v.value);
    case "array":
      return v.items.map(plainJson);
    case "object": {
      const out: { [key: string]: Plain } = {};
      for (const [k, value] of v.entries) out[k] = plainJson(value);
      return out;
    }
  }
}

/** An absolute reference avsc resolves to `name` whatever namespace encloses it. */
function absolute(full: string): string {
  return full.includes(".") ? full : `.${full}`;
}

function withProps(base: { [key: string]: Plain }, props: Props): { [key: string]: Plain } {
  for (const [k, v] of props) if (!(k in base)) base[k] = plainJson(v);
  return base;
}

/** The schema as avsc reads it (named types written in full once, referred to absolutely after). */
export function avscSchema(schema: AvroSchema, defined: Set<string> = new Set()): Plain {
  switch (schema.kind) {
    case "union":
      return schema.types.map((t) => avscSchema(t, defined));
    case "array":
      return withProps({ type: "array", items: avscSchema(schema.items, defined) }, schema.props);
    case "map":
      return withProps({ type: "map", values: avscSchema(schema.values, defined) }, schema.props);
    case "record":
    case "enum":
    case "fixed":
      return named(schema, defined);
    default:
      return schema.props.size === 0 ? schema.kind : withProps({ type: schema.kind }, schema.props);
  }
}

function named(s: NamedSchema, defined: Set<string>): Plain {
  if (defined.has(s.name.full)) return absolute(s.name.full);
  defined.add(s.name.full);
  const out: { [key: string]: Plain } = {
    type: s.kind === "record" && s.isError ? "error" : s.kind,
    name: s.name.full,
  };
  if (s.name.space === null) out.namespace = "";
  if (s.doc !== null) out.doc = s.doc;
  if (s.aliases.length > 0) out.aliases = s.aliases.map((a) => absolute(a.full));
  switch (s.kind) {
    case "record":
      out.fields = s.fields.map((f) => {
        const field: { [key: string]: Plain } = { name: f.name, type: avscSchema(f.type, defined) };
        if (f.doc !== null) field.doc = f.doc;
        if (f.default !== undefined) field.default = plainJson(f.default);
        if (f.order !== "ascending") field.order = f.order;
        if (f.aliases.length > 0) field.aliases = [...f.aliases];
        return withProps(field, f.props);
      });
      break;
    case "enum":
      out.symbols = [...s.symbols];
      if (s.default !== null) out.default = s.default;
      break;
    case "fixed":
      out.size = s.size;
      break;
  }
  return withProps(out, s.props);
}

export function avscType(schema: AvroSchema, options: Partial<avro.ForSchemaOptions> = {}): avro.Type {
  return avro.Type.forSchema(avscSchema(schema) as avro.Schema, { ...options, registry: {} });
}

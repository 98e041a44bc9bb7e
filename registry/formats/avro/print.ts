// Prints a schema as Java Avro's `Schema.toString()` does, which is what Confluent stores and
// returns as an Avro schema's text (AvroSchema.canonicalString): compact JSON, attributes in
// Java's order (type, name, namespace, doc, then the type's own attributes, then properties,
// then aliases), a named type written in full the first time and by name afterwards, names
// written relative to the enclosing namespace.
import { quoteJson, writeJson } from "./json.ts";
import type { AvroName, AvroSchema, Field, NamedSchema, Props } from "./schema.ts";

/**
 * `known`: full names already defined elsewhere (Java's `toString(referencedSchemas, false)`
 * passes the referenced schemas), printed by name only.
 */
export function printSchema(schema: AvroSchema, known: Iterable<string> = []): string {
  const out: string[] = [];
  new Printer(new Set(known), out).write(schema, null);
  return out.join("");
}

/** Java's `Name.getQualified(defaultSpace)`: the short name when in that namespace or in none. */
function qualified(name: AvroName, space: string | null): string {
  return name.space === null || name.space === space ? name.name : name.full;
}

class Printer {
  private readonly known: Set<string>;
  private readonly out: string[];

  constructor(known: Set<string>, out: string[]) {
    this.known = known;
    this.out = out;
  }

  write(s: AvroSchema, space: string | null): void {
    const out = this.out;
    switch (s.kind) {
      case "union":
        out.push("[");
        s.types.forEach((t, i) => {
          if (i > 0) out.push(",");
          this.write(t, space);
        });
        out.push("]");
        return;
      case "array":
        out.push('{"type":"array","items":');
        this.write(s.items, space);
        this.props(s.props);
        out.push("}");
        return;
      case "map":
        out.push('{"type":"map","values":');
        this.write(s.values, space);
        this.props(s.props);
        out.push("}");
        return;
      case "record":
      case "enum":
      case "fixed":
        this.named(s, space);
        return;
      default:
        if (s.props.size === 0) {
          out.push(quoteJson(s.kind));
        } else {
          out.push(`{"type":${quoteJson(s.kind)}`);
          this.props(s.props);
          out.push("}");
        }
    }
  }

  private named(s: NamedSchema, space: string | null): void {
    const out = this.out;
    if (this.known.has(s.name.full)) {
      out.push(quoteJson(qualified(s.name, space)));
      return;
    }
    this.known.add(s.name.full);
    const type = s.kind === "record" && s.isError ? "error" : s.kind;
    out.push(`{"type":${quoteJson(type)},"name":${quoteJson(s.name.name)}`);
    if (s.name.space !== null) {
      if (s.name.space !== space) out.push(`,"namespace":${quoteJson(s.name.space)}`);
    } else if (space !== null) {
      out.push(`,"namespace":""`);
    }
    if (s.doc !== null) out.push(`,"doc":${quoteJson(s.doc)}`);
    switch (s.kind) {
      case "record":
        out.push(',"fields":[');
        s.fields.forEach((f, i) => {
          if (i > 0) out.push(",");
          this.field(f, s.name.space);
        });
        out.push("]");
        break;
      case "enum":
        out.push(`,"symbols":[${s.symbols.map(quoteJson).join(",")}]`);
        if (s.default !== null) out.push(`,"default":${quoteJson(s.default)}`);
        break;
      case "fixed":
        out.push(`,"size":${s.size}`);
        break;
    }
    this.props(s.props);
    if (s.aliases.length > 0) out.push(`,"aliases":[${s.aliases.map((a) => quoteJson(qualified(a, s.name.space))).join(",")}]`);
    out.push("}");
  }

  private field(f: Field, space: string | null): void {
    const out = this.out;
    out.push(`{"name":${quoteJson(f.name)},"type":`);
    this.write(f.type, space);
    if (f.doc !== null) out.push(`,"doc":${quoteJson(f.doc)}`);
    if (f.default !== undefined) out.push(`,"default":${writeJson(f.default)}`);
    if (f.order !== "ascending") out.push(`,"order":${quoteJson(f.order)}`);
    if (f.aliases.length > 0) out.push(`,"aliases":[${f.aliases.map(quoteJson).join(",")}]`);
    this.props(f.props);
    out.push("}");
  }

  private props(props: Props): void {
    for (const [k, v] of props) this.out.push(`,${quoteJson(k)}:${writeJson(v)}`);
  }
}

// Avro schemas as the Avro serde and the Connect converter see them: a tree (a graph, for
// recursive records) of schema nodes that keeps every attribute (`logicalType`, `connect.name`,
// ...), parsed from schema text with its references' named types, and printed back as Avro's
// Java Schema.toString() prints it (attribute order, namespaces written only where they
// change, a named type spelled out once then referred to by name), so that the text a converter
// registers is the text a Java converter would register.
import { isJsonObject, type JsonObject, type JsonValue, parseJsonExact, RawNumber, writeJson } from "../json.ts";
import { SerializationException } from "../wire-format.ts";

export type AvroPrimitiveType = "null" | "boolean" | "int" | "long" | "float" | "double" | "bytes" | "string";

export const PRIMITIVE_TYPES: ReadonlySet<string> = new Set<AvroPrimitiveType>(["null", "boolean", "int", "long", "float", "double", "bytes", "string"]);

/** Attributes other than the ones a schema's kind defines, in the order written. */
export type AvroProps = Map<string, JsonValue>;

export interface AvroPrimitive {
  readonly kind: "primitive";
  readonly type: AvroPrimitiveType;
  readonly props: AvroProps;
}

interface Named {
  /** namespace.name, or name when there is no namespace. */
  readonly fullName: string;
  readonly name: string;
  readonly namespace: string | null;
  readonly doc: string | null;
  readonly aliases: readonly string[];
  readonly props: AvroProps;
}

export interface AvroField {
  readonly name: string;
  readonly type: AvroSchema;
  readonly doc: string | null;
  /** undefined: no default (a JSON null default is null). */
  readonly default: JsonValue | undefined;
  /** "ascending" is not written. */
  readonly order: "ascending" | "descending" | "ignore";
  readonly aliases: readonly string[];
  readonly props: AvroProps;
}

export interface AvroRecord extends Named {
  readonly kind: "record";
  readonly error: boolean;
  /** Filled in after the record is named, so that fields may refer to it. */
  fields: AvroField[];
}

export interface AvroEnum extends Named {
  readonly kind: "enum";
  readonly symbols: readonly string[];
  readonly default: string | null;
}

export interface AvroFixed extends Named {
  readonly kind: "fixed";
  readonly size: number;
}

export interface AvroArray {
  readonly kind: "array";
  readonly items: AvroSchema;
  readonly props: AvroProps;
}

export interface AvroMap {
  readonly kind: "map";
  readonly values: AvroSchema;
  readonly props: AvroProps;
}

export interface AvroUnion {
  readonly kind: "union";
  readonly types: readonly AvroSchema[];
}

export type AvroNamed = AvroRecord | AvroEnum | AvroFixed;
export type AvroSchema = AvroPrimitive | AvroRecord | AvroEnum | AvroFixed | AvroArray | AvroMap | AvroUnion;

/** Named types by full name: what references contribute to a schema being parsed. */
export type AvroNames = Map<string, AvroNamed>;

export class AvroSchemaParseError extends SerializationException {
  override name = "AvroSchemaParseError";
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function primitive(type: AvroPrimitiveType, props: AvroProps = new Map()): AvroPrimitive {
  return { kind: "primitive", type, props };
}

export function isNamed(schema: AvroSchema): schema is AvroNamed {
  return schema.kind === "record" || schema.kind === "enum" || schema.kind === "fixed";
}

/** The name a union branch goes by: a named type's full name, else the type's name. */
export function branchName(schema: AvroSchema): string {
  if (isNamed(schema)) return schema.fullName;
  return schema.kind === "primitive" ? schema.type : schema.kind;
}

/** A string attribute, or null. */
export function stringProp(schema: AvroSchema, key: string): string | null {
  if (schema.kind === "union") return null;
  const value = schema.props.get(key);
  return typeof value === "string" ? value : null;
}

/** Splits a full name as Avro does: the part after the last dot is the name. */
export function splitFullName(fullName: string): { namespace: string | null; name: string } {
  const dot = fullName.lastIndexOf(".");
  return dot < 0 ? { namespace: null, name: fullName } : { namespace: fullName.slice(0, dot), name: fullName.slice(dot + 1) };
}

// ---------------------------------------------------------------------------------------------
// Parsing

const RECORD_KEYS = new Set(["type", "name", "namespace", "doc", "fields", "aliases"]);
const ENUM_KEYS = new Set(["type", "name", "namespace", "doc", "symbols", "aliases", "default"]);
const FIXED_KEYS = new Set(["type", "name", "namespace", "doc", "size", "aliases"]);
const FIELD_KEYS = new Set(["name", "type", "doc", "default", "order", "aliases"]);

function propsOf(json: JsonObject, reserved: ReadonlySet<string>): AvroProps {
  const props: AvroProps = new Map();
  for (const [k, v] of Object.entries(json)) if (!reserved.has(k)) props.set(k, v);
  return props;
}

function optionalString(json: JsonObject, key: string): string | null {
  const v = json[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== "string") throw new AvroSchemaParseError(`"${key}" must be a string: ${writeJson(v)}`);
  return v;
}

function stringList(json: JsonObject, key: string): string[] {
  const v = json[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) throw new AvroSchemaParseError(`"${key}" must be an array of strings`);
  return v as string[];
}

class Parser {
  readonly names: AvroNames;

  constructor(names: AvroNames) {
    this.names = names;
  }

  parse(json: JsonValue, namespace: string | null): AvroSchema {
    if (typeof json === "string") return this.#byName(json, namespace);
    if (Array.isArray(json)) return this.#union(json, namespace);
    if (!isJsonObject(json)) throw new AvroSchemaParseError(`Not a schema: ${writeJson(json)}`);
    const type = json.type;
    if (type === undefined) throw new AvroSchemaParseError(`No type: ${writeJson(json)}`);
    if (typeof type !== "string") {
      // {"type": {...}} or {"type": [...]}: the nested schema, as Avro's Java parser reads it.
      return this.parse(type, namespace);
    }
    switch (type) {
      case "record":
      case "error":
        return this.#record(json, namespace, type === "error");
      case "enum":
        return this.#enum(json, namespace);
      case "fixed":
        return this.#fixed(json, namespace);
      case "array":
        if (json.items === undefined) throw new AvroSchemaParseError(`Array has no items type: ${writeJson(json)}`);
        return { kind: "array", items: this.parse(json.items, namespace), props: propsOf(json, new Set(["type", "items"])) };
      case "map":
        if (json.values === undefined) throw new AvroSchemaParseError(`Map has no values type: ${writeJson(json)}`);
        return { kind: "map", values: this.parse(json.values, namespace), props: propsOf(json, new Set(["type", "values"])) };
      default:
        if (PRIMITIVE_TYPES.has(type)) return primitive(type as AvroPrimitiveType, propsOf(json, new Set(["type"])));
        // {"type": "com.example.Named"}: a reference to a named type.
        return this.#byName(type, namespace);
    }
  }

  #byName(name: string, namespace: string | null): AvroSchema {
    if (PRIMITIVE_TYPES.has(name)) return primitive(name as AvroPrimitiveType);
    const qualified = !name.includes(".") && namespace ? `${namespace}.${name}` : name;
    const found = this.names.get(qualified) ?? this.names.get(name);
    if (found === undefined) throw new AvroSchemaParseError(`Undefined name: "${name}"`);
    return found;
  }

  #union(json: JsonValue[], namespace: string | null): AvroUnion {
    const types = json.map((t) => this.parse(t, namespace));
    const seen = new Set<string>();
    for (const t of types) {
      if (t.kind === "union") throw new AvroSchemaParseError(`Nested union: ${writeJson(json)}`);
      const key = branchName(t);
      if (seen.has(key)) throw new AvroSchemaParseError(`Duplicate in union: ${key}`);
      seen.add(key);
    }
    return { kind: "union", types };
  }

  #naming(json: JsonObject, enclosing: string | null): { fullName: string; name: string; namespace: string | null } {
    const rawName = json.name;
    if (typeof rawName !== "string" || rawName === "") throw new AvroSchemaParseError(`No name in schema: ${writeJson(json)}`);
    let namespace: string | null;
    let name: string;
    if (rawName.includes(".")) {
      ({ namespace, name } = splitFullName(rawName));
    } else {
      name = rawName;
      const ns = json.namespace;
      namespace = typeof ns === "string" ? ns : enclosing;
    }
    if (namespace === "") namespace = null;
    if (!NAME.test(name)) throw new AvroSchemaParseError(`Illegal name: ${name}`);
    for (const part of namespace?.split(".") ?? []) if (!NAME.test(part)) throw new AvroSchemaParseError(`Illegal namespace: ${namespace}`);
    const fullName = namespace === null ? name : `${namespace}.${name}`;
    if (PRIMITIVE_TYPES.has(fullName)) throw new AvroSchemaParseError(`Schemas may not be named after primitives: ${fullName}`);
    return { fullName, name, namespace };
  }

  #define(named: AvroNamed): void {
    if (this.names.has(named.fullName)) throw new AvroSchemaParseError(`Can't redefine: ${named.fullName}`);
    this.names.set(named.fullName, named);
  }

  #record(json: JsonObject, enclosing: string | null, error: boolean): AvroRecord {
    const naming = this.#naming(json, enclosing);
    const record: AvroRecord = {
      kind: "record",
      ...naming,
      error,
      doc: optionalString(json, "doc"),
      aliases: stringList(json, "aliases"),
      props: propsOf(json, RECORD_KEYS),
      fields: [],
    };
    this.#define(record);
    const fields = json.fields;
    if (!Array.isArray(fields)) throw new AvroSchemaParseError(`Record has no fields: ${writeJson(json)}`);
    const seen = new Set<string>();
    for (const f of fields) {
      if (!isJsonObject(f)) throw new AvroSchemaParseError(`Not a field: ${writeJson(f)}`);
      const name = f.name;
      if (typeof name !== "string" || !NAME.test(name)) throw new AvroSchemaParseError(`Illegal field name: ${writeJson(name ?? null)}`);
      if (seen.has(name)) throw new AvroSchemaParseError(`Duplicate field ${name} in record ${record.fullName}`);
      seen.add(name);
      if (f.type === undefined) throw new AvroSchemaParseError(`No field type: ${writeJson(f)}`);
      const order = f.order === undefined ? "ascending" : f.order;
      if (order !== "ascending" && order !== "descending" && order !== "ignore") throw new AvroSchemaParseError(`Illegal field order: ${writeJson(order)}`);
      record.fields.push({
        name,
        type: this.parse(f.type, naming.namespace),
        doc: optionalString(f, "doc"),
        default: f.default,
        order,
        aliases: stringList(f, "aliases"),
        props: propsOf(f, FIELD_KEYS),
      });
    }
    return record;
  }

  #enum(json: JsonObject, enclosing: string | null): AvroEnum {
    const naming = this.#naming(json, enclosing);
    const symbols = stringList(json, "symbols");
    if (json.symbols === undefined) throw new AvroSchemaParseError(`Enum has no symbols: ${writeJson(json)}`);
    for (const s of symbols) if (!NAME.test(s)) throw new AvroSchemaParseError(`Illegal enum symbol: ${s}`);
    if (new Set(symbols).size !== symbols.length) throw new AvroSchemaParseError(`Duplicate enum symbol in ${naming.fullName}`);
    const def = optionalString(json, "default");
    if (def !== null && !symbols.includes(def)) throw new AvroSchemaParseError(`The Enum Default: ${def} is not in the enum symbol set: ${symbols.join(", ")}`);
    const schema: AvroEnum = { kind: "enum", ...naming, doc: optionalString(json, "doc"), aliases: stringList(json, "aliases"), props: propsOf(json, ENUM_KEYS), symbols, default: def };
    this.#define(schema);
    return schema;
  }

  #fixed(json: JsonObject, enclosing: string | null): AvroFixed {
    const naming = this.#naming(json, enclosing);
    const size = json.size;
    const n = size instanceof RawNumber ? Number(size.text) : Number.NaN;
    if (!Number.isInteger(n) || n < 0) throw new AvroSchemaParseError(`Invalid fixed size: ${writeJson(size ?? null)}`);
    const schema: AvroFixed = { kind: "fixed", ...naming, doc: optionalString(json, "doc"), aliases: stringList(json, "aliases"), props: propsOf(json, FIXED_KEYS), size: n };
    this.#define(schema);
    return schema;
  }
}

/**
 * Parses an Avro schema's text. `references` are the texts of the schemas it refers to (from the
 * registry, dependencies first): their named types can be used by name.
 */
export function parseAvroSchema(text: string, references: Iterable<string> = []): AvroSchema {
  const names: AvroNames = new Map();
  for (const ref of references) new Parser(names).parse(parseText(ref), null);
  return new Parser(names).parse(parseText(text), null);
}

/** Parses an Avro schema given as JSON (already parsed), with named types known from elsewhere. */
export function avroSchemaFromJson(json: JsonValue, names: AvroNames = new Map()): AvroSchema {
  return new Parser(names).parse(json, null);
}

function parseText(text: string): JsonValue {
  try {
    return parseJsonExact(text);
  } catch (e) {
    // A bare name is how Avro writes a primitive schema's text without quotes at times.
    if (PRIMITIVE_TYPES.has(text.trim())) return text.trim();
    throw new AvroSchemaParseError(`Invalid Avro schema JSON: ${(e as Error).message}`, { cause: e });
  }
}

// ---------------------------------------------------------------------------------------------
// Printing

class Printer {
  readonly #written = new Map<string, AvroNamed>();
  #space: string | null = null;

  print(schema: AvroSchema): JsonValue {
    switch (schema.kind) {
      case "primitive":
        if (schema.props.size === 0) return schema.type;
        return this.#withProps({ type: schema.type }, schema.props);
      case "array":
        return this.#withProps({ type: "array", items: this.print(schema.items) }, schema.props);
      case "map":
        return this.#withProps({ type: "map", values: this.print(schema.values) }, schema.props);
      case "union":
        return schema.types.map((t) => this.print(t));
      case "record":
      case "enum":
      case "fixed":
        return this.#named(schema);
    }
  }

  #withProps(out: JsonObject, props: AvroProps): JsonObject {
    for (const [k, v] of props) if (!(k in out)) out[k] = v;
    return out;
  }

  #named(schema: AvroNamed): JsonValue {
    const known = this.#written.get(schema.fullName);
    if (known !== undefined) {
      if (known !== schema) throw new AvroSchemaParseError(`Can't redefine: ${schema.fullName}`);
      return schema.namespace === null || schema.namespace === this.#space ? schema.name : schema.fullName;
    }
    this.#written.set(schema.fullName, schema);
    const saved = this.#space;
    const out: JsonObject = { type: schema.kind === "record" && schema.error ? "error" : schema.kind, name: schema.name };
    if (schema.namespace !== null) {
      if (schema.namespace !== this.#space) out.namespace = schema.namespace;
    } else if (this.#space !== null) {
      out.namespace = "";
    }
    this.#space = schema.namespace;
    if (schema.doc !== null) out.doc = schema.doc;
    if (schema.kind === "record") {
      out.fields = schema.fields.map((f) => this.#field(f));
    } else if (schema.kind === "enum") {
      out.symbols = [...schema.symbols];
    } else {
      out.size = new RawNumber(String(schema.size));
    }
    this.#withProps(out, schema.props);
    if (schema.aliases.length > 0) out.aliases = [...schema.aliases];
    if (schema.kind === "enum" && schema.default !== null) out.default = schema.default;
    this.#space = saved;
    return out;
  }

  #field(field: AvroField): JsonObject {
    const out: JsonObject = { name: field.name, type: this.print(field.type) };
    if (field.doc !== null) out.doc = field.doc;
    if (field.default !== undefined) out.default = field.default;
    if (field.order !== "ascending") out.order = field.order;
    this.#withProps(out, field.props);
    if (field.aliases.length > 0) out.aliases = [...field.aliases];
    return out;
  }
}

/** The schema as Avro's Java Schema.toString() prints it (compact JSON). */
export function printAvroSchema(schema: AvroSchema): string {
  return writeJson(new Printer().print(schema));
}

/** The schema as JSON (named types spelled out once). */
export function avroSchemaToJson(schema: AvroSchema): JsonValue {
  return new Printer().print(schema);
}

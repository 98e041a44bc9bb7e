// The Avro schema model and its parser, following Apache Avro's Java implementation (1.11, the
// one inside Confluent's Schema Registry) rule for rule: what it accepts and rejects, how names
// and namespaces resolve, which attributes become properties, when defaults are checked. The
// model keeps what Java's Schema keeps, so the schema can be printed back as Java prints it
// (print.ts) and compared as Java compares (compatibility.ts).
//
// Named types are single objects shared by every reference to them (the compatibility check
// memoizes on object identity, as Java's does); every other occurrence is its own object.
import { InvalidSchemaError } from "../types.ts";
import {
  fitsJavaLong,
  isJavaInt,
  type JsonObject,
  type JsonValue,
  parseJson,
  JsonSyntaxError,
  textMember,
  writeJson,
} from "./json.ts";
import { parseJavaDouble } from "./java-numbers.ts";
import { printSchema } from "./print.ts";

export type PrimitiveKind = "null" | "boolean" | "int" | "long" | "float" | "double" | "bytes" | "string";

export const PRIMITIVE_KINDS: ReadonlySet<string> = new Set<PrimitiveKind>([
  "null",
  "boolean",
  "int",
  "long",
  "float",
  "double",
  "bytes",
  "string",
]);

/** A name and its namespace (null: the null namespace), as Java's Schema.Name. */
export interface AvroName {
  readonly name: string;
  readonly space: string | null;
  readonly full: string;
}

/** Attributes that are not part of the schema's definition, in the order written. */
export type Props = ReadonlyMap<string, JsonValue>;

export interface PrimitiveSchema {
  readonly kind: PrimitiveKind;
  readonly props: Props;
}

export interface RecordSchema {
  readonly kind: "record";
  /** Declared as `"type": "error"` (an Avro protocol error record). */
  readonly isError: boolean;
  readonly name: AvroName;
  readonly doc: string | null;
  /** Filled once the fields are parsed (a field may refer to the record itself). */
  readonly fields: Field[];
  readonly aliases: readonly AvroName[];
  readonly props: Props;
}

export type FieldOrder = "ascending" | "descending" | "ignore";

export interface Field {
  readonly name: string;
  readonly type: AvroSchema;
  readonly doc: string | null;
  /** The default as written (a string default of a float or double field read as a number). */
  readonly default: JsonValue | undefined;
  readonly order: FieldOrder;
  readonly aliases: readonly string[];
  readonly props: Props;
  readonly pos: number;
}

export interface EnumSchema {
  readonly kind: "enum";
  readonly name: AvroName;
  readonly doc: string | null;
  readonly symbols: readonly string[];
  readonly default: string | null;
  readonly aliases: readonly AvroName[];
  readonly props: Props;
}

export interface FixedSchema {
  readonly kind: "fixed";
  readonly name: AvroName;
  readonly doc: string | null;
  readonly size: number;
  readonly aliases: readonly AvroName[];
  readonly props: Props;
}

export interface ArraySchema {
  readonly kind: "array";
  readonly items: AvroSchema;
  readonly props: Props;
}

export interface MapSchema {
  readonly kind: "map";
  readonly values: AvroSchema;
  readonly props: Props;
}

export interface UnionSchema {
  readonly kind: "union";
  readonly types: readonly AvroSchema[];
}

export type NamedSchema = RecordSchema | EnumSchema | FixedSchema;
export type AvroSchema = PrimitiveSchema | NamedSchema | ArraySchema | MapSchema | UnionSchema;

export function isNamed(s: AvroSchema): s is NamedSchema {
  return s.kind === "record" || s.kind === "enum" || s.kind === "fixed";
}

/** Java's Schema.Type name (RECORD, INT, ...), used in compatibility messages. */
export function javaTypeName(s: AvroSchema): string {
  return s.kind.toUpperCase();
}

/** Java's `getFullName()`: the full name of a named type, else the type's name. */
export function fullName(s: AvroSchema): string {
  return isNamed(s) ? s.name.full : s.kind;
}

/**
 * The named types a Java Schema.Parser has seen (Java's Schema.Names), shared by the referenced
 * schemas and the schema that uses them, plus the namespace names are resolved in.
 */
export class AvroNames {
  private readonly named = new Map<string, NamedSchema>();
  space: string | null = null;

  /** Resolves a type name as Java does: a primitive, else in the current namespace, else in the null one. */
  get(ref: string): AvroSchema | undefined {
    if (PRIMITIVE_KINDS.has(ref)) return { kind: ref as PrimitiveKind, props: new Map() };
    const inSpace = makeName(ref, this.space);
    return this.named.get(inSpace.full) ?? this.named.get(makeName(ref, null).full);
  }

  /** The full names of the named types defined so far. */
  definedNames(): string[] {
    return [...this.named.keys()];
  }

  getExact(name: AvroName): NamedSchema | undefined {
    return this.named.get(name.full);
  }

  add(schema: NamedSchema): void {
    if (this.named.has(schema.name.full)) throw new InvalidSchemaError(`Can't redefine: ${schema.name.full}`);
    this.named.set(schema.name.full, schema);
  }
}

export interface AvroParseOptions {
  /** Check field defaults against their types (Java's `Parser.setValidateDefaults`). */
  readonly validateDefaults: boolean;
}

/** Parses one schema text into `names` (the named types it defines are added there). */
export function parseAvroSchema(text: string, names: AvroNames, options: AvroParseOptions): AvroSchema {
  let json: JsonValue;
  try {
    json = parseJson(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) throw new InvalidSchemaError(e.message);
    throw e;
  }
  return new SchemaParser(names, options).parse(json);
}

/** Java's Name constructor: a dotted name carries its namespace; only the last part is validated. */
export function makeName(name: string, space: string | null): AvroName {
  const lastDot = name.lastIndexOf(".");
  let simple: string;
  if (lastDot < 0) {
    simple = validateName(name);
  } else {
    space = name.slice(0, lastDot);
    simple = validateName(name.slice(lastDot + 1));
  }
  if (space === "") space = null;
  return { name: simple, space, full: space === null ? simple : `${space}.${simple}` };
}

/** Java's Character.isLetter / isLetterOrDigit, on UTF-16 code units as Java's `charAt`. */
const LETTER = /^\p{L}$/u;
const LETTER_OR_DIGIT = /^[\p{L}\p{Nd}]$/u;

export function validateName(name: string | null): string {
  if (name === null) throw new InvalidSchemaError("Null name");
  if (name.length === 0) throw new InvalidSchemaError("Empty name");
  const first = name[0] ?? "";
  if (!(first === "_" || LETTER.test(first))) throw new InvalidSchemaError(`Illegal initial character: ${name}`);
  for (let i = 1; i < name.length; i++) {
    const c = name[i] ?? "";
    if (!(c === "_" || LETTER_OR_DIGIT.test(c))) throw new InvalidSchemaError(`Illegal character in: ${name}`);
  }
  return name;
}

const SCHEMA_RESERVED = new Set(["doc", "fields", "items", "name", "namespace", "size", "symbols", "values", "type", "aliases"]);
const ENUM_RESERVED = new Set([...SCHEMA_RESERVED, "default"]);
const FIELD_RESERVED = new Set(["default", "doc", "name", "order", "type", "aliases"]);

function member(v: JsonValue, key: string): JsonValue | undefined {
  return v.kind === "object" ? v.entries.get(key) : undefined;
}

function text(v: JsonValue, key: string): string | null {
  return v.kind === "object" ? textMember(v, key) : null;
}

function propsOf(obj: JsonObject, reserved: ReadonlySet<string>): Map<string, JsonValue> {
  const props = new Map<string, JsonValue>();
  for (const [k, v] of obj.entries) if (!reserved.has(k)) props.set(k, v);
  return props;
}

/** Java's `parseAliases`: a list of strings, duplicates dropped; null when absent. */
function parseAliases(node: JsonValue): string[] | null {
  const aliases = member(node, "aliases");
  if (aliases === undefined) return null;
  if (aliases.kind !== "array") throw new InvalidSchemaError(`aliases not an array: ${writeJson(node)}`);
  const out = new Set<string>();
  for (const a of aliases.items) {
    if (a.kind !== "string") throw new InvalidSchemaError(`alias not a string: ${writeJson(a)}`);
    out.add(a.value);
  }
  return [...out];
}

const FIELD_ORDERS: ReadonlySet<string> = new Set(["ASCENDING", "DESCENDING", "IGNORE"]);

class SchemaParser {
  private readonly names: AvroNames;
  private readonly options: AvroParseOptions;

  constructor(names: AvroNames, options: AvroParseOptions) {
    this.names = names;
    this.options = options;
  }

  parse(node: JsonValue): AvroSchema {
    if (node.kind === "string") {
      const found = this.names.get(node.value);
      if (found === undefined) throw new InvalidSchemaError(`Undefined name: ${writeJson(node)}`);
      return found;
    }
    if (node.kind === "array") return this.union(node.items);
    if (node.kind !== "object") throw new InvalidSchemaError(`Schema not yet supported: ${writeJson(node)}`);

    const type = textMember(node, "type");
    if (type === null) throw new InvalidSchemaError(`No type: ${writeJson(node)}`);
    const savedSpace = this.names.space;
    const isNamedType = type === "record" || type === "error" || type === "enum" || type === "fixed";
    let name: AvroName | null = null;
    let doc: string | null = null;
    if (isNamedType) {
      const space = textMember(node, "namespace") ?? savedSpace;
      doc = textMember(node, "doc");
      const nameText = textMember(node, "name");
      if (nameText === null) throw new InvalidSchemaError(`No name in schema: ${writeJson(node)}`);
      name = makeName(nameText, space);
      if (PRIMITIVE_KINDS.has(name.full)) {
        throw new InvalidSchemaError(`Schemas may not be named after primitives: ${name.full}`);
      }
      this.names.space = name.space;
    }

    let result: AvroSchema;
    if (PRIMITIVE_KINDS.has(type)) {
      result = { kind: type as PrimitiveKind, props: propsOf(node, SCHEMA_RESERVED) };
    } else if (name !== null && (type === "record" || type === "error")) {
      result = this.record(node, name, doc, type === "error");
    } else if (name !== null && type === "enum") {
      result = this.enumSchema(node, name, doc);
    } else if (type === "array") {
      const items = node.entries.get("items");
      if (items === undefined) throw new InvalidSchemaError(`Array has no items type: ${writeJson(node)}`);
      result = { kind: "array", items: this.parse(items), props: propsOf(node, SCHEMA_RESERVED) };
    } else if (type === "map") {
      const values = node.entries.get("values");
      if (values === undefined) throw new InvalidSchemaError(`Map has no values type: ${writeJson(node)}`);
      result = { kind: "map", values: this.parse(values), props: propsOf(node, SCHEMA_RESERVED) };
    } else if (name !== null && type === "fixed") {
      const size = node.entries.get("size");
      if (size === undefined || size.kind !== "integer" || !isJavaInt(size)) {
        throw new InvalidSchemaError(`Invalid or no size: ${writeJson(node)}`);
      }
      if (size.value < 0n) throw new InvalidSchemaError(`Malformed data. Length is negative: ${size.value}`);
      result = this.withAliases(node, {
        kind: "fixed",
        name,
        doc,
        size: Number(size.value),
        aliases: [],
        props: propsOf(node, SCHEMA_RESERVED),
      });
      this.names.add(result);
    } else {
      // A named type given as {"type": "Name"}: the type itself, attributes ignored.
      const known = this.names.getExact(makeName(type, this.names.space));
      if (known !== undefined) return known;
      throw new InvalidSchemaError(`Type not supported: ${type}`);
    }
    this.names.space = savedSpace;
    return result;
  }

  private withAliases<T extends NamedSchema>(node: JsonObject, schema: T): T {
    return { ...schema, aliases: parseAliasNames(node, schema.name) };
  }

  private record(node: JsonObject, name: AvroName, doc: string | null, isError: boolean): RecordSchema {
    const fields: Field[] = [];
    // Registered before its fields are parsed, so that a field can refer to the record.
    const aliases = parseAliasNames(node, name);
    const props = propsOf(node, SCHEMA_RESERVED);
    const record: RecordSchema = { kind: "record", isError, name, doc, fields, aliases, props };
    this.names.add(record);
    const fieldsNode = node.entries.get("fields");
    if (fieldsNode === undefined || fieldsNode.kind !== "array") {
      throw new InvalidSchemaError(`Record has no fields: ${writeJson(node)}`);
    }
    const parsed: Field[] = [];
    for (const fieldNode of fieldsNode.items) parsed.push(this.field(fieldNode, parsed.length));
    const byName = new Map<string, Field>();
    for (const f of parsed) {
      const existing = byName.get(f.name);
      if (existing !== undefined) {
        throw new InvalidSchemaError(
          `Duplicate field ${f.name} in record ${name.full}: ${fieldString(f)} and ${fieldString(existing)}.`,
        );
      }
      byName.set(f.name, f);
    }
    fields.push(...parsed);
    return record;
  }

  private field(node: JsonValue, pos: number): Field {
    const name = text(node, "name");
    if (name === null) throw new InvalidSchemaError(`No field name: ${writeJson(node)}`);
    const doc = text(node, "doc");
    const typeNode = member(node, "type");
    if (typeNode === undefined) throw new InvalidSchemaError(`No field type: ${writeJson(node)}`);
    if (typeNode.kind === "string" && this.names.get(typeNode.value) === undefined) {
      throw new InvalidSchemaError(
        `${writeJson(typeNode)} is not a defined name. The type of the "${name}" field must be a defined name or a {"type": ...} expression.`,
      );
    }
    const type = this.parse(typeNode);
    let order: FieldOrder = "ascending";
    const orderNode = member(node, "order");
    if (orderNode !== undefined) {
      if (orderNode.kind !== "string") throw new InvalidSchemaError(`Invalid order for field ${name}: ${writeJson(orderNode)}`);
      const upper = orderNode.value.toUpperCase();
      if (!FIELD_ORDERS.has(upper)) {
        throw new InvalidSchemaError(`No enum constant org.apache.avro.Schema.Field.Order.${upper}`);
      }
      order = upper.toLowerCase() as FieldOrder;
    }
    let defaultValue = member(node, "default");
    if (defaultValue?.kind === "string" && (type.kind === "float" || type.kind === "double")) {
      try {
        defaultValue = { kind: "double", value: parseJavaDouble(defaultValue.value) };
      } catch (e) {
        throw new InvalidSchemaError((e as Error).message);
      }
    }
    validateName(name);
    if (defaultValue !== undefined && this.options.validateDefaults && !isValidDefault(type, defaultValue)) {
      throw new InvalidSchemaError(
        `Invalid default for field ${name}: ${writeJson(defaultValue)} not a ${printSchema(type)}`,
      );
    }
    return {
      name,
      type,
      doc,
      default: defaultValue,
      order,
      aliases: parseAliases(node) ?? [],
      props: node.kind === "object" ? propsOf(node, FIELD_RESERVED) : new Map(),
      pos,
    };
  }

  private enumSchema(node: JsonObject, name: AvroName, doc: string | null): EnumSchema {
    const symbolsNode = node.entries.get("symbols");
    if (symbolsNode === undefined || symbolsNode.kind !== "array") {
      throw new InvalidSchemaError(`Enum has no symbols: ${writeJson(node)}`);
    }
    const symbols: string[] = [];
    const seen = new Set<string>();
    for (const s of symbolsNode.items) {
      const symbol = validateName(s.kind === "string" ? s.value : null);
      if (seen.has(symbol)) throw new InvalidSchemaError(`Duplicate enum symbol: ${symbol}`);
      seen.add(symbol);
      symbols.push(symbol);
    }
    const defaultSymbol = textMember(node, "default");
    if (defaultSymbol !== null && !seen.has(defaultSymbol)) {
      throw new InvalidSchemaError(
        `The Enum Default: ${defaultSymbol} is not in the enum symbol set: [${symbols.join(", ")}]`,
      );
    }
    const result = this.withAliases(node, {
      kind: "enum",
      name,
      doc,
      symbols,
      default: defaultSymbol,
      aliases: [],
      props: propsOf(node, ENUM_RESERVED),
    });
    this.names.add(result);
    return result;
  }

  private union(items: readonly JsonValue[]): UnionSchema {
    const types = items.map((item) => this.parse(item));
    const union: UnionSchema = { kind: "union", types };
    const seen = new Set<string>();
    for (const t of types) {
      if (t.kind === "union") throw new InvalidSchemaError(`Nested union: ${printSchema(union)}`);
      const n = fullName(t);
      if (seen.has(n)) throw new InvalidSchemaError(`Duplicate in union:${n}`);
      seen.add(n);
    }
    return union;
  }
}

/** A named type's aliases, taken in its namespace (names validated, duplicates dropped). */
function parseAliasNames(node: JsonObject, name: AvroName): AvroName[] {
  const aliases = parseAliases(node);
  if (aliases === null) return [];
  const byFull = new Map<string, AvroName>();
  for (const a of aliases) {
    const n = makeName(a, name.space);
    if (!byFull.has(n.full)) byFull.set(n.full, n);
  }
  return [...byFull.values()];
}

/** Java's Field.toString(), quoted in some of its messages. */
export function fieldString(f: Field): string {
  return `${f.name} type:${javaTypeName(f.type)} pos:${f.pos}`;
}

/** Java's `Schema.isValidDefault`: does the JSON default fit the type (a union: its first branch)? */
export function isValidDefault(schema: AvroSchema, value: JsonValue | undefined): boolean {
  if (value === undefined) return false;
  switch (schema.kind) {
    case "string":
    case "bytes":
    case "enum":
    case "fixed":
      return value.kind === "string";
    case "int":
      return isJavaInt(value);
    case "long":
      return fitsJavaLong(value);
    case "float":
    case "double":
      return value.kind === "integer" || value.kind === "double";
    case "boolean":
      return value.kind === "boolean";
    case "null":
      return value.kind === "null";
    case "array":
      return value.kind === "array" && value.items.every((item) => isValidDefault(schema.items, item));
    case "map":
      return value.kind === "object" && [...value.entries.values()].every((v) => isValidDefault(schema.values, v));
    case "union": {
      const first = schema.types[0];
      return first !== undefined && isValidDefault(first, value);
    }
    case "record":
      if (value.kind !== "object") return false;
      return schema.fields.every((f) => isValidDefault(f.type, value.entries.has(f.name) ? value.entries.get(f.name) : f.default));
  }
}

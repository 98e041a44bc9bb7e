// Connect's schemas (org.apache.kafka.connect.data.Schema / ConnectSchema / Field): the types,
// immutable schema objects, and the predefined primitive schemas. Schemas are built with
// SchemaBuilder; `new Schema({...})` is there for code that copies schemas field by field.
//
// Unlike Kafka, a SchemaBuilder is not itself a Schema: call build() (field() accepts either).
// Properties replace Kafka's getter methods: schema.type, schema.optional, schema.name ...
import { DataException } from "../errors.ts";
import { valueEquals } from "./equality.ts";

export const SchemaType = {
  INT8: "INT8",
  INT16: "INT16",
  INT32: "INT32",
  INT64: "INT64",
  FLOAT32: "FLOAT32",
  FLOAT64: "FLOAT64",
  BOOLEAN: "BOOLEAN",
  STRING: "STRING",
  BYTES: "BYTES",
  ARRAY: "ARRAY",
  MAP: "MAP",
  STRUCT: "STRUCT",
} as const;
export type SchemaType = (typeof SchemaType)[keyof typeof SchemaType];

const PRIMITIVE_TYPES: ReadonlySet<SchemaType> = new Set(["INT8", "INT16", "INT32", "INT64", "FLOAT32", "FLOAT64", "BOOLEAN", "STRING", "BYTES"]);

/** True for every type but ARRAY, MAP and STRUCT (Kafka's Schema.Type.isPrimitive()). */
export function isPrimitiveType(type: SchemaType): boolean {
  return PRIMITIVE_TYPES.has(type);
}

/** Kafka's Schema.Type.getName(): the lower-case type name ("int32", "float64", "struct"). */
export function schemaTypeName(type: SchemaType): string {
  return type.toLowerCase();
}

/** One field of a STRUCT schema: its name, its position, and its schema. */
export class Field {
  readonly name: string;
  readonly index: number;
  readonly schema: Schema;

  constructor(name: string, index: number, schema: Schema) {
    this.name = name;
    this.index = index;
    this.schema = schema;
    Object.freeze(this);
  }

  equals(other: unknown): boolean {
    return (
      other === this ||
      (other instanceof Field && other.name === this.name && other.index === this.index && this.schema.equals(other.schema))
    );
  }

  toString(): string {
    return `Field{name=${this.name}, index=${this.index}, schema=${this.schema.toString()}}`;
  }
}

export interface SchemaOptions {
  type: SchemaType;
  optional?: boolean;
  /** undefined and null both mean "no default". */
  defaultValue?: unknown;
  name?: string | null;
  version?: number | null;
  doc?: string | null;
  parameters?: ReadonlyMap<string, string> | Readonly<Record<string, string>> | null;
  /** STRUCT only, in order; each field's index must be its position. */
  fields?: readonly Field[] | null;
  /** MAP only. */
  keySchema?: Schema | null;
  /** ARRAY (the element schema) and MAP. */
  valueSchema?: Schema | null;
}

/**
 * An immutable Connect schema (Kafka's ConnectSchema). The predefined primitive schemas are
 * static members, as in Kafka: Schema.INT32_SCHEMA, Schema.OPTIONAL_STRING_SCHEMA ...
 */
export class Schema {
  readonly type: SchemaType;
  readonly optional: boolean;
  /** The default value, or null when there is none (Kafka cannot tell a null default from none). */
  readonly defaultValue: unknown;
  readonly name: string | null;
  readonly version: number | null;
  readonly doc: string | null;
  /** Free-form string parameters, in insertion order (logical types keep theirs here, e.g. "scale"). */
  readonly parameters: ReadonlyMap<string, string> | null;
  /** The key schema of a MAP, else null. */
  readonly keySchema: Schema | null;
  /** The element schema of an ARRAY, the value schema of a MAP, else null. */
  readonly valueSchema: Schema | null;
  readonly #fields: readonly Field[] | null;
  readonly #fieldsByName: ReadonlyMap<string, Field> | null;

  constructor(options: SchemaOptions) {
    const { type } = options;
    if (!(type in SchemaType)) throw new DataException(`Unknown schema type: ${String(type)}`);
    this.type = type;
    this.optional = options.optional ?? false;
    this.defaultValue = options.defaultValue ?? null;
    this.name = options.name ?? null;
    this.version = options.version ?? null;
    this.doc = options.doc ?? null;
    const params = options.parameters;
    this.parameters = params == null ? null : new Map(params instanceof Map ? params : Object.entries(params));
    if (type === "STRUCT") {
      const fields = Object.freeze([...(options.fields ?? [])]);
      const byName = new Map<string, Field>();
      fields.forEach((field, i) => {
        if (field.index !== i) throw new DataException(`Field ${field.name} has index ${field.index} but is at position ${i}`);
        if (byName.has(field.name)) throw new DataException(`Duplicate field name ${field.name}`);
        byName.set(field.name, field);
      });
      this.#fields = fields;
      this.#fieldsByName = byName;
    } else {
      if (options.fields != null) throw new DataException("Cannot specify fields on non-struct type.");
      this.#fields = null;
      this.#fieldsByName = null;
    }
    if (type === "MAP") {
      if (options.keySchema == null || options.valueSchema == null) throw new DataException("A MAP schema needs a key schema and a value schema");
    } else if (options.keySchema != null) {
      throw new DataException("Cannot specify a key schema on non-map type.");
    }
    if (type === "ARRAY" && options.valueSchema == null) throw new DataException("An ARRAY schema needs a value schema");
    if (type !== "ARRAY" && type !== "MAP" && options.valueSchema != null) {
      throw new DataException("Cannot specify a value schema on non-array, non-map type.");
    }
    this.keySchema = options.keySchema ?? null;
    this.valueSchema = options.valueSchema ?? null;
    Object.freeze(this);
  }

  /** The fields of a STRUCT schema in order; throws on other types, as Kafka does. */
  get fields(): readonly Field[] {
    if (this.#fields === null) throw new DataException("Cannot list fields on non-struct type");
    return this.#fields;
  }

  /** The field with this name, or null; throws on non-STRUCT schemas, as Kafka does. */
  field(name: string): Field | null {
    if (this.#fieldsByName === null) throw new DataException("Cannot look up fields on non-struct type");
    return this.#fieldsByName.get(name) ?? null;
  }

  /**
   * This schema with some attributes changed (schemas are immutable: a copy, every other
   * attribute carried over), e.g. `schema.with({ optional: true })`.
   */
  with(changes: Partial<Omit<SchemaOptions, "type">>): Schema {
    return new Schema({
      type: this.type,
      optional: this.optional,
      defaultValue: this.defaultValue,
      name: this.name,
      version: this.version,
      doc: this.doc,
      parameters: this.parameters,
      fields: this.#fields,
      keySchema: this.keySchema,
      valueSchema: this.valueSchema,
      ...changes,
    });
  }

  /** Deep equality of everything a schema holds, default value included (Kafka's equals). */
  equals(other: unknown): boolean {
    return other instanceof Schema && schemaEquals(this, other);
  }

  toString(): string {
    return this.name === null ? `Schema{${this.type}}` : `Schema{${this.name}:${this.type}}`;
  }

  static readonly Type = SchemaType;

  static readonly INT8_SCHEMA = new Schema({ type: "INT8" });
  static readonly INT16_SCHEMA = new Schema({ type: "INT16" });
  static readonly INT32_SCHEMA = new Schema({ type: "INT32" });
  static readonly INT64_SCHEMA = new Schema({ type: "INT64" });
  static readonly FLOAT32_SCHEMA = new Schema({ type: "FLOAT32" });
  static readonly FLOAT64_SCHEMA = new Schema({ type: "FLOAT64" });
  static readonly BOOLEAN_SCHEMA = new Schema({ type: "BOOLEAN" });
  static readonly STRING_SCHEMA = new Schema({ type: "STRING" });
  static readonly BYTES_SCHEMA = new Schema({ type: "BYTES" });

  static readonly OPTIONAL_INT8_SCHEMA = new Schema({ type: "INT8", optional: true });
  static readonly OPTIONAL_INT16_SCHEMA = new Schema({ type: "INT16", optional: true });
  static readonly OPTIONAL_INT32_SCHEMA = new Schema({ type: "INT32", optional: true });
  static readonly OPTIONAL_INT64_SCHEMA = new Schema({ type: "INT64", optional: true });
  static readonly OPTIONAL_FLOAT32_SCHEMA = new Schema({ type: "FLOAT32", optional: true });
  static readonly OPTIONAL_FLOAT64_SCHEMA = new Schema({ type: "FLOAT64", optional: true });
  static readonly OPTIONAL_BOOLEAN_SCHEMA = new Schema({ type: "BOOLEAN", optional: true });
  static readonly OPTIONAL_STRING_SCHEMA = new Schema({ type: "STRING", optional: true });
  static readonly OPTIONAL_BYTES_SCHEMA = new Schema({ type: "BYTES", optional: true });
}

/** Kafka's name for the schema class; the same class. */
export { Schema as ConnectSchema };

function parametersEqual(a: ReadonlyMap<string, string> | null, b: ReadonlyMap<string, string> | null): boolean {
  if (a === b) return true;
  if (a === null || b === null || a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

/** Deep schema equality (null-safe): Kafka's ConnectSchema.equals. */
export function schemaEquals(a: Schema | null | undefined, b: Schema | null | undefined): boolean {
  if (a === b) return true;
  if (a == null || b == null) return false;
  if (
    a.type !== b.type ||
    a.optional !== b.optional ||
    a.name !== b.name ||
    a.version !== b.version ||
    a.doc !== b.doc ||
    !parametersEqual(a.parameters, b.parameters) ||
    !schemaEquals(a.keySchema, b.keySchema) ||
    !schemaEquals(a.valueSchema, b.valueSchema)
  ) {
    return false;
  }
  if (a.type === "STRUCT") {
    const fa = a.fields;
    const fb = b.fields;
    if (fa.length !== fb.length) return false;
    for (let i = 0; i < fa.length; i++) {
      const x = fa[i] as Field;
      const y = fb[i] as Field;
      if (x.name !== y.name || !schemaEquals(x.schema, y.schema)) return false;
    }
  }
  return valueEquals(a.defaultValue, b.defaultValue);
}

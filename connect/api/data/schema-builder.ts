// Fluent schema construction, as Kafka's SchemaBuilder:
//   SchemaBuilder.struct().name("com.example.User").version(1)
//     .field("id", Schema.INT64_SCHEMA).field("email", SchemaBuilder.string().optional()).build()
// The same misuse errors as Kafka (setting a name twice, fields on a non-struct, duplicate
// fields); the default value is validated when the schema is built.
import { SchemaBuilderException } from "../errors.ts";
import { Field, Schema, type SchemaType } from "./schema.ts";
import { validateValue } from "./validate.ts";

export class SchemaBuilder {
  readonly #type: SchemaType;
  #optional = false;
  #defaultValue: unknown = null;
  #name: string | null = null;
  #version: number | null = null;
  #doc: string | null = null;
  #parameters: Map<string, string> | null = null;
  readonly #fields: Map<string, Field> | null;
  #keySchema: Schema | null = null;
  #valueSchema: Schema | null = null;

  constructor(type: SchemaType) {
    if (type == null) throw new SchemaBuilderException("type cannot be null");
    this.#type = type;
    this.#fields = type === "STRUCT" ? new Map() : null;
  }

  static type(type: SchemaType): SchemaBuilder {
    return new SchemaBuilder(type);
  }
  static int8(): SchemaBuilder {
    return new SchemaBuilder("INT8");
  }
  static int16(): SchemaBuilder {
    return new SchemaBuilder("INT16");
  }
  static int32(): SchemaBuilder {
    return new SchemaBuilder("INT32");
  }
  static int64(): SchemaBuilder {
    return new SchemaBuilder("INT64");
  }
  static float32(): SchemaBuilder {
    return new SchemaBuilder("FLOAT32");
  }
  static float64(): SchemaBuilder {
    return new SchemaBuilder("FLOAT64");
  }
  static bool(): SchemaBuilder {
    return new SchemaBuilder("BOOLEAN");
  }
  static string(): SchemaBuilder {
    return new SchemaBuilder("STRING");
  }
  static bytes(): SchemaBuilder {
    return new SchemaBuilder("BYTES");
  }
  static struct(): SchemaBuilder {
    return new SchemaBuilder("STRUCT");
  }
  static array(valueSchema: Schema | SchemaBuilder): SchemaBuilder {
    if (valueSchema == null) throw new SchemaBuilderException("valueSchema cannot be null.");
    const builder = new SchemaBuilder("ARRAY");
    builder.#valueSchema = asSchema(valueSchema);
    return builder;
  }
  static map(keySchema: Schema | SchemaBuilder, valueSchema: Schema | SchemaBuilder): SchemaBuilder {
    if (keySchema == null) throw new SchemaBuilderException("keySchema cannot be null.");
    if (valueSchema == null) throw new SchemaBuilderException("valueSchema cannot be null.");
    const builder = new SchemaBuilder("MAP");
    builder.#keySchema = asSchema(keySchema);
    builder.#valueSchema = asSchema(valueSchema);
    return builder;
  }

  /** The type being built. */
  get schemaType(): SchemaType {
    return this.#type;
  }

  optional(): this {
    this.#optional = true;
    return this;
  }

  required(): this {
    this.#optional = false;
    return this;
  }

  defaultValue(value: unknown): this {
    this.#defaultValue = checkCanSet("default", this.#defaultValue, value ?? null);
    return this;
  }

  name(name: string): this {
    this.#name = checkCanSet("name", this.#name, name);
    return this;
  }

  version(version: number): this {
    this.#version = checkCanSet("version", this.#version, version);
    return this;
  }

  doc(doc: string): this {
    this.#doc = checkCanSet("doc", this.#doc, doc);
    return this;
  }

  parameter(name: string, value: string): this {
    this.#parameters ??= new Map();
    this.#parameters.set(name, value);
    return this;
  }

  /** Adds parameters (a Map or an object), keeping earlier ones. */
  parameters(parameters: ReadonlyMap<string, string> | Readonly<Record<string, string>>): this {
    this.#parameters ??= new Map();
    for (const [k, v] of parameters instanceof Map ? parameters : Object.entries(parameters)) this.#parameters.set(k, v);
    return this;
  }

  /** Adds a field to a STRUCT; the schema may be a builder, built now. */
  field(name: string, schema: Schema | SchemaBuilder): this {
    if (this.#fields === null) throw new SchemaBuilderException(`Cannot create fields on type ${this.#type}`);
    if (name == null || name === "") throw new SchemaBuilderException("fieldName cannot be null.");
    if (schema == null) throw new SchemaBuilderException(`fieldSchema for field ${name} cannot be null.`);
    if (this.#fields.has(name)) throw new SchemaBuilderException(`Cannot create field because of field name duplication ${name}`);
    this.#fields.set(name, new Field(name, this.#fields.size, asSchema(schema)));
    return this;
  }

  /** The fields added so far (STRUCT only). */
  fields(): readonly Field[] {
    if (this.#fields === null) throw new SchemaBuilderException("Cannot list fields on non-struct type");
    return [...this.#fields.values()];
  }

  build(): Schema {
    const options = {
      type: this.#type,
      optional: this.#optional,
      name: this.#name,
      version: this.#version,
      doc: this.#doc,
      parameters: this.#parameters,
      fields: this.#fields === null ? null : [...this.#fields.values()],
      keySchema: this.#keySchema,
      valueSchema: this.#valueSchema,
    };
    if (this.#defaultValue === null) return new Schema(options);
    try {
      validateValue(new Schema(options), this.#defaultValue);
    } catch (e) {
      throw new SchemaBuilderException(`Invalid default value: ${(e as Error).message}`, { cause: e });
    }
    return new Schema({ ...options, defaultValue: this.#defaultValue });
  }
}

function checkCanSet<T>(what: string, current: T | null, value: T): T {
  if (current !== null && current !== value) throw new SchemaBuilderException(`Invalid SchemaBuilder call: ${what} has already been set.`);
  return value;
}

function asSchema(schema: Schema | SchemaBuilder): Schema {
  return schema instanceof SchemaBuilder ? schema.build() : schema;
}

// Flatten (org.apache.kafka.connect.transforms.Flatten$Key / $Value): flattens nested Structs
// (or schemaless maps) into one level, joining field names with `delimiter`. A field below an
// optional struct becomes optional; defaults of nested fields are kept, or taken from the
// parent struct's default. As in Kafka, MAP fields are refused when there is a schema.
import { ConfigDef, type ConnectRecord, DataException, inferSchemaType, isPlainObject, type Schema, SchemaBuilder, Struct, Transformation, type PluginConfigs } from "../connect/api/index.ts";
import { copySchemaBasics, KAFKA_TRANSFORMS_PACKAGE, keyValuePlugins, operatingSchema, operatingValue, REPLACE_NULL_WITH_DEFAULT_DOC, requireMap, requireStruct, type Side, structGet, withOperated } from "./util.ts";

const PURPOSE = "flattening";

export const FLATTEN_CONFIG = new ConfigDef()
  .define({ name: "delimiter", type: "STRING", defaultValue: ".", importance: "MEDIUM", documentation: "Delimiter to insert between field names from the input record when generating field names for the output record" })
  .define({ name: "replace.null.with.default", type: "BOOLEAN", defaultValue: true, importance: "MEDIUM", documentation: REPLACE_NULL_WITH_DEFAULT_DOC });

/** A copy of a field's schema, made optional and/or given a default (Kafka's convertFieldSchema). */
function convertFieldSchema(orig: Schema, optional: boolean, defaultValue: unknown): Schema {
  const builder =
    orig.type === "ARRAY" ? SchemaBuilder.array(orig.valueSchema!) : orig.type === "MAP" ? SchemaBuilder.map(orig.keySchema!, orig.valueSchema!) : SchemaBuilder.type(orig.type);
  copySchemaBasics(orig, builder);
  if (optional) builder.optional();
  if (defaultValue !== null && defaultValue !== undefined) builder.defaultValue(defaultValue);
  return builder.build();
}

export class Flatten extends Transformation {
  readonly #side: Side;
  #delimiter = ".";
  #replaceNullWithDefault = true;
  readonly #schemaCache = new Map<Schema, Schema>();

  constructor(side: Side) {
    super();
    this.#side = side;
  }

  override configure(configs: PluginConfigs): void {
    const c = FLATTEN_CONFIG.parse(configs);
    this.#delimiter = c["delimiter"] as string;
    this.#replaceNullWithDefault = c["replace.null.with.default"] as boolean;
  }

  #name(prefix: string, name: string): string {
    return prefix === "" ? name : prefix + this.#delimiter + name;
  }

  override apply(record: ConnectRecord): ConnectRecord | null {
    const schema = operatingSchema(record, this.#side);
    const value = operatingValue(record, this.#side);
    if (schema === null) {
      if (value === null || value === undefined) return withOperated(record, this.#side, null, null);
      const out: Record<string, unknown> = {};
      this.#flattenMap(requireMap(value, PURPOSE), "", out);
      return withOperated(record, this.#side, null, out);
    }
    if (value === null || value === undefined) return withOperated(record, this.#side, this.#updatedSchema(schema), null);
    const struct = requireStruct(value, PURPOSE);
    const updatedSchema = this.#updatedSchema(struct.schema);
    const out = new Struct(updatedSchema);
    this.#flattenStruct(struct, "", out);
    return withOperated(record, this.#side, updatedSchema, out);
  }

  #flattenMap(map: Record<string, unknown>, prefix: string, out: Record<string, unknown>): void {
    for (const [key, value] of Object.entries(map)) {
      const name = this.#name(prefix, key);
      if (value === null || value === undefined) {
        out[name] = null;
        continue;
      }
      if (value instanceof Map || isPlainObject(value)) {
        this.#flattenMap(requireMap(value, PURPOSE), name, out);
        continue;
      }
      const type = inferSchemaType(value);
      if (type === null || type === "STRUCT") throw new DataException(`Flatten transformation does not support ${type ?? typeof value} for record without schemas (for field ${name}).`);
      out[name] = value;
    }
  }

  #updatedSchema(schema: Schema): Schema {
    let updated = this.#schemaCache.get(schema);
    if (updated) return updated;
    const builder = copySchemaBasics(schema, SchemaBuilder.struct());
    if (schema.optional) builder.optional();
    this.#buildSchema(schema, "", builder, schema.optional, schema.defaultValue as Struct | null);
    updated = builder.build();
    this.#schemaCache.set(schema, updated);
    return updated;
  }

  #buildSchema(schema: Schema, prefix: string, builder: SchemaBuilder, optional: boolean, parentDefault: Struct | null): void {
    for (const field of schema.fields) {
      const name = this.#name(prefix, field.name);
      const fieldOptional = optional || field.schema.optional;
      const fieldDefault = field.schema.defaultValue ?? (parentDefault === null ? null : parentDefault.get(field.name));
      if (field.schema.type === "STRUCT") this.#buildSchema(field.schema, name, builder, fieldOptional, fieldDefault as Struct | null);
      else if (field.schema.type === "MAP") throw new DataException(`Flatten transformation does not support MAP for record with schemas (for field ${name}).`);
      else builder.field(name, convertFieldSchema(field.schema, fieldOptional, fieldDefault));
    }
  }

  #flattenStruct(struct: Struct | null, prefix: string, out: Struct): void {
    if (struct === null) return;
    for (const field of struct.schema.fields) {
      const name = this.#name(prefix, field.name);
      if (field.schema.type === "STRUCT") this.#flattenStruct(structGet(struct, field.name, this.#replaceNullWithDefault) as Struct | null, name, out);
      else out.put(name, structGet(struct, field.name, this.#replaceNullWithDefault));
    }
  }

  override config(): ConfigDef {
    return FLATTEN_CONFIG;
  }
}

export const [flattenKeyPlugin, flattenValuePlugin] = keyValuePlugins(
  "Flatten",
  `${KAFKA_TRANSFORMS_PACKAGE}.Flatten`,
  FLATTEN_CONFIG,
  "Flatten a nested data structure, generating names for each field by concatenating the field names at each level with a configurable delimiter character",
  (side) => new Flatten(side),
);

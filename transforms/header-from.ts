// HeaderFrom (org.apache.kafka.connect.transforms.HeaderFrom$Key / $Value): copies or moves
// fields of the key or value into headers (`fields[i]` → `headers[i]`, the lists of equal
// length), each header taking the field's schema (schemaful) or no schema (schemaless).
import { ConfigDef, ConfigException, type ConnectRecord, type Schema, SchemaBuilder, Struct, Transformation, ValidString, type PluginConfigs } from "../connect/api/index.ts";
import { copySchemaBasics, KAFKA_TRANSFORMS_PACKAGE, keyValuePlugins, operatingSchema, operatingValue, REPLACE_NULL_WITH_DEFAULT_DOC, requireMap, requireStruct, type Side, structGet, withOperated } from "./util.ts";

const PURPOSE = "header from";

export const HEADER_FROM_CONFIG = new ConfigDef()
  .define({ name: "fields", type: "LIST", importance: "HIGH", documentation: "Field names in the record whose values are to be copied or moved to headers." })
  .define({ name: "headers", type: "LIST", importance: "HIGH", documentation: "Header names, in the same order as the field names listed in the fields configuration property." })
  .define({ name: "operation", type: "STRING", validator: ValidString.in("move", "copy"), importance: "HIGH", documentation: "Either <code>move</code> if the fields are to be moved to the headers (removed from the key/value), or <code>copy</code> if the fields are to be copied to the headers (retained in the key/value)." })
  .define({ name: "replace.null.with.default", type: "BOOLEAN", defaultValue: true, importance: "MEDIUM", documentation: REPLACE_NULL_WITH_DEFAULT_DOC });

export class HeaderFrom extends Transformation {
  readonly #side: Side;
  #fields: readonly string[] = [];
  #headers: readonly string[] = [];
  #move = false;
  #replaceNullWithDefault = true;
  readonly #schemaCache = new Map<Schema, Schema>();

  constructor(side: Side) {
    super();
    this.#side = side;
  }

  override configure(configs: PluginConfigs): void {
    const c = HEADER_FROM_CONFIG.parse(configs);
    this.#fields = c["fields"] as string[];
    this.#headers = c["headers"] as string[];
    if (this.#fields.length !== this.#headers.length) {
      throw new ConfigException(`'fields' config must have the same number of elements as 'headers' config.`);
    }
    this.#move = c["operation"] === "move";
    this.#replaceNullWithDefault = c["replace.null.with.default"] as boolean;
  }

  override apply(record: ConnectRecord): ConnectRecord | null {
    const value = operatingValue(record, this.#side);
    const schema = operatingSchema(record, this.#side);
    if (value === null || value === undefined) return record;
    const headers = record.headers.duplicate();
    if (schema === null) {
      const map = requireMap(value, PURPOSE);
      this.#fields.forEach((field, i) => headers.add(this.#headers[i]!, map[field] ?? null, null));
      if (!this.#move) return record.newRecord({ headers });
      const updated: Record<string, unknown> = { ...map };
      for (const field of this.#fields) delete updated[field];
      return withOperated(record, this.#side, null, updated).newRecord({ headers });
    }
    const struct = requireStruct(value, PURPOSE);
    this.#fields.forEach((field, i) => {
      const f = struct.schema.field(field);
      headers.add(this.#headers[i]!, f === null ? null : structGet(struct, field, this.#replaceNullWithDefault), f === null ? null : f.schema);
    });
    if (!this.#move) return record.newRecord({ headers });
    let updatedSchema = this.#schemaCache.get(struct.schema);
    if (!updatedSchema) {
      const builder = copySchemaBasics(struct.schema, SchemaBuilder.struct());
      for (const f of struct.schema.fields) if (!this.#fields.includes(f.name)) builder.field(f.name, f.schema);
      updatedSchema = builder.build();
      this.#schemaCache.set(struct.schema, updatedSchema);
    }
    const updated = new Struct(updatedSchema);
    for (const f of updatedSchema.fields) updated.put(f.name, structGet(struct, f.name, this.#replaceNullWithDefault));
    return withOperated(record, this.#side, updatedSchema, updated).newRecord({ headers });
  }

  override config(): ConfigDef {
    return HEADER_FROM_CONFIG;
  }
}

export const [headerFromKeyPlugin, headerFromValuePlugin] = keyValuePlugins(
  "HeaderFrom",
  `${KAFKA_TRANSFORMS_PACKAGE}.HeaderFrom`,
  HEADER_FROM_CONFIG,
  "Moves or copies fields in the key/value of a record into that record's headers",
  (side) => new HeaderFrom(side),
);

// HoistField (org.apache.kafka.connect.transforms.HoistField$Key / $Value): wraps the key or
// value in a Struct with one field (when it has a schema) or a one-entry map (schemaless).
import { ConfigDef, type ConnectRecord, type Schema, SchemaBuilder, Struct, Transformation, type PluginConfigs } from "../connect/api/index.ts";
import { KAFKA_TRANSFORMS_PACKAGE, keyValuePlugins, operatingSchema, operatingValue, type Side, withOperated } from "./util.ts";

export const HOIST_FIELD_CONFIG = new ConfigDef().define({
  name: "field",
  type: "STRING",
  importance: "MEDIUM",
  documentation: "Field name for the single field that will be created in the resulting Struct or Map.",
});

export class HoistField extends Transformation {
  readonly #side: Side;
  #field = "";
  readonly #schemaCache = new Map<Schema, Schema>();

  constructor(side: Side) {
    super();
    this.#side = side;
  }

  override configure(configs: PluginConfigs): void {
    this.#field = HOIST_FIELD_CONFIG.parse(configs)["field"] as string;
  }

  override apply(record: ConnectRecord): ConnectRecord | null {
    const schema = operatingSchema(record, this.#side);
    const value = operatingValue(record, this.#side);
    if (schema === null) return withOperated(record, this.#side, null, { [this.#field]: value ?? null });
    let updatedSchema = this.#schemaCache.get(schema);
    if (!updatedSchema) {
      updatedSchema = SchemaBuilder.struct().field(this.#field, schema).build();
      this.#schemaCache.set(schema, updatedSchema);
    }
    return withOperated(record, this.#side, updatedSchema, new Struct(updatedSchema).put(this.#field, value ?? null));
  }

  override config(): ConfigDef {
    return HOIST_FIELD_CONFIG;
  }
}

export const [hoistFieldKeyPlugin, hoistFieldValuePlugin] = keyValuePlugins(
  "HoistField",
  `${KAFKA_TRANSFORMS_PACKAGE}.HoistField`,
  HOIST_FIELD_CONFIG,
  "Wrap data using the specified field name in a Struct when schema present, or a Map in the case of schemaless data",
  (side) => new HoistField(side),
);

// SetSchemaMetadata (org.apache.kafka.connect.transforms.SetSchemaMetadata$Key / $Value): sets
// the name and/or version of the key or value schema; a Struct is re-created on the new schema
// so that value and schema stay consistent. The record must have a schema.
import { ConfigDef, ConfigException, type ConnectRecord, DataException, Struct, Transformation, type PluginConfigs } from "../connect/api/index.ts";
import { KAFKA_TRANSFORMS_PACKAGE, keyValuePlugins, operatingSchema, operatingValue, REPLACE_NULL_WITH_DEFAULT_DOC, type Side, structGet, withOperated } from "./util.ts";

export const SET_SCHEMA_METADATA_CONFIG = new ConfigDef()
  .define({ name: "schema.name", type: "STRING", defaultValue: null, importance: "HIGH", documentation: "Schema name to set." })
  .define({ name: "schema.version", type: "INT", defaultValue: null, importance: "HIGH", documentation: "Schema version to set." })
  .define({ name: "replace.null.with.default", type: "BOOLEAN", defaultValue: true, importance: "MEDIUM", documentation: REPLACE_NULL_WITH_DEFAULT_DOC });

export class SetSchemaMetadata extends Transformation {
  readonly #side: Side;
  #name: string | null = null;
  #version: number | null = null;
  #replaceNullWithDefault = true;

  constructor(side: Side) {
    super();
    this.#side = side;
  }

  override configure(configs: PluginConfigs): void {
    const c = SET_SCHEMA_METADATA_CONFIG.parse(configs);
    this.#name = c["schema.name"] as string | null;
    this.#version = c["schema.version"] as number | null;
    this.#replaceNullWithDefault = c["replace.null.with.default"] as boolean;
    if (this.#name === null && this.#version === null) throw new ConfigException("Neither schema name nor version configured");
  }

  override apply(record: ConnectRecord): ConnectRecord | null {
    const schema = operatingSchema(record, this.#side);
    if (schema === null) throw new DataException("Schema required for [updating schema metadata]");
    const updatedSchema = schema.with({ name: this.#name ?? schema.name, version: this.#version ?? schema.version });
    const value = operatingValue(record, this.#side);
    let updatedValue = value;
    if (value instanceof Struct) {
      const struct = new Struct(updatedSchema);
      for (const field of value.schema.fields) struct.put(field.name, structGet(value, field.name, this.#replaceNullWithDefault));
      updatedValue = struct;
    }
    return withOperated(record, this.#side, updatedSchema, updatedValue);
  }

  override config(): ConfigDef {
    return SET_SCHEMA_METADATA_CONFIG;
  }
}

export const [setSchemaMetadataKeyPlugin, setSchemaMetadataValuePlugin] = keyValuePlugins(
  "SetSchemaMetadata",
  `${KAFKA_TRANSFORMS_PACKAGE}.SetSchemaMetadata`,
  SET_SCHEMA_METADATA_CONFIG,
  "Set the schema name, version or both on the record's key or value schema",
  (side) => new SetSchemaMetadata(side),
);

// ExtractField (org.apache.kafka.connect.transforms.ExtractField$Key / $Value): replaces the key
// or value with one of its fields, from a Struct (the field's schema becomes the new schema) or a
// schemaless map. Only top-level fields: `field.syntax.version` V2 (nested paths, KIP-821) is
// not supported yet.
import { ConfigDef, type ConnectRecord, NonEmptyString, Transformation, ValidString, type PluginConfigs } from "../connect/api/index.ts";
import { KAFKA_TRANSFORMS_PACKAGE, keyValuePlugins, operatingSchema, operatingValue, requireMapOrNull, requireStructOrNull, type Side, withOperated } from "./util.ts";

const PURPOSE = "field extraction";

export const EXTRACT_FIELD_CONFIG = new ConfigDef()
  .define({ name: "field", type: "STRING", validator: new NonEmptyString(), importance: "MEDIUM", documentation: "Field name to extract." })
  .define({ name: "field.syntax.version", type: "STRING", defaultValue: "V1", validator: ValidString.in("V1"), importance: "HIGH", documentation: "Defines the version of the syntax to access fields. Only V1 (top-level field names) is supported." });

export class ExtractField extends Transformation {
  readonly #side: Side;
  #field = "";

  constructor(side: Side) {
    super();
    this.#side = side;
  }

  override configure(configs: PluginConfigs): void {
    this.#field = EXTRACT_FIELD_CONFIG.parse(configs)["field"] as string;
  }

  override apply(record: ConnectRecord): ConnectRecord | null {
    const schema = operatingSchema(record, this.#side);
    const value = operatingValue(record, this.#side);
    if (schema === null) {
      const map = requireMapOrNull(value, PURPOSE);
      return withOperated(record, this.#side, null, map === null ? null : (map[this.#field] ?? null));
    }
    const struct = requireStructOrNull(value, PURPOSE);
    const field = schema.field(this.#field);
    if (field === null) throw new Error(`Unknown field: ${this.#field}`);
    return withOperated(record, this.#side, field.schema, struct === null ? null : struct.get(field));
  }

  override config(): ConfigDef {
    return EXTRACT_FIELD_CONFIG;
  }
}

export const [extractFieldKeyPlugin, extractFieldValuePlugin] = keyValuePlugins(
  "ExtractField",
  `${KAFKA_TRANSFORMS_PACKAGE}.ExtractField`,
  EXTRACT_FIELD_CONFIG,
  "Extract the specified field from a Struct when schema present, or a Map in the case of schemaless data",
  (side) => new ExtractField(side),
);

// ValueToKey (org.apache.kafka.connect.transforms.ValueToKey): replaces the record key with a
// Struct (or schemaless map) made of fields of the value.
import { ConfigDef, type ConnectRecord, DataException, definePlugin, type Schema, SchemaBuilder, Struct, Transformation, ValidList, type PluginConfigs } from "../connect/api/index.ts";
import { HUB_TRANSFORMS_VERSION, KAFKA_TRANSFORMS_PACKAGE, REPLACE_NULL_WITH_DEFAULT_DOC, requireMap, requireStruct, structGet } from "./util.ts";

const PURPOSE = "copying fields from value to key";

export const VALUE_TO_KEY_CONFIG = new ConfigDef()
  .define({ name: "fields", type: "LIST", validator: ValidList.anyNonDuplicateValues(false, false), importance: "HIGH", documentation: "Field names on the record value to extract as the record key." })
  .define({ name: "replace.null.with.default", type: "BOOLEAN", defaultValue: true, importance: "MEDIUM", documentation: REPLACE_NULL_WITH_DEFAULT_DOC });

export class ValueToKey extends Transformation {
  #fields: readonly string[] = [];
  #replaceNullWithDefault = true;
  readonly #schemaCache = new Map<Schema, Schema>();

  override configure(configs: PluginConfigs): void {
    const c = VALUE_TO_KEY_CONFIG.parse(configs);
    this.#fields = c["fields"] as string[];
    this.#replaceNullWithDefault = c["replace.null.with.default"] as boolean;
  }

  override apply(record: ConnectRecord): ConnectRecord | null {
    if (record.valueSchema === null) {
      const value = requireMap(record.value, PURPOSE);
      const key: Record<string, unknown> = {};
      for (const field of this.#fields) key[field] = value[field] ?? null;
      return record.newRecord({ keySchema: null, key });
    }
    const value = requireStruct(record.value, PURPOSE);
    let keySchema = this.#schemaCache.get(value.schema);
    if (!keySchema) {
      const builder = SchemaBuilder.struct();
      for (const name of this.#fields) {
        const field = value.schema.field(name);
        if (field === null) throw new DataException(`Field does not exist: ${name}`);
        builder.field(name, field.schema);
      }
      keySchema = builder.build();
      this.#schemaCache.set(value.schema, keySchema);
    }
    const key = new Struct(keySchema);
    for (const name of this.#fields) key.put(name, structGet(value, name, this.#replaceNullWithDefault));
    return record.newRecord({ keySchema, key });
  }

  override config(): ConfigDef {
    return VALUE_TO_KEY_CONFIG;
  }
}

export const valueToKeyPlugin = definePlugin({
  name: "ValueToKey",
  kind: "transformation",
  version: HUB_TRANSFORMS_VERSION,
  aliases: [`${KAFKA_TRANSFORMS_PACKAGE}.ValueToKey`],
  configDef: VALUE_TO_KEY_CONFIG,
  doc: "Replace the record key with a new key formed from a subset of fields in the record value",
  create: () => new ValueToKey(),
});

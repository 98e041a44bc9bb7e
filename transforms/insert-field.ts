// InsertField (org.apache.kafka.connect.transforms.InsertField$Key / $Value): adds the record's
// topic, partition, offset (sink records), timestamp and/or a static string to a Struct or a
// schemaless map. A field name suffixed with "!" is required, with "?" (the default) optional.
import { ConfigDef, ConfigException, ConnectTimestamp, type ConnectRecord, DataException, Schema, SchemaBuilder, SinkRecord, Struct, Transformation, type PluginConfigs } from "../connect/api/index.ts";
import { copySchemaBasics, KAFKA_TRANSFORMS_PACKAGE, keyValuePlugins, operatingSchema, operatingValue, REPLACE_NULL_WITH_DEFAULT_DOC, requireMap, requireStruct, type Side, structGet, withOperated } from "./util.ts";

const PURPOSE = "field insertion";

export const INSERT_FIELD_CONFIG = new ConfigDef()
  .define({ name: "topic.field", type: "STRING", defaultValue: null, importance: "MEDIUM", documentation: "Field name for Kafka topic. Suffix with <code>!</code> to make this a required field, or <code>?</code> to keep it optional (the default)." })
  .define({ name: "partition.field", type: "STRING", defaultValue: null, importance: "MEDIUM", documentation: "Field name for Kafka partition. Suffix with <code>!</code> to make this a required field, or <code>?</code> to keep it optional (the default)." })
  .define({ name: "offset.field", type: "STRING", defaultValue: null, importance: "MEDIUM", documentation: "Field name for Kafka offset - only applicable to sink connectors.<br/>Suffix with <code>!</code> to make this a required field, or <code>?</code> to keep it optional (the default)." })
  .define({ name: "timestamp.field", type: "STRING", defaultValue: null, importance: "MEDIUM", documentation: "Field name for record timestamp. Suffix with <code>!</code> to make this a required field, or <code>?</code> to keep it optional (the default)." })
  .define({ name: "static.field", type: "STRING", defaultValue: null, importance: "MEDIUM", documentation: "Field name for static data field. Suffix with <code>!</code> to make this a required field, or <code>?</code> to keep it optional (the default)." })
  .define({ name: "static.value", type: "STRING", defaultValue: null, importance: "MEDIUM", documentation: "Static field value, if field name configured." })
  .define({ name: "replace.null.with.default", type: "BOOLEAN", defaultValue: true, importance: "MEDIUM", documentation: REPLACE_NULL_WITH_DEFAULT_DOC });

interface InsertionSpec {
  readonly name: string;
  readonly optional: boolean;
}

function parseSpec(spec: string | null): InsertionSpec | null {
  if (spec === null || spec === "") return null;
  if (spec.endsWith("?")) return { name: spec.slice(0, -1), optional: true };
  if (spec.endsWith("!")) return { name: spec.slice(0, -1), optional: false };
  return { name: spec, optional: true };
}

export class InsertField extends Transformation {
  readonly #side: Side;
  #topic: InsertionSpec | null = null;
  #partition: InsertionSpec | null = null;
  #offset: InsertionSpec | null = null;
  #timestamp: InsertionSpec | null = null;
  #static: InsertionSpec | null = null;
  #staticValue: string | null = null;
  #replaceNullWithDefault = true;
  readonly #schemaCache = new Map<Schema, Schema>();

  constructor(side: Side) {
    super();
    this.#side = side;
  }

  override configure(configs: PluginConfigs): void {
    const c = INSERT_FIELD_CONFIG.parse(configs);
    this.#topic = parseSpec(c["topic.field"] as string | null);
    this.#partition = parseSpec(c["partition.field"] as string | null);
    this.#offset = parseSpec(c["offset.field"] as string | null);
    this.#timestamp = parseSpec(c["timestamp.field"] as string | null);
    this.#static = parseSpec(c["static.field"] as string | null);
    this.#staticValue = c["static.value"] as string | null;
    this.#replaceNullWithDefault = c["replace.null.with.default"] as boolean;
    if (this.#topic === null && this.#partition === null && this.#offset === null && this.#timestamp === null && this.#static === null) {
      throw new ConfigException("No field insertion configured");
    }
    if (this.#static !== null && this.#staticValue === null) {
      throw new ConfigException("static.value", null, `No value specified for static field: ${this.#static.name}`);
    }
  }

  override apply(record: ConnectRecord): ConnectRecord | null {
    const value = operatingValue(record, this.#side);
    if (value === null || value === undefined) return record;
    const schema = operatingSchema(record, this.#side);
    return schema === null ? this.#applySchemaless(record, value) : this.#applyWithSchema(record, value);
  }

  #offsetOf(record: ConnectRecord): number {
    if (!(record instanceof SinkRecord)) throw new DataException(`Only SinkRecord supported for [${PURPOSE}], found: ${record.constructor.name}`);
    return record.kafkaOffset;
  }

  #applySchemaless(record: ConnectRecord, value: unknown): ConnectRecord {
    const updated: Record<string, unknown> = { ...requireMap(value, PURPOSE) };
    if (this.#topic) updated[this.#topic.name] = record.topic;
    if (this.#partition && record.kafkaPartition !== null) updated[this.#partition.name] = record.kafkaPartition;
    if (this.#offset) updated[this.#offset.name] = this.#offsetOf(record);
    if (this.#timestamp && record.timestamp !== null) updated[this.#timestamp.name] = record.timestamp;
    if (this.#static) updated[this.#static.name] = this.#staticValue;
    return withOperated(record, this.#side, null, updated);
  }

  #updatedSchema(schema: Schema): Schema {
    let updated = this.#schemaCache.get(schema);
    if (updated) return updated;
    const builder = copySchemaBasics(schema, SchemaBuilder.struct());
    for (const field of schema.fields) builder.field(field.name, field.schema);
    const add = (spec: InsertionSpec | null, required: Schema, optional: Schema): void => {
      if (spec) builder.field(spec.name, spec.optional ? optional : required);
    };
    add(this.#topic, Schema.STRING_SCHEMA, Schema.OPTIONAL_STRING_SCHEMA);
    add(this.#partition, Schema.INT32_SCHEMA, Schema.OPTIONAL_INT32_SCHEMA);
    add(this.#offset, Schema.INT64_SCHEMA, Schema.OPTIONAL_INT64_SCHEMA);
    add(this.#timestamp, ConnectTimestamp.SCHEMA, ConnectTimestamp.builder().optional().build());
    add(this.#static, Schema.STRING_SCHEMA, Schema.OPTIONAL_STRING_SCHEMA);
    updated = builder.build();
    this.#schemaCache.set(schema, updated);
    return updated;
  }

  #applyWithSchema(record: ConnectRecord, value: unknown): ConnectRecord {
    const struct = requireStruct(value, PURPOSE);
    const updatedSchema = this.#updatedSchema(struct.schema);
    const updated = new Struct(updatedSchema);
    for (const field of struct.schema.fields) updated.put(field.name, structGet(struct, field.name, this.#replaceNullWithDefault));
    if (this.#topic) updated.put(this.#topic.name, record.topic);
    if (this.#partition && record.kafkaPartition !== null) updated.put(this.#partition.name, record.kafkaPartition);
    if (this.#offset) updated.put(this.#offset.name, BigInt(this.#offsetOf(record)));
    if (this.#timestamp && record.timestamp !== null) updated.put(this.#timestamp.name, new Date(record.timestamp));
    if (this.#static) updated.put(this.#static.name, this.#staticValue);
    return withOperated(record, this.#side, updatedSchema, updated);
  }

  override config(): ConfigDef {
    return INSERT_FIELD_CONFIG;
  }
}

export const [insertFieldKeyPlugin, insertFieldValuePlugin] = keyValuePlugins(
  "InsertField",
  `${KAFKA_TRANSFORMS_PACKAGE}.InsertField`,
  INSERT_FIELD_CONFIG,
  "Insert field(s) using attributes from the record metadata or a configured static value",
  (side) => new InsertField(side),
);

// JsonSchemaConverter (io.confluent.connect.json.JsonSchemaConverter): Connect data as JSON text
// in Confluent's wire format (magic byte, schema id, then the JSON), its JSON Schema in a Schema
// Registry (schemaType JSON). The Connect <-> JSON Schema mapping is Confluent's JsonSchemaData
// (json-schema-data.ts); registering and finding schemas is shared with the other converters
// (registry-serde.ts).
//
// Keys: the serde keys (serde-config.ts), and JsonSchemaData's object.additional.properties,
// use.optional.for.nonrequired, decimal.format, ignore.default.for.nullables; and the
// serializer's json.fail.invalid.schema (validate each value against the schema).
import {
  CaseInsensitiveValidString,
  ConfigDef,
  DataException,
  definePlugin,
  type RecordHeader,
  type Schema,
  SchemaAndValue,
} from "../../connect/api/index.ts";
import { HUB_VERSION } from "../../lib/version.ts";
import type { CachedSchemaRegistryClient, ResolvedSchema } from "../client/index.ts";
import { jsonSchemaFormat } from "../formats/json-schema/index.ts";
import { isJsonObject, type JsonValue, parseJsonExact, writeJson } from "../serde/json.ts";
import { frame } from "../serde/wire-format.ts";
import { type DecimalFormat, JsonSchemaData, type JsonSchemaDataConfig } from "./json-schema-data.ts";
import { type ParsedConverterConfig, RegistryConverter, type RegistryConverterFormat } from "./registry-converter.ts";
import type { RegisteredSchema, SchemaFormatAdapter } from "./registry-serde.ts";
import { registryConverterConfigDef } from "./serde-config.ts";

export const JSON_SCHEMA_CONVERTER_CLASS = "io.confluent.connect.json.JsonSchemaConverter";

function defineJsonSchemaKeys(def: ConfigDef): ConfigDef {
  const group = "JSON Schema";
  return def
    .define({ name: "object.additional.properties", type: "BOOLEAN", defaultValue: true, importance: "MEDIUM", documentation: "Whether struct schemas allow additional properties (false writes \"additionalProperties\": false).", group })
    .define({ name: "use.optional.for.nonrequired", type: "BOOLEAN", defaultValue: false, importance: "MEDIUM", documentation: "Whether properties a schema does not list as required read as optional fields.", group })
    .define({
      name: "decimal.format",
      type: "STRING",
      defaultValue: "BASE64",
      validator: CaseInsensitiveValidString.in("BASE64", "NUMERIC"),
      importance: "LOW",
      documentation: "How decimals are written: BASE64 (their unscaled bytes, the default) or NUMERIC (a JSON number). Case insensitive.",
      group,
    })
    .define({ name: "ignore.default.for.nullables", type: "BOOLEAN", defaultValue: false, importance: "MEDIUM", documentation: "Write a null optional field as null rather than as its default.", group })
    .define({ name: "generalized.sum.type.support", type: "BOOLEAN", defaultValue: false, importance: "MEDIUM", documentation: "Confluent's generalized enum/union mapping (accepted; the hub keeps the classic mapping).", group })
    .define({ name: "schemas.cache.config", type: "INT", defaultValue: 1000, importance: "LOW", documentation: "Size of the converted schemas cache.", group })
    .define({ name: "json.fail.invalid.schema", type: "BOOLEAN", defaultValue: false, importance: "MEDIUM", documentation: "Whether to validate each value against its JSON Schema, failing the record if it does not conform.", group });
}

export function jsonSchemaConverterConfigDef(): ConfigDef {
  return registryConverterConfigDef(defineJsonSchemaKeys);
}

export function jsonSchemaDataConfig(parsed: ParsedConverterConfig): JsonSchemaDataConfig {
  return {
    allowAdditionalProperties: parsed["object.additional.properties"] as boolean,
    useOptionalForNonRequired: parsed["use.optional.for.nonrequired"] as boolean,
    decimalFormat: (parsed["decimal.format"] as string).toUpperCase() as DecimalFormat,
    ignoreDefaultForNullables: parsed["ignore.default.for.nullables"] as boolean,
  };
}

/** A JSON Schema as the serde sees it: the document and the referenced documents by name. */
export interface JsonSchemaDocument {
  readonly document: JsonValue;
  readonly references: ReadonlyMap<string, JsonValue>;
}

function parseDocument(text: string): JsonValue {
  try {
    return parseJsonExact(text);
  } catch (e) {
    throw new DataException(`Invalid JSON Schema: ${(e as Error).message}`, { cause: e });
  }
}

function registryParse(s: RegisteredSchema<JsonSchemaDocument>) {
  return jsonSchemaFormat.parse(s.spec.schema, s.spec.references ?? [], s.resolvedReferences);
}

export const jsonSchemaAdapter: SchemaFormatAdapter<JsonSchemaDocument> = {
  schemaType: "JSON",
  label: "JSON Schema",
  parse(resolved: ResolvedSchema): JsonSchemaDocument {
    const references = new Map<string, JsonValue>();
    for (const [name, text] of resolved.resolvedReferences) references.set(name, parseDocument(text));
    return { document: parseDocument(resolved.schema), references };
  },
  recordName: (schema) => (isJsonObject(schema.document) && typeof schema.document.title === "string" ? schema.document.title : null),
  incompatibilities(reader, writer): string[] {
    return jsonSchemaFormat.incompatibilities(registryParse(reader), registryParse(writer), { reader: "old", writer: "new" });
  },
};

const JSON_SCHEMA_CONVERTER: RegistryConverterFormat<JsonSchemaDocument> = {
  converterName: "JsonSchemaConverter",
  configDef: jsonSchemaConverterConfigDef,
  adapter: jsonSchemaAdapter,
  messages: {
    label: "JSON Schema",
    serializeFailed: (topic) => `Converting Kafka Connect data to byte[] failed due to serialization error of topic ${topic}:`,
    deserializeFailed: (topic) => `Converting byte[] to Kafka Connect data failed due to serialization error of topic ${topic}:`,
  },
};

export class JsonSchemaConverter extends RegistryConverter<JsonSchemaDocument> {
  #data = new JsonSchemaData();
  #validate = false;
  /** The schema each Connect schema registers as (printed once). */
  #own = new WeakMap<Schema, RegisteredSchema<JsonSchemaDocument>>();
  readonly #toConnect = new Map<string, Schema>();

  constructor(client?: CachedSchemaRegistryClient) {
    super(JSON_SCHEMA_CONVERTER, client);
  }

  protected override configureData(parsed: ParsedConverterConfig): void {
    this.#data = new JsonSchemaData(jsonSchemaDataConfig(parsed));
    this.#validate = parsed["json.fail.invalid.schema"] as boolean;
    this.#own = new WeakMap();
    this.#toConnect.clear();
  }

  get jsonSchemaData(): JsonSchemaData {
    return this.#data;
  }

  override async fromConnectData(topic: string, _headers: RecordHeader[] | null, schema: Schema | null, value: unknown): Promise<Buffer | null> {
    // A null value is a null record (a tombstone), whatever the schema, as Confluent's
    // serializer returns null for a null value.
    if (value === null || value === undefined) return null;
    return this.serializing(topic, async (serde) => {
      if (schema === null) throw new DataException("JsonSchemaConverter needs a schema: schemaless values cannot be given a JSON Schema");
      const json = this.#data.fromConnectData(schema, value);
      let own = this.#own.get(schema);
      if (own === undefined) {
        const document = this.#data.fromConnectSchema(schema) as JsonValue;
        own = { parsed: { document, references: new Map() }, spec: { schema: writeJson(document), schemaType: "JSON" }, resolvedReferences: new Map() };
        this.#own.set(schema, own);
      }
      const writer = await serde.writerFor(topic, own);
      const payload = writeJson(json ?? null);
      if (this.#validate) validate(writer.schema, payload);
      return frame(writer.id, Buffer.from(payload, "utf8"));
    });
  }

  override async toConnectData(topic: string, _headers: readonly RecordHeader[] | null, value: Buffer | null): Promise<SchemaAndValue> {
    if (value === null || value === undefined) return SchemaAndValue.NULL;
    return this.deserializing(topic, async (serde) => {
      const input = await serde.readerFor(topic, value, { withVersion: true });
      const text = input.payload.toString("utf8");
      if (this.#validate) validate(input.schema, text);
      const json = parseJsonExact(text);
      if (json === null) return SchemaAndValue.NULL;
      const key = `${input.id}:${input.version ?? ""}`;
      let schema = this.#toConnect.get(key);
      if (schema === undefined) {
        schema = this.#data.toConnectSchema(input.schema.parsed.document, input.schema.parsed.references, input.version);
        if (this.#toConnect.size >= 1000) this.#toConnect.delete(this.#toConnect.keys().next().value as string);
        this.#toConnect.set(key, schema);
      }
      return new SchemaAndValue(schema, this.#data.toConnectData(schema, json));
    });
  }
}

/** json.fail.invalid.schema: the value must conform to the schema (validated by the registry's JSON Schema format). */
function validate(schema: RegisteredSchema<JsonSchemaDocument>, payload: string): void {
  const parsed = registryParse(schema);
  const ok = parsed.validate(JSON.parse(payload));
  if (!ok) {
    const errors = (parsed.validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""}`.trim());
    throw new DataException(`Validation error: the value does not conform to its JSON Schema: ${errors.join("; ")}`);
  }
}

export const jsonSchemaConverterPlugin = definePlugin({
  name: "JsonSchemaConverter",
  kind: "converter",
  version: HUB_VERSION,
  aliases: [JSON_SCHEMA_CONVERTER_CLASS],
  configDef: jsonSchemaConverterConfigDef(),
  doc: "JSON with a JSON Schema in a Schema Registry, in Confluent's wire format (Confluent's JsonSchemaConverter).",
  create: () => new JsonSchemaConverter(),
});

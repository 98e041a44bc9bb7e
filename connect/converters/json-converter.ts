// JsonConverter, byte-compatible with Kafka's org.apache.kafka.connect.json.JsonConverter:
//   schemas.enable=true (default)  {"schema":<Kafka's JSON schema>,"payload":<value>}
//   schemas.enable=false           the value's JSON alone; reading infers a schemaless value
//   decimal.format                 BASE64 (default: the unscaled two's complement bytes) or NUMERIC
//   schemas.cache.size             schemas whose JSON form is kept (default 1000)
//   schema.content                 (reading) a fixed schema; each message is then the payload alone
//   replace.null.with.default      null fields read and written as their schema's default (default true)
// A null key/value with no schema is a null record key/value (a tombstone), both ways.
// Also usable as a header converter, as in Kafka (one descriptor per role).
import {
  CaseInsensitiveValidString,
  ConfigDef,
  CONVERTER_TYPE_CONFIG,
  Converter,
  converterConfigDef,
  DataException,
  definePlugin,
  HeaderConverter,
  type PluginConfigs,
  type RecordHeader,
  type Schema,
  SchemaAndValue,
} from "../api/index.ts";
import { HUB_VERSION } from "../../lib/version.ts";
import { type DecimalFormat, JsonCodec } from "./json-codec.ts";
import { type JsonNode, mayNeedExactNumbers, parseJson, splitEnvelope } from "./json-text.ts";
import { LruCache } from "./lru-cache.ts";

export const JSON_CONVERTER_CLASS = "org.apache.kafka.connect.json.JsonConverter";

/** The keys of Kafka's JsonConverterConfig: same names, types, defaults, groups and order. */
export function jsonConverterConfigDef(): ConfigDef {
  const schemas = "Schemas";
  const serialization = "Serialization";
  return converterConfigDef()
    .define({
      name: "schemas.enable",
      type: "BOOLEAN",
      defaultValue: true,
      importance: "HIGH",
      documentation: "Whether each serialized key or value carries its schema, in a {\"schema\": ..., \"payload\": ...} envelope.",
      group: schemas,
      orderInGroup: 0,
      width: "MEDIUM",
      displayName: "Enable Schemas",
    })
    .define({
      name: "schemas.cache.size",
      type: "INT",
      defaultValue: 1000,
      importance: "HIGH",
      documentation: "How many schemas this converter instance keeps in its cache.",
      group: schemas,
      orderInGroup: 1,
      width: "MEDIUM",
      displayName: "Schema Cache Size",
    })
    .define({
      name: "schema.content",
      type: "STRING",
      defaultValue: null,
      importance: "HIGH",
      documentation:
        "A schema (in the converter's JSON schema format) to read every message with; each message is then the payload alone. Only used when reading (sink connectors) with schemas.enable=true.",
      group: schemas,
      orderInGroup: 2,
      width: "MEDIUM",
      displayName: "Schema Content",
    })
    .define({
      name: "decimal.format",
      type: "STRING",
      defaultValue: "BASE64",
      validator: CaseInsensitiveValidString.in("NUMERIC", "BASE64"),
      importance: "LOW",
      documentation: "How decimals are written: BASE64 (their unscaled bytes, the default) or NUMERIC (a JSON number). Case insensitive.",
      group: serialization,
      orderInGroup: 0,
      width: "MEDIUM",
      displayName: "Decimal Format",
    })
    .define({
      name: "replace.null.with.default",
      type: "BOOLEAN",
      defaultValue: true,
      importance: "LOW",
      documentation: "Whether a null field that has a default value is written and read as that default (true) or as null (false).",
      group: serialization,
      orderInGroup: 1,
      width: "MEDIUM",
      displayName: "Replace null with default",
    });
}

const ENVELOPE_ERROR =
  'JsonConverter with schemas.enable requires "schema" and "payload" fields and may not contain additional fields. ' +
  "If you are trying to deserialize plain JSON data, set schemas.enable=false in your converter configuration.";

function hasDecimal(schema: Schema, seen: WeakMap<Schema, boolean>): boolean {
  const known = seen.get(schema);
  if (known !== undefined) return known;
  let result = schema.name === "org.apache.kafka.connect.data.Decimal";
  if (!result && schema.keySchema !== null) result = hasDecimal(schema.keySchema, seen);
  if (!result && schema.valueSchema !== null) result = hasDecimal(schema.valueSchema, seen);
  if (!result && schema.type === "STRUCT") result = schema.fields.some((f) => hasDecimal(f.schema, seen));
  seen.set(schema, result);
  return result;
}

export class JsonConverter extends Converter {
  #codec = new JsonCodec({ decimalFormat: "BASE64", replaceNullWithDefault: true });
  #schemasEnabled = true;
  #fixedSchema: Schema | null = null;
  #schemaJson = new LruCache<Schema, string>(1000);
  #schemaFromText = new LruCache<string, Schema | null>(1000);
  readonly #decimalSchemas = new WeakMap<Schema, boolean>();

  override configure(configs: PluginConfigs, isKey: boolean): void {
    this.configureWith({ ...configs, [CONVERTER_TYPE_CONFIG]: isKey ? "key" : "value" });
  }

  /** Configures from props that include converter.type (the header converter's way). */
  configureWith(configs: PluginConfigs): void {
    const config = jsonConverterConfigDef().parse(configs);
    const cacheSize = config["schemas.cache.size"] as number;
    this.#codec = new JsonCodec({
      decimalFormat: (config["decimal.format"] as string).toUpperCase() as DecimalFormat,
      replaceNullWithDefault: config["replace.null.with.default"] as boolean,
    });
    this.#schemasEnabled = config["schemas.enable"] as boolean;
    this.#schemaJson = new LruCache(cacheSize);
    this.#schemaFromText = new LruCache(cacheSize);
    const content = config["schema.content"] as string | null;
    this.#fixedSchema = null;
    if (content !== null && content !== "") {
      try {
        this.#fixedSchema = this.#codec.readSchema(parseJson(content, true));
      } catch (e) {
        throw new DataException(`Failed to parse schema.content: ${(e as Error).message}`, { cause: e });
      }
    }
  }

  override config(): ConfigDef {
    return jsonConverterConfigDef();
  }

  /** The JSON text of a schema, as in the envelope (Kafka's asJsonSchema). */
  asJsonSchema(schema: Schema): string {
    let json = this.#schemaJson.get(schema);
    if (json === undefined) {
      json = this.#codec.writeSchema(schema);
      this.#schemaJson.set(schema, json);
    }
    return json;
  }

  /** The schema of a JSON schema (Kafka's asConnectSchema), from its text or parsed form. */
  asConnectSchema(json: string | JsonNode): Schema | null {
    return this.#codec.readSchema(typeof json === "string" ? parseJson(json, true) : json);
  }

  override fromConnectData(_topic: string, _headers: RecordHeader[] | null, schema: Schema | null, value: unknown): Buffer | null {
    if (schema === null && (value === null || value === undefined)) return null;
    const payload = this.#codec.writeValue(schema, value);
    if (!this.#schemasEnabled) return Buffer.from(payload, "utf8");
    return Buffer.from(`{"schema":${schema === null ? "null" : this.asJsonSchema(schema)},"payload":${payload}}`, "utf8");
  }

  override toConnectData(_topic: string, _headers: readonly RecordHeader[] | null, value: Buffer | null): SchemaAndValue {
    if (value === null || value === undefined) return SchemaAndValue.NULL;
    const text = value.toString("utf8");
    if (!this.#schemasEnabled) {
      if (text.trim() === "") return SchemaAndValue.NULL;
      return new SchemaAndValue(null, this.#codec.readValue(null, parseJson(text, mayNeedExactNumbers(text))));
    }
    if (this.#fixedSchema !== null) {
      const schema = this.#fixedSchema;
      const node = text.trim() === "" ? null : parseJson(text, this.#needsExact(schema, text));
      return new SchemaAndValue(schema, this.#codec.readValue(schema, node));
    }
    return this.#readEnvelope(text);
  }

  #needsExact(schema: Schema | null, text: string): boolean {
    return mayNeedExactNumbers(text) || (schema !== null && hasDecimal(schema, this.#decimalSchemas));
  }

  #readEnvelope(text: string): SchemaAndValue {
    // The common case, an envelope as Kafka (or this converter) writes it: the schema's text is
    // a cache key, and only the payload is parsed.
    const split = splitEnvelope(text);
    if (split !== null) {
      let schema = this.#schemaFromText.get(split.schemaText);
      let parsed = true;
      if (schema === undefined) {
        try {
          const node = parseJson(split.schemaText, true);
          schema = this.#codec.readSchema(node);
          this.#schemaFromText.set(split.schemaText, schema);
        } catch (e) {
          if (!(e instanceof DataException) || !e.message.startsWith("Converting byte[]")) throw e;
          parsed = false;
        }
      }
      if (parsed && schema !== undefined) {
        let payload: JsonNode | undefined;
        try {
          payload = parseJson(split.payloadText, this.#needsExact(schema, split.payloadText));
        } catch {
          payload = undefined;
        }
        if (payload !== undefined) return new SchemaAndValue(schema, this.#codec.readValue(schema, payload));
      }
    }
    // Anything else: parse it whole (keeping numbers' text: this path is the uncommon one), and
    // say what is wrong with it.
    if (text.trim() === "") throw new DataException(ENVELOPE_ERROR);
    const root = parseJson(text, true);
    if (!isEnvelope(root)) throw new DataException(ENVELOPE_ERROR);
    // A NUL prefix keeps these keys apart from the raw schema texts of the path above.
    const schemaKey = `\u0000${JSON.stringify(root.schema)}`;
    let schema = this.#schemaFromText.get(schemaKey);
    if (schema === undefined) {
      schema = this.#codec.readSchema(root.schema);
      this.#schemaFromText.set(schemaKey, schema);
    }
    return new SchemaAndValue(schema, this.#codec.readValue(schema, root.payload));
  }
}

function isEnvelope(node: JsonNode): node is { schema: JsonNode; payload: JsonNode } {
  if (typeof node !== "object" || node === null || Array.isArray(node)) return false;
  const keys = Object.keys(node);
  return keys.length === 2 && keys.includes("schema") && keys.includes("payload");
}

/** JsonConverter in the header converter role (header.converter=org.apache.kafka.connect.json.JsonConverter). */
export class JsonHeaderConverter extends HeaderConverter {
  readonly #converter = new JsonConverter();

  override configure(configs: PluginConfigs): void {
    this.#converter.configureWith({ [CONVERTER_TYPE_CONFIG]: "header", ...configs });
  }

  override config(): ConfigDef {
    return jsonConverterConfigDef();
  }

  override toConnectHeader(topic: string, _headerKey: string, value: Buffer | null): SchemaAndValue {
    return this.#converter.toConnectData(topic, null, value);
  }

  override fromConnectHeader(topic: string, _headerKey: string, schema: Schema | null, value: unknown): Buffer | null {
    return this.#converter.fromConnectData(topic, null, schema, value);
  }
}

export const jsonConverterPlugin = definePlugin({
  name: "JsonConverter",
  kind: "converter",
  version: HUB_VERSION,
  aliases: [JSON_CONVERTER_CLASS],
  configDef: jsonConverterConfigDef(),
  doc: "JSON, with or without Kafka's schema envelope, byte-compatible with Kafka's JsonConverter.",
  create: () => new JsonConverter(),
});

export const jsonHeaderConverterPlugin = definePlugin({
  name: "JsonConverter",
  kind: "header-converter",
  version: HUB_VERSION,
  aliases: [JSON_CONVERTER_CLASS],
  configDef: jsonConverterConfigDef(),
  doc: "Header values as JSON with Kafka's schema envelope.",
  create: () => new JsonHeaderConverter(),
});

// StringConverter (org.apache.kafka.connect.storage.StringConverter): values as text in
// converter.encoding (default UTF-8). Writing uses the value's text (its Java toString() in
// Kafka: numbers as Java prints them, structs as Struct{...}); reading always gives an
// OPTIONAL_STRING schema. Also a header converter, as in Kafka.
import {
  ConfigDef,
  ConfigException,
  CONVERTER_TYPE_CONFIG,
  Converter,
  converterConfigDef,
  Decimal,
  definePlugin,
  formatIsoTimestamp,
  HeaderConverter,
  javaDoubleToString,
  javaFloatToString,
  type PluginConfigs,
  type RecordHeader,
  Schema,
  SchemaAndValue,
  Struct,
} from "../api/index.ts";
import { HUB_VERSION } from "../../lib/version.ts";
import { type Charset, charsetForName } from "./charsets.ts";

export const STRING_CONVERTER_CLASS = "org.apache.kafka.connect.storage.StringConverter";
export const ENCODING_CONFIG = "converter.encoding";

export function stringConverterConfigDef(): ConfigDef {
  return converterConfigDef().define({
    name: ENCODING_CONFIG,
    type: "STRING",
    defaultValue: "UTF-8",
    importance: "HIGH",
    documentation: "The Java character set name used to turn strings into bytes and back (UTF-8, UTF-16, UTF-16BE, UTF-16LE, ISO-8859-1, US-ASCII).",
    width: "MEDIUM",
    displayName: "Encoding",
  });
}

/** A value's text as Java's toString() gives it, for the common Connect types. */
export function valueText(schema: Schema | null, value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number") {
    if (schema?.type === "FLOAT32") return javaFloatToString(value);
    if (schema?.type === "FLOAT64" || (schema === null && !Number.isSafeInteger(value))) return javaDoubleToString(value);
    return String(value);
  }
  if (value instanceof Decimal || value instanceof Struct) return value.toString();
  if (value instanceof Date) return formatIsoTimestamp(value);
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64");
  if (Array.isArray(value)) return `[${value.map((v) => valueText(schema?.valueSchema ?? null, v)).join(", ")}]`;
  if (value instanceof Map) {
    return `{${[...value].map(([k, v]) => `${valueText(schema?.keySchema ?? null, k)}=${valueText(schema?.valueSchema ?? null, v)}`).join(", ")}}`;
  }
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return `{${Object.entries(value).map(([k, v]) => `${k}=${valueText(null, v)}`).join(", ")}}`;
  }
  return String(value);
}

export class StringConverter extends Converter {
  #charset: Charset = charsetForName("UTF-8") as Charset;

  override configure(configs: PluginConfigs, isKey: boolean): void {
    this.configureWith({ ...configs, [CONVERTER_TYPE_CONFIG]: isKey ? "key" : "value" });
  }

  configureWith(configs: PluginConfigs): void {
    const config = stringConverterConfigDef().parse(configs);
    const name = config[ENCODING_CONFIG] as string;
    const charset = charsetForName(name);
    if (charset === null) throw new ConfigException(ENCODING_CONFIG, name, "Unsupported character set");
    this.#charset = charset;
  }

  override config(): ConfigDef {
    return stringConverterConfigDef();
  }

  override fromConnectData(_topic: string, _headers: RecordHeader[] | null, schema: Schema | null, value: unknown): Buffer | null {
    if (value === null || value === undefined) return null;
    return this.#charset.encode(valueText(schema, value));
  }

  override toConnectData(_topic: string, _headers: readonly RecordHeader[] | null, value: Buffer | null): SchemaAndValue {
    return new SchemaAndValue(Schema.OPTIONAL_STRING_SCHEMA, value === null || value === undefined ? null : this.#charset.decode(value));
  }
}

export class StringHeaderConverter extends HeaderConverter {
  readonly #converter = new StringConverter();

  override configure(configs: PluginConfigs): void {
    this.#converter.configureWith({ [CONVERTER_TYPE_CONFIG]: "header", ...configs });
  }

  override config(): ConfigDef {
    return stringConverterConfigDef();
  }

  override toConnectHeader(topic: string, _headerKey: string, value: Buffer | null): SchemaAndValue {
    return this.#converter.toConnectData(topic, null, value);
  }

  override fromConnectHeader(topic: string, _headerKey: string, schema: Schema | null, value: unknown): Buffer | null {
    return this.#converter.fromConnectData(topic, null, schema, value);
  }
}

export const stringConverterPlugin = definePlugin({
  name: "StringConverter",
  kind: "converter",
  version: HUB_VERSION,
  aliases: [STRING_CONVERTER_CLASS],
  configDef: stringConverterConfigDef(),
  doc: "Values as text in a character set (UTF-8 by default).",
  create: () => new StringConverter(),
});

export const stringHeaderConverterPlugin = definePlugin({
  name: "StringConverter",
  kind: "header-converter",
  version: HUB_VERSION,
  aliases: [STRING_CONVERTER_CLASS],
  configDef: stringConverterConfigDef(),
  doc: "Header values as text in a character set (UTF-8 by default).",
  create: () => new StringHeaderConverter(),
});

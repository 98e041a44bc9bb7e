// Converters (org.apache.kafka.connect.storage): between Connect data (schema + value) and the
// bytes of Kafka record keys, values and headers. key.converter / value.converter /
// header.converter are set per worker and may be overridden per connector.
import { ConfigDef } from "./config/config-def.ts";
import { ValidString } from "./config/validators.ts";
import type { Awaitable } from "./connector.ts";
import type { Schema } from "./data/schema.ts";
import type { SchemaAndValue } from "./data/schema-and-value.ts";
import type { PluginConfigs } from "./transforms.ts";

/** A raw header of the Kafka record, as the producer writes and the consumer reads it. */
export interface RecordHeader {
  readonly key: string;
  readonly value: Buffer | null;
}

export const ConverterType = { KEY: "key", VALUE: "value", HEADER: "header" } as const;
export type ConverterType = (typeof ConverterType)[keyof typeof ConverterType];

/** The key the runtime sets to tell a converter its role (Kafka's ConverterConfig.TYPE_CONFIG). */
export const CONVERTER_TYPE_CONFIG = "converter.type";

/** A ConfigDef with Kafka's common converter key, converter.type, to build converter configs on. */
export function converterConfigDef(): ConfigDef {
  return new ConfigDef().define({
    name: CONVERTER_TYPE_CONFIG,
    type: "STRING",
    validator: ValidString.in(ConverterType.KEY, ConverterType.VALUE, ConverterType.HEADER),
    importance: "LOW",
    documentation: "How this converter will be used.",
  });
}

export abstract class Converter {
  /** Called once with the converter's config (`value.converter.*` with the prefix removed). */
  abstract configure(configs: PluginConfigs, isKey: boolean): void;

  /**
   * Serializes a value for a record of the topic; null for a null record key/value (tombstone).
   * `headers` are the Kafka record's headers, which a converter may read or add to (e.g. a
   * schema id); null when there are none to see. Registry-backed converters may be async.
   */
  abstract fromConnectData(topic: string, headers: RecordHeader[] | null, schema: Schema | null, value: unknown): Awaitable<Buffer | null>;

  /** Deserializes a key or value; null bytes give SchemaAndValue.NULL. */
  abstract toConnectData(topic: string, headers: readonly RecordHeader[] | null, value: Buffer | null): Awaitable<SchemaAndValue>;

  config(): ConfigDef {
    return new ConfigDef();
  }

  close(): void {}

  version(): string {
    return "unknown";
  }
}

export abstract class HeaderConverter {
  abstract configure(configs: PluginConfigs): void;

  /** The Connect value of one header's bytes. */
  abstract toConnectHeader(topic: string, headerKey: string, value: Buffer | null): SchemaAndValue;

  /** The bytes of one Connect header, or null. */
  abstract fromConnectHeader(topic: string, headerKey: string, schema: Schema | null, value: unknown): Buffer | null;

  config(): ConfigDef {
    return new ConfigDef();
  }

  close(): void {}

  version(): string {
    return "unknown";
  }
}

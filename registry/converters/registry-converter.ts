// What the registry-backed converters (Avro, JSON Schema, Protobuf) share around their format:
// the client (given, or made from schema.registry.url), the serde set up from the shared keys,
// the converter's ConfigDef and version, and the translation of failures into Connect's
// exceptions (converter-errors.ts). Each converter adds its Connect <-> format data mapping.
import {
  type ConfigDef,
  CONVERTER_TYPE_CONFIG,
  Converter,
  type PluginConfigs,
} from "../../connect/api/index.ts";
import { HUB_VERSION } from "../../lib/version.ts";
import { type CachedSchemaRegistryClient, clientFromConfig } from "../client/index.ts";
import { type ConverterMessages, deserializationFailure, serializationFailure } from "./converter-errors.ts";
import { RegistrySerde, type SchemaFormatAdapter } from "./registry-serde.ts";
import { serdeSettings } from "./serde-config.ts";

/** The converter's parsed config: every key of its ConfigDef. */
export type ParsedConverterConfig = Readonly<Record<string, unknown>>;

/** What a converter's format brings to RegistryConverter. */
export interface RegistryConverterFormat<P> {
  /** How messages name the converter: "AvroConverter". */
  readonly converterName: string;
  /** converter.type, the serde keys and the format's keys (registryConverterConfigDef). */
  readonly configDef: () => ConfigDef;
  readonly adapter: SchemaFormatAdapter<P>;
  readonly messages: ConverterMessages;
}

export abstract class RegistryConverter<P> extends Converter {
  readonly #format: RegistryConverterFormat<P>;
  readonly #givenClient: CachedSchemaRegistryClient | null;
  #serde: RegistrySerde<P> | null = null;

  /** A client may be given (tests, a shared client); otherwise configure() makes one from schema.registry.url. */
  protected constructor(format: RegistryConverterFormat<P>, client?: CachedSchemaRegistryClient) {
    super();
    this.#format = format;
    this.#givenClient = client ?? null;
  }

  override configure(configs: PluginConfigs, isKey: boolean): void {
    const parsed = this.#format.configDef().parse({ [CONVERTER_TYPE_CONFIG]: isKey ? "key" : "value", ...configs });
    this.checkConfig(parsed);
    const client = this.#givenClient ?? clientFromConfig(configs);
    this.#serde = new RegistrySerde(client, serdeSettings(parsed), this.#format.adapter, isKey);
    this.configureData(parsed);
  }

  /** Rejects format keys the converter cannot honour; runs before a client is made. */
  protected checkConfig(_parsed: ParsedConverterConfig): void {}

  /** Takes the format's own keys, once the serde is set up. */
  protected abstract configureData(parsed: ParsedConverterConfig): void;

  override config(): ConfigDef {
    return this.#format.configDef();
  }

  override version(): string {
    return HUB_VERSION;
  }

  /** Runs a write with the serde; a failure is reported as Confluent's converter reports it. */
  protected serializing<T>(topic: string, write: (serde: RegistrySerde<P>) => Promise<T>): Promise<T> {
    return this.#withSerde(topic, write, serializationFailure);
  }

  /** Runs a read with the serde; a failure is reported as Confluent's converter reports it. */
  protected deserializing<T>(topic: string, read: (serde: RegistrySerde<P>) => Promise<T>): Promise<T> {
    return this.#withSerde(topic, read, deserializationFailure);
  }

  async #withSerde<T>(topic: string, run: (serde: RegistrySerde<P>) => Promise<T>, failure: typeof serializationFailure): Promise<T> {
    const serde = this.#requireSerde();
    try {
      return await run(serde);
    } catch (e) {
      throw failure(e, topic, this.#format.messages);
    }
  }

  #requireSerde(): RegistrySerde<P> {
    if (this.#serde === null) throw new Error(`${this.#format.converterName} used before configure()`);
    return this.#serde;
  }
}

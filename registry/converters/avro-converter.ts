// AvroConverter (io.confluent.connect.avro.AvroConverter): Connect data as Avro in Confluent's
// wire format, its schema in a Schema Registry (the hub's or Confluent's). Writing maps the
// Connect schema to Avro as Confluent's AvroData does (avro-data.ts), registers it (or finds
// it, see registry-serde.ts) and writes magic byte, schema id and Avro binary; reading fetches
// the writer schema by id, decodes, and maps back to Connect data, the Connect schema's version
// being the schema's version in the registry (unless the schema carries connect.version).
//
// Keys: schema.registry.url (required), auto.register.schemas, use.latest.version,
// latest.compatibility.strict, key/value.subject.name.strategy, basic.auth.* (serde-config.ts),
// and AvroData's connect.meta.data, enhanced.avro.schema.support, scrub.invalid.names, ...
import { ConfigDef, definePlugin, type RecordHeader, type Schema, SchemaAndValue } from "../../connect/api/index.ts";
import { HUB_VERSION } from "../../lib/version.ts";
import type { CachedSchemaRegistryClient, ResolvedSchema } from "../client/index.ts";
import { avroFormat } from "../formats/avro/index.ts";
import { decodeAvro, encodeAvro } from "../serde/avro/binary.ts";
import { type AvroSchema, isNamed, parseAvroSchema, printAvroSchema } from "../serde/avro/schema.ts";
import { frame } from "../serde/wire-format.ts";
import { AvroData, type AvroDataConfig } from "./avro-data.ts";
import { type ParsedConverterConfig, RegistryConverter, type RegistryConverterFormat } from "./registry-converter.ts";
import type { RegisteredSchema, SchemaFormatAdapter } from "./registry-serde.ts";
import { registryConverterConfigDef } from "./serde-config.ts";

export const AVRO_CONVERTER_CLASS = "io.confluent.connect.avro.AvroConverter";

/** AvroDataConfig's keys (Confluent's names and defaults). */
function defineAvroDataKeys(def: ConfigDef): ConfigDef {
  const group = "Avro";
  const flag = (name: string, defaultValue: boolean, documentation: string) =>
    def.define({ name, type: "BOOLEAN", defaultValue, importance: "LOW", documentation, group });
  flag("enhanced.avro.schema.support", false, "Keep Avro enums as enums (and full names for union branches) when converting Connect schemas back to Avro.");
  flag("connect.meta.data", true, "Whether the Avro schema carries the Connect schema's name, version, doc, parameters and default (connect.* attributes).");
  flag("scrub.invalid.names", false, "Replace characters Avro names do not allow in record and field names.");
  flag("allow.optional.map.keys", false, "Write maps with optional string keys as Avro maps.");
  flag("flatten.singleton.union", true, "Read a union of a single type as that type.");
  flag("discard.type.doc.default", false, "Keep only field docs and defaults, not the types' (Confluent's deprecated option).");
  flag("generalized.sum.type.support", false, "Confluent's generalized enum/union mapping (accepted; the hub keeps the classic mapping).");
  flag("ignore.default.for.nullables", false, "Write a null optional field as null rather than as its default.");
  def.define({ name: "schemas.cache.config", type: "INT", defaultValue: 1000, importance: "LOW", documentation: "Size of the converted schemas cache.", group });
  return def;
}

export function avroConverterConfigDef(): ConfigDef {
  return registryConverterConfigDef(defineAvroDataKeys);
}

export function avroDataConfig(parsed: ParsedConverterConfig): AvroDataConfig {
  return {
    connectMetaData: parsed["connect.meta.data"] as boolean,
    enhancedSchemaSupport: parsed["enhanced.avro.schema.support"] as boolean,
    scrubInvalidNames: parsed["scrub.invalid.names"] as boolean,
    allowOptionalMapKeys: parsed["allow.optional.map.keys"] as boolean,
    flattenSingletonUnion: parsed["flatten.singleton.union"] as boolean,
    discardTypeDocDefault: parsed["discard.type.doc.default"] as boolean,
    ignoreDefaultForNullables: parsed["ignore.default.for.nullables"] as boolean,
  };
}

/** The Avro format as the serde sees it: schemas from schema.ts, compatibility from the registry's Avro format. */
export const avroAdapter: SchemaFormatAdapter<AvroSchema> = {
  schemaType: "AVRO",
  label: "Avro",
  parse: (resolved: ResolvedSchema) => parseAvroSchema(resolved.schema, resolved.resolvedReferences.values()),
  recordName: (schema) => (isNamed(schema) ? schema.fullName : null),
  incompatibilities(reader: RegisteredSchema<AvroSchema>, writer: RegisteredSchema<AvroSchema>): string[] {
    const parse = (s: RegisteredSchema<AvroSchema>) => avroFormat.parse(s.spec.schema, s.spec.references ?? [], s.resolvedReferences);
    return avroFormat.incompatibilities(parse(reader), parse(writer), { reader: "old", writer: "new" });
  },
};

const AVRO_CONVERTER: RegistryConverterFormat<AvroSchema> = {
  converterName: "AvroConverter",
  configDef: avroConverterConfigDef,
  adapter: avroAdapter,
  messages: {
    label: "Avro",
    serializeFailed: (topic) => `Failed to serialize Avro data from topic ${topic}:`,
    deserializeFailed: (topic) => `Failed to deserialize data for topic ${topic} to Avro:`,
  },
};

export class AvroConverter extends RegistryConverter<AvroSchema> {
  #avroData = new AvroData();
  /** The schema each Connect schema registers as (its text printed once). */
  #own = new WeakMap<Schema, RegisteredSchema<AvroSchema>>();

  constructor(client?: CachedSchemaRegistryClient) {
    super(AVRO_CONVERTER, client);
  }

  protected override configureData(parsed: ParsedConverterConfig): void {
    this.#avroData = new AvroData(avroDataConfig(parsed));
    this.#own = new WeakMap();
  }

  get avroData(): AvroData {
    return this.#avroData;
  }

  #ownSchema(schema: Schema | null, avro: AvroSchema): RegisteredSchema<AvroSchema> {
    let own = schema === null ? undefined : this.#own.get(schema);
    if (own === undefined) {
      own = { parsed: avro, spec: { schema: printAvroSchema(avro), schemaType: "AVRO" }, resolvedReferences: new Map() };
      if (schema !== null) this.#own.set(schema, own);
    }
    return own;
  }

  override async fromConnectData(topic: string, _headers: RecordHeader[] | null, schema: Schema | null, value: unknown): Promise<Buffer | null> {
    return this.serializing(topic, async (serde) => {
      const avro = this.#avroData.fromConnectSchema(schema);
      // Validates the value against the schema (a null for a required schema throws) before
      // anything is registered.
      const ownValue = this.#avroData.fromConnectData(schema, avro, value);
      if (value === null || value === undefined) return null;
      const own = this.#ownSchema(schema, avro);
      const writer = await serde.writerFor(topic, own);
      const writerAvro = writer.schema.parsed;
      const avroValue = writerAvro === avro ? ownValue : this.#avroData.fromConnectData(schema, writerAvro, value);
      return frame(writer.id, encodePayload(writerAvro, avroValue as Parameters<typeof encodeAvro>[1]));
    });
  }

  override async toConnectData(topic: string, _headers: readonly RecordHeader[] | null, value: Buffer | null): Promise<SchemaAndValue> {
    if (value === null || value === undefined) return SchemaAndValue.NULL;
    return this.deserializing(topic, async (serde) => {
      const input = await serde.readerFor(topic, value, { withVersion: true });
      const avro = input.schema.parsed;
      const decoded = isBytes(avro) ? Buffer.from(input.payload) : decodeAvro(avro, input.payload);
      return this.#avroData.toConnectData(avro, decoded, input.version);
    });
  }
}

function isBytes(avro: AvroSchema): boolean {
  return avro.kind === "primitive" && avro.type === "bytes";
}

/** Confluent's serializer writes a top-level bytes value as the raw bytes, without Avro's length prefix. */
function encodePayload(avro: AvroSchema, value: Parameters<typeof encodeAvro>[1]): Buffer {
  if (isBytes(avro) && Buffer.isBuffer(value)) return value;
  return encodeAvro(avro, value);
}

export const avroConverterPlugin = definePlugin({
  name: "AvroConverter",
  kind: "converter",
  version: HUB_VERSION,
  aliases: [AVRO_CONVERTER_CLASS],
  configDef: avroConverterConfigDef(),
  doc: "Avro in Confluent's wire format, schemas in a Schema Registry (Confluent's AvroConverter).",
  create: () => new AvroConverter(),
});

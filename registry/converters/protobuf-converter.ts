// ProtobufConverter (io.confluent.connect.protobuf.ProtobufConverter): Connect data as Protobuf
// in Confluent's wire format (magic byte, schema id, message indexes, the message), its .proto
// schema in a Schema Registry (schemaType PROTOBUF). The Connect <-> Protobuf mapping is
// Confluent's ProtobufData (protobuf-data.ts); .proto parsing, message indexes and the binary
// encoding are the registry's Protobuf format's (registry/formats/protobuf).
//
// Keys: the serde keys (serde-config.ts), enhanced.protobuf.schema.support, scrub.invalid.names.
import {
  ConfigDef,
  ConfigException,
  DataException,
  definePlugin,
  type RecordHeader,
  type Schema,
  SchemaAndValue,
  Struct,
} from "../../connect/api/index.ts";
import { HUB_VERSION } from "../../lib/version.ts";
import type { CachedSchemaRegistryClient, ResolvedSchema } from "../client/index.ts";
import { protobufFormat, type ProtobufParsedSchema } from "../formats/protobuf/index.ts";
import { frame } from "../serde/wire-format.ts";
import { ProtobufData } from "./protobuf-data.ts";
import { type ParsedConverterConfig, RegistryConverter, type RegistryConverterFormat } from "./registry-converter.ts";
import type { RegisteredSchema, SchemaFormatAdapter } from "./registry-serde.ts";
import { registryConverterConfigDef } from "./serde-config.ts";

export const PROTOBUF_CONVERTER_CLASS = "io.confluent.connect.protobuf.ProtobufConverter";

function defineProtobufKeys(def: ConfigDef): ConfigDef {
  const group = "Protobuf";
  return def
    .define({ name: "enhanced.protobuf.schema.support", type: "BOOLEAN", defaultValue: false, importance: "MEDIUM", documentation: "Name structs after their messages' full names (with the package).", group })
    .define({ name: "scrub.invalid.names", type: "BOOLEAN", defaultValue: false, importance: "MEDIUM", documentation: "Replace characters Protobuf names do not allow in message and field names.", group })
    .define({ name: "wrapper.for.nullables", type: "BOOLEAN", defaultValue: false, importance: "MEDIUM", documentation: "Write optional primitives as google.protobuf wrapper messages (not supported by the hub: must stay false).", group })
    .define({ name: "schemas.cache.config", type: "INT", defaultValue: 1000, importance: "LOW", documentation: "Size of the converted schemas cache.", group });
}

export function protobufConverterConfigDef(): ConfigDef {
  return registryConverterConfigDef(defineProtobufKeys);
}

export const protobufAdapter: SchemaFormatAdapter<ProtobufParsedSchema> = {
  schemaType: "PROTOBUF",
  label: "Protobuf",
  parse: (resolved: ResolvedSchema) => protobufFormat.parse(resolved.schema, resolved.references, resolved.resolvedReferences, { isNew: false }),
  recordName: (schema) => schema.name,
  incompatibilities: (reader: RegisteredSchema<ProtobufParsedSchema>, writer: RegisteredSchema<ProtobufParsedSchema>) =>
    protobufFormat.incompatibilities(reader.parsed, writer.parsed, { reader: "old", writer: "new" }),
};

const PROTOBUF_CONVERTER: RegistryConverterFormat<ProtobufParsedSchema> = {
  converterName: "ProtobufConverter",
  configDef: protobufConverterConfigDef,
  adapter: protobufAdapter,
  messages: {
    label: "Protobuf",
    serializeFailed: (topic) => `Failed to serialize Protobuf data from topic ${topic}:`,
    deserializeFailed: (topic) => `Failed to deserialize data for topic ${topic} to Protobuf:`,
  },
};

export class ProtobufConverter extends RegistryConverter<ProtobufParsedSchema> {
  #data = new ProtobufData();
  readonly #own = new WeakMap<Schema, { registered: RegisteredSchema<ProtobufParsedSchema>; messageName: string }>();

  constructor(client?: CachedSchemaRegistryClient) {
    super(PROTOBUF_CONVERTER, client);
  }

  protected override checkConfig(parsed: ParsedConverterConfig): void {
    if (parsed["wrapper.for.nullables"] === true) throw new ConfigException("wrapper.for.nullables", true, "wrapper messages for optional primitives are not supported");
  }

  protected override configureData(parsed: ParsedConverterConfig): void {
    this.#data = new ProtobufData({ enhancedSchemaSupport: parsed["enhanced.protobuf.schema.support"] as boolean, scrubInvalidNames: parsed["scrub.invalid.names"] as boolean });
  }

  get protobufData(): ProtobufData {
    return this.#data;
  }

  /** The .proto of a Connect schema, parsed as the registry parses it. */
  #ownSchema(schema: Schema): { registered: RegisteredSchema<ProtobufParsedSchema>; messageName: string } {
    let own = this.#own.get(schema);
    if (own === undefined) {
      const generated = this.#data.fromConnectSchema(schema);
      const parsed = protobufFormat.parse(generated.text, [], new Map());
      own = { registered: { parsed, spec: { schema: generated.text, schemaType: "PROTOBUF" }, resolvedReferences: new Map() }, messageName: generated.messageName };
      this.#own.set(schema, own);
    }
    return own;
  }

  override async fromConnectData(topic: string, _headers: RecordHeader[] | null, schema: Schema | null, value: unknown): Promise<Buffer | null> {
    if (value === null || value === undefined) return null;
    return this.serializing(topic, async (serde) => {
      if (schema === null) throw new DataException("ProtobufConverter needs a schema: schemaless values cannot be given a Protobuf schema");
      if (!(value instanceof Struct)) throw new DataException(`Unsupported root value of type ${schema.type}: the ProtobufConverter writes structs`);
      const own = this.#ownSchema(schema);
      const writer = await serde.writerFor(topic, own.registered);
      const parsed = writer.schema.parsed;
      const message = parsed.findMessage(own.messageName) ?? parsed.messageAt([0]);
      let bytes: Uint8Array;
      try {
        bytes = parsed.encode(message.fullName, this.#data.fromConnectData(schema, value));
      } catch (e) {
        throw new DataException(`Cannot encode the value as ${message.fullName}: ${(e as Error).message}`, { cause: e });
      }
      return frame(writer.id, bytes, parsed.messageIndexes(message.fullName));
    });
  }

  override async toConnectData(topic: string, _headers: readonly RecordHeader[] | null, value: Buffer | null): Promise<SchemaAndValue> {
    if (value === null || value === undefined) return SchemaAndValue.NULL;
    return this.deserializing(topic, async (serde) => {
      const input = await serde.readerFor(topic, value, { messageIndexes: true, withVersion: true });
      const parsed = input.schema.parsed;
      const message = parsed.messageAt(input.messageIndexes ?? [0]);
      let decoded;
      try {
        decoded = parsed.decode(message.fullName, input.payload);
      } catch (e) {
        throw new DataException(`Invalid Protobuf bytes for ${message.fullName}: ${(e as Error).message}`, { cause: e });
      }
      const schema = this.#data.toConnectSchema(parsed, message, input.version);
      return new SchemaAndValue(schema, this.#data.toConnectData(schema, message, parsed, decoded));
    });
  }
}

export const protobufConverterPlugin = definePlugin({
  name: "ProtobufConverter",
  kind: "converter",
  version: HUB_VERSION,
  aliases: [PROTOBUF_CONVERTER_CLASS],
  configDef: protobufConverterConfigDef(),
  doc: "Protobuf in Confluent's wire format, schemas in a Schema Registry (Confluent's ProtobufConverter).",
  create: () => new ProtobufConverter(),
});

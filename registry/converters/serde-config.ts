// The configuration keys Confluent's registry-backed converters share (AbstractKafkaSchemaSerDeConfig
// and SchemaRegistryClientConfig): where the registry is, how to authenticate, under which subject
// a schema goes and whether the converter registers it. Same names, defaults and meanings.
import { ConfigDef, ConfigException, converterConfigDef, LambdaValidator, Range } from "../../connect/api/index.ts";
import { findSubjectNameStrategy, type SubjectNameStrategy, TOPIC_NAME_STRATEGY_CLASS } from "../serde/subject-name-strategy.ts";

const STRATEGY_VALIDATOR = LambdaValidator.with(
  (name, value) => {
    if (value !== null && findSubjectNameStrategy(String(value)) === null) {
      throw new ConfigException(name, value, "Not a known subject name strategy (TopicNameStrategy, RecordNameStrategy, TopicRecordNameStrategy)");
    }
  },
  () => "io.confluent.kafka.serializers.subject.{TopicNameStrategy,RecordNameStrategy,TopicRecordNameStrategy}",
);

/** Adds the shared serde keys to a ConfigDef. */
export function defineSerdeKeys(def: ConfigDef): ConfigDef {
  const registry = "Schema Registry";
  return def
    .define({
      name: "schema.registry.url",
      type: "LIST",
      importance: "HIGH",
      documentation: "Comma-separated list of URLs of Schema Registry instances (the hub's or Confluent's), tried in turn.",
      group: registry,
      orderInGroup: 0,
    })
    .define({
      name: "max.schemas.per.subject",
      type: "INT",
      defaultValue: 1000,
      validator: Range.atLeast(1),
      importance: "LOW",
      documentation: "How many schemas per subject the client remembers.",
      group: registry,
    })
    .define({
      name: "auto.register.schemas",
      type: "BOOLEAN",
      defaultValue: true,
      importance: "MEDIUM",
      documentation: "Whether to register the schema of the data written if it is not registered yet (else it must be registered already).",
      group: registry,
    })
    .define({
      name: "use.schema.id",
      type: "INT",
      defaultValue: -1,
      importance: "LOW",
      documentation: "The id of a registered schema to write data with, instead of the data's own schema (-1: none).",
      group: registry,
    })
    .define({
      name: "id.compatibility.strict",
      type: "BOOLEAN",
      defaultValue: true,
      importance: "LOW",
      documentation: "With use.schema.id: check that the schema with that id can read data of the data's own schema.",
      group: registry,
    })
    .define({
      name: "use.latest.version",
      type: "BOOLEAN",
      defaultValue: false,
      importance: "LOW",
      documentation: "Write data with the subject's latest registered schema (with auto.register.schemas=false).",
      group: registry,
    })
    .define({
      name: "latest.compatibility.strict",
      type: "BOOLEAN",
      defaultValue: true,
      importance: "LOW",
      documentation: "With use.latest.version: check that the latest schema can read data of the data's own schema (backward compatible).",
      group: registry,
    })
    .define({
      name: "latest.cache.ttl.sec",
      type: "LONG",
      defaultValue: -1,
      importance: "LOW",
      documentation: "How long the latest version of a subject is remembered, in seconds (-1: for as long as the converter runs).",
      group: registry,
    })
    .define({
      name: "latest.cache.size",
      type: "INT",
      defaultValue: 1000,
      importance: "LOW",
      documentation: "How many subjects' latest versions are remembered.",
      group: registry,
    })
    .define({
      name: "normalize.schemas",
      type: "BOOLEAN",
      defaultValue: false,
      importance: "LOW",
      documentation: "Whether the registry normalizes schemas when registering and looking them up.",
      group: registry,
    })
    .define({
      name: "key.subject.name.strategy",
      type: "CLASS",
      defaultValue: TOPIC_NAME_STRATEGY_CLASS,
      validator: STRATEGY_VALIDATOR,
      importance: "MEDIUM",
      documentation: "How the subject of a key schema is named: TopicNameStrategy (<topic>-key), RecordNameStrategy, TopicRecordNameStrategy.",
      group: registry,
    })
    .define({
      name: "value.subject.name.strategy",
      type: "CLASS",
      defaultValue: TOPIC_NAME_STRATEGY_CLASS,
      validator: STRATEGY_VALIDATOR,
      importance: "MEDIUM",
      documentation: "How the subject of a value schema is named: TopicNameStrategy (<topic>-value), RecordNameStrategy, TopicRecordNameStrategy.",
      group: registry,
    })
    .define({
      name: "basic.auth.credentials.source",
      type: "STRING",
      defaultValue: "URL",
      importance: "MEDIUM",
      documentation: "Where basic authentication credentials come from: URL (user:password@ in schema.registry.url), USER_INFO (basic.auth.user.info) or SASL_INHERIT (sasl.jaas.config).",
      group: registry,
    })
    .define({
      name: "basic.auth.user.info",
      type: "PASSWORD",
      defaultValue: "",
      importance: "MEDIUM",
      documentation: "user:password, with basic.auth.credentials.source=USER_INFO.",
      group: registry,
    })
    .define({
      name: "bearer.auth.credentials.source",
      type: "STRING",
      defaultValue: "STATIC_TOKEN",
      importance: "MEDIUM",
      documentation: "Where a bearer token comes from: STATIC_TOKEN (bearer.auth.token).",
      group: registry,
    })
    .define({
      name: "bearer.auth.token",
      type: "PASSWORD",
      defaultValue: "",
      importance: "MEDIUM",
      documentation: "The bearer token, with bearer.auth.credentials.source=STATIC_TOKEN.",
      group: registry,
    })
    .define({
      name: "http.read.timeout.ms",
      type: "INT",
      defaultValue: 60_000,
      importance: "LOW",
      documentation: "How long to wait for the registry's answer.",
      group: registry,
    })
    .define({
      name: "http.connect.timeout.ms",
      type: "INT",
      defaultValue: 60_000,
      importance: "LOW",
      documentation: "How long to wait for a connection to the registry.",
      group: registry,
    });
}

/** What the serializer and deserializer do, from the parsed keys. */
export interface SerdeSettings {
  readonly autoRegister: boolean;
  readonly useSchemaId: number;
  readonly idCompatStrict: boolean;
  readonly useLatestVersion: boolean;
  readonly latestCompatStrict: boolean;
  readonly normalize: boolean;
  readonly keyStrategy: SubjectNameStrategy;
  readonly valueStrategy: SubjectNameStrategy;
}

export function serdeSettings(parsed: Readonly<Record<string, unknown>>): SerdeSettings {
  const strategy = (key: string) => findSubjectNameStrategy(String(parsed[key])) as SubjectNameStrategy;
  return {
    autoRegister: parsed["auto.register.schemas"] as boolean,
    useSchemaId: parsed["use.schema.id"] as number,
    idCompatStrict: parsed["id.compatibility.strict"] as boolean,
    useLatestVersion: parsed["use.latest.version"] as boolean,
    latestCompatStrict: parsed["latest.compatibility.strict"] as boolean,
    normalize: parsed["normalize.schemas"] as boolean,
    keyStrategy: strategy("key.subject.name.strategy"),
    valueStrategy: strategy("value.subject.name.strategy"),
  };
}

/** A converter's ConfigDef: converter.type, the serde keys, then the format's own keys. */
export function registryConverterConfigDef(defineFormatKeys: (def: ConfigDef) => ConfigDef): ConfigDef {
  return defineFormatKeys(defineSerdeKeys(converterConfigDef()));
}

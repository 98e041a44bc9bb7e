// Connect's public SDK: everything a connector, transformation, predicate or converter needs,
// and nothing of the runtime (an ESLint rule keeps this directory from importing the rest of
// the project). See README.md for the data model and the JavaScript representation of values.
export { AlreadyExistsException, ConnectException, DataException, IllegalWorkerStateException, NotFoundException, RetriableException, SchemaBuilderException } from "./errors.ts";

export { Field, isPrimitiveType, Schema, ConnectSchema, schemaEquals, SchemaType, schemaTypeName, type SchemaOptions } from "./data/schema.ts";
export { SchemaBuilder } from "./data/schema-builder.ts";
export { Struct } from "./data/struct.ts";
export { SchemaAndValue } from "./data/schema-and-value.ts";
export { Decimal } from "./data/decimal.ts";
export { ConnectDate, ConnectTime, ConnectTimestamp, MILLIS_PER_DAY } from "./data/logical.ts";
export { describeValue, inferSchemaType, isPlainObject, validateValue } from "./data/validate.ts";
export { valueEquals } from "./data/equality.ts";
export { Values } from "./data/values.ts";
export { formatIsoDate, formatIsoTime, formatIsoTimestamp, javaDoubleToString, javaFloatToString } from "./data/java-text.ts";

export { ConnectHeader, type Header, Headers, type HeaderTransform } from "./header/headers.ts";
export {
  ConnectRecord,
  type ConnectRecordFields,
  type RecordChanges,
  SinkRecord,
  type SinkRecordFields,
  type SourceMap,
  SourceRecord,
  type SourceRecordFields,
  TimestampType,
} from "./records.ts";

export {
  ConfigDef,
  ConfigKey,
  type ConfigKeyDefinition,
  type ConfigProps,
  ConfigType,
  ConfigValue,
  convertToString,
  Importance,
  NO_DEFAULT_VALUE,
  parseType,
  type Recommender,
  Width,
} from "./config/config-def.ts";
export { ConfigException } from "./config/config-exception.ts";
export { Password } from "./config/password.ts";
export { AbstractConfig } from "./config/abstract-config.ts";
export {
  CaseInsensitiveValidString,
  CompositeValidator,
  LambdaValidator,
  ListSize,
  NonEmptyString,
  NonEmptyStringWithoutControlChars,
  NonNullValidator,
  Range,
  ValidList,
  ValidString,
  type Validator,
} from "./config/validators.ts";
export { configDefToJson, configDefToMarkdown, type ConfigKeyInfo, configKeyInfo, type ConfigValueInfo, configValueToJson } from "./config/config-json.ts";

export { type Awaitable, type Config, Connector, type ConnectorContext, type ConnectorProps, type Task, type TaskClass } from "./connector.ts";
export {
  type OffsetStorageReader,
  type RecordMetadata,
  SourceConnector,
  type SourceConnectorContext,
  type SourceOffsetChange,
  SourceTask,
  type SourceTaskContext,
} from "./source.ts";
export {
  type ErrantRecordReporter,
  SinkConnector,
  type SinkConnectorContext,
  type SinkOffsetChange,
  SinkTask,
  type SinkTaskContext,
  type TopicPartition,
  type TopicPartitionOffset,
} from "./sink.ts";
export { type PluginConfigs, Predicate, Transformation } from "./transforms.ts";
export { CONVERTER_TYPE_CONFIG, Converter, converterConfigDef, ConverterType, HeaderConverter, type RecordHeader } from "./storage.ts";
export { type AnyPluginDescriptor, definePlugin, type PluginDescriptor, type PluginInstances, type PluginKind } from "./plugin.ts";

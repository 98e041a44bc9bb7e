// Helpers shared by the Single Message Transforms (Kafka's transforms.util.Requirements and
// SchemaUtil): which side of the record a Key/Value variant works on, and the checks and
// schema copies Kafka's SMTs make.
import { type ConfigDef, ConnectRecord, DataException, definePlugin, isPlainObject, type PluginDescriptor, type Schema, SchemaBuilder, Struct, type Transformation } from "../connect/api/index.ts";
import { HUB_VERSION } from "../lib/version.ts";

/** Key or Value variant: the part of the record a transform reads and replaces. */
export type Side = "key" | "value";

export function operatingSchema(record: ConnectRecord, side: Side): Schema | null {
  return side === "key" ? record.keySchema : record.valueSchema;
}

export function operatingValue(record: ConnectRecord, side: Side): unknown {
  return side === "key" ? record.key : record.value;
}

/** A copy of the record with the operated side replaced. */
export function withOperated<R extends ConnectRecord>(record: R, side: Side, schema: Schema | null, value: unknown): R {
  return side === "key" ? record.newRecord({ keySchema: schema, key: value }) : record.newRecord({ valueSchema: schema, value });
}

function className(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return "java.util.ArrayList";
  if (value instanceof Map || isPlainObject(value)) return "java.util.HashMap";
  if (value instanceof Struct) return "org.apache.kafka.connect.data.Struct";
  if (typeof value === "string") return "java.lang.String";
  if (typeof value === "bigint") return "java.lang.Long";
  if (typeof value === "number") return Number.isInteger(value) ? "java.lang.Integer" : "java.lang.Double";
  if (typeof value === "boolean") return "java.lang.Boolean";
  return typeof value;
}

/** A schemaless map value as a plain object (a Map with string keys is converted). */
export function requireMap(value: unknown, purpose: string): Record<string, unknown> {
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), v]));
  if (!isPlainObject(value)) throw new DataException(`Only Map objects supported in absence of schema for [${purpose}], found: ${className(value)}`);
  return value as Record<string, unknown>;
}

export function requireMapOrNull(value: unknown, purpose: string): Record<string, unknown> | null {
  return value === null || value === undefined ? null : requireMap(value, purpose);
}

export function requireStruct(value: unknown, purpose: string): Struct {
  if (!(value instanceof Struct)) throw new DataException(`Only Struct objects supported for [${purpose}], found: ${className(value)}`);
  return value;
}

export function requireStructOrNull(value: unknown, purpose: string): Struct | null {
  return value === null || value === undefined ? null : requireStruct(value, purpose);
}

/** Kafka's SchemaUtil.copySchemaBasics: name, version, doc and parameters (not optional or default). */
export function copySchemaBasics(source: Schema, builder: SchemaBuilder = SchemaBuilder.struct()): SchemaBuilder {
  if (source.name !== null) builder.name(source.name);
  if (source.version !== null) builder.version(source.version);
  if (source.doc !== null) builder.doc(source.doc);
  if (source.parameters !== null) builder.parameters(source.parameters);
  return builder;
}

/** A struct field's value; with replaceNullWithDefault false, a null stays null (KIP-1040). */
export function structGet(struct: Struct, name: string, replaceNullWithDefault: boolean): unknown {
  return replaceNullWithDefault ? struct.get(name) : struct.getWithoutDefault(name);
}

export const REPLACE_NULL_WITH_DEFAULT_DOC = "Whether to replace fields that have a default value and that are null to the default value. When set to true, the default value is used, otherwise null is used.";

/** The Key and Value descriptors of a transformation with both variants (Kafka's Foo$Key and Foo$Value). */
export function keyValuePlugins(
  name: string,
  javaClass: string,
  configDef: ConfigDef,
  doc: string,
  create: (side: Side) => Transformation,
): [PluginDescriptor<"transformation">, PluginDescriptor<"transformation">] {
  return (["Key", "Value"] as const).map((variant) =>
    definePlugin({
      name: `${name}$${variant}`,
      kind: "transformation",
      version: HUB_TRANSFORMS_VERSION,
      aliases: [`${javaClass}$${variant}`],
      configDef,
      doc: `${doc} (record ${variant.toLowerCase()})`,
      create: () => create(variant === "Key" ? "key" : "value"),
    }),
  ) as [PluginDescriptor<"transformation">, PluginDescriptor<"transformation">];
}

export const HUB_TRANSFORMS_VERSION = HUB_VERSION;
export const KAFKA_TRANSFORMS_PACKAGE = "org.apache.kafka.connect.transforms";

// Plugin descriptors: how a plugin presents itself to the runtime's registry and to
// GET /connector-plugins. `aliases` are the Java class names (and short names) users already
// put in configs (connector.class, transforms.<alias>.type, value.converter ...); the runtime's
// alias table maps them to the descriptor. A class Kafka uses in two roles (a converter that is
// also a header converter) has one descriptor per role, with the same aliases.
import type { ConfigDef } from "./config/config-def.ts";
import type { SinkConnector } from "./sink.ts";
import type { SourceConnector } from "./source.ts";
import type { Converter, HeaderConverter } from "./storage.ts";
import type { Predicate, Transformation } from "./transforms.ts";

export interface PluginInstances {
  source: SourceConnector;
  sink: SinkConnector;
  transformation: Transformation;
  predicate: Predicate;
  converter: Converter;
  "header-converter": HeaderConverter;
}

export type PluginKind = keyof PluginInstances;

export interface PluginDescriptor<K extends PluginKind = PluginKind> {
  /** The plugin's own name, unique within its kind (e.g. "JsonConverter", "file-source"). */
  readonly name: string;
  readonly kind: K;
  readonly version: string;
  /** Other names configs may use for it, Java class names first (e.g. "org.apache.kafka.connect.json.JsonConverter"). */
  readonly aliases: readonly string[];
  /** The single source of its configuration: validation, /config, docs. */
  readonly configDef: ConfigDef;
  /** One line on what it does. */
  readonly doc?: string;
  /** A new, unconfigured instance. */
  create(): PluginInstances[K];
}

/** Identity helper that checks a descriptor's create() against its kind. */
export function definePlugin<K extends PluginKind>(descriptor: PluginDescriptor<K>): PluginDescriptor<K> {
  return descriptor;
}

/** Any descriptor, whatever its kind (what registries hold). */
export type AnyPluginDescriptor = { [K in PluginKind]: PluginDescriptor<K> }[PluginKind];

// Every connector's common configuration (Kafka's ConnectorConfig, SourceConnectorConfig,
// SinkConnectorConfig) and its enrichment with the keys of the transformations and predicates a
// config names (`transforms.<alias>.*`, `predicates.<alias>.*`: Kafka's ConnectorConfig.enrich).
// Key names, types, defaults and groups are Kafka's, so /config/validate answers line up.
import {
  type AnyPluginDescriptor,
  CompositeValidator,
  ConfigDef,
  ConfigException,
  ConfigKey,
  LambdaValidator,
  NonEmptyStringWithoutControlChars,
  NonNullValidator,
  type PluginKind,
  Range,
  type Recommender,
  ValidString,
} from "../../api/index.ts";
import { pluginVersionProblem } from "../plugins/plugin-version.ts";
import { displayClass, type PluginRegistry } from "../plugins/registry.ts";

export const COMMON_GROUP = "Common";
export const TRANSFORMS_GROUP = "Transforms";
export const PREDICATES_GROUP = "Predicates";
export const ERROR_GROUP = "Error Handling";
export const TOPIC_CREATION_GROUP = "Topic Creation";

const uniqueAliases = (kind: string) =>
  CompositeValidator.of(
    new NonNullValidator(),
    LambdaValidator.with(
      (name, value) => {
        const aliases = value as string[];
        if (new Set(aliases).size < aliases.length) throw new ConfigException(name, value, "Duplicate alias provided.");
      },
      () => `unique ${kind} aliases`,
    ),
  );

/**
 * Older Kafka versions showed this text as header.converter's default; configs copied from
 * their answers may hold it, and it means "the worker's header.converter".
 */
export const HEADER_CONVERTER_INHERITED = "Inherited from Connect config";

// Orders within groups follow Kafka 4.3's ConnectorConfig (checked against its
// GET /connector-plugins/{plugin}/config answers in test/interop/connect-rest).
function commonDef(): ConfigDef {
  let order = 0;
  let errorOrder = 0;
  const version = (name: string, importance: "MEDIUM" | "LOW", width: "MEDIUM" | "SHORT", displayName: string, what: string) =>
    ({ name, type: "STRING", defaultValue: null, importance, documentation: `Version of the ${what} to use (KIP-891); the hub ships one version of each plugin, so only that version is accepted.`, group: COMMON_GROUP, orderInGroup: ++order, width, displayName }) as const;
  return new ConfigDef()
    .define({ name: "name", type: "STRING", validator: new NonEmptyStringWithoutControlChars(), importance: "HIGH", documentation: "Globally unique name of this connector.", group: COMMON_GROUP, orderInGroup: ++order, width: "MEDIUM", displayName: "Connector name" })
    .define({ name: "connector.class", type: "STRING", importance: "HIGH", documentation: "The connector plugin: its name, or the Java class name (or Kafka's short form, e.g. FileStreamSink) it stands in for.", group: COMMON_GROUP, orderInGroup: ++order, width: "LONG", displayName: "Connector class" })
    .define(version("connector.plugin.version", "MEDIUM", "MEDIUM", "Connector version", "connector"))
    .define({ name: "tasks.max", type: "INT", defaultValue: 1, validator: Range.atLeast(1), importance: "HIGH", documentation: "Maximum number of tasks to use for this connector.", group: COMMON_GROUP, orderInGroup: ++order, width: "SHORT", displayName: "Tasks max" })
    .define({ name: "tasks.max.enforce", type: "BOOLEAN", defaultValue: true, importance: "LOW", documentation: "(Deprecated) Fail the connector when it generates more tasks than tasks.max.", group: COMMON_GROUP, orderInGroup: ++order, width: "SHORT", displayName: "Enforce tasks max" })
    .define({ name: "key.converter", type: "CLASS", defaultValue: null, importance: "LOW", documentation: "Converter for record keys; the worker's key.converter when unset.", group: COMMON_GROUP, orderInGroup: ++order, width: "SHORT", displayName: "Key converter class" })
    .define(version("key.converter.plugin.version", "LOW", "SHORT", "Key converter version", "key converter"))
    .define({ name: "value.converter", type: "CLASS", defaultValue: null, importance: "LOW", documentation: "Converter for record values; the worker's value.converter when unset.", group: COMMON_GROUP, orderInGroup: ++order, width: "SHORT", displayName: "Value converter class" })
    .define(version("value.converter.plugin.version", "LOW", "SHORT", "Value converter version", "value converter"))
    .define({ name: "header.converter", type: "CLASS", defaultValue: null, importance: "LOW", documentation: "Converter for header values; the worker's header.converter when unset.", group: COMMON_GROUP, orderInGroup: ++order, width: "SHORT", displayName: "Header converter class" })
    .define(version("header.converter.plugin.version", "LOW", "SHORT", "Header converter version", "header converter"))
    .define({ name: "transforms", type: "LIST", defaultValue: "", validator: uniqueAliases("transformation"), importance: "LOW", documentation: "Aliases of the transformations applied to records, in order.", group: TRANSFORMS_GROUP, orderInGroup: ++order, width: "LONG", displayName: "Transforms" })
    .define({ name: "predicates", type: "LIST", defaultValue: "", validator: uniqueAliases("predicate"), importance: "LOW", documentation: "Aliases of the predicates transformations may use.", group: PREDICATES_GROUP, orderInGroup: ++order, width: "LONG", displayName: "Predicates" })
    .define({ name: "config.action.reload", type: "STRING", defaultValue: "restart", validator: ValidString.in("none", "restart"), importance: "LOW", documentation: "What to do when config providers change a value: none or restart.", group: COMMON_GROUP, orderInGroup: ++order, width: "MEDIUM", displayName: "Reload Action" })
    .define({ name: "errors.retry.timeout", type: "LONG", defaultValue: 0, importance: "MEDIUM", documentation: "How long (ms) a failed operation is retried; 0: never, -1: forever.", group: ERROR_GROUP, orderInGroup: ++errorOrder, width: "MEDIUM", displayName: "Retry Timeout for Errors" })
    .define({ name: "errors.retry.delay.max.ms", type: "LONG", defaultValue: 60000, importance: "MEDIUM", documentation: "Longest wait (ms) between retries.", group: ERROR_GROUP, orderInGroup: ++errorOrder, width: "MEDIUM", displayName: "Maximum Delay Between Retries for Errors" })
    .define({ name: "errors.tolerance", type: "STRING", defaultValue: "none", validator: ValidString.in("none", "all"), importance: "MEDIUM", documentation: "none: an error fails the task; all: problem records are skipped (and sent to the dead letter queue when one is set).", group: ERROR_GROUP, orderInGroup: ++errorOrder, width: "SHORT", displayName: "Error Tolerance" })
    .define({ name: "errors.log.enable", type: "BOOLEAN", defaultValue: false, importance: "MEDIUM", documentation: "Log each error with the failed operation and record.", group: ERROR_GROUP, orderInGroup: ++errorOrder, width: "SHORT", displayName: "Log Errors" })
    .define({ name: "errors.log.include.messages", type: "BOOLEAN", defaultValue: false, importance: "MEDIUM", documentation: "Include the record's key, value and headers in error logs.", group: ERROR_GROUP, orderInGroup: errorOrder + 1, width: "SHORT", displayName: "Log Error Details" });
}

const dlqKeys = (def: ConfigDef, firstOrder: number, internal: boolean): ConfigDef => {
  return def
    .define({ name: "errors.deadletterqueue.topic.name", type: "STRING", defaultValue: "", importance: "MEDIUM", documentation: "Topic records that failed are sent to (errors.tolerance=all); empty: none.", group: ERROR_GROUP, orderInGroup: firstOrder, width: "MEDIUM", displayName: "Dead Letter Queue Topic Name", internal })
    .define({ name: "errors.deadletterqueue.topic.replication.factor", type: "SHORT", defaultValue: 3, importance: "MEDIUM", documentation: "Replication factor of the dead letter queue topic when it is created.", group: ERROR_GROUP, orderInGroup: firstOrder + 1, width: "MEDIUM", displayName: "Dead Letter Queue Topic Replication Factor", internal })
    .define({ name: "errors.deadletterqueue.context.headers.enable", type: "BOOLEAN", defaultValue: false, importance: "MEDIUM", documentation: "Add __connect.errors.* headers with the error's context to dead letter queue records.", group: ERROR_GROUP, orderInGroup: firstOrder + 2, width: "MEDIUM", displayName: "Enable Error Context Headers", internal });
};

function sinkDef(): ConfigDef {
  const def = commonDef()
    // Kafka gives both keys order 4 in the Common group.
    .define({ name: "topics", type: "LIST", defaultValue: "", importance: "HIGH", documentation: "Topics to consume (this or topics.regex).", group: COMMON_GROUP, orderInGroup: 4, width: "LONG", displayName: "Topics" })
    .define({ name: "topics.regex", type: "STRING", defaultValue: "", importance: "HIGH", documentation: "A regular expression of the topics to consume (this or topics).", group: COMMON_GROUP, orderInGroup: 4, width: "LONG", displayName: "Topics regex" });
  return dlqKeys(def, 6, false);
}

function sourceDef(): ConfigDef {
  const def = commonDef()
    .define({ name: "topic.creation.groups", type: "LIST", defaultValue: "", importance: "LOW", documentation: "Groups of topic.creation.<group>.* settings for topics this connector creates.", group: TOPIC_CREATION_GROUP, orderInGroup: 1, width: "LONG", displayName: "Topic Creation Groups" })
    .define({ name: "exactly.once.support", type: "STRING", defaultValue: "requested", validator: ValidString.in("requested", "required"), importance: "MEDIUM", documentation: "Whether the connector must support exactly-once delivery (hub: exactly-once source is not supported; 'required' fails).", group: "Exactly Once Support", orderInGroup: 2, width: "SHORT", displayName: "Exactly once support" })
    .define({ name: "transaction.boundary", type: "STRING", defaultValue: "poll", validator: ValidString.in("poll", "interval", "connector"), importance: "MEDIUM", documentation: "Transaction boundaries (exactly-once source; not supported by the hub).", group: "Exactly Once Support", orderInGroup: 3, width: "SHORT", displayName: "Transaction Boundary" })
    .define({ name: "transaction.boundary.interval.ms", type: "LONG", defaultValue: null, importance: "LOW", documentation: "Transaction length with transaction.boundary=interval (exactly-once source; not supported by the hub).", group: "Exactly Once Support", orderInGroup: 4, width: "SHORT", displayName: "Transaction boundary interval" })
    .define({ name: "offsets.storage.topic", type: "STRING", defaultValue: null, importance: "LOW", documentation: "A separate offsets topic for this connector (KIP-618).", group: "offsets.topic", orderInGroup: 1, width: "LONG", displayName: "Offsets topic" });
  // hub extension: a dead letter queue for source records that fail in a transformation or a
  // converter. Kafka Connect has no such keys for sources, so they stay out of the listings
  // (internal) to keep GET .../config and /config/validate identical to Kafka's.
  return dlqKeys(def, 6, true);
}

const SOURCE_DEF = sourceDef();
const SINK_DEF = sinkDef();
const COMMON_DEF = commonDef();

/** The base definition for a connector of this kind (common keys only when the kind is unknown). */
export function connectorConfigDef(kind: "source" | "sink" | "unknown"): ConfigDef {
  return kind === "source" ? SOURCE_DEF : kind === "sink" ? SINK_DEF : COMMON_DEF;
}

/** The connector plugin a config names, or undefined (unknown or missing class). */
export function connectorKind(registry: PluginRegistry, props: Readonly<Record<string, string>>): "source" | "sink" | "unknown" {
  const className = props["connector.class"];
  const descriptor = className === undefined ? undefined : registry.find(["source", "sink"], className);
  return descriptor?.kind ?? "unknown";
}

function copyDef(base: ConfigDef): ConfigDef {
  const def = new ConfigDef();
  for (const key of base.configKeys().values()) def.define(key);
  return def;
}

const IMPORTANCE_RANK: Record<string, number> = { HIGH: 0, MEDIUM: 1, LOW: 2 };

/**
 * A ConfigDef's keys in Kafka's ConfigDef.sortedConfigs() order, the order embed() adds them in:
 * keys without a group first, then by group, by order in the group, required before optional,
 * by importance, and by name.
 */
function kafkaSortedKeys(def: ConfigDef): ConfigKey[] {
  const groups = def.groups();
  const groupRank = (k: ConfigKey): number => (k.group === null ? -1 : groups.indexOf(k.group));
  return [...def.configKeys().values()].sort(
    (a, b) =>
      groupRank(a) - groupRank(b) ||
      a.orderInGroup - b.orderInGroup ||
      Number(a.hasDefault()) - Number(b.hasDefault()) ||
      (IMPORTANCE_RANK[a.importance] ?? 3) - (IMPORTANCE_RANK[b.importance] ?? 3) ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
}

/**
 * The keys an alias of this plugin gets under its prefix: the plugin's own, plus, for a
 * transformation, `predicate` and `negate` (every transformation has them implicitly, as in
 * Kafka), sorted as Kafka embeds them.
 */
function aliasConfigDef(descriptor: AnyPluginDescriptor): ConfigDef {
  const def = copyDef(descriptor.configDef);
  if (descriptor.kind === "transformation") {
    if (!def.configKeys().has("predicate")) def.define({ name: "predicate", type: "STRING", defaultValue: null, importance: "MEDIUM", documentation: "The alias of a predicate used to determine whether to apply this transformation." });
    if (!def.configKeys().has("negate")) def.define({ name: "negate", type: "BOOLEAN", defaultValue: false, importance: "MEDIUM", documentation: "Whether the configured predicate should be negated." });
  }
  const sorted = new ConfigDef();
  for (const key of kafkaSortedKeys(def)) sorted.define(key);
  return sorted;
}

/** Recommends every plugin of a kind, by the class name REST lists it under. */
function pluginClassRecommender(registry: PluginRegistry, kind: PluginKind): Recommender {
  return {
    validValues: () => registry.list([kind]).map(displayClass).sort(),
    visible: () => true,
  };
}

/** Recommends the one version of a plugin (the hub ships one version of each). */
export function pluginVersionRecommender(version: string | null): Recommender {
  return { validValues: () => (version === null ? [] : [version]), visible: () => true };
}

/**
 * The base definition plus, for each alias in `transforms` and `predicates`, its `type` key
 * (recommending every plugin of its kind), its `plugin.version` key (KIP-891: defaults to and
 * recommends the plugin's version) and the plugin's own keys under the alias's prefix. With
 * requireFullConfig false (validation), aliases whose type is missing or unknown get only their
 * `type` and `plugin.version` keys, whose validation then reports the problem, instead of
 * throwing; so do aliases whose `plugin.version` is not a version their plugin satisfies.
 */
export function enrichConnectorConfigDef(registry: PluginRegistry, base: ConfigDef, props: Readonly<Record<string, string>>, requireFullConfig: boolean): ConfigDef {
  const def = copyDef(base);
  const aliasesOf = (key: string): string[] => {
    const raw = props[key];
    if (raw === undefined || raw.trim() === "") return [];
    return [...new Set(raw.split(",").map((a) => a.trim()).filter((a) => a !== ""))];
  };
  const addPlugins = (listKey: "transforms" | "predicates", kind: PluginKind, label: string, group: string): void => {
    for (const alias of aliasesOf(listKey)) {
      const prefix = `${listKey}.${alias}.`;
      const aliasGroup = `${group}: ${alias}`;
      const typeKey = `${prefix}type`;
      const versionKey = `${prefix}plugin.version`;
      const typeValidator = LambdaValidator.with(
        (name, value) => {
          if (value === null || value === undefined) return;
          if (!registry.find(kind, String(value))) throw new ConfigException(name, value, `Class ${String(value)} could not be found.`);
        },
        () => `A ${label} plugin`,
      );
      const className = props[typeKey];
      const descriptor = (className === undefined ? undefined : registry.find(kind, className)) as AnyPluginDescriptor | undefined;
      def.define(
        new ConfigKey({
          name: typeKey,
          type: "CLASS",
          validator: typeValidator,
          importance: "HIGH",
          documentation: `Class for the '${alias}' ${label.toLowerCase()}.`,
          group: aliasGroup,
          orderInGroup: 0,
          width: "LONG",
          displayName: `${label} type for ${alias}`,
          recommender: pluginClassRecommender(registry, kind),
        }),
      );
      def.define(
        new ConfigKey({
          name: versionKey,
          type: "STRING",
          defaultValue: descriptor?.version ?? null,
          importance: "HIGH",
          documentation: `Version of the '${alias}' ${label.toLowerCase()} (KIP-891).`,
          group: aliasGroup,
          orderInGroup: 1,
          width: "LONG",
          displayName: `${label} version for ${alias}`,
          recommender: pluginVersionRecommender(descriptor?.version ?? null),
        }),
      );
      if (!descriptor) {
        if (requireFullConfig) {
          if (className === undefined) throw new ConfigException(`Missing required configuration "${typeKey}" which has no default value.`);
          throw new ConfigException(typeKey, className, `Class ${className} could not be found.`);
        }
        continue;
      }
      // A version spec that does not parse or that the plugin does not satisfy: as Kafka, the
      // plugin cannot be loaded, so its keys are not added (validation reports the problem on
      // the type and version keys).
      const versionProblem = pluginVersionProblem(displayClass(descriptor), props[versionKey], descriptor.version);
      if (versionProblem !== null) {
        if (requireFullConfig) throw new ConfigException(versionProblem);
        continue;
      }
      def.embed(prefix, aliasGroup, 2, aliasConfigDef(descriptor));
    }
  };
  addPlugins("transforms", "transformation", "Transformation", TRANSFORMS_GROUP);
  addPlugins("predicates", "predicate", "Predicate", PREDICATES_GROUP);
  return def;
}

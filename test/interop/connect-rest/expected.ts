// What a Kafka Connect REST API answers, written once: every Connect target of the conformance
// suite (Apache Kafka Connect 4.3.1 and the hub's worker) must match these shapes. The values
// were measured on Kafka Connect 4.3.1 (distributed mode, JsonConverter) and are exact wherever
// they are deterministic: status codes, error codes and messages, states, config echoes, task
// ids, config definitions.
//
// Where a target may differ, the shape says so with a matcher, for these reasons only:
//  A. Versions: `version`/`commit` of GET /, and the plugin version in statuses, plugin lists,
//     `connector.plugin.version` and `*.plugin.version` (Kafka: 4.3.1; the hub: its own).
//  B. Text that comes out of Java internals and that no other implementation can reproduce:
//     Jackson's parse errors and Java NullPointerException texts (500, any message), the list of
//     Java PluginDesc objects after "available connectors are: ", the order of a Java HashMap in
//     "Connector config {...} contains no connector type", stack traces of failed tasks (they
//     must contain the error's message), and `task.class` in task configs (a class name).
//  C. Documentation of the runtime's own keys (name, tasks.max, errors.*...): any non-empty
//     text; the FileStream connectors' keys are compared exactly, docs included.
//  D. Plugin lists: Kafka's are pinned exactly on the kafka-connect target; the hub must list
//     the same entries, in the same order, and may add its own plugins (datagen, ...), as it may
//     add converter classes to `recommended_values`.
//  E. Loggers: GET /admin/loggers lists whatever loggers the worker has (Java classes on
//     Kafka): only the shape and the `root` entry are compared.
import type { ConnectTargetName } from "../../support/connect-targets.ts";
import { anyBoolean, anyInteger, anyString, arrayOf, checkedBy, containing, mismatches, nonEmptyString, oneOf, satisfies, type Shape, startsWith } from "./shape.ts";

/** (A) A plugin or worker version. */
export const VERSION = nonEmptyString;

export function errorBody(code: number, message: Shape): Shape {
  return { error_code: code, message };
}

/** (B) A 500 whose message is the JSON parser's (or Java's) own text. */
export const INTERNAL_ERROR = errorBody(500, nonEmptyString);

export const VALIDATE_HINT = "You can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`";

/** The 400 message of a connector config that fails validation. */
export function invalidConfig(...errors: string[]): string {
  return `Connector configuration is invalid and contains the following ${errors.length} error(s):\n${errors.join("\n")}\n${VALIDATE_HINT}`;
}

export const missing = (key: string): string => `Missing required configuration "${key}" which has no default value.`;

/** (B) "Connector config {name=x, topic=t} contains no connector type", entries in any order. */
export function noConnectorType(entries: Record<string, string>): Shape {
  const expected = Object.entries(entries)
    .map(([k, v]) => `${k}=${v}`)
    .sort();
  return satisfies(`"Connector config {${expected.join(", ")}} contains no connector type" (entries in any order)`, (v) => {
    const m = typeof v === "string" ? /^Connector config \{(.*)\} contains no connector type$/.exec(v) : null;
    return m !== null && JSON.stringify(m[1]!.split(", ").sort()) === JSON.stringify(expected);
  });
}

/** (B) The unknown connector class message, up to Kafka's Java list of plugins. */
export function unknownConnectorClass(className: string): Shape {
  return startsWith(`Failed to find any class that implements Connector and which name matches ${className}, available connectors are: `);
}

export const STATES = ["UNASSIGNED", "RUNNING", "PAUSED", "STOPPED", "FAILED", "RESTARTING"] as const;
export type State = (typeof STATES)[number];

export function taskStatus(id: number, state: State | Shape, workerId: string, trace?: Shape): Shape {
  return { id, state, worker_id: workerId, version: VERSION, ...(trace === undefined ? {} : { trace }) };
}

export function connectorStatus(name: string, type: "source" | "sink", state: State | Shape, workerId: string, tasks: Shape): Shape {
  return { name, connector: { state, worker_id: workerId, version: VERSION }, tasks, type };
}

export function connectorInfo(name: string, type: "source" | "sink", config: Record<string, string>, taskIds: readonly number[]): Shape {
  return { name, config: { ...config, name }, tasks: taskIds.map((task) => ({ connector: name, task })), type };
}

/** GET /connectors/{name}/tasks: each task's config is the connector's plus (B) task.class. */
export function taskInfos(name: string, config: Record<string, string>, taskIds: readonly number[]): Shape {
  return taskIds.map((task) => ({ id: { connector: name, task }, config: { ...config, name, "task.class": nonEmptyString } }));
}

export const ALTERED = { message: "The offsets for this connector have been altered successfully" };
export const RESET = { message: "The offsets for this connector have been reset successfully" };
export const NOT_STOPPED = (name: string): Shape =>
  errorBody(
    400,
    `Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/${name}/stop' endpoint`,
  );

// ---- plugins -------------------------------------------------------------------------------

type PluginType = "sink" | "source" | "transformation" | "predicate" | "converter" | "header_converter";
const PLUGIN_TYPE_ORDER: readonly PluginType[] = ["sink", "source", "transformation", "predicate", "converter", "header_converter"];

const T = "org.apache.kafka.connect.transforms.";
const C = "org.apache.kafka.connect.converters.";
const CONVERTERS = [`${C}BooleanConverter`, `${C}ByteArrayConverter`, `${C}DoubleConverter`, `${C}FloatConverter`, `${C}IntegerConverter`, `${C}LongConverter`, `${C}ShortConverter`, "org.apache.kafka.connect.json.JsonConverter", "org.apache.kafka.connect.storage.StringConverter"];

/** Kafka Connect 4.3.1's plugins with connect-file, connect-transforms and connect-json, in its order. */
export const KAFKA_PLUGINS: ReadonlyArray<{ class: string; type: PluginType }> = [
  { class: "org.apache.kafka.connect.file.FileStreamSinkConnector", type: "sink" },
  { class: "org.apache.kafka.connect.file.FileStreamSourceConnector", type: "source" },
  ...["Cast$Key", "Cast$Value", "DropHeaders", "ExtractField$Key", "ExtractField$Value", "Filter", "Flatten$Key", "Flatten$Value", "HeaderFrom$Key", "HeaderFrom$Value", "HoistField$Key", "HoistField$Value", "InsertField$Key", "InsertField$Value", "InsertHeader", "MaskField$Key", "MaskField$Value", "RegexRouter", "ReplaceField$Key", "ReplaceField$Value", "SetSchemaMetadata$Key", "SetSchemaMetadata$Value", "TimestampConverter$Key", "TimestampConverter$Value", "TimestampRouter", "ValueToKey"].map((n) => ({ class: `${T}${n}`, type: "transformation" as const })),
  ...["HasHeaderKey", "RecordIsTombstone", "TopicNameMatches"].map((n) => ({ class: `${T}predicates.${n}`, type: "predicate" as const })),
  ...CONVERTERS.map((c) => ({ class: c, type: "converter" as const })),
  ...[...CONVERTERS.slice(0, 8), "org.apache.kafka.connect.storage.SimpleHeaderConverter", CONVERTERS[8]!].map((c) => ({ class: c, type: "header_converter" as const })),
];

/**
 * (D) GET /connector-plugins: Kafka's entries exactly on kafka-connect; on the hub the same
 * entries plus its own. On both, entries come grouped by type (sink, source, transformation,
 * predicate, converter, header_converter) and sorted by class within a type.
 */
export function pluginList(target: ConnectTargetName, connectorsOnly: boolean): Shape {
  const required = KAFKA_PLUGINS.filter((p) => !connectorsOnly || p.type === "sink" || p.type === "source");
  const entry = { class: nonEmptyString, type: oneOf(...PLUGIN_TYPE_ORDER), version: VERSION };
  return checkedBy("the plugin list", (v) => {
    const shapeProblems = mismatches(v, arrayOf(entry));
    if (shapeProblems.length > 0) return shapeProblems;
    const list = v as Array<{ class: string; type: PluginType }>;
    const problems: string[] = [];
    for (let i = 1; i < list.length; i++) {
      const a = list[i - 1]!;
      const b = list[i]!;
      const order = PLUGIN_TYPE_ORDER.indexOf(a.type) - PLUGIN_TYPE_ORDER.indexOf(b.type) || (a.class < b.class ? -1 : a.class > b.class ? 1 : 0);
      if (order >= 0) problems.push(`not grouped by type and sorted by class: ${a.type} ${a.class} before ${b.type} ${b.class}`);
    }
    if (connectorsOnly) for (const p of list) if (p.type !== "sink" && p.type !== "source") problems.push(`not a connector: ${p.type} ${p.class}`);
    const keys = list.map((p) => `${p.type} ${p.class}`);
    const wanted = required.map((p) => `${p.type} ${p.class}`);
    for (const k of wanted) if (!keys.includes(k)) problems.push(`missing ${k}`);
    // (D) only the hub may list more plugins than Kafka's.
    if (target !== "hub") for (const k of keys) if (!wanted.includes(k)) problems.push(`unexpected ${k}`);
    return problems;
  });
}

/** One entry of GET /connector-plugins/{plugin}/config (and the `definition` of /config/validate). */
export const CONFIG_KEY_INFO: Shape = {
  name: nonEmptyString,
  type: oneOf("BOOLEAN", "STRING", "INT", "SHORT", "LONG", "DOUBLE", "LIST", "CLASS", "PASSWORD"),
  required: anyBoolean,
  default_value: oneOf(anyString, null),
  importance: oneOf("HIGH", "MEDIUM", "LOW"),
  documentation: oneOf(anyString, null),
  group: oneOf(anyString, null),
  order_in_group: anyInteger,
  width: oneOf("NONE", "SHORT", "MEDIUM", "LONG"),
  display_name: nonEmptyString,
  dependents: arrayOf(anyString),
};

type KeyRow = readonly [name: string, type: string, required: boolean, defaultValue: string | null | Shape, importance: string, group: string | null, order: number, width: string, displayName: string];

function keyInfo([name, type, required, defaultValue, importance, group, order, width, displayName]: KeyRow, documentation: Shape): Shape {
  return { name, type, required, default_value: defaultValue, importance, documentation, group, order_in_group: order, width, display_name: displayName, dependents: [] };
}

// The runtime's keys every connector has (Kafka's ConnectorConfig), before and after the
// source- or sink-specific ones. (C) their documentation is the runtime's own.
const COMMON_KEYS: readonly KeyRow[] = [
  ["name", "STRING", true, null, "HIGH", "Common", 1, "MEDIUM", "Connector name"],
  ["connector.class", "STRING", true, null, "HIGH", "Common", 2, "LONG", "Connector class"],
  ["connector.plugin.version", "STRING", false, VERSION, "MEDIUM", "Common", 3, "MEDIUM", "Connector version"],
  ["tasks.max", "INT", false, "1", "HIGH", "Common", 4, "SHORT", "Tasks max"],
  ["tasks.max.enforce", "BOOLEAN", false, "true", "LOW", "Common", 5, "SHORT", "Enforce tasks max"],
  ["key.converter", "CLASS", false, null, "LOW", "Common", 6, "SHORT", "Key converter class"],
  ["key.converter.plugin.version", "STRING", false, null, "LOW", "Common", 7, "SHORT", "Key converter version"],
  ["value.converter", "CLASS", false, null, "LOW", "Common", 8, "SHORT", "Value converter class"],
  ["value.converter.plugin.version", "STRING", false, null, "LOW", "Common", 9, "SHORT", "Value converter version"],
  ["header.converter", "CLASS", false, null, "LOW", "Common", 10, "SHORT", "Header converter class"],
  ["header.converter.plugin.version", "STRING", false, null, "LOW", "Common", 11, "SHORT", "Header converter version"],
  ["transforms", "LIST", false, "", "LOW", "Transforms", 12, "LONG", "Transforms"],
  ["predicates", "LIST", false, "", "LOW", "Predicates", 13, "LONG", "Predicates"],
  ["config.action.reload", "STRING", false, "restart", "LOW", "Common", 14, "MEDIUM", "Reload Action"],
  ["errors.retry.timeout", "LONG", false, "0", "MEDIUM", "Error Handling", 1, "MEDIUM", "Retry Timeout for Errors"],
  ["errors.retry.delay.max.ms", "LONG", false, "60000", "MEDIUM", "Error Handling", 2, "MEDIUM", "Maximum Delay Between Retries for Errors"],
  ["errors.tolerance", "STRING", false, "none", "MEDIUM", "Error Handling", 3, "SHORT", "Error Tolerance"],
  ["errors.log.enable", "BOOLEAN", false, "false", "MEDIUM", "Error Handling", 4, "SHORT", "Log Errors"],
  ["errors.log.include.messages", "BOOLEAN", false, "false", "MEDIUM", "Error Handling", 5, "SHORT", "Log Error Details"],
];
const SOURCE_KEYS: readonly KeyRow[] = [
  ["topic.creation.groups", "LIST", false, "", "LOW", "Topic Creation", 1, "LONG", "Topic Creation Groups"],
  ["exactly.once.support", "STRING", false, "requested", "MEDIUM", "Exactly Once Support", 2, "SHORT", "Exactly once support"],
  ["transaction.boundary", "STRING", false, "poll", "MEDIUM", "Exactly Once Support", 3, "SHORT", "Transaction Boundary"],
  ["transaction.boundary.interval.ms", "LONG", false, null, "LOW", "Exactly Once Support", 4, "SHORT", "Transaction boundary interval"],
  ["offsets.storage.topic", "STRING", false, null, "LOW", "offsets.topic", 1, "LONG", "Offsets topic"],
];
const SINK_KEYS: readonly KeyRow[] = [
  ["topics", "LIST", false, "", "HIGH", "Common", 4, "LONG", "Topics"],
  ["topics.regex", "STRING", false, "", "HIGH", "Common", 4, "LONG", "Topics regex"],
  ["errors.deadletterqueue.topic.name", "STRING", false, "", "MEDIUM", "Error Handling", 6, "MEDIUM", "Dead Letter Queue Topic Name"],
  ["errors.deadletterqueue.topic.replication.factor", "SHORT", false, "3", "MEDIUM", "Error Handling", 7, "MEDIUM", "Dead Letter Queue Topic Replication Factor"],
  ["errors.deadletterqueue.context.headers.enable", "BOOLEAN", false, "false", "MEDIUM", "Error Handling", 8, "MEDIUM", "Enable Error Context Headers"],
];

const FILE_KEY_SOURCE = keyInfo(["file", "STRING", false, null, "HIGH", null, -1, "NONE", "file"], "Source filename. If not specified, the standard input will be used");
const FILE_KEY_SINK = keyInfo(["file", "STRING", false, null, "HIGH", null, -1, "NONE", "file"], "Destination filename. If not specified, the standard output will be used");

/** GET /connector-plugins/FileStreamSource/config: the connector's keys, then the runtime's. */
export const FILE_SOURCE_CONFIG_DEF: Shape = [
  FILE_KEY_SOURCE,
  keyInfo(["topic", "STRING", true, null, "HIGH", null, -1, "NONE", "topic"], "The topic to publish data to"),
  keyInfo(["batch.size", "INT", false, "2000", "LOW", null, -1, "NONE", "batch.size"], "The maximum number of records the source task can read from the file each time it is polled"),
  ...[...COMMON_KEYS, ...SOURCE_KEYS].map((row) => keyInfo(row, nonEmptyString)),
];

export const FILE_SINK_CONFIG_DEF: Shape = [FILE_KEY_SINK, ...[...COMMON_KEYS, ...SINK_KEYS].map((row) => keyInfo(row, nonEmptyString))];

export const REGEX_ROUTER_CONFIG_DEF: Shape = [
  keyInfo(["regex", "STRING", true, null, "HIGH", null, -1, "NONE", "regex"], "Regular expression to use for matching."),
  keyInfo(["replacement", "STRING", true, null, "HIGH", null, -1, "NONE", "replacement"], "Replacement string."),
];

/** One `value` of /config/validate. */
export function configValue(name: string, value: Shape, errors: readonly string[] = [], recommended: Shape = []): Shape {
  return { name, value, recommended_values: recommended, errors: [...errors], visible: true };
}

/** (D) recommended_values of transforms.<alias>.type and predicates.<alias>.type: Kafka's classes, maybe more. */
export const TRANSFORMATION_RECOMMENDATIONS = containing(...KAFKA_PLUGINS.filter((p) => p.type === "transformation").map((p) => p.class));
export const PREDICATE_RECOMMENDATIONS = containing(...KAFKA_PLUGINS.filter((p) => p.type === "predicate").map((p) => p.class));

/** (D) recommended_values of a converter key: Kafka's converter classes, maybe more. */
export const CONVERTER_RECOMMENDATIONS = containing(...CONVERTERS);
export const HEADER_CONVERTER_RECOMMENDATIONS = containing(...CONVERTERS, "org.apache.kafka.connect.storage.SimpleHeaderConverter");

/** The validate `value`s of the runtime's keys with the defaults of a worker using JsonConverter. */
export function commonConfigValues(config: { name: Shape; connectorClass: string; transforms?: string; predicates?: string; nameErrors?: string[] }): Shape[] {
  return [
    configValue("name", config.name, config.nameErrors ?? []),
    configValue("connector.class", config.connectorClass),
    configValue("connector.plugin.version", VERSION, [], [VERSION]),
    configValue("tasks.max", "1"),
    configValue("tasks.max.enforce", "true"),
    configValue("key.converter", "org.apache.kafka.connect.json.JsonConverter", [], CONVERTER_RECOMMENDATIONS),
    configValue("key.converter.plugin.version", VERSION, [], [VERSION]),
    configValue("value.converter", "org.apache.kafka.connect.json.JsonConverter", [], CONVERTER_RECOMMENDATIONS),
    configValue("value.converter.plugin.version", VERSION, [], [VERSION]),
    configValue("header.converter", "org.apache.kafka.connect.storage.SimpleHeaderConverter", [], HEADER_CONVERTER_RECOMMENDATIONS),
    configValue("header.converter.plugin.version", VERSION, [], [VERSION]),
    configValue("transforms", config.transforms ?? ""),
    configValue("predicates", config.predicates ?? ""),
    configValue("config.action.reload", "restart"),
    configValue("errors.retry.timeout", "0"),
    configValue("errors.retry.delay.max.ms", "60000"),
    configValue("errors.tolerance", "none"),
    configValue("errors.log.enable", "false"),
    configValue("errors.log.include.messages", "false"),
  ];
}

export const SOURCE_CONFIG_VALUES: Shape[] = [
  configValue("topic.creation.groups", ""),
  configValue("exactly.once.support", "requested"),
  configValue("transaction.boundary", "poll"),
  configValue("transaction.boundary.interval.ms", null),
  configValue("offsets.storage.topic", null),
];

/** A /config/validate entry: its definition's shape and the exact value. */
export function validated(value: Shape): Shape {
  return { definition: CONFIG_KEY_INFO, value };
}

export const LOGGER_LEVEL: Shape = { level: oneOf("OFF", "FATAL", "ERROR", "WARN", "INFO", "DEBUG", "TRACE"), last_modified: oneOf(anyInteger, null) };

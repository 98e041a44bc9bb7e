// The broker's typed configuration, read from server.properties (plus --override) with
// Kafka's names. Unknown keys are reported, not fatal, as Kafka does (KRaft-only keys such as
// process.roles or controller.quorum.voters are accepted and ignored by a single node).
import { join } from "node:path";
import { parseListeners, type Listener } from "../../lib/listeners.ts";
import type { Properties } from "../../lib/properties.ts";
import { BROKER_CONFIG_BY_NAME, InvalidConfigError, TOPIC_CONFIG_BY_NAME, validateConfigValue } from "./definitions.ts";

export interface BrokerConfig {
  nodeId: number;
  listener: Listener;
  /** Host and port given to clients in Metadata responses. */
  advertised: { host: string; port: number };
  logDirs: string[];
  numPartitions: number;
  defaultReplicationFactor: number;
  autoCreateTopics: boolean;
  messageMaxBytes: number;
  socketRequestMaxBytes: number;
  offsetsTopicNumPartitions: number;
  groupInitialRebalanceDelayMs: number;
  groupMinSessionTimeoutMs: number;
  groupMaxSessionTimeoutMs: number;
  groupMaxSize: number;
  offsetMetadataMaxBytes: number;
  deleteTopicEnable: boolean;
  /** hub.metrics.listener: where GET /metrics is served; null when 'none'. */
  metricsListener: { host: string; port: number } | null;
  /** hub.durable.acks.all: acks=all produce (and offset commits) answered after fsync. */
  durableAcksAll: boolean;
  /** log.flush.scheduler.interval.ms (Infinity: Kafka's Long.MAX_VALUE default). */
  flushSchedulerIntervalMs: number;
  /** log.flush.offset.checkpoint.interval.ms. */
  flushOffsetCheckpointIntervalMs: number;
  /** Every broker-level setting given (validated), for topic defaults and DescribeConfigs. */
  overrides: ReadonlyMap<string, string>;
  /** Keys that are neither broker nor topic configs we know. */
  unknownKeys: string[];
}

const IGNORED_KRAFT_KEYS = new Set([
  "process.roles", "controller.quorum.voters", "controller.quorum.bootstrap.servers", "controller.listener.names",
  "inter.broker.listener.name", "listener.security.protocol.map", "num.network.threads", "num.io.threads",
  "socket.send.buffer.bytes", "socket.receive.buffer.bytes", "num.recovery.threads.per.data.dir",
  "transaction.state.log.replication.factor", "transaction.state.log.min.isr", "share.coordinator.state.topic.replication.factor",
  "share.coordinator.state.topic.min.isr", "broker.id", "log.retention.hours", "log.roll.hours", "log.dir",
]);

export function readBrokerConfig(props: Properties, dataDir: string): BrokerConfig {
  const overrides = new Map<string, string>();
  const unknownKeys: string[] = [];
  for (const [key, value] of props) {
    const def = BROKER_CONFIG_BY_NAME.get(key);
    if (def) {
      validateConfigValue(def, value);
      overrides.set(key, value);
    } else if (!IGNORED_KRAFT_KEYS.has(key) && !TOPIC_CONFIG_BY_NAME.has(key)) unknownKeys.push(key);
  }
  // Kafka's hour-based spellings, when the millisecond keys are not given.
  const hoursToMs = (hoursKey: string, msKey: string): void => {
    const hours = props.get(hoursKey);
    if (hours !== undefined && !overrides.has(msKey)) overrides.set(msKey, String(Number(hours) * 3_600_000));
  };
  hoursToMs("log.retention.hours", "log.retention.ms");
  hoursToMs("log.roll.hours", "log.roll.ms");

  const get = (key: string): string => {
    const value = overrides.get(key) ?? BROKER_CONFIG_BY_NAME.get(key)?.default;
    if (value === undefined || value === null) throw new InvalidConfigError(`${key} has no value`);
    return value;
  };
  const int = (key: string): number => Number(get(key));
  // Kafka's Long.MAX_VALUE means "never".
  const long = (key: string): number => {
    const n = Number(get(key));
    return n >= Number.MAX_SAFE_INTEGER ? Infinity : n;
  };
  const bool = (key: string): boolean => get(key) === "true";

  const [listener] = parseListeners(get("listeners"), "listeners");
  if (!listener) throw new InvalidConfigError("listeners is empty");
  const advertisedValue = overrides.get("advertised.listeners");
  const advertisedListener = advertisedValue ? parseListeners(advertisedValue, "advertised.listeners")[0] : undefined;
  const advertised = advertisedListener ?? listener;
  const logDirsValue = overrides.get("log.dirs") ?? props.get("log.dir");

  const nodeId = Number(props.get("node.id") ?? props.get("broker.id") ?? "1");
  if (!Number.isInteger(nodeId) || nodeId < 0) throw new InvalidConfigError(`Invalid value ${props.get("node.id")} for configuration node.id`);
  const replication = int("default.replication.factor");
  if (replication !== 1) throw new InvalidConfigError("default.replication.factor must be 1: the hub's broker is a single node");

  return {
    nodeId,
    listener,
    // Clients cannot connect to 0.0.0.0: advertise loopback for a wildcard listener.
    advertised: { host: advertised.host === "0.0.0.0" ? "127.0.0.1" : advertised.host, port: advertised.port },
    logDirs: logDirsValue ? logDirsValue.split(",").map((d) => d.trim()).filter(Boolean) : [join(dataDir, "broker")],
    numPartitions: int("num.partitions"),
    defaultReplicationFactor: replication,
    autoCreateTopics: bool("auto.create.topics.enable"),
    messageMaxBytes: int("message.max.bytes"),
    socketRequestMaxBytes: int("socket.request.max.bytes"),
    offsetsTopicNumPartitions: int("offsets.topic.num.partitions"),
    groupInitialRebalanceDelayMs: int("group.initial.rebalance.delay.ms"),
    groupMinSessionTimeoutMs: int("group.min.session.timeout.ms"),
    groupMaxSessionTimeoutMs: int("group.max.session.timeout.ms"),
    groupMaxSize: int("group.max.size"),
    offsetMetadataMaxBytes: int("offset.metadata.max.bytes"),
    deleteTopicEnable: bool("delete.topic.enable"),
    metricsListener: parseMetricsListener(get("hub.metrics.listener")),
    durableAcksAll: bool("hub.durable.acks.all"),
    flushSchedulerIntervalMs: long("log.flush.scheduler.interval.ms"),
    flushOffsetCheckpointIntervalMs: int("log.flush.offset.checkpoint.interval.ms"),
    overrides,
    unknownKeys,
  };
}

function parseMetricsListener(value: string): { host: string; port: number } | null {
  if (value.trim() === "none") return null;
  const [listener, ...more] = parseListeners(value, "hub.metrics.listener");
  if (!listener || more.length > 0 || listener.scheme !== "http") {
    throw new InvalidConfigError(`Invalid value ${value} for configuration hub.metrics.listener: expected one http://host:port, or none`);
  }
  return { host: listener.host, port: listener.port };
}

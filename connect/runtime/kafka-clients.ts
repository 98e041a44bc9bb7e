// The Kafka clients of connector tasks, configured as Kafka Connect configures its Java clients
// (Worker.baseProducerConfigs / baseConsumerConfigs / adminConfigs):
//   producer  Connect's defaults (acks=all, one request in flight, client.id
//             connector-producer-<connector>-<task>), then the worker's `producer.*`, then the
//             connector's `producer.override.*`;
//   consumer  group.id connect-<connector>, auto commit off, auto.offset.reset=earliest, client.id
//             connector-consumer-<connector>-<task>, then `consumer.*`, then `consumer.override.*`;
//   admin     the worker's un-prefixed settings, then `admin.*`, then `admin.override.*`.
// The connector overrides are subject to connector.client.config.override.policy (All, None,
// Principal). The Java client keys are then mapped onto kafkajs options where kafkajs has an
// equivalent (producers, admin clients), or onto the sink consumer's (connect/runtime/consumer);
// see the notes below for the ones that are read by the runtime itself.
import { CompressionTypes, Kafka, logLevel, Partitioners, type KafkaConfig, type LogEntry, type ProducerConfig, type SASLOptions } from "kafkajs";
import type { ConnectionOptions } from "node:tls";
import { ConfigException, ConnectException } from "../api/index.ts";
import type { KafkaClusterClientOptions, SaslOptions } from "../../lib/kafka-client/index.ts";
import {
  type ClientSecurity,
  ClientPropertyError,
  saslOptions as libSaslOptions,
  securityOptions as libSecurityOptions,
  sslOptions as libSslOptions,
} from "../../lib/kafka-client/security-properties.ts";
import type { Logger } from "../../lib/logger.ts";
import type { GroupConsumerOptions } from "./consumer/group-consumer.ts";
import { assignorsFor } from "./consumer/partition-assignors.ts";
import type { WorkerConfig } from "./worker-config.ts";
import { registerKafkajsCodecs } from "./kafkajs-codecs.ts";

export type ClientProps = Record<string, string>;
export type ClientRole = "producer" | "consumer" | "admin";

/** Kafka's PrincipalConnectorClientConfigOverridePolicy: what "Principal" lets connectors override. */
const PRINCIPAL_KEYS = new Set(["sasl.jaas.config", "sasl.mechanism", "security.protocol"]);

/** The connector's `<role>.override.*` settings, checked against the worker's override policy. */
export function connectorClientOverrides(worker: WorkerConfig, role: ClientRole, connectorProps: Readonly<Record<string, string>>): ClientProps {
  const prefix = `${role}.override.`;
  const overrides: ClientProps = {};
  for (const [k, v] of Object.entries(connectorProps)) if (k.startsWith(prefix)) overrides[k.slice(prefix.length)] = v;
  const policy = String(worker.getString("connector.client.config.override.policy") ?? "All");
  const rejected = Object.keys(overrides).filter((k) => (policy === "None" ? true : policy === "Principal" ? !PRINCIPAL_KEYS.has(k) : false));
  if (policy !== "All" && policy !== "None" && policy !== "Principal") {
    throw new ConfigException("connector.client.config.override.policy", policy, "hub supports the All, None and Principal policies");
  }
  if (rejected.length > 0) {
    throw new ConnectException(`Client Config Overrides not allowed: the '${policy}' policy does not allow '${rejected.map((k) => prefix + k).join(", ")}' to be overridden in the connector configuration.`);
  }
  return overrides;
}

function strings(obj: Record<string, unknown>): ClientProps {
  const out: ClientProps = {};
  for (const [k, v] of Object.entries(obj)) if (v !== null && v !== undefined) out[k] = typeof v === "string" ? v : Array.isArray(v) ? v.join(",") : String(v);
  return out;
}

function bootstrap(worker: WorkerConfig): string {
  return (worker.getList("bootstrap.servers") ?? []).join(",");
}

export interface TaskClientIds {
  connector: string;
  task: number;
}

export function producerProps(worker: WorkerConfig, id: TaskClientIds, connectorProps: Readonly<Record<string, string>>, clientIdPrefix = "connector-producer-"): ClientProps {
  return {
    "bootstrap.servers": bootstrap(worker),
    "delivery.timeout.ms": String(2147483647),
    acks: "all",
    "max.in.flight.requests.per.connection": "1",
    "client.id": `${clientIdPrefix}${id.connector}-${id.task}`,
    ...worker.clientOverrides("producer."),
    ...connectorClientOverrides(worker, "producer", connectorProps),
  };
}

export function consumerProps(worker: WorkerConfig, id: TaskClientIds, connectorProps: Readonly<Record<string, string>>): ClientProps {
  return {
    "group.id": `connect-${id.connector}`,
    "client.id": `connector-consumer-${id.connector}-${id.task}`,
    "bootstrap.servers": bootstrap(worker),
    "enable.auto.commit": "false",
    "auto.offset.reset": "earliest",
    ...worker.clientOverrides("consumer."),
    ...connectorClientOverrides(worker, "consumer", connectorProps),
  };
}

export function adminProps(worker: WorkerConfig, id: TaskClientIds, connectorProps: Readonly<Record<string, string>>, clientIdPrefix = "connector-adminclient-"): ClientProps {
  const unprefixed: ClientProps = {};
  for (const [k, v] of Object.entries(strings(worker.originals()))) {
    if (!k.startsWith("admin.") && !k.startsWith("producer.") && !k.startsWith("consumer.")) unprefixed[k] = v;
  }
  return {
    "bootstrap.servers": bootstrap(worker),
    "client.id": `${clientIdPrefix}${id.connector}-${id.task}`,
    ...unprefixed,
    ...worker.clientOverrides("admin."),
    ...connectorClientOverrides(worker, "admin", connectorProps),
  };
}

const intOf = (props: ClientProps, key: string, fallback: number): number => {
  const raw = props[key];
  if (raw === undefined || raw.trim() === "") return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new ConfigException(key, raw, "Not a number");
  return n;
};

export type { ClientSecurity };

/** Runs a lib/kafka-client property mapping, reporting a bad key as Kafka's ConfigException. */
function asConfigException<T>(map: () => T): T {
  try {
    return map();
  } catch (e) {
    if (e instanceof ClientPropertyError) throw new ConfigException(e.key, e.value, e.reason);
    throw e;
  }
}

/** The node:tls options of the ssl.* keys (for SSL and SASL_SSL); kafkajs and lib/kafka-client take them as they are. */
export const sslOptions = (props: ClientProps): ConnectionOptions => asConfigException(() => libSslOptions(props));
/** The SASL credentials of sasl.mechanism and sasl.jaas.config. */
export const saslOptions = (props: ClientProps): SaslOptions => asConfigException(() => libSaslOptions(props));
/** What security.protocol asks for: TLS options (SSL, SASL_SSL) and SASL credentials (SASL_*). */
export const securityOptions = (props: ClientProps): ClientSecurity => asConfigException(() => libSecurityOptions(props));

function kafkajsSasl({ mechanism, username, password }: SaslOptions): SASLOptions {
  switch (mechanism) {
    case "PLAIN":
      return { mechanism: "plain", username, password };
    case "SCRAM-SHA-256":
      return { mechanism: "scram-sha-256", username, password };
    case "SCRAM-SHA-512":
      return { mechanism: "scram-sha-512", username, password };
  }
}

function kafkajsLogCreator(logger: Logger) {
  // kafkajs is chatty at INFO (every join, every start): one level down keeps the worker's log
  // about connectors and tasks.
  return () =>
    ({ level, log }: LogEntry): void => {
      const { message, ...fields } = log;
      const entry = { kafkajs: fields.namespace ?? undefined, ...fields };
      if (level === logLevel.ERROR) logger.warn(entry, message);
      else if (level === logLevel.WARN) logger.info(entry, message);
      else if (level === logLevel.INFO) logger.debug(entry, message);
      else logger.trace(entry, message);
    };
}

function kafkajsLevel(logger: Logger): logLevel {
  switch (logger.level) {
    case "trace":
      return logLevel.DEBUG;
    case "debug":
      return logLevel.INFO;
    case "info":
      return logLevel.WARN;
    case "silent":
      return logLevel.NOTHING;
    default:
      return logLevel.ERROR;
  }
}

/** A kafkajs client for these Java-style settings. */
export function kafkaClient(props: ClientProps, logger: Logger): Kafka {
  registerKafkajsCodecs();
  const { tls, sasl } = securityOptions(props);
  const config: KafkaConfig = {
    brokers: (props["bootstrap.servers"] ?? "localhost:9092")
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== ""),
    clientId: props["client.id"] || "hub-connect",
    connectionTimeout: intOf(props, "socket.connection.setup.timeout.ms", 10000),
    requestTimeout: intOf(props, "request.timeout.ms", 30000),
    retry: { initialRetryTime: intOf(props, "retry.backoff.ms", 100), maxRetryTime: intOf(props, "retry.backoff.max.ms", 1000), retries: 5 },
    logLevel: kafkajsLevel(logger),
    logCreator: kafkajsLogCreator(logger),
  };
  if (tls) config.ssl = tls;
  if (sasl) config.sasl = kafkajsSasl(sasl);
  return new Kafka(config);
}

export interface ProducerSettings {
  config: ProducerConfig;
  /** Produce acks: -1 (all), 1 or 0. */
  acks: number;
  /** The broker's wait for acks (request.timeout.ms, as the Java producer sends it). */
  timeoutMs: number;
  compression: CompressionTypes;
  /** max.request.size: the runtime splits its sends below it. */
  maxRequestBytes: number;
  /** buffer.memory: bytes of unacknowledged records before a source task stops polling. */
  bufferMemory: number;
  /** batch.size: bytes a record without key stays on one partition before it moves on (sticky partitioning). */
  batchSize: number;
  /** metadata.max.age.ms: how long a topic's partition count is trusted before it is looked up again. */
  metadataMaxAgeMs: number;
  /** allow.auto.create.topics: whether asking about a missing topic may create it. */
  allowAutoTopicCreation: boolean;
}

function acksOf(raw: string | undefined): number {
  switch ((raw ?? "all").trim().toLowerCase()) {
    case "all":
    case "-1":
      return -1;
    case "1":
      return 1;
    case "0":
      return 0;
    default:
      throw new ConfigException("acks", raw, 'String must be one of: all, -1, 0, 1');
  }
}

function compressionOf(raw: string | undefined): CompressionTypes {
  switch ((raw ?? "none").trim().toLowerCase()) {
    case "none":
      return CompressionTypes.None;
    case "gzip":
      return CompressionTypes.GZIP;
    case "snappy":
      return CompressionTypes.Snappy;
    case "lz4":
      return CompressionTypes.LZ4;
    case "zstd":
      return CompressionTypes.ZSTD;
    default:
      throw new ConfigException("compression.type", raw, "String must be one of: none, gzip, snappy, lz4, zstd");
  }
}

/**
 * Producer settings: for the source tasks' producer (lib/kafka-client's PartitionProducer, the
 * runtime choosing partitions itself, see tasks/record-partitioner.ts) and, through `config`,
 * for the kafkajs producers of dead letter queues.
 */
export function producerSettings(props: ClientProps): ProducerSettings {
  const config: ProducerConfig = {
    allowAutoTopicCreation: props["allow.auto.create.topics"] !== "false",
    idempotent: props["enable.idempotence"] === "true" && props["transactional.id"] === undefined,
    maxInFlightRequests: intOf(props, "max.in.flight.requests.per.connection", 1),
    createPartitioner: Partitioners.DefaultPartitioner,
  };
  const settings: ProducerSettings = {
    config,
    acks: acksOf(props.acks),
    timeoutMs: intOf(props, "request.timeout.ms", 30000),
    compression: compressionOf(props["compression.type"]),
    maxRequestBytes: intOf(props, "max.request.size", 1048576),
    bufferMemory: intOf(props, "buffer.memory", 33554432),
    batchSize: Math.max(1, intOf(props, "batch.size", 16384)),
    metadataMaxAgeMs: intOf(props, "metadata.max.age.ms", 300000),
    allowAutoTopicCreation: config.allowAutoTopicCreation !== false,
  };
  if (config.idempotent && settings.acks !== -1) config.idempotent = false;
  return settings;
}

/**
 * Options of the project's Kafka client (lib/kafka-client) for these Java-style settings: the
 * sink tasks' consumer, the source tasks' producer and the worker's own client use it. TLS and
 * SASL as security.protocol says (securityOptions).
 */
export function clusterClientOptions(props: ClientProps): Omit<KafkaClusterClientOptions, "logger"> {
  return {
    ...securityOptions(props),
    bootstrapServers: (props["bootstrap.servers"] ?? "localhost:9092")
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== ""),
    clientId: props["client.id"] || "hub-connect",
    requestTimeoutMs: intOf(props, "request.timeout.ms", 30000),
    connectTimeoutMs: intOf(props, "socket.connection.setup.timeout.ms", 10000),
  };
}

export interface ConsumerSettings {
  groupId: string;
  fromBeginning: boolean;
  /** max.poll.records: the most records handed to one put(). */
  maxPollRecords: number;
  /** fetch.max.wait.ms: the longest a poll waits for records. */
  fetchMaxWaitMs: number;
  /** default.api.timeout.ms: how long commits made on a rebalance or at shutdown may take. */
  defaultApiTimeoutMs: number;
  /** The Kafka client the consumer runs on (lib/kafka-client). */
  client: Omit<KafkaClusterClientOptions, "logger">;
  /** The group consumer's settings, but for its client, subscription, listener and logger. */
  group: Omit<GroupConsumerOptions, "client" | "subscription" | "listener" | "logger">;
}

/**
 * Consumer settings for a sink task's GroupConsumer (connect/runtime/consumer), which runs on
 * the project's Kafka client rather than kafkajs: kafkajs' consumer kept using a group
 * coordinator that had died and lost its membership over it.
 */
export function consumerSettings(props: ClientProps): ConsumerSettings {
  const reset = (props["auto.offset.reset"] ?? "earliest").toLowerCase();
  if (reset !== "earliest" && reset !== "latest") {
    throw new ConfigException("auto.offset.reset", reset, "hub supports earliest and latest");
  }
  const isolation = (props["isolation.level"] ?? "read_uncommitted").toLowerCase();
  if (isolation !== "read_uncommitted") throw new ConfigException("isolation.level", isolation, "the sink tasks' consumer reads read_uncommitted only");
  const groupId = props["group.id"] ?? "";
  const retryBackoffMs = intOf(props, "retry.backoff.ms", 100);
  return {
    groupId,
    fromBeginning: reset === "earliest",
    maxPollRecords: Math.max(1, intOf(props, "max.poll.records", 500)),
    fetchMaxWaitMs: Math.max(0, intOf(props, "fetch.max.wait.ms", 500)),
    defaultApiTimeoutMs: intOf(props, "default.api.timeout.ms", 60000),
    client: clusterClientOptions(props),
    group: {
      groupId,
      groupInstanceId: props["group.instance.id"] || null,
      assignors: assignorsFor(props["partition.assignment.strategy"]),
      sessionTimeoutMs: intOf(props, "session.timeout.ms", 45000),
      heartbeatIntervalMs: intOf(props, "heartbeat.interval.ms", 3000),
      // The Java consumer sends max.poll.interval.ms as the group's rebalance timeout.
      rebalanceTimeoutMs: intOf(props, "max.poll.interval.ms", 300000),
      autoOffsetReset: reset,
      allowAutoTopicCreation: props["allow.auto.create.topics"] !== "false",
      excludeInternalTopics: props["exclude.internal.topics"] !== "false",
      metadataMaxAgeMs: intOf(props, "metadata.max.age.ms", 300000),
      fetchMaxBytes: intOf(props, "fetch.max.bytes", 52428800),
      partitionMaxBytes: intOf(props, "max.partition.fetch.bytes", 1048576),
      retryBackoffMs,
      retryBackoffMaxMs: Math.max(retryBackoffMs, intOf(props, "retry.backoff.max.ms", 1000)),
      rackId: props["client.rack"] || null,
    },
  };
}

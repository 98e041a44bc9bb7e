// The settings a partition log obeys, under Kafka's names: each field maps to a topic config
// key (`segment.bytes`) and the broker-wide default behind it (`log.segment.bytes`). Topic
// overrides are stored as Kafka stores them, strings by key; resolveLogConfig() turns the
// broker defaults plus a topic's overrides into the typed LogConfig a PartitionLog reads.
// Issue 3 uses the segment/index/size settings; the retention, flush and cleaner fields are
// here so that issue 4 plugs in without changing the shape.
import { ErrorCode, KafkaError } from "../protocol/generated/errors.ts";

export type CleanupPolicy = "delete" | "compact" | "compact,delete";
export type TimestampType = "CreateTime" | "LogAppendTime";

export interface LogConfig {
  /** segment.bytes: roll to a new segment before one would grow past this. */
  segmentBytes: number;
  /** segment.ms: roll once a segment's records span this long (by batch timestamps). */
  segmentMs: number;
  /** segment.index.bytes: an index this big is full and forces a roll. */
  segmentIndexBytes: number;
  /** index.interval.bytes: one offset (and time) index entry per this many log bytes. */
  indexIntervalBytes: number;
  /** max.message.bytes: the largest record batch accepted. */
  maxMessageBytes: number;
  /** message.timestamp.type: LogAppendTime makes the broker stamp batches on append. */
  messageTimestampType: TimestampType;
  /** retention.ms (-1: keep forever). Issue 4. */
  retentionMs: number;
  /** retention.bytes per partition (-1: no limit). Issue 4. */
  retentionBytes: number;
  /** cleanup.policy. Issue 4. */
  cleanupPolicy: CleanupPolicy;
  /** flush.messages: fsync after this many messages (Infinity: leave it to the OS). Issue 4. */
  flushMessages: number;
  /** flush.ms: fsync when the oldest unflushed message is this old (Infinity: never). Issue 4. */
  flushMs: number;
  /** delete.retention.ms: how long tombstones survive compaction. Issue 4. */
  deleteRetentionMs: number;
  /** min.cleanable.dirty.ratio. Issue 4. */
  minCleanableDirtyRatio: number;
  /** min.compaction.lag.ms. Issue 4. */
  minCompactionLagMs: number;
  /** max.compaction.lag.ms (Infinity: none). Issue 4. */
  maxCompactionLagMs: number;
  /** file.delete.delay.ms: how long a deleted segment's files wait, renamed `.deleted`, before they go. */
  fileDeleteDelayMs: number;
}

/** Kafka's Long.MAX_VALUE, which Kafka uses for "never"; we hold it as Infinity. */
export const KAFKA_LONG_MAX = "9223372036854775807";

export const DEFAULT_LOG_CONFIG: Readonly<LogConfig> = Object.freeze({
  segmentBytes: 1024 * 1024 * 1024,
  segmentMs: 7 * 24 * 60 * 60 * 1000,
  segmentIndexBytes: 10 * 1024 * 1024,
  indexIntervalBytes: 4096,
  maxMessageBytes: 1048588,
  messageTimestampType: "CreateTime",
  retentionMs: 7 * 24 * 60 * 60 * 1000,
  retentionBytes: -1,
  cleanupPolicy: "delete",
  flushMessages: Infinity,
  flushMs: Infinity,
  deleteRetentionMs: 24 * 60 * 60 * 1000,
  minCleanableDirtyRatio: 0.5,
  minCompactionLagMs: 0,
  maxCompactionLagMs: Infinity,
  fileDeleteDelayMs: 60_000,
});

type Parser = (key: string, value: string) => LogConfig[keyof LogConfig];

function invalid(key: string, value: string, why: string): never {
  throw new KafkaError(ErrorCode.INVALID_CONFIG, `Invalid value ${value} for configuration ${key}: ${why}`);
}

function long(min: number, max = Infinity): Parser {
  return (key, value) => {
    const text = value.trim();
    if (!/^-?\d+$/.test(text) || BigInt(text) > BigInt(KAFKA_LONG_MAX) || BigInt(text) < -BigInt(KAFKA_LONG_MAX) - 1n) invalid(key, value, "not a number");
    const n = Number(text);
    if (n < min) invalid(key, value, `Value must be at least ${min}`);
    if (n > max) invalid(key, value, `Value must be no more than ${max}`);
    // Kafka's Long.MAX_VALUE means "never": keep it as Infinity rather than a rounded double.
    return n >= Number.MAX_SAFE_INTEGER ? Infinity : n;
  };
}

function ratio(key: string, value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0 || n > 1) invalid(key, value, "Value must be between 0 and 1");
  return n;
}

function oneOf(...allowed: Array<CleanupPolicy | TimestampType>): Parser {
  return (key, value) => {
    const v = value.trim();
    // cleanup.policy is a list: "compact,delete" and "delete,compact" mean the same.
    const normalized = v.includes(",") ? v.split(",").map((s) => s.trim()).sort().join(",") : v;
    const match = allowed.find((a) => a === normalized);
    if (match === undefined) invalid(key, value, `String must be one of: ${allowed.join(", ")}`);
    return match;
  };
}

const INT_MAX = 2147483647;

/** Topic config key → LogConfig field, the broker default's key, and how to parse it. */
export const LOG_CONFIG_KEYS: ReadonlyArray<{ key: string; brokerKey: string; field: keyof LogConfig; parse: Parser }> = [
  { key: "segment.bytes", brokerKey: "log.segment.bytes", field: "segmentBytes", parse: long(14, INT_MAX) },
  { key: "segment.ms", brokerKey: "log.roll.ms", field: "segmentMs", parse: long(1) },
  { key: "segment.index.bytes", brokerKey: "log.index.size.max.bytes", field: "segmentIndexBytes", parse: long(4, INT_MAX) },
  { key: "index.interval.bytes", brokerKey: "log.index.interval.bytes", field: "indexIntervalBytes", parse: long(0, INT_MAX) },
  { key: "max.message.bytes", brokerKey: "message.max.bytes", field: "maxMessageBytes", parse: long(0, INT_MAX) },
  { key: "message.timestamp.type", brokerKey: "log.message.timestamp.type", field: "messageTimestampType", parse: oneOf("CreateTime", "LogAppendTime") },
  { key: "retention.ms", brokerKey: "log.retention.ms", field: "retentionMs", parse: long(-1) },
  { key: "retention.bytes", brokerKey: "log.retention.bytes", field: "retentionBytes", parse: long(-1) },
  { key: "cleanup.policy", brokerKey: "log.cleanup.policy", field: "cleanupPolicy", parse: oneOf("delete", "compact", "compact,delete") },
  { key: "flush.messages", brokerKey: "log.flush.interval.messages", field: "flushMessages", parse: long(1) },
  { key: "flush.ms", brokerKey: "log.flush.interval.ms", field: "flushMs", parse: long(0) },
  { key: "delete.retention.ms", brokerKey: "log.cleaner.delete.retention.ms", field: "deleteRetentionMs", parse: long(0) },
  { key: "min.cleanable.dirty.ratio", brokerKey: "log.cleaner.min.cleanable.ratio", field: "minCleanableDirtyRatio", parse: ratio },
  { key: "min.compaction.lag.ms", brokerKey: "log.cleaner.min.compaction.lag.ms", field: "minCompactionLagMs", parse: long(0) },
  { key: "max.compaction.lag.ms", brokerKey: "log.cleaner.max.compaction.lag.ms", field: "maxCompactionLagMs", parse: long(1) },
  { key: "file.delete.delay.ms", brokerKey: "log.segment.delete.delay.ms", field: "fileDeleteDelayMs", parse: long(0) },
];

/** Whether the cleaner compacts the topic (cleanup.policy compact or compact,delete). */
export function isCompacted(config: Readonly<LogConfig>): boolean {
  return config.cleanupPolicy !== "delete";
}

/** Whether retention deletes old segments (cleanup.policy delete or compact,delete). */
export function isDeleted(config: Readonly<LogConfig>): boolean {
  return config.cleanupPolicy !== "compact";
}

/**
 * The age at which the active segment rolls: segment.ms, or max.compaction.lag.ms when that is
 * shorter on a compacted topic, since the cleaner never touches the active segment (Kafka's
 * LogConfig.maxSegmentMs).
 */
export function maxSegmentMs(config: Readonly<LogConfig>): number {
  return isCompacted(config) && config.maxCompactionLagMs > 0 ? Math.min(config.segmentMs, config.maxCompactionLagMs) : config.segmentMs;
}

const byKey = new Map(LOG_CONFIG_KEYS.map((k) => [k.key, k]));

/**
 * The effective config of a topic: the broker defaults with the topic's overrides applied.
 * Keys that do not concern the log are ignored here (they are still stored with the topic).
 * Throws KafkaError(INVALID_CONFIG) naming the key for a value that does not parse.
 */
export function resolveLogConfig(defaults: Readonly<LogConfig>, overrides: Readonly<Record<string, string>>): LogConfig {
  const config: LogConfig = { ...defaults };
  for (const [key, value] of Object.entries(overrides)) {
    const spec = byKey.get(key);
    if (spec) (config as unknown as Record<string, unknown>)[spec.field] = spec.parse(key, value);
  }
  return config;
}

/**
 * Broker-wide defaults from server.properties-style settings (`log.segment.bytes`, ...), with
 * Kafka's coarser fallbacks (`log.roll.hours`, `log.retention.minutes`/`hours`).
 */
export function logConfigFromBrokerProperties(props: ReadonlyMap<string, string>, base: Readonly<LogConfig> = DEFAULT_LOG_CONFIG): LogConfig {
  const config: LogConfig = { ...base };
  const set = (field: keyof LogConfig, key: string, value: string, parse: Parser) => {
    (config as unknown as Record<string, unknown>)[field] = parse(key, value);
  };
  const hours = props.get("log.roll.hours");
  if (hours !== undefined) config.segmentMs = (long(1)("log.roll.hours", hours) as number) * 3600_000;
  const retH = props.get("log.retention.hours");
  if (retH !== undefined) config.retentionMs = (long(-1)("log.retention.hours", retH) as number) * 3600_000;
  const retM = props.get("log.retention.minutes");
  if (retM !== undefined) config.retentionMs = (long(-1)("log.retention.minutes", retM) as number) * 60_000;
  for (const spec of LOG_CONFIG_KEYS) {
    const value = props.get(spec.brokerKey);
    if (value !== undefined) set(spec.field, spec.brokerKey, value, spec.parse);
  }
  // Kafka: log.flush.interval.ms unset takes the value of log.flush.scheduler.interval.ms.
  const flushScheduler = props.get("log.flush.scheduler.interval.ms");
  if (flushScheduler !== undefined && props.get("log.flush.interval.ms") === undefined) config.flushMs = long(0)("log.flush.scheduler.interval.ms", flushScheduler) as number;
  if (config.retentionMs < 0) config.retentionMs = -1;
  return config;
}

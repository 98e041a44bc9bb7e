// Broker and topic configuration: Kafka's names, types and defaults, so DescribeConfigs
// answers as Apache Kafka does and users' server.properties keep their meaning. A topic
// config without an override takes its broker synonym's value (e.g. segment.bytes from
// log.segment.bytes), which takes its own default.

/** DescribeConfigs configType codes (KIP-569). */
export const ConfigType = { BOOLEAN: 1, STRING: 2, INT: 3, SHORT: 4, LONG: 5, DOUBLE: 6, LIST: 7, CLASS: 8, PASSWORD: 9 } as const;
export type ConfigTypeName = keyof typeof ConfigType;

export interface ConfigDefinition {
  name: string;
  type: ConfigTypeName;
  /** Default as Kafka prints it in DescribeConfigs; null for none. */
  default: string | null;
  doc: string;
  /** Allowed values, for enumerated STRING/LIST configs. */
  validValues?: readonly string[];
  /** Minimum for numeric configs. */
  min?: number;
}

export interface TopicConfigDefinition extends ConfigDefinition {
  /** The broker config that supplies the default, checked before `default`. */
  brokerSynonym?: string;
}

const LONG_MAX = "9223372036854775807";

export const BROKER_CONFIGS: readonly ConfigDefinition[] = [
  { name: "node.id", type: "INT", default: "1", doc: "The id of this broker in the cluster metadata it reports (broker.id is accepted too)." },
  { name: "listeners", type: "LIST", default: "PLAINTEXT://127.0.0.1:9092", doc: "Addresses the broker listens on, NAME://host:port." },
  { name: "advertised.listeners", type: "LIST", default: null, doc: "Addresses given to clients in metadata, when different from listeners." },
  { name: "log.dirs", type: "LIST", default: null, doc: "Directories holding the partition logs (default: <data-dir>/broker)." },
  { name: "num.partitions", type: "INT", default: "1", min: 1, doc: "Partitions of an auto-created topic, and of CreateTopics requests that leave the count to the broker." },
  { name: "default.replication.factor", type: "INT", default: "1", min: 1, doc: "Replication factor of auto-created topics. A single-node broker accepts only 1." },
  { name: "auto.create.topics.enable", type: "BOOLEAN", default: "true", doc: "Create a topic when a client asks for its metadata or produces to it." },
  { name: "message.max.bytes", type: "INT", default: "1048588", min: 0, doc: "Largest record batch the broker accepts (the topic's max.message.bytes overrides it)." },
  { name: "socket.request.max.bytes", type: "INT", default: "104857600", min: 1, doc: "Largest request frame; a larger one closes the connection." },
  { name: "log.segment.bytes", type: "INT", default: "1073741824", min: 14, doc: "Size at which a log segment is rolled." },
  { name: "log.roll.ms", type: "LONG", default: null, doc: "Age at which a log segment is rolled (unset: log.roll.hours = 168)." },
  { name: "log.roll.jitter.ms", type: "LONG", default: null, doc: "Random jitter subtracted from log.roll.ms (unset: log.roll.jitter.hours = 0)." },
  { name: "log.retention.ms", type: "LONG", default: null, doc: "How long records are kept (unset: log.retention.hours = 168); -1 keeps them forever." },
  { name: "log.retention.bytes", type: "LONG", default: "-1", doc: "Size a partition may reach before old segments are deleted; -1 for no limit." },
  { name: "log.cleanup.policy", type: "LIST", default: "delete", validValues: ["delete", "compact"], doc: "Default cleanup policy of topics." },
  { name: "log.index.size.max.bytes", type: "INT", default: "10485760", min: 4, doc: "Size of a segment's offset index; a full index rolls the segment." },
  { name: "log.segment.delete.delay.ms", type: "LONG", default: "60000", min: 0, doc: "Delay before a deleted segment's file is removed." },
  { name: "log.index.interval.bytes", type: "INT", default: "4096", min: 0, doc: "Bytes of log between two offset index entries." },
  { name: "log.flush.interval.messages", type: "LONG", default: LONG_MAX, min: 1, doc: "Records appended to a partition before it is fsynced." },
  { name: "log.flush.interval.ms", type: "LONG", default: null, doc: "Time a record may stay unsynced (defaults to log.flush.scheduler.interval.ms)." },
  { name: "log.flush.scheduler.interval.ms", type: "LONG", default: LONG_MAX, min: 1, doc: "How often the flusher checks whether a log is due for an fsync by flush.ms (unset: every second, for the topics that set flush.ms)." },
  { name: "log.flush.offset.checkpoint.interval.ms", type: "INT", default: "60000", min: 0, doc: "How often the recovery points (the fsynced part of each log) are written to disk; after an OS crash, only what lies past them is checked." },
  { name: "hub.durable.acks.all", type: "BOOLEAN", default: "false", doc: "Durable mode: a produce with acks=all (and an offset commit) is answered only once its data is fsynced; concurrent producers share fsyncs (group commit)." },
  { name: "log.message.timestamp.type", type: "STRING", default: "CreateTime", validValues: ["CreateTime", "LogAppendTime"], doc: "Which timestamp records carry." },
  { name: "log.message.timestamp.before.max.ms", type: "LONG", default: LONG_MAX, min: 0, doc: "How far in the past a record's CreateTime may be." },
  { name: "log.message.timestamp.after.max.ms", type: "LONG", default: "3600000", min: 0, doc: "How far in the future a record's CreateTime may be." },
  { name: "log.cleaner.delete.retention.ms", type: "LONG", default: "86400000", doc: "How long tombstones are kept in compacted topics." },
  { name: "log.cleaner.min.cleanable.ratio", type: "DOUBLE", default: "0.5", doc: "Dirty ratio above which a compacted log is cleaned." },
  { name: "log.cleaner.min.compaction.lag.ms", type: "LONG", default: "0", doc: "Minimum age of a record before it can be compacted." },
  { name: "log.cleaner.max.compaction.lag.ms", type: "LONG", default: LONG_MAX, doc: "Maximum time a record stays uncompacted." },
  { name: "log.retention.check.interval.ms", type: "LONG", default: "300000", min: 1, doc: "How often retention is enforced." },
  { name: "log.cleaner.enable", type: "BOOLEAN", default: "true", doc: "Whether the log cleaner compacts topics with cleanup.policy=compact." },
  { name: "log.cleaner.threads", type: "INT", default: "1", min: 0, doc: "Cleaner threads (the hub cleans with one worker thread; the dedupe buffer is divided by this, as Kafka does)." },
  { name: "log.cleaner.dedupe.buffer.size", type: "LONG", default: "134217728", doc: "Memory for the cleaner's key → offset map (24 bytes a key)." },
  { name: "log.cleaner.io.buffer.size", type: "INT", default: "524288", min: 0, doc: "Read and write buffer size of the cleaner." },
  { name: "log.cleaner.io.buffer.load.factor", type: "DOUBLE", default: "0.9", doc: "How full the cleaner's key map may get." },
  { name: "log.cleaner.backoff.ms", type: "LONG", default: "15000", min: 0, doc: "Sleep of the cleaner when no log needs cleaning." },
  { name: "compression.type", type: "STRING", default: "producer", validValues: ["uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"], doc: "Compression of stored batches; 'producer' keeps what the producer sent." },
  { name: "min.insync.replicas", type: "INT", default: "1", min: 1, doc: "Replicas that must acknowledge acks=all writes. A single-node broker has one." },
  { name: "unclean.leader.election.enable", type: "BOOLEAN", default: "false", doc: "No effect on a single node." },
  { name: "offsets.topic.num.partitions", type: "INT", default: "50", min: 1, doc: "Partitions of the __consumer_offsets topic (fixed once created)." },
  { name: "offsets.topic.replication.factor", type: "SHORT", default: "1", min: 1, doc: "Replication factor of __consumer_offsets; a single-node broker uses 1." },
  { name: "offsets.retention.minutes", type: "INT", default: "10080", min: 1, doc: "How long committed offsets of an empty group are kept." },
  { name: "offset.metadata.max.bytes", type: "INT", default: "4096", doc: "Largest metadata string of an offset commit." },
  { name: "group.initial.rebalance.delay.ms", type: "INT", default: "3000", doc: "Wait for more members before the first rebalance of an empty group." },
  { name: "group.min.session.timeout.ms", type: "INT", default: "6000", doc: "Smallest session timeout a member may ask for." },
  { name: "group.max.session.timeout.ms", type: "INT", default: "1800000", doc: "Largest session timeout a member may ask for." },
  { name: "group.max.size", type: "INT", default: "2147483647", min: 1, doc: "Most members a group may have." },
  { name: "delete.topic.enable", type: "BOOLEAN", default: "true", doc: "Whether DeleteTopics is allowed." },
  { name: "hub.metrics.listener", type: "STRING", default: "http://127.0.0.1:9404", doc: "Where the Prometheus metrics are served (GET /metrics), as http://host:port; 'none' turns the endpoint off." },
];

export const TOPIC_CONFIGS: readonly TopicConfigDefinition[] = [
  { name: "cleanup.policy", type: "LIST", default: "delete", brokerSynonym: "log.cleanup.policy", validValues: ["delete", "compact"], doc: "delete: drop old segments by retention; compact: keep the latest record of each key." },
  { name: "compression.type", type: "STRING", default: "producer", brokerSynonym: "compression.type", validValues: ["uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"], doc: "Compression of stored batches." },
  { name: "delete.retention.ms", type: "LONG", default: "86400000", brokerSynonym: "log.cleaner.delete.retention.ms", doc: "How long tombstones are kept in a compacted topic." },
  { name: "file.delete.delay.ms", type: "LONG", default: "60000", brokerSynonym: "log.segment.delete.delay.ms", doc: "Delay before a deleted segment's file is removed." },
  { name: "flush.messages", type: "LONG", default: LONG_MAX, brokerSynonym: "log.flush.interval.messages", doc: "Records appended before an fsync." },
  { name: "flush.ms", type: "LONG", default: LONG_MAX, brokerSynonym: "log.flush.interval.ms", doc: "Time before an fsync." },
  { name: "index.interval.bytes", type: "INT", default: "4096", brokerSynonym: "log.index.interval.bytes", doc: "Bytes of log between offset index entries." },
  { name: "max.compaction.lag.ms", type: "LONG", default: LONG_MAX, brokerSynonym: "log.cleaner.max.compaction.lag.ms", doc: "Maximum time a record stays uncompacted." },
  { name: "max.message.bytes", type: "INT", default: "1048588", brokerSynonym: "message.max.bytes", doc: "Largest record batch accepted." },
  { name: "message.timestamp.type", type: "STRING", default: "CreateTime", brokerSynonym: "log.message.timestamp.type", validValues: ["CreateTime", "LogAppendTime"], doc: "Which timestamp records carry." },
  { name: "min.cleanable.dirty.ratio", type: "DOUBLE", default: "0.5", brokerSynonym: "log.cleaner.min.cleanable.ratio", doc: "Dirty ratio above which the log is compacted." },
  { name: "min.compaction.lag.ms", type: "LONG", default: "0", brokerSynonym: "log.cleaner.min.compaction.lag.ms", doc: "Minimum age of a record before compaction." },
  { name: "min.insync.replicas", type: "INT", default: "1", brokerSynonym: "min.insync.replicas", doc: "Replicas that must acknowledge acks=all writes." },
  { name: "retention.bytes", type: "LONG", default: "-1", brokerSynonym: "log.retention.bytes", doc: "Partition size above which old segments are deleted." },
  { name: "retention.ms", type: "LONG", default: "604800000", brokerSynonym: "log.retention.ms", doc: "How long records are kept; -1 forever." },
  { name: "segment.bytes", type: "INT", default: "1073741824", brokerSynonym: "log.segment.bytes", doc: "Size at which a segment is rolled." },
  { name: "segment.index.bytes", type: "INT", default: "10485760", brokerSynonym: "log.index.size.max.bytes", doc: "Size of a segment's offset index." },
  { name: "segment.jitter.ms", type: "LONG", default: "0", brokerSynonym: "log.roll.jitter.ms", doc: "Random jitter subtracted from segment.ms." },
  { name: "segment.ms", type: "LONG", default: "604800000", brokerSynonym: "log.roll.ms", doc: "Age at which a segment is rolled." },
  { name: "unclean.leader.election.enable", type: "BOOLEAN", default: "false", brokerSynonym: "unclean.leader.election.enable", doc: "No effect on a single node." },
  { name: "message.timestamp.before.max.ms", type: "LONG", default: LONG_MAX, brokerSynonym: "log.message.timestamp.before.max.ms", doc: "How far in the past a record's CreateTime may be." },
  { name: "message.timestamp.after.max.ms", type: "LONG", default: "3600000", brokerSynonym: "log.message.timestamp.after.max.ms", doc: "How far in the future a record's CreateTime may be." },
];

export const TOPIC_CONFIG_BY_NAME: ReadonlyMap<string, TopicConfigDefinition> = new Map(TOPIC_CONFIGS.map((d) => [d.name, d]));
export const BROKER_CONFIG_BY_NAME: ReadonlyMap<string, ConfigDefinition> = new Map(BROKER_CONFIGS.map((d) => [d.name, d]));

export class InvalidConfigError extends Error {
  override name = "InvalidConfigError";
}

/** Checks one value against its definition; throws InvalidConfigError naming the key. */
export function validateConfigValue(def: ConfigDefinition, value: string): void {
  const fail = (why: string): never => {
    throw new InvalidConfigError(`Invalid value ${value} for configuration ${def.name}: ${why}`);
  };
  switch (def.type) {
    case "BOOLEAN":
      if (value !== "true" && value !== "false") fail("Expected value to be either true or false");
      break;
    case "INT":
    case "SHORT":
    case "LONG": {
      if (!/^-?\d+$/.test(value.trim())) fail("Not a number of type " + def.type);
      const n = BigInt(value.trim());
      const limit = def.type === "INT" ? 2n ** 31n : def.type === "SHORT" ? 2n ** 15n : 2n ** 63n;
      if (n < -limit || n >= limit) fail(`Out of range for type ${def.type}`);
      if (def.min !== undefined && n < BigInt(def.min)) fail(`Value must be at least ${def.min}`);
      break;
    }
    case "DOUBLE":
      if (value.trim() === "" || Number.isNaN(Number(value))) fail("Not a number of type DOUBLE");
      break;
    case "LIST":
      if (def.validValues) {
        for (const item of value.split(",").map((s) => s.trim())) {
          if (!def.validValues.includes(item)) fail(`String must be one of: ${def.validValues.join(", ")}`);
        }
      }
      break;
    default:
      if (def.validValues && !def.validValues.includes(value)) fail(`String must be one of: ${def.validValues.join(", ")}`);
  }
}

// The worker's configuration (Kafka's WorkerConfig, StandaloneConfig, DistributedConfig): the
// keys of connect-standalone.properties / connect-distributed.properties, with Kafka's names
// and defaults. Client settings for the worker's Kafka clients come through the `producer.`,
// `consumer.` and `admin.` prefixes (see clientOverrides()).
import { AbstractConfig, ConfigDef, type ConfigProps, Range, ValidString } from "../api/index.ts";

const common = (def: ConfigDef): ConfigDef =>
  def
    .define({ name: "bootstrap.servers", type: "LIST", defaultValue: "localhost:9092", importance: "HIGH", documentation: "host:port pairs of the Kafka cluster the worker uses." })
    .define({ name: "key.converter", type: "CLASS", importance: "HIGH", documentation: "Converter for record keys (connectors may override it)." })
    .define({ name: "value.converter", type: "CLASS", importance: "HIGH", documentation: "Converter for record values (connectors may override it)." })
    .define({ name: "header.converter", type: "CLASS", defaultValue: "org.apache.kafka.connect.storage.SimpleHeaderConverter", importance: "LOW", documentation: "Converter for record headers." })
    .define({ name: "task.shutdown.graceful.timeout.ms", type: "LONG", defaultValue: 5000, importance: "LOW", documentation: "How long to wait for tasks to stop gracefully." })
    .define({ name: "offset.flush.interval.ms", type: "LONG", defaultValue: 60000, importance: "LOW", documentation: "How often source offsets are committed." })
    .define({ name: "offset.flush.timeout.ms", type: "LONG", defaultValue: 5000, importance: "LOW", documentation: "How long an offset commit may wait for outstanding records to be acknowledged." })
    .define({ name: "listeners", type: "LIST", defaultValue: "http://:8083", importance: "LOW", documentation: "Where the REST API listens." })
    .define({ name: "rest.advertised.host.name", type: "STRING", defaultValue: null, importance: "LOW", documentation: "Host name other workers use to reach this one." })
    .define({ name: "rest.advertised.port", type: "INT", defaultValue: null, importance: "LOW", documentation: "Port other workers use to reach this one." })
    .define({ name: "rest.advertised.listener", type: "STRING", defaultValue: null, importance: "LOW", documentation: "Scheme other workers use to reach this one." })
    .define({ name: "plugin.path", type: "LIST", defaultValue: null, importance: "LOW", documentation: "Folders or npm packages holding plugins (see connect/runtime/plugins)." })
    .define({ name: "topic.creation.enable", type: "BOOLEAN", defaultValue: true, importance: "LOW", documentation: "Let source connectors create topics with topic.creation.* settings." })
    .define({ name: "connector.client.config.override.policy", type: "STRING", defaultValue: "All", importance: "MEDIUM", documentation: "Which client configs connectors may override (All, None, Principal)." })
    .define({ name: "client.id", type: "STRING", defaultValue: "", importance: "LOW", documentation: "Client id prefix for the worker's Kafka clients." })
    .define({ name: "metrics.listener", type: "STRING", defaultValue: null, importance: "LOW", documentation: "hub: address of the Prometheus endpoint (none when unset)." });

export const STANDALONE_CONFIG_DEF: ConfigDef = common(new ConfigDef()).define({
  name: "offset.storage.file.filename",
  type: "STRING",
  importance: "HIGH",
  documentation: "The file source connector offsets are kept in.",
});

export const DISTRIBUTED_CONFIG_DEF: ConfigDef = common(new ConfigDef())
  .define({ name: "group.id", type: "STRING", importance: "HIGH", documentation: "The Connect cluster this worker belongs to (a Kafka group)." })
  .define({ name: "session.timeout.ms", type: "INT", defaultValue: 10000, importance: "HIGH", documentation: "Worker failure detection timeout." })
  .define({ name: "heartbeat.interval.ms", type: "INT", defaultValue: 3000, importance: "HIGH", documentation: "Heartbeat interval to the group coordinator." })
  .define({ name: "rebalance.timeout.ms", type: "INT", defaultValue: 60000, importance: "HIGH", documentation: "How long workers have to rejoin during a rebalance." })
  .define({ name: "worker.sync.timeout.ms", type: "INT", defaultValue: 3000, importance: "MEDIUM", documentation: "How long to wait to catch up with the config topic." })
  .define({ name: "worker.unsync.backoff.ms", type: "INT", defaultValue: 300000, importance: "MEDIUM", documentation: "Backoff before rejoining after failing to catch up." })
  .define({ name: "scheduled.rebalance.max.delay.ms", type: "INT", defaultValue: 300000, validator: Range.atLeast(0), importance: "LOW", documentation: "How long a departed worker's connectors and tasks wait for it before being reassigned." })
  .define({ name: "connect.protocol", type: "STRING", defaultValue: "sessioned", validator: ValidString.in("eager", "compatible", "sessioned"), importance: "LOW", documentation: "Group sub-protocol." })
  .define({ name: "config.storage.topic", type: "STRING", importance: "HIGH", documentation: "Compacted topic of connector configs." })
  .define({ name: "config.storage.replication.factor", type: "SHORT", defaultValue: 3, importance: "LOW", documentation: "Replication factor of the config topic (-1: broker default)." })
  .define({ name: "offset.storage.topic", type: "STRING", importance: "HIGH", documentation: "Compacted topic of source offsets." })
  .define({ name: "offset.storage.partitions", type: "INT", defaultValue: 25, importance: "LOW", documentation: "Partitions of the offset topic." })
  .define({ name: "offset.storage.replication.factor", type: "SHORT", defaultValue: 3, importance: "LOW", documentation: "Replication factor of the offset topic (-1: broker default)." })
  .define({ name: "status.storage.topic", type: "STRING", importance: "HIGH", documentation: "Compacted topic of connector and task status." })
  .define({ name: "status.storage.partitions", type: "INT", defaultValue: 5, importance: "LOW", documentation: "Partitions of the status topic." })
  .define({ name: "status.storage.replication.factor", type: "SHORT", defaultValue: 3, importance: "LOW", documentation: "Replication factor of the status topic (-1: broker default)." });

export class WorkerConfig extends AbstractConfig {
  readonly distributed: boolean;

  constructor(props: ConfigProps, distributed: boolean) {
    super(distributed ? DISTRIBUTED_CONFIG_DEF : STANDALONE_CONFIG_DEF, props);
    this.distributed = distributed;
  }

  /** Settings given with a prefix (`producer.`, `consumer.`, `admin.`), prefix removed. */
  clientOverrides(prefix: "producer." | "consumer." | "admin."): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(this.originalsWithPrefix(prefix))) out[key] = String(value);
    return out;
  }
}

// The registry's log and election on Kafka, as `hub registry` and `hub start` run it: the
// `_schemas` topic (kafkastore.*) and the group `schema.registry.group.id`, sharing one client
// of kafkastore.bootstrap.servers. The client closes with the log, which the registry closes
// last (after the REST server and the election).
import { KafkaClusterClient } from "../lib/kafka-client/index.ts";
import type { Logger } from "../lib/logger.ts";
import type { RegistryParts, RegistrySettings } from "./index.ts";
import { KafkaLeaderElection } from "./store/election.ts";
import { KafkaRegistryLog } from "./store/kafka-log.ts";
import type { LeaderElection, RegistryLog } from "./store/log.ts";
import { encodeKey, noopKey } from "./store/records.ts";

/** "PLAINTEXT://host:9092,SSL://other:9093" → ["host:9092", "other:9093"] (Confluent's listener syntax, or plain host:port). */
export function kafkastoreServers(value: string): string[] {
  return value
    .split(",")
    .map((s) => s.trim().replace(/^[A-Za-z_]+:\/\//, ""))
    .filter((s) => s !== "");
}

export function kafkaRegistryParts(): RegistryParts {
  let client: KafkaClusterClient | undefined;
  const clientFor = (settings: RegistrySettings, log: Logger): KafkaClusterClient => {
    const protocol = (settings.props.get("kafkastore.security.protocol") ?? "PLAINTEXT").toUpperCase();
    if (protocol !== "PLAINTEXT") {
      throw new Error(`kafkastore.security.protocol=${protocol}: the registry connects to Kafka with PLAINTEXT only for now`);
    }
    client ??= new KafkaClusterClient({
      bootstrapServers: kafkastoreServers(settings.bootstrapServers),
      clientId: `schema-registry-${settings.hostName}-${settings.hostPort ?? settings.listener.port}`,
      logger: log.child({ component: "registry-kafka" }),
    });
    return client;
  };
  return {
    createLog(settings, log): RegistryLog {
      const kafkaLog = new KafkaRegistryLog({
        client: clientFor(settings, log),
        topic: settings.topic,
        replicationFactor: settings.replicationFactor,
        topicConfigs: settings.topicConfigs,
        skipTopicValidation: settings.skipTopicValidation,
        initTimeoutMs: settings.initTimeoutMs,
        timeoutMs: settings.storeTimeoutMs,
        noopKey: encodeKey(noopKey()),
        logger: log,
      });
      const close = kafkaLog.close.bind(kafkaLog);
      kafkaLog.close = async () => {
        try {
          await close();
        } finally {
          await client?.close();
        }
      };
      return kafkaLog;
    },
    createElection(settings, log): LeaderElection {
      return new KafkaLeaderElection({
        client: clientFor(settings, log),
        groupId: settings.groupId,
        initTimeoutMs: settings.initTimeoutMs,
        sticky: settings.props.get("leader.election.sticky")?.trim().toLowerCase() === "true",
        logger: log,
      });
    },
  };
}

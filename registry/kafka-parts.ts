// The registry's log and election on Kafka, as `hub registry` and `hub start` run it: the
// `_schemas` topic (kafkastore.*) and the group `schema.registry.group.id`, sharing one client
// of kafkastore.bootstrap.servers. The client closes with the log, which the registry closes
// last (after the REST server and the election).
import { KafkaClusterClient } from "../lib/kafka-client/index.ts";
import { ClientPropertyError, securityOptions } from "../lib/kafka-client/security-properties.ts";
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

/**
 * The Kafka client's TLS and SASL settings from Confluent's kafkastore.security.protocol,
 * kafkastore.ssl.* and kafkastore.sasl.* (the Java client's keys behind the kafkastore. prefix).
 */
export function kafkastoreSecurity(settings: Pick<RegistrySettings, "props">): ReturnType<typeof securityOptions> {
  const props: Record<string, string> = {};
  for (const [key, value] of settings.props) {
    if (/^kafkastore\.(security\.protocol|ssl\.|sasl\.)/.test(key)) props[key.slice("kafkastore.".length)] = value;
  }
  try {
    return securityOptions(props);
  } catch (e) {
    if (e instanceof ClientPropertyError) throw new Error(`Invalid value ${e.value ?? "null"} for configuration kafkastore.${e.key}: ${e.reason}`, { cause: e });
    throw e;
  }
}

export function kafkaRegistryParts(): RegistryParts {
  let client: KafkaClusterClient | undefined;
  const clientFor = (settings: RegistrySettings, log: Logger): KafkaClusterClient => {
    client ??= new KafkaClusterClient({
      bootstrapServers: kafkastoreServers(settings.bootstrapServers),
      clientId: `schema-registry-${settings.hostName}-${settings.hostPort ?? settings.listener.port}`,
      logger: log.child({ component: "registry-kafka" }),
      ...kafkastoreSecurity(settings),
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

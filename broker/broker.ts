// The broker: opens the log directory, registers one handler per API, and serves the Kafka
// protocol on the configured listener. `hub broker` and `hub start` run it.
import type { Logger } from "../lib/logger.ts";
import type { BrokerConfig } from "./config/broker-config.ts";
import { ProducerStates, type BrokerCore } from "./core.ts";
import { logConfigFromBrokerProperties } from "./log/log-config.ts";
import { LogManager } from "./log/log-manager.ts";
import { startLogMaintenance, type LogMaintenance } from "./log/maintenance.ts";
import { BrokerMetrics } from "./metrics.ts";
import { startMetricsServer, type MetricsServer } from "./metrics-server.ts";
import { ProducerIdAllocator } from "./producer/producer-ids.ts";
import { AppendWaiters } from "./server/append-waiters.ts";
import { listen, type KafkaListener } from "./server/listener.ts";
import { Router } from "./server/router.ts";
import { produceHandler } from "./handlers/00-produce.ts";
import { fetchHandler } from "./handlers/01-fetch.ts";
import { listOffsetsHandler } from "./handlers/02-list-offsets.ts";
import { metadataHandler } from "./handlers/03-metadata.ts";
import { findCoordinatorHandler } from "./handlers/10-find-coordinator.ts";
import { apiVersionsHandler } from "./handlers/18-api-versions.ts";
import { createTopicsHandler } from "./handlers/19-create-topics.ts";
import { deleteTopicsHandler } from "./handlers/20-delete-topics.ts";
import { deleteRecordsHandler } from "./handlers/21-delete-records.ts";
import { initProducerIdHandler } from "./handlers/22-init-producer-id.ts";
import { describeConfigsHandler } from "./handlers/32-describe-configs.ts";
import { alterConfigsHandler } from "./handlers/33-alter-configs.ts";
import { describeLogDirsHandler } from "./handlers/35-describe-log-dirs.ts";
import { createPartitionsHandler } from "./handlers/37-create-partitions.ts";
import { incrementalAlterConfigsHandler } from "./handlers/44-incremental-alter-configs.ts";
import { describeClusterHandler } from "./handlers/60-describe-cluster.ts";
import { describeProducersHandler } from "./handlers/61-describe-producers.ts";
import { describeTopicPartitionsHandler } from "./handlers/75-describe-topic-partitions.ts";
import { registerGroupHandlers, startGroupCoordinator, type GroupSubsystem } from "./coordinator/group/wiring.ts";

export class Broker {
  readonly core: BrokerCore;
  private readonly listener: KafkaListener;
  private readonly groups: GroupSubsystem;
  private readonly metricsServer: MetricsServer | undefined;
  /** Retention and the log cleaner, running once the broker is up. */
  maintenance: LogMaintenance | undefined;

  private constructor(core: BrokerCore, listener: KafkaListener, groups: GroupSubsystem, metricsServer: MetricsServer | undefined) {
    this.core = core;
    this.listener = listener;
    this.groups = groups;
    this.metricsServer = metricsServer;
  }

  get port(): number {
    return this.listener.port;
  }

  /** The Prometheus endpoint (http://host:port/metrics), unless hub.metrics.listener is none. */
  get metricsUrl(): string | undefined {
    return this.metricsServer?.url;
  }

  static async start(config: BrokerConfig, log: Logger): Promise<Broker> {
    const started = Date.now();
    for (const key of config.unknownKeys) log.warn({ key }, "unknown broker config ignored");
    const logs = LogManager.open({
      logDirs: config.logDirs,
      defaults: logConfigFromBrokerProperties(config.overrides),
      nodeId: config.nodeId,
      logger: log.child({ component: "log" }),
    });
    logs.startFlushScheduler({ schedulerIntervalMs: config.flushSchedulerIntervalMs, checkpointIntervalMs: config.flushOffsetCheckpointIntervalMs });
    const metrics = new BrokerMetrics();
    const router = new Router(metrics);
    const producers = new ProducerStates(logs);
    // The group coordinator starts after the core exists; topic deletion reaches it through this.
    const groupsRef: { current?: GroupSubsystem } = {};
    const identity = { nodeId: config.nodeId, clusterId: logs.clusterId, host: config.advertised.host, port: config.advertised.port };
    const core: BrokerCore = {
      config,
      identity,
      metrics,
      log,
      logs,
      producerIds: new ProducerIdAllocator(logs.logDir),
      appendWaiters: new AppendWaiters(),
      supportedApis: () => router.supportedApis(),
      producerState: (topic, partition) => producers.get(topic, partition),
      forgetTopic: (topic) => {
        producers.forget(topic);
        void groupsRef.current?.coordinator.removeOffsetsForTopics([topic]);
      },
      autoCreateTopic: (name) => {
        if (!config.autoCreateTopics) return false;
        try {
          logs.createTopic(name, config.numPartitions);
          log.info({ topic: name, partitions: config.numPartitions }, "auto-created topic");
          return true;
        } catch {
          return false;
        }
      },
    };
    for (const handler of [
      produceHandler(core), fetchHandler(core), listOffsetsHandler(core), metadataHandler(core), findCoordinatorHandler(core),
      apiVersionsHandler(core), createTopicsHandler(core), deleteTopicsHandler(core), deleteRecordsHandler(core),
      initProducerIdHandler(core), describeConfigsHandler(core), alterConfigsHandler(core), describeLogDirsHandler(core),
      createPartitionsHandler(core), incrementalAlterConfigsHandler(core), describeClusterHandler(core), describeProducersHandler(core),
      describeTopicPartitionsHandler(core),
    ]) {
      router.register(handler as never);
    }
    const groups = await startGroupCoordinator(core);
    groupsRef.current = groups;
    registerGroupHandlers(router, core, groups);

    let listener: KafkaListener;
    try {
      listener = await listen(config.listener.host, config.listener.port, (frame, conn) => router.dispatch(frame, conn), { maxRequestBytes: config.socketRequestMaxBytes, maxInFlight: 100 }, log);
    } catch (err) {
      groups.stop();
      logs.close();
      throw err;
    }
    // With port 0 the OS picks the port: advertise the one we got.
    if (config.listener.port === 0) identity.port = listener.port;
    metrics.addCollectors({
      partitionSizes: function* () {
        for (const topic of logs.topicNames()) {
          const meta = logs.topic(topic);
          for (let p = 0; p < (meta?.partitions ?? 0); p++) yield { topic, partition: p, bytes: logs.log(topic, p)?.sizeInBytes() ?? 0 };
        }
      },
      groupCounts: () => groups.countsByState(),
      connectionCount: () => listener.connectionCount(),
      delayedFetches: () => core.appendWaiters.size,
    });
    let metricsServer: MetricsServer | undefined;
    if (config.metricsListener) {
      try {
        metricsServer = await startMetricsServer(config.metricsListener.host, config.metricsListener.port, metrics.registry, log);
      } catch (err) {
        await listener.close();
        groups.stop();
        logs.close();
        throw err;
      }
      log.info({ url: metricsServer.url }, "Prometheus metrics listening");
    }
    log.info({ listener: `${config.listener.host}:${listener.port}`, advertised: `${identity.host}:${identity.port}`, logDir: logs.logDir, clusterId: logs.clusterId, topics: logs.topicNames().length, startupMs: Date.now() - started }, "Kafka broker listening");
    const broker = new Broker(core, listener, groups, metricsServer);
    broker.maintenance = startLogMaintenance(logs, config.overrides, log.child({ component: "log" }));
    return broker;
  }

  async stop(): Promise<void> {
    await this.metricsServer?.close();
    await this.listener.close();
    this.groups.stop();
    await this.maintenance?.stop();
    this.core.logs.close();
  }
}

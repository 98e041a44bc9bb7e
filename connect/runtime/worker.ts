// The worker: runs connector and task instances in this process (Kafka's Worker). Herders (the
// standalone and the distributed one) tell it what to start and stop; it reports states to the
// StatusListener and never throws for a connector or task that fails to start — that becomes
// a FAILED status with the error. Each task gets its own Kafka clients, converters,
// transformation chain and error handling, built from the worker config and the connector config
// (see README.md in this folder).
import { type Connector, ConnectException, type SinkRecord, type SinkTask, type SourceRecord, type SourceTask, type TaskClass } from "../api/index.ts";
import { KafkaClusterClient, PartitionProducer } from "../../lib/kafka-client/index.ts";
import type { Logger } from "../../lib/logger.ts";
import { connectorConfigDef, enrichConnectorConfigDef } from "./config/connector-config.ts";
import { GroupConsumer } from "./consumer/group-consumer.ts";
import { DeadLetterQueueReporter, DLQ_PARTITIONS, type DlqProducer } from "./errors/dead-letter-queue-reporter.ts";
import { LogReporter } from "./errors/log-reporter.ts";
import type { ErrorReporter } from "./errors/processing-context.ts";
import { type ErrorHandlingMetrics, RetryWithToleranceOperator, type ToleranceType } from "./errors/retry-with-tolerance-operator.ts";
import type { ConnectorId } from "./herder/entities.ts";
import type { TargetState } from "./herder/herder.ts";
import { adminProps, clusterClientOptions, consumerProps, consumerSettings, kafkaClient, producerProps, producerSettings } from "./kafka-clients.ts";
import { ConnectMetrics, type TaskMetrics } from "./metrics.ts";
import { OffsetStorageReaderImpl, OffsetStorageWriter } from "./offset-storage.ts";
import type { PluginRegistry } from "./plugins/registry.ts";
import { toKafkajsHeaders } from "./record-headers.ts";
import { closeConverters, createTaskConverters, type TaskConverters } from "./task-converters.ts";
import { RecordPartitioner } from "./tasks/record-partitioner.ts";
import { TopicCreation } from "./tasks/topic-creation.ts";
import { WorkerSinkTask } from "./tasks/worker-sink-task.ts";
import { sourceRecordSerializer, WorkerSourceTask } from "./tasks/worker-source-task.ts";
import type { WorkerTask, WorkerTaskOptions } from "./tasks/worker-task.ts";
import { buildTransformationChain } from "./transformation-chain.ts";
import type { WorkerConfig } from "./worker-config.ts";
import type { ConnectorControl, StatusListener, Worker } from "./worker-contract.ts";
import { WorkerConnector } from "./worker-connector.ts";
import type { OffsetBackingStore } from "../storage/types.ts";

export interface ConnectWorkerOptions {
  workerId: string;
  config: WorkerConfig;
  plugins: PluginRegistry;
  /** Source offsets; the worker starts and stops it (as Kafka's Worker does its global offset store). */
  offsetStore: OffsetBackingStore;
  statusListener: StatusListener;
  control: ConnectorControl;
  logger: Logger;
  /** Where the worker's metrics go; a new registry when not given. */
  metrics?: ConnectMetrics;
}

const taskName = (id: ConnectorId): string => `${id.connector}-${id.task}`;

/** Kafka's task.class: the task's class name in the package of the connector's Java class, when it has one. */
function taskClassName(connectorAliases: readonly string[], taskClass: TaskClass): string {
  const javaName = connectorAliases.find((a) => a.includes("."));
  const pkg = javaName ? javaName.slice(0, javaName.lastIndexOf(".")) : "";
  return pkg ? `${pkg}.${taskClass.name}` : taskClass.name;
}

function errorMetrics(m: TaskMetrics): ErrorHandlingMetrics {
  return {
    recordFailure: () => m.recordFailures.inc(),
    recordRetry: () => m.retries.inc(),
    recordError: () => m.recordErrors.inc(),
    recordSkipped: () => m.recordsSkipped.inc(),
    recordErrorTimestamp: () => m.lastErrorTimestamp.set(Date.now()),
  };
}

interface TaskEntry {
  readonly task: WorkerTask;
  readonly done: Promise<void>;
}

export class ConnectWorker implements Worker {
  readonly workerId: string;
  readonly config: WorkerConfig;
  readonly metrics: ConnectMetrics;
  readonly #o: ConnectWorkerOptions;
  readonly #log: Logger;
  readonly #connectors = new Map<string, WorkerConnector>();
  readonly #tasks = new Map<string, TaskEntry>();
  #started = false;

  constructor(options: ConnectWorkerOptions) {
    this.#o = options;
    this.workerId = options.workerId;
    this.config = options.config;
    this.#log = options.logger.child({ component: "worker", worker: options.workerId });
    this.metrics = options.metrics ?? new ConnectMetrics();
    this.metrics.addWorkerCollectors({ connectorCount: () => this.#connectors.size, taskCount: () => this.#tasks.size });
  }

  async start(): Promise<void> {
    if (this.#started) return;
    this.#log.info("Worker starting");
    await this.#o.offsetStore.start();
    this.#started = true;
    this.#log.info("Worker started");
  }

  async stop(): Promise<void> {
    this.#log.info("Worker stopping");
    await this.stopAndAwaitTasks(this.taskIds());
    for (const name of this.connectorNames()) await this.stopAndAwaitConnector(name);
    if (this.#started) await this.#o.offsetStore.stop();
    this.#started = false;
    this.#log.info("Worker stopped");
  }

  connectorNames(): string[] {
    return [...this.#connectors.keys()];
  }

  taskIds(): ConnectorId[] {
    return [...this.#tasks.values()].map((e) => e.task.id);
  }

  isRunning(connector: string): boolean {
    return this.#connectors.get(connector)?.isRunning ?? false;
  }

  /** The task instance running here (tests and metrics use it), or undefined. */
  task(id: ConnectorId): WorkerTask | undefined {
    return this.#tasks.get(taskName(id))?.task;
  }

  async startConnector(name: string, config: Record<string, string>, targetState: TargetState): Promise<void> {
    const log = this.#log.child({ connector: name });
    if (this.#connectors.has(name)) {
      log.warn("Connector already running on this worker");
      return;
    }
    this.metrics.connectorStartupAttempts.inc();
    log.info({ targetState }, "Creating connector");
    let connector: Connector;
    let kind: "source" | "sink";
    try {
      const descriptor = this.#o.plugins.require(["source", "sink"], config["connector.class"] ?? "");
      kind = descriptor.kind;
      enrichConnectorConfigDef(this.#o.plugins, connectorConfigDef(kind), config, true).parse(config);
      connector = descriptor.create();
    } catch (e) {
      log.error({ err: e }, "Failed to start connector");
      this.metrics.connectorStartupFailure.inc();
      this.metrics.setConnectorState(name, "FAILED");
      try {
        this.#o.statusListener.onConnectorFailure(name, e instanceof Error ? e : new Error(String(e)));
      } catch (err) {
        log.warn({ err }, "status listener failed");
      }
      return;
    }
    const workerConnector = new WorkerConnector({
      name,
      config,
      connector,
      kind,
      listener: this.#o.statusListener,
      control: this.#o.control,
      offsetReader: kind === "source" ? new OffsetStorageReaderImpl(this.#o.offsetStore, name) : null,
      metrics: this.metrics,
      logger: log,
    });
    this.#connectors.set(name, workerConnector);
    await workerConnector.initialize(targetState);
  }

  async connectorTaskConfigs(connector: string, config: Record<string, string>): Promise<Record<string, string>[]> {
    const workerConnector = this.#connectors.get(connector);
    if (!workerConnector) throw new ConnectException(`Connector ${connector} not found in this worker.`);
    const values = enrichConnectorConfigDef(this.#o.plugins, connectorConfigDef(workerConnector.kind), config, false).parse(config);
    const maxTasks = values["tasks.max"] as number;
    const descriptor = this.#o.plugins.require(["source", "sink"], config["connector.class"] ?? "");
    const instance = workerConnector.connector;
    const className = taskClassName(descriptor.aliases, instance.taskClass());
    const taskConfigs = await instance.taskConfigs(maxTasks);
    if (taskConfigs.length > maxTasks) {
      const message = `The connector ${connector} has generated ${taskConfigs.length} tasks, which is greater than ${maxTasks}, the maximum number of tasks it is configured to create. This behaviour should be considered a bug and is no longer permitted. If necessary, it can be allowed by setting 'tasks.max.enforce' to 'false' in the connector's configuration.`;
      if (values["tasks.max.enforce"] !== false) throw new ConnectException(message);
      this.#log.warn({ connector }, message);
    }
    const sinkTopics = workerConnector.kind === "sink" ? config.topics : undefined;
    const sinkTopicsRegex = workerConnector.kind === "sink" ? config["topics.regex"] : undefined;
    return taskConfigs.map((props) => ({
      ...props,
      "task.class": className,
      ...(sinkTopics !== undefined ? { topics: sinkTopics } : {}),
      ...(sinkTopicsRegex !== undefined ? { "topics.regex": sinkTopicsRegex } : {}),
    }));
  }

  async stopAndAwaitConnector(connector: string): Promise<void> {
    const workerConnector = this.#connectors.get(connector);
    if (!workerConnector) return;
    this.#connectors.delete(connector);
    await workerConnector.shutdown();
  }

  async startTask(id: ConnectorId, connectorConfig: Record<string, string>, taskConfig: Record<string, string>, targetState: TargetState): Promise<void> {
    const name = taskName(id);
    const log = this.#log.child({ connector: id.connector, task: id.task });
    if (this.#tasks.has(name)) {
      log.warn("Task already exists in this worker");
      return;
    }
    this.metrics.taskStartupAttempts.inc();
    log.info({ targetState }, "Creating task");
    let task: WorkerTask;
    try {
      task = await this.#buildTask(id, connectorConfig, taskConfig, targetState, log);
    } catch (e) {
      log.error({ err: e }, "Failed to start task");
      this.metrics.taskStartupFailure.inc();
      this.metrics.setTaskState(id.connector, id.task, "FAILED");
      try {
        this.#o.statusListener.onTaskFailure(id, e instanceof Error ? e : new Error(String(e)));
      } catch (err) {
        log.warn({ err }, "status listener failed");
      }
      return;
    }
    this.metrics.taskStartupSuccess.inc();
    this.#tasks.set(name, { task, done: task.run() });
  }

  async stopAndAwaitTasks(ids: readonly ConnectorId[]): Promise<void> {
    const entries = ids.map((id) => ({ id, entry: this.#tasks.get(taskName(id)) })).filter((e): e is { id: ConnectorId; entry: TaskEntry } => e.entry !== undefined);
    for (const { entry } of entries) entry.task.stop();
    const timeout = Number(this.config.getLong("task.shutdown.graceful.timeout.ms") ?? 5000);
    const deadline = Date.now() + timeout;
    await Promise.all(
      entries.map(async ({ id, entry }) => {
        const stopped = await entry.task.awaitStop(deadline - Date.now());
        if (!stopped) {
          this.#log.error({ connector: id.connector, task: id.task }, `Graceful stop of task ${taskName(id)} failed.`);
          entry.task.cancel();
        }
        this.#tasks.delete(taskName(id));
      }),
    );
  }

  async setTargetState(connector: string, state: TargetState): Promise<void> {
    const workerConnector = this.#connectors.get(connector);
    for (const { task } of this.#tasks.values()) if (task.id.connector === connector) task.transitionTo(state);
    if (workerConnector) await workerConnector.transitionTo(state);
  }

  async #buildTask(id: ConnectorId, connectorConfig: Record<string, string>, taskConfig: Record<string, string>, targetState: TargetState, log: Logger): Promise<WorkerTask> {
    const registry = this.#o.plugins;
    const descriptor = registry.require(["source", "sink"], connectorConfig["connector.class"] ?? "");
    const kind = descriptor.kind;
    const values = enrichConnectorConfigDef(registry, connectorConfigDef(kind), connectorConfig, true).parse(connectorConfig);
    const taskClass = descriptor.create().taskClass() as TaskClass<SourceTask | SinkTask>;
    const converters = createTaskConverters(registry, this.config, connectorConfig);
    const taskMetrics = this.metrics.forTask(id.connector, id.task);
    // Shared by the task and its error handling: retries end when the task is asked to stop.
    const abort = new AbortController();
    const cleanups: Array<() => Promise<void> | void> = [];
    try {
      const reporters: ErrorReporter[] = [];
      if (values["errors.log.enable"] === true) {
        reporters.push(new LogReporter({ connector: id.connector, task: id.task, includeMessages: values["errors.log.include.messages"] === true, logger: log, onLogged: () => taskMetrics.errorsLogged.inc() }));
      }
      const dlqTopic = String(values["errors.deadletterqueue.topic.name"] ?? "").trim();
      if (dlqTopic !== "") {
        const producer = await this.#dlqProducer(id, connectorConfig, dlqTopic, Number(values["errors.deadletterqueue.topic.replication.factor"]), log);
        cleanups.push(() => producer.close());
        reporters.push(
          new DeadLetterQueueReporter({
            topic: dlqTopic,
            connector: id.connector,
            task: id.task,
            contextHeaders: values["errors.deadletterqueue.context.headers.enable"] === true,
            producer,
            ...(kind === "source" ? { serializeSource: sourceRecordSerializer(converters) } : {}),
            onProduceRequest: () => taskMetrics.dlqProduceRequests.inc(),
            onProduceFailure: () => taskMetrics.dlqProduceFailures.inc(),
            logger: log,
          }),
        );
      }
      const operator = new RetryWithToleranceOperator({
        retryTimeoutMs: Number(values["errors.retry.timeout"]),
        maxDelayMs: Number(values["errors.retry.delay.max.ms"]),
        tolerance: values["errors.tolerance"] as ToleranceType,
        reporters,
        metrics: errorMetrics(taskMetrics),
        signal: abort.signal,
      });
      const base: WorkerTaskOptions = { id, listener: this.#o.statusListener, initialState: targetState, logger: log, metrics: this.metrics, taskMetrics, abort };
      const flushInterval = Number(this.config.getLong("offset.flush.interval.ms") ?? 60000);
      let task: WorkerTask;
      if (kind === "source") {
        task = this.#buildSourceTask(id, connectorConfig, taskConfig, taskClass as TaskClass<SourceTask>, converters, operator, base, flushInterval);
      } else {
        task = this.#buildSinkTask(id, connectorConfig, taskConfig, taskClass as TaskClass<SinkTask>, converters, operator, base, flushInterval, dlqTopic, reporters.length > 0);
      }
      return task;
    } catch (e) {
      taskMetrics.remove();
      closeConverters(converters);
      for (const cleanup of cleanups) await Promise.resolve(cleanup()).catch(() => {});
      throw e;
    }
  }

  #buildSourceTask(
    id: ConnectorId,
    connectorConfig: Record<string, string>,
    taskConfig: Record<string, string>,
    taskClass: TaskClass<SourceTask>,
    converters: TaskConverters,
    operator: RetryWithToleranceOperator,
    base: WorkerTaskOptions,
    flushInterval: number,
  ): WorkerTask {
    const chain = buildTransformationChain<SourceRecord>(this.#o.plugins, connectorConfig, "source");
    const topicCreation = TopicCreation.fromConfig(this.config.getBoolean("topic.creation.enable") === true, connectorConfig);
    const clientLog = base.logger.child({ client: "producer" });
    const pProps = producerProps(this.config, id, connectorConfig);
    const settings = producerSettings(pProps);
    const partitioner = new RecordPartitioner({ batchSizeBytes: settings.batchSize, metadataMaxAgeMs: settings.metadataMaxAgeMs });
    const producerClient = new KafkaClusterClient({ ...clusterClientOptions(pProps), logger: clientLog });
    if (settings.acks === 0) clientLog.warn("acks=0 is sent as acks=1: the hub's producer always waits for the leader's answer");
    const producer = new PartitionProducer({
      client: producerClient,
      acks: settings.acks === -1 ? -1 : 1,
      timeoutMs: settings.timeoutMs,
      compression: settings.compression,
      allowAutoTopicCreation: settings.allowAutoTopicCreation,
    });
    const admin = topicCreation ? kafkaClient(adminProps(this.config, id, connectorConfig), base.logger.child({ client: "admin" })).admin() : null;
    return new WorkerSourceTask({
      ...base,
      task: new taskClass(),
      taskConfig,
      converters,
      chain,
      operator,
      producer,
      producerClient,
      producerSettings: settings,
      partitioner,
      admin,
      topicCreation,
      offsetReader: new OffsetStorageReaderImpl(this.#o.offsetStore, id.connector),
      offsetWriter: new OffsetStorageWriter(this.#o.offsetStore, id.connector),
      offsetFlushIntervalMs: flushInterval,
      offsetFlushTimeoutMs: Number(this.config.getLong("offset.flush.timeout.ms") ?? 5000),
    });
  }

  #buildSinkTask(
    id: ConnectorId,
    connectorConfig: Record<string, string>,
    taskConfig: Record<string, string>,
    taskClass: TaskClass<SinkTask>,
    converters: TaskConverters,
    operator: RetryWithToleranceOperator,
    base: WorkerTaskOptions,
    flushInterval: number,
    dlqTopic: string,
    errantReporter: boolean,
  ): WorkerTask {
    const topicsRaw = (taskConfig.topics ?? connectorConfig.topics ?? "").trim();
    const regexRaw = (taskConfig["topics.regex"] ?? connectorConfig["topics.regex"] ?? "").trim();
    const topics = topicsRaw === "" ? [] : topicsRaw.split(",").map((t) => t.trim()).filter((t) => t !== "");
    if (topics.length > 0 && regexRaw !== "") throw new ConnectException("Must configure one of topics or topics.regex, but not both");
    if (topics.length === 0 && regexRaw === "") throw new ConnectException("Must configure one of topics or topics.regex");
    if (dlqTopic !== "" && topics.includes(dlqTopic)) throw new ConnectException(`The DLQ topic '${dlqTopic}' may not be included in the list of topics ('topics=${topicsRaw}') consumed by the connector`);
    let regex: RegExp | null = null;
    if (regexRaw !== "") {
      try {
        regex = new RegExp(`^(?:${regexRaw})$`);
      } catch (e) {
        throw new ConnectException(`topics.regex ${regexRaw} is not a valid regular expression`, { cause: e });
      }
      if (dlqTopic !== "" && regex.test(dlqTopic)) throw new ConnectException(`The DLQ topic '${dlqTopic}' may not be included in the regex matching the topics ('topics.regex=${regexRaw}') consumed by the connector`);
    }
    const chain = buildTransformationChain<SinkRecord>(this.#o.plugins, connectorConfig, "sink");
    const cProps = consumerProps(this.config, id, connectorConfig);
    const settings = consumerSettings(cProps);
    const consumerLog = base.logger.child({ client: "consumer" });
    const subscription = regex !== null ? { pattern: regex } : { topics };
    return new WorkerSinkTask({
      ...base,
      task: new taskClass(),
      taskConfig,
      converters,
      chain,
      operator,
      createConsumer: (listener) =>
        new GroupConsumer({ ...settings.group, client: new KafkaClusterClient({ ...settings.client, logger: consumerLog }), subscription, listener, logger: consumerLog }),
      maxPollRecords: settings.maxPollRecords,
      // Not below 50 ms: a poll that never waits would keep an idle task spinning.
      pollTimeoutMs: Math.max(50, settings.fetchMaxWaitMs),
      offsetFlushIntervalMs: flushInterval,
      offsetFlushTimeoutMs: Number(this.config.getLong("offset.flush.timeout.ms") ?? 5000),
      closingCommitTimeoutMs: settings.defaultApiTimeoutMs,
      errantRecordReporter: errantReporter,
    });
  }

  /** The DLQ topic (created when missing, as Kafka's DeadLetterQueueReporter.createAndSetup) and a producer for it. */
  async #dlqProducer(id: ConnectorId, connectorConfig: Record<string, string>, topic: string, replicationFactor: number, log: Logger): Promise<DlqProducer> {
    const admin = kafkaClient(adminProps(this.config, id, connectorConfig, "connector-dlq-adminclient-"), log.child({ client: "dlq-admin" })).admin();
    try {
      await admin.connect();
      const existing = await admin.listTopics();
      if (!existing.includes(topic)) {
        log.error({ topic }, `Topic ${topic} doesn't exist. Will attempt to create topic.`);
        await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: DLQ_PARTITIONS, replicationFactor }] });
      }
    } catch (e) {
      throw new ConnectException(`Could not initialize dead letter queue with topic=${topic}`, { cause: e });
    } finally {
      await admin.disconnect().catch(() => {});
    }
    const props = producerProps(this.config, id, connectorConfig, "connector-dlq-producer-");
    const settings = producerSettings(props);
    const producer = kafkaClient(props, log.child({ client: "dlq-producer" })).producer(settings.config);
    let connected: Promise<void> | null = null;
    return {
      async send(dlqTopic, record) {
        connected ??= producer.connect();
        await connected;
        await producer.send({
          topic: dlqTopic,
          acks: settings.acks,
          timeout: settings.timeoutMs,
          compression: settings.compression,
          messages: [{ key: record.key, value: record.value, headers: toKafkajsHeaders(record.headers), ...(record.timestamp !== null && record.timestamp >= 0 ? { timestamp: String(record.timestamp) } : {}) }],
        });
      },
      async close() {
        await producer.disconnect().catch(() => {});
      },
    };
  }
}


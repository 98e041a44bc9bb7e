// The standalone herder (Kafka's StandaloneHerder): one worker is the whole cluster. Connector
// configs and target states live in memory (MemoryConfigStore), statuses too
// (MemoryStatusStore), source offsets in offset.storage.file.filename (the worker's offset
// store). Every change runs on one queue, one at a time, as Kafka's synchronized methods do, so
// a request sees the effects of the requests before it.
import { AlreadyExistsException, ConnectException, NotFoundException } from "../../api/index.ts";
import type { Logger } from "../../../lib/logger.ts";
import { MemoryConfigStore } from "../../storage/memory-config-store.ts";
import { MemoryStatusStore } from "../../storage/memory-status-store.ts";
import type { ClusterConfigState, ConnectorStatus, OffsetBackingStore, TaskStatus } from "../../storage/types.ts";
import type { PluginRegistry } from "../plugins/registry.ts";
import type { WorkerConfig } from "../worker-config.ts";
import type { ConnectorControl, StatusListener, Worker } from "../worker-contract.ts";
import { assertValidConnectorConfig, type ConnectorValidationOptions, validateConnectorConfig } from "./config-validation.ts";
import { ConnectorOffsetsManager, type SinkOffsetsAdmin } from "./connector-offsets.ts";
import type { ConfigInfos, ConfigKeyInfoJson, ConnectorId, ConnectorInfo, ConnectorOffsets, ConnectorState, ConnectorStateInfo, ConnectorType, PluginInfo, TaskInfo, TaskStateInfo } from "./entities.ts";
import { BadRequestError, ConnectRestError } from "./errors.ts";
import type { Herder, PutConfigResult, RestartRequest, TargetState } from "./herder.ts";
import { connectorTypeOf, connectorVersionOf, pluginConfig, pluginInfos } from "./plugin-info.ts";
import { connectorStateInfo, errorTrace, taskStateInfo } from "./status-info.ts";

/** What a worker needs from its herder: where to report states, whom to ask for task reconfiguration. */
export interface WorkerHooks {
  readonly statusListener: StatusListener;
  readonly connectorControl: ConnectorControl;
}

export interface StandaloneHerderOptions {
  readonly registry: PluginRegistry;
  readonly workerConfig: WorkerConfig;
  /** Builds the worker with the herder's hooks (the worker reports to the herder it serves). */
  readonly createWorker: (hooks: WorkerHooks) => Worker;
  /** The source offsets (offset.storage.file.filename); the worker starts and stops it. */
  readonly offsetStore: OffsetBackingStore;
  /** Consumer group offsets of sink connectors (GET/PATCH/DELETE .../offsets of sinks). */
  readonly sinkAdmin?: SinkOffsetsAdmin | null;
  readonly kafkaClusterId: string;
  readonly log: Logger;
  /** How long /health waits for the herder to answer (Kafka: 10 s). */
  readonly healthTimeoutMs?: number;
}

const taskName = (id: ConnectorId): string => `${id.connector}-${id.task}`;

const sameConfig = (a: Readonly<Record<string, string>> | undefined, b: Readonly<Record<string, string>> | undefined): boolean => {
  if (a === undefined || b === undefined) return a === b;
  const ak = Object.keys(a);
  return ak.length === Object.keys(b).length && ak.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
};

export class StandaloneHerder implements Herder {
  readonly #options: StandaloneHerderOptions;
  readonly #log: Logger;
  readonly #worker: Worker;
  readonly #configStore = new MemoryConfigStore();
  readonly #statusStore = new MemoryStatusStore();
  readonly #offsets: ConnectorOffsetsManager;
  /** The connector config each connector's current task configs were generated from. */
  readonly #appliedConfigs = new Map<string, Record<string, string>>();
  #queue: Promise<unknown> = Promise.resolve();
  #state: "new" | "starting" | "running" | "stopping" | "stopped" = "new";

  constructor(options: StandaloneHerderOptions) {
    this.#options = options;
    this.#log = options.log;
    this.#offsets = new ConnectorOffsetsManager({ registry: options.registry, offsetStore: options.offsetStore, sinkAdmin: options.sinkAdmin ?? null });
    this.#worker = options.createWorker({ statusListener: this.#statusListener(), connectorControl: this.#connectorControl() });
  }

  get worker(): Worker {
    return this.#worker;
  }

  #validationOptions(): ConnectorValidationOptions {
    const originals = this.#options.workerConfig.originals();
    const text = (key: string): string | null => (originals[key] === undefined || originals[key] === null ? null : String(originals[key]));
    return {
      workerConverters: {
        key: text("key.converter"),
        value: text("value.converter"),
        header: text("header.converter") ?? "org.apache.kafka.connect.storage.SimpleHeaderConverter",
      },
    };
  }

  /** Runs a change after every change queued before it (Kafka's synchronized herder methods). */
  #serial<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(work, work);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  #snapshot(): ClusterConfigState {
    return this.#configStore.snapshot();
  }

  #config(name: string): Record<string, string> | undefined {
    return this.#snapshot().connectorConfigs.get(name);
  }

  #taskIds(name: string): ConnectorId[] {
    const count = this.#snapshot().taskConfigs.get(name)?.length ?? 0;
    return Array.from({ length: count }, (_, task) => ({ connector: name, task }));
  }

  #info(name: string): ConnectorInfo | null {
    const config = this.#config(name);
    if (!config) return null;
    return { name, config, tasks: this.#taskIds(name), type: connectorTypeOf(this.#options.registry, config) };
  }

  // ---- status reporting (Kafka's AbstractHerder listener methods) ----

  #putConnector(connector: string, state: ConnectorState, error?: Error): void {
    const status: ConnectorStatus = { id: connector, state, trace: error ? errorTrace(error) : null, workerId: this.#worker.workerId, generation: 0 };
    this.#statusStore.put(status).catch((err: unknown) => this.#log.error({ err, connector }, "could not record the connector's status"));
  }

  #putTask(id: ConnectorId, state: ConnectorState, error?: Error): void {
    const status: TaskStatus = { id, state, trace: error ? errorTrace(error) : null, workerId: this.#worker.workerId, generation: 0 };
    this.#statusStore.putTask(status).catch((err: unknown) => this.#log.error({ err, task: taskName(id) }, "could not record the task's status"));
  }

  #statusListener(): StatusListener {
    return {
      onConnectorStartup: (c) => this.#putConnector(c, "RUNNING"),
      onConnectorRunning: (c) => this.#putConnector(c, "RUNNING"),
      onConnectorPause: (c) => this.#putConnector(c, "PAUSED"),
      onConnectorStop: (c) => this.#putConnector(c, "STOPPED"),
      onConnectorFailure: (c, error) => this.#putConnector(c, "FAILED", error),
      onConnectorShutdown: (c) => this.#putConnector(c, "UNASSIGNED"),
      onConnectorRestart: (c) => this.#putConnector(c, "RESTARTING"),
      onTaskStartup: (id) => this.#putTask(id, "RUNNING"),
      onTaskRunning: (id) => this.#putTask(id, "RUNNING"),
      onTaskPause: (id) => this.#putTask(id, "PAUSED"),
      onTaskFailure: (id, error) => this.#putTask(id, "FAILED", error),
      onTaskShutdown: (id) => this.#putTask(id, "UNASSIGNED"),
      onTaskRestart: (id) => this.#putTask(id, "RESTARTING"),
      onTopicActive: (connector, topic) => {
        this.#statusStore.putTopic(connector, topic).catch((err: unknown) => this.#log.error({ err, connector, topic }, "could not record an active topic"));
      },
    };
  }

  #connectorControl(): ConnectorControl {
    return {
      requestTaskReconfiguration: (connector) => {
        void this.#serial(async () => {
          if (!this.#worker.connectorNames().includes(connector)) {
            this.#log.error({ connector }, "a connector that is not running asked for task reconfiguration");
            return;
          }
          await this.#updateConnectorTasks(connector);
        }).catch((err: unknown) => this.#log.error({ err, connector }, "task reconfiguration failed"));
      },
    };
  }

  // ---- lifecycle ----

  kafkaClusterId(): string {
    return this.#options.kafkaClusterId;
  }

  async start(): Promise<void> {
    this.#state = "starting";
    this.#log.info("herder starting");
    await this.#worker.start();
    await this.#statusStore.start();
    await this.#configStore.start();
    this.#state = "running";
    this.#log.info("herder started");
  }

  async stop(): Promise<void> {
    if (this.#state === "stopped" || this.#state === "new") {
      this.#state = "stopped";
      return;
    }
    this.#state = "stopping";
    this.#log.info("herder stopping");
    await this.#serial(async () => {
      // No hand-off in standalone mode: stop every task and connector cleanly (offsets committed).
      for (const name of this.#snapshot().connectorConfigs.keys()) {
        const ids = this.#taskIds(name);
        if (ids.length > 0) await this.#worker.stopAndAwaitTasks(ids);
        await this.#worker.stopAndAwaitConnector(name);
      }
      await this.#worker.stop();
      await this.#statusStore.stop();
      await this.#configStore.stop();
    });
    this.#state = "stopped";
    this.#log.info("herder stopped");
  }

  async health(): Promise<{ status: "healthy" | "starting" | "unhealthy"; message: string }> {
    if (this.#state === "new" || this.#state === "starting") return { status: "starting", message: "Worker is still starting up." };
    if (this.#state !== "running") return { status: "unhealthy", message: "Worker was unable to handle this request and may be unable to handle other requests." };
    const timeoutMs = this.#options.healthTimeoutMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    const answered = await Promise.race([
      this.#serial(async () => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
    ]);
    clearTimeout(timer);
    return answered
      ? { status: "healthy", message: "Worker has completed startup and is ready to handle requests." }
      : { status: "unhealthy", message: "Worker was unable to handle this request and may be unable to handle other requests." };
  }

  // ---- reads ----

  async connectors(): Promise<string[]> {
    return [...this.#snapshot().connectorConfigs.keys()].sort();
  }

  async connectorInfo(name: string): Promise<ConnectorInfo> {
    const info = this.#info(name);
    if (!info) throw new NotFoundException(`Connector ${name} not found`);
    return info;
  }

  async connectorConfig(name: string): Promise<Record<string, string>> {
    return (await this.connectorInfo(name)).config;
  }

  async connectorType(name: string): Promise<ConnectorType> {
    return connectorTypeOf(this.#options.registry, this.#config(name));
  }

  async connectorStatus(name: string): Promise<ConnectorStateInfo> {
    const status = this.#statusStore.get(name);
    if (!status) throw new NotFoundException(`No status found for connector ${name}`);
    const config = this.#config(name);
    return connectorStateInfo(name, status, this.#statusStore.getAllTasks(name), connectorTypeOf(this.#options.registry, config), connectorVersionOf(this.#options.registry, config));
  }

  async taskStatus(id: ConnectorId): Promise<TaskStateInfo> {
    const status = this.#statusStore.getTask(id);
    if (!status) throw new NotFoundException(`No status found for task ${taskName(id)}`);
    return taskStateInfo(status, connectorVersionOf(this.#options.registry, this.#config(id.connector)));
  }

  async taskConfigs(name: string): Promise<TaskInfo[]> {
    const tasks = this.#snapshot().taskConfigs.get(name);
    if (!tasks || !this.#config(name)) throw new NotFoundException(`Connector ${name} not found`);
    return tasks.map((config, task) => ({ id: { connector: name, task }, config: { ...config } }));
  }

  async connectorActiveTopics(name: string): Promise<string[]> {
    return this.#statusStore.getTopics(name);
  }

  async resetConnectorActiveTopics(name: string): Promise<void> {
    await this.#statusStore.deleteTopics(name);
  }

  plugins(connectorsOnly: boolean): PluginInfo[] {
    return pluginInfos(this.#options.registry, connectorsOnly);
  }

  pluginConfig(pluginName: string): ConfigKeyInfoJson[] {
    return pluginConfig(this.#options.registry, pluginName);
  }

  validateConnectorConfig(config: Record<string, string>): Promise<ConfigInfos> {
    return validateConnectorConfig(this.#options.registry, config, this.#validationOptions());
  }

  // ---- config changes ----

  putConnectorConfig(name: string, config: Record<string, string>, allowReplace: boolean, initialState?: TargetState): Promise<PutConfigResult> {
    return this.#serial(() => this.#putConnectorConfig(name, config, allowReplace, initialState));
  }

  patchConnectorConfig(name: string, patch: Record<string, string | null>): Promise<ConnectorInfo> {
    // Read and written on the queue: concurrent patches each see the one before.
    return this.#serial(async () => {
      const current = this.#config(name);
      if (!current) throw new NotFoundException(`Connector ${name} not found`);
      const merged: Record<string, string> = { ...current };
      for (const [key, value] of Object.entries(patch)) {
        if (value === null) delete merged[key];
        else merged[key] = value;
      }
      return (await this.#putConnectorConfig(name, merged, true)).info;
    });
  }

  async #putConnectorConfig(name: string, config: Record<string, string>, allowReplace: boolean, initialState?: TargetState): Promise<PutConfigResult> {
    // Kafka validates before it looks for the connector: an invalid duplicate is a 400, not a 409.
    await assertValidConnectorConfig(this.#options.registry, config, this.#validationOptions());
    const exists = this.#config(name) !== undefined;
    if (exists && !allowReplace) throw new AlreadyExistsException(`Connector ${name} already exists`);
    if (exists) await this.#worker.stopAndAwaitConnector(name);
    await this.#configStore.putConnectorConfig(name, config, exists ? undefined : (initialState ?? "STARTED"));
    // The answer shows the tasks as they are when the config is written (none for a new
    // connector), as Kafka's distributed workers answer.
    const info = this.#info(name) as ConnectorInfo;
    await this.#startConnector(name);
    await this.#updateConnectorTasks(name);
    this.#log.info({ connector: name, created: !exists }, exists ? "connector reconfigured" : "connector created");
    return { created: !exists, info };
  }

  deleteConnector(name: string): Promise<void> {
    return this.#serial(async () => {
      if (!this.#config(name)) throw new NotFoundException(`Connector ${name} not found`);
      await this.#removeConnectorTasks(name);
      await this.#worker.stopAndAwaitConnector(name);
      await this.#configStore.removeConnectorConfig(name);
      this.#appliedConfigs.delete(name);
      await this.#statusStore.deleteConnector(name);
      this.#log.info({ connector: name }, "connector deleted");
    });
  }

  // ---- target states ----

  pauseConnector(name: string): Promise<void> {
    return this.#serial(async () => {
      if (!this.#config(name)) throw new NotFoundException(`Unknown connector ${name}`);
      await this.#configStore.putTargetState(name, "PAUSED");
      await this.#worker.setTargetState(name, "PAUSED");
    });
  }

  resumeConnector(name: string): Promise<void> {
    return this.#serial(async () => {
      if (!this.#config(name)) throw new NotFoundException(`Unknown connector ${name}`);
      await this.#configStore.putTargetState(name, "STARTED");
      await this.#worker.setTargetState(name, "STARTED");
      await this.#updateConnectorTasks(name);
    });
  }

  stopConnector(name: string): Promise<void> {
    return this.#serial(async () => {
      if (!this.#config(name)) throw new NotFoundException(`Unknown connector ${name}`);
      await this.#removeConnectorTasks(name);
      await this.#configStore.putTargetState(name, "STOPPED");
      await this.#worker.setTargetState(name, "STOPPED");
    });
  }

  // ---- restarts ----

  restartConnector(request: RestartRequest): Promise<ConnectorStateInfo | null> {
    return this.#serial(async () => {
      const name = request.connector;
      if (!this.#config(name)) throw new NotFoundException(`Unknown connector: ${name}`);
      if (!request.onlyFailed && !request.includeTasks) {
        // Kafka's plain restart (no query parameters): the connector instance only, answered 204.
        await this.#worker.stopAndAwaitConnector(name);
        await this.#startConnector(name);
        if (this.#snapshot().targetStates.get(name) === "STARTED") await this.#updateConnectorTasks(name);
        return null;
      }
      const status = this.#statusStore.get(name);
      if (!status) throw new NotFoundException(`Status for connector ${name} not found`);
      const restartConnector = !request.onlyFailed || status.state === "FAILED";
      const tasks = this.#statusStore.getAllTasks(name);
      const tasksToRestart = tasks.filter((t) => request.includeTasks && (!request.onlyFailed || t.state === "FAILED")).map((t) => t.id);
      const restarting = new Set(tasksToRestart.map((id) => id.task));
      const config = this.#config(name);
      const type = connectorTypeOf(this.#options.registry, config);
      const version = connectorVersionOf(this.#options.registry, config);
      const plan = connectorStateInfo(
        name,
        restartConnector ? { ...status, state: "RESTARTING" } : status,
        tasks.map((t) => (restarting.has(t.id.task) ? { ...t, state: "RESTARTING" } : t)),
        type,
        version,
      );
      this.#log.info({ connector: name, restartConnector, tasks: tasksToRestart.map((t) => t.task) }, "restarting");
      if (restartConnector) {
        await this.#worker.stopAndAwaitConnector(name);
        this.#putConnector(name, "RESTARTING");
      }
      if (tasksToRestart.length > 0) {
        await this.#worker.stopAndAwaitTasks(tasksToRestart);
        for (const id of tasksToRestart) this.#putTask(id, "RESTARTING");
      }
      if (restartConnector) await this.#startConnector(name);
      for (const id of tasksToRestart) await this.#startTask(id);
      return plan;
    });
  }

  restartTask(id: ConnectorId): Promise<void> {
    return this.#serial(async () => {
      if (!this.#config(id.connector)) throw new NotFoundException(`Unknown connector: ${id.connector}`);
      const taskConfig = this.#snapshot().taskConfigs.get(id.connector)?.[id.task];
      if (!taskConfig) throw new NotFoundException(`Unknown task: ${taskName(id)}`);
      await this.#worker.stopAndAwaitTasks([id]);
      await this.#startTask(id);
    });
  }

  // ---- offsets (KIP-875) ----

  async connectorOffsets(name: string): Promise<ConnectorOffsets> {
    const config = this.#config(name);
    if (!config) throw new NotFoundException(`Connector ${name} not found`);
    return this.#offsets.get(name, config);
  }

  alterConnectorOffsets(name: string, offsets: ConnectorOffsets): Promise<string> {
    if (offsets.offsets.length === 0) return Promise.reject(new ConnectException("The offsets to be altered may not be null or empty"));
    return this.#serial(async () => this.#offsets.modify(name, this.#requireStopped(name), offsets.offsets));
  }

  resetConnectorOffsets(name: string): Promise<string> {
    return this.#serial(async () => this.#offsets.modify(name, this.#requireStopped(name), null));
  }

  #requireStopped(name: string): Record<string, string> {
    const config = this.#config(name);
    if (!config) throw new NotFoundException(`Connector ${name} not found`);
    if (this.#snapshot().targetStates.get(name) !== "STOPPED" || this.#taskIds(name).length > 0) {
      throw new BadRequestError(
        `Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/${name}/stop' endpoint`,
      );
    }
    return config;
  }

  // ---- the work behind the requests (always on the queue) ----

  async #startConnector(name: string): Promise<void> {
    const snapshot = this.#snapshot();
    const config = snapshot.connectorConfigs.get(name);
    if (!config) return;
    await this.#worker.startConnector(name, config, snapshot.targetStates.get(name) ?? "STARTED");
  }

  async #startTask(id: ConnectorId): Promise<void> {
    const snapshot = this.#snapshot();
    const config = snapshot.connectorConfigs.get(id.connector);
    const taskConfig = snapshot.taskConfigs.get(id.connector)?.[id.task];
    if (!config || !taskConfig) return;
    if (connectorTypeOf(this.#options.registry, config) === "unknown") {
      throw new ConnectRestError(500, `Failed to start task ${taskName(id)} since it is not a recognizable type (source or sink)`);
    }
    await this.#worker.startTask(id, config, taskConfig, snapshot.targetStates.get(id.connector) ?? "STARTED");
  }

  async #removeConnectorTasks(name: string): Promise<void> {
    const ids = this.#taskIds(name);
    if (ids.length === 0) return;
    await this.#worker.stopAndAwaitTasks(ids);
    await this.#configStore.putTaskConfigs(name, []);
    this.#appliedConfigs.delete(name);
    for (const id of ids) this.#putTask(id, "DESTROYED");
  }

  /** Asks the connector for its task configs and, if they changed, replaces the running tasks. */
  async #updateConnectorTasks(name: string): Promise<void> {
    const snapshot = this.#snapshot();
    const config = snapshot.connectorConfigs.get(name);
    if (!config) return;
    if (!this.#worker.isRunning(name)) {
      this.#log.info({ connector: name }, "not updating tasks: the connector is not running");
      return;
    }
    const targetState = snapshot.targetStates.get(name);
    if (targetState !== "STARTED") {
      this.#log.info({ connector: name, targetState }, "not updating tasks: the connector is not started");
      return;
    }
    let generated: Record<string, string>[];
    try {
      generated = await this.#worker.connectorTaskConfigs(name, config);
    } catch (err) {
      this.#log.error({ err, connector: name }, "the connector failed to generate task configs");
      this.#putConnector(name, "FAILED", err instanceof Error ? err : new Error(String(err)));
      return;
    }
    const current = snapshot.taskConfigs.get(name) ?? [];
    const changed =
      generated.length !== current.length || generated.some((c, i) => !sameConfig(c, current[i])) || !sameConfig(this.#appliedConfigs.get(name), config);
    if (!changed) return;
    await this.#removeConnectorTasks(name);
    await this.#configStore.putTaskConfigs(name, generated);
    this.#appliedConfigs.set(name, { ...config });
    for (const id of this.#taskIds(name)) await this.#startTask(id);
  }
}

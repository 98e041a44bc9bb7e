// What the standalone and distributed herders share (Kafka's AbstractHerder): the answers read
// from the config snapshot and the status store (connector info, statuses, task configs, active
// topics, plugins, validation, offsets), the restart plan a restart request answers with, the
// status reports the worker sends, the one-at-a-time queue every change runs on, and /health.
// The subclasses add how changes are written (standalone: at once, in memory; distributed: by
// the group's leader, through the config topic) and what runs where.
import { ConnectException, NotFoundException } from "../../api/index.ts";
import type { Logger } from "../../../lib/logger.ts";
import type { ClusterConfigState, ConfigBackingStore, ConnectorStatus, OffsetBackingStore, StatusBackingStore, TaskStatus } from "../../storage/types.ts";
import type { PluginRegistry } from "../plugins/registry.ts";
import type { WorkerConfig } from "../worker-config.ts";
import type { ConnectorControl, StatusListener, Worker } from "../worker-contract.ts";
import { type ConnectorValidationOptions, validateConnectorConfig } from "./config-validation.ts";
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

export type HerderState = "new" | "starting" | "running" | "stopping" | "stopped";

export interface AbstractHerderOptions<C extends ConfigBackingStore> {
  readonly registry: PluginRegistry;
  readonly workerConfig: WorkerConfig;
  /** Builds the worker with the herder's hooks (the worker reports to the herder it serves). */
  readonly createWorker: (hooks: WorkerHooks) => Worker;
  readonly configStore: C;
  readonly statusStore: StatusBackingStore;
  /** The source offsets, for the offsets REST endpoints. */
  readonly offsetStore: OffsetBackingStore;
  /** Consumer group offsets of sink connectors (GET/PATCH/DELETE .../offsets of sinks). */
  readonly sinkAdmin?: SinkOffsetsAdmin | null;
  readonly kafkaClusterId: string;
  readonly log: Logger;
  /** How long /health waits for the herder to answer (Kafka: 10 s). */
  readonly healthTimeoutMs?: number;
}

/** What a status report carries besides the state; null: the report is dropped. */
export interface StatusStamp {
  readonly generation: number;
  readonly version?: string | null;
}

export const taskName = (id: ConnectorId): string => `${id.connector}-${id.task}`;

export const sameConfig = (a: Readonly<Record<string, string>> | undefined, b: Readonly<Record<string, string>> | undefined): boolean => {
  if (a === undefined || b === undefined) return a === b;
  const ak = Object.keys(a);
  return ak.length === Object.keys(b).length && ak.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
};

/** KIP-477: the config with the patch applied (a null value removes the key). */
export function patchedConfig(current: Readonly<Record<string, string>>, patch: Readonly<Record<string, string | null>>): Record<string, string> {
  const merged: Record<string, string> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

const UNHEALTHY = { status: "unhealthy", message: "Worker was unable to handle this request and may be unable to handle other requests." } as const;

export abstract class AbstractHerder<C extends ConfigBackingStore = ConfigBackingStore> implements Herder {
  protected readonly registry: PluginRegistry;
  protected readonly log: Logger;
  protected readonly configStore: C;
  protected readonly statusStore: StatusBackingStore;
  readonly #offsets: ConnectorOffsetsManager;
  protected state: HerderState = "new";
  readonly #options: AbstractHerderOptions<C>;
  readonly #worker: Worker;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: AbstractHerderOptions<C>) {
    this.#options = options;
    this.registry = options.registry;
    this.log = options.log;
    this.configStore = options.configStore;
    this.statusStore = options.statusStore;
    this.#offsets = new ConnectorOffsetsManager({ registry: options.registry, offsetStore: options.offsetStore, sinkAdmin: options.sinkAdmin ?? null });
    // The hooks call into the subclass only when the worker reports, never while it is built.
    this.#worker = options.createWorker({
      statusListener: this.#statusListener(),
      connectorControl: { requestTaskReconfiguration: (connector) => this.onTaskReconfigurationRequest(connector) },
    });
  }

  get worker(): Worker {
    return this.#worker;
  }

  kafkaClusterId(): string {
    return this.#options.kafkaClusterId;
  }

  // ---- what the subclasses decide ----

  abstract start(): Promise<void>;
  abstract stop(): Promise<void>;
  abstract putConnectorConfig(name: string, config: Record<string, string>, allowReplace: boolean, initialState?: TargetState): Promise<PutConfigResult>;
  abstract patchConnectorConfig(name: string, patch: Record<string, string | null>): Promise<ConnectorInfo>;
  abstract deleteConnector(name: string): Promise<void>;
  abstract pauseConnector(name: string): Promise<void>;
  abstract resumeConnector(name: string): Promise<void>;
  abstract stopConnector(name: string): Promise<void>;
  abstract restartConnector(request: RestartRequest): Promise<ConnectorStateInfo | null>;
  abstract restartTask(id: ConnectorId): Promise<void>;
  /** A running connector asked for its tasks to be reconfigured (ConnectorContext.requestTaskReconfiguration). */
  protected abstract onTaskReconfigurationRequest(connector: string): void;
  /** The generation (and version) a status report carries; null drops the report. */
  protected abstract statusStamp(connector: string): StatusStamp | null;

  /** Whether the herder has finished starting beyond its own state (distributed: a first assignment). */
  protected startupComplete(): boolean {
    return true;
  }

  // ---- the queue ----

  /** Runs a change after every change queued before it (Kafka's synchronized methods, its herder thread). */
  protected serial<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(work, work);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  /** Queues work nobody waits for; a failure is logged. */
  protected background(what: string, work: () => Promise<void>): void {
    this.serial(work).catch((err: unknown) => this.log.error({ err: (err as Error).message, what }, "herder work failed"));
  }

  async health(): Promise<{ status: "healthy" | "starting" | "unhealthy"; message: string }> {
    if (this.state === "new" || this.state === "starting" || !this.startupComplete()) return { status: "starting", message: "Worker is still starting up." };
    if (this.state !== "running") return UNHEALTHY;
    const timeoutMs = this.#options.healthTimeoutMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    const answered = await Promise.race([this.serial(async () => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)))]);
    clearTimeout(timer);
    return answered ? { status: "healthy", message: "Worker has completed startup and is ready to handle requests." } : UNHEALTHY;
  }

  // ---- reads (from the config snapshot and the status store) ----

  protected snapshot(): ClusterConfigState {
    return this.configStore.snapshot();
  }

  protected config(name: string): Record<string, string> | undefined {
    return this.snapshot().connectorConfigs.get(name);
  }

  protected taskIds(name: string, snapshot = this.snapshot()): ConnectorId[] {
    const count = snapshot.taskConfigs.get(name)?.length ?? 0;
    return Array.from({ length: count }, (_, task) => ({ connector: name, task }));
  }

  protected info(name: string): ConnectorInfo | null {
    const config = this.config(name);
    if (!config) return null;
    return { name, config, tasks: this.taskIds(name), type: connectorTypeOf(this.registry, config) };
  }

  async connectors(): Promise<string[]> {
    return [...this.snapshot().connectorConfigs.keys()].sort();
  }

  async connectorInfo(name: string): Promise<ConnectorInfo> {
    const info = this.info(name);
    if (!info) throw new NotFoundException(`Connector ${name} not found`);
    return info;
  }

  async connectorConfig(name: string): Promise<Record<string, string>> {
    return (await this.connectorInfo(name)).config;
  }

  async connectorType(name: string): Promise<ConnectorType> {
    return connectorTypeOf(this.registry, this.config(name));
  }

  async connectorStatus(name: string): Promise<ConnectorStateInfo> {
    const status = this.statusStore.get(name);
    if (!status) throw new NotFoundException(`No status found for connector ${name}`);
    const config = this.config(name);
    const tasks = this.statusStore.getAllTasks(name);
    const fallback = connectorVersionOf(this.registry, config);
    const info = connectorStateInfo(name, status, tasks, connectorTypeOf(this.registry, config), fallback);
    // The version is the one the worker running the instance recorded (KIP-891): in a mixed or
    // upgrading cluster it need not be this worker's.
    const connectorVersion = status.version ?? fallback;
    if (connectorVersion !== undefined) info.connector.version = connectorVersion;
    for (const t of info.tasks) {
      const v = tasks.find((s) => s.id.task === t.id)?.version ?? fallback;
      if (v !== undefined) t.version = v;
    }
    return info;
  }

  async taskStatus(id: ConnectorId): Promise<TaskStateInfo> {
    const status = this.statusStore.getTask(id);
    if (!status) throw new NotFoundException(`No status found for task ${taskName(id)}`);
    return taskStateInfo(status, status.version ?? connectorVersionOf(this.registry, this.config(id.connector)));
  }

  async taskConfigs(name: string): Promise<TaskInfo[]> {
    const snapshot = this.snapshot();
    const tasks = snapshot.taskConfigs.get(name);
    if (!tasks || !snapshot.connectorConfigs.has(name)) throw new NotFoundException(`Connector ${name} not found`);
    return tasks.map((config, task) => ({ id: { connector: name, task }, config: { ...config } }));
  }

  async connectorActiveTopics(name: string): Promise<string[]> {
    return this.statusStore.getTopics(name);
  }

  async resetConnectorActiveTopics(name: string): Promise<void> {
    await this.statusStore.deleteTopics(name);
  }

  plugins(connectorsOnly: boolean): PluginInfo[] {
    return pluginInfos(this.registry, connectorsOnly);
  }

  pluginConfig(pluginName: string): ConfigKeyInfoJson[] {
    return pluginConfig(this.registry, pluginName);
  }

  protected validationOptions(): ConnectorValidationOptions {
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

  validateConnectorConfig(config: Record<string, string>): Promise<ConfigInfos> {
    return validateConnectorConfig(this.registry, config, this.validationOptions());
  }

  async connectorOffsets(name: string): Promise<ConnectorOffsets> {
    const config = this.config(name);
    if (!config) throw new NotFoundException(`Connector ${name} not found`);
    return this.#offsets.get(name, config);
  }

  /** KIP-875: offsets change only while the connector is STOPPED and has no tasks; its config. */
  protected requireStopped(name: string): Record<string, string> {
    const config = this.config(name);
    if (!config) throw new NotFoundException(`Connector ${name} not found`);
    if (this.snapshot().targetStates.get(name) !== "STOPPED" || this.taskIds(name).length > 0) {
      throw new BadRequestError(
        `Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/${name}/stop' endpoint`,
      );
    }
    return config;
  }

  /** Checks a herder makes before it changes offsets (distributed: only the leader may). */
  protected beforeOffsetsChange(): void {}

  alterConnectorOffsets(name: string, offsets: ConnectorOffsets): Promise<string> {
    if (offsets.offsets.length === 0) return Promise.reject(new ConnectException("The offsets to be altered may not be null or empty"));
    return this.serial(async () => {
      this.beforeOffsetsChange();
      return this.#offsets.modify(name, this.requireStopped(name), offsets.offsets);
    });
  }

  resetConnectorOffsets(name: string): Promise<string> {
    return this.serial(async () => {
      this.beforeOffsetsChange();
      return this.#offsets.modify(name, this.requireStopped(name), null);
    });
  }

  // ---- restarts (KIP-745) ----

  /** The tasks a restart request restarts, from their statuses. */
  protected tasksToRestart(request: RestartRequest): ConnectorId[] {
    if (!request.includeTasks) return [];
    return this.statusStore
      .getAllTasks(request.connector)
      .filter((t) => !request.onlyFailed || t.state === "FAILED")
      .map((t) => t.id);
  }

  /** The status a restart request answers with: what it restarts shown as RESTARTING. */
  protected restartPlan(request: RestartRequest, status: ConnectorStatus): ConnectorStateInfo {
    const name = request.connector;
    const restartConnector = !request.onlyFailed || status.state === "FAILED";
    const tasks = this.statusStore.getAllTasks(name);
    const restarting = new Set(this.tasksToRestart(request).map((id) => id.task));
    const config = this.config(name);
    return connectorStateInfo(
      name,
      restartConnector ? { ...status, state: "RESTARTING" } : status,
      tasks.map((t) => (restarting.has(t.id.task) ? { ...t, state: "RESTARTING" } : t)),
      connectorTypeOf(this.registry, config),
      connectorVersionOf(this.registry, config),
    );
  }

  // ---- starting connectors and tasks (on the queue) ----

  protected async startConnector(name: string): Promise<void> {
    const snapshot = this.snapshot();
    const config = snapshot.connectorConfigs.get(name);
    if (!config) return;
    await this.#worker.startConnector(name, config, snapshot.targetStates.get(name) ?? "STARTED");
  }

  protected async startTask(id: ConnectorId, snapshot = this.snapshot()): Promise<void> {
    const config = snapshot.connectorConfigs.get(id.connector);
    const taskConfig = snapshot.taskConfigs.get(id.connector)?.[id.task];
    if (!config || !taskConfig) return;
    // Distributed mode: a connector whose task configs are incomplete runs no tasks until it writes new ones.
    if (snapshot.inconsistentConnectors?.has(id.connector)) return;
    if (connectorTypeOf(this.registry, config) === "unknown") {
      throw new ConnectRestError(500, `Failed to start task ${taskName(id)} since it is not a recognizable type (source or sink)`);
    }
    await this.#worker.startTask(id, config, taskConfig, snapshot.targetStates.get(id.connector) ?? "STARTED");
  }

  // ---- status reporting (Kafka's AbstractHerder listener methods) ----

  protected putConnector(connector: string, state: ConnectorState, error?: Error, safe = false): void {
    const stamp = this.statusStamp(connector);
    if (stamp === null) return;
    const status: ConnectorStatus = { id: connector, state, trace: error ? errorTrace(error) : null, workerId: this.#worker.workerId, ...stamp };
    (safe ? this.statusStore.putSafe(status) : this.statusStore.put(status)).catch((err: unknown) =>
      this.log.error({ err: (err as Error).message, connector }, "could not record the connector's status"),
    );
  }

  protected putTask(id: ConnectorId, state: ConnectorState, error?: Error, safe = false): void {
    const stamp = this.statusStamp(id.connector);
    if (stamp === null) return;
    const status: TaskStatus = { id, state, trace: error ? errorTrace(error) : null, workerId: this.#worker.workerId, ...stamp };
    (safe ? this.statusStore.putTaskSafe(status) : this.statusStore.putTask(status)).catch((err: unknown) =>
      this.log.error({ err: (err as Error).message, task: taskName(id) }, "could not record the task's status"),
    );
  }

  #statusListener(): StatusListener {
    return {
      onConnectorStartup: (c) => this.putConnector(c, "RUNNING"),
      onConnectorRunning: (c) => this.putConnector(c, "RUNNING"),
      onConnectorPause: (c) => this.putConnector(c, "PAUSED"),
      onConnectorStop: (c) => this.putConnector(c, "STOPPED"),
      onConnectorFailure: (c, error) => this.putConnector(c, "FAILED", error),
      // Another worker may already run it (a rebalance moved it): only overwrite an older report.
      onConnectorShutdown: (c) => this.putConnector(c, "UNASSIGNED", undefined, true),
      onConnectorRestart: (c) => this.putConnector(c, "RESTARTING"),
      onTaskStartup: (id) => this.putTask(id, "RUNNING"),
      onTaskRunning: (id) => this.putTask(id, "RUNNING"),
      onTaskPause: (id) => this.putTask(id, "PAUSED"),
      onTaskFailure: (id, error) => this.putTask(id, "FAILED", error),
      onTaskShutdown: (id) => this.putTask(id, "UNASSIGNED", undefined, true),
      onTaskRestart: (id) => this.putTask(id, "RESTARTING"),
      onTopicActive: (connector, topic) => {
        this.statusStore.putTopic(connector, topic).catch((err: unknown) => this.log.error({ err: (err as Error).message, connector, topic }, "could not record an active topic"));
      },
    };
  }
}

// The standalone herder (Kafka's StandaloneHerder): one worker is the whole cluster. Connector
// configs and target states live in memory (MemoryConfigStore), statuses too
// (MemoryStatusStore), source offsets in offset.storage.file.filename (the worker's offset
// store). Every change runs on one queue, one at a time, as Kafka's synchronized methods do, so
// a request sees the effects of the requests before it.
import { AlreadyExistsException, NotFoundException } from "../../api/index.ts";
import type { Logger } from "../../../lib/logger.ts";
import { MemoryConfigStore } from "../../storage/memory-config-store.ts";
import { MemoryStatusStore } from "../../storage/memory-status-store.ts";
import type { OffsetBackingStore } from "../../storage/types.ts";
import type { PluginRegistry } from "../plugins/registry.ts";
import type { WorkerConfig } from "../worker-config.ts";
import type { Worker } from "../worker-contract.ts";
import { AbstractHerder, patchedConfig, sameConfig, type StatusStamp, taskName, type WorkerHooks } from "./abstract-herder.ts";
import { assertValidConnectorConfig } from "./config-validation.ts";
import type { SinkOffsetsAdmin } from "./connector-offsets.ts";
import type { ConnectorId, ConnectorInfo, ConnectorStateInfo } from "./entities.ts";
import type { PutConfigResult, RestartRequest, TargetState } from "./herder.ts";

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

export class StandaloneHerder extends AbstractHerder<MemoryConfigStore> {
  /** The connector config each connector's current task configs were generated from. */
  readonly #appliedConfigs = new Map<string, Record<string, string>>();

  constructor(options: StandaloneHerderOptions) {
    super({ ...options, configStore: new MemoryConfigStore(), statusStore: new MemoryStatusStore() });
  }

  // One worker, one generation: every report is recorded.
  protected statusStamp(): StatusStamp {
    return { generation: 0 };
  }

  protected onTaskReconfigurationRequest(connector: string): void {
    this.background("task reconfiguration request", async () => {
      if (!this.worker.connectorNames().includes(connector)) {
        this.log.error({ connector }, "a connector that is not running asked for task reconfiguration");
        return;
      }
      await this.#updateConnectorTasks(connector);
    });
  }

  // ---- lifecycle ----

  async start(): Promise<void> {
    this.state = "starting";
    this.log.info("herder starting");
    await this.worker.start();
    await this.statusStore.start();
    await this.configStore.start();
    this.state = "running";
    this.log.info("herder started");
  }

  async stop(): Promise<void> {
    if (this.state === "stopped" || this.state === "new") {
      this.state = "stopped";
      return;
    }
    this.state = "stopping";
    this.log.info("herder stopping");
    await this.serial(async () => {
      // No hand-off in standalone mode: stop every task and connector cleanly (offsets committed).
      for (const name of this.snapshot().connectorConfigs.keys()) {
        const ids = this.taskIds(name);
        if (ids.length > 0) await this.worker.stopAndAwaitTasks(ids);
        await this.worker.stopAndAwaitConnector(name);
      }
      await this.worker.stop();
      await this.statusStore.stop();
      await this.configStore.stop();
    });
    this.state = "stopped";
    this.log.info("herder stopped");
  }

  // ---- config changes ----

  putConnectorConfig(name: string, config: Record<string, string>, allowReplace: boolean, initialState?: TargetState): Promise<PutConfigResult> {
    return this.serial(() => this.#putConnectorConfig(name, config, allowReplace, initialState));
  }

  patchConnectorConfig(name: string, patch: Record<string, string | null>): Promise<ConnectorInfo> {
    // Read and written on the queue: concurrent patches each see the one before.
    return this.serial(async () => {
      const current = this.config(name);
      if (!current) throw new NotFoundException(`Connector ${name} not found`);
      return (await this.#putConnectorConfig(name, patchedConfig(current, patch), true)).info;
    });
  }

  async #putConnectorConfig(name: string, config: Record<string, string>, allowReplace: boolean, initialState?: TargetState): Promise<PutConfigResult> {
    // Kafka validates before it looks for the connector: an invalid duplicate is a 400, not a 409.
    await assertValidConnectorConfig(this.registry, config, this.validationOptions());
    const exists = this.config(name) !== undefined;
    if (exists && !allowReplace) throw new AlreadyExistsException(`Connector ${name} already exists`);
    if (exists) await this.worker.stopAndAwaitConnector(name);
    await this.configStore.putConnectorConfig(name, config, exists ? undefined : (initialState ?? "STARTED"));
    // The answer shows the tasks as they are when the config is written (none for a new
    // connector), as Kafka's distributed workers answer.
    const info = this.info(name) as ConnectorInfo;
    await this.startConnector(name);
    await this.#updateConnectorTasks(name);
    this.log.info({ connector: name, created: !exists }, exists ? "connector reconfigured" : "connector created");
    return { created: !exists, info };
  }

  deleteConnector(name: string): Promise<void> {
    return this.serial(async () => {
      if (!this.config(name)) throw new NotFoundException(`Connector ${name} not found`);
      await this.#removeConnectorTasks(name);
      await this.worker.stopAndAwaitConnector(name);
      await this.configStore.removeConnectorConfig(name);
      this.#appliedConfigs.delete(name);
      await this.statusStore.deleteConnector(name);
      this.log.info({ connector: name }, "connector deleted");
    });
  }

  // ---- target states ----

  pauseConnector(name: string): Promise<void> {
    return this.serial(async () => {
      if (!this.config(name)) throw new NotFoundException(`Unknown connector ${name}`);
      await this.configStore.putTargetState(name, "PAUSED");
      await this.worker.setTargetState(name, "PAUSED");
    });
  }

  resumeConnector(name: string): Promise<void> {
    return this.serial(async () => {
      if (!this.config(name)) throw new NotFoundException(`Unknown connector ${name}`);
      await this.configStore.putTargetState(name, "STARTED");
      await this.worker.setTargetState(name, "STARTED");
      await this.#updateConnectorTasks(name);
    });
  }

  stopConnector(name: string): Promise<void> {
    return this.serial(async () => {
      if (!this.config(name)) throw new NotFoundException(`Unknown connector ${name}`);
      await this.#removeConnectorTasks(name);
      await this.configStore.putTargetState(name, "STOPPED");
      await this.worker.setTargetState(name, "STOPPED");
    });
  }

  // ---- restarts ----

  restartConnector(request: RestartRequest): Promise<ConnectorStateInfo | null> {
    return this.serial(async () => {
      const name = request.connector;
      if (!this.config(name)) throw new NotFoundException(`Unknown connector: ${name}`);
      if (!request.onlyFailed && !request.includeTasks) {
        // Kafka's plain restart (no query parameters): the connector instance only, answered 204.
        await this.worker.stopAndAwaitConnector(name);
        await this.startConnector(name);
        if (this.snapshot().targetStates.get(name) === "STARTED") await this.#updateConnectorTasks(name);
        return null;
      }
      const status = this.statusStore.get(name);
      if (!status) throw new NotFoundException(`Status for connector ${name} not found`);
      const restartConnector = !request.onlyFailed || status.state === "FAILED";
      const tasksToRestart = this.tasksToRestart(request);
      const plan = this.restartPlan(request, status);
      this.log.info({ connector: name, restartConnector, tasks: tasksToRestart.map((t) => t.task) }, "restarting");
      if (restartConnector) {
        await this.worker.stopAndAwaitConnector(name);
        this.putConnector(name, "RESTARTING");
      }
      if (tasksToRestart.length > 0) {
        await this.worker.stopAndAwaitTasks(tasksToRestart);
        for (const id of tasksToRestart) this.putTask(id, "RESTARTING");
      }
      if (restartConnector) await this.startConnector(name);
      for (const id of tasksToRestart) await this.startTask(id);
      return plan;
    });
  }

  restartTask(id: ConnectorId): Promise<void> {
    return this.serial(async () => {
      if (!this.config(id.connector)) throw new NotFoundException(`Unknown connector: ${id.connector}`);
      const taskConfig = this.snapshot().taskConfigs.get(id.connector)?.[id.task];
      if (!taskConfig) throw new NotFoundException(`Unknown task: ${taskName(id)}`);
      await this.worker.stopAndAwaitTasks([id]);
      await this.startTask(id);
    });
  }

  // ---- the work behind the requests (always on the queue) ----

  async #removeConnectorTasks(name: string): Promise<void> {
    const ids = this.taskIds(name);
    if (ids.length === 0) return;
    await this.worker.stopAndAwaitTasks(ids);
    await this.configStore.putTaskConfigs(name, []);
    this.#appliedConfigs.delete(name);
    for (const id of ids) this.putTask(id, "DESTROYED");
  }

  /** Asks the connector for its task configs and, if they changed, replaces the running tasks. */
  async #updateConnectorTasks(name: string): Promise<void> {
    const snapshot = this.snapshot();
    const config = snapshot.connectorConfigs.get(name);
    if (!config) return;
    if (!this.worker.isRunning(name)) {
      this.log.info({ connector: name }, "not updating tasks: the connector is not running");
      return;
    }
    const targetState = snapshot.targetStates.get(name);
    if (targetState !== "STARTED") {
      this.log.info({ connector: name, targetState }, "not updating tasks: the connector is not started");
      return;
    }
    let generated: Record<string, string>[];
    try {
      generated = await this.worker.connectorTaskConfigs(name, config);
    } catch (err) {
      this.log.error({ err, connector: name }, "the connector failed to generate task configs");
      this.putConnector(name, "FAILED", err instanceof Error ? err : new Error(String(err)));
      return;
    }
    const current = snapshot.taskConfigs.get(name) ?? [];
    const changed =
      generated.length !== current.length || generated.some((c, i) => !sameConfig(c, current[i])) || !sameConfig(this.#appliedConfigs.get(name), config);
    if (!changed) return;
    await this.#removeConnectorTasks(name);
    await this.configStore.putTaskConfigs(name, generated);
    this.#appliedConfigs.set(name, { ...config });
    for (const id of this.taskIds(name)) await this.startTask(id);
  }
}

// A Worker (connect/runtime/worker-contract.ts) that runs nothing and records what its herder
// tells it: which connectors and tasks it runs, in which target state, when each started. For
// the distributed herder's group tests (assignment, rebalances, forwarding), which are about who
// runs what, not about moving records. It reports states to the herder as a worker does, and
// its connectors "generate" tasks.max task configs.
import type { ConnectorId } from "../../connect/runtime/herder/entities.ts";
import type { TargetState } from "../../connect/runtime/herder/herder.ts";
import type { ConnectorControl, StatusListener, Worker } from "../../connect/runtime/worker-contract.ts";

const key = (id: ConnectorId): string => `${id.connector}/${id.task}`;

export interface RunningTask {
  readonly config: Record<string, string>;
  readonly taskConfig: Record<string, string>;
  targetState: TargetState;
  readonly startedAt: number;
}

export class RecordingWorker implements Worker {
  readonly workerId: string;
  readonly connectors = new Map<string, { config: Record<string, string>; targetState: TargetState; startedAt: number }>();
  readonly tasks = new Map<string, RunningTask>();
  /** Every start, in order ("connector:<name>" / "task:<connector>/<n>"). */
  readonly starts: string[] = [];
  readonly #listener: StatusListener;
  readonly control: ConnectorControl;
  readonly #taskConfigs: (connector: string, config: Record<string, string>) => Record<string, string>[];

  /** `taskConfigs`: what the connectors generate (default: tasks.max configs {task, of, topic}). */
  constructor(
    workerId: string,
    hooks: { statusListener: StatusListener; connectorControl: ConnectorControl },
    taskConfigs?: (connector: string, config: Record<string, string>) => Record<string, string>[],
  ) {
    this.workerId = workerId;
    this.#listener = hooks.statusListener;
    this.control = hooks.connectorControl;
    this.#taskConfigs =
      taskConfigs ??
      ((_connector, config) => {
        const n = Number(config["tasks.max"] ?? "1");
        return Array.from({ length: n }, (_, i) => ({ task: String(i), of: String(n), topic: config.topic ?? "" }));
      });
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {
    await this.stopAndAwaitTasks([...this.tasks.keys()].map((k) => ({ connector: k.slice(0, k.lastIndexOf("/")), task: Number(k.slice(k.lastIndexOf("/") + 1)) })));
    for (const c of [...this.connectors.keys()]) await this.stopAndAwaitConnector(c);
  }

  async startConnector(connector: string, config: Record<string, string>, targetState: TargetState): Promise<void> {
    this.connectors.set(connector, { config, targetState, startedAt: Date.now() });
    this.starts.push(`connector:${connector}`);
    this.#report(connector, targetState);
  }

  #report(connector: string, state: TargetState): void {
    if (state === "STARTED") this.#listener.onConnectorStartup(connector);
    else if (state === "PAUSED") this.#listener.onConnectorPause(connector);
    else this.#listener.onConnectorStop(connector);
  }

  async connectorTaskConfigs(connector: string, config: Record<string, string>): Promise<Record<string, string>[]> {
    return this.#taskConfigs(connector, config);
  }

  async stopAndAwaitConnector(connector: string): Promise<void> {
    if (!this.connectors.delete(connector)) return;
    this.#listener.onConnectorShutdown(connector);
  }

  async startTask(id: ConnectorId, connectorConfig: Record<string, string>, taskConfig: Record<string, string>, targetState: TargetState): Promise<void> {
    this.tasks.set(key(id), { config: connectorConfig, taskConfig, targetState, startedAt: Date.now() });
    this.starts.push(`task:${key(id)}`);
    if (targetState === "PAUSED") this.#listener.onTaskPause(id);
    else this.#listener.onTaskStartup(id);
  }

  async stopAndAwaitTasks(ids: readonly ConnectorId[]): Promise<void> {
    for (const id of ids) if (this.tasks.delete(key(id))) this.#listener.onTaskShutdown(id);
  }

  async setTargetState(connector: string, state: TargetState): Promise<void> {
    const c = this.connectors.get(connector);
    if (c) {
      c.targetState = state;
      this.#report(connector, state);
    }
    for (const [k, t] of this.tasks) {
      if (!k.startsWith(`${connector}/`)) continue;
      t.targetState = state;
      const id = { connector, task: Number(k.slice(connector.length + 1)) };
      if (state === "PAUSED") this.#listener.onTaskPause(id);
      else if (state === "STARTED") this.#listener.onTaskRunning(id);
    }
  }

  connectorNames(): string[] {
    return [...this.connectors.keys()];
  }

  taskIds(): ConnectorId[] {
    return [...this.tasks.keys()].map((k) => ({ connector: k.slice(0, k.lastIndexOf("/")), task: Number(k.slice(k.lastIndexOf("/") + 1)) }));
  }

  isRunning(connector: string): boolean {
    return this.connectors.has(connector);
  }
}

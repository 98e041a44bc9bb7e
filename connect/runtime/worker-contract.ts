// What the herders (standalone, distributed) need from the Worker, which runs connector and
// task instances in this process (Kafka's Worker). The worker knows nothing of REST or of the
// group: it starts what it is told, reports state changes to the StatusListener, and asks the
// herder (through ConnectorControl) when a connector wants its tasks reconfigured.
import type { TargetState } from "./herder/herder.ts";
import type { ConnectorId } from "./herder/entities.ts";

/** State changes of connector and task instances; the herder writes them to the status store. */
export interface StatusListener {
  onConnectorStartup(connector: string): void;
  onConnectorRunning(connector: string): void;
  onConnectorPause(connector: string): void;
  onConnectorStop(connector: string): void;
  onConnectorFailure(connector: string, error: Error): void;
  onConnectorShutdown(connector: string): void;
  onConnectorRestart(connector: string): void;
  onTaskStartup(id: ConnectorId): void;
  onTaskRunning(id: ConnectorId): void;
  onTaskPause(id: ConnectorId): void;
  onTaskFailure(id: ConnectorId, error: Error): void;
  onTaskShutdown(id: ConnectorId): void;
  onTaskRestart(id: ConnectorId): void;
  /** KIP-558: a source task produced to, or a sink task consumed from, this topic. */
  onTopicActive(connector: string, topic: string): void;
}

/** What a running connector can ask of its herder. */
export interface ConnectorControl {
  /** The connector called context.requestTaskReconfiguration(). */
  requestTaskReconfiguration(connector: string): void;
}

export interface Worker {
  readonly workerId: string;
  start(): Promise<void>;
  /** Stops every connector and task (graceful, bounded by task.shutdown.graceful.timeout.ms). */
  stop(): Promise<void>;
  /**
   * Starts a connector instance with its (already validated) config in the given target
   * state. Resolves once started (or failed: failures go to the StatusListener, not thrown).
   */
  startConnector(connector: string, config: Record<string, string>, targetState: TargetState): Promise<void>;
  /** The connector's task configs (calls taskConfigs(tasks.max) on the running instance). */
  connectorTaskConfigs(connector: string, config: Record<string, string>): Promise<Record<string, string>[]>;
  stopAndAwaitConnector(connector: string): Promise<void>;
  /**
   * Starts a task. `connectorConfig` gives converters, transforms, error handling, topics;
   * `taskConfig` is what the connector's taskConfigs() returned for it.
   */
  startTask(id: ConnectorId, connectorConfig: Record<string, string>, taskConfig: Record<string, string>, targetState: TargetState): Promise<void>;
  stopAndAwaitTasks(ids: readonly ConnectorId[]): Promise<void>;
  /** Pauses, resumes or stops a connector and its tasks on this worker. */
  setTargetState(connector: string, state: TargetState): Promise<void>;
  connectorNames(): string[];
  taskIds(): ConnectorId[];
  isRunning(connector: string): boolean;
}

// Where a Connect cluster keeps its state (Kafka's ConfigBackingStore, OffsetBackingStore,
// StatusBackingStore). Standalone mode: memory (configs, status) and a file (offsets,
// `offset.storage.file.filename`). Distributed mode: the compacted topics named by
// `config.storage.topic`, `offset.storage.topic` and `status.storage.topic`, in Kafka
// Connect's own record formats, so a hub worker can take over a Kafka Connect cluster's topics.
import type { TargetState } from "../runtime/herder/herder.ts";
import type { ConnectorId, ConnectorState } from "../runtime/herder/entities.ts";

/**
 * Source offsets. Keys and values are the serialized forms Kafka Connect writes to the offset
 * topic: key = JSON `["<connector>",{partition}]`, value = JSON `{offset}` or null (a reset).
 */
export interface OffsetBackingStore {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The stored values of these keys (absent keys are missing from the map). */
  get(keys: readonly Buffer[]): Promise<Map<string, Buffer | null>>;
  /** Writes the entries; resolves once they are durable (acknowledged by Kafka / fsynced). */
  set(entries: ReadonlyArray<{ key: Buffer; value: Buffer | null }>): Promise<void>;
  /** Every partition key stored for a connector (for GET /connectors/{name}/offsets). */
  connectorPartitions(connector: string): Promise<Buffer[]>;
}

/** A snapshot of the cluster's connector configs (Kafka's ClusterConfigState). */
export interface ClusterConfigState {
  /** The offset in the config topic this snapshot is at (-1 in standalone mode). */
  readonly offset: number;
  readonly connectorConfigs: ReadonlyMap<string, Record<string, string>>;
  readonly targetStates: ReadonlyMap<string, TargetState>;
  /** Per connector, its task configs in task order (only complete, committed sets). */
  readonly taskConfigs: ReadonlyMap<string, ReadonlyArray<Record<string, string>>>;
  /** Bumped each time a connector's restart (of tasks) is requested through the config topic. */
  readonly taskCountRecordGenerations?: ReadonlyMap<string, number>;
  /**
   * Distributed mode: connectors whose task configs in the config topic are incomplete (a
   * commit whose task records compaction or a failed write lost); their tasks must not run
   * until the connector writes new task configs (Kafka's ClusterConfigState.inconsistent).
   */
  readonly inconsistentConnectors?: ReadonlySet<string>;
}

export interface ConfigUpdateListener {
  onConnectorConfigUpdate(connector: string): void;
  onConnectorConfigRemove(connector: string): void;
  onTaskConfigUpdate(tasks: readonly ConnectorId[]): void;
  onConnectorTargetStateChange(connector: string): void;
  /** KIP-745 restart requests written to the config topic by the leader. */
  onRestartRequest?(request: { connector: string; onlyFailed: boolean; includeTasks: boolean }): void;
}

export interface ConfigBackingStore {
  start(): Promise<void>;
  stop(): Promise<void>;
  setUpdateListener(listener: ConfigUpdateListener): void;
  snapshot(): ClusterConfigState;
  /** Reads to the end of the store (distributed: the config topic's end offset). */
  refresh(timeoutMs: number): Promise<void>;
  putConnectorConfig(connector: string, config: Record<string, string>, targetState?: TargetState): Promise<void>;
  removeConnectorConfig(connector: string): Promise<void>;
  putTaskConfigs(connector: string, configs: ReadonlyArray<Record<string, string>>): Promise<void>;
  putTargetState(connector: string, state: TargetState): Promise<void>;
  putRestartRequest?(request: { connector: string; onlyFailed: boolean; includeTasks: boolean }): Promise<void>;
}

export interface ConnectorStatus {
  readonly id: string;
  readonly state: ConnectorState;
  readonly trace: string | null;
  readonly workerId: string;
  readonly generation: number;
  /** The plugin's version (KIP-891; Kafka 4.x writes it to the status topic). */
  readonly version?: string | null;
}

export interface TaskStatus {
  readonly id: ConnectorId;
  readonly state: ConnectorState;
  readonly trace: string | null;
  readonly workerId: string;
  readonly generation: number;
  /** The plugin's version (KIP-891; Kafka 4.x writes it to the status topic). */
  readonly version?: string | null;
}

export interface StatusBackingStore {
  start(): Promise<void>;
  stop(): Promise<void>;
  put(status: ConnectorStatus): Promise<void>;
  putTask(status: TaskStatus): Promise<void>;
  /** Writes only if the stored status is not newer (a generation check), as Kafka's putSafe. */
  putSafe(status: ConnectorStatus): Promise<void>;
  putTaskSafe(status: TaskStatus): Promise<void>;
  get(connector: string): ConnectorStatus | null;
  getTask(id: ConnectorId): TaskStatus | null;
  getAllTasks(connector: string): TaskStatus[];
  connectors(): string[];
  /** KIP-558 active topics (`task`: the task that used the topic first, 0 when unknown). */
  putTopic(connector: string, topic: string, task?: number): Promise<void>;
  getTopics(connector: string): string[];
  deleteTopics(connector: string): Promise<void>;
  /** Forget a deleted connector's statuses. */
  deleteConnector(connector: string): Promise<void>;
}

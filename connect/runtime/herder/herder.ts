// The control plane of a Connect cluster (Kafka's Herder): everything the REST API can ask.
// REST resources only translate HTTP to these calls; the standalone and distributed herders
// implement them. Errors are the SDK's: NotFoundException → 404, AlreadyExistsException → 409,
// ConfigException/BadRequestError → 400, RebalanceNeededError → 409, NotLeaderError → the REST
// layer forwards the request to the leader's URL.
import type { ConnectorType, ConnectorInfo, ConnectorStateInfo, ConfigInfos, ConnectorOffsets, PluginInfo, TaskInfo, TaskStateInfo, ConfigKeyInfoJson, ConnectorId } from "./entities.ts";

export type TargetState = "STARTED" | "PAUSED" | "STOPPED";

export interface RestartRequest {
  readonly connector: string;
  /** Restart only instances whose status is FAILED. */
  readonly onlyFailed: boolean;
  /** Restart the connector's tasks too. */
  readonly includeTasks: boolean;
}

export interface PutConfigResult {
  readonly created: boolean;
  readonly info: ConnectorInfo;
}

export interface Herder {
  /** The id of the Kafka cluster the workers use (GET / `kafka_cluster_id`). */
  kafkaClusterId(): string;
  /** Names of all connectors, sorted. */
  connectors(): Promise<string[]>;
  connectorInfo(name: string): Promise<ConnectorInfo>;
  connectorConfig(name: string): Promise<Record<string, string>>;
  /**
   * Creates (allowReplace false: 409 if it exists) or replaces a connector's config. The config is
   * validated first. initialState (KIP-980, POST /connectors `initial_state`) applies to a new connector only.
   */
  putConnectorConfig(name: string, config: Record<string, string>, allowReplace: boolean, initialState?: TargetState): Promise<PutConfigResult>;
  /** KIP-477: merges the patch into the existing config; null values delete keys. */
  patchConnectorConfig(name: string, patch: Record<string, string | null>): Promise<ConnectorInfo>;
  deleteConnector(name: string): Promise<void>;
  connectorStatus(name: string): Promise<ConnectorStateInfo>;
  taskStatus(id: ConnectorId): Promise<TaskStateInfo>;
  taskConfigs(name: string): Promise<TaskInfo[]>;
  connectorType(name: string): Promise<ConnectorType>;
  /**
   * Restarts a connector (and, per the request, its tasks). Returns the status after the
   * restart was requested when tasks are involved (Kafka answers 202 with it), else null (204).
   */
  restartConnector(request: RestartRequest): Promise<ConnectorStateInfo | null>;
  restartTask(id: ConnectorId): Promise<void>;
  pauseConnector(name: string): Promise<void>;
  resumeConnector(name: string): Promise<void>;
  stopConnector(name: string): Promise<void>;
  /** KIP-558: the topics the connector has used since its last reset. */
  connectorActiveTopics(name: string): Promise<string[]>;
  resetConnectorActiveTopics(name: string): Promise<void>;
  /** KIP-875 offsets. */
  connectorOffsets(name: string): Promise<ConnectorOffsets>;
  /** Returns the success message Kafka sends. The connector must be STOPPED. */
  alterConnectorOffsets(name: string, offsets: ConnectorOffsets): Promise<string>;
  resetConnectorOffsets(name: string): Promise<string>;
  validateConnectorConfig(config: Record<string, string>): Promise<ConfigInfos>;
  /** connectorsOnly: GET /connector-plugins without ?connectorsOnly=false. */
  plugins(connectorsOnly: boolean): PluginInfo[];
  pluginConfig(pluginName: string): ConfigKeyInfoJson[];
  /** Is the worker ready to serve (GET /health)? */
  health(): Promise<{ status: "healthy" | "starting" | "unhealthy"; message: string }>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

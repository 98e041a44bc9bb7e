// The JSON shapes of Kafka Connect's REST API (org.apache.kafka.connect.runtime.rest.entities),
// field names exactly as Kafka writes them.
import type { ConfigKeyInfo, ConfigValueInfo } from "../../api/index.ts";

export type ConnectorType = "source" | "sink" | "unknown";

export interface ConnectorId {
  readonly connector: string;
  readonly task: number;
}

/** GET /connectors/{name} and POST /connectors. */
export interface ConnectorInfo {
  name: string;
  config: Record<string, string>;
  tasks: ConnectorId[];
  type: ConnectorType;
}

export type ConnectorState = "UNASSIGNED" | "RUNNING" | "PAUSED" | "FAILED" | "RESTARTING" | "STOPPED" | "DESTROYED";

export interface ConnectorStateJson {
  state: ConnectorState;
  worker_id: string;
  /** Only present when there is a trace (Kafka leaves it out otherwise). */
  trace?: string;
  /** KIP-891 (Kafka 4.1+): the plugin version running. */
  version?: string;
}

export interface TaskStateInfo extends ConnectorStateJson {
  id: number;
}

/** GET /connectors/{name}/status. */
export interface ConnectorStateInfo {
  name: string;
  connector: ConnectorStateJson;
  tasks: TaskStateInfo[];
  type: ConnectorType;
}

/** GET /connectors/{name}/tasks entries. */
export interface TaskInfo {
  id: ConnectorId;
  config: Record<string, string>;
}

/** One partition's offset in GET/PATCH /connectors/{name}/offsets (KIP-875). */
export interface ConnectorOffset {
  partition: Record<string, unknown>;
  offset: Record<string, unknown> | null;
}

export interface ConnectorOffsets {
  offsets: ConnectorOffset[];
}

/** GET /connector-plugins entries. */
export interface PluginInfo {
  class: string;
  type: "source" | "sink" | "transformation" | "predicate" | "converter" | "header_converter";
  version?: string;
}

/** GET /connector-plugins/{plugin}/config entries (the SDK's configDefToJson). */
export type ConfigKeyInfoJson = ConfigKeyInfo;

/** PUT /connector-plugins/{plugin}/config/validate and 400 answers of POST /connectors. */
export interface ConfigInfos {
  name: string;
  error_count: number;
  groups: string[];
  configs: ConfigInfo[];
}

export interface ConfigInfo {
  /** null for a value no key defines (Kafka's generateResult lists those first). */
  definition: ConfigKeyInfo | null;
  /** null for a key that got no validation result. */
  value: ConfigValueInfo | null;
}

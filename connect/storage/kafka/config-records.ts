// The records of Kafka Connect's config topic (config.storage.topic), as Kafka's
// KafkaConfigBackingStore writes and reads them. Keys are plain strings; values are JSON written
// by the internal converter (schemas.enable=false), a null value deleting what the key names:
//   connector-<name>           {"properties":{...}}            a connector's config (null: deleted)
//   target-state-<name>        {"state":"PAUSED","state.v2":"STOPPED"}  (STOPPED is written as
//                              PAUSED in "state" for workers older than 3.5, KIP-875)
//   task-<name>-<n>            {"properties":{...}}            one task's config, applied only once
//   commit-<name>              {"tasks":<count>}               the commit that follows its task configs
//   session-key                {"key":<base64>,"algorithm":"HmacSHA256","creation-timestamp":<ms>}
//   restart-connector-<name>   {"include-tasks":b,"only-failed":b}  (KIP-745)
//   tasks-fencing-<name>       {"task-count":<n>}              exactly-once fencing (KIP-618): read
//                              only; the hub does not support exactly-once sources, so never writes it
//   logger-cluster-<namespace> {"level":"DEBUG"}               cluster-wide log levels (KIP-976)
// Reading is as lenient as Kafka's: a value of the wrong shape is reported as `invalid` (Kafka
// logs and skips it) rather than failing the whole topic.
import { type Schema, SchemaBuilder, Schema as S } from "../../api/index.ts";
import type { ConnectorId } from "../../runtime/herder/entities.ts";
import type { TargetState } from "../../runtime/herder/herder.ts";
import { integerValue, isPlainRecord, readInternal, struct, writeInternal } from "./internal-converter.ts";

export const CONNECTOR_PREFIX = "connector-";
export const TARGET_STATE_PREFIX = "target-state-";
export const TASK_PREFIX = "task-";
export const COMMIT_TASKS_PREFIX = "commit-";
export const SESSION_KEY_KEY = "session-key";
export const RESTART_PREFIX = "restart-connector-";
export const TASK_COUNT_RECORD_PREFIX = "tasks-fencing-";
export const LOGGER_CLUSTER_PREFIX = "logger-cluster-";

export const connectorKey = (connector: string): string => CONNECTOR_PREFIX + connector;
export const targetStateKey = (connector: string): string => TARGET_STATE_PREFIX + connector;
export const taskKey = (id: ConnectorId): string => `${TASK_PREFIX}${id.connector}-${id.task}`;
export const commitTasksKey = (connector: string): string => COMMIT_TASKS_PREFIX + connector;
export const restartKey = (connector: string): string => RESTART_PREFIX + connector;
export const taskCountRecordKey = (connector: string): string => TASK_COUNT_RECORD_PREFIX + connector;
export const loggerClusterKey = (namespace: string): string => LOGGER_CLUSTER_PREFIX + namespace;

// The value schemas, field for field Kafka's (their order is the JSON key order).
const CONFIGURATION_V0: Schema = SchemaBuilder.struct().field("properties", SchemaBuilder.map(S.STRING_SCHEMA, S.OPTIONAL_STRING_SCHEMA).build()).build();
const TASKS_COMMIT_V0: Schema = SchemaBuilder.struct().field("tasks", S.INT32_SCHEMA).build();
const TARGET_STATE_V1: Schema = SchemaBuilder.struct().field("state", S.STRING_SCHEMA).field("state.v2", S.OPTIONAL_STRING_SCHEMA).build();
const TASK_COUNT_RECORD_V0: Schema = SchemaBuilder.struct().field("task-count", S.INT32_SCHEMA).build();
const SESSION_KEY_V0: Schema = SchemaBuilder.struct()
  .field("key", S.STRING_SCHEMA)
  .field("algorithm", S.STRING_SCHEMA)
  .field("creation-timestamp", S.INT64_SCHEMA)
  .build();
const RESTART_REQUEST_V0: Schema = SchemaBuilder.struct().field("include-tasks", S.BOOLEAN_SCHEMA).field("only-failed", S.BOOLEAN_SCHEMA).build();
const LOGGER_LEVEL_V0: Schema = SchemaBuilder.struct().field("level", S.STRING_SCHEMA).build();

export interface SessionKey {
  /** The raw key bytes (base64 in the record). */
  readonly key: Buffer;
  /** A javax.crypto Mac algorithm name, e.g. HmacSHA256. */
  readonly algorithm: string;
  readonly creationTimestamp: number;
}

export interface RestartRequestRecord {
  readonly connector: string;
  readonly onlyFailed: boolean;
  readonly includeTasks: boolean;
}

export type ConfigRecord =
  | { readonly kind: "connector"; readonly connector: string; readonly config: Record<string, string> | null }
  | { readonly kind: "target-state"; readonly connector: string; readonly state: TargetState | null }
  | { readonly kind: "task"; readonly id: ConnectorId; readonly config: Record<string, string> }
  | { readonly kind: "commit"; readonly connector: string; readonly tasks: number }
  | { readonly kind: "session-key"; readonly sessionKey: SessionKey }
  | ({ readonly kind: "restart" } & RestartRequestRecord)
  | { readonly kind: "task-count"; readonly connector: string; readonly taskCount: number }
  | { readonly kind: "logger-level"; readonly namespace: string; readonly level: string }
  | { readonly kind: "invalid"; readonly key: string; readonly reason: string };

const mapOf = (config: Readonly<Record<string, string>>): Map<string, string> => new Map(Object.entries(config));

export function connectorConfigValue(config: Readonly<Record<string, string>>): Buffer {
  return writeInternal(CONFIGURATION_V0, struct(CONFIGURATION_V0, { properties: mapOf(config) })) as Buffer;
}

export function taskConfigValue(config: Readonly<Record<string, string>>): Buffer {
  return connectorConfigValue(config);
}

export function commitTasksValue(tasks: number): Buffer {
  return writeInternal(TASKS_COMMIT_V0, struct(TASKS_COMMIT_V0, { tasks })) as Buffer;
}

export function targetStateValue(state: TargetState): Buffer {
  return writeInternal(TARGET_STATE_V1, struct(TARGET_STATE_V1, { state: state === "STOPPED" ? "PAUSED" : state, "state.v2": state })) as Buffer;
}

export function taskCountRecordValue(taskCount: number): Buffer {
  return writeInternal(TASK_COUNT_RECORD_V0, struct(TASK_COUNT_RECORD_V0, { "task-count": taskCount })) as Buffer;
}

export function sessionKeyValue(key: SessionKey): Buffer {
  return writeInternal(
    SESSION_KEY_V0,
    struct(SESSION_KEY_V0, { key: key.key.toString("base64"), algorithm: key.algorithm, "creation-timestamp": BigInt(key.creationTimestamp) }),
  ) as Buffer;
}

export function restartRequestValue(request: { includeTasks: boolean; onlyFailed: boolean }): Buffer {
  return writeInternal(RESTART_REQUEST_V0, struct(RESTART_REQUEST_V0, { "include-tasks": request.includeTasks, "only-failed": request.onlyFailed })) as Buffer;
}

export function loggerLevelValue(level: string): Buffer {
  return writeInternal(LOGGER_LEVEL_V0, struct(LOGGER_LEVEL_V0, { level })) as Buffer;
}

const TARGET_STATES: ReadonlySet<string> = new Set(["STARTED", "PAUSED", "STOPPED"]);

/** Kafka's parseTaskId: the last dash-separated part is the task number, the middle the connector. */
export function parseTaskKey(key: string): ConnectorId | null {
  const parts = javaSplit(key, "-");
  if (parts.length < 3) return null;
  const task = javaParseInt(parts[parts.length - 1]!);
  if (task === null) return null;
  return { connector: parts.slice(1, -1).join("-"), task };
}

/** Java's String.split with a literal separator: trailing empty strings are dropped. */
export function javaSplit(text: string, separator: string): string[] {
  const parts = text.split(separator);
  while (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
  return parts;
}

/** Integer.parseInt: optional sign, decimal digits, within int32; null where Java throws. */
export function javaParseInt(text: string): number | null {
  if (!/^[+-]?\d+$/.test(text)) return null;
  const n = Number(text);
  return n >= -2147483648 && n <= 2147483647 ? n : null;
}

function stringMap(value: unknown): Record<string, string> | null {
  if (!isPlainRecord(value)) return null;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    // Kafka's map schema allows null values; a config key without a value means nothing to a
    // connector, so it is left out rather than carried as the string "null".
    if (v === null || v === undefined) continue;
    out[k] = typeof v === "string" ? v : String(v);
  }
  return out;
}

function invalid(key: string, reason: string): ConfigRecord {
  return { kind: "invalid", key, reason };
}

/** What a config topic record says, Kafka's ConsumeCallback dispatch (prefix order matters). */
export function decodeConfigRecord(key: string, raw: Buffer | null): ConfigRecord {
  let value: unknown;
  try {
    value = readInternal(raw);
  } catch (e) {
    return invalid(key, `not JSON: ${(e as Error).message}`);
  }
  if (key.startsWith(TARGET_STATE_PREFIX)) {
    const connector = key.slice(TARGET_STATE_PREFIX.length);
    if (value === null) return { kind: "target-state", connector, state: null };
    if (!isPlainRecord(value)) return invalid(key, "target state is not an object");
    // Workers since 3.5 write "state.v2" (which can say STOPPED); older ones only "state".
    let state = typeof value["state.v2"] === "string" ? value["state.v2"] : undefined;
    if (state === undefined) {
      if (typeof value.state !== "string") return invalid(key, "target state has no 'state' string");
      state = value.state;
    }
    if (!TARGET_STATES.has(state)) return invalid(key, `unknown target state ${state}`);
    return { kind: "target-state", connector, state: state as TargetState };
  }
  if (key.startsWith(CONNECTOR_PREFIX)) {
    const connector = key.slice(CONNECTOR_PREFIX.length);
    if (value === null) return { kind: "connector", connector, config: null };
    if (!isPlainRecord(value)) return invalid(key, "connector config is not an object");
    const config = stringMap(value.properties);
    if (config === null) return invalid(key, "connector config has no 'properties' object");
    return { kind: "connector", connector, config };
  }
  if (key.startsWith(TASK_PREFIX)) {
    const id = parseTaskKey(key);
    if (id === null) return invalid(key, "not a task config key");
    if (!isPlainRecord(value)) return invalid(key, value === null ? "task config is unexpectedly null" : "task config is not an object");
    const config = stringMap(value.properties);
    if (config === null) return invalid(key, "task config has no 'properties' object");
    return { kind: "task", id, config };
  }
  if (key.startsWith(COMMIT_TASKS_PREFIX)) {
    const connector = key.slice(COMMIT_TASKS_PREFIX.length);
    if (!isPlainRecord(value)) return invalid(key, "task commit is not an object");
    const tasks = integerValue(value.tasks);
    if (tasks === null) return invalid(key, "task commit has no integer 'tasks'");
    return { kind: "commit", connector, tasks };
  }
  if (key.startsWith(RESTART_PREFIX)) {
    const connector = key.slice(RESTART_PREFIX.length);
    if (!isPlainRecord(value)) return invalid(key, "restart request is not an object");
    // Kafka defaults a missing or mistyped flag to false (with a warning) instead of dropping it.
    const onlyFailed = typeof value["only-failed"] === "boolean" ? value["only-failed"] : false;
    const includeTasks = typeof value["include-tasks"] === "boolean" ? value["include-tasks"] : false;
    return { kind: "restart", connector, onlyFailed, includeTasks };
  }
  if (key.startsWith(TASK_COUNT_RECORD_PREFIX)) {
    const connector = key.slice(TASK_COUNT_RECORD_PREFIX.length);
    if (!isPlainRecord(value)) return invalid(key, "task count record is not an object");
    const taskCount = integerValue(value["task-count"]);
    if (taskCount === null) return invalid(key, "task count record has no integer 'task-count'");
    return { kind: "task-count", connector, taskCount };
  }
  if (key === SESSION_KEY_KEY) {
    if (!isPlainRecord(value)) return invalid(key, value === null ? "session key is unexpectedly null" : "session key is not an object");
    if (typeof value.key !== "string") return invalid(key, "session key has no 'key' string");
    if (typeof value.algorithm !== "string") return invalid(key, "session key has no 'algorithm' string");
    const created = integerValue(value["creation-timestamp"]);
    if (created === null) return invalid(key, "session key has no integer 'creation-timestamp'");
    return { kind: "session-key", sessionKey: { key: Buffer.from(value.key, "base64"), algorithm: value.algorithm, creationTimestamp: created } };
  }
  if (key.startsWith(LOGGER_CLUSTER_PREFIX)) {
    if (!isPlainRecord(value) || typeof value.level !== "string") return invalid(key, "logger level has no 'level' string");
    return { kind: "logger-level", namespace: key.slice(LOGGER_CLUSTER_PREFIX.length), level: value.level };
  }
  return invalid(key, "unknown key");
}

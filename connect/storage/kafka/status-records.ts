// The records of Kafka Connect's status topic (status.storage.topic), as Kafka's
// KafkaStatusBackingStore writes and reads them, values by the internal converter:
//   status-connector-<name>                {"state":"RUNNING","trace":null,"worker_id":"host:8083","generation":3,"version":"1.0"}
//   status-task-<name>-<id>                the same shape
// ("version", the plugin's version, is Kafka 4.x's (KIP-891); older workers leave it out)
//   status-topic-<topic>:connector-<name>  {"topic":{"name":..,"connector":..,"task":0,"discoverTimestamp":<ms>}} (KIP-558)
// A null value deletes (a DESTROYED status is written as a tombstone).
import { type Schema, SchemaBuilder, Schema as S } from "../../api/index.ts";
import type { ConnectorId, ConnectorState } from "../../runtime/herder/entities.ts";
import { javaParseInt, javaSplit } from "./config-records.ts";
import { integerValue, isPlainRecord, readInternal, struct, writeInternal } from "./internal-converter.ts";

export const CONNECTOR_STATUS_PREFIX = "status-connector-";
export const TASK_STATUS_PREFIX = "status-task-";
export const TOPIC_STATUS_PREFIX = "status-topic-";
export const TOPIC_STATUS_SEPARATOR = ":connector-";

const STATUS_V0: Schema = SchemaBuilder.struct()
  .field("state", S.STRING_SCHEMA)
  .field("trace", SchemaBuilder.string().optional().build())
  .field("worker_id", S.STRING_SCHEMA)
  .field("generation", S.INT32_SCHEMA)
  .field("version", S.OPTIONAL_STRING_SCHEMA)
  .build();
const TOPIC_STATUS_VALUE_V0: Schema = SchemaBuilder.struct()
  .field("name", S.STRING_SCHEMA)
  .field("connector", S.STRING_SCHEMA)
  .field("task", S.INT32_SCHEMA)
  .field("discoverTimestamp", S.INT64_SCHEMA)
  .build();
const TOPIC_STATUS_V0: Schema = SchemaBuilder.map(S.STRING_SCHEMA, TOPIC_STATUS_VALUE_V0).build();

export const connectorStatusKey = (connector: string): string => CONNECTOR_STATUS_PREFIX + connector;
export const taskStatusKey = (id: ConnectorId): string => `${TASK_STATUS_PREFIX}${id.connector}-${id.task}`;
export const topicStatusKey = (connector: string, topic: string): string => TOPIC_STATUS_PREFIX + topic + TOPIC_STATUS_SEPARATOR + connector;

export interface StatusValue {
  readonly state: ConnectorState;
  readonly trace: string | null;
  readonly workerId: string;
  readonly generation: number;
  /** The connector's or task's plugin version (null when unknown). */
  readonly version: string | null;
}

export interface TopicStatusValue {
  readonly topic: string;
  readonly connector: string;
  readonly task: number;
  readonly discoverTimestamp: number;
}

const STATES: ReadonlySet<string> = new Set(["UNASSIGNED", "RUNNING", "PAUSED", "FAILED", "RESTARTING", "STOPPED", "DESTROYED"]);

/** The value of a connector or task status; DESTROYED is a tombstone (null), as in Kafka. */
export function statusValue(status: StatusValue): Buffer | null {
  if (status.state === "DESTROYED") return null;
  return writeInternal(
    STATUS_V0,
    struct(STATUS_V0, { state: status.state, trace: status.trace, worker_id: status.workerId, generation: status.generation, version: status.version }),
  );
}

export function topicStatusValue(status: TopicStatusValue): Buffer {
  const inner = struct(TOPIC_STATUS_VALUE_V0, {
    name: status.topic,
    connector: status.connector,
    task: status.task,
    discoverTimestamp: BigInt(status.discoverTimestamp),
  });
  return writeInternal(TOPIC_STATUS_V0, new Map([["topic", inner]])) as Buffer;
}

export type StatusRecord =
  | { readonly kind: "connector"; readonly connector: string; readonly status: StatusValue | null }
  | { readonly kind: "task"; readonly id: ConnectorId; readonly status: StatusValue | null }
  | { readonly kind: "topic"; readonly connector: string; readonly topic: string; readonly status: TopicStatusValue | null }
  | { readonly kind: "invalid"; readonly key: string; readonly reason: string };

function parseStatus(raw: Buffer): StatusValue | string {
  let value: unknown;
  try {
    value = readInternal(raw);
  } catch (e) {
    return `not JSON: ${(e as Error).message}`;
  }
  if (!isPlainRecord(value)) return "status is not an object";
  if (typeof value.state !== "string" || !STATES.has(value.state)) return `unknown state ${String(value.state)}`;
  if (value.trace !== undefined && value.trace !== null && typeof value.trace !== "string") return "trace is not a string";
  if (typeof value.worker_id !== "string") return "worker_id is not a string";
  const generation = integerValue(value.generation);
  if (generation === null) return "generation is not an integer";
  const version = typeof value.version === "string" ? value.version : null;
  return { state: value.state as ConnectorState, trace: (value.trace as string | null | undefined) ?? null, workerId: value.worker_id, generation, version };
}

function parseTopicStatus(raw: Buffer): TopicStatusValue | string {
  let value: unknown;
  try {
    value = readInternal(raw);
  } catch (e) {
    return `not JSON: ${(e as Error).message}`;
  }
  if (!isPlainRecord(value) || !isPlainRecord(value.topic)) return "topic status has no 'topic' object";
  const t = value.topic;
  const task = integerValue(t.task);
  const discoverTimestamp = integerValue(t.discoverTimestamp);
  if (typeof t.name !== "string" || typeof t.connector !== "string" || task === null || discoverTimestamp === null) return "topic status fields have the wrong types";
  return { topic: t.name, connector: t.connector, task, discoverTimestamp };
}

/** Kafka's parseConnectorTaskId: status-task-<connector, may hold dashes>-<n>. */
function parseTaskStatusKey(key: string): ConnectorId | null {
  const parts = javaSplit(key, "-");
  if (parts.length < 4) return null;
  const task = javaParseInt(parts[parts.length - 1]!);
  if (task === null) return null;
  return { connector: parts.slice(2, -1).join("-"), task };
}

export function decodeStatusRecord(key: string, raw: Buffer | null): StatusRecord {
  if (key.startsWith(CONNECTOR_STATUS_PREFIX)) {
    const connector = key.slice(CONNECTOR_STATUS_PREFIX.length);
    if (connector === "") return { kind: "invalid", key, reason: "empty connector name" };
    if (raw === null) return { kind: "connector", connector, status: null };
    const status = parseStatus(raw);
    return typeof status === "string" ? { kind: "invalid", key, reason: status } : { kind: "connector", connector, status };
  }
  if (key.startsWith(TASK_STATUS_PREFIX)) {
    const id = parseTaskStatusKey(key);
    if (id === null) return { kind: "invalid", key, reason: "not a task status key" };
    if (raw === null) return { kind: "task", id, status: null };
    const status = parseStatus(raw);
    return typeof status === "string" ? { kind: "invalid", key, reason: status } : { kind: "task", id, status };
  }
  if (key.startsWith(TOPIC_STATUS_PREFIX)) {
    // Kafka splits at the first ':' (topic names cannot hold one) and skips ":connector-".
    const colon = key.indexOf(":");
    if (colon < TOPIC_STATUS_PREFIX.length) return { kind: "invalid", key, reason: "no ':' after the topic" };
    const topic = key.slice(TOPIC_STATUS_PREFIX.length, colon);
    const connector = key.slice(colon + TOPIC_STATUS_SEPARATOR.length);
    if (topic === "" || connector === "") return { kind: "invalid", key, reason: "empty topic or connector" };
    if (raw === null) return { kind: "topic", connector, topic, status: null };
    const status = parseTopicStatus(raw);
    return typeof status === "string" ? { kind: "invalid", key, reason: status } : { kind: "topic", connector, topic, status };
  }
  return { kind: "invalid", key, reason: "unknown key" };
}

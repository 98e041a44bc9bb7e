// Distributed mode's status store (Kafka's KafkaStatusBackingStore): the state of every connector
// and task and the topics each connector used (KIP-558), in the compacted topic named by
// status.storage.topic (records: status-records.ts). Every worker writes the statuses of what
// it runs and reads everyone's; a status becomes visible here only once read back from the
// topic, so every worker sees the same history.
//
// putSafe() (used when a worker reports what it stopped running, possibly after a rebalance
// moved it) writes only if nothing is stored, the stored status is this worker's own, or it is
// from an older generation: a worker that lost its assignment must not overwrite the status
// the new owner wrote.
import { ConfigException } from "../../api/index.ts";
import type { Logger } from "../../../lib/logger.ts";
import type { ConnectorId } from "../../runtime/herder/entities.ts";
import type { ConnectorStatus, StatusBackingStore, TaskStatus } from "../types.ts";
import { KafkaBasedLog } from "./kafka-based-log.ts";
import { type KafkaTopicStoreOptions, storeTopic } from "./topic-store-options.ts";
import { connectorStatusKey, decodeStatusRecord, statusValue, taskStatusKey, type TopicStatusValue, topicStatusKey, topicStatusValue } from "./status-records.ts";

/** The status.storage.* settings. */
export type KafkaStatusBackingStoreOptions = KafkaTopicStoreOptions;

interface Stored<T> {
  readonly status: T;
}

export class KafkaStatusBackingStore implements StatusBackingStore {
  readonly #log: Logger;
  readonly #statusLog: KafkaBasedLog;
  readonly #connectors = new Map<string, Stored<ConnectorStatus>>();
  readonly #tasks = new Map<string, Map<number, Stored<TaskStatus>>>();
  readonly #topics = new Map<string, Map<string, TopicStatusValue>>();
  /** Topics this worker announced and has not seen back yet (so each is written once). */
  readonly #pendingTopics = new Set<string>();

  constructor(options: KafkaStatusBackingStoreOptions) {
    if (options.topic.trim() === "") throw new ConfigException("Must specify topic for connector status.");
    this.#log = options.log.child({ component: "status-store", topic: options.topic });
    this.#statusLog = new KafkaBasedLog({
      topic: storeTopic(options),
      purpose: { configKey: "status.storage.topic", holds: "connector and task statuses" },
      kafka: options.kafka,
      client: options.client,
      log: this.#log,
      onRecord: (record) => this.#apply(record.key === null ? null : record.key.toString("utf8"), record.value),
    });
  }

  async start(): Promise<void> {
    await this.#statusLog.start();
  }

  async stop(): Promise<void> {
    await this.#statusLog.stop();
  }

  /** Waits until every status written before the call is visible here. */
  async readToEnd(timeoutMs?: number): Promise<void> {
    await this.#statusLog.readToEnd(timeoutMs);
  }

  async put(status: ConnectorStatus): Promise<void> {
    await this.#statusLog.send(connectorStatusKey(status.id), statusValue(this.#value(status)));
  }

  async putTask(status: TaskStatus): Promise<void> {
    await this.#statusLog.send(taskStatusKey(status.id), statusValue(this.#value(status)));
  }

  async putSafe(status: ConnectorStatus): Promise<void> {
    if (!canOverwrite(this.#connectors.get(status.id)?.status, status)) return;
    await this.put(status);
  }

  async putTaskSafe(status: TaskStatus): Promise<void> {
    if (!canOverwrite(this.#tasks.get(status.id.connector)?.get(status.id.task)?.status, status)) return;
    await this.putTask(status);
  }

  get(connector: string): ConnectorStatus | null {
    return this.#connectors.get(connector)?.status ?? null;
  }

  getTask(id: ConnectorId): TaskStatus | null {
    return this.#tasks.get(id.connector)?.get(id.task)?.status ?? null;
  }

  getAllTasks(connector: string): TaskStatus[] {
    return [...(this.#tasks.get(connector)?.values() ?? [])].map((s) => s.status).sort((a, b) => a.id.task - b.id.task);
  }

  connectors(): string[] {
    return [...this.#connectors.keys()];
  }

  async putTopic(connector: string, topic: string, task = 0): Promise<void> {
    const key = topicStatusKey(connector, topic);
    if (this.#topics.get(connector)?.has(topic) || this.#pendingTopics.has(key)) return;
    this.#pendingTopics.add(key);
    try {
      await this.#statusLog.send(key, topicStatusValue({ topic, connector, task, discoverTimestamp: Date.now() }));
    } catch (e) {
      this.#pendingTopics.delete(key);
      throw e;
    }
  }

  getTopics(connector: string): string[] {
    return [...(this.#topics.get(connector)?.keys() ?? [])].sort();
  }

  async deleteTopics(connector: string): Promise<void> {
    await this.#statusLog.readToEnd();
    const topics = this.getTopics(connector);
    await this.#statusLog.sendAll(topics.map((topic) => ({ key: topicStatusKey(connector, topic), value: null })));
    await this.#statusLog.readToEnd();
  }

  /** Tombstones for the connector's status, its tasks' and its topics' (Kafka's onDeletion). */
  async deleteConnector(connector: string): Promise<void> {
    // Catch up first, so statuses written just before (by any worker) are deleted too.
    await this.#statusLog.readToEnd();
    const records: Array<{ key: string; value: null }> = [];
    for (const t of this.getAllTasks(connector)) records.push({ key: taskStatusKey(t.id), value: null });
    if (this.#connectors.has(connector)) records.push({ key: connectorStatusKey(connector), value: null });
    for (const topic of this.getTopics(connector)) records.push({ key: topicStatusKey(connector, topic), value: null });
    await this.#statusLog.sendAll(records);
    await this.#statusLog.readToEnd();
  }

  #value(status: ConnectorStatus | TaskStatus): { state: ConnectorStatus["state"]; trace: string | null; workerId: string; generation: number; version: string | null } {
    return { state: status.state, trace: status.trace, workerId: status.workerId, generation: status.generation, version: status.version ?? null };
  }

  #apply(key: string | null, value: Buffer | null): void {
    if (key === null) return;
    const record = decodeStatusRecord(key, value);
    switch (record.kind) {
      case "invalid":
        this.#log.warn({ key, reason: record.reason }, "discarding an unreadable status record");
        return;
      case "connector":
        if (record.status === null) {
          this.#connectors.delete(record.connector);
          // Kafka forgets the tasks with the connector too.
          this.#tasks.delete(record.connector);
        } else {
          this.#connectors.set(record.connector, { status: { id: record.connector, ...record.status } });
        }
        return;
      case "task": {
        const { id } = record;
        let tasks = this.#tasks.get(id.connector);
        if (record.status === null) {
          tasks?.delete(id.task);
          if (tasks?.size === 0) this.#tasks.delete(id.connector);
          return;
        }
        if (!tasks) this.#tasks.set(id.connector, (tasks = new Map()));
        tasks.set(id.task, { status: { id, ...record.status } });
        return;
      }
      case "topic": {
        this.#pendingTopics.delete(topicStatusKey(record.connector, record.topic));
        let topics = this.#topics.get(record.connector);
        if (record.status === null) {
          topics?.delete(record.topic);
          if (topics?.size === 0) this.#topics.delete(record.connector);
          return;
        }
        if (!topics) this.#topics.set(record.connector, (topics = new Map()));
        topics.set(record.topic, record.status);
        return;
      }
    }
  }
}

function canOverwrite(stored: ConnectorStatus | TaskStatus | undefined, incoming: ConnectorStatus | TaskStatus): boolean {
  return stored === undefined || stored.workerId === incoming.workerId || stored.generation <= incoming.generation;
}

// Standalone mode's status store (Kafka's MemoryStatusBackingStore): the state of each connector
// and task, and the topics each connector has used (KIP-558), in this process only. A status
// whose state is DESTROYED removes the entry, as in Kafka.
import type { ConnectorId } from "../runtime/herder/entities.ts";
import type { ConnectorStatus, StatusBackingStore, TaskStatus } from "./types.ts";

export class MemoryStatusStore implements StatusBackingStore {
  readonly #connectors = new Map<string, ConnectorStatus>();
  readonly #tasks = new Map<string, Map<number, TaskStatus>>();
  readonly #topics = new Map<string, Set<string>>();

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  async put(status: ConnectorStatus): Promise<void> {
    if (status.state === "DESTROYED") this.#connectors.delete(status.id);
    else this.#connectors.set(status.id, status);
  }

  async putTask(status: TaskStatus): Promise<void> {
    let tasks = this.#tasks.get(status.id.connector);
    if (status.state === "DESTROYED") {
      tasks?.delete(status.id.task);
      if (tasks?.size === 0) this.#tasks.delete(status.id.connector);
      return;
    }
    if (!tasks) this.#tasks.set(status.id.connector, (tasks = new Map()));
    tasks.set(status.id.task, status);
  }

  // One process holds the only copy: there is no newer generation elsewhere to protect.
  async putSafe(status: ConnectorStatus): Promise<void> {
    await this.put(status);
  }

  async putTaskSafe(status: TaskStatus): Promise<void> {
    await this.putTask(status);
  }

  get(connector: string): ConnectorStatus | null {
    return this.#connectors.get(connector) ?? null;
  }

  getTask(id: ConnectorId): TaskStatus | null {
    return this.#tasks.get(id.connector)?.get(id.task) ?? null;
  }

  getAllTasks(connector: string): TaskStatus[] {
    return [...(this.#tasks.get(connector)?.values() ?? [])].sort((a, b) => a.id.task - b.id.task);
  }

  connectors(): string[] {
    return [...this.#connectors.keys()];
  }

  async putTopic(connector: string, topic: string): Promise<void> {
    let topics = this.#topics.get(connector);
    if (!topics) this.#topics.set(connector, (topics = new Set()));
    topics.add(topic);
  }

  getTopics(connector: string): string[] {
    return [...(this.#topics.get(connector) ?? [])].sort();
  }

  async deleteTopics(connector: string): Promise<void> {
    this.#topics.delete(connector);
  }

  async deleteConnector(connector: string): Promise<void> {
    this.#connectors.delete(connector);
    this.#tasks.delete(connector);
    this.#topics.delete(connector);
  }
}

// A ConnectWorker for the worker's integration tests: the built-in plugins plus the test plugins,
// a memory offset store (or one the test gives), a status listener that records every event, and
// helpers to run a connector (start it, ask for its task configs, start its tasks) and to read
// what landed in a topic.
import { Kafka, logLevel, type KafkaMessage, type Message } from "kafkajs";
import { afterAll, beforeAll } from "vitest";
import { builtinRegistry } from "../../connect/runtime/plugins/builtins.ts";
import type { PluginRegistry } from "../../connect/runtime/plugins/registry.ts";
import type { ConnectorId } from "../../connect/runtime/herder/entities.ts";
import type { TargetState } from "../../connect/runtime/herder/herder.ts";
import { ConnectWorker } from "../../connect/runtime/worker.ts";
import { WorkerConfig } from "../../connect/runtime/worker-config.ts";
import type { StatusListener } from "../../connect/runtime/worker-contract.ts";
import { MemoryOffsetBackingStore } from "../../connect/storage/memory-offset-store.ts";
import type { OffsetBackingStore } from "../../connect/storage/types.ts";
import { createLogger } from "../../lib/logger.ts";
import { newProbe, type Probe, TEST_PLUGINS } from "./connect-test-plugins.ts";
import { openTarget, type InteropTarget, type TargetName } from "./interop-targets.ts";

export interface StatusEvent {
  readonly event: keyof StatusListener;
  readonly connector: string;
  readonly task?: number;
  readonly error?: Error;
  readonly topic?: string;
}

export class RecordingStatusListener implements StatusListener {
  readonly events: StatusEvent[] = [];
  readonly reconfigurations: string[] = [];
  #waiters: Array<() => void> = [];

  #push(e: StatusEvent): void {
    this.events.push(e);
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  onConnectorStartup = (connector: string): void => this.#push({ event: "onConnectorStartup", connector });
  onConnectorRunning = (connector: string): void => this.#push({ event: "onConnectorRunning", connector });
  onConnectorPause = (connector: string): void => this.#push({ event: "onConnectorPause", connector });
  onConnectorStop = (connector: string): void => this.#push({ event: "onConnectorStop", connector });
  onConnectorFailure = (connector: string, error: Error): void => this.#push({ event: "onConnectorFailure", connector, error });
  onConnectorShutdown = (connector: string): void => this.#push({ event: "onConnectorShutdown", connector });
  onConnectorRestart = (connector: string): void => this.#push({ event: "onConnectorRestart", connector });
  onTaskStartup = (id: ConnectorId): void => this.#push({ event: "onTaskStartup", connector: id.connector, task: id.task });
  onTaskRunning = (id: ConnectorId): void => this.#push({ event: "onTaskRunning", connector: id.connector, task: id.task });
  onTaskPause = (id: ConnectorId): void => this.#push({ event: "onTaskPause", connector: id.connector, task: id.task });
  onTaskFailure = (id: ConnectorId, error: Error): void => this.#push({ event: "onTaskFailure", connector: id.connector, task: id.task, error });
  onTaskShutdown = (id: ConnectorId): void => this.#push({ event: "onTaskShutdown", connector: id.connector, task: id.task });
  onTaskRestart = (id: ConnectorId): void => this.#push({ event: "onTaskRestart", connector: id.connector, task: id.task });
  onTopicActive = (connector: string, topic: string): void => this.#push({ event: "onTopicActive", connector, topic });

  /** Resolves with the first event (already seen or coming) that matches, or rejects after timeoutMs. */
  async waitFor(match: (e: StatusEvent) => boolean, timeoutMs = 30_000, what = "status event"): Promise<StatusEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(match);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; events: ${JSON.stringify(this.events.map((e) => [e.event, e.connector, e.task]))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 500));
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

export interface TestWorker {
  readonly worker: ConnectWorker;
  readonly listener: RecordingStatusListener;
  readonly registry: PluginRegistry;
  readonly offsetStore: OffsetBackingStore;
  /** Starts the connector and its tasks (tasks.max of them) as a herder would. */
  run(name: string, config: Record<string, string>, targetState?: TargetState): Promise<ConnectorId[]>;
  /** Stops the connector's tasks and the connector. */
  halt(name: string): Promise<void>;
  close(): Promise<void>;
}

export async function startTestWorker(bootstrap: string, options: { overrides?: Record<string, string>; offsetStore?: OffsetBackingStore; registry?: PluginRegistry } = {}): Promise<TestWorker> {
  const registry = options.registry ?? builtinRegistry();
  if (!options.registry) for (const p of TEST_PLUGINS) registry.register(p);
  const config = new WorkerConfig(
    {
      "bootstrap.servers": bootstrap,
      "key.converter": "org.apache.kafka.connect.json.JsonConverter",
      "value.converter": "org.apache.kafka.connect.json.JsonConverter",
      "offset.storage.file.filename": "/dev/null",
      "offset.flush.interval.ms": "500",
      "task.shutdown.graceful.timeout.ms": "10000",
      ...options.overrides,
    },
    false,
  );
  const listener = new RecordingStatusListener();
  const offsetStore = options.offsetStore ?? new MemoryOffsetBackingStore();
  const logger = createLogger({ level: (process.env.HUB_TEST_LOG_LEVEL as "info" | undefined) ?? "warn", format: "json" });
  const worker = new ConnectWorker({
    workerId: "test-worker:8083",
    config,
    plugins: registry,
    offsetStore,
    statusListener: listener,
    control: { requestTaskReconfiguration: (c) => listener.reconfigurations.push(c) },
    logger,
  });
  await worker.start();
  const tasksOf = new Map<string, ConnectorId[]>();
  return {
    worker,
    listener,
    registry,
    offsetStore,
    async run(name, config, targetState = "STARTED") {
      const full = { name, ...config };
      await worker.startConnector(name, full, targetState);
      const taskConfigs = await worker.connectorTaskConfigs(name, full);
      const ids = taskConfigs.map((_, task) => ({ connector: name, task }));
      for (const [i, taskConfig] of taskConfigs.entries()) await worker.startTask({ connector: name, task: i }, full, taskConfig, targetState);
      tasksOf.set(name, ids);
      return ids;
    },
    async halt(name) {
      await worker.stopAndAwaitTasks(tasksOf.get(name) ?? []);
      await worker.stopAndAwaitConnector(name);
    },
    async close() {
      await worker.stop();
    },
  };
}

/** Connector converter settings for sinks reading plain JSON: string keys, schemaless JSON values. */
export const SCHEMALESS_JSON_CONVERTERS: Readonly<Record<string, string>> = {
  "key.converter": "org.apache.kafka.connect.storage.StringConverter",
  "value.converter": "org.apache.kafka.connect.json.JsonConverter",
  "value.converter.schemas.enable": "false",
};

export type TestWorkerOptions = Parameters<typeof startTestWorker>[1];

/** A broker target and a test worker on it, shared by the tests of one describe block. */
export interface WorkerOnTarget {
  readonly target: InteropTarget;
  readonly w: TestWorker;
}

/**
 * Opens the target and starts a test worker on it before the describe block's tests, and closes
 * both after them. Call it inside describe(); read `target` and `w` inside the tests.
 */
export function useWorkerOnTarget(targetName: TargetName, options?: TestWorkerOptions): WorkerOnTarget {
  let target: InteropTarget | undefined;
  let w: TestWorker | undefined;
  beforeAll(async () => {
    target = await openTarget(targetName);
    w = await startTestWorker(target.bootstrap, options);
  });
  afterAll(async () => {
    await w?.close();
    await target?.close();
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the target and worker are opened in beforeAll: use them inside a test");
    return value;
  };
  return {
    get target() {
      return ready(target);
    },
    get w() {
      return ready(w);
    },
  };
}

/** A test connector's name (`<prefix>-…`) and a fresh probe for it (its config's `test.probe`). */
export function newProbedConnector(target: Pick<InteropTarget, "unique">, prefix: string): { probeName: string; probe: Probe; connector: string } {
  const probeName = target.unique("probe");
  const probe = newProbe(probeName);
  return { probeName, probe, connector: target.unique(prefix) };
}

/** Produces the messages to the topic with acks=all, from a producer of its own. */
export async function produceMessages(bootstrap: string, topic: string, messages: Message[]): Promise<void> {
  const producer = new Kafka({ clientId: "test-producer", brokers: [bootstrap], logLevel: logLevel.NOTHING }).producer();
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages });
  } finally {
    await producer.disconnect();
  }
}

/** Polls until the condition holds; throws after timeoutMs naming what it waited for. */
export async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Reads a topic from the beginning until `count` records came (or timeoutMs passed: then what came). */
export async function readTopic(bootstrap: string, topic: string, count: number, timeoutMs = 30_000): Promise<Array<KafkaMessage & { partition: number }>> {
  const kafka = new Kafka({ clientId: "test-reader", brokers: [bootstrap], logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `reader-${topic}-${Date.now()}-${Math.random().toString(36).slice(2)}` });
  const out: Array<KafkaMessage & { partition: number }> = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let done: () => void = () => {};
    const finished = new Promise<void>((resolve) => {
      done = resolve;
    });
    await consumer.run({
      eachMessage: async ({ message, partition }) => {
        out.push({ ...message, partition });
        if (out.length >= count) done();
      },
    });
    await Promise.race([finished, new Promise((r) => setTimeout(r, timeoutMs))]);
  } finally {
    await consumer.disconnect();
  }
  return out;
}

/** Reads every record of a topic (up to its current end offsets). */
export async function readAll(bootstrap: string, topic: string, timeoutMs = 30_000): Promise<Array<KafkaMessage & { partition: number }>> {
  const admin = new Kafka({ clientId: "test-admin", brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  let total = 0;
  try {
    for (const p of await admin.fetchTopicOffsets(topic)) total += Number(p.high) - Number(p.low);
  } finally {
    await admin.disconnect();
  }
  const records = await readTopic(bootstrap, topic, total, timeoutMs);
  if (records.length < total) throw new Error(`read ${records.length} of the ${total} records of ${topic}`);
  return records;
}

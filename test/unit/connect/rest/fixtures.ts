// Test doubles for the REST and standalone-herder unit tests: two small connector plugins (a
// source and a sink with a few typed keys, one of them a password) and an in-process Worker that
// records what the herder asks of it and reports states the way the real worker does. They stand
// in for the worker (built separately) so the herder and REST layer are tested on their own.
import {
  ConfigDef,
  type ConnectorProps,
  definePlugin,
  Range,
  SinkConnector,
  type SinkOffsetChange,
  SinkTask,
  SourceConnector,
  type SourceOffsetChange,
  type SourceRecord,
  SourceTask,
  type Config,
  ConfigValue,
} from "../../../../connect/api/index.ts";
import type { ConnectorId } from "../../../../connect/runtime/herder/entities.ts";
import type { TargetState } from "../../../../connect/runtime/herder/herder.ts";
import type { WorkerHooks } from "../../../../connect/runtime/herder/abstract-herder.ts";
import { BUILTIN_PLUGINS } from "../../../../connect/runtime/plugins/builtins.ts";
import { PluginRegistry } from "../../../../connect/runtime/plugins/registry.ts";
import type { Worker } from "../../../../connect/runtime/worker-contract.ts";

export const SOURCE_CONFIG = new ConfigDef()
  .define({ name: "topic", type: "STRING", importance: "HIGH", documentation: "Topic to write to." })
  .define({ name: "batch.size", type: "INT", defaultValue: 10, validator: Range.atLeast(1), importance: "LOW", documentation: "Records per poll." })
  .define({ name: "secret", type: "PASSWORD", defaultValue: null, importance: "LOW", documentation: "A password." });

class TestSourceTask extends SourceTask {
  start(): void {}
  poll(): SourceRecord[] | null {
    return null;
  }
  stop(): void {}
}

export class TestSourceConnector extends SourceConnector {
  #props: ConnectorProps = {};
  start(props: ConnectorProps): void {
    this.#props = props;
  }
  taskClass(): typeof TestSourceTask {
    return TestSourceTask;
  }
  taskConfigs(maxTasks: number): ConnectorProps[] {
    return Array.from({ length: maxTasks }, () => ({ ...this.#props }));
  }
  stop(): void {}
  config(): ConfigDef {
    return SOURCE_CONFIG;
  }
  /** A cross-key check, as connectors add in validate(). */
  override validate(props: ConnectorProps): Config {
    const values = this.config().validate(props);
    if (props["topic"] === "forbidden") {
      const extra = new ConfigValue("topic.check", props["topic"]);
      extra.addErrorMessage("The topic 'forbidden' may not be used");
      values.push(extra);
    }
    return { configValues: values };
  }
  /** Accepts the change only for partitions that name a file (as FileStreamSource). */
  override alterOffsets(_config: ConnectorProps, offsets: readonly SourceOffsetChange[]): boolean {
    for (const o of offsets) if (!("file" in (o.partition ?? {}))) throw new Error("Partition objects should contain the key 'file'");
    return true;
  }
}

const SINK_CONFIG = new ConfigDef().define({ name: "file", type: "STRING", defaultValue: null, importance: "HIGH", documentation: "File to write to." });

class TestSinkTask extends SinkTask {
  start(): void {}
  put(): void {}
  stop(): void {}
}

export class TestSinkConnector extends SinkConnector {
  #props: ConnectorProps = {};
  start(props: ConnectorProps): void {
    this.#props = props;
  }
  taskClass(): typeof TestSinkTask {
    return TestSinkTask;
  }
  taskConfigs(maxTasks: number): ConnectorProps[] {
    return Array.from({ length: maxTasks }, () => ({ ...this.#props }));
  }
  stop(): void {}
  config(): ConfigDef {
    return SINK_CONFIG;
  }
  override alterOffsets(_config: ConnectorProps, _offsets: readonly SinkOffsetChange[]): boolean {
    return false;
  }
}

export const testSourcePlugin = definePlugin({
  name: "TestSource",
  kind: "source",
  version: "9.9.9",
  aliases: ["com.example.TestSourceConnector"],
  configDef: SOURCE_CONFIG,
  create: () => new TestSourceConnector(),
});

export const testSinkPlugin = definePlugin({
  name: "TestSink",
  kind: "sink",
  version: "9.9.9",
  aliases: ["com.example.TestSinkConnector"],
  configDef: SINK_CONFIG,
  create: () => new TestSinkConnector(),
});

/** The built-in converters, SMTs and predicates, and the two test connectors (not the built-in ones). */
export function testRegistry(): PluginRegistry {
  const registry = new PluginRegistry(BUILTIN_PLUGINS.filter((d) => d.kind !== "source" && d.kind !== "sink"));
  registry.register(testSourcePlugin);
  registry.register(testSinkPlugin);
  return registry;
}

const key = (id: ConnectorId): string => `${id.connector}-${id.task}`;

/**
 * A Worker that runs nothing: it keeps the connectors and tasks it was told to start with their
 * target states and reports the state changes the real worker reports. `failTasks` makes tasks
 * of the named connectors fail when they start; `calls` records what the herder asked.
 */
export class FakeWorker implements Worker {
  readonly workerId = "127.0.0.1:8083";
  readonly connectors = new Map<string, { config: Record<string, string>; state: TargetState }>();
  readonly tasks = new Map<string, { id: ConnectorId; state: TargetState }>();
  readonly failTasks = new Set<string>();
  readonly calls: string[] = [];
  readonly #hooks: WorkerHooks;
  readonly #registry: PluginRegistry;

  constructor(hooks: WorkerHooks, registry: PluginRegistry) {
    this.#hooks = hooks;
    this.#registry = registry;
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {
    await this.stopAndAwaitTasks([...this.tasks.values()].map((t) => t.id));
    for (const name of [...this.connectors.keys()]) await this.stopAndAwaitConnector(name);
  }

  #report(name: string, state: TargetState): void {
    const listener = this.#hooks.statusListener;
    if (state === "STARTED") listener.onConnectorStartup(name);
    else if (state === "PAUSED") listener.onConnectorPause(name);
    else listener.onConnectorStop(name);
  }

  async startConnector(name: string, config: Record<string, string>, state: TargetState): Promise<void> {
    this.calls.push(`startConnector ${name} ${state}`);
    this.connectors.set(name, { config, state });
    this.#report(name, state);
  }

  async connectorTaskConfigs(name: string, config: Record<string, string>): Promise<Record<string, string>[]> {
    const descriptor = this.#registry.require(["source", "sink"], config["connector.class"] ?? "");
    const connector = descriptor.create();
    await connector.start(config);
    const configs = await connector.taskConfigs(Number(config["tasks.max"] ?? "1"));
    return configs.map((c) => ({ ...c, "task.class": `${descriptor.name}Task` }));
  }

  async stopAndAwaitConnector(name: string): Promise<void> {
    if (!this.connectors.delete(name)) return;
    this.calls.push(`stopConnector ${name}`);
    this.#hooks.statusListener.onConnectorShutdown(name);
  }

  async startTask(id: ConnectorId, _connectorConfig: Record<string, string>, _taskConfig: Record<string, string>, state: TargetState): Promise<void> {
    this.calls.push(`startTask ${key(id)} ${state}`);
    this.tasks.set(key(id), { id, state });
    const listener = this.#hooks.statusListener;
    if (this.failTasks.has(id.connector)) listener.onTaskFailure(id, new Error(`task ${key(id)} failed on purpose`));
    else if (state === "PAUSED") listener.onTaskPause(id);
    else listener.onTaskStartup(id);
  }

  async stopAndAwaitTasks(ids: readonly ConnectorId[]): Promise<void> {
    for (const id of ids) {
      if (!this.tasks.delete(key(id))) continue;
      this.calls.push(`stopTask ${key(id)}`);
      this.#hooks.statusListener.onTaskShutdown(id);
    }
  }

  async setTargetState(name: string, state: TargetState): Promise<void> {
    const connector = this.connectors.get(name);
    if (!connector) return;
    this.calls.push(`setTargetState ${name} ${state}`);
    connector.state = state;
    if (state === "STARTED") this.#hooks.statusListener.onConnectorRunning(name);
    else this.#report(name, state);
    for (const task of this.tasks.values()) {
      if (task.id.connector !== name) continue;
      task.state = state;
      if (state === "PAUSED") this.#hooks.statusListener.onTaskPause(task.id);
      else if (state === "STARTED") this.#hooks.statusListener.onTaskRunning(task.id);
    }
  }

  connectorNames(): string[] {
    return [...this.connectors.keys()];
  }

  taskIds(): ConnectorId[] {
    return [...this.tasks.values()].map((t) => t.id);
  }

  isRunning(name: string): boolean {
    return this.connectors.has(name);
  }
}

// Connectors and tasks (org.apache.kafka.connect.connector): a Connector reads its config,
// splits the work into task configs, and the runtime runs one Task per config, on any worker.
// Lifecycle methods may be async: the runtime awaits what they return.
import type { ConfigDef, ConfigValue } from "./config/config-def.ts";

/** A value or a promise of it: plugin methods may be sync or async. */
export type Awaitable<T> = T | Promise<T>;

/** A connector's or task's configuration: string keys and values, as users write them. */
export type ConnectorProps = Readonly<Record<string, string>>;

/** What a connector can ask of the runtime. */
export interface ConnectorContext {
  /** The task configs may have changed (new tables, new files): call taskConfigs() again. */
  requestTaskReconfiguration(): void;
  /** Fails the connector (its status becomes FAILED with this error's trace). */
  raiseError(error: Error): void;
}

/** Validation results of a whole config (Kafka's org.apache.kafka.common.config.Config). */
export interface Config {
  readonly configValues: ConfigValue[];
}

export interface Task {
  version(): string;
  start(props: ConnectorProps): Awaitable<void>;
  stop(): Awaitable<void>;
}

/** A task class: the runtime creates tasks with `new` and no arguments. */
export type TaskClass<T extends Task = Task> = new () => T;

export abstract class Connector {
  /** Set by the runtime through initialize() before start(). */
  protected context: ConnectorContext | null = null;

  initialize(context: ConnectorContext): void {
    this.context = context;
  }

  /** The plugin's version; by default "unknown" (the descriptor's version is what REST shows). */
  version(): string {
    return "unknown";
  }

  /** Called once with the connector's config, before taskConfigs(). */
  abstract start(props: ConnectorProps): Awaitable<void>;

  /** A new config for a running connector; by default stop() then start(props), as in Kafka. */
  reconfigure(props: ConnectorProps): Awaitable<void> {
    const stopped = this.stop();
    return stopped instanceof Promise ? stopped.then(() => this.start(props)) : this.start(props);
  }

  abstract taskClass(): TaskClass;

  /** At most maxTasks configs, one per task to run. */
  abstract taskConfigs(maxTasks: number): Awaitable<ConnectorProps[]>;

  abstract stop(): Awaitable<void>;

  /** Validates a config; by default with config() (override to add cross-key checks). */
  validate(props: ConnectorProps): Awaitable<Config> {
    return { configValues: this.config().validate(props) };
  }

  /** The connector's config definition. */
  abstract config(): ConfigDef;
}

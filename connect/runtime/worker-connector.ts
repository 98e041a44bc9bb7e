// One connector instance on this worker (Kafka's WorkerConnector): it is initialized with a
// context (requestTaskReconfiguration goes to the herder, raiseError fails the connector; source
// connectors also get an offset reader), started when its target state is STARTED, stopped when
// PAUSED (Kafka stops a paused connector's instance; its tasks pause) or STOPPED, started again on
// resume, and shut down when the herder stops it. Statuses: RUNNING on start (onConnectorStartup)
// and on resume (onConnectorRunning), PAUSED, STOPPED, FAILED with the error, UNASSIGNED on
// shutdown. State changes run one at a time, in call order.
import type { Connector, ConnectorContext, ConnectorProps, SourceConnectorContext } from "../api/index.ts";
import type { Logger } from "../../lib/logger.ts";
import type { TargetState } from "./herder/herder.ts";
import type { ConnectMetrics } from "./metrics.ts";
import type { OffsetStorageReaderImpl } from "./offset-storage.ts";
import type { ConnectorControl, StatusListener } from "./worker-contract.ts";

type State = "INIT" | "STARTED" | "PAUSED" | "STOPPED" | "FAILED";

export interface WorkerConnectorOptions {
  name: string;
  config: Record<string, string>;
  connector: Connector;
  kind: "source" | "sink";
  listener: StatusListener;
  control: ConnectorControl;
  /** Source connectors: the committed offsets of their partitions. */
  offsetReader: OffsetStorageReaderImpl | null;
  metrics: ConnectMetrics;
  logger: Logger;
}

export class WorkerConnector {
  readonly name: string;
  readonly kind: "source" | "sink";
  readonly connector: Connector;
  #config: Record<string, string>;
  #state: State = "INIT";
  #chain: Promise<unknown> = Promise.resolve();
  #shutDown = false;
  readonly #o: WorkerConnectorOptions;

  constructor(options: WorkerConnectorOptions) {
    this.#o = options;
    this.name = options.name;
    this.kind = options.kind;
    this.connector = options.connector;
    this.#config = options.config;
  }

  get config(): Record<string, string> {
    return this.#config;
  }

  get isRunning(): boolean {
    return this.#state === "STARTED";
  }

  get isFailed(): boolean {
    return this.#state === "FAILED";
  }

  /** Initializes the connector and moves it to its target state. */
  initialize(targetState: TargetState): Promise<void> {
    return this.#serially(async () => {
      const context: ConnectorContext | SourceConnectorContext = {
        requestTaskReconfiguration: () => {
          if (this.#state === "STARTED") this.#o.control.requestTaskReconfiguration(this.name);
        },
        raiseError: (error: Error) => this.#fail(error),
        ...(this.#o.offsetReader ? { offsetStorageReader: () => this.#o.offsetReader as OffsetStorageReaderImpl } : {}),
      };
      try {
        this.connector.initialize(context);
      } catch (e) {
        this.#fail(e);
        return;
      }
      await this.#transition(targetState);
    });
  }

  transitionTo(targetState: TargetState): Promise<void> {
    return this.#serially(() => this.#transition(targetState));
  }

  /** A new config for the running connector (reconfigure(): stop then start, by default). */
  reconfigure(config: Record<string, string>): Promise<void> {
    return this.#serially(async () => {
      this.#config = config;
      if (this.#state !== "STARTED") return;
      try {
        await this.connector.reconfigure(config as ConnectorProps);
      } catch (e) {
        this.#fail(e);
      }
    });
  }

  /** Stops the instance for good and reports it UNASSIGNED (Kafka's shutdown). */
  shutdown(): Promise<void> {
    return this.#serially(async () => {
      if (this.#shutDown) return;
      this.#shutDown = true;
      try {
        if (this.#state === "STARTED") await this.connector.stop();
        if (this.#state !== "FAILED") this.#state = "STOPPED";
      } catch (e) {
        this.#o.logger.error({ err: e }, "Error while shutting down connector");
        this.#state = "FAILED";
      } finally {
        this.#report(() => this.#o.listener.onConnectorShutdown(this.name));
        this.#o.metrics.setConnectorState(this.name, null);
      }
    });
  }

  async #transition(target: TargetState): Promise<void> {
    if (this.#shutDown) return;
    if (this.#state === "FAILED") {
      this.#o.logger.warn({ target }, `Cannot transition connector to ${target} since it has failed`);
      return;
    }
    if (target === "STARTED") {
      if (this.#state === "STARTED") return;
      const first = this.#state === "INIT";
      try {
        await this.connector.start(this.#config as ConnectorProps);
      } catch (e) {
        this.#fail(e);
        return;
      }
      // raiseError() during start() already failed it.
      if ((this.#state as State) === "FAILED") return;
      this.#state = "STARTED";
      this.#o.metrics.connectorStartupSuccess.inc();
      this.#o.metrics.setConnectorState(this.name, "RUNNING");
      this.#o.logger.info(first ? "connector started" : "connector resumed");
      this.#report(() => (first ? this.#o.listener.onConnectorStartup(this.name) : this.#o.listener.onConnectorRunning(this.name)));
      return;
    }
    const next: State = target === "PAUSED" ? "PAUSED" : "STOPPED";
    if (this.#state === next) return;
    try {
      if (this.#state === "STARTED") await this.connector.stop();
    } catch (e) {
      this.#o.logger.error({ err: e }, "Error while shutting down connector");
      this.#fail(e);
      return;
    }
    this.#state = next;
    this.#o.metrics.setConnectorState(this.name, next);
    this.#report(() => (next === "PAUSED" ? this.#o.listener.onConnectorPause(this.name) : this.#o.listener.onConnectorStop(this.name)));
  }

  #fail(e: unknown): void {
    if (this.#state === "FAILED") return;
    const error = e instanceof Error ? e : new Error(String(e));
    const wasStarting = this.#state === "INIT";
    this.#state = "FAILED";
    this.#o.logger.error({ err: error }, "connector failed");
    if (wasStarting) this.#o.metrics.connectorStartupFailure.inc();
    this.#o.metrics.setConnectorState(this.name, "FAILED");
    this.#report(() => this.#o.listener.onConnectorFailure(this.name, error));
  }

  #report(call: () => void): void {
    try {
      call();
    } catch (e) {
      this.#o.logger.warn({ err: e }, "status listener failed");
    }
  }

  #serially(fn: () => Promise<void>): Promise<void> {
    const next = this.#chain.then(fn);
    this.#chain = next.catch(() => {});
    return next;
  }
}

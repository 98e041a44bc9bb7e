// What source and sink tasks share (Kafka's WorkerTask): the life of one task instance on this
// worker and the statuses it reports.
//   run()          a task whose target state is PAUSED reports PAUSED and waits; once STARTED it
//                  starts the plugin (RUNNING is reported after start() returned) and runs its
//                  loop until stopped; then it releases its resources and reports UNASSIGNED
//                  (onTaskShutdown). An error anywhere fails it: FAILED with the error (and its
//                  causes) as the trace, and no shutdown report after that, as in Kafka.
//   stop()         asks the loop to end; awaitStop(timeout) waits for it (the worker gives it
//                  task.shutdown.graceful.timeout.ms), and cancel() abandons a task that did not
//                  stop in time: its clients are closed under it and it reports nothing more.
//   transitionTo() PAUSED / STARTED (and STOPPED, treated as PAUSED until the herder stops the
//                  task): reports PAUSED / RUNNING and lets the subclass stop or resume its work.
import type { Logger } from "../../../lib/logger.ts";
import type { ConnectorId } from "../herder/entities.ts";
import type { TargetState } from "../herder/herder.ts";
import type { ConnectMetrics, TaskMetrics } from "../metrics.ts";
import type { StatusListener } from "../worker-contract.ts";
import { closeConverters, type TaskConverters } from "../task-converters.ts";

export interface WorkerTaskOptions {
  id: ConnectorId;
  listener: StatusListener;
  initialState: TargetState;
  logger: Logger;
  metrics: ConnectMetrics;
  taskMetrics: TaskMetrics;
  /** Aborted when the task is asked to stop; give it to whatever else should stop with the task (its error handling's retries). */
  abort?: AbortController;
}

export abstract class WorkerTask {
  readonly id: ConnectorId;
  protected readonly log: Logger;
  protected readonly listener: StatusListener;
  protected readonly metrics: ConnectMetrics;
  protected readonly taskMetrics: TaskMetrics;
  /** Aborted when the task is asked to stop: sleeps and retries end early. */
  protected readonly abort: AbortController;
  #targetState: TargetState;
  #stopping = false;
  #cancelled = false;
  #failed = false;
  #started = false;
  #done: Promise<void> | null = null;
  #stateWaiters: Array<() => void> = [];

  constructor(options: WorkerTaskOptions) {
    this.id = options.id;
    this.log = options.logger;
    this.listener = options.listener;
    this.metrics = options.metrics;
    this.taskMetrics = options.taskMetrics;
    this.abort = options.abort ?? new AbortController();
    this.#targetState = options.initialState;
  }

  get stopping(): boolean {
    return this.#stopping;
  }

  get cancelled(): boolean {
    return this.#cancelled;
  }

  get failed(): boolean {
    return this.#failed;
  }

  /** The plugin's start() returned. */
  get started(): boolean {
    return this.#started;
  }

  get targetState(): TargetState {
    return this.#targetState;
  }

  /** Whether the task should hold its work (target state PAUSED, or STOPPED until stopped). */
  get paused(): boolean {
    return this.#targetState !== "STARTED";
  }

  /** Starts the task's life; the promise settles when it has ended (never rejects). */
  run(): Promise<void> {
    this.#done ??= this.#run();
    return this.#done;
  }

  transitionTo(state: TargetState): void {
    if (state === this.#targetState) return;
    const wasPaused = this.paused;
    this.#targetState = state;
    if (this.#stopping || this.#failed) return;
    if (this.#started) {
      if (this.paused && !wasPaused) {
        this.#report(() => this.listener.onTaskPause(this.id));
        this.metrics.setTaskState(this.id.connector, this.id.task, "PAUSED");
      } else if (!this.paused && wasPaused) {
        this.#report(() => this.listener.onTaskRunning(this.id));
        this.metrics.setTaskState(this.id.connector, this.id.task, "RUNNING");
      }
      this.onTargetStateChange(state);
    }
    this.#wakeStateWaiters();
  }

  /** Asks the task to stop (returns at once; see awaitStop). */
  stop(): void {
    if (this.#stopping) return;
    this.#stopping = true;
    this.abort.abort();
    this.#wakeStateWaiters();
    try {
      this.onStopRequested();
    } catch (e) {
      this.log.warn({ err: e }, "error while asking the task to stop");
    }
  }

  /** Resolves true once the task has ended, false if it is still running after timeoutMs. */
  async awaitStop(timeoutMs: number): Promise<boolean> {
    const done = this.#done;
    if (done === null) return true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), Math.max(0, timeoutMs));
    });
    try {
      return await Promise.race([done.then(() => true), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Abandons a task that did not stop in time: no more status reports; subclasses close clients. */
  cancel(): void {
    this.#cancelled = true;
    this.stop();
    try {
      this.onCancel();
    } catch (e) {
      this.log.warn({ err: e }, "error while cancelling the task");
    }
  }

  /** Resolves when the target state changes, the task is asked to stop, or after timeoutMs. */
  protected waitForStateChange(timeoutMs = 2 ** 31 - 1): Promise<void> {
    if (this.#stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      const waiters = this.#stateWaiters;
      function done(): void {
        clearTimeout(timer);
        const i = waiters.indexOf(done);
        if (i >= 0) waiters.splice(i, 1);
        resolve();
      }
      waiters.push(done);
    });
  }

  /** Wakes whoever waits in waitForStateChange (subclasses: new work arrived). */
  protected wake(): void {
    this.#wakeStateWaiters();
  }

  /** Initializes and starts the plugin. */
  protected abstract doStart(): Promise<void>;
  /** The task's loop: returns when stopping. Throwing fails the task. */
  protected abstract execute(): Promise<void>;
  /** Releases everything (called once, after execute, whether it failed or not). */
  protected abstract close(): Promise<void>;

  /** Closes what source and sink tasks both own: the SMT chain, the error reporters, the converters, the task's metrics. */
  protected async closePipeline(chain: { close(): void }, operator: { close(): Promise<void> }, converters: TaskConverters): Promise<void> {
    try {
      chain.close();
    } catch (e) {
      this.log.warn({ err: e }, "could not close the transformation chain");
    }
    await operator.close().catch((e: unknown) => this.log.warn({ err: e }, "could not close the error reporters"));
    closeConverters(converters);
    this.taskMetrics.remove();
  }
  protected onStopRequested(): void {}
  protected onCancel(): void {}
  protected onTargetStateChange(_state: TargetState): void {}

  /** Fails the task from outside its loop (a client crashed): the loop is stopped and FAILED reported. */
  protected failFromOutside(error: Error): void {
    if (this.#failed || this.#stopping) return;
    this.#pendingFailure ??= error;
    this.stop();
  }

  #pendingFailure: Error | null = null;

  async #run(): Promise<void> {
    try {
      if (this.paused && !this.#stopping) {
        this.#report(() => this.listener.onTaskPause(this.id));
        this.metrics.setTaskState(this.id.connector, this.id.task, "PAUSED");
        while (this.paused && !this.#stopping) await this.waitForStateChange();
      }
      if (!this.#stopping) {
        await this.doStart();
        this.#started = true;
        if (!this.#stopping) {
          this.log.info("task started");
          this.#report(() => this.listener.onTaskStartup(this.id));
          this.metrics.setTaskState(this.id.connector, this.id.task, this.paused ? "PAUSED" : "RUNNING");
          if (this.paused) this.#report(() => this.listener.onTaskPause(this.id));
          await this.execute();
        }
      }
      if (this.#pendingFailure) throw this.#pendingFailure;
    } catch (e) {
      this.#fail(e);
    }
    try {
      await this.close();
    } catch (e) {
      this.log.warn({ err: e }, "error while closing the task");
    }
    if (!this.#failed) {
      this.#report(() => this.listener.onTaskShutdown(this.id));
      this.metrics.setTaskState(this.id.connector, this.id.task, null);
    }
    this.log.info({ failed: this.#failed }, "task stopped");
  }

  #fail(e: unknown): void {
    const error = e instanceof Error ? e : new Error(String(e));
    this.#failed = true;
    this.#stopping = true;
    this.abort.abort();
    if (this.#cancelled) return;
    this.log.error({ err: error }, "Task threw an uncaught and unrecoverable exception. Task is being killed and will not recover until manually restarted.");
    this.#report(() => this.listener.onTaskFailure(this.id, error));
    this.metrics.setTaskState(this.id.connector, this.id.task, "FAILED");
  }

  #report(call: () => void): void {
    if (this.#cancelled) return;
    try {
      call();
    } catch (e) {
      this.log.warn({ err: e }, "status listener failed");
    }
  }

  #wakeStateWaiters(): void {
    const waiters = this.#stateWaiters;
    this.#stateWaiters = [];
    for (const w of waiters) w();
  }
}

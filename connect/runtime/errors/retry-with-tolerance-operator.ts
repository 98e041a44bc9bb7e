// Retries and error tolerance around the per-record operations of a task (Kafka's
// RetryWithToleranceOperator), with Kafka's rules:
//   - an operation that throws a RetriableException is retried until `errors.retry.timeout` ms
//     have passed since the first attempt (0: never; -1: forever), waiting 300 ms, 600 ms,
//     1.2 s ... between attempts; a wait that would pass `errors.retry.delay.max.ms` is instead a
//     random time below it; no wait goes past the deadline;
//   - what still fails is reported (log, dead letter queue) and then, in the converter and
//     transformation stages, tolerated when `errors.tolerance=all` (the record is skipped);
//     with `none` the first failure throws "Tolerance exceeded in error handler", which fails
//     the task; in the other stages only RetriableExceptions may be tolerated ("Unhandled
//     exception in error handler").
// One difference from Kafka 3.x's code, on purpose: when retries run out, the error goes through
// the tolerance check (Kafka before KAFKA-15262 skipped such records even with tolerance none).
import { sleep } from "../../../lib/kafka-client/backoff.ts";
import { type Awaitable, ConnectException, RetriableException } from "../../api/index.ts";
import { type ErrorReporter, type ProcessingContext, Stage } from "./processing-context.ts";

/**
 * Whether a plugin threw a RetriableException. By name as well as by class: a plugin loaded from
 * plugin.path may carry its own copy of the SDK, whose classes are not the runtime's.
 */
export function isRetriableException(e: unknown): boolean {
  return e instanceof RetriableException || (e instanceof Error && e.name === "RetriableException");
}

/** What execute() returns for a record whose failure was tolerated: skip it. */
export const FAILED: unique symbol = Symbol("record failed");
export type Failed = typeof FAILED;

export type ToleranceType = "none" | "all";

/** Kafka's RETRIES_DELAY_MIN_MS: the first wait between attempts. */
export const RETRIES_DELAY_MIN_MS = 300;

const TOLERATE_ALL_ERRORS: ReadonlySet<Stage> = new Set([Stage.TRANSFORMATION, Stage.HEADER_CONVERTER, Stage.KEY_CONVERTER, Stage.VALUE_CONVERTER]);

export interface ErrorHandlingMetrics {
  /** An attempt failed (retries included). */
  recordFailure(): void;
  recordRetry(): void;
  /** A record's processing failed for good. */
  recordError(): void;
  recordSkipped(): void;
  recordErrorTimestamp(): void;
}

export interface Clock {
  now(): number;
  /** Resolves after ms, or earlier when the signal aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** A number in [0, 1). */
  random(): number;
}

export const SYSTEM_CLOCK: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => sleep(ms, signal),
  random: () => Math.random(),
};

/**
 * How long to wait before attempt `attempt + 1` (attempt counts from 1): RETRIES_DELAY_MIN_MS
 * doubled per attempt, a random time below maxDelayMs when that is passed, never past the deadline.
 */
export function retryBackoffMs(attempt: number, maxDelayMs: number, now: number, deadline: number, random: () => number): number {
  let delay = RETRIES_DELAY_MIN_MS * 2 ** (attempt - 1);
  if (delay > maxDelayMs) delay = Math.floor(random() * maxDelayMs);
  if (now + delay > deadline) delay = deadline - now;
  return Math.max(0, delay);
}

export interface RetryWithToleranceOptions {
  /** errors.retry.timeout: 0 never retries, -1 retries forever. */
  retryTimeoutMs: number;
  /** errors.retry.delay.max.ms */
  maxDelayMs: number;
  tolerance: ToleranceType;
  reporters: readonly ErrorReporter[];
  metrics: ErrorHandlingMetrics;
  /** Aborted when the task stops: waits between retries end, and the last error stands. */
  signal?: AbortSignal;
  clock?: Clock;
}

export class RetryWithToleranceOperator {
  readonly tolerance: ToleranceType;
  readonly #retryTimeoutMs: number;
  readonly #maxDelayMs: number;
  readonly #reporters: readonly ErrorReporter[];
  readonly #metrics: ErrorHandlingMetrics;
  readonly #signal: AbortSignal | undefined;
  readonly #clock: Clock;
  #totalFailures = 0;
  readonly #pendingReports = new Set<Promise<void>>();

  constructor(options: RetryWithToleranceOptions) {
    this.tolerance = options.tolerance;
    this.#retryTimeoutMs = options.retryTimeoutMs;
    this.#maxDelayMs = options.maxDelayMs;
    this.#reporters = options.reporters;
    this.#metrics = options.metrics;
    this.#signal = options.signal;
    this.#clock = options.clock ?? SYSTEM_CLOCK;
  }

  /** Failures so far (tolerance none allows none). */
  get totalFailures(): number {
    return this.#totalFailures;
  }

  withinToleranceLimits(): boolean {
    return this.tolerance === "all" || this.#totalFailures === 0;
  }

  /**
   * Runs one stage of a record's processing. Returns the operation's result, or FAILED when the
   * record failed and that is tolerated (or had already failed in an earlier stage); throws a
   * ConnectException when it is not.
   */
  async execute<T>(context: ProcessingContext, stage: Stage, executingClass: string, operation: () => Awaitable<T>): Promise<T | Failed> {
    context.stage = stage;
    context.executingClass = executingClass;
    if (context.failed) return FAILED;
    try {
      return await this.#execAndRetry(context, operation, null);
    } catch (e) {
      return this.#failed(context, stage, e);
    }
  }

  /**
   * execute() for the per-record hot path: the first attempt runs inline, so a synchronous
   * operation that succeeds costs no promise and no context (`context` creates it when a failure
   * needs one); a failure, or an operation that returns a promise, continues with execute()'s
   * retries and tolerance. The caller must not call it for a record that already failed.
   */
  run<T>(context: () => ProcessingContext, stage: Stage, executingClass: string, operation: () => Awaitable<T>): T | Promise<T | Failed> {
    let value: Awaitable<T>;
    try {
      value = operation();
    } catch (e) {
      return this.#afterFirstFailure(context(), stage, executingClass, operation, e);
    }
    if (value instanceof Promise) return value.catch((e: unknown) => this.#afterFirstFailure(context(), stage, executingClass, operation, e));
    return value;
  }

  async #afterFirstFailure<T>(context: ProcessingContext, stage: Stage, executingClass: string, operation: () => Awaitable<T>, error: unknown): Promise<T | Failed> {
    context.stage = stage;
    context.executingClass = executingClass;
    try {
      return await this.#execAndRetry(context, operation, { error });
    } catch (e) {
      return this.#failed(context, stage, e);
    }
  }

  /** A stage that failed for good: report, then skip the record or throw, as tolerance says. */
  #failed(context: ProcessingContext, stage: Stage, e: unknown): Failed {
    const error = e instanceof Error ? e : new Error(String(e));
    this.#markAsFailed();
    context.error = error;
    this.#metrics.recordError();
    this.#report(context);
    const tolerated = TOLERATE_ALL_ERRORS.has(stage) || isRetriableException(error);
    if (!tolerated) throw new ConnectException("Unhandled exception in error handler", { cause: error });
    if (!this.withinToleranceLimits()) throw new ConnectException("Tolerance exceeded in error handler", { cause: error });
    this.#metrics.recordSkipped();
    return FAILED;
  }

  /**
   * An operation that already failed elsewhere (a sink task's errant record, a producer error):
   * reports it, and throws "Tolerance exceeded in error handler" unless tolerated. Resolves once
   * reported (the dead letter queue acknowledged it).
   */
  async executeFailed(context: ProcessingContext, stage: Stage, executingClass: string, error: Error): Promise<void> {
    this.#markAsFailed();
    context.stage = stage;
    context.executingClass = executingClass;
    context.error = error;
    this.#metrics.recordFailure();
    const reported = this.#report(context);
    if (!this.withinToleranceLimits()) {
      this.#metrics.recordError();
      throw new ConnectException("Tolerance exceeded in error handler", { cause: error });
    }
    this.#metrics.recordSkipped();
    await reported;
  }

  /** Resolves once every report made so far is done (DLQ records acknowledged or given up). */
  async awaitReports(): Promise<void> {
    while (this.#pendingReports.size > 0) await Promise.all([...this.#pendingReports]);
  }

  async close(): Promise<void> {
    await this.awaitReports();
    for (const reporter of this.#reporters) await reporter.close();
  }

  /** Attempts the operation, retrying RetriableExceptions; `first` is a first attempt that already failed. */
  async #execAndRetry<T>(context: ProcessingContext, operation: () => Awaitable<T>, first: { error: unknown } | null): Promise<T> {
    const start = this.#clock.now();
    const deadline = this.#retryTimeoutMs < 0 ? Number.POSITIVE_INFINITY : start + this.#retryTimeoutMs;
    let pending = first;
    for (let attempt = 1; ; attempt++) {
      context.attempt = attempt;
      let error: unknown;
      if (pending !== null) {
        error = pending.error;
        pending = null;
      } else {
        try {
          return await operation();
        } catch (e) {
          error = e;
        }
      }
      if (!isRetriableException(error)) throw error;
      this.#metrics.recordFailure();
      const now = this.#clock.now();
      if (this.#signal?.aborted || now >= deadline) throw error;
      await this.#clock.sleep(retryBackoffMs(attempt, this.#maxDelayMs, now, deadline, this.#clock.random), this.#signal);
      if (this.#signal?.aborted) throw error;
      this.#metrics.recordRetry();
    }
  }

  #markAsFailed(): void {
    this.#metrics.recordErrorTimestamp();
    this.#totalFailures++;
  }

  #report(context: ProcessingContext): Promise<void> {
    const pending: Promise<void>[] = [];
    for (const reporter of this.#reporters) {
      const result = reporter.report(context);
      if (result) pending.push(result);
    }
    if (pending.length === 0) {
      context.reported = Promise.resolve();
      return context.reported;
    }
    const all = Promise.all(pending).then(() => undefined);
    context.reported = all;
    this.#pendingReports.add(all);
    void all.finally(() => this.#pendingReports.delete(all));
    return all;
  }
}

// Retries and tolerance (Kafka's RetryWithToleranceOperator): the backoff schedule, retries
// within errors.retry.timeout, what each tolerance does with a failure, and reporting.
import { describe, expect, it } from "vitest";
import { ConnectException, RetriableException } from "../../../../../connect/api/index.ts";
import { type ErrorReporter, ProcessingContext, Stage } from "../../../../../connect/runtime/errors/processing-context.ts";
import { type Clock, FAILED, retryBackoffMs, RetryWithToleranceOperator } from "../../../../../connect/runtime/errors/retry-with-tolerance-operator.ts";

/** A clock whose sleeps advance time at once, recording them. */
function fakeClock(random = 0.5): Clock & { sleeps: number[]; time: number } {
  const clock = {
    time: 1_000_000,
    sleeps: [] as number[],
    now: () => clock.time,
    sleep: async (ms: number) => {
      clock.sleeps.push(ms);
      clock.time += ms;
    },
    random: () => random,
  };
  return clock;
}

function counters() {
  const c = { failures: 0, retries: 0, errors: 0, skipped: 0, stamps: 0 };
  return {
    c,
    metrics: {
      recordFailure: () => void c.failures++,
      recordRetry: () => void c.retries++,
      recordError: () => void c.errors++,
      recordSkipped: () => void c.skipped++,
      recordErrorTimestamp: () => void c.stamps++,
    },
  };
}

function failing(times: number, error: () => Error, value = "ok") {
  let calls = 0;
  const op = () => {
    calls++;
    if (calls <= times) throw error();
    return value;
  };
  return { op, calls: () => calls };
}

describe("retryBackoffMs", () => {
  it("doubles from 300 ms, goes random below the cap past it, and never passes the deadline", () => {
    expect([1, 2, 3, 4].map((a) => retryBackoffMs(a, 60_000, 0, Number.POSITIVE_INFINITY, () => 0))).toEqual([300, 600, 1200, 2400]);
    expect(retryBackoffMs(5, 1000, 0, Number.POSITIVE_INFINITY, () => 0.25)).toBe(250);
    expect(retryBackoffMs(1, 60_000, 900, 1000, () => 0)).toBe(100);
    expect(retryBackoffMs(3, 60_000, 1000, 1000, () => 0)).toBe(0);
  });
});

describe("RetryWithToleranceOperator", () => {
  it("retries RetriableExceptions until errors.retry.timeout, then succeeds", async () => {
    const clock = fakeClock();
    const { c, metrics } = counters();
    const op = new RetryWithToleranceOperator({ retryTimeoutMs: 10_000, maxDelayMs: 60_000, tolerance: "none", reporters: [], metrics, clock });
    const f = failing(3, () => new RetriableException("not yet"));
    const context = new ProcessingContext({});
    expect(await op.execute(context, Stage.TRANSFORMATION, "x", f.op)).toBe("ok");
    expect(clock.sleeps).toEqual([300, 600, 1200]);
    expect(context.attempt).toBe(4);
    expect(c).toEqual({ failures: 3, retries: 3, errors: 0, skipped: 0, stamps: 0 });
  });

  it("gives up at the deadline: tolerance all skips the record, none throws", async () => {
    const all = new RetryWithToleranceOperator({ retryTimeoutMs: 1000, maxDelayMs: 60_000, tolerance: "all", reporters: [], metrics: counters().metrics, clock: fakeClock() });
    const f = failing(100, () => new RetriableException("down"));
    expect(await all.execute(new ProcessingContext({}), Stage.KEY_CONVERTER, "x", f.op)).toBe(FAILED);
    // 300 + 600 = 900 ms, then 100 ms to the deadline, then no more.
    expect(f.calls()).toBe(4);
    const none = new RetryWithToleranceOperator({ retryTimeoutMs: 0, maxDelayMs: 60_000, tolerance: "none", reporters: [], metrics: counters().metrics, clock: fakeClock() });
    const error = await none.execute(new ProcessingContext({}), Stage.KEY_CONVERTER, "x", failing(1, () => new RetriableException("down")).op).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectException);
    expect((error as Error).message).toBe("Tolerance exceeded in error handler");
    expect(((error as Error).cause as Error).message).toBe("down");
  });

  it("retries forever with errors.retry.timeout=-1", async () => {
    const clock = fakeClock(0);
    const op = new RetryWithToleranceOperator({ retryTimeoutMs: -1, maxDelayMs: 5000, tolerance: "none", reporters: [], metrics: counters().metrics, clock });
    const f = failing(20, () => new RetriableException("down"));
    expect(await op.execute(new ProcessingContext({}), Stage.VALUE_CONVERTER, "x", f.op)).toBe("ok");
    expect(clock.sleeps.slice(0, 6)).toEqual([300, 600, 1200, 2400, 4800, 0]);
  });

  it("tolerates any error in converters and transformations with tolerance all, and counts", async () => {
    const { c, metrics } = counters();
    const reported: ProcessingContext[] = [];
    const reporter: ErrorReporter = { report: (ctx) => void reported.push(ctx), close: async () => {} };
    const op = new RetryWithToleranceOperator({ retryTimeoutMs: 0, maxDelayMs: 0, tolerance: "all", reporters: [reporter], metrics, clock: fakeClock() });
    const context = new ProcessingContext({});
    expect(await op.execute(context, Stage.TRANSFORMATION, "com.example.Smt", () => { throw new TypeError("bad field"); })).toBe(FAILED);
    // A record that failed once stays failed: later stages do not run.
    let ran = false;
    expect(await op.execute(context, Stage.VALUE_CONVERTER, "conv", () => { ran = true; return "x"; })).toBe(FAILED);
    expect(ran).toBe(false);
    expect(reported).toEqual([context]);
    expect(context.stage).toBe("VALUE_CONVERTER");
    expect(c).toEqual({ failures: 0, retries: 0, errors: 1, skipped: 1, stamps: 1 });
    expect(op.withinToleranceLimits()).toBe(true);
    expect(op.totalFailures).toBe(1);
  });

  it("fails on the first error with tolerance none, reporting it first", async () => {
    const reported: string[] = [];
    const op = new RetryWithToleranceOperator({ retryTimeoutMs: 0, maxDelayMs: 0, tolerance: "none", reporters: [{ report: (ctx) => void reported.push(ctx.error?.message ?? ""), close: async () => {} }], metrics: counters().metrics, clock: fakeClock() });
    await expect(op.execute(new ProcessingContext({}), Stage.TRANSFORMATION, "x", () => { throw new Error("boom"); })).rejects.toThrow("Tolerance exceeded in error handler");
    expect(reported).toEqual(["boom"]);
    expect(op.withinToleranceLimits()).toBe(false);
  });

  it("does not tolerate other errors outside converters and transformations", async () => {
    const op = new RetryWithToleranceOperator({ retryTimeoutMs: 0, maxDelayMs: 0, tolerance: "all", reporters: [], metrics: counters().metrics, clock: fakeClock() });
    await expect(op.execute(new ProcessingContext({}), Stage.TASK_PUT, "x", () => { throw new Error("boom"); })).rejects.toThrow("Unhandled exception in error handler");
  });

  it("reports already-failed operations and waits for the reports (executeFailed)", async () => {
    let release: () => void = () => {};
    const slow: ErrorReporter = { report: () => new Promise<void>((r) => (release = r)), close: async () => {} };
    const all = new RetryWithToleranceOperator({ retryTimeoutMs: 0, maxDelayMs: 0, tolerance: "all", reporters: [slow], metrics: counters().metrics, clock: fakeClock() });
    let done = false;
    const p = all.executeFailed(new ProcessingContext({}), Stage.TASK_PUT, "org.apache.kafka.connect.sink.SinkTask", new Error("bad")).then(() => (done = true));
    const waited = all.awaitReports();
    await Promise.resolve();
    expect(done).toBe(false);
    release();
    await p;
    await waited;
    const none = new RetryWithToleranceOperator({ retryTimeoutMs: 0, maxDelayMs: 0, tolerance: "none", reporters: [], metrics: counters().metrics, clock: fakeClock() });
    await expect(none.executeFailed(new ProcessingContext({}), Stage.TASK_PUT, "x", new Error("bad"))).rejects.toThrow("Tolerance exceeded in error handler");
  });

  it("stops retrying when its signal aborts", async () => {
    const controller = new AbortController();
    const clock = fakeClock();
    const op = new RetryWithToleranceOperator({ retryTimeoutMs: -1, maxDelayMs: 1000, tolerance: "all", reporters: [], metrics: counters().metrics, clock, signal: controller.signal });
    let calls = 0;
    const result = await op.execute(new ProcessingContext({}), Stage.TRANSFORMATION, "x", () => {
      calls++;
      if (calls === 3) controller.abort();
      throw new RetriableException("down");
    });
    expect(result).toBe(FAILED);
    expect(calls).toBe(3);
  });
});

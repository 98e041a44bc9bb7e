// The coordinator's clock and timers, behind an interface so tests can drive time by hand:
// session timeouts, rebalance timeouts and the initial rebalance delay are minutes or seconds
// in production and must run in microseconds, deterministically, in unit tests.

/** Cancels a scheduled task; calling it after the task ran (or twice) does nothing. */
export type Cancel = () => void;

export interface Scheduler {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs task once, delayMs from now (0 or less: as soon as possible, never synchronously). */
  schedule(delayMs: number, task: () => void): Cancel;
}

/** Real time: Date.now and unref'd timers (a pending session timeout never keeps the process alive). */
export const systemScheduler: Scheduler = {
  now: () => Date.now(),
  schedule(delayMs, task) {
    const t = setTimeout(task, Math.max(0, delayMs));
    t.unref();
    return () => clearTimeout(t);
  },
};

interface ManualTask {
  due: number;
  seq: number;
  task: () => void;
  cancelled: boolean;
}

/**
 * Virtual time for tests: nothing runs until advance() moves the clock. Tasks run in due-time
 * order (ties in scheduling order), including tasks scheduled by tasks within the window.
 */
export class ManualScheduler implements Scheduler {
  private time: number;
  private seq = 0;
  private tasks: ManualTask[] = [];

  constructor(startMs = 1_700_000_000_000) {
    this.time = startMs;
  }

  now(): number {
    return this.time;
  }

  schedule(delayMs: number, task: () => void): Cancel {
    const t: ManualTask = { due: this.time + Math.max(0, delayMs), seq: this.seq++, task, cancelled: false };
    this.tasks.push(t);
    return () => {
      t.cancelled = true;
    };
  }

  /** Number of scheduled tasks that have neither run nor been cancelled. */
  get pending(): number {
    return this.tasks.filter((t) => !t.cancelled).length;
  }

  /** Moves the clock forward by ms, running every task that falls due on the way. */
  advance(ms: number): void {
    const target = this.time + ms;
    for (;;) {
      const next = this.nextDue(target);
      if (!next) break;
      this.time = Math.max(this.time, next.due);
      next.cancelled = true;
      next.task();
    }
    this.time = target;
  }

  /**
   * Like advance(), but lets promise continuations (store acknowledgements, awaiting callers)
   * run after each task, as they would between timer callbacks in a real event loop.
   */
  async advanceAsync(ms: number): Promise<void> {
    const target = this.time + ms;
    await flushMicrotasks();
    for (;;) {
      const next = this.nextDue(target);
      if (!next) break;
      this.time = Math.max(this.time, next.due);
      next.cancelled = true;
      next.task();
      await flushMicrotasks();
    }
    this.time = target;
  }

  private nextDue(limit: number): ManualTask | undefined {
    this.tasks = this.tasks.filter((t) => !t.cancelled);
    let best: ManualTask | undefined;
    for (const t of this.tasks) {
      if (t.due > limit) continue;
      if (!best || t.due < best.due || (t.due === best.due && t.seq < best.seq)) best = t;
    }
    return best;
  }
}

/** Resolves after every promise continuation queued so far (and those they queue) has run. */
export function flushMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

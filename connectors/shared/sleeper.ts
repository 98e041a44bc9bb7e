// An interruptible wait for source tasks: poll() may wait for data or for a rate limit, but
// must return promptly when the runtime calls stop() (or when data arrives early).
export class Sleeper {
  #wake: (() => void) | null = null;
  #closed = false;

  /** Resolves after `ms`, or at once when woken or closed. */
  sleep(ms: number): Promise<void> {
    if (this.#closed || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(), ms);
      const done = (): void => {
        clearTimeout(timer);
        if (this.#wake === done) this.#wake = null;
        resolve();
      };
      this.#wake = done;
    });
  }

  /** Ends the current sleep, if any. */
  wake(): void {
    this.#wake?.();
  }

  /** Ends the current sleep and makes later ones return at once (the task is stopping). */
  close(): void {
    this.#closed = true;
    this.wake();
  }

  /** Allows sleeping again (a task object started again after stop). */
  reset(): void {
    this.#closed = false;
  }
}

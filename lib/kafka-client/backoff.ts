// Exponential backoff with jitter between retries (Kafka's retry.backoff.ms growing to
// retry.backoff.max.ms, KIP-580), and a sleep that an AbortSignal cuts short.

export class Backoff {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private attempts = 0;

  constructor(initialMs = 100, maxMs = 1000) {
    this.initialMs = initialMs;
    this.maxMs = maxMs;
  }

  /** The delay before the next attempt: doubles per failure, ±20% jitter, capped. */
  next(): number {
    const base = Math.min(this.maxMs, this.initialMs * 2 ** Math.min(this.attempts, 20));
    this.attempts++;
    return Math.round(base * (0.8 + Math.random() * 0.4));
  }

  reset(): void {
    this.attempts = 0;
  }
}

/** Resolves after ms, or as soon as the signal aborts (never rejects). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

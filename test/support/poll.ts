// Polling with a deadline for tests that wait on something asynchronous (a rebalance, a status,
// a REST answer): the attempt runs until it gives a value, a throw counts as "not yet", and the
// error after the deadline names what was awaited and the last error seen.

async function poll<T>(what: string, attempt: () => unknown, done: (value: unknown) => boolean, timeoutMs: number, intervalMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await attempt();
      if (done(value)) return value as T;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message ?? String(last)}` : ""}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Polls until fn gives something other than undefined or false, and returns it. */
export function waitFor<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 60_000, intervalMs = 200): Promise<T> {
  return poll<T>(what, fn, (value) => value !== undefined && value !== false, timeoutMs, intervalMs);
}

/** Polls until the probe gives something other than undefined (false included), and returns it. */
export function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000, intervalMs = 100): Promise<T> {
  return poll<T>(what, probe, (value) => value !== undefined, timeoutMs, intervalMs);
}

// Runs a set of long-lived components and stops them cleanly on SIGINT/SIGTERM, in the
// reverse order of their start, so that (for example) Connect stops its tasks before the
// broker they write to goes away. A second signal exits at once.
import type { Logger } from "./logger.ts";

export interface Component {
  readonly name: string;
  stop(): Promise<void>;
}

export interface RunningSet {
  add(component: Component): void;
  /** Resolves once every component has stopped after a signal (or stopAll()). */
  readonly stopped: Promise<void>;
  stopAll(reason: string): Promise<void>;
}

export function runUntilSignalled(log: Logger, timeoutMs = 30_000): RunningSet {
  const components: Component[] = [];
  let stopping: Promise<void> | undefined;
  let resolveStopped: () => void = () => {};
  const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));

  const stopAll = (reason: string): Promise<void> => {
    stopping ??= (async () => {
      log.info({ reason }, "shutting down");
      const timer = setTimeout(() => {
        log.error({ timeoutMs }, "shutdown took too long; exiting");
        process.exit(1);
      }, timeoutMs);
      timer.unref();
      for (const component of [...components].reverse()) {
        try {
          await component.stop();
          log.info({ component: component.name }, "stopped");
        } catch (err) {
          log.error({ component: component.name, err }, "failed to stop cleanly");
        }
      }
      clearTimeout(timer);
      resolveStopped();
    })();
    return stopping;
  };

  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      log.warn({ signal }, "second signal: exiting without waiting");
      process.exit(130);
    }
    void stopAll(signal);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  return { add: (c) => void components.push(c), stopped, stopAll };
}

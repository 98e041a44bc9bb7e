// The broker's background log maintenance: the retention check every
// log.retention.check.interval.ms (retention.ts) and the log cleaner (cleaner/log-cleaner.ts),
// started once the broker is up and stopped before its logs close.
import type { Logger } from "../../lib/logger.ts";
import { cleanerConfigFromBrokerProperties, LogCleaner } from "./cleaner/log-cleaner.ts";
import type { LogManager } from "./log-manager.ts";
import { flushPendingDeletions, RetentionTask } from "./retention.ts";

const DEFAULT_RETENTION_CHECK_INTERVAL_MS = 300_000;

export interface LogMaintenance {
  readonly retention: RetentionTask;
  readonly cleaner: LogCleaner;
  stop(): Promise<void>;
}

/** Starts retention and the cleaner with the broker's settings (server.properties keys). */
export function startLogMaintenance(logs: LogManager, props: ReadonlyMap<string, string>, logger?: Logger): LogMaintenance {
  const cleaner = new LogCleaner({ logs, config: cleanerConfigFromBrokerProperties(props), ...(logger ? { logger: logger.child({ component: "log-cleaner" }) } : {}) });
  const interval = Number(props.get("log.retention.check.interval.ms") ?? DEFAULT_RETENTION_CHECK_INTERVAL_MS);
  const retention = new RetentionTask({ logs, intervalMs: interval, ...(logger ? { logger } : {}), skip: (log) => cleaner.isCleaning(log) });
  retention.start();
  cleaner.start();
  return {
    retention,
    cleaner,
    async stop() {
      retention.stop();
      await cleaner.stop();
      flushPendingDeletions();
    },
  };
}

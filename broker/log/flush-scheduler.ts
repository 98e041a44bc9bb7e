// The broker's background flushing, with Kafka's settings:
//
//   flush.ms (topic) / log.flush.interval.ms (broker default)
//       a log whose last fsync is older than this and that holds unsynced records is fsynced.
//       Checked every log.flush.scheduler.interval.ms. Kafka's default for that interval is
//       Long.MAX_VALUE, which means a topic's flush.ms is never looked at unless the broker-wide
//       interval is set too; here, with the interval unset, the topics that set a finite
//       flush.ms are checked every second, so that the topic setting does what it says.
//   log.flush.offset.checkpoint.interval.ms
//       every partition's recovery point goes to `recovery-point-offset-checkpoint`, so that a
//       restart after an OS crash checks only what lies past it; the producer state snapshots
//       of the partitions whose state changed are written at the same time, so a restart after
//       a crash replays at most that long of batch headers.
//
// flush.messages needs no timer: PartitionLog.append starts the fsync when it is reached. All
// fsyncs here are asynchronous (PartitionLog.sync, on the thread pool).
import type { Logger } from "../../lib/logger.ts";
import type { LogManager } from "./log-manager.ts";

export interface FlushSchedulerOptions {
  /** log.flush.scheduler.interval.ms; Infinity when unset. */
  schedulerIntervalMs: number;
  /** log.flush.offset.checkpoint.interval.ms; 0 turns the periodic checkpoint off. */
  checkpointIntervalMs: number;
  logger?: Logger;
}

/** How often flush.ms is checked when log.flush.scheduler.interval.ms is left at Kafka's "never". */
const DEFAULT_CHECK_MS = 1000;

export class FlushScheduler {
  private readonly logs: LogManager;
  private readonly options: FlushSchedulerOptions;
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(logs: LogManager, options: FlushSchedulerOptions) {
    this.logs = logs;
    this.options = options;
  }

  start(): void {
    const interval = Number.isFinite(this.options.schedulerIntervalMs) ? this.options.schedulerIntervalMs : DEFAULT_CHECK_MS;
    this.timers.push(setInterval(() => this.flushDueLogs(), Math.min(interval, 2 ** 31 - 1)));
    if (this.options.checkpointIntervalMs > 0) {
      this.timers.push(setInterval(() => this.checkpoint(), Math.min(this.options.checkpointIntervalMs, 2 ** 31 - 1)));
    }
    for (const t of this.timers) t.unref();
  }

  stop(): void {
    for (const t of this.timers.splice(0)) clearInterval(t);
  }

  /** fsyncs (asynchronously) the logs whose flush.ms has passed since their last fsync. */
  flushDueLogs(now = Date.now()): number {
    let started = 0;
    for (const log of this.logs.allLogs()) {
      if (!log) continue;
      const flushMs = log.config.flushMs;
      if (!Number.isFinite(flushMs) || log.logEndOffset <= log.recoveryPoint || now - log.lastFlushTime < flushMs) continue;
      started++;
      log.sync().catch((err: unknown) => this.options.logger?.error({ err, topic: log.topic, partition: log.partition }, "flush.ms fsync failed"));
    }
    return started;
  }

  /** Recovery points and changed producer states to disk. */
  checkpoint(): void {
    try {
      this.logs.checkpointRecoveryPoints();
    } catch (err) {
      this.options.logger?.warn({ err }, "could not write the recovery point checkpoint");
    }
    for (const log of this.logs.allLogs()) {
      if (!log) continue;
      try {
        log.snapshotProducerState(false);
      } catch (err) {
        this.options.logger?.warn({ err, topic: log.topic, partition: log.partition }, "could not write a producer state snapshot");
      }
    }
  }
}

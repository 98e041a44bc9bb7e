// Retention: deleting whole old segments, as Kafka's UnifiedLog.deleteOldSegments does, from a
// periodic task (log.retention.check.interval.ms) the broker starts and stops.
//
// Per partition, in Kafka's order, each pass deleting an oldest prefix of segments and
// stopping at the first segment its rule spares:
//   - retention.ms (cleanup.policy delete or compact,delete; -1 disables): a segment goes when
//     its newest timestamp (its file's mtime when its records carry none) is older than
//     retention.ms;
//   - retention.bytes (same policies; -1 disables): while the partition is larger than
//     retention.bytes by at least the oldest segment's size, that segment goes;
//   - whatever the policy, a segment wholly below the log start offset goes (DeleteRecords
//     deletes those at once; this catches what a crash left behind).
// The active segment counts too: when it is due it is rolled first, so an idle partition
// whose records all expired ends up empty, with its log start offset at its end offset.
// The log start offset moves to the first remaining segment's base offset and is persisted
// before any file goes (PartitionLog.removeOldestSegments), so a fetch below it gets
// OFFSET_OUT_OF_RANGE, and consumers reset per their auto.offset.reset.
//
// file.delete.delay.ms is honoured as Kafka does: the deleted segment's files are renamed
// `.deleted` at once (they leave the log immediately) and unlinked when the delay has passed;
// a restart removes any `.deleted` file left over. (Reads here are synchronous, so no read is
// ever in flight on a deleted segment; the delay only matters to tools looking at the files.)
import { renameSync, statSync, unlinkSync } from "node:fs";
import type { Logger } from "../../lib/logger.ts";
import { isDeleted } from "./log-config.ts";
import type { LogManager } from "./log-manager.ts";
import type { PartitionLog } from "./partition-log.ts";
import type { LogSegment } from "./segment.ts";

const DELETED_SUFFIX = ".deleted";
const pendingDeletions = new Map<NodeJS.Timeout, () => void>();

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
}

/** Unlinks files (already renamed `.deleted`) after `delayMs`; at once when it is 0. */
export function deleteFilesLater(paths: readonly string[], delayMs: number, logger?: Logger): void {
  const run = () => {
    for (const path of paths) {
      try {
        unlinkQuietly(path);
      } catch (err) {
        logger?.warn({ path, err: (err as Error).message }, "could not remove a deleted segment file");
      }
    }
  };
  if (delayMs <= 0) return run();
  const timer = setTimeout(() => {
    pendingDeletions.delete(timer);
    run();
  }, Math.min(delayMs, 2 ** 31 - 1));
  timer.unref();
  pendingDeletions.set(timer, run);
}

/** Retires segments taken out of a log: files renamed `.deleted`, unlinked after the delay. */
export function retireSegments(segments: readonly LogSegment[], delayMs: number, logger?: Logger): void {
  const doomed: string[] = [];
  for (const segment of segments) {
    segment.release();
    for (const path of [segment.logPath, segment.offsetIndex.path, segment.timeIndex.path]) {
      try {
        renameSync(path, path + DELETED_SUFFIX);
        doomed.push(path + DELETED_SUFFIX);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
      }
    }
  }
  deleteFilesLater(doomed, delayMs, logger);
}

/** A segment's newest timestamp, or its file's mtime when its records carry none (Kafka's largestTimestamp). */
export function largestTimestamp(segment: LogSegment): number {
  const ts = segment.maxTimestampSoFar();
  if (ts > 0n) return Number(ts);
  try {
    return statSync(segment.logPath).mtimeMs;
  } catch {
    return Date.now();
  }
}

export interface RetentionOutcome {
  segments: number;
  bytes: number;
  reason: "retention.ms" | "retention.bytes" | "log start offset" | undefined;
}

/** How many of the oldest segments a rule deletes: the prefix it accepts (Kafka's deletableSegments). */
function deletablePrefix(log: PartitionLog, shouldDelete: (segment: LogSegment, next: LogSegment | undefined) => boolean): number {
  const segments = log.segments;
  let n = 0;
  while (n < segments.length) {
    const segment = segments[n] as LogSegment;
    const next = segments[n + 1];
    // An empty active segment is never deleted (it would only be created again).
    if (!next && segment.size === 0) break;
    if (!shouldDelete(segment, next)) break;
    n++;
  }
  return n;
}

/** Applies retention to one partition log now; see the header comment. */
export function enforceRetention(log: PartitionLog, now: number = Date.now(), logger?: Logger): RetentionOutcome {
  const config = log.config;
  const outcome: RetentionOutcome = { segments: 0, bytes: 0, reason: undefined };
  const remove = (count: number, reason: RetentionOutcome["reason"]) => {
    if (count <= 0) return;
    const startBefore = log.logStartOffset;
    const removed = log.removeOldestSegments(count);
    if (removed.length === 0) return;
    const bytes = removed.reduce((n, s) => n + s.size, 0);
    retireSegments(removed, config.fileDeleteDelayMs, logger);
    outcome.segments += removed.length;
    outcome.bytes += bytes;
    outcome.reason ??= reason;
    logger?.info(
      { topic: log.topic, partition: log.partition, segments: removed.map((s) => s.baseOffset.toString()), bytes, reason, logStartOffset: log.logStartOffset.toString(), previousLogStartOffset: startBefore.toString() },
      `deleted ${removed.length} log segment(s) by ${reason}`,
    );
  };
  if (isDeleted(config)) {
    if (config.retentionMs >= 0 && Number.isFinite(config.retentionMs)) {
      remove(deletablePrefix(log, (segment) => now - largestTimestamp(segment) > config.retentionMs), "retention.ms");
    }
    if (config.retentionBytes >= 0 && Number.isFinite(config.retentionBytes)) {
      let diff = log.sizeInBytes() - config.retentionBytes;
      remove(
        deletablePrefix(log, (segment) => {
          if (diff - segment.size < 0) return false;
          diff -= segment.size;
          return true;
        }),
        "retention.bytes",
      );
    }
  }
  const start = log.logStartOffset;
  remove(deletablePrefix(log, (_segment, next) => next !== undefined && next.baseOffset <= start), "log start offset");
  return outcome;
}

export interface RetentionTaskOptions {
  logs: LogManager;
  /** log.retention.check.interval.ms */
  intervalMs: number;
  logger?: Logger;
  /** Logs to leave alone this round (the cleaner is rewriting them). */
  skip?: (log: PartitionLog) => boolean;
}

/** The periodic retention check over every partition log of the broker. */
export class RetentionTask {
  private readonly options: RetentionTaskOptions;
  private timer: NodeJS.Timeout | undefined;

  constructor(options: RetentionTaskOptions) {
    this.options = options;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.runOnce(), Math.max(1, Math.min(this.options.intervalMs, 2 ** 31 - 1)));
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One pass over every log; returns the segments deleted. A failing log does not stop the others. */
  runOnce(now: number = Date.now()): number {
    let deleted = 0;
    for (const log of this.options.logs.allLogs()) {
      if (!log || this.options.skip?.(log)) continue;
      try {
        deleted += enforceRetention(log, now, this.options.logger).segments;
      } catch (err) {
        this.options.logger?.error({ topic: log.topic, partition: log.partition, err: (err as Error).message }, "retention failed on a partition log");
      }
    }
    return deleted;
  }
}

/** Removes every pending `.deleted` file now (a clean shutdown). */
export function flushPendingDeletions(): void {
  const pending = [...pendingDeletions];
  pendingDeletions.clear();
  for (const [timer, run] of pending) {
    clearTimeout(timer);
    run();
  }
}

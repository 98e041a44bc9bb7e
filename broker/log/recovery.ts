// What a partition log checks when it opens, depending on how the previous run ended.
//
//   clean          the clean shutdown marker is there: every log was fsynced and its indexes
//                  written out by close(). Only the batches after the last offset index entry of
//                  the active segment are read (at most index.interval.bytes and one batch), to
//                  find the log end offset as Kafka's readNextOffset does; their CRC is checked on
//                  the way, so a file damaged while the broker was stopped is still caught.
//   process-crash  no marker, but the lock file left by the previous run names this boot of the
//                  machine (/proc/sys/kernel/random/boot_id): the process died (SIGKILL, OOM) and
//                  the OS did not, so every write it made is in the page cache, and the only
//                  write that can be partial is the one in flight, at the end of an active
//                  segment (all log writes are synchronous on one thread). The active segment is
//                  checked from its last persisted index entry; older segments are trusted.
//   os-crash       no marker and a different or unknown boot: writes that were not fsynced may be
//                  lost, torn or zero-filled anywhere after the recovery point (the offset below
//                  which the log was fsynced, kept in Kafka's `recovery-point-offset-checkpoint`).
//                  Every segment from the one holding the recovery point on is checked: that one
//                  from the last offset index entry below the recovery point (if the batch it
//                  names is really there; from its first byte otherwise), the later ones from
//                  their first byte with their indexes rebuilt. As Kafka does, the segments after
//                  one that had to be truncated are deleted: their data follows a hole.
//
// A log opened after a crash whose boot id cannot be read is treated as os-crash: slower, never
// wrong.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "../../lib/logger.ts";
import { writeFileAtomic } from "./fs-util.ts";
import type { LogSegment, RecoveryMode } from "./segment.ts";

export type ShutdownKind = "clean" | "process-crash" | "os-crash";

/** Kafka's file: the recovery point of every partition in the log directory. */
export const RECOVERY_POINT_CHECKPOINT_FILE = "recovery-point-offset-checkpoint";

let bootIdCache: string | null | undefined;

/** This boot of the machine (Linux); undefined elsewhere. */
export function currentBootId(): string | undefined {
  if (bootIdCache === undefined) {
    try {
      bootIdCache = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim() || null;
    } catch {
      bootIdCache = null;
    }
  }
  return bootIdCache ?? undefined;
}

/** The lock file's content: the pid and the boot id of the process holding the directory. */
export function lockFileContent(): string {
  return `${process.pid}\n${currentBootId() ?? "unknown"}\n`;
}

/** How the previous run ended: the clean shutdown marker, else the lock file it left behind. */
export function previousShutdown(cleanMarker: boolean, previousLock: string | undefined): ShutdownKind {
  if (cleanMarker) return "clean";
  const boot = currentBootId();
  const lockBoot = previousLock?.split("\n")[1]?.trim();
  return boot !== undefined && lockBoot === boot ? "process-crash" : "os-crash";
}

/** Kafka's checkpoint file format: version 0, a count, then "topic partition offset" lines. */
export function readRecoveryPoints(logDir: string, logger?: Logger): Map<string, bigint> {
  const points = new Map<string, bigint>();
  const path = join(logDir, RECOVERY_POINT_CHECKPOINT_FILE);
  if (!existsSync(path)) return points;
  const lines = readFileSync(path, "utf8").split("\n");
  const count = Number(lines[1]);
  if (lines[0]?.trim() !== "0" || !Number.isInteger(count)) {
    logger?.warn({ path }, "ignoring an unreadable recovery point checkpoint: every segment will be checked");
    return points;
  }
  for (const line of lines.slice(2, 2 + count)) {
    const m = /^(\S+) (\d+) (\d+)$/.exec(line.trim());
    if (m) points.set(`${m[1]}-${m[2]}`, BigInt(m[3] as string));
  }
  return points;
}

export function writeRecoveryPoints(logDir: string, points: ReadonlyArray<{ topic: string; partition: number; offset: bigint }>): void {
  const lines = ["0", String(points.length), ...points.map((p) => `${p.topic} ${p.partition} ${p.offset}`)];
  writeFileAtomic(join(logDir, RECOVERY_POINT_CHECKPOINT_FILE), lines.join("\n") + "\n");
}

export interface RecoverySummary {
  kind: ShutdownKind;
  /** Segments whose batches were read and checked, and the bytes read. */
  checkedSegments: number;
  checkedBytes: number;
  /** Segments cut short (torn or corrupt tail), and the bytes cut. */
  truncatedSegments: number;
  truncatedBytes: number;
  /** Segments whose indexes were missing or inconsistent and rebuilt. */
  rebuiltIndexes: number;
  /** Segments deleted because they followed a truncated one (os-crash only). */
  deletedSegments: number;
}

export function repaired(summary: RecoverySummary): boolean {
  return summary.truncatedBytes > 0 || summary.rebuiltIndexes > 0 || summary.deletedSegments > 0;
}

/**
 * Checks the segments of a partition (oldest first) as `kind` requires, in place: truncates
 * torn tails, rebuilds indexes, and removes the segments following a hole (from the array and
 * the disk). Logs one line per repair.
 */
export function recoverSegments(segments: LogSegment[], kind: ShutdownKind, recoveryPoint: bigint | undefined, logger?: Logger): RecoverySummary {
  const summary: RecoverySummary = { kind, checkedSegments: 0, checkedBytes: 0, truncatedSegments: 0, truncatedBytes: 0, rebuiltIndexes: 0, deletedSegments: 0 };
  let firstUnsafe = segments.length - 1;
  if (kind === "os-crash") {
    firstUnsafe = 0;
    if (recoveryPoint !== undefined) {
      for (let i = segments.length - 1; i >= 0; i--) {
        if ((segments[i] as LogSegment).baseOffset <= recoveryPoint) {
          firstUnsafe = i;
          break;
        }
      }
    }
  }
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as LogSegment;
    const last = i === segments.length - 1;
    let mode: RecoveryMode | undefined;
    let trustBelow: bigint | undefined;
    if (kind === "os-crash" && i >= firstUnsafe) {
      // The segment holding the recovery point is read from the last index entry below it
      // (checked against the batch it names); the ones after it from their first byte.
      if (i === firstUnsafe && recoveryPoint !== undefined && !segment.indexesDamaged) {
        mode = "unclean";
        trustBelow = recoveryPoint;
      } else mode = "rebuild";
    } else if (last) mode = kind === "clean" ? "clean" : "unclean";
    else if (segment.indexesDamaged) mode = "rebuild"; // old segments otherwise load their indexes lazily
    if (!mode) continue;
    const report = segment.recover(mode, trustBelow);
    summary.checkedSegments++;
    summary.checkedBytes += segment.size + report.truncatedBytes - report.scannedFrom;
    if (report.rebuiltIndexes && (kind !== "os-crash" || i < firstUnsafe)) summary.rebuiltIndexes++;
    if (report.truncatedBytes > 0) {
      summary.truncatedSegments++;
      summary.truncatedBytes += report.truncatedBytes;
      logger?.warn({ segment: segment.logPath, shutdown: kind, ...report }, `truncated ${report.truncatedBytes} bytes of torn or corrupt data at the end of a log segment`);
    } else if (report.rebuiltIndexes && (kind !== "os-crash" || i < firstUnsafe)) {
      logger?.warn({ segment: segment.logPath, shutdown: kind, ...report }, "rebuilt the indexes of a log segment");
    }
    if (report.truncatedBytes > 0 && !last && kind === "os-crash") {
      const doomed = segments.splice(i + 1);
      for (const s of doomed) s.delete();
      summary.deletedSegments = doomed.length;
      logger?.warn({ segments: doomed.map((s) => s.logPath), after: segment.logPath }, `deleted ${doomed.length} log segments that followed a truncated one`);
      break;
    }
  }
  return summary;
}

// The log cleaner (Kafka's LogCleaner and LogCleanerManager): compacts the partitions of
// topics with cleanup.policy=compact (or compact,delete) in the background.
//
// A loop on the event loop picks, each round, the compacted log with the highest dirty ratio
// above its min.cleanable.dirty.ratio (or any whose oldest dirty record is older than
// max.compaction.lag.ms), hands the job to a worker thread (clean-worker.ts → clean.ts),
// which reads the log's inactive segments and writes cleaned ones as `.cleaned` files, and,
// when the worker is done, swaps them into the log in one synchronous step (swap.ts,
// PartitionLog.replaceSegments). Between rounds it sleeps log.cleaner.backoff.ms. The broker's
// event loop only plans the job and does the swap (renames and two directory fsyncs); produce
// and fetch never wait for the cleaning itself.
//
// What is cleanable: segments from the log start up to the first uncleanable offset, which is
// the active segment's base offset, or earlier the base of the first dirty segment holding a
// record newer than min.compaction.lag.ms. The dirty section starts at the offset where the
// previous clean stopped, kept per partition in `<log.dir>/cleaner-offset-checkpoint` (Kafka's
// file and format). Dirty ratio = dirty bytes / (clean + dirty bytes).
//
// log.cleaner.threads > 1 is accepted but one worker cleans one log at a time (a single-node
// broker on a small machine gains little from more); log.cleaner.io.max.bytes.per.second
// (throttling) is not applied.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import type { Logger } from "../../../lib/logger.ts";
import { writeFileAtomic } from "../fs-util.ts";
import { isCompacted } from "../log-config.ts";
import type { LogManager } from "../log-manager.ts";
import type { PartitionLog } from "../partition-log.ts";
import { deleteFilesLater, largestTimestamp } from "../retention.ts";
import { INDEX_SUFFIX, LOG_SUFFIX, LogSegment, segmentFileName, TIME_INDEX_SUFFIX } from "../segment.ts";
import { cleanPartition, type CleanJob, type CleanResult, type CleanStats, type SegmentRef } from "./clean.ts";
import { commitSwap, DELETED_SUFFIX, discardCleaned, type SwapStep } from "./swap.ts";

export const CLEANER_CHECKPOINT_FILE = "cleaner-offset-checkpoint";

export interface CleanerConfig {
  /** log.cleaner.enable */
  enable: boolean;
  /** log.cleaner.dedupe.buffer.size: the OffsetMap's memory bound. */
  dedupeBufferSize: number;
  /** log.cleaner.io.buffer.load.factor */
  loadFactor: number;
  /** log.cleaner.io.buffer.size: read and write buffer sizes. */
  ioBufferSize: number;
  /** log.cleaner.backoff.ms: sleep when no log needs cleaning. */
  backoffMs: number;
}

export const DEFAULT_CLEANER_CONFIG: Readonly<CleanerConfig> = Object.freeze({
  enable: true,
  dedupeBufferSize: 128 * 1024 * 1024,
  loadFactor: 0.9,
  ioBufferSize: 512 * 1024,
  backoffMs: 15_000,
});

/** The cleaner's settings from server.properties keys (Kafka's names and defaults). */
export function cleanerConfigFromBrokerProperties(props: ReadonlyMap<string, string>): CleanerConfig {
  const num = (key: string, fallback: number) => {
    const v = props.get(key);
    return v === undefined ? fallback : Number(v);
  };
  const threads = Math.max(1, num("log.cleaner.threads", 1));
  return {
    enable: (props.get("log.cleaner.enable") ?? "true").trim() !== "false",
    // Kafka splits the buffer between its cleaner threads; we run one worker, so it gets its share.
    dedupeBufferSize: Math.max(1024 * 1024, Math.floor(num("log.cleaner.dedupe.buffer.size", DEFAULT_CLEANER_CONFIG.dedupeBufferSize) / threads)),
    loadFactor: num("log.cleaner.io.buffer.load.factor", DEFAULT_CLEANER_CONFIG.loadFactor),
    ioBufferSize: num("log.cleaner.io.buffer.size", DEFAULT_CLEANER_CONFIG.ioBufferSize),
    backoffMs: num("log.cleaner.backoff.ms", DEFAULT_CLEANER_CONFIG.backoffMs),
  };
}

export interface CleanSummary {
  topic: string;
  partition: number;
  firstDirtyOffset: bigint;
  endOffset: bigint;
  /** Whether the cleaned segments replaced the old ones (false: the log changed meanwhile). */
  swapped: boolean;
  segmentsBefore: number;
  segmentsAfter: number;
  stats: CleanStats;
  /** Whole clean, worker and swap. */
  ms: number;
  /** The swap alone (event loop time). */
  swapMs: number;
}

export interface LogCleanerOptions {
  logs: LogManager;
  config?: Partial<CleanerConfig>;
  logger?: Logger;
  now?: () => number;
  /** Clean on the calling thread instead of the worker (tests, tools). */
  inProcess?: boolean;
  /** Called at each step of a swap (crash tests stop the process there). */
  onSwapStep?: (step: SwapStep, group: number) => void;
}

interface Candidate {
  log: PartitionLog;
  ratio: number;
  firstDirty: bigint;
  firstUncleanable: bigint;
  needNow: boolean;
}

interface PendingJob {
  resolve: (result: CleanResult) => void;
  reject: (err: Error) => void;
}

function segmentEnd(segments: readonly LogSegment[], i: number, logEnd: bigint): bigint {
  return (segments[i + 1] as LogSegment | undefined)?.baseOffset ?? logEnd;
}

export class LogCleaner {
  readonly config: CleanerConfig;
  private readonly logs: LogManager;
  private readonly logger: Logger | undefined;
  private readonly now: () => number;
  private readonly inProcess: boolean;
  private readonly onSwapStep: LogCleanerOptions["onSwapStep"];
  private readonly checkpoints = new Map<PartitionLog, bigint>();
  /** Checkpoints read at start, by `<topic> <partition>`, taken by the first log of that name. */
  private readonly persisted = new Map<string, bigint>();
  private readonly uncleanable = new WeakSet<PartitionLog>();
  private cleaning: PartitionLog | undefined;
  private worker: Worker | undefined;
  private readonly pending = new Map<number, PendingJob>();
  private nextJobId = 1;
  private running = false;
  private loopDone: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(options: LogCleanerOptions) {
    this.logs = options.logs;
    this.config = { ...DEFAULT_CLEANER_CONFIG, ...options.config };
    this.logger = options.logger;
    this.now = options.now ?? Date.now;
    this.inProcess = options.inProcess ?? false;
    this.onSwapStep = options.onSwapStep;
    this.readCheckpoints();
  }

  /** Starts the background loop (no-op with log.cleaner.enable=false). */
  start(): void {
    if (this.running || !this.config.enable) return;
    this.running = true;
    this.loopDone = this.loop();
  }

  /** Stops the loop and the worker; a clean in progress is abandoned (its `.cleaned` files go on the next open). */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
    this.failPending(new Error("the log cleaner stopped"));
    await this.loopDone;
  }

  /** Whether this log's segments are being rewritten right now (retention leaves it alone). */
  isCleaning(log: PartitionLog): boolean {
    return this.cleaning === log;
  }

  /** Where the dirty section of the log starts. */
  firstDirtyOffset(log: PartitionLog): bigint {
    const start = log.logStartOffset;
    let offset = this.checkpoints.get(log);
    if (offset === undefined) {
      const key = `${log.topic} ${log.partition}`;
      offset = this.persisted.get(key);
      this.persisted.delete(key);
      if (offset !== undefined) this.checkpoints.set(log, offset);
    }
    if (offset === undefined || offset < start || offset > log.logEndOffset) return start;
    return offset;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      let cleaned = false;
      try {
        cleaned = (await this.cleanOnce()) !== undefined;
      } catch (err) {
        if (this.running) this.logger?.error({ err: (err as Error).message }, "log cleaner round failed");
      }
      if (!this.running) break;
      if (!cleaned) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.config.backoffMs);
          timer.unref();
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = undefined;
      }
    }
  }

  /** Wakes the loop up now instead of after its backoff (tests). */
  poke(): void {
    this.wake?.();
  }

  /** Cleans the filthiest log that needs it, if any. */
  async cleanOnce(filter?: (log: PartitionLog) => boolean): Promise<CleanSummary | undefined> {
    const candidate = this.filthiest(filter);
    if (!candidate) return undefined;
    return this.clean(candidate);
  }

  /** Cleans until no log (among those `filter` accepts) needs it. */
  async cleanAll(filter?: (log: PartitionLog) => boolean): Promise<CleanSummary[]> {
    const out: CleanSummary[] = [];
    for (;;) {
      const summary = await this.cleanOnce(filter);
      if (!summary) return out;
      out.push(summary);
      if (!summary.swapped && summary.endOffset === summary.firstDirtyOffset) return out;
    }
  }

  /** The cleanable part of a log and its dirty ratio, or undefined when it has none. */
  private candidate(log: PartitionLog, now: number): Candidate | undefined {
    const config = log.config;
    if (!isCompacted(config) || this.uncleanable.has(log)) return undefined;
    const segments = log.segments;
    const leo = log.logEndOffset;
    const active = segments[segments.length - 1] as LogSegment;
    const start = log.logStartOffset;
    const firstDirty = this.firstDirtyOffset(log);
    let firstUncleanable = active.baseOffset;
    let firstDirtySegment: LogSegment | undefined;
    for (let i = 0; i < segments.length - 1; i++) {
      const segment = segments[i] as LogSegment;
      if (segmentEnd(segments, i, leo) <= firstDirty) continue;
      firstDirtySegment ??= segment;
      if (config.minCompactionLagMs > 0 && largestTimestamp(segment) > now - config.minCompactionLagMs) {
        firstUncleanable = segment.baseOffset > firstDirty ? segment.baseOffset : firstDirty;
        break;
      }
    }
    if (firstDirty >= firstUncleanable) return undefined;
    let cleanBytes = 0;
    let dirtyBytes = 0;
    for (let i = 0; i < segments.length - 1; i++) {
      const segment = segments[i] as LogSegment;
      const end = segmentEnd(segments, i, leo);
      if (segment.baseOffset < firstDirty && end > start) cleanBytes += segment.size;
      if (end > firstDirty && segment.baseOffset < firstUncleanable) dirtyBytes += segment.size;
    }
    if (dirtyBytes === 0) return undefined;
    const ratio = dirtyBytes / (cleanBytes + dirtyBytes);
    let needNow = false;
    if (Number.isFinite(config.maxCompactionLagMs) && firstDirtySegment) {
      const ts = firstDirtySegment.firstBatchTimestamp();
      needNow = ts !== undefined && ts > 0n && Number(ts) < now - config.maxCompactionLagMs;
    }
    if (!(ratio > config.minCleanableDirtyRatio || needNow)) return undefined;
    return { log, ratio, firstDirty, firstUncleanable, needNow };
  }

  private filthiest(filter?: (log: PartitionLog) => boolean): Candidate | undefined {
    const now = this.now();
    let best: Candidate | undefined;
    for (const log of this.logs.allLogs()) {
      if (!log || (filter && !filter(log))) continue;
      let c: Candidate | undefined;
      try {
        c = this.candidate(log, now);
      } catch (err) {
        this.logger?.warn({ topic: log.topic, partition: log.partition, err: (err as Error).message }, "could not assess a log for cleaning");
      }
      if (c && (!best || (c.needNow && !best.needNow) || (c.needNow === best.needNow && c.ratio > best.ratio))) best = c;
    }
    return best;
  }

  private async clean(c: Candidate): Promise<CleanSummary> {
    const { log } = c;
    const started = performance.now();
    const config = log.config;
    const segments = log.segments;
    const leo = log.logEndOffset;
    const refs: SegmentRef[] = [];
    const byBase = new Map<bigint, LogSegment>();
    for (let i = 0; i < segments.length - 1; i++) {
      const segment = segments[i] as LogSegment;
      if (segment.baseOffset >= c.firstUncleanable) break;
      refs.push({ base: segment.baseOffset, end: segmentEnd(segments, i, leo), size: segment.size, largestTimestamp: largestTimestamp(segment) });
      byBase.set(segment.baseOffset, segment);
    }
    const job: CleanJob = {
      dir: log.dir,
      name: `${log.topic}-${log.partition}`,
      segments: refs,
      firstDirtyOffset: c.firstDirty,
      now: this.now(),
      deleteRetentionMs: config.deleteRetentionMs,
      segmentBytes: config.segmentBytes,
      indexIntervalBytes: config.indexIntervalBytes,
      mapBytes: this.config.dedupeBufferSize,
      loadFactor: this.config.loadFactor,
      ioBufferBytes: this.config.ioBufferSize,
    };
    this.cleaning = log;
    let result: CleanResult;
    try {
      result = await this.run(job);
    } catch (err) {
      this.cleaning = undefined;
      const e = err as Error;
      const stillThere = this.logs.log(log.topic, log.partition) === log && [...byBase.values()].every((s) => log.segments.includes(s));
      if (!stillThere) {
        // Retention, DeleteRecords or a topic deletion took segments the worker was reading.
        discardCleaned(log.dir);
        this.logger?.info({ topic: log.topic, partition: log.partition, err: e.message }, "a clean was abandoned: the log changed meanwhile");
        const empty: CleanStats = { mapBytesRead: 0, bytesRead: 0, bytesWritten: 0, recordsRead: 0, recordsKept: 0, tombstonesDropped: 0, batchesRewritten: 0, keys: 0, mapFull: false, mapMs: 0, cleanMs: 0 };
        return { topic: log.topic, partition: log.partition, firstDirtyOffset: c.firstDirty, endOffset: c.firstDirty, swapped: false, segmentsBefore: segments.length, segmentsAfter: log.segments.length, stats: empty, ms: performance.now() - started, swapMs: 0 };
      }
      discardCleaned(log.dir);
      if (e.name === "CleanerError") {
        this.uncleanable.add(log);
        this.logger?.error({ topic: log.topic, partition: log.partition, err: e.message }, "marking the partition uncleanable");
      }
      throw err;
    }
    const swapStarted = performance.now();
    let swapped = false;
    try {
      const current = this.logs.log(log.topic, log.partition) === log;
      const old = result.groups.flatMap((g) => g.replaced.map((b) => byBase.get(b) as LogSegment));
      if (current && old.length > 0) {
        try {
          swapped = log.replaceSegments(old, () => {
            for (const segment of old) segment.release();
            commitSwap(log.dir, result.groups, this.onSwapStep);
            return result.groups.map((g) => LogSegment.open(log.dir, g.base, log.config, this.logger));
          });
        } catch (err) {
          // A rename or fsync failed mid-swap: the files are left for recovery (the manifest
          // says how to finish), and the partition is not cleaned again in this run.
          this.uncleanable.add(log);
          this.logger?.error({ topic: log.topic, partition: log.partition, err: (err as Error).message }, "a cleaner swap failed; the partition's files are completed on the next start");
          throw err;
        }
      }
      if (swapped) {
        const doomed = result.groups.flatMap((g) => g.replaced.flatMap((b) => [LOG_SUFFIX, INDEX_SUFFIX, TIME_INDEX_SUFFIX].map((s) => join(log.dir, segmentFileName(b, s) + DELETED_SUFFIX))));
        deleteFilesLater(doomed, config.fileDeleteDelayMs, this.logger);
        this.checkpoints.set(log, result.endOffset);
        this.writeCheckpoints();
      } else {
        discardCleaned(log.dir);
      }
    } finally {
      this.cleaning = undefined;
    }
    const swapMs = performance.now() - swapStarted;
    const ms = performance.now() - started;
    const summary: CleanSummary = {
      topic: log.topic,
      partition: log.partition,
      firstDirtyOffset: c.firstDirty,
      endOffset: result.endOffset,
      swapped,
      segmentsBefore: segments.length,
      segmentsAfter: log.segments.length,
      stats: result.stats,
      ms,
      swapMs,
    };
    const mb = (n: number) => n / (1024 * 1024);
    const s = result.stats;
    this.logger?.info(
      {
        topic: log.topic,
        partition: log.partition,
        dirtySection: [c.firstDirty.toString(), result.endOffset.toString()],
        ratio: Number(c.ratio.toFixed(3)),
        swapped,
        mbRead: Number(mb(s.bytesRead).toFixed(1)),
        mbWritten: Number(mb(s.bytesWritten).toFixed(1)),
        mbPerSec: Number((mb(s.bytesRead) / (ms / 1000)).toFixed(1)),
        keys: s.keys,
        mapFull: s.mapFull,
        recordsRead: s.recordsRead,
        recordsKept: s.recordsKept,
        tombstonesDropped: s.tombstonesDropped,
        ms: Math.round(ms),
        swapMs: Number(swapMs.toFixed(1)),
      },
      swapped ? "cleaned a log" : "cleaned a log, but it changed meanwhile: the result was dropped",
    );
    return summary;
  }

  private run(job: CleanJob): Promise<CleanResult> {
    if (this.inProcess) return Promise.resolve().then(() => cleanPartition(job));
    const worker = this.ensureWorker();
    const id = this.nextJobId++;
    worker.ref();
    return new Promise<CleanResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, job });
    }).finally(() => {
      if (this.pending.size === 0) this.worker?.unref();
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    // The compiled tree (dist/, what ./hub runs) has clean-worker.js next to this file.
    const workerFile = import.meta.url.endsWith(".ts") ? "./clean-worker.ts" : "./clean-worker.js";
    const worker = new Worker(new URL(workerFile, import.meta.url), { name: "log-cleaner" });
    worker.on("message", (m: { id: number; result?: CleanResult; error?: { name: string; message: string; stack?: string } }) => {
      const job = this.pending.get(m.id);
      if (!job) return;
      this.pending.delete(m.id);
      if (m.error) {
        const err = new Error(m.error.message);
        err.name = m.error.name;
        if (m.error.stack) err.stack = m.error.stack;
        job.reject(err);
      } else job.resolve(m.result as CleanResult);
    });
    worker.on("error", (err) => {
      this.logger?.error({ err: err.message }, "the log cleaner's worker failed");
      if (this.worker === worker) this.worker = undefined;
      this.failPending(err);
    });
    worker.on("exit", () => {
      if (this.worker === worker) this.worker = undefined;
      this.failPending(new Error("the log cleaner's worker exited"));
    });
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private failPending(err: Error): void {
    const jobs = [...this.pending.values()];
    this.pending.clear();
    for (const job of jobs) job.reject(err);
  }

  private readCheckpoints(): void {
    const path = join(this.logs.logDir, CLEANER_CHECKPOINT_FILE);
    if (!existsSync(path)) return;
    const lines = readFileSync(path, "utf8").split("\n");
    if (lines[0]?.trim() !== "0") {
      this.logger?.warn({ path }, "ignoring a cleaner checkpoint file of an unknown version");
      return;
    }
    for (const line of lines.slice(2)) {
      const m = /^(\S+) (\d+) (\d+)$/.exec(line.trim());
      if (m) this.persisted.set(`${m[1]} ${m[2]}`, BigInt(m[3] as string));
    }
  }

  /** Kafka's format: version 0, the entry count, then `<topic> <partition> <offset>` lines. */
  private writeCheckpoints(): void {
    const entries: string[] = [];
    for (const [log, offset] of this.checkpoints) {
      if (this.logs.log(log.topic, log.partition) !== log) {
        this.checkpoints.delete(log);
        continue;
      }
      entries.push(`${log.topic} ${log.partition} ${offset}`);
    }
    for (const [key, offset] of this.persisted) if (this.logs.topic(key.slice(0, key.lastIndexOf(" ")))) entries.push(`${key} ${offset}`);
    try {
      writeFileAtomic(join(this.logs.logDir, CLEANER_CHECKPOINT_FILE), `0\n${entries.length}\n${entries.join("\n")}${entries.length ? "\n" : ""}`);
    } catch (err) {
      this.logger?.warn({ err: (err as Error).message }, "could not write the cleaner checkpoint file");
    }
  }
}

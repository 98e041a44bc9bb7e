// A partition's log: the directory `<log.dir>/<topic>-<partition>/` of segments (segment.ts),
// as Kafka lays it out, plus `log-start-offset` (ours: the DeleteRecords low watermark, which
// must outlive a restart). The broker's handlers talk to this class only:
//
//   PartitionLog.open(dir, config, { shutdown, recoveryPoint, logger })  load (recovery.ts) or create
//   .logStartOffset / .logEndOffset / .highWatermark         (single node: HW = LEO after append)
//   .append(records, batches, { logAppendTime })           assign offsets, write, index, roll
//   .read(fetchOffset, maxBytes, { minOneBatch, maxOffset }) whole batches as Buffer slices
//   .offsetForTimestamp(ts) / .maxTimestamp()                ListOffsets by timestamp / MAX_TIMESTAMP (-3)
//   .deleteRecordsBefore(offset)                              DeleteRecords (persisted)
//   .sizeInBytes() .flush() .close() .delete() .updateConfig(config) .segments
//   .sync() .recoveryPoint                                    async fsync, group commit (log-sync.ts)
//   .producerState() .snapshotProducerState(load)             idempotent producers, kept across restarts
//
// Errors are KafkaError with Kafka's code: OFFSET_OUT_OF_RANGE, MESSAGE_TOO_LARGE,
// RECORD_LIST_TOO_LARGE, KAFKA_STORAGE_ERROR, UNKNOWN_TOPIC_OR_PARTITION (log closed/deleted).
//
// Synchronous file I/O, on purpose. The broker is one node and one event loop, and every
// change to a log happens on that one serialized path. An append is a copy into the page cache
// (a few microseconds for 16 KiB); doing it through libuv's thread pool would cost more than
// the write itself (a thread hand-off and a promise per call) and, worse, would leave states in
// flight: offsets assigned but not written, a fetch racing a half-done write, a roll during a
// write. Synchronous writes keep "assign offsets, write, index, move the LEO" one atomic step.
// Reads of recent data (what consumers fetch) come from the page cache too. The cost: a read
// of cold data blocks the loop for a disk access (a readAsync for segments outside the page
// cache could come later without changing this API's shape). fsync does not block it: sync()
// runs on the thread pool, since it changes nothing but the recovery point; only flush() (at
// close) is synchronous.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { Logger } from "../../lib/logger.ts";
import { ErrorCode, KafkaError } from "../protocol/generated/errors.ts";
import { assignBaseOffset, BATCH_HEADER_SIZE, LOG_OVERHEAD, stampLogAppendTime, type BatchInfo } from "../protocol/records/batch.ts";
import { deleteProducerSnapshotsAbove, listProducerSnapshots, loadProducerState, writeProducerSnapshot } from "../producer/producer-snapshot.ts";
import type { PartitionProducerState } from "../producer/producer-state.ts";
import type { BatchCursor } from "./batch-cursor.ts";
import { fsyncDir, writeFileAtomic } from "./fs-util.ts";
import { maxSegmentMs, type LogConfig } from "./log-config.ts";
import { recoverSwap } from "./cleaner/swap.ts";
import { GroupSync, type SyncWork } from "./log-sync.ts";
import { recoverSegments, type RecoverySummary, type ShutdownKind } from "./recovery.ts";
import { INDEX_SUFFIX, LogSegment, MAX_RELATIVE_OFFSET, parseSegmentFileName, TIME_INDEX_SUFFIX, type TimestampAndOffset } from "./segment.ts";

export type { LogConfig } from "./log-config.ts";
export type { TimestampAndOffset } from "./segment.ts";

export const LOG_START_OFFSET_FILE = "log-start-offset";
/** Suffix of a partition directory being deleted (Kafka's). */
export const DELETE_DIR_SUFFIX = "-delete";

export interface AppendOptions {
  /** Stamp the batches with this time (LogAppendTime). Defaults to now when the topic's
   * message.timestamp.type is LogAppendTime, otherwise the producer's timestamps stay. */
  logAppendTime?: bigint;
}

export interface AppendResult {
  baseOffset: bigint;
  lastOffset: bigint;
  /** The time stamped on the batches, or -1 (CreateTime), as the Produce response wants it. */
  logAppendTime: bigint;
  logStartOffset: bigint;
  /** The fsync this append triggered (flush.messages reached): a produce answers after it. */
  flushed?: Promise<void>;
}

export interface ReadOptions {
  /** Return the first batch even if it is larger than maxBytes (KIP-74). Default true. */
  minOneBatch?: boolean;
  /** Only batches starting below this offset (the high watermark by default). */
  maxOffset?: bigint;
}

export interface ReadResult {
  /** Whole batches, one Buffer per segment range read. */
  records: Buffer[];
  totalBytes: number;
}

export interface OpenOptions {
  /** The broker shut down cleanly: trust the indexes and check only the last batches. */
  cleanShutdown?: boolean;
  /** How the previous run ended (recovery.ts); default: clean or process-crash by cleanShutdown. */
  shutdown?: ShutdownKind;
  /** Offsets below this were fsynced before the previous run ended (from the checkpoint file). */
  recoveryPoint?: bigint;
  logger?: Logger;
}

/** `<topic>-<partition>`: the partition is after the last dash (topics may contain dashes). */
export function parsePartitionDirName(name: string): { topic: string; partition: number } | undefined {
  const dash = name.lastIndexOf("-");
  if (dash <= 0) return undefined;
  const digits = name.slice(dash + 1);
  if (!/^\d{1,10}$/.test(digits)) return undefined;
  const partition = Number(digits);
  if (partition > 2147483647) return undefined;
  return { topic: name.slice(0, dash), partition };
}

export function partitionDirName(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

function offsetOutOfRange(offset: bigint, start: bigint, end: bigint): KafkaError {
  return new KafkaError(ErrorCode.OFFSET_OUT_OF_RANGE, `offset ${offset} is outside the log's range [${start}, ${end}]`);
}

export class PartitionLog {
  readonly dir: string;
  readonly topic: string;
  readonly partition: number;
  private _config: LogConfig;
  private readonly logger: Logger | undefined;
  private readonly _segments: LogSegment[];
  private _logStartOffset: bigint;
  private _logEndOffset: bigint;
  private _highWatermark: bigint;
  /** A segment was created or deleted since the directory was last fsynced. */
  private dirChanged = false;
  private closed = false;
  /** Every offset below this is on disk (Kafka's recovery point). */
  private _recoveryPoint = 0n;
  private _lastFlushTime = Date.now();
  private readonly syncer: GroupSync;
  /** What open() found and repaired. */
  recovery: RecoverySummary | undefined;
  private producers: PartitionProducerState | undefined;
  /** The newest producer state snapshot on disk, and the state version it holds (-1: unknown). */
  private snapshotOffset: bigint | undefined;
  private snapshotVersion = -1;
  private lastRollErrorLog = 0;
  private openedLogEndOffset = -1n;

  private constructor(dir: string, config: LogConfig, logger: Logger | undefined, segments: LogSegment[], logStartOffset: bigint) {
    const parsed = parsePartitionDirName(basename(dir));
    if (!parsed) throw new Error(`${dir} is not a partition directory (<topic>-<partition>)`);
    this.dir = dir;
    this.topic = parsed.topic;
    this.partition = parsed.partition;
    this._config = config;
    this.logger = logger;
    this._segments = segments;
    this._logEndOffset = this.active.nextOffset;
    this._logStartOffset = logStartOffset;
    this._highWatermark = this._logEndOffset;
    this.syncer = new GroupSync({
      takeWork: () => this.takeSyncWork(),
      synced: (work) => {
        if (work.endOffset > this._recoveryPoint) this._recoveryPoint = work.endOffset;
        this._lastFlushTime = Date.now();
      },
      failed: (work, err) => {
        if (work.dir !== undefined) this.dirChanged = true;
        this.logger?.error({ err, dir: this.dir }, "fsync of a partition log failed");
      },
    });
  }

  /** Opens the partition directory, creating it if needed; see the header comment. */
  static open(dir: string, config: LogConfig, options: OpenOptions = {}): PartitionLog {
    const logger = options.logger;
    if (!parsePartitionDirName(basename(dir))) throw new Error(`${dir} is not a partition directory (<topic>-<partition>)`);
    mkdirSync(dir, { recursive: true });
    recoverSwap(dir, logger); // a cleaner swap a crash interrupted is finished or undone first
    const names = readdirSync(dir);
    const bases: bigint[] = [];
    for (const name of names) {
      const base = parseSegmentFileName(name);
      if (base !== undefined) bases.push(base);
    }
    bases.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const known = new Set(bases.map((b) => b.toString().padStart(20, "0")));
    for (const name of names) {
      // Leftovers: temp files, files of segments being deleted or cleaned, indexes whose log is
      // gone. (`.swap` files were finished or undone by recoverSwap above.)
      const orphanIndex = (name.endsWith(INDEX_SUFFIX) || name.endsWith(TIME_INDEX_SUFFIX)) && !known.has(name.slice(0, 20));
      if (name.endsWith(".tmp") || name.endsWith(".deleted") || name.endsWith(".cleaned") || orphanIndex) {
        unlinkSync(join(dir, name));
        logger?.info({ dir, file: name }, "removed a leftover file from the partition directory");
      }
    }

    const persistedStart = readLogStartOffset(dir, logger);
    const segments: LogSegment[] = [];
    const kind = options.shutdown ?? (options.cleanShutdown ? "clean" : "process-crash");
    let recovery: RecoverySummary | undefined;
    if (bases.length === 0) {
      segments.push(LogSegment.create(dir, persistedStart ?? 0n, config, logger));
    } else {
      for (const base of bases) segments.push(LogSegment.open(dir, base, config, logger));
      recovery = recoverSegments(segments, kind, options.recoveryPoint, logger);
    }
    let logStartOffset = persistedStart ?? 0n;
    const first = segments[0] as LogSegment;
    if (first.baseOffset > logStartOffset) logStartOffset = first.baseOffset;
    const log = new PartitionLog(dir, config, logger, segments, logStartOffset);
    if (logStartOffset > log._logEndOffset) {
      // Records were deleted up to an offset the log no longer reaches (its tail was lost in a
      // crash): start empty at the log start offset so no offset is ever handed out twice.
      logger?.warn({ dir, logStartOffset, logEndOffset: log._logEndOffset }, "log end offset below the log start offset; restarting the log empty at the log start offset");
      log.truncateFullyAndStartAt(logStartOffset);
    }
    log.recovery = recovery;
    log.openedLogEndOffset = log._logEndOffset;
    if (recovery && recovery.deletedSegments > 0) log.dirChanged = true;
    deleteProducerSnapshotsAbove(dir, log._logEndOffset, names, logger);
    log.snapshotOffset = listProducerSnapshots(dir, names).find((o) => o <= log._logEndOffset);
    if (kind === "clean") log._recoveryPoint = log._logEndOffset;
    else {
      // After a process crash the data is in the page cache but maybe not on disk yet; after an
      // OS crash, the repairs are not. The recovery point stays until an fsync moves it: after
      // an OS crash one starts now, in the background, rather than 1,000 of them before the
      // broker listens.
      const point = options.recoveryPoint ?? 0n;
      log._recoveryPoint = point < log._logEndOffset ? point : log._logEndOffset;
      if (kind === "os-crash") log.sync().catch(() => {});
    }
    return log;
  }

  get config(): Readonly<LogConfig> {
    return this._config;
  }

  /** Topic config changes apply live (the next roll, index entry or size check uses them). */
  updateConfig(config: LogConfig): void {
    this._config = config;
    for (const segment of this._segments) segment.configure(config);
  }

  get logStartOffset(): bigint {
    return this._logStartOffset;
  }

  get logEndOffset(): bigint {
    return this._logEndOffset;
  }

  get highWatermark(): bigint {
    return this._highWatermark;
  }

  /** Oldest first; the last is the active segment. For retention, the cleaner, metrics. */
  get segments(): readonly LogSegment[] {
    return this._segments;
  }

  private get active(): LogSegment {
    return this._segments[this._segments.length - 1] as LogSegment;
  }

  private checkOpen(): void {
    if (this.closed) throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `the log of ${this.topic}-${this.partition} is closed`);
  }

  /**
   * Appends the batches of a produce request (already checked by validateBatches): each batch
   * gets the next offsets, patched into its header in `records` itself, then the whole buffer
   * goes to the active segment in one write.
   */
  append(records: Buffer, batches: readonly BatchInfo[], options: AppendOptions = {}): AppendResult {
    this.checkOpen();
    const config = this._config;
    const first = this._logEndOffset;
    if (batches.length === 0) return { baseOffset: first, lastOffset: first - 1n, logAppendTime: -1n, logStartOffset: this._logStartOffset };
    for (const b of batches) {
      if (b.size > config.maxMessageBytes) {
        throw new KafkaError(ErrorCode.MESSAGE_TOO_LARGE, `a record batch of ${b.size} bytes is larger than max.message.bytes (${config.maxMessageBytes})`);
      }
    }
    if (records.length > config.segmentBytes) {
      throw new KafkaError(ErrorCode.RECORD_LIST_TOO_LARGE, `${records.length} bytes of record batches do not fit a segment of segment.bytes ${config.segmentBytes}`);
    }
    const appendTime = options.logAppendTime ?? (config.messageTimestampType === "LogAppendTime" ? BigInt(Date.now()) : undefined);
    let offset = first;
    let maxTs = -1n;
    for (const b of batches) {
      assignBaseOffset(records, b.position, offset);
      if (appendTime !== undefined) stampLogAppendTime(records, b.position, appendTime);
      const ts = appendTime ?? b.maxTimestamp;
      if (ts > maxTs) maxTs = ts;
      offset += BigInt(b.lastOffsetDelta) + 1n;
    }
    const last = offset - 1n;
    let segment: LogSegment;
    try {
      segment = this.maybeRoll(records.length, first, last, maxTs);
    } catch (err) {
      if (err instanceof KafkaError) throw err;
      if (Date.now() - this.lastRollErrorLog >= 10_000) {
        this.lastRollErrorLog = Date.now();
        this.logger?.error({ err, dir: this.dir }, "could not roll to a new segment; the produce gets KAFKA_STORAGE_ERROR");
      }
      throw new KafkaError(ErrorCode.KAFKA_STORAGE_ERROR, `could not roll ${this.topic}-${this.partition} to a new segment: ${(err as Error).message}`, { cause: err });
    }
    segment.append(records, batches, first, appendTime);
    this._logEndOffset = offset;
    this._highWatermark = offset;
    const result: AppendResult = { baseOffset: first, lastOffset: last, logAppendTime: appendTime ?? -1n, logStartOffset: this._logStartOffset };
    // flush.messages (Kafka counts offsets past the recovery point).
    if (offset - this._recoveryPoint >= config.flushMessages) result.flushed = this.sync();
    return result;
  }

  /** Kafka's roll rules: size, time (segment.ms by batch timestamps), full index, offset range. */
  private maybeRoll(size: number, first: bigint, last: bigint, maxTimestamp: bigint): LogSegment {
    const segment = this.active;
    if (segment.size === 0) return segment;
    const config = this._config;
    const rollTs = segment.firstBatchTimestamp();
    const waited = rollTs !== undefined && rollTs >= 0n ? Number(maxTimestamp - rollTs) : Date.now() - segment.created;
    const roll =
      segment.size > config.segmentBytes - size ||
      waited > maxSegmentMs(config) ||
      segment.indexFull() ||
      last - segment.baseOffset > BigInt(MAX_RELATIVE_OFFSET);
    if (!roll) return segment;
    return this.roll(first);
  }

  private roll(baseOffset: bigint): LogSegment {
    try {
      this.active.seal();
    } catch (err) {
      // Index entries that could not be written stay in memory; recovery derives them anyway.
      this.logger?.warn({ err, segment: this.active.logPath }, "could not write the indexes of a rolled segment");
    }
    const segment = LogSegment.create(this.dir, baseOffset, this._config, this.logger);
    this._segments.push(segment);
    this.dirChanged = true;
    // As Kafka does, the rolled segment is flushed in the background, which moves the recovery
    // point past it, and the producer state is snapshotted at the new segment's base offset.
    this.sync().catch(() => {});
    try {
      this.snapshotProducerState(true);
    } catch (err) {
      this.logger?.warn({ err, dir: this.dir }, "could not write a producer state snapshot");
    }
    return segment;
  }

  private segmentIndexFor(offset: bigint): number {
    let lo = 0;
    let hi = this._segments.length - 1;
    let found = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if ((this._segments[mid] as LogSegment).baseOffset <= offset) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /**
   * Whole batches from the one holding fetchOffset on (Kafka returns that batch whole even when
   * fetchOffset is in its middle), at most maxBytes of them, except that with minOneBatch the
   * first batch comes even when it alone is larger. One read per segment touched; the Buffers
   * returned are that read, never copied again. fetchOffset == LEO gives nothing; below the
   * log start offset or above the LEO is OFFSET_OUT_OF_RANGE.
   */
  read(fetchOffset: bigint, maxBytes: number, options: ReadOptions = {}): ReadResult {
    this.checkOpen();
    if (fetchOffset < this._logStartOffset || fetchOffset > this._logEndOffset) {
      throw offsetOutOfRange(fetchOffset, this._logStartOffset, this._logEndOffset);
    }
    const minOneBatch = options.minOneBatch ?? true;
    const maxOffset = options.maxOffset ?? this._highWatermark;
    const checkMaxOffset = maxOffset < this._logEndOffset;
    const records: Buffer[] = [];
    let totalBytes = 0;
    let target = fetchOffset;
    for (let i = this.segmentIndexFor(fetchOffset); i < this._segments.length && target < maxOffset; i++) {
      const segment = this._segments[i] as LogSegment;
      const found = segment.findBatch(target);
      if (!found) {
        target = this._segments[i + 1]?.baseOffset ?? target;
        continue;
      }
      if (found.baseOffset >= maxOffset) break;
      const budget = maxBytes - totalBytes;
      const mustTakeOne = minOneBatch && totalBytes === 0;
      if (found.size > budget && !mustTakeOne) break;
      const available = segment.size - found.position;
      const length = Math.min(available, Math.max(budget, found.size));
      const buf = segment.readAt(found.position, length);
      // Keep whole batches below maxOffset; the read may end inside a batch.
      let end = found.size;
      while (end + BATCH_HEADER_SIZE <= buf.length) {
        const size = buf.readInt32BE(end + 8) + LOG_OVERHEAD;
        if (end + size > buf.length) break;
        if (checkMaxOffset && buf.readBigInt64BE(end) >= maxOffset) break;
        end += size;
      }
      records.push(end === buf.length ? buf : buf.subarray(0, end));
      totalBytes += end;
      // Continue into the next segment only when this one was read to its end.
      if (end < available) break;
      const next = this._segments[i + 1];
      if (!next) break;
      target = next.baseOffset;
    }
    return { records, totalBytes };
  }

  /**
   * ListOffsets by timestamp: the earliest record at or after the log start offset whose
   * timestamp is >= ts, with that timestamp; undefined when there is none.
   */
  offsetForTimestamp(timestamp: bigint): TimestampAndOffset | undefined {
    this.checkOpen();
    for (let i = this.segmentIndexFor(this._logStartOffset); i < this._segments.length; i++) {
      const segment = this._segments[i] as LogSegment;
      if (segment.maxTimestampSoFar() < timestamp) continue;
      const found = segment.findByTimestamp(timestamp, this._logStartOffset);
      if (found) return found;
    }
    return undefined;
  }

  /** ListOffsets MAX_TIMESTAMP (-3): the first record carrying the largest timestamp. */
  maxTimestamp(): TimestampAndOffset | undefined {
    this.checkOpen();
    let best: LogSegment | undefined;
    let bestTs = -1n;
    for (const segment of this._segments) {
      const ts = segment.maxTimestampSoFar();
      if (ts > bestTs) {
        bestTs = ts;
        best = segment;
      }
    }
    return best?.maxTimestampRecord();
  }

  /**
   * DeleteRecords: moves the log start offset up to `offset` (-1: the high watermark) and
   * deletes the segments wholly below it. Persisted before any file goes, so a restart never
   * brings deleted records back. Returns the new log start offset (the low watermark).
   */
  deleteRecordsBefore(offset: bigint): bigint {
    this.checkOpen();
    const target = offset === -1n ? this._highWatermark : offset;
    if (target < 0n || target > this._highWatermark) throw offsetOutOfRange(offset, this._logStartOffset, this._highWatermark);
    if (target <= this._logStartOffset) return this._logStartOffset;
    this._logStartOffset = target;
    writeFileAtomic(join(this.dir, LOG_START_OFFSET_FILE), `${target}\n`);
    this.deleteSegmentsBelow(target);
    return target;
  }

  /** Deletes the segments whose every offset is below `offset` (never the active segment). */
  private deleteSegmentsBelow(offset: bigint): void {
    let deleted = 0;
    while (this._segments.length > 1 && (this._segments[1] as LogSegment).baseOffset <= offset) {
      (this._segments.shift() as LogSegment).delete();
      deleted++;
    }
    if (deleted > 0) this.dirChanged = true;
  }

  /**
   * Retention (retention.ts): takes the `count` oldest segments out of the log and returns them
   * for deletion; the log start offset moves to the new first segment's base offset, persisted
   * first. When that is every segment, the active one is rolled first, as Kafka does (an empty
   * active segment stays).
   */
  removeOldestSegments(count: number): LogSegment[] {
    this.checkOpen();
    if (count >= this._segments.length) {
      if (this.active.size > 0) this.roll(this._logEndOffset);
      count = Math.min(count, this._segments.length - 1);
    }
    if (count <= 0) return [];
    const next = (this._segments[count] as LogSegment).baseOffset;
    if (next > this._logStartOffset) {
      writeFileAtomic(join(this.dir, LOG_START_OFFSET_FILE), `${next}\n`);
      this._logStartOffset = next;
    }
    const removed = this._segments.splice(0, count);
    this.dirChanged = true;
    return removed;
  }

  /**
   * The cleaner's swap (cleaner/log-cleaner.ts): if `old` are still consecutive inactive
   * segments of this log, `commit()` puts their replacement on disk and returns it, and reads
   * go to it from then on. False, with nothing done, when retention or DeleteRecords took any
   * of them meanwhile. One synchronous step: no read sees a mix.
   */
  replaceSegments(old: readonly LogSegment[], commit: () => LogSegment[]): boolean {
    this.checkOpen();
    const at = old.length > 0 ? this._segments.indexOf(old[0] as LogSegment) : -1;
    if (at < 0 || at + old.length >= this._segments.length) return false;
    for (let i = 1; i < old.length; i++) if (this._segments[at + i] !== old[i]) return false;
    const fresh = commit();
    this._segments.splice(at, old.length, ...fresh);
    this.dirChanged = true;
    return true;
  }

  private truncateFullyAndStartAt(offset: bigint): void {
    for (const segment of this._segments.splice(0)) segment.delete();
    this._segments.push(LogSegment.create(this.dir, offset, this._config, this.logger));
    this._logEndOffset = offset;
    this._highWatermark = offset;
    this._logStartOffset = offset;
    this.dirChanged = true;
  }

  sizeInBytes(): number {
    let total = 0;
    for (const segment of this._segments) total += segment.size;
    return total;
  }

  /** fsyncs everything written since the last flush, and the directory if segments changed. */
  flush(): void {
    this.checkOpen();
    for (const segment of this._segments) segment.flush();
    if (this.dirChanged) {
      fsyncDir(this.dir);
      this.dirChanged = false;
    }
    this._recoveryPoint = this._logEndOffset;
    this._lastFlushTime = Date.now();
  }

  /** Offsets below this are on disk (fsynced); Kafka's recovery point. */
  get recoveryPoint(): bigint {
    return this._recoveryPoint;
  }

  /** When the last fsync completed (flush.ms counts from it). */
  get lastFlushTime(): number {
    return this._lastFlushTime;
  }

  /**
   * fsyncs, off the event loop, everything appended so far; concurrent callers share the
   * fsyncs (log-sync.ts). Resolves at once when there is nothing to sync.
   */
  sync(): Promise<void> {
    if (this.closed || (this._logEndOffset <= this._recoveryPoint && !this.dirChanged)) return Promise.resolve();
    const done = this.syncer.request(this._logEndOffset);
    done.catch(() => {}); // a caller that does not wait must not leave an unhandled rejection
    return done;
  }

  /** The files holding offsets past the recovery point (and the sealed segments' indexes). */
  private takeSyncWork(): SyncWork {
    const files: string[] = [];
    const last = this._segments.length - 1;
    for (let i = this.segmentIndexFor(this._recoveryPoint); i <= last; i++) {
      const segment = this._segments[i] as LogSegment;
      files.push(segment.logPath);
      if (i < last) files.push(segment.offsetIndex.path, segment.timeIndex.path);
    }
    const dir = this.dirChanged ? this.dir : undefined;
    this.dirChanged = false;
    return { files, dir, endOffset: this._logEndOffset };
  }

  /**
   * The idempotent producers of this partition, rebuilt on first use from the newest snapshot
   * and the batch headers after it (producer-snapshot.ts).
   */
  producerState(): PartitionProducerState {
    if (!this.producers) {
      const load = loadProducerState(this, this.logger);
      this.producers = load.state;
      this.snapshotVersion = load.snapshotOffset === this.snapshotOffset && load.replayedBatches === 0 ? load.state.version : -1;
      if (load.replayedBatches > 0) {
        this.logger?.info({ dir: this.dir, snapshotOffset: load.snapshotOffset, replayedBatches: load.replayedBatches, ms: Math.round(load.ms) }, "rebuilt the producer state from the log");
      }
    }
    return this.producers;
  }

  /**
   * Writes a producer state snapshot at the log end offset unless the newest one already
   * holds it. With `load`, a state not loaded yet is loaded first (roll, close); without it,
   * only a loaded state is written (the periodic snapshot).
   */
  snapshotProducerState(load: boolean): void {
    if (this.closed) return;
    if (this.snapshotOffset === this._logEndOffset && (!this.producers || this.producers.version === this.snapshotVersion)) return;
    // A state never loaded in a run that appended nothing: the snapshots on disk are as good as before.
    if (!this.producers && (!load || this._logEndOffset === this.openedLogEndOffset)) return;
    const state = this.producerState();
    writeProducerSnapshot(this.dir, this._logEndOffset, state);
    this.snapshotOffset = this._logEndOffset;
    this.snapshotVersion = state.version;
  }

  /** Visits the headers of the batches from the one holding `fromOffset` to the end. */
  forEachBatchHeader(fromOffset: bigint, visit: (batch: BatchCursor) => void): void {
    this.checkOpen();
    for (let i = this.segmentIndexFor(fromOffset); i < this._segments.length; i++) (this._segments[i] as LogSegment).scanHeaders(fromOffset, visit);
  }

  /** Flushes, seals the active segment's indexes and releases every file. */
  close(): void {
    if (this.closed) return;
    try {
      this.snapshotProducerState(true);
    } catch (err) {
      this.logger?.warn({ err, dir: this.dir }, "could not write a producer state snapshot");
    }
    this.flush();
    for (const segment of this._segments) segment.close();
    this.closed = true;
  }

  /**
   * Removes the partition directory (DeleteTopics). Like Kafka, it is first renamed to
   * `<topic>-<partition>.<id>-delete`, so a crash mid-way leaves a directory that the next
   * start recognizes and removes. The log is unusable afterwards.
   */
  delete(): void {
    for (const segment of this._segments) segment.release();
    this.closed = true;
    const doomed = `${this.dir}.${randomBytes(16).toString("hex")}${DELETE_DIR_SUFFIX}`;
    renameSync(this.dir, doomed);
    fsyncDir(dirname(this.dir));
    rmSync(doomed, { recursive: true, force: true });
  }
}

function readLogStartOffset(dir: string, logger: Logger | undefined): bigint | undefined {
  const path = join(dir, LOG_START_OFFSET_FILE);
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, "utf8").trim();
  if (!/^\d+$/.test(text)) {
    logger?.warn({ path, content: text.slice(0, 40) }, "ignoring an unreadable log start offset file");
    return undefined;
  }
  return BigInt(text);
}

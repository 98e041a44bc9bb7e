// A partition's log: the directory `<log.dir>/<topic>-<partition>/` of segments (segment.ts),
// as Kafka lays it out, plus `log-start-offset` (ours: the DeleteRecords low watermark, which
// must outlive a restart). The broker's handlers talk to this class only:
//
//   PartitionLog.open(dir, config, { cleanShutdown, logger })  load (recovering the tail) or create
//   .logStartOffset / .logEndOffset / .highWatermark         (single node: HW = LEO after append)
//   .append(records, batches, { logAppendTime })           assign offsets, write, index, roll
//   .read(fetchOffset, maxBytes, { minOneBatch, maxOffset }) whole batches as Buffer slices
//   .offsetForTimestamp(ts) / .maxTimestamp()                ListOffsets by timestamp / MAX_TIMESTAMP (-3)
//   .deleteRecordsBefore(offset)                              DeleteRecords (persisted)
//   .sizeInBytes() .flush() .close() .delete() .updateConfig(config) .segments
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
// Reads of recent data (what consumers fetch) come from the page cache too. The costs: a
// read of cold data blocks the loop for a disk access, and so does fsync. Both can move to the
// thread pool later without changing this API's shape (a readAsync for segments outside the
// page cache; flush.ms/durable-mode fsyncs of issue 4 as an async group commit), since neither
// changes the log's state.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { Logger } from "../../lib/logger.ts";
import { ErrorCode, KafkaError } from "../protocol/generated/errors.ts";
import { assignBaseOffset, BATCH_HEADER_SIZE, LOG_OVERHEAD, stampLogAppendTime, type BatchInfo } from "../protocol/records/batch.ts";
import { fsyncDir, writeFileAtomic } from "./fs-util.ts";
import type { LogConfig } from "./log-config.ts";
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
  }

  /** Opens the partition directory, creating it if needed; see the header comment. */
  static open(dir: string, config: LogConfig, options: OpenOptions = {}): PartitionLog {
    const logger = options.logger;
    if (!parsePartitionDirName(basename(dir))) throw new Error(`${dir} is not a partition directory (<topic>-<partition>)`);
    mkdirSync(dir, { recursive: true });
    const names = readdirSync(dir);
    const bases: bigint[] = [];
    for (const name of names) {
      const base = parseSegmentFileName(name);
      if (base !== undefined) bases.push(base);
    }
    bases.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const known = new Set(bases.map((b) => b.toString().padStart(20, "0")));
    for (const name of names) {
      // Leftovers: temp files, files of segments being deleted or cleaned (issue 4 writes these
      // suffixes), indexes whose log is gone. Kafka's `.swap` (a cleaned segment about to
      // replace the old ones) needs the cleaner's recovery logic and is left for it.
      const orphanIndex = (name.endsWith(INDEX_SUFFIX) || name.endsWith(TIME_INDEX_SUFFIX)) && !known.has(name.slice(0, 20));
      if (name.endsWith(".tmp") || name.endsWith(".deleted") || name.endsWith(".cleaned") || orphanIndex) {
        unlinkSync(join(dir, name));
        logger?.info({ dir, file: name }, "removed a leftover file from the partition directory");
      }
    }

    const persistedStart = readLogStartOffset(dir, logger);
    const segments: LogSegment[] = [];
    if (bases.length === 0) {
      segments.push(LogSegment.create(dir, persistedStart ?? 0n, config, logger));
    } else {
      bases.forEach((base, i) => {
        const segment = LogSegment.open(dir, base, config, logger);
        segments.push(segment);
        const last = i === bases.length - 1;
        if (!last && !segment.indexesDamaged) return; // old segments load their indexes lazily
        const report = segment.recover(!last ? "rebuild" : options.cleanShutdown ? "clean" : "unclean");
        if (report.rebuiltIndexes || report.truncatedBytes > 0) {
          logger?.warn({ segment: segment.logPath, ...report }, report.truncatedBytes > 0 ? `truncated ${report.truncatedBytes} bytes of torn or corrupt data at the end of a log segment` : "rebuilt the indexes of a log segment");
        }
      });
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
    const segment = this.maybeRoll(records.length, first, last, maxTs);
    segment.append(records, batches, first, appendTime);
    this._logEndOffset = offset;
    this._highWatermark = offset;
    return { baseOffset: first, lastOffset: last, logAppendTime: appendTime ?? -1n, logStartOffset: this._logStartOffset };
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
      waited > config.segmentMs ||
      segment.indexFull() ||
      last - segment.baseOffset > BigInt(MAX_RELATIVE_OFFSET);
    if (!roll) return segment;
    return this.roll(first);
  }

  private roll(baseOffset: bigint): LogSegment {
    this.active.seal();
    const segment = LogSegment.create(this.dir, baseOffset, this._config, this.logger);
    this._segments.push(segment);
    this.dirChanged = true;
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
  }

  /** Flushes, seals the active segment's indexes and releases every file. */
  close(): void {
    if (this.closed) return;
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

// One log segment, Kafka's layout: `<20-digit base offset>.log` holds record batches (magic 2)
// exactly as produced, with their offsets assigned; `.index` and `.timeindex` beside it are the
// sparse offset and time indexes (see offset-index.ts, time-index.ts). A segment appends whole
// produce buffers with one write, finds the batch holding an offset or a timestamp through its
// indexes and a short header scan, and recovers its tail after a crash.
//
// Recovery (recover()) scans from the last offset index entry to the end of the file, checking
// each batch (complete, magic 2, CRC32C, offsets increasing), derives the index entries of what
// it scanned and truncates the file at the first batch that fails. Starting there is enough
// because the index files are always written time index first: whatever the offset index
// holds, the time index holds at least as far, so its last entry carries the running max
// timestamp the scan resumes with (a process crash loses no page-cache writes; after an OS
// crash between fsyncs the order is the kernel's: recovery.ts then rebuilds every segment past
// the recovery point). "rebuild" starts from the beginning with empty indexes (an index missing
// or inconsistent, or an OS crash). "clean" and "unclean" scan alike; after a clean shutdown
// the indexes were written out whole, so the scan covers at most index.interval.bytes and one
// batch, while after a crash it starts at the last entry that reached the index file.
import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, statSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "../../lib/logger.ts";
import { ErrorCode, KafkaError } from "../protocol/generated/errors.ts";
import type { BatchInfo } from "../protocol/records/batch.ts";
import { crc32c } from "../protocol/records/compression.ts";
import { readBatchRecords } from "../protocol/records/records.ts";
import { BatchCursor, type CursorStop } from "./batch-cursor.ts";
import { readFully, writeFully } from "./fs-util.ts";
import type { LogConfig } from "./log-config.ts";
import { OFFSET_INDEX_ENTRY_SIZE, OffsetIndex } from "./offset-index.ts";
import { TIME_INDEX_ENTRY_SIZE, TimeIndex } from "./time-index.ts";

export const LOG_SUFFIX = ".log";
export const INDEX_SUFFIX = ".index";
export const TIME_INDEX_SUFFIX = ".timeindex";
/** Offsets inside a segment are stored relative to its base offset as int32. */
export const MAX_RELATIVE_OFFSET = 2147483647;
/** Write index entries to disk after this many new ones (crash recovery rescans the rest). */
// 64 entries are ~256 KiB of log at the default index.interval.bytes: after a crash, at most that
// much of each active segment is read again (1,000 partitions: ~0.25 GB rather than 2 GB with
// 512), for one small index write per 256 KiB appended.
const PERSIST_INDEX_EVERY = 64;
const CRC_START = 21;
/** A disk that stays full fails every produce: log the failure once per this long. */
const WRITE_ERROR_LOG_INTERVAL_MS = 10_000;
/**
 * Shared read buffer of the header scans behind lookups. Safe because everything here is
 * synchronous and no scan keeps a slice of it once it returns.
 */
const LOOKUP_SCRATCH = Buffer.allocUnsafe(8192);

export function segmentFileName(baseOffset: bigint, suffix: string): string {
  return baseOffset.toString().padStart(20, "0") + suffix;
}

/** The base offset in a segment's `.log` file name, or undefined for other files. */
export function parseSegmentFileName(name: string): bigint | undefined {
  const m = /^(\d{20})\.log$/.exec(name);
  return m ? BigInt(m[1] as string) : undefined;
}

export interface FoundBatch {
  position: number;
  size: number;
  baseOffset: bigint;
  lastOffset: bigint;
  maxTimestamp: bigint;
}

export interface TimestampAndOffset {
  timestamp: bigint;
  offset: bigint;
}

export type RecoveryMode = "clean" | "unclean" | "rebuild";

export interface RecoveryReport {
  mode: RecoveryMode;
  /** Indexes were missing or inconsistent and rebuilt from the whole segment. */
  rebuiltIndexes: boolean;
  scannedFrom: number;
  batches: number;
  /** Bytes cut from the end of the file. */
  truncatedBytes: number;
  /** Why the scan stopped: "end", or what was wrong where the file was cut. */
  stop: CursorStop | "magic" | "crc" | "offset";
}

export class LogSegment {
  readonly baseOffset: bigint;
  readonly logPath: string;
  readonly offsetIndex: OffsetIndex;
  readonly timeIndex: TimeIndex;
  /** When this process created or opened the segment (segment.ms falls back on it). */
  readonly created = Date.now();
  private readonly logger: Logger | undefined;
  private fd: number | undefined;
  private _size: number;
  private indexIntervalBytes: number;
  private bytesSinceLastIndexEntry = 0;
  private _nextOffset: bigint | undefined;
  /** Largest batch max timestamp and the last offset of the batch that first reached it. */
  private maxTs: bigint | undefined;
  private offsetOfMaxTs = -1n;
  private firstBatchTs: bigint | undefined;
  private indexesChecked: boolean;
  private dirty = false;
  private indexWriteFailing = false;
  private lastWriteErrorLog = 0;

  private constructor(dir: string, baseOffset: bigint, config: LogConfig, mode: "create" | "open", logger?: Logger) {
    this.baseOffset = baseOffset;
    this.logger = logger;
    this.logPath = join(dir, segmentFileName(baseOffset, LOG_SUFFIX));
    this.indexIntervalBytes = config.indexIntervalBytes;
    const indexPath = join(dir, segmentFileName(baseOffset, INDEX_SUFFIX));
    const timeIndexPath = join(dir, segmentFileName(baseOffset, TIME_INDEX_SUFFIX));
    this.offsetIndex = new OffsetIndex(indexPath, Math.floor(config.segmentIndexBytes / OFFSET_INDEX_ENTRY_SIZE), mode);
    this.timeIndex = new TimeIndex(timeIndexPath, Math.floor(config.segmentIndexBytes / TIME_INDEX_ENTRY_SIZE), mode);
    if (mode === "create") {
      this.fd = openSync(this.logPath, "w+");
      this._size = 0;
      this._nextOffset = baseOffset;
      this.maxTs = -1n;
      this.indexesChecked = true;
    } else {
      this._size = statSync(this.logPath).size;
      this.indexesChecked = false;
    }
  }

  /** A new, empty segment (its files are created, replacing any leftovers). */
  static create(dir: string, baseOffset: bigint, config: LogConfig, logger?: Logger): LogSegment {
    return new LogSegment(dir, baseOffset, config, "create", logger);
  }

  /**
   * An existing segment. Nothing is read yet: the active segment is then recover()ed; older
   * ones load their indexes on first use (rebuilding them if they turn out inconsistent).
   */
  static open(dir: string, baseOffset: bigint, config: LogConfig, logger?: Logger): LogSegment {
    return new LogSegment(dir, baseOffset, config, "open", logger);
  }

  configure(config: LogConfig): void {
    this.indexIntervalBytes = config.indexIntervalBytes;
    this.offsetIndex.maxEntries = Math.max(1, Math.floor(config.segmentIndexBytes / OFFSET_INDEX_ENTRY_SIZE));
    this.timeIndex.maxEntries = Math.max(1, Math.floor(config.segmentIndexBytes / TIME_INDEX_ENTRY_SIZE));
  }

  /** Bytes in the `.log` file. */
  get size(): number {
    return this._size;
  }

  /** Whether an index file was missing or torn when the segment was opened. */
  get indexesDamaged(): boolean {
    return this.offsetIndex.damaged || this.timeIndex.damaged;
  }

  private file(): number {
    if (this.fd === undefined) this.fd = openSync(this.logPath, "r+");
    return this.fd;
  }

  /** One past the last offset in the segment. Known for the active segment (set by recover()). */
  get nextOffset(): bigint {
    if (this._nextOffset === undefined) this._nextOffset = this.scanLastOffset() + 1n;
    return this._nextOffset;
  }

  /** The last offset of the last batch, by a header scan from the last index entry. */
  private scanLastOffset(): bigint {
    this.ensureIndexes();
    const cursor = new BatchCursor(this.file(), this.offsetIndex.lastPosition() ?? 0, this._size, LOOKUP_SCRATCH);
    let last = this.baseOffset - 1n;
    while (cursor.next()) last = cursor.lastOffset();
    return last;
  }

  maxTimestampSoFar(): bigint {
    if (this.maxTs === undefined) {
      const last = this.timeIndex.lastEntry();
      this.maxTs = last ? last.timestamp : -1n;
      this.offsetOfMaxTs = last ? this.baseOffset + BigInt(last.relOffset) : -1n;
    }
    return this.maxTs;
  }

  /** The max timestamp of the first batch (what segment.ms measures from), if any. */
  firstBatchTimestamp(): bigint | undefined {
    if (this.firstBatchTs === undefined && this._size > 0) {
      const cursor = new BatchCursor(this.file(), 0, this._size, 64);
      if (cursor.next()) this.firstBatchTs = cursor.maxTimestamp();
    }
    return this.firstBatchTs;
  }

  /** Index files that are full force a roll (segment.index.bytes). */
  indexFull(): boolean {
    return this.offsetIndex.isFull() || this.timeIndex.isFull();
  }

  /**
   * Appends a produce buffer whose batches already carry their offsets, the first one
   * `firstOffset`; `appendTime` replaces the batches' max timestamps (LogAppendTime). One
   * write; index entries follow every index.interval.bytes. A failed write is cut back off
   * the file and surfaces as KAFKA_STORAGE_ERROR, leaving the segment as it was.
   */
  append(records: Buffer, batches: readonly BatchInfo[], firstOffset: bigint, appendTime?: bigint): void {
    const fd = this.file();
    const start = this._size;
    try {
      writeFully(fd, records, start);
    } catch (err) {
      let cutBack = true;
      try {
        ftruncateSync(fd, start);
      } catch {
        // The file is in trouble either way; recovery on the next start cuts any torn tail.
        cutBack = false;
      }
      const now = Date.now();
      if (now - this.lastWriteErrorLog >= WRITE_ERROR_LOG_INTERVAL_MS) {
        this.lastWriteErrorLog = now;
        this.logger?.error({ err, segment: this.logPath, bytes: records.length, cutBack }, "a write to a log segment failed; the produce gets KAFKA_STORAGE_ERROR");
      }
      throw new KafkaError(ErrorCode.KAFKA_STORAGE_ERROR, `write to ${this.logPath} failed: ${(err as Error).message}`, { cause: err });
    }
    const base = this.baseOffset;
    let maxTs = this.maxTimestampSoFar();
    let offset = firstOffset;
    let pos = start;
    for (const b of batches) {
      const last = offset + BigInt(b.lastOffsetDelta);
      const ts = appendTime ?? b.maxTimestamp;
      if (ts > maxTs) {
        maxTs = ts;
        this.offsetOfMaxTs = last;
      }
      if (this.bytesSinceLastIndexEntry > this.indexIntervalBytes) {
        this.offsetIndex.append(Number(last - base), pos);
        this.timeIndex.maybeAppend(maxTs, Number(this.offsetOfMaxTs - base));
        this.bytesSinceLastIndexEntry = 0;
      }
      this.bytesSinceLastIndexEntry += b.size;
      pos += b.size;
      offset = last + 1n;
    }
    if (pos !== start + records.length) throw new Error(`batches cover ${pos - start} bytes of a ${records.length}-byte append`);
    if (start === 0 && batches[0]) this.firstBatchTs = appendTime ?? batches[0].maxTimestamp;
    this.maxTs = maxTs;
    this._size = pos;
    this._nextOffset = offset;
    this.dirty = true;
    if (this.offsetIndex.pending >= PERSIST_INDEX_EVERY) {
      // The records are in; an index that cannot be written now (a full disk) stays in memory,
      // is tried again later, and recovery derives whatever the file lacks.
      try {
        this.writeIndexes();
        this.indexWriteFailing = false;
      } catch (err) {
        if (!this.indexWriteFailing) this.logger?.warn({ segment: this.logPath, err }, "could not write index entries; kept in memory");
        this.indexWriteFailing = true;
      }
    }
  }

  /**
   * Visits the header of the batch holding `fromOffset` (or the next one) and of every later
   * batch (producer state rebuild). The cursor is valid during the call only.
   */
  scanHeaders(fromOffset: bigint, visit: (batch: BatchCursor) => void): void {
    this.ensureIndexes();
    const rel = fromOffset - this.baseOffset;
    const start = rel <= 0n ? 0 : this.offsetIndex.floorPosition(rel > BigInt(MAX_RELATIVE_OFFSET) ? MAX_RELATIVE_OFFSET : Number(rel));
    const cursor = new BatchCursor(this.file(), start, this._size, 8192);
    while (cursor.next()) {
      if (cursor.lastOffset() >= fromOffset) visit(cursor);
    }
  }

  /** Reads `length` bytes at `position` into a new Buffer (shorter only at end of file). */
  readAt(position: number, length: number): Buffer {
    const buf = Buffer.allocUnsafe(length);
    const got = readFully(this.file(), buf, length, position);
    return got === length ? buf : buf.subarray(0, got);
  }

  /** The first batch whose last offset is >= offset, i.e. the one holding it (or the next). */
  findBatch(offset: bigint): FoundBatch | undefined {
    this.ensureIndexes();
    const rel = offset - this.baseOffset;
    const start = rel <= 0n ? 0 : this.offsetIndex.floorPosition(rel > BigInt(MAX_RELATIVE_OFFSET) ? MAX_RELATIVE_OFFSET : Number(rel));
    const cursor = new BatchCursor(this.file(), start, this._size, LOOKUP_SCRATCH);
    while (cursor.next()) {
      const last = cursor.lastOffset();
      if (last >= offset) {
        return { position: cursor.position, size: cursor.size, baseOffset: cursor.baseOffset(), lastOffset: last, maxTimestamp: cursor.maxTimestamp() };
      }
    }
    return undefined;
  }

  /**
   * The first record at or after `startingOffset` whose timestamp is >= `timestamp` (Kafka's
   * ListOffsets by timestamp): the time index narrows the scan to the batches after the last
   * entry below the timestamp; the first batch whose max timestamp reaches it is decoded.
   */
  findByTimestamp(timestamp: bigint, startingOffset: bigint): TimestampAndOffset | undefined {
    this.ensureIndexes();
    const entry = this.timeIndex.floor(timestamp);
    let rel = entry ? entry.relOffset : 0;
    const startRel = startingOffset - this.baseOffset;
    if (startRel > BigInt(rel)) rel = startRel > BigInt(MAX_RELATIVE_OFFSET) ? MAX_RELATIVE_OFFSET : Number(startRel);
    const cursor = new BatchCursor(this.file(), this.offsetIndex.floorPosition(rel), this._size, LOOKUP_SCRATCH);
    while (cursor.next()) {
      if (cursor.maxTimestamp() < timestamp || cursor.lastOffset() < startingOffset) continue;
      for (const record of readBatchRecords(cursor.body()).records) {
        if (record.timestamp >= timestamp && record.offset >= startingOffset) return { timestamp: record.timestamp, offset: record.offset };
      }
    }
    return undefined;
  }

  /** The first record carrying the segment's largest timestamp (ListOffsets MAX_TIMESTAMP). */
  maxTimestampRecord(): TimestampAndOffset | undefined {
    const timestamp = this.maxTimestampSoFar();
    if (timestamp < 0n) return undefined;
    const batch = this.findBatch(this.offsetOfMaxTs);
    if (!batch) return undefined;
    for (const record of readBatchRecords(this.readAt(batch.position, batch.size)).records) {
      if (record.timestamp === timestamp) return { timestamp, offset: record.offset };
    }
    return { timestamp, offset: batch.lastOffset };
  }

  /** Loads an old segment's indexes on first use; inconsistent ones are rebuilt from the log. */
  private ensureIndexes(): void {
    if (this.indexesChecked) return;
    this.indexesChecked = true;
    if (this.indexesDamaged || !this.offsetIndex.isConsistent(this._size) || !this.timeIndex.isConsistent(MAX_RELATIVE_OFFSET)) {
      const report = this.recover("rebuild");
      this.logger?.warn({ segment: this.logPath, ...report }, "rebuilt the indexes of a log segment");
    }
  }

  /**
   * Checks the tail of the segment after a restart; see the header comment. `trustBelow`
   * (after an OS crash: the recovery point) limits the index entries the scan may start from
   * to those below it, and the batch the last of them names must be there, whole and valid;
   * otherwise the segment is scanned from its first byte.
   */
  recover(mode: RecoveryMode, trustBelow?: bigint): RecoveryReport {
    this.indexesChecked = true;
    const fd = this.file();
    this._size = fstatSync(fd).size;
    const base = this.baseOffset;
    let rebuild = mode === "rebuild" || this.indexesDamaged;
    if (!rebuild) {
      // Entries past the end of the log: the index reached the disk, the log's tail did not.
      this.offsetIndex.truncateToPosition(this._size);
      if (!this.offsetIndex.isConsistent(this._size) || !this.timeIndex.isConsistent(MAX_RELATIVE_OFFSET)) rebuild = true;
    }
    if (!rebuild && trustBelow !== undefined) {
      const rel = trustBelow - base - 1n;
      const cap = rel > BigInt(MAX_RELATIVE_OFFSET) ? MAX_RELATIVE_OFFSET : Number(rel);
      this.offsetIndex.truncateEntries(rel < 0n ? 0 : this.offsetIndex.floorEntry(cap) + 1);
      this.timeIndex.truncateToRelOffset(rel < 0n ? -1 : cap);
      const last = this.offsetIndex.entries - 1;
      if (last >= 0 && !this.validBatchAt(this.offsetIndex.positionAt(last), base + BigInt(this.offsetIndex.relOffsetAt(last)))) rebuild = true;
    }
    if (rebuild) {
      this.offsetIndex.truncateEntries(0);
      this.timeIndex.truncateEntries(0);
    }
    let truncatedBytes = 0;
    let truncatedBecause: RecoveryReport["stop"] = "end";
    for (;;) {
      const t = this.timeIndex.lastEntry();
      const start = this.offsetIndex.lastPosition() ?? 0;
      // The entry at `start` is derived again by the scan.
      this.offsetIndex.truncateToPosition(start);
      this.bytesSinceLastIndexEntry = start - (this.offsetIndex.lastPosition() ?? 0);
      let maxTs = t ? t.timestamp : -1n;
      let offsetOfMax = t ? base + BigInt(t.relOffset) : -1n;
      let prevLast = base - 1n;
      let validEnd = start;
      let batches = 0;
      let stop: RecoveryReport["stop"] = "end";
      const cursor = new BatchCursor(fd, start, this._size, Math.max(4096, Math.min(1 << 20, this._size - start)));
      while (cursor.next()) {
        const baseOffset = cursor.baseOffset();
        const delta = cursor.lastOffsetDelta();
        const last = baseOffset + BigInt(delta);
        if (cursor.magic() !== 2) {
          stop = "magic";
          break;
        }
        if (baseOffset <= prevLast || delta < 0 || last - base > BigInt(MAX_RELATIVE_OFFSET)) {
          stop = "offset";
          break;
        }
        const crc = cursor.crc();
        if (crc32c(cursor.body().subarray(CRC_START)) !== crc) {
          stop = "crc";
          break;
        }
        const ts = cursor.maxTimestamp();
        if (ts > maxTs) {
          maxTs = ts;
          offsetOfMax = last;
        }
        if (this.bytesSinceLastIndexEntry > this.indexIntervalBytes) {
          this.offsetIndex.append(Number(last - base), cursor.position);
          this.timeIndex.maybeAppend(maxTs, Number(offsetOfMax - base));
          this.bytesSinceLastIndexEntry = 0;
        }
        this.bytesSinceLastIndexEntry += cursor.size;
        prevLast = last;
        validEnd = cursor.position + cursor.size;
        batches++;
      }
      if (stop === "end") stop = cursor.stop;
      if (validEnd < this._size) {
        if (truncatedBytes === 0) truncatedBecause = stop;
        truncatedBytes += this._size - validEnd;
        ftruncateSync(fd, validEnd);
        this._size = validEnd;
        this.dirty = true;
      }
      // Nothing valid after `start`: the last offset is that of the batch ending there.
      const lastOffset = batches > 0 ? prevLast : this.scanLastOffset();
      if (t && base + BigInt(t.relOffset) > lastOffset) {
        // The time entry the scan started from named a batch that was cut off: its running max
        // was wrong. Drop it (and anything after) and scan again from an earlier entry.
        this.timeIndex.truncateToRelOffset(Number(lastOffset - base));
        continue;
      }
      this.maxTs = maxTs;
      this.offsetOfMaxTs = offsetOfMax;
      this._nextOffset = lastOffset + 1n;
      this.firstBatchTs = undefined;
      this.writeIndexes();
      return { mode, rebuiltIndexes: rebuild, scannedFrom: start, batches, truncatedBytes, stop: truncatedBytes > 0 ? truncatedBecause : stop };
    }
  }

  /** Whether a whole batch of magic 2 with a good CRC and this last offset starts at `position`. */
  private validBatchAt(position: number, lastOffset: bigint): boolean {
    const cursor = new BatchCursor(this.file(), position, this._size, 4096);
    if (!cursor.next() || cursor.magic() !== 2 || cursor.lastOffset() !== lastOffset) return false;
    return crc32c(cursor.body().subarray(CRC_START)) === cursor.crc();
  }

  /** Time index first: recovery relies on it never being behind the offset index. */
  writeIndexes(): void {
    this.timeIndex.writePending();
    this.offsetIndex.writePending();
  }

  /**
   * Done with appends (the log rolled to a new segment, or is closing): the time index gets a
   * last entry holding the segment's largest timestamp, both indexes are written out and their
   * files closed. The log file stays open for reads.
   */
  seal(): void {
    const maxTs = this.maxTimestampSoFar();
    if (maxTs >= 0n && !this.timeIndex.isFull()) this.timeIndex.maybeAppend(maxTs, Number(this.offsetOfMaxTs - this.baseOffset));
    else if (maxTs >= 0n && this.timeIndex.lastEntry()?.timestamp !== maxTs) {
      // Kafka appends past the limit here (skipFullCheck): the last entry must hold the max.
      this.timeIndex.maxEntries++;
      this.timeIndex.maybeAppend(maxTs, Number(this.offsetOfMaxTs - this.baseOffset));
    }
    this.timeIndex.closeFile();
    this.offsetIndex.closeFile();
  }

  /** fsyncs the log and index files written since the last flush. */
  flush(): void {
    if (this.dirty && this.fd !== undefined) fsyncSync(this.fd);
    this.dirty = false;
    this.timeIndex.sync();
    this.offsetIndex.sync();
  }

  close(): void {
    this.seal();
    if (this.fd !== undefined) {
      closeSync(this.fd);
      this.fd = undefined;
    }
  }

  /** Closes the file handles without writing anything (the files are about to go). */
  release(): void {
    if (this.fd !== undefined) {
      closeSync(this.fd);
      this.fd = undefined;
    }
    this.offsetIndex.release();
    this.timeIndex.release();
  }

  /** Removes the segment's files (retention, DeleteRecords). */
  delete(): void {
    if (this.fd !== undefined) {
      closeSync(this.fd);
      this.fd = undefined;
    }
    try {
      unlinkSync(this.logPath);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
    this.offsetIndex.deleteFile();
    this.timeIndex.deleteFile();
    this._size = 0;
  }
}

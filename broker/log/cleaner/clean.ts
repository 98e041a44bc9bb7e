// One cleaning of one partition log (Kafka's Cleaner.clean), synchronous and self-contained so
// that it runs in the cleaner's worker thread (clean-worker.ts) while the broker's event loop
// keeps serving produce and fetch. It only reads inactive segments, which the broker never
// writes again, and only writes new `.cleaned` files: the swap into the live log happens
// afterwards on the event loop (log-cleaner.ts, swap.ts).
//
//   1. Map: the dirty section [firstDirtyOffset, firstUncleanableOffset) is read and every
//      keyed record's offset goes into an OffsetMap (key hash → latest offset). A map that
//      reaches its memory bound stops at a batch boundary: the clean then covers up to there
//      and the next round takes the rest.
//   2. Clean: every segment from the start of the log up to where the map stopped is read
//      again, in groups of consecutive segments whose sizes add up to at most segment.bytes
//      (so the many small segments a log gets after a few cleans merge back together). Each
//      group becomes one new segment named by the group's first base offset. A record is
//      kept unless (a) a later record of its key is in the map, (b) it has no key (a compacted
//      topic refuses those at produce time; older ones may predate the policy), or (c) it is a
//      tombstone (null value) whose segment's newest timestamp is more than delete.retention.ms
//      old; records past where the map stopped are all kept. (Kafka since KIP-534 stamps a
//      delete horizon into a batch on its first clean instead, so a tombstone lives
//      delete.retention.ms of wall-clock time after that clean; here the horizon is the
//      segment's record time.) A batch whose records are all kept is copied byte for byte; one that loses
//      records is rebuilt from the kept records' original bytes, keeping its base offset, last
//      offset delta, attributes, producer fields and base timestamp (offsets stay, gaps are
//      allowed, as in Kafka), and recompressed with its own codec. A batch that loses every
//      record disappears, except the last batch of an idempotent producer, which stays empty
//      so that the producer's sequence numbers survive (Kafka does the same).
//   3. Indexes are derived for the new segments, every file is fsynced, and the swap manifest
//      (swap.ts) is written last.
import { closeSync, fsyncSync, openSync } from "node:fs";
import { join } from "node:path";
import { Attributes, BATCH_HEADER_SIZE, compressionOf, LOG_OVERHEAD, readBatchInfo, type BatchInfo } from "../../protocol/records/batch.ts";
import { compress, crc32c } from "../../protocol/records/compression.ts";
import { BatchCursor } from "../batch-cursor.ts";
import { writeFully } from "../fs-util.ts";
import { OffsetIndex } from "../offset-index.ts";
import { INDEX_SUFFIX, LOG_SUFFIX, MAX_RELATIVE_OFFSET, segmentFileName, TIME_INDEX_SUFFIX } from "../segment.ts";
import { TimeIndex } from "../time-index.ts";
import { OffsetMap } from "./offset-map.ts";
import { batchPayload, RecordCursor } from "./record-scan.ts";
import { CLEANED_SUFFIX, writeSwapManifest, type SwapGroup } from "./swap.ts";

/** A segment the cleaner may read: all of it lies below the first uncleanable offset. */
export interface SegmentRef {
  base: bigint;
  /** The next segment's base offset: every offset of this one is below it. */
  end: bigint;
  size: number;
  /** The newest timestamp in the segment (its file's mtime when it has none), ms. */
  largestTimestamp: number;
}

export interface CleanJob {
  /** The partition directory. */
  dir: string;
  /** For log lines: `<topic>-<partition>`. */
  name: string;
  /** The log's segments from its first up to (excluding) the first uncleanable one. */
  segments: SegmentRef[];
  firstDirtyOffset: bigint;
  now: number;
  deleteRetentionMs: number;
  /** segment.bytes: a group of segments cleaned into one stays below it. */
  segmentBytes: number;
  indexIntervalBytes: number;
  /** The OffsetMap's memory bound and load factor. */
  mapBytes: number;
  loadFactor: number;
  /** Read chunk size (log.cleaner.io.buffer.size). */
  ioBufferBytes: number;
}

export interface CleanStats {
  /** Bytes of the segments read to build the map, and to clean. */
  mapBytesRead: number;
  bytesRead: number;
  bytesWritten: number;
  recordsRead: number;
  recordsKept: number;
  tombstonesDropped: number;
  batchesRewritten: number;
  keys: number;
  mapFull: boolean;
  mapMs: number;
  cleanMs: number;
}

export interface CleanResult {
  /** Where the cleaned part now ends: the next clean's first dirty offset. */
  endOffset: bigint;
  groups: SwapGroup[];
  stats: CleanStats;
}

export class CleanerError extends Error {
  override name = "CleanerError";
}

function crcOk(batch: Buffer): boolean {
  return crc32c(batch.subarray(21)) === batch.readUInt32BE(17);
}

/** Writes one `.cleaned` segment: the log through a write buffer, and its two indexes. */
class CleanedSegmentWriter {
  private readonly base: bigint;
  private readonly fd: number;
  private readonly offsetIndex: OffsetIndex;
  private readonly timeIndex: TimeIndex;
  private readonly indexIntervalBytes: number;
  private readonly buffer: Buffer;
  private buffered = 0;
  private flushedTo = 0;
  private bytesSinceLastIndexEntry = 0;
  private maxTs = -1n;
  private offsetOfMaxTs = -1n;

  constructor(dir: string, base: bigint, indexIntervalBytes: number, bufferBytes: number) {
    this.base = base;
    this.indexIntervalBytes = indexIntervalBytes;
    this.buffer = Buffer.allocUnsafe(Math.max(bufferBytes, 64 * 1024));
    this.fd = openSync(join(dir, segmentFileName(base, LOG_SUFFIX) + CLEANED_SUFFIX), "w");
    // No size limit: a cleaned segment never takes appends, so a "full" index means nothing.
    this.offsetIndex = new OffsetIndex(join(dir, segmentFileName(base, INDEX_SUFFIX) + CLEANED_SUFFIX), Number.MAX_SAFE_INTEGER, "create");
    this.timeIndex = new TimeIndex(join(dir, segmentFileName(base, TIME_INDEX_SUFFIX) + CLEANED_SUFFIX), Number.MAX_SAFE_INTEGER, "create");
  }

  get size(): number {
    return this.flushedTo + this.buffered;
  }

  /** Appends one whole batch (its header says its offsets and max timestamp). */
  add(batch: Buffer): void {
    const position = this.size;
    const lastOffset = batch.readBigInt64BE(0) + BigInt(batch.readInt32BE(23));
    const ts = batch.readBigInt64BE(35);
    if (ts > this.maxTs) {
      this.maxTs = ts;
      this.offsetOfMaxTs = lastOffset;
    }
    if (this.bytesSinceLastIndexEntry > this.indexIntervalBytes) {
      this.offsetIndex.append(Number(lastOffset - this.base), position);
      this.timeIndex.maybeAppend(this.maxTs, Number(this.offsetOfMaxTs - this.base));
      this.bytesSinceLastIndexEntry = 0;
    }
    this.bytesSinceLastIndexEntry += batch.length;
    if (this.buffered + batch.length > this.buffer.length) this.flushBuffer();
    if (batch.length > this.buffer.length) {
      writeFully(this.fd, batch, this.flushedTo);
      this.flushedTo += batch.length;
    } else {
      batch.copy(this.buffer, this.buffered);
      this.buffered += batch.length;
    }
  }

  private flushBuffer(): void {
    if (this.buffered === 0) return;
    writeFully(this.fd, this.buffer.subarray(0, this.buffered), this.flushedTo);
    this.flushedTo += this.buffered;
    this.buffered = 0;
  }

  /** Writes everything, seals the time index with the segment's max, fsyncs and closes. */
  finish(): number {
    this.flushBuffer();
    if (this.maxTs >= 0n) this.timeIndex.maybeAppend(this.maxTs, Number(this.offsetOfMaxTs - this.base));
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.timeIndex.sync();
    this.timeIndex.closeFile();
    this.offsetIndex.sync();
    this.offsetIndex.closeFile();
    return this.flushedTo;
  }

  abandon(): void {
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
    this.offsetIndex.release();
    this.timeIndex.release();
  }
}

/** Reads the batches of one segment file, checking each one's CRC. */
function* batchesOf(dir: string, ref: SegmentRef, chunk: Buffer): Generator<{ batch: Buffer; info: BatchInfo }> {
  const fd = openSync(join(dir, segmentFileName(ref.base, LOG_SUFFIX)), "r");
  try {
    const cursor = new BatchCursor(fd, 0, ref.size, chunk);
    while (cursor.next()) {
      const batch = cursor.body();
      if (batch.readInt8(16) !== 2 || !crcOk(batch)) {
        throw new CleanerError(`${segmentFileName(ref.base, LOG_SUFFIX)}: the batch at byte ${cursor.position} is corrupt (bad magic or CRC); not cleaning this log`);
      }
      yield { batch, info: readBatchInfo(batch, 0) };
    }
    if (cursor.stop !== "end") throw new CleanerError(`${segmentFileName(ref.base, LOG_SUFFIX)}: ${cursor.stop} batch at byte ${cursor.position + cursor.size}`);
  } finally {
    closeSync(fd);
  }
}

function lastOffsetOf(info: BatchInfo): bigint {
  return info.baseOffset + BigInt(info.lastOffsetDelta);
}

/** Kafka's groupSegmentsBySize: consecutive segments up to segment.bytes and an int32 offset range. */
function groupSegments(segments: readonly SegmentRef[], maxBytes: number): SegmentRef[][] {
  const groups: SegmentRef[][] = [];
  let i = 0;
  while (i < segments.length) {
    const first = segments[i] as SegmentRef;
    const group = [first];
    let bytes = first.size;
    i++;
    while (i < segments.length) {
      const next = segments[i] as SegmentRef;
      if (bytes + next.size > maxBytes || next.end - 1n - first.base > BigInt(MAX_RELATIVE_OFFSET)) break;
      group.push(next);
      bytes += next.size;
      i++;
    }
    groups.push(group);
  }
  return groups;
}

/** A copy of `batch` holding only the records at `keep` (payload positions), re-encoded. */
function rebuildBatch(batch: Buffer, info: BatchInfo, payload: Buffer, keep: number[], maxTimestampDelta: number): Buffer {
  const parts: Buffer[] = [];
  for (let k = 0; k < keep.length; k += 2) parts.push(payload.subarray(keep[k], keep[k + 1]));
  const codec = compressionOf(info.attributes);
  const body = compress(codec, parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts));
  const out = Buffer.allocUnsafe(BATCH_HEADER_SIZE + body.length);
  batch.copy(out, 0, 0, BATCH_HEADER_SIZE);
  out.writeInt32BE(out.length - LOG_OVERHEAD, 8);
  out.writeInt32BE(keep.length / 2, 57);
  if ((info.attributes & Attributes.timestampTypeLogAppend) === 0) out.writeBigInt64BE(info.baseTimestamp + BigInt(maxTimestampDelta), 35);
  body.copy(out, BATCH_HEADER_SIZE);
  out.writeUInt32BE(crc32c(out.subarray(21)), 17);
  return out;
}

/** The batch with no records (Kafka's empty batch): header fields kept, compression none. */
function emptyBatch(batch: Buffer, info: BatchInfo): Buffer {
  const out = Buffer.allocUnsafe(BATCH_HEADER_SIZE);
  batch.copy(out, 0, 0, BATCH_HEADER_SIZE);
  out.writeInt32BE(BATCH_HEADER_SIZE - LOG_OVERHEAD, 8);
  out.writeInt16BE(info.attributes & ~Attributes.compressionMask, 21);
  out.writeInt32BE(0, 57);
  out.writeUInt32BE(crc32c(out.subarray(21)), 17);
  return out;
}

/** Runs one clean (see the header comment). Throws CleanerError on a corrupt source segment. */
export function cleanPartition(job: CleanJob): CleanResult {
  const stats: CleanStats = { mapBytesRead: 0, bytesRead: 0, bytesWritten: 0, recordsRead: 0, recordsKept: 0, tombstonesDropped: 0, batchesRewritten: 0, keys: 0, mapFull: false, mapMs: 0, cleanMs: 0 };
  const chunk = Buffer.allocUnsafe(Math.max(job.ioBufferBytes, 64 * 1024));
  const segments = job.segments;
  const firstUncleanable = segments.length > 0 ? (segments[segments.length - 1] as SegmentRef).end : job.firstDirtyOffset;
  if (job.firstDirtyOffset >= firstUncleanable) return { endOffset: job.firstDirtyOffset, groups: [], stats };

  // 1. The offset map over the dirty section, and the last batch of each idempotent producer.
  const started = performance.now();
  const map = new OffsetMap({ maxBytes: job.mapBytes, loadFactor: job.loadFactor });
  const lastBatchOfProducer = new Map<bigint, bigint>();
  const firstDirty = job.firstDirtyOffset;
  let mapEnd = firstDirty;
  let full = false;
  for (const ref of segments) {
    if (full) break;
    if (ref.end <= firstDirty) continue;
    stats.mapBytesRead += ref.size;
    for (const { batch, info } of batchesOf(job.dir, ref, chunk)) {
      const last = lastOffsetOf(info);
      if (last < firstDirty) continue;
      if (map.size + info.recordCount > map.capacity) {
        full = true;
        mapEnd = info.baseOffset > firstDirty ? info.baseOffset : firstDirty;
        break;
      }
      if (info.producerId >= 0n) lastBatchOfProducer.set(info.producerId, last);
      if ((info.attributes & Attributes.control) === 0 && info.recordCount > 0) {
        const payload = batchPayload(batch, 0, info);
        const cursor = new RecordCursor(payload, info.recordCount);
        while (cursor.next()) {
          const offset = info.baseOffset + BigInt(cursor.offsetDelta);
          if (offset < firstDirty || cursor.keyStart < 0) continue;
          map.put(payload, cursor.keyStart, cursor.keyEnd, Number(offset));
        }
      }
      mapEnd = last + 1n;
    }
    if (!full) mapEnd = ref.end;
  }
  stats.keys = map.size;
  stats.mapFull = full;
  stats.mapMs = performance.now() - started;
  if (mapEnd <= firstDirty) {
    throw new CleanerError(`${job.name}: the dedupe buffer (${job.mapBytes} bytes) cannot hold the keys of a single batch; raise log.cleaner.dedupe.buffer.size`);
  }

  // 2. Clean every segment holding offsets below mapEnd, group by group.
  const toClean = segments.filter((s) => s.base < mapEnd);
  // Producers not seen in the dirty section: their last batch below it is in the clean part.
  const dirtyProducers = new Set(lastBatchOfProducer.keys());
  for (const ref of toClean) {
    if (ref.base >= firstDirty) break;
    for (const { info } of batchesOf(job.dir, ref, chunk)) {
      const last = lastOffsetOf(info);
      if (last >= firstDirty) break;
      if (info.producerId >= 0n && !dirtyProducers.has(info.producerId)) lastBatchOfProducer.set(info.producerId, last);
    }
  }

  const cleanStarted = performance.now();
  const horizon = job.now - job.deleteRetentionMs;
  // Records past the map's reach stay whatever they are (Kafka's pastLatestOffset): dropping a
  // tombstone there could bring back an older value of its key that the map does not cover.
  const mapEndNumber = Number(mapEnd);
  const groups: SwapGroup[] = [];
  const keep: number[] = [];
  for (const group of groupSegments(toClean, job.segmentBytes)) {
    const base = (group[0] as SegmentRef).base;
    const writer = new CleanedSegmentWriter(job.dir, base, job.indexIntervalBytes, job.ioBufferBytes);
    try {
      for (const ref of group) {
        stats.bytesRead += ref.size;
        const retainTombstones = ref.largestTimestamp > horizon;
        for (const { batch, info } of batchesOf(job.dir, ref, chunk)) {
          if (info.attributes & Attributes.control || info.recordCount === 0) {
            writer.add(batch);
            continue;
          }
          const payload = batchPayload(batch, 0, info);
          const cursor = new RecordCursor(payload, info.recordCount);
          keep.length = 0;
          let maxDelta = -Infinity;
          while (cursor.next()) {
            stats.recordsRead++;
            const offset = Number(info.baseOffset) + cursor.offsetDelta;
            if (offset >= mapEndNumber) {
              keep.push(cursor.start, cursor.end);
              if (cursor.timestampDelta > maxDelta) maxDelta = cursor.timestampDelta;
              continue;
            }
            if (cursor.keyStart < 0) continue;
            const latest = map.get(payload, cursor.keyStart, cursor.keyEnd);
            if (latest >= 0 && offset < latest) continue;
            if (cursor.valueNull && !retainTombstones) {
              stats.tombstonesDropped++;
              continue;
            }
            keep.push(cursor.start, cursor.end);
            if (cursor.timestampDelta > maxDelta) maxDelta = cursor.timestampDelta;
          }
          const kept = keep.length / 2;
          stats.recordsKept += kept;
          if (kept === info.recordCount) writer.add(batch);
          else if (kept > 0) {
            writer.add(rebuildBatch(batch, info, payload, keep, maxDelta));
            stats.batchesRewritten++;
          } else if (info.producerId >= 0n && lastBatchOfProducer.get(info.producerId) === lastOffsetOf(info)) {
            writer.add(emptyBatch(batch, info));
            stats.batchesRewritten++;
          }
        }
      }
      stats.bytesWritten += writer.finish();
    } catch (err) {
      writer.abandon();
      throw err;
    }
    groups.push({ base, replaced: group.map((s) => s.base) });
  }
  stats.cleanMs = performance.now() - cleanStarted;

  // 3. Everything is durable: name what replaces what.
  writeSwapManifest(job.dir, groups);
  return { endOffset: mapEnd, groups, stats };
}

// Idempotent producer state that outlives a restart. A producer that retries a batch after
// the broker crashed must find the batch recognised, or it would be written twice. As in
// Kafka, the state is rebuilt from a snapshot plus the batch headers written after it: a
// snapshot file `<20-digit offset>.producer-snapshot` in the partition directory holds the
// state as it was when the log ended at that offset; loading takes the newest readable one at
// or below the log end offset and replays the producer fields (producer id, epoch, base
// sequence, last offset delta) of every batch from there on. Snapshots are taken when a
// segment rolls, at a clean shutdown and periodically (flush-scheduler.ts), so a restart
// after a crash replays at most one segment's headers (usually a minute's worth at most),
// and a clean restart none.
//
// The format is ours, not Kafka's `.snapshot` (which keeps only each producer's last batch;
// we keep the five a producer may have in flight, so every one of them is still recognised
// after a restart): int16 version, int32 CRC32C of the rest, int64 offset, int32 producer
// count, then per producer int64 id, int16 epoch, int8 batch count and per batch int32 first
// sequence, int32 last sequence, int64 base offset. Snapshots are derived data: they are
// written with a rename but without fsync, a torn or missing one is skipped (its CRC tells),
// and the older one or a longer header scan takes its place.
import { closeSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "../../lib/logger.ts";
import type { BatchCursor } from "../log/batch-cursor.ts";
import { writeFully } from "../log/fs-util.ts";
import { crc32c } from "../protocol/records/compression.ts";
import { PartitionProducerState, type BatchMetadata } from "./producer-state.ts";

export const PRODUCER_SNAPSHOT_SUFFIX = ".producer-snapshot";
const VERSION = 1;
/** Snapshots kept per partition: the newest, and one to fall back on if it is unreadable. */
const KEEP = 2;

/** What loading needs from a partition log (PartitionLog implements it). */
export interface ProducerStateSource {
  readonly dir: string;
  readonly logStartOffset: bigint;
  readonly logEndOffset: bigint;
  /** Visits the batch holding `fromOffset` and every later one, headers only. */
  forEachBatchHeader(fromOffset: bigint, visit: (batch: BatchCursor) => void): void;
}

export interface ProducerStateLoad {
  state: PartitionProducerState;
  /** The snapshot used, if any. */
  snapshotOffset: bigint | undefined;
  /** Batch headers replayed after it. */
  replayedBatches: number;
  ms: number;
}

export function producerSnapshotFileName(offset: bigint): string {
  return offset.toString().padStart(20, "0") + PRODUCER_SNAPSHOT_SUFFIX;
}

function parseSnapshotFileName(name: string): bigint | undefined {
  if (name.length !== 20 + PRODUCER_SNAPSHOT_SUFFIX.length || !name.endsWith(PRODUCER_SNAPSHOT_SUFFIX)) return undefined;
  const digits = name.slice(0, 20);
  return /^\d{20}$/.test(digits) ? BigInt(digits) : undefined;
}

/** The snapshot offsets in a partition directory, newest first. */
export function listProducerSnapshots(dir: string, names: readonly string[] = readdirSync(dir)): bigint[] {
  const offsets: bigint[] = [];
  for (const name of names) {
    const offset = parseSnapshotFileName(name);
    if (offset !== undefined) offsets.push(offset);
  }
  return offsets.sort((a, b) => (a > b ? -1 : a < b ? 1 : 0));
}

export function encodeProducerSnapshot(offset: bigint, state: PartitionProducerState): Buffer {
  const entries = state.entries();
  let size = 2 + 4 + 8 + 4;
  for (const [, e] of entries) size += 8 + 2 + 1 + e.batches.length * 16;
  const buf = Buffer.allocUnsafe(size);
  let at = 6;
  buf.writeBigInt64BE(offset, at);
  at += 8;
  buf.writeInt32BE(entries.length, at);
  at += 4;
  for (const [producerId, e] of entries) {
    buf.writeBigInt64BE(producerId, at);
    buf.writeInt16BE(e.epoch, at + 8);
    buf.writeInt8(e.batches.length, at + 10);
    at += 11;
    for (const b of e.batches) {
      buf.writeInt32BE(b.firstSeq, at);
      buf.writeInt32BE(b.lastSeq, at + 4);
      buf.writeBigInt64BE(b.baseOffset, at + 8);
      at += 16;
    }
  }
  buf.writeInt16BE(VERSION, 0);
  buf.writeUInt32BE(crc32c(buf.subarray(6)), 2);
  return buf;
}

/** The state in a snapshot, or undefined when the bytes are not a whole, valid snapshot of `offset`. */
export function decodeProducerSnapshot(buf: Buffer, offset: bigint): PartitionProducerState | undefined {
  if (buf.length < 18 || buf.readInt16BE(0) !== VERSION) return undefined;
  if (crc32c(buf.subarray(6)) !== buf.readUInt32BE(2)) return undefined;
  if (buf.readBigInt64BE(6) !== offset) return undefined;
  const count = buf.readInt32BE(14);
  const state = new PartitionProducerState();
  let at = 18;
  for (let i = 0; i < count; i++) {
    if (at + 11 > buf.length) return undefined;
    const producerId = buf.readBigInt64BE(at);
    const epoch = buf.readInt16BE(at + 8);
    const n = buf.readInt8(at + 10);
    at += 11;
    if (n < 0 || at + n * 16 > buf.length) return undefined;
    const batches: BatchMetadata[] = [];
    for (let j = 0; j < n; j++) {
      batches.push({ firstSeq: buf.readInt32BE(at), lastSeq: buf.readInt32BE(at + 4), baseOffset: buf.readBigInt64BE(at + 8) });
      at += 16;
    }
    state.restore(producerId, { epoch, batches });
  }
  return at === buf.length ? state : undefined;
}

/**
 * Writes the state as of log end offset `offset` (temp file, rename; no fsync, see the header
 * comment) and removes all but the newest snapshots.
 */
export function writeProducerSnapshot(dir: string, offset: bigint, state: PartitionProducerState): void {
  const path = join(dir, producerSnapshotFileName(offset));
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, "w");
  try {
    writeFully(fd, encodeProducerSnapshot(offset, state), 0);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  for (const old of listProducerSnapshots(dir).slice(KEEP)) removeSnapshot(dir, old);
}

function removeSnapshot(dir: string, offset: bigint): void {
  try {
    unlinkSync(join(dir, producerSnapshotFileName(offset)));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
}

/**
 * Removes the snapshots above the log end offset: they describe batches the log lost (a
 * truncated tail), and must go before new batches reach those offsets again.
 */
export function deleteProducerSnapshotsAbove(dir: string, logEndOffset: bigint, names?: readonly string[], logger?: Logger): void {
  for (const offset of listProducerSnapshots(dir, names)) {
    if (offset <= logEndOffset) continue;
    removeSnapshot(dir, offset);
    logger?.warn({ dir, snapshotOffset: offset, logEndOffset }, "removed a producer state snapshot beyond the log end offset");
  }
}

/** Rebuilds a partition's producer state: the newest readable snapshot, then the batch headers after it. */
export function loadProducerState(source: ProducerStateSource, logger?: Logger): ProducerStateLoad {
  const started = performance.now();
  let state: PartitionProducerState | undefined;
  let snapshotOffset: bigint | undefined;
  for (const offset of listProducerSnapshots(source.dir)) {
    if (offset > source.logEndOffset) continue;
    let bytes: Buffer | undefined;
    try {
      bytes = readFileSync(join(source.dir, producerSnapshotFileName(offset)));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
    state = bytes && decodeProducerSnapshot(bytes, offset);
    if (state) {
      snapshotOffset = offset;
      break;
    }
    logger?.warn({ dir: source.dir, snapshotOffset: offset }, "skipped an unreadable producer state snapshot");
  }
  state ??= new PartitionProducerState();
  let from = snapshotOffset ?? source.logStartOffset;
  if (from < source.logStartOffset) from = source.logStartOffset;
  let replayedBatches = 0;
  if (from < source.logEndOffset) {
    const target = state;
    source.forEachBatchHeader(from, (batch) => {
      const producerId = batch.producerId();
      if (producerId < 0n) return;
      target.update(producerId, batch.producerEpoch(), batch.baseSequence(), batch.lastOffsetDelta(), batch.baseOffset());
      replayedBatches++;
    });
  }
  return { state, snapshotOffset, replayedBatches, ms: performance.now() - started };
}

// Helpers for the cleaner's tests: write keyed updates (with tombstones) into a partition log
// the way producers would, remember what each key's latest write was, and read a log back
// from its start, checking the invariants compaction must keep.
import { validateBatches } from "../../broker/protocol/records/batch.ts";
import { Compression } from "../../broker/protocol/records/compression.ts";
import { buildBatch, readBatchRecords, type NewRecord } from "../../broker/protocol/records/records.ts";
import type { PartitionLog } from "../../broker/log/partition-log.ts";

export interface Written {
  offset: bigint;
  /** null: a tombstone. */
  value: string | null;
  timestamp: bigint;
}

export interface UpdateOptions {
  keys: number;
  updates: number;
  /** Records per batch (one append per batch). */
  batchSize?: number;
  /** Every n-th update is a tombstone (0: none). */
  tombstoneEvery?: number;
  compression?: number;
  /** Timestamp of the first record; each batch is 1 ms later. */
  startTimestamp?: bigint;
  keyPrefix?: string;
  /** Value padding, bytes. */
  valueBytes?: number;
  /** Offset of the first update, for values (default: the log end offset). */
  seed?: number;
}

/** Pseudo-random but reproducible key choice. */
function keyFor(i: number, keys: number, seed: number): number {
  let x = (i + 1) * 2654435761 + seed * 97;
  x = (x ^ (x >>> 13)) >>> 0;
  return x % keys;
}

/**
 * Appends `updates` records over `keys` keys, every key written at least once when updates
 * allow (the first `keys` updates go to key 0..keys-1 in order). Returns the latest write of
 * every key written, and the total bytes appended.
 */
export function writeUpdates(log: PartitionLog, options: UpdateOptions, latest: Map<string, Written> = new Map()): { latest: Map<string, Written>; bytes: number } {
  const batchSize = options.batchSize ?? 100;
  const prefix = options.keyPrefix ?? "key";
  const pad = "v".repeat(options.valueBytes ?? 20);
  let ts = options.startTimestamp ?? BigInt(Date.now());
  let bytes = 0;
  const seed = options.seed ?? 0;
  for (let i = 0; i < options.updates; i += batchSize) {
    const records: NewRecord[] = [];
    const keys: string[] = [];
    const values: Array<string | null> = [];
    for (let j = i; j < Math.min(i + batchSize, options.updates); j++) {
      const k = j < options.keys ? j : keyFor(j, options.keys, seed);
      const key = `${prefix}-${k}`;
      const tomb = options.tombstoneEvery ? j % options.tombstoneEvery === options.tombstoneEvery - 1 : false;
      const value = tomb ? null : `${key}=${seed}.${j}.${pad}`;
      records.push({ key: Buffer.from(key), value: value === null ? null : Buffer.from(value), timestamp: ts });
      keys.push(key);
      values.push(value);
    }
    const batch = buildBatch(records, { compression: options.compression ?? Compression.none, now: ts });
    const result = log.append(batch, validateBatches(batch));
    bytes += batch.length;
    keys.forEach((key, n) => latest.set(key, { offset: result.baseOffset + BigInt(n), value: values[n] as string | null, timestamp: ts }));
    ts += 1n;
  }
  return { latest, bytes };
}

export interface ReadBack {
  records: Array<{ offset: bigint; key: string; value: string | null }>;
  batches: number;
  emptyBatches: number;
  compressions: Set<number>;
}

/** Every record from the log start, checking offsets strictly increase and batches are sound. */
export function readBack(log: PartitionLog): ReadBack {
  const out: ReadBack = { records: [], batches: 0, emptyBatches: 0, compressions: new Set() };
  let offset = log.logStartOffset;
  let last = -1n;
  while (offset < log.logEndOffset) {
    const { records, totalBytes } = log.read(offset, 4 * 1024 * 1024);
    if (totalBytes === 0) break;
    for (const buf of records) {
      for (const info of validateBatches(buf)) {
        out.batches++;
        out.compressions.add(info.attributes & 7);
        const decoded = readBatchRecords(buf, info.position);
        if (decoded.records.length === 0) out.emptyBatches++;
        for (const r of decoded.records) {
          if (r.offset <= last) throw new Error(`offset ${r.offset} after ${last}`);
          if (r.offset < info.baseOffset || r.offset > info.baseOffset + BigInt(info.lastOffsetDelta)) throw new Error(`record offset ${r.offset} outside its batch`);
          last = r.offset;
          if (r.offset >= offset) out.records.push({ offset: r.offset, key: r.key?.toString() ?? "", value: r.value?.toString() ?? null });
        }
        offset = info.baseOffset + BigInt(info.lastOffsetDelta) + 1n;
      }
    }
  }
  return out;
}

/** The latest value per key as a consumer reading from the start would rebuild it. */
export function stateOf(records: ReadBack["records"]): Map<string, string | null> {
  const state = new Map<string, string | null>();
  for (const r of records) state.set(r.key, r.value);
  return state;
}

/** The state the written history must rebuild to (tombstoned keys absent). */
export function expectedState(latest: Map<string, Written>): Map<string, string> {
  const state = new Map<string, string>();
  for (const [key, w] of latest) if (w.value !== null) state.set(key, w.value);
  return state;
}

/** Drops tombstoned keys from a rebuilt state. */
export function live(state: Map<string, string | null>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of state) if (v !== null) out.set(k, v);
  return out;
}

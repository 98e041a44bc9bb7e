// Test helpers for the log: a small, independent encoder of v2 record batches (so the tests do
// not lean on the broker's own record code), temp directories, and readers of what the log
// returns.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { validateBatches } from "../../../../broker/protocol/records/batch.ts";
import { crc32c } from "../../../../broker/protocol/records/compression.ts";
import type { AppendResult, PartitionLog, ReadResult } from "../../../../broker/log/partition-log.ts";

export interface TestRecord {
  key?: string | null;
  value: string | Buffer;
  timestamp?: bigint;
}

function zigzag(n: bigint): bigint {
  return n >= 0n ? n << 1n : ((-n) << 1n) - 1n;
}

function varint(n: number | bigint): Buffer {
  let v = zigzag(BigInt(n));
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Buffer.from(out);
}

function bytesField(v: string | Buffer | null | undefined): Buffer {
  if (v === null || v === undefined) return varint(-1);
  const b = typeof v === "string" ? Buffer.from(v) : v;
  return Buffer.concat([varint(b.length), b]);
}

/** One v2 record batch (magic 2) with a correct CRC32C; base offset 0 as producers send it. */
export function makeBatch(records: readonly TestRecord[], options: { gzip?: boolean; now?: bigint } = {}): Buffer {
  const now = options.now ?? 1_700_000_000_000n;
  const ts = records.map((r) => r.timestamp ?? now);
  const baseTs = ts.reduce((a, b) => (b < a ? b : a));
  const maxTs = ts.reduce((a, b) => (b > a ? b : a));
  const encoded = records.map((r, i) => {
    const body = Buffer.concat([Buffer.from([0]), varint((ts[i] as bigint) - baseTs), varint(i), bytesField(r.key), bytesField(r.value), varint(0)]);
    return Buffer.concat([varint(body.length), body]);
  });
  let payload = Buffer.concat(encoded);
  if (options.gzip) payload = gzipSync(payload);
  const header = Buffer.alloc(61);
  header.writeBigInt64BE(0n, 0);
  header.writeInt32BE(61 - 12 + payload.length, 8);
  header.writeInt32BE(-1, 12);
  header.writeInt8(2, 16);
  header.writeInt16BE(options.gzip ? 1 : 0, 21);
  header.writeInt32BE(records.length - 1, 23);
  header.writeBigInt64BE(baseTs, 27);
  header.writeBigInt64BE(maxTs, 35);
  header.writeBigInt64BE(-1n, 43);
  header.writeInt16BE(-1, 51);
  header.writeInt32BE(-1, 53);
  header.writeInt32BE(records.length, 57);
  const batch = Buffer.concat([header, payload]);
  batch.writeUInt32BE(crc32c(batch.subarray(21)), 17);
  return batch;
}

/** `count` records of `size` bytes each ("<prefix>-<i>" then padding), one timestamp. */
export function recordsOf(count: number, size: number, prefix = "r", timestamp?: bigint): TestRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const head = `${prefix}-${i}`;
    return { value: head + "x".repeat(Math.max(0, size - head.length)), ...(timestamp !== undefined ? { timestamp } : {}) };
  });
}

/** Appends produce-request bytes made of these batches, the way the Produce handler will. */
export function append(log: PartitionLog, ...batches: Buffer[]): AppendResult {
  const records = Buffer.concat(batches);
  return log.append(records, validateBatches(records));
}

export interface BatchView {
  baseOffset: bigint;
  lastOffset: bigint;
  size: number;
}

/** The batch headers of a read result, checking that each is whole and its CRC holds. */
export function batchesOf(result: ReadResult): BatchView[] {
  const out: BatchView[] = [];
  let total = 0;
  for (const buf of result.records) {
    total += buf.length;
    for (const info of validateBatches(buf)) {
      out.push({ baseOffset: info.baseOffset, lastOffset: info.baseOffset + BigInt(info.lastOffsetDelta), size: info.size });
    }
  }
  if (total !== result.totalBytes) throw new Error(`totalBytes ${result.totalBytes} but buffers hold ${total}`);
  return out;
}

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "hub-log-test-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

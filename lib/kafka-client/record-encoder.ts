// Encodes the records a producer sends into one v2 record batch, the hot path of every source
// task: sizes are computed first and the batch is written into a single buffer, with no
// per-record objects (broker/protocol/records/records.ts builds batches for the broker's own
// writes and tests, one Writer per record, which is fine there and too slow here).
//
// Layout (Kafka's DefaultRecordBatch / DefaultRecord): the 61-byte batch header, then per record
// length varint | attributes int8 | timestampDelta varlong | offsetDelta varint | key length
// varint, key | value length varint, value | header count varint, then per header key length
// varint, key utf8, value length varint, value. A null key, value or header value has length -1.
import { Attributes, BATCH_HEADER_SIZE, LOG_OVERHEAD } from "../../broker/protocol/records/batch.ts";
import { compress, Compression, crc32c } from "../../broker/protocol/records/compression.ts";

export interface ProducerRecordHeader {
  readonly key: string;
  readonly value: Buffer | null;
}

export interface ProducerRecord {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly ProducerRecordHeader[];
  /** Milliseconds since the epoch; null: the time the batch is built. */
  readonly timestamp: number | null;
}

/** Bytes of an unsigned varint. */
function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

/** Zigzag of a signed integer (safe up to 2^52 in magnitude: timestamp deltas). */
function zigzag(n: number): number {
  return n >= 0 ? n * 2 : -n * 2 - 1;
}

function writeVarint(buf: Buffer, pos: number, n: number): number {
  while (n >= 0x80) {
    buf[pos++] = (n % 128) | 0x80;
    n = Math.floor(n / 128);
  }
  buf[pos++] = n;
  return pos;
}

/** Zigzag varint of a length that may be -1 (null). */
function lengthSize(n: number): number {
  return varintSize(zigzag(n));
}

function writeBytes(buf: Buffer, pos: number, bytes: Buffer | null): number {
  if (bytes === null) return writeVarint(buf, pos, 1); // zigzag(-1)
  pos = writeVarint(buf, pos, zigzag(bytes.length));
  bytes.copy(buf, pos);
  return pos + bytes.length;
}

/**
 * One record batch holding `records` (at least one), compressed with `compression` (Kafka's
 * codec number), its CRC32C set; base offset 0 and no producer id (not idempotent).
 */
export function encodeRecordBatch(records: readonly ProducerRecord[], compression: number = Compression.none, now: number = Date.now()): Buffer {
  const count = records.length;
  if (count === 0) throw new Error("a record batch needs at least one record");
  let baseTimestamp = Number.MAX_SAFE_INTEGER;
  let maxTimestamp = Number.MIN_SAFE_INTEGER;
  for (let i = 0; i < count; i++) {
    const t = records[i]!.timestamp ?? now;
    if (t < baseTimestamp) baseTimestamp = t;
    if (t > maxTimestamp) maxTimestamp = t;
  }
  // First pass: the size of each record body, kept for the second.
  const bodySizes = new Array<number>(count);
  let total = 0;
  for (let i = 0; i < count; i++) {
    const r = records[i]!;
    let size = 1 + varintSize(zigzag((r.timestamp ?? now) - baseTimestamp)) + varintSize(zigzag(i));
    size += r.key === null ? 1 : lengthSize(r.key.length) + r.key.length;
    size += r.value === null ? 1 : lengthSize(r.value.length) + r.value.length;
    const headers = r.headers;
    size += varintSize(zigzag(headers.length));
    for (let h = 0; h < headers.length; h++) {
      const header = headers[h]!;
      const keyBytes = Buffer.byteLength(header.key, "utf8");
      size += lengthSize(keyBytes) + keyBytes;
      size += header.value === null ? 1 : lengthSize(header.value.length) + header.value.length;
    }
    bodySizes[i] = size;
    total += varintSize(zigzag(size)) + size;
  }
  const uncompressed = compression === Compression.none;
  const out = Buffer.allocUnsafe(uncompressed ? BATCH_HEADER_SIZE + total : total);
  let pos = uncompressed ? BATCH_HEADER_SIZE : 0;
  for (let i = 0; i < count; i++) {
    const r = records[i]!;
    pos = writeVarint(out, pos, zigzag(bodySizes[i]!));
    out[pos++] = 0; // attributes: unused
    pos = writeVarint(out, pos, zigzag((r.timestamp ?? now) - baseTimestamp));
    pos = writeVarint(out, pos, zigzag(i));
    pos = writeBytes(out, pos, r.key);
    pos = writeBytes(out, pos, r.value);
    const headers = r.headers;
    pos = writeVarint(out, pos, zigzag(headers.length));
    for (let h = 0; h < headers.length; h++) {
      const header = headers[h]!;
      const keyBytes = Buffer.byteLength(header.key, "utf8");
      pos = writeVarint(out, pos, zigzag(keyBytes));
      pos += out.write(header.key, pos, keyBytes, "utf8");
      pos = writeBytes(out, pos, header.value);
    }
  }
  let batch = out;
  if (!uncompressed) {
    const payload = compress(compression, out);
    batch = Buffer.allocUnsafe(BATCH_HEADER_SIZE + payload.length);
    payload.copy(batch, BATCH_HEADER_SIZE);
  }
  batch.writeBigInt64BE(0n, 0); // base offset: the broker assigns it
  batch.writeInt32BE(batch.length - LOG_OVERHEAD, 8);
  batch.writeInt32BE(-1, 12); // partition leader epoch
  batch[16] = 2; // magic
  batch.writeInt16BE(compression & Attributes.compressionMask, 21);
  batch.writeInt32BE(count - 1, 23); // last offset delta
  batch.writeBigInt64BE(BigInt(baseTimestamp), 27);
  batch.writeBigInt64BE(BigInt(maxTimestamp), 35);
  batch.writeBigInt64BE(-1n, 43); // producer id
  batch.writeInt16BE(-1, 51); // producer epoch
  batch.writeInt32BE(-1, 53); // base sequence
  batch.writeInt32BE(count, 57);
  batch.writeUInt32BE(crc32c(batch.subarray(21)), 17);
  return batch;
}

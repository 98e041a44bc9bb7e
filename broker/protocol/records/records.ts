// Building and reading the records inside a v2 batch. The broker's produce and fetch paths
// never come here (batches stay bytes); this is for the broker's own writes (the group
// coordinator's __consumer_offsets records), compaction, and tests.
//
// A record: length varint | attributes int8 | timestampDelta varlong | offsetDelta varint |
// keyLength varint, key | valueLength varint, value | header count varint, headers
// (keyLength varint, key utf8, valueLength varint, value); -1 lengths mean null.
import { Reader } from "../primitives/reader.ts";
import { Writer } from "../primitives/writer.ts";
import { Attributes, BATCH_HEADER_SIZE, compressionOf, LOG_OVERHEAD, readBatchInfo, type BatchInfo } from "./batch.ts";
import { compress, crc32c, decompress } from "./compression.ts";

export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

export interface NewRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers?: RecordHeader[];
  /** Milliseconds since the epoch; defaults to the batch's time. */
  timestamp?: bigint;
}

export interface StoredRecord {
  offset: bigint;
  timestamp: bigint;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

export interface BatchOptions {
  baseOffset?: bigint;
  compression?: number;
  producerId?: bigint;
  producerEpoch?: number;
  baseSequence?: number;
  transactional?: boolean;
  control?: boolean;
  logAppendTime?: boolean;
  partitionLeaderEpoch?: number;
  now?: bigint;
}

function writeNullableVarBytes(w: Writer, v: Buffer | null): void {
  if (v === null) w.varint(-1);
  else {
    w.varint(v.length);
    w.raw(v);
  }
}

function encodeRecords(records: readonly NewRecord[], baseTimestamp: bigint): Buffer {
  const body = new Writer(records.length * 64);
  records.forEach((record, i) => {
    const r = new Writer(64);
    r.int8(0);
    r.varlong((record.timestamp ?? baseTimestamp) - baseTimestamp);
    r.varint(i);
    writeNullableVarBytes(r, record.key);
    writeNullableVarBytes(r, record.value);
    const headers = record.headers ?? [];
    r.varint(headers.length);
    for (const h of headers) {
      const key = Buffer.from(h.key, "utf8");
      r.varint(key.length);
      r.raw(key);
      writeNullableVarBytes(r, h.value);
    }
    body.varint(r.length);
    body.append(r);
  });
  return body.toBuffer();
}

/** Encodes one v2 record batch with a valid CRC32C. */
export function buildBatch(records: readonly NewRecord[], options: BatchOptions = {}): Buffer {
  if (records.length === 0) throw new Error("a record batch needs at least one record");
  const now = options.now ?? BigInt(Date.now());
  const timestamps = records.map((r) => r.timestamp ?? now);
  const baseTimestamp = timestamps.reduce((a, b) => (b < a ? b : a));
  const maxTimestamp = timestamps.reduce((a, b) => (b > a ? b : a));
  const codec = options.compression ?? 0;
  const payload = compress(codec, encodeRecords(records, baseTimestamp));
  let attributes = codec;
  if (options.transactional) attributes |= Attributes.transactional;
  if (options.control) attributes |= Attributes.control;
  if (options.logAppendTime) attributes |= Attributes.timestampTypeLogAppend;

  const batch = Buffer.allocUnsafe(BATCH_HEADER_SIZE + payload.length);
  batch.writeBigInt64BE(options.baseOffset ?? 0n, 0);
  batch.writeInt32BE(batch.length - LOG_OVERHEAD, 8);
  batch.writeInt32BE(options.partitionLeaderEpoch ?? -1, 12);
  batch.writeInt8(2, 16);
  batch.writeInt16BE(attributes, 21);
  batch.writeInt32BE(records.length - 1, 23);
  batch.writeBigInt64BE(baseTimestamp, 27);
  batch.writeBigInt64BE(maxTimestamp, 35);
  batch.writeBigInt64BE(options.producerId ?? -1n, 43);
  batch.writeInt16BE(options.producerEpoch ?? -1, 51);
  batch.writeInt32BE(options.baseSequence ?? -1, 53);
  batch.writeInt32BE(records.length, 57);
  payload.copy(batch, BATCH_HEADER_SIZE);
  batch.writeUInt32BE(crc32c(batch.subarray(21)), 17);
  return batch;
}

function readNullableVarBytes(r: Reader): Buffer | null {
  const len = r.varint();
  if (len < -1) r.fail(`negative length ${len}`);
  return len === -1 ? null : r.raw(len);
}

/** Decodes the records of the batch at `position` (decompressing it if needed). */
export function readBatchRecords(buf: Buffer, position = 0): { info: BatchInfo; records: StoredRecord[] } {
  const info = readBatchInfo(buf, position);
  const payload = decompress(compressionOf(info.attributes), buf.subarray(position + BATCH_HEADER_SIZE, position + info.size));
  const r = new Reader(payload);
  const records: StoredRecord[] = [];
  for (let i = 0; i < info.recordCount; i++) {
    const length = r.varint();
    const end = r.pos + length;
    r.int8();
    const timestampDelta = r.varlong();
    const offsetDelta = r.varint();
    const key = readNullableVarBytes(r);
    const value = readNullableVarBytes(r);
    const headerCount = r.varint();
    if (headerCount < 0 || headerCount > r.remaining) r.fail(`bad header count ${headerCount}`);
    const headers: RecordHeader[] = [];
    for (let h = 0; h < headerCount; h++) {
      const keyLen = r.varint();
      if (keyLen < 0) r.fail(`bad header key length ${keyLen}`);
      headers.push({ key: r.raw(keyLen).toString("utf8"), value: readNullableVarBytes(r) });
    }
    if (r.pos !== end) r.fail(`record ${i} length ${length} does not match its fields`);
    const timestamp = info.attributes & Attributes.timestampTypeLogAppend ? info.maxTimestamp : info.baseTimestamp + timestampDelta;
    records.push({ offset: info.baseOffset + BigInt(offsetDelta), timestamp, key, value, headers });
  }
  return { info, records };
}

/** Every record of every batch in a buffer of whole batches (e.g. a fetch response's records). */
export function readAllRecords(buf: Buffer): StoredRecord[] {
  const out: StoredRecord[] = [];
  let pos = 0;
  while (pos + BATCH_HEADER_SIZE <= buf.length) {
    const size = buf.readInt32BE(pos + 8) + LOG_OVERHEAD;
    if (pos + size > buf.length) break; // a fetch may end with a partial batch
    out.push(...readBatchRecords(buf, pos).records);
    pos += size;
  }
  return out;
}

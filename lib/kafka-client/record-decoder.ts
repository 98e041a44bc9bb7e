// Decodes the record batches of a fetch response into records. Keys, values and header values
// are views of the response (or of the decompressed batch), never copies: a caller that keeps
// one long after handling it should copy it (Buffer.from) so the whole response can be freed.
//
// Batches are checked against their CRC32C (as the Java consumer's check.crcs=true does).
// Control batches (transaction markers) are skipped; records of aborted transactions are
// returned like any other: this is read_uncommitted.
import { Attributes, BATCH_HEADER_SIZE, LOG_OVERHEAD } from "../../broker/protocol/records/batch.ts";
import { crc32c, decompress } from "../../broker/protocol/records/compression.ts";

export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: bigint;
  /** Milliseconds since the epoch (create time, or log-append time if the topic uses it). */
  timestamp: number;
  /** The batch says its timestamps are the broker's log-append time (message.timestamp.type=LogAppendTime). */
  logAppendTime: boolean;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

export class CorruptRecordError extends Error {
  override name = "CorruptRecordError";
}

const MAGIC_OFFSET = 16;
const CRC_OFFSET = 17;
const ATTRIBUTES_OFFSET = 21;
const LAST_OFFSET_DELTA_OFFSET = 23;
const BASE_TIMESTAMP_OFFSET = 27;
const MAX_TIMESTAMP_OFFSET = 35;
const RECORD_COUNT_OFFSET = 57;

/**
 * Appends to `out` the records at or after offset `from` in every whole batch of `buf` (a
 * fetch response ends with a partial batch when it hit its byte limit; that one is left for
 * the next fetch). Returns the offset to fetch next: one past the last whole batch, or `from`
 * when the buffer holds no whole batch.
 */
export function decodeRecordBatches(buf: Buffer, from: bigint, topic: string, partition: number, out: ConsumedRecord[]): bigint {
  let next = from;
  let pos = 0;
  while (buf.length - pos >= LOG_OVERHEAD) {
    const batchLength = buf.readInt32BE(pos + 8);
    const size = batchLength + LOG_OVERHEAD;
    if (pos + size > buf.length) break;
    if (batchLength < BATCH_HEADER_SIZE - LOG_OVERHEAD) throw new CorruptRecordError(`${topic}-${partition}: record batch at byte ${pos} declares length ${batchLength}, below the header size`);
    const magic = buf.readInt8(pos + MAGIC_OFFSET);
    if (magic !== 2) throw new CorruptRecordError(`${topic}-${partition}: record batch at byte ${pos} has magic ${magic}; only magic 2 (Kafka 0.11+) is read`);
    const stored = buf.readUInt32BE(pos + CRC_OFFSET);
    const computed = crc32c(buf.subarray(pos + ATTRIBUTES_OFFSET, pos + size));
    if (stored !== computed) throw new CorruptRecordError(`${topic}-${partition}: record batch at offset ${buf.readBigInt64BE(pos)} fails its CRC32C check`);
    const baseOffset = buf.readBigInt64BE(pos);
    const lastOffset = baseOffset + BigInt(buf.readInt32BE(pos + LAST_OFFSET_DELTA_OFFSET));
    const attributes = buf.readInt16BE(pos + ATTRIBUTES_OFFSET);
    // A compressed batch may start before the fetch offset (the broker returns whole batches).
    if (lastOffset >= from && (attributes & Attributes.control) === 0) decodeBatch(buf, pos, size, baseOffset, attributes, from, topic, partition, out);
    if (lastOffset >= next) next = lastOffset + 1n;
    pos += size;
  }
  return next;
}

/** A read position inside one batch's records. */
interface Cursor {
  buf: Buffer;
  pos: number;
  end: number;
  where: string;
}

function fail(c: Cursor, what: string): never {
  throw new CorruptRecordError(`${c.where}: ${what} at byte ${c.pos} of the records`);
}

/** An unsigned LEB128 varint as a number (exact up to 2^53, enough for any length or delta). */
function uvarint(c: Cursor): number {
  if (c.pos >= c.end) fail(c, "truncated varint");
  const first = c.buf[c.pos++]!;
  if (first < 0x80) return first;
  let result = first & 0x7f;
  let scale = 0x80;
  for (let i = 1; i < 10; i++) {
    if (c.pos >= c.end) fail(c, "truncated varint");
    const b = c.buf[c.pos++]!;
    result += (b & 0x7f) * scale;
    if (b < 0x80) return result;
    scale *= 0x80;
  }
  return fail(c, "varint longer than 10 bytes");
}

/** A zigzag varint/varlong as a number. */
function varint(c: Cursor): number {
  const u = uvarint(c);
  return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
}

function nullableBytes(c: Cursor): Buffer | null {
  const len = varint(c);
  if (len === -1) return null;
  if (len < 0 || len > c.end - c.pos) fail(c, `bad length ${len}`);
  const v = c.buf.subarray(c.pos, c.pos + len);
  c.pos += len;
  return v;
}

function decodeBatch(buf: Buffer, pos: number, size: number, baseOffset: bigint, attributes: number, from: bigint, topic: string, partition: number, out: ConsumedRecord[]): void {
  const codec = attributes & Attributes.compressionMask;
  const body = buf.subarray(pos + BATCH_HEADER_SIZE, pos + size);
  let payload: Buffer;
  try {
    payload = codec === 0 ? body : decompress(codec, body);
  } catch (err) {
    throw new CorruptRecordError(`${topic}-${partition}: cannot decompress the batch at offset ${baseOffset}: ${(err as Error).message}`, { cause: err });
  }
  const logAppendTime = (attributes & Attributes.timestampTypeLogAppend) !== 0;
  const baseTimestamp = Number(buf.readBigInt64BE(pos + BASE_TIMESTAMP_OFFSET));
  const maxTimestamp = Number(buf.readBigInt64BE(pos + MAX_TIMESTAMP_OFFSET));
  const count = buf.readInt32BE(pos + RECORD_COUNT_OFFSET);
  const c: Cursor = { buf: payload, pos: 0, end: payload.length, where: `${topic}-${partition} batch at offset ${baseOffset}` };
  for (let i = 0; i < count; i++) {
    const length = varint(c);
    const end = c.pos + length;
    if (length < 0 || end > c.end) fail(c, `record length ${length} runs past the batch`);
    c.pos++; // record attributes: unused
    const timestampDelta = varint(c);
    const offsetDelta = varint(c);
    const key = nullableBytes(c);
    const value = nullableBytes(c);
    const headerCount = varint(c);
    if (headerCount < 0 || headerCount > end - c.pos) fail(c, `bad header count ${headerCount}`);
    const headers: RecordHeader[] = new Array<RecordHeader>(headerCount);
    for (let h = 0; h < headerCount; h++) {
      const keyLength = varint(c);
      if (keyLength < 0 || keyLength > end - c.pos) fail(c, `bad header key length ${keyLength}`);
      const headerKey = payload.toString("utf8", c.pos, c.pos + keyLength);
      c.pos += keyLength;
      headers[h] = { key: headerKey, value: nullableBytes(c) };
    }
    if (c.pos !== end) fail(c, `record ${i} is ${length} bytes but its fields end elsewhere`);
    const offset = baseOffset + BigInt(offsetDelta);
    if (offset < from) continue;
    out.push({ topic, partition, offset, timestamp: logAppendTime ? maxTimestamp : baseTimestamp + timestampDelta, logAppendTime, key, value, headers });
  }
}

// Record batches (magic 2) kept as bytes. The broker never decodes the records of a produce
// request: it walks the batch headers, checks sizes, magic and CRC32C, and assigns offsets by
// patching the base offset in place (the CRC starts at `attributes`, after the base offset,
// partition leader epoch and magic, so patching them keeps the CRC valid).
//
// Header layout (big-endian):
//   0 baseOffset int64 | 8 batchLength int32 | 12 partitionLeaderEpoch int32 | 16 magic int8
//  17 crc uint32 | 21 attributes int16 | 23 lastOffsetDelta int32 | 27 baseTimestamp int64
//  35 maxTimestamp int64 | 43 producerId int64 | 51 producerEpoch int16 | 53 baseSequence int32
//  57 recordCount int32 | 61 records...
import { crc32c } from "./compression.ts";

export const BATCH_HEADER_SIZE = 61;
/** Bytes before batchLength's count starts (baseOffset + batchLength). */
export const LOG_OVERHEAD = 12;
const MAGIC_OFFSET = 16;
const CRC_OFFSET = 17;
const ATTRIBUTES_OFFSET = 21;

export const Attributes = {
  compressionMask: 0x07,
  timestampTypeLogAppend: 0x08,
  transactional: 0x10,
  control: 0x20,
  deleteHorizon: 0x40,
} as const;

export class CorruptBatchError extends Error {
  override name = "CorruptBatchError";
}
export class UnsupportedMagicError extends Error {
  override name = "UnsupportedMagicError";
}

/** What the broker needs to know about one batch, read from its header alone. */
export interface BatchInfo {
  /** Position of the batch within the buffer it was read from. */
  position: number;
  /** Total size in bytes, LOG_OVERHEAD included. */
  size: number;
  baseOffset: bigint;
  lastOffsetDelta: number;
  attributes: number;
  baseTimestamp: bigint;
  maxTimestamp: bigint;
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
  recordCount: number;
}

export function readBatchInfo(buf: Buffer, position: number): BatchInfo {
  return {
    position,
    size: buf.readInt32BE(position + 8) + LOG_OVERHEAD,
    baseOffset: buf.readBigInt64BE(position),
    lastOffsetDelta: buf.readInt32BE(position + 23),
    attributes: buf.readInt16BE(position + ATTRIBUTES_OFFSET),
    baseTimestamp: buf.readBigInt64BE(position + 27),
    maxTimestamp: buf.readBigInt64BE(position + 35),
    producerId: buf.readBigInt64BE(position + 43),
    producerEpoch: buf.readInt16BE(position + 51),
    baseSequence: buf.readInt32BE(position + 53),
    recordCount: buf.readInt32BE(position + 57),
  };
}

/**
 * Splits a produce request's records into batches and validates each: complete, magic 2,
 * CRC32C matching, sane counts. Throws CorruptBatchError (→ CORRUPT_MESSAGE) or
 * UnsupportedMagicError (→ UNSUPPORTED_FOR_MESSAGE_FORMAT). Old message formats (magic 0/1)
 * are not accepted: every client since Kafka 0.11 writes magic 2.
 */
export function validateBatches(records: Buffer): BatchInfo[] {
  const batches: BatchInfo[] = [];
  let pos = 0;
  while (pos < records.length) {
    if (records.length - pos < BATCH_HEADER_SIZE) {
      throw new CorruptBatchError(`record batch at byte ${pos} is truncated: ${records.length - pos} bytes left, header needs ${BATCH_HEADER_SIZE}`);
    }
    const magic = records.readInt8(pos + MAGIC_OFFSET);
    if (magic !== 2) throw new UnsupportedMagicError(`record batch magic ${magic} is not supported (only magic 2)`);
    const batchLength = records.readInt32BE(pos + 8);
    const size = batchLength + LOG_OVERHEAD;
    if (batchLength < BATCH_HEADER_SIZE - LOG_OVERHEAD || pos + size > records.length) {
      throw new CorruptBatchError(`record batch at byte ${pos} declares length ${batchLength}, but ${records.length - pos - LOG_OVERHEAD} bytes follow`);
    }
    const expected = records.readUInt32BE(pos + CRC_OFFSET);
    const actual = crc32c(records.subarray(pos + ATTRIBUTES_OFFSET, pos + size));
    if (expected !== actual) {
      throw new CorruptBatchError(`record batch at byte ${pos} fails its CRC32C check (stored ${expected}, computed ${actual})`);
    }
    const info = readBatchInfo(records, pos);
    if (info.recordCount < 0 || info.lastOffsetDelta < 0 || (info.recordCount > 0 && info.lastOffsetDelta < info.recordCount - 1)) {
      throw new CorruptBatchError(`record batch at byte ${pos} has ${info.recordCount} records but lastOffsetDelta ${info.lastOffsetDelta}`);
    }
    batches.push(info);
    pos += size;
  }
  return batches;
}

/** Sets a batch's base offset (and leader epoch) in place; the CRC is unaffected. */
export function assignBaseOffset(buf: Buffer, position: number, baseOffset: bigint, leaderEpoch = 0): void {
  buf.writeBigInt64BE(baseOffset, position);
  buf.writeInt32BE(leaderEpoch, position + 12);
}

/** Sets the max timestamp and the log-append-time flag, then recomputes the CRC. */
export function stampLogAppendTime(buf: Buffer, position: number, timestamp: bigint): void {
  const size = buf.readInt32BE(position + 8) + LOG_OVERHEAD;
  buf.writeInt16BE(buf.readInt16BE(position + ATTRIBUTES_OFFSET) | Attributes.timestampTypeLogAppend, position + ATTRIBUTES_OFFSET);
  buf.writeBigInt64BE(timestamp, position + 35);
  buf.writeUInt32BE(crc32c(buf.subarray(position + ATTRIBUTES_OFFSET, position + size)), position + CRC_OFFSET);
}

export function compressionOf(attributes: number): number {
  return attributes & Attributes.compressionMask;
}
export function isTransactional(attributes: number): boolean {
  return (attributes & Attributes.transactional) !== 0;
}
export function isControlBatch(attributes: number): boolean {
  return (attributes & Attributes.control) !== 0;
}

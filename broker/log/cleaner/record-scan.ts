// Walks the records of a v2 batch's (decompressed) payload without building objects: for each
// record, where its bytes are, its offset and timestamp deltas, where its key is and whether
// its value is null. The cleaner decides record by record from this and copies the kept
// records' bytes unchanged (their deltas stay valid because a rewritten batch keeps its base
// offset and base timestamp); the Produce handler uses it to find records without a key in a
// compacted topic. records.ts decodes fully (keys and values as Buffers), which costs an
// allocation per field; this is the cheap path for the cleaner's hundreds of MB.
//
// Record: length varint | attributes int8 | timestampDelta varlong | offsetDelta varint |
// keyLength varint, key | valueLength varint, value | headers count varint, headers...
import { Attributes, BATCH_HEADER_SIZE, compressionOf, type BatchInfo } from "../../protocol/records/batch.ts";
import { decompress } from "../../protocol/records/compression.ts";

export class RecordFormatError extends Error {
  override name = "RecordFormatError";
}

export class RecordCursor {
  private readonly buf: Buffer;
  private readonly limit: number;
  private remaining: number;
  private pos: number;
  /** Position of the current record's length prefix in the payload. */
  start = 0;
  /** One past the current record's last byte. */
  end = 0;
  offsetDelta = 0;
  /** The timestamp delta (exact below 2^53, which any real timestamp is). */
  timestampDelta = 0;
  /** Key bytes are buf[keyStart, keyEnd); keyStart is -1 for a null key. */
  keyStart = -1;
  keyEnd = -1;
  valueNull = false;

  constructor(payload: Buffer, recordCount: number, start = 0, end = payload.length) {
    this.buf = payload;
    this.pos = start;
    this.limit = end;
    this.remaining = recordCount;
  }

  get payload(): Buffer {
    return this.buf;
  }

  /** Moves to the next record; false after the last one. Throws RecordFormatError on bad bytes. */
  next(): boolean {
    if (this.remaining <= 0) return false;
    this.remaining--;
    this.start = this.pos;
    const length = this.varint();
    const bodyStart = this.pos;
    const end = bodyStart + length;
    if (length < 0 || end > this.limit) throw new RecordFormatError(`record length ${length} runs past the end of the batch`);
    this.pos++; // attributes
    this.timestampDelta = this.varlong();
    this.offsetDelta = this.varint();
    const keyLength = this.varint();
    if (keyLength < -1) throw new RecordFormatError(`negative key length ${keyLength}`);
    if (keyLength === -1) {
      this.keyStart = -1;
      this.keyEnd = -1;
    } else {
      this.keyStart = this.pos;
      this.pos += keyLength;
      this.keyEnd = this.pos;
    }
    const valueLength = this.varint();
    if (valueLength < -1) throw new RecordFormatError(`negative value length ${valueLength}`);
    this.valueNull = valueLength === -1;
    if (this.pos > end || (valueLength > 0 && this.pos + valueLength > end)) throw new RecordFormatError("record fields run past the record's length");
    this.end = end;
    this.pos = end;
    return true;
  }

  private uvarint(): number {
    const b = this.buf;
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.limit) throw new RecordFormatError("varint runs past the end of the batch");
      const byte = b[this.pos++]!;
      result += (byte & 0x7f) * mul;
      if ((byte & 0x80) === 0) return result;
      mul *= 128;
    }
    throw new RecordFormatError("varint longer than 10 bytes");
  }

  private varint(): number {
    const u = this.uvarint();
    // Zigzag without 32-bit operators, so values past 2^31 (varlongs) stay exact.
    return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
  }

  private varlong(): number {
    return this.varint();
  }
}

/** The records payload of the batch at `position` of `buf`, decompressed if needed. */
export function batchPayload(buf: Buffer, position: number, info: Pick<BatchInfo, "attributes" | "size">): Buffer {
  const raw = buf.subarray(position + BATCH_HEADER_SIZE, position + info.size);
  return decompress(compressionOf(info.attributes), raw);
}

export interface KeylessRecord {
  /** The record's index in its batch (what Produce's record_errors call batch_index). */
  batchIndex: number;
}

/**
 * Records without a key in a produce request's batches (already validated), which a
 * compacted topic refuses. Control batches are left alone (they carry no user keys).
 */
export function findKeylessRecords(records: Buffer, batches: readonly BatchInfo[]): KeylessRecord[] {
  const out: KeylessRecord[] = [];
  for (const b of batches) {
    if (b.attributes & Attributes.control) continue;
    const cursor = new RecordCursor(batchPayload(records, b.position, b), b.recordCount);
    for (let i = 0; cursor.next(); i++) if (cursor.keyStart < 0) out.push({ batchIndex: i });
  }
  return out;
}

// Confluent's wire format, the framing every Schema Registry serializer puts around a payload:
//
//   byte 0      magic byte 0
//   bytes 1-4   the schema id, a big-endian signed 32-bit integer
//   (Protobuf)  the message indexes: which message of the .proto file the payload is
//   then        the payload (Avro binary, JSON text, Protobuf binary)
//
// Protobuf's message indexes are Kafka varints (zigzag, as ByteUtils.writeVarint): the count,
// then each index — the path of declaration indexes from the file's top level. The first message
// ([0]), by far the most common, is written as the single byte 0 (a count of 0), and a count of
// 0 reads back as [0], as Confluent's MessageIndexes does.

/** Kafka's org.apache.kafka.common.errors.SerializationException: bytes that are not what a serde expects. */
export class SerializationException extends Error {
  override name = "SerializationException";
}

export const MAGIC_BYTE = 0;
/** The magic byte and the schema id. */
export const HEADER_SIZE = 5;

/** The parts of a framed message. `messageIndexes` only for Protobuf (null otherwise). */
export interface WireMessage {
  readonly schemaId: number;
  readonly messageIndexes: readonly number[] | null;
  /** A view on the input's bytes (not a copy). */
  readonly payload: Buffer;
}

/** Frames a payload: magic byte, schema id, and, for Protobuf, the message indexes. */
export function frame(schemaId: number, payload: Uint8Array, messageIndexes?: readonly number[]): Buffer {
  checkSchemaId(schemaId);
  const indexes = messageIndexes === undefined ? null : encodeMessageIndexes(messageIndexes);
  const out = Buffer.allocUnsafe(HEADER_SIZE + (indexes?.length ?? 0) + payload.length);
  out[0] = MAGIC_BYTE;
  out.writeInt32BE(schemaId, 1);
  let at = HEADER_SIZE;
  if (indexes !== null) {
    out.set(indexes, at);
    at += indexes.length;
  }
  out.set(payload, at);
  return out;
}

/**
 * Splits framed bytes into schema id, message indexes (when `messageIndexes` is asked for: the
 * Protobuf format) and payload. Throws SerializationException on bytes that are not framed.
 */
export function unframe(bytes: Uint8Array, options: { messageIndexes?: boolean } = {}): WireMessage {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length === 0 || buf[0] !== MAGIC_BYTE) throw new SerializationException("Unknown magic byte!");
  if (buf.length < HEADER_SIZE) {
    throw new SerializationException(`Invalid message: ${buf.length} bytes, shorter than the ${HEADER_SIZE}-byte header (magic byte and schema id)`);
  }
  const schemaId = buf.readInt32BE(1);
  if (!options.messageIndexes) return { schemaId, messageIndexes: null, payload: buf.subarray(HEADER_SIZE) };
  const { indexes, next } = readMessageIndexes(buf, HEADER_SIZE);
  return { schemaId, messageIndexes: indexes, payload: buf.subarray(next) };
}

/** Confluent's encoding of Protobuf message indexes ([0] as the single byte 0). */
export function encodeMessageIndexes(indexes: readonly number[]): Buffer {
  if (indexes.length === 1 && indexes[0] === 0) return Buffer.from([0]);
  const parts: number[] = [];
  writeVarint(indexes.length, parts);
  for (const index of indexes) {
    if (!Number.isInteger(index) || index < 0) throw new SerializationException(`Invalid message index ${index}`);
    writeVarint(index, parts);
  }
  return Buffer.from(parts);
}

/** Reads message indexes at `offset`; a count of 0 is the first message, [0]. */
export function readMessageIndexes(buf: Buffer, offset: number): { indexes: number[]; next: number } {
  let at = offset;
  const count = readVarint(buf, at);
  at = count.next;
  if (count.value === 0) return { indexes: [0], next: at };
  // Each index takes at least a byte: a count past the bytes left is garbage, not a reason to allocate.
  if (count.value < 0 || count.value > buf.length - at) {
    throw new SerializationException(`Invalid message indexes: a count of ${count.value} with ${buf.length - at} bytes left`);
  }
  const indexes: number[] = [];
  for (let i = 0; i < count.value; i++) {
    const index = readVarint(buf, at);
    if (index.value < 0) throw new SerializationException(`Invalid message index ${index.value}`);
    indexes.push(index.value);
    at = index.next;
  }
  return { indexes, next: at };
}

function checkSchemaId(id: number): void {
  if (!Number.isInteger(id) || id < -(2 ** 31) || id >= 2 ** 31) throw new SerializationException(`Invalid schema id ${id}: not a 32-bit integer`);
}

/** Kafka's ByteUtils.writeVarint: zigzag, then 7 bits a byte, low bits first. */
function writeVarint(value: number, out: number[]): void {
  let v = ((value << 1) ^ (value >> 31)) >>> 0;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
}

/** Kafka's ByteUtils.readVarint: at most 5 bytes, then the zigzag decoding. */
function readVarint(buf: Buffer, offset: number): { value: number; next: number } {
  let raw = 0;
  let shift = 0;
  let at = offset;
  for (;;) {
    if (at >= buf.length) throw new SerializationException("Invalid message indexes: the bytes end inside a varint");
    const b = buf[at++] as number;
    if (shift === 28 && (b & 0xf0) !== 0) {
      throw new SerializationException("Invalid message indexes: a varint is too long, the most significant bit in the 5th byte is set");
    }
    raw |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) break;
    shift += 7;
  }
  const unsigned = raw >>> 0;
  return { value: (unsigned >>> 1) ^ -(unsigned & 1), next: at };
}

// Compression codecs for the runtime's kafkajs clients: kafkajs ships only gzip, but a sink task
// must read whatever its topics hold (Java producers commonly use snappy, lz4 or zstd), and
// `producer.compression.type` may ask for any of them. Snappy: raw blocks on write (what Java's
// consumers accept), raw or xerial-framed on read (what Java's producers write); LZ4: the frame
// format Kafka uses; ZSTD: Node's built-in zlib.
// kafkajs is CommonJS and Node's ESM loader does not see CompressionCodecs as a named export.
import kafkajs from "kafkajs";
import { compressFrame, decompressFrame } from "lz4-napi";
import { compress as snappyCompress, uncompress as snappyUncompress } from "snappy";
import { promisify } from "node:util";
import { zstdCompress, zstdDecompress } from "node:zlib";

interface Encoder {
  buffer: Buffer;
}
type Codec = () => { compress(encoder: Encoder): Promise<Buffer>; decompress(buffer: Buffer): Promise<Buffer> };

const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER_BYTES = 16;

async function snappyDecompress(buffer: Buffer): Promise<Buffer> {
  if (buffer.length < XERIAL_HEADER_BYTES || !buffer.subarray(0, 8).equals(XERIAL_MAGIC)) {
    return (await snappyUncompress(buffer)) as Buffer;
  }
  const chunks: Buffer[] = [];
  let pos = XERIAL_HEADER_BYTES;
  while (pos + 4 <= buffer.length) {
    const size = buffer.readInt32BE(pos);
    pos += 4;
    chunks.push((await snappyUncompress(buffer.subarray(pos, pos + size))) as Buffer);
    pos += size;
  }
  return Buffer.concat(chunks);
}

const zstdIn = promisify(zstdCompress);
const zstdOut = promisify(zstdDecompress);

const snappy: Codec = () => ({ compress: (e) => snappyCompress(e.buffer), decompress: snappyDecompress });
const lz4: Codec = () => ({ compress: (e) => compressFrame(e.buffer), decompress: (b) => decompressFrame(b) });
const zstd: Codec = () => ({ compress: (e) => zstdIn(e.buffer), decompress: (b) => zstdOut(b) });

let registered = false;

/** Registers the codecs with kafkajs (process-wide; kafkajs keeps one table). Idempotent. */
export function registerKafkajsCodecs(): void {
  if (registered) return;
  registered = true;
  const { CompressionCodecs, CompressionTypes } = kafkajs;
  const table = CompressionCodecs as unknown as Record<number, Codec>;
  table[CompressionTypes.Snappy] ??= snappy;
  table[CompressionTypes.LZ4] ??= lz4;
  table[CompressionTypes.ZSTD] ??= zstd;
}

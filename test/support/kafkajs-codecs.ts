// kafkajs compression codecs for the tests. Snappy uses kafkajs's own codec package
// (kafkajs-snappy). The LZ4 and ZSTD codec packages (kafkajs-lz4 → lz4@0.6, @kafkajs/zstd →
// cppzst) are native addons that no longer build on Node.js 24, so these two codecs are small
// adapters over lz4-napi (LZ4 frame format, as Kafka uses) and Node's built-in zstd.
import { CompressionCodecs, CompressionTypes } from "kafkajs";
import SnappyCodec from "kafkajs-snappy";
import { compressFrame, decompressFrame } from "lz4-napi";
import { promisify } from "node:util";
import { zstdCompress, zstdDecompress } from "node:zlib";

interface Encoder {
  buffer: Buffer;
}

const zstdIn = promisify(zstdCompress);
const zstdOut = promisify(zstdDecompress);

const codec = (compress: (b: Buffer) => Promise<Buffer>, decompress: (b: Buffer) => Promise<Buffer>) => () => ({
  compress: (encoder: Encoder) => compress(encoder.buffer),
  decompress,
});

export function registerKafkajsCodecs(): void {
  CompressionCodecs[CompressionTypes.Snappy] = SnappyCodec as unknown as (typeof CompressionCodecs)[CompressionTypes.Snappy];
  CompressionCodecs[CompressionTypes.LZ4] = codec(compressFrame, (b) => decompressFrame(b)) as unknown as (typeof CompressionCodecs)[CompressionTypes.LZ4];
  CompressionCodecs[CompressionTypes.ZSTD] = codec((b) => zstdIn(b), (b) => zstdOut(b)) as unknown as (typeof CompressionCodecs)[CompressionTypes.ZSTD];
}

// Kafka's record batch compression codecs (attributes bits 0-2). gzip and zstd come from
// Node's zlib (zstd is built in since Node 22.15/23.8); snappy and lz4 from napi-rs bindings.
import { crc32c } from "@node-rs/crc32";
import { compressFrameSync, decompressFrameSync } from "lz4-napi";
import { compressSync as snappyCompress, uncompressSync as snappyUncompress } from "snappy";
import { gunzipSync, gzipSync, zstdCompressSync, zstdDecompressSync } from "node:zlib";

export { crc32c };

export const Compression = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 } as const;
export type CompressionType = (typeof Compression)[keyof typeof Compression];
export const COMPRESSION_NAMES = ["none", "gzip", "snappy", "lz4", "zstd"] as const;

export class UnsupportedCompressionError extends Error {
  override name = "UnsupportedCompressionError";
}

// The Java client frames snappy data the way xerial's SnappyOutputStream does: a 16-byte
// header (magic, version, compatible version) and then blocks of [int32 length][raw snappy].
// librdkafka and others read both that and plain raw snappy, so we do too.
const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER_SIZE = 16;

function unsnappy(data: Buffer): Buffer {
  if (data.length >= XERIAL_HEADER_SIZE && data.subarray(0, 8).equals(XERIAL_MAGIC)) {
    const blocks: Buffer[] = [];
    let pos = XERIAL_HEADER_SIZE;
    while (pos < data.length) {
      if (pos + 4 > data.length) throw new Error("truncated xerial snappy block header");
      const len = data.readInt32BE(pos);
      pos += 4;
      if (len < 0 || pos + len > data.length) throw new Error("truncated xerial snappy block");
      blocks.push(snappyUncompress(data.subarray(pos, pos + len)) as Buffer);
      pos += len;
    }
    return blocks.length === 1 ? (blocks[0] as Buffer) : Buffer.concat(blocks);
  }
  return snappyUncompress(data) as Buffer;
}

export function decompress(type: number, data: Buffer): Buffer {
  switch (type) {
    case Compression.none:
      return data;
    case Compression.gzip:
      return gunzipSync(data);
    case Compression.snappy:
      return unsnappy(data);
    case Compression.lz4:
      return decompressFrameSync(data);
    case Compression.zstd:
      return zstdDecompressSync(data);
    default:
      throw new UnsupportedCompressionError(`unknown compression type ${type}`);
  }
}

export function compress(type: number, data: Buffer): Buffer {
  switch (type) {
    case Compression.none:
      return data;
    case Compression.gzip:
      return gzipSync(data);
    case Compression.snappy:
      return snappyCompress(data);
    case Compression.lz4:
      return compressFrameSync(data);
    case Compression.zstd:
      return zstdCompressSync(data);
    default:
      throw new UnsupportedCompressionError(`unknown compression type ${type}`);
  }
}

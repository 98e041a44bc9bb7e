// The records of Kafka Connect's offset topic (offset.storage.topic), as Kafka's
// OffsetStorageWriter and KafkaOffsetBackingStore write them, by the internal converter:
//   key    ["<connector>",{<source partition>}]
//   value  {<source offset>}, or null (a tombstone: the offset was reset, KIP-875)
// The bytes come from ../offset-codec.ts (which also orders a partition's keys the way the Java
// HashMap a typical connector builds does, since offsets are looked up by the key bytes). Each
// record goes to the partition the Java producer's default partitioner picks from the key bytes
// (murmur2), so Kafka Connect and the hub agree where a source partition's offsets live.
import type { SourceMap } from "../../api/index.ts";
import { parseOffsetKey as parseKeyStrict, parseOffsetValue as parseValueStrict, serializeOffsetKey, serializeOffsetValue } from "../offset-codec.ts";
import { partitionForKey } from "./murmur2.ts";

export type SourcePartition = SourceMap;
export type SourceOffset = SourceMap;

export function offsetKey(connector: string, partition: SourcePartition): Buffer {
  return serializeOffsetKey(connector, partition);
}

export function offsetValue(offset: SourceOffset | null, connector = ""): Buffer | null {
  return serializeOffsetValue(connector, offset);
}

/** The connector and source partition of an offset key; null for a key Kafka would skip. */
export function parseOffsetKey(key: Buffer | null): { connector: string; partition: SourcePartition } | null {
  if (key === null) return null;
  try {
    const parsed = parseKeyStrict(key);
    return parsed.partition === null ? null : { connector: parsed.connector, partition: parsed.partition };
  } catch {
    return null;
  }
}

/** The source offset of an offset value (null for a tombstone or a value that is not a map). */
export function parseOffsetValue(value: Buffer | null): SourceOffset | null {
  try {
    return parseValueStrict(value);
  } catch {
    return null;
  }
}

/** The offset topic partition of a key, the Java producer's choice. */
export function offsetTopicPartition(key: Buffer, partitions: number): number {
  return partitionForKey(key, partitions);
}

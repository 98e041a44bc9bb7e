// Source offsets as Kafka Connect stores them (OffsetStorageWriter / OffsetStorageReaderImpl):
// key = ["<connector>",{partition}] and value = {offset}, both written by a JsonConverter with
// schemas.enable=false (Kafka's internal converters since KIP-174). The key bytes are what a
// reader looks offsets up by, so they must come out exactly as Kafka writes them: a partition
// with several keys is written in the order a Java HashMap built by successive put()s iterates
// them (what most Java connectors hand Connect: Debezium, MirrorMaker's
// {cluster,partition,topic}), so a hub worker and a Kafka Connect worker sharing an offsets
// topic find each other's offsets.
import { DataException, type SourceMap } from "../api/index.ts";
import { JsonConverter } from "../converters/json-converter.ts";

const keyConverter = new JsonConverter();
keyConverter.configure({ "schemas.enable": "false" }, true);
const valueConverter = new JsonConverter();
valueConverter.configure({ "schemas.enable": "false" }, false);

/** Java's String.hashCode (UTF-16 code units, 32-bit wrap-around). */
function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/**
 * The keys in the order a `new HashMap<>()` filled by put() in the given order iterates them:
 * the table starts at 16 buckets and doubles when it holds more than 3/4 of its capacity; a
 * resize splits each bucket keeping its entries' order, so the final order is by bucket index
 * in the final table, then by insertion (trees of 8+ colliding keys are not modelled).
 */
export function javaHashMapPutOrder(keys: readonly string[]): string[] {
  if (keys.length < 2) return [...keys];
  let capacity = 16;
  while (keys.length > capacity * 0.75) capacity *= 2;
  return keys
    .map((key, index) => {
      const h = javaStringHash(key);
      return { key, index, bucket: (h ^ (h >>> 16)) & (capacity - 1) };
    })
    .sort((a, b) => a.bucket - b.bucket || a.index - b.index)
    .map((e) => e.key);
}

function describeType(value: unknown): string {
  if (Array.isArray(value)) return "ARRAY";
  if (value instanceof Map || (typeof value === "object" && value !== null)) return "MAP";
  return typeof value;
}

/**
 * Kafka's OffsetUtils.validateFormat: string keys, values null or primitive (strings, numbers,
 * bigints, booleans, bytes).
 */
export function validateOffsetFormat(data: SourceMap | null): void {
  if (data === null || data === undefined) return;
  if (typeof data !== "object" || Array.isArray(data)) throw new DataException("Offsets must be specified as a Map");
  for (const [key, value] of Object.entries(data)) {
    if (value === null || value === undefined) continue;
    const t = typeof value;
    if (t === "string" || t === "number" || t === "bigint" || t === "boolean" || value instanceof Uint8Array) continue;
    throw new DataException(`Offsets may only contain primitive types as values, but field ${key} contains ${describeType(value)}`);
  }
}

function asOrderedMap(data: SourceMap): Map<string, unknown> {
  const map = new Map<string, unknown>();
  for (const key of javaHashMapPutOrder(Object.keys(data))) map.set(key, data[key] ?? null);
  return map;
}

/** The offset store key of a connector's source partition (a null partition is allowed, as in Kafka). */
export function serializeOffsetKey(connector: string, partition: SourceMap | null): Buffer {
  validateOffsetFormat(partition);
  const bytes = keyConverter.fromConnectData(connector, null, null, [connector, partition === null ? null : asOrderedMap(partition)]);
  if (bytes === null) throw new DataException("offset key serialized to null");
  return bytes;
}

/** The offset store value of an offset; null (a tombstone: no offset) stays null. */
export function serializeOffsetValue(connector: string, offset: SourceMap | null): Buffer | null {
  validateOffsetFormat(offset);
  if (offset === null) return null;
  return valueConverter.fromConnectData(connector, null, null, asOrderedMap(offset));
}

function isPlainMap(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

/** The connector and partition of a stored key; throws DataException for keys of another shape. */
export function parseOffsetKey(key: Buffer): { connector: string; partition: SourceMap | null } {
  const { value } = keyConverter.toConnectData("", null, key);
  if (!Array.isArray(value) || value.length !== 2 || typeof value[0] !== "string") {
    throw new DataException(`Ignoring offset partition key with an unexpected format: ${key.toString("utf8")}`);
  }
  const partition: unknown = value[1];
  if (partition !== null && !isPlainMap(partition)) throw new DataException(`Ignoring offset partition key with an unexpected format for the second element in the partition key list: ${key.toString("utf8")}`);
  return { connector: value[0], partition: partition as SourceMap | null };
}

/** The offset a stored value holds (null for a tombstone or an empty value). */
export function parseOffsetValue(value: Buffer | null): SourceMap | null {
  if (value === null) return null;
  const { value: data } = valueConverter.toConnectData("", null, value);
  if (data === null) return null;
  if (!isPlainMap(data)) throw new DataException("Should be a map but got something else");
  return data;
}

/** The string the OffsetBackingStore's get() keys its answer by: the key's JSON text. */
export function offsetMapKey(key: Buffer): string {
  return key.toString("utf8");
}

// Source offsets in Kafka Connect's stored form: the key ["<connector>",{partition}] and the value
// {offset} as a schemaless JsonConverter writes them, multi-key partitions in Java HashMap order
// (the orders below, and that of the value with four keys, were printed by a JVM for HashMaps
// filled by put() in the same order).
import { describe, expect, it } from "vitest";
import { DataException } from "../../../../connect/api/index.ts";
import { javaHashMapPutOrder, parseOffsetKey, parseOffsetValue, serializeOffsetKey, serializeOffsetValue, validateOffsetFormat } from "../../../../connect/storage/offset-codec.ts";

describe("offset keys and values", () => {
  it("writes Kafka's bytes", () => {
    expect(serializeOffsetKey("file-source", { filename: "/tmp/in.txt" }).toString()).toBe('["file-source",{"filename":"/tmp/in.txt"}]');
    expect(serializeOffsetValue("file-source", { position: 1234 })?.toString()).toBe('{"position":1234}');
    expect(serializeOffsetValue("c", { big: 9007199254740993n, ratio: 0.5, ok: true, none: null })?.toString()).toBe('{"big":9007199254740993,"none":null,"ok":true,"ratio":0.5}');
    expect(serializeOffsetKey("c", null).toString()).toBe('["c",null]');
    expect(serializeOffsetValue("c", null)).toBeNull();
  });

  it("orders multi-key maps as a Java HashMap iterates them", () => {
    expect(javaHashMapPutOrder(["topic", "partition", "cluster"])).toEqual(["cluster", "partition", "topic"]);
    expect(javaHashMapPutOrder(["server", "database"])).toEqual(["server", "database"]);
    expect(javaHashMapPutOrder(["zeta", "alpha", "mid", "table", "schema", "query", "filename", "position"])).toEqual(["zeta", "schema", "filename", "alpha", "query", "mid", "position", "table"]);
    // 14 keys: past 12 the table doubles to 32 buckets.
    expect(javaHashMapPutOrder(Array.from({ length: 14 }, (_, i) => `key${i}`))).toEqual(["key1", "key2", "key0", "key5", "key6", "key3", "key4", "key9", "key7", "key8", "key11", "key10", "key13", "key12"]);
    // MirrorMaker's source partitions, as MirrorSourceConnector writes them.
    expect(serializeOffsetKey("mm2", { topic: "t", partition: 0, cluster: "primary" }).toString()).toBe('["mm2",{"cluster":"primary","partition":0,"topic":"t"}]');
  });

  it("reads them back", () => {
    expect(parseOffsetKey(Buffer.from('["mm2",{"cluster":"primary","partition":0}]'))).toEqual({ connector: "mm2", partition: { cluster: "primary", partition: 0 } });
    expect(parseOffsetValue(Buffer.from('{"offset":9007199254740993}'))).toEqual({ offset: 9007199254740993n });
    expect(parseOffsetValue(null)).toBeNull();
    expect(() => parseOffsetKey(Buffer.from('{"not":"a list"}'))).toThrow(DataException);
    expect(() => parseOffsetKey(Buffer.from('["c","x"]'))).toThrow(DataException);
    expect(() => parseOffsetValue(Buffer.from("[1,2]"))).toThrow("Should be a map but got something else");
  });

  it("refuses non-primitive values, as Kafka's OffsetUtils.validateFormat", () => {
    expect(() => validateOffsetFormat({ nested: { a: 1 } })).toThrow("Offsets may only contain primitive types as values, but field nested contains MAP");
    expect(() => validateOffsetFormat({ list: [1] })).toThrow("Offsets may only contain primitive types as values, but field list contains ARRAY");
    expect(() => serializeOffsetKey("c", { nested: { a: 1 } })).toThrow(DataException);
    expect(() => validateOffsetFormat({ s: "x", n: 1, b: Buffer.from("x"), z: null })).not.toThrow();
  });
});

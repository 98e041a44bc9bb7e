import { describe, expect, it } from "vitest";
import { ConfigException, DataException, Schema, SchemaAndValue } from "../../../../connect/api/index.ts";
import { BooleanConverter, BooleanHeaderConverter } from "../../../../connect/converters/boolean-converter.ts";
import { converterPlugins } from "../../../../connect/converters/index.ts";

describe("BooleanConverter", () => {
  const converter = (): BooleanConverter => {
    const c = new BooleanConverter();
    c.configure({}, false);
    return c;
  };

  it("writes Kafka's BooleanSerializer bytes: 0x01 for true, 0x00 for false, null for null", () => {
    const c = converter();
    expect(c.fromConnectData("t", null, Schema.BOOLEAN_SCHEMA, true)).toEqual(Buffer.from([1]));
    expect(c.fromConnectData("t", null, Schema.OPTIONAL_BOOLEAN_SCHEMA, false)).toEqual(Buffer.from([0]));
    expect(c.fromConnectData("t", null, null, true)).toEqual(Buffer.from([1]));
    expect(c.fromConnectData("t", null, Schema.OPTIONAL_BOOLEAN_SCHEMA, null)).toBeNull();
    expect(c.fromConnectData("t", null, null, null)).toBeNull();
  });

  it("reads an optional BOOLEAN", () => {
    const c = converter();
    expect(c.toConnectData("t", null, Buffer.from([1]))).toEqual(new SchemaAndValue(Schema.OPTIONAL_BOOLEAN_SCHEMA, true));
    expect(c.toConnectData("t", null, Buffer.from([0]))).toEqual(new SchemaAndValue(Schema.OPTIONAL_BOOLEAN_SCHEMA, false));
    const tombstone = c.toConnectData("t", null, null);
    expect(tombstone.schema).toBe(Schema.OPTIONAL_BOOLEAN_SCHEMA);
    expect(tombstone.value).toBeNull();
  });

  it("refuses other schemas and values with Kafka's messages", () => {
    const c = converter();
    expect(() => c.fromConnectData("t", null, Schema.INT32_SCHEMA, true)).toThrow(new DataException("Invalid schema type for BooleanConverter: INT32"));
    // The schema is checked first, even for a null value.
    expect(() => c.fromConnectData("t", null, Schema.OPTIONAL_STRING_SCHEMA, null)).toThrow("Invalid schema type for BooleanConverter: STRING");
    expect(() => c.fromConnectData("t", null, null, "true")).toThrow(new DataException("BooleanConverter is not compatible with objects of type string"));
    expect(() => c.fromConnectData("t", null, null, 1)).toThrow(DataException);
  });

  it("refuses bytes that are not exactly one 0 or 1, as Kafka's BooleanDeserializer", () => {
    const c = converter();
    expect(() => c.toConnectData("t", null, Buffer.alloc(0))).toThrow(new DataException("Failed to deserialize boolean: Size of data received by BooleanDeserializer is not 1"));
    expect(() => c.toConnectData("t", null, Buffer.from([1, 0]))).toThrow("Size of data received by BooleanDeserializer is not 1");
    expect(() => c.toConnectData("t", null, Buffer.from([5]))).toThrow(new DataException("Failed to deserialize boolean: Unexpected byte received by BooleanDeserializer: 5"));
    // Java's byte is signed.
    expect(() => c.toConnectData("t", null, Buffer.from([0xff]))).toThrow("Unexpected byte received by BooleanDeserializer: -1");
  });

  it("is a header converter with the same bytes", () => {
    const h = new BooleanHeaderConverter();
    h.configure({});
    expect(h.fromConnectHeader("t", "k", Schema.BOOLEAN_SCHEMA, true)).toEqual(Buffer.from([1]));
    expect(h.toConnectHeader("t", "k", Buffer.from([0]))).toEqual(new SchemaAndValue(Schema.OPTIONAL_BOOLEAN_SCHEMA, false));
    expect(() => h.toConnectHeader("t", "k", Buffer.from([2]))).toThrow("Unexpected byte received by BooleanDeserializer: 2");
  });

  it("has only Kafka's converter.type key and checks it", () => {
    expect(new BooleanConverter().config().names()).toEqual(["converter.type"]);
    expect(() => new BooleanHeaderConverter().configure({ "converter.type": "sideways" })).toThrow(ConfigException);
  });

  it("is registered under Kafka's class name as a converter and a header converter", () => {
    const roles = converterPlugins.filter((p) => p.aliases.includes("org.apache.kafka.connect.converters.BooleanConverter")).map((p) => p.kind);
    expect(roles.sort()).toEqual(["converter", "header-converter"]);
  });
});

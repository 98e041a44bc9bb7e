import { describe, expect, it } from "vitest";
import { ConfigException, ConnectDate, DataException, Decimal, Schema, SchemaAndValue, SchemaBuilder, Struct } from "../../../../connect/api/index.ts";
import { ByteArrayConverter } from "../../../../connect/converters/byte-array-converter.ts";
import { converterPlugins } from "../../../../connect/converters/index.ts";
import { DoubleConverter, FloatConverter, IntegerConverter, LongConverter, type NumberConverter, ShortConverter } from "../../../../connect/converters/number-converters.ts";
import { SimpleHeaderConverter } from "../../../../connect/converters/simple-header-converter.ts";
import { StringConverter } from "../../../../connect/converters/string-converter.ts";

describe("StringConverter", () => {
  it("writes text in the configured encoding and reads an optional string", () => {
    const c = new StringConverter();
    c.configure({}, false);
    expect(c.fromConnectData("t", null, Schema.STRING_SCHEMA, "héllo")).toEqual(Buffer.from("héllo"));
    expect(c.fromConnectData("t", null, Schema.FLOAT64_SCHEMA, 1)).toEqual(Buffer.from("1.0"));
    expect(c.fromConnectData("t", null, null, null)).toBeNull();
    expect(c.toConnectData("t", null, Buffer.from("x"))).toEqual(new SchemaAndValue(Schema.OPTIONAL_STRING_SCHEMA, "x"));
    expect(c.toConnectData("t", null, null).schema).toBe(Schema.OPTIONAL_STRING_SCHEMA);
    const utf16 = new StringConverter();
    utf16.configure({ "converter.encoding": "UTF-16" }, true);
    expect(utf16.fromConnectData("t", null, null, "a")?.toString("hex")).toBe("feff0061");
    expect(utf16.toConnectData("t", null, Buffer.from("fffe6100", "hex")).value).toBe("a");
    expect(() => new StringConverter().configure({ "converter.encoding": "EBCDIC-X" }, false)).toThrow(ConfigException);
    const s = SchemaBuilder.struct().field("a", Schema.INT32_SCHEMA).build();
    expect(c.fromConnectData("t", null, s, new Struct(s).put("a", 1))?.toString()).toBe("Struct{a=1}");
  });
});

describe("ByteArrayConverter", () => {
  it("passes bytes through and refuses anything else", () => {
    const c = new ByteArrayConverter();
    c.configure({}, false);
    const bytes = Buffer.from([0, 255]);
    expect(c.fromConnectData("t", null, Schema.BYTES_SCHEMA, bytes)).toBe(bytes);
    expect(c.fromConnectData("t", null, null, new Uint8Array([1]))).toEqual(Buffer.from([1]));
    expect(c.toConnectData("t", null, bytes)).toEqual(new SchemaAndValue(Schema.OPTIONAL_BYTES_SCHEMA, bytes));
    expect(() => c.fromConnectData("t", null, Schema.STRING_SCHEMA, "x")).toThrow("Invalid schema type for ByteArrayConverter: STRING");
    expect(() => c.fromConnectData("t", null, null, "x")).toThrow("ByteArrayConverter is not compatible with objects of type string");
  });
});

describe("number converters", () => {
  it("write Kafka's big-endian bytes and read them back", () => {
    const cases: [NumberConverter, unknown, string, Schema][] = [
      [new ShortConverter(), -2, "fffe", Schema.OPTIONAL_INT16_SCHEMA],
      [new IntegerConverter(), 70000, "00011170", Schema.OPTIONAL_INT32_SCHEMA],
      [new LongConverter(), -9223372036854775808n, "8000000000000000", Schema.OPTIONAL_INT64_SCHEMA],
      [new FloatConverter(), 1.5, "3fc00000", Schema.OPTIONAL_FLOAT32_SCHEMA],
      [new DoubleConverter(), -2.5e-8, "be5ad7f29abcaf48", Schema.OPTIONAL_FLOAT64_SCHEMA],
    ];
    for (const [c, value, hex, schema] of cases) {
      expect((c.fromConnectData("t", null, null, value) as Buffer).toString("hex")).toBe(hex);
      expect(c.toConnectData("t", null, Buffer.from(hex, "hex"))).toEqual(new SchemaAndValue(schema, value));
      expect(c.toConnectData("t", null, null)).toEqual(new SchemaAndValue(schema, null));
    }
    expect((new LongConverter().fromConnectData("t", null, null, 5) as Buffer).toString("hex")).toBe("0000000000000005");
    expect(() => new IntegerConverter().fromConnectData("t", null, null, "5")).toThrow("Failed to serialize to integer (was string)");
    expect(() => new ShortConverter().fromConnectData("t", null, null, 70000)).toThrow(DataException);
    expect(() => new IntegerConverter().toConnectData("t", null, Buffer.alloc(3))).toThrow("Failed to deserialize integer: Size of data received by IntegerDeserializer is not 4");
  });
});

describe("SimpleHeaderConverter", () => {
  it("writes header text and infers types when reading", () => {
    const c = new SimpleHeaderConverter();
    c.configure({});
    const round = (schema: Schema | null, value: unknown): SchemaAndValue => c.toConnectHeader("t", "h", c.fromConnectHeader("t", "h", schema, value));
    expect(round(Schema.INT32_SCHEMA, 70000)).toEqual(new SchemaAndValue(Schema.INT32_SCHEMA, 70000));
    expect(round(Schema.STRING_SCHEMA, "x").value).toBe("x");
    expect(round(ConnectDate.SCHEMA, new Date(0)).schema).toBe(ConnectDate.SCHEMA);
    expect((round(Decimal.schema(2), Decimal.parse("1.25")).value as number).toFixed(2)).toBe("1.25");
    expect(c.fromConnectHeader("t", "h", Schema.OPTIONAL_STRING_SCHEMA, null)).toBeNull();
    expect(c.toConnectHeader("t", "h", null)).toBe(SchemaAndValue.NULL);
    expect(c.toConnectHeader("t", "h", Buffer.alloc(0))).toEqual(new SchemaAndValue(Schema.STRING_SCHEMA, ""));
  });
});

describe("converter descriptors", () => {
  it("cover Kafka's converter classes, one descriptor per role", () => {
    const keys = converterPlugins.map((p) => `${p.kind} ${p.aliases[0]}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const cls of ["org.apache.kafka.connect.json.JsonConverter", "org.apache.kafka.connect.storage.StringConverter", "org.apache.kafka.connect.converters.ByteArrayConverter", "org.apache.kafka.connect.converters.IntegerConverter", "org.apache.kafka.connect.converters.LongConverter", "org.apache.kafka.connect.converters.ShortConverter", "org.apache.kafka.connect.converters.FloatConverter", "org.apache.kafka.connect.converters.DoubleConverter"]) {
      expect(keys, cls).toContain(`converter ${cls}`);
      expect(keys, cls).toContain(`header-converter ${cls}`);
    }
    expect(keys).toContain("header-converter org.apache.kafka.connect.storage.SimpleHeaderConverter");
    for (const p of converterPlugins) {
      const instance = p.create();
      expect(instance.config().names()).toEqual(p.configDef.names());
      expect(p.version).toMatch(/^\d+\.\d+\.\d+/);
    }
  });
});

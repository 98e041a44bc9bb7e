import { describe, expect, it } from "vitest";
import { ConnectDate, ConnectTime, ConnectTimestamp, DataException, Decimal, Schema, SchemaBuilder, Struct, valueEquals } from "../../../../connect/api/index.ts";
import { ANYTHING_SCHEMA, AvroData } from "../../../../registry/converters/avro-data.ts";
import { decodeAvro, encodeAvro, GenericRecord, UnionBranch } from "../../../../registry/serde/avro/binary.ts";
import { parseAvroSchema, printAvroSchema } from "../../../../registry/serde/avro/schema.ts";
import { everyTypeStruct, structOf } from "./every-type.ts";

const data = new AvroData();

/** Connect schema -> Avro text -> (as a registry would return it) Avro schema -> Connect schema. */
function viaText(schema: Schema, avroData = data): { text: string; back: Schema | null } {
  const text = printAvroSchema(avroData.fromConnectSchema(schema));
  return { text, back: avroData.toConnectSchema(parseAvroSchema(text)) };
}

/** A value through Avro binary and back, as the converter does. */
function roundTrip(schema: Schema, value: unknown, avroData = data): unknown {
  const avro = avroData.fromConnectSchema(schema);
  const bytes = encodeAvro(avro, avroData.fromConnectData(schema, avro, value));
  const reread = parseAvroSchema(printAvroSchema(avro));
  return avroData.toConnectData(reread, decodeAvro(reread, bytes)).value;
}

describe("AvroData: Connect schemas to Avro, as Confluent's AvroData", () => {
  it("maps each primitive type", () => {
    const cases: Array<[Schema, string]> = [
      [Schema.INT8_SCHEMA, '{"type":"int","connect.type":"int8"}'],
      [Schema.INT16_SCHEMA, '{"type":"int","connect.type":"int16"}'],
      [Schema.INT32_SCHEMA, '"int"'],
      [Schema.INT64_SCHEMA, '"long"'],
      [Schema.FLOAT32_SCHEMA, '"float"'],
      [Schema.FLOAT64_SCHEMA, '"double"'],
      [Schema.BOOLEAN_SCHEMA, '"boolean"'],
      [Schema.STRING_SCHEMA, '"string"'],
      [Schema.BYTES_SCHEMA, '"bytes"'],
      [Schema.OPTIONAL_STRING_SCHEMA, '["null","string"]'],
      [Schema.OPTIONAL_INT8_SCHEMA, '["null",{"type":"int","connect.type":"int8"}]'],
    ];
    for (const [schema, text] of cases) {
      expect(printAvroSchema(data.fromConnectSchema(schema))).toBe(text);
      expect(viaText(schema).back?.equals(schema)).toBe(true);
    }
  });

  it("maps the logical types with Avro's logical types and Connect's names", () => {
    expect(viaText(Decimal.schema(2)).text).toBe(
      '{"type":"bytes","scale":2,"precision":64,"connect.version":1,"connect.parameters":{"scale":"2"},"connect.name":"org.apache.kafka.connect.data.Decimal","logicalType":"decimal"}',
    );
    const precise = Decimal.builder(3).parameter("connect.decimal.precision", "10").build();
    expect(viaText(precise).text).toBe(
      '{"type":"bytes","scale":3,"precision":10,"connect.version":1,"connect.parameters":{"scale":"3","connect.decimal.precision":"10"},"connect.name":"org.apache.kafka.connect.data.Decimal","logicalType":"decimal"}',
    );
    expect(viaText(ConnectDate.SCHEMA).text).toBe('{"type":"int","connect.version":1,"connect.name":"org.apache.kafka.connect.data.Date","logicalType":"date"}');
    expect(viaText(ConnectTime.SCHEMA).text).toBe('{"type":"int","connect.version":1,"connect.name":"org.apache.kafka.connect.data.Time","logicalType":"time-millis"}');
    expect(viaText(ConnectTimestamp.SCHEMA).text).toBe(
      '{"type":"long","connect.version":1,"connect.name":"org.apache.kafka.connect.data.Timestamp","logicalType":"timestamp-millis"}',
    );
    for (const schema of [Decimal.schema(2), precise, ConnectDate.SCHEMA, ConnectTime.SCHEMA, ConnectTimestamp.SCHEMA]) expect(viaText(schema).back?.equals(schema)).toBe(true);
  });

  it("reads logical types written by other producers (no connect.* attributes)", () => {
    const decimal = data.toConnectSchema(parseAvroSchema('{"type":"bytes","logicalType":"decimal","precision":10,"scale":4}'));
    expect(decimal?.equals(Decimal.builder(4).parameter("connect.decimal.precision", "10").build())).toBe(true);
    expect(data.toConnectSchema(parseAvroSchema('{"type":"int","logicalType":"date"}'))?.equals(ConnectDate.SCHEMA)).toBe(true);
    expect(data.toConnectSchema(parseAvroSchema('{"type":"long","logicalType":"timestamp-millis"}'))?.equals(ConnectTimestamp.SCHEMA)).toBe(true);
    expect(data.toConnectSchema(parseAvroSchema('{"type":"long","logicalType":"timestamp-micros"}'))?.equals(Schema.INT64_SCHEMA)).toBe(true);
    const fixedDecimal = data.toConnectSchema(parseAvroSchema('{"type":"fixed","name":"D","size":8,"logicalType":"decimal","precision":18,"scale":2}'));
    expect(fixedDecimal?.name).toBe("org.apache.kafka.connect.data.Decimal");
    expect(fixedDecimal?.parameters?.get("connect.fixed.size")).toBe("8");
  });

  it("maps structs to records, optional fields to null-first unions with a null default", () => {
    const schema = SchemaBuilder.struct()
      .name("com.example.User")
      .version(2)
      .doc("a user")
      .field("id", Schema.INT64_SCHEMA)
      .field("email", Schema.OPTIONAL_STRING_SCHEMA)
      .field("retries", SchemaBuilder.int32().defaultValue(3).build())
      .field("nick", SchemaBuilder.string().optional().defaultValue("anon").build())
      .build();
    const { text, back } = viaText(schema);
    expect(text).toBe(
      '{"type":"record","name":"User","namespace":"com.example","fields":[' +
        '{"name":"id","type":"long"},' +
        '{"name":"email","type":["null","string"],"default":null},' +
        '{"name":"retries","type":{"type":"int","connect.default":3},"default":3},' +
        '{"name":"nick","type":[{"type":"string","connect.default":"anon"},"null"],"default":"anon"}' +
        '],"connect.doc":"a user","connect.version":2,"connect.name":"com.example.User"}',
    );
    expect(back?.equals(schema)).toBe(true);
  });

  it("names unnamed structs ConnectDefault, ConnectDefault2, ... and reuses a named struct", () => {
    const address = SchemaBuilder.struct().name("com.example.Address").field("city", Schema.STRING_SCHEMA).build();
    const schema = SchemaBuilder.struct()
      .field("a", SchemaBuilder.struct().field("x", Schema.INT32_SCHEMA).build())
      .field("home", address)
      .field("work", SchemaBuilder.struct().name("com.example.Address").field("city", Schema.STRING_SCHEMA).optional().build())
      .build();
    const { text, back } = viaText(schema);
    expect(text).toBe(
      '{"type":"record","name":"ConnectDefault","namespace":"io.confluent.connect.avro","fields":[' +
        '{"name":"a","type":{"type":"record","name":"ConnectDefault2","fields":[{"name":"x","type":"int"}]}},' +
        '{"name":"home","type":{"type":"record","name":"Address","namespace":"com.example","fields":[{"name":"city","type":"string"}],"connect.name":"com.example.Address"}},' +
        '{"name":"work","type":["null","com.example.Address"],"default":null}]}',
    );
    expect(back?.equals(schema)).toBe(true);
  });

  it("maps arrays, string-keyed maps to Avro maps and other maps to arrays of MapEntry records", () => {
    const schema = SchemaBuilder.struct()
      .name("M")
      .field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA).build())
      .field("counts", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT64_SCHEMA).build())
      .field("byId", SchemaBuilder.map(Schema.INT32_SCHEMA, Schema.OPTIONAL_STRING_SCHEMA).build())
      .build();
    const { text, back } = viaText(schema);
    expect(text).toBe(
      '{"type":"record","name":"M","fields":[' +
        '{"name":"tags","type":{"type":"array","items":"string"}},' +
        '{"name":"counts","type":{"type":"map","values":"long"}},' +
        '{"name":"byId","type":{"type":"array","items":{"type":"record","name":"MapEntry","namespace":"io.confluent.connect.avro","fields":[{"name":"key","type":"int"},{"name":"value","type":["null","string"],"default":null}]}}}' +
        '],"connect.name":"M"}',
    );
    expect(back?.equals(schema)).toBe(true);
  });

  it("leaves the connect.* attributes out with connect.meta.data=false", () => {
    const plain = new AvroData({ connectMetaData: false });
    const schema = SchemaBuilder.struct().name("com.example.P").version(3).field("d", ConnectDate.SCHEMA).build();
    expect(viaText(schema, plain).text).toBe('{"type":"record","name":"P","namespace":"com.example","fields":[{"name":"d","type":{"type":"int","logicalType":"date"}}]}');
  });

  it("reads Avro enums as strings with their symbols, and writes them back as enums with enhanced.avro.schema.support", () => {
    const text = '{"type":"enum","name":"Color","namespace":"com.example","symbols":["RED","GREEN"]}';
    const schema = data.toConnectSchema(parseAvroSchema(text)) as Schema;
    expect(schema.type).toBe("STRING");
    expect(schema.name).toBe("com.example.Color");
    expect(Object.fromEntries(schema.parameters ?? [])).toEqual({
      "io.confluent.connect.avro.Enum": "com.example.Color",
      "io.confluent.connect.avro.Enum.RED": "RED",
      "io.confluent.connect.avro.Enum.GREEN": "GREEN",
    });
    const enhanced = new AvroData({ enhancedSchemaSupport: true });
    const again = enhanced.fromConnectSchema(schema);
    expect(again.kind).toBe("enum");
    expect(printAvroSchema(again)).toMatch(/^\{"type":"enum","name":"Color","namespace":"com.example","symbols":\["RED","GREEN"\],/);
    // Without it, a string that remembers its symbols.
    expect(data.fromConnectSchema(schema).kind).toBe("primitive");
    // Values: the symbol, both ways.
    const avro = enhanced.fromConnectSchema(schema);
    expect(decodeAvro(avro, encodeAvro(avro, enhanced.fromConnectData(schema, avro, "GREEN")))).toBe("GREEN");
    expect(() => enhanced.fromConnectData(schema, avro, "BLUE")).toThrow("Invalid value \"BLUE\" for Avro enum com.example.Color: not one of RED, GREEN");
  });

  it("reads general unions as io.confluent.connect.avro.Union structs", () => {
    const avro = parseAvroSchema('["null","int","string",{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}]');
    const schema = data.toConnectSchema(avro) as Schema;
    expect(schema.name).toBe("io.confluent.connect.avro.Union");
    expect(schema.optional).toBe(true);
    expect(schema.fields.map((f) => [f.name, f.schema.type, f.schema.optional])).toEqual([
      ["int", "INT32", true],
      ["string", "STRING", true],
      ["R", "STRUCT", true],
    ]);
    const value = data.toConnectData(avro, new UnionBranch(2, "x")).value as Struct;
    expect(value.get("string")).toBe("x");
    expect(value.get("int")).toBeNull();
    // And back to the same union branch.
    const written = data.fromConnectData(schema, data.fromConnectSchema(schema), value);
    expect(written).toEqual(new UnionBranch(2, "x"));
    expect(printAvroSchema(data.fromConnectSchema(schema))).toBe('["null","int","string",{"type":"record","name":"R","fields":[{"name":"a","type":"int"}],"connect.name":"R"}]');
  });

  it("flattens a union of one type", () => {
    expect(data.toConnectSchema(parseAvroSchema('["string"]'))?.equals(Schema.STRING_SCHEMA)).toBe(true);
  });

  it("keeps Avro field defaults of schemas written elsewhere, marked as such", () => {
    const avro = parseAvroSchema(
      '{"type":"record","name":"R","fields":[{"name":"n","type":"int","default":7},{"name":"s","type":["string","null"],"default":"x"},{"name":"b","type":"bytes","default":"\\u00ff"},{"name":"l","type":"long","default":9007199254740993}]}',
    );
    const schema = data.toConnectSchema(avro) as Schema;
    expect(schema.field("n")?.schema.defaultValue).toBe(7);
    expect(schema.field("n")?.schema.parameters?.get("io.confluent.connect.avro.field.default")).toBe("true");
    expect(schema.field("s")?.schema.defaultValue).toBe("x");
    expect(schema.field("s")?.schema.optional).toBe(true);
    expect(schema.field("b")?.schema.defaultValue).toEqual(Buffer.from([0xff]));
    expect(schema.field("l")?.schema.defaultValue).toBe(9007199254740993n);
    // Written back, the flag stays out of connect.parameters and the Avro defaults stay.
    expect(printAvroSchema(data.fromConnectSchema(schema))).toBe(
      '{"type":"record","name":"R","fields":[{"name":"n","type":"int","default":7},{"name":"s","type":["string","null"],"default":"x"},{"name":"b","type":"bytes","default":"ÿ"},{"name":"l","type":"long","default":9007199254740993}],"connect.name":"R"}',
    );
  });

  it("sets the registry version on the Connect schema unless connect.version says otherwise", () => {
    const avro = parseAvroSchema('{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}');
    expect(data.toConnectSchema(avro, 4)?.version).toBe(4);
    const own = parseAvroSchema('{"type":"record","name":"R","fields":[{"name":"a","type":"int"}],"connect.version":2}');
    expect(data.toConnectSchema(own, 4)?.version).toBe(2);
  });

  it("refuses what Connect cannot represent", () => {
    expect(() => data.toConnectSchema(parseAvroSchema('"null"'))).toThrow("Standalone null schemas are not supported by this converter");
    expect(() => data.toConnectSchema(parseAvroSchema('{"type":"record","name":"Node","fields":[{"name":"next","type":["null","Node"]}]}'))).toThrow(
      "Recursive Avro schemas are not supported: Node refers to itself",
    );
  });

  it("reads the schemaless Anything record as a null schema", () => {
    expect(data.fromConnectSchema(null)).toBe(ANYTHING_SCHEMA);
    expect(data.toConnectSchema(parseAvroSchema(printAvroSchema(ANYTHING_SCHEMA)))).toBeNull();
  });
});

describe("AvroData: values through Avro binary and back", () => {
  it("round-trips every Connect type in a struct", () => {
    const inner = SchemaBuilder.struct().name("com.example.Inner").field("x", Schema.INT32_SCHEMA).build();
    const schema = everyTypeStruct(3, "com.example.All")
      .field("arr", SchemaBuilder.array(Schema.OPTIONAL_INT64_SCHEMA).build())
      .field("map", SchemaBuilder.map(Schema.STRING_SCHEMA, inner).build())
      .field("imap", SchemaBuilder.map(Schema.INT64_SCHEMA, Schema.STRING_SCHEMA).build())
      .field("nested", inner)
      .field("opt", SchemaBuilder.struct().name("com.example.Opt").field("y", Schema.STRING_SCHEMA).optional().build())
      .field("none", Schema.OPTIONAL_FLOAT64_SCHEMA)
      .build();
    const value = structOf(schema, {
      i8: -128,
      i16: 32767,
      i32: -2147483648,
      i64: 2n ** 63n - 1n,
      f32: Math.fround(1.1),
      f64: Math.PI,
      bool: true,
      str: "héllo",
      bytes: Buffer.from([0, 1, 2, 255]),
      dec: Decimal.parse("-123456789012345678901234.567"),
      date: new Date(Date.UTC(2024, 1, 29)),
      time: new Date(45_296_789),
      ts: new Date(1_700_000_000_123),
      arr: [1n, null, -5n],
      map: new Map([["a", new Struct(inner).put("x", 1)]]),
      imap: new Map([[10n, "ten"], [-1n, "minus one"]]),
      nested: new Struct(inner).put("x", 42),
      opt: new Struct(schema.field("opt")?.schema as Schema).put("y", "why"),
      none: null,
    });
    const back = roundTrip(schema, value) as Struct;
    expect(back.equals(value)).toBe(true);
  });

  it("writes a field's default for a null, as Connect's Struct.get gives it", () => {
    const schema = SchemaBuilder.struct().field("n", SchemaBuilder.int32().optional().defaultValue(5).build()).build();
    expect((roundTrip(schema, new Struct(schema)) as Struct).get("n")).toBe(5);
    const ignoring = new AvroData({ ignoreDefaultForNullables: true });
    expect((roundTrip(schema, new Struct(schema), ignoring) as Struct).getWithoutDefault("n")).toBeNull();
  });

  it("round-trips top-level primitives, optional nulls and schemaless values", () => {
    expect(roundTrip(Schema.STRING_SCHEMA, "x")).toBe("x");
    expect(roundTrip(Schema.INT64_SCHEMA, -7n)).toBe(-7n);
    expect(roundTrip(Schema.OPTIONAL_STRING_SCHEMA, null)).toBeNull();
    const avro = data.fromConnectSchema(null);
    const schemaless = new Map<unknown, unknown>([["a", [1, "two", true, null, 2n ** 40n, 1.5, Buffer.from("b")]]]);
    const bytes = encodeAvro(avro, data.fromConnectData(null, avro, schemaless));
    const back = data.toConnectData(avro, decodeAvro(avro, bytes));
    expect(back.schema).toBeNull();
    expect(valueEquals(back.value, schemaless)).toBe(true);
  });

  it("refuses values that do not fit their schema", () => {
    const schema = SchemaBuilder.struct().field("n", Schema.INT32_SCHEMA).build();
    const avro = data.fromConnectSchema(schema);
    expect(() => data.fromConnectData(Schema.STRING_SCHEMA, data.fromConnectSchema(Schema.STRING_SCHEMA), null)).toThrow("Found null value for non-optional schema");
    expect(() => data.fromConnectData(Schema.INT32_SCHEMA, data.fromConnectSchema(Schema.INT32_SCHEMA), "1")).toThrow(DataException);
    const other = SchemaBuilder.struct().field("m", Schema.INT32_SCHEMA).build();
    expect(() => data.fromConnectData(schema, avro, new Struct(other).put("m", 1))).toThrow("Mismatching struct schema");
    expect(() => data.fromConnectData(Decimal.schema(2), data.fromConnectSchema(Decimal.schema(2)), Decimal.parse("1.5"))).toThrow("mismatching scale");
  });

  it("writes a value with another registered schema by field name (use.latest.version), defaults filling the gaps", () => {
    const schema = SchemaBuilder.struct().name("R").field("a", Schema.INT32_SCHEMA).field("b", Schema.STRING_SCHEMA).build();
    const latest = parseAvroSchema('{"type":"record","name":"R","fields":[{"name":"b","type":"string"},{"name":"c","type":"long","default":9},{"name":"a","type":"long"}]}');
    const written = data.fromConnectData(schema, latest, new Struct(schema).put("a", 1).put("b", "x")) as GenericRecord;
    expect(written.values).toEqual(["x", 9n, 1n]);
    const missing = parseAvroSchema('{"type":"record","name":"R","fields":[{"name":"z","type":"long"}]}');
    expect(() => data.fromConnectData(schema, missing, new Struct(schema).put("a", 1).put("b", "x"))).toThrow("Field z of Avro record R is not in the Connect schema and has no default");
  });
});

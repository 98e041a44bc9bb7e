import { describe, expect, it } from "vitest";
import { ConnectDate, ConnectTime, ConnectTimestamp, DataException, Decimal, Schema, SchemaBuilder, Struct } from "../../../../connect/api/index.ts";
import { JsonSchemaData } from "../../../../registry/converters/json-schema-data.ts";
import { type JsonValue, parseJsonExact, writeJson } from "../../../../registry/serde/json.ts";
import { everyTypeStruct, structOf } from "./every-type.ts";

const data = new JsonSchemaData();

function schemaText(schema: Schema, d = data): string {
  return writeJson(d.fromConnectSchema(schema) as JsonValue);
}

function viaText(schema: Schema, d = data): Schema {
  return d.toConnectSchema(parseJsonExact(schemaText(schema, d)));
}

function roundTrip(schema: Schema, value: unknown, d = data): unknown {
  const text = writeJson(d.fromConnectData(schema, value) ?? null);
  return d.toConnectData(viaText(schema, d), parseJsonExact(text));
}

describe("JsonSchemaData: Connect schemas to JSON Schema, as Confluent's JsonSchemaData", () => {
  it("maps each primitive type with its connect.type", () => {
    const cases: Array<[Schema, string]> = [
      [Schema.INT8_SCHEMA, '{"type":"integer","connect.type":"int8"}'],
      [Schema.INT16_SCHEMA, '{"type":"integer","connect.type":"int16"}'],
      [Schema.INT32_SCHEMA, '{"type":"integer","connect.type":"int32"}'],
      [Schema.INT64_SCHEMA, '{"type":"integer","connect.type":"int64"}'],
      [Schema.FLOAT32_SCHEMA, '{"type":"number","connect.type":"float32"}'],
      [Schema.FLOAT64_SCHEMA, '{"type":"number","connect.type":"float64"}'],
      [Schema.BOOLEAN_SCHEMA, '{"type":"boolean"}'],
      [Schema.STRING_SCHEMA, '{"type":"string"}'],
      [Schema.BYTES_SCHEMA, '{"type":"string","connect.type":"bytes"}'],
      [Schema.OPTIONAL_STRING_SCHEMA, '{"oneOf":[{"type":"null"},{"type":"string"}]}'],
    ];
    for (const [schema, text] of cases) {
      expect(schemaText(schema)).toBe(text);
      expect(viaText(schema).equals(schema)).toBe(true);
    }
  });

  it("maps structs with connect.index, optional fields as oneOf with null, and the schema's name, doc, version, default", () => {
    const schema = SchemaBuilder.struct()
      .name("com.example.User")
      .version(3)
      .doc("a user")
      .field("id", Schema.INT64_SCHEMA)
      .field("email", Schema.OPTIONAL_STRING_SCHEMA)
      .field("retries", SchemaBuilder.int32().defaultValue(3).build())
      .build();
    expect(schemaText(schema)).toBe(
      '{"type":"object","title":"com.example.User","description":"a user","properties":{' +
        '"id":{"type":"integer","connect.index":0,"connect.type":"int64"},' +
        '"email":{"connect.index":1,"oneOf":[{"type":"null"},{"type":"string"}]},' +
        '"retries":{"type":"integer","default":3,"connect.index":2,"connect.type":"int32"}' +
        '},"connect.version":3}',
    );
    expect(viaText(schema).equals(schema)).toBe(true);
  });

  it("maps the logical types with Connect's names as titles", () => {
    expect(schemaText(Decimal.schema(2))).toBe('{"type":"number","title":"org.apache.kafka.connect.data.Decimal","connect.version":1,"connect.type":"bytes","connect.parameters":{"scale":"2"}}');
    expect(schemaText(ConnectTimestamp.SCHEMA)).toBe('{"type":"integer","title":"org.apache.kafka.connect.data.Timestamp","connect.version":1,"connect.type":"int64"}');
    for (const schema of [Decimal.schema(2), ConnectDate.SCHEMA, ConnectTime.SCHEMA, ConnectTimestamp.SCHEMA]) expect(viaText(schema).equals(schema)).toBe(true);
  });

  it("maps string-keyed maps to objects and other maps to arrays of key/value objects", () => {
    expect(schemaText(SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).build())).toBe(
      '{"type":"object","additionalProperties":{"type":"integer","connect.type":"int32"},"connect.type":"map"}',
    );
    const intKeys = SchemaBuilder.map(Schema.INT32_SCHEMA, Schema.STRING_SCHEMA).build();
    expect(schemaText(intKeys)).toBe(
      '{"type":"array","items":{"type":"object","properties":{"key":{"type":"integer","connect.index":0,"connect.type":"int32"},"value":{"type":"string","connect.index":1}}},"connect.type":"map"}',
    );
    expect(viaText(intKeys).equals(intKeys)).toBe(true);
    const arrays = SchemaBuilder.array(SchemaBuilder.array(Schema.OPTIONAL_BOOLEAN_SCHEMA).build()).build();
    expect(viaText(arrays).equals(arrays)).toBe(true);
  });

  it("writes additionalProperties false with object.additional.properties=false", () => {
    const strict = new JsonSchemaData({ allowAdditionalProperties: false });
    const schema = SchemaBuilder.struct().field("a", Schema.STRING_SCHEMA).build();
    expect(schemaText(schema, strict)).toBe('{"type":"object","properties":{"a":{"type":"string","connect.index":0}},"additionalProperties":false}');
  });

  it("reads schemas written elsewhere: plain types, required, $ref, type arrays, enums, oneOf", () => {
    const document = parseJsonExact(
      JSON.stringify({
        $schema: "http://json-schema.org/draft-07/schema#",
        title: "Order",
        type: "object",
        properties: {
          id: { type: "integer" },
          price: { type: "number" },
          note: { type: ["null", "string"] },
          status: { enum: ["NEW", "DONE"] },
          customer: { $ref: "#/definitions/Customer" },
          items: { type: "array", items: { type: "string" } },
          either: { oneOf: [{ type: "string" }, { type: "integer" }] },
        },
        required: ["id"],
        definitions: { Customer: { type: "object", properties: { name: { type: "string" } } } },
      }),
    );
    const schema = data.toConnectSchema(document, new Map(), 5);
    expect(schema.name).toBe("Order");
    expect(schema.version).toBe(5);
    expect(schema.fields.map((f) => [f.name, f.schema.type, f.schema.optional])).toEqual([
      ["id", "INT64", false],
      ["price", "FLOAT64", false],
      ["note", "STRING", true],
      ["status", "STRING", false],
      ["customer", "STRUCT", false],
      ["items", "ARRAY", false],
      ["either", "STRUCT", false],
    ]);
    expect(schema.field("status")?.schema.parameters?.get("io.confluent.connect.json.Enum.DONE")).toBe("DONE");
    expect(schema.field("either")?.schema.name).toBe("io.confluent.connect.json.OneOf");
    const optional = new JsonSchemaData({ useOptionalForNonRequired: true }).toConnectSchema(document);
    expect(optional.field("id")?.schema.optional).toBe(false);
    expect(optional.field("price")?.schema.optional).toBe(true);
    // Values of that schema, oneOf included.
    const value = data.toConnectData(schema, parseJsonExact('{"id":1234567890123456789,"price":1.5,"status":"NEW","customer":{"name":"c"},"items":["a"],"either":7}')) as Struct;
    expect(value.get("id")).toBe(1234567890123456789n);
    expect((value.get("either") as Struct).get("io.confluent.connect.json.OneOf.field.1")).toBe(7n);
  });

  it("follows $refs into referenced schemas", () => {
    const references = new Map<string, JsonValue>([["address.json", parseJsonExact('{"type":"object","properties":{"city":{"type":"string"}}}')]]);
    const schema = data.toConnectSchema(parseJsonExact('{"type":"object","properties":{"home":{"$ref":"address.json"}}}'), references);
    expect(schema.field("home")?.schema.field("city")?.schema.type).toBe("STRING");
    expect(() => data.toConnectSchema(parseJsonExact('{"$ref":"missing.json"}'))).toThrow('Cannot resolve JSON Schema $ref "missing.json"');
  });

  it("refuses recursive schemas and standalone nulls", () => {
    expect(() => data.toConnectSchema(parseJsonExact('{"type":"object","properties":{"next":{"$ref":"#"}}}'))).toThrow("Recursive JSON schemas are not supported");
    expect(() => data.toConnectSchema(parseJsonExact('{"type":"null"}'))).toThrow(DataException);
  });
});

describe("JsonSchemaData: values", () => {
  it("round-trips every Connect type", () => {
    const inner = SchemaBuilder.struct().name("Inner").field("x", Schema.INT32_SCHEMA).build();
    const schema = everyTypeStruct(4)
      .field("arr", SchemaBuilder.array(Schema.OPTIONAL_STRING_SCHEMA).build())
      .field("smap", SchemaBuilder.map(Schema.STRING_SCHEMA, inner).build())
      .field("imap", SchemaBuilder.map(Schema.INT16_SCHEMA, Schema.FLOAT64_SCHEMA).build())
      .field("nested", inner)
      .field("opt", SchemaBuilder.struct().name("Opt").field("y", Schema.STRING_SCHEMA).optional().build())
      .field("none", Schema.OPTIONAL_INT32_SCHEMA)
      .build();
    const value = structOf(schema, {
      i8: -8,
      i16: 1600,
      i32: 2 ** 31 - 1,
      i64: -(2n ** 63n),
      f32: Math.fround(3.3),
      f64: 1e-300,
      bool: false,
      str: 'quote " and \u2028',
      bytes: Buffer.from([9, 8, 7]),
      dec: Decimal.parse("-0.0001"),
      date: new Date(Date.UTC(2000, 0, 1)),
      time: new Date(1),
      ts: new Date(-1000),
      arr: ["a", null],
      smap: new Map([["k", new Struct(inner).put("x", 1)]]),
      imap: new Map([[3, 0.5]]),
      nested: new Struct(inner).put("x", -1),
      opt: new Struct(schema.field("opt")?.schema as Schema).put("y", "z"),
    });
    const back = roundTrip(schema, value) as Struct;
    expect(back.equals(value)).toBe(true);
  });

  it("writes decimals as base64 or, with decimal.format=NUMERIC, as exact numbers", () => {
    const schema = SchemaBuilder.struct().field("d", Decimal.schema(2)).build();
    const value = new Struct(schema).put("d", Decimal.parse("12345678901234567890.12"));
    expect(writeJson(data.fromConnectData(schema, value) ?? null)).toBe('{"d":"Qu0SOwvYIDoU"}');
    const numeric = new JsonSchemaData({ decimalFormat: "NUMERIC" });
    expect(writeJson(numeric.fromConnectData(schema, value) ?? null)).toBe('{"d":12345678901234567890.12}');
    expect((roundTrip(schema, value, numeric) as Struct).get("d")).toEqual(Decimal.parse("12345678901234567890.12"));
  });

  it("writes a field's default for a null, and null for a null optional", () => {
    const schema = SchemaBuilder.struct().field("n", SchemaBuilder.int32().optional().defaultValue(5).build()).field("o", Schema.OPTIONAL_STRING_SCHEMA).build();
    expect(writeJson(data.fromConnectData(schema, new Struct(schema)) ?? null)).toBe('{"n":5,"o":null}');
    expect(writeJson(new JsonSchemaData({ ignoreDefaultForNullables: true }).fromConnectData(schema, new Struct(schema)) ?? null)).toBe('{"n":null,"o":null}');
  });

  it("refuses JSON that does not fit the schema", () => {
    expect(() => data.toConnectData(Schema.INT32_SCHEMA, "1")).toThrow("Expected a JSON number for a INT32 value but found STRING");
    expect(() => data.toConnectData(Schema.STRING_SCHEMA, null)).toThrow("Invalid null value for required STRING field");
    expect(() => data.toConnectData(SchemaBuilder.map(Schema.INT32_SCHEMA, Schema.INT32_SCHEMA).build(), parseJsonExact("{}"))).toThrow(
      "Maps with non-string fields should be encoded as JSON array of objects, but found OBJECT",
    );
    expect(() => data.toConnectData(Schema.BYTES_SCHEMA, "not base64!")).toThrow("Invalid bytes field: not base64");
  });

  it("reads schemaless JSON as plain values", () => {
    expect(data.toConnectData(null, parseJsonExact('{"a":[1,2.5,"x",true,null]}'))).toEqual(new Map([["a", [1n, 2.5, "x", true, null]]]));
  });
});

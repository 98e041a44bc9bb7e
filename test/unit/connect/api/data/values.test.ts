import { describe, expect, it } from "vitest";
import { ConnectDate, ConnectTime, ConnectTimestamp, Decimal, Schema, SchemaBuilder, Struct, Values } from "../../../../../connect/api/index.ts";

describe("Values.parseString", () => {
  it("infers the narrowest numeric type, as Kafka's Values does", () => {
    const cases: [string, string, unknown][] = [
      ["1", "INT8", 1],
      ["-5", "INT8", -5],
      ["300", "INT16", 300],
      ["70000", "INT32", 70000],
      ["3000000000", "INT64", 3000000000n],
      ["1.0", "INT8", 1],
      ["1e3", "INT16", 1000],
      ["1.5", "FLOAT32", 1.5],
      ["0.1", "FLOAT32", Math.fround(0.1)],
      ["3.4028236E38", "FLOAT64", 3.4028236e38],
    ];
    for (const [text, type, value] of cases) {
      const sv = Values.parseString(text);
      expect([sv.schema?.type, sv.value], text).toEqual([type, value]);
    }
    const big = Values.parseString("12345678901234567890");
    expect(big.schema?.name).toBe(Decimal.LOGICAL_NAME);
    expect((big.value as Decimal).equals(new Decimal(12345678901234567890n, 0))).toBe(true);
  });

  it("reads booleans, dates, times, timestamps, arrays and maps; anything else is a string", () => {
    expect(Values.parseString("true").value).toBe(true);
    expect(Values.parseString("TRUE").value).toBe("TRUE");
    expect(Values.parseString("").schema).toBe(Schema.STRING_SCHEMA);
    expect(Values.parseString("null").value).toBeNull();
    expect(Values.parseString('"q"').value).toBe('"q"');
    expect(Values.parseString("a b").value).toBe("a b");
    expect(Values.parseString("2024-01-02").schema).toBe(ConnectDate.SCHEMA);
    expect(Values.parseString("12:34:56.789Z").schema).toBe(ConnectTime.SCHEMA);
    expect((Values.parseString("2024-01-02T12:34:56.789Z").value as Date).toISOString()).toBe("2024-01-02T12:34:56.789Z");
    expect(Values.parseString("2024-02-30").schema).toBe(Schema.STRING_SCHEMA);
    const list = Values.parseString('["a,b", "c"]');
    expect(list.schema?.valueSchema?.type).toBe("STRING");
    expect(list.value).toEqual(["a,b", "c"]);
    const widened = Values.parseString("[1, 2.5]");
    expect(widened.schema?.valueSchema?.type).toBe("FLOAT32");
    const map = Values.parseString('{"a": [1, 2]}');
    expect(map.schema?.keySchema?.type).toBe("STRING");
    expect(map.value).toEqual(new Map([["a", [1, 2]]]));
    // Kafka reads text with nulls among other elements as a plain string.
    expect(Values.parseString("[1,null]").value).toBe("[1,null]");
    expect(Values.parseString("[1,2").value).toBe("[1,2");
    // A documented gap: mixed element types give no schema here (Kafka: an array schema without element schema).
    expect(Values.parseString('[1,"a"]').schema).toBeNull();
  });
});

describe("Values.convertToString", () => {
  it("writes values as Kafka's header text", () => {
    const struct = SchemaBuilder.struct().field("a", Schema.INT32_SCHEMA).field("b", Schema.OPTIONAL_STRING_SCHEMA).build();
    const cases: [Schema | null, unknown, string | null][] = [
      [Schema.FLOAT64_SCHEMA, 1e10, "1.0E10"],
      [Schema.FLOAT32_SCHEMA, 1.5, "1.5"],
      [Schema.INT64_SCHEMA, 5n, "5"],
      [Schema.BYTES_SCHEMA, Buffer.from([0, 1]), "AAE="],
      [Decimal.schema(2), Decimal.parse("-123.45"), "-123.45"],
      [ConnectDate.SCHEMA, new Date(0), "1970-01-01"],
      [ConnectTime.SCHEMA, new Date(45296789), "12:34:56.789Z"],
      [ConnectTimestamp.SCHEMA, new Date(1700000000123), "2023-11-14T22:13:20.123Z"],
      [SchemaBuilder.array(Schema.OPTIONAL_STRING_SCHEMA).build(), ["a", null, 'q"x'], '["a",null,"q\\"x"]'],
      [SchemaBuilder.map(Schema.INT32_SCHEMA, Schema.STRING_SCHEMA).build(), new Map([[1, "x"]]), '{1:"x"}'],
      [struct, new Struct(struct).put("a", 1), '{"a":1,"b":null}'],
      [null, { k: [1, 2.5] }, '{"k":[1,2.5]}'],
      [null, "plain", "plain"],
      [Schema.OPTIONAL_STRING_SCHEMA, null, null],
    ];
    for (const [schema, value, text] of cases) expect(Values.convertToString(schema, value)).toBe(text);
  });

  it("infers schemas of schemaless values", () => {
    expect(Values.inferSchema("x")).toBe(Schema.STRING_SCHEMA);
    expect(Values.inferSchema(1)).toBe(Schema.INT32_SCHEMA);
    expect(Values.inferSchema(2 ** 40)).toBe(Schema.FLOAT64_SCHEMA);
    expect(Values.inferSchema(1n)).toBe(Schema.INT64_SCHEMA);
    expect(Values.inferSchema([1, 2])?.valueSchema).toBe(Schema.INT32_SCHEMA);
    expect(Values.inferSchema([1, "a"])).toBeNull();
    expect(Values.inferSchema({ a: true })?.valueSchema).toBe(Schema.BOOLEAN_SCHEMA);
    expect(Values.inferSchema(new Decimal(1n, 3))?.parameters?.get("scale")).toBe("3");
  });
});

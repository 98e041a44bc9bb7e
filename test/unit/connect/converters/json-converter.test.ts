// Round trips and behaviours of the JsonConverter that need no JVM; byte-for-byte conformance
// with Kafka's converter is test/interop/connect-json/json-converter.test.ts.
import { describe, expect, it } from "vitest";
import {
  ConfigException,
  ConnectDate,
  ConnectTime,
  ConnectTimestamp,
  DataException,
  Decimal,
  Schema,
  SchemaAndValue,
  SchemaBuilder,
  Struct,
  valueEquals,
} from "../../../../connect/api/index.ts";
import { JsonConverter, JsonHeaderConverter, jsonConverterPlugin } from "../../../../connect/converters/json-converter.ts";
import { jsonString, splitEnvelope } from "../../../../connect/converters/json-text.ts";

function converter(config: Record<string, unknown> = {}, isKey = false): JsonConverter {
  const c = new JsonConverter();
  c.configure(config, isKey);
  return c;
}

const text = (b: Buffer | null): string | null => (b === null ? null : b.toString("utf8"));

const ORDER = SchemaBuilder.struct()
  .name("com.example.Order")
  .version(1)
  .field("id", Schema.INT64_SCHEMA)
  .field("amount", Decimal.builder(2))
  .field("placed", ConnectTimestamp.SCHEMA)
  .field("day", ConnectDate.SCHEMA)
  .field("at", ConnectTime.SCHEMA)
  .field("note", Schema.OPTIONAL_STRING_SCHEMA)
  .field("qty", SchemaBuilder.int32().defaultValue(1))
  .field("lines", SchemaBuilder.array(SchemaBuilder.struct().name("Line").field("sku", Schema.STRING_SCHEMA).field("price", Schema.FLOAT64_SCHEMA)))
  .field("attrs", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.OPTIONAL_BYTES_SCHEMA))
  .field("byId", SchemaBuilder.map(Schema.INT16_SCHEMA, Schema.BOOLEAN_SCHEMA))
  .build();

function anOrder(): Struct {
  const line = ORDER.field("lines")?.schema.valueSchema as Schema;
  return new Struct(ORDER)
    .put("id", 9007199254740993n)
    .put("amount", Decimal.parse("-12.34"))
    .put("placed", new Date(1700000000123))
    .put("day", new Date(19000 * 86400000))
    .put("at", new Date(3723004))
    .put("lines", [new Struct(line).put("sku", "A").put("price", 0.1)])
    .put("attrs", new Map([["k", Buffer.from([1, 2])], ["n", null]]))
    .put("byId", new Map([[7, true]]));
}

describe("JsonConverter", () => {
  it("round-trips structs with every kind of field, both decimal formats, with or without schemas", () => {
    for (const config of [{}, { "decimal.format": "NUMERIC" }, { "schemas.enable": "false", "schema.content": "" }]) {
      const c = converter(config);
      const bytes = c.fromConnectData("t", null, ORDER, anOrder());
      if (config["schemas.enable" as keyof typeof config] === "false") {
        // Without schemas the reader gets plain JSON values back.
        const read = c.toConnectData("t", null, bytes);
        expect(read.schema).toBeNull();
        expect((read.value as Record<string, unknown>).id).toBe(9007199254740993n);
        continue;
      }
      const read = c.toConnectData("t", null, bytes);
      expect(read.schema?.equals(ORDER)).toBe(true);
      const expected = anOrder().put("qty", 1);
      expect(valueEquals(read.value, expected), text(bytes) ?? "").toBe(true);
    }
  });

  it("writes the envelope Kafka writes", () => {
    const schema = SchemaBuilder.struct().name("S").field("id", Schema.INT32_SCHEMA).field("d", Schema.OPTIONAL_FLOAT64_SCHEMA).build();
    expect(text(converter().fromConnectData("t", null, schema, new Struct(schema).put("id", 1).put("d", 2)))).toBe(
      '{"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"},{"type":"double","optional":true,"field":"d"}],"optional":false,"name":"S"},"payload":{"id":1,"d":2.0}}',
    );
    expect(text(converter({ "schemas.enable": false }).fromConnectData("t", null, schema, new Struct(schema).put("id", 1)))).toBe('{"id":1,"d":null}');
  });

  it("maps null to tombstones and back", () => {
    const c = converter();
    expect(c.fromConnectData("t", null, null, null)).toBeNull();
    expect(c.toConnectData("t", null, null)).toBe(SchemaAndValue.NULL);
    expect(text(c.fromConnectData("t", null, Schema.OPTIONAL_STRING_SCHEMA, null))).toBe('{"schema":{"type":"string","optional":true},"payload":null}');
    expect(text(converter({ "schemas.enable": "false" }).fromConnectData("t", null, Schema.OPTIONAL_STRING_SCHEMA, null))).toBe("null");
    expect(converter({ "schemas.enable": "false" }).toConnectData("t", null, Buffer.from(""))).toBe(SchemaAndValue.NULL);
  });

  it("reads schemaless JSON as plain values, integers past 2^53 as bigints", () => {
    const read = converter({ "schemas.enable": "false" }).toConnectData("t", null, Buffer.from('{"a":[1,2.5,"x",null,true],"big":12345678901234567890,"n":{"m":-1}}'));
    expect(read.schema).toBeNull();
    expect(read.value).toEqual({ a: [1, 2.5, "x", null, true], big: 12345678901234567890n, n: { m: -1 } });
    expect(Object.getPrototypeOf(converter({ "schemas.enable": "false" }).toConnectData("t", null, Buffer.from('{"__proto__":{"x":1}}')).value)).toBe(Object.prototype);
  });

  it("writes schemaless values: integers as integers, other numbers as Java doubles, maps as objects or pairs", () => {
    const c = converter({ "schemas.enable": "false" });
    expect(text(c.fromConnectData("t", null, null, { a: 1, b: 2.5, c: 1e21, d: 5n, e: [true, null], f: Buffer.from([255]) }))).toBe('{"a":1,"b":2.5,"c":1.0E21,"d":5,"e":[true,null],"f":"/w=="}');
    expect(text(c.fromConnectData("t", null, null, new Map<unknown, unknown>([[1, "a"], ["b", 2]])))).toBe('[[1,"a"],["b",2]]');
    expect(() => c.fromConnectData("t", null, null, new Date())).toThrow("Date does not have corresponding schema type.");
  });

  it("reads the same values through its fast path and its general path", () => {
    const c = converter();
    const bytes = c.fromConnectData("t", null, ORDER, anOrder()) as Buffer;
    const compact = c.toConnectData("t", null, bytes);
    const parsed = JSON.parse(bytes.toString()) as unknown;
    // Re-indented and with the keys swapped, the envelope takes the general path.
    const swapped = JSON.stringify({ payload: (parsed as { payload: unknown }).payload, schema: (parsed as { schema: unknown }).schema }, null, 2).replace('"id": 9007199254740992', '"id": 9007199254740993');
    const general = c.toConnectData("t", null, Buffer.from(swapped));
    expect(general.schema?.equals(compact.schema)).toBe(true);
    expect(valueEquals(general.value, compact.value)).toBe(true);
  });

  it("caches schemas both ways", () => {
    const c = converter({ "schemas.cache.size": 1 });
    expect(c.asJsonSchema(ORDER)).toBe(c.asJsonSchema(ORDER));
    const bytes = c.fromConnectData("t", null, ORDER, anOrder());
    expect(c.toConnectData("t", null, bytes).schema).toBe(c.toConnectData("t", null, bytes).schema);
    const uncached = converter({ "schemas.cache.size": 0 });
    expect(uncached.toConnectData("t", null, bytes).schema?.equals(ORDER)).toBe(true);
  });

  it("reads messages with schema.content as bare payloads", () => {
    const c = converter({ "schema.content": '{"type":"struct","fields":[{"type":"int64","field":"id"},{"type":"bytes","name":"org.apache.kafka.connect.data.Decimal","parameters":{"scale":"2"},"field":"p"}]}' });
    const read = c.toConnectData("t", null, Buffer.from('{"id":9223372036854775807,"p":1.50}'));
    expect((read.value as Struct).getInt64("id")).toBe(9223372036854775807n);
    expect(((read.value as Struct).get("p") as Decimal).toString()).toBe("1.50");
    expect(() => converter({ "schema.content": "{" })).toThrow(/schema.content/);
  });

  it("refuses bad input with DataExceptions", () => {
    const c = converter();
    const cases: [string, string][] = [
      ['{"a":1}', 'JsonConverter with schemas.enable requires "schema" and "payload" fields'],
      ["{", "Converting byte[] to Kafka Connect data failed due to serialization error"],
      ['{"schema":{"type":"int8"},"payload":300}', "Invalid value for a INT8 field"],
      ['{"schema":{"type":"int64"},"payload":9223372036854775808}', "Invalid value for a INT64 field"],
      ['{"schema":{"type":"int32"},"payload":"5"}', "Invalid value for a INT32 field: JSON STRING"],
      ['{"schema":{"type":"array","items":{"type":"int8"}},"payload":5}', "Invalid value for a ARRAY field"],
      ['{"schema":{"type":"map","keys":{"type":"string"},"values":{"type":"int8"}},"payload":[]}', "Maps with string fields should be encoded as JSON objects, but found ARRAY"],
      ['{"schema":{"type":"struct","fields":[{"type":"int8"}]},"payload":{}}', "Struct schema's field name not specified properly"],
      ['{"schema":{"type":"string","parameters":{"a":1}},"payload":"x"}', "Schema parameters must have string values."],
      ['{"schema":{"type":"int32","name":"org.apache.kafka.connect.data.Date"},"payload":1.5}', "Invalid type for Date, underlying representation should be integer but was NUMBER"],
    ];
    for (const [input, message] of cases) {
      expect(() => c.toConnectData("t", null, Buffer.from(input)), input).toThrow(DataException);
      expect(() => c.toConnectData("t", null, Buffer.from(input)), input).toThrow(message);
    }
    expect(() => c.fromConnectData("t", null, Schema.INT64_SCHEMA, 5)).toThrow("Invalid type for INT64: number");
    expect(() => c.fromConnectData("t", null, Schema.INT32_SCHEMA, null)).toThrow("Conversion error: null value for field that is required and has no default value");
    const other = SchemaBuilder.struct().field("x", Schema.INT8_SCHEMA).build();
    expect(() => c.fromConnectData("t", null, ORDER, new Struct(other))).toThrow("Mismatching schema.");
    expect(() => converter({ "decimal.format": "HEX" })).toThrow(ConfigException);
  });

  it("works as a header converter and declares Kafka's config", () => {
    const h = new JsonHeaderConverter();
    h.configure({});
    const bytes = h.fromConnectHeader("t", "k", Schema.INT32_SCHEMA, 5);
    expect(text(bytes)).toBe('{"schema":{"type":"int32","optional":false},"payload":5}');
    expect(h.toConnectHeader("t", "k", bytes).value).toBe(5);
    expect(jsonConverterPlugin.configDef.names()).toEqual(["converter.type", "schemas.enable", "schemas.cache.size", "schema.content", "decimal.format", "replace.null.with.default"]);
    expect(jsonConverterPlugin.aliases).toContain("org.apache.kafka.connect.json.JsonConverter");
    expect(jsonConverterPlugin.create()).toBeInstanceOf(JsonConverter);
  });
});

describe("JSON text", () => {
  it("escapes strings exactly as Jackson does", () => {
    expect(jsonString("plain é / \u2028")).toBe('"plain é / \u2028"');
    expect(jsonString('q"b\\\b\f\n\r\t\u0000\u001f\u007f')).toBe('"q\\"b\\\\\\b\\f\\n\\r\\t\\u0000\\u001F\u007f"');
    expect(jsonString("😀")).toBe('"\\uD83D\\uDE00"');
    expect(jsonString("\ud800")).toBe('"\\uD800"');
  });

  it("splits the envelopes Kafka writes, and nothing else", () => {
    expect(splitEnvelope('{"schema":{"type":"string","doc":"a}\\"b"},"payload":"x"}')).toEqual({ schemaText: '{"type":"string","doc":"a}\\"b"}', payloadText: '"x"' });
    expect(splitEnvelope('{"schema":null,"payload":[1]}')).toEqual({ schemaText: "null", payloadText: "[1]" });
    expect(splitEnvelope('{"payload":1,"schema":null}')).toBeNull();
    expect(splitEnvelope('{"schema": null,"payload":1}')).toBeNull();
  });
});

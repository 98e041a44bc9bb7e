import { describe, expect, it } from "vitest";
import { DataException, Decimal, Schema, SchemaBuilder, Struct, validateValue, valueEquals } from "../../../../../connect/api/index.ts";

const address = SchemaBuilder.struct().name("Address").field("city", Schema.STRING_SCHEMA).build();
const user = SchemaBuilder.struct()
  .name("User")
  .field("id", Schema.INT64_SCHEMA)
  .field("name", Schema.OPTIONAL_STRING_SCHEMA)
  .field("age", SchemaBuilder.int32().defaultValue(18))
  .field("score", Schema.FLOAT64_SCHEMA)
  .field("address", address)
  .field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA).optional())
  .field("attrs", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT8_SCHEMA).optional())
  .field("raw", Schema.OPTIONAL_BYTES_SCHEMA)
  .field("balance", Decimal.builder(2).optional())
  .build();

function aUser(): Struct {
  return new Struct(user).put("id", 7n).put("score", 1.5).put("address", new Struct(address).put("city", "Oslo"));
}

describe("Struct", () => {
  it("puts and gets values, with defaults for null fields", () => {
    const s = aUser().put("tags", ["a"]).put("attrs", new Map([["k", 1]])).put("raw", new Uint8Array([1, 2]));
    expect(s.get("id")).toBe(7n);
    expect(s.getInt64("id")).toBe(7n);
    expect(s.getString("name")).toBeNull();
    expect(s.get("age")).toBe(18);
    expect(s.getWithoutDefault("age")).toBeNull();
    expect(s.getInt32("age")).toBe(18);
    expect(s.getFloat64("score")).toBe(1.5);
    expect(s.getStruct("address")?.getString("city")).toBe("Oslo");
    expect(s.getArray<string>("tags")).toEqual(["a"]);
    expect(s.getMap<string, number>("attrs")?.get("k")).toBe(1);
    const raw = s.getBytes("raw");
    expect(Buffer.isBuffer(raw)).toBe(true);
    expect(raw).toEqual(Buffer.from([1, 2]));
    const field = user.field("score");
    expect(field && s.get(field)).toBe(1.5);
  });

  it("validates on put, with Kafka's messages", () => {
    const s = aUser();
    expect(() => s.put("id", 7)).toThrow(DataException);
    expect(() => s.put("id", 7)).toThrow('Invalid value for schema with type INT64: number (INT64 values are bigints) for field: "id"');
    expect(() => s.put("score", null)).toThrow('Invalid value: null used for required field: "score", schema type: FLOAT64');
    expect(() => s.put("nope", 1)).toThrow("nope is not a valid field name");
    expect(() => s.put("tags", ["a", 1])).toThrow('Invalid value for schema with type STRING: number for element of array field: "tags"');
    expect(() => s.put("attrs", new Map([["k", 300]]))).toThrow('Invalid value for schema with type INT8: number (not an integer in the INT8 range) for value of map field: "attrs"');
    expect(() => s.put("address", new Struct(SchemaBuilder.struct().name("Other").build()))).toThrow("Struct schemas do not match.");
    expect(() => s.put("balance", 1.5)).toThrow('Invalid value for schema "org.apache.kafka.connect.data.Decimal" with type BYTES: number (expected a Decimal) for field: "balance"');
    expect(() => s.getString("id")).toThrow("Field 'id' is not of type STRING");
    expect(() => new Struct(Schema.INT32_SCHEMA)).toThrow("Not a struct schema: Schema{INT32}");
  });

  it("validate() finds required fields left null (fields with defaults are fine)", () => {
    expect(() => new Struct(user).validate()).toThrow('Invalid value: null used for required field: "id", schema type: INT64');
    expect(() => aUser().validate()).not.toThrow();
  });

  it("compares by schema and values", () => {
    expect(aUser().equals(aUser())).toBe(true);
    expect(valueEquals(aUser(), aUser())).toBe(true);
    expect(aUser().equals(aUser().put("name", "x"))).toBe(false);
    expect(aUser().put("raw", Buffer.from("ab")).equals(aUser().put("raw", new Uint8Array([97, 98])))).toBe(true);
  });

  it("prints the fields that are set, as Kafka does", () => {
    expect(aUser().put("tags", ["a", "b"]).toString()).toBe("Struct{id=7,score=1.5,address=Struct{city=Oslo},tags=[a, b]}");
  });
});

describe("validateValue", () => {
  it("checks each type's JavaScript representation", () => {
    const ok: [Schema, unknown][] = [
      [Schema.INT8_SCHEMA, -128],
      [Schema.INT16_SCHEMA, 32767],
      [Schema.INT32_SCHEMA, -2147483648],
      [Schema.INT64_SCHEMA, 2n ** 63n - 1n],
      [Schema.FLOAT32_SCHEMA, 0.5],
      [Schema.FLOAT64_SCHEMA, Number.NaN],
      [Schema.BOOLEAN_SCHEMA, false],
      [Schema.STRING_SCHEMA, ""],
      [Schema.BYTES_SCHEMA, new Uint8Array()],
      [SchemaBuilder.array(Schema.INT8_SCHEMA).build(), [1, 2]],
      [SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT8_SCHEMA).build(), new Map([["a", 1]])],
      [Decimal.schema(2), new Decimal(1n, 2)],
      [Schema.OPTIONAL_INT32_SCHEMA, null],
      [Schema.OPTIONAL_INT32_SCHEMA, undefined],
    ];
    for (const [schema, value] of ok) expect(() => validateValue(schema, value), `${schema.toString()} ${String(value)}`).not.toThrow();
    const bad: [Schema, unknown][] = [
      [Schema.INT8_SCHEMA, 128],
      [Schema.INT16_SCHEMA, 1.5],
      [Schema.INT32_SCHEMA, 2 ** 31],
      [Schema.INT32_SCHEMA, 1n],
      [Schema.INT64_SCHEMA, 2n ** 63n],
      [Schema.INT64_SCHEMA, 1],
      [Schema.FLOAT64_SCHEMA, "1"],
      [Schema.BOOLEAN_SCHEMA, 0],
      [Schema.STRING_SCHEMA, Symbol("s")],
      [Schema.BYTES_SCHEMA, [1]],
      [SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT8_SCHEMA).build(), { a: 1 }],
      [Schema.INT32_SCHEMA, null],
    ];
    for (const [schema, value] of bad) expect(() => validateValue(schema, value), `${schema.toString()} ${String(value)}`).toThrow(DataException);
  });

  it("names the value when there is no field", () => {
    expect(() => validateValue(SchemaBuilder.int32().name("n").build(), "s")).toThrow('Invalid value for schema "n" with type INT32: string for value');
    expect(() => validateValue(Schema.INT32_SCHEMA, null)).toThrow("Invalid value: null used for required value, schema type: INT32");
  });
});

import { describe, expect, it } from "vitest";
import { ConnectHeader, DataException, Decimal, Headers, Schema, SchemaAndValue, SchemaBuilder, Struct } from "../../../../../connect/api/index.ts";

describe("Headers", () => {
  it("keeps headers in order, keys may repeat", () => {
    const h = new Headers().addString("a", "1").addInt("b", 2).addString("a", "3");
    expect(h.size).toBe(3);
    expect(h.isEmpty()).toBe(false);
    expect([...h].map((x) => x.key)).toEqual(["a", "b", "a"]);
    expect(h.lastWithName("a")?.value).toBe("3");
    expect(h.lastWithName("zz")).toBeNull();
    expect(h.allWithName("a").map((x) => x.value)).toEqual(["1", "3"]);
    expect(h.lastWithName("b")?.schema).toBe(Schema.INT32_SCHEMA);
  });

  it("adds typed values with their schemas", () => {
    const s = SchemaBuilder.struct().field("x", Schema.INT8_SCHEMA).build();
    const h = new Headers()
      .addBoolean("bool", true)
      .addByte("i8", 1)
      .addShort("i16", 2)
      .addLong("i64", 3n)
      .addFloat("f32", 1.5)
      .addDouble("f64", 2.5)
      .addBytes("bytes", Buffer.from("x"))
      .addString("nullString", null)
      .addList("list", [1, 2], SchemaBuilder.array(Schema.INT32_SCHEMA).build())
      .addMap("map", new Map([["k", "v"]]), SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.STRING_SCHEMA).build())
      .addStruct("struct", new Struct(s).put("x", 1))
      .addDecimal("dec", Decimal.parse("1.50"))
      .addDate("date", new Date(0))
      .addTime("time", new Date(1000))
      .addTimestamp("ts", new Date(5))
      .add("sv", new SchemaAndValue(Schema.STRING_SCHEMA, "v"))
      .add("schemaless", { any: "thing" }, null)
      .add(new ConnectHeader("h", Schema.INT32_SCHEMA, 9));
    expect(h.lastWithName("i64")?.schema).toBe(Schema.INT64_SCHEMA);
    expect(h.lastWithName("nullString")?.schema).toBe(Schema.OPTIONAL_STRING_SCHEMA);
    expect(h.lastWithName("dec")?.schema?.parameters?.get("scale")).toBe("2");
    expect(h.lastWithName("date")?.schema?.name).toBe("org.apache.kafka.connect.data.Date");
    expect(h.lastWithName("sv")?.value).toBe("v");
    expect(h.lastWithName("schemaless")?.schema).toBeNull();
    expect(h.size).toBe(18);
  });

  it("validates values against schemas, with Kafka's messages", () => {
    expect(() => new Headers().add("k", "x", Schema.INT32_SCHEMA)).toThrow(DataException);
    expect(() => new Headers().add("k", "x", Schema.INT32_SCHEMA)).toThrow("The value (string) is not compatible with the schema Schema{INT32}");
    expect(() => new Headers().add("k", null, Schema.INT32_SCHEMA)).toThrow("A null value requires an optional schema but was Schema{INT32}");
    expect(() => new Headers().add(null as unknown as string, "x", Schema.STRING_SCHEMA)).toThrow("Null header keys are not permitted");
    expect(() => new Headers().addDate("d", new Date(5))).toThrow(/Date type should not have any time fields/);
    expect(() => new Headers().add("k", "raw" as never)).toThrow(/takes a SchemaAndValue/);
  });

  it("removes, retains the latest, transforms and duplicates", () => {
    const make = () => new Headers().addString("a", "1").addString("b", "2").addString("a", "3").addString("c", "4");
    expect([...make().remove("a")].map((x) => x.key)).toEqual(["b", "c"]);
    expect([...make().retainLatest("a")].map((x) => `${x.key}=${String(x.value)}`)).toEqual(["b=2", "a=3", "c=4"]);
    expect([...make().retainLatest()].map((x) => `${x.key}=${String(x.value)}`)).toEqual(["b=2", "a=3", "c=4"]);
    expect(make().clear().isEmpty()).toBe(true);
    const renamed = make().apply("a", (x) => x.rename("z"));
    expect([...renamed].map((x) => x.key)).toEqual(["z", "b", "z", "c"]);
    const dropped = make().apply((x) => (x.key === "b" ? null : x.with(Schema.STRING_SCHEMA, `${String(x.value)}!`)));
    expect([...dropped].map((x) => x.value)).toEqual(["1!", "3!", "4!"]);
    const original = make();
    const copy = original.duplicate().remove("a");
    expect(original.size).toBe(4);
    expect(copy.size).toBe(2);
    expect(new Headers().addString("k", "v").toString()).toBe("ConnectHeaders(headers=[ConnectHeader(key=k, value=v, schema=Schema{STRING})])");
  });
});

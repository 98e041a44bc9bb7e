import { describe, expect, it } from "vitest";
import { ConfigException, DataException, Schema, SchemaBuilder, Struct } from "../../../connect/api/index.ts";
import { Cast, castValuePlugin } from "../../../transforms/cast.ts";
import { sourceRecord } from "./helpers.ts";

function configured(configs: Record<string, unknown>, side: "key" | "value" = "value"): Cast {
  const t = new Cast(side);
  t.configure(configs);
  return t;
}

describe("Cast", () => {
  it("casts Struct fields with Java's conversions and keeps optionality and defaults", () => {
    const schema = SchemaBuilder.struct().name("R").field("big", Schema.INT64_SCHEMA).field("d", Schema.FLOAT64_SCHEMA)
      .field("s", SchemaBuilder.string().optional().defaultValue("7")).field("b", Schema.BOOLEAN_SCHEMA).field("keep", Schema.STRING_SCHEMA).build();
    const value = new Struct(schema).put("big", 300n).put("d", 1.5).put("b", true).put("keep", "k");
    const out = configured({ spec: "big:int8,d:string,s:int32,b:float64" }).apply(sourceRecord({ valueSchema: schema, value }))!;
    const s = out.valueSchema!;
    expect(s.name).toBe("R");
    expect(s.fields.map((f) => [f.name, f.schema.type, f.schema.optional])).toEqual([["big", "INT8", false], ["d", "STRING", false], ["s", "INT32", true], ["b", "FLOAT64", false], ["keep", "STRING", false]]);
    expect(s.field("s")!.schema.defaultValue).toBe(7);
    const v = out.value as Struct;
    expect([v.get("big"), v.get("d"), v.get("s"), v.get("b"), v.get("keep")]).toEqual([44, "1.5", 7, 1, "k"]);
  });

  it("casts a whole schemaful key, and schemaless values", () => {
    const out = configured({ spec: "string" }, "key").apply(sourceRecord({ keySchema: Schema.INT64_SCHEMA, key: 5n }))!;
    expect([out.keySchema!.type, out.key]).toEqual(["STRING", "5"]);
    expect(configured({ spec: "a:int32,b:boolean,c:int64" }).apply(sourceRecord({ value: { a: 12345678901, b: "TRUE", c: "-9" } }))!.value).toEqual({ a: -539222987, b: true, c: -9n });
    expect(configured({ spec: "string" }).apply(sourceRecord({ value: Buffer.from([1, 2, 3]), valueSchema: Schema.BYTES_SCHEMA }))!.value).toBe("AQID");
  });

  it("fails on unparseable strings and unsupported inputs", () => {
    expect(() => configured({ spec: "a:int32" }).apply(sourceRecord({ value: { a: "x" } }))).toThrow(DataException);
    expect(() => configured({ spec: "int32" }).apply(sourceRecord({ valueSchema: Schema.BYTES_SCHEMA, value: Buffer.from([1]) }))).toThrow(DataException);
  });

  it("rejects bad specs", () => {
    expect(() => configured({})).toThrow(ConfigException);
    expect(() => configured({ spec: "a:bytes" })).toThrow("Invalid type found in casting spec: bytes");
    expect(() => configured({ spec: "int8,a:int16" })).toThrow(ConfigException);
    expect(() => configured({ spec: "a:b:c" })).toThrow("Invalid cast mapping: a:b:c");
    expect(castValuePlugin.aliases).toEqual(["org.apache.kafka.connect.transforms.Cast$Value"]);
  });
});

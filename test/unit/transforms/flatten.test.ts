import { describe, expect, it } from "vitest";
import { DataException, Schema, SchemaBuilder, Struct } from "../../../connect/api/index.ts";
import { Flatten, flattenValuePlugin } from "../../../transforms/flatten.ts";
import { sourceRecord } from "./helpers.ts";

function configured(configs: Record<string, unknown>, side: "key" | "value" = "value"): Flatten {
  const t = new Flatten(side);
  t.configure(configs);
  return t;
}

const GEO = SchemaBuilder.struct().field("lat", Schema.FLOAT64_SCHEMA).field("lon", SchemaBuilder.float64().optional().defaultValue(0.5)).build();
const ADDRESS = SchemaBuilder.struct().optional().field("city", Schema.STRING_SCHEMA).field("geo", GEO).build();
const SCHEMA = SchemaBuilder.struct().field("id", Schema.INT32_SCHEMA).field("address", ADDRESS).build();

describe("Flatten", () => {
  it("flattens nested Structs; fields under an optional struct become optional", () => {
    const value = new Struct(SCHEMA).put("id", 1).put("address", new Struct(ADDRESS).put("city", "Paris").put("geo", new Struct(GEO).put("lat", 48.8)));
    const out = configured({ delimiter: "_" }).apply(sourceRecord({ valueSchema: SCHEMA, value }))!;
    const schema = out.valueSchema!;
    expect(schema.fields.map((f) => [f.name, f.schema.type, f.schema.optional])).toEqual([
      ["id", "INT32", false],
      ["address_city", "STRING", true],
      ["address_geo_lat", "FLOAT64", true],
      ["address_geo_lon", "FLOAT64", true],
    ]);
    expect(schema.field("address_geo_lon")!.schema.defaultValue).toBe(0.5);
    const s = out.value as Struct;
    expect([s.get("id"), s.get("address_city"), s.get("address_geo_lat"), s.get("address_geo_lon")]).toEqual([1, "Paris", 48.8, 0.5]);
  });

  it("leaves the fields of a null nested struct null", () => {
    const out = configured({}).apply(sourceRecord({ valueSchema: SCHEMA, value: new Struct(SCHEMA).put("id", 1) }))!;
    expect((out.value as Struct).get("address.city")).toBeNull();
  });

  it("flattens schemaless maps (key variant)", () => {
    const out = configured({}, "key").apply(sourceRecord({ key: { a: { b: { c: 1 }, d: [1] }, e: null, f: new Map([["g", "x"]]) } }))!;
    expect(out.key).toEqual({ "a.b.c": 1, "a.d": [1], e: null, "f.g": "x" });
  });

  it("refuses MAP fields with a schema, as Kafka", () => {
    const schema = SchemaBuilder.struct().field("m", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA)).build();
    expect(() => configured({}).apply(sourceRecord({ valueSchema: schema, value: new Struct(schema).put("m", new Map()) }))).toThrow(
      new DataException("Flatten transformation does not support MAP for record with schemas (for field m)."),
    );
    expect(() => configured({ "replace.null.with.default": "x" })).toThrow("Invalid value x for configuration replace.null.with.default");
    expect(flattenValuePlugin.aliases).toEqual(["org.apache.kafka.connect.transforms.Flatten$Value"]);
  });
});

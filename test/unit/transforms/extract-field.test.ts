import { describe, expect, it } from "vitest";
import { Schema, SchemaBuilder, Struct } from "../../../connect/api/index.ts";
import { ExtractField, extractFieldKeyPlugin } from "../../../transforms/extract-field.ts";
import { sourceRecord } from "./helpers.ts";

function configured(configs: Record<string, unknown>, side: "key" | "value" = "key"): ExtractField {
  const t = new ExtractField(side);
  t.configure(configs);
  return t;
}

describe("ExtractField", () => {
  it("extracts a Struct field with its schema", () => {
    const schema = SchemaBuilder.struct().field("magic", Schema.INT32_SCHEMA).build();
    const out = configured({ field: "magic" }).apply(sourceRecord({ keySchema: schema, key: new Struct(schema).put("magic", 42) }))!;
    expect(out.keySchema).toBe(Schema.INT32_SCHEMA);
    expect(out.key).toBe(42);
    const tomb = configured({ field: "magic" }).apply(sourceRecord({ keySchema: schema, key: null }))!;
    expect(tomb.keySchema).toBe(Schema.INT32_SCHEMA);
    expect(tomb.key).toBeNull();
  });

  it("extracts a schemaless map entry (null when absent or a null map)", () => {
    expect(configured({ field: "magic" }).apply(sourceRecord({ key: { magic: 42 } }))!.key).toBe(42);
    expect(configured({ field: "magic" }).apply(sourceRecord({ key: new Map([["magic", "x"]]) }))!.key).toBe("x");
    expect(configured({ field: "nope" }).apply(sourceRecord({ key: { magic: 42 } }))!.key).toBeNull();
    expect(configured({ field: "magic" }, "value").apply(sourceRecord({ value: null }))!.value).toBeNull();
  });

  it("fails on unknown Struct fields and non-map values", () => {
    const schema = SchemaBuilder.struct().field("magic", Schema.INT32_SCHEMA).build();
    expect(() => configured({ field: "nope" }).apply(sourceRecord({ keySchema: schema, key: new Struct(schema).put("magic", 1) }))).toThrow("Unknown field: nope");
    expect(() => configured({ field: "magic" }).apply(sourceRecord({ key: 12 }))).toThrow("Only Map objects supported in absence of schema for [field extraction], found: java.lang.Integer");
  });

  it("rejects bad configs", () => {
    expect(() => configured({})).toThrow('Missing required configuration "field" which has no default value.');
    expect(() => configured({ field: "" })).toThrow("String must be non-empty");
    expect(extractFieldKeyPlugin.aliases).toEqual(["org.apache.kafka.connect.transforms.ExtractField$Key"]);
  });
});

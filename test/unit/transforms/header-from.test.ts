import { describe, expect, it } from "vitest";
import { ConfigException, Schema, SchemaBuilder, Struct } from "../../../connect/api/index.ts";
import { HeaderFrom, headerFromValuePlugin } from "../../../transforms/header-from.ts";
import { sourceRecord } from "./helpers.ts";

function configured(configs: Record<string, unknown>, side: "key" | "value" = "value"): HeaderFrom {
  const t = new HeaderFrom(side);
  t.configure(configs);
  return t;
}

const SCHEMA = SchemaBuilder.struct().name("V").field("a", Schema.INT32_SCHEMA).field("b", Schema.STRING_SCHEMA).build();

describe("HeaderFrom", () => {
  it("moves Struct fields to headers with their schemas", () => {
    const out = configured({ fields: "a", headers: "ha", operation: "move" }).apply(sourceRecord({ valueSchema: SCHEMA, value: new Struct(SCHEMA).put("a", 1).put("b", "x") }))!;
    const h = out.headers.lastWithName("ha")!;
    expect([h.value, h.schema]).toEqual([1, Schema.INT32_SCHEMA]);
    expect(out.valueSchema!.fields.map((f) => f.name)).toEqual(["b"]);
    expect(out.valueSchema!.name).toBe("V");
    expect((out.value as Struct).get("b")).toBe("x");
  });

  it("copies schemaless key entries to headers and keeps the key", () => {
    const original = sourceRecord({ key: { a: 1, b: "x" } });
    const out = configured({ fields: "a,b", headers: "ha,hb", operation: "copy" }, "key").apply(original)!;
    expect(out.key).toEqual({ a: 1, b: "x" });
    expect([...out.headers].map((h) => [h.key, h.value, h.schema])).toEqual([["ha", 1, null], ["hb", "x", null]]);
    expect([...original.headers]).toEqual([]);
  });

  it("rejects bad configs", () => {
    expect(() => configured({ fields: "a,b", headers: "h", operation: "copy" })).toThrow("'fields' config must have the same number of elements as 'headers' config.");
    expect(() => configured({ fields: "a", headers: "h", operation: "swap" })).toThrow(ConfigException);
    expect(headerFromValuePlugin.aliases).toEqual(["org.apache.kafka.connect.transforms.HeaderFrom$Value"]);
  });
});

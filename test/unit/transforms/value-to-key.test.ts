import { describe, expect, it } from "vitest";
import { ConfigException, DataException, Schema, SchemaBuilder, Struct } from "../../../connect/api/index.ts";
import { ValueToKey, valueToKeyPlugin } from "../../../transforms/value-to-key.ts";
import { sourceRecord } from "./helpers.ts";

function configured(configs: Record<string, unknown>): ValueToKey {
  const t = new ValueToKey();
  t.configure(configs);
  return t;
}

describe("ValueToKey", () => {
  it("builds a Struct key from value fields", () => {
    const schema = SchemaBuilder.struct().field("a", Schema.INT32_SCHEMA).field("b", Schema.INT64_SCHEMA).field("c", Schema.STRING_SCHEMA).build();
    const value = new Struct(schema).put("a", 1).put("b", 2n).put("c", "x");
    const out = configured({ fields: "a,b" }).apply(sourceRecord({ valueSchema: schema, value }))!;
    expect(out.keySchema!.fields.map((f) => [f.name, f.schema])).toEqual([["a", Schema.INT32_SCHEMA], ["b", Schema.INT64_SCHEMA]]);
    expect((out.key as Struct).get("b")).toBe(2n);
    expect(out.value).toBe(value);
    expect(() => configured({ fields: "a,nope" }).apply(sourceRecord({ valueSchema: schema, value }))).toThrow(new DataException("Field does not exist: nope"));
  });

  it("builds a map key from a schemaless value", () => {
    expect(configured({ fields: "a,b" }).apply(sourceRecord({ value: { a: 1, b: 2, c: 3 } }))!.key).toEqual({ a: 1, b: 2 });
  });

  it("rejects empty or duplicate field lists", () => {
    expect(() => configured({})).toThrow(ConfigException);
    expect(() => configured({ fields: "" })).toThrow(ConfigException);
    expect(() => configured({ fields: "a,a" })).toThrow(ConfigException);
    expect(valueToKeyPlugin.aliases).toEqual(["org.apache.kafka.connect.transforms.ValueToKey"]);
  });
});

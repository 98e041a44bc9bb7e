import { describe, expect, it } from "vitest";
import { ConfigException, Schema, SchemaBuilder, Struct } from "../../../connect/api/index.ts";
import { ReplaceField, replaceFieldValuePlugin } from "../../../transforms/replace-field.ts";
import { sourceRecord } from "./helpers.ts";

const SCHEMA = SchemaBuilder.struct().name("Row").field("dont", Schema.STRING_SCHEMA).field("abc", Schema.INT32_SCHEMA).field("foo", Schema.BOOLEAN_SCHEMA).field("etc", Schema.STRING_SCHEMA).build();

function configured(configs: Record<string, unknown>, side: "key" | "value" = "value"): ReplaceField {
  const t = new ReplaceField(side);
  t.configure(configs);
  return t;
}

describe("ReplaceField", () => {
  it("excludes, includes and renames Struct fields", () => {
    const value = new Struct(SCHEMA).put("dont", "whatever").put("abc", 42).put("foo", true).put("etc", "etc");
    const out = configured({ include: "abc,foo,dont", exclude: "dont", renames: "abc:xyz,foo:bar" }).apply(sourceRecord({ valueSchema: SCHEMA, value }))!;
    expect(out.valueSchema!.name).toBe("Row");
    expect(out.valueSchema!.fields.map((f) => f.name)).toEqual(["xyz", "bar"]);
    expect((out.value as Struct).get("xyz")).toBe(42);
    expect((out.value as Struct).get("bar")).toBe(true);
  });

  it("works on schemaless maps (key variant)", () => {
    const out = configured({ exclude: "dont", renames: "abc:xyz,foo:bar" }, "key").apply(sourceRecord({ key: { dont: "x", abc: 42, foo: true, etc: "etc" } }))!;
    expect(out.key).toEqual({ xyz: 42, bar: true, etc: "etc" });
  });

  it("accepts Kafka's deprecated whitelist and blacklist keys", () => {
    expect(configured({ whitelist: "abc,etc", blacklist: "etc" }).apply(sourceRecord({ value: { abc: 1, etc: 2, foo: 3 } }))!.value).toEqual({ abc: 1 });
    expect(configured({ include: "foo", whitelist: "abc" }).apply(sourceRecord({ value: { abc: 1, foo: 3 } }))!.value).toEqual({ foo: 3 });
  });

  it("passes tombstones through", () => {
    const tomb = sourceRecord({ valueSchema: SCHEMA, value: null });
    expect(configured({ exclude: "abc" }).apply(tomb)).toBe(tomb);
  });

  it("rejects bad rename mappings", () => {
    expect(() => configured({ renames: "abc" })).toThrow(ConfigException);
    expect(() => configured({ renames: "abc:xyz:q" })).toThrow("Invalid rename mapping: abc:xyz:q");
    expect(replaceFieldValuePlugin.configDef.validate({ renames: "a:b,c" }).find((v) => v.name === "renames")!.errors[0]).toContain("Invalid rename mapping: c");
  });

  it("is registered under Kafka's class name", () => {
    expect(replaceFieldValuePlugin.aliases).toEqual(["org.apache.kafka.connect.transforms.ReplaceField$Value"]);
  });
});

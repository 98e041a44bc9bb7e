import { describe, expect, it } from "vitest";
import { Schema, Struct } from "../../../connect/api/index.ts";
import { HoistField, hoistFieldValuePlugin } from "../../../transforms/hoist-field.ts";
import { sourceRecord } from "./helpers.ts";

function configured(configs: Record<string, unknown>, side: "key" | "value" = "value"): HoistField {
  const t = new HoistField(side);
  t.configure(configs);
  return t;
}

describe("HoistField", () => {
  it("wraps a schemaful value in a one-field Struct", () => {
    const out = configured({ field: "magic" }).apply(sourceRecord({ valueSchema: Schema.INT32_SCHEMA, value: 42 }))!;
    expect(out.valueSchema!.fields.map((f) => [f.name, f.schema])).toEqual([["magic", Schema.INT32_SCHEMA]]);
    expect((out.value as Struct).get("magic")).toBe(42);
  });

  it("wraps a schemaless key in a one-entry map", () => {
    const out = configured({ field: "magic" }, "key").apply(sourceRecord({ key: 42 }))!;
    expect(out.keySchema).toBeNull();
    expect(out.key).toEqual({ magic: 42 });
  });

  it("requires field", () => {
    expect(() => configured({})).toThrow('Missing required configuration "field" which has no default value.');
    expect(hoistFieldValuePlugin.aliases).toEqual(["org.apache.kafka.connect.transforms.HoistField$Value"]);
  });
});

import { describe, expect, it } from "vitest";
import { Schema, SchemaBuilder } from "../../../../../connect/api/index.ts";

describe("Schema.with", () => {
  it("copies every attribute but the ones changed", () => {
    const struct = SchemaBuilder.struct().name("n").version(3).doc("d").parameter("p", "v").field("a", Schema.INT32_SCHEMA).build();
    const optional = struct.with({ optional: true });
    expect(optional.optional).toBe(true);
    expect(optional.with({ optional: false }).equals(struct)).toBe(true);
    expect([optional.name, optional.version, optional.doc, optional.parameters?.get("p"), optional.fields.map((f) => f.name)]).toEqual(["n", 3, "d", "v", ["a"]]);
    const renamed = SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT64_SCHEMA).build().with({ name: "m" });
    expect([renamed.name, renamed.keySchema, renamed.valueSchema]).toEqual(["m", Schema.STRING_SCHEMA, Schema.INT64_SCHEMA]);
    expect(struct.optional).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { ConfigException, DataException, Schema, SchemaBuilder, Struct } from "../../../connect/api/index.ts";
import { SetSchemaMetadata, setSchemaMetadataValuePlugin } from "../../../transforms/set-schema-metadata.ts";
import { sourceRecord } from "./helpers.ts";

function configured(configs: Record<string, unknown>, side: "key" | "value" = "value"): SetSchemaMetadata {
  const t = new SetSchemaMetadata(side);
  t.configure(configs);
  return t;
}

describe("SetSchemaMetadata", () => {
  it("sets name and version on a Struct schema and re-creates the Struct", () => {
    const schema = SchemaBuilder.struct().name("old").version(1).doc("d").field("a", Schema.INT32_SCHEMA).build();
    const out = configured({ "schema.name": "new.Name", "schema.version": "3" }).apply(sourceRecord({ valueSchema: schema, value: new Struct(schema).put("a", 5) }))!;
    expect([out.valueSchema!.name, out.valueSchema!.version, out.valueSchema!.doc]).toEqual(["new.Name", 3, "d"]);
    expect((out.value as Struct).schema).toBe(out.valueSchema);
    expect((out.value as Struct).get("a")).toBe(5);
  });

  it("keeps what is not configured, for a primitive key schema", () => {
    const schema = SchemaBuilder.string().name("k").version(7).optional().build();
    const out = configured({ "schema.name": "k2" }, "key").apply(sourceRecord({ keySchema: schema, key: "x" }))!;
    expect([out.keySchema!.type, out.keySchema!.name, out.keySchema!.version, out.keySchema!.optional, out.key]).toEqual(["STRING", "k2", 7, true, "x"]);
  });

  it("requires a schema and some configuration", () => {
    expect(() => configured({ "schema.name": "n" }).apply(sourceRecord({ value: { a: 1 } }))).toThrow(new DataException("Schema required for [updating schema metadata]"));
    expect(() => configured({})).toThrow(new ConfigException("Neither schema name nor version configured"));
    expect(() => configured({ "schema.version": "x" })).toThrow("Invalid value x for configuration schema.version: Not a number of type INT");
    expect(setSchemaMetadataValuePlugin.aliases).toEqual(["org.apache.kafka.connect.transforms.SetSchemaMetadata$Value"]);
  });
});

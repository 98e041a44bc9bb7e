import { describe, expect, it } from "vitest";
import { ConfigException, ConnectDate, DataException, Decimal, Schema, SchemaBuilder, Struct } from "../../../connect/api/index.ts";
import { MaskField, maskFieldValuePlugin } from "../../../transforms/mask-field.ts";
import { sourceRecord } from "./helpers.ts";

function configured(configs: Record<string, unknown>, side: "key" | "value" = "value"): MaskField {
  const t = new MaskField(side);
  t.configure(configs);
  return t;
}

const SCHEMA = SchemaBuilder.struct()
  .field("b", Schema.BOOLEAN_SCHEMA).field("i", Schema.INT32_SCHEMA).field("l", Schema.INT64_SCHEMA).field("d", Schema.FLOAT64_SCHEMA)
  .field("s", Schema.STRING_SCHEMA).field("dec", Decimal.schema(2)).field("date", ConnectDate.SCHEMA)
  .field("arr", SchemaBuilder.array(Schema.INT32_SCHEMA)).field("keep", Schema.STRING_SCHEMA)
  .build();

function value(): Struct {
  return new Struct(SCHEMA).put("b", true).put("i", 5).put("l", 6n).put("d", 1.5).put("s", "secret").put("dec", Decimal.parse("1.25"))
    .put("date", new Date(86_400_000 * 3)).put("arr", [1, 2]).put("keep", "k");
}

describe("MaskField", () => {
  it("masks Struct fields with their type's empty value", () => {
    const out = configured({ fields: "b,i,l,d,s,dec,date,arr" }).apply(sourceRecord({ valueSchema: SCHEMA, value: value() }))!;
    const s = out.value as Struct;
    expect([s.get("b"), s.get("i"), s.get("l"), s.get("d"), s.get("s"), s.get("arr"), s.get("keep")]).toEqual([false, 0, 0n, 0, "", [], "k"]);
    expect((s.get("dec") as Decimal).toString()).toBe("0.00");
    expect((s.get("date") as Date).getTime()).toBe(0);
    expect(out.valueSchema).toBe(SCHEMA);
  });

  it("masks with a custom replacement converted to the field type", () => {
    const s = configured({ fields: "i,l,s", replacement: "123" }).apply(sourceRecord({ valueSchema: SCHEMA, value: value() }))!.value as Struct;
    expect([s.get("i"), s.get("l"), s.get("s")]).toEqual([123, 123n, "123"]);
    expect(() => configured({ fields: "i", replacement: "abc" }).apply(sourceRecord({ valueSchema: SCHEMA, value: value() }))).toThrow("Unable to convert abc (class java.lang.String) to number");
    expect(() => configured({ fields: "b", replacement: "abc" }).apply(sourceRecord({ valueSchema: SCHEMA, value: value() }))).toThrow(DataException);
  });

  it("masks schemaless map entries", () => {
    const out = configured({ fields: "n,s,m,list,missing" }, "key").apply(sourceRecord({ key: { n: 5, s: "x", m: { a: 1 }, list: [1], other: 2 } }))!;
    expect(out.key).toEqual({ n: 0, s: "", m: {}, list: [], other: 2 });
  });

  it("rejects bad configs", () => {
    expect(() => configured({})).toThrow(ConfigException);
    expect(() => configured({ fields: "a", replacement: "" })).toThrow("String must be non-empty");
    expect(maskFieldValuePlugin.aliases).toEqual(["org.apache.kafka.connect.transforms.MaskField$Value"]);
  });
});

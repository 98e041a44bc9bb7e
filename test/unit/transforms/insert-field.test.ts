import { describe, expect, it } from "vitest";
import { ConfigException, ConnectTimestamp, DataException, Schema, SchemaBuilder, Struct } from "../../../connect/api/index.ts";
import { InsertField, insertFieldKeyPlugin, insertFieldValuePlugin } from "../../../transforms/insert-field.ts";
import { sinkRecord, sourceRecord } from "./helpers.ts";

const SCHEMA = SchemaBuilder.struct().name("com.example.Order").version(2).field("id", Schema.INT64_SCHEMA).field("note", SchemaBuilder.string().optional().defaultValue("none")).build();

function configured(side: "key" | "value", configs: Record<string, unknown>): InsertField {
  const t = new InsertField(side);
  t.configure(configs);
  return t;
}

const ALL = { "topic.field": "topic!", "partition.field": "partition", "offset.field": "offset?", "timestamp.field": "ts", "static.field": "origin", "static.value": "hub" };

describe("InsertField", () => {
  it("adds metadata fields to a Struct value, with Kafka's schemas and required/optional suffixes", () => {
    const value = new Struct(SCHEMA).put("id", 7n);
    const out = configured("value", ALL).apply(sinkRecord({ valueSchema: SCHEMA, value }))!;
    const schema = out.valueSchema!;
    expect(schema.name).toBe("com.example.Order");
    expect(schema.version).toBe(2);
    expect(schema.fields.map((f) => f.name)).toEqual(["id", "note", "topic", "partition", "offset", "ts", "origin"]);
    expect(schema.field("topic")!.schema.equals(Schema.STRING_SCHEMA)).toBe(true);
    expect(schema.field("partition")!.schema.equals(Schema.OPTIONAL_INT32_SCHEMA)).toBe(true);
    expect(schema.field("offset")!.schema.equals(Schema.OPTIONAL_INT64_SCHEMA)).toBe(true);
    expect(schema.field("ts")!.schema.name).toBe(ConnectTimestamp.LOGICAL_NAME);
    const s = out.value as Struct;
    expect(s.get("id")).toBe(7n);
    expect(s.get("note")).toBe("none");
    expect(s.get("topic")).toBe("orders");
    expect(s.get("partition")).toBe(3);
    expect(s.get("offset")).toBe(42n);
    expect((s.get("ts") as Date).getTime()).toBe(1_700_000_000_123);
    expect(s.get("origin")).toBe("hub");
  });

  it("keeps a null field null with replace.null.with.default=false", () => {
    const value = new Struct(SCHEMA).put("id", 7n);
    const out = configured("value", { "topic.field": "t", "replace.null.with.default": "false" }).apply(sourceRecord({ valueSchema: SCHEMA, value }))!;
    expect((out.value as Struct).getWithoutDefault("note")).toBeNull();
  });

  it("adds fields to a schemaless map (key variant) and leaves the value alone", () => {
    const out = configured("key", { "topic.field": "topic", "partition.field": "p", "timestamp.field": "ts" }).apply(sourceRecord({ key: { id: 1 }, value: "v" }))!;
    expect(out.keySchema).toBeNull();
    expect(out.key).toEqual({ id: 1, topic: "orders", p: 3, ts: 1_700_000_000_123 });
    expect(out.value).toBe("v");
  });

  it("passes tombstones through, refuses offsets on source records and non-map values", () => {
    const t = configured("value", { "offset.field": "o" });
    const tomb = sourceRecord({ value: null });
    expect(t.apply(tomb)).toBe(tomb);
    expect(() => t.apply(sourceRecord({ value: {} }))).toThrow(DataException);
    expect(() => configured("value", { "topic.field": "t" }).apply(sourceRecord({ value: "text" }))).toThrow("Only Map objects supported in absence of schema for [field insertion], found: java.lang.String");
    expect(() => configured("value", { "topic.field": "t" }).apply(sourceRecord({ valueSchema: Schema.STRING_SCHEMA, value: "text" }))).toThrow("Only Struct objects supported for [field insertion], found: java.lang.String");
  });

  it("rejects bad configs", () => {
    expect(() => configured("value", {})).toThrow(new ConfigException("No field insertion configured"));
    expect(() => configured("value", { "static.field": "x" })).toThrow(ConfigException);
    expect(() => configured("value", { "topic.field": "t", "replace.null.with.default": "maybe" })).toThrow("Invalid value maybe for configuration replace.null.with.default");
  });

  it("is registered under Kafka's class names", () => {
    expect(insertFieldValuePlugin.aliases).toContain("org.apache.kafka.connect.transforms.InsertField$Value");
    expect(insertFieldKeyPlugin.aliases).toContain("org.apache.kafka.connect.transforms.InsertField$Key");
    expect(insertFieldKeyPlugin.kind).toBe("transformation");
    expect(insertFieldValuePlugin.create()).toBeInstanceOf(InsertField);
  });
});

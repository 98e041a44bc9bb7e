import { describe, expect, it } from "vitest";
import { ConfigException, type ConnectRecord, Schema, SchemaBuilder, Struct } from "../../../../connect/api/index.ts";
import { ExtractNewRecordState, extractNewRecordStatePlugin } from "../../../../transforms/debezium/extract-new-record-state.ts";
import { TRANSFORMATION_PLUGINS } from "../../../../transforms/index.ts";
import { sourceRecord } from "../helpers.ts";

// Debezium-shaped change events of a Postgres table public.orders on server "srv".
const ROW = SchemaBuilder.struct()
  .name("srv.public.orders.Value")
  .optional()
  .field("id", Schema.INT32_SCHEMA)
  .field("name", Schema.OPTIONAL_STRING_SCHEMA)
  .field("status", SchemaBuilder.string().optional().defaultValue("new"))
  .field("dest", Schema.OPTIONAL_STRING_SCHEMA)
  .build();
const KEY = SchemaBuilder.struct().name("srv.public.orders.Key").field("id", Schema.INT32_SCHEMA).field("tenant", Schema.OPTIONAL_STRING_SCHEMA).build();
const SOURCE = SchemaBuilder.struct()
  .name("io.debezium.connector.postgresql.Source")
  .field("version", Schema.STRING_SCHEMA)
  .field("connector", Schema.STRING_SCHEMA)
  .field("name", Schema.STRING_SCHEMA)
  .field("ts_ms", Schema.INT64_SCHEMA)
  .field("db", Schema.STRING_SCHEMA)
  .field("schema", Schema.STRING_SCHEMA)
  .field("table", Schema.STRING_SCHEMA)
  .field("lsn", Schema.OPTIONAL_INT64_SCHEMA)
  .build();
const ENVELOPE = SchemaBuilder.struct()
  .name("srv.public.orders.Envelope")
  .field("before", ROW)
  .field("after", ROW)
  .field("source", SOURCE)
  .field("op", Schema.STRING_SCHEMA)
  .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
  .build();

function row(id: number, name: string | null, extra: { status?: string; dest?: string } = {}): Struct {
  const s = new Struct(ROW).put("id", id).put("name", name);
  if (extra.status !== undefined) s.put("status", extra.status);
  if (extra.dest !== undefined) s.put("dest", extra.dest);
  return s;
}

function source(): Struct {
  return new Struct(SOURCE).put("version", "3.0.0").put("connector", "postgresql").put("name", "srv").put("ts_ms", 1_700_000_000_000n).put("db", "shop").put("schema", "public").put("table", "orders").put("lsn", 123_456_789n);
}

function event(op: "c" | "u" | "d" | "r" | "t", before: Struct | null, after: Struct | null): ConnectRecord {
  const value = new Struct(ENVELOPE).put("before", before).put("after", after).put("source", source()).put("op", op).put("ts_ms", 1_700_000_000_500n);
  const key = new Struct(KEY).put("id", (after ?? before)?.get("id") ?? 0).put("tenant", "acme");
  return sourceRecord({ topic: "srv.public.orders", keySchema: KEY, key, valueSchema: ENVELOPE, value });
}

const create = (): ConnectRecord => event("c", null, row(1, "widget"));
const update = (): ConnectRecord => event("u", row(1, "widget"), row(1, "gadget", { status: "paid" }));
const read = (): ConnectRecord => event("r", null, row(2, "snap"));
const del = (): ConnectRecord => event("d", row(1, "gadget", { status: "paid" }), null);
const tombstone = (): ConnectRecord => sourceRecord({ topic: "srv.public.orders", keySchema: KEY, key: new Struct(KEY).put("id", 1), valueSchema: null, value: null });

function configured(configs: Record<string, unknown> = {}): ExtractNewRecordState {
  const t = new ExtractNewRecordState();
  t.configure(configs);
  return t;
}

function valueOf(out: ConnectRecord | null): Struct {
  expect(out).not.toBeNull();
  expect(out!.value).toBeInstanceOf(Struct);
  return out!.value as Struct;
}

describe("ExtractNewRecordState", () => {
  it("replaces create, update and read envelopes with the after state (same schema, key and topic kept)", () => {
    const t = configured();
    for (const [record, id, name] of [
      [create(), 1, "widget"],
      [update(), 1, "gadget"],
      [read(), 2, "snap"],
    ] as const) {
      const out = t.apply(record)!;
      expect(out.valueSchema).toBe(ROW);
      expect(valueOf(out).get("id")).toBe(id);
      expect(valueOf(out).get("name")).toBe(name);
      expect(out.topic).toBe("srv.public.orders");
      expect(out.key).toBe(record.key);
      expect(out.keySchema).toBe(KEY);
    }
    expect(valueOf(t.apply(update())).get("status")).toBe("paid");
  });

  it("by default drops delete events and tombstones; truncate events are dropped", () => {
    const t = configured();
    expect(t.apply(del())).toBeNull();
    expect(t.apply(tombstone())).toBeNull();
    expect(t.apply(event("t", null, null))).toBeNull();
  });

  it("drop.tombstones=false keeps tombstones unchanged (deletes still dropped)", () => {
    const t = configured({ "drop.tombstones": "false" });
    const tomb = tombstone();
    expect(t.apply(tomb)).toBe(tomb);
    expect(t.apply(del())).toBeNull();
  });

  it("delete.handling.mode=rewrite emits the before state with __deleted=\"true\", and \"false\" on other events", () => {
    const t = configured({ "delete.handling.mode": "rewrite" });
    const deleted = t.apply(del())!;
    const schema = deleted.valueSchema!;
    expect(schema.name).toBe("srv.public.orders.Value");
    expect(schema.fields.map((f) => f.name)).toEqual(["id", "name", "status", "dest", "__deleted"]);
    expect(schema.field("__deleted")!.schema.equals(Schema.OPTIONAL_STRING_SCHEMA)).toBe(true);
    expect(valueOf(deleted).get("id")).toBe(1);
    expect(valueOf(deleted).get("status")).toBe("paid");
    expect(valueOf(deleted).get("__deleted")).toBe("true");
    const created = t.apply(create())!;
    expect(valueOf(created).get("__deleted")).toBe("false");
    expect(created.valueSchema).toBe(schema);
    expect(t.apply(tombstone())).toBeNull();
  });

  it("delete.handling.mode=none keeps a delete as a null value with the row schema", () => {
    const t = configured({ "delete.handling.mode": "none" });
    const out = t.apply(del())!;
    expect(out.value).toBeNull();
    expect(out.valueSchema).toBe(ROW);
    expect(out.key).toBeInstanceOf(Struct);
    expect(t.apply(tombstone())).toBeNull();
    const keep = configured({ "delete.handling.mode": "none", "drop.tombstones": false });
    expect(keep.apply(tombstone())).not.toBeNull();
  });

  it("delete.tombstone.handling.mode: each mode's fate for deletes and tombstones, taking precedence over the legacy keys", () => {
    const cases: [string, "dropped" | "rewritten" | "tombstone", boolean][] = [
      ["drop", "dropped", false],
      ["tombstone", "dropped", true],
      ["rewrite", "rewritten", false],
      ["rewrite-with-tombstone", "rewritten", true],
      ["delete-to-tombstone", "tombstone", false],
    ];
    for (const [mode, deleteFate, keepsTombstones] of cases) {
      // The legacy settings say the opposite everywhere; the new key wins.
      const t = configured({ "delete.tombstone.handling.mode": mode, "drop.tombstones": "false", "delete.handling.mode": "none" });
      const out = t.apply(del());
      if (deleteFate === "dropped") expect(out, mode).toBeNull();
      if (deleteFate === "rewritten") expect(valueOf(out).get("__deleted"), mode).toBe("true");
      if (deleteFate === "tombstone") {
        expect(out!.value, mode).toBeNull();
        expect(out!.valueSchema, mode).toBeNull();
        expect((out!.key as Struct).get("id"), mode).toBe(1);
      }
      const tomb = tombstone();
      expect(t.apply(tomb), mode).toBe(keepsTombstones ? tomb : null);
      expect(valueOf(t.apply(create())).get("id"), mode).toBe(1);
    }
  });

  it("add.fields adds top-level and source metadata with their schemas made optional", () => {
    const t = configured({ "add.fields": "op,table,lsn,source.ts_ms,ts_ms,db:database", "delete.tombstone.handling.mode": "rewrite" });
    const out = t.apply(update())!;
    const schema = out.valueSchema!;
    expect(schema.fields.map((f) => f.name)).toEqual(["id", "name", "status", "dest", "__deleted", "__op", "__table", "__lsn", "__source_ts_ms", "__ts_ms", "__database"]);
    expect(schema.field("__op")!.schema.equals(Schema.OPTIONAL_STRING_SCHEMA)).toBe(true);
    expect(schema.field("__source_ts_ms")!.schema.equals(Schema.OPTIONAL_INT64_SCHEMA)).toBe(true);
    const v = valueOf(out);
    expect(v.get("__op")).toBe("u");
    expect(v.get("__table")).toBe("orders");
    expect(v.get("__lsn")).toBe(123_456_789n);
    expect(v.get("__source_ts_ms")).toBe(1_700_000_000_000n);
    expect(v.get("__ts_ms")).toBe(1_700_000_000_500n);
    expect(v.get("__database")).toBe("shop");
    const deleted = valueOf(t.apply(del()));
    expect(deleted.get("__op")).toBe("d");
    expect(deleted.get("__deleted")).toBe("true");
    expect(() => v.validate()).not.toThrow();
  });

  it("add.fields without rewrite, with a custom prefix and a field the envelope lacks", () => {
    const t = configured({ "add.fields": "op,nope", "add.fields.prefix": "meta_" });
    const out = t.apply(create())!;
    expect(out.valueSchema!.fields.map((f) => f.name)).toEqual(["id", "name", "status", "dest", "meta_op", "meta_nope"]);
    expect(out.valueSchema!.field("meta_nope")!.schema.equals(Schema.OPTIONAL_STRING_SCHEMA)).toBe(true);
    expect(valueOf(out).get("meta_op")).toBe("c");
    expect(valueOf(out).get("meta_nope")).toBeNull();
  });

  it("add.headers adds metadata headers (absent fields skipped) and keeps existing ones", () => {
    const t = configured({ "add.headers": "op,db,source.ts_ms,nope", "delete.tombstone.handling.mode": "rewrite" });
    const record = create();
    record.headers.addString("trace", "abc");
    const out = t.apply(record)!;
    expect(out.headers.toArray().map((h) => h.key)).toEqual(["trace", "__op", "__db", "__source_ts_ms"]);
    expect(out.headers.lastWithName("__op")!.value).toBe("c");
    expect(out.headers.lastWithName("__db")!.value).toBe("shop");
    expect(out.headers.lastWithName("__source_ts_ms")!.value).toBe(1_700_000_000_000n);
    expect(out.headers.lastWithName("__source_ts_ms")!.schema!.equals(Schema.OPTIONAL_INT64_SCHEMA)).toBe(true);
    expect(record.headers.toArray()).toHaveLength(1);
    expect(t.apply(del())!.headers.lastWithName("__op")!.value).toBe("d");
    const prefixed = configured({ "add.headers": "table", "add.headers.prefix": "cdc." }).apply(create())!;
    expect(prefixed.headers.lastWithName("cdc.table")!.value).toBe("orders");
  });

  it("route.by.field sends the record to the topic named by a row field (before for rewritten deletes)", () => {
    const t = configured({ "route.by.field": "dest", "delete.tombstone.handling.mode": "rewrite" });
    expect(t.apply(event("c", null, row(5, "x", { dest: "orders-eu" })))!.topic).toBe("orders-eu");
    expect(t.apply(event("d", row(5, "x", { dest: "orders-us" }), null))!.topic).toBe("orders-us");
    expect(t.apply(create())!.topic).toBe("srv.public.orders");
  });

  it("drop.fields.header.name drops listed optional fields from the value, and from the key with drop.fields.from.key", () => {
    const record = update();
    record.headers.add("dropped", ["name", "id", "tenant"], SchemaBuilder.array(Schema.STRING_SCHEMA).build());
    const out = configured({ "drop.fields.header.name": "dropped" }).apply(record)!;
    // id is required: kept while drop.fields.keep.schema.compatible is true.
    expect(out.valueSchema!.fields.map((f) => f.name)).toEqual(["id", "status", "dest"]);
    expect(valueOf(out).get("status")).toBe("paid");
    expect(out.key).toBe(record.key);

    const both = configured({ "drop.fields.header.name": "dropped", "drop.fields.from.key": true, "drop.fields.keep.schema.compatible": false }).apply(record)!;
    expect(both.valueSchema!.fields.map((f) => f.name)).toEqual(["status", "dest"]);
    expect(both.keySchema!.fields.map((f) => f.name)).toEqual([]);
    expect(both.keySchema!.name).toBe("srv.public.orders.Key");

    const noHeader = configured({ "drop.fields.header.name": "dropped" }).apply(update())!;
    expect(noHeader.valueSchema).toBe(ROW);
  });

  it("replace.null.with.default=false keeps nulls when the row is rebuilt", () => {
    const withDefault = valueOf(configured({ "add.fields": "op" }).apply(create()));
    expect(withDefault.get("status")).toBe("new");
    const withoutDefault = valueOf(configured({ "add.fields": "op", "replace.null.with.default": "false" }).apply(create()));
    expect(withoutDefault.getWithoutDefault("status")).toBeNull();
  });

  it("passes records that are not change events through unchanged", () => {
    const t = configured({ "delete.tombstone.handling.mode": "rewrite", "add.fields": "op" });
    const heartbeatSchema = SchemaBuilder.struct().name("io.debezium.connector.common.Heartbeat").field("ts_ms", Schema.INT64_SCHEMA).build();
    const records = [
      sourceRecord({ valueSchema: heartbeatSchema, value: new Struct(heartbeatSchema).put("ts_ms", 1n) }),
      sourceRecord({ value: { before: null, after: { id: 1 }, op: "c" } }),
      sourceRecord({ valueSchema: Schema.STRING_SCHEMA, value: "text" }),
    ];
    for (const r of records) expect(t.apply(r)).toBe(r);
  });

  it("rejects unknown modes and malformed field references", () => {
    expect(() => configured({ "delete.handling.mode": "soft" })).toThrow(ConfigException);
    expect(() => configured({ "delete.tombstone.handling.mode": "none" })).toThrow(ConfigException);
    expect(() => configured({ "add.fields": "source..ts_ms" })).toThrow(ConfigException);
  });

  it("is registered under Debezium's class name", () => {
    expect(TRANSFORMATION_PLUGINS).toContain(extractNewRecordStatePlugin);
    expect(extractNewRecordStatePlugin.aliases).toEqual(["io.debezium.transforms.ExtractNewRecordState"]);
    expect(extractNewRecordStatePlugin.kind).toBe("transformation");
    expect(extractNewRecordStatePlugin.create().config()).toBe(extractNewRecordStatePlugin.configDef);
  });
});

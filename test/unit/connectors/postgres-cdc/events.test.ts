// Debezium's record shapes for a table: key, row and envelope schemas (names, versions, field
// order), the source block, each op, truncate, and the JSON the JsonConverter writes for them —
// compared with a record of Debezium 3.1's PostgreSQL connector (envelope "version": 2, source
// "version": 1, transaction block "event.block" before op; see the Debezium tutorial output).
import { describe, expect, it } from "vitest";
import { Struct } from "../../../../connect/api/index.ts";
import { JsonConverter } from "../../../../connect/converters/json-converter.ts";
import type { ColumnInfo, SourceInfo, TableInfo } from "../../../../connectors/postgres-cdc/contracts.ts";
import { columnFilter, tableFilter } from "../../../../connectors/postgres-cdc/catalog.ts";
import { createTableEventBuilder, DEFAULT_TYPE_MAPPING, type EventBuilderOptions } from "../../../../connectors/postgres-cdc/events/index.ts";

const col = (name: string, position: number, typeName: string, extra: Partial<ColumnInfo> = {}): ColumnInfo => ({
  name,
  position,
  typeOid: 0,
  typeModifier: -1,
  typeName,
  typeCategory: "X",
  optional: true,
  ...extra,
});

const customers: TableInfo = {
  schema: "inventory",
  table: "customers",
  relationId: 16400,
  columns: [
    col("id", 1, "int4", { optional: false, defaultExpression: "nextval('inventory.customers_id_seq'::regclass)" }),
    col("first_name", 2, "varchar", { optional: false }),
    col("email", 3, "varchar"),
    col("secret", 4, "text"),
  ],
  primaryKey: ["id"],
  replicaIdentity: "d",
};

const options: EventBuilderOptions = { topicPrefix: "dbserver1", database: "postgres", connectorVersion: "3.1.3.Final", types: DEFAULT_TYPE_MAPPING };

const source: SourceInfo = {
  version: "3.1.3.Final",
  name: "dbserver1",
  tsMs: 1766925059528,
  tsUs: 1766925059528750n,
  snapshot: "false",
  db: "postgres",
  schema: "inventory",
  table: "customers",
  txId: 779,
  lsn: 34389336n,
  sequence: '["34389280","34389336"]',
  xmin: null,
};

function json(schema: Parameters<JsonConverter["fromConnectData"]>[2], value: unknown): unknown {
  const converter = new JsonConverter();
  converter.configure({ "schemas.enable": "true" }, false);
  return JSON.parse(converter.fromConnectData("t", null, schema, value)?.toString() ?? "null");
}

describe("table event builder", () => {
  it("names the topic and schemas after topic.prefix, schema and table", () => {
    const builder = createTableEventBuilder(customers, options);
    expect(builder.topic).toBe("dbserver1.inventory.customers");
    expect(builder.keySchema?.name).toBe("dbserver1.inventory.customers.Key");
    expect(builder.keySchema?.fields.map((f) => f.name)).toEqual(["id"]);
    expect(builder.rowSchema.name).toBe("dbserver1.inventory.customers.Value");
    expect(builder.rowSchema.optional).toBe(true);
    expect(builder.envelopeSchema.name).toBe("dbserver1.inventory.customers.Envelope");
    expect(builder.envelopeSchema.version).toBe(2);
    expect(builder.envelopeSchema.fields.map((f) => f.name)).toEqual(["before", "after", "source", "transaction", "op", "ts_ms", "ts_us", "ts_ns"]);
  });

  it("writes Debezium's envelope JSON for an update", () => {
    const builder = createTableEventBuilder(customers, options);
    const event = builder.build(
      { op: "u", before: { id: "1006", first_name: "Liam", email: "liam2@example.com", secret: "s" }, after: { id: "1006", first_name: "Liam", email: "liam3@example.com", secret: "s" } },
      source,
      1766925059873,
    );
    expect(json(event.keySchema, event.key)).toEqual({
      schema: { type: "struct", fields: [{ type: "int32", optional: false, default: 0, field: "id" }], optional: false, name: "dbserver1.inventory.customers.Key" },
      payload: { id: 1006 },
    });
    const value = json(event.valueSchema, event.value) as { schema: { fields: unknown[] }; payload: unknown };
    const row = {
      type: "struct",
      fields: [
        { type: "int32", optional: false, default: 0, field: "id" },
        { type: "string", optional: false, field: "first_name" },
        { type: "string", optional: true, field: "email" },
        { type: "string", optional: true, field: "secret" },
      ],
      optional: true,
      name: "dbserver1.inventory.customers.Value",
    };
    expect(value.schema).toEqual({
      type: "struct",
      fields: [
        { ...row, field: "before" },
        { ...row, field: "after" },
        {
          type: "struct",
          fields: [
            { type: "string", optional: false, field: "version" },
            { type: "string", optional: false, field: "connector" },
            { type: "string", optional: false, field: "name" },
            { type: "int64", optional: false, field: "ts_ms" },
            {
              type: "string",
              optional: true,
              name: "io.debezium.data.Enum",
              version: 1,
              parameters: { allowed: "true,first,first_in_data_collection,last_in_data_collection,last,false,incremental" },
              default: "false",
              field: "snapshot",
            },
            { type: "string", optional: false, field: "db" },
            { type: "string", optional: true, field: "sequence" },
            { type: "int64", optional: true, field: "ts_us" },
            { type: "int64", optional: true, field: "ts_ns" },
            { type: "string", optional: false, field: "schema" },
            { type: "string", optional: false, field: "table" },
            { type: "int64", optional: true, field: "txId" },
            { type: "int64", optional: true, field: "lsn" },
            { type: "int64", optional: true, field: "xmin" },
          ],
          optional: false,
          name: "io.debezium.connector.postgresql.Source",
          version: 1,
          field: "source",
        },
        {
          type: "struct",
          fields: [
            { type: "string", optional: false, field: "id" },
            { type: "int64", optional: false, field: "total_order" },
            { type: "int64", optional: false, field: "data_collection_order" },
          ],
          optional: true,
          name: "event.block",
          version: 1,
          field: "transaction",
        },
        { type: "string", optional: false, field: "op" },
        { type: "int64", optional: true, field: "ts_ms" },
        { type: "int64", optional: true, field: "ts_us" },
        { type: "int64", optional: true, field: "ts_ns" },
      ],
      optional: false,
      name: "dbserver1.inventory.customers.Envelope",
      version: 2,
    });
    expect(value.payload).toEqual({
      before: { id: 1006, first_name: "Liam", email: "liam2@example.com", secret: "s" },
      after: { id: 1006, first_name: "Liam", email: "liam3@example.com", secret: "s" },
      source: {
        version: "3.1.3.Final",
        connector: "postgresql",
        name: "dbserver1",
        ts_ms: 1766925059528,
        snapshot: "false",
        db: "postgres",
        sequence: '["34389280","34389336"]',
        ts_us: 1766925059528750,
        ts_ns: 1766925059528750000,
        schema: "inventory",
        table: "customers",
        txId: 779,
        lsn: 34389336,
        xmin: null,
      },
      transaction: null,
      op: "u",
      ts_ms: 1766925059873,
      ts_us: 1766925059873000,
      ts_ns: 1766925059873000000,
    });
  });

  it("builds creates, reads, deletes with a key-only old row, and snapshot markers", () => {
    const builder = createTableEventBuilder(customers, options);
    const created = builder.build({ op: "c", after: { id: "1", first_name: "A", email: null, secret: "x" } }, source, 1);
    expect((created.value.get("after") as Struct).get("email")).toBeNull();
    expect(created.value.get("before")).toBeNull();
    expect(created.value.get("op")).toBe("c");
    const read = builder.build({ op: "r", after: { id: "2", first_name: "B", email: "b@x", secret: "y" } }, { ...source, snapshot: "last" }, 1);
    expect((read.value.get("source") as Struct).get("snapshot")).toBe("last");
    // REPLICA IDENTITY DEFAULT: the old tuple holds the key only; NOT NULL columns get Debezium's fallback
    const deleted = builder.build({ op: "d", before: { id: "3" } }, source, 1);
    expect(deleted.key?.get("id")).toBe(3);
    const before = deleted.value.get("before") as Struct;
    expect([before.get("id"), before.get("first_name"), before.get("email")]).toEqual([3, "", null]);
    expect(deleted.value.get("after")).toBeNull();
  });

  it("truncate: op t, no key, no before/after", () => {
    const builder = createTableEventBuilder(customers, options);
    const event = builder.truncate(source, 5);
    expect(event.key).toBeNull();
    expect(event.value.get("op")).toBe("t");
    expect(event.value.get("before")).toBeNull();
    expect(event.value.get("after")).toBeNull();
    expect(event.value.getInt64("ts_ms")).toBe(5n);
  });

  it("no primary key: no key schema and null keys, whatever the replica identity", () => {
    const builder = createTableEventBuilder({ ...customers, primaryKey: [], replicaIdentity: "f" }, options);
    expect(builder.keySchema).toBeNull();
    expect(builder.build({ op: "c", after: { id: "1", first_name: "A" } }, source, 1).key).toBeNull();
  });

  it("column filters drop value fields but keep key columns, and bad values leave the field null", () => {
    const errors: string[] = [];
    const builder = createTableEventBuilder(customers, {
      ...options,
      includeColumn: columnFilter(undefined, ["inventory\\.customers\\.(secret|id)"]),
      onConversionError: (column) => errors.push(column.name),
    });
    expect(builder.rowSchema.fields.map((f) => f.name)).toEqual(["first_name", "email"]);
    expect(builder.keySchema?.fields.map((f) => f.name)).toEqual(["id"]);
    const broken = createTableEventBuilder({ ...customers, columns: [...customers.columns, col("n", 5, "int4")] }, { ...options, onConversionError: (c) => errors.push(c.name) });
    const event = broken.build({ op: "c", after: { id: "1", first_name: "A", n: "not a number" } }, source, 1);
    expect((event.value.get("after") as Struct).get("n")).toBeNull();
    expect(errors).toEqual(["n"]);
  });
});

describe("filters", () => {
  it("matches table and schema lists as whole, case-insensitive regular expressions", () => {
    const onlyInventory = tableFilter({ schemaIncludeList: ["inventory"] });
    expect(onlyInventory("inventory", "orders")).toBe(true);
    expect(onlyInventory("inventory2", "orders")).toBe(false);
    const tables = tableFilter({ tableIncludeList: ["public\\.ord.*", "INVENTORY\\.customers"] });
    expect(tables("public", "orders")).toBe(true);
    expect(tables("inventory", "customers")).toBe(true);
    expect(tables("inventory", "customers_old")).toBe(false);
    const excluded = tableFilter({ tableExcludeList: ["public\\.audit_.*"] });
    expect(excluded("public", "audit_log")).toBe(false);
    expect(excluded("public", "orders")).toBe(true);
    expect(excluded("pg_catalog", "pg_class")).toBe(false);
    expect(excluded("information_schema", "tables")).toBe(false);
  });

  it("matches column lists against schema.table.column", () => {
    const include = columnFilter(["public\\.t\\.(a|b)"]);
    expect(include("public", "t", "a")).toBe(true);
    expect(include("public", "t", "c")).toBe(false);
    expect(columnFilter()("s", "t", "c")).toBe(true);
  });
});

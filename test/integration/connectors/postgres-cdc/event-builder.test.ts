// The catalog and the change-event builder against the real PostgreSQL: a table with a column of
// each type Debezium maps, read both as a text-mode SELECT (the snapshot's path) and through a
// pgoutput slot (the streaming path), must give the same Connect values, and those values and
// their JSON (JsonConverter, schemas.enable=true) must be Debezium's. Expected values follow the
// Debezium docs "PostgreSQL connector data type mappings"
// (https://debezium.io/documentation/reference/stable/connectors/postgresql.html#postgresql-data-types)
// and PostgresValueConverter where the docs are silent (infinite dates, hstore order, placeholders).
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Decimal, type Schema, Struct } from "../../../../connect/api/index.ts";
import { JsonConverter } from "../../../../connect/converters/json-converter.ts";
import { listCapturedTables, loadTableInfo } from "../../../../connectors/postgres-cdc/catalog.ts";
import type { ColumnInfo, SourceInfo, TableInfo } from "../../../../connectors/postgres-cdc/contracts.ts";
import { createTableEventBuilder, DEFAULT_TYPE_MAPPING, type EventBuilderOptions } from "../../../../connectors/postgres-cdc/events/index.ts";
import { PgoutputDecoder, UNCHANGED_TOAST, type PgoutputEvent, type Row } from "../../../../connectors/postgres-cdc/pgoutput/index.ts";
import { requireService } from "../../../services/index.ts";

const TEXT_RESULTS = { getTypeParser: () => (value: string) => value };

describe("event builder on a real PostgreSQL", () => {
  let client: pg.Client;
  let counter = 0;
  const cleanups: string[] = [];

  beforeAll(async () => {
    client = new pg.Client({ connectionString: await requireService("postgres") });
    await client.connect();
    // The slot functions decode only up to the flushed WAL; the service runs synchronous_commit=off.
    await client.query("SET synchronous_commit = on");
    await client.query("SET TimeZone = 'Asia/Kolkata'"); // timestamptz text carries +05:30: the builder must still give UTC
    // Contrib extensions (database-wide, idempotent; left installed for other tests to use).
    await client.query("CREATE EXTENSION IF NOT EXISTS hstore");
    await client.query("CREATE EXTENSION IF NOT EXISTS ltree");
  });
  afterEach(async () => {
    for (const sql of cleanups.splice(0).reverse()) await client.query(sql);
  });
  afterAll(async () => {
    await client.end();
  });

  function names(): { table: string; pub: string; slot: string } {
    counter++;
    const base = `evb_${process.pid}_${Date.now() % 1_000_000}_${counter}`;
    return { table: `${base}_t`, pub: `${base}_p`, slot: `${base}_s` };
  }

  async function exec(sql: string, cleanup?: string): Promise<void> {
    await client.query(sql);
    if (cleanup !== undefined) cleanups.push(cleanup);
  }

  async function createPublicationAndSlot(pub: string, slot: string, tables: string[]): Promise<void> {
    await exec(`CREATE PUBLICATION ${pub} FOR TABLE ${tables.join(", ")}`, `DROP PUBLICATION IF EXISTS ${pub}`);
    await exec(
      `SELECT pg_create_logical_replication_slot('${slot}', 'pgoutput')`,
      `SELECT pg_drop_replication_slot('${slot}') WHERE EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = '${slot}')`,
    );
  }

  async function slotChanges(slot: string, pub: string): Promise<PgoutputEvent[]> {
    const { rows } = await client.query<{ data: Buffer }>(
      "SELECT data FROM pg_logical_slot_get_binary_changes($1, NULL, NULL, 'proto_version', '1', 'publication_names', $2)",
      [slot, pub],
    );
    const decoder = new PgoutputDecoder();
    return rows.map((r) => decoder.decode(r.data)).filter((e) => ["insert", "update", "delete", "truncate"].includes(e.tag));
  }

  async function selectText(table: string): Promise<Row[]> {
    const { rows } = await client.query<Row>({ text: `SELECT * FROM ${table} ORDER BY 1`, types: TEXT_RESULTS });
    return rows;
  }

  async function tableInfo(table: string): Promise<TableInfo> {
    const info = await loadTableInfo(client, "public", table);
    if (info === null) throw new Error(`${table} not found`);
    return info;
  }

  function sourceFor(info: TableInfo): SourceInfo {
    return {
      version: "3.1.3.Final",
      name: "hub",
      tsMs: 1_700_000_000_123,
      snapshot: "false",
      db: "hub",
      schema: info.schema,
      table: info.table,
      txId: 42,
      lsn: 1234n,
      sequence: null,
      xmin: null,
    };
  }

  function jsonOf(schema: Schema | null, value: unknown): { schema: Record<string, unknown>; payload: Record<string, unknown> } {
    const converter = new JsonConverter();
    converter.configure({ "schemas.enable": "true" }, false);
    return JSON.parse(converter.fromConnectData("t", null, schema, value)?.toString() ?? "null") as { schema: Record<string, unknown>; payload: Record<string, unknown> };
  }

  /** The JSON schema of one field of the envelope's "after" row. */
  function afterFieldSchema(json: { schema: Record<string, unknown> }, field: string): Record<string, unknown> | undefined {
    const after = (json.schema.fields as Record<string, unknown>[]).find((f) => f.field === "after") as { fields: Record<string, unknown>[] };
    return after.fields.find((f) => f.field === field);
  }

  it("gives Debezium's schemas and values for every mapped type, the same from SELECT and from pgoutput", async () => {
    const { table, pub, slot } = names();
    const mood = `${table}_mood`;
    const posint = `${table}_posint`;
    const code = `${table}_code`;
    await exec(`CREATE TYPE ${mood} AS ENUM ('sad', 'ok', 'happy')`, `DROP TYPE IF EXISTS ${mood}`);
    await exec(`CREATE DOMAIN ${posint} AS integer CHECK (VALUE > 0)`, `DROP DOMAIN IF EXISTS ${posint}`);
    await exec(`CREATE DOMAIN ${code} AS varchar(8) NOT NULL`, `DROP DOMAIN IF EXISTS ${code}`);
    await exec(
      `CREATE TABLE ${table} (
        id int4 PRIMARY KEY, b bool, i2 int2, i8 int8, f4 float4, f8 float8,
        n_fixed numeric(20,4), n_var numeric, n_nan numeric, m money,
        c char(3), vc varchar(10) NOT NULL DEFAULT 'dflt', tx text, nm name,
        u uuid, j json, jb jsonb, x xml, by bytea, bit1 bit(1), bits bit(10), vbits varbit,
        d date, d_inf date, t time, t3 time(3), ttz timetz,
        ts timestamp, ts3 timestamp(3), ts_inf timestamp, tstz timestamptz, tstz3 timestamptz(3), tstz_inf timestamptz,
        iv interval, mood ${mood}, moods ${mood}[], ints int4[], texts text[], nested int4[],
        ip inet, net cidr, mac macaddr, mac8 macaddr8, pt point, hs hstore, lt ltree, o oid, tsv tsvector, r int4range,
        pos ${posint}, code ${code}, lsn pg_lsn, created timestamptz NOT NULL DEFAULT now()
      )`,
      `DROP TABLE IF EXISTS ${table}`,
    );
    await createPublicationAndSlot(pub, slot, [table]);
    await client.query(
      `INSERT INTO ${table} VALUES (
        1, true, -32768, 9007199254740993, 3.25, 1.7976931348623157e308,
        -1234567890123456.7891, 12345678901234567890.123450, 'NaN', 1234.56,
        'ab', 'hello', E'h\\u00e9llo "world"\\n', 'a_name',
        'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', '{"b": [1, 2], "a": null}', '{"b": [1, 2], "a": null}', '<a>1</a>',
        '\\x00ff41', B'1', B'1000000101', B'101',
        '2024-02-29', 'infinity', '13:51:30.123456', '13:51:30.123', '14:04:05.12+02',
        '2024-01-02 03:04:05.123456', '2024-01-02 03:04:05.123', '-infinity',
        '2024-01-02 03:04:05.12+05:30', '2024-01-02 03:04:05.1+00', 'infinity',
        '1 year 2 mons 3 days 04:05:06.789', 'happy', '{sad,happy}', '{1,NULL,3}', '{a,"b c",NULL,"q\\"x"}', '{{1,2},{3,4}}',
        '192.168.0.1/24', '10.0.0.0/8', '08:00:2b:01:02:03', '08:00:2b:01:02:03:04:05', '(1.5,-2)',
        '"b"=>"2", "a"=>NULL', 'Top.Science.Astronomy', 4294967295, 'a fat cat', '[1,10)',
        5, 'XY', '0/16B3748', '2024-05-06 07:08:09+00'
      )`,
    );

    const info = await tableInfo(table);
    // The catalog: domains resolved to their base type (NOT NULL domains make the column required),
    // enum labels in sort order, array element types, constant and function defaults, the key.
    const column = (name: string): ColumnInfo | undefined => info.columns.find((c) => c.name === name);
    expect(info.primaryKey).toEqual(["id"]);
    expect(info.replicaIdentity).toBe("d");
    expect(info.columns.map((c) => c.position)).toEqual(info.columns.map((_, i) => i + 1));
    expect(column("pos")).toMatchObject({ typeName: "int4", optional: true });
    expect(column("code")).toMatchObject({ typeName: "varchar", typeModifier: 12, optional: false });
    expect(column("mood")).toMatchObject({ typeCategory: "E", enumValues: ["sad", "ok", "happy"] });
    expect(column("moods")).toMatchObject({ typeCategory: "A", elementTypeName: mood, enumValues: ["sad", "ok", "happy"] });
    expect(column("ints")).toMatchObject({ typeName: "_int4", typeCategory: "A", elementTypeName: "int4" });
    expect(column("n_fixed")?.typeModifier).toBe(((20 << 16) | 4) + 4);
    expect(column("vc")).toMatchObject({ optional: false, defaultExpression: "'dflt'::character varying" });
    expect(column("id")).toMatchObject({ optional: false, typeOid: 23 });

    const errors: string[] = [];
    const options: EventBuilderOptions = {
      topicPrefix: "hub",
      database: "hub",
      connectorVersion: "3.1.3.Final",
      types: DEFAULT_TYPE_MAPPING,
      onConversionError: (c) => errors.push(c.name),
    };
    const builder = createTableEventBuilder(info, options);
    // pg_lsn has no Debezium mapping: left out (include.unknown.datatypes=false)
    expect(builder.rowSchema.field("lsn")).toBeNull();

    const [selected] = await selectText(table);
    const changes = await slotChanges(slot, pub);
    const insert = changes[0];
    if (selected === undefined || insert?.tag !== "insert") throw new Error("expected the row and its Insert");
    // pgoutput and a text-mode SELECT print values with the same output functions
    expect(insert.columns).toEqual(selected);

    const snapshotEvent = builder.build({ op: "r", after: selected }, { ...sourceFor(info), snapshot: "true" }, 1);
    const streamEvent = builder.build({ op: "c", after: insert.columns }, sourceFor(info), 1);
    const after = streamEvent.value.get("after") as Struct;
    expect((snapshotEvent.value.get("after") as Struct).equals(after)).toBe(true);
    expect(streamEvent.key?.get("id")).toBe(1);

    const expected: Record<string, unknown> = {
      id: 1,
      b: true,
      i2: -32768,
      i8: 9007199254740993n,
      f4: 3.25,
      f8: 1.7976931348623157e308,
      n_fixed: new Decimal(-12345678901234567891n, 4),
      m: new Decimal(123456n, 2),
      c: "ab ",
      vc: "hello",
      tx: 'héllo "world"\n',
      nm: "a_name",
      u: "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
      j: '{"b": [1, 2], "a": null}',
      jb: '{"a": null, "b": [1, 2]}',
      x: "<a>1</a>",
      by: Buffer.from([0x00, 0xff, 0x41]),
      bit1: true,
      bits: Buffer.from([0x05, 0x02]),
      vbits: Buffer.from([0x05]),
      d: 19782,
      d_inf: -2147472692,
      t: 49890123456n,
      t3: 49890123,
      ttz: "12:04:05.12Z",
      ts: 1704164645123456n,
      ts3: 1704164645123n,
      ts_inf: -9223372036832400000n,
      tstz: "2024-01-01T21:34:05.120000Z",
      tstz3: "2024-01-02T03:04:05.100Z",
      tstz_inf: "infinity",
      iv: 37091106789000n,
      mood: "happy",
      moods: ["sad", "happy"],
      ints: [1, null, 3],
      texts: ["a", "b c", null, 'q"x'],
      ip: "192.168.0.1/24",
      net: "10.0.0.0/8",
      mac: "08:00:2b:01:02:03",
      mac8: "08:00:2b:01:02:03:04:05",
      hs: '{"a":null,"b":"2"}',
      lt: "Top.Science.Astronomy",
      o: 4294967295n,
      tsv: "'a' 'cat' 'fat'",
      r: "[1,10)",
      pos: 5,
      code: "XY",
      created: "2024-05-06T07:08:09.000000Z",
    };
    for (const [field, value] of Object.entries(expected)) expect([field, after.get(field)]).toEqual([field, value]);
    const nVar = after.get("n_var") as Struct;
    expect([nVar.get("scale"), nVar.get("value")]).toEqual([5, Buffer.from((1234567890123456789012345n).toString(16).padStart(22, "0"), "hex")]);
    const point = after.get("pt") as Struct;
    expect([point.get("x"), point.get("y"), point.get("srid")]).toEqual([1.5, -2, null]);
    // numeric NaN cannot be a precise Decimal and a 2-D array does not fit ARRAY<INT32>: Debezium
    // leaves both null (and logs); so does the builder, reporting each conversion failure
    expect(after.get("n_nan")).toBeNull();
    expect(after.get("nested")).toBeNull();
    expect(errors.sort()).toEqual(["n_nan", "n_nan", "nested", "nested"]);

    // The JSON Debezium consumers read: names, versions and parameters of the semantic types
    const json = jsonOf(streamEvent.valueSchema, streamEvent.value);
    expect(json.schema.name).toBe(`hub.public.${table}.Envelope`);
    expect(afterFieldSchema(json, "n_fixed")).toEqual({
      type: "bytes", optional: true, name: "org.apache.kafka.connect.data.Decimal", version: 1,
      parameters: { scale: "4", "connect.decimal.precision": "20" }, field: "n_fixed",
    });
    expect(afterFieldSchema(json, "n_var")).toMatchObject({ type: "struct", name: "io.debezium.data.VariableScaleDecimal", version: 1, doc: "Variable scaled decimal" });
    expect(afterFieldSchema(json, "mood")).toEqual({
      type: "string", optional: true, name: "io.debezium.data.Enum", version: 1, parameters: { allowed: "sad,ok,happy" }, field: "mood",
    });
    expect(afterFieldSchema(json, "bits")).toMatchObject({ type: "bytes", name: "io.debezium.data.Bits", version: 1, parameters: { length: "10" } });
    expect(afterFieldSchema(json, "vc")).toEqual({ type: "string", optional: false, default: "dflt", field: "vc" });
    // a function default (now()) stands for 1970-01-01 (Debezium's PostgresDefaultValueConverter)
    expect(afterFieldSchema(json, "created")).toEqual({
      type: "string", optional: false, name: "io.debezium.time.ZonedTimestamp", version: 1, default: "1970-01-01T00:00:00.000000Z", field: "created",
    });
    const semantic: Record<string, [string, string]> = {
      u: ["string", "io.debezium.data.Uuid"], j: ["string", "io.debezium.data.Json"], jb: ["string", "io.debezium.data.Json"],
      x: ["string", "io.debezium.data.Xml"], d: ["int32", "io.debezium.time.Date"], t: ["int64", "io.debezium.time.MicroTime"],
      t3: ["int32", "io.debezium.time.Time"], ttz: ["string", "io.debezium.time.ZonedTime"], ts: ["int64", "io.debezium.time.MicroTimestamp"],
      ts3: ["int64", "io.debezium.time.Timestamp"], tstz: ["string", "io.debezium.time.ZonedTimestamp"], iv: ["int64", "io.debezium.time.MicroDuration"],
      pt: ["struct", "io.debezium.data.geometry.Point"], hs: ["string", "io.debezium.data.Json"], lt: ["string", "io.debezium.data.Ltree"],
      tsv: ["string", "io.debezium.data.Tsvector"], m: ["bytes", "org.apache.kafka.connect.data.Decimal"],
    };
    for (const [field, [type, name]] of Object.entries(semantic)) {
      expect([field, afterFieldSchema(json, field)]).toMatchObject([field, { type, name, version: 1 }]);
    }
    const payload = json.payload.after as Record<string, unknown>;
    // Decimal's bytes: the unscaled value, big-endian two's complement, as few bytes as hold it (9 here)
    expect(payload.n_fixed).toBe(Buffer.from(BigInt.asUintN(72, -12345678901234567891n).toString(16), "hex").toString("base64"));
    // int64 past 2^53 keeps every digit in the JSON text (JSON.parse would round it)
    const converter = new JsonConverter();
    converter.configure({ "schemas.enable": "false" }, false);
    expect(converter.fromConnectData("t", null, streamEvent.valueSchema, streamEvent.value)?.toString()).toContain('"i8":9007199254740993,');
    expect(payload.ints).toEqual([1, null, 3]);
    expect(json.payload.op).toBe("c");
    expect((json.payload.source as Record<string, unknown>).snapshot).toBe("false");
  });

  it("keys nothing without a primary key and carries whole old rows under REPLICA IDENTITY FULL", async () => {
    const { table, pub, slot } = names();
    await exec(`CREATE TABLE ${table} (a int NOT NULL, note text)`, `DROP TABLE IF EXISTS ${table}`);
    await exec(`ALTER TABLE ${table} REPLICA IDENTITY FULL`);
    await createPublicationAndSlot(pub, slot, [table]);
    await client.query(`INSERT INTO ${table} VALUES (1, 'one')`);
    await client.query(`UPDATE ${table} SET note = 'uno' WHERE a = 1`);
    await client.query(`DELETE FROM ${table} WHERE a = 1`);
    await client.query(`TRUNCATE ${table}`);

    const info = await tableInfo(table);
    expect(info).toMatchObject({ primaryKey: [], replicaIdentity: "f" });
    const builder = createTableEventBuilder(info, { topicPrefix: "hub", database: "hub", connectorVersion: "x", types: DEFAULT_TYPE_MAPPING });
    expect(builder.keySchema).toBeNull();
    const events = (await slotChanges(slot, pub)).map((change) => {
      const source = sourceFor(info);
      switch (change.tag) {
        case "insert":
          return builder.build({ op: "c", after: change.columns }, source, 1);
        case "update":
          return builder.build({ op: "u", before: change.old ?? null, after: change.columns }, source, 1);
        case "delete":
          return builder.build({ op: "d", before: change.old }, source, 1);
        default:
          return builder.truncate(source, 1);
      }
    });
    expect(events.map((e) => e.value.get("op"))).toEqual(["c", "u", "d", "t"]);
    expect(events.every((e) => e.key === null)).toBe(true);
    const row = (s: unknown): unknown => (s === null ? null : [(s as Struct).get("a"), (s as Struct).get("note")]);
    expect(events.map((e) => [row(e.value.get("before")), row(e.value.get("after"))])).toEqual([
      [null, [1, "one"]],
      [[1, "one"], [1, "uno"]],
      [[1, "uno"], null],
      [null, null],
    ]);
  });

  it("puts the unavailable-value placeholder for unchanged TOASTed values", async () => {
    const { table, pub, slot } = names();
    await exec(`CREATE TABLE ${table} (id int PRIMARY KEY, n int, big text, blob bytea, words text[])`, `DROP TABLE IF EXISTS ${table}`);
    await exec(`ALTER TABLE ${table} ALTER COLUMN big SET STORAGE EXTERNAL, ALTER COLUMN blob SET STORAGE EXTERNAL, ALTER COLUMN words SET STORAGE EXTERNAL`);
    await createPublicationAndSlot(pub, slot, [table]);
    await client.query(
      `INSERT INTO ${table} VALUES (1, 0, repeat('x', 10000), decode(repeat('ab', 10000), 'hex'), array_fill('word'::text, ARRAY[3000]))`,
    );
    await client.query(`UPDATE ${table} SET n = 1 WHERE id = 1`);
    const changes = await slotChanges(slot, pub);
    const update = changes[1];
    if (update?.tag !== "update") throw new Error("expected an Update");
    expect(update.columns.big).toBe(UNCHANGED_TOAST);

    const builder = createTableEventBuilder(await tableInfo(table), { topicPrefix: "hub", database: "hub", connectorVersion: "x", types: DEFAULT_TYPE_MAPPING });
    const after = builder.build({ op: "u", before: null, after: update.columns }, sourceFor(await tableInfo(table)), 1).value.get("after") as Struct;
    expect(after.get("n")).toBe(1);
    expect(after.get("big")).toBe("__debezium_unavailable_value");
    expect(after.get("blob")).toEqual(Buffer.from("__debezium_unavailable_value"));
    expect(after.get("words")).toEqual(["__debezium_unavailable_value"]);
  });

  it("lists the captured tables (ordinary and partitioned, filtered, sorted) and nothing for unknown names", async () => {
    const { table } = names();
    await exec(`CREATE SCHEMA ${table}_s`, `DROP SCHEMA IF EXISTS ${table}_s CASCADE`);
    await exec(`CREATE TABLE ${table}_s.b_plain (id int PRIMARY KEY)`);
    await exec(`CREATE TABLE ${table}_s.a_parted (id int, at date, PRIMARY KEY (at, id)) PARTITION BY RANGE (at)`);
    await exec(`CREATE TABLE ${table}_s.a_parted_2024 PARTITION OF ${table}_s.a_parted FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')`);
    await exec(`CREATE VIEW ${table}_s.c_view AS SELECT 1 AS one`);

    const all = await listCapturedTables(client, { schemaIncludeList: [`${table}_s`] });
    expect(all.map((t) => t.table)).toEqual(["a_parted", "a_parted_2024", "b_plain"]);
    expect(all[0]?.primaryKey).toEqual(["at", "id"]);
    const some = await listCapturedTables(client, { tableIncludeList: [`${table}_s\\.a_.*`], tableExcludeList: [] });
    expect(some.map((t) => t.table)).toEqual(["a_parted", "a_parted_2024"]);
    const excluded = await listCapturedTables(client, { schemaIncludeList: [`${table}_s`], tableExcludeList: [`.*_2024`] });
    expect(excluded.map((t) => t.table)).toEqual(["a_parted", "b_plain"]);
    expect(await loadTableInfo(client, `${table}_s`, "c_view")).toBeNull();
    expect(await loadTableInfo(client, "public", `${table}_missing`)).toBeNull();
  });
});

// The Postgres CDC source's configuration: Debezium's keys and defaults, the values it refuses
// (with messages that say what to do), the cross-key rules, and the plugin's registration under
// Debezium's class name.
import { describe, expect, it } from "vitest";
import { ConfigException } from "../../../../connect/api/index.ts";
import { builtinRegistry } from "../../../../connect/runtime/plugins/builtins.ts";
import { CONNECTOR_PLUGINS } from "../../../../connectors/index.ts";
import { parsePostgresCdcSettings, POSTGRES_CDC_CONFIG, validatePostgresCdcConfig } from "../../../../connectors/postgres-cdc/config.ts";
import { postgresCdcSourcePlugin, PostgresCdcSourceConnector } from "../../../../connectors/postgres-cdc/index.ts";

const BASE = {
  "database.hostname": "db.example",
  "database.user": "cdc",
  "database.password": "secret",
  "database.dbname": "inventory",
  "topic.prefix": "inv",
};

/** The error messages validation gives per key (keys without errors left out). */
function errorsOf(props: Record<string, string>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const value of validatePostgresCdcConfig(props)) if (value.errors.length > 0) out[value.name] = value.errors;
  return out;
}

describe("Postgres CDC config", () => {
  it("has Debezium's defaults, with pgoutput and heartbeats on", () => {
    const s = parsePostgresCdcSettings(BASE);
    expect(s).toMatchObject({
      hostname: "db.example",
      port: 5432,
      user: "cdc",
      database: "inventory",
      sslMode: "prefer",
      topicPrefix: "inv",
      slotName: "debezium",
      slotDropOnStop: false,
      publicationName: "dbz_publication",
      publicationAutocreateMode: "all_tables",
      snapshotMode: "initial",
      snapshotFetchSize: 10240,
      heartbeatIntervalMs: 10000,
      heartbeatActionQuery: null,
      heartbeatTopicPrefix: "__debezium-heartbeat",
      tombstonesOnDelete: true,
      maxBatchSize: 2048,
      maxQueueSize: 8192,
      pollIntervalMs: 500,
      statusUpdateIntervalMs: 10000,
      includeUnknownDatatypes: false,
      tableIncludeList: undefined,
      tableExcludeList: undefined,
    });
    expect(s.password?.value()).toBe("secret");
    expect(String(s.password)).not.toContain("secret");
    expect([...s.skippedOperations]).toEqual(["t"]);
    expect(s.types).toEqual({
      decimalHandlingMode: "precise",
      timePrecisionMode: "adaptive",
      binaryHandlingMode: "bytes",
      intervalHandlingMode: "numeric",
      hstoreHandlingMode: "json",
      unavailableValuePlaceholder: "__debezium_unavailable_value",
      moneyFractionDigits: 2,
      includeUnknownDatatypes: false,
    });
    expect(POSTGRES_CDC_CONFIG.configKeys().get("database.password")?.type).toBe("PASSWORD");
    expect(POSTGRES_CDC_CONFIG.configKeys().get("table.include.list")?.type).toBe("LIST");
  });

  it("reads a full Debezium config, ignoring the keys it does not define", () => {
    const s = parsePostgresCdcSettings({
      ...BASE,
      "connector.class": "io.debezium.connector.postgresql.PostgresConnector",
      "tasks.max": "1",
      "database.port": "6543",
      "plugin.name": "pgoutput",
      "slot.name": "inv_slot",
      "table.include.list": "public.orders, public.customers",
      "column.exclude.list": "public.customers.ssn",
      "snapshot.mode": "never",
      "decimal.handling.mode": "string",
      "time.precision.mode": "connect",
      "binary.handling.mode": "hex",
      "skipped.operations": "none",
      "heartbeat.interval.ms": "0",
      "heartbeat.action.query": "UPDATE hb SET ts = now()",
      "max.batch.size": "100",
      "max.queue.size": "400",
      "transforms": "unwrap",
      "transforms.unwrap.type": "io.debezium.transforms.ExtractNewRecordState",
      "schema.history.internal.kafka.topic": "ignored",
      "provide.transaction.metadata": "false",
    });
    expect(s.port).toBe(6543);
    expect(s.slotName).toBe("inv_slot");
    expect(s.tableIncludeList).toEqual(["public.orders", "public.customers"]);
    expect(s.columnExcludeList).toEqual(["public.customers.ssn"]);
    expect(s.snapshotMode).toBe("no_data");
    expect(s.types.decimalHandlingMode).toBe("string");
    expect(s.types.timePrecisionMode).toBe("connect");
    expect(s.types.binaryHandlingMode).toBe("hex");
    expect(s.skippedOperations.size).toBe(0);
    expect(s.heartbeatIntervalMs).toBe(0);
    expect(s.heartbeatActionQuery).toBe("UPDATE hb SET ts = now()");
    expect(s.maxBatchSize).toBe(100);
  });

  it("requires the connection keys and topic.prefix", () => {
    const errors = errorsOf({});
    for (const key of ["database.hostname", "database.user", "database.dbname", "topic.prefix"]) {
      expect(errors[key]?.[0]).toBe(`Missing required configuration "${key}" which has no default value.`);
    }
    expect(errors["database.password"]).toBeUndefined();
    expect(() => parsePostgresCdcSettings({ ...BASE, "topic.prefix": undefined as unknown as string })).toThrow(ConfigException);
  });

  it("allows only topic-safe characters in topic.prefix", () => {
    expect(errorsOf({ ...BASE, "topic.prefix": "my.server_1-a" })).toEqual({});
    const errors = errorsOf({ ...BASE, "topic.prefix": "my server/1" });
    expect(errors["topic.prefix"]?.[0]).toMatch(/Invalid value my server\/1 for configuration topic\.prefix: Only letters, digits, '\.', '_' and '-'/);
  });

  it("accepts only pgoutput, and says what to do about decoderbufs", () => {
    expect(errorsOf({ ...BASE, "plugin.name": "PGOUTPUT" })).toEqual({});
    expect(errorsOf({ ...BASE, "plugin.name": "decoderbufs" })["plugin.name"]?.[0]).toMatch(/decoderbufs plugin is not supported.*Set plugin.name to pgoutput/);
    expect(errorsOf({ ...BASE, "plugin.name": "wal2json" })["plugin.name"]?.[0]).toMatch(/Only the pgoutput logical decoding plugin is supported/);
  });

  it("checks slot names against PostgreSQL's rule", () => {
    expect(errorsOf({ ...BASE, "slot.name": "Bad-Slot" })["slot.name"]?.[0]).toMatch(/lower-case letters, digits and underscores/);
    expect(errorsOf({ ...BASE, "slot.name": "a".repeat(64) })["slot.name"]).toHaveLength(1);
    expect(errorsOf({ ...BASE, "slot.name": "a".repeat(63) })).toEqual({});
  });

  it("accepts the supported snapshot modes (never as no_data) and refuses the others", () => {
    for (const [given, parsed] of [
      ["initial", "initial"],
      ["INITIAL_ONLY", "initial_only"],
      ["no_data", "no_data"],
      ["never", "no_data"],
      ["always", "always"],
      ["when_needed", "when_needed"],
    ] as const) {
      expect(parsePostgresCdcSettings({ ...BASE, "snapshot.mode": given }).snapshotMode).toBe(parsed);
    }
    for (const mode of ["custom", "configuration_based", "recovery", "exported", "sometimes"]) {
      expect(errorsOf({ ...BASE, "snapshot.mode": mode })["snapshot.mode"]?.[0]).toMatch(/Unsupported snapshot mode; supported modes are initial, initial_only, no_data, always, when_needed/);
    }
  });

  it("refuses include and exclude lists of one kind together, as Debezium does", () => {
    for (const kind of ["schema", "table", "column"]) {
      const errors = errorsOf({ ...BASE, [`${kind}.include.list`]: "a", [`${kind}.exclude.list`]: "b" });
      expect(errors[`${kind}.exclude.list`]?.[0]).toBe(`"${kind}.exclude.list" cannot be used together with "${kind}.include.list": list either what to capture or what to leave out`);
      expect(() => parsePostgresCdcSettings({ ...BASE, [`${kind}.include.list`]: "a", [`${kind}.exclude.list`]: "b" })).toThrow(/cannot be used together/);
    }
    // An include list with an exclude list of another kind is fine.
    expect(errorsOf({ ...BASE, "schema.include.list": "public", "table.exclude.list": "public.audit" })).toEqual({});
    // Empty lists do not count.
    expect(errorsOf({ ...BASE, "table.include.list": "", "table.exclude.list": "b" })).toEqual({});
  });

  it("reports invalid regular expressions, a queue not larger than a batch, and verify-* without a CA", () => {
    expect(errorsOf({ ...BASE, "table.include.list": "public.(orders" })["table.include.list"]?.[0]).toMatch(/"public.\(orders" is not a valid regular expression/);
    expect(errorsOf({ ...BASE, "max.batch.size": "100", "max.queue.size": "100" })["max.queue.size"]?.[0]).toBe("max.queue.size (100) must be larger than max.batch.size (100)");
    expect(errorsOf({ ...BASE, "database.sslmode": "verify-full" })["database.sslrootcert"]?.[0]).toMatch(/set database.sslrootcert/);
    expect(errorsOf({ ...BASE, "database.sslmode": "verify-full", "database.sslrootcert": "/etc/ca.pem" })).toEqual({});
    expect(errorsOf({ ...BASE, "database.sslmode": "sometimes" })["database.sslmode"]?.[0]).toMatch(/must be one of disable, allow, prefer, require, verify-ca, verify-full/);
  });

  it("checks the enumerated event settings and skipped.operations", () => {
    expect(errorsOf({ ...BASE, "decimal.handling.mode": "float" })["decimal.handling.mode"]).toHaveLength(1);
    expect(errorsOf({ ...BASE, "hstore.handling.mode": "MAP" })).toEqual({});
    expect(errorsOf({ ...BASE, "skipped.operations": "c,x" })["skipped.operations"]?.[0]).toMatch(/Unknown operation 'x'/);
    expect([...parsePostgresCdcSettings({ ...BASE, "skipped.operations": "c, D" }).skippedOperations].sort()).toEqual(["c", "d"]);
  });

  it("is registered under Debezium's class name and gives one task whatever tasks.max says", async () => {
    expect(CONNECTOR_PLUGINS).toContain(postgresCdcSourcePlugin);
    expect(builtinRegistry().find("source", "io.debezium.connector.postgresql.PostgresConnector")).toBe(postgresCdcSourcePlugin);
    expect(builtinRegistry().find("source", "PostgresConnector")).toBe(postgresCdcSourcePlugin);
    expect(postgresCdcSourcePlugin.kind).toBe("source");
    expect(postgresCdcSourcePlugin.aliases[0]).toBe("io.debezium.connector.postgresql.PostgresConnector");
    const connector = postgresCdcSourcePlugin.create() as PostgresCdcSourceConnector;
    connector.start(BASE);
    expect(await connector.taskConfigs(4)).toEqual([BASE]);
    expect(connector.config()).toBe(POSTGRES_CDC_CONFIG);
  });

  it("validate() stops at key errors without connecting", async () => {
    const connector = new PostgresCdcSourceConnector();
    const { configValues } = await connector.validate({ ...BASE, "plugin.name": "decoderbufs", "database.hostname": "unreachable.invalid" });
    const withErrors = configValues.filter((v) => v.errors.length > 0).map((v) => v.name);
    expect(withErrors).toEqual(["plugin.name"]);
  });
});

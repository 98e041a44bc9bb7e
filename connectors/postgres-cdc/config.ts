// The configuration of the Postgres CDC source, with the keys, types, defaults and meanings of
// Debezium's PostgresConnector, so a Debezium JSON config runs unchanged. Keys of Debezium's that
// are not defined here are accepted and ignored (users paste whole configs); keys whose values we
// cannot honour (plugin.name=decoderbufs, snapshot.mode=custom ...) fail validation with a message
// that says what to use instead. parsePostgresCdcSettings turns props into typed settings.
import {
  ConfigDef,
  ConfigException,
  type ConfigValue,
  LambdaValidator,
  type Password,
  Range,
} from "../../connect/api/index.ts";
import type { TypeMappingOptions } from "./contracts.ts";

export const DATABASE_HOSTNAME_CONFIG = "database.hostname";
export const DATABASE_PORT_CONFIG = "database.port";
export const DATABASE_USER_CONFIG = "database.user";
export const DATABASE_PASSWORD_CONFIG = "database.password";
export const DATABASE_DBNAME_CONFIG = "database.dbname";
export const DATABASE_SSLMODE_CONFIG = "database.sslmode";
export const DATABASE_SSLROOTCERT_CONFIG = "database.sslrootcert";
export const DATABASE_SSLCERT_CONFIG = "database.sslcert";
export const DATABASE_SSLKEY_CONFIG = "database.sslkey";
export const DATABASE_SSLPASSWORD_CONFIG = "database.sslpassword";
export const CONNECT_TIMEOUT_MS_CONFIG = "connect.timeout.ms";
export const TOPIC_PREFIX_CONFIG = "topic.prefix";
export const PLUGIN_NAME_CONFIG = "plugin.name";
export const SLOT_NAME_CONFIG = "slot.name";
export const SLOT_DROP_ON_STOP_CONFIG = "slot.drop.on.stop";
export const SLOT_MAX_RETRIES_CONFIG = "slot.max.retries";
export const SLOT_RETRY_DELAY_MS_CONFIG = "slot.retry.delay.ms";
export const PUBLICATION_NAME_CONFIG = "publication.name";
export const PUBLICATION_AUTOCREATE_MODE_CONFIG = "publication.autocreate.mode";
export const SCHEMA_INCLUDE_LIST_CONFIG = "schema.include.list";
export const SCHEMA_EXCLUDE_LIST_CONFIG = "schema.exclude.list";
export const TABLE_INCLUDE_LIST_CONFIG = "table.include.list";
export const TABLE_EXCLUDE_LIST_CONFIG = "table.exclude.list";
export const COLUMN_INCLUDE_LIST_CONFIG = "column.include.list";
export const COLUMN_EXCLUDE_LIST_CONFIG = "column.exclude.list";
export const SNAPSHOT_MODE_CONFIG = "snapshot.mode";
export const SNAPSHOT_FETCH_SIZE_CONFIG = "snapshot.fetch.size";
export const HEARTBEAT_INTERVAL_MS_CONFIG = "heartbeat.interval.ms";
export const HEARTBEAT_ACTION_QUERY_CONFIG = "heartbeat.action.query";
export const TOPIC_HEARTBEAT_PREFIX_CONFIG = "topic.heartbeat.prefix";
export const DECIMAL_HANDLING_MODE_CONFIG = "decimal.handling.mode";
export const TIME_PRECISION_MODE_CONFIG = "time.precision.mode";
export const BINARY_HANDLING_MODE_CONFIG = "binary.handling.mode";
export const INTERVAL_HANDLING_MODE_CONFIG = "interval.handling.mode";
export const HSTORE_HANDLING_MODE_CONFIG = "hstore.handling.mode";
export const TOMBSTONES_ON_DELETE_CONFIG = "tombstones.on.delete";
export const SKIPPED_OPERATIONS_CONFIG = "skipped.operations";
export const MAX_BATCH_SIZE_CONFIG = "max.batch.size";
export const MAX_QUEUE_SIZE_CONFIG = "max.queue.size";
export const POLL_INTERVAL_MS_CONFIG = "poll.interval.ms";
export const UNAVAILABLE_VALUE_PLACEHOLDER_CONFIG = "unavailable.value.placeholder";
export const MONEY_FRACTION_DIGITS_CONFIG = "money.fraction.digits";
export const STATUS_UPDATE_INTERVAL_MS_CONFIG = "status.update.interval.ms";
export const INCLUDE_UNKNOWN_DATATYPES_CONFIG = "include.unknown.datatypes";

export const SSL_MODES = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"] as const;
export type SslMode = (typeof SSL_MODES)[number];

export const PUBLICATION_AUTOCREATE_MODES = ["all_tables", "disabled", "filtered", "no_tables"] as const;
export type PublicationAutocreateMode = (typeof PUBLICATION_AUTOCREATE_MODES)[number];

/**
 * The snapshot modes this connector runs. Debezium's "never" (deprecated in favour of no_data)
 * is accepted and means no_data. Debezium's other modes (configuration_based, custom,
 * recovery, exported, initial_only's legacy spellings) are refused with a clear message.
 */
export const SNAPSHOT_MODES = ["initial", "initial_only", "no_data", "never", "always", "when_needed"] as const;
export type SnapshotMode = "initial" | "initial_only" | "no_data" | "always" | "when_needed";

export type SkippedOperation = "c" | "u" | "d" | "t";

const CONNECTION_GROUP = "Postgres";
const REPLICATION_GROUP = "Replication";
const FILTER_GROUP = "Filters";
const SNAPSHOT_GROUP = "Snapshot";
const EVENTS_GROUP = "Events";
const CONNECTOR_GROUP = "Connector";

/** Debezium's rule for topic.prefix: it starts every topic name, so only topic-safe characters. */
const TOPIC_PREFIX_PATTERN = /^[A-Za-z0-9._-]+$/;
/** PostgreSQL's rule for replication slot names (ReplicationSlotValidateName), and its 63-byte limit. */
const SLOT_NAME_PATTERN = /^[a-z0-9_]{1,63}$/;

const topicPrefixValidator = LambdaValidator.with(
  (name, value) => {
    if (typeof value !== "string" || value === "") throw new ConfigException(name, value, "A topic prefix is required: it starts the name of every topic the connector writes");
    if (!TOPIC_PREFIX_PATTERN.test(value)) {
      throw new ConfigException(name, value, "Only letters, digits, '.', '_' and '-' are allowed in the topic prefix (it becomes part of topic names)");
    }
  },
  () => "letters, digits, '.', '_' and '-'",
);

const pluginNameValidator = LambdaValidator.with(
  (name, value) => {
    const text = typeof value === "string" ? value.toLowerCase() : value;
    if (text === "pgoutput") return;
    if (text === "decoderbufs") {
      throw new ConfigException(name, value, "The decoderbufs plugin is not supported: this connector reads PostgreSQL's built-in pgoutput plugin. Set plugin.name to pgoutput (nothing needs to be installed on the server)");
    }
    throw new ConfigException(name, value, "Only the pgoutput logical decoding plugin is supported");
  },
  () => "[pgoutput]",
);

const slotNameValidator = LambdaValidator.with(
  (name, value) => {
    if (typeof value !== "string" || !SLOT_NAME_PATTERN.test(value)) {
      throw new ConfigException(name, value, "Replication slot names may contain only lower-case letters, digits and underscores, at most 63 characters (PostgreSQL's rule)");
    }
  },
  () => "lower-case letters, digits and '_' (at most 63)",
);

const snapshotModeValidator = LambdaValidator.with(
  (name, value) => {
    const mode = typeof value === "string" ? value.toLowerCase() : "";
    if ((SNAPSHOT_MODES as readonly string[]).includes(mode)) return;
    throw new ConfigException(
      name,
      value,
      `Unsupported snapshot mode; supported modes are ${SNAPSHOT_MODES.filter((m) => m !== "never").join(", ")} (never is accepted as no_data). ` +
        "Debezium's configuration_based, custom and recovery modes are not available",
    );
  },
  () => `[${SNAPSHOT_MODES.join(", ")}]`,
);

/** A case-insensitive choice, as Debezium's enumerated settings are. */
function oneOf(...values: string[]): LambdaValidator {
  return LambdaValidator.with(
    (name, value) => {
      if (typeof value !== "string" || !values.includes(value.toLowerCase())) throw new ConfigException(name, value, `The value must be one of ${values.join(", ")}`);
    },
    () => `[${values.join(", ")}]`,
  );
}

const skippedOperationsValidator = LambdaValidator.with(
  (name, value) => {
    const list = Array.isArray(value) ? (value as unknown[]).map((v) => String(v).trim().toLowerCase()) : [];
    if (list.length === 1 && list[0] === "none") return;
    for (const op of list) {
      if (op === "") continue;
      if (!["c", "u", "d", "t"].includes(op)) throw new ConfigException(name, value, `Unknown operation '${op}': list some of c, u, d, t, or none`);
    }
  },
  () => "[c, u, d, t, none]",
);

export const POSTGRES_CDC_CONFIG = new ConfigDef()
  .define({
    name: DATABASE_HOSTNAME_CONFIG,
    type: "STRING",
    importance: "HIGH",
    group: CONNECTION_GROUP,
    documentation: "Host name or IP address of the PostgreSQL server.",
  })
  .define({
    name: DATABASE_PORT_CONFIG,
    type: "INT",
    defaultValue: 5432,
    validator: Range.between(1, 65535),
    importance: "HIGH",
    group: CONNECTION_GROUP,
    documentation: "TCP port of the PostgreSQL server.",
  })
  .define({
    name: DATABASE_USER_CONFIG,
    type: "STRING",
    importance: "HIGH",
    group: CONNECTION_GROUP,
    documentation: "The role to connect as. It needs the REPLICATION attribute (or superuser), SELECT on the captured tables and, to create the publication, ownership of them.",
  })
  .define({
    name: DATABASE_PASSWORD_CONFIG,
    type: "PASSWORD",
    defaultValue: null,
    importance: "HIGH",
    group: CONNECTION_GROUP,
    documentation: "The role's password (none when the server trusts the connection).",
  })
  .define({
    name: DATABASE_DBNAME_CONFIG,
    type: "STRING",
    importance: "HIGH",
    group: CONNECTION_GROUP,
    documentation: "The database to capture changes from (a replication slot belongs to one database).",
  })
  .define({
    name: DATABASE_SSLMODE_CONFIG,
    type: "STRING",
    defaultValue: "prefer",
    validator: oneOf(...SSL_MODES),
    importance: "MEDIUM",
    group: CONNECTION_GROUP,
    documentation:
      "Whether to use TLS, as libpq's sslmode: disable and allow connect without it; prefer tries TLS and falls back to a plain connection when the server has none; " +
      "require insists on TLS without checking the certificate; verify-ca also checks it against database.sslrootcert; verify-full also checks the host name.",
  })
  .define({
    name: DATABASE_SSLROOTCERT_CONFIG,
    type: "STRING",
    defaultValue: null,
    importance: "LOW",
    group: CONNECTION_GROUP,
    documentation: "File with the certificate authorities (PEM) that verify-ca and verify-full check the server's certificate against.",
  })
  .define({
    name: DATABASE_SSLCERT_CONFIG,
    type: "STRING",
    defaultValue: null,
    importance: "LOW",
    group: CONNECTION_GROUP,
    documentation: "File with the client certificate (PEM) to present, for servers that authenticate clients by certificate.",
  })
  .define({
    name: DATABASE_SSLKEY_CONFIG,
    type: "STRING",
    defaultValue: null,
    importance: "LOW",
    group: CONNECTION_GROUP,
    documentation: "File with the private key (PEM) of database.sslcert.",
  })
  .define({
    name: DATABASE_SSLPASSWORD_CONFIG,
    type: "PASSWORD",
    defaultValue: null,
    importance: "LOW",
    group: CONNECTION_GROUP,
    documentation: "Passphrase of database.sslkey, when it is encrypted.",
  })
  .define({
    name: CONNECT_TIMEOUT_MS_CONFIG,
    type: "INT",
    defaultValue: 30000,
    validator: Range.atLeast(0),
    importance: "LOW",
    group: CONNECTION_GROUP,
    documentation: "How long, in milliseconds, opening a connection to PostgreSQL may take before it counts as failed (0: no limit).",
  })
  .define({
    name: TOPIC_PREFIX_CONFIG,
    type: "STRING",
    validator: topicPrefixValidator,
    importance: "HIGH",
    group: CONNECTOR_GROUP,
    documentation:
      "The logical name of this PostgreSQL server: change events of table schema.table go to topic <prefix>.<schema>.<table>, and the connector's offsets are stored under it. " +
      "Changing it later starts the connector afresh.",
  })
  .define({
    name: PLUGIN_NAME_CONFIG,
    type: "STRING",
    // Debezium's default is decoderbufs, which needs a server extension; pgoutput is built into
    // PostgreSQL 10+ and is the only plugin read here, so configs that leave the key out work.
    defaultValue: "pgoutput",
    validator: pluginNameValidator,
    importance: "MEDIUM",
    group: REPLICATION_GROUP,
    documentation: "The logical decoding output plugin. Only pgoutput, built into PostgreSQL 10 and later, is supported.",
  })
  .define({
    name: SLOT_NAME_CONFIG,
    type: "STRING",
    defaultValue: "debezium",
    validator: slotNameValidator,
    importance: "MEDIUM",
    group: REPLICATION_GROUP,
    documentation: "The logical replication slot the connector reads changes from; created when missing. Each connector needs a slot of its own.",
  })
  .define({
    name: SLOT_DROP_ON_STOP_CONFIG,
    type: "BOOLEAN",
    defaultValue: false,
    importance: "MEDIUM",
    group: REPLICATION_GROUP,
    documentation: "Drop the replication slot when the task stops. Meant for tests and development: the changes made while the connector is stopped are then lost to it.",
  })
  .define({
    name: SLOT_MAX_RETRIES_CONFIG,
    type: "INT",
    defaultValue: 6,
    validator: Range.atLeast(0),
    importance: "LOW",
    group: REPLICATION_GROUP,
    documentation: "How many more times to try to open the replication slot while another connection still holds it (e.g. a task that is still shutting down).",
  })
  .define({
    name: SLOT_RETRY_DELAY_MS_CONFIG,
    type: "LONG",
    defaultValue: 10000,
    validator: Range.atLeast(0),
    importance: "LOW",
    group: REPLICATION_GROUP,
    documentation: "The wait, in milliseconds, between attempts to open a replication slot that is in use.",
  })
  .define({
    name: PUBLICATION_NAME_CONFIG,
    type: "STRING",
    defaultValue: "dbz_publication",
    importance: "MEDIUM",
    group: REPLICATION_GROUP,
    documentation: "The publication that tells pgoutput which tables' changes to send.",
  })
  .define({
    name: PUBLICATION_AUTOCREATE_MODE_CONFIG,
    type: "STRING",
    defaultValue: "all_tables",
    validator: oneOf(...PUBLICATION_AUTOCREATE_MODES),
    importance: "LOW",
    group: REPLICATION_GROUP,
    documentation:
      "How the publication is created when missing: all_tables creates it FOR ALL TABLES (superuser only); filtered creates it for the captured tables and keeps its table list in step with the filters; " +
      "no_tables creates it empty, for the tables to be added to it by hand; disabled never creates it (it must exist).",
  })
  .define({
    name: SCHEMA_INCLUDE_LIST_CONFIG,
    type: "LIST",
    defaultValue: null,
    importance: "MEDIUM",
    group: FILTER_GROUP,
    documentation: "Regular expressions matching the names of the schemas to capture; tables of other schemas are left out. Not together with schema.exclude.list.",
  })
  .define({
    name: SCHEMA_EXCLUDE_LIST_CONFIG,
    type: "LIST",
    defaultValue: null,
    importance: "MEDIUM",
    group: FILTER_GROUP,
    documentation: "Regular expressions matching the names of schemas not to capture. Not together with schema.include.list.",
  })
  .define({
    name: TABLE_INCLUDE_LIST_CONFIG,
    type: "LIST",
    defaultValue: null,
    importance: "MEDIUM",
    group: FILTER_GROUP,
    documentation: "Regular expressions matching the schema-qualified names (schema.table) of the tables to capture. Not together with table.exclude.list.",
  })
  .define({
    name: TABLE_EXCLUDE_LIST_CONFIG,
    type: "LIST",
    defaultValue: null,
    importance: "MEDIUM",
    group: FILTER_GROUP,
    documentation: "Regular expressions matching the schema-qualified names (schema.table) of tables not to capture. Not together with table.include.list.",
  })
  .define({
    name: COLUMN_INCLUDE_LIST_CONFIG,
    type: "LIST",
    defaultValue: null,
    importance: "LOW",
    group: FILTER_GROUP,
    documentation: "Regular expressions matching the fully-qualified names (schema.table.column) of the columns to keep in change events. Not together with column.exclude.list.",
  })
  .define({
    name: COLUMN_EXCLUDE_LIST_CONFIG,
    type: "LIST",
    defaultValue: null,
    importance: "LOW",
    group: FILTER_GROUP,
    documentation: "Regular expressions matching the fully-qualified names (schema.table.column) of columns to leave out of change events. Not together with column.include.list.",
  })
  .define({
    name: SNAPSHOT_MODE_CONFIG,
    type: "STRING",
    defaultValue: "initial",
    validator: snapshotModeValidator,
    importance: "MEDIUM",
    group: SNAPSHOT_GROUP,
    documentation:
      "When the captured tables' existing rows are read: initial, on the first start (then changes are streamed); initial_only, on the first start, and nothing is streamed; " +
      "no_data (or never), never: only changes are streamed; always, on every start; when_needed, on the first start and whenever the stored position is no longer in the slot. " +
      "An interrupted snapshot resumes at the table and key where it stopped.",
  })
  .define({
    name: SNAPSHOT_FETCH_SIZE_CONFIG,
    type: "INT",
    defaultValue: 10240,
    validator: Range.atLeast(1),
    importance: "MEDIUM",
    group: SNAPSHOT_GROUP,
    documentation: "How many rows one snapshot query reads (rows are read in primary-key order, one chunk at a time, so a snapshot can resume after its last chunk).",
  })
  .define({
    name: HEARTBEAT_INTERVAL_MS_CONFIG,
    type: "INT",
    // Debezium's default is 0 (no heartbeats). Without them a connector whose tables are quiet
    // while others are busy never stores a newer position, so the slot never advances and the
    // server keeps WAL until its disk fills: the commonest Debezium-on-Postgres outage. Heartbeats
    // every 10 s cost one small record and keep the slot moving; set 0 to turn them off.
    defaultValue: 10000,
    validator: Range.atLeast(0),
    importance: "MEDIUM",
    group: EVENTS_GROUP,
    documentation:
      "Every this many milliseconds, write a heartbeat record (to <topic.heartbeat.prefix>.<topic.prefix>) carrying the latest processed WAL position, so the slot advances even when the captured tables are quiet. 0 turns heartbeats off.",
  })
  .define({
    name: HEARTBEAT_ACTION_QUERY_CONFIG,
    type: "STRING",
    defaultValue: null,
    importance: "LOW",
    group: EVENTS_GROUP,
    documentation: "A statement run on the database at each heartbeat, e.g. an UPDATE of a heartbeat table, so that a database with no other writes still produces WAL the connector can confirm.",
  })
  .define({
    name: TOPIC_HEARTBEAT_PREFIX_CONFIG,
    type: "STRING",
    defaultValue: "__debezium-heartbeat",
    importance: "LOW",
    group: EVENTS_GROUP,
    documentation: "The start of the heartbeat topic's name: heartbeats go to <prefix>.<topic.prefix>.",
  })
  .define({
    name: DECIMAL_HANDLING_MODE_CONFIG,
    type: "STRING",
    defaultValue: "precise",
    validator: oneOf("precise", "double", "string"),
    importance: "MEDIUM",
    group: EVENTS_GROUP,
    documentation: "How numeric and decimal values are written: precise (Connect Decimal, exact), double (may lose precision) or string.",
  })
  .define({
    name: TIME_PRECISION_MODE_CONFIG,
    type: "STRING",
    defaultValue: "adaptive",
    validator: oneOf("adaptive", "adaptive_time_microseconds", "connect"),
    importance: "MEDIUM",
    group: EVENTS_GROUP,
    documentation:
      "How dates and times are written: adaptive keeps the column's precision (Debezium's Date, Time, MicroTime, Timestamp, MicroTimestamp ...); adaptive_time_microseconds does too but writes every time of day in microseconds; connect uses Connect's logical types (milliseconds).",
  })
  .define({
    name: BINARY_HANDLING_MODE_CONFIG,
    type: "STRING",
    defaultValue: "bytes",
    validator: oneOf("bytes", "base64", "base64-url-safe", "hex"),
    importance: "LOW",
    group: EVENTS_GROUP,
    documentation: "How bytea values are written: bytes, or as base64, base64-url-safe or hex text.",
  })
  .define({
    name: INTERVAL_HANDLING_MODE_CONFIG,
    type: "STRING",
    defaultValue: "numeric",
    validator: oneOf("numeric", "string"),
    importance: "LOW",
    group: EVENTS_GROUP,
    documentation: "How interval values are written: numeric (microseconds, approximating months as 30.4375 days) or string (ISO 8601, e.g. P1Y2M3DT4H5M6.78S).",
  })
  .define({
    name: HSTORE_HANDLING_MODE_CONFIG,
    type: "STRING",
    defaultValue: "json",
    validator: oneOf("json", "map"),
    importance: "LOW",
    group: EVENTS_GROUP,
    documentation: "How hstore values are written: json (a JSON text) or map (a Connect map of strings).",
  })
  .define({
    name: TOMBSTONES_ON_DELETE_CONFIG,
    type: "BOOLEAN",
    defaultValue: true,
    importance: "MEDIUM",
    group: EVENTS_GROUP,
    documentation: "Follow each delete event with a tombstone (same key, null value), so that log compaction can remove the row's records.",
  })
  .define({
    name: SKIPPED_OPERATIONS_CONFIG,
    type: "LIST",
    defaultValue: "t",
    validator: skippedOperationsValidator,
    importance: "LOW",
    group: EVENTS_GROUP,
    documentation: "Operations not to write events for: c (inserts), u (updates), d (deletes), t (truncates), or none. By default truncates are skipped, as in Debezium.",
  })
  .define({
    name: UNAVAILABLE_VALUE_PLACEHOLDER_CONFIG,
    type: "STRING",
    defaultValue: "__debezium_unavailable_value",
    importance: "LOW",
    group: EVENTS_GROUP,
    documentation: "What stands in for a large (TOASTed) value an update left unchanged, which PostgreSQL does not send.",
  })
  .define({
    name: MONEY_FRACTION_DIGITS_CONFIG,
    type: "SHORT",
    defaultValue: 2,
    validator: Range.between(0, 30),
    importance: "LOW",
    group: EVENTS_GROUP,
    documentation: "The number of decimal digits of money values, when they are written as decimals.",
  })
  .define({
    name: INCLUDE_UNKNOWN_DATATYPES_CONFIG,
    type: "BOOLEAN",
    defaultValue: false,
    importance: "LOW",
    group: EVENTS_GROUP,
    documentation: "Keep columns of types the connector has no mapping for, as their text; when false such columns are left out of events.",
  })
  .define({
    name: MAX_BATCH_SIZE_CONFIG,
    type: "INT",
    defaultValue: 2048,
    validator: Range.atLeast(1),
    importance: "LOW",
    group: CONNECTOR_GROUP,
    documentation: "The most records one poll hands to Connect.",
  })
  .define({
    name: MAX_QUEUE_SIZE_CONFIG,
    type: "INT",
    defaultValue: 8192,
    validator: Range.atLeast(1),
    importance: "LOW",
    group: CONNECTOR_GROUP,
    documentation: "The most change events read ahead of Connect; must be larger than max.batch.size.",
  })
  .define({
    name: POLL_INTERVAL_MS_CONFIG,
    type: "LONG",
    defaultValue: 500,
    validator: Range.atLeast(0),
    importance: "LOW",
    group: CONNECTOR_GROUP,
    documentation: "How long, in milliseconds, a poll waits for changes before returning what it has.",
  })
  .define({
    name: STATUS_UPDATE_INTERVAL_MS_CONFIG,
    type: "INT",
    defaultValue: 10000,
    validator: Range.atLeast(0),
    importance: "LOW",
    group: REPLICATION_GROUP,
    documentation: "How often, in milliseconds, the replication connection reports its position to the server (which also keeps the connection alive).",
  });

export interface PostgresCdcSettings {
  readonly hostname: string;
  readonly port: number;
  readonly user: string;
  /** Kept as a Password so that printing the settings never shows it. */
  readonly password: Password | null;
  readonly database: string;
  readonly sslMode: SslMode;
  readonly sslRootCert: string | null;
  readonly sslCert: string | null;
  readonly sslKey: string | null;
  readonly sslPassword: Password | null;
  readonly connectTimeoutMs: number;
  readonly topicPrefix: string;
  readonly slotName: string;
  readonly slotDropOnStop: boolean;
  readonly slotMaxRetries: number;
  readonly slotRetryDelayMs: number;
  readonly publicationName: string;
  readonly publicationAutocreateMode: PublicationAutocreateMode;
  readonly schemaIncludeList: readonly string[] | undefined;
  readonly schemaExcludeList: readonly string[] | undefined;
  readonly tableIncludeList: readonly string[] | undefined;
  readonly tableExcludeList: readonly string[] | undefined;
  readonly columnIncludeList: readonly string[] | undefined;
  readonly columnExcludeList: readonly string[] | undefined;
  readonly snapshotMode: SnapshotMode;
  readonly snapshotFetchSize: number;
  readonly heartbeatIntervalMs: number;
  readonly heartbeatActionQuery: string | null;
  readonly heartbeatTopicPrefix: string;
  readonly types: TypeMappingOptions;
  readonly tombstonesOnDelete: boolean;
  readonly skippedOperations: ReadonlySet<SkippedOperation>;
  readonly includeUnknownDatatypes: boolean;
  readonly maxBatchSize: number;
  readonly maxQueueSize: number;
  readonly pollIntervalMs: number;
  readonly statusUpdateIntervalMs: number;
}

/** The include/exclude pairs Debezium refuses to see together. */
const EXCLUSIVE_PAIRS: readonly (readonly [string, string])[] = [
  [SCHEMA_INCLUDE_LIST_CONFIG, SCHEMA_EXCLUDE_LIST_CONFIG],
  [TABLE_INCLUDE_LIST_CONFIG, TABLE_EXCLUDE_LIST_CONFIG],
  [COLUMN_INCLUDE_LIST_CONFIG, COLUMN_EXCLUDE_LIST_CONFIG],
];

function nonEmptyList(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const list = (value as unknown[]).map((v) => String(v).trim()).filter((v) => v !== "");
  return list.length === 0 ? undefined : list;
}

/** The cross-key problems of a parsed config: [key, message] pairs. */
function crossKeyProblems(parsed: Readonly<Record<string, unknown>>): [string, string][] {
  const problems: [string, string][] = [];
  for (const [include, exclude] of EXCLUSIVE_PAIRS) {
    if (nonEmptyList(parsed[include]) !== undefined && nonEmptyList(parsed[exclude]) !== undefined) {
      problems.push([exclude, `"${exclude}" cannot be used together with "${include}": list either what to capture or what to leave out`]);
    }
  }
  for (const [key, value] of Object.entries(parsed)) {
    if (!key.endsWith(".list") || key === SKIPPED_OPERATIONS_CONFIG) continue;
    for (const pattern of nonEmptyList(value) ?? []) {
      try {
        new RegExp(pattern);
      } catch (error) {
        problems.push([key, `"${pattern}" is not a valid regular expression: ${(error as Error).message}`]);
      }
    }
  }
  const batch = parsed[MAX_BATCH_SIZE_CONFIG];
  const queue = parsed[MAX_QUEUE_SIZE_CONFIG];
  if (typeof batch === "number" && typeof queue === "number" && queue <= batch) {
    problems.push([MAX_QUEUE_SIZE_CONFIG, `max.queue.size (${queue}) must be larger than max.batch.size (${batch})`]);
  }
  const sslMode = parsed[DATABASE_SSLMODE_CONFIG];
  if ((sslMode === "verify-ca" || sslMode === "verify-full") && (parsed[DATABASE_SSLROOTCERT_CONFIG] ?? null) === null) {
    problems.push([DATABASE_SSLROOTCERT_CONFIG, `database.sslmode=${String(sslMode)} checks the server's certificate: set database.sslrootcert to the CA certificate file`]);
  }
  return problems;
}

/**
 * Validates every key (as ConfigDef.validate) and adds the cross-key checks Debezium makes:
 * include and exclude lists of one kind together, invalid regular expressions, the queue no
 * larger than a batch.
 */
export function validatePostgresCdcConfig(props: Readonly<Record<string, string>>): ConfigValue[] {
  const results = POSTGRES_CDC_CONFIG.validateAll(props);
  const parsed: Record<string, unknown> = {};
  for (const [name, value] of results) parsed[name] = value.value;
  for (const [key, message] of crossKeyProblems(parsed)) results.get(key)?.addErrorMessage(message);
  return [...results.values()];
}

/** Parses a connector's or task's props (throws a ConfigException naming the first bad key). */
export function parsePostgresCdcSettings(props: Readonly<Record<string, string>>): PostgresCdcSettings {
  const c = POSTGRES_CDC_CONFIG.parse(props);
  const problem = crossKeyProblems(c)[0];
  if (problem !== undefined) throw new ConfigException(problem[0], props[problem[0]] ?? null, problem[1]);
  const lower = (key: string): string => (c[key] as string).toLowerCase();
  const snapshotMode = lower(SNAPSHOT_MODE_CONFIG);
  const skipped = (c[SKIPPED_OPERATIONS_CONFIG] as string[]).map((op) => op.trim().toLowerCase()).filter((op) => op !== "" && op !== "none");
  return {
    hostname: c[DATABASE_HOSTNAME_CONFIG] as string,
    port: c[DATABASE_PORT_CONFIG] as number,
    user: c[DATABASE_USER_CONFIG] as string,
    password: c[DATABASE_PASSWORD_CONFIG] as Password | null,
    database: c[DATABASE_DBNAME_CONFIG] as string,
    sslMode: lower(DATABASE_SSLMODE_CONFIG) as SslMode,
    sslRootCert: c[DATABASE_SSLROOTCERT_CONFIG] as string | null,
    sslCert: c[DATABASE_SSLCERT_CONFIG] as string | null,
    sslKey: c[DATABASE_SSLKEY_CONFIG] as string | null,
    sslPassword: c[DATABASE_SSLPASSWORD_CONFIG] as Password | null,
    connectTimeoutMs: c[CONNECT_TIMEOUT_MS_CONFIG] as number,
    topicPrefix: c[TOPIC_PREFIX_CONFIG] as string,
    slotName: c[SLOT_NAME_CONFIG] as string,
    slotDropOnStop: c[SLOT_DROP_ON_STOP_CONFIG] as boolean,
    slotMaxRetries: c[SLOT_MAX_RETRIES_CONFIG] as number,
    slotRetryDelayMs: c[SLOT_RETRY_DELAY_MS_CONFIG] as number,
    publicationName: c[PUBLICATION_NAME_CONFIG] as string,
    publicationAutocreateMode: lower(PUBLICATION_AUTOCREATE_MODE_CONFIG) as PublicationAutocreateMode,
    schemaIncludeList: nonEmptyList(c[SCHEMA_INCLUDE_LIST_CONFIG]),
    schemaExcludeList: nonEmptyList(c[SCHEMA_EXCLUDE_LIST_CONFIG]),
    tableIncludeList: nonEmptyList(c[TABLE_INCLUDE_LIST_CONFIG]),
    tableExcludeList: nonEmptyList(c[TABLE_EXCLUDE_LIST_CONFIG]),
    columnIncludeList: nonEmptyList(c[COLUMN_INCLUDE_LIST_CONFIG]),
    columnExcludeList: nonEmptyList(c[COLUMN_EXCLUDE_LIST_CONFIG]),
    snapshotMode: (snapshotMode === "never" ? "no_data" : snapshotMode) as SnapshotMode,
    snapshotFetchSize: c[SNAPSHOT_FETCH_SIZE_CONFIG] as number,
    heartbeatIntervalMs: c[HEARTBEAT_INTERVAL_MS_CONFIG] as number,
    heartbeatActionQuery: ((c[HEARTBEAT_ACTION_QUERY_CONFIG] as string | null) ?? "") === "" ? null : (c[HEARTBEAT_ACTION_QUERY_CONFIG] as string),
    heartbeatTopicPrefix: c[TOPIC_HEARTBEAT_PREFIX_CONFIG] as string,
    types: {
      decimalHandlingMode: lower(DECIMAL_HANDLING_MODE_CONFIG) as TypeMappingOptions["decimalHandlingMode"],
      timePrecisionMode: lower(TIME_PRECISION_MODE_CONFIG) as TypeMappingOptions["timePrecisionMode"],
      binaryHandlingMode: lower(BINARY_HANDLING_MODE_CONFIG) as TypeMappingOptions["binaryHandlingMode"],
      intervalHandlingMode: lower(INTERVAL_HANDLING_MODE_CONFIG) as TypeMappingOptions["intervalHandlingMode"],
      hstoreHandlingMode: lower(HSTORE_HANDLING_MODE_CONFIG) as TypeMappingOptions["hstoreHandlingMode"],
      unavailableValuePlaceholder: c[UNAVAILABLE_VALUE_PLACEHOLDER_CONFIG] as string,
      moneyFractionDigits: c[MONEY_FRACTION_DIGITS_CONFIG] as number,
      includeUnknownDatatypes: c[INCLUDE_UNKNOWN_DATATYPES_CONFIG] as boolean,
    },
    tombstonesOnDelete: c[TOMBSTONES_ON_DELETE_CONFIG] as boolean,
    skippedOperations: new Set(skipped as SkippedOperation[]),
    includeUnknownDatatypes: c[INCLUDE_UNKNOWN_DATATYPES_CONFIG] as boolean,
    maxBatchSize: c[MAX_BATCH_SIZE_CONFIG] as number,
    maxQueueSize: c[MAX_QUEUE_SIZE_CONFIG] as number,
    pollIntervalMs: c[POLL_INTERVAL_MS_CONFIG] as number,
    statusUpdateIntervalMs: c[STATUS_UPDATE_INTERVAL_MS_CONFIG] as number,
  };
}

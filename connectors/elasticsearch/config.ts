// The configuration of the Elasticsearch sink, with the keys, defaults and meanings of
// Confluent's Elasticsearch sink connector, so configs written for it run unchanged. Only the
// keys this implementation acts on are defined; the parser turns them into typed settings.
import { ConfigDef, ConfigException, type Password, Range, ValidString } from "../../connect/api/index.ts";

export const CONNECTION_URL_CONFIG = "connection.url";
export const CONNECTION_USERNAME_CONFIG = "connection.username";
export const CONNECTION_PASSWORD_CONFIG = "connection.password";
export const KEY_IGNORE_CONFIG = "key.ignore";
export const SCHEMA_IGNORE_CONFIG = "schema.ignore";
export const BEHAVIOR_ON_NULL_VALUES_CONFIG = "behavior.on.null.values";
export const BEHAVIOR_ON_MALFORMED_DOCS_CONFIG = "behavior.on.malformed.documents";
export const WRITE_METHOD_CONFIG = "write.method";
export const BATCH_SIZE_CONFIG = "batch.size";
export const MAX_RETRIES_CONFIG = "max.retries";
export const RETRY_BACKOFF_MS_CONFIG = "retry.backoff.ms";
export const DROP_INVALID_MESSAGE_CONFIG = "drop.invalid.message";
export const CONNECTION_TIMEOUT_MS_CONFIG = "connection.timeout.ms";
export const READ_TIMEOUT_MS_CONFIG = "read.timeout.ms";

export type NullValueBehavior = "ignore" | "delete" | "fail";
export type MalformedDocumentBehavior = "ignore" | "warn" | "fail";
export type WriteMethod = "insert" | "upsert";

const CONNECTOR_GROUP = "Connector";
const DATA_GROUP = "Data Conversion";

export const ELASTICSEARCH_SINK_CONFIG = new ConfigDef()
  .define({
    name: CONNECTION_URL_CONFIG,
    type: "LIST",
    importance: "HIGH",
    group: CONNECTOR_GROUP,
    documentation: "Elasticsearch URLs to send requests to, comma-separated (http://host1:9200,https://host2:9200). A URL without a scheme is taken as http.",
  })
  .define({
    name: CONNECTION_USERNAME_CONFIG,
    type: "STRING",
    defaultValue: null,
    importance: "MEDIUM",
    group: CONNECTOR_GROUP,
    documentation: "User name for HTTP basic authentication; credentials are sent only when both this and connection.password are set.",
  })
  .define({
    name: CONNECTION_PASSWORD_CONFIG,
    type: "PASSWORD",
    defaultValue: null,
    importance: "MEDIUM",
    group: CONNECTOR_GROUP,
    documentation: "Password for HTTP basic authentication; credentials are sent only when both this and connection.username are set.",
  })
  .define({
    name: BATCH_SIZE_CONFIG,
    type: "INT",
    defaultValue: 2000,
    validator: Range.between(1, 1_000_000),
    importance: "MEDIUM",
    group: CONNECTOR_GROUP,
    documentation: "How many records one bulk request carries at most.",
  })
  .define({
    name: MAX_RETRIES_CONFIG,
    type: "INT",
    defaultValue: 5,
    validator: Range.atLeast(0),
    importance: "LOW",
    group: CONNECTOR_GROUP,
    documentation: "How many times a failed bulk request (or the retriable items of one) is sent again before the task fails.",
  })
  .define({
    name: RETRY_BACKOFF_MS_CONFIG,
    type: "LONG",
    defaultValue: 100,
    validator: Range.atLeast(0),
    importance: "LOW",
    group: CONNECTOR_GROUP,
    documentation: "The wait before the first retry, in milliseconds; each further retry waits up to twice as long as the one before.",
  })
  .define({
    name: CONNECTION_TIMEOUT_MS_CONFIG,
    type: "INT",
    defaultValue: 1000,
    validator: Range.atLeast(0),
    importance: "LOW",
    group: CONNECTOR_GROUP,
    documentation: "Accepted for compatibility; connection attempts are bounded by read.timeout.ms.",
  })
  .define({
    name: READ_TIMEOUT_MS_CONFIG,
    type: "INT",
    defaultValue: 3000,
    validator: Range.atLeast(0),
    importance: "LOW",
    group: CONNECTOR_GROUP,
    documentation: "How long, in milliseconds, a request may wait for Elasticsearch's answer before it counts as failed (and is retried).",
  })
  .define({
    name: KEY_IGNORE_CONFIG,
    type: "BOOLEAN",
    defaultValue: false,
    importance: "HIGH",
    group: DATA_GROUP,
    documentation: "false: a record's key (a string or number) is its document id. true: the id is topic+partition+offset, so each record is a document of its own.",
  })
  .define({
    name: SCHEMA_IGNORE_CONFIG,
    type: "BOOLEAN",
    defaultValue: false,
    importance: "LOW",
    group: DATA_GROUP,
    documentation: "true: let Elasticsearch infer the index mapping from the documents. false: derive the mapping of a new index from the record value's Connect schema.",
  })
  .define({
    name: DROP_INVALID_MESSAGE_CONFIG,
    type: "BOOLEAN",
    defaultValue: false,
    importance: "LOW",
    group: DATA_GROUP,
    documentation: "true: skip (with a warning) records that cannot become a document, such as a null key when keys are ids; false: fail the task on them.",
  })
  .define({
    name: BEHAVIOR_ON_NULL_VALUES_CONFIG,
    type: "STRING",
    defaultValue: "fail",
    validator: ValidString.in("ignore", "delete", "fail"),
    importance: "LOW",
    group: DATA_GROUP,
    documentation: "What a record with a null value (a tombstone) does: ignore skips it, delete removes the document with its id, fail fails the task.",
  })
  .define({
    name: BEHAVIOR_ON_MALFORMED_DOCS_CONFIG,
    type: "STRING",
    defaultValue: "fail",
    validator: ValidString.in("ignore", "warn", "fail"),
    importance: "LOW",
    group: DATA_GROUP,
    documentation: "What happens to a document Elasticsearch refuses for good (a mapping conflict, a malformed field): ignore drops it, warn logs it, fail fails the task. With a dead letter queue configured, warn and fail send it there instead.",
  })
  .define({
    name: WRITE_METHOD_CONFIG,
    type: "STRING",
    defaultValue: "insert",
    validator: ValidString.in("insert", "upsert"),
    importance: "LOW",
    group: DATA_GROUP,
    documentation: "insert: each record's document replaces the one with its id. upsert: its fields are merged into the existing document, which is created if missing.",
  });

export interface ElasticsearchSinkSettings {
  readonly urls: readonly string[];
  readonly username: string | null;
  /** Kept as a Password so that printing the settings never shows it. */
  readonly password: Password | null;
  readonly keyIgnore: boolean;
  readonly schemaIgnore: boolean;
  readonly dropInvalidMessage: boolean;
  readonly onNullValues: NullValueBehavior;
  readonly onMalformedDocuments: MalformedDocumentBehavior;
  readonly writeMethod: WriteMethod;
  readonly batchSize: number;
  readonly maxRetries: number;
  readonly retryBackoffMs: number;
  readonly connectionTimeoutMs: number;
  readonly readTimeoutMs: number;
}

/** Parses a connector's or task's props (throws ConfigExceptions naming the bad key). */
export function parseElasticsearchSinkSettings(props: Readonly<Record<string, string>>): ElasticsearchSinkSettings {
  const c = ELASTICSEARCH_SINK_CONFIG.parse(props);
  const urls = (c[CONNECTION_URL_CONFIG] as string[]).map((url) => url.trim()).filter((url) => url !== "");
  if (urls.length === 0) throw new ConfigException(CONNECTION_URL_CONFIG, props[CONNECTION_URL_CONFIG], "At least one Elasticsearch URL is required");
  for (const [i, url] of urls.entries()) {
    const full = /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `http://${url}`;
    if (!/^https?:\/\//i.test(full) || !URL.canParse(full)) throw new ConfigException(CONNECTION_URL_CONFIG, url, "Elasticsearch URLs must be http:// or https:// URLs");
    urls[i] = full;
  }
  const password = c[CONNECTION_PASSWORD_CONFIG] as Password | null;
  return {
    urls,
    username: c[CONNECTION_USERNAME_CONFIG] as string | null,
    password,
    keyIgnore: c[KEY_IGNORE_CONFIG] as boolean,
    schemaIgnore: c[SCHEMA_IGNORE_CONFIG] as boolean,
    dropInvalidMessage: c[DROP_INVALID_MESSAGE_CONFIG] as boolean,
    onNullValues: c[BEHAVIOR_ON_NULL_VALUES_CONFIG] as NullValueBehavior,
    onMalformedDocuments: c[BEHAVIOR_ON_MALFORMED_DOCS_CONFIG] as MalformedDocumentBehavior,
    writeMethod: c[WRITE_METHOD_CONFIG] as WriteMethod,
    batchSize: c[BATCH_SIZE_CONFIG] as number,
    maxRetries: c[MAX_RETRIES_CONFIG] as number,
    retryBackoffMs: c[RETRY_BACKOFF_MS_CONFIG] as number,
    connectionTimeoutMs: c[CONNECTION_TIMEOUT_MS_CONFIG] as number,
    readTimeoutMs: c[READ_TIMEOUT_MS_CONFIG] as number,
  };
}

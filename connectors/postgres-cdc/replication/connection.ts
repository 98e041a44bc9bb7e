// How the connector reaches PostgreSQL: one options shape for both kinds of connection (normal
// SQL sessions and walsender "replication=database" sessions), SQL quoting for the few places
// where the replication protocol takes no bind parameters, and errors that carry the server's
// message and SQLSTATE so an operator can act on them.
import type { ConnectionOptions as TlsConnectionOptions } from "node:tls";
import pg from "pg";

export interface PgConnectionOptions {
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
  ssl?: boolean | TlsConnectionOptions;
  connectTimeoutMs?: number;
  applicationName?: string;
  /**
   * Server settings for the session, sent at startup as `-c name=value` (libpq's `options`),
   * e.g. `{ wal_sender_timeout: "10s" }` for a replication connection. Additive to the brief's shape.
   */
  runtimeParameters?: Readonly<Record<string, string>>;
}

/** pg's ClientConfig for a normal SQL session, or (replication) a logical walsender session. */
export function toClientConfig(options: PgConnectionOptions, kind: { replication?: boolean } = {}): pg.ClientConfig {
  const config: pg.ClientConfig & { replication?: string } = {
    host: options.host,
    port: options.port,
    user: options.user,
    database: options.database,
    keepAlive: true,
  };
  if (options.password !== undefined) config.password = options.password;
  if (options.ssl !== undefined) config.ssl = options.ssl;
  if (options.connectTimeoutMs !== undefined) config.connectionTimeoutMillis = options.connectTimeoutMs;
  if (options.applicationName !== undefined) config.application_name = options.applicationName;
  const startupOptions = formatStartupOptions(options.runtimeParameters ?? {});
  if (startupOptions !== "") config.options = startupOptions;
  // "database": a walsender connected to one database, which is what logical decoding needs.
  if (kind.replication === true) config.replication = "database";
  return config;
}

/** libpq's `options` startup parameter: `-c name=value` pairs, spaces and backslashes escaped with a backslash. */
function formatStartupOptions(parameters: Readonly<Record<string, string>>): string {
  const escape = (text: string): string => text.replace(/[\\ ]/g, (c) => `\\${c}`);
  return Object.entries(parameters)
    .map(([name, value]) => `-c ${escape(name)}=${escape(value)}`)
    .join(" ");
}

/** A connected client; a failed connect becomes a PostgresError naming where it tried to connect. */
export async function connectClient(options: PgConnectionOptions, kind: { replication?: boolean } = {}): Promise<pg.Client> {
  const client = new pg.Client(toClientConfig(options, kind));
  // A client whose socket dies while idle emits 'error'; without a listener that would crash the
  // process. Whoever uses the client learns of it from the next query's rejection.
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw toPostgresError(error, `could not connect to PostgreSQL at ${options.host}:${options.port} as "${options.user}" (database "${options.database}")`);
  }
  return client;
}

/** A PostgreSQL failure: the server's message with its SQLSTATE, or a connection-level failure (no SQLSTATE). */
export class PostgresError extends Error {
  /** The five-character SQLSTATE, e.g. "55006" (object in use), "42704" (undefined object), "57P01" (terminated). */
  readonly sqlState: string | undefined;
  readonly severity: string | undefined;
  readonly detail: string | undefined;
  readonly hint: string | undefined;
  /** The server's (or the socket's) own message, without the context this error adds. */
  readonly serverMessage: string;

  constructor(context: string, cause: unknown) {
    const fields = errorFields(cause);
    const state = fields.sqlState === undefined ? "" : ` (SQLSTATE ${fields.sqlState})`;
    const detail = fields.detail === undefined ? "" : `; detail: ${fields.detail}`;
    super(`${context}: ${fields.message}${state}${detail}`, { cause });
    this.name = "PostgresError";
    this.sqlState = fields.sqlState;
    this.severity = fields.severity;
    this.detail = fields.detail;
    this.hint = fields.hint;
    this.serverMessage = fields.message;
  }
}

export function toPostgresError(error: unknown, context: string): PostgresError {
  return new PostgresError(context, error);
}

function errorFields(error: unknown): { message: string; sqlState?: string; severity?: string; detail?: string; hint?: string } {
  if (!(error instanceof Error)) return { message: String(error) };
  const { code, severity, detail, hint } = error as Error & { code?: unknown; severity?: unknown; detail?: unknown; hint?: unknown };
  const text = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);
  // Node's socket errors carry codes too (ECONNREFUSED): only a five-character code is a SQLSTATE.
  const sqlState = typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
  const message = sqlState === undefined && typeof code === "string" && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
  return { message, sqlState, severity: text(severity), detail: text(detail), hint: text(hint) };
}

/** An identifier in double quotes (doubling embedded quotes), safe for any name: mixed case, spaces, quotes. */
export function quoteIdentifier(name: string): string {
  if (name.includes("\0")) throw new Error(`an identifier cannot contain a NUL character: ${JSON.stringify(name)}`);
  return `"${name.replace(/"/g, '""')}"`;
}

/** `"schema"."table"` */
export function qualifiedName(schema: string, table: string): string {
  return `${quoteIdentifier(schema)}.${quoteIdentifier(table)}`;
}

/**
 * A string literal for the places that take no bind parameters (the replication protocol, SET
 * TRANSACTION SNAPSHOT). The E'' form with backslashes doubled is right whatever
 * standard_conforming_strings says.
 */
export function quoteLiteral(value: string): string {
  if (value.includes("\0")) throw new Error("a string literal cannot contain a NUL character");
  const escaped = value.replace(/'/g, "''").replace(/\\/g, "\\\\");
  return value.includes("\\") ? `E'${escaped}'` : `'${escaped}'`;
}

/**
 * Slot names are restricted by PostgreSQL to lower-case letters, digits and underscores (at most
 * NAMEDATALEN-1 = 63 bytes); checking here gives a clear error before any command is sent.
 */
export function checkSlotName(slotName: string): void {
  if (!/^[a-z0-9_]{1,63}$/.test(slotName)) {
    throw new Error(`invalid replication slot name ${JSON.stringify(slotName)}: use 1-63 lower-case letters, digits and underscores`);
  }
}

/** server_version_num, e.g. 150018: works on both kinds of connection. */
export async function serverVersionNum(client: pg.ClientBase): Promise<number> {
  const result = await client.query<{ server_version_num: string }>("SHOW server_version_num");
  return Number(result.rows[0]?.server_version_num);
}

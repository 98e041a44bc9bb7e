// PostgresConnector: one task whatever tasks.max says (a slot has one reader, as in Debezium),
// and a validate() that, once the keys are well-formed, checks the database itself: that it can
// be reached with these credentials, that wal_level is logical and that the user may replicate,
// with messages on the key to fix.
import type pg from "pg";
import { type Config, type ConfigDef, type ConnectorProps, SourceConnector, type SourceTask, type TaskClass } from "../../connect/api/index.ts";
import { HUB_VERSION } from "../../lib/version.ts";
import {
  DATABASE_DBNAME_CONFIG,
  DATABASE_HOSTNAME_CONFIG,
  DATABASE_PASSWORD_CONFIG,
  DATABASE_USER_CONFIG,
  parsePostgresCdcSettings,
  POSTGRES_CDC_CONFIG,
  validatePostgresCdcConfig,
} from "./config.ts";
import { resolveConnectionOptions } from "./connection-options.ts";
import { connectClient, PostgresError } from "./replication/index.ts";
import { PostgresCdcSourceTask } from "./source-task.ts";

/** Validation gives up on a server that does not answer within this, whatever connect.timeout.ms says. */
const VALIDATE_CONNECT_TIMEOUT_MS = 10_000;

export class PostgresCdcSourceConnector extends SourceConnector {
  #props: ConnectorProps = {};

  override version(): string {
    return HUB_VERSION;
  }

  override start(props: ConnectorProps): void {
    parsePostgresCdcSettings(props);
    this.#props = props;
  }

  override taskClass(): TaskClass<SourceTask> {
    return PostgresCdcSourceTask;
  }

  override taskConfigs(_maxTasks: number): ConnectorProps[] {
    return [{ ...this.#props }];
  }

  override stop(): void {}

  override config(): ConfigDef {
    return POSTGRES_CDC_CONFIG;
  }

  override async validate(props: ConnectorProps): Promise<Config> {
    const configValues = validatePostgresCdcConfig(props);
    if (configValues.some((value) => value.errors.length > 0)) return { configValues };
    const byName = new Map(configValues.map((value) => [value.name, value]));
    for (const [key, message] of await checkDatabase(props)) byName.get(key)?.addErrorMessage(message);
    return { configValues };
  }
}

/** Problems found by connecting: [key, message] pairs (none when the database is ready). */
export async function checkDatabase(props: ConnectorProps): Promise<[string, string][]> {
  const settings = parsePostgresCdcSettings(props);
  const connectTimeoutMs = settings.connectTimeoutMs > 0 ? Math.min(settings.connectTimeoutMs, VALIDATE_CONNECT_TIMEOUT_MS) : VALIDATE_CONNECT_TIMEOUT_MS;
  let client: pg.Client;
  try {
    const options = await resolveConnectionOptions({ ...settings, connectTimeoutMs });
    client = await connectClient(options);
  } catch (error) {
    return [connectionProblem(error, settings.hostname, settings.port)];
  }
  try {
    const problems: [string, string][] = [];
    const { rows } = await client.query<{ wal_level: string; version: string; replication: boolean; superuser: boolean }>(
      `SELECT current_setting('wal_level') AS wal_level, current_setting('server_version_num') AS version,
              r.rolreplication AS replication, r.rolsuper AS superuser
         FROM pg_roles r WHERE r.rolname = current_user`,
    );
    const row = rows[0];
    if (row === undefined) return [[DATABASE_USER_CONFIG, "Could not read the connecting role from pg_roles"]];
    if (Number(row.version) < 100000) {
      problems.push([DATABASE_HOSTNAME_CONFIG, `PostgreSQL ${row.version} is too old: the pgoutput plugin needs PostgreSQL 10 or later`]);
    }
    if (row.wal_level !== "logical") {
      problems.push([
        DATABASE_HOSTNAME_CONFIG,
        `The server's wal_level is "${row.wal_level}", but change data capture needs "logical": set wal_level = logical in postgresql.conf (or ALTER SYSTEM SET wal_level = logical) and restart PostgreSQL`,
      ]);
    }
    if (!row.replication && !row.superuser) {
      problems.push([DATABASE_USER_CONFIG, `The role "${settings.user}" may not open replication connections: ALTER ROLE "${settings.user}" WITH REPLICATION (or use a superuser)`]);
    }
    return problems;
  } catch (error) {
    return [[DATABASE_HOSTNAME_CONFIG, `Connected, but checking the server failed: ${(error as Error).message}`]];
  } finally {
    await client.end().catch(() => {});
  }
}

/** Which key a failed connection points at, from the server's SQLSTATE. */
function connectionProblem(error: unknown, host: string, port: number): [string, string] {
  const sqlState = error instanceof PostgresError ? error.sqlState : undefined;
  const message = error instanceof PostgresError ? error.serverMessage : (error as Error).message;
  switch (sqlState) {
    case "28P01":
      return [DATABASE_PASSWORD_CONFIG, `PostgreSQL refused the password: ${message}`];
    case "28000":
      return [DATABASE_USER_CONFIG, `PostgreSQL refused the connection for this user: ${message}`];
    case "3D000":
      return [DATABASE_DBNAME_CONFIG, `The database does not exist: ${message}`];
    default:
      return [DATABASE_HOSTNAME_CONFIG, `Unable to connect to PostgreSQL at ${host}:${port}: ${message}`];
  }
}


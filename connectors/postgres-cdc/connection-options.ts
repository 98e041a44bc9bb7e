// From the connector's settings to the options every PostgreSQL connection of the task uses
// (SQL sessions, the snapshot transaction, the replication stream), with database.sslmode mapped
// onto Node's TLS options as libpq interprets it. "prefer" needs one probe: pg has no fallback
// from TLS to a plain connection, so we try TLS once and remember whether the server took it.
import { readFileSync } from "node:fs";
import type { ConnectionOptions as TlsConnectionOptions } from "node:tls";
import { ConfigException } from "../../connect/api/index.ts";
import {
  DATABASE_SSLCERT_CONFIG,
  DATABASE_SSLKEY_CONFIG,
  DATABASE_SSLROOTCERT_CONFIG,
  type PostgresCdcSettings,
} from "./config.ts";
import { connectClient, type PgConnectionOptions } from "./replication/index.ts";

export const APPLICATION_NAME = "hub-postgres-cdc";

function readPem(key: string, file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigException(key, file, `cannot read the file: ${(error as Error).message}`);
  }
}

/** The TLS options of an sslmode, or false for a plain connection. */
export function tlsOptions(settings: PostgresCdcSettings): false | TlsConnectionOptions {
  if (settings.sslMode === "disable" || settings.sslMode === "allow") return false;
  const tls: TlsConnectionOptions = {};
  if (settings.sslCert !== null) tls.cert = readPem(DATABASE_SSLCERT_CONFIG, settings.sslCert);
  if (settings.sslKey !== null) tls.key = readPem(DATABASE_SSLKEY_CONFIG, settings.sslKey);
  if (settings.sslPassword !== null) tls.passphrase = settings.sslPassword.value();
  if (settings.sslMode === "prefer" || settings.sslMode === "require") return { ...tls, rejectUnauthorized: false };
  if (settings.sslRootCert !== null) tls.ca = readPem(DATABASE_SSLROOTCERT_CONFIG, settings.sslRootCert);
  tls.rejectUnauthorized = true;
  // verify-ca checks the chain but not that the certificate names this host.
  if (settings.sslMode === "verify-ca") tls.checkServerIdentity = () => undefined;
  return tls;
}

/** Connection options without the sslmode=prefer probe (TLS as configured, prefer as plain). */
export function baseConnectionOptions(settings: PostgresCdcSettings): PgConnectionOptions {
  const options: PgConnectionOptions = {
    host: settings.hostname,
    port: settings.port,
    user: settings.user,
    database: settings.database,
    applicationName: APPLICATION_NAME,
  };
  if (settings.password !== null) options.password = settings.password.value();
  if (settings.connectTimeoutMs > 0) options.connectTimeoutMs = settings.connectTimeoutMs;
  const tls = tlsOptions(settings);
  if (tls !== false && settings.sslMode !== "prefer") options.ssl = tls;
  return options;
}

/**
 * The options to connect with. For sslmode=prefer, one TLS connection is tried: if it opens, TLS
 * is used from then on; if it fails for any reason, plain connections are used (and a server
 * that refuses them too says so at the next connection, with its own message).
 */
export async function resolveConnectionOptions(settings: PostgresCdcSettings): Promise<PgConnectionOptions> {
  const options = baseConnectionOptions(settings);
  if (settings.sslMode !== "prefer") return options;
  const tls = tlsOptions(settings);
  if (tls === false) return options;
  const withTls: PgConnectionOptions = { ...options, ssl: tls };
  try {
    const client = await connectClient(withTls);
    await client.end().catch(() => {});
    return withTls;
  } catch {
    return options;
  }
}

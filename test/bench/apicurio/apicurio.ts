// Apicurio Registry for the Schema Registry benchmark (test/bench/registry.ts): where fetch.sh
// builds it, and the command that runs it. fetch.sh says why it is 2.4.2.Final and how it is
// built from Maven Central artifacts.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { hubCacheDir } from "../../services/index.ts";

export const APICURIO_VERSION = "2.4.2.Final";
/** Keep in step with APICURIO_REVISION in fetch.sh. */
const APICURIO_REVISION = "r2";
/** Apicurio's Confluent-compatible API (v6 and v7 in 2.4; v7 is Confluent's current one). */
export const APICURIO_CCOMPAT_PATH = "/apis/ccompat/v7";

const HERE = dirname(fileURLToPath(import.meta.url));

export function apicurioHome(): string {
  return process.env.HUB_BENCH_APICURIO_HOME ?? join(hubCacheDir(), `apicurio-registry-${APICURIO_VERSION}-${APICURIO_REVISION}`);
}

/** Builds Apicurio with fetch.sh unless it is there already (its progress goes to our stderr). */
export async function ensureApicurio(): Promise<string> {
  const home = apicurioHome();
  if (existsSync(join(home, ".complete"))) return home;
  const child = spawn("bash", [join(HERE, "fetch.sh")], { stdio: ["ignore", "ignore", "inherit"] });
  const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
  if (code !== 0 || !existsSync(join(home, ".complete"))) throw new Error(`test/bench/apicurio/fetch.sh failed (exit ${code}): Apicurio Registry ${APICURIO_VERSION} is not in ${home}`);
  return home;
}

/** Where an Apicurio keeps its data: see fetch.sh for the two builds. */
export type ApicurioStorage = "h2" | "postgresql";

/**
 * The JVM's arguments for one Apicurio on 127.0.0.1:port: with "h2" its default storage (SQL on
 * an in-memory H2 database, so every start is empty), with "postgresql" the build whose
 * datasource is PostgreSQL, which apicurioPostgresEnv() points at a database. Its INFO logging
 * (start-up steps, scheduled jobs and an audit line per registration) is turned down to WARN,
 * like the hub's `--log-level warn`.
 */
export function apicurioArgs(home: string, port: number, jvmOptions: readonly string[], storage: ApicurioStorage): string[] {
  return [
    ...jvmOptions,
    "-Djava.awt.headless=true",
    "-Dquarkus.http.host=127.0.0.1",
    `-Dquarkus.http.port=${port}`,
    "-Dquarkus.log.level=WARN",
    '-Dquarkus.log.category."io.apicurio".level=WARN',
    "-jar",
    join(home, storage === "h2" ? "apicurio-registry-runner.jar" : "apicurio-registry-runner-postgresql.jar"),
  ];
}

/**
 * The environment that points the PostgreSQL build at a database. Apicurio's
 * application.properties reads these variables in its `%prod` datasource settings (a system
 * property without the profile would not win over those).
 */
export function apicurioPostgresEnv(jdbcUrl: string, user: string, password: string): Record<string, string> {
  return { REGISTRY_DATASOURCE_URL: jdbcUrl, REGISTRY_DATASOURCE_USERNAME: user, REGISTRY_DATASOURCE_PASSWORD: password };
}

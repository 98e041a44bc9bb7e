// Where the test services listen. Each address comes from its environment variable when set
// (a user's own server, or one testcontainers started), otherwise from the loopback port that
// test/services/up uses. Tests ask for a service through requireService(), which fails loudly,
// naming the command that provides it, when nothing answers: a missing service is never a skip.
import { connect } from "node:net";
import { homedir } from "node:os";
import { join } from "node:path";

export type ServiceName = "postgres" | "mariadb" | "redis" | "elasticsearch" | "mongo" | "kafka";

interface ServiceSpec {
  envVar: string;
  defaultAddress: string;
  /** host:port to probe, derived from the address */
  probe: (address: string) => { host: string; port: number };
}

const fromUrl = (address: string): { host: string; port: number } => {
  const url = new URL(address);
  return { host: url.hostname, port: Number(url.port) };
};
const fromHostPort = (address: string): { host: string; port: number } => {
  const first = address.split(",")[0] ?? address;
  const colon = first.lastIndexOf(":");
  return { host: first.slice(0, colon), port: Number(first.slice(colon + 1)) };
};

const specs: Record<ServiceName, ServiceSpec> = {
  postgres: {
    envVar: "HUB_TEST_PG_URL",
    defaultAddress: "postgres://hub:hub@127.0.0.1:55432/hub",
    probe: fromUrl,
  },
  mariadb: {
    envVar: "HUB_TEST_MYSQL_URL",
    defaultAddress: "mysql://hub:hub@127.0.0.1:53306/hub",
    probe: fromUrl,
  },
  redis: { envVar: "HUB_TEST_REDIS_URL", defaultAddress: "redis://127.0.0.1:56379", probe: fromUrl },
  elasticsearch: { envVar: "HUB_TEST_ES_URL", defaultAddress: "http://127.0.0.1:59200", probe: fromUrl },
  mongo: { envVar: "HUB_TEST_MONGO_URL", defaultAddress: "mongodb://127.0.0.1:57017/", probe: fromUrl },
  kafka: { envVar: "HUB_TEST_KAFKA_BOOTSTRAP", defaultAddress: "127.0.0.1:59092", probe: fromHostPort },
};

/** The address of a service: a URL, or host:port for Kafka. */
export function serviceAddress(name: ServiceName): string {
  const spec = specs[name];
  return process.env[spec.envVar] ?? spec.defaultAddress;
}

function canConnect(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/** Resolves to the service's address, or throws an error that says how to provide it. */
export async function requireService(name: ServiceName): Promise<string> {
  const address = serviceAddress(name);
  const { host, port } = specs[name].probe(address);
  if (!(await canConnect(host, port, 2000))) {
    throw new Error(
      `test service '${name}' is not reachable at ${address}. ` +
        `Start it with: test/services/up ${name}  (or set ${specs[name].envVar} to a running server)`,
    );
  }
  return address;
}

/** The cache where provisioning keeps downloads and builds (same rule as scripts/node-env.sh). */
export function hubCacheDir(): string {
  if (process.env.HUB_CACHE) return process.env.HUB_CACHE;
  if (process.getuid?.() === 0) return "/var/cache/hub";
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "hub");
}

/** The directory of the Kafka CLI launchers test/services/kafka.sh generates (kafka-topics, ...). */
export function kafkaToolsDir(): string {
  return process.env.HUB_TEST_KAFKA_TOOLS ?? join(hubCacheDir(), "kafka-4.3.1", "bin");
}

/**
 * The npm prefix whose node_modules holds @confluentinc/kafka-javascript with its built librdkafka
 * addon (test/services/up clients builds it there once), or HUB_TEST_CONFLUENT_KAFKA_JS_DIR.
 */
export function confluentKafkaJavascriptDir(): string {
  return process.env.HUB_TEST_CONFLUENT_KAFKA_JS_DIR ?? join(hubCacheDir(), "confluent-kafka-javascript-1.10.1");
}

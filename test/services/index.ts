// Where the test services listen. Each address comes from its environment variable when set
// (a user's own server, or one testcontainers started), otherwise from the loopback port that
// test/services/up uses. Tests ask for a service through requireService(), which fails loudly,
// naming the command that provides it, when nothing answers: a missing service is never a skip.
import { existsSync } from "node:fs";
import { connect } from "node:net";
import { homedir } from "node:os";
import { join } from "node:path";

export type ServiceName = "postgres" | "mariadb" | "redis" | "elasticsearch" | "mongo" | "kafka" | "avro-java";

interface ServiceSpec {
  envVar: string;
  defaultAddress: string;
  /** host:port to probe, derived from the address (a server) */
  probe?: (address: string) => { host: string; port: number };
  /** Whether what the address names is installed (a tool rather than a server) */
  installed?: (address: string) => boolean;
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
  // The address is the Java classpath of Debian's libavro-java; avroJavaClasspath() gives the other Avro.
  "avro-java": {
    envVar: "HUB_TEST_AVRO_JAVA_CLASSPATH",
    defaultAddress: ["avro", "jackson-core-asl", "jackson-mapper-asl", "slf4j-api", "slf4j-nop"]
      .map((jar) => `/usr/share/java/${jar}.jar`)
      .join(":"),
    installed: (classpath) =>
      onPath("javac") && [...classpath.split(":"), avroJavaClasspath()].every((entry) => existsSync(entry.replace(/\/\*$/, ""))),
  },
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

function onPath(command: string): boolean {
  return (process.env.PATH ?? "").split(":").some((dir) => dir !== "" && existsSync(join(dir, command)));
}

/** Resolves to the service's address, or throws an error that says how to provide it. */
export async function requireService(name: ServiceName): Promise<string> {
  const address = serviceAddress(name);
  const spec = specs[name];
  if (spec.installed !== undefined) {
    if (!spec.installed(address)) {
      throw new Error(
        `test service '${name}' is not installed (${address}). ` +
          `Install it with: test/services/up ${name}  (or set ${spec.envVar})`,
      );
    }
    return address;
  }
  const { host, port } = spec.probe?.(address) ?? fromHostPort(address);
  if (!(await canConnect(host, port, 2000))) {
    throw new Error(
      `test service '${name}' is not reachable at ${address}. ` +
        `Start it with: test/services/up ${name}  (or set ${spec.envVar} to a running server)`,
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

/** Keep in step with AVRO_JAVA_VERSION in test/services/avro-java.sh. */
export const AVRO_JAVA_VERSION = "1.11.4";

/**
 * The Java classpath of Apache Avro ${AVRO_JAVA_VERSION} and its dependencies, the Avro line inside
 * Confluent's Schema Registry (test/services/up avro-java puts it in the cache), or
 * HUB_TEST_AVRO_JAVA_MODERN_CLASSPATH.
 */
export function avroJavaClasspath(): string {
  return process.env.HUB_TEST_AVRO_JAVA_MODERN_CLASSPATH ?? join(hubCacheDir(), `avro-java-${AVRO_JAVA_VERSION}`, "libs", "*");
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

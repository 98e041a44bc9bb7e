// Apache Kafka Connect 4.3.1 as a child process: a real distributed worker (ConnectDistributed)
// on a free loopback port, against a given bootstrap (the hub's broker or the Kafka service),
// with its own group.id and internal topics, so that tests can compare the hub's Connect worker
// with the real one. The jars (connect-runtime, connect-file, connect-transforms, connect-json
// and their dependencies, all on the classpath) come from test/services/kafka-connect.sh. The
// worker's output goes to a log file, named in every error; a clean stop() removes it unless
// HUB_TEST_KEEP_LOGS is set (set it to read what a worker did in a failing test).
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, openSync, closeSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hubCacheDir } from "../services/index.ts";
import { freePort } from "./broker-process.ts";
import { connectGroupProps } from "./connect-group.ts";

export const KAFKA_CONNECT_VERSION = "4.3.1";
/** Keep in step with KAFKA_CONNECT_REVISION in test/services/kafka-connect.sh. */
const KAFKA_CONNECT_REVISION = "r1";

/** Where test/services/kafka-connect.sh put the jars and the log4j2 config. */
export function kafkaConnectHome(): string {
  return process.env.HUB_TEST_KAFKA_CONNECT_HOME ?? join(hubCacheDir(), `kafka-connect-${KAFKA_CONNECT_VERSION}-${KAFKA_CONNECT_REVISION}`);
}

export interface KafkaConnectOptions {
  bootstrap: string;
  /** Unique per worker group: the group id and the prefix of its three internal topics. */
  groupId?: string;
  /** Replication factor of the internal topics (-1: the broker's default). Default 1. */
  replicationFactor?: number;
  /** More worker properties (override the defaults below). */
  workerProps?: Record<string, string>;
  /** JVM flags; the default favours start-up time on a small machine. */
  jvmOptions?: string[];
  /** How long to wait for the worker to be ready (default 90 s). */
  startTimeoutMs?: number;
}

export interface KafkaConnectWorker {
  /** The REST API, e.g. http://127.0.0.1:41234 (no trailing slash). */
  readonly url: string;
  readonly port: number;
  readonly groupId: string;
  /** The worker's stdout and stderr. */
  readonly logFile: string;
  readonly configTopic: string;
  readonly offsetTopic: string;
  readonly statusTopic: string;
  /** SIGTERM (a clean shutdown), SIGKILL after 20 s; then removes the log (see above). */
  stop(): Promise<void>;
  /** Kills the JVM at once. */
  kill(): Promise<void>;
}

const DEFAULT_JVM_OPTIONS = ["-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError"];

let counter = 0;

export async function startKafkaConnect(options: KafkaConnectOptions): Promise<KafkaConnectWorker> {
  const home = kafkaConnectHome();
  if (!existsSync(join(home, "libs", ".complete")) || !existsSync(join(home, "connect-log4j2.properties"))) {
    throw new Error(`Apache Kafka Connect ${KAFKA_CONNECT_VERSION} is not provisioned in ${home}. Run: test/services/up kafka-connect`);
  }
  const port = await freePort();
  const groupId = options.groupId ?? `kc-${process.pid}-${Date.now().toString(36)}-${++counter}`;
  const dir = await mkdtemp(join(tmpdir(), "kafka-connect-"));
  const rf = String(options.replicationFactor ?? 1);
  const props: Record<string, string> = {
    "bootstrap.servers": options.bootstrap,
    listeners: `http://127.0.0.1:${port}`,
    "rest.advertised.host.name": "127.0.0.1",
    "rest.advertised.port": String(port),
    ...connectGroupProps(groupId, rf),
    "key.converter": "org.apache.kafka.connect.json.JsonConverter",
    "value.converter": "org.apache.kafka.connect.json.JsonConverter",
    // Tests want offsets committed soon after records are written.
    "offset.flush.interval.ms": "1000",
    ...options.workerProps,
  };
  const propsFile = join(dir, "worker.properties");
  await writeFile(propsFile, Object.entries(props).map(([k, v]) => `${k}=${v.replace(/\\/g, "\\\\")}`).join("\n") + "\n");
  const logFile = join(dir, "worker.log");
  const out = openSync(logFile, "a");
  let child: ChildProcess;
  try {
    child = spawn(
      "java",
      [
        ...(options.jvmOptions ?? DEFAULT_JVM_OPTIONS),
        "-Djava.awt.headless=true",
        `-Dlog4j2.configurationFile=${join(home, "connect-log4j2.properties")}`,
        "-cp",
        `${join(home, "libs")}/*`,
        "org.apache.kafka.connect.cli.ConnectDistributed",
        propsFile,
      ],
      // stdin is /dev/null: a FileStreamSource without `file` reads stdin and gets EOF.
      { stdio: ["ignore", out, out], cwd: dir },
    );
  } finally {
    closeSync(out);
  }
  let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exited = new Promise<void>((resolve) =>
    child.once("exit", (code, signal) => {
      exit = { code, signal };
      resolve();
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const kill = async (signal: NodeJS.Signals): Promise<void> => {
    if (exit === null) child.kill(signal);
    await exited;
  };
  const worker: KafkaConnectWorker = {
    url,
    port,
    groupId,
    logFile,
    configTopic: props["config.storage.topic"]!,
    offsetTopic: props["offset.storage.topic"]!,
    statusTopic: props["status.storage.topic"]!,
    async stop() {
      if (exit === null) {
        const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
        await kill("SIGTERM");
        clearTimeout(timer);
      }
      if (!process.env.HUB_TEST_KEEP_LOGS) await rm(dir, { recursive: true, force: true });
    },
    kill: () => kill("SIGKILL"),
  };

  // Ready when GET /health says healthy (the herder has started and joined its group: KIP-1017)
  // and GET /connectors answers (the group has a leader).
  const deadline = Date.now() + (options.startTimeoutMs ?? 90_000);
  for (;;) {
    if (exit !== null) throw new Error(`Kafka Connect exited during start-up (${JSON.stringify(exit)}); log: ${logFile}`);
    if (Date.now() > deadline) {
      await worker.kill();
      throw new Error(`Kafka Connect was not ready within ${options.startTimeoutMs ?? 90_000} ms; log: ${logFile}`);
    }
    if ((await httpStatus(`${url}/health`)) === 200 && (await httpStatus(`${url}/connectors`)) === 200) return worker;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The HTTP status of GET url, 0 when nothing answers within 2 s. */
export async function httpStatus(url: string): Promise<number> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

// A separate Apache Kafka KRaft node for benchmarks that compare the hub's broker with Kafka on
// the same machine (never the shared test service, whose state and JIT warm-up differ): started
// from the jars test/services/kafka.sh caches, with the test service's JVM settings, in a data
// directory of its own that survives a SIGKILL and a restart.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { kafkaToolsDir } from "../services/index.ts";
import { freePort } from "./broker-process.ts";

const KAFKA_HEAP_OPTS = "-Xms128m -Xmx512m";
const KAFKA_JVM_OPTS = "-XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError";

export interface KafkaNodeOptions {
  /** Where server.properties, the data and the logs go. */
  dir: string;
  /** Extra server.properties lines (key=value). */
  props?: Record<string, string>;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], env });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (out += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (out += c));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, out }));
  });
}

export class KafkaNode {
  readonly dir: string;
  readonly bootstrap: string;
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();

  private constructor(dir: string, bootstrap: string) {
    this.dir = dir;
    this.bootstrap = bootstrap;
  }

  /** Formats the storage (first time) and writes server.properties; does not start it. */
  static async create(options: KafkaNodeOptions): Promise<KafkaNode> {
    mkdirSync(options.dir, { recursive: true });
    const [port, controllerPort] = [await freePort(), await freePort()];
    const propsFile = join(options.dir, "server.properties");
    const lines = {
      "process.roles": "broker,controller",
      "node.id": "1",
      "controller.quorum.voters": `1@127.0.0.1:${controllerPort}`,
      "controller.listener.names": "CONTROLLER",
      listeners: `PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
      "advertised.listeners": `PLAINTEXT://127.0.0.1:${port}`,
      "inter.broker.listener.name": "PLAINTEXT",
      "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
      "log.dirs": join(options.dir, "data"),
      "offsets.topic.replication.factor": "1",
      "transaction.state.log.replication.factor": "1",
      "transaction.state.log.min.isr": "1",
      "share.coordinator.state.topic.replication.factor": "1",
      "share.coordinator.state.topic.min.isr": "1",
      ...options.props,
    };
    writeFileSync(propsFile, Object.entries(lines).map(([k, v]) => `${k}=${v}`).join("\n") + "\n");
    const format = await run(join(kafkaToolsDir(), "kafka-storage"), ["format", "-t", randomBytes(16).toString("base64url"), "-c", propsFile]);
    if (format.code !== 0) throw new Error(`kafka-storage format failed:\n${format.out}`);
    return new KafkaNode(options.dir, `127.0.0.1:${port}`);
  }

  get logFile(): string {
    return join(this.dir, "server.log");
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Spawns the JVM (returns at once; poll the bootstrap address to know when it serves). */
  start(): void {
    // Warnings, plus the broker's start-up and log loading lines ("Loaded N logs in X ms").
    const log4j = join(this.dir, "log4j2.properties");
    writeFileSync(
      log4j,
      [
        "status = error",
        "appender.file.type = File",
        "appender.file.name = FILE",
        `appender.file.fileName = ${this.logFile}`,
        "appender.file.layout.type = PatternLayout",
        "appender.file.layout.pattern = [%d] %p %m (%c)%n",
        "rootLogger.level = warn",
        "rootLogger.appenderRef.file.ref = FILE",
        "logger.broker.name = kafka.server.BrokerServer",
        "logger.broker.level = info",
        "logger.logmanager.name = kafka.log.LogManager",
        "logger.logmanager.level = info",
        "logger.logloader.name = org.apache.kafka.storage.internals.log.LogLoader",
        "logger.logloader.level = info",
        "",
      ].join("\n"),
    );
    const env = { ...process.env, KAFKA_HEAP_OPTS, KAFKA_JVM_OPTS: `${KAFKA_JVM_OPTS} -Dkafka.logs.dir=${this.dir}`, KAFKA_LOG4J_CONFIG: log4j };
    const out = openSync(join(this.dir, "stdout.log"), "a");
    // The launcher execs java, so this pid is the JVM's.
    const child = spawn(join(kafkaToolsDir(), "kafka-server-start"), [join(this.dir, "server.properties")], { stdio: ["ignore", out, out], env });
    closeSync(out);
    this.child = child;
    this.exited = new Promise((r) => child.once("exit", () => r()));
  }

  /** The server log so far ("" if none yet). */
  log(): string {
    return existsSync(this.logFile) ? readFileSync(this.logFile, "utf8") : "";
  }

  async kill(): Promise<void> {
    this.child?.kill("SIGKILL");
    await this.exited;
  }

  async stop(timeoutMs = 120_000): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }
}

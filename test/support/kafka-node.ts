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
  /** node.id (default 1). */
  nodeId?: number;
  /** The PLAINTEXT port (default: a free one). */
  port?: number;
  /** The CONTROLLER port (default: a free one). */
  controllerPort?: number;
  /** controller.quorum.voters (default: this node alone). Nodes of one cluster list the same voters. */
  voters?: string;
  /** The cluster id the storage is formatted with (default: a new one); a cluster's nodes share it. */
  clusterId?: string;
  /** Extra `kafka-storage format` arguments, e.g. `--add-scram` to create SCRAM users before the first start. */
  formatArgs?: readonly string[];
  /** KAFKA_HEAP_OPTS (default -Xms128m -Xmx512m). */
  heapOpts?: string;
  /**
   * SIGKILL the JVM when this Node.js process dies without stopping it (a test runner that kills
   * its worker, a crash), so no broker outlives the test that started it. A small shell watches
   * both processes; `kill()` and `stop()` end it.
   */
  killWithParent?: boolean;
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
  readonly nodeId: number;
  readonly port: number;
  private readonly heapOpts: string;
  private readonly killWithParent: boolean;
  private child: ChildProcess | undefined;
  private watchdog: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();

  private constructor(options: KafkaNodeOptions, nodeId: number, port: number) {
    this.dir = options.dir;
    this.nodeId = nodeId;
    this.port = port;
    this.bootstrap = `127.0.0.1:${port}`;
    this.heapOpts = options.heapOpts ?? KAFKA_HEAP_OPTS;
    this.killWithParent = options.killWithParent ?? false;
  }

  /** Formats the storage (first time) and writes server.properties; does not start it. */
  static async create(options: KafkaNodeOptions): Promise<KafkaNode> {
    mkdirSync(options.dir, { recursive: true });
    const port = options.port ?? (await freePort());
    const controllerPort = options.controllerPort ?? (await freePort());
    const nodeId = options.nodeId ?? 1;
    const propsFile = join(options.dir, "server.properties");
    const lines = {
      "process.roles": "broker,controller",
      "node.id": String(nodeId),
      "controller.quorum.voters": options.voters ?? `${nodeId}@127.0.0.1:${controllerPort}`,
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
    const format = await run(join(kafkaToolsDir(), "kafka-storage"), ["format", "-t", options.clusterId ?? newClusterId(), "-c", propsFile, ...(options.formatArgs ?? [])]);
    if (format.code !== 0) throw new Error(`kafka-storage format failed:\n${format.out}`);
    return new KafkaNode(options, nodeId, port);
  }

  get logFile(): string {
    return join(this.dir, "server.log");
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** True while the JVM started by start() has not exited. */
  get running(): boolean {
    const child = this.child;
    return child !== undefined && child.exitCode === null && child.signalCode === null;
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
    const env = { ...process.env, KAFKA_HEAP_OPTS: this.heapOpts, KAFKA_JVM_OPTS: `${KAFKA_JVM_OPTS} -Dkafka.logs.dir=${this.dir}`, KAFKA_LOG4J_CONFIG: log4j };
    const out = openSync(join(this.dir, "stdout.log"), "a");
    // The launcher execs java, so this pid is the JVM's.
    const child = spawn(join(kafkaToolsDir(), "kafka-server-start"), [join(this.dir, "server.properties")], { stdio: ["ignore", out, out], env });
    closeSync(out);
    this.child = child;
    this.exited = new Promise((r) => child.once("exit", () => r()));
    if (this.killWithParent && child.pid !== undefined) this.watchdog = watchParent(child.pid);
  }

  /** The server log so far ("" if none yet). */
  log(): string {
    return existsSync(this.logFile) ? readFileSync(this.logFile, "utf8") : "";
  }

  async kill(): Promise<void> {
    if (this.running) this.child?.kill("SIGKILL");
    await this.exited;
    this.endWatchdog();
  }

  /** SIGKILLs the JVM without waiting, for process "exit" handlers (which cannot await). */
  killNow(): void {
    if (this.running) this.child?.kill("SIGKILL");
    this.endWatchdog();
  }

  async stop(timeoutMs = 120_000): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    await this.exited;
    clearTimeout(timer);
    this.endWatchdog();
  }

  private endWatchdog(): void {
    const watchdog = this.watchdog;
    this.watchdog = undefined;
    if (watchdog && watchdog.exitCode === null && watchdog.signalCode === null) watchdog.kill("SIGKILL");
  }
}

/** A KRaft cluster id: a Kafka Uuid, 16 random bytes in base64url without padding. */
export function newClusterId(): string {
  return randomBytes(16).toString("base64url");
}

/**
 * A detached shell that SIGKILLs `pid` once this process is gone, and exits by itself when `pid`
 * does. Detached (own process group) and unref'd, so it neither dies with nor holds up this
 * process; a once-a-second `kill -0` costs nothing.
 */
function watchParent(pid: number): ChildProcess {
  const script = 'while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 1; done; kill -0 "$1" 2>/dev/null || kill -9 "$2" 2>/dev/null';
  const watchdog = spawn("sh", ["-c", script, "kafka-node-watchdog", String(process.pid), String(pid)], { detached: true, stdio: "ignore" });
  watchdog.unref();
  return watchdog;
}

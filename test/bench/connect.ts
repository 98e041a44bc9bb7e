// The Connect benchmark: the hub's Connect worker (`hub connect`) and Apache Kafka Connect 4.3.1,
// on this machine, on the same broker, in one run, running the same pipeline, so that the ratio
// hub/Kafka Connect means something.
//
//   node test/bench/connect.ts [--runs N] [--records N] [--line-bytes N] [--brokers kafka,hub]
//                              [--workers hub,kafka-connect,kafka-connect-sl] [--mode distributed|standalone]
//                              [--batch-size N] [--flush-ms N] [--kafka-jvm="FLAGS"] [--hub-node-flags="FLAGS"]
//                              [--kafka-connect-prop K=V] [--out FILE] [--profile] [--keep-logs]
//   npm run bench:connect -- --quick
//
// The workers: the hub's (`node dist/cli/hub.js connect`, what ./hub runs: the compiled tree), and Apache Kafka Connect
// 4.3.1 from Maven (test/support/kafka-connect-process.ts) twice: as shipped, and with
// plugin.discovery=service_load (see WORKERS below). Same worker properties, same connector
// configs (Kafka's Java class names), distributed mode by default (internal topics at
// replication factor 1), --mode standalone for both otherwise.
//
// Each run starts each worker fresh, with its own group id, internal topics and files, and:
//   start-up   spawns the worker and polls GET / every 20 ms; as soon as it answers, POSTs the
//              pipeline's sink connector (retried while the worker says it is not ready) and
//              polls GET /connectors/{name}/status every 20 ms: the time from the spawn to the
//              connector's RUNNING (and its task's)
//   idle RSS   VmRSS of the worker process 2 s after that (for Kafka Connect, the JVM's)
//   pipeline   POSTs the source connector: a FileStreamSource over a file of N lines, through
//              HoistField$Value, InsertField$Value and a RegexRouter guarded by a
//              TopicNameMatches predicate, into a one-partition topic, read back by the
//              FileStreamSink; values in the JsonConverter with schemas. Throughput is N over
//              the time from the POST until the sink's file holds every line (its size polled
//              every 50 ms, its content checked afterwards), and N over the time until the
//              topic's end offset reaches N (the source half)
//   peak RSS   the larger of VmHWM and every VmRSS sampled every 100 ms over the whole run
//   CPU        utime + stime of the worker process during the pipeline (and how many cores
//              that kept busy) and over the whole run
// Runs alternate which worker goes first. The brokers are the Apache Kafka test service
// (requireService("kafka")) and, unless --brokers says otherwise, a hub broker child process
// started once for the whole benchmark; every worker uses each broker in the same run.
// Progress goes to stderr; a markdown table of the medians goes to stdout; everything else
// (every sample, the commands, the machine) to data/bench/connect-<time>.json.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Kafka, logLevel, type Admin } from "kafkajs";
import { CLOCK_TICKS, MemorySampler, readStatusKiB, versionOf } from "./process-stats.ts";
import { requireService } from "../services/index.ts";
import { BrokerProcess, freePort } from "../support/broker-process.ts";
import { KAFKA_CONNECT_VERSION, kafkaConnectHome, startKafkaConnect, type KafkaConnectWorker } from "../support/kafka-connect-process.ts";
import { benchHarness, compiledHubEntry, fileTail, fmt, launcherSettings, type Medians, mediansOf, positiveIntOption, ratiosOf, sleep, usageErrorFor } from "./bench-harness.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const MIB = 1024 * 1024;
// Kafka Connect twice: as shipped (plugin.discovery=hybrid_warn, its default: every jar on the
// classpath is scanned by reflection at start-up) and with plugin.discovery=service_load, which
// its own start-up log recommends ("All plugins have ServiceLoader manifests, consider
// reconfiguring plugin.discovery=service_load") and which changes its memory and start-up a lot.
const WORKERS = ["hub", "kafka-connect", "kafka-connect-sl"] as const;
type WorkerName = (typeof WORKERS)[number];
type KafkaConnectName = Exclude<WorkerName, "hub">;
const KAFKA_CONNECTS: readonly KafkaConnectName[] = ["kafka-connect", "kafka-connect-sl"];
const WORKER_PROPS: Record<KafkaConnectName, Record<string, string>> = {
  "kafka-connect": {},
  "kafka-connect-sl": { "plugin.discovery": "service_load" },
};
const WORKER_TITLES: Record<WorkerName, string> = {
  hub: "hub",
  "kafka-connect": "Kafka Connect",
  "kafka-connect-sl": "Kafka Connect, service_load",
};
const BROKER_NAMES = ["kafka", "hub"] as const;
type BrokerName = (typeof BROKER_NAMES)[number];
type Mode = "distributed" | "standalone";

const JSON_CONVERTER = "org.apache.kafka.connect.json.JsonConverter";
// Kafka Connect's JVM: a 512 MiB heap cap and the serial collector keep its RSS as small as
// the broker benchmark's Kafka (its launcher's -Xms256M -Xmx2G with G1 would only raise it);
// full tiered compilation (no -XX:TieredStopAtLevel=1, which the test helper uses for quick
// start-up) because the pipeline's throughput is measured too.
const DEFAULT_KAFKA_JVM = "-Xms64m -Xmx512m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError";
// The static field the InsertField transform adds, and so the sink's lines.
const ORIGIN = "bench";

const USAGE = `usage: node test/bench/connect.ts [options]
  --quick                 100,000 records, 2 runs (default 500,000 records, 3 runs)
  --runs N                runs per worker and broker; medians are reported
  --records N             lines in the source file
  --line-bytes N          bytes per line, without the newline (default 100)
  --brokers LIST          kafka (the Apache Kafka test service), hub (a hub broker child
                          process), or both: kafka,hub (default)
  --workers LIST          which of hub, kafka-connect (as shipped) and kafka-connect-sl (with
                          plugin.discovery=service_load) to run (default: all three)
  --mode distributed|standalone  worker mode for both (default distributed: internal topics
                          at replication factor 1)
  --batch-size N          FileStreamSource batch.size (default 5000)
  --flush-ms N            offset.flush.interval.ms of both workers (default 1000)
  --kafka-jvm="FLAGS"     Kafka Connect's JVM flags (default "${DEFAULT_KAFKA_JVM}")
  --kafka-connect-prop K=V  one more worker property for both Kafka Connect workers only
                          (repeatable), e.g. --kafka-connect-prop offset.flush.timeout.ms=10000
  --hub-node-flags="FLAGS"  extra node flags for the hub worker (e.g. --hub-node-flags=--trace-gc
                          with --keep-logs); none by default
  --out FILE              JSON results (default data/bench/connect-<time>.json)
  --profile               run the hub worker under node --cpu-prof and print its top functions
                          (profiling slows it: do not compare those figures with Kafka Connect)
  --keep-logs             keep the workers' logs (their paths are printed)`;

// ---------------------------------------------------------------------------------------------
// Options

const { values: opts } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    runs: { type: "string" },
    records: { type: "string" },
    "line-bytes": { type: "string" },
    brokers: { type: "string", default: "kafka,hub" },
    workers: { type: "string", default: WORKERS.join(",") },
    mode: { type: "string", default: "distributed" },
    "batch-size": { type: "string" },
    "flush-ms": { type: "string" },
    "kafka-jvm": { type: "string", default: DEFAULT_KAFKA_JVM },
    "hub-node-flags": { type: "string" },
    "kafka-connect-prop": { type: "string", multiple: true, default: [] },
    out: { type: "string" },
    profile: { type: "boolean", default: false },
    "keep-logs": { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (opts.help) {
  console.log(USAGE);
  process.exit(0);
}
const usageError = usageErrorFor(USAGE);
const positiveInt = positiveIntOption(usageError);
const RUNS = positiveInt("runs", opts.runs, opts.quick ? 2 : 3);
const RECORDS = positiveInt("records", opts.records, opts.quick ? 100_000 : 500_000);
const LINE_BYTES = positiveInt("line-bytes", opts["line-bytes"], 100);
const BATCH_SIZE = positiveInt("batch-size", opts["batch-size"], 5000);
const FLUSH_MS = positiveInt("flush-ms", opts["flush-ms"], 1000);
if (LINE_BYTES < 16) usageError("--line-bytes must be at least 16 (each line starts with its number)");
const WORKERS_RUN = opts.workers.split(",").map((w) => w.trim()) as WorkerName[];
if (WORKERS_RUN.length === 0 || WORKERS_RUN.some((w) => !(WORKERS as readonly string[]).includes(w))) usageError("--workers takes hub, kafka-connect, kafka-connect-sl or a comma list");
const BROKERS: BrokerName[] = opts.brokers.split(",").map((b) => b.trim()) as BrokerName[];
if (BROKERS.length === 0 || BROKERS.some((b) => !(BROKER_NAMES as readonly string[]).includes(b))) usageError("--brokers takes kafka, hub or kafka,hub");
if (opts.mode !== "distributed" && opts.mode !== "standalone") usageError("--mode takes distributed or standalone");
const MODE = opts.mode as Mode;
const KAFKA_JVM = opts["kafka-jvm"].split(/\s+/).filter(Boolean);
const KAFKA_CONNECT_PROPS: Record<string, string> = Object.fromEntries(
  opts["kafka-connect-prop"].map((kv) => {
    const eq = kv.indexOf("=");
    if (eq < 1) usageError(`--kafka-connect-prop takes key=value, not ${kv}`);
    return [kv.slice(0, eq), kv.slice(eq + 1)];
  }),
);
// The Kafka Connect helper keeps its worker's log when this is set.
if (opts["keep-logs"]) process.env.HUB_TEST_KEEP_LOGS = "1";
const OUT = resolve(opts.out ?? join(ROOT, "data", "bench", `connect-${new Date().toISOString().replace(/[:.]/g, "-")}.json`));

// ---------------------------------------------------------------------------------------------
// Progress, processes and clean-up

const bench = benchHarness({ stopping: "the workers and the broker", graceMs: 20000 });
const { progress, pids, tempDir, removeTempDir } = bench;


// ---------------------------------------------------------------------------------------------
// /proc: memory and CPU of a process, and the JVM that startKafkaConnect spawns


/** Fields of /proc/<pid>/stat after the command name (state is [0], ppid [1], utime [11], stime [12]). */
function statFields(pid: number): { comm: string; fields: string[] } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const close = stat.lastIndexOf(")");
    return { comm: stat.slice(stat.indexOf("(") + 1, close), fields: stat.slice(close + 2).split(" ") };
  } catch {
    return undefined;
  }
}

function cpuSeconds(pid: number): number | undefined {
  const s = statFields(pid);
  return s ? (Number(s.fields[11]) + Number(s.fields[12])) / CLOCK_TICKS : undefined;
}

/** This process's `java` children (startKafkaConnect spawns java directly, so that is the JVM). */
function javaChildren(): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const s = statFields(Number(entry));
    if (s && s.comm === "java" && Number(s.fields[1]) === process.pid) found.push(Number(entry));
  }
  return found;
}

/** The REST URL (its `listeners` line) and the directory of the worker.properties a Connect JVM was started with. */
function restOf(pid: number): { url: string; dir: string } | undefined {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
    const file = args[args.length - 1] as string;
    const url = /^listeners=(http:\/\/[^,\s]+)/m.exec(readFileSync(file, "utf8"))?.[1]?.replace(/\/+$/, "");
    return url === undefined ? undefined : { url, dir: dirname(file) };
  } catch {
    return undefined;
  }
}

const processAlive = (pid: number): boolean => {
  const s = statFields(pid);
  return s !== undefined && s.fields[0] !== "Z";
};

// ---------------------------------------------------------------------------------------------
// HTTP against a worker's REST API

interface HttpResult {
  status: number;
  body: unknown;
}

async function http(method: string, url: string, body?: unknown, timeoutMs = 5000): Promise<HttpResult> {
  try {
    const response = await fetch(url, {
      method,
      signal: AbortSignal.timeout(timeoutMs),
      ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed };
  } catch {
    return { status: 0, body: null };
  }
}

interface ConnectorStatus {
  connector?: { state?: string; trace?: string };
  tasks?: Array<{ id: number; state?: string; trace?: string }>;
}

// ---------------------------------------------------------------------------------------------
// The workers

interface RunningWorker {
  name: WorkerName;
  /** The REST API's base URL, once known (for Kafka Connect, once its JVM is spawned). */
  url(): string | undefined;
  /** performance.now() just before the spawn. */
  spawnedAt: number;
  /** The worker process (the JVM for Kafka Connect) once known. */
  pid(): number | undefined;
  /** Why the worker is gone, or undefined while it runs. */
  failure(): string | undefined;
  logFile: string;
  /** Resolves when the worker is fully up (Kafka Connect's own readiness check). */
  ready: Promise<void>;
  stop(): Promise<void>;
}

interface WorkerPlan {
  groupId: string;
  configTopic: string;
  offsetTopic: string;
  statusTopic: string;
  port: number;
  dir: string;
}

/** The worker properties every worker gets (Kafka Connect's keys), by mode. */
function workerProperties(bootstrap: string, plan: WorkerPlan): Record<string, string> {
  const common: Record<string, string> = {
    "bootstrap.servers": bootstrap,
    listeners: `http://127.0.0.1:${plan.port}`,
    "rest.advertised.host.name": "127.0.0.1",
    "rest.advertised.port": String(plan.port),
    "key.converter": JSON_CONVERTER,
    "value.converter": JSON_CONVERTER,
    "key.converter.schemas.enable": "true",
    "value.converter.schemas.enable": "true",
    "offset.flush.interval.ms": String(FLUSH_MS),
  };
  if (MODE === "standalone") return { ...common, "offset.storage.file.filename": join(plan.dir, "connect.offsets") };
  return {
    ...common,
    "group.id": plan.groupId,
    "config.storage.topic": plan.configTopic,
    "offset.storage.topic": plan.offsetTopic,
    "status.storage.topic": plan.statusTopic,
    "config.storage.replication.factor": "1",
    "offset.storage.replication.factor": "1",
    "status.storage.replication.factor": "1",
  };
}

function writeProperties(file: string, props: Record<string, string>): void {
  writeFileSync(file, Object.entries(props).map(([k, v]) => `${k}=${v.replace(/\\/g, "\\\\")}`).join("\n") + "\n");
}

const HUB_ENTRY = compiledHubEntry(ROOT);
const HUB_NODE_FLAGS = (opts["hub-node-flags"] ?? "").split(/\s+/).filter(Boolean);
/** How ./hub starts Node (cli/node-flags): its flags, unless --hub-node-flags sets the same one, and its environment variables, unless set here. */
const { nodeFlags: LAUNCHER_NODE_FLAGS, env: LAUNCHER_ENV } = launcherSettings(ROOT, HUB_NODE_FLAGS);
const hubCommand = (profileDir: string | undefined): string[] => [
  ...LAUNCHER_NODE_FLAGS,
  ...HUB_NODE_FLAGS,
  ...(profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : []),
  HUB_ENTRY,
  "--log-level",
  "warn",
  "connect",
  ...(MODE === "standalone" ? ["--standalone"] : []),
];

async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

/** `node <cli/node-flags> dist/cli/hub.js connect worker.properties`: what ./hub runs after its dependency and build checks. */
function startHubWorker(bootstrap: string, plan: WorkerPlan, profileDir: string | undefined): RunningWorker {
  const propsFile = join(plan.dir, "worker.properties");
  writeProperties(propsFile, workerProperties(bootstrap, plan));
  const logFile = join(plan.dir, "hub-connect.log");
  const out = openSync(logFile, "a");
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [...hubCommand(profileDir), propsFile], { cwd: plan.dir, stdio: ["ignore", out, out], env: { ...process.env, ...LAUNCHER_ENV } });
  closeSync(out);
  if (child.pid === undefined) throw new Error("could not spawn the hub Connect worker");
  const pid = child.pid;
  pids.add(pid);
  child.once("exit", () => pids.delete(pid));
  return {
    name: "hub",
    url: () => `http://127.0.0.1:${plan.port}`,
    spawnedAt,
    pid: () => pid,
    failure: () => (child.exitCode !== null || child.signalCode !== null ? `exited (code ${child.exitCode}, signal ${child.signalCode})` : undefined),
    logFile,
    ready: Promise.resolve(),
    stop: () => stopChild(child, 30_000),
  };
}

/** Apache Kafka Connect: distributed through test/support/kafka-connect-process.ts; standalone spawned here alike. */
function startKafkaConnectWorker(name: KafkaConnectName, bootstrap: string, plan: WorkerPlan): RunningWorker {
  const extra = { ...WORKER_PROPS[name], ...KAFKA_CONNECT_PROPS };
  const before = new Set(javaChildren());
  let jvm: number | undefined;
  const pid = (): number | undefined => {
    if (jvm === undefined) jvm = javaChildren().find((p) => !before.has(p));
    if (jvm !== undefined) pids.add(jvm);
    return jvm;
  };
  let failure: string | undefined;
  const spawnedAt = performance.now();
  if (MODE === "distributed") {
    // The helper picks the REST port itself (its readiness check polls it), so the worker's
    // properties here leave `listeners` out; the URL is read back from the JVM's own
    // worker.properties.
    const { listeners: _listeners, "rest.advertised.port": _port, ...props } = { ...workerProperties(bootstrap, plan), ...extra };
    let rest: { url: string; dir: string } | undefined;
    let worker: KafkaConnectWorker | undefined;
    const ready = startKafkaConnect({ bootstrap, groupId: plan.groupId, replicationFactor: 1, workerProps: props, jvmOptions: KAFKA_JVM, startTimeoutMs: 180_000 }).then(
      (w) => {
        worker = w;
      },
      (err: unknown) => {
        failure = err instanceof Error ? err.message : String(err);
      },
    );
    return {
      name,
      url: () => {
        const jvmPid = pid();
        if (rest === undefined && jvmPid !== undefined) {
          rest = restOf(jvmPid);
          // The helper's own directory (its log and properties): removed by its stop(), and by
          // the exit handler if this benchmark is bench.interrupted first.
          if (rest !== undefined && !opts["keep-logs"]) bench.adoptTempDir(rest.dir);
        }
        return rest?.url;
      },
      spawnedAt,
      pid,
      failure: () => failure ?? (jvm !== undefined && !processAlive(jvm) ? "the JVM exited" : undefined),
      get logFile() {
        return worker?.logFile ?? "(kafka-connect-*/worker.log under the temporary directory)";
      },
      ready: ready.then(() => {
        if (failure) throw new Error(failure);
      }),
      async stop() {
        await ready;
        await worker?.stop();
        if (jvm !== undefined) pids.delete(jvm);
        // The helper kills the JVM when it does not get ready but leaves its directory.
        if (rest !== undefined && !opts["keep-logs"]) removeTempDir(rest.dir);
      },
    };
  }
  // Standalone: the same jars, log4j config and JVM flags as the helper uses for distributed.
  const home = kafkaConnectHome();
  const propsFile = join(plan.dir, "worker.properties");
  writeProperties(propsFile, { ...workerProperties(bootstrap, plan), ...extra });
  const logFile = join(plan.dir, "kafka-connect.log");
  const out = openSync(logFile, "a");
  const child = spawn(
    "java",
    [...KAFKA_JVM, "-Djava.awt.headless=true", `-Dlog4j2.configurationFile=${join(home, "connect-log4j2.properties")}`, "-cp", `${join(home, "libs")}/*`, "org.apache.kafka.connect.cli.ConnectStandalone", propsFile],
    { cwd: plan.dir, stdio: ["ignore", out, out] },
  );
  closeSync(out);
  if (child.pid === undefined) throw new Error("could not spawn Kafka Connect");
  jvm = child.pid;
  pids.add(jvm);
  return {
    name,
    url: () => `http://127.0.0.1:${plan.port}`,
    spawnedAt,
    pid,
    failure: () => (child.exitCode !== null || child.signalCode !== null ? `exited (code ${child.exitCode}, signal ${child.signalCode})` : undefined),
    logFile,
    ready: Promise.resolve(),
    async stop() {
      await stopChild(child, 20_000);
      pids.delete(child.pid as number);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The pipeline's files and connector configs

interface Pipeline {
  prefix: string;
  /** The topic the source names; the RegexRouter sends its records to outTopic. */
  rawTopic: string;
  outTopic: string;
  sourceName: string;
  sinkName: string;
  sinkFile: string;
}

/** The source file: RECORDS lines of LINE_BYTES bytes (a line number, a space, capital letters). */
function writeInputFile(file: string): void {
  const block = 4096;
  const fd = openSync(file, "w");
  try {
    for (let first = 0; first < RECORDS; first += block) {
      const count = Math.min(block, RECORDS - first);
      const buf = Buffer.alloc(count * (LINE_BYTES + 1));
      const random = randomBytes(buf.length);
      for (let i = 0; i < count; i++) {
        const at = i * (LINE_BYTES + 1);
        const head = `${String(first + i).padStart(9, "0")} `;
        buf.write(head, at, "latin1");
        for (let j = head.length; j < LINE_BYTES; j++) buf[at + j] = 65 + ((random[at + j] as number) % 26);
        buf[at + LINE_BYTES] = 10;
      }
      writeSync(fd, buf);
    }
  } finally {
    closeSync(fd);
  }
}

/** What FileStreamSink writes for each line: Java's Struct.toString of {line, origin}. */
const SINK_PREFIX = "Struct{line=";
const SINK_SUFFIX = `,origin=${ORIGIN}}`;
const expectedSinkBytes = (): number => RECORDS * (SINK_PREFIX.length + LINE_BYTES + SINK_SUFFIX.length + 1);

function sourceConfig(p: Pipeline, inputFile: string): Record<string, string> {
  return {
    "connector.class": "org.apache.kafka.connect.file.FileStreamSourceConnector",
    "tasks.max": "1",
    file: inputFile,
    topic: p.rawTopic,
    "batch.size": String(BATCH_SIZE),
    transforms: "hoist,insert,route",
    "transforms.hoist.type": "org.apache.kafka.connect.transforms.HoistField$Value",
    "transforms.hoist.field": "line",
    "transforms.insert.type": "org.apache.kafka.connect.transforms.InsertField$Value",
    "transforms.insert.static.field": "origin",
    "transforms.insert.static.value": ORIGIN,
    "transforms.route.type": "org.apache.kafka.connect.transforms.RegexRouter",
    "transforms.route.regex": "(.*)-raw",
    "transforms.route.replacement": "$1-out",
    "transforms.route.predicate": "isRaw",
    predicates: "isRaw",
    "predicates.isRaw.type": "org.apache.kafka.connect.transforms.predicates.TopicNameMatches",
    "predicates.isRaw.pattern": ".*-raw",
  };
}

function sinkConfig(p: Pipeline): Record<string, string> {
  return {
    "connector.class": "org.apache.kafka.connect.file.FileStreamSinkConnector",
    "tasks.max": "1",
    topics: p.outTopic,
    file: p.sinkFile,
  };
}

/** Checks the sink's file line by line against the input: every line once, in order. */
function checkSinkFile(inputFile: string, sinkFile: string): void {
  const input = readFileSync(inputFile, "latin1");
  const output = readFileSync(sinkFile, "latin1");
  let i = 0;
  let o = 0;
  for (let line = 0; line < RECORDS; line++) {
    const expected = `${SINK_PREFIX}${input.slice(i, i + LINE_BYTES)}${SINK_SUFFIX}\n`;
    if (output.slice(o, o + expected.length) !== expected) {
      const got = output.slice(o, output.indexOf("\n", o) + 1 || undefined);
      throw new Error(`sink file line ${line + 1}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(got.slice(0, 200))}`);
    }
    i += LINE_BYTES + 1;
    o += expected.length;
  }
  if (o !== output.length) throw new Error(`sink file: ${output.length - o} bytes after the ${RECORDS} expected lines (duplicates?)`);
}

// ---------------------------------------------------------------------------------------------
// One run: one worker on one broker

interface Sample {
  worker: WorkerName;
  broker: BrokerName;
  run: number;
  /** Spawn → GET / answers 200. */
  restMs?: number;
  /** Spawn → the first connector (the sink) RUNNING in GET /connectors/{name}/status. */
  connectorRunningMs?: number;
  /** Spawn → its task RUNNING. */
  taskRunningMs?: number;
  idleRssMiB?: number;
  /** Source POST → the topic's end offset reaches N. */
  sourceSecs?: number;
  sourceRecordsPerSec?: number;
  /** Source POST → the sink's file holds every line. */
  pipelineSecs?: number;
  pipelineRecordsPerSec?: number;
  peakRssMiB?: number;
  cpuSecs?: number;
  /** Worker CPU time from the source's POST until the sink's file was complete. */
  pipelineCpuSecs?: number;
  /** pipelineCpuSecs over the pipeline's wall time: how many cores the worker kept busy. */
  pipelineCores?: number;
  logFile?: string;
  errors: string[];
}

interface Broker {
  name: BrokerName;
  bootstrap: string;
  admin: Admin;
}

let unique = 0;

async function endOffset(admin: Admin, topic: string): Promise<number> {
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, p) => sum + Number(p.high), 0);
  } catch {
    return 0;
  }
}

async function benchmarkRun(workerName: WorkerName, broker: Broker, run: number, inputFile: string, profileDir: string | undefined): Promise<Sample> {
  const sample: Sample = { worker: workerName, broker: broker.name, run, errors: [] };
  const tag = `run ${run + 1}/${RUNS} ${workerName} on ${broker.name} broker`;
  const id = `bench-connect-${process.pid}-${Date.now().toString(36)}-${++unique}`;
  const dir = tempDir("hub-bench-connect-");
  const plan: WorkerPlan = { groupId: id, configTopic: `${id}-configs`, offsetTopic: `${id}-offsets`, statusTopic: `${id}-status`, port: await freePort(), dir };
  const p: Pipeline = { prefix: id, rawTopic: `${id}-raw`, outTopic: `${id}-out`, sourceName: `${id}-source`, sinkName: `${id}-sink`, sinkFile: join(dir, "sink.txt") };
  let worker: RunningWorker | undefined;
  let memory: MemorySampler | undefined;
  const step = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    progress(`${tag}: ${what}`);
    return fn();
  };
  try {
    // The sink's topic exists before the worker starts, as on a cluster where topics are
    // created by an administrator; every worker's consumer then finds it at once.
    await broker.admin.createTopics({ topics: [{ topic: p.outTopic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });

    const deadline = (ms: number): number => performance.now() + ms;
    const checkAlive = (): void => {
      const failure = worker?.failure();
      if (failure) throw new Error(`${workerName} ${failure}; log: ${worker?.logFile}\n${worker ? fileTail(worker.logFile) : ""}`);
    };
    const w = (worker = await step(`starting the worker (${MODE})`, async () =>
      workerName === "hub" ? startHubWorker(broker.bootstrap, plan, profileDir) : startKafkaConnectWorker(workerName, broker.bootstrap, plan)));
    // Memory from as soon as the process is known (for the JVM, once startKafkaConnect spawned it).
    const startUpBy = deadline(180_000);
    const sinceSpawn = (): number => performance.now() - w.spawnedAt;
    for (;;) {
      checkAlive();
      const pid = w.pid();
      if (pid !== undefined && memory === undefined) memory = new MemorySampler(pid);
      const url = w.url();
      if (memory !== undefined && url !== undefined && (await http("GET", `${url}/`, undefined, 2000)).status === 200) break;
      if (performance.now() > startUpBy) throw new Error(`GET / did not answer within 180 s; log: ${w.logFile}`);
      await sleep(20);
    }
    sample.restMs = sinceSpawn();
    const url = w.url() as string;
    // POST the sink as soon as the REST API answers; a worker that has not joined its group yet
    // may refuse (Kafka Connect: 409 while rebalancing, or the request waits for the join).
    for (;;) {
      checkAlive();
      const r = await http("POST", `${url}/connectors`, { name: p.sinkName, config: sinkConfig(p) }, 120_000);
      if (r.status === 201) break;
      if (r.status === 409 && /already exists/i.test(JSON.stringify(r.body))) break;
      if (performance.now() > startUpBy) throw new Error(`POST /connectors (the sink) failed: ${r.status} ${JSON.stringify(r.body)}; log: ${w.logFile}`);
      await sleep(20);
    }
    for (;;) {
      checkAlive();
      const r = await http("GET", `${url}/connectors/${p.sinkName}/status`, undefined, 2000);
      const status = r.status === 200 ? (r.body as ConnectorStatus) : undefined;
      if (status?.connector?.state === "RUNNING" && sample.connectorRunningMs === undefined) sample.connectorRunningMs = sinceSpawn();
      if (status?.connector?.state === "FAILED" || status?.tasks?.some((t) => t.state === "FAILED")) {
        throw new Error(`the sink connector failed: ${JSON.stringify(status).slice(0, 2000)}`);
      }
      if (sample.connectorRunningMs !== undefined && status?.tasks?.[0]?.state === "RUNNING") {
        sample.taskRunningMs = sinceSpawn();
        break;
      }
      if (performance.now() > startUpBy) throw new Error(`the sink connector was not RUNNING within 180 s: ${r.status} ${JSON.stringify(r.body)}; log: ${w.logFile}`);
      await sleep(20);
    }
    await w.ready;
    progress(
      `${tag}: REST up after ${fmt(sample.restMs, 0)} ms, sink connector RUNNING after ${fmt(sample.connectorRunningMs ?? 0, 0)} ms, ` +
        `its task after ${fmt(sample.taskRunningMs, 0)} ms`,
    );
    await sleep(2000);
    const idle = readStatusKiB(w.pid() as number);
    sample.idleRssMiB = idle ? idle.rss / 1024 : undefined;
    progress(`${tag}: idle RSS ${fmt(sample.idleRssMiB ?? 0, 0)} MiB; POSTing the source connector (${RECORDS} lines)`);

    // The pipeline: the clock starts with the source's POST.
    const cpuBefore = cpuSeconds(w.pid() as number);
    const t0 = performance.now();
    const posted = await http("POST", `${url}/connectors`, { name: p.sourceName, config: sourceConfig(p, inputFile) }, 120_000);
    if (posted.status !== 201) throw new Error(`POST /connectors (the source) failed: ${posted.status} ${JSON.stringify(posted.body)}`);
    const wantBytes = expectedSinkBytes();
    const pipelineBy = deadline(120_000 + RECORDS * 2);
    let lastStatusCheck = performance.now();
    let lastReport = performance.now();
    let offset = 0;
    for (;;) {
      checkAlive();
      const now = performance.now();
      if (sample.sourceSecs === undefined) {
        offset = await endOffset(broker.admin, p.outTopic);
        if (offset >= RECORDS) {
          sample.sourceSecs = (performance.now() - t0) / 1000;
          sample.sourceRecordsPerSec = RECORDS / sample.sourceSecs;
        }
      }
      let size = 0;
      try {
        size = statSync(p.sinkFile).size;
      } catch {
        // not created yet
      }
      if (size >= wantBytes) {
        sample.pipelineSecs = (performance.now() - t0) / 1000;
        sample.pipelineRecordsPerSec = RECORDS / sample.pipelineSecs;
        break;
      }
      if (now - lastStatusCheck > 2000) {
        lastStatusCheck = now;
        for (const name of [p.sourceName, p.sinkName]) {
          const r = await http("GET", `${url}/connectors/${name}/status`, undefined, 5000);
          const s = r.body as ConnectorStatus | null;
          if (s?.connector?.state === "FAILED" || s?.tasks?.some((t) => t.state === "FAILED")) throw new Error(`${name} failed: ${JSON.stringify(s).slice(0, 2000)}`);
        }
      }
      if (now - lastReport > 10_000) {
        lastReport = now;
        progress(`${tag}: ${fmt((now - t0) / 1000)} s: topic end offset ${offset}, sink file ${fmt((100 * size) / wantBytes, 0)}%`);
      }
      if (now > pipelineBy) throw new Error(`the sink file held ${size} of ${wantBytes} bytes after ${fmt((now - t0) / 1000, 0)} s (topic end offset ${offset}); log: ${w.logFile}`);
      await sleep(50);
    }
    const cpuAfter = cpuSeconds(w.pid() as number);
    if (cpuBefore !== undefined && cpuAfter !== undefined) {
      sample.pipelineCpuSecs = cpuAfter - cpuBefore;
      sample.pipelineCores = sample.pipelineCpuSecs / (sample.pipelineSecs as number);
    }
    if (sample.sourceSecs === undefined) {
      // The sink finished between two offset polls: the source finished no later than it.
      sample.sourceSecs = sample.pipelineSecs;
      sample.sourceRecordsPerSec = sample.pipelineRecordsPerSec;
    }
    progress(
      `${tag}: ${RECORDS} records through the pipeline in ${fmt(sample.pipelineSecs)} s = ${fmt(sample.pipelineRecordsPerSec ?? 0, 0)} records/s ` +
        `(source half: ${fmt(sample.sourceSecs ?? 0)} s = ${fmt(sample.sourceRecordsPerSec ?? 0, 0)} records/s)`,
    );
    checkSinkFile(inputFile, p.sinkFile);
    const finalOffset = await endOffset(broker.admin, p.outTopic);
    if (finalOffset !== RECORDS) throw new Error(`the topic holds ${finalOffset} records, not ${RECORDS} (duplicates)`);
  } catch (err) {
    if (!bench.interrupted) {
      const message = err instanceof Error ? err.message : String(err);
      progress(`${tag}: FAILED: ${message}`);
      sample.errors.push(message);
    }
  } finally {
    const pid = worker?.pid();
    if (pid !== undefined) sample.cpuSecs = cpuSeconds(pid);
    sample.peakRssMiB = memory?.stop();
    if (worker) {
      if (!bench.interrupted) progress(`${tag}: peak RSS ${fmt(sample.peakRssMiB ?? 0, 0)} MiB, worker CPU ${fmt(sample.cpuSecs ?? 0)} s; stopping`);
      sample.logFile = worker.logFile;
      await worker.stop().catch(() => undefined);
    }
    if (!bench.interrupted) await dropRunState(broker.admin, plan, p);
    if (opts["keep-logs"]) {
      rmSync(p.sinkFile, { force: true });
      bench.keepTempDir(dir);
      progress(`${tag}: logs kept in ${dir}${workerName !== "hub" && MODE === "distributed" ? " and the kafka-connect-* directory" : ""}`);
    } else removeTempDir(dir);
  }
  return sample;
}

/** Deletes what a run left on the broker: its topics and consumer groups. */
async function dropRunState(admin: Admin, plan: WorkerPlan, p: Pipeline): Promise<void> {
  const existing = new Set(await admin.listTopics().catch(() => [] as string[]));
  const topics = [p.rawTopic, p.outTopic, plan.configTopic, plan.offsetTopic, plan.statusTopic].filter((t) => existing.has(t));
  if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 }).catch((err: unknown) => progress(`could not delete topics ${topics.join(", ")}: ${String(err)}`));
  await admin.deleteGroups([`connect-${p.sinkName}`, plan.groupId]).catch(() => undefined);
}

// ---------------------------------------------------------------------------------------------
// Medians, ratios and the table

interface Metric {
  key: string;
  label: string;
  better: "higher" | "lower";
  /** The issue's target for hub/Kafka Connect, where it states one. */
  target?: number;
  digits: number;
  get: (s: Sample) => number | undefined;
}

const METRICS: Metric[] = [
  { key: "pipelineRps", label: "pipeline source → SMTs → topic → sink, records/s", better: "higher", target: 1, digits: 0, get: (s) => s.pipelineRecordsPerSec },
  { key: "sourceRps", label: "source half (topic end offset reaches N), records/s", better: "higher", digits: 0, get: (s) => s.sourceRecordsPerSec },
  { key: "restMs", label: "start → REST API answers, ms", better: "lower", digits: 0, get: (s) => s.restMs },
  { key: "connectorRunningMs", label: "start → first connector RUNNING, ms", better: "lower", target: 1 / 3, digits: 0, get: (s) => s.connectorRunningMs },
  { key: "taskRunningMs", label: "start → its task RUNNING, ms", better: "lower", digits: 0, get: (s) => s.taskRunningMs },
  { key: "idleRssMiB", label: "RSS idle after start-up, MiB", better: "lower", target: 1 / 3, digits: 0, get: (s) => s.idleRssMiB },
  { key: "peakRssMiB", label: "peak RSS, MiB", better: "lower", target: 1 / 3, digits: 0, get: (s) => s.peakRssMiB },
  { key: "pipelineCpuSecs", label: "worker CPU time during the pipeline, s", better: "lower", digits: 1, get: (s) => s.pipelineCpuSecs },
  { key: "pipelineCores", label: "cores busy during the pipeline (CPU time / wall time)", better: "lower", digits: 2, get: (s) => s.pipelineCores },
  { key: "cpuSecs", label: "worker CPU time over the run (with start-up), s", better: "lower", digits: 1, get: (s) => s.cpuSecs },
];

/** The metric `key` of a successful run (failed runs are left out of the medians). */
const readMetric = (s: Sample, key: string): number | undefined => (s.errors.length === 0 ? METRICS.find((m) => m.key === key)?.get(s) : undefined);

function markdownTable(broker: BrokerName, medians: Partial<Record<WorkerName, Medians>>, ratios: Partial<Record<KafkaConnectName, Medians>>, counts: Record<WorkerName, number>): string {
  const cell = (v: number | undefined, digits: number): string => (v === undefined ? "-" : fmt(v, digits));
  const workers = WORKERS_RUN;
  const compared = KAFKA_CONNECTS.filter((k) => workers.includes("hub") && workers.includes(k));
  const lines = [
    `${broker === "kafka" ? "Apache Kafka 4.3.1 broker (test service)" : "hub broker (child process)"}: medians of ${workers.map((w) => `${counts[w]} ${WORKER_TITLES[w]}`).join(", ")} successful runs`,
    "",
    `| metric | ${[...workers.map((w) => WORKER_TITLES[w]), ...compared.map((k) => `hub / ${WORKER_TITLES[k]}`)].join(" | ")} | target |`,
    `|---|${[...workers, ...compared].map(() => "---:").join("|")}|---|`,
  ];
  for (const m of METRICS) {
    const target = m.target === undefined ? "" : `${m.better === "higher" ? "≥" : "<"} ${m.target === 1 / 3 ? "1/3" : m.target.toFixed(2)}`;
    const cells = [...workers.map((w) => cell(medians[w]?.[m.key], m.digits)), ...compared.map((k) => cell(ratios[k]?.[m.key], 2))];
    lines.push(`| ${m.label} | ${cells.join(" | ")} | ${target} |`);
  }
  return lines.join("\n");
}

// ---------------------------------------------------------------------------------------------
// Main

async function main(): Promise<void> {
  if (WORKERS_RUN.some((w) => w !== "hub") && !existsSync(join(kafkaConnectHome(), "libs", ".complete"))) {
    throw new Error(`Apache Kafka Connect ${KAFKA_CONNECT_VERSION} is not provisioned in ${kafkaConnectHome()}. Run: test/services/up kafka-connect`);
  }
  const kafkaBootstrap = BROKERS.includes("kafka") ? await requireService("kafka") : undefined;
  const meta = {
    date: new Date().toISOString(),
    cpus: `${cpus().length} x ${cpus()[0]?.model ?? "?"}`,
    memoryMiB: Math.round(totalmem() / MIB),
    node: process.version,
    java: versionOf("java", ["-version"]),
    kafkaConnect: KAFKA_CONNECT_VERSION,
    mode: MODE,
    loadAverageBefore: loadavg(),
    loadAverageAfter: [] as number[],
    runs: RUNS,
    records: RECORDS,
    lineBytes: LINE_BYTES,
    batchSize: BATCH_SIZE,
    offsetFlushIntervalMs: FLUSH_MS,
    kafkaJvm: KAFKA_JVM.join(" "),
    hubNodeFlags: HUB_NODE_FLAGS.join(" "),
    kafkaConnectProps: { ...KAFKA_CONNECT_PROPS, "(kafka-connect-sl also)": "plugin.discovery=service_load" },
    profiled: opts.profile,
    commands: {} as Record<string, string>,
  };
  progress(
    `connect benchmark: ${WORKERS_RUN.join(" vs ")} (${MODE}) on ${BROKERS.join(" and ")} broker(s), ${RUNS} run(s), ${RECORDS} lines of ${LINE_BYTES} bytes; ` +
      `${meta.cpus}, load average ${loadavg().map((l) => l.toFixed(2)).join(" ")}`,
  );
  if ((loadavg()[0] as number) > cpus().length * 0.5) progress(`note: the machine is busy (load ${(loadavg()[0] as number).toFixed(2)} on ${cpus().length} cores); figures will be noisy`);

  const work = tempDir("hub-bench-connect-input-");
  const inputFile = join(work, "input.txt");
  progress(`writing the source file: ${RECORDS} lines of ${LINE_BYTES} bytes`);
  writeInputFile(inputFile);
  const profileDir = opts.profile ? join(dirname(OUT), `connect-profiles-${Date.now()}`) : undefined;
  if (profileDir) mkdirSync(profileDir, { recursive: true });

  const brokers: Broker[] = [];
  let hubBroker: BrokerProcess | undefined;
  const samples: Sample[] = [];
  try {
    for (const name of BROKERS) {
      let bootstrap: string;
      if (name === "kafka") bootstrap = kafkaBootstrap as string;
      else {
        progress("starting a hub broker (child process) for the hub-broker rows");
        const dataDir = join(tempDir("hub-bench-connect-broker-"), "data");
        hubBroker = await BrokerProcess.start({
          dataDir,
          port: await freePort(),
          overrides: { "num.partitions": "1", "offsets.topic.num.partitions": "1", "group.initial.rebalance.delay.ms": "0" },
        });
        pids.add(hubBroker.pid);
        bootstrap = hubBroker.bootstrap;
      }
      const admin = new Kafka({ clientId: "bench-connect", brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      brokers.push({ name, bootstrap, admin });
    }

    for (let i = 0; i < RUNS && !bench.interrupted; i++) {
      // Alternate the order, so neither worker always runs on the warmer (or busier) machine.
      const order = i % 2 === 0 ? WORKERS_RUN : [...WORKERS_RUN].reverse();
      for (const broker of brokers) {
        for (const name of order) {
          if (bench.interrupted) break;
          samples.push(await benchmarkRun(name, broker, i, inputFile, profileDir));
        }
      }
    }
  } finally {
    for (const b of brokers) await b.admin.disconnect().catch(() => undefined);
    if (hubBroker) {
      await hubBroker.stop();
      pids.delete(hubBroker.pid);
    }
  }
  if (bench.interrupted) return;
  removeTempDir(work);
  meta.loadAverageAfter = loadavg();

  const medians: Partial<Record<BrokerName, Partial<Record<WorkerName, Medians>>>> = {};
  const ratios: Partial<Record<BrokerName, Partial<Record<KafkaConnectName, Medians>>>> = {};
  const tables: string[] = [];
  for (const broker of BROKERS) {
    const byWorker: Partial<Record<WorkerName, Medians>> = {};
    const counts = { hub: 0, "kafka-connect": 0, "kafka-connect-sl": 0 } as Record<WorkerName, number>;
    for (const w of WORKERS_RUN) {
      const mine = samples.filter((s) => s.broker === broker && s.worker === w);
      counts[w] = mine.filter((s) => s.errors.length === 0).length;
      byWorker[w] = mediansOf(METRICS, mine, readMetric);
    }
    medians[broker] = byWorker;
    const byReference: Partial<Record<KafkaConnectName, Medians>> = {};
    for (const k of KAFKA_CONNECTS) byReference[k] = ratiosOf(METRICS, byWorker.hub, byWorker[k]);
    ratios[broker] = byReference;
    tables.push(markdownTable(broker, byWorker, ratios[broker], counts));
  }
  process.stdout.write(`\n${tables.join("\n\n")}\n`);
  const errors = samples.flatMap((s) => s.errors.map((e) => `${s.worker} on ${s.broker}, run ${s.run + 1}: ${e.split("\n")[0]}`));
  if (errors.length > 0) process.stdout.write(`\nfailures (left out of the medians):\n\n${errors.map((e) => `- ${e}`).join("\n")}\n`);
  process.stdout.write(
    `\n${RECORDS} lines of ${LINE_BYTES} bytes, ${MODE} workers, offset.flush.interval.ms=${FLUSH_MS}, batch.size=${BATCH_SIZE}; ` +
      `load average before ${meta.loadAverageBefore.map((l) => l.toFixed(2)).join(" ")}, after ${meta.loadAverageAfter.map((l) => l.toFixed(2)).join(" ")}; ` +
      `${meta.java}, Node ${process.version}\n`,
  );

  meta.commands = {
    hub: `node ${hubCommand(undefined).map((a) => (a.startsWith(ROOT) ? relative(ROOT, a) : a)).join(" ")} worker.properties`,
    kafkaConnect: `java ${KAFKA_JVM.join(" ")} -Dlog4j2.configurationFile=connect-log4j2.properties -cp 'libs/*' org.apache.kafka.connect.cli.${MODE === "distributed" ? "ConnectDistributed" : "ConnectStandalone"} worker.properties`,
    hubBroker: "node cli/main.ts broker --data-dir DIR --override listeners=PLAINTEXT://127.0.0.1:PORT --override num.partitions=1 --override offsets.topic.num.partitions=1 --override group.initial.rebalance.delay.ms=0",
    workerProperties: Object.entries(workerProperties("BOOTSTRAP", { groupId: "GROUP", configTopic: "GROUP-configs", offsetTopic: "GROUP-offsets", statusTopic: "GROUP-status", port: 0, dir: "DIR" }))
      .map(([k, v]) => `${k}=${v}`)
      .join("\n"),
    sourceConnector: JSON.stringify(sourceConfig({ prefix: "P", rawTopic: "P-raw", outTopic: "P-out", sourceName: "P-source", sinkName: "P-sink", sinkFile: "SINK" }, "INPUT")),
    sinkConnector: JSON.stringify(sinkConfig({ prefix: "P", rawTopic: "P-raw", outTopic: "P-out", sourceName: "P-source", sinkName: "P-sink", sinkFile: "SINK" })),
  };

  if (profileDir) {
    for (const file of readdirSync(profileDir).filter((f) => f.endsWith(".cpuprofile"))) {
      // The broker benchmark's summarizer: top self time by function and by file.
      const r = spawnSync(process.execPath, [join(ROOT, "test", "bench", "broker.ts"), "--summarize", join(profileDir, file)], { encoding: "utf8" });
      process.stdout.write(r.stdout + r.stderr);
    }
  }

  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, `${JSON.stringify({ meta, medians, ratios, samples }, null, 2)}\n`);
  process.stdout.write(`\nresults: ${OUT}\n`);
  if (errors.length > 0) process.exitCode = 1;
}

main().catch((err: unknown) => {
  if (bench.interrupted) return;
  process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
  bench.signalAll("SIGKILL");
});

// The broker benchmark: the hub's broker and Apache Kafka, on this machine, in one run, driven
// by the same load generators, so that the ratio ours/Kafka means something.
//
//   node test/bench/broker.ts [--quick] [--runs N] [--records N] [--latency-records N]
//                             [--only hub|kafka] [--out FILE] [--profile]
//   node test/bench/broker.ts --summarize FILE.cpuprofile
//   npm run bench:broker -- --quick
//
// Each run starts each broker fresh (its own temporary data directory and loopback ports) and
// measures, in this order:
//   start-up       time from spawning the process to the first record a producer (kcat -P)
//                  gets acknowledged, polled every ~30 ms; includes auto-creating the topic
//   produce        1 KiB records into a 6-partition topic, as fast as the client can:
//                  kafka-producer-perf-test (Java client) with acks=1 and acks=all, then
//                  kcat -P (librdkafka) with acks=1 and acks=all; record counts are checked
//                  against the partitions' end offsets afterwards
//   consume        kafka-consumer-perf-test (a consumer group) and kcat -C (librdkafka, plain
//                  assignment) read back what the acks=1 producers wrote
//   latency        kafka-producer-perf-test at a fixed 5000 records/s, acks=all: p50/p99
//   memory, CPU    peak RSS (VmHWM, and VmRSS polled every 100 ms) and the CPU time of the
//                  broker process over the whole run
// Runs alternate which broker goes first, and the table reports medians over the runs.
// Apache Kafka is a separate KRaft node started here from the jars test/services/kafka.sh
// caches (never the shared test service, whose state and JIT warm-up differ), with the test
// service's JVM settings. MB means MiB (2^20 bytes), as Kafka's perf tools count.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { createServer } from "node:net";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Kafka, logLevel, type Admin } from "kafkajs";
import { CLOCK_TICKS, MemorySampler, median, readStatusKiB, versionOf } from "./process-stats.ts";
import { hubCacheDir, kafkaToolsDir } from "../services/index.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const KAFKA_VERSION = "4.3.1";
const RECORD_SIZE = 1024;
const PARTITIONS = 6;
const LATENCY_RATE = 5000;
const MIB = 1024 * 1024;
// Both brokers get these, so neither waits 3 s for a first group join nor creates 50 offsets
// partitions on a 2-core machine (the test service's settings).
const COMMON_BROKER_PROPS: Record<string, string> = {
  "num.partitions": "1",
  "offsets.topic.num.partitions": "1",
  "group.initial.rebalance.delay.ms": "0",
};
// The JVM settings of the Kafka test service (test/services/kafka.sh).
const KAFKA_HEAP_OPTS = "-Xms128m -Xmx512m";
const KAFKA_JVM_OPTS = "-XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError";

type BrokerName = "hub" | "kafka";

const USAGE = `usage: node test/bench/broker.ts [options]
  --quick                 50k records per throughput test, 10k for latency (default 500k / 50k)
  --runs N                runs per broker; medians are reported (default 3)
  --records N             records per throughput test (overrides --quick)
  --latency-records N     records of the fixed-rate latency test
  --only hub|kafka        benchmark one broker only (no ratios)
  --out FILE              JSON results (default data/bench/broker-<time>.json)
  --profile               run the hub broker under node --cpu-prof and print its top functions
                          (profiling slows it: do not compare those figures with Kafka)
  --summarize FILE        only print the top self-time functions of a .cpuprofile and exit`;

// ---------------------------------------------------------------------------------------------
// Options

const { values: opts } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    runs: { type: "string" },
    records: { type: "string" },
    "latency-records": { type: "string" },
    only: { type: "string" },
    out: { type: "string" },
    profile: { type: "boolean", default: false },
    summarize: { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (opts.help) {
  console.log(USAGE);
  process.exit(0);
}
const positiveInt = (name: string, value: string | undefined, fallback: number): number => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name} must be a positive integer\n${USAGE}`);
    process.exit(2);
  }
  return n;
};
const RUNS = positiveInt("runs", opts.runs, 3);
const RECORDS = positiveInt("records", opts.records, opts.quick ? 50_000 : 500_000);
const LATENCY_RECORDS = positiveInt("latency-records", opts["latency-records"], opts.quick ? 10_000 : 50_000);
if (opts.only !== undefined && opts.only !== "hub" && opts.only !== "kafka") {
  console.error(`--only takes hub or kafka\n${USAGE}`);
  process.exit(2);
}
const BROKERS: BrokerName[] = opts.only ? [opts.only as BrokerName] : ["hub", "kafka"];
const OUT = resolve(opts.out ?? join(ROOT, "data", "bench", `broker-${new Date().toISOString().replace(/[:.]/g, "-")}.json`));
const KAFKA_HOME = join(hubCacheDir(), `kafka-${KAFKA_VERSION}`);
const TOOLS = kafkaToolsDir();

// ---------------------------------------------------------------------------------------------
// Progress, child processes and clean-up

// Piped into head or less that quits early: stop quietly, as other CLI tools do.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code === "EPIPE") process.exit(0);
  throw err;
});

const started = performance.now();
const progress = (line: string): void => {
  const secs = ((performance.now() - started) / 1000).toFixed(1).padStart(6);
  process.stdout.write(`[${secs}s] ${line}\n`);
};

const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();
let interrupted = false;

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}
const alive = (child: ChildProcess): boolean => child.exitCode === null && child.signalCode === null;
function signalAll(signal: NodeJS.Signals): void {
  for (const child of children) {
    if (alive(child) && child.pid !== undefined) {
      try {
        process.kill(child.pid, signal);
      } catch {
        // already gone
      }
    }
  }
}
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}
function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}
// Last resort on any exit: nothing this benchmark started outlives it.
process.on("exit", () => {
  signalAll("SIGKILL");
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});
const onSignal = (signal: NodeJS.Signals): void => {
  if (interrupted) process.exit(130);
  interrupted = true;
  process.stdout.write(`\n${signal}: stopping the brokers and load generators\n`);
  signalAll("SIGTERM");
  const deadline = Date.now() + 5000;
  const poll = setInterval(() => {
    if (children.size === 0 || Date.now() > deadline) process.exit(130);
  }, 100);
  poll.unref();
};
process.on("SIGINT", onSignal);
process.on("SIGTERM", onSignal);

// kafkajs (the admin client that creates the topics) schedules a timer with a negative delay on
// Node 24, which only prints a TimeoutNegativeWarning; keep every other warning.
const printWarning = process.listeners("warning");
process.removeAllListeners("warning");
process.on("warning", (warning) => {
  if (warning.name !== "TimeoutNegativeWarning") for (const listener of printWarning) listener(warning);
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface RunOptions {
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
  stdinText?: string;
  stdinFile?: string;
  /** Called with each stdout chunk instead of keeping stdout. */
  onStdout?: (chunk: Buffer) => void;
}
interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a command to completion (killed at the timeout), timing it from spawn to exit. */
function run(cmd: string, args: string[], options: RunOptions): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const stdinFd = options.stdinFile !== undefined ? openSync(options.stdinFile, "r") : undefined;
    const t0 = performance.now();
    const child = track(
      spawn(cmd, args, {
        stdio: [stdinFd ?? "pipe", "pipe", "pipe"],
        env: options.env ?? process.env,
      }),
    );
    if (stdinFd !== undefined) closeSync(stdinFd);
    else child.stdin?.end(options.stdinText ?? "");
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on("data", (chunk: Buffer) => (options.onStdout ? options.onStdout(chunk) : out.push(chunk)));
    child.stderr?.on("data", (chunk: Buffer) => err.push(chunk));
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(child.pid, "SIGKILL");
    }, options.timeoutMs);
    child.once("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      const result = { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString(), ms: performance.now() - t0 };
      if (signal === "SIGKILL" && result.ms >= options.timeoutMs) {
        reject(new Error(`${cmd} ${args.join(" ")}: no result within ${options.timeoutMs / 1000} s\n${tail(result.stderr)}`));
      } else resolvePromise(result);
    });
  });
}

function tail(text: string, lines = 15): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}
function fileTail(file: string, lines = 30): string {
  try {
    return tail(readFileSync(file, "utf8"), lines);
  } catch {
    return "(no log)";
  }
}

function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolvePromise(port));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The broker process: its memory and CPU, read from /proc


function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Starting each broker

interface RunningBroker {
  name: BrokerName;
  bootstrap: string;
  pid: number;
  child: ChildProcess;
  logFile: string;
  /** performance.now() just before the spawn. */
  spawnedAt: number;
  /** Time spent before the spawn that is not start-up (kafka-storage format). */
  prepareMs?: number;
  command: string;
  stop(): Promise<void>;
}

async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (!alive(child) || child.pid === undefined) return;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  process.kill(child.pid, "SIGTERM");
  const killed = await Promise.race([exited.then(() => false), sleep(graceMs).then(() => true)]);
  if (killed && alive(child)) {
    process.kill(child.pid, "SIGKILL");
    await exited;
  }
}

async function startHub(profileDir: string | undefined): Promise<RunningBroker> {
  const root = tempDir("hub-bench-hub-");
  const port = await freePort();
  const logFile = join(root, "broker.log");
  const args = [
    ...(profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : []),
    join(ROOT, "cli", "main.ts"),
    "--log-level",
    "warn",
    "broker",
    "--data-dir",
    join(root, "data"),
    "--override",
    `listeners=PLAINTEXT://127.0.0.1:${port}`,
    // Kafka's side has no metrics endpoint either, and 9404 may be taken by a running hub.
    "--override",
    "hub.metrics.listener=none",
    ...Object.entries(COMMON_BROKER_PROPS).flatMap(([k, v]) => ["--override", `${k}=${v}`]),
  ];
  const out = openSync(logFile, "a");
  const spawnedAt = performance.now();
  const child = track(spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", out, out] }));
  closeSync(out);
  if (child.pid === undefined) throw new Error("could not spawn the hub broker");
  return {
    name: "hub",
    bootstrap: `127.0.0.1:${port}`,
    pid: child.pid,
    child,
    logFile,
    spawnedAt,
    command: `node ${args.map((a) => (a.startsWith(ROOT) ? relative(ROOT, a) : a)).join(" ")}`,
    async stop() {
      await stopChild(child, 30_000);
      removeTempDir(root);
    },
  };
}

function kafkaServerProperties(dir: string, port: number, controllerPort: number): string {
  return [
    "process.roles=broker,controller",
    "node.id=1",
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    "controller.listener.names=CONTROLLER",
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    "inter.broker.listener.name=PLAINTEXT",
    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
    `log.dirs=${join(dir, "data")}`,
    "default.replication.factor=1",
    "min.insync.replicas=1",
    "offsets.topic.replication.factor=1",
    "transaction.state.log.replication.factor=1",
    "transaction.state.log.min.isr=1",
    "transaction.state.log.num.partitions=1",
    "share.coordinator.state.topic.replication.factor=1",
    "share.coordinator.state.topic.min.isr=1",
    "share.coordinator.state.topic.num.partitions=1",
    ...Object.entries(COMMON_BROKER_PROPS).map(([k, v]) => `${k}=${v}`),
    "",
  ].join("\n");
}

async function startKafka(): Promise<RunningBroker> {
  const root = tempDir("hub-bench-kafka-");
  const [port, controllerPort] = [await freePort(), await freePort()];
  const props = join(root, "server.properties");
  writeFileSync(props, kafkaServerProperties(root, port, controllerPort));
  // Formatting the storage is an install step (as mkfs), so it is timed apart from start-up.
  const format = await run(join(TOOLS, "kafka-storage"), ["format", "-t", randomBytes(16).toString("base64url"), "-c", props], { timeoutMs: 60_000 });
  if (format.code !== 0) throw new Error(`kafka-storage format failed:\n${tail(format.stdout + format.stderr)}`);
  const logFile = join(root, "stdout.log");
  const env = {
    ...process.env,
    KAFKA_HEAP_OPTS,
    KAFKA_JVM_OPTS: `${KAFKA_JVM_OPTS} -Dkafka.logs.dir=${root}`,
    KAFKA_LOG4J_CONFIG: join(KAFKA_HOME, "config", "server-log4j2.properties"),
  };
  const out = openSync(logFile, "a");
  const spawnedAt = performance.now();
  // The launchers exec java, so this pid is the JVM's.
  const child = track(spawn(join(TOOLS, "kafka-server-start"), [props], { stdio: ["ignore", out, out], env }));
  closeSync(out);
  if (child.pid === undefined) throw new Error("could not spawn Kafka");
  return {
    name: "kafka",
    bootstrap: `127.0.0.1:${port}`,
    pid: child.pid,
    child,
    logFile: join(root, "server.log"),
    spawnedAt,
    prepareMs: format.ms,
    command: `KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS}" KAFKA_JVM_OPTS="${KAFKA_JVM_OPTS}" kafka-server-start server.properties`,
    async stop() {
      await stopChild(child, 20_000);
      removeTempDir(root);
    },
  };
}

/** Polls with kcat -P until one record is acknowledged; ms since the spawn. */
async function timeToFirstProduce(broker: RunningBroker): Promise<number> {
  const deadline = broker.spawnedAt + 120_000;
  for (;;) {
    if (!alive(broker.child)) throw new Error(`${broker.name} exited during start-up:\n${fileTail(broker.logFile)}`);
    const r = await run("kcat", ["-P", "-b", broker.bootstrap, "-t", "bench-startup", "-X", "acks=all", "-X", "message.timeout.ms=5000"], {
      stdinText: "first\n",
      timeoutMs: 15_000,
    });
    // kcat gives up at once while nothing listens; a delivery error also fails the attempt.
    if (r.code === 0 && !/Delivery failed|ERROR/.test(r.stderr)) return performance.now() - broker.spawnedAt;
    if (performance.now() > deadline) throw new Error(`${broker.name}: no produce acknowledged within 120 s:\n${tail(r.stderr)}\n${fileTail(broker.logFile)}`);
    await sleep(20);
  }
}

// ---------------------------------------------------------------------------------------------
// The load generators

interface Throughput {
  records: number;
  recordsPerSec: number;
  mibPerSec: number;
  secs: number;
}
interface Latency {
  records: number;
  recordsPerSec: number;
  avgMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
}
interface ConsumeResult extends Throughput {
  /** kafka-consumer-perf-test: MB/s over the fetch time alone (without the group join). */
  fetchMibPerSec?: number;
  rebalanceMs?: number;
}

const timeoutFor = (records: number): number => 120_000 + records * 2;

// "500000 records sent, 95000.0 records/sec (92.77 MB/sec), 250.00 ms avg latency, 800.00 ms
// max latency, 200 ms 50th, 700 ms 95th, 780 ms 99th, 800 ms 99.9th."
const PERF_SUMMARY =
  /(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\), ([\d.]+) ms avg latency, ([\d.]+) ms max latency, (\d+) ms 50th, (\d+) ms 95th, (\d+) ms 99th, (\d+) ms 99\.9th/;

async function producerPerfTest(bootstrap: string, topic: string, records: number, throughput: number, acks: string): Promise<Latency> {
  const r = await run(
    join(TOOLS, "kafka-producer-perf-test"),
    ["--bootstrap-server", bootstrap, "--topic", topic, "--num-records", String(records), "--record-size", String(RECORD_SIZE), "--throughput", String(throughput), "--command-property", `acks=${acks}`],
    { timeoutMs: timeoutFor(records) },
  );
  const lines = r.stdout.trim().split("\n");
  const m = PERF_SUMMARY.exec(lines[lines.length - 1] ?? "");
  if (r.code !== 0 || !m) throw new Error(`kafka-producer-perf-test failed (exit ${r.code}):\n${tail(r.stdout)}\n${tail(r.stderr)}`);
  const n = (i: number): number => Number(m[i]);
  return { records: n(1), recordsPerSec: n(2), avgMs: n(4), maxMs: n(5), p50Ms: n(6), p95Ms: n(7), p99Ms: n(8), p999Ms: n(9) };
}

async function javaProduce(bootstrap: string, topic: string, records: number, acks: string): Promise<Throughput> {
  const l = await producerPerfTest(bootstrap, topic, records, -1, acks);
  if (l.records !== records) throw new Error(`kafka-producer-perf-test sent ${l.records} of ${records} records`);
  return { records, recordsPerSec: l.recordsPerSec, mibPerSec: (l.recordsPerSec * RECORD_SIZE) / MIB, secs: records / l.recordsPerSec };
}

async function kcatProduce(bootstrap: string, topic: string, payloadFile: string, records: number, acks: string): Promise<Throughput> {
  const r = await run("kcat", ["-P", "-b", bootstrap, "-t", topic, "-X", `acks=${acks}`], { stdinFile: payloadFile, timeoutMs: timeoutFor(records) });
  if (r.code !== 0 || /Delivery failed|ERROR/.test(r.stderr)) throw new Error(`kcat -P failed (exit ${r.code}):\n${tail(r.stderr)}`);
  const secs = r.ms / 1000;
  return { records, recordsPerSec: records / secs, mibPerSec: (records * RECORD_SIZE) / MIB / secs, secs };
}

// start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec,
// rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
async function javaConsume(bootstrap: string, topic: string, records: number): Promise<ConsumeResult> {
  const r = await run(
    join(TOOLS, "kafka-consumer-perf-test"),
    ["--bootstrap-server", bootstrap, "--topic", topic, "--num-records", String(records), "--group", `bench-${randomUUID()}`, "--timeout", "30000", "--hide-header"],
    { timeoutMs: timeoutFor(records) },
  );
  const line = r.stdout.trim().split("\n").pop() ?? "";
  const f = line.split(",").map((s) => s.trim());
  if (r.code !== 0 || f.length < 10) throw new Error(`kafka-consumer-perf-test failed (exit ${r.code}):\n${tail(r.stdout)}\n${tail(r.stderr)}`);
  const consumed = Number(f[4]);
  if (consumed < records) throw new Error(`kafka-consumer-perf-test read ${consumed} of ${records} records`);
  const mibPerSec = Number(f[3]);
  return {
    records: consumed,
    mibPerSec,
    recordsPerSec: Number(f[5]),
    secs: (consumed * RECORD_SIZE) / MIB / mibPerSec,
    rebalanceMs: Number(f[6]),
    fetchMibPerSec: Number(f[8]),
  };
}

async function kcatConsume(bootstrap: string, topic: string, records: number): Promise<ConsumeResult> {
  let lines = 0;
  const r = await run("kcat", ["-C", "-b", bootstrap, "-t", topic, "-o", "beginning", "-c", String(records), "-e", "-q", "-f", "%p\n"], {
    timeoutMs: timeoutFor(records),
    onStdout: (chunk) => {
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
    },
  });
  if (r.code !== 0 || lines !== records) throw new Error(`kcat -C read ${lines} of ${records} records (exit ${r.code}):\n${tail(r.stderr)}`);
  const secs = r.ms / 1000;
  return { records, recordsPerSec: records / secs, mibPerSec: (records * RECORD_SIZE) / MIB / secs, secs };
}

/** The kcat input: `records` lines of RECORD_SIZE random capital letters (incompressible enough). */
function writePayloadFile(file: string, records: number): void {
  const linesPerBlock = 1024;
  const block = Buffer.alloc(linesPerBlock * (RECORD_SIZE + 1));
  const random = randomBytes(block.length);
  for (let i = 0; i < block.length; i++) block[i] = (i + 1) % (RECORD_SIZE + 1) === 0 ? 10 : 65 + ((random[i] as number) % 26);
  const fd = openSync(file, "w");
  try {
    for (let left = records; left > 0; left -= linesPerBlock) writeSync(fd, block, 0, Math.min(left, linesPerBlock) * (RECORD_SIZE + 1));
  } finally {
    closeSync(fd);
  }
}

// ---------------------------------------------------------------------------------------------
// One run against one broker

interface Sample {
  run: number;
  startupMs?: number;
  kafkaFormatMs?: number;
  peakRssMiB?: number;
  rssAfterStartMiB?: number;
  brokerCpuSecs?: number;
  produceJavaAcks1?: Throughput;
  produceJavaAcksAll?: Throughput;
  produceRdkafkaAcks1?: Throughput;
  produceRdkafkaAcksAll?: Throughput;
  consumeJava?: ConsumeResult;
  consumeRdkafka?: ConsumeResult;
  latency?: Latency;
  errors: string[];
}

const TOPICS = {
  javaAcks1: "perf-java-acks1",
  javaAcksAll: "perf-java-acksall",
  rdkafkaAcks1: "perf-rdkafka-acks1",
  rdkafkaAcksAll: "perf-rdkafka-acksall",
  latency: "perf-latency",
};

async function endOffsetSum(admin: Admin, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, p) => sum + Number(p.high), 0);
}

const fmt = (n: number, digits = 1): string => n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const describeThroughput = (t: Throughput): string => `${fmt(t.mibPerSec)} MB/s, ${fmt(t.recordsPerSec, 0)} records/s (${fmt(t.secs, 2)} s)`;

async function benchmarkRun(name: BrokerName, runIndex: number, payloadFile: string, profileDir: string | undefined): Promise<Sample> {
  const tag = `${name} run ${runIndex + 1}/${RUNS}`;
  const sample: Sample = { run: runIndex + 1, errors: [] };
  progress(`${tag}: starting ${name === "hub" ? "hub broker" : `Apache Kafka ${KAFKA_VERSION}`}`);
  const broker = name === "hub" ? await startHub(profileDir) : await startKafka();
  const memory = new MemorySampler(broker.pid);
  let admin: Admin | undefined;
  try {
    if (broker.prepareMs !== undefined) sample.kafkaFormatMs = broker.prepareMs;
    sample.startupMs = await timeToFirstProduce(broker);
    sample.rssAfterStartMiB = (readStatusKiB(broker.pid)?.rss ?? 0) / 1024;
    progress(`${tag}: first produce acknowledged ${fmt(sample.startupMs, 0)} ms after spawn (${broker.bootstrap}, pid ${broker.pid}, RSS ${fmt(sample.rssAfterStartMiB, 0)} MiB)`);

    admin = new Kafka({ clientId: "bench", brokers: [broker.bootstrap], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: Object.values(TOPICS).map((topic) => ({ topic, numPartitions: PARTITIONS, replicationFactor: 1 })),
    });
    const checked = async (topic: string, expected: number): Promise<void> => {
      const got = await endOffsetSum(admin as Admin, topic);
      if (got !== expected) throw new Error(`${topic} holds ${got} records, expected ${expected}`);
    };

    const step = async <T>(label: string, fn: () => Promise<T>, describe: (t: T) => string): Promise<T | undefined> => {
      if (interrupted) return undefined;
      progress(`${tag}: ${label} ...`);
      try {
        const result = await fn();
        progress(`${tag}: ${label}: ${describe(result)}`);
        return result;
      } catch (err) {
        if (interrupted) return undefined;
        const message = err instanceof Error ? err.message : String(err);
        progress(`${tag}: ${label} FAILED: ${message}`);
        sample.errors.push(`${label}: ${message}`);
        if (!alive(broker.child)) throw new Error(`${name} exited:\n${fileTail(broker.logFile)}`, { cause: err });
        return undefined;
      }
    };

    const n = RECORDS;
    sample.produceJavaAcks1 = await step(`produce acks=1, kafka-producer-perf-test, ${n} x 1 KiB`, async () => {
      const t = await javaProduce(broker.bootstrap, TOPICS.javaAcks1, n, "1");
      await checked(TOPICS.javaAcks1, n);
      return t;
    }, describeThroughput);
    sample.produceJavaAcksAll = await step(`produce acks=all, kafka-producer-perf-test, ${n} x 1 KiB`, async () => {
      const t = await javaProduce(broker.bootstrap, TOPICS.javaAcksAll, n, "all");
      await checked(TOPICS.javaAcksAll, n);
      return t;
    }, describeThroughput);
    sample.produceRdkafkaAcks1 = await step(`produce acks=1, kcat -P (librdkafka), ${n} x 1 KiB`, async () => {
      const t = await kcatProduce(broker.bootstrap, TOPICS.rdkafkaAcks1, payloadFile, n, "1");
      await checked(TOPICS.rdkafkaAcks1, n);
      return t;
    }, describeThroughput);
    sample.produceRdkafkaAcksAll = await step(`produce acks=all, kcat -P (librdkafka), ${n} x 1 KiB`, async () => {
      const t = await kcatProduce(broker.bootstrap, TOPICS.rdkafkaAcksAll, payloadFile, n, "all");
      await checked(TOPICS.rdkafkaAcksAll, n);
      return t;
    }, describeThroughput);
    if (sample.produceJavaAcks1) {
      sample.consumeJava = await step(`consume, kafka-consumer-perf-test, ${n} x 1 KiB`, () => javaConsume(broker.bootstrap, TOPICS.javaAcks1, n), (c) =>
        `${describeThroughput(c)}; ${fmt(c.fetchMibPerSec ?? 0)} MB/s without the ${fmt(c.rebalanceMs ?? 0, 0)} ms group join`);
    }
    if (sample.produceRdkafkaAcks1) {
      sample.consumeRdkafka = await step(`consume, kcat -C (librdkafka), ${n} x 1 KiB`, () => kcatConsume(broker.bootstrap, TOPICS.rdkafkaAcks1, n), describeThroughput);
    }
    sample.latency = await step(`latency at ${LATENCY_RATE} records/s, acks=all, kafka-producer-perf-test, ${LATENCY_RECORDS} x 1 KiB`, async () => {
      const l = await producerPerfTest(broker.bootstrap, TOPICS.latency, LATENCY_RECORDS, LATENCY_RATE, "all");
      await checked(TOPICS.latency, LATENCY_RECORDS);
      return l;
    }, (l) => `p50 ${l.p50Ms} ms, p95 ${l.p95Ms} ms, p99 ${l.p99Ms} ms, max ${fmt(l.maxMs, 0)} ms (${fmt(l.recordsPerSec, 0)} records/s)`);
  } catch (err) {
    if (!interrupted) {
      const message = err instanceof Error ? err.message : String(err);
      progress(`${tag}: FAILED: ${message}`);
      sample.errors.push(message);
    }
  } finally {
    await admin?.disconnect().catch(() => undefined);
    sample.brokerCpuSecs = cpuSeconds(broker.pid);
    sample.peakRssMiB = memory.stop();
    if (!interrupted) progress(`${tag}: peak RSS ${fmt(sample.peakRssMiB, 0)} MiB, broker CPU ${fmt(sample.brokerCpuSecs ?? 0)} s; stopping`);
    await broker.stop();
  }
  return sample;
}

// ---------------------------------------------------------------------------------------------
// Medians, ratios and the table

interface Metric {
  key: string;
  label: string;
  better: "higher" | "lower";
  /** The issue's target for ours/Kafka, where it states one. */
  target?: number;
  digits: number;
  get: (s: Sample) => number | undefined;
}

const METRICS: Metric[] = [
  { key: "produceJavaAcks1MiB", label: "produce acks=1   perf-test    MB/s", better: "higher", target: 1, digits: 1, get: (s) => s.produceJavaAcks1?.mibPerSec },
  { key: "produceJavaAcks1Rps", label: "produce acks=1   perf-test    records/s", better: "higher", target: 1, digits: 0, get: (s) => s.produceJavaAcks1?.recordsPerSec },
  { key: "produceJavaAcksAllMiB", label: "produce acks=all perf-test    MB/s", better: "higher", target: 1, digits: 1, get: (s) => s.produceJavaAcksAll?.mibPerSec },
  { key: "produceJavaAcksAllRps", label: "produce acks=all perf-test    records/s", better: "higher", target: 1, digits: 0, get: (s) => s.produceJavaAcksAll?.recordsPerSec },
  { key: "produceRdkafkaAcks1MiB", label: "produce acks=1   librdkafka   MB/s", better: "higher", target: 1, digits: 1, get: (s) => s.produceRdkafkaAcks1?.mibPerSec },
  { key: "produceRdkafkaAcks1Rps", label: "produce acks=1   librdkafka   records/s", better: "higher", target: 1, digits: 0, get: (s) => s.produceRdkafkaAcks1?.recordsPerSec },
  { key: "produceRdkafkaAcksAllMiB", label: "produce acks=all librdkafka   MB/s", better: "higher", target: 1, digits: 1, get: (s) => s.produceRdkafkaAcksAll?.mibPerSec },
  { key: "produceRdkafkaAcksAllRps", label: "produce acks=all librdkafka   records/s", better: "higher", target: 1, digits: 0, get: (s) => s.produceRdkafkaAcksAll?.recordsPerSec },
  { key: "consumeJavaMiB", label: "consume perf-test (fetch)     MB/s", better: "higher", target: 1, digits: 1, get: (s) => s.consumeJava?.fetchMibPerSec },
  { key: "consumeJavaTotalMiB", label: "consume perf-test (with join) MB/s", better: "higher", target: 1, digits: 1, get: (s) => s.consumeJava?.mibPerSec },
  { key: "consumeRdkafkaMiB", label: "consume librdkafka (kcat -C)  MB/s", better: "higher", target: 1, digits: 1, get: (s) => s.consumeRdkafka?.mibPerSec },
  { key: "latencyP50", label: `latency p50 @${LATENCY_RATE}/s acks=all  ms`, better: "lower", digits: 0, get: (s) => s.latency?.p50Ms },
  { key: "latencyP99", label: `latency p99 @${LATENCY_RATE}/s acks=all  ms`, better: "lower", digits: 0, get: (s) => s.latency?.p99Ms },
  { key: "peakRssMiB", label: "peak RSS                      MiB", better: "lower", target: 0.25, digits: 0, get: (s) => s.peakRssMiB },
  { key: "rssAfterStartMiB", label: "RSS after start-up            MiB", better: "lower", digits: 0, get: (s) => s.rssAfterStartMiB },
  { key: "startupMs", label: "start → first produce acked   ms", better: "lower", target: 0.2, digits: 0, get: (s) => s.startupMs },
  { key: "brokerCpuSecs", label: "broker CPU time, whole run    s", better: "lower", digits: 1, get: (s) => s.brokerCpuSecs },
];

type Medians = Record<string, number | undefined>;

function mediansOf(samples: Sample[]): Medians {
  const out: Medians = {};
  for (const m of METRICS) out[m.key] = median(samples.map(m.get).filter((v): v is number => v !== undefined && Number.isFinite(v)));
  return out;
}

function printTable(medians: Partial<Record<BrokerName, Medians>>, ratios: Medians): void {
  const cols = [42, 12, 12, 11, 9];
  const row = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(cols[i] as number) : c.padStart(cols[i] as number))).join(" ");
  const lines = [row(["metric (median)", "hub", "kafka", "hub/kafka", "target"]), "-".repeat(cols.reduce((a, b) => a + b + 1, 0))];
  for (const m of METRICS) {
    const cell = (v: number | undefined, digits: number): string => (v === undefined ? "-" : fmt(v, digits));
    const target = m.target === undefined ? "" : `${m.better === "higher" ? "≥" : "≤"} ${m.target.toFixed(2)}`;
    lines.push(row([m.label, cell(medians.hub?.[m.key], m.digits), cell(medians.kafka?.[m.key], m.digits), cell(ratios[m.key], 2), target]));
  }
  process.stdout.write(`\n${lines.join("\n")}\n`);
}

// ---------------------------------------------------------------------------------------------
// The hub's CPU profile (--profile): where the self time goes

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

interface SelfTime {
  name: string;
  selfMs: number;
  percent: number;
}
interface ProfileSummary {
  /** Sampled time when the thread was busy, i.e. without "(idle)"; percentages are of this. */
  busyMs: number;
  idleMs: number;
  /** Self time per function (name, file:line). */
  functions: SelfTime[];
  /** Self time per source file; V8's own entries ((garbage collector), (program)) by name. */
  files: SelfTime[];
}

function summarizeProfile(file: string, top = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, us: number): void => void map.set(key, (map.get(key) ?? 0) + us);
  let total = 0;
  let idle = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    const us = profile.timeDeltas[i] ?? 0;
    if (!node) return;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === "(idle)") {
      idle += us;
      return;
    }
    const path = url.replace(`file://${ROOT}/`, "").replace(/^file:\/\//, "");
    add(byFunction, `${functionName || "(anonymous)"}${path ? ` ${path}:${lineNumber + 1}` : ""}`, us);
    add(byFile, path || functionName || "(unknown)", us);
    total += us;
  });
  const ranked = (map: Map<string, number>): SelfTime[] =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, selfMs: us / 1000, percent: (100 * us) / total }));
  return { busyMs: total / 1000, idleMs: idle / 1000, functions: ranked(byFunction), files: ranked(byFile) };
}

function printProfile(file: string, summary: ProfileSummary): void {
  const line = (f: SelfTime): string => `  ${f.percent.toFixed(1).padStart(5)}%  ${fmt(f.selfMs, 0).padStart(7)} ms  ${f.name}\n`;
  process.stdout.write(
    `\nCPU profile ${file}: ${fmt(summary.busyMs / 1000)} s busy, ${fmt(summary.idleMs / 1000)} s idle; top self time (% of busy) by function\n`,
  );
  for (const f of summary.functions) process.stdout.write(line(f));
  process.stdout.write("by file\n");
  for (const f of summary.files.slice(0, 15)) process.stdout.write(line(f));
}

// ---------------------------------------------------------------------------------------------
// Main

async function main(): Promise<void> {
  if (!existsSync(join(TOOLS, "kafka-producer-perf-test")) || !existsSync(join(KAFKA_HOME, "libs", ".complete"))) {
    throw new Error(`Apache Kafka ${KAFKA_VERSION} jars and tool launchers not found in ${KAFKA_HOME}; run: test/services/up kafka (it caches them)`);
  }
  for (const [cmd, hint] of [["kcat", "apt-get install kcat"], ["java", "apt-get install default-jre-headless"]] as const) {
    if (spawnSync(cmd, ["-h"]).error) throw new Error(`${cmd} not found (${hint}, or test/services/up kafka)`);
  }

  const meta = {
    date: new Date().toISOString(),
    cpus: `${cpus().length} x ${cpus()[0]?.model ?? "?"}`,
    memoryMiB: Math.round(totalmem() / MIB),
    node: process.version,
    java: versionOf("java", ["-version"]),
    kcat: /^Version .*$/m.exec(spawnSync("kcat", ["-V"], { encoding: "utf8" }).stdout ?? "")?.[0] ?? "unknown",
    kafka: KAFKA_VERSION,
    loadAverageBefore: loadavg(),
    loadAverageAfter: [] as number[],
    runs: RUNS,
    records: RECORDS,
    recordSize: RECORD_SIZE,
    partitions: PARTITIONS,
    latencyRecords: LATENCY_RECORDS,
    latencyRate: LATENCY_RATE,
    profiled: opts.profile,
    commands: {} as Record<string, string>,
  };
  const librdkafka = /librdkafka ([\d.]+)/.exec(spawnSync("kcat", ["-V"], { encoding: "utf8" }).stdout ?? "")?.[1];
  progress(
    `broker benchmark: ${BROKERS.join(" vs ")}, ${RUNS} run(s), ${RECORDS} x 1 KiB records per throughput test, ${PARTITIONS} partitions; ` +
      `${meta.cpus}, load average ${loadavg().map((l) => l.toFixed(2)).join(" ")}`,
  );
  if (loadavg()[0] as number > cpus().length * 0.5) progress(`note: the machine is busy (load ${(loadavg()[0] as number).toFixed(2)} on ${cpus().length} cores); figures will be noisy`);

  const work = tempDir("hub-bench-");
  const payloadFile = join(work, "payload.txt");
  progress(`writing the kcat input: ${RECORDS} lines of ${RECORD_SIZE} bytes`);
  writePayloadFile(payloadFile, RECORDS);
  const profileDir = opts.profile ? join(dirname(OUT), `profiles-${Date.now()}`) : undefined;
  if (profileDir) mkdirSync(profileDir, { recursive: true });

  const samples: Record<BrokerName, Sample[]> = { hub: [], kafka: [] };
  for (let i = 0; i < RUNS && !interrupted; i++) {
    // Alternate the order, so neither broker always runs on the warmer (or busier) machine.
    const order = i % 2 === 0 ? BROKERS : [...BROKERS].reverse();
    for (const name of order) {
      if (interrupted) break;
      samples[name].push(await benchmarkRun(name, i, payloadFile, profileDir));
    }
  }
  if (interrupted) return;
  removeTempDir(work);
  meta.loadAverageAfter = loadavg();

  const medians: Partial<Record<BrokerName, Medians>> = {};
  for (const name of BROKERS) medians[name] = mediansOf(samples[name]);
  const ratios: Medians = {};
  if (medians.hub && medians.kafka) {
    for (const m of METRICS) {
      const [ours, theirs] = [medians.hub[m.key], medians.kafka[m.key]];
      ratios[m.key] = ours !== undefined && theirs !== undefined && theirs !== 0 ? ours / theirs : undefined;
    }
  }
  printTable(medians, ratios);
  const errors = BROKERS.flatMap((name) => samples[name].flatMap((s) => s.errors.map((e) => `${name} run ${s.run}: ${e.split("\n")[0]}`)));
  if (errors.length > 0) process.stdout.write(`\nfailures (missing from the medians):\n  ${errors.join("\n  ")}\n`);
  process.stdout.write(
    `\nload average before ${meta.loadAverageBefore.map((l) => l.toFixed(2)).join(" ")}, after ${meta.loadAverageAfter.map((l) => l.toFixed(2)).join(" ")}; ` +
      `librdkafka ${librdkafka ?? "?"}, ${meta.java}, Node ${process.version}\n`,
  );

  meta.commands = {
    hub: `node cli/main.ts --log-level warn broker --data-dir DIR --override listeners=PLAINTEXT://127.0.0.1:PORT ${Object.entries(COMMON_BROKER_PROPS).map(([k, v]) => `--override ${k}=${v}`).join(" ")}`,
    kafka: `kafka-storage format -t ID -c server.properties; KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS}" KAFKA_JVM_OPTS="${KAFKA_JVM_OPTS}" kafka-server-start server.properties`,
    startup: "echo first | kcat -P -b BOOTSTRAP -t bench-startup -X acks=all -X message.timeout.ms=5000   (repeated until it exits 0)",
    produceJava: `kafka-producer-perf-test --bootstrap-server BOOTSTRAP --topic TOPIC --num-records ${RECORDS} --record-size ${RECORD_SIZE} --throughput -1 --command-property acks=1|all`,
    produceRdkafka: `kcat -P -b BOOTSTRAP -t TOPIC -X acks=1|all < FILE   (${RECORDS} lines of ${RECORD_SIZE} bytes; timed from spawn to exit)`,
    consumeJava: `kafka-consumer-perf-test --bootstrap-server BOOTSTRAP --topic TOPIC --num-records ${RECORDS} --group GROUP --timeout 30000 --hide-header`,
    consumeRdkafka: `kcat -C -b BOOTSTRAP -t TOPIC -o beginning -c ${RECORDS} -e -q -f '%p\\n'   (timed from spawn to exit)`,
    latency: `kafka-producer-perf-test --bootstrap-server BOOTSTRAP --topic TOPIC --num-records ${LATENCY_RECORDS} --record-size ${RECORD_SIZE} --throughput ${LATENCY_RATE} --command-property acks=all`,
    topics: `kafkajs admin.createTopics: ${Object.values(TOPICS).join(", ")} with ${PARTITIONS} partitions each`,
  };

  let profiles: Record<string, ProfileSummary> | undefined;
  if (profileDir) {
    profiles = {};
    for (const file of readdirSync(profileDir).filter((f) => f.endsWith(".cpuprofile"))) {
      const path = join(profileDir, file);
      const summary = summarizeProfile(path);
      profiles[path] = summary;
      printProfile(path, summary);
    }
  }

  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, `${JSON.stringify({ meta, medians, ratios, samples, profiles }, null, 2)}\n`);
  process.stdout.write(`\nresults: ${OUT}\n`);
  if (errors.length > 0) process.exitCode = 1;
}

const entry = opts.summarize !== undefined ? async () => printProfile(opts.summarize as string, summarizeProfile(opts.summarize as string)) : main;
entry().catch((err: unknown) => {
  if (interrupted) return;
  process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
  signalAll("SIGKILL");
});

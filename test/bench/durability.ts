// Produce throughput with acks=all: the hub's broker in its default mode and in durable mode
// (hub.durable.acks.all=true: answered after fsync, with group commit), beside Apache Kafka
// in its default mode and with log.flush.interval.messages=1 (Kafka's nearest setting: an
// fsync after every append, no group commit), on this machine, with the same load generator.
//
//   node test/bench/durability.ts [--records N] [--producers 1,4] [--senders 1,16] [--only hub|kafka]
//
// Two loads, 1 KiB records, acks=all, into a 6-partition topic:
//   throughput  kafka-producer-perf-test (the Java client, its defaults: linger.ms 5,
//               batch.size 16 KiB, 5 requests in flight); with P producers, P perf-test
//               processes run at once, each sending N/P records, and the figure is their sum.
//   senders     S kafkajs producers in this process, each on its own connection, each sending
//               one record at a time and waiting for its acknowledgement, for 10 s: the load
//               where group commit matters (S waiting producers, one fsync each or shared). Each broker
// configuration starts fresh (its own temporary directory, loopback ports). Apache Kafka is a
// separate KRaft node started from the jars test/services/kafka.sh caches, with the test
// service's JVM settings. The fsync latency of the disk under the temporary directory is
// measured first, for context.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { Kafka, logLevel } from "kafkajs";
import { hubCacheDir, kafkaToolsDir } from "../services/index.ts";
import { BrokerProcess, freePort } from "../support/broker-process.ts";

const KAFKA_VERSION = "4.3.1";
const RECORD_SIZE = 1024;
const PARTITIONS = 6;
const MIB = 1024 * 1024;
const KAFKA_HEAP_OPTS = "-Xms128m -Xmx512m";
const KAFKA_JVM_OPTS = "-XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError";
const COMMON = { "num.partitions": "1", "offsets.topic.num.partitions": "1", "group.initial.rebalance.delay.ms": "0" };

const { values: opts } = parseArgs({
  options: {
    records: { type: "string", default: "200000" },
    producers: { type: "string", default: "1,4" },
    senders: { type: "string", default: "1,16" },
    only: { type: "string" },
  },
});
const RECORDS = Number(opts.records);
const PRODUCER_COUNTS = (opts.producers ?? "1,4").split(",").map(Number);
const SENDER_COUNTS = (opts.senders ?? "1,16").split(",").map(Number);
const SENDERS_SECS = 10;
const TOOLS = kafkaToolsDir();
const KAFKA_HOME = join(hubCacheDir(), `kafka-${KAFKA_VERSION}`);

process.removeAllListeners("warning");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Target {
  name: string;
  bootstrap: string;
  stop(): Promise<void>;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], env });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

async function startHub(durable: boolean): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), "hub-bench-durable-"));
  const broker = await BrokerProcess.start({ dataDir: dir, port: await freePort(), overrides: { ...COMMON, "hub.durable.acks.all": String(durable) } });
  return {
    name: durable ? "hub, durable (hub.durable.acks.all=true)" : "hub, default",
    bootstrap: broker.bootstrap,
    async stop() {
      await broker.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function startKafka(flushEveryMessage: boolean): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), "hub-bench-kafka-durable-"));
  const [port, controllerPort] = [await freePort(), await freePort()];
  const props = join(dir, "server.properties");
  writeFileSync(
    props,
    [
      "process.roles=broker,controller",
      "node.id=1",
      `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
      "controller.listener.names=CONTROLLER",
      `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
      `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
      "inter.broker.listener.name=PLAINTEXT",
      "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
      `log.dirs=${join(dir, "data")}`,
      "offsets.topic.replication.factor=1",
      "transaction.state.log.replication.factor=1",
      "transaction.state.log.min.isr=1",
      "share.coordinator.state.topic.replication.factor=1",
      "share.coordinator.state.topic.min.isr=1",
      ...Object.entries(COMMON).map(([k, v]) => `${k}=${v}`),
      ...(flushEveryMessage ? ["log.flush.interval.messages=1"] : []),
      "",
    ].join("\n"),
  );
  const format = await run(join(TOOLS, "kafka-storage"), ["format", "-t", randomBytes(16).toString("base64url"), "-c", props]);
  if (format.code !== 0) throw new Error(`kafka-storage format failed: ${format.stderr}`);
  const env = { ...process.env, KAFKA_HEAP_OPTS, KAFKA_JVM_OPTS: `${KAFKA_JVM_OPTS} -Dkafka.logs.dir=${dir}`, KAFKA_LOG4J_CONFIG: join(KAFKA_HOME, "config", "server-log4j2.properties") };
  const out = openSync(join(dir, "stdout.log"), "a");
  const child: ChildProcess = spawn(join(TOOLS, "kafka-server-start"), [props], { stdio: ["ignore", out, out], env });
  closeSync(out);
  const bootstrap = `127.0.0.1:${port}`;
  const kafka = new Kafka({ clientId: "bench-probe", brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
  const deadline = Date.now() + 120_000;
  for (;;) {
    const admin = kafka.admin();
    try {
      await admin.connect();
      await admin.listTopics();
      await admin.disconnect();
      break;
    } catch {
      if (Date.now() > deadline) throw new Error("Kafka did not start within 120 s");
      await sleep(500);
    }
  }
  return {
    name: flushEveryMessage ? "Kafka, log.flush.interval.messages=1" : "Kafka, default",
    bootstrap,
    async stop() {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const PERF_SUMMARY = /(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\), ([\d.]+) ms avg latency, ([\d.]+) ms max latency, (\d+) ms 50th, (\d+) ms 95th, (\d+) ms 99th/;

interface Result {
  recordsPerSec: number;
  mibPerSec: number;
  avgMs: number;
  p99Ms: number;
}

/** P perf-test processes at once, N/P records each; throughput summed over the wall time. */
async function produce(bootstrap: string, topic: string, producers: number): Promise<Result> {
  const each = Math.floor(RECORDS / producers);
  const t0 = performance.now();
  const results = await Promise.all(
    Array.from({ length: producers }, () =>
      run(join(TOOLS, "kafka-producer-perf-test"), ["--bootstrap-server", bootstrap, "--topic", topic, "--num-records", String(each), "--record-size", String(RECORD_SIZE), "--throughput", "-1", "--command-property", "acks=all"]),
    ),
  );
  const wallSecs = (performance.now() - t0) / 1000;
  const parsed = results.map((r) => {
    const m = PERF_SUMMARY.exec(r.stdout.trim().split("\n").at(-1) ?? "");
    if (r.code !== 0 || !m) throw new Error(`kafka-producer-perf-test failed: ${r.stdout.slice(-500)} ${r.stderr.slice(-500)}`);
    return { records: Number(m[1]), rps: Number(m[2]), avg: Number(m[4]), p99: Number(m[8]) };
  });
  // Each perf-test times its own sending (JVM start excluded); the sum of their rates is the
  // aggregate while they overlap, which they do for all but their start-up.
  const recordsPerSec = parsed.reduce((n, p) => n + p.rps, 0);
  void wallSecs;
  return {
    recordsPerSec,
    mibPerSec: (recordsPerSec * RECORD_SIZE) / MIB,
    avgMs: parsed.reduce((n, p) => n + p.avg, 0) / parsed.length,
    p99Ms: Math.max(...parsed.map((p) => p.p99)),
  };
}

/** S kafkajs producers sending one record at a time each, for SENDERS_SECS. */
async function senders(bootstrap: string, topic: string, count: number): Promise<Result> {
  const kafka = new Kafka({ clientId: "bench-senders", brokers: [bootstrap], logLevel: logLevel.NOTHING });
  const producers = await Promise.all(
    Array.from({ length: count }, async () => {
      const p = kafka.producer({ allowAutoTopicCreation: false });
      await p.connect();
      return p;
    }),
  );
  const value = Buffer.alloc(RECORD_SIZE, 0x62);
  const latencies: number[] = [];
  const end = performance.now() + SENDERS_SECS * 1000;
  await Promise.all(
    producers.map(async (p, i) => {
      while (performance.now() < end) {
        const t = performance.now();
        await p.send({ topic, acks: -1, messages: [{ partition: i % PARTITIONS, value }] });
        latencies.push(performance.now() - t);
      }
    }),
  );
  await Promise.all(producers.map((p) => p.disconnect()));
  latencies.sort((a, b) => a - b);
  const recordsPerSec = latencies.length / SENDERS_SECS;
  return {
    recordsPerSec,
    mibPerSec: (recordsPerSec * RECORD_SIZE) / MIB,
    avgMs: latencies.reduce((a, b) => a + b, 0) / latencies.length,
    p99Ms: Number((latencies[Math.floor(latencies.length * 0.99)] ?? 0).toFixed(1)),
  };
}

function fsyncLatency(): { avgMs: number; p99Ms: number } {
  const dir = mkdtempSync(join(tmpdir(), "hub-bench-fsync-"));
  const fd = openSync(join(dir, "f"), "w");
  const buf = Buffer.alloc(16 * 1024, 1);
  const times: number[] = [];
  for (let i = 0; i < 300; i++) {
    writeSync(fd, buf);
    const t = performance.now();
    fdatasyncSync(fd);
    times.push(performance.now() - t);
  }
  closeSync(fd);
  rmSync(dir, { recursive: true, force: true });
  times.sort((a, b) => a - b);
  return { avgMs: times.reduce((a, b) => a + b, 0) / times.length, p99Ms: times[Math.floor(times.length * 0.99)] as number };
}

async function main(): Promise<void> {
  const f = fsyncLatency();
  console.log(`fdatasync after a 16 KiB append on ${tmpdir()}: avg ${f.avgMs.toFixed(2)} ms, p99 ${f.p99Ms.toFixed(2)} ms`);
  const starters: Array<() => Promise<Target>> = [];
  if (opts.only !== "kafka") starters.push(() => startHub(false), () => startHub(true));
  if (opts.only !== "hub") starters.push(() => startKafka(false), () => startKafka(true));
  const rows: string[] = [];
  for (const start of starters) {
    const target = await start();
    try {
      const kafka = new Kafka({ clientId: "bench-admin", brokers: [target.bootstrap], logLevel: logLevel.NOTHING });
      const admin = kafka.admin();
      await admin.connect();
      for (const p of PRODUCER_COUNTS) await admin.createTopics({ topics: [{ topic: `durable-bench-${p}`, numPartitions: PARTITIONS }] });
      for (const s of SENDER_COUNTS) await admin.createTopics({ topics: [{ topic: `durable-senders-${s}`, numPartitions: PARTITIONS }] });
      await admin.disconnect();
      for (const p of PRODUCER_COUNTS) {
        const r = await produce(target.bootstrap, `durable-bench-${p}`, p);
        const row = `| ${target.name} | perf-test x ${p} | ${r.recordsPerSec.toFixed(0)} | ${r.mibPerSec.toFixed(1)} | ${r.avgMs.toFixed(1)} | ${r.p99Ms} |`;
        console.log(row);
        rows.push(row);
      }
      for (const s of SENDER_COUNTS) {
        const r = await senders(target.bootstrap, `durable-senders-${s}`, s);
        const row = `| ${target.name} | ${s} one-at-a-time sender(s) | ${r.recordsPerSec.toFixed(0)} | ${r.mibPerSec.toFixed(1)} | ${r.avgMs.toFixed(1)} | ${r.p99Ms} |`;
        console.log(row);
        rows.push(row);
      }
    } finally {
      await target.stop();
    }
  }
  console.log(`\n${RECORDS} records of ${RECORD_SIZE} B, acks=all, ${PARTITIONS} partitions\n\n| broker | load | records/s | MB/s | avg latency ms | p99 latency ms |\n|---|---|---|---|---|---|\n${rows.join("\n")}`);
}

await main();

// Start-up time of the hub's broker on a big data directory, after each way a run can end.
//
//   node test/bench/recovery.ts [--partitions 1000] [--gb 10] [--dir DIR] [--keep] [--no-cold]
//                               [--broker hub|kafka]
//
// 1. Writes the data directory in a child process (LogManager directly, no network): one
//    topic of --partitions partitions, 16 KiB batches (16 records of 1 KiB) round-robin until
//    --gb GiB, then SIGKILLs itself: the state a broker leaves when it dies mid-load, with no
//    fsync since the data was written (Kafka's default flush policy) and index files persisted
//    only every 512 entries.
// 2. Starts `node cli/main.ts broker` on it and times each start, from spawning the process to
//    its "Kafka broker listening" log line (the load time it logs is reported too):
//      process crash   after that SIGKILL (same boot): page cache intact, tails checked
//      clean           after a SIGTERM (clean shutdown marker)
//      clean, cold     the same with the page cache dropped first (a reboot after a clean stop)
//      OS crash        SIGKILL, then the lock file made to name another boot, page cache
//                      dropped: every segment past the recovery point is read and checked.
//                      Measured twice: with the recovery points the killed broker's periodic
//                      checkpoint left (it ran idle for a while: everything was fsynced by the
//                      shutdown before), and with no checkpoint at all (the worst case: all data).
//    --no-cold skips the measurements that drop the page cache (they need root and slow the
//    machine for everyone for a moment). Each start is also timed to the first record a
//    producer (kcat -P, acks=all) gets acknowledged.
// --broker kafka does the same with Apache Kafka (a separate KRaft node from the cached jars):
// the data is written by kafka-producer-perf-test (1 KiB records, acks=1, Kafka's default flush
// policy), then Kafka is SIGKILLed, restarted, stopped cleanly and restarted (warm and cold),
// each start timed to the first acknowledged produce, with the "Loaded N logs in X ms" Kafka
// logs. Kafka has no process/OS crash distinction: after any crash it recovers every segment
// from the one holding its recovery point.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { DEFAULT_LOG_CONFIG } from "../../broker/log/log-config.ts";
import { LOCK_FILE, LogManager } from "../../broker/log/log-manager.ts";
import { RECOVERY_POINT_CHECKPOINT_FILE } from "../../broker/log/recovery.ts";
import { validateBatches } from "../../broker/protocol/records/batch.ts";
import { buildBatch } from "../../broker/protocol/records/records.ts";
import { Kafka, logLevel } from "kafkajs";
import { kafkaToolsDir } from "../services/index.ts";
import { BrokerProcess, freePort } from "../support/broker-process.ts";
import { KafkaNode } from "../support/kafka-node.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const TOPIC = "bench";
const GIB = 1024 ** 3;

const { values: opts } = parseArgs({
  options: {
    partitions: { type: "string", default: "1000" },
    gb: { type: "string", default: "10" },
    dir: { type: "string" },
    keep: { type: "boolean", default: false },
    "no-cold": { type: "boolean", default: false },
    generate: { type: "boolean", default: false },
    broker: { type: "string", default: "hub" },
  },
});
const PARTITIONS = Number(opts.partitions);
const BYTES = Number(opts.gb) * GIB;
const DIR = resolve(opts.dir ?? join(ROOT, "data", "bench", `recovery-${opts.broker}-${PARTITIONS}p`));
process.removeAllListeners("warning");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Child mode: write the data, then die without closing anything. */
function generate(): never {
  const started = performance.now();
  const logs = LogManager.open({ logDirs: [join(DIR, "broker")], defaults: { ...DEFAULT_LOG_CONFIG }, nodeId: 1 });
  if (!logs.topic(TOPIC)) logs.createTopic(TOPIC, PARTITIONS);
  const value = Buffer.alloc(1024, 0x61);
  const batch = buildBatch(Array.from({ length: 16 }, (_, i) => ({ key: Buffer.from(`k${i}`), value })));
  const info = validateBatches(batch);
  let written = 0;
  let round = 0;
  while (written < BYTES) {
    for (let p = 0; p < PARTITIONS && written < BYTES; p++) {
      logs.log(TOPIC, p)!.append(batch, info);
      written += batch.length;
    }
    if (++round % 64 === 0) process.stdout.write(`\r  written ${(written / GIB).toFixed(2)} GiB`);
  }
  process.stdout.write(`\r  written ${(written / GIB).toFixed(2)} GiB in ${((performance.now() - started) / 1000).toFixed(1)} s; SIGKILL\n`);
  process.kill(process.pid, "SIGKILL");
  throw new Error("unreachable");
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((res, rej) => {
    const child = spawn(cmd, args, { stdio: "inherit" });
    child.once("exit", (code, signal) => (code === 0 || signal === "SIGKILL" ? res() : rej(new Error(`${cmd} ${args.join(" ")}: exit ${code ?? signal}`))));
  });
}

/** One record produced with kcat (acks=all): whether it was acknowledged. */
function kcatProduceOnce(bootstrap: string): Promise<boolean> {
  return new Promise((res) => {
    const child = spawn("kcat", ["-P", "-b", bootstrap, "-t", TOPIC, "-p", "0", "-X", "acks=all", "-X", "message.timeout.ms=5000"], { stdio: ["pipe", "ignore", "pipe"] });
    let err = "";
    child.stderr.setEncoding("utf8").on("data", (c: string) => (err += c));
    child.stdin.end("probe\n");
    child.once("exit", (code) => res(code === 0 && !/Delivery failed|ERROR/.test(err)));
  });
}

/** Polls until a produce is acknowledged; ms since `since`. */
async function firstProduce(bootstrap: string, since: number, timeoutMs = 900_000): Promise<number> {
  for (;;) {
    if (await kcatProduceOnce(bootstrap)) return performance.now() - since;
    if (performance.now() - since > timeoutMs) throw new Error(`no produce acknowledged by ${bootstrap} within ${timeoutMs / 1000} s`);
    await sleep(50);
  }
}

function dropCaches(): void {
  writeFileSync("/proc/sys/vm/drop_caches", "3\n");
}

interface Timing {
  label: string;
  /** Spawn to "listening" (hub) */
  startMs?: number;
  /** Spawn to the first acknowledged produce. */
  produceMs: number;
  /** What the broker logs as its log loading time. */
  loadMs: number;
  checkedBytes?: number;
}

const secs = (ms: number | undefined): string => (ms === undefined ? "" : `${(ms / 1000).toFixed(2)} s`);

async function timedStart(label: string, port: number): Promise<{ broker: BrokerProcess; timing: Timing }> {
  const t0 = performance.now();
  const broker = await BrokerProcess.start({ dataDir: DIR, port, startTimeoutMs: 600_000, overrides: { "log.flush.offset.checkpoint.interval.ms": "1000" } });
  const startMs = performance.now() - t0;
  const produceMs = await firstProduce(broker.bootstrap, t0);
  const loaded = broker.lines.find((l) => String(l.msg).startsWith("loaded the logs"));
  const timing = { label, startMs, produceMs, loadMs: Number(loaded?.ms), checkedBytes: Number(loaded?.checkedBytes) };
  console.log(`  ${label}: ${secs(startMs)} to listening, ${secs(produceMs)} to the first produce (logs loaded in ${secs(timing.loadMs)}, ${(timing.checkedBytes / GIB).toFixed(2)} GiB read and checked, previous shutdown ${String(loaded?.previousShutdown)})`);
  return { broker, timing };
}

function printTable(timings: Timing[]): void {
  console.log("\n| start after | to listening | to the first produce | logs loaded in | data checked |\n|---|---|---|---|---|");
  for (const t of timings) console.log(`| ${t.label} | ${secs(t.startMs)} | ${secs(t.produceMs)} | ${secs(t.loadMs)} | ${t.checkedBytes === undefined ? "" : `${(t.checkedBytes / GIB).toFixed(2)} GiB`} |`);
}

/** The Apache Kafka side: same data size and partitions, written by its own perf tool. */
async function kafkaMain(cold: boolean): Promise<void> {
  console.log(`recovery benchmark (Apache Kafka): ${PARTITIONS} partitions, ${opts.gb} GiB in ${DIR}`);
  rmSync(DIR, { recursive: true, force: true });
  const node = await KafkaNode.create({ dir: DIR, props: { "num.partitions": "1", "offsets.topic.num.partitions": "1", "group.initial.rebalance.delay.ms": "0" } });
  node.start();
  const kafka = new Kafka({ clientId: "bench-admin", brokers: [node.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 30 } });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: PARTITIONS }], timeout: 120_000 });
  const created = (await admin.fetchTopicMetadata({ topics: [TOPIC] })).topics[0]?.partitions.length;
  await admin.disconnect();
  if (created !== PARTITIONS) throw new Error(`${TOPIC} has ${created} partitions, not ${PARTITIONS}`);
  const records = Math.floor(BYTES / 1024);
  const t0 = performance.now();
  await run(join(kafkaToolsDir(), "kafka-producer-perf-test"), ["--bootstrap-server", node.bootstrap, "--topic", TOPIC, "--num-records", String(records), "--record-size", "1024", "--throughput", "-1", "--command-property", "acks=1", "--command-property", "linger.ms=5", "--command-property", "batch.size=16384"]);
  console.log(`  written ${records} records in ${((performance.now() - t0) / 1000).toFixed(1)} s; data directory ${(dirBytes(join(DIR, "data")) / GIB).toFixed(2)} GiB`);
  const timings: Timing[] = [];
  const timed = async (label: string): Promise<void> => {
    const logBefore = node.log().length;
    const t = performance.now();
    node.start();
    const produceMs = await firstProduce(node.bootstrap, t);
    const m = /Loaded (\d+) logs in (\d+)ms/.exec(node.log().slice(logBefore));
    const timing = { label, produceMs, loadMs: m ? Number(m[2]) : NaN };
    console.log(`  ${label}: ${secs(produceMs)} to the first produce (logs loaded in ${secs(timing.loadMs)})`);
    timings.push(timing);
  };
  await node.kill();
  await timed("after SIGKILL (page cache warm)");
  let t = performance.now();
  await node.stop();
  console.log(`  clean shutdown took ${secs(performance.now() - t)}`);
  await timed("after a clean shutdown (warm)");
  await node.stop();
  if (cold) {
    dropCaches();
    await timed("after a clean shutdown (page cache dropped)");
    await sleep(2500);
    await node.kill();
    dropCaches();
    await timed("after SIGKILL, page cache dropped (as after an OS crash)");
    t = performance.now();
    await node.stop();
    console.log(`  clean shutdown took ${secs(performance.now() - t)}`);
  }
  printTable(timings);
  if (!opts.keep) rmSync(DIR, { recursive: true, force: true });
}

function dirBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? dirBytes(path) : statSync(path).size;
  }
  return total;
}

async function main(): Promise<void> {
  if (opts.generate) generate();
  const cold = !opts["no-cold"];
  if (opts.broker === "kafka") return kafkaMain(cold);
  console.log(`recovery benchmark: ${PARTITIONS} partitions, ${opts.gb} GiB in ${DIR}`);
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  await run(process.execPath, [fileURLToPath(import.meta.url), "--generate", "--dir", DIR, "--partitions", String(PARTITIONS), "--gb", String(opts.gb)]);
  console.log(`  data directory: ${(dirBytes(DIR) / GIB).toFixed(2)} GiB, ${readdirSync(join(DIR, "broker")).length} entries`);
  const port = await freePort();
  const timings: Timing[] = [];

  let { broker, timing } = await timedStart("after SIGKILL (process crash, page cache warm)", port);
  timings.push(timing);
  let t0 = performance.now();
  await broker.stop(600_000);
  console.log(`  clean shutdown took ${((performance.now() - t0) / 1000).toFixed(2)} s`);

  ({ broker, timing } = await timedStart("after a clean shutdown (warm)", port));
  timings.push(timing);
  await broker.stop(600_000);
  if (cold) {
    dropCaches();
    ({ broker, timing } = await timedStart("after a clean shutdown (page cache dropped)", port));
    timings.push(timing);
    // Let the periodic checkpoint run, then an OS crash: SIGKILL, another boot, cold cache.
    await new Promise((r) => setTimeout(r, 2500));
    await broker.kill();
    // The lock names the dead broker's pid and another boot: what an OS crash leaves.
    writeFileSync(join(DIR, "broker", LOCK_FILE), `${broker.pid}\nanother-boot\n`);
    dropCaches();
    ({ broker, timing } = await timedStart("after an OS crash, recovery points checkpointed (cold)", port));
    timings.push(timing);
    await broker.kill();
    writeFileSync(join(DIR, "broker", LOCK_FILE), `${broker.pid}\nanother-boot\n`);
    if (existsSync(join(DIR, "broker", RECOVERY_POINT_CHECKPOINT_FILE))) unlinkSync(join(DIR, "broker", RECOVERY_POINT_CHECKPOINT_FILE));
    dropCaches();
    ({ broker, timing } = await timedStart("after an OS crash, no recovery point checkpoint: all data checked (cold)", port));
    timings.push(timing);
    t0 = performance.now();
    await broker.stop(600_000);
    console.log(`  clean shutdown took ${((performance.now() - t0) / 1000).toFixed(2)} s`);
  }
  printTable(timings);
  if (!opts.keep) rmSync(DIR, { recursive: true, force: true });
}

await main();

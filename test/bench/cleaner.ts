// The log cleaner benchmark: the hub's cleaner and Apache Kafka's, on the same segment files.
//
//   node test/bench/cleaner.ts [--mb 128] [--keys 100000] [--runs 3] [--compression none|gzip|snappy|lz4|zstd]
//                              [--only hub|kafka]
//
// Writes one partition of keyed updates (~`--mb` MiB, 2% tombstones, uncompressed batches of
// 1,000 records as a producer with a large batch.size would send, 16 MiB segments) once, and a
// smaller one (1/8 of it) to warm each cleaner up first (a broker's cleaner runs warm); then,
// per run, copies both and cleans the copies, measuring the second:
//   hub    the hub's LogCleaner (its worker thread, default dedupe buffer), as the broker runs it;
//   kafka  Kafka 4.3.1's own LogCleaner (org.apache.kafka.storage.internals.log), one cleaner
//          thread with Kafka's default buffers, run by test/bench/KafkaCleanerBench.java on a
//          copy of the very same files (Kafka reads the hub's segments as its own).
// Throughput is Kafka's own figure: bytes of log read by the cleaning pass, divided by the
// clean's elapsed time (building the key map included). Data stays in the page cache: this
// measures the cleaners, not the disk. Medians over the runs; MB means MiB.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { LogCleaner } from "../../broker/log/cleaner/log-cleaner.ts";
import { DEFAULT_LOG_CONFIG } from "../../broker/log/log-config.ts";
import { LogManager } from "../../broker/log/log-manager.ts";
import { COMPRESSION_NAMES } from "../../broker/protocol/records/compression.ts";
import { hubCacheDir } from "../services/index.ts";
import { writeUpdates } from "../support/log-compaction.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const TOPIC = "bench-compact";
const WARM_UP = "bench-warm-up";
const SEGMENT_BYTES = 16 * 1024 * 1024;
const MIB = 1024 * 1024;

const { values: args } = parseArgs({
  options: {
    mb: { type: "string", default: "128" },
    keys: { type: "string", default: "100000" },
    runs: { type: "string", default: "3" },
    only: { type: "string" },
    compression: { type: "string", default: "none" },
  },
});
const targetMb = Number(args.mb);
const keys = Number(args.keys);
const runs = Number(args.runs);
const compression = COMPRESSION_NAMES.indexOf(args.compression as (typeof COMPRESSION_NAMES)[number]);
if (compression < 0) throw new Error(`--compression: one of ${COMPRESSION_NAMES.join(", ")}`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

const root = mkdtempSync(join(tmpdir(), "hub-cleaner-bench-"));
const pristine = join(root, "pristine");
try {
  // One partition of updates, written as the broker writes appends.
  let t = performance.now();
  const logs = LogManager.open({ logDirs: [pristine], defaults: { ...DEFAULT_LOG_CONFIG } });
  // ~56 bytes a record in the log (key "key-N", a 24-byte value, record overhead).
  const updates = Math.round((targetMb * MIB) / 56 / 1000) * 1000;
  for (const [topic, share] of [[WARM_UP, 8], [TOPIC, 1]] as const) {
    logs.createTopic(topic, 1, { "cleanup.policy": "compact", "min.cleanable.dirty.ratio": "0.01", "segment.bytes": String(SEGMENT_BYTES) });
    const log = logs.log(topic, 0)!;
    writeUpdates(log, { keys, updates: Math.round(updates / share / 1000) * 1000, batchSize: 1000, tombstoneEvery: 50, valueBytes: 24, compression });
    logs.setTopicConfigs(topic, { ...logs.topic(topic)!.configs, "segment.ms": "1" });
    writeUpdates(log, { keys: 1, updates: 1, keyPrefix: "roller", startTimestamp: BigInt(Date.now()) + 60_000n });
    logs.setTopicConfigs(topic, { ...logs.topic(topic)!.configs, "segment.ms": "604800000" });
  }
  const log = logs.log(TOPIC, 0)!;
  const inputMb = (log.sizeInBytes() - log.segments[log.segments.length - 1]!.size) / MIB;
  const segments = log.segments.length - 1;
  logs.close();
  console.log(`data: ${updates.toLocaleString("en")} updates (${args.compression}) over ${keys.toLocaleString("en")} keys, ${inputMb.toFixed(1)} MiB in ${segments} segments (written in ${((performance.now() - t) / 1000).toFixed(1)} s); ${cpus().length} cores`);

  const results: Record<"hub" | "kafka", Array<{ mbPerSec: number; ms: number; readMb: number; writtenMb: number }>> = { hub: [], kafka: [] };
  for (let run = 1; run <= runs; run++) {
    if (args.only !== "kafka") {
      const dir = join(root, `hub-${run}`);
      cpSync(pristine, dir, { recursive: true });
      const hubLogs = LogManager.open({ logDirs: [dir], defaults: { ...DEFAULT_LOG_CONFIG } });
      const cleaner = new LogCleaner({ logs: hubLogs });
      await cleaner.cleanAll((l) => l.topic === WARM_UP);
      const summaries = await cleaner.cleanAll((l) => l.topic === TOPIC);
      await cleaner.stop();
      hubLogs.close();
      rmSync(dir, { recursive: true, force: true });
      const ms = summaries.reduce((n, s) => n + s.ms, 0);
      const read = summaries.reduce((n, s) => n + s.stats.bytesRead, 0) / MIB;
      const written = summaries.reduce((n, s) => n + s.stats.bytesWritten, 0) / MIB;
      results.hub.push({ mbPerSec: read / (ms / 1000), ms, readMb: read, writtenMb: written });
      console.log(`run ${run} hub:   ${read.toFixed(1)} MiB cleaned in ${(ms / 1000).toFixed(2)} s = ${(read / (ms / 1000)).toFixed(1)} MB/s (${summaries.length} round(s), ${written.toFixed(1)} MiB written)`);
    }
    if (args.only !== "hub") {
      const dir = join(root, `kafka-${run}`);
      cpSync(pristine, dir, { recursive: true });
      t = performance.now();
      const java = spawnSync(
        "java",
        [
          "-Xms256m",
          "-Xmx1g",
          `-Dlog4j2.configurationFile=${join(hubCacheDir(), "kafka-4.3.1", "config", "tools-log4j2.properties")}`,
          "-cp",
          `${join(hubCacheDir(), "kafka-4.3.1", "libs")}/*`,
          join(ROOT, "test", "bench", "KafkaCleanerBench.java"),
          String(SEGMENT_BYTES),
          join(dir, `${WARM_UP}-0`),
          join(dir, `${TOPIC}-0`),
        ],
        { encoding: "utf8", maxBuffer: 16 * MIB },
      );
      rmSync(dir, { recursive: true, force: true });
      const line = java.stdout.split("\n").find((l) => l.startsWith("{"));
      if (java.status !== 0 || !line) throw new Error(`Kafka's cleaner failed (${java.status}): ${java.stderr.slice(-2000)}`);
      const s = JSON.parse(line) as { bytesRead: number; bytesWritten: number; elapsedSecs: number };
      const read = s.bytesRead / MIB;
      results.kafka.push({ mbPerSec: read / s.elapsedSecs, ms: s.elapsedSecs * 1000, readMb: read, writtenMb: s.bytesWritten / MIB });
      console.log(`run ${run} kafka: ${read.toFixed(1)} MiB cleaned in ${s.elapsedSecs.toFixed(2)} s = ${(read / s.elapsedSecs).toFixed(1)} MB/s (${(s.bytesWritten / MIB).toFixed(1)} MiB written; JVM run ${((performance.now() - t) / 1000).toFixed(1)} s)`);
    }
  }
  console.log("\n| cleaner | MiB cleaned | time (s) | throughput (MB/s) |\n|---|---:|---:|---:|");
  for (const name of ["hub", "kafka"] as const) {
    const r = results[name];
    if (r.length === 0) continue;
    console.log(`| ${name} | ${median(r.map((x) => x.readMb)).toFixed(1)} | ${(median(r.map((x) => x.ms)) / 1000).toFixed(2)} | ${median(r.map((x) => x.mbPerSec)).toFixed(1)} |`);
  }
  if (results.hub.length && results.kafka.length) console.log(`\nhub / Kafka: ${(median(results.hub.map((x) => x.mbPerSec)) / median(results.kafka.map((x) => x.mbPerSec))).toFixed(2)}`);
} finally {
  rmSync(root, { recursive: true, force: true });
}

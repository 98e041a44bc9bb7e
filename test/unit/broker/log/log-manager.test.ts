import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_LOG_CONFIG } from "../../../../broker/log/log-config.ts";
import { CLEAN_SHUTDOWN_FILE, LogManager, TOPICS_FILE } from "../../../../broker/log/log-manager.ts";
import { ErrorCode } from "../../../../broker/protocol/generated/errors.ts";
import { readAllRecords } from "../../../../broker/protocol/records/records.ts";
import { append, makeBatch, recordsOf, tempDir } from "./batch-helper.ts";

let tmp: { dir: string; cleanup: () => void };
let logDir: string;
const managers: LogManager[] = [];

function openManager(): LogManager {
  const m = LogManager.open({ logDirs: [logDir], defaults: { ...DEFAULT_LOG_CONFIG, segmentBytes: 4096 } });
  managers.push(m);
  return m;
}

function codeOf(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (err) {
    return (err as { code?: number }).code;
  }
  return undefined;
}

function valuesOf(m: LogManager, topic: string, partition: number): string[] {
  const log = m.log(topic, partition);
  if (!log) throw new Error(`no log for ${topic}-${partition}`);
  return readAllRecords(Buffer.concat(log.read(log.logStartOffset, 1 << 30).records)).map((r) => (r.value as Buffer).toString().replace(/x+$/, ""));
}

beforeEach(() => {
  tmp = tempDir();
  logDir = join(tmp.dir, "kafka-logs");
});

afterEach(() => {
  for (const m of managers.splice(0)) m.close();
  tmp.cleanup();
});

describe("LogManager", () => {
  it("brings back every topic, partition, id, config and record after a restart", () => {
    let m = openManager();
    const clusterId = m.clusterId;
    expect(clusterId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const names = ["orders", "my-topic.v1", "a_b-c-2", "__consumer_offsets", "x-1-2-3"];
    const ids = new Map<string, string>();
    for (const [i, name] of names.entries()) {
      const t = m.createTopic(name, i + 1, name === "__consumer_offsets" ? { "cleanup.policy": "compact", "segment.bytes": "104857600" } : {});
      expect(t.topicId).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
      ids.set(name, t.topicId);
    }
    for (const name of names) {
      const topic = m.topic(name)!;
      for (let p = 0; p < topic.partitions; p++) {
        for (let i = 0; i < 3; i++) append(m.log(name, p)!, makeBatch(recordsOf(2, 200, `${name}/${p}/${i}`)));
      }
    }
    expect(readdirSync(logDir).filter((d) => d.startsWith("a_b-c-2-"))).toEqual(["a_b-c-2-0", "a_b-c-2-1", "a_b-c-2-2"]);
    expect(readFileSync(join(logDir, "orders-0", "partition.metadata"), "utf8")).toBe(`version: 0\ntopic_id: ${ids.get("orders")}\n`);
    m.close();
    managers.splice(0);
    expect(existsSync(join(logDir, CLEAN_SHUTDOWN_FILE))).toBe(true);

    m = openManager();
    expect(m.hadCleanShutdown).toBe(true);
    expect(existsSync(join(logDir, CLEAN_SHUTDOWN_FILE))).toBe(false);
    expect(m.clusterId).toBe(clusterId);
    expect(m.topicNames().sort()).toEqual([...names].sort());
    for (const [i, name] of names.entries()) {
      const topic = m.topic(name)!;
      expect(topic.partitions).toBe(i + 1);
      expect(topic.topicId).toBe(ids.get(name));
      expect(m.topicById(topic.topicId)?.name).toBe(name);
      for (let p = 0; p < topic.partitions; p++) {
        const log = m.log(name, p)!;
        expect(log.topic).toBe(name);
        expect(log.partition).toBe(p);
        expect(log.logEndOffset).toBe(6n);
        expect(valuesOf(m, name, p)).toEqual([0, 1, 2].flatMap((i) => [`${name}/${p}/${i}-0`, `${name}/${p}/${i}-1`]));
      }
    }
    expect(m.topic("__consumer_offsets")!.configs).toEqual({ "cleanup.policy": "compact", "segment.bytes": "104857600" });
    expect(m.log("__consumer_offsets", 0)!.config.cleanupPolicy).toBe("compact");
    expect(m.log("__consumer_offsets", 0)!.config.segmentBytes).toBe(104857600);
    expect(m.log("orders", 0)!.config.segmentBytes).toBe(4096);
  });

  it("recovers after a crash (no close): no clean marker, logs checked, data kept", () => {
    let m = openManager();
    m.createTopic("events", 2);
    for (let i = 0; i < 10; i++) append(m.log("events", 1)!, makeBatch(recordsOf(1, 50, `e${i}`)));
    managers.splice(0); // dropped without close, as after SIGKILL
    m = openManager();
    expect(m.hadCleanShutdown).toBe(false);
    expect(m.log("events", 1)!.logEndOffset).toBe(10n);
    expect(valuesOf(m, "events", 1)).toHaveLength(10);
  });

  it("deletes topics for good, and a topic of the same name starts afresh", () => {
    let m = openManager();
    const old = m.createTopic("temp-topic", 2);
    append(m.log("temp-topic", 0)!, makeBatch(recordsOf(3, 10)));
    m.deleteTopic("temp-topic");
    expect(m.topic("temp-topic")).toBeUndefined();
    expect(m.log("temp-topic", 0)).toBeUndefined();
    expect(readdirSync(logDir).filter((d) => d.startsWith("temp-topic"))).toEqual([]);
    expect(codeOf(() => m.deleteTopic("temp-topic"))).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    const again = m.createTopic("temp-topic", 1);
    expect(again.topicId).not.toBe(old.topicId);
    expect(m.log("temp-topic", 0)!.logEndOffset).toBe(0n);
    m.close();
    managers.splice(0);
    m = openManager();
    expect(m.topic("temp-topic")).toMatchObject({ topicId: again.topicId, partitions: 1 });
  });

  it("grows partitions and applies config changes live and across restarts", () => {
    let m = openManager();
    m.createTopic("grow", 1);
    expect(codeOf(() => m.createPartitions("grow", 1))).toBe(ErrorCode.INVALID_PARTITIONS);
    m.createPartitions("grow", 3);
    expect(m.log("grow", 2)!.logEndOffset).toBe(0n);
    m.setTopicConfigs("grow", { "segment.bytes": "1024", "retention.ms": "60000" });
    const log = m.log("grow", 0)!;
    expect(log.config.segmentBytes).toBe(1024);
    for (let i = 0; i < 20; i++) append(log, makeBatch(recordsOf(1, 200)));
    expect(log.segments.length).toBeGreaterThan(3);
    expect(codeOf(() => m.setTopicConfigs("grow", { "segment.bytes": "lots" }))).toBe(ErrorCode.INVALID_CONFIG);
    expect(m.topic("grow")!.configs).toEqual({ "segment.bytes": "1024", "retention.ms": "60000" });
    m.close();
    managers.splice(0);
    m = openManager();
    expect(m.topic("grow")!.partitions).toBe(3);
    expect(m.log("grow", 0)!.config.retentionMs).toBe(60000);
    expect(m.log("grow", 0)!.logEndOffset).toBe(20n);
  });

  it("validates topic names like Kafka", () => {
    const m = openManager();
    for (const bad of ["", ".", "..", "a/b", "a b", "x".repeat(250), "ünïcode"]) {
      expect(codeOf(() => m.createTopic(bad, 1))).toBe(ErrorCode.INVALID_TOPIC_EXCEPTION);
    }
    m.createTopic("metrics.cpu", 1);
    expect(codeOf(() => m.createTopic("metrics.cpu", 1))).toBe(ErrorCode.TOPIC_ALREADY_EXISTS);
    expect(codeOf(() => m.createTopic("metrics_cpu", 1))).toBe(ErrorCode.INVALID_TOPIC_EXCEPTION);
    expect(codeOf(() => m.createTopic("zero", 0))).toBe(ErrorCode.INVALID_PARTITIONS);
    expect(codeOf(() => m.createTopic("bad-config", 1, { "cleanup.policy": "sometimes" }))).toBe(ErrorCode.INVALID_CONFIG);
    expect(m.topicNames()).toEqual(["metrics.cpu"]);
  });

  it("sets aside directories no topic claims and finishes interrupted deletions", () => {
    let m = openManager();
    m.createTopic("kept", 1);
    m.close();
    managers.splice(0);
    mkdirSync(join(logDir, "ghost-0"));
    writeFileSync(join(logDir, "ghost-0", "00000000000000000000.log"), "");
    mkdirSync(join(logDir, "kept-5")); // beyond the topic's partition count
    mkdirSync(join(logDir, "old-0.0123456789abcdef-delete"));
    m = openManager();
    const dirs = readdirSync(logDir).sort();
    expect(dirs.filter((d) => d.endsWith("-stray"))).toHaveLength(2);
    expect(dirs).toContain("kept-0");
    expect(dirs.some((d) => d.endsWith("-delete"))).toBe(false);
    expect(m.topicNames()).toEqual(["kept"]);
    // A topic recorded in topics.json whose directory is missing (a crash right after the
    // commit) gets its directory back.
    m.createPartitions("kept", 2);
    m.close();
    managers.splice(0);
    rmSync(join(logDir, "kept-1"), { recursive: true });
    expect(JSON.parse(readFileSync(join(logDir, TOPICS_FILE), "utf8")).topics.kept.partitions).toBe(2);
    m = openManager();
    expect(existsSync(join(logDir, "kept-1", "partition.metadata"))).toBe(true);
    expect(m.log("kept", 1)!.logEndOffset).toBe(0n);
  });

  it("refuses a log directory another live process holds", () => {
    mkdirSync(logDir, { recursive: true });
    writeFileSync(join(logDir, ".lock"), `${process.ppid}\n`);
    expect(() => openManager()).toThrow(/in use by process/);
  });
});

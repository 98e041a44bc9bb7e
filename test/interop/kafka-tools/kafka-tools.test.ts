// Apache Kafka's own command-line tools (kafka-topics, kafka-console-producer/-consumer,
// kafka-consumer-groups, kafka-configs, kafka-get-offsets, kafka-delete-records) run unchanged
// against the hub's broker and against Apache Kafka, with the same assertions on what they
// print: any difference between the two is a failing test (DESIGN.md, section 6).
//
// Every tool run starts a JVM (1-2.5 s), so each target runs one topic through the whole
// story in order, and each step makes as few tool calls as it can.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHubBroker } from "../../support/hub-broker.ts";
import { kafkaToolsDir, requireService } from "../../services/index.ts";

const execFileAsync = promisify(execFile);

interface Target {
  name: string;
  /** A shared, persistent server: the test removes what it created. */
  shared: boolean;
  /** Starts (or finds) the broker; returns its bootstrap address and how to let it go. */
  open(): Promise<{ bootstrap: string; close(): Promise<void> }>;
}

const targets: Target[] = [
  {
    name: "the hub's broker",
    shared: false,
    async open() {
      const hub = await startHubBroker();
      return { bootstrap: hub.bootstrap, close: () => hub.destroy() };
    },
  },
  {
    name: "Apache Kafka",
    shared: true,
    async open() {
      return { bootstrap: await requireService("kafka"), close: async () => {} };
    },
  },
];

interface ToolResult {
  stdout: string;
  stderr: string;
}

// JVM start dominates each tool run. The C1 compiler alone and a class-data-sharing archive
// per tool (written by the tool's first run, reused after) halve it: about 0.9 s instead of
// 1.7-2.5 s on the 2-core machine. Archives are kept per Kafka install (their class path); the
// JVM ignores one it cannot use (another JDK) and runs without it.
const cdsDir = join(tmpdir(), `hub-kafka-tools-cds-${process.getuid?.() ?? "user"}`, createHash("sha256").update(kafkaToolsDir()).digest("hex").slice(0, 12));
mkdirSync(cdsDir, { recursive: true });

function jvmOptions(tool: string): { opts: string; archived: () => void } {
  // Unified JVM logging (CDS dump warnings among it) would otherwise go to stdout.
  const base = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -Xlog:disable -Xlog:all=error:stderr";
  const archive = join(cdsDir, `${tool}.jsa`);
  if (existsSync(archive)) return { opts: `${base} -XX:SharedArchiveFile=${archive}`, archived: () => {} };
  // Written under a unique name and renamed once complete, so a concurrent run never maps a
  // half-written archive.
  const partial = `${archive}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  return {
    opts: `${base} -XX:ArchiveClassesAtExit=${partial}`,
    archived: () => {
      if (existsSync(partial)) renameSync(partial, archive);
    },
  };
}

/** Runs one of the Kafka CLI tools; rejects with its output when it exits non-zero or hangs. */
async function runTool(tool: string, args: string[], options: { input?: string; timeoutMs?: number } = {}): Promise<ToolResult> {
  const jvm = jvmOptions(tool);
  const promise = execFileAsync(join(kafkaToolsDir(), tool), args, {
    timeout: options.timeoutMs ?? 30_000,
    killSignal: "SIGKILL",
    maxBuffer: 16 * 1024 * 1024,
    env: { ...process.env, KAFKA_JVM_OPTS: jvm.opts },
  });
  promise.child.stdin?.end(options.input ?? "");
  try {
    const { stdout, stderr } = await promise;
    jvm.archived();
    return { stdout, stderr };
  } catch (err) {
    const e = err as Error & { stdout?: string; stderr?: string; code?: unknown; signal?: unknown };
    // A JVM that exits with an error status still writes a usable archive.
    jvm.archived();
    throw new Error(`${tool} ${args.join(" ")} failed (code ${String(e.code)}, signal ${String(e.signal)})\n--- stdout\n${e.stdout ?? ""}\n--- stderr\n${e.stderr ?? ""}`, { cause: err });
  }
}

const lines = (text: string): string[] => text.split("\n").map((l) => l.trim()).filter((l) => l !== "");

/** kafka-topics --describe: the topic line's fields and one record per partition line. */
function parseTopicDescription(stdout: string): { topic: Record<string, string>; partitions: Array<Record<string, string>> } {
  const [head, ...rest] = lines(stdout);
  const fields = (line: string): Record<string, string> =>
    Object.fromEntries(
      line
        .trim()
        .split("\t")
        .map((f) => {
          const colon = f.indexOf(":");
          return [f.slice(0, colon).trim(), f.slice(colon + 1).trim()];
        }),
    );
  return { topic: fields(head ?? ""), partitions: rest.map(fields) };
}

/** kafka-consumer-groups tables: rows under a header line starting with GROUP, as objects. */
function parseGroupTable(stdout: string): Array<Record<string, string>> {
  const all = lines(stdout);
  const headerAt = all.findIndex((l) => l.startsWith("GROUP "));
  if (headerAt < 0) throw new Error(`no table in:\n${stdout}`);
  const header = all[headerAt]!.split(/\s+/);
  return all.slice(headerAt + 1).map((row) => {
    const cells = row.split(/\s+/);
    return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ""]));
  });
}

/** kafka-console-consumer with print.partition/print.offset/print.key: one record per line. */
interface Consumed {
  partition: number;
  offset: number;
  key: string;
  value: string;
}
function parseConsumed(stdout: string): Consumed[] {
  return lines(stdout).map((line) => {
    const m = /^Partition:(\d+)\tOffset:(\d+)\t([^\t]*)\t(.*)$/.exec(line);
    if (!m) throw new Error(`unexpected console consumer line: ${JSON.stringify(line)}`);
    return { partition: Number(m[1]), offset: Number(m[2]), key: m[3]!, value: m[4]! };
  });
}

/** The records of each partition, in the order the consumer printed them. */
const byPartition = (records: Consumed[]): Map<number, Consumed[]> => {
  const map = new Map<number, Consumed[]>();
  for (const r of records) map.set(r.partition, [...(map.get(r.partition) ?? []), r]);
  return new Map([...map].sort(([a], [b]) => a - b));
};

/** kafka-get-offsets output, `topic:partition:offset` per line, as partition → offset. */
function parseOffsets(stdout: string, topic: string): Record<number, number> {
  const out: Record<number, number> = {};
  for (const line of lines(stdout)) {
    const m = /^(.+):(\d+):(-?\d+)$/.exec(line);
    if (!m || m[1] !== topic) throw new Error(`unexpected get-offsets line: ${JSON.stringify(line)}`);
    out[Number(m[2])] = Number(m[3]);
  }
  return out;
}

// Keys are chosen so the default partitioner (murmur2, in the client) spreads them over all
// three partitions once the topic has grown to three; values hold the separator, spaces and
// non-ASCII text, which must come back byte for byte.
const PRODUCED = [
  ["k1", "v1"],
  ["k2", "v2"],
  ["k3", "v3"],
  ["k4", "value with spaces"],
  ["k5", "a:b:c"],
  ["k6", "grüße ✓ 日本"],
  ["k7", "{\"json\":true}"],
  ["k8", "v8"],
  ["k9", "v9"],
] as const;

/** Each step runs several JVMs; a loaded 2-core machine needs more than the default 60 s. */
const STEP_TIMEOUT_MS = 120_000;

const CONSUMER_PRINT = ["--formatter-property", "print.key=true", "--formatter-property", "print.partition=true", "--formatter-property", "print.offset=true"];

describe.each(targets)("Apache Kafka's CLI tools against $name", (target) => {
  const run = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const topic = `kt-tools-${run}`;
  const group = `kt-tools-group-${run}`;
  let bootstrap = "";
  let close: () => Promise<void> = async () => {};
  let workDir = "";
  // What the console consumer printed the first time, to compare the rereads with.
  let firstRead: Consumed[] = [];

  beforeAll(async () => {
    ({ bootstrap, close } = await target.open());
    workDir = await mkdtemp(join(tmpdir(), "kafka-tools-test-"));
  });
  afterAll(async () => {
    if (bootstrap && target.shared) {
      await runTool("kafka-consumer-groups", ["--bootstrap-server", bootstrap, "--delete", "--group", group]).catch(() => undefined);
      await runTool("kafka-topics", ["--bootstrap-server", bootstrap, "--delete", "--topic", topic]).catch(() => undefined);
    }
    await close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  const bs = (): string[] => ["--bootstrap-server", bootstrap];

  it("kafka-topics: --create, --list, --describe, --alter --partitions", async () => {
    const created = await runTool("kafka-topics", [...bs(), "--create", "--topic", topic, "--partitions", "2", "--replication-factor", "1", "--config", "retention.ms=3600000"]);
    expect(lines(created.stdout)).toEqual([`Created topic ${topic}.`]);

    // Independent reads run side by side to save JVM start-up time.
    const [dup, listed, described] = await Promise.all([
      runTool("kafka-topics", [...bs(), "--create", "--topic", topic, "--partitions", "2"]).then(
        () => null,
        (err: Error) => err.message,
      ),
      runTool("kafka-topics", [...bs(), "--list"]),
      runTool("kafka-topics", [...bs(), "--describe", "--topic", topic]),
    ]);
    expect(dup).toMatch(new RegExp(`TopicExistsException: Topic '${topic}' already exists`));
    expect(lines(listed.stdout)).toContain(topic);

    const before = parseTopicDescription(described.stdout);
    expect(before.topic).toMatchObject({ Topic: topic, PartitionCount: "2", ReplicationFactor: "1" });
    expect(before.topic.TopicId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(before.topic.Configs?.split(",")).toContain("retention.ms=3600000");
    expect(before.partitions.map((p) => p.Partition)).toEqual(["0", "1"]);
    for (const p of before.partitions) expect(p).toEqual({ Topic: topic, Partition: p.Partition, Leader: "1", Replicas: "1", Isr: "1", Elr: "", LastKnownElr: "" });

    const altered = await runTool("kafka-topics", [...bs(), "--alter", "--topic", topic, "--partitions", "3"]);
    expect(altered.stdout.trim()).toBe("");
    const after = parseTopicDescription((await runTool("kafka-topics", [...bs(), "--describe", "--topic", topic])).stdout);
    expect(after.topic).toMatchObject({ Topic: topic, TopicId: before.topic.TopicId, PartitionCount: "3", ReplicationFactor: "1" });
    expect(after.partitions.map((p) => [p.Partition, p.Leader, p.Replicas, p.Isr])).toEqual([
      ["0", "1", "1", "1"],
      ["1", "1", "1", "1"],
      ["2", "1", "1", "1"],
    ]);
  }, STEP_TIMEOUT_MS);

  it("kafka-console-producer with keys, then kafka-console-consumer --from-beginning in a group reads the exact lines back", async () => {
    const input = PRODUCED.map(([k, v]) => `${k}:${v}`).join("\n") + "\n";
    const produced = await runTool("kafka-console-producer", [...bs(), "--topic", topic, "--reader-property", "parse.key=true", "--reader-property", "key.separator=:"], { input });
    expect(produced.stdout.trim()).toBe("");

    const consumed = await runTool("kafka-console-consumer", [...bs(), "--topic", topic, "--from-beginning", "--group", group, "--max-messages", String(PRODUCED.length), "--timeout-ms", "20000", ...CONSUMER_PRINT]);
    expect(consumed.stderr).toContain(`Processed a total of ${PRODUCED.length} messages`);
    firstRead = parseConsumed(consumed.stdout);
    expect(firstRead.map((r) => [r.key, r.value]).sort()).toEqual(PRODUCED.map(([k, v]) => [k, v]).sort());
    // Offsets are the broker's: 0, 1, 2 ... in each partition, in produce order.
    const parts = byPartition(firstRead);
    expect([...parts.keys()]).toEqual([0, 1, 2]);
    for (const records of parts.values()) {
      expect(records.map((r) => r.offset)).toEqual(records.map((_, i) => i));
      const producedOrder = PRODUCED.map(([k]) => k as string).filter((k) => records.some((r) => r.key === k));
      expect(records.map((r) => r.key)).toEqual(producedOrder);
    }
  }, STEP_TIMEOUT_MS);

  it("kafka-consumer-groups --describe shows the committed offsets and lag; --reset-offsets --to-earliest --execute rewinds the group", async () => {
    const ends = Object.fromEntries([...byPartition(firstRead)].map(([p, records]) => [p, records.length]));
    const [described, listed] = await Promise.all([
      runTool("kafka-consumer-groups", [...bs(), "--describe", "--group", group]),
      runTool("kafka-consumer-groups", [...bs(), "--list"]),
    ]);
    // The tool prints this notice on stderr, the table on stdout.
    expect(lines(described.stderr)).toContain(`Consumer group '${group}' has no active members.`);
    expect(parseGroupTable(described.stdout).sort((a, b) => Number(a.PARTITION) - Number(b.PARTITION))).toEqual(
      [0, 1, 2].map((p) => ({
        GROUP: group,
        TOPIC: topic,
        PARTITION: String(p),
        "CURRENT-OFFSET": String(ends[p]),
        "LOG-END-OFFSET": String(ends[p]),
        LAG: "0",
        "CONSUMER-ID": "-",
        HOST: "-",
        "CLIENT-ID": "-",
      })),
    );

    expect(lines(listed.stdout)).toContain(group);

    const reset = await runTool("kafka-consumer-groups", [...bs(), "--group", group, "--reset-offsets", "--to-earliest", "--topic", topic, "--execute"]);
    expect(parseGroupTable(reset.stdout).sort((a, b) => Number(a.PARTITION) - Number(b.PARTITION))).toEqual(
      [0, 1, 2].map((p) => ({ GROUP: group, TOPIC: topic, PARTITION: String(p), "NEW-OFFSET": "0" })),
    );

    const afterReset = await runTool("kafka-consumer-groups", [...bs(), "--describe", "--group", group]);
    expect(parseGroupTable(afterReset.stdout).map((r) => [r.PARTITION, r["CURRENT-OFFSET"], r["LOG-END-OFFSET"], r.LAG]).sort()).toEqual(
      [0, 1, 2].map((p) => [String(p), "0", String(ends[p]), String(ends[p])]),
    );

    // The group's consumer starts over from the reset offsets and reads everything again.
    const reread = await runTool("kafka-console-consumer", [...bs(), "--topic", topic, "--group", group, "--max-messages", String(PRODUCED.length), "--timeout-ms", "20000", ...CONSUMER_PRINT]);
    expect(byPartition(parseConsumed(reread.stdout))).toEqual(byPartition(firstRead));
  }, STEP_TIMEOUT_MS);

  it("kafka-configs --alter --add-config / --delete-config and --describe for a topic", async () => {
    const entity = ["--entity-type", "topics", "--entity-name", topic];
    const added = await runTool("kafka-configs", [...bs(), ...entity, "--alter", "--add-config", "retention.ms=7200000,max.message.bytes=2000000"]);
    expect(lines(added.stdout)).toEqual([`Completed updating config for topic ${topic}.`]);

    const described = await runTool("kafka-configs", [...bs(), ...entity, "--describe"]);
    expect(lines(described.stdout)).toEqual([
      `Dynamic configs for topic ${topic} are:`,
      "max.message.bytes=2000000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:max.message.bytes=2000000, DEFAULT_CONFIG:message.max.bytes=1048588}",
      "retention.ms=7200000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:retention.ms=7200000}",
    ]);

    const deleted = await runTool("kafka-configs", [...bs(), ...entity, "--alter", "--delete-config", "max.message.bytes"]);
    expect(lines(deleted.stdout)).toEqual([`Completed updating config for topic ${topic}.`]);

    const all = lines((await runTool("kafka-configs", [...bs(), ...entity, "--describe", "--all"])).stdout);
    expect(all[0]).toBe(`All configs for topic ${topic} are:`);
    // Configs whose values and synonyms do not depend on how the broker was configured.
    const wanted = new Set(["retention.ms", "max.message.bytes", "cleanup.policy", "segment.bytes", "segment.ms", "segment.index.bytes", "segment.jitter.ms", "flush.ms", "file.delete.delay.ms", "message.timestamp.after.max.ms"]);
    expect(all.filter((l) => wanted.has(l.slice(0, l.indexOf("="))))).toEqual([
      "cleanup.policy=delete sensitive=false synonyms={DEFAULT_CONFIG:log.cleanup.policy=delete}",
      "file.delete.delay.ms=60000 sensitive=false synonyms={DEFAULT_CONFIG:log.segment.delete.delay.ms=60000}",
      "flush.ms=9223372036854775807 sensitive=false synonyms={}",
      "max.message.bytes=1048588 sensitive=false synonyms={DEFAULT_CONFIG:message.max.bytes=1048588}",
      "message.timestamp.after.max.ms=3600000 sensitive=false synonyms={DEFAULT_CONFIG:log.message.timestamp.after.max.ms=3600000}",
      "retention.ms=7200000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:retention.ms=7200000}",
      "segment.bytes=1073741824 sensitive=false synonyms={DEFAULT_CONFIG:log.segment.bytes=1073741824}",
      "segment.index.bytes=10485760 sensitive=false synonyms={DEFAULT_CONFIG:log.index.size.max.bytes=10485760}",
      "segment.jitter.ms=0 sensitive=false synonyms={}",
      "segment.ms=604800000 sensitive=false synonyms={}",
    ]);
  }, STEP_TIMEOUT_MS);

  it("kafka-get-offsets and kafka-delete-records: the low watermark moves and consumers start there", async () => {
    const ends = Object.fromEntries([...byPartition(firstRead)].map(([p, records]) => [p, records.length]));
    const [earliest, latest] = await Promise.all([
      runTool("kafka-get-offsets", [...bs(), "--topic", topic, "--time", "earliest"]),
      runTool("kafka-get-offsets", [...bs(), "--topic", topic, "--time", "latest"]),
    ]);
    expect(parseOffsets(earliest.stdout, topic)).toEqual({ 0: 0, 1: 0, 2: 0 });
    expect(parseOffsets(latest.stdout, topic)).toEqual(ends);

    // Delete below offset 1 of the first partition that has two or more records ("trimmed"),
    // and all of another partition's records (offset -1 means its high watermark).
    const trimmed = [0, 1, 2].find((p) => (ends[p] ?? 0) >= 2);
    expect(trimmed).toBeDefined();
    const last = trimmed === 2 ? 1 : 2;
    const offsetsFile = join(workDir, "delete-records.json");
    await writeFile(offsetsFile, JSON.stringify({ version: 1, partitions: [{ topic, partition: trimmed, offset: 1 }, { topic, partition: last, offset: -1 }] }));
    const deleted = await runTool("kafka-delete-records", [...bs(), "--offset-json-file", offsetsFile]);
    expect(lines(deleted.stdout).slice(0, 2)).toEqual(["Executing records delete operation", "Records delete operation completed:"]);
    expect(lines(deleted.stdout).slice(2).sort()).toEqual([`partition: ${topic}-${trimmed}\tlow_watermark: 1`, `partition: ${topic}-${last}\tlow_watermark: ${ends[last]}`].sort());

    const [earliestAfter, fromStart] = await Promise.all([
      runTool("kafka-get-offsets", [...bs(), "--topic", topic, "--time", "-2"]),
      runTool("kafka-console-consumer", [...bs(), "--topic", topic, "--from-beginning", "--max-messages", String(PRODUCED.length - 1 - (ends[last] ?? 0)), "--timeout-ms", "20000", ...CONSUMER_PRINT]),
    ]);
    const other = [0, 1, 2].find((p) => p !== trimmed && p !== last)!;
    expect(parseOffsets(earliestAfter.stdout, topic)).toEqual({ [trimmed!]: 1, [last]: ends[last], [other]: 0 });
    const expected = new Map(byPartition(firstRead));
    expected.set(trimmed!, expected.get(trimmed!)!.slice(1));
    expected.delete(last);
    expect(byPartition(parseConsumed(fromStart.stdout))).toEqual(expected);
  }, STEP_TIMEOUT_MS);
});

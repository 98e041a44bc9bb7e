// kcat (librdkafka's command-line client) against the hub's broker and, as the reference,
// Apache Kafka: metadata (-L -J), 100,000 keyed lines produced (-P) and read back (-C -e) with
// per-partition order, every compression codec, and two balanced consumers (-G) sharing a
// topic's partitions in one group.
import { execFile, spawn, type ChildProcessByStdio } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTarget, TARGETS, type InteropTarget } from "../../support/interop-targets.ts";

interface RunResult {
  stdout: string;
  stderr: string;
}

/** Runs kcat to completion, failing with its stderr on a non-zero exit or a timeout. */
function kcat(args: string[], timeoutMs = 60_000): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile("kcat", args, { timeout: timeoutMs, killSignal: "SIGKILL", maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`kcat ${args.join(" ")} failed: ${error.message}\n${stderr.slice(-4000)}`));
      else resolve({ stdout, stderr });
    });
  });
}

const waitUntil = async (pred: () => boolean, what: () => string, timeoutMs: number): Promise<void> => {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

/** A `kcat -G` balanced consumer: its records (partition, value) and its current assignment. */
class GroupMember {
  readonly records: Array<{ partition: number; value: string }> = [];
  assigned: number[] = [];
  stderr = "";
  private readonly child: ChildProcessByStdio<null, Readable, Readable>;
  private readonly exited: Promise<number | null>;

  constructor(bootstrap: string, group: string, topic: string) {
    this.child = spawn(
      "kcat",
      ["-G", group, "-b", bootstrap, "-u", "-f", "%p\t%s\n",
        "-X", "auto.offset.reset=earliest", "-X", "session.timeout.ms=10000", "-X", "heartbeat.interval.ms=500", topic],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    this.exited = new Promise((resolve) => this.child.once("exit", (code) => resolve(code)));
    let out = "";
    this.child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
      const lines = out.split("\n");
      out = lines.pop() ?? "";
      for (const line of lines) {
        const tab = line.indexOf("\t");
        this.records.push({ partition: Number(line.slice(0, tab)), value: line.slice(tab + 1) });
      }
    });
    let err = "";
    this.child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      this.stderr += chunk;
      err += chunk;
      const lines = err.split("\n");
      err = lines.pop() ?? "";
      for (const line of lines) {
        // "% Group G rebalanced (memberid M): assigned: t [0], t [1]" (or "revoked: ...")
        const m = /rebalanced \(memberid [^)]*\): (assigned|revoked): (.*)$/.exec(line);
        if (!m) continue;
        this.assigned = m[1] === "revoked" ? [] : [...(m[2] ?? "").matchAll(/\[(\d+)\]/g)].map((p) => Number(p[1])).sort((a, b) => a - b);
      }
    });
  }

  /** SIGTERM: kcat closes its consumer (committing offsets, leaving the group) and exits. */
  async stop(): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 15_000);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }
}

describe.each(TARGETS)("kcat against %s", (targetName) => {
  let target: InteropTarget;
  let workDir: string;
  const members: GroupMember[] = [];

  beforeAll(async () => {
    target = await openTarget(targetName);
    workDir = await mkdtemp(join(tmpdir(), "hub-kcat-"));
  });
  afterAll(async () => {
    for (const m of members) await m.stop();
    await target?.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it("lists brokers, topics and partitions (-L -J)", async () => {
    const topic = target.unique("kcat-meta");
    await target.createTopic(topic, 3);
    const { stdout } = await kcat(["-L", "-J", "-b", target.bootstrap, "-t", topic]);
    const meta = JSON.parse(stdout) as {
      controllerid: number;
      brokers: Array<{ id: number; name: string }>;
      topics: Array<{ topic: string; error?: string; partitions: Array<{ partition: number; leader: number; replicas: Array<{ id: number }>; isrs: Array<{ id: number }>; error?: string }> }>;
    };
    expect(meta.brokers).toHaveLength(1);
    const id = meta.brokers[0]?.id ?? -1;
    expect(meta.brokers[0]?.name).toBe(target.bootstrap);
    expect(meta.controllerid).toBe(id);
    expect(meta.topics).toEqual([
      {
        topic,
        partitions: [0, 1, 2].map((partition) => ({ partition, leader: id, replicas: [{ id }], isrs: [{ id }] })),
      },
    ]);

    // Without -t: every topic, ours among them.
    const all = JSON.parse((await kcat(["-L", "-J", "-b", target.bootstrap])).stdout) as typeof meta;
    expect(all.topics.find((t) => t.topic === topic)?.partitions).toHaveLength(3);
  });

  it("produces 100,000 keyed lines from a file and reads them all back in per-partition order", async () => {
    const topic = target.unique("kcat-bulk");
    await target.createTopic(topic, 3);
    const count = 100_000;
    const keys = 16;
    const input = Array.from({ length: count }, (_, i) => `k${i % keys}\tline-${String(i).padStart(6, "0")}-${(i * 2654435761) % 1000003}`);
    const file = join(workDir, `${topic}.txt`);
    await writeFile(file, input.join("\n") + "\n");
    await kcat(["-P", "-b", target.bootstrap, "-t", topic, "-K", "\t", "-X", "acks=all", "-l", file]);

    const { stdout } = await kcat(["-C", "-b", target.bootstrap, "-t", topic, "-o", "beginning", "-e", "-q", "-f", "%p\t%o\t%k\t%s\n"]);
    const read = stdout.split("\n").slice(0, -1).map((line) => {
      const [p, o, k, v] = line.split("\t");
      return { partition: Number(p), offset: Number(o), key: k ?? "", value: v ?? "" };
    });
    expect(read).toHaveLength(count);
    expect(read.map((r) => `${r.key}\t${r.value}`).sort()).toEqual([...input].sort());

    const byPartition = new Map<number, typeof read>();
    for (const r of read) {
      const records = byPartition.get(r.partition) ?? [];
      records.push(r);
      byPartition.set(r.partition, records);
    }
    expect([...byPartition.keys()].sort()).toEqual([0, 1, 2]);
    const partitionOfKey = new Map<string, number>();
    for (const [partition, records] of byPartition) {
      // Offsets 0..n-1 with no gap, and the file's order kept within the partition.
      expect(records.map((r) => r.offset)).toEqual(records.map((_, i) => i));
      const sequence = records.map((r) => Number(r.value.slice(5, 11)));
      expect(sequence.every((n, i) => i === 0 || n > (sequence[i - 1] ?? -1))).toBe(true);
      for (const r of records) {
        expect(partitionOfKey.get(r.key) ?? partition).toBe(partition);
        partitionOfKey.set(r.key, partition);
      }
    }
    expect(partitionOfKey.size).toBe(keys);
    const ends = await target.endOffsets(topic);
    expect([...ends.entries()].sort()).toEqual([...byPartition.entries()].map(([p, records]) => [p, BigInt(records.length)]).sort());
  });

  it.each(["gzip", "snappy", "lz4", "zstd"])("produces and reads back %s-compressed batches", async (codec) => {
    const topic = target.unique(`kcat-${codec}`);
    await target.createTopic(topic, 1);
    const lines = Array.from({ length: 2000 }, (_, i) => `${codec} record ${i} ${"abc".repeat(i % 20)}`);
    const file = join(workDir, `${topic}.txt`);
    await writeFile(file, lines.join("\n") + "\n");
    const produced = await kcat(["-P", "-b", target.bootstrap, "-t", topic, "-z", codec, "-d", "msg", "-l", file]);
    // librdkafka falls back to uncompressed batches when it thinks the broker cannot take the
    // codec (it reads that from ApiVersions), so check what it actually sent. It also sends a
    // one-record batch uncompressed when compressing would not make it smaller (seen against
    // Apache Kafka too), so only batches of several records must be compressed...
    expect(produced.stderr).toMatch(new RegExp(`Produce MessageSet with \\d+ message\\(s\\) .*, ${codec}\\)`));
    expect(produced.stderr).not.toMatch(/Produce MessageSet with (?!1 message)\d+ message\(s\) .*, uncompressed\)/);
    // ...and that the fetched batches are still compressed with it.
    const { stdout, stderr } = await kcat(["-C", "-b", target.bootstrap, "-t", topic, "-o", "beginning", "-e", "-q", "-d", "fetch"]);
    expect(stderr).toMatch(new RegExp(`Enqueue \\d+ message\\(s\\) .*, ${codec}\\)`));
    expect(stdout).toBe(lines.join("\n") + "\n");
  });

  it("splits a 4-partition topic between two -G consumers of one group, every record read once", async () => {
    const topic = target.unique("kcat-group");
    const group = target.unique("kcat-group");
    await target.createTopic(topic, 4);
    const a = new GroupMember(target.bootstrap, group, topic);
    const b = new GroupMember(target.bootstrap, group, topic);
    members.push(a, b);
    const describeMembers = (): string => `assignments a=${JSON.stringify(a.assigned)} b=${JSON.stringify(b.assigned)}\n--- a:\n${a.stderr}\n--- b:\n${b.stderr}`;
    await waitUntil(
      () => a.assigned.length > 0 && b.assigned.length > 0 && [...a.assigned, ...b.assigned].sort().join() === "0,1,2,3",
      () => `both members to share the 4 partitions; ${describeMembers()}`,
      45_000,
    );
    const assigned = new Map([[a, a.assigned], [b, b.assigned]]);
    expect(a.assigned.filter((p) => b.assigned.includes(p))).toEqual([]);

    const count = 20_000;
    const values = Array.from({ length: count }, (_, i) => `value-${i}`);
    const file = join(workDir, `${topic}.txt`);
    await writeFile(file, values.map((v, i) => `key-${i}\t${v}`).join("\n") + "\n");
    await kcat(["-P", "-b", target.bootstrap, "-t", topic, "-K", "\t", "-l", file]);
    await waitUntil(() => a.records.length + b.records.length >= count, () => `${count} records (a=${a.records.length}, b=${b.records.length})`, 30_000);
    // Each member stops cleanly (committing what it read) before the assertions.
    expect(await a.stop()).toBe(0);
    expect(await b.stop()).toBe(0);

    // Each member read exactly the partitions it was assigned (no rebalance since).
    for (const m of [a, b]) {
      expect([...new Set(m.records.map((r) => r.partition))].sort()).toEqual(assigned.get(m));
    }
    const all = [...a.records, ...b.records].map((r) => r.value);
    expect(all).toHaveLength(count);
    expect(all.sort()).toEqual([...values].sort());

    const committed = await target.committedOffsets(group, topic);
    expect([...committed.entries()].sort()).toEqual([...(await target.endOffsets(topic)).entries()].sort());
  }, 120_000);
});

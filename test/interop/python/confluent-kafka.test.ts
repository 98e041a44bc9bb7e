// Python's confluent-kafka (librdkafka inside its wheel; provisioned in .venv by
// `test/services/up clients`) against the hub's broker and, as the reference, Apache Kafka:
// an idempotent producer with headers and a committing group consumer (roundtrip.py), and two
// consumers of one group splitting a topic's partitions (group_split.py).
import { execFile } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTarget, TARGETS, type InteropTarget } from "../../support/interop-targets.ts";

const root = join(import.meta.dirname, "../../..");
const python = join(root, ".venv/bin/python");

function runScript(script: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(python, [join(import.meta.dirname, script), ...args], { timeout: 150_000, killSignal: "SIGKILL", maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${script} failed: ${error.message}\n${stderr.slice(-4000)}\n(is the client installed? run: test/services/up clients)`));
      else resolve(stdout);
    });
  });
}

describe.each(TARGETS)("Python confluent-kafka against %s", (targetName) => {
  let target: InteropTarget;
  beforeAll(async () => {
    target = await openTarget(targetName);
  });
  afterAll(async () => {
    await target?.close();
  });

  it("round-trips records with headers through an idempotent producer and a committing group consumer", async () => {
    const topic = target.unique("py-roundtrip");
    const stdout = await runScript("roundtrip.py", [target.bootstrap, topic, "200", target.unique("py-roundtrip")]);
    const result = JSON.parse(stdout) as { delivered: number; committed: number; records: Array<{ key: string; value: string; headers: string[][] }> };
    expect(result.delivered).toBe(200);
    expect(result.records).toHaveLength(200);
    expect(result.records.map((r) => r.value).sort()).toEqual(Array.from({ length: 200 }, (_, i) => `v${i}`).sort());
    for (const r of result.records) expect(r).toEqual({ key: `k${r.value.slice(1)}`, value: r.value, headers: [["n", r.value.slice(1)]] });
    expect(result.committed).toBe(200);
  }, 160_000);

  it("splits a 4-partition topic between two consumers of one group, every record read once", async () => {
    const topic = target.unique("py-split");
    const group = target.unique("py-split");
    const count = 5000;
    const stdout = await runScript("group_split.py", [target.bootstrap, topic, "4", String(count), group]);
    const result = JSON.parse(stdout) as {
      assigned: number[][];
      records: Array<Array<{ partition: number; offset: number; key: string; value: string }>>;
      committed: Record<string, number>;
    };
    const [a = [], b = []] = result.assigned;
    expect(a.length).toBeGreaterThan(0);
    expect(b.length).toBeGreaterThan(0);
    expect([...a, ...b].sort()).toEqual([0, 1, 2, 3]);
    result.records.forEach((records, i) => {
      expect([...new Set(records.map((r) => r.partition))].sort()).toEqual(result.assigned[i]);
    });
    const all = result.records.flat();
    expect(all).toHaveLength(count);
    expect(all.map((r) => r.value).sort()).toEqual(Array.from({ length: count }, (_, i) => `value-${i}`).sort());
    for (const r of all) expect(r.key).toBe(`key-${r.value.slice(6)}`);
    // Offsets within each partition are 0..n-1, read in order.
    const byPartition = new Map<number, number[]>();
    for (const r of all) byPartition.set(r.partition, [...(byPartition.get(r.partition) ?? []), r.offset]);
    for (const offsets of byPartition.values()) expect(offsets).toEqual(offsets.map((_, i) => i));
    // The commits cover everything read, as the broker reports them.
    const ends = await target.endOffsets(topic);
    expect(Object.fromEntries(Object.entries(result.committed).map(([p, o]) => [p, BigInt(o)]))).toEqual(Object.fromEntries(ends));
    expect(Object.fromEntries(await target.committedOffsets(group, topic))).toEqual(Object.fromEntries(ends));
  }, 160_000);
});

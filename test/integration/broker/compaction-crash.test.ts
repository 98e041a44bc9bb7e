// A SIGKILL mid-clean loses nothing: a child process (test/support/cleaner-child.ts) cleans a
// copy of a compacted partition and is killed, either at random moments of the clean (the
// worker reading and writing, or the swap) or at chosen steps of the swap; after each kill the
// directory is opened again, as a restarted broker would, and every group of segments the
// cleaner rewrote must be either wholly old or wholly new, the state a consumer rebuilds from
// the beginning must be the latest value of every key, no `.cleaned`/`.swap` file may remain,
// and a following clean must reach the same log as a clean that was never interrupted.
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LogCleaner } from "../../../broker/log/cleaner/log-cleaner.ts";
import { DEFAULT_LOG_CONFIG } from "../../../broker/log/log-config.ts";
import { LogManager } from "../../../broker/log/log-manager.ts";
import { expectedState, live, readBack, stateOf, writeUpdates, type ReadBack } from "../../support/log-compaction.ts";

const CHILD = fileURLToPath(new URL("../../support/cleaner-child.ts", import.meta.url));
const TOPIC = "crash-compacted";
const T0 = 1_760_000_000_000n;

interface ChildRun {
  killed: boolean;
  /** ms from "cleaning" to the exit (or kill). */
  ms: number;
  out: string;
}

/** Runs the child on `logDir`; kills it `killAfterMs` after it starts cleaning, if given. */
function runChild(logDir: string, options: { killAt?: string; killAfterMs?: number } = {}): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, logDir, ...(options.killAt ? [options.killAt] : [])], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    let startedAt = 0;
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (!startedAt && out.includes("cleaning\n")) {
        startedAt = performance.now();
        if (options.killAfterMs !== undefined) setTimeout(() => child.kill("SIGKILL"), options.killAfterMs);
      }
    });
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (signal === "SIGKILL") resolve({ killed: true, ms: performance.now() - startedAt, out });
      else if (code === 0) resolve({ killed: false, ms: performance.now() - startedAt, out });
      else reject(new Error(`cleaner child exited with ${code}: ${err}`));
    });
  });
}

const json = (records: ReadBack["records"]) => JSON.stringify(records, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
const slice = (records: ReadBack["records"], from: bigint, to: bigint) => records.filter((r) => r.offset >= from && r.offset < to);

describe("SIGKILL while the cleaner compacts a partition", () => {
  let root: string;
  let pristine: string;
  let before: ReadBack;
  let expected: Map<string, string>;
  let reference: { records: ReadBack["records"]; bounds: bigint[]; cleanMs: number };
  let runs = 0;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "hub-cleaner-crash-"));
    pristine = join(root, "pristine");
    const logs = LogManager.open({ logDirs: [pristine], defaults: { ...DEFAULT_LOG_CONFIG } });
    logs.createTopic(TOPIC, 1, { "cleanup.policy": "compact", "min.cleanable.dirty.ratio": "0.01", "segment.bytes": String(128 * 1024), "delete.retention.ms": "86400000" });
    const log = logs.log(TOPIC, 0)!;
    const { latest } = writeUpdates(log, { keys: 6_000, updates: 100_000, batchSize: 250, tombstoneEvery: 23, startTimestamp: T0, valueBytes: 24 });
    logs.setTopicConfigs(TOPIC, { ...logs.topic(TOPIC)!.configs, "segment.ms": "1" });
    writeUpdates(log, { keys: 1, updates: 1, keyPrefix: "roller", startTimestamp: T0 + 1_000_000n }, latest);
    logs.setTopicConfigs(TOPIC, { ...logs.topic(TOPIC)!.configs, "segment.ms": "604800000" });
    before = readBack(log);
    expected = expectedState(latest);
    logs.close();

    // An uninterrupted clean in a child, for the outcome and its duration.
    const dir = copy();
    const run = await runChild(dir);
    expect(run.killed).toBe(false);
    const after = LogManager.open({ logDirs: [dir], defaults: { ...DEFAULT_LOG_CONFIG } });
    const cleaned = after.log(TOPIC, 0)!;
    // The clean itself, as the child measured it (its start-up and shutdown are not in it).
    const summaries = JSON.parse(run.out.slice(run.out.indexOf("done ") + 5)) as Array<{ ms: number }>;
    reference = { records: readBack(cleaned).records, bounds: cleaned.segments.map((s) => s.baseOffset), cleanMs: summaries.reduce((n, s) => n + s.ms, 0) };
    after.close();
    rmSync(dir, { recursive: true, force: true });
    expect(reference.bounds.length).toBeGreaterThan(4);
  }, 120_000);

  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  function copy(): string {
    const dir = join(root, `run-${runs++}`);
    cpSync(pristine, dir, { recursive: true });
    return dir;
  }

  /** Reopens a killed child's directory and checks everything the header comment promises. */
  async function verify(dir: string): Promise<{ newGroups: number }> {
    const logs = LogManager.open({ logDirs: [dir], defaults: { ...DEFAULT_LOG_CONFIG } });
    try {
      const log = logs.log(TOPIC, 0)!;
      expect(readdirSync(log.dir).filter((n) => /\.(cleaned|swap)$|cleaner-swap/.test(n))).toEqual([]);
      const got = readBack(log).records;
      let newGroups = 0;
      for (let i = 0; i + 1 < reference.bounds.length; i++) {
        const from = reference.bounds[i]!;
        const to = reference.bounds[i + 1]!;
        const mine = json(slice(got, from, to));
        const isNew = mine === json(slice(reference.records, from, to));
        const isOld = mine === json(slice(before.records, from, to));
        expect(isNew || isOld, `group ${i} [${from}, ${to}) is neither old nor new`).toBe(true);
        if (isNew && !isOld) newGroups++;
      }
      expect(live(stateOf(got))).toEqual(expected);
      await new LogCleaner({ logs, inProcess: true }).cleanAll();
      expect(json(readBack(log).records)).toBe(json(reference.records));
      return { newGroups };
    } finally {
      logs.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it("at chosen steps of the swap", { timeout: 120_000 }, async () => {
    const groups = reference.bounds.length - 1;
    const middle = Math.floor(groups / 2);
    const points: Array<[string, number]> = [
      ["swap-renamed:0", 0],
      [`swap-renamed:${middle}`, middle],
      [`committed:0`, groups],
      [`old-moved:${middle}`, groups],
      [`replaced:0`, groups],
      [`replaced:${groups - 1}`, groups],
      [`done:${groups - 1}`, groups],
    ];
    for (const [killAt, newGroups] of points) {
      const dir = copy();
      const run = await runChild(dir, { killAt });
      expect(run.killed, killAt).toBe(true);
      expect((await verify(dir)).newGroups, killAt).toBe(newGroups);
    }
  });

  it("at random moments of the clean", { timeout: 240_000 }, async () => {
    const kills = 8;
    const maxRuns = 24;
    const outcomes: string[] = [];
    const killed = (): number => outcomes.filter((o) => o.includes("killed")).length;
    // Spread over the whole clean and past it: most kills land while the worker reads and
    // writes, some in or after the swap. The child's timing varies with the machine's load, so
    // runs continue (up to maxRuns) until half of the planned kills landed mid-clean.
    for (let i = 0; i < maxRuns && (outcomes.length < kills || killed() < kills / 2); i++) {
      const dir = copy();
      const window = i < kills ? 1.6 : 0.8;
      const at = Math.round(reference.cleanMs * (((i % kills) + Math.random()) / kills) * window);
      const run = await runChild(dir, { killAfterMs: at });
      const { newGroups } = await verify(dir);
      outcomes.push(`${at}ms:${run.killed ? "killed" : "finished"}:${newGroups}`);
    }
    console.log(`cleaner SIGKILLs (clean takes ~${Math.round(reference.cleanMs)} ms): ${outcomes.join(" ")}`);
    expect(killed()).toBeGreaterThanOrEqual(kills / 2);
  });
});

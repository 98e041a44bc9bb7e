// The cleaner's swap is crash-safe: stopped at every step of commitSwap (an exception thrown
// from the step hook, after which the process state is abandoned as a crash would, and the
// directory reopened), each group of segments comes back either wholly old or wholly new,
// nothing is lost, and a later clean finishes the job. The SIGKILL version of this, with a
// real process, is test/integration/broker/compaction-crash.test.ts.
import { existsSync, readdirSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LogCleaner } from "../../../../../broker/log/cleaner/log-cleaner.ts";
import { SWAP_MANIFEST_FILE, type SwapStep } from "../../../../../broker/log/cleaner/swap.ts";
import { DEFAULT_LOG_CONFIG } from "../../../../../broker/log/log-config.ts";
import { LogManager } from "../../../../../broker/log/log-manager.ts";
import type { PartitionLog } from "../../../../../broker/log/partition-log.ts";
import { tempDir } from "../batch-helper.ts";
import { expectedState, live, readBack, stateOf, writeUpdates, type ReadBack, type Written } from "../../../../support/log-compaction.ts";

const TOPIC = "swapped";
const T0 = 1_750_000_000_000n;

class Crash extends Error {}

let tmp: { dir: string; cleanup: () => void };
let run = 0;

beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

interface Prepared {
  logDir: string;
  logs: LogManager;
  log: PartitionLog;
  latest: Map<string, Written>;
  before: ReadBack;
}

/** The same log every time: small segments (so a clean has several groups), then a roll. */
function prepare(): Prepared {
  const logDir = join(tmp.dir, `logs-${run++}`);
  const logs = LogManager.open({ logDirs: [logDir], defaults: { ...DEFAULT_LOG_CONFIG } });
  logs.createTopic(TOPIC, 1, { "cleanup.policy": "compact", "min.cleanable.dirty.ratio": "0.01", "segment.bytes": "16384" });
  const log = logs.log(TOPIC, 0)!;
  const { latest } = writeUpdates(log, { keys: 150, updates: 6_000, batchSize: 25, tombstoneEvery: 11, startTimestamp: T0 });
  logs.setTopicConfigs(TOPIC, { ...logs.topic(TOPIC)!.configs, "segment.ms": "1" });
  writeUpdates(log, { keys: 1, updates: 1, keyPrefix: "roller", startTimestamp: T0 + 100_000n }, latest);
  return { logDir, logs, log, latest, before: readBack(log) };
}

function leftovers(dir: string): string[] {
  return readdirSync(dir).filter((n) => /\.(cleaned|swap|deleted)$/.test(n) || n.startsWith(SWAP_MANIFEST_FILE));
}

const json = (records: ReadBack["records"]) => JSON.stringify(records, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));

/** The records of [from, to). */
function slice(records: ReadBack["records"], from: bigint, to: bigint): ReadBack["records"] {
  return records.filter((r) => r.offset >= from && r.offset < to);
}

describe("cleaner swap crash safety", () => {
  // The outcome of an uninterrupted clean: the new content and where its groups start and end.
  let reference: { records: ReadBack["records"]; bounds: bigint[]; groups: number } | undefined;

  async function getReference() {
    if (reference) return reference;
    const p = prepare();
    const summaries = await new LogCleaner({ logs: p.logs, inProcess: true }).cleanAll();
    expect(summaries).toHaveLength(1);
    const bounds = p.log.segments.map((s) => s.baseOffset);
    reference = { records: readBack(p.log).records, bounds, groups: bounds.length - 1 };
    p.logs.close();
    return reference;
  }

  const points: Array<[SwapStep, "first" | "middle" | "last"]> = [];
  for (const step of ["swap-renamed", "committed", "old-moved", "replaced", "done"] as SwapStep[]) {
    for (const which of ["first", "middle", "last"] as const) if (step !== "done" || which === "last") points.push([step, which]);
  }

  it.each(points)("a crash at %s of the %s group leaves each group old or new, and loses nothing", async (step, which) => {
    const ref = await getReference();
    expect(ref.groups).toBeGreaterThan(3);
    const group = which === "first" ? 0 : which === "middle" ? Math.floor(ref.groups / 2) : ref.groups - 1;
    const p = prepare();
    const cleaner = new LogCleaner({
      logs: p.logs,
      inProcess: true,
      onSwapStep: (s, g) => {
        if (s === step && g === group) throw new Crash(`${s}@${g}`);
      },
    });
    await expect(cleaner.cleanOnce()).rejects.toBeInstanceOf(Crash);

    // "Restart": the old LogManager is abandoned as a crash would leave it.
    const logs = LogManager.open({ logDirs: [p.logDir], defaults: { ...DEFAULT_LOG_CONFIG } });
    try {
      const log = logs.log(TOPIC, 0)!;
      expect(leftovers(log.dir)).toEqual([]);
      const got = readBack(log).records;
      let newGroups = 0;
      for (let i = 0; i < ref.groups; i++) {
        const from = ref.bounds[i]!;
        const to = ref.bounds[i + 1]!;
        const mine = slice(got, from, to);
        const isNew = json(mine) === json(slice(ref.records, from, to));
        const isOld = json(mine) === json(slice(p.before.records, from, to));
        expect(isNew || isOld, `group ${i} [${from}, ${to}) is neither the old nor the new content`).toBe(true);
        if (isNew && !isOld) newGroups++;
      }
      // Before the commit point of a group nothing of it is new; after it, all of it is.
      const committed = step === "swap-renamed" ? group : ref.groups;
      expect(newGroups).toBe(committed);
      expect(live(stateOf(got))).toEqual(expectedState(p.latest));

      // The next clean finishes the job.
      await new LogCleaner({ logs, inProcess: true }).cleanAll();
      const final = readBack(log).records;
      expect(live(stateOf(final))).toEqual(expectedState(p.latest));
      expect(json(final)).toBe(json(ref.records));
    } finally {
      logs.close();
    }
  });

  it("rolls back cleaned files left without a manifest (a crash while the worker wrote them)", async () => {
    const p = prepare();
    const cleaner = new LogCleaner({
      logs: p.logs,
      inProcess: true,
      onSwapStep: () => {
        throw new Crash("before any rename");
      },
    });
    await expect(cleaner.cleanOnce()).rejects.toBeInstanceOf(Crash);
    const manifest = join(p.log.dir, SWAP_MANIFEST_FILE);
    expect(existsSync(manifest)).toBe(true);
    unlinkSync(manifest);
    expect(readdirSync(p.log.dir).some((n) => n.endsWith(".cleaned") || n.endsWith(".swap"))).toBe(true);
    const logs = LogManager.open({ logDirs: [p.logDir], defaults: { ...DEFAULT_LOG_CONFIG } });
    try {
      const log = logs.log(TOPIC, 0)!;
      expect(leftovers(log.dir)).toEqual([]);
      expect(readBack(log).records).toEqual(p.before.records);
    } finally {
      logs.close();
    }
  });
});

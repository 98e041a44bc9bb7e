// Replacing cleaned segments, crash-safely: after a crash at any point the partition holds,
// for every group of segments the cleaner rewrote, either all the old segments or the one new
// segment, never a mix. The files (Kafka's suffixes):
//
//   <base>.log.cleaned  .index.cleaned  .timeindex.cleaned   written and fsynced by the worker
//   cleaner-swap.json                                        ours: which old segments each new one
//                                                            replaces, written atomically by the
//                                                            worker once every .cleaned file is durable
//   <base>.log.swap     .index.swap     .timeindex.swap      renamed from .cleaned by commitSwap;
//                                                            the rename of the .log is the group's
//                                                            commit point (indexes go first)
//   <old>.log.deleted ...                                    old segments moved aside, removed later
//
// commitSwap, per group: rename the index files and then the log from .cleaned to .swap; fsync
// the directory; rename every old segment's files to .deleted; rename the .swap files to their
// final names (indexes first); fsync the directory. Then the manifest goes.
//
// recoverSwap (on open, before the segments are listed) reads the manifest, if any, and for each
// group: a `<base>.log.swap` means the group committed, so it is rolled forward (old segments
// moved aside, the .swap files renamed); otherwise the group is rolled back (its .cleaned and
// index .swap files removed; the old segments were never touched). Each step is idempotent, so
// a crash during recovery is recovered the same way. `.deleted` files are removed afterwards.
//
// Kafka infers the replaced segments from the swap segment's offset range; the manifest names
// them instead, because a cleaned segment may end below the next old segment's base offset (its
// last records were superseded) and a range would then leave that old segment behind.
import { existsSync, readdirSync, readFileSync, renameSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "../../../lib/logger.ts";
import { fsyncDir, writeFileAtomic } from "../fs-util.ts";
import { INDEX_SUFFIX, LOG_SUFFIX, segmentFileName, TIME_INDEX_SUFFIX } from "../segment.ts";

export const SWAP_MANIFEST_FILE = "cleaner-swap.json";
export const CLEANED_SUFFIX = ".cleaned";
export const SWAP_SUFFIX = ".swap";
export const DELETED_SUFFIX = ".deleted";

/** One new segment and the old segments (base offsets, oldest first) it replaces. */
export interface SwapGroup {
  base: bigint;
  replaced: bigint[];
}

/** Index files before the log: a `.log.swap` then always has its indexes in place. */
const FILE_SUFFIXES = [INDEX_SUFFIX, TIME_INDEX_SUFFIX, LOG_SUFFIX] as const;

interface ManifestFile {
  version: 1;
  groups: Array<{ base: string; replaced: string[] }>;
}

function fileOf(dir: string, base: bigint, suffix: string, extra = ""): string {
  return join(dir, segmentFileName(base, suffix) + extra);
}

function renameIfExists(from: string, to: string): boolean {
  try {
    renameSync(from, to);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw err;
  }
}

function unlinkIfExists(path: string): void {
  try {
    unlinkSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
}

/** Written by the worker once every `.cleaned` file of the groups is fsynced. */
export function writeSwapManifest(dir: string, groups: readonly SwapGroup[]): void {
  const manifest: ManifestFile = { version: 1, groups: groups.map((g) => ({ base: g.base.toString(), replaced: g.replaced.map(String) })) };
  writeFileAtomic(join(dir, SWAP_MANIFEST_FILE), JSON.stringify(manifest) + "\n");
}

function readSwapManifest(dir: string, logger: Logger | undefined): SwapGroup[] | undefined {
  const path = join(dir, SWAP_MANIFEST_FILE);
  if (!existsSync(path)) return undefined;
  try {
    const file = JSON.parse(readFileSync(path, "utf8")) as ManifestFile;
    return file.groups.map((g) => ({ base: BigInt(g.base), replaced: g.replaced.map((r) => BigInt(r)) }));
  } catch (err) {
    // writeFileAtomic never leaves a torn manifest; an unreadable one is not ours to trust.
    logger?.error({ path, err: (err as Error).message }, "unreadable cleaner swap manifest: rolling back every cleaned segment");
    return [];
  }
}

/** The step names commitSwap reports, in order, per group (for crash tests). */
export type SwapStep = "swap-renamed" | "committed" | "old-moved" | "replaced" | "done";

/**
 * Commits the groups written by the worker (see the header comment). `onStep` runs after each
 * step; tests use it to stop the process at every point of the sequence.
 */
export function commitSwap(dir: string, groups: readonly SwapGroup[], onStep?: (step: SwapStep, group: number) => void): void {
  groups.forEach((g, i) => {
    for (const suffix of FILE_SUFFIXES) {
      if (suffix === LOG_SUFFIX) onStep?.("swap-renamed", i);
      renameSync(fileOf(dir, g.base, suffix, CLEANED_SUFFIX), fileOf(dir, g.base, suffix, SWAP_SUFFIX));
    }
  });
  // Commit points must be durable before an old segment goes.
  fsyncDir(dir);
  groups.forEach((g, i) => onStep?.("committed", i));
  groups.forEach((g, i) => {
    for (const old of g.replaced) {
      for (const suffix of FILE_SUFFIXES) renameIfExists(fileOf(dir, old, suffix), fileOf(dir, old, suffix, DELETED_SUFFIX));
    }
    onStep?.("old-moved", i);
    for (const suffix of FILE_SUFFIXES) renameSync(fileOf(dir, g.base, suffix, SWAP_SUFFIX), fileOf(dir, g.base, suffix));
    onStep?.("replaced", i);
  });
  fsyncDir(dir);
  unlinkIfExists(join(dir, SWAP_MANIFEST_FILE));
  onStep?.("done", groups.length - 1);
}

/**
 * Abandons a clean that was not committed: every `.cleaned` file (one partition is cleaned at
 * a time, so they are all that clean's) and the manifest go. Nothing when the directory is gone.
 */
export function discardCleaned(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
    throw err;
  }
  for (const name of names) if (name.endsWith(CLEANED_SUFFIX)) unlinkIfExists(join(dir, name));
  unlinkIfExists(join(dir, SWAP_MANIFEST_FILE));
}

export interface SwapRecovery {
  rolledForward: number;
  rolledBack: number;
}

/**
 * Finishes or undoes a swap a crash interrupted (see the header comment). Runs before the
 * partition's segments are listed; leaves no `.cleaned`, `.swap` or `.deleted` file behind.
 */
export function recoverSwap(dir: string, logger?: Logger): SwapRecovery {
  const result: SwapRecovery = { rolledForward: 0, rolledBack: 0 };
  if (!existsSync(dir)) return result;
  const groups = readSwapManifest(dir, logger);
  if (groups) {
    for (const g of groups) {
      if (existsSync(fileOf(dir, g.base, LOG_SUFFIX, SWAP_SUFFIX))) {
        for (const old of g.replaced) {
          for (const suffix of FILE_SUFFIXES) {
            // The new segment's own name: its old file goes aside only while the new one waits
            // as .swap (once renamed, the file under the final name is the new one).
            if (old === g.base && !existsSync(fileOf(dir, g.base, suffix, SWAP_SUFFIX))) continue;
            renameIfExists(fileOf(dir, old, suffix), fileOf(dir, old, suffix, DELETED_SUFFIX));
          }
        }
        for (const suffix of FILE_SUFFIXES) renameIfExists(fileOf(dir, g.base, suffix, SWAP_SUFFIX), fileOf(dir, g.base, suffix));
        result.rolledForward++;
        logger?.warn({ dir, segment: g.base.toString(), replaced: g.replaced.map(String) }, "completed a cleaner swap interrupted by a crash");
      } else {
        let found = false;
        for (const suffix of FILE_SUFFIXES) {
          for (const extra of [CLEANED_SUFFIX, SWAP_SUFFIX]) {
            const path = fileOf(dir, g.base, suffix, extra);
            if (existsSync(path)) {
              found = true;
              unlinkSync(path);
            }
          }
        }
        if (found) {
          result.rolledBack++;
          logger?.warn({ dir, segment: g.base.toString() }, "rolled back a cleaner swap interrupted by a crash (the old segments stay)");
        }
      }
    }
    fsyncDir(dir);
    unlinkIfExists(join(dir, SWAP_MANIFEST_FILE));
  }
  // Without a manifest nothing was committed: any .cleaned/.swap file is a leftover.
  for (const name of readdirSync(dir)) {
    if (name.endsWith(CLEANED_SUFFIX) || name.endsWith(SWAP_SUFFIX) || name.endsWith(DELETED_SUFFIX) || name === `${SWAP_MANIFEST_FILE}.tmp`) {
      unlinkIfExists(join(dir, name));
    }
  }
  return result;
}

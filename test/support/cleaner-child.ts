// A process that cleans a log directory once, for crash tests that SIGKILL it part-way:
//
//   node test/support/cleaner-child.ts <log.dir> [<swap step>:<group>]
//
// It opens the directory as the broker would, prints "cleaning" and runs the cleaner (in its
// worker thread) until no partition needs it, then prints "done <json summaries>" and exits.
// With a step (swap.ts SwapStep) and a group index, it SIGKILLs itself at that point of the
// swap instead, to land a kill exactly between two renames. With HUB_CODE=dist it runs the
// compiled tree (dist/, what ./hub runs) instead of the TypeScript sources.
import type * as CleanerModule from "../../broker/log/cleaner/log-cleaner.ts";
import type * as ConfigModule from "../../broker/log/log-config.ts";
import type * as ManagerModule from "../../broker/log/log-manager.ts";

const code = process.env.HUB_CODE === "dist" ? { root: "../../dist/", ext: "js" } : { root: "../../", ext: "ts" };
const load = <T>(path: string): Promise<T> => import(new URL(`${code.root}${path}.${code.ext}`, import.meta.url).href) as Promise<T>;
const { LogCleaner } = await load<typeof CleanerModule>("broker/log/cleaner/log-cleaner");
const { DEFAULT_LOG_CONFIG } = await load<typeof ConfigModule>("broker/log/log-config");
const { LogManager } = await load<typeof ManagerModule>("broker/log/log-manager");

const [logDir, killAt] = process.argv.slice(2);
if (!logDir) throw new Error("usage: cleaner-child.ts <log.dir> [<step>:<group>]");
const logs = LogManager.open({ logDirs: [logDir], defaults: { ...DEFAULT_LOG_CONFIG } });
const cleaner = new LogCleaner({
  logs,
  ...(killAt
    ? {
        onSwapStep: (step: string, group: number) => {
          if (`${step}:${group}` === killAt) process.kill(process.pid, "SIGKILL");
        },
      }
    : {}),
});
process.stdout.write("cleaning\n");
const summaries = await cleaner.cleanAll();
await cleaner.stop();
logs.close();
process.stdout.write(`done ${JSON.stringify(summaries.map((s) => ({ topic: s.topic, partition: s.partition, swapped: s.swapped, ms: Math.round(s.ms), mbRead: s.stats.bytesRead / 1048576 })))}\n`);

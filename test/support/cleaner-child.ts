// A process that cleans a log directory once, for crash tests that SIGKILL it part-way:
//
//   node test/support/cleaner-child.ts <log.dir> [<swap step>:<group>]
//
// It opens the directory as the broker would, prints "cleaning" and runs the cleaner (in its
// worker thread) until no partition needs it, then prints "done <json summaries>" and exits.
// With a step (swap.ts SwapStep) and a group index, it SIGKILLs itself at that point of the
// swap instead, to land a kill exactly between two renames.
import { LogCleaner } from "../../broker/log/cleaner/log-cleaner.ts";
import { DEFAULT_LOG_CONFIG } from "../../broker/log/log-config.ts";
import { LogManager } from "../../broker/log/log-manager.ts";

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

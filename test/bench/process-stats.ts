// What the benchmarks measure of a process (from /proc) and how they summarise runs: shared by
// test/bench/broker.ts and test/bench/connect.ts.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

export const CLOCK_TICKS = Number(spawnSync("getconf", ["CLK_TCK"]).stdout?.toString().trim()) || 100;

export function readStatusKiB(pid: number): { rss: number; hwm: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const field = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
    return { rss: field("VmRSS"), hwm: field("VmHWM") };
  } catch {
    return undefined;
  }
}

/** Samples a process's resident set every 100 ms until stop(). */
export class MemorySampler {
  private peakKiB = 0;
  private readonly timer: NodeJS.Timeout;
  private readonly pid: number;

  constructor(pid: number) {
    this.pid = pid;
    this.sample();
    this.timer = setInterval(() => this.sample(), 100);
  }

  private sample(): void {
    const s = readStatusKiB(this.pid);
    if (s) this.peakKiB = Math.max(this.peakKiB, s.rss, s.hwm);
  }

  /** Peak resident set in MiB, the larger of VmHWM and every VmRSS sample. */
  stop(): number {
    this.sample();
    clearInterval(this.timer);
    return this.peakKiB / 1024;
  }
}

export function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The first line a command prints for its version. */
export function versionOf(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  return `${r.stdout ?? ""}${r.stderr ?? ""}`.trim().split("\n")[0] ?? "unknown";
}

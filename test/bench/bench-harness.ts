// What every benchmark command shares: timestamped progress on stderr, quiet exit when stdout is
// piped into a pager that quits, and the processes and temporary directories it started, which
// are stopped (SIGTERM, then SIGKILL at exit) and removed however it ends — Ctrl-C included.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { median } from "./process-stats.ts";

export interface BenchHarness {
  /** One progress line on stderr, with the seconds since start. */
  progress(line: string): void;
  /** Processes to stop when the benchmark ends. */
  readonly pids: Set<number>;
  /** A temporary directory removed when the benchmark ends (unless removeTempDir/keepTempDir took it out). */
  tempDir(prefix: string): string;
  removeTempDir(dir: string): void;
  /** Removes a directory made elsewhere when the benchmark ends. */
  adoptTempDir(dir: string): void;
  /** Keeps a directory (e.g. logs the user asked to keep) past the end. */
  keepTempDir(dir: string): void;
  signalAll(signal: NodeJS.Signals): void;
  /** Whether Ctrl-C (or SIGTERM) came. */
  readonly interrupted: boolean;
}

export interface BenchHarnessOptions {
  /** What Ctrl-C stops, for its message: "the workers and the broker". */
  stopping: string;
  /** How long the processes get to stop after Ctrl-C before the benchmark exits anyway. */
  graceMs: number;
}

export function benchHarness(options: BenchHarnessOptions): BenchHarness {
  // Piped into head or less that quits early: stop quietly, as other CLI tools do.
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(0);
    throw err;
  });
  const started = performance.now();
  const pids = new Set<number>();
  const tempDirs = new Set<string>();
  let interrupted = false;
  const signalAll = (signal: NodeJS.Signals): void => {
    for (const pid of pids) {
      try {
        process.kill(pid, signal);
      } catch {
        pids.delete(pid);
      }
    }
  };
  // Last resort on any exit: nothing this benchmark started outlives it.
  process.on("exit", () => {
    signalAll("SIGKILL");
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  });
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupted) process.exit(130);
    interrupted = true;
    process.exitCode = 130;
    process.stderr.write(`\n${signal}: stopping ${options.stopping}\n`);
    signalAll("SIGTERM");
    setTimeout(() => process.exit(130), options.graceMs).unref();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  // kafkajs (the admin clients that set up and clean up runs) schedules a timer with a negative
  // delay on Node 24, which only prints a TimeoutNegativeWarning; keep every other warning.
  const printWarning = process.listeners("warning");
  process.removeAllListeners("warning");
  process.on("warning", (warning) => {
    if (warning.name !== "TimeoutNegativeWarning") for (const listener of printWarning) listener(warning);
  });
  return {
    progress(line) {
      const secs = ((performance.now() - started) / 1000).toFixed(1).padStart(6);
      process.stderr.write(`[${secs}s] ${line}\n`);
    },
    pids,
    tempDir(prefix) {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      tempDirs.add(dir);
      return dir;
    },
    removeTempDir(dir) {
      rmSync(dir, { recursive: true, force: true });
      tempDirs.delete(dir);
    },
    adoptTempDir(dir) {
      tempDirs.add(dir);
    },
    keepTempDir(dir) {
      tempDirs.delete(dir);
    },
    signalAll,
    get interrupted() {
      return interrupted;
    },
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
export const fmt = (n: number, digits = 1): string => n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** The last lines of a log file, or "(no log)". */
export function fileTail(file: string, lines = 20): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/** How `./hub` starts Node (cli/node-flags): its node flags and the environment variables it sets. */
export interface LauncherSettings {
  /** The launcher's flags, but for those `extraFlags` set too (the benchmark's --hub-node-flags win). */
  readonly nodeFlags: readonly string[];
  /** Its variables that are not set in this process already. */
  readonly env: Readonly<Record<string, string>>;
}

/**
 * The compiled entry point ./hub runs (dist/cli/hub.js), compiled first if a source file changed
 * (scripts/node-env.sh's hub_ensure_build), so a benchmark measures what users start.
 */
export function compiledHubEntry(root: string): string {
  execFileSync("bash", ["-c", 'source scripts/node-env.sh && hub_ensure_build "$PWD"'], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
  return join(root, "dist", "cli", "hub.js");
}

export function launcherSettings(root: string, extraFlags: readonly string[]): LauncherSettings {
  const lines = readFileSync(join(root, "cli", "node-flags"), "utf8")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
  const flagName = (f: string): string => f.split("=")[0] ?? f;
  return {
    nodeFlags: lines.filter((l) => l.startsWith("-") && !extraFlags.some((f) => flagName(f) === flagName(l))),
    env: Object.fromEntries(
      lines
        .filter((l) => /^[A-Z][A-Z0-9_]*=/.test(l))
        .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)] as const)
        .filter(([name]) => process.env[name] === undefined),
    ),
  };
}

/** A command-line mistake: the message and the usage text on stderr, exit code 2. */
export function usageErrorFor(usage: string): (message: string) => never {
  return (message) => {
    console.error(`${message}\n${usage}`);
    process.exit(2);
  };
}

/** A --name value that must be a positive integer (or the fallback when absent). */
export function positiveIntOption(usageError: (message: string) => never): (name: string, value: string | undefined, fallback: number) => number {
  return (name, value, fallback) => {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) usageError(`--${name} must be a positive integer`);
    return n;
  };
}

/** A figure per metric key; undefined where no run measured it. */
export type Medians = Record<string, number | undefined>;

/** Per metric, the median of the finite values `read` gives for the samples. */
export function mediansOf<S>(metrics: ReadonlyArray<{ readonly key: string }>, samples: readonly S[], read: (sample: S, key: string) => number | undefined): Medians {
  const out: Medians = {};
  for (const m of metrics) out[m.key] = median(samples.map((s) => read(s, m.key)).filter((v): v is number => v !== undefined && Number.isFinite(v)));
  return out;
}

/** Per metric, ours / theirs (undefined when either is missing or theirs is 0). */
export function ratiosOf(metrics: ReadonlyArray<{ readonly key: string }>, ours: Medians | undefined, theirs: Medians | undefined): Medians {
  const ratios: Medians = {};
  if (!ours || !theirs) return ratios;
  for (const m of metrics) {
    const [a, b] = [ours[m.key], theirs[m.key]];
    ratios[m.key] = a !== undefined && b !== undefined && b !== 0 ? a / b : undefined;
  }
  return ratios;
}

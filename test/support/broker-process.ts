// The hub's broker as a child process (`node cli/main.ts broker`), for tests that must kill it
// for real (SIGKILL), restart it on the same data directory and port, and read what it logged
// (one JSON object per line on stdout).
import { spawn, type ChildProcessByStdio } from "node:child_process";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export interface BrokerLogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

export interface BrokerProcessOptions {
  dataDir: string;
  port: number;
  /** server.properties keys, passed as --override. */
  overrides?: Record<string, string>;
  /** How long to wait for "Kafka broker listening" (default 30 s). */
  startTimeoutMs?: number;
}

/** A free loopback port (the OS picks one; it is released before it is returned). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export class BrokerProcess {
  readonly options: BrokerProcessOptions;
  readonly lines: BrokerLogLine[] = [];
  /** stdout lines that are not JSON, and stderr. */
  readonly other: string[] = [];
  private readonly child: ChildProcessByStdio<null, Readable, Readable>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private lineWaiters: Array<() => void> = [];

  private constructor(options: BrokerProcessOptions) {
    this.options = options;
    const args = [join(ROOT, "cli/main.ts"), "--log-format", "json", "broker", "--data-dir", options.dataDir, "--override", `listeners=PLAINTEXT://127.0.0.1:${options.port}`, "--override", "hub.metrics.listener=none"];
    for (const [key, value] of Object.entries(options.overrides ?? {})) args.push("--override", `${key}=${value}`);
    this.child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NODE_NO_WARNINGS: "1" } });
    this.exited = new Promise((res) => this.child.once("exit", (code, signal) => res({ code, signal })));
    let out = "";
    this.child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
      const parts = out.split("\n");
      out = parts.pop() ?? "";
      for (const line of parts) {
        if (!line.trim()) continue;
        try {
          this.lines.push(JSON.parse(line) as BrokerLogLine);
        } catch {
          this.other.push(line);
        }
      }
      for (const w of this.lineWaiters.splice(0)) w();
    });
    this.child.stderr.setEncoding("utf8").on("data", (chunk: string) => this.other.push(chunk));
    void this.exited.then(() => {
      for (const w of this.lineWaiters.splice(0)) w();
    });
  }

  /** Spawns the broker and waits until it listens. */
  static async start(options: BrokerProcessOptions): Promise<BrokerProcess> {
    const broker = new BrokerProcess(options);
    try {
      await broker.waitForLine((l) => l.msg === "Kafka broker listening", options.startTimeoutMs ?? 30_000);
    } catch (err) {
      broker.child.kill("SIGKILL");
      throw err;
    }
    return broker;
  }

  get pid(): number {
    return this.child.pid as number;
  }

  get bootstrap(): string {
    return `127.0.0.1:${this.options.port}`;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The first log line matching, waiting for it; fails if the process exits first. */
  async waitForLine(match: (line: BrokerLogLine) => boolean, timeoutMs = 10_000): Promise<BrokerLogLine> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines.find(match);
      if (found) return found;
      if (!this.running) throw new Error(`the broker exited before the expected log line:\n${this.describe()}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`the expected log line did not come within ${timeoutMs} ms:\n${this.describe()}`);
      await new Promise<void>((res) => {
        const timer = setTimeout(res, left);
        this.lineWaiters.push(() => {
          clearTimeout(timer);
          res();
        });
      });
    }
  }

  /** The last log lines and stderr, for failure messages. */
  describe(lines = 30): string {
    return [...this.lines.slice(-lines).map((l) => JSON.stringify(l)), ...this.other.slice(-10)].join("\n");
  }

  /** SIGKILL: no shutdown code runs. */
  async kill(): Promise<void> {
    if (this.running) this.child.kill("SIGKILL");
    await this.exited;
  }

  /** SIGTERM and wait for the clean shutdown (SIGKILL after `timeoutMs`). */
  async stop(timeoutMs = 20_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.running) this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), timeoutMs);
    const result = await this.exited;
    clearTimeout(timer);
    return result;
  }

  /** Starts a new broker process on the same data directory and port. */
  restart(overrides?: Record<string, string>): Promise<BrokerProcess> {
    return BrokerProcess.start({ ...this.options, ...(overrides ? { overrides: { ...this.options.overrides, ...overrides } } : {}) });
  }
}

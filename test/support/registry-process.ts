// The hub's Schema Registry as a child process (`node cli/main.ts registry <properties>`), as
// users run it: for client interop tests, and for tests that must SIGKILL an instance.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "./broker-process.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export interface RegistryProcessOptions {
  /** Kafka bootstrap servers for the `_schemas` topic. */
  bootstrap: string;
  /** kafkastore.topic; default a topic of its own. */
  topic?: string;
  /** More schema-registry.properties entries. */
  props?: Record<string, string>;
  /** Port to listen on; default a free one. */
  port?: number;
}

export interface RegistryProcess {
  readonly url: string;
  readonly port: number;
  readonly topic: string;
  /** What the process wrote to stdout and stderr so far. */
  output(): string;
  /** SIGKILL, and wait for the exit. */
  kill(): Promise<void>;
  /** SIGTERM (graceful), then SIGKILL after 10 s; removes the properties file. */
  stop(): Promise<void>;
}

let counter = 0;

export async function startRegistryProcess(options: RegistryProcessOptions): Promise<RegistryProcess> {
  const port = options.port ?? (await freePort());
  const topic = options.topic ?? `_schemas-test-${process.pid}-${Date.now().toString(36)}-${++counter}`;
  const dir = await mkdtemp(join(tmpdir(), "hub-registry-"));
  const file = join(dir, "schema-registry.properties");
  const props: Record<string, string> = {
    listeners: `http://127.0.0.1:${port}`,
    "kafkastore.bootstrap.servers": options.bootstrap,
    "kafkastore.topic": topic,
    "kafkastore.topic.replication.factor": "1",
    ...options.props,
  };
  await writeFile(file, Object.entries(props).map(([k, v]) => `${k}=${v}`).join("\n") + "\n");
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, "cli/main.ts"), "--log-format", "json", "--log-level", "info", "registry", file], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await rm(dir, { recursive: true, force: true });
      throw new Error(`the registry exited before answering (code ${child.exitCode}):\n${output.slice(-4000)}`);
    }
    try {
      const res = await fetch(`${url}/subjects`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      await rm(dir, { recursive: true, force: true });
      throw new Error(`the registry did not answer GET /subjects within 60 s:\n${output.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port,
    topic,
    output: () => output,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(timer);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

// ./hub runs the compiled tree (dist/, built from the TypeScript sources by tsconfig.build.json
// when a source changed) rather than the sources: these tests run that tree as users do, so a
// compile setting that breaks a module, an import or a file found next to a module at run time
// (the log cleaner's worker thread) fails here and not on a user's machine.
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { Kafka, logLevel } from "kafkajs";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_LOG_CONFIG } from "../../broker/log/log-config.ts";
import { LogManager } from "../../broker/log/log-manager.ts";
import { expectedState, live, readBack, stateOf, writeUpdates } from "../support/log-compaction.ts";

const ROOT = join(import.meta.dirname, "../..");
const HUB = join(ROOT, "hub");
const run = promisify(execFile);
const scratch = mkdtempSync(join(tmpdir(), "hub-compiled-"));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

describe("./hub runs the compiled tree", () => {
  it("builds dist/ and answers --version from it", async () => {
    const { stdout } = await run("bash", [HUB, "--version"], { cwd: ROOT, timeout: 120_000 });
    const version = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
    expect(stdout.trim()).toBe(version);
    expect(existsSync(join(ROOT, "dist", "cli", "hub.js"))).toBe(true);
    expect(existsSync(join(ROOT, "dist", ".built"))).toBe(true);
  }, 120_000);

  it("starts a broker from dist/ that clients produce to and consume from", async () => {
    const port = await freePort();
    const child = spawn("bash", [HUB, "--log-format", "json", "broker", "--data-dir", join(scratch, "broker"), "--override", `listeners=PLAINTEXT://127.0.0.1:${port}`], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      let out = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      const deadline = Date.now() + 30_000;
      while (!out.includes("hub is running") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(out).toContain("hub is running");
      // ./hub execs node on the compiled entry point, not on the sources.
      expect(readFileSync(`/proc/${child.pid}/cmdline`, "utf8").split("\0")).toContain(join(ROOT, "dist", "cli", "hub.js"));

      const kafka = new Kafka({ clientId: "compiled-tree", brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING });
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({ topic: "compiled", messages: Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })) });
      await producer.disconnect();
      const consumer = kafka.consumer({ groupId: "compiled-tree" });
      await consumer.connect();
      await consumer.subscribe({ topic: "compiled", fromBeginning: true });
      const seen: string[] = [];
      await new Promise<void>((resolve) => {
        void consumer.run({
          eachMessage: async ({ message }) => {
            seen.push(message.value!.toString());
            if (seen.length === 50) resolve();
          },
        });
      });
      await consumer.disconnect();
      expect(seen).toEqual(Array.from({ length: 50 }, (_, i) => `v${i}`));
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
  }, 90_000);

  it("runs the log cleaner's worker thread from dist/", async () => {
    const dir = join(scratch, "cleaner");
    const logs = LogManager.open({ logDirs: [dir], defaults: { ...DEFAULT_LOG_CONFIG } });
    logs.createTopic("compacted", 1, { "cleanup.policy": "compact", "min.cleanable.dirty.ratio": "0.01", "segment.bytes": String(16 * 1024) });
    const { latest } = writeUpdates(logs.log("compacted", 0)!, { keys: 50, updates: 5_000, batchSize: 50, startTimestamp: 1_760_000_000_000n, valueBytes: 16 });
    logs.close();

    const child = join(ROOT, "test", "support", "cleaner-child.ts");
    const { stdout } = await run(process.execPath, [child, dir], { env: { ...process.env, HUB_CODE: "dist" }, timeout: 60_000 });
    const summaries = JSON.parse(stdout.slice(stdout.indexOf("done ") + 5)) as Array<{ swapped: number }>;
    expect(summaries.length).toBeGreaterThan(0);

    const after = LogManager.open({ logDirs: [dir], defaults: { ...DEFAULT_LOG_CONFIG } });
    const records = readBack(after.log("compacted", 0)!).records;
    after.close();
    expect(records.length).toBeLessThan(5_000);
    expect(live(stateOf(records))).toEqual(expectedState(latest));
  }, 90_000);
});

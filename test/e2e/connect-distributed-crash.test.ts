// Distributed mode as users run it: three `hub connect worker.properties` processes with the same
// group.id, on the hub's broker and on Apache Kafka, a FileStreamSource → topic → FileStreamSink
// pipeline created over REST (on whichever worker; followers forward to the leader), lines
// appended to the input file all along. The worker running the source task is SIGKILLed: within
// the session timeout plus scheduled.rebalance.max.delay.ms its task runs on another worker,
// which resumes from the last committed offset. The output file must hold every input line
// (at least once: lines read after the last offset commit are delivered again, and counted).
import { spawn, type ChildProcess } from "node:child_process";
import { appendFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { closeSync, openSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../support/broker-process.ts";
import { TARGETS, openTarget, type InteropTarget } from "../support/interop-targets.ts";
import { waitFor } from "../support/poll.ts";
import { connectGroupProps } from "../support/connect-group.ts";

const hubMain = join(import.meta.dirname, "../../cli/main.ts");
const SESSION_TIMEOUT_MS = 6000;
const HOLD_MS = 4000;

interface WorkerProcess {
  readonly url: string;
  readonly workerId: string;
  readonly child: ChildProcess;
  readonly logFile: string;
  readonly exited: Promise<void>;
}

async function http(method: string, url: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text === "" ? undefined : JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: response.status, body: parsed };
}

describe.each(TARGETS)("three hub connect processes on %s", (targetName) => {
  let target: InteropTarget;
  let dir: string;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    target = await openTarget(targetName);
    dir = await mkdtemp(join(tmpdir(), "connect-crash-"));
  });

  afterEach(async () => {
    for (const w of workers.splice(0)) {
      if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill("SIGTERM");
      await w.exited;
    }
  });

  afterAll(async () => {
    await target?.close();
    if (dir && !process.env.HUB_TEST_KEEP_LOGS) await rm(dir, { recursive: true, force: true });
  });

  async function startWorker(group: string): Promise<WorkerProcess> {
    const port = await freePort();
    const props = {
      "bootstrap.servers": target.bootstrap,
      listeners: `http://127.0.0.1:${port}`,
      ...connectGroupProps(group),
      "offset.storage.partitions": "5",
      "status.storage.partitions": "3",
      "key.converter": "org.apache.kafka.connect.storage.StringConverter",
      "value.converter": "org.apache.kafka.connect.storage.StringConverter",
      "offset.flush.interval.ms": "500",
      "session.timeout.ms": String(SESSION_TIMEOUT_MS),
      "heartbeat.interval.ms": "500",
      "rebalance.timeout.ms": "15000",
      "scheduled.rebalance.max.delay.ms": String(HOLD_MS),
    };
    const propsFile = join(dir, `worker-${port}.properties`);
    await writeFile(propsFile, Object.entries(props).map(([k, v]) => `${k}=${v}`).join("\n") + "\n");
    const logFile = join(dir, `worker-${port}.log`);
    const out = openSync(logFile, "a");
    let child: ChildProcess;
    try {
      child = spawn(process.execPath, [hubMain, "--log-format", "json", "connect", propsFile], { stdio: ["ignore", out, out] });
    } finally {
      closeSync(out);
    }
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const url = `http://127.0.0.1:${port}`;
    const outcome = await waitFor(
      `worker on ${port} healthy (log: ${logFile})`,
      async () => (child.exitCode !== null ? "exited" : (await http("GET", `${url}/health`)).status === 200 && "healthy"),
      60_000,
    );
    if (outcome === "exited") throw new Error(`hub connect exited with ${child.exitCode} during start-up: ${await readFile(logFile, "utf8")}`);
    const w: WorkerProcess = { url, workerId: `127.0.0.1:${port}`, child, logFile, exited };
    workers.push(w);
    return w;
  }

  it("moves the task of a SIGKILLed worker and delivers every line at least once", async () => {
    const group = target.unique("connect-crash");
    const topic = target.unique("crash-lines");
    const input = join(dir, `${group}-in.txt`);
    const output = join(dir, `${group}-out.txt`);
    await writeFile(input, "");
    await target.createTopic(topic, 1);
    for (let i = 0; i < 3; i++) await startWorker(group);

    // Created on different workers: followers forward to the leader over REST.
    const created = [
      await http("POST", `${workers[1]!.url}/connectors`, { name: "src", config: { "connector.class": "FileStreamSource", file: input, topic, "tasks.max": "1" } }),
      await http("POST", `${workers[2]!.url}/connectors`, { name: "sink", config: { "connector.class": "FileStreamSink", file: output, topics: topic, "tasks.max": "1" } }),
    ];
    expect(created.map((c) => c.status)).toEqual([201, 201]);

    // Lines keep arriving until told to stop.
    let written = 0;
    let writing = true;
    const writer = (async () => {
      while (writing) {
        const batch = Array.from({ length: 20 }, (_, i) => `line-${written + i}`).join("\n") + "\n";
        await appendFile(input, batch);
        written += 20;
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const outputLines = async (): Promise<string[]> => (await readFile(output, "utf8").catch(() => "")).split("\n").filter((l) => l !== "");

    const sourceOwner = await waitFor("the source task running", async () => {
      const status = (await http("GET", `${workers[0]!.url}/connectors/src/status`)).body as { tasks: Array<{ state: string; worker_id: string }> };
      const t = status.tasks?.[0];
      return t?.state === "RUNNING" ? t.worker_id : undefined;
    });
    await waitFor("lines flowing end to end", async () => (await outputLines()).length > 200);
    const victim = workers.find((w) => w.workerId === sourceOwner)!;
    const survivors = workers.filter((w) => w !== victim);
    victim.child.kill("SIGKILL");
    await victim.exited;
    const killedAt = Date.now();

    const movedTo = await waitFor(
      "the source task running on another worker",
      async () => {
        const status = (await http("GET", `${survivors[0]!.url}/connectors/src/status`)).body as { tasks: Array<{ state: string; worker_id: string }> };
        const t = status.tasks?.[0];
        return t?.state === "RUNNING" && t.worker_id !== victim.workerId ? t.worker_id : undefined;
      },
      SESSION_TIMEOUT_MS + HOLD_MS + 30_000,
    );
    const movedAfterMs = Date.now() - killedAt;
    expect(survivors.map((w) => w.workerId)).toContain(movedTo);

    writing = false;
    await writer;
    const expected = new Set(Array.from({ length: written }, (_, i) => `line-${i}`));
    await waitFor(`all ${written} lines in the output`, async () => {
      const got = new Set(await outputLines());
      for (const l of expected) if (!got.has(l)) return false;
      return true;
    });
    const got = await outputLines();
    const duplicates = got.length - expected.size;
    console.info(`[${targetName}] source task moved ${movedAfterMs} ms after the SIGKILL; ${written} lines, ${got.length} written, ${duplicates} duplicates`);
    expect(new Set(got)).toEqual(expected);
    expect(duplicates).toBeGreaterThanOrEqual(0);
  }, 240_000);
});

// The `hub` command as a user runs it: help texts, `hub start` logging where each part
// listens and stopping cleanly on SIGINT and SIGTERM, and clear errors for bad input.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { Kafka, logLevel } from "kafkajs";
import { describe, expect, it } from "vitest";
import { startHubBroker } from "../support/hub-broker.ts";

const hubMain = join(import.meta.dirname, "../../cli/main.ts");
const run = promisify(execFile);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** Spawns hub with JSON logs and collects the parsed lines as they arrive. */
function spawnHub(args: string[]): { child: ChildProcess; lines: LogLine[]; waitFor: (msg: string) => Promise<LogLine> } {
  const child = spawn(process.execPath, [hubMain, "--log-format", "json", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  const lines: LogLine[] = [];
  let buffered = "";
  const waiters: Array<() => void> = [];
  child.stdout?.on("data", (chunk: Buffer) => {
    buffered += chunk.toString("utf8");
    const parts = buffered.split("\n");
    buffered = parts.pop() ?? "";
    for (const part of parts) if (part.trim()) lines.push(JSON.parse(part) as LogLine);
    waiters.splice(0).forEach((wake) => wake());
  });
  const waitFor = (msg: string): Promise<LogLine> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no log line '${msg}' within 20s; got ${JSON.stringify(lines)}`)), 20_000);
      const check = (): void => {
        const found = lines.find((l) => l.msg === msg);
        if (found) {
          clearTimeout(timer);
          resolve(found);
        } else waiters.push(check);
      };
      check();
    });
  return { child, lines, waitFor };
}

const exitOf = (child: ChildProcess): Promise<number | null> =>
  new Promise((resolve) => child.once("exit", (code) => resolve(code)));

describe("hub CLI", () => {
  it("documents every subcommand's real flags in --help", async () => {
    const { stdout: top } = await run(process.execPath, [hubMain, "--help"]);
    for (const sub of ["start", "broker", "registry", "connect", "mirror"]) expect(top).toContain(sub);
    const { stdout: start } = await run(process.execPath, [hubMain, "start", "--help"]);
    for (const flag of ["--data-dir", "--host", "--kafka-port", "--registry-port", "--connect-port", "--metrics-port"]) expect(start).toContain(flag);
    for (const sub of ["broker", "registry", "connect", "mirror"]) {
      const { stdout } = await run(process.execPath, [hubMain, sub, "--help"]);
      expect(stdout).toContain("--override <key=value>");
    }
  });

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`hub start logs where each part listens and stops cleanly on ${signal}`, async () => {
      const [registryPort, connectPort, kafkaPort, metricsPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
      const dataDir = await mkdtemp(join(tmpdir(), "hub-e2e-"));
      const hub = spawnHub([
        "start",
        "--data-dir", dataDir,
        "--kafka-port", String(kafkaPort),
        "--registry-port", String(registryPort),
        "--connect-port", String(connectPort),
        "--metrics-port", String(metricsPort),
      ]);
      const exited = exitOf(hub.child);
      await hub.waitFor("hub is running; press Ctrl-C to stop");
      expect(hub.lines.find((l) => l.msg === "registry REST listening")?.url).toBe(`http://127.0.0.1:${registryPort}`);
      expect(hub.lines.find((l) => l.msg === "connect REST listening")?.url).toBe(`http://127.0.0.1:${connectPort}`);
      expect(hub.lines.find((l) => l.msg === "Kafka broker listening")?.listener).toBe(`127.0.0.1:${kafkaPort}`);
      const admin = new Kafka({ clientId: "e2e", brokers: [`127.0.0.1:${kafkaPort}`], logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic: "e2e-topic", numPartitions: 2 }] });
      expect(await admin.listTopics()).toContain("e2e-topic");
      await admin.disconnect();

      const root = await fetch(`http://127.0.0.1:${connectPort}/`);
      expect(await root.json()).toMatchObject({ version: expect.any(String) });
      // The embedded Connect worker is a distributed one on the hub's own broker: healthy once it
      // has joined its group (503 "starting" until then, as Kafka's).
      let health: unknown;
      for (const deadline = Date.now() + 20_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 100))) {
        health = await (await fetch(`http://127.0.0.1:${connectPort}/health`)).json();
        if ((health as { status: string }).status === "healthy") break;
      }
      expect(health).toEqual({ status: "healthy", message: "Worker has completed startup and is ready to handle requests." });
      expect(await (await fetch(`http://127.0.0.1:${connectPort}/connectors`)).json()).toEqual([]);
      expect(hub.lines.find((l) => l.msg === "Prometheus metrics listening")?.url).toBe(`http://127.0.0.1:${metricsPort}/metrics`);
      const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      // The test's CreateTopics, and the Connect worker's for its three storage topics.
      expect(metrics).toMatch(/^kafka_network_requests_total\{api="CreateTopics",version="\d+"\} [1-9]\d*$/m);

      hub.child.kill(signal);
      expect(await exited).toBe(0);
      const stoppedParts = hub.lines.filter((l) => l.msg === "stopped").map((l) => l.component);
      expect(stoppedParts).toEqual(["connect", "registry", "broker"]);
    });
  }

  it("fails with a clear message when a port is taken, and exits non-zero", async () => {
    const blocker = createServer();
    const port = await new Promise<number>((resolve) =>
      blocker.listen(0, "127.0.0.1", () => resolve((blocker.address() as { port: number }).port)),
    );
    try {
      const hub = spawnHub(["start", "--data-dir", await mkdtemp(join(tmpdir(), "hub-e2e-")), "--registry-port", String(port), "--connect-port", String(await freePort()), "--kafka-port", String(await freePort()), "--metrics-port", String(await freePort())]);
      expect(await exitOf(hub.child)).toBe(1);
      const fatal = hub.lines.find((l) => l.msg === "failed to start");
      expect(JSON.stringify(fatal?.err)).toContain("EADDRINUSE");
    } finally {
      blocker.close();
    }
  });

  it("rejects bad flags and unreadable or malformed config files with a message, not a stack trace", async () => {
    await expect(run(process.execPath, [hubMain, "start", "--kafka-port", "99999"])).rejects.toMatchObject({
      stderr: expect.stringContaining("must be a port number"),
    });
    await expect(run(process.execPath, [hubMain, "broker", "/nonexistent/server.properties"])).rejects.toMatchObject({
      stderr: expect.stringMatching(/^hub: cannot read properties file \/nonexistent\/server.properties/),
    });
    const dir = await mkdtemp(join(tmpdir(), "hub-cli-"));
    const bad = join(dir, "server.properties");
    await writeFile(bad, "listeners=localhost:9092\n");
    await expect(run(process.execPath, [hubMain, "broker", bad])).rejects.toMatchObject({
      stderr: "hub: listeners: 'localhost:9092' is not of the form NAME://host:port\n",
    });
    const mm2 = join(dir, "mm2.properties");
    await writeFile(mm2, "clusters=A,B\nA.bootstrap.servers=a:9092\n");
    await expect(run(process.execPath, [hubMain, "mirror", mm2])).rejects.toMatchObject({
      stderr: "hub: mm2.properties: 'B.bootstrap.servers' is missing\n",
    });
  });

  it("hub connect --standalone runs the connectors named on the command line (properties and JSON files)", async () => {
    const broker = await startHubBroker();
    const dir = await mkdtemp(join(tmpdir(), "hub-connect-e2e-"));
    try {
      const port = await freePort();
      const worker = join(dir, "connect-standalone.properties");
      await writeFile(
        worker,
        [
          `bootstrap.servers=${broker.bootstrap}`,
          `listeners=http://127.0.0.1:${port}`,
          "key.converter=org.apache.kafka.connect.storage.StringConverter",
          "value.converter=org.apache.kafka.connect.storage.StringConverter",
          `offset.storage.file.filename=${join(dir, "connect.offsets")}`,
          // FileStreamSink flushes its file when offsets are committed.
          "offset.flush.interval.ms=500",
        ].join("\n"),
      );
      await writeFile(join(dir, "in.txt"), "hello\n");
      const source = join(dir, "source.properties");
      await writeFile(source, `name=e2e-source\nconnector.class=FileStreamSource\nfile=${join(dir, "in.txt")}\ntopic=e2e-connect\n`);
      const sink = join(dir, "sink.json");
      await writeFile(sink, JSON.stringify({ name: "e2e-sink", config: { "connector.class": "FileStreamSink", file: join(dir, "out.txt"), topics: "e2e-connect" } }));
      const admin = new Kafka({ clientId: "e2e", brokers: [broker.bootstrap], logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic: "e2e-connect", numPartitions: 1 }] });
      await admin.disconnect();

      const hub = spawnHub(["connect", "--standalone", worker, source, sink]);
      const exited = exitOf(hub.child);
      expect((await hub.waitFor("connect REST listening")).url).toBe(`http://127.0.0.1:${port}`);
      await hub.waitFor("Connect worker started");
      expect(await (await fetch(`http://127.0.0.1:${port}/connectors`)).json()).toEqual(["e2e-sink", "e2e-source"]);
      // The line goes file → topic → file through both connectors.
      const deadline = Date.now() + 20_000;
      let copied = "";
      while (Date.now() < deadline && copied !== "hello\n") {
        copied = await readFile(join(dir, "out.txt"), "utf8").catch(() => "");
        if (copied !== "hello\n") await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(copied).toBe("hello\n");
      hub.child.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(hub.lines.filter((l) => l.msg === "stopped").map((l) => l.component)).toEqual(["connect"]);
    } finally {
      await broker.destroy();
    }
  });

  it("hub connect exits non-zero with Kafka's message for a bad worker or connector config", async () => {
    const dir = await mkdtemp(join(tmpdir(), "hub-connect-e2e-"));
    const worker = join(dir, "connect-distributed.properties");
    await writeFile(worker, `listeners=http://127.0.0.1:${await freePort()}\nkey.converter=org.apache.kafka.connect.json.JsonConverter\nvalue.converter=org.apache.kafka.connect.json.JsonConverter\n`);
    const hub = spawnHub(["connect", worker]);
    expect(await exitOf(hub.child)).toBe(1);
    expect(JSON.stringify(hub.lines.find((l) => l.msg === "failed to start")?.err)).toContain('Missing required configuration \\"group.id\\" which has no default value.');
    await expect(run(process.execPath, [hubMain, "connect", worker, join(dir, "c.properties")])).rejects.toMatchObject({
      stderr: expect.stringContaining("connector property files are only taken with --standalone"),
    });
  });
});

// A file → topic → file pipeline on three distributed hub workers (real ConnectWorkers running
// the FileStream connectors), on the hub's broker and on Apache Kafka. The worker running the
// source task leaves the group mid-stream; after scheduled.rebalance.max.delay.ms its task runs
// on another worker, which resumes from the offsets the first one committed to the offset topic.
// The output file must hold every input line (at least once; duplicates are counted and shown).
import { appendFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { KafkaClusterClient } from "../../../lib/kafka-client/index.ts";
import { createLogger } from "../../../lib/logger.ts";
import { CONNECTOR_PLUGINS } from "../../../connectors/index.ts";
import { DistributedHerder } from "../../../connect/runtime/herder/distributed-herder.ts";
import { createDistributedStores } from "../../../connect/runtime/herder/distributed/stores.ts";
import { type LeaderClient, sign } from "../../../connect/runtime/herder/distributed/internal-requests.ts";
import { RequestTargetError } from "../../../connect/runtime/herder/errors.ts";
import { builtinRegistry } from "../../../connect/runtime/plugins/builtins.ts";
import { kafkaClient } from "../../../connect/runtime/kafka-clients.ts";
import { ConnectWorker } from "../../../connect/runtime/worker.ts";
import { WorkerConfig } from "../../../connect/runtime/worker-config.ts";
import { TARGETS, openTarget, type InteropTarget } from "../../support/interop-targets.ts";
import { waitFor } from "../../support/poll.ts";
import { connectGroupProps } from "../../support/connect-group.ts";

const log = createLogger({ level: (process.env.HUB_TEST_LOG_LEVEL as "info" | undefined) ?? "warn", format: "json" });
const registry = builtinRegistry();
for (const p of CONNECTOR_PLUGINS) registry.register(p);
const HOLD_MS = 2000;

interface Node {
  readonly url: string;
  readonly herder: DistributedHerder;
  readonly client: KafkaClusterClient;
  stopped: boolean;
}

describe.each(TARGETS)("a file pipeline on three distributed workers on %s", (targetName) => {
  let target: InteropTarget;
  let dir: string;
  const nodes: Node[] = [];
  const byUrl = new Map<string, DistributedHerder>();
  let port = 19_000;
  const leaderClient: LeaderClient = {
    async putTaskConfigs(url, connector, configs, key) {
      const body = Buffer.from(JSON.stringify(configs));
      await byUrl.get(url)!.putTaskConfigs(connector, configs, key ? { signature: sign(key, body), algorithm: "HmacSHA256" } : null, body);
    },
  };

  beforeAll(async () => {
    target = await openTarget(targetName);
    dir = await mkdtemp(join(tmpdir(), "connect-pipeline-"));
  });

  afterEach(async () => {
    for (const n of nodes.splice(0)) await stop(n);
  });

  afterAll(async () => {
    await target?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function stop(n: Node): Promise<void> {
    if (n.stopped) return;
    n.stopped = true;
    await n.herder.stop();
    await n.client.close();
    byUrl.delete(n.url);
  }

  async function start(group: string): Promise<Node> {
    const p = ++port;
    const url = `http://127.0.0.1:${p}/`;
    const config = new WorkerConfig(
      {
        "bootstrap.servers": target.bootstrap,
        ...connectGroupProps(group),
        "offset.storage.partitions": "5",
        "key.converter": "org.apache.kafka.connect.storage.StringConverter",
        "value.converter": "org.apache.kafka.connect.storage.StringConverter",
        "offset.flush.interval.ms": "300",
        "session.timeout.ms": "6000",
        "heartbeat.interval.ms": "300",
        "rebalance.timeout.ms": "15000",
        "scheduled.rebalance.max.delay.ms": String(HOLD_MS),
      },
      true,
    );
    const client = new KafkaClusterClient({ bootstrapServers: [target.bootstrap], clientId: `w${p}` });
    const kafka = kafkaClient({ "bootstrap.servers": target.bootstrap, "client.id": `w${p}` }, log);
    const stores = createDistributedStores(config, { kafka, client, log });
    const herder = new DistributedHerder({
      registry,
      workerConfig: config,
      createWorker: (hooks) =>
        new ConnectWorker({
          workerId: `127.0.0.1:${p}`,
          config,
          plugins: registry,
          offsetStore: stores.offset,
          statusListener: hooks.statusListener,
          control: hooks.connectorControl,
          logger: log,
        }),
      configStore: stores.config,
      statusStore: stores.status,
      offsetStore: stores.offset,
      client,
      restUrl: url,
      kafkaClusterId: "pipeline",
      leaderClient,
      log: log.child({ worker: p }),
    });
    await herder.start();
    const node: Node = { url, herder, client, stopped: false };
    nodes.push(node);
    byUrl.set(url, herder);
    return node;
  }

  async function viaLeader<T>(call: (h: DistributedHerder) => Promise<T>): Promise<T> {
    const any = nodes.find((n) => !n.stopped)!;
    try {
      return await call(any.herder);
    } catch (err) {
      if (!(err instanceof RequestTargetError) || err.forwardUrl === null) throw err;
      return call(byUrl.get(err.forwardUrl)!);
    }
  }

  it("moves the source task of a departed worker and delivers every line at least once", async () => {
    const group = target.unique("pipeline");
    const topic = target.unique("lines");
    const input = join(dir, `${group}-in.txt`);
    const output = join(dir, `${group}-out.txt`);
    const lines = (from: number, to: number): string => Array.from({ length: to - from }, (_, i) => `line-${from + i}`).join("\n") + "\n";
    await writeFile(input, lines(0, 300));
    for (let i = 0; i < 3; i++) await start(group);
    await waitFor("a leader", () => nodes.every((n) => n.herder.leaderUrl !== null));
    await target.createTopic(topic, 1);

    await viaLeader((h) => h.putConnectorConfig("src", { name: "src", "connector.class": "FileStreamSource", file: input, topic, "tasks.max": "1" }, false));
    await viaLeader((h) => h.putConnectorConfig("sink", { name: "sink", "connector.class": "FileStreamSink", file: output, topics: topic, "tasks.max": "1" }, false));
    const outputLines = async (): Promise<string[]> => (await readFile(output, "utf8").catch(() => "")).split("\n").filter((l) => l !== "");
    await waitFor("the first 300 lines delivered", async () => new Set(await outputLines()).size === 300);

    // The worker running the source task leaves; more lines arrive meanwhile.
    const owner = await waitFor("the source task's worker", () => nodes.find((n) => n.herder.ownedWork().tasks.some((t) => t.connector === "src")));
    const others = nodes.filter((n) => n !== owner);
    await stop(owner);
    await appendFile(input, lines(300, 500));
    await waitFor("all 500 lines delivered", async () => new Set(await outputLines()).size === 500, HOLD_MS + 60_000);
    const got = await outputLines();
    const expected = Array.from({ length: 500 }, (_, i) => `line-${i}`);
    expect([...new Set(got)].sort()).toEqual(expected.sort());
    const duplicates = got.length - 500;
    console.info(`[${targetName}] ${got.length} lines written for 500 distinct (${duplicates} duplicates)`);
    expect(others.some((n) => n.herder.ownedWork().tasks.some((t) => t.connector === "src"))).toBe(true);
    // The moved task resumed from the committed offset, not from the beginning of the file.
    expect(duplicates).toBeLessThan(300);
    const status = await others[0]!.herder.connectorStatus("src");
    expect(status.tasks[0]!.state).toBe("RUNNING");
    expect(status.tasks[0]!.worker_id).not.toBe(owner.url);
  }, 180_000);
});

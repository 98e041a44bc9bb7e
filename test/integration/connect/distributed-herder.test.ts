// Three distributed herders in one process, on the hub's broker and on Apache Kafka, with
// workers that record what they are told to run (test/support/recording-worker.ts): they form
// one "connect" group, spread connectors and tasks evenly, answer config writes on a follower
// with NotLeaderError naming the leader (the REST layer forwards there; here the test does),
// share configs and statuses through the topics, move a departed worker's work only after
// scheduled.rebalance.max.delay.ms, give a new worker its share, and apply pause, stop,
// restart and delete on whichever worker runs the work.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { KafkaClusterClient } from "../../../lib/kafka-client/index.ts";
import { createLogger } from "../../../lib/logger.ts";
import { CONNECTOR_PLUGINS } from "../../../connectors/index.ts";
import { DistributedHerder } from "../../../connect/runtime/herder/distributed-herder.ts";
import { createDistributedStores, type DistributedStores } from "../../../connect/runtime/herder/distributed/stores.ts";
import { type LeaderClient, sign } from "../../../connect/runtime/herder/distributed/internal-requests.ts";
import { NotLeaderError, RequestTargetError } from "../../../connect/runtime/herder/errors.ts";
import { builtinRegistry } from "../../../connect/runtime/plugins/builtins.ts";
import { kafkaClient } from "../../../connect/runtime/kafka-clients.ts";
import { WorkerConfig } from "../../../connect/runtime/worker-config.ts";
import { RecordingWorker } from "../../support/recording-worker.ts";
import { TARGETS, openTarget, type InteropTarget } from "../../support/interop-targets.ts";
import { waitFor as waitForValue } from "../../support/poll.ts";

const log = createLogger({ level: (process.env.HUB_TEST_LOG_LEVEL as "info" | undefined) ?? "warn", format: "json" });
const registry = builtinRegistry();
for (const p of CONNECTOR_PLUGINS) registry.register(p);

const HOLD_MS = 4000; // scheduled.rebalance.max.delay.ms in these tests

const waitFor = <T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 45_000): Promise<T> => waitForValue(what, fn, timeoutMs, 100);

interface Node {
  readonly name: string;
  readonly url: string;
  readonly herder: DistributedHerder;
  readonly worker: () => RecordingWorker;
  readonly stores: DistributedStores;
  readonly client: KafkaClusterClient;
  stopped: boolean;
}

function fileSource(name: string, topic: string, tasks: number): Record<string, string> {
  return { name, "connector.class": "FileStreamSource", topic, "tasks.max": String(tasks) };
}

describe.each(TARGETS)("distributed herders on %s", (targetName) => {
  let target: InteropTarget;
  const nodes: Node[] = [];
  const byUrl = new Map<string, DistributedHerder>();
  let port = 18_000;

  // Followers reach the leader in process, signed as over HTTP (KIP-507).
  const leaderClient: LeaderClient = {
    async putTaskConfigs(url, connector, configs, key) {
      const herder = byUrl.get(url);
      if (!herder) throw new Error(`no worker at ${url}`);
      const body = Buffer.from(JSON.stringify(configs));
      await herder.putTaskConfigs(connector, configs, key ? { signature: sign(key, body), algorithm: "HmacSHA256" } : null, body);
    },
  };

  /** What the REST layer does with a RequestTargetError: the same call on the named worker. */
  async function viaRest<T>(node: Node, call: (h: DistributedHerder) => Promise<T>): Promise<T> {
    try {
      return await call(node.herder);
    } catch (err) {
      if (!(err instanceof RequestTargetError) || err.forwardUrl === null) throw err;
      const other = byUrl.get(err.forwardUrl);
      if (!other) throw new Error(`forwarded to unknown worker ${err.forwardUrl}`, { cause: err });
      return call(other);
    }
  }

  async function startNode(group: string, topics: { config: string; offset: string; status: string }, extra: Record<string, string> = {}): Promise<Node> {
    const name = `w${++port}`;
    const url = `http://127.0.0.1:${port}/`;
    const config = new WorkerConfig(
      {
        "bootstrap.servers": target.bootstrap,
        "group.id": group,
        "config.storage.topic": topics.config,
        "offset.storage.topic": topics.offset,
        "status.storage.topic": topics.status,
        "config.storage.replication.factor": "-1",
        "offset.storage.replication.factor": "-1",
        "status.storage.replication.factor": "-1",
        "offset.storage.partitions": "3",
        "status.storage.partitions": "3",
        "key.converter": "org.apache.kafka.connect.json.JsonConverter",
        "value.converter": "org.apache.kafka.connect.json.JsonConverter",
        "session.timeout.ms": "6000",
        "heartbeat.interval.ms": "300",
        "rebalance.timeout.ms": "10000",
        "scheduled.rebalance.max.delay.ms": String(HOLD_MS),
        ...extra,
      },
      true,
    );
    const client = new KafkaClusterClient({ bootstrapServers: [target.bootstrap], clientId: name });
    const kafka = kafkaClient({ "bootstrap.servers": target.bootstrap, "client.id": name }, log);
    const stores = createDistributedStores(config, { kafka, client, log });
    let worker: RecordingWorker | undefined;
    const herder = new DistributedHerder({
      registry,
      workerConfig: config,
      createWorker: (hooks) => (worker = new RecordingWorker(`127.0.0.1:${port}`, hooks)),
      configStore: stores.config,
      statusStore: stores.status,
      offsetStore: stores.offset,
      client,
      restUrl: url,
      kafkaClusterId: "test-cluster",
      leaderClient,
      log: log.child({ worker: name }),
    });
    await stores.offset.start();
    await herder.start();
    const node: Node = { name, url, herder, worker: () => worker!, stores, client, stopped: false };
    byUrl.set(url, herder);
    nodes.push(node);
    return node;
  }

  async function stopNode(node: Node): Promise<void> {
    if (node.stopped) return;
    node.stopped = true;
    await node.herder.stop();
    await node.stores.offset.stop();
    await node.client.close();
    byUrl.delete(node.url);
  }

  beforeAll(async () => {
    target = await openTarget(targetName);
  });

  afterEach(async () => {
    for (const n of nodes.splice(0)) await stopNode(n);
  });

  afterAll(async () => {
    await target?.close();
  });

  const live = (): Node[] => nodes.filter((n) => !n.stopped);
  /** Every connector and task running anywhere, each with the workers running it. */
  const running = (): Map<string, string[]> => {
    const out = new Map<string, string[]>();
    for (const n of live()) {
      for (const c of n.worker().connectors.keys()) out.set(`connector:${c}`, [...(out.get(`connector:${c}`) ?? []), n.name]);
      for (const t of n.worker().tasks.keys()) out.set(`task:${t}`, [...(out.get(`task:${t}`) ?? []), n.name]);
    }
    return out;
  };
  const expected = (spec: Record<string, number>): string[] =>
    Object.entries(spec)
      .flatMap(([c, n]) => [`connector:${c}`, ...Array.from({ length: n }, (_, i) => `task:${c}/${i}`)])
      .sort();
  /** Everything in `spec` runs exactly once, nothing else runs. */
  const runsExactlyOnce = (spec: Record<string, number>): boolean => {
    const r = running();
    return [...r.keys()].sort().join() === expected(spec).join() && [...r.values()].every((w) => w.length === 1);
  };
  const leaderOf = (): Node => {
    const leaders = live().filter((n) => n.herder.isLeader);
    if (leaders.length !== 1) throw new Error(`${leaders.length} leaders`);
    return leaders[0]!;
  };

  it("three workers form one group, spread connectors and tasks, and forward config writes to the leader", async () => {
    const group = target.unique("connect-cluster");
    const topics = { config: target.unique("cfg"), offset: target.unique("off"), status: target.unique("sts") };
    const [a, b, c] = [await startNode(group, topics), await startNode(group, topics), await startNode(group, topics)];
    await waitFor("one group of three with one leader", () => {
      const gens = new Set(live().map((n) => n.herder.generation));
      return gens.size === 1 && live().every((n) => n.herder.leaderUrl !== null) && new Set(live().map((n) => n.herder.leaderUrl)).size === 1 && leaderOf();
    });
    const leader = leaderOf();
    const follower = [a!, b!, c!].find((n) => n !== leader)!;
    expect(leader.herder.leaderUrl).toBe(leader.url);

    // A follower refuses config writes, naming the leader.
    const refused = await follower.herder.putConnectorConfig("src-a", fileSource("src-a", "topic-a", 3), false).then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(NotLeaderError);
    expect((refused as NotLeaderError).forwardUrl).toBe(leader.url);

    for (const name of ["src-a", "src-b", "src-c"]) {
      const result = await viaRest(follower, (h) => h.putConnectorConfig(name, fileSource(name, `topic-${name}`, 3), false));
      expect(result.created).toBe(true);
    }
    const spec = { "src-a": 3, "src-b": 3, "src-c": 3 };
    await waitFor("9 tasks and 3 connectors running exactly once", () => runsExactlyOnce(spec));
    for (const n of live()) {
      expect(n.worker().connectors.size).toBe(1);
      expect(n.worker().tasks.size).toBe(3);
    }
    // Every worker reads the same configs and statuses from the topics.
    for (const n of live()) {
      expect(await n.herder.connectors()).toEqual(["src-a", "src-b", "src-c"]);
      expect((await n.herder.connectorInfo("src-b")).tasks).toHaveLength(3);
      expect((await n.herder.taskConfigs("src-c"))[2]).toEqual({ id: { connector: "src-c", task: 2 }, config: { task: "2", of: "3", topic: "topic-src-c" } });
    }
    await waitFor("RUNNING statuses on every worker", async () => {
      for (const n of live()) {
        for (const name of Object.keys(spec)) {
          const s = await n.herder.connectorStatus(name);
          if (s.connector.state !== "RUNNING" || s.tasks.length !== 3 || s.tasks.some((t) => t.state !== "RUNNING")) return false;
        }
      }
      return true;
    });
    const status = await follower.herder.connectorStatus("src-a");
    const owner = live().find((n) => n.worker().connectors.has("src-a"))!;
    expect(status.connector.worker_id).toBe(owner.worker().workerId);

    // A config change is applied by the worker running the connector; a smaller task count
    // makes the extra tasks stop everywhere.
    await viaRest(follower, (h) => h.putConnectorConfig("src-a", fileSource("src-a", "topic-a2", 1), true));
    await waitFor("src-a down to one task with the new config", () => runsExactlyOnce({ "src-a": 1, "src-b": 3, "src-c": 3 }) && live().some((n) => n.worker().tasks.get("src-a/0")?.taskConfig.topic === "topic-a2"));
  });

  it("moves a departed worker's work only after the scheduled delay, and gives a new worker its share", async () => {
    const group = target.unique("connect-cluster");
    const topics = { config: target.unique("cfg"), offset: target.unique("off"), status: target.unique("sts") };
    for (let i = 0; i < 3; i++) await startNode(group, topics);
    await waitFor("a leader", () => live().every((n) => n.herder.leaderUrl !== null) && leaderOf());
    const spec = { one: 2, two: 2, three: 2 };
    for (const [name, n] of Object.entries(spec)) await viaRest(live()[0]!, (h) => h.putConnectorConfig(name, fileSource(name, name, n), false));
    await waitFor("everything running once", () => runsExactlyOnce(spec));

    // The leader stays; a follower leaves.
    const leaving = live().find((n) => !n.herder.isLeader)!;
    const moved = [...leaving.worker().connectors.keys()].map((c) => `connector:${c}`).concat([...leaving.worker().tasks.keys()].map((t) => `task:${t}`));
    expect(moved.length).toBeGreaterThan(0);
    const leftAt = Date.now();
    await stopNode(leaving);
    await waitFor("the departed worker's work running elsewhere", () => runsExactlyOnce(spec), HOLD_MS + 30_000);
    // None of it started before the delay was over.
    const startedAt = live().flatMap((n) => [
      ...[...n.worker().connectors].filter(([c]) => moved.includes(`connector:${c}`)).map(([, v]) => v.startedAt),
      ...[...n.worker().tasks].filter(([t]) => moved.includes(`task:${t}`)).map(([, v]) => v.startedAt),
    ]);
    expect(startedAt).toHaveLength(moved.length);
    expect(Math.min(...startedAt) - leftAt).toBeGreaterThanOrEqual(HOLD_MS - 500);
    const counts = live().map((n) => [n.worker().connectors.size, n.worker().tasks.size]);
    expect(counts.map(([cs]) => cs).sort()).toEqual([1, 2]);
    expect(counts.map(([, ts]) => ts).sort()).toEqual([3, 3]);

    // A new worker gets its share (revoked from the others, then assigned).
    const newcomer = await startNode(group, topics);
    await waitFor("the newcomer running its share", () => runsExactlyOnce(spec) && newcomer.worker().tasks.size === 2 && live().every((n) => n.worker().tasks.size === 2));
  });

  it("pauses, stops, restarts and deletes on the workers running the connector", async () => {
    const group = target.unique("connect-cluster");
    const topics = { config: target.unique("cfg"), offset: target.unique("off"), status: target.unique("sts") };
    for (let i = 0; i < 2; i++) await startNode(group, topics);
    await waitFor("a leader", () => live().every((n) => n.herder.leaderUrl !== null) && leaderOf());
    const follower = live().find((n) => !n.herder.isLeader)!;
    // With a file: FileStreamSource only lets offsets be changed when it reads one (as Kafka's).
    await viaRest(follower, (h) => h.putConnectorConfig("p", { ...fileSource("p", "p", 4), file: "/data/p.txt" }, false));
    await waitFor("p running", () => runsExactlyOnce({ p: 4 }));

    // Pause from a follower: any worker may write a target state.
    await follower.herder.pauseConnector("p");
    await waitFor("p paused everywhere", () => live().every((n) => [...n.worker().tasks.values()].every((t) => t.targetState === "PAUSED")) && live().some((n) => n.worker().connectors.get("p")?.targetState === "PAUSED"));
    await waitFor("PAUSED statuses", async () => (await follower.herder.connectorStatus("p")).tasks.every((t) => t.state === "PAUSED"));
    await follower.herder.resumeConnector("p");
    await waitFor("p resumed", () => live().every((n) => [...n.worker().tasks.values()].every((t) => t.targetState === "STARTED")));

    // Restart with tasks goes through the leader's restart request (KIP-745).
    const startsBefore = live().reduce((n, w) => n + w.worker().starts.filter((s) => s.startsWith("task:p/")).length, 0);
    const plan = await viaRest(follower, (h) => h.restartConnector({ connector: "p", includeTasks: true, onlyFailed: false }));
    expect(plan!.connector.state).toBe("RESTARTING");
    expect(plan!.tasks.map((t) => t.state)).toEqual(["RESTARTING", "RESTARTING", "RESTARTING", "RESTARTING"]);
    await waitFor("4 task restarts", () => live().reduce((n, w) => n + w.worker().starts.filter((s) => s.startsWith("task:p/")).length, 0) === startsBefore + 4);

    // Stop: no tasks, the connector instance stays in the STOPPED state.
    await viaRest(follower, (h) => h.stopConnector("p"));
    await waitFor("p stopped", () => runsExactlyOnce({ p: 0 }) && live().some((n) => n.worker().connectors.get("p")?.targetState === "STOPPED"));
    expect((await follower.herder.connectorInfo("p")).tasks).toEqual([]);

    // Offsets (KIP-875) of the stopped connector: changed through the leader, read by every worker.
    const offsets = { offsets: [{ partition: { filename: "/data/p.txt" }, offset: { position: 42 } }] };
    await expect(follower.herder.alterConnectorOffsets("p", offsets)).rejects.toBeInstanceOf(NotLeaderError);
    expect(await viaRest(follower, (h) => h.alterConnectorOffsets("p", offsets))).toMatch(/offsets.*altered/i);
    for (const n of live()) expect(await n.herder.connectorOffsets("p")).toEqual(offsets);
    expect(await viaRest(follower, (h) => h.resetConnectorOffsets("p"))).toMatch(/offsets.*reset/i);
    for (const n of live()) expect(await n.herder.connectorOffsets("p")).toEqual({ offsets: [] });

    await viaRest(follower, (h) => h.deleteConnector("p"));
    await waitFor("p gone", () => running().size === 0);
    await waitFor("p's statuses gone", async () => {
      for (const n of live()) {
        if ((await n.herder.connectors()).length !== 0) return false;
        if (await n.herder.connectorStatus("p").then(() => true, () => false)) return false;
      }
      return true;
    });
  });

  for (const protocol of ["compatible", "eager"]) {
    it(`works with connect.protocol=${protocol} (no session key: unsigned internal requests)`, async () => {
      const group = target.unique("connect-cluster");
      const topics = { config: target.unique("cfg"), offset: target.unique("off"), status: target.unique("sts") };
      for (let i = 0; i < 2; i++) await startNode(group, topics, { "connect.protocol": protocol });
      await waitFor("a leader", () => live().every((n) => n.herder.leaderUrl !== null) && leaderOf());
      const spec = { x: 2, y: 2 };
      for (const [name, n] of Object.entries(spec)) await viaRest(live()[1]!, (h) => h.putConnectorConfig(name, fileSource(name, name, n), false));
      await waitFor("everything running once", () => runsExactlyOnce(spec));
      // Each worker ran a connector, so the follower's task configs reached the leader unsigned.
      expect(live().every((n) => n.worker().connectors.size === 1)).toBe(true);
      await startNode(group, topics, { "connect.protocol": protocol });
      await waitFor("everything running once on three workers", () => runsExactlyOnce(spec) && live().every((n) => n.worker().connectors.size + n.worker().tasks.size >= 1));
    });
  }
});

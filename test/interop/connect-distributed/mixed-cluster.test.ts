// A hub worker and an Apache Kafka Connect 4.3.1 worker in ONE Connect cluster (same group.id,
// same config/offset/status topics), on the hub's broker and on Apache Kafka. This checks the
// distributed formats end to end against the real thing: the two speak the "connect" group
// protocol to each other (sessioned, incremental cooperative), whichever leads assigns work to
// both, REST writes reaching the follower are forwarded to the leader, task configs a follower
// generates reach the leader as signed internal requests (KIP-507), and each reads the other's
// config, status and session-key records. Then the Kafka worker is killed and the hub worker
// takes over everything it ran.
//
// The hub worker runs a recording worker (test/support/recording-worker.ts): it "runs" the
// FileStream connectors it is assigned without moving data, generating task configs the way
// Kafka's FileStreamSourceConnector and Worker do (one task: the connector's config plus
// task.class). The Kafka worker runs them for real (reading its stdin, /dev/null).
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { pino } from "pino";
import { KafkaClusterClient, PartitionReader } from "../../../lib/kafka-client/index.ts";
import { createLogger } from "../../../lib/logger.ts";
import { CONNECTOR_PLUGINS } from "../../../connectors/index.ts";
import { DistributedHerder } from "../../../connect/runtime/herder/distributed-herder.ts";
import { createDistributedStores, type DistributedStores } from "../../../connect/runtime/herder/distributed/stores.ts";
import type { RequestSignature } from "../../../connect/runtime/herder/distributed/internal-requests.ts";
import { builtinRegistry } from "../../../connect/runtime/plugins/builtins.ts";
import { kafkaClient } from "../../../connect/runtime/kafka-clients.ts";
import { LoggerLevels } from "../../../connect/runtime/loggers.ts";
import { WorkerConfig } from "../../../connect/runtime/worker-config.ts";
import { createRestServer, type RestServer } from "../../../connect/rest/server.ts";
import { registerInternalRoutes } from "../../../connect/rest/resources/internal.ts";
import type { RestContext } from "../../../connect/rest/context.ts";
import { decodeConfigRecord, commitTasksValue, targetStateValue, sessionKeyValue } from "../../../connect/storage/kafka/config-records.ts";
import { decodeStatusRecord, statusValue } from "../../../connect/storage/kafka/status-records.ts";
import { freePort } from "../../support/broker-process.ts";
import { startKafkaConnect, type KafkaConnectWorker } from "../../support/kafka-connect-process.ts";
import { RecordingWorker } from "../../support/recording-worker.ts";
import { TARGETS, openTarget, type InteropTarget } from "../../support/interop-targets.ts";
import { waitFor } from "../../support/poll.ts";
import { connectGroupProps } from "../../support/connect-group.ts";

const log = createLogger({ level: (process.env.HUB_TEST_LOG_LEVEL as "info" | undefined) ?? "warn", format: "json" });
const registry = builtinRegistry();
for (const p of CONNECTOR_PLUGINS) registry.register(p);

const HOLD_MS = 3000;
/** Group settings both workers use, so that rebalances and failure detection are quick. */
const GROUP_SETTINGS = {
  "session.timeout.ms": "6000",
  "heartbeat.interval.ms": "500",
  "rebalance.timeout.ms": "20000",
  "scheduled.rebalance.max.delay.ms": String(HOLD_MS),
};

async function http(method: string, url: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? { accept: "application/json" } : { "content-type": "application/json", accept: "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await response.text();
  return { status: response.status, body: text === "" ? undefined : (JSON.parse(text) as unknown) };
}

interface ConnectorStatusJson {
  connector: { state: string; worker_id: string };
  tasks: Array<{ id: number; state: string; worker_id: string }>;
}

interface HubWorker {
  readonly url: string;
  readonly workerId: string;
  readonly herder: DistributedHerder;
  readonly worker: () => RecordingWorker;
  readonly stores: DistributedStores;
  readonly client: KafkaClusterClient;
  readonly server: RestServer;
  /** Internal task-config requests other workers sent to this one, and how they ended. */
  readonly received: Array<{ connector: string; signed: boolean; ok: boolean }>;
  stop(): Promise<void>;
}

async function startHubWorker(bootstrap: string, groupId: string): Promise<HubWorker> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const workerId = `127.0.0.1:${port}`;
  const config = new WorkerConfig(
    {
      "bootstrap.servers": bootstrap,
      ...connectGroupProps(groupId, "1"),
      "key.converter": "org.apache.kafka.connect.json.JsonConverter",
      "value.converter": "org.apache.kafka.connect.json.JsonConverter",
      ...GROUP_SETTINGS,
    },
    true,
  );
  const client = new KafkaClusterClient({ bootstrapServers: [bootstrap], clientId: `hub-${port}` });
  const kafka = kafkaClient({ "bootstrap.servers": bootstrap, "client.id": `hub-${port}` }, log);
  const stores = createDistributedStores(config, { kafka, client, log });
  let worker: RecordingWorker | undefined;
  const herder = new DistributedHerder({
    registry,
    workerConfig: config,
    // Kafka's FileStreamSourceConnector: one task, whose config is the connector's, plus the
    // task.class Kafka's Worker adds (a Kafka worker cannot start a task config without it).
    createWorker: (hooks) => (worker = new RecordingWorker(workerId, hooks, (_name, c) => [{ ...c, "task.class": "org.apache.kafka.connect.file.FileStreamSourceTask" }])),
    configStore: stores.config,
    statusStore: stores.status,
    offsetStore: stores.offset,
    client,
    restUrl: url,
    kafkaClusterId: "mixed",
    log: log.child({ worker: "hub" }),
  });
  const restLog = pino({ level: "silent" });
  const ctx: RestContext = {
    herder,
    loggers: new LoggerLevels(restLog),
    log: restLog,
    requestTimeoutMs: 60_000,
    topicTrackingEnabled: true,
    topicTrackingResetEnabled: true,
    version: "test",
    commit: "",
  };
  const received: HubWorker["received"] = [];
  const handler = {
    async putTaskConfigs(connector: string, configs: ReadonlyArray<Record<string, string>>, signature: RequestSignature | null, body: Buffer): Promise<void> {
      const entry = { connector, signed: signature !== null, ok: false };
      received.push(entry);
      await herder.putTaskConfigs(connector, configs, signature, body);
      entry.ok = true;
    },
  };
  const server = createRestServer({ herder, loggers: ctx.loggers, log: restLog, version: "test", requestTimeoutMs: 60_000, registerInternalRoutes: (app) => registerInternalRoutes(app, ctx, handler) });
  await server.listen({ scheme: "http", host: "127.0.0.1", port });
  await stores.offset.start();
  await herder.start();
  let stopped = false;
  return {
    url,
    workerId,
    herder,
    worker: () => worker!,
    stores,
    client,
    server,
    received,
    async stop() {
      if (stopped) return;
      stopped = true;
      await herder.stop();
      await stores.offset.stop();
      await server.close();
      await client.close();
    },
  };
}

describe.each(TARGETS)("a hub worker and a Kafka Connect 4.3.1 worker in one cluster on %s", (targetName) => {
  let target: InteropTarget;
  let kafkaWorker: KafkaConnectWorker | undefined;
  let hub: HubWorker | undefined;

  beforeAll(async () => {
    target = await openTarget(targetName);
  });

  afterEach(async () => {
    await hub?.stop();
    await kafkaWorker?.stop();
    hub = undefined;
    kafkaWorker = undefined;
  });

  afterAll(async () => {
    await target?.close();
  });

  // On the hub's broker the Kafka worker joins first (and leads); on Kafka the hub worker does.
  const hubLeads = targetName === "kafka";

  it(`share connectors with the ${hubLeads ? "hub" : "Kafka"} worker leading, then the hub takes over`, async () => {
    const groupId = target.unique("mixed-connect");
    const startKafka = (): Promise<KafkaConnectWorker> => startKafkaConnect({ bootstrap: target.bootstrap, groupId, workerProps: GROUP_SETTINGS });
    if (hubLeads) {
      hub = await startHubWorker(target.bootstrap, groupId);
      await hub.herder.whenReady();
      kafkaWorker = await startKafka();
    } else {
      kafkaWorker = await startKafka();
      hub = await startHubWorker(target.bootstrap, groupId);
    }
    const k = kafkaWorker;
    const h = hub;
    const kafkaUrl = `${k.url}/`;
    await waitFor("one group of two", () => h.herder.leaderUrl !== null && h.herder.generation > 0 && (h.herder.isLeader ? h.herder.leaderUrl === h.url : h.herder.leaderUrl === kafkaUrl));
    expect(h.herder.isLeader).toBe(hubLeads);

    // Connectors created through both REST APIs: writes reaching the follower are forwarded.
    const names = ["fs-1", "fs-2", "fs-3", "fs-4"];
    for (const [i, name] of names.entries()) {
      const via = i % 2 === 0 ? h.url.replace(/\/$/, "") : k.url;
      const created = await http("POST", `${via}/connectors`, { name, config: { "connector.class": "FileStreamSource", topic: `${name}-out`, "tasks.max": "1" } });
      expect([created.status, name]).toEqual([201, name]);
    }

    // Everything runs, spread over both workers, and both answer the same statuses.
    const statuses = await waitFor("every connector and task RUNNING", async () => {
      const out = new Map<string, ConnectorStatusJson>();
      for (const name of names) {
        const fromKafka = await http("GET", `${k.url}/connectors/${name}/status`);
        const fromHub = await http("GET", `${h.url}connectors/${name}/status`);
        if (fromKafka.status !== 200 || fromHub.status !== 200) throw new Error(`${name}: status ${fromKafka.status} / ${fromHub.status}`);
        const s = fromKafka.body as ConnectorStatusJson;
        if (s.connector.state !== "RUNNING" || s.tasks.length !== 1 || s.tasks[0]!.state !== "RUNNING") throw new Error(`${name}: ${JSON.stringify(s)}`);
        if (JSON.stringify(fromHub.body) !== JSON.stringify(fromKafka.body)) throw new Error(`${name}: hub says ${JSON.stringify(fromHub.body)}, Kafka ${JSON.stringify(fromKafka.body)}`);
        out.set(name, s);
      }
      return out;
    });
    const owners = new Set([...statuses.values()].flatMap((s) => [s.connector.worker_id, ...s.tasks.map((t) => t.worker_id)]));
    expect(owners).toEqual(new Set([h.workerId, `127.0.0.1:${k.port}`]));
    // What the hub worker runs is what the statuses say it runs.
    for (const [name, s] of statuses) {
      expect([name, h.worker().connectors.has(name)]).toEqual([name, s.connector.worker_id === h.workerId]);
      expect([name, h.worker().tasks.has(`${name}/0`)]).toEqual([name, s.tasks[0]!.worker_id === h.workerId]);
    }
    // The task configs came from whichever worker ran each connector, through the leader: when the
    // hub leads, Kafka's worker sent the configs of the connectors it runs, signed (KIP-507).
    if (hubLeads) {
      const kafkaRuns = [...statuses].filter(([, s]) => s.connector.worker_id !== h.workerId).map(([n]) => n);
      expect(kafkaRuns.length).toBeGreaterThan(0);
      for (const n of kafkaRuns) expect(h.received).toContainEqual({ connector: n, signed: true, ok: true });
    }
    for (const name of names) {
      const tasks = (await http("GET", `${k.url}/connectors/${name}/tasks`)).body as Array<{ config: Record<string, string> }>;
      expect(tasks).toHaveLength(1);
      expect(tasks[0]!.config.topic).toBe(`${name}-out`);
    }

    // Pause through Kafka; the hub worker pauses what it runs.
    expect((await http("PUT", `${k.url}/connectors/fs-1/pause`)).status).toBe(202);
    await waitFor("fs-1 PAUSED", async () => {
      const s = (await http("GET", `${h.url}connectors/fs-1/status`)).body as ConnectorStatusJson;
      return s.connector.state === "PAUSED" && s.tasks.every((t) => t.state === "PAUSED");
    });
    // Delete through the hub.
    expect((await http("DELETE", `${h.url}connectors/fs-4`)).status).toBe(204);
    await waitFor("fs-4 gone on both", async () => (await http("GET", `${k.url}/connectors/fs-4`)).status === 404 && !h.worker().connectors.has("fs-4"));

    // Every record in the internal topics is readable by the hub, and the values of a known
    // shape are byte for byte what the hub writes for the same content.
    const reader = new PartitionReader(h.client);
    const configTopic = `${groupId}-configs`;
    const statusTopic = `${groupId}-status`;
    reader.assign([
      { topic: configTopic, partition: 0, offset: "earliest" },
      ...Array.from({ length: 5 }, (_, partition) => ({ topic: statusTopic, partition, offset: "earliest" as const })),
    ]);
    const ends = await reader.endOffsets(reader.assignment());
    const records: Array<{ topic: string; key: string; value: Buffer | null }> = [];
    await waitFor("the internal topics read", async () => {
      for (const r of await reader.poll({ maxWaitMs: 200 })) records.push({ topic: r.topic, key: r.key!.toString("utf8"), value: r.value });
      for (const e of ends) if ((await reader.position(e)) < e.offset) return false;
      return true;
    });
    await reader.close();
    const kinds = new Set<string>();
    for (const r of records) {
      if (r.topic === configTopic) {
        const d = decodeConfigRecord(r.key, r.value);
        expect([r.key, d.kind]).not.toEqual([r.key, "invalid"]);
        kinds.add(d.kind);
        if (d.kind === "commit") expect(r.value).toEqual(commitTasksValue(d.tasks));
        if (d.kind === "target-state" && d.state !== null) expect(r.value).toEqual(targetStateValue(d.state));
        if (d.kind === "session-key") expect(r.value).toEqual(sessionKeyValue(d.sessionKey));
      } else {
        const d = decodeStatusRecord(r.key, r.value);
        expect([r.key, d.kind]).not.toEqual([r.key, "invalid"]);
        if ((d.kind === "connector" || d.kind === "task") && d.status !== null) expect([r.key, r.value?.toString()]).toEqual([r.key, statusValue(d.status)!.toString()]);
      }
    }
    expect([...kinds].sort()).toEqual(expect.arrayContaining(["commit", "connector", "session-key", "target-state", "task"]));

    // The Kafka worker dies: the hub worker ends up running everything.
    await k.kill();
    await waitFor(
      "the hub worker running every connector and task",
      () => ["fs-1", "fs-2", "fs-3"].every((n) => h.worker().connectors.has(n) && h.worker().tasks.has(`${n}/0`)) && h.herder.isLeader,
      6000 + HOLD_MS + 60_000,
    );
    await waitFor("statuses naming the hub worker", async () => {
      for (const n of ["fs-2", "fs-3"]) {
        const s = (await http("GET", `${h.url}connectors/${n}/status`)).body as ConnectorStatusJson;
        if (s.connector.worker_id !== h.workerId || s.connector.state !== "RUNNING" || s.tasks[0]?.worker_id !== h.workerId) return false;
      }
      const paused = (await http("GET", `${h.url}connectors/fs-1/status`)).body as ConnectorStatusJson;
      return paused.connector.state === "PAUSED" && paused.connector.worker_id === h.workerId;
    });
  }, 300_000);
});

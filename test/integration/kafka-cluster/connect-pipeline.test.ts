// The hub's Connect runtime past one machine: distributed workers on a three-broker Apache
// Kafka KRaft cluster, their config/offset/status topics at replication factor 3, run a
// FileStreamSource → topic (3 partitions, replication factor 3) → FileStreamSink pipeline
// configured over the REST API. One Kafka broker (the sink group's coordinator, usually also a
// leader of the topic) is SIGKILLed while lines flow and stays down; the output file must end up
// holding every input line (at least once: duplicates are counted and reported, not failed) and
// both connectors must still be RUNNING. The same scenario runs on Apache Kafka Connect 4.3.1
// (one worker), the reference, and on two hub workers.
import { appendFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Kafka, logLevel, type Admin, type ITopicMetadata } from "kafkajs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startHubConnectWorker } from "../../support/hub-connect.ts";
import { startKafkaConnect } from "../../support/kafka-connect-process.ts";
import { startKafkaCluster, type KafkaCluster } from "../../support/kafka-cluster.ts";
import { rest } from "../../support/rest-call.ts";

const PARTITIONS = 3;
/** Lines in the file before the connectors start, and appended per tick while the pipeline runs. */
const INITIAL_LINES = 2000;
const LINES_PER_TICK = 50;
const TICK_MS = 100;
/** How long lines keep being appended after the kill (the cluster fails over meanwhile). */
const APPEND_AFTER_KILL_MS = 15_000;

async function until<T>(what: string, deadlineMs: number, probe: () => Promise<T | undefined | false> | T | undefined | false, detail?: () => Promise<string> | string): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      const more = detail ? `\n${await detail()}` : "";
      throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ""}${more}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

interface StatusJson {
  connector: { state: string; worker_id: string };
  tasks: { id: number; state: string; worker_id: string; trace?: string }[];
}

/**
 * Topic metadata once every broker knows the topics: brokers learn of a new topic from the
 * controller one by one, and the one kafkajs asks may answer UNKNOWN_TOPIC_OR_PARTITION meanwhile.
 */
async function topicMetadata(admin: Admin, topics: string[]): Promise<ITopicMetadata[]> {
  return until(`metadata of ${topics.join(", ")}`, 30_000, async () => {
    const meta = await admin.fetchTopicMetadata({ topics });
    return meta.topics.length === topics.length && meta.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0)) ? meta.topics : undefined;
  });
}

/** Java's String.hashCode, which Kafka hashes a group id with to pick its __consumer_offsets partition. */
function javaHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/** The broker coordinating a group: the leader of __consumer_offsets partition abs(hashCode) % partitions. */
async function groupCoordinator(admin: Admin, groupId: string): Promise<number> {
  const partitions = (await topicMetadata(admin, ["__consumer_offsets"]))[0]?.partitions ?? [];
  if (partitions.length === 0) throw new Error("no __consumer_offsets metadata");
  const partition = (javaHashCode(groupId) & 0x7fffffff) % partitions.length;
  const leader = partitions.find((p) => p.partitionId === partition)?.leader;
  if (leader === undefined) throw new Error(`no leader for __consumer_offsets-${partition}`);
  return leader;
}

type TargetName = "kafka-connect" | "hub";
const TARGETS: readonly TargetName[] = ["kafka-connect", "hub"];

/** Worker properties both runtimes get: String converters (the lines pass through unchanged). */
const WORKER_PROPS: Record<string, string> = {
  "key.converter": "org.apache.kafka.connect.storage.StringConverter",
  "value.converter": "org.apache.kafka.connect.storage.StringConverter",
  "offset.flush.interval.ms": "500",
};

interface Workers {
  urls: string[];
  stop(): Promise<void>;
}

/** The distributed workers of one group: two hub workers, or one Kafka Connect JVM (two would crowd 2 cores). */
async function startWorkers(target: TargetName, bootstrap: string, group: string): Promise<Workers> {
  if (target === "kafka-connect") {
    const worker = await startKafkaConnect({ bootstrap, groupId: group, replicationFactor: 3, workerProps: WORKER_PROPS });
    return { urls: [worker.url], stop: () => worker.stop() };
  }
  const started: { url: string; stop(): Promise<void> }[] = [];
  const stop = async (): Promise<void> => {
    await Promise.allSettled(started.map((w) => w.stop()));
  };
  try {
    for (let i = 0; i < 2; i++) {
      started.push(
        await startHubConnectWorker({
          bootstrap,
          mode: "distributed",
          group,
          props: {
            ...WORKER_PROPS,
            "config.storage.replication.factor": "3",
            "offset.storage.replication.factor": "3",
            "status.storage.replication.factor": "3",
          },
        }),
      );
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { urls: started.map((w) => w.url), stop };
}

const line = (n: number): string => `line-${String(n).padStart(7, "0")}`;

describe("a Connect pipeline on a three-broker Apache Kafka cluster", () => {
  let cluster: KafkaCluster | undefined;
  let admin: Admin | undefined;
  let workers: Workers | undefined;
  let killed: number | undefined;
  let dir: string | undefined;

  beforeAll(async () => {
    const t0 = Date.now();
    cluster = await startKafkaCluster({ nodes: 3 });
    console.log(`cluster start-up: ${Date.now() - t0} ms (${cluster.bootstrap})`);
    admin = new Kafka({ clientId: "connect-pipeline-test", brokers: cluster.bootstrap.split(","), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    dir = await mkdtemp(join(tmpdir(), "kafka-cluster-pipeline-"));
  }, 180_000);

  afterEach(async () => {
    // Workers first (they would keep retrying against a broken cluster), then the broker comes
    // back for the next runtime's turn.
    await workers?.stop();
    workers = undefined;
    if (killed !== undefined && cluster) await cluster.restart(killed);
    killed = undefined;
  }, 120_000);

  afterAll(async () => {
    await workers?.stop();
    await admin?.disconnect().catch(() => undefined);
    await cluster?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 90_000);

  it.each(TARGETS)("%s delivers every line of a file → topic → file pipeline when a Kafka broker is SIGKILLed mid-pipeline", async (target) => {
    if (!cluster || !admin || !dir) throw new Error("the cluster did not start");
    const c = cluster;
    const a = admin;
    const run = `${target}-${process.pid}-${Date.now().toString(36)}`;
    const group = `cluster-pipeline-${run}`;
    const topic = `cluster-lines-${run}`;
    const input = join(dir, `${run}-in.txt`);
    const output = join(dir, `${run}-out.txt`);

    const t0 = Date.now();
    const w = await startWorkers(target, c.bootstrap, group);
    workers = w;
    console.log(`[${target}] ${w.urls.length} distributed worker(s) started in ${Date.now() - t0} ms: ${w.urls.join(", ")}`);
    const first = w.urls[0] as string;
    const last = w.urls.at(-1) as string;

    // The internal topics exist with three replicas each.
    const internal = [`${group}-configs`, `${group}-offsets`, `${group}-status`];
    for (const t of await topicMetadata(a, internal)) for (const p of t.partitions) expect(p.replicas, `${t.name}-${p.partitionId}`).toHaveLength(3);

    await a.createTopics({ topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 3 }], waitForLeaders: true });
    await topicMetadata(a, [topic]);
    let appended = INITIAL_LINES;
    await writeFile(input, Array.from({ length: INITIAL_LINES }, (_, i) => line(i) + "\n").join(""));

    // Through the last worker, which forwards to the leader when it is not it (users POST to any worker).
    const source = { name: `lines-in-${target}`, config: { "connector.class": "org.apache.kafka.connect.file.FileStreamSourceConnector", file: input, topic, "tasks.max": "1", "batch.size": "200" } };
    const sink = { name: `lines-out-${target}`, config: { "connector.class": "org.apache.kafka.connect.file.FileStreamSinkConnector", file: output, topics: topic, "tasks.max": "1" } };
    for (const connector of [source, sink]) {
      const created = await until(`POST /connectors ${connector.name}`, 30_000, async () => {
        const res = await rest(last, "POST", "/connectors", connector);
        if (res.status === 201) return res;
        // 409 while the group is still forming a generation (Kafka's "rebalance in progress").
        if (res.status === 409) return undefined;
        throw new Error(`POST /connectors answered ${res.status}: ${JSON.stringify(res.json)}`);
      });
      expect(created.status).toBe(201);
    }

    /** Complete lines of the output file (the sink may be half-way through writing one). */
    const outputLines = async (): Promise<string[]> => {
      const text = await readFile(output, "utf8").catch(() => "");
      return text.slice(0, text.lastIndexOf("\n") + 1).split("\n").filter((l) => l !== "");
    };
    /** Where the records are: the topic's end offsets and the sink's committed offsets, per partition. */
    const positions = async (): Promise<string> => {
      try {
        const ends = await a.fetchTopicOffsets(topic);
        const committed = await a.fetchOffsets({ groupId: `connect-${sink.name}`, topics: [topic] });
        const meta = (await a.fetchTopicMetadata({ topics: [topic] })).topics[0]?.partitions ?? [];
        return ends
          .sort((x, y) => x.partition - y.partition)
          .map((e) => {
            const m = meta.find((p) => p.partitionId === e.partition);
            const done = committed[0]?.partitions.find((p) => p.partition === e.partition)?.offset;
            return `${topic}-${e.partition}: leader ${m?.leader} isr [${m?.isr.join(",")}], end offset ${e.high}, sink committed ${done}`;
          })
          .join("\n");
      } catch (error) {
        return `(positions unavailable: ${(error as Error).message})`;
      }
    };
    const statuses = async (): Promise<string> => {
      const parts: string[] = [await positions()];
      for (const name of [source.name, sink.name]) {
        const res = await rest(first, "GET", `/connectors/${name}/status`).catch((e: unknown) => ({ status: 0, json: String(e) }));
        parts.push(`${name}: ${res.status} ${JSON.stringify(res.json)}`);
      }
      return parts.join("\n");
    };

    await until("the first lines through the pipeline", 60_000, async () => (await outputLines()).length >= INITIAL_LINES / 2, statuses);

    // Lines keep arriving while the broker dies and the cluster fails over.
    let appending = true;
    const appender = (async () => {
      while (appending) {
        const chunk = Array.from({ length: LINES_PER_TICK }, (_, i) => line(appended + i) + "\n").join("");
        await appendFile(input, chunk);
        appended += LINES_PER_TICK;
        await new Promise((r) => setTimeout(r, TICK_MS));
      }
    })();

    try {
      await new Promise((r) => setTimeout(r, 2000));
      // The hardest broker to lose: the sink's group coordinator (its offset commits and
      // heartbeats must find the new one), which with 3 partitions over 3 brokers also leads one
      // of the topic's partitions (the source's sends must move to the new leader).
      const victim = await groupCoordinator(a, `connect-${sink.name}`);
      const led = ((await topicMetadata(a, [topic]))[0]?.partitions ?? []).filter((p) => p.leader === victim).map((p) => p.partitionId);
      const workerCoordinator = await groupCoordinator(a, group);
      const deliveredAtKill = (await outputLines()).length;
      killed = victim;
      await c.kill(victim);
      console.log(
        `[${target}] SIGKILLed broker ${victim} (coordinator of the sink's group${workerCoordinator === victim ? " and of the workers' group" : ""}, ` +
          `leader of ${topic} partitions [${led.join(", ")}]) with ${appended} lines in the file and ${deliveredAtKill} in the output`,
      );
      await new Promise((r) => setTimeout(r, APPEND_AFTER_KILL_MS));
    } finally {
      appending = false;
      await appender;
    }
    const killedAt = Date.now();

    const expected = Array.from({ length: appended }, (_, i) => line(i));
    let got: string[] = [];
    await until(
      `all ${appended} lines in the output file`,
      90_000,
      async () => {
        got = await outputLines();
        return new Set(got).size >= appended;
      },
      async () => {
        const have = new Set(got);
        const missing = expected.filter((l) => !have.has(l));
        return `${have.size} of ${appended} distinct lines delivered; first missing: ${missing.slice(0, 10).join(", ")}\n${await statuses()}`;
      },
    );
    console.log(`[${target}] every line delivered ${Date.now() - killedAt} ms after the appends stopped`);

    const counts = new Map<string, number>();
    for (const l of got) counts.set(l, (counts.get(l) ?? 0) + 1);
    const duplicated = [...counts].filter(([, n]) => n > 1);
    const unexpected = [...counts.keys()].filter((l) => !/^line-\d{7}$/.test(l) || Number(l.slice(5)) >= appended);
    console.log(
      `[${target}] broker ${killed} SIGKILLed: ${appended} input lines, ${got.length} output lines, ${counts.size} distinct, ` +
        `${got.length - counts.size} duplicates over ${duplicated.length} lines${duplicated.length ? ` (e.g. ${duplicated.slice(0, 5).map(([l, n]) => `${l}×${n}`).join(", ")})` : ""}`,
    );
    expect(unexpected).toEqual([]);
    expect(expected.filter((l) => !counts.has(l))).toEqual([]);

    // Both connectors and their tasks survived the failover.
    for (const name of [source.name, sink.name]) {
      const res = await rest(first, "GET", `/connectors/${name}/status`);
      expect(res.status).toBe(200);
      const status = res.json as StatusJson;
      expect(status.connector.state, JSON.stringify(status)).toBe("RUNNING");
      expect(status.tasks.map((t) => t.state), JSON.stringify(status)).toEqual(["RUNNING"]);
    }
  }, 200_000);
});

// The Kafka Connect REST conformance suite: every endpoint of the API, success and error
// paths, with the FileStream connectors and SMT chains, run against each Connect target
// (Apache Kafka Connect 4.3.1 from Maven Central, and the hub's worker) on three brokers: the
// hub's, the Apache Kafka service, and a three-broker Apache Kafka KRaft cluster (the workers'
// internal topics at replication factor 3), which is how users run past one machine. The
// expected status codes and JSON shapes are written once, in expected.ts (which also lists
// where, and why, a target may differ); each target must match them on every broker. Each
// broker is opened once for both targets, and one worker per target and broker serves all the
// scenarios of a describe block (a JVM takes seconds to start on a small machine); names are
// unique per run since topics outlive it on the Kafka service.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Admin, Kafka, logLevel } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireService } from "../../services/index.ts";
import { CONNECT_TARGETS, type ConnectTarget, openConnectTarget } from "../../support/connect-targets.ts";
import { startHubBroker } from "../../support/hub-broker.ts";
import { startKafkaCluster } from "../../support/kafka-cluster.ts";
import {
  ALTERED,
  commonConfigValues,
  configValue,
  connectorInfo,
  connectorStatus,
  errorBody,
  FILE_SINK_CONFIG_DEF,
  FILE_SOURCE_CONFIG_DEF,
  INTERNAL_ERROR,
  invalidConfig,
  LOGGER_LEVEL,
  missing,
  NOT_STOPPED,
  noConnectorType,
  pluginList,
  PREDICATE_RECOMMENDATIONS,
  REGEX_ROUTER_CONFIG_DEF,
  RESET,
  SOURCE_CONFIG_VALUES,
  taskInfos,
  taskStatus,
  TRANSFORMATION_RECOMMENDATIONS,
  unknownConnectorClass,
  validated,
  VERSION,
} from "./expected.ts";
import { eventuallyAnswer, expectAnswer, RestClient } from "./rest.ts";
import { allOf, anyInteger, arrayOf, containing, includes, nonEmptyString, recordOf, satisfies, type Shape, withKeys } from "./shape.ts";

type BrokerName = "hub" | "kafka" | "kafka-cluster";
const BROKERS: readonly BrokerName[] = ["hub", "kafka", "kafka-cluster"];

interface OpenBroker {
  /** bootstrap.servers: one address, or the cluster's comma-separated list. */
  readonly bootstrap: string;
  /** What the workers are asked for their internal topics (undefined: each worker's test default). */
  readonly workerReplicationFactor: number | undefined;
  /** How many replicas each partition of the workers' internal topics must then have. */
  readonly internalReplicas: number;
  close(): Promise<void>;
}

/** Opens a broker for the describe blocks of every target; close() releases what was started. */
async function openBroker(name: BrokerName): Promise<OpenBroker> {
  switch (name) {
    case "hub": {
      const broker = await startHubBroker();
      return { bootstrap: broker.bootstrap, workerReplicationFactor: undefined, internalReplicas: 1, close: () => broker.destroy() };
    }
    case "kafka":
      return { bootstrap: await requireService("kafka"), workerReplicationFactor: undefined, internalReplicas: 1, close: async () => undefined };
    case "kafka-cluster": {
      // Topics the suite creates (and the ones the brokers auto-create for the connectors) get
      // the cluster's defaults: replication factor 3, min.insync.replicas 2.
      const cluster = await startKafkaCluster({ nodes: 3 });
      return { bootstrap: cluster.bootstrap, workerReplicationFactor: 3, internalReplicas: 3, close: () => cluster.stop() };
    }
  }
}

/** Polls `probe` until it returns a value; its errors (metadata still spreading) are retried. */
async function until<V>(what: string, timeoutMs: number, probe: () => Promise<V | undefined>): Promise<V> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last instanceof Error ? ` (last error: ${last.message})` : ""}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Each partition's replica count and the cleanup.policy of `topics`, once every broker lists them. */
async function describeTopics(admin: Admin, topics: readonly string[]): Promise<Record<string, { replicas: number[]; cleanupPolicy: string | undefined }>> {
  const metadata = await until(`metadata of ${topics.join(", ")}`, 30_000, async () => {
    const meta = await admin.fetchTopicMetadata({ topics: [...topics] });
    return meta.topics.length === topics.length && meta.topics.every((t) => t.partitions.length > 0) ? meta.topics : undefined;
  });
  const configs = await admin.describeConfigs({ includeSynonyms: false, resources: topics.map((name) => ({ type: 2 /* TOPIC */, name, configNames: ["cleanup.policy"] })) });
  const described: Record<string, { replicas: number[]; cleanupPolicy: string | undefined }> = {};
  for (const topic of metadata) {
    const resource = configs.resources.find((r) => r.resourceName === topic.name);
    described[topic.name] = {
      replicas: topic.partitions.sort((a, b) => a.partitionId - b.partitionId).map((p) => p.replicas.length),
      cleanupPolicy: resource?.configEntries.find((e) => e.configName === "cleanup.policy")?.configValue,
    };
  }
  return described;
}

const T = "org.apache.kafka.connect.transforms.";

/** An SMT chain on FileStream lines: wrap each line in a struct, add a field, rename the topic. */
function smtChain(fromTopicSuffix: string, toTopicSuffix: string): Record<string, string> {
  return {
    transforms: "hoist,origin,skipped,route",
    "transforms.hoist.type": `${T}HoistField$Value`,
    "transforms.hoist.field": "line",
    "transforms.origin.type": `${T}InsertField$Value`,
    "transforms.origin.static.field": "origin",
    "transforms.origin.static.value": "file",
    // Applies only to topics matching other-.*: not ours, so the field is not added.
    "transforms.skipped.type": `${T}InsertField$Value`,
    "transforms.skipped.static.field": "skipped",
    "transforms.skipped.static.value": "yes",
    "transforms.skipped.predicate": "isOther",
    // The same predicate negated: applies to our topic.
    "transforms.route.type": `${T}RegexRouter`,
    "transforms.route.regex": `(.*)-${fromTopicSuffix}`,
    "transforms.route.replacement": `$1-${toTopicSuffix}`,
    "transforms.route.predicate": "isOther",
    "transforms.route.negate": "true",
    predicates: "isOther",
    "predicates.isOther.type": `${T}predicates.TopicNameMatches`,
    "predicates.isOther.pattern": "other-.*",
  };
}

for (const brokerName of BROKERS) {
  describe(`on the ${brokerName} broker`, () => {
    let broker: OpenBroker | undefined;

    beforeAll(async () => {
      broker = await openBroker(brokerName);
    }, 180_000);

    afterAll(async () => {
      await broker?.close();
    }, 60_000);

    for (const targetName of CONNECT_TARGETS) {
      describe(`Connect REST API: ${targetName} on the ${brokerName} broker`, () => {
        let bootstrap = "";
        let clusterId = "";
        let target: ConnectTarget | undefined;
        let rest: RestClient;
        let workerId = "";
        let dir = "";
        // The target is part of it: the describe blocks of both targets are collected in the same
        // millisecond, and on the Kafka service they would otherwise share topics and sink groups.
        const run = `rest-${targetName}-${process.pid}-${Date.now().toString(36)}`;
        const kafka = (): Kafka => new Kafka({ clientId: "connect-rest-test", brokers: bootstrap.split(","), logLevel: logLevel.NOTHING });

        async function createTopic(topic: string): Promise<void> {
          const admin = kafka().admin();
          await admin.connect();
          try {
            await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
          } finally {
            await admin.disconnect();
          }
        }

        const running = (name: string, type: "source" | "sink", tasks: number): Shape =>
          connectorStatus(
            name,
            type,
            "RUNNING",
            workerId,
            Array.from({ length: tasks }, (_, i) => taskStatus(i, "RUNNING", workerId)),
          );

        beforeAll(async () => {
          if (!broker) throw new Error(`the ${brokerName} broker did not open`);
          bootstrap = broker.bootstrap;
          const admin = kafka().admin();
          await admin.connect();
          clusterId = (await admin.describeCluster()).clusterId;
          await admin.disconnect();
          dir = await mkdtemp(join(tmpdir(), "connect-rest-"));
          const rf = broker.workerReplicationFactor;
          target = await openConnectTarget(targetName, bootstrap, rf === undefined ? {} : { replicationFactor: rf });
          rest = new RestClient(target.url);
          workerId = new URL(target.url).host;
        }, 180_000);

        afterAll(async () => {
          await target?.stop();
          if (dir) await rm(dir, { recursive: true, force: true });
        }, 60_000);

        it("GET / and /health describe the worker and its Kafka cluster", async () => {
          // (A) version and commit are the implementation's; the cluster id is the broker's.
          expectAnswer(await rest.get("/"), 200, { version: VERSION, commit: nonEmptyString, kafka_cluster_id: clusterId });
          expectAnswer(await rest.get("/health"), 200, { status: "healthy", message: "Worker has completed startup and is ready to handle requests." });
          expectAnswer(await rest.get("/connectors"), 200, arrayOf(nonEmptyString));
        });

        it("keeps its config, offset and status topics compacted, with the broker's replication factor", async () => {
          if (!target || !broker) throw new Error("the target did not start");
          const admin = kafka().admin();
          await admin.connect();
          try {
            const want = broker.internalReplicas;
            const described = await describeTopics(admin, target.internalTopics);
            for (const topic of target.internalTopics) {
              expect(described[topic]?.cleanupPolicy, topic).toBe("compact");
              const replicas = described[topic]?.replicas ?? [];
              expect(replicas.length, `${topic}'s partitions`).toBeGreaterThan(0);
              expect(replicas, `${topic}'s replicas per partition`).toEqual(replicas.map(() => want));
            }
          } finally {
            await admin.disconnect();
          }
        });

        it("answers each endpoint's own 404 for an unknown connector", async () => {
          const notFound = errorBody(404, "Connector nope not found");
          expectAnswer(await rest.get("/connectors/nope"), 404, notFound);
          expectAnswer(await rest.get("/connectors/nope/config"), 404, notFound);
          expectAnswer(await rest.get("/connectors/nope/tasks"), 404, notFound);
          expectAnswer(await rest.get("/connectors/nope/offsets"), 404, notFound);
          expectAnswer(await rest.delete("/connectors/nope"), 404, notFound);
          expectAnswer(await rest.patch("/connectors/nope/config", { file: "/tmp/x" }), 404, notFound);
          expectAnswer(await rest.delete("/connectors/nope/offsets"), 404, notFound);
          expectAnswer(await rest.get("/connectors/nope/status"), 404, errorBody(404, "No status found for connector nope"));
          expectAnswer(await rest.get("/connectors/nope/tasks/0/status"), 404, errorBody(404, "No status found for task nope-0"));
          for (const action of ["pause", "resume", "stop"]) expectAnswer(await rest.put(`/connectors/nope/${action}`), 404, errorBody(404, "Unknown connector nope"));
          expectAnswer(await rest.post("/connectors/nope/restart"), 404, errorBody(404, "Unknown connector: nope"));
          expectAnswer(await rest.post("/connectors/nope/restart?includeTasks=true&onlyFailed=true"), 404, errorBody(404, "Unknown connector: nope"));
          expectAnswer(await rest.post("/connectors/nope/tasks/0/restart"), 404, errorBody(404, "Unknown connector: nope"));
          // The body is checked before the connector's existence.
          expectAnswer(await rest.patch("/connectors/nope/offsets", { offsets: [] }), 400, errorBody(400, "Partitions / offsets need to be provided for an alter offsets request"));
          // Active topics are tracked by name: an unknown connector simply has none.
          expectAnswer(await rest.get("/connectors/nope/topics"), 200, { nope: { topics: [] } });
          expectAnswer(await rest.put("/connectors/nope/topics/reset"), 202, undefined);
        });

        it("answers unknown routes, wrong methods and media types like JAX-RS", async () => {
          // Kafka sends these without a Content-Type; the header is left free.
          const routing = { jsonContentType: false };
          expectAnswer(await rest.get("/nope"), 404, errorBody(404, "HTTP 404 Not Found"), routing);
          expectAnswer(await rest.get("/connectors/nope/tasks/abc/status"), 404, errorBody(404, "HTTP 404 Not Found"), routing);
          expectAnswer(await rest.delete("/connectors"), 405, errorBody(405, "HTTP 405 Method Not Allowed"), routing);
          const body = { name: "typed", config: { "connector.class": "FileStreamSource", topic: `${run}-typed` } };
          expectAnswer(await rest.post("/connectors", undefined, { raw: JSON.stringify(body), contentType: "text/plain" }), 415, errorBody(415, "HTTP 415 Unsupported Media Type"), routing);
          expectAnswer(await rest.get("/connectors/typed"), 404, errorBody(404, "Connector typed not found"));
        });

        it("answers malformed or mistyped JSON bodies with 500 (Kafka lets the parser's error through)", async () => {
          const bad = async (method: "POST" | "PUT" | "PATCH", path: string, raw: string): Promise<void> => {
            // (B) the message is the JSON parser's own text.
            expectAnswer(await rest.call(method, path, undefined, { raw }), 500, INTERNAL_ERROR);
          };
          await bad("POST", "/connectors", '{"name":"a",');
          await bad("POST", "/connectors", "not json");
          await bad("POST", "/connectors", "[1]");
          await bad("POST", "/connectors", "");
          await bad("POST", "/connectors", '{"name":"a"}');
          await bad("POST", "/connectors", '{"name":"a","config":"x"}');
          await bad("POST", "/connectors", '{"name":"a","config":{"connector.class":"FileStreamSource","topic":"t","batch.size":{"n":1}}}');
          await bad("POST", "/connectors", '{"name":"a","config":{"connector.class":"FileStreamSource","topic":"t"},"extra":1}');
          await bad("POST", "/connectors", '{"name":"a","config":{"connector.class":"FileStreamSource","topic":"t"},"initial_state":"BOGUS"}');
          await bad("PUT", "/connectors/a/config", "{bad");
          await bad("PUT", "/connectors/a/config", "[1]");
          await bad("PATCH", "/connectors/a/offsets", "{bad");
          await bad("PUT", "/connector-plugins/FileStreamSource/config/validate", "{bad");
          expectAnswer(await rest.get("/connectors"), 200, satisfies("no connector named a", (v) => Array.isArray(v) && !v.includes("a")));
        });

        it("rejects invalid connector configs with 400 and Kafka's messages, and duplicates with 409", async () => {
          const post = (config: Record<string, string>, name: string | null = "bad"): ReturnType<RestClient["post"]> => rest.post("/connectors", name === null ? { config } : { name, config });
          const src = { "connector.class": "FileStreamSource", topic: `${run}-bad` };
          expectAnswer(await post({ ...src, "connector.class": "com.example.Nope" }), 400, errorBody(400, unknownConnectorClass("com.example.Nope")));
          expectAnswer(await post({ topic: "t" }), 400, errorBody(400, noConnectorType({ name: "bad", topic: "t" })));
          expectAnswer(await post({ "connector.class": "FileStreamSource" }), 400, errorBody(400, invalidConfig(missing("topic"))));
          expectAnswer(await post({ ...src, topic: "" }), 400, errorBody(400, invalidConfig("Invalid value  for configuration topic: String must be non-empty")));
          expectAnswer(await post({ ...src, "batch.size": "abc" }), 400, errorBody(400, invalidConfig("Invalid value abc for configuration batch.size: Not a number of type INT")));
          expectAnswer(
            await post({ ...src, "tasks.max": "abc" }),
            400,
            errorBody(400, invalidConfig("Invalid value abc for configuration tasks.max: Not a number of type INT", "Invalid value null for configuration tasks.max: Value must be non-null")),
          );
          expectAnswer(await post({ ...src, "errors.tolerance": "some" }), 400, errorBody(400, invalidConfig("Invalid value some for configuration errors.tolerance: String must be one of: none, all")));
          expectAnswer(await post({ ...src, "value.converter": "com.Nope" }), 400, errorBody(400, invalidConfig("Invalid value com.Nope for configuration value.converter: Class com.Nope could not be found.")));
          expectAnswer(await post({ ...src, transforms: "x" }), 400, errorBody(400, invalidConfig(missing("transforms.x.type"))));
          expectAnswer(await post({ ...src, transforms: "x", "transforms.x.type": "com.Nope" }), 400, errorBody(400, invalidConfig("Invalid value com.Nope for configuration transforms.x.type: Class com.Nope could not be found.")));
          const sink = { "connector.class": "FileStreamSink" };
          const bothTopics = "topics and topics.regex are mutually exclusive options, but both are set.";
          expectAnswer(await post(sink), 400, errorBody(400, invalidConfig("Must configure one of topics or topics.regex", "Must configure one of topics or topics.regex")));
          expectAnswer(await post({ ...sink, topics: "t", "topics.regex": "t.*" }), 400, errorBody(400, invalidConfig(bothTopics, bothTopics)));
          expectAnswer(
            await post({ ...sink, topics: "t", "errors.deadletterqueue.topic.name": "t" }),
            400,
            errorBody(400, invalidConfig("The DLQ topic 't' may not be included in the list of topics ('topics=[t]') consumed by the connector")),
          );
          const emptyName = errorBody(400, invalidConfig("Invalid value  for configuration name: String may not be empty"));
          expectAnswer(await post(src, null), 400, emptyName);
          expectAnswer(await post(src, ""), 400, emptyName);
          expectAnswer(await post({ ...src, name: "other" }), 400, errorBody(400, "Connector name configuration (other) doesn't match connector name in the URL (bad)"));
          expectAnswer(await rest.put("/connectors/bad/config", { ...src, name: "other" }), 400, errorBody(400, "Connector name configuration (other) doesn't match connector name in the URL (bad)"));
          expectAnswer(await rest.put("/connectors/bad/config", { "connector.class": "FileStreamSource" }), 400, errorBody(400, invalidConfig(missing("topic"))));
          expectAnswer(await rest.get("/connectors/bad"), 404, errorBody(404, "Connector bad not found"));

          expectAnswer(await post(src, "dup"), 201, withKeys({ name: "dup" }));
          expectAnswer(await post(src, "dup"), 409, errorBody(409, "Connector dup already exists"));
          // Validation comes first: an invalid config for an existing name is a 400.
          expectAnswer(await post({ "connector.class": "FileStreamSource" }, "dup"), 400, errorBody(400, invalidConfig(missing("topic"))));
          expectAnswer(await rest.delete("/connectors/dup"), 204, undefined);
        });

        it("runs a FileStream source with an SMT chain through its whole lifecycle, offsets included", async () => {
          const file = join(dir, "lifecycle.txt");
          await writeFile(file, "alpha\nbeta\ngamma\n");
          const config = { "connector.class": "FileStreamSource", file, topic: `${run}-lines`, ...smtChain("lines", "routed") };
          const routed = `${run}-routed`;
          expectAnswer(await rest.post("/connectors", { name: "src", config }), 201, connectorInfo("src", "source", config, []));
          expectAnswer(await rest.get("/connectors"), 200, containing("src"));
          await eventuallyAnswer(() => rest.get("/connectors/src"), 200, connectorInfo("src", "source", config, [0]));
          expectAnswer(await rest.get("/connectors/src/config"), 200, { ...config, name: "src" });
          await eventuallyAnswer(() => rest.get("/connectors/src/status"), 200, running("src", "source", 1));
          expectAnswer(await rest.get("/connectors/src/tasks"), 200, taskInfos("src", config, [0]));
          expectAnswer(await rest.get("/connectors/src/tasks/0/status"), 200, taskStatus(0, "RUNNING", workerId));
          expectAnswer(await rest.get("/connectors/src/tasks/5/status"), 404, errorBody(404, "No status found for task src-5"));
          expectAnswer(await rest.post("/connectors/src/tasks/5/restart"), 404, errorBody(404, "Unknown task: src-5"));
          // The active topic is the one the SMT chain routed the records to.
          await eventuallyAnswer(() => rest.get("/connectors/src/topics"), 200, { src: { topics: [routed] } });

          expectAnswer(
            await rest.get("/connectors?expand=status&expand=info"),
            200,
            withKeys({ src: { status: running("src", "source", 1), info: connectorInfo("src", "source", config, [0]) } }),
          );
          expectAnswer(await rest.get("/connectors?expand=info"), 200, withKeys({ src: { info: connectorInfo("src", "source", config, [0]) } }));
          expectAnswer(await rest.get("/connectors?expand=bogus"), 200, withKeys({ src: {} }));

          // Pause and resume: 202, and the state changes a moment later.
          expectAnswer(await rest.put("/connectors/src/pause"), 202, undefined);
          await eventuallyAnswer(() => rest.get("/connectors/src/status"), 200, connectorStatus("src", "source", "PAUSED", workerId, [taskStatus(0, "PAUSED", workerId)]));
          expectAnswer(await rest.get("/connectors/src/tasks/0/status"), 200, taskStatus(0, "PAUSED", workerId));
          expectAnswer(await rest.put("/connectors/src/pause"), 202, undefined);
          expectAnswer(await rest.put("/connectors/src/resume"), 202, undefined);
          await eventuallyAnswer(() => rest.get("/connectors/src/status"), 200, running("src", "source", 1));

          // Restarts: the plain one answers 204; with includeTasks/onlyFailed, 202 and the plan.
          expectAnswer(await rest.post("/connectors/src/restart"), 204, undefined);
          await eventuallyAnswer(() => rest.get("/connectors/src/status"), 200, running("src", "source", 1));
          expectAnswer(
            await rest.post("/connectors/src/restart?includeTasks=true&onlyFailed=false"),
            202,
            connectorStatus("src", "source", "RESTARTING", workerId, [taskStatus(0, "RESTARTING", workerId)]),
          );
          await eventuallyAnswer(() => rest.get("/connectors/src/status"), 200, running("src", "source", 1));
          // Nothing failed: nothing restarts, and the answer is the current state. The 202 above
          // only means the restart request is in the config topic; the worker runs it once it
          // reads it back and reports UNASSIGNED, RESTARTING and RUNNING through the status topic,
          // whose connector and task keys sit in different partitions. So the wait above may
          // have seen the statuses from before the restart, and this answer a moment of it (on a
          // three-broker cluster every acks=all write takes longer, and it shows): asking again
          // is harmless, since with nothing failed the request restarts nothing.
          await eventuallyAnswer(() => rest.post("/connectors/src/restart?includeTasks=true&onlyFailed=true"), 202, running("src", "source", 1));
          expectAnswer(await rest.post("/connectors/src/tasks/0/restart"), 204, undefined);
          await eventuallyAnswer(() => rest.get("/connectors/src/status"), 200, running("src", "source", 1));

          // Offsets can be read while running, but only changed once the connector is stopped.
          await eventuallyAnswer(() => rest.get("/connectors/src/offsets"), 200, { offsets: [{ partition: { filename: file }, offset: { position: 17 } }] });
          expectAnswer(await rest.delete("/connectors/src/offsets"), 400, NOT_STOPPED("src"));
          expectAnswer(await rest.patch("/connectors/src/offsets", { offsets: [{ partition: { filename: file }, offset: { position: 0 } }] }), 400, NOT_STOPPED("src"));

          expectAnswer(await rest.put("/connectors/src/stop"), 204, undefined);
          await eventuallyAnswer(() => rest.get("/connectors/src/status"), 200, connectorStatus("src", "source", "STOPPED", workerId, []));
          expectAnswer(await rest.get("/connectors/src/tasks"), 200, []);
          expectAnswer(await rest.get("/connectors/src"), 200, connectorInfo("src", "source", config, []));
          expectAnswer(await rest.get("/connectors/src/offsets"), 200, { offsets: [{ partition: { filename: file }, offset: { position: 17 } }] });

          // FileStreamSourceConnector checks altered offsets itself; its errors are 500s.
          const patch = (offsets: unknown): ReturnType<RestClient["patch"]> => rest.patch("/connectors/src/offsets", { offsets });
          expectAnswer(await patch([{ partition: { filename: file }, offset: { position: "abc" } }]), 500, errorBody(500, "The value for the 'position' key in the offset is expected to be a Long value"));
          expectAnswer(await patch([{ partition: { filename: file }, offset: { position: -1 } }]), 500, errorBody(500, "The value for the 'position' key in the offset should be a non-negative value"));
          expectAnswer(await patch([{ partition: { filename: file }, offset: { pos: 5 } }]), 500, errorBody(500, "Offset objects should either be null or contain the key 'position'"));
          expectAnswer(await patch([{ partition: { file }, offset: { position: 5 } }]), 500, errorBody(500, "Partition objects should contain the key 'filename'"));
          expectAnswer(await rest.patch("/connectors/src/offsets", {}), 400, errorBody(400, "Partitions / offsets need to be provided for an alter offsets request"));
          const other = join(dir, "other.txt");
          expectAnswer(await patch([{ partition: { filename: other }, offset: { position: 5 } }]), 200, ALTERED);
          await eventuallyAnswer(
            () => rest.get("/connectors/src/offsets"),
            200,
            {
              offsets: satisfies("both files' offsets, in any order", (v) => {
                const list = v as Array<{ partition: { filename: string }; offset: { position: number } }>;
                return Array.isArray(list) && list.length === 2 && JSON.stringify(list.map((o) => [o.partition.filename, o.offset.position]).sort()) === JSON.stringify([[file, 17], [other, 5]].sort());
              }),
            },
          );
          // Removing offsets writes tombstones; for a moment Kafka may list the partition with
          // "offset": null before it is gone.
          expectAnswer(await patch([{ partition: { filename: other }, offset: null }]), 200, ALTERED);
          await eventuallyAnswer(() => rest.get("/connectors/src/offsets"), 200, { offsets: [{ partition: { filename: file }, offset: { position: 17 } }] });
          expectAnswer(await rest.delete("/connectors/src/offsets"), 200, RESET);
          await eventuallyAnswer(() => rest.get("/connectors/src/offsets"), 200, { offsets: [] });

          expectAnswer(await rest.put("/connectors/src/topics/reset"), 202, undefined);
          // The reset goes through the status topic: it shows a moment later.
          await eventuallyAnswer(() => rest.get("/connectors/src/topics"), 200, { src: { topics: [] } });
          // A stopped connector can be paused (no tasks run), then resumed.
          expectAnswer(await rest.put("/connectors/src/pause"), 202, undefined);
          await eventuallyAnswer(() => rest.get("/connectors/src/status"), 200, connectorStatus("src", "source", "PAUSED", workerId, []));
          expectAnswer(await rest.put("/connectors/src/resume"), 202, undefined);
          await eventuallyAnswer(() => rest.get("/connectors/src/status"), 200, running("src", "source", 1));
          // The offsets were reset: the file is read again from its start.
          await eventuallyAnswer(() => rest.get("/connectors/src/offsets"), 200, { offsets: [{ partition: { filename: file }, offset: { position: 17 } }] });

          expectAnswer(await rest.delete("/connectors/src"), 204, undefined);
          expectAnswer(await rest.get("/connectors/src"), 404, errorBody(404, "Connector src not found"));
          await eventuallyAnswer(() => rest.get("/connectors/src/status"), 404, errorBody(404, "No status found for connector src"));
        });

        it("reports a failing sink task with its trace, restarts only failed tasks, and alters sink offsets", async () => {
          const topic = `${run}-sink-offsets`;
          await createTopic(topic);
          const out = join(dir, "no-such-dir", "out.txt");
          const config = { "connector.class": "FileStreamSink", topics: topic, file: out };
          // A sink's offsets are its consumer group's (connect-<name>), which outlives the run on
          // the Kafka service: the name is unique.
          const name = `badsink-${run}`;
          expectAnswer(await rest.put(`/connectors/${name}/config`, config), 201, connectorInfo(name, "sink", config, []));
          // (B) the trace is the implementation's; it carries the task's error message.
          const trace = includes(`Couldn't find or create file '${out}' for FileStreamSinkTask`);
          const failed = connectorStatus(name, "sink", "RUNNING", workerId, [taskStatus(0, "FAILED", workerId, trace)]);
          await eventuallyAnswer(() => rest.get(`/connectors/${name}/status`), 200, failed);
          expectAnswer(await rest.get(`/connectors/${name}/tasks/0/status`), 200, taskStatus(0, "FAILED", workerId, trace));
          expectAnswer(
            await rest.post(`/connectors/${name}/restart?includeTasks=true&onlyFailed=true`),
            202,
            connectorStatus(name, "sink", "RUNNING", workerId, [taskStatus(0, "RESTARTING", workerId, trace)]),
          );
          await eventuallyAnswer(() => rest.get(`/connectors/${name}/status`), 200, failed);

          expectAnswer(await rest.put(`/connectors/${name}/stop`), 204, undefined);
          await eventuallyAnswer(() => rest.get(`/connectors/${name}/status`), 200, connectorStatus(name, "sink", "STOPPED", workerId, []));
          expectAnswer(await rest.get(`/connectors/${name}/offsets`), 200, { offsets: [] });
          const patch = (offsets: unknown): ReturnType<RestClient["patch"]> => rest.patch(`/connectors/${name}/offsets`, { offsets });
          expectAnswer(await patch([{ partition: { kafka_topic: topic }, offset: { kafka_offset: 1 } }]), 400, errorBody(400, "The partition for a sink connector offset must contain the keys 'kafka_topic' and 'kafka_partition'"));
          expectAnswer(
            await patch([{ partition: { kafka_topic: topic, kafka_partition: 0 }, offset: { kafka_offset: "x" } }]),
            400,
            errorBody(400, "Failed to parse the following Kafka offset value in the provided offsets: 'x'. Offset values for sink connectors need to be integers."),
          );
          expectAnswer(await patch([{ partition: { kafka_topic: topic, kafka_partition: 0 }, offset: { kafka_offset: 1 } }]), 200, ALTERED);
          await eventuallyAnswer(() => rest.get(`/connectors/${name}/offsets`), 200, { offsets: [{ partition: { kafka_topic: topic, kafka_partition: 0 }, offset: { kafka_offset: 1 } }] });
          expectAnswer(await rest.delete(`/connectors/${name}/offsets`), 200, RESET);
          await eventuallyAnswer(() => rest.get(`/connectors/${name}/offsets`), 200, { offsets: [] });
          expectAnswer(await rest.delete(`/connectors/${name}`), 204, undefined);
        });

        it("copies a file through FileStreamSource → SMT chain → topic → FileStreamSink", async () => {
          const input = join(dir, "e2e-in.txt");
          const output = join(dir, "e2e-out.txt");
          const lines = ["first line", "second", "", "fourth: with punctuation, and spaces", "last"];
          await writeFile(input, lines.map((l) => `${l}\n`).join(""));
          const copied = `${run}-e2e-copied`;
          await createTopic(copied);
          const sourceConfig = { "connector.class": "org.apache.kafka.connect.file.FileStreamSourceConnector", file: input, topic: `${run}-e2e-lines`, ...smtChain("e2e-lines", "e2e-copied") };
          const sinkConfig = { "connector.class": "org.apache.kafka.connect.file.FileStreamSinkConnector", file: output, topics: copied };
          const sinkName = `e2e-sink-${run}`; // unique: its consumer group outlives the run
          expectAnswer(await rest.post("/connectors", { name: sinkName, config: sinkConfig }), 201, connectorInfo(sinkName, "sink", sinkConfig, []));
          expectAnswer(await rest.post("/connectors", { name: "e2e-source", config: sourceConfig }), 201, connectorInfo("e2e-source", "source", sourceConfig, []));
          // HoistField made each line a struct, InsertField added origin, the predicate kept
          // `skipped` out, and the sink writes Struct.toString(): Kafka's exact text.
          const expected = lines.map((l) => `Struct{line=${l},origin=file}\n`).join("");
          const deadline = Date.now() + 60_000;
          let copy = "";
          while (Date.now() < deadline) {
            copy = await readFile(output, "utf8").catch(() => "");
            if (copy.length >= expected.length) break;
            await new Promise((resolve) => setTimeout(resolve, 250));
          }
          expect(copy).toBe(expected);
          await eventuallyAnswer(() => rest.get(`/connectors/${sinkName}/topics`), 200, { [sinkName]: { topics: [copied] } });
          await eventuallyAnswer(() => rest.get(`/connectors/${sinkName}/offsets`), 200, { offsets: [{ partition: { kafka_topic: copied, kafka_partition: 0 }, offset: { kafka_offset: lines.length } }] });
          expectAnswer(await rest.delete("/connectors/e2e-source"), 204, undefined);
          expectAnswer(await rest.delete(`/connectors/${sinkName}`), 204, undefined);
        });

        it("creates with PUT (201), updates (200), merges with PATCH, and honours initial_state", async () => {
          const topic = `${run}-put`;
          const file = join(dir, "put.txt");
          await writeFile(file, "x\n");
          const config = { "connector.class": "FileStreamSource", topic, file };
          expectAnswer(await rest.put("/connectors/put/config", config), 201, connectorInfo("put", "source", config, []));
          await eventuallyAnswer(() => rest.get("/connectors/put"), 200, connectorInfo("put", "source", config, [0]));
          const updated = { ...config, "batch.size": "10" };
          expectAnswer(await rest.put("/connectors/put/config", updated), 200, connectorInfo("put", "source", updated, [0]));
          // A config change makes the group rebalance; Kafka answers some requests with 500
          // "Request cannot be completed because a rebalance is expected" meanwhile: wait it out.
          await eventuallyAnswer(() => rest.get("/connectors/put/config"), 200, { ...updated, name: "put" });
          // PATCH merges; a null value removes the key (KIP-477).
          const patched = { "connector.class": "FileStreamSource", topic, "batch.size": "20" };
          expectAnswer(await rest.patch("/connectors/put/config", { "batch.size": "20", file: null }), 200, connectorInfo("put", "source", patched, [0]));
          await eventuallyAnswer(() => rest.get("/connectors/put/config"), 200, { ...patched, name: "put" });
          expectAnswer(await rest.patch("/connectors/put/config", { "batch.size": "x" }), 400, errorBody(400, invalidConfig("Invalid value x for configuration batch.size: Not a number of type INT")));
          expectAnswer(await rest.delete("/connectors/put"), 204, undefined);

          // JSON numbers in a config become strings.
          expectAnswer(
            await rest.post("/connectors", { name: "numbers", config: { "connector.class": "FileStreamSource", topic, file, "batch.size": 5, "tasks.max": 1 } }),
            201,
            connectorInfo("numbers", "source", { "connector.class": "FileStreamSource", topic, file, "batch.size": "5", "tasks.max": "1" }, []),
          );
          expectAnswer(await rest.delete("/connectors/numbers"), 204, undefined);

          // A connector created STOPPED runs no task; reading stdin, its offsets cannot change.
          const stdinConfig = { "connector.class": "FileStreamSource", topic };
          expectAnswer(await rest.post("/connectors", { name: "stdin", config: stdinConfig, initial_state: "STOPPED" }), 201, connectorInfo("stdin", "source", stdinConfig, []));
          await eventuallyAnswer(() => rest.get("/connectors/stdin/status"), 200, connectorStatus("stdin", "source", "STOPPED", workerId, []));
          const stdinOnly = errorBody(500, "Offsets cannot be modified if the 'file' configuration is unspecified. This is because stdin is used for input and offsets are not tracked.");
          expectAnswer(await rest.patch("/connectors/stdin/offsets", { offsets: [{ partition: { filename: "f" }, offset: { position: 1 } }] }), 500, stdinOnly);
          expectAnswer(await rest.delete("/connectors/stdin/offsets"), 500, stdinOnly);
          expectAnswer(await rest.get("/connectors/stdin/offsets"), 200, { offsets: [] });
          expectAnswer(await rest.delete("/connectors/stdin"), 204, undefined);

          expectAnswer(await rest.post("/connectors", { name: "paused", config: stdinConfig, initial_state: "PAUSED" }), 201, connectorInfo("paused", "source", stdinConfig, []));
          await eventuallyAnswer(() => rest.get("/connectors/paused/status"), 200, connectorStatus("paused", "source", "PAUSED", workerId, arrayOf(taskStatus(0, "PAUSED", workerId))));
          expectAnswer(await rest.delete("/connectors/paused"), 204, undefined);
        });

        it("lists plugins and describes and validates their configs", async () => {
          expectAnswer(await rest.get("/connector-plugins"), 200, pluginList(targetName, true));
          expectAnswer(await rest.get("/connector-plugins?connectorsOnly=true"), 200, pluginList(targetName, true));
          expectAnswer(await rest.get("/connector-plugins?connectorsOnly=false"), 200, pluginList(targetName, false));

          for (const name of ["FileStreamSource", "FileStreamSourceConnector", "org.apache.kafka.connect.file.FileStreamSourceConnector"]) {
            expectAnswer(await rest.get(`/connector-plugins/${name}/config`), 200, FILE_SOURCE_CONFIG_DEF);
          }
          expectAnswer(await rest.get("/connector-plugins/FileStreamSink/config"), 200, FILE_SINK_CONFIG_DEF);
          expectAnswer(await rest.get("/connector-plugins/org.apache.kafka.connect.transforms.RegexRouter/config"), 200, REGEX_ROUTER_CONFIG_DEF);
          expectAnswer(
            await rest.get(`/connector-plugins/${encodeURIComponent(`${T}InsertField$Value`)}/config`),
            200,
            satisfies("InsertField's keys", (v) => Array.isArray(v) && JSON.stringify(v.map((e: { name: string }) => e.name)) === JSON.stringify(["topic.field", "partition.field", "offset.field", "timestamp.field", "static.field", "static.value", "replace.null.with.default"])),
          );
          expectAnswer(
            await rest.get("/connector-plugins/org.apache.kafka.connect.json.JsonConverter/config"),
            200,
            satisfies("JsonConverter's keys", (v) => Array.isArray(v) && JSON.stringify(v.map((e: { name: string }) => e.name)) === JSON.stringify(["converter.type", "schemas.enable", "schemas.cache.size", "schema.content", "decimal.format", "replace.null.with.default"])),
          );
          expectAnswer(await rest.get("/connector-plugins/Nope/config"), 404, errorBody(404, "Unknown plugin Nope."));

          // A source config without a name and with a bad batch.size: two errors.
          expectAnswer(await rest.put("/connector-plugins/FileStreamSource/config/validate", { "connector.class": "FileStreamSource", topic: "t", "batch.size": "x" }), 200, {
            name: "FileStreamSource",
            error_count: 2,
            groups: ["Common", "Transforms", "Predicates", "Error Handling", "Topic Creation", "Exactly Once Support", "offsets.topic"],
            configs: [
              ...commonConfigValues({ name: null, connectorClass: "FileStreamSource", nameErrors: [missing("name")] }),
              ...SOURCE_CONFIG_VALUES,
              configValue("file", null),
              configValue("topic", "t"),
              configValue("batch.size", null, ["Invalid value x for configuration batch.size: Not a number of type INT"]),
            ].map(validated),
          });

          // A sink with an SMT chain and a predicate: transforms and predicates get their groups.
          const sinkClass = "org.apache.kafka.connect.file.FileStreamSinkConnector";
          const answer = await rest.put(`/connector-plugins/${sinkClass}/config/validate`, {
            "connector.class": sinkClass,
            name: "n",
            transforms: "a,b",
            "transforms.a.type": `${T}InsertField$Value`,
            "transforms.a.static.field": "f",
            "transforms.a.static.value": "v",
            "transforms.b.type": `${T}RegexRouter`,
            "transforms.b.regex": "x",
            "transforms.b.predicate": "p",
            "transforms.b.negate": "true",
            predicates: "p",
            "predicates.p.type": `${T}predicates.TopicNameMatches`,
            "predicates.p.pattern": "x.*",
          });
          const topicsError = "Must configure one of topics or topics.regex";
          // Kafka's order: the runtime's keys, the sink's, one group per transform and predicate
          // alias (type and plugin.version first), then the connector's own keys.
          expectAnswer(answer, 200, {
            name: sinkClass,
            error_count: 3,
            groups: ["Common", "Transforms", "Predicates", "Error Handling", "Transforms: a", "Transforms: b", "Predicates: p"],
            configs: [
              ...commonConfigValues({ name: "n", connectorClass: sinkClass, transforms: "a,b", predicates: "p" }),
              configValue("topics", "", [topicsError]),
              configValue("topics.regex", "", [topicsError]),
              configValue("errors.deadletterqueue.topic.name", ""),
              configValue("errors.deadletterqueue.topic.replication.factor", "3"),
              configValue("errors.deadletterqueue.context.headers.enable", "false"),
              configValue("transforms.a.type", `${T}InsertField$Value`, [], TRANSFORMATION_RECOMMENDATIONS),
              configValue("transforms.a.plugin.version", VERSION, [], [VERSION]),
              configValue("transforms.a.negate", "false"),
              configValue("transforms.a.offset.field", null),
              configValue("transforms.a.partition.field", null),
              configValue("transforms.a.predicate", null),
              configValue("transforms.a.replace.null.with.default", "true"),
              configValue("transforms.a.static.field", "f"),
              configValue("transforms.a.static.value", "v"),
              configValue("transforms.a.timestamp.field", null),
              configValue("transforms.a.topic.field", null),
              configValue("transforms.b.type", `${T}RegexRouter`, [], TRANSFORMATION_RECOMMENDATIONS),
              configValue("transforms.b.plugin.version", VERSION, [], [VERSION]),
              configValue("transforms.b.regex", "x"),
              configValue("transforms.b.replacement", null, [missing("transforms.b.replacement")]),
              configValue("transforms.b.negate", "true"),
              configValue("transforms.b.predicate", "p"),
              configValue("predicates.p.type", `${T}predicates.TopicNameMatches`, [], PREDICATE_RECOMMENDATIONS),
              configValue("predicates.p.plugin.version", VERSION, [], [VERSION]),
              configValue("predicates.p.pattern", "x.*"),
              configValue("file", null),
            ].map(validated),
          });

          expectAnswer(
            await rest.put("/connector-plugins/FileStreamSource/config/validate", { topic: "t" }),
            500,
            errorBody(500, "org.apache.kafka.connect.runtime.rest.errors.BadRequestException: Connector config {topic=t} contains no connector type"),
          );
          expectAnswer(
            await rest.put("/connector-plugins/Nope/config/validate", { "connector.class": "Nope" }),
            500,
            errorBody(500, satisfies("the unknown connector class message (B)", (v) => typeof v === "string" && v.startsWith("org.apache.kafka.connect.runtime.rest.errors.BadRequestException: Failed to find any class that implements Connector and which name matches Nope, available connectors are: "))),
          );
          expectAnswer(
            await rest.put("/connector-plugins/FileStreamSink/config/validate", { "connector.class": "FileStreamSource", topic: "t" }),
            400,
            errorBody(400, "Included connector type FileStreamSource does not match request type FileStreamSink"),
          );
        });

        it("reads and sets logger levels", async () => {
          const logger = `hub.test.${run.replace(/-/g, "_")}`;
          // (E) the loggers are the implementation's; root is always there.
          expectAnswer(await rest.get("/admin/loggers"), 200, allOf(recordOf(LOGGER_LEVEL), withKeys({ root: LOGGER_LEVEL })));
          expectAnswer(await rest.get(`/admin/loggers/${logger}`), 404, errorBody(404, `Logger ${logger} not found.`));
          expectAnswer(await rest.put(`/admin/loggers/${logger}`, { level: "DEBUG" }), 200, [logger]);
          expectAnswer(await rest.get(`/admin/loggers/${logger}`), 200, { level: "DEBUG", last_modified: anyInteger });
          // Unchanged: no logger changed. Levels are case-insensitive.
          expectAnswer(await rest.put(`/admin/loggers/${logger}`, { level: "debug" }), 200, []);
          expectAnswer(await rest.put(`/admin/loggers/${logger}`, { level: "LOUD" }), 404, errorBody(404, "invalid log level 'LOUD'."));
          expectAnswer(await rest.put(`/admin/loggers/${logger}`, {}), 400, errorBody(400, "Desired 'level' parameter was not specified in request."));
          expectAnswer(await rest.put(`/admin/loggers/${logger}?scope=worker`, { level: "WARN" }), 200, [logger]);
          expectAnswer(await rest.put(`/admin/loggers/${logger}?scope=cluster`, { level: "INFO" }), 204, undefined);
          await eventuallyAnswer(() => rest.get(`/admin/loggers/${logger}`), 200, { level: "INFO", last_modified: anyInteger });
          expectAnswer(await rest.get("/admin/loggers"), 200, allOf(recordOf(LOGGER_LEVEL), withKeys({ [logger]: { level: "INFO", last_modified: anyInteger }, root: LOGGER_LEVEL })));
        });
      });
    }
  });
}

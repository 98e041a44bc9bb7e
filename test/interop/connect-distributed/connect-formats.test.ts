// Conformance of the hub's distributed-mode formats with Apache Kafka Connect 4.3.1's own code
// (ConnectFormatsHarness.java, compiled here against the jars test/services/kafka-connect.sh
// provides), case by case:
//   - connect group protocol: the member metadata and assignments the hub writes are Kafka's
//     bytes, and each side reads the other's back to the same content;
//   - config and status topic values: the JSON text Kafka's stores write through the internal
//     converter, for the same content; the hub reads Kafka's text back to that content;
//   - offset keys and murmur2 (the partition Kafka's producer picks for an offset record).
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ConnectAssignment,
  decodeAssignment,
  decodeWorkerMetadata,
  encodeAssignment,
  encodeWorkerMetadata,
} from "../../../connect/runtime/herder/distributed/connect-protocol.ts";
import {
  commitTasksValue,
  connectorConfigValue,
  decodeConfigRecord,
  loggerLevelValue,
  restartRequestValue,
  sessionKeyValue,
  targetStateValue,
  taskCountRecordValue,
} from "../../../connect/storage/kafka/config-records.ts";
import { murmur2 } from "../../../connect/storage/kafka/murmur2.ts";
import { offsetKey, parseOffsetKey } from "../../../connect/storage/kafka/offset-records.ts";
import { decodeStatusRecord, statusValue, topicStatusValue } from "../../../connect/storage/kafka/status-records.ts";

const execFileAsync = promisify(execFile);
const here = import.meta.dirname;

type Case = { id: string; op: string } & Record<string, unknown>;
type Result = { id: string; failure?: string } & Record<string, unknown>;

let results = new Map<string, Result>();
const cases: Case[] = [];
const add = (c: Case): string => {
  cases.push(c);
  return c.id;
};

// --- connect protocol -------------------------------------------------------------------------

const assignments: Record<string, Omit<ConnectAssignment, "version">> = {
  empty: { error: 0, leader: "worker-1-5f2c", leaderUrl: "http://10.0.0.1:8083/", configOffset: 0, connectors: [], tasks: [], revokedConnectors: [], revokedTasks: [], delay: 0 },
  one: {
    error: 0,
    leader: "connect-1-0d1b9a",
    leaderUrl: "http://127.0.0.1:8083/",
    configOffset: 42,
    connectors: ["file-source"],
    tasks: [
      { connector: "file-source", task: 0 },
      { connector: "file-source", task: 1 },
    ],
    revokedConnectors: [],
    revokedTasks: [],
    delay: 0,
  },
  revoking: {
    error: 0,
    leader: "L",
    leaderUrl: "http://leader:8083/",
    configOffset: 9_000_000_000,
    connectors: [],
    tasks: [{ connector: "sink-ü", task: 3 }],
    revokedConnectors: ["old"],
    revokedTasks: [{ connector: "old", task: 0 }],
    delay: 300_000,
  },
  mismatch: { error: 1, leader: "L", leaderUrl: "http://l/", configOffset: 17, connectors: [], tasks: [], revokedConnectors: [], revokedTasks: [], delay: 0 },
};

const javaAssignment = (a: Omit<ConnectAssignment, "version">): Record<string, unknown> => ({
  error: a.error,
  leader: a.leader,
  leaderUrl: a.leaderUrl,
  offset: a.configOffset,
  connectors: a.connectors,
  tasks: a.tasks.map((t) => [t.connector, t.task]),
  revokedConnectors: a.revokedConnectors,
  revokedTasks: a.revokedTasks.map((t) => [t.connector, t.task]),
  delay: a.delay,
});

for (const version of [0, 1, 2]) {
  for (const [name, a] of Object.entries(assignments)) {
    if (version === 0 && (a.revokedConnectors.length > 0 || a.delay > 0)) continue;
    add({ id: `assignment-v${version}-${name}`, op: "assignment", version, ...javaAssignment(a) });
    add({ id: `decode-assignment-v${version}-${name}`, op: "decode-assignment", version, hex: encodeAssignment({ ...a, version }).toString("hex") });
  }
  for (const allocation of [null, "one", "revoking"] as const) {
    if (version === 0 && allocation !== null) continue;
    const state = { url: "http://worker-2.example:8083/", configOffset: 123, allocation: allocation === null ? null : { ...assignments[allocation]!, version } };
    const allocationJson = allocation === null ? null : javaAssignment(assignments[allocation]!);
    add({ id: `metadata-v${version}-${allocation}`, op: "metadata", version, url: state.url, offset: state.configOffset, allocation: allocationJson });
    add({ id: `decode-metadata-v${version}-${allocation}`, op: "decode-metadata", version, hex: encodeWorkerMetadata(version, state).toString("hex") });
  }
}

// --- murmur2 ----------------------------------------------------------------------------------

const hashInputs: Buffer[] = [Buffer.alloc(0)];
for (let n = 1; n <= 13; n++) hashInputs.push(Buffer.from(Array.from({ length: n }, (_, i) => (i * 97 + n * 31) & 0xff)));
hashInputs.push(Buffer.from('["file-source",{"filename":"/tmp/input.txt"}]'));
hashInputs.push(Buffer.from([0xff, 0xfe, 0x80, 0x7f, 0x00]));
for (const [i, bytes] of hashInputs.entries()) add({ id: `murmur2-${i}`, op: "murmur2", hex: bytes.toString("hex") });

// --- config topic values ----------------------------------------------------------------------

const configs: Record<string, Record<string, string>> = {
  file: { "connector.class": "org.apache.kafka.connect.file.FileStreamSourceConnector", "tasks.max": "1", file: "/tmp/in.txt", topic: "lines", name: "file-source" },
  tricky: { "quote\"key": "back\\slash", unicode: "é✓😀", control: "tab\tnew\nline\u0001\u001f", empty: "" },
};
const configCases: Array<{ id: string; schema: string; value: Record<string, unknown>; hub: Buffer }> = [
  { id: "connector-file", schema: "CONNECTOR_CONFIGURATION_V0", value: { properties: configs.file }, hub: connectorConfigValue(configs.file!) },
  { id: "connector-tricky", schema: "CONNECTOR_CONFIGURATION_V0", value: { properties: configs.tricky }, hub: connectorConfigValue(configs.tricky!) },
  { id: "commit", schema: "CONNECTOR_TASKS_COMMIT_V0", value: { tasks: 3 }, hub: commitTasksValue(3) },
  { id: "target-started", schema: "TARGET_STATE_V1", value: { state: "STARTED", "state.v2": "STARTED" }, hub: targetStateValue("STARTED") },
  { id: "target-paused", schema: "TARGET_STATE_V1", value: { state: "PAUSED", "state.v2": "PAUSED" }, hub: targetStateValue("PAUSED") },
  { id: "target-stopped", schema: "TARGET_STATE_V1", value: { state: "PAUSED", "state.v2": "STOPPED" }, hub: targetStateValue("STOPPED") },
  { id: "task-count", schema: "TASK_COUNT_RECORD_V0", value: { "task-count": 4 }, hub: taskCountRecordValue(4) },
  {
    id: "session-key",
    schema: "SESSION_KEY_V0",
    value: { key: Buffer.from("0123456789abcdef0123456789abcdef").toString("base64"), algorithm: "HmacSHA256", "creation-timestamp": 1_731_000_000_123 },
    hub: sessionKeyValue({ key: Buffer.from("0123456789abcdef0123456789abcdef"), algorithm: "HmacSHA256", creationTimestamp: 1_731_000_000_123 }),
  },
  { id: "restart", schema: "RESTART_REQUEST_V0", value: { "include-tasks": true, "only-failed": false }, hub: restartRequestValue({ includeTasks: true, onlyFailed: false }) },
  { id: "logger", schema: "LOGGER_LEVEL_V0", value: { level: "DEBUG" }, hub: loggerLevelValue("DEBUG") },
];
for (const c of configCases) add({ id: `config-${c.id}`, op: "config-value", schema: c.schema, value: c.value });

// --- status topic values ----------------------------------------------------------------------

const statuses = [
  { id: "running", value: { state: "RUNNING" as const, trace: null, workerId: "127.0.0.1:8083", generation: 7, version: null } },
  {
    id: "failed",
    value: {
      state: "FAILED" as const,
      trace: "org.apache.kafka.connect.errors.ConnectException: boom\n\tat Foo.bar(Foo.java:1)\u0007 é",
      workerId: "w-2:8083",
      generation: 12,
      version: "4.3.1",
    },
  },
];
for (const s of statuses) {
  add({ id: `status-${s.id}`, op: "status-value", value: { state: s.value.state, trace: s.value.trace, worker_id: s.value.workerId, generation: s.value.generation, version: s.value.version } });
}
add({ id: "topic-status", op: "topic-status-value", value: { name: "orders", connector: "pg-source", task: 2, discoverTimestamp: 1_731_000_000_999 } });

// --- offset keys ------------------------------------------------------------------------------

const offsetPartitions: Array<{ id: string; connector: string; partition: Record<string, unknown> }> = [
  { id: "file", connector: "file-source", partition: { filename: "/tmp/in.txt" } },
  { id: "numbers", connector: "jdbc", partition: { table: "orders", shard: 3, big: 1234567890123 } },
  { id: "mirror", connector: "mm2", partition: { topic: "orders", partition: 3, cluster: "us-east" } },
  { id: "many-keys", connector: "c", partition: Object.fromEntries(Array.from({ length: 14 }, (_, i) => [`key${i * 7}`, i % 2 === 0 ? `v${i}` : i])) },
];
for (const o of offsetPartitions) add({ id: `offset-key-${o.id}`, op: "offset-key", connector: o.connector, partition: o.partition });

// --- run --------------------------------------------------------------------------------------

let workDir = "";

beforeAll(async () => {
  const { stdout: libsOut } = await execFileAsync("bash", [join(here, "kafka-connect-libs.sh")], { maxBuffer: 1 << 20 });
  const libs = libsOut.trim().split("\n").pop()!;
  workDir = await mkdtemp(join(tmpdir(), "connect-formats-"));
  const classpath = `${libs}/*`;
  await execFileAsync("javac", ["-nowarn", "-encoding", "UTF-8", "-cp", classpath, "-d", workDir, join(here, "ConnectFormatsHarness.java")]);
  const input = join(workDir, "cases.json");
  await writeFile(input, JSON.stringify(cases));
  const { stdout } = await execFileAsync("bash", ["-c", `java -cp "${workDir}:${classpath}" ConnectFormatsHarness < "${input}"`], { maxBuffer: 64 << 20 });
  results = new Map((JSON.parse(stdout) as Result[]).map((r) => [r.id, r]));
}, 180_000);

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

function result(id: string): Result {
  const r = results.get(id);
  if (!r) throw new Error(`no result for ${id}`);
  if (r.failure) throw new Error(`Kafka failed on ${id}: ${r.failure}`);
  return r;
}

const normalizeJavaAssignment = (r: Record<string, unknown>): Record<string, unknown> => ({
  error: r.error,
  leader: r.leader,
  leaderUrl: r.leaderUrl,
  offset: r.offset,
  connectors: r.connectors,
  tasks: r.tasks,
  ...(r.revokedConnectors !== undefined ? { revokedConnectors: r.revokedConnectors, revokedTasks: r.revokedTasks, delay: r.delay } : {}),
});

describe("connect group protocol vs Kafka Connect 4.3.1", () => {
  for (const version of [0, 1, 2]) {
    for (const [name, a] of Object.entries(assignments)) {
      if (version === 0 && (a.revokedConnectors.length > 0 || a.delay > 0)) continue;
      it(`assignment v${version} ${name}: same bytes, read back by both`, () => {
        const kafkaHex = result(`assignment-v${version}-${name}`).hex as string;
        expect(encodeAssignment({ ...a, version }).toString("hex")).toBe(kafkaHex);
        expect(decodeAssignment(Buffer.from(kafkaHex, "hex"))).toEqual({ ...a, version });
        const kafkaRead = result(`decode-assignment-v${version}-${name}`);
        const expected = javaAssignment(a);
        if (version === 0) {
          delete expected.revokedConnectors;
          delete expected.revokedTasks;
          delete expected.delay;
        } else {
          expect(kafkaRead.version).toBe(version);
        }
        expect(normalizeJavaAssignment(kafkaRead)).toEqual(expected);
      });
    }
    for (const allocation of [null, "one", "revoking"] as const) {
      if (version === 0 && allocation !== null) continue;
      it(`worker metadata v${version} with allocation ${allocation}: same bytes, read back by both`, () => {
        const kafkaHex = result(`metadata-v${version}-${allocation}`).hex as string;
        const state = { url: "http://worker-2.example:8083/", configOffset: 123, allocation: allocation === null ? null : { ...assignments[allocation]!, version } };
        expect(encodeWorkerMetadata(version, state).toString("hex")).toBe(kafkaHex);
        expect(decodeWorkerMetadata(Buffer.from(kafkaHex, "hex"))).toEqual({ version, ...state });
        const kafkaRead = result(`decode-metadata-v${version}-${allocation}`);
        expect(kafkaRead.url).toBe(state.url);
        expect(kafkaRead.offset).toBe(state.configOffset);
        if (version > 0) {
          // Kafka reads a null allocation (a member that owns nothing yet) as its empty assignment.
          const empty = { error: 0, leader: null, leaderUrl: null, offset: -1, connectors: [], tasks: [], revokedConnectors: [], revokedTasks: [], delay: 0 };
          const alloc = normalizeJavaAssignment(kafkaRead.allocation as Record<string, unknown>);
          expect(alloc).toEqual(allocation === null ? empty : javaAssignment(assignments[allocation]!));
        }
      });
    }
  }
});

describe("murmur2 vs Kafka's Utils.murmur2", () => {
  it("hashes every input as Kafka does", () => {
    for (const [i, bytes] of hashInputs.entries()) expect([i, murmur2(bytes)]).toEqual([i, result(`murmur2-${i}`).hash]);
  });
});

describe("config topic values vs KafkaConfigBackingStore's", () => {
  for (const c of configCases) {
    it(`${c.id}: same JSON text`, () => {
      expect(c.hub.toString("utf8")).toBe(result(`config-${c.id}`).text);
    });
  }
  it("reads Kafka's values back to the same content", () => {
    const read = (id: string, key: string): unknown => decodeConfigRecord(key, Buffer.from(result(`config-${id}`).text as string, "utf8"));
    expect(read("connector-tricky", "connector-x")).toEqual({ kind: "connector", connector: "x", config: configs.tricky });
    expect(read("commit", "commit-x")).toEqual({ kind: "commit", connector: "x", tasks: 3 });
    expect(read("target-stopped", "target-state-x")).toEqual({ kind: "target-state", connector: "x", state: "STOPPED" });
    expect(read("task-count", "tasks-fencing-x")).toEqual({ kind: "task-count", connector: "x", taskCount: 4 });
    expect(read("restart", "restart-connector-x")).toEqual({ kind: "restart", connector: "x", includeTasks: true, onlyFailed: false });
    expect(read("session-key", "session-key")).toEqual({
      kind: "session-key",
      sessionKey: { key: Buffer.from("0123456789abcdef0123456789abcdef"), algorithm: "HmacSHA256", creationTimestamp: 1_731_000_000_123 },
    });
    expect(read("logger", "logger-cluster-org.apache")).toEqual({ kind: "logger-level", namespace: "org.apache", level: "DEBUG" });
  });
});

describe("status topic values vs KafkaStatusBackingStore's", () => {
  for (const s of statuses) {
    it(`${s.id}: same JSON text, read back`, () => {
      const kafka = result(`status-${s.id}`).text as string;
      expect(statusValue(s.value)!.toString("utf8")).toBe(kafka);
      expect(decodeStatusRecord("status-task-my-conn-2", Buffer.from(kafka))).toEqual({ kind: "task", id: { connector: "my-conn", task: 2 }, status: s.value });
    });
  }
  it("topic status: same JSON text, read back", () => {
    const kafka = result("topic-status").text as string;
    const value = { topic: "orders", connector: "pg-source", task: 2, discoverTimestamp: 1_731_000_000_999 };
    expect(topicStatusValue(value).toString("utf8")).toBe(kafka);
    expect(decodeStatusRecord("status-topic-orders:connector-pg-source", Buffer.from(kafka))).toEqual({ kind: "topic", connector: "pg-source", topic: "orders", status: value });
  });
});

describe("offset keys vs OffsetStorageWriter's", () => {
  for (const o of offsetPartitions) {
    it(`${o.id}: same JSON text, read back`, () => {
      const kafka = result(`offset-key-${o.id}`).text as string;
      expect(offsetKey(o.connector, o.partition).toString("utf8")).toBe(kafka);
      expect(parseOffsetKey(Buffer.from(kafka))).toEqual({ connector: o.connector, partition: o.partition });
    });
  }
});

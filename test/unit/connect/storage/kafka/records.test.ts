// The internal topics' record formats: what the hub writes (exact JSON, as Kafka Connect 4.3.1
// writes it; test/interop/connect-distributed checks the same against Kafka's own code) and how
// tolerant reading is of what other Kafka Connect versions wrote.
import { describe, expect, it } from "vitest";
import {
  commitTasksValue,
  connectorConfigValue,
  decodeConfigRecord,
  parseTaskKey,
  restartRequestValue,
  targetStateValue,
} from "../../../../../connect/storage/kafka/config-records.ts";
import { murmur2, partitionForKey } from "../../../../../connect/storage/kafka/murmur2.ts";
import { offsetKey, offsetTopicPartition, parseOffsetKey } from "../../../../../connect/storage/kafka/offset-records.ts";
import { decodeStatusRecord, statusValue, topicStatusValue } from "../../../../../connect/storage/kafka/status-records.ts";

const text = (b: Buffer | null): string | null => (b === null ? null : b.toString("utf8"));
const json = (s: string): Buffer => Buffer.from(s, "utf8");

describe("config topic records", () => {
  it("writes Kafka's JSON", () => {
    expect(text(connectorConfigValue({ "connector.class": "X", "tasks.max": "2" }))).toBe('{"properties":{"connector.class":"X","tasks.max":"2"}}');
    expect(text(commitTasksValue(2))).toBe('{"tasks":2}');
    // STOPPED is written as PAUSED for workers that predate it (KIP-875).
    expect(text(targetStateValue("STOPPED"))).toBe('{"state":"PAUSED","state.v2":"STOPPED"}');
    expect(text(targetStateValue("STARTED"))).toBe('{"state":"STARTED","state.v2":"STARTED"}');
    expect(text(restartRequestValue({ includeTasks: false, onlyFailed: true }))).toBe('{"include-tasks":false,"only-failed":true}');
  });

  it("reads target states written by workers before and after KIP-875", () => {
    expect(decodeConfigRecord("target-state-c", json('{"state":"PAUSED"}'))).toEqual({ kind: "target-state", connector: "c", state: "PAUSED" });
    expect(decodeConfigRecord("target-state-c", json('{"state":"PAUSED","state.v2":"STOPPED"}'))).toEqual({ kind: "target-state", connector: "c", state: "STOPPED" });
    // A mistyped state.v2 falls back on state, as Kafka does.
    expect(decodeConfigRecord("target-state-c", json('{"state":"STARTED","state.v2":7}'))).toEqual({ kind: "target-state", connector: "c", state: "STARTED" });
    expect(decodeConfigRecord("target-state-c", null)).toEqual({ kind: "target-state", connector: "c", state: null });
    expect(decodeConfigRecord("target-state-c", json('{"state":"RUNNING"}')).kind).toBe("invalid");
  });

  it("reads connector configs, tolerating null and non-string values", () => {
    expect(decodeConfigRecord("connector-my-conn", json('{"properties":{"a":"1","b":null,"n":5}}'))).toEqual({ kind: "connector", connector: "my-conn", config: { a: "1", n: "5" } });
    expect(decodeConfigRecord("connector-my-conn", null)).toEqual({ kind: "connector", connector: "my-conn", config: null });
    expect(decodeConfigRecord("connector-x", json('{"props":{}}')).kind).toBe("invalid");
    expect(decodeConfigRecord("connector-x", json("not json")).kind).toBe("invalid");
  });

  it("parses task keys whose connector names hold dashes, as Kafka's parseTaskId", () => {
    expect(parseTaskKey("task-my-conn-with-dashes-12")).toEqual({ connector: "my-conn-with-dashes", task: 12 });
    expect(parseTaskKey("task-c-0")).toEqual({ connector: "c", task: 0 });
    expect(parseTaskKey("task-c")).toBeNull();
    expect(parseTaskKey("task-c-x")).toBeNull();
    expect(decodeConfigRecord("task-c-1", null).kind).toBe("invalid");
  });

  it("reads commits, restart requests (missing flags default to false), session keys and records it ignores", () => {
    expect(decodeConfigRecord("commit-c", json('{"tasks":3}'))).toEqual({ kind: "commit", connector: "c", tasks: 3 });
    expect(decodeConfigRecord("restart-connector-c", json("{}"))).toEqual({ kind: "restart", connector: "c", onlyFailed: false, includeTasks: false });
    expect(decodeConfigRecord("session-key", json('{"key":"AAEC","algorithm":"HmacSHA256","creation-timestamp":5}'))).toEqual({
      kind: "session-key",
      sessionKey: { key: Buffer.from([0, 1, 2]), algorithm: "HmacSHA256", creationTimestamp: 5 },
    });
    expect(decodeConfigRecord("tasks-fencing-c", json('{"task-count":2}'))).toEqual({ kind: "task-count", connector: "c", taskCount: 2 });
    expect(decodeConfigRecord("logger-cluster-org.foo", json('{"level":"WARN"}'))).toEqual({ kind: "logger-level", namespace: "org.foo", level: "WARN" });
    expect(decodeConfigRecord("something-else", json("{}")).kind).toBe("invalid");
  });
});

describe("status topic records", () => {
  it("writes Kafka 4.x's JSON, a DESTROYED status as a tombstone", () => {
    expect(text(statusValue({ state: "RUNNING", trace: null, workerId: "10.0.0.1:8083", generation: 5, version: "4.3.1" }))).toBe(
      '{"state":"RUNNING","trace":null,"worker_id":"10.0.0.1:8083","generation":5,"version":"4.3.1"}',
    );
    expect(statusValue({ state: "DESTROYED", trace: null, workerId: "w", generation: 1, version: null })).toBeNull();
    expect(text(topicStatusValue({ topic: "t", connector: "c", task: 1, discoverTimestamp: 1700000000000 }))).toBe(
      '{"topic":{"name":"t","connector":"c","task":1,"discoverTimestamp":1700000000000}}',
    );
  });

  it("reads statuses written before KIP-891 (no version), and task keys with dashes", () => {
    expect(decodeStatusRecord("status-task-my-conn-3", json('{"state":"FAILED","trace":"boom","worker_id":"w:8083","generation":2}'))).toEqual({
      kind: "task",
      id: { connector: "my-conn", task: 3 },
      status: { state: "FAILED", trace: "boom", workerId: "w:8083", generation: 2, version: null },
    });
    expect(decodeStatusRecord("status-connector-c", null)).toEqual({ kind: "connector", connector: "c", status: null });
    expect(decodeStatusRecord("status-connector-c", json('{"state":"BOGUS","worker_id":"w","generation":1}')).kind).toBe("invalid");
    expect(decodeStatusRecord("status-task-c", json("{}")).kind).toBe("invalid");
  });

  it("splits topic status keys at the first ':' (topic names cannot hold one)", () => {
    expect(decodeStatusRecord("status-topic-orders:connector-my:conn", null)).toEqual({ kind: "topic", connector: "my:conn", topic: "orders", status: null });
    expect(decodeStatusRecord("status-topic-:connector-c", null).kind).toBe("invalid");
  });
});

describe("offset topic records and partitioning", () => {
  it("writes the key as Kafka's OffsetStorageWriter and reads it back", () => {
    const key = offsetKey("file-source", { filename: "/tmp/a.txt" });
    expect(key.toString("utf8")).toBe('["file-source",{"filename":"/tmp/a.txt"}]');
    expect(parseOffsetKey(key)).toEqual({ connector: "file-source", partition: { filename: "/tmp/a.txt" } });
    expect(parseOffsetKey(Buffer.from('{"not":"a list"}'))).toBeNull();
  });

  it("hashes with Kafka's murmur2 (values from Kafka 4.3.1's Utils.murmur2)", () => {
    const cases: Array<[string, number]> = [
      ["21", -973932308],
      ["foobar", -790332482],
      ["a-little-bit-long-string", -985981536],
      ["a-little-bit-longer-string", -1486304829],
      ["lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971],
      ["abc", 479470107],
    ];
    for (const [s, h] of cases) expect([s, murmur2(Buffer.from(s))]).toEqual([s, h]);
    // toPositive clears the sign bit rather than negating.
    expect(partitionForKey(Buffer.from("21"), 25)).toBe((-973932308 & 0x7fffffff) % 25);
    const key = offsetKey("c", { p: 1 });
    expect(offsetTopicPartition(key, 25)).toBe((murmur2(key) & 0x7fffffff) % 25);
  });
});

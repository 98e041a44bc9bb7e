// The REST API over a standalone herder and a fake worker: Kafka Connect's paths, status codes,
// bodies and error messages (the messages are the ones Kafka Connect 4.3.1 answers, recorded by
// the conformance work in /tmp/kafka-connect-rest-facts.md and test/interop/connect-rest).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { serializeOffsetKey, serializeOffsetValue } from "../../../../connect/storage/offset-codec.ts";
import { type Harness, startHarness } from "./harness.ts";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const source = (name: string, extra: Record<string, string> = {}) => ({
  name,
  config: { "connector.class": "com.example.TestSourceConnector", topic: "t", ...extra },
});
const sink = (name: string, extra: Record<string, string> = {}) => ({
  name,
  config: { "connector.class": "TestSink", topics: "in", ...extra },
});

const errorBody = (status: number, message: string) => ({ error_code: status, message });

describe("root, health, unknown paths", () => {
  it("GET / answers version, commit and the Kafka cluster id", async () => {
    const r = await h.call("GET", "/");
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ version: "0.1.0", commit: "", kafka_cluster_id: "test-cluster-id" });
  });

  it("GET /health is healthy once the herder runs", async () => {
    const r = await h.call("GET", "/health");
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ status: "healthy", message: "Worker has completed startup and is ready to handle requests." });
  });

  it("an unknown path is Jersey's 404, a known path with another method its 405", async () => {
    expect(await h.call("GET", "/nope")).toMatchObject({ status: 404, body: errorBody(404, "HTTP 404 Not Found") });
    expect(await h.call("DELETE", "/connectors")).toMatchObject({ status: 405, body: errorBody(405, "HTTP 405 Method Not Allowed") });
    expect(await h.call("GET", "/connectors/a/tasks/x/status")).toMatchObject({ status: 404, body: errorBody(404, "HTTP 404 Not Found") });
  });

  it("a trailing slash reaches the same resource", async () => {
    expect((await h.call("GET", "/connectors/")).status).toBe(200);
  });
});

describe("creating connectors", () => {
  it("POST /connectors answers 201 with Location, the config as given plus name, and no tasks yet", async () => {
    const r = await h.call("POST", "/connectors", source("a", { secret: "hunter2" }));
    expect(r.status).toBe(201);
    expect(r.headers["location"]).toMatch(/\/connectors\/a$/);
    expect(r.body).toEqual({
      name: "a",
      config: { "connector.class": "com.example.TestSourceConnector", topic: "t", secret: "hunter2", name: "a" },
      tasks: [],
      type: "source",
    });
    // The password comes back exactly as the user set it in the config, and only there.
    expect((await h.call("GET", "/connectors/a/config")).body).toMatchObject({ secret: "hunter2" });
    expect((await h.call("GET", "/connectors/a")).body).toMatchObject({ tasks: [{ connector: "a", task: 0 }] });
  });

  it("a duplicate is 409; an invalid duplicate is 400 (validation comes first)", async () => {
    await h.call("POST", "/connectors", source("a"));
    expect(await h.call("POST", "/connectors", source("a"))).toMatchObject({ status: 409, body: errorBody(409, "Connector a already exists") });
    const invalid = await h.call("POST", "/connectors", source("a", { "batch.size": "abc" }));
    expect(invalid.status).toBe(400);
  });

  it("missing required keys and wrong types are listed in Kafka's 400 message", async () => {
    const r = await h.call("POST", "/connectors", { name: "b", config: { "connector.class": "TestSource", "batch.size": "abc" } });
    expect(r).toMatchObject({
      status: 400,
      body: errorBody(
        400,
        // batch.size has a Range validator, which (as in Kafka) also sees the unparsable value as null.
        "Connector configuration is invalid and contains the following 3 error(s):\n" +
          'Missing required configuration "topic" which has no default value.\n' +
          "Invalid value abc for configuration batch.size: Not a number of type INT\n" +
          "Invalid value null for configuration batch.size: Value must be non-null\n" +
          "You can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`",
      ),
    });
    const tasksMax = await h.call("POST", "/connectors", source("b", { "tasks.max": "abc" }));
    expect((tasksMax.body as { message: string }).message).toContain(
      "2 error(s):\nInvalid value abc for configuration tasks.max: Not a number of type INT\nInvalid value null for configuration tasks.max: Value must be non-null\n",
    );
  });

  it("a sink without topics fails both topics keys, as Kafka's SinkConnectorConfig does", async () => {
    const r = await h.call("POST", "/connectors", { name: "s", config: { "connector.class": "TestSink" } });
    expect((r.body as { message: string }).message).toContain("2 error(s):\nMust configure one of topics or topics.regex\nMust configure one of topics or topics.regex\n");
  });

  it("the connector's own validate() errors count too", async () => {
    const r = await h.call("POST", "/connectors", source("f", { topic: "forbidden" }));
    expect((r.body as { message: string }).message).toContain("1 error(s):\nThe topic 'forbidden' may not be used\n");
  });

  it("transform aliases without a type or with an unknown one are errors", async () => {
    const missing = await h.call("POST", "/connectors", source("x", { transforms: "x" }));
    expect((missing.body as { message: string }).message).toContain('1 error(s):\nMissing required configuration "transforms.x.type" which has no default value.\n');
    const unknown = await h.call("POST", "/connectors", source("x", { transforms: "x", "transforms.x.type": "com.Nope" }));
    expect((unknown.body as { message: string }).message).toContain("Invalid value com.Nope for configuration transforms.x.type: Class com.Nope could not be found.");
  });

  it("an unknown connector class is 400 listing the connectors this worker has", async () => {
    const r = await h.call("POST", "/connectors", { name: "u", config: { "connector.class": "com.example.Nope" } });
    expect(r.status).toBe(400);
    expect((r.body as { message: string }).message).toBe(
      "Failed to find any class that implements Connector and which name matches com.example.Nope, available connectors are: " +
        "PluginDesc{klass=class com.example.TestSinkConnector, name='com.example.TestSinkConnector', version='9.9.9', encodedVersion=9.9.9, type=sink, typeName='sink', location='classpath'}, " +
        "PluginDesc{klass=class com.example.TestSourceConnector, name='com.example.TestSourceConnector', version='9.9.9', encodedVersion=9.9.9, type=source, typeName='source', location='classpath'}",
    );
  });

  it("no connector.class is 400 with the config as Java prints a HashMap", async () => {
    const r = await h.call("POST", "/connectors", { name: "pa", config: { topic: "t" } });
    expect(r).toMatchObject({ status: 400, body: errorBody(400, "Connector config {name=pa, topic=t} contains no connector type") });
  });

  it("a name in the config must match the name given", async () => {
    const r = await h.call("POST", "/connectors", { name: "pa", config: { "connector.class": "TestSource", topic: "t", name: "other" } });
    expect(r).toMatchObject({ status: 400, body: errorBody(400, "Connector name configuration (other) doesn't match connector name in the URL (pa)") });
    const put = await h.call("PUT", "/connectors/pa/config", { "connector.class": "TestSource", topic: "t", name: "zz" });
    expect(put).toMatchObject({ status: 400, body: errorBody(400, "Connector name configuration (zz) doesn't match connector name in the URL (pa)") });
  });

  it("a missing or empty name fails the name key", async () => {
    const r = await h.call("POST", "/connectors", { config: { "connector.class": "TestSource", topic: "t" } });
    expect((r.body as { message: string }).message).toContain("1 error(s):\nInvalid value  for configuration name: String may not be empty\n");
  });

  it("JSON numbers and booleans in a config become strings", async () => {
    const r = await h.call("POST", "/connectors", { name: "n", config: { "connector.class": "TestSource", topic: "t", "batch.size": 5 } });
    expect(r.status).toBe(201);
    expect((r.body as { config: Record<string, string> }).config["batch.size"]).toBe("5");
  });

  it("initial_state creates a connector paused or stopped (KIP-980)", async () => {
    await h.call("POST", "/connectors", { ...source("p"), initial_state: "paused" });
    await h.call("POST", "/connectors", { ...source("s"), initial_state: "STOPPED" });
    // A connector that never ran has no task configs yet: its tasks come when it is resumed.
    expect((await h.call("GET", "/connectors/p/status")).body).toMatchObject({ connector: { state: "PAUSED" }, tasks: [] });
    await h.call("PUT", "/connectors/p/resume");
    expect((await h.call("GET", "/connectors/p/status")).body).toMatchObject({ connector: { state: "RUNNING" }, tasks: [{ id: 0, state: "RUNNING" }] });
    expect((await h.call("GET", "/connectors/s/status")).body).toMatchObject({ connector: { state: "STOPPED" }, tasks: [] });
    const bad = await h.call("POST", "/connectors", { ...source("q"), initial_state: "BOGUS" });
    expect(bad.status).toBe(500);
    expect((bad.body as { message: string }).message).toContain("No enum constant org.apache.kafka.connect.runtime.rest.entities.CreateConnectorRequest.InitialState.BOGUS");
  });
});

describe("bodies that are not the JSON Kafka expects answer 500, as Jackson's errors do in Kafka", () => {
  it("malformed JSON", async () => {
    const truncated = await h.call("POST", "/connectors", '{"name":"a",');
    expect(truncated.status).toBe(500);
    expect((truncated.body as { message: string }).message).toMatch(/^Unexpected end-of-input within\/between Object entries\n at \[Source: REDACTED .*line: 1, column: 13\]$/);
    const word = await h.call("POST", "/connectors", "not json");
    expect((word.body as { message: string }).message).toMatch(/^Unrecognized token 'not': was expecting \(JSON String, Number, Array, Object or token 'null', 'true' or 'false'\)/);
    const field = await h.call("PUT", "/connectors/c/config", "{bad");
    expect((field.body as { message: string }).message).toMatch(/^Unexpected character \('b' \(code 98\)\): was expecting double-quote to start field name\n.*column: 2\]$/);
  });

  it("wrong JSON types and unknown fields (json.test.ts checks the messages in full)", async () => {
    const firstLine = async (method: "POST" | "PUT", url: string, body: unknown): Promise<[number, string]> => {
      const r = await h.call(method, url, body);
      return [r.status, ((r.body as { message: string }).message.split("\n")[0] ?? "")];
    };
    expect(await firstLine("POST", "/connectors", [1])).toEqual([
      500,
      "Cannot deserialize value of type `org.apache.kafka.connect.runtime.rest.entities.CreateConnectorRequest` from Array value (token `JsonToken.START_ARRAY`)",
    ]);
    expect(await firstLine("PUT", "/connectors/c/config", [1])).toEqual([
      500,
      "Cannot deserialize value of type `java.util.LinkedHashMap<java.lang.String,java.lang.String>` from Array value (token `JsonToken.START_ARRAY`)",
    ]);
    expect(await firstLine("POST", "/connectors", { name: "x", config: { "batch.size": { a: 1 } } })).toEqual([
      500,
      "Cannot deserialize value of type `java.lang.String` from Object value (token `JsonToken.START_OBJECT`)",
    ]);
    expect(await firstLine("POST", "/connectors", { ...source("x"), extra: 1 })).toEqual([
      500,
      'Unrecognized field "extra" (class org.apache.kafka.connect.runtime.rest.entities.CreateConnectorRequest), not marked as ignorable (3 known properties: "config", "name", "initial_state")',
    ]);
  });

  it("empty bodies", async () => {
    expect((await h.call("POST", "/connectors", "")).body).toMatchObject({
      error_code: 500,
      message: 'Cannot invoke "org.apache.kafka.connect.runtime.rest.entities.CreateConnectorRequest.name()" because "createRequest" is null',
    });
    expect((await h.call("POST", "/connectors", { name: "a" })).body).toMatchObject({ error_code: 500, message: 'Cannot invoke "java.util.Map.get(Object)" because "connectorConfig" is null' });
  });

  it("another media type is 415", async () => {
    const r = await h.call("POST", "/connectors", JSON.stringify(source("a")), "text/plain");
    expect(r).toMatchObject({ status: 415, body: errorBody(415, "HTTP 415 Unsupported Media Type") });
  });
});

describe("reading connectors", () => {
  beforeEach(async () => {
    await h.call("POST", "/connectors", source("a"));
    await h.call("POST", "/connectors", sink("b"));
  });

  it("lists names, and with expand the status and info of each", async () => {
    expect((await h.call("GET", "/connectors")).body).toEqual(["a", "b"]);
    const both = await h.call("GET", "/connectors?expand=status&expand=info");
    const body = both.body as Record<string, { status: { name: string; type: string }; info: { name: string } }>;
    expect(Object.keys(body)).toEqual(["a", "b"]);
    expect(body["a"]?.status).toMatchObject({ name: "a", type: "source", connector: { state: "RUNNING", worker_id: "127.0.0.1:8083", version: "9.9.9" } });
    expect(body["b"]?.info).toMatchObject({ name: "b", type: "sink", tasks: [{ connector: "b", task: 0 }] });
    expect((await h.call("GET", "/connectors?expand=bogus")).body).toEqual({ a: {}, b: {} });
  });

  it("unknown connectors: each endpoint with Kafka's own words", async () => {
    const cases: Array<[string, string, number, string]> = [
      ["GET", "/connectors/n", 404, "Connector n not found"],
      ["GET", "/connectors/n/config", 404, "Connector n not found"],
      ["GET", "/connectors/n/tasks", 404, "Connector n not found"],
      ["GET", "/connectors/n/offsets", 404, "Connector n not found"],
      ["DELETE", "/connectors/n", 404, "Connector n not found"],
      ["DELETE", "/connectors/n/offsets", 404, "Connector n not found"],
      ["GET", "/connectors/n/status", 404, "No status found for connector n"],
      ["GET", "/connectors/n/tasks/0/status", 404, "No status found for task n-0"],
      ["PUT", "/connectors/n/pause", 404, "Unknown connector n"],
      ["PUT", "/connectors/n/resume", 404, "Unknown connector n"],
      ["PUT", "/connectors/n/stop", 404, "Unknown connector n"],
      ["POST", "/connectors/n/restart", 404, "Unknown connector: n"],
      ["POST", "/connectors/n/restart?includeTasks=true", 404, "Unknown connector: n"],
      ["POST", "/connectors/n/tasks/0/restart", 404, "Unknown connector: n"],
      ["POST", "/connectors/a/tasks/5/restart", 404, "Unknown task: a-5"],
      ["GET", "/connectors/a/tasks/-1/status", 404, "No status found for task a--1"],
    ];
    for (const [method, url, status, message] of cases) {
      const r = await h.call(method as "GET", url);
      expect({ url, status: r.status, body: r.body }).toEqual({ url, status, body: errorBody(status, message) });
    }
    expect(await h.call("PATCH", "/connectors/n/config", { a: "b" })).toMatchObject({ status: 404, body: errorBody(404, "Connector n not found") });
  });

  it("task configs and task status", async () => {
    const tasks = await h.call("GET", "/connectors/a/tasks");
    expect(tasks.body).toEqual([{ id: { connector: "a", task: 0 }, config: { "connector.class": "com.example.TestSourceConnector", topic: "t", name: "a", "task.class": "TestSourceTask" } }]);
    expect((await h.call("GET", "/connectors/a/tasks/0/status")).body).toEqual({ id: 0, state: "RUNNING", worker_id: "127.0.0.1:8083", version: "9.9.9" });
  });

  it("topics: answered for any name, reset answers 202", async () => {
    expect((await h.call("GET", "/connectors/zzz/topics")).body).toEqual({ zzz: { topics: [] } });
    const reset = await h.call("PUT", "/connectors/a/topics/reset");
    expect(reset.status).toBe(202);
    expect(reset.body).toBeUndefined();
  });
});

describe("changing connectors", () => {
  beforeEach(async () => {
    await h.call("POST", "/connectors", source("a"));
  });

  it("PUT config updates (200, the tasks it had) and creates (201)", async () => {
    const updated = await h.call("PUT", "/connectors/a/config", { "connector.class": "TestSource", topic: "t2", "tasks.max": "2" });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ name: "a", config: { topic: "t2", name: "a" }, tasks: [{ connector: "a", task: 0 }] });
    expect((await h.call("GET", "/connectors/a")).body).toMatchObject({ tasks: [{ task: 0 }, { task: 1 }] });
    const created = await h.call("PUT", "/connectors/new/config", { "connector.class": "TestSource", topic: "t" });
    expect(created.status).toBe(201);
    expect(created.headers["location"]).toMatch(/\/connectors\/new$/);
    expect(created.body).toMatchObject({ name: "new", tasks: [] });
  });

  it("PATCH merges, and a null value removes a key (KIP-477)", async () => {
    await h.call("PUT", "/connectors/a/config", { "connector.class": "TestSource", topic: "t", "batch.size": "7" });
    const r = await h.call("PATCH", "/connectors/a/config", { topic: "t3", "batch.size": null });
    expect(r.status).toBe(200);
    expect((r.body as { config: Record<string, string> }).config).toEqual({ "connector.class": "TestSource", topic: "t3", name: "a" });
    const invalid = await h.call("PATCH", "/connectors/a/config", { "batch.size": "x" });
    expect(invalid.status).toBe(400);
  });

  it("DELETE answers 204 and forgets the connector", async () => {
    const r = await h.call("DELETE", "/connectors/a");
    expect(r.status).toBe(204);
    expect(r.body).toBeUndefined();
    expect((await h.call("GET", "/connectors")).body).toEqual([]);
    expect((await h.call("GET", "/connectors/a/status")).status).toBe(404);
    expect(h.worker.connectors.size + h.worker.tasks.size).toBe(0);
  });

  it("pause and resume answer 202; stop answers 204 and removes the tasks", async () => {
    const pause = await h.call("PUT", "/connectors/a/pause");
    expect(pause.status).toBe(202);
    expect((await h.call("GET", "/connectors/a/status")).body).toMatchObject({ connector: { state: "PAUSED" }, tasks: [{ state: "PAUSED" }] });
    expect((await h.call("PUT", "/connectors/a/resume")).status).toBe(202);
    expect((await h.call("GET", "/connectors/a/status")).body).toMatchObject({ connector: { state: "RUNNING" }, tasks: [{ state: "RUNNING" }] });
    const stop = await h.call("PUT", "/connectors/a/stop");
    expect(stop.status).toBe(204);
    expect((await h.call("GET", "/connectors/a/status")).body).toMatchObject({ connector: { state: "STOPPED" }, tasks: [] });
    expect((await h.call("GET", "/connectors/a/tasks")).body).toEqual([]);
    expect((await h.call("PUT", "/connectors/a/resume")).status).toBe(202);
    expect((await h.call("GET", "/connectors/a/status")).body).toMatchObject({ connector: { state: "RUNNING" }, tasks: [{ id: 0, state: "RUNNING" }] });
  });

  it("restart: 204 for the connector alone, 202 with RESTARTING states when tasks are included", async () => {
    const plain = await h.call("POST", "/connectors/a/restart");
    expect(plain.status).toBe(204);
    expect(plain.body).toBeUndefined();
    expect((await h.call("POST", "/connectors/a/restart?includeTasks=yes")).status).toBe(204);
    const all = await h.call("POST", "/connectors/a/restart?includeTasks=true&onlyFailed=false");
    expect(all.status).toBe(202);
    expect(all.body).toEqual({
      name: "a",
      connector: { state: "RESTARTING", worker_id: "127.0.0.1:8083", version: "9.9.9" },
      tasks: [{ id: 0, state: "RESTARTING", worker_id: "127.0.0.1:8083", version: "9.9.9" }],
      type: "source",
    });
    expect((await h.call("GET", "/connectors/a/status")).body).toMatchObject({ connector: { state: "RUNNING" }, tasks: [{ state: "RUNNING" }] });
    const onlyFailed = await h.call("POST", "/connectors/a/restart?includeTasks=true&onlyFailed=true");
    expect(onlyFailed.status).toBe(202);
    expect(onlyFailed.body).toMatchObject({ connector: { state: "RUNNING" }, tasks: [{ state: "RUNNING" }] });
  });

  it("restart with onlyFailed restarts only failed tasks, keeping their trace in the answer", async () => {
    h.worker.failTasks.add("f");
    await h.call("POST", "/connectors", source("f", { "tasks.max": "1" }));
    const failed = (await h.call("GET", "/connectors/f/status")).body as { tasks: Array<{ state: string; trace?: string }> };
    expect(failed.tasks[0]?.state).toBe("FAILED");
    expect(failed.tasks[0]?.trace).toContain("task f-0 failed on purpose");
    h.worker.failTasks.delete("f");
    const r = await h.call("POST", "/connectors/f/restart?includeTasks=true&onlyFailed=true");
    expect(r.status).toBe(202);
    const body = r.body as { connector: { state: string }; tasks: Array<{ state: string; trace?: string }> };
    expect(body.connector.state).toBe("RUNNING");
    expect(body.tasks[0]?.state).toBe("RESTARTING");
    expect(body.tasks[0]?.trace).toContain("failed on purpose");
    expect((await h.call("GET", "/connectors/f/status")).body).toMatchObject({ tasks: [{ state: "RUNNING" }] });
    expect((await h.call("POST", "/connectors/f/tasks/0/restart")).status).toBe(204);
  });
});

describe("offsets (KIP-875)", () => {
  it("modifying needs a STOPPED connector", async () => {
    await h.call("POST", "/connectors", source("a"));
    const message =
      "Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/a/stop' endpoint";
    expect(await h.call("PATCH", "/connectors/a/offsets", { offsets: [{ partition: { file: "x" }, offset: { position: 1 } }] })).toMatchObject({ status: 400, body: errorBody(400, message) });
    expect(await h.call("DELETE", "/connectors/a/offsets")).toMatchObject({ status: 400, body: errorBody(400, message) });
    expect(await h.call("PATCH", "/connectors/a/offsets", {})).toMatchObject({ status: 400, body: errorBody(400, "Partitions / offsets need to be provided for an alter offsets request") });
    expect(await h.call("PATCH", "/connectors/n/offsets", { offsets: [] })).toMatchObject({ status: 400, body: errorBody(400, "Partitions / offsets need to be provided for an alter offsets request") });
  });

  it("a source connector's offsets: read, altered, removed one by one, reset", async () => {
    await h.call("POST", "/connectors", source("a"));
    await h.offsetStore.set([{ key: serializeOffsetKey("a", { file: "/x" }), value: serializeOffsetValue("a", { position: 9 }) }]);
    expect((await h.call("GET", "/connectors/a/offsets")).body).toEqual({ offsets: [{ partition: { file: "/x" }, offset: { position: 9 } }] });
    expect((await h.call("PUT", "/connectors/a/stop")).status).toBe(204);
    // Written as text: 2^53 + 1 is not a JavaScript number, but it is a Java long.
    const altered = await h.call("PATCH", "/connectors/a/offsets", '{"offsets":[{"partition":{"file":"/x"},"offset":{"position":20}},{"partition":{"file":"/y"},"offset":{"position":9007199254740993}}]}');
    expect(altered).toMatchObject({ status: 200, body: { message: "The offsets for this connector have been altered successfully" } });
    const raw = await h.server.app.inject({ method: "GET", url: "/connectors/a/offsets" });
    expect(raw.body).toContain('{"position":9007199254740993}');
    const removed = await h.call("PATCH", "/connectors/a/offsets", { offsets: [{ partition: { file: "/y" }, offset: null }] });
    expect(removed.status).toBe(200);
    expect((await h.call("GET", "/connectors/a/offsets")).body).toEqual({ offsets: [{ partition: { file: "/x" }, offset: { position: 20 } }] });
    const notPrimitive = await h.call("PATCH", "/connectors/a/offsets", { offsets: [{ partition: { file: "/x" }, offset: { position: [1] } }] });
    expect(notPrimitive).toMatchObject({ status: 500, body: errorBody(500, "Offsets may only contain primitive types as values, but field position contains ARRAY") });
    const refused = await h.call("PATCH", "/connectors/a/offsets", { offsets: [{ partition: { name: "/x" }, offset: { position: 1 } }] });
    expect(refused).toMatchObject({ status: 500, body: errorBody(500, "Failed to modify offsets for source connector a") });
    const reset = await h.call("DELETE", "/connectors/a/offsets");
    expect(reset).toMatchObject({ status: 200, body: { message: "The offsets for this connector have been reset successfully" } });
    expect((await h.call("GET", "/connectors/a/offsets")).body).toEqual({ offsets: [] });
  });

  it("a sink connector's offsets are its consumer group's, with Kafka's checks", async () => {
    await h.call("POST", "/connectors", sink("s"));
    await h.sinkAdmin.alterOffsets("connect-s", [{ topic: "in", partition: 0, offset: 5 }]);
    expect((await h.call("GET", "/connectors/s/offsets")).body).toEqual({ offsets: [{ partition: { kafka_partition: 0, kafka_topic: "in" }, offset: { kafka_offset: 5 } }] });
    await h.call("PUT", "/connectors/s/stop");
    expect(await h.call("PATCH", "/connectors/s/offsets", { offsets: [{ partition: { kafka_topic: "in" }, offset: { kafka_offset: 1 } }] })).toMatchObject({
      status: 400,
      body: errorBody(400, "The partition for a sink connector offset must contain the keys 'kafka_topic' and 'kafka_partition'"),
    });
    expect(await h.call("PATCH", "/connectors/s/offsets", { offsets: [{ partition: { kafka_topic: "in", kafka_partition: 0 }, offset: { kafka_offset: "x" } }] })).toMatchObject({
      status: 400,
      body: errorBody(400, "Failed to parse the following Kafka offset value in the provided offsets: 'x'. Offset values for sink connectors need to be integers."),
    });
    const altered = await h.call("PATCH", "/connectors/s/offsets", { offsets: [{ partition: { kafka_topic: "in", kafka_partition: "1" }, offset: { kafka_offset: "7" } }] });
    expect(altered.body).toEqual({
      message:
        "The Connect framework-managed offsets for this connector have been altered successfully. However, if this connector manages offsets externally, they will need to be manually altered in the system that the connector uses.",
    });
    expect(await h.sinkAdmin.listOffsets("connect-s")).toEqual([
      { topic: "in", partition: 0, offset: 5 },
      { topic: "in", partition: 1, offset: 7 },
    ]);
    expect((await h.call("DELETE", "/connectors/s/offsets")).status).toBe(200);
    expect(await h.sinkAdmin.listOffsets("connect-s")).toEqual([]);
  });
});

describe("plugins", () => {
  it("lists connectors (sinks first, each sorted), and everything with connectorsOnly=false", async () => {
    expect((await h.call("GET", "/connector-plugins")).body).toEqual([
      { class: "com.example.TestSinkConnector", type: "sink", version: "9.9.9" },
      { class: "com.example.TestSourceConnector", type: "source", version: "9.9.9" },
    ]);
    const all = (await h.call("GET", "/connector-plugins?connectorsOnly=false")).body as Array<{ class: string; type: string }>;
    expect(new Set(all.map((p) => p.type))).toEqual(new Set(["sink", "source", "transformation", "predicate", "converter", "header_converter"]));
    expect(all).toContainEqual(expect.objectContaining({ class: "org.apache.kafka.connect.transforms.InsertField$Value", type: "transformation" }));
    expect(all).toContainEqual(expect.objectContaining({ class: "org.apache.kafka.connect.storage.SimpleHeaderConverter", type: "header_converter" }));
  });

  it("a plugin's config: its own keys first, then the connector keys, order_in_group as Kafka 4 names it", async () => {
    const keys = (await h.call("GET", "/connector-plugins/TestSource/config")).body as Array<Record<string, unknown>>;
    expect(keys.slice(0, 3).map((k) => k["name"])).toEqual(["topic", "batch.size", "secret"]);
    expect(keys[0]).toEqual({
      name: "topic",
      type: "STRING",
      required: true,
      default_value: null,
      importance: "HIGH",
      documentation: "Topic to write to.",
      group: null,
      order_in_group: -1,
      width: "NONE",
      display_name: "topic",
      dependents: [],
    });
    expect(keys.map((k) => k["name"])).toContain("connector.class");
    expect(await h.call("GET", "/connector-plugins/Nope/config")).toMatchObject({ status: 404, body: errorBody(404, "Unknown plugin Nope.") });
  });

  it("validate: every key with its value and errors; passwords hidden", async () => {
    const r = await h.call("PUT", "/connector-plugins/TestSource/config/validate", { "connector.class": "TestSource", name: "v", "batch.size": "0", secret: "hunter2" });
    expect(r.status).toBe(200);
    const body = r.body as { name: string; error_count: number; groups: string[]; configs: Array<{ definition: { name: string } | null; value: { name: string; value: string | null; errors: string[] } }> };
    expect(body.name).toBe("TestSource");
    expect(body.error_count).toBe(2);
    expect(body.groups.slice(0, 4)).toEqual(["Common", "Transforms", "Predicates", "Error Handling"]);
    const byName = new Map(body.configs.map((c) => [c.value.name, c.value]));
    expect(byName.get("topic")?.errors).toEqual(['Missing required configuration "topic" which has no default value.']);
    expect(byName.get("batch.size")?.errors).toEqual(["Invalid value 0 for configuration batch.size: Value must be at least 1"]);
    expect(byName.get("secret")?.value).toBe("[hidden]");
    expect(byName.get("key.converter")?.value).toBe("org.apache.kafka.connect.json.JsonConverter");
    expect(JSON.stringify(r.body)).not.toContain("hunter2");
  });

  it("validate: the plugin must match, a config without a class is Kafka's wrapped 500", async () => {
    expect(await h.call("PUT", "/connector-plugins/TestSink/config/validate", { "connector.class": "TestSource" })).toMatchObject({
      status: 400,
      body: errorBody(400, "Included connector type TestSource does not match request type TestSink"),
    });
    expect(await h.call("PUT", "/connector-plugins/TestSource/config/validate", { topic: "t" })).toMatchObject({
      status: 500,
      body: errorBody(500, "org.apache.kafka.connect.runtime.rest.errors.BadRequestException: Connector config {topic=t} contains no connector type"),
    });
  });

  it("validate: a converter named in the config is validated with its own keys", async () => {
    const r = await h.call("PUT", "/connector-plugins/TestSource/config/validate", {
      "connector.class": "TestSource",
      name: "v",
      topic: "t",
      "value.converter": "org.apache.kafka.connect.json.JsonConverter",
      "value.converter.schemas.enable": "maybe",
    });
    const body = r.body as { error_count: number; configs: Array<{ value: { name: string; errors: string[] } }> };
    expect(body.error_count).toBe(1);
    expect(body.configs.find((c) => c.value.name === "value.converter.schemas.enable")?.value.errors).toEqual([
      "Invalid value maybe for configuration schemas.enable: Expected value to be either true or false",
    ]);
  });
});

describe("loggers", () => {
  it("set a namespace, read it back, list, and Kafka's errors", async () => {
    h.loggers.logger("connect.worker");
    h.loggers.logger("connect.worker.tasks");
    const set = await h.call("PUT", "/admin/loggers/connect.worker", { level: "debug" });
    expect(set).toMatchObject({ status: 200, body: ["connect.worker", "connect.worker.tasks"] });
    expect((await h.call("PUT", "/admin/loggers/connect.worker", { level: "DEBUG" })).body).toEqual([]);
    const one = (await h.call("GET", "/admin/loggers/connect.worker")).body as { level: string; last_modified: number };
    expect(one.level).toBe("DEBUG");
    expect(typeof one.last_modified).toBe("number");
    const all = (await h.call("GET", "/admin/loggers")).body as Record<string, { level: string; last_modified: number | null }>;
    expect(all["root"]).toEqual({ level: "INFO", last_modified: null });
    expect(all["connect.worker.tasks"]?.level).toBe("DEBUG");
    expect(await h.call("GET", "/admin/loggers/nope")).toMatchObject({ status: 404, body: errorBody(404, "Logger nope not found.") });
    expect(await h.call("PUT", "/admin/loggers/x", { level: "LOUD" })).toMatchObject({ status: 404, body: errorBody(404, "invalid log level 'LOUD'.") });
    expect(await h.call("PUT", "/admin/loggers/x", {})).toMatchObject({ status: 400, body: errorBody(400, "Desired 'level' parameter was not specified in request.") });
    expect((await h.call("PUT", "/admin/loggers/x?scope=cluster", { level: "INFO" })).status).toBe(204);
    expect((await h.call("GET", "/admin/loggers/x")).body).toMatchObject({ level: "INFO" });
  });
});

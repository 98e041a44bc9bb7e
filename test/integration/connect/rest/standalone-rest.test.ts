// A standalone hub Connect worker (startConnect, as `hub connect --standalone`) driven through
// its REST API, on the hub's broker and on Apache Kafka: FileStream connectors moving real
// records, every endpoint's success answer, offsets of a STOPPED source and of a sink (its
// consumer group), and the bad-input answers (Kafka Connect's codes and messages).
import { appendFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type HubConnectWorker, startHubConnectWorker } from "../../../support/hub-connect.ts";
import { type InteropTarget, openTarget, TARGETS } from "../../../support/interop-targets.ts";
import { eventually } from "../../../support/poll.ts";

interface Answer {
  status: number;
  body: unknown;
}

for (const targetName of TARGETS) {
  describe(`standalone hub Connect worker on the ${targetName} broker`, () => {
    let target: InteropTarget;
    let worker: HubConnectWorker;
    let dir: string;
    let kafka: Kafka;

    const call = async (method: string, path: string, body?: unknown, raw?: string): Promise<Answer> => {
      const payload = raw ?? (body === undefined ? undefined : JSON.stringify(body));
      const response = await fetch(`${worker.url}${path}`, { method, ...(payload === undefined ? {} : { body: payload, headers: { "content-type": "application/json" } }) });
      const text = await response.text();
      return { status: response.status, body: text === "" ? undefined : (JSON.parse(text) as unknown) };
    };
    const state = async (name: string): Promise<{ connector: { state: string }; tasks: Array<{ id: number; state: string; trace?: string }> }> =>
      (await call("GET", `/connectors/${name}/status`)).body as { connector: { state: string }; tasks: Array<{ id: number; state: string; trace?: string }> };
    const until = (name: string, connector: string, tasks: string[]) =>
      eventually(`${name} ${connector} with tasks [${tasks.join(",")}]`, async () => {
        const s = await state(name);
        return s.connector?.state === connector && JSON.stringify(s.tasks.map((t) => t.state)) === JSON.stringify(tasks) ? s : undefined;
      });
    async function topicValues(topic: string, count: number): Promise<string[]> {
      const consumer = kafka.consumer({ groupId: target.unique("reader") });
      const values: string[] = [];
      await consumer.connect();
      try {
        await consumer.subscribe({ topic, fromBeginning: true });
        await consumer.run({ eachMessage: async ({ message }) => void values.push(message.value?.toString("utf8") ?? "null") });
        await eventually(`${count} records in ${topic}`, async () => (values.length >= count ? true : undefined));
      } finally {
        await consumer.disconnect();
      }
      return values;
    }
    const jsonString = (s: string): string => JSON.stringify({ schema: { type: "string", optional: false }, payload: s });

    beforeAll(async () => {
      target = await openTarget(targetName);
      kafka = new Kafka({ clientId: "connect-rest-it", brokers: [target.bootstrap], logLevel: logLevel.NOTHING });
      worker = await startHubConnectWorker({ bootstrap: target.bootstrap });
      dir = await mkdtemp(join(tmpdir(), "connect-rest-it-"));
    }, 60_000);

    afterAll(async () => {
      await worker?.stop();
      await target?.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    }, 60_000);

    it("GET / names the broker's cluster; /health is healthy", async () => {
      const admin = kafka.admin();
      await admin.connect();
      const { clusterId } = await admin.describeCluster();
      await admin.disconnect();
      expect(await call("GET", "/")).toEqual({ status: 200, body: { version: expect.any(String), commit: expect.stringMatching(/.+/), kafka_cluster_id: clusterId } });
      expect(await call("GET", "/health")).toEqual({ status: 200, body: { status: "healthy", message: "Worker has completed startup and is ready to handle requests." } });
    });

    it("a FileStreamSource reads its file into a topic; a STOPPED source's offsets can be rewritten", async () => {
      const name = target.unique("src");
      const topic = target.unique("src-topic");
      const file = join(dir, `${name}.txt`);
      await target.createTopic(topic, 1);
      await writeFile(file, "a\nb\nc\n");
      const created = await call("POST", "/connectors", { name, config: { "connector.class": "FileStreamSource", file, topic } });
      expect(created).toEqual({ status: 201, body: { name, config: { "connector.class": "FileStreamSource", file, topic, name }, tasks: [], type: "source" } });
      const running = await until(name, "RUNNING", ["RUNNING"]);
      expect(running).toMatchObject({ name, type: "source", connector: { worker_id: new URL(worker.url).host }, tasks: [{ id: 0, worker_id: new URL(worker.url).host }] });
      expect(await topicValues(topic, 3)).toEqual(["a", "b", "c"].map(jsonString));

      const expanded = (await call("GET", "/connectors?expand=status&expand=info")).body as Record<string, { status: unknown; info: unknown }>;
      expect(expanded[name]).toEqual({ status: running, info: { name, config: { "connector.class": "FileStreamSource", file, topic, name }, tasks: [{ connector: name, task: 0 }], type: "source" } });
      expect((await call("GET", `/connectors/${name}/tasks`)).body).toEqual([{ id: { connector: name, task: 0 }, config: expect.objectContaining({ file, topic, "task.class": expect.stringMatching(/FileStreamSourceTask$/) }) }]);
      expect((await call("GET", `/connectors/${name}/topics`)).body).toEqual({ [name]: { topics: [topic] } });

      // The committed offset is the file position after the third line (offset.flush.interval.ms=1000).
      const offsets = await eventually("the source's offset", async () => {
        const body = (await call("GET", `/connectors/${name}/offsets`)).body as { offsets: Array<{ partition: unknown; offset: { position: number } }> };
        return body.offsets[0]?.offset.position === 6 ? body : undefined;
      });
      expect(offsets).toEqual({ offsets: [{ partition: { filename: file }, offset: { position: 6 } }] });

      const notStopped = await call("PATCH", `/connectors/${name}/offsets`, { offsets: [{ partition: { filename: file }, offset: { position: 2 } }] });
      expect(notStopped.status).toBe(400);
      expect(await call("PUT", `/connectors/${name}/stop`)).toEqual({ status: 204, body: undefined });
      await until(name, "STOPPED", []);
      expect((await call("GET", `/connectors/${name}/tasks`)).body).toEqual([]);
      const altered = await call("PATCH", `/connectors/${name}/offsets`, { offsets: [{ partition: { filename: file }, offset: { position: 2 } }] });
      expect(altered).toEqual({ status: 200, body: { message: "The offsets for this connector have been altered successfully" } });
      expect((await call("GET", `/connectors/${name}/offsets`)).body).toEqual({ offsets: [{ partition: { filename: file }, offset: { position: 2 } }] });
      // FileStreamSource's own check of what it is given (a ConnectException: 500).
      const refused = await call("PATCH", `/connectors/${name}/offsets`, { offsets: [{ partition: { filename: file }, offset: { position: -1 } }] });
      expect(refused).toEqual({ status: 500, body: { error_code: 500, message: "The value for the 'position' key in the offset should be a non-negative value" } });

      // Resumed, the task starts from the rewritten position: b and c again, then what is appended.
      expect((await call("PUT", `/connectors/${name}/resume`)).status).toBe(202);
      await until(name, "RUNNING", ["RUNNING"]);
      await appendFile(file, "d\n");
      expect(await topicValues(topic, 6)).toEqual(["a", "b", "c", "b", "c", "d"].map(jsonString));

      await call("PUT", `/connectors/${name}/stop`);
      await until(name, "STOPPED", []);
      expect(await call("DELETE", `/connectors/${name}/offsets`)).toEqual({ status: 200, body: { message: "The offsets for this connector have been reset successfully" } });
      expect((await call("GET", `/connectors/${name}/offsets`)).body).toEqual({ offsets: [] });
      expect(await call("DELETE", `/connectors/${name}`)).toEqual({ status: 204, body: undefined });
      expect((await call("GET", `/connectors/${name}`)).status).toBe(404);
    });

    it("a FileStreamSink writes a topic to a file; its offsets are its consumer group's", async () => {
      const name = target.unique("sink");
      const topic = target.unique("sink-topic");
      const file = join(dir, `${name}.out`);
      await target.createTopic(topic, 1);
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({ topic, messages: ["x", "y", "z"].map((v) => ({ value: jsonString(v) })) });
      await producer.disconnect();
      expect((await call("POST", "/connectors", { name, config: { "connector.class": "org.apache.kafka.connect.file.FileStreamSinkConnector", file, topics: topic } })).status).toBe(201);
      await until(name, "RUNNING", ["RUNNING"]);
      await eventually("the sink's file", async () => ((await readFile(file, "utf8").catch(() => "")) === "x\ny\nz\n" ? true : undefined));
      const committed = await eventually("the sink's committed offset", async () => {
        const body = (await call("GET", `/connectors/${name}/offsets`)).body as { offsets: unknown[] };
        return body.offsets.length === 1 ? body : undefined;
      });
      expect(committed).toEqual({ offsets: [{ partition: { kafka_partition: 0, kafka_topic: topic }, offset: { kafka_offset: 3 } }] });
      expect(await target.committedOffsets(`connect-${name}`, topic)).toEqual(new Map([[0, 3n]]));

      await call("PUT", `/connectors/${name}/stop`);
      await until(name, "STOPPED", []);
      // The group's members leave asynchronously: Kafka answers the zombie message until they have.
      const altered = await eventually("altered sink offsets", async () => {
        const r = await call("PATCH", `/connectors/${name}/offsets`, { offsets: [{ partition: { kafka_topic: topic, kafka_partition: 0 }, offset: { kafka_offset: 1 } }] });
        return r.status === 200 ? r : undefined;
      });
      expect((altered.body as { message: string }).message).toMatch(/^The (Connect framework-managed )?offsets for this connector have been altered successfully/);
      expect(await target.committedOffsets(`connect-${name}`, topic)).toEqual(new Map([[0, 1n]]));
      const badPartition = await call("PATCH", `/connectors/${name}/offsets`, { offsets: [{ partition: { kafka_topic: topic }, offset: { kafka_offset: 1 } }] });
      expect(badPartition).toEqual({ status: 400, body: { error_code: 400, message: "The partition for a sink connector offset must contain the keys 'kafka_topic' and 'kafka_partition'" } });
      expect((await call("DELETE", `/connectors/${name}/offsets`)).status).toBe(200);
      expect((await call("GET", `/connectors/${name}/offsets`)).body).toEqual({ offsets: [] });

      // Resumed without committed offsets, the sink reads the topic again from the start.
      await call("PUT", `/connectors/${name}/resume`);
      await eventually("the sink's file, written twice", async () => ((await readFile(file, "utf8")) === "x\ny\nz\nx\ny\nz\n" ? true : undefined));
      await call("DELETE", `/connectors/${name}`);
    });

    it("pause, resume, restarts, config changes", async () => {
      const name = target.unique("life");
      const topic = target.unique("life-topic");
      const file = join(dir, `${name}.txt`);
      await target.createTopic(topic, 1);
      await writeFile(file, "");
      const config = { "connector.class": "FileStreamSource", file, topic };
      await call("POST", "/connectors", { name, config });
      await until(name, "RUNNING", ["RUNNING"]);
      expect(await call("PUT", `/connectors/${name}/pause`)).toEqual({ status: 202, body: undefined });
      await until(name, "PAUSED", ["PAUSED"]);
      expect(await call("PUT", `/connectors/${name}/resume`)).toEqual({ status: 202, body: undefined });
      await until(name, "RUNNING", ["RUNNING"]);
      expect(await call("POST", `/connectors/${name}/restart`)).toEqual({ status: 204, body: undefined });
      const restarting = await call("POST", `/connectors/${name}/restart?includeTasks=true`);
      expect(restarting).toMatchObject({ status: 202, body: { name, connector: { state: "RESTARTING" }, tasks: [{ id: 0, state: "RESTARTING" }], type: "source" } });
      await until(name, "RUNNING", ["RUNNING"]);
      expect(await call("POST", `/connectors/${name}/tasks/0/restart`)).toEqual({ status: 204, body: undefined });
      await until(name, "RUNNING", ["RUNNING"]);

      const put = await call("PUT", `/connectors/${name}/config`, { ...config, "batch.size": "10" });
      expect(put).toEqual({ status: 200, body: { name, config: { ...config, "batch.size": "10", name }, tasks: [{ connector: name, task: 0 }], type: "source" } });
      const patched = await call("PATCH", `/connectors/${name}/config`, { "batch.size": null });
      expect(patched).toEqual({ status: 200, body: { name, config: { ...config, name }, tasks: [{ connector: name, task: 0 }], type: "source" } });
      expect((await call("GET", `/connectors/${name}/config`)).body).toEqual({ ...config, name });
      await until(name, "RUNNING", ["RUNNING"]);
      expect(await call("DELETE", `/connectors/${name}`)).toEqual({ status: 204, body: undefined });
      expect(await call("GET", `/connectors/${name}/status`)).toEqual({ status: 404, body: { error_code: 404, message: `No status found for connector ${name}` } });
    });

    it("validate, plugins and their config definitions", async () => {
      const plugins = (await call("GET", "/connector-plugins")).body as Array<{ class: string; type: string; version: string }>;
      // Sinks first, then sources, each sorted by class (the hub's datagen source sorts before FileStream).
      expect(plugins.map((p) => p.type)).toEqual([...plugins.filter((p) => p.type === "sink"), ...plugins.filter((p) => p.type === "source")].map((p) => p.type));
      expect(plugins.filter((p) => p.class.startsWith("org.apache.kafka.connect.file.")).map((p) => [p.class, p.type])).toEqual([
        ["org.apache.kafka.connect.file.FileStreamSinkConnector", "sink"],
        ["org.apache.kafka.connect.file.FileStreamSourceConnector", "source"],
      ]);
      const keys = (await call("GET", "/connector-plugins/FileStreamSource/config")).body as Array<{ name: string; order_in_group: number }>;
      expect(keys.map((k) => k.name)).toEqual(expect.arrayContaining(["file", "topic", "batch.size", "name", "connector.class", "tasks.max"]));
      const validated = await call("PUT", "/connector-plugins/FileStreamSource/config/validate", { "connector.class": "FileStreamSource", name: "v", "batch.size": "abc" });
      expect(validated.status).toBe(200);
      const body = validated.body as { name: string; error_count: number; configs: Array<{ value: { name: string; errors: string[] } }> };
      expect(body.name).toBe("FileStreamSource");
      expect(body.error_count).toBe(2);
      const errors = Object.fromEntries(body.configs.filter((c) => c.value.errors.length > 0).map((c) => [c.value.name, c.value.errors]));
      expect(errors).toEqual({ topic: ['Missing required configuration "topic" which has no default value.'], "batch.size": ["Invalid value abc for configuration batch.size: Not a number of type INT"] });
    });

    it("bad input answers as Kafka Connect does", async () => {
      const name = target.unique("bad");
      expect((await call("POST", "/connectors", undefined, '{"name":"a",')).status).toBe(500);
      const unknown = await call("POST", "/connectors", { name, config: { "connector.class": "com.example.Nope" } });
      expect(unknown.status).toBe(400);
      expect((unknown.body as { message: string }).message).toMatch(/^Failed to find any class that implements Connector and which name matches com\.example\.Nope, available connectors are: /);
      expect(await call("POST", "/connectors", { name, config: { "connector.class": "FileStreamSource", file: "/tmp/x", "batch.size": "abc" } })).toEqual({
        status: 400,
        body: {
          error_code: 400,
          message:
            "Connector configuration is invalid and contains the following 2 error(s):\n" +
            'Missing required configuration "topic" which has no default value.\n' +
            "Invalid value abc for configuration batch.size: Not a number of type INT\n" +
            "You can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`",
        },
      });
      expect(await call("GET", "/nope")).toEqual({ status: 404, body: { error_code: 404, message: "HTTP 404 Not Found" } });
      expect((await call("GET", "/connectors")).body).not.toContain(name);
    });

    it("loggers can be read and set at run time", async () => {
      const all = (await call("GET", "/admin/loggers")).body as Record<string, { level: string; last_modified: number | null }>;
      expect(all["root"]).toMatchObject({ level: expect.any(String), last_modified: null });
      expect(Object.keys(all)).toContain("connect.worker");
      const set = await call("PUT", "/admin/loggers/connect.worker", { level: "DEBUG" });
      expect(set).toEqual({ status: 200, body: ["connect.worker"] });
      expect((await call("GET", "/admin/loggers/connect.worker")).body).toEqual({ level: "DEBUG", last_modified: expect.any(Number) });
      await call("PUT", "/admin/loggers/connect.worker", { level: "WARN" });
    });

    it("runs the connectors given at start-up, as connect-standalone does", async () => {
      const name = target.unique("cli");
      const topic = target.unique("cli-topic");
      const file = join(dir, `${name}.txt`);
      await target.createTopic(topic, 1);
      await writeFile(file, "one\n");
      const second = await startHubConnectWorker({ bootstrap: target.bootstrap, connectors: [{ name, "connector.class": "FileStreamSource", file, topic }] });
      try {
        const response = await fetch(`${second.url}/connectors/${name}/status`);
        expect(response.status).toBe(200);
        expect(await topicValues(topic, 1)).toEqual([jsonString("one")]);
      } finally {
        await second.stop();
      }
    });
  });
}

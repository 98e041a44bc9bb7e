// Error handling on a real broker: errors.tolerance, errors.retry.timeout, errors.log.enable and
// the dead letter queue with Kafka's context headers — for sinks (records failing in an SMT, in
// the JsonConverter, or reported by the task, KIP-610) and, a hub extension, for sources (records
// failing in an SMT). On the hub's broker and on Apache Kafka.
import type { IHeaders } from "kafkajs";
import { describe, expect, it } from "vitest";
import { newProbe, recordId } from "../../../support/connect-test-plugins.ts";
import { newProbedConnector, produceMessages, readTopic, SCHEMALESS_JSON_CONVERTERS, type TestWorker, useWorkerOnTarget, waitUntil } from "../../../support/connect-worker.ts";
import { TARGETS } from "../../../support/interop-targets.ts";

const header = (headers: IHeaders | undefined, key: string): string | undefined => {
  const v = headers?.[key];
  return v === undefined ? undefined : Array.isArray(v) ? String(v[0]) : v.toString();
};

function produceRaw(bootstrap: string, topic: string, values: Array<string | null>): Promise<void> {
  return produceMessages(bootstrap, topic, values.map((value, i) => ({ key: `k${i}`, value, headers: { origin: `h${i}` }, timestamp: String(1_600_000_000_000 + i) })));
}

/** A dead letter queue with Kafka's context headers. */
const dlqConfig = (dlq: string): Record<string, string> => ({
  "errors.deadletterqueue.topic.name": dlq,
  "errors.deadletterqueue.topic.replication.factor": "1",
  "errors.deadletterqueue.context.headers.enable": "true",
});

function metric(w: TestWorker, name: string, connector: string): Promise<number> {
  return w.worker.metrics.registry.getSingleMetric(name)?.get().then((m) => m.values.filter((v) => v.labels.connector === connector).reduce((a, v) => a + v.value, 0)) ?? Promise.resolve(0);
}

for (const targetName of TARGETS) {
  describe(`errors and dead letter queues on ${targetName}`, () => {
    const env = useWorkerOnTarget(targetName, { overrides: { "offset.flush.interval.ms": "300" } });

    it("sends a record an SMT throws on to the DLQ, with the context headers, when errors.tolerance=all", async () => {
      const topic = env.target.unique("smt-dlq");
      const dlq = env.target.unique("dlq");
      await env.target.createTopic(topic, 1);
      const values = Array.from({ length: 6 }, (_, i) => JSON.stringify({ id: i }));
      await produceRaw(env.target.bootstrap, topic, values);
      const { probeName, probe, connector } = newProbedConnector(env.target, "collect");
      await env.w.run(connector, {
        "connector.class": "CollectingSink",
        topics: topic,
        "test.probe": probeName,
        ...SCHEMALESS_JSON_CONVERTERS,
        transforms: "failOn",
        "transforms.failOn.type": "hub.test.FailOn",
        "transforms.failOn.fail.ids": "3",
        "errors.tolerance": "all",
        "errors.log.enable": "true",
        ...dlqConfig(dlq),
      });
      await waitUntil(async () => (await env.target.committedOffsets(`connect-${connector}`, topic)).get(0) === 6n, 20_000, "offset 6 committed");
      expect(probe.ids()).toEqual([0, 1, 2, 4, 5]);
      const [dead] = await readTopic(env.target.bootstrap, dlq, 1);
      expect(dead?.key?.toString()).toBe("k3");
      expect(dead?.value?.toString()).toBe(values[3]);
      expect(dead?.timestamp).toBe("1600000000003");
      expect(header(dead?.headers, "origin")).toBe("h3");
      expect(header(dead?.headers, "__connect.errors.topic")).toBe(topic);
      expect(header(dead?.headers, "__connect.errors.partition")).toBe("0");
      expect(header(dead?.headers, "__connect.errors.offset")).toBe("3");
      expect(header(dead?.headers, "__connect.errors.connector.name")).toBe(connector);
      expect(header(dead?.headers, "__connect.errors.task.id")).toBe("0");
      expect(header(dead?.headers, "__connect.errors.stage")).toBe("TRANSFORMATION");
      expect(header(dead?.headers, "__connect.errors.class.name")).toBe("hub.test.FailOn");
      expect(header(dead?.headers, "__connect.errors.exception.class.name")).toBe("Error");
      expect(header(dead?.headers, "__connect.errors.exception.message")).toBe("FailOn: refusing record 3");
      expect(header(dead?.headers, "__connect.errors.exception.stacktrace")).toMatch(/^Error: FailOn: refusing record 3\n\tat /);
      expect(await metric(env.w, "connect_task_error_deadletterqueue_produce_requests", connector)).toBe(1);
      expect(await metric(env.w, "connect_task_error_total_records_skipped", connector)).toBe(1);
      expect(await metric(env.w, "connect_task_error_total_errors_logged", connector)).toBe(1);
      await env.w.halt(connector);
    });

    it("fails the task on the first SMT error when errors.tolerance=none, with the error in the trace", async () => {
      const topic = env.target.unique("smt-none");
      await env.target.createTopic(topic, 1);
      await produceRaw(env.target.bootstrap, topic, Array.from({ length: 6 }, (_, i) => JSON.stringify({ id: i })));
      const { probeName, probe, connector } = newProbedConnector(env.target, "collect");
      await env.w.run(connector, {
        "connector.class": "CollectingSink",
        topics: topic,
        "test.probe": probeName,
        ...SCHEMALESS_JSON_CONVERTERS,
        transforms: "failOn",
        "transforms.failOn.type": "hub.test.FailOn",
        "transforms.failOn.fail.ids": "3",
      });
      const failure = await env.w.listener.waitFor((e) => e.event === "onTaskFailure" && e.connector === connector, 20_000, "the task to fail");
      expect(failure.error?.message).toBe("Tolerance exceeded in error handler");
      expect((failure.error?.cause as Error).message).toBe("FailOn: refusing record 3");
      // Nothing of the failed batch was delivered or committed.
      expect(probe.received.length).toBe(0);
      expect((await env.target.committedOffsets(`connect-${connector}`, topic)).size).toBe(0);
      await env.w.halt(connector);
    });

    it("sends a value the JsonConverter cannot read to the DLQ (stage VALUE_CONVERTER)", async () => {
      const topic = env.target.unique("bad-json");
      const dlq = env.target.unique("dlq");
      await env.target.createTopic(topic, 1);
      const values = ['{"id":0}', '{"id": 1, oops', '{"id":2}'];
      await produceRaw(env.target.bootstrap, topic, values);
      const { probeName, probe, connector } = newProbedConnector(env.target, "collect");
      await env.w.run(connector, {
        "connector.class": "CollectingSink",
        topics: topic,
        "test.probe": probeName,
        ...SCHEMALESS_JSON_CONVERTERS,
        "errors.tolerance": "all",
        ...dlqConfig(dlq),
      });
      await waitUntil(async () => (await env.target.committedOffsets(`connect-${connector}`, topic)).get(0) === 3n, 20_000, "offset 3 committed");
      expect(probe.received.map((r) => r.value)).toEqual([{ id: 0 }, { id: 2 }]);
      const [dead] = await readTopic(env.target.bootstrap, dlq, 1);
      expect(dead?.value?.toString()).toBe(values[1]);
      expect(header(dead?.headers, "__connect.errors.stage")).toBe("VALUE_CONVERTER");
      expect(header(dead?.headers, "__connect.errors.class.name")).toBe("org.apache.kafka.connect.json.JsonConverter");
      expect(header(dead?.headers, "__connect.errors.exception.class.name")).toBe("org.apache.kafka.connect.errors.DataException");
      expect(header(dead?.headers, "__connect.errors.offset")).toBe("1");
      await env.w.halt(connector);
    });

    it("sends records a sink task reports through the errant record reporter to the DLQ (KIP-610)", async () => {
      const topic = env.target.unique("errant");
      const dlq = env.target.unique("dlq");
      await env.target.createTopic(topic, 1);
      const values = Array.from({ length: 5 }, (_, i) => JSON.stringify({ id: i }));
      await produceRaw(env.target.bootstrap, topic, values);
      const probeName = env.target.unique("probe");
      const probe = newProbe(probeName);
      probe.reportErrant = (r) => recordId(r) === 4;
      const connector = env.target.unique("collect");
      await env.w.run(connector, {
        "connector.class": "CollectingSink",
        topics: topic,
        "test.probe": probeName,
        ...SCHEMALESS_JSON_CONVERTERS,
        "errors.tolerance": "all",
        ...dlqConfig(dlq),
      });
      await waitUntil(async () => (await env.target.committedOffsets(`connect-${connector}`, topic)).get(0) === 5n, 20_000, "offset 5 committed");
      expect(probe.ids()).toEqual([0, 1, 2, 3]);
      expect(probe.errantResults).toEqual(["ok"]);
      const [dead] = await readTopic(env.target.bootstrap, dlq, 1);
      expect(dead?.value?.toString()).toBe(values[4]);
      expect(header(dead?.headers, "__connect.errors.stage")).toBe("TASK_PUT");
      expect(header(dead?.headers, "__connect.errors.class.name")).toBe("org.apache.kafka.connect.sink.SinkTask");
      expect(header(dead?.headers, "__connect.errors.exception.message")).toBe("record 4 cannot be written");
      await env.w.halt(connector);
    });

    it("sends a source record an SMT throws on to the source's DLQ (hub extension)", async () => {
      const topic = env.target.unique("src-dlq");
      const dlq = env.target.unique("dlq");
      await env.target.createTopic(topic, 1);
      const { probeName, probe, connector } = newProbedConnector(env.target, "numbered");
      await env.w.run(connector, {
        "connector.class": "NumberedSource",
        topic,
        "test.probe": probeName,
        count: "5",
        transforms: "failOn",
        "transforms.failOn.type": "hub.test.FailOn",
        "transforms.failOn.fail.ids": "2",
        "errors.tolerance": "all",
        ...dlqConfig(dlq),
      });
      await waitUntil(() => probe.committedRecords.length === 5, 20_000, "all records settled");
      expect(probe.committedRecords.find((c) => c.id === 2)?.metadata).toBeNull();
      const written = await readTopic(env.target.bootstrap, topic, 4);
      expect(written.map((r) => JSON.parse(r.value?.toString() ?? "null").payload.id)).toEqual([0, 1, 3, 4]);
      const [dead] = await readTopic(env.target.bootstrap, dlq, 1);
      // The record as the connector made it, through the connector's converters (JSON envelope).
      expect(JSON.parse(dead?.value?.toString() ?? "null")).toEqual({ schema: expect.objectContaining({ type: "struct", name: "hub.test.Numbered" }), payload: { id: 2, name: "record-2" } });
      expect(JSON.parse(dead?.key?.toString() ?? "null")).toEqual({ schema: { type: "string", optional: false }, payload: "key-2" });
      expect(dead?.timestamp).toBe("1700000000002");
      expect(header(dead?.headers, "hub.test.id")).toBe("2");
      expect(header(dead?.headers, "__connect.errors.topic")).toBe(topic);
      expect(header(dead?.headers, "__connect.errors.stage")).toBe("TRANSFORMATION");
      expect(header(dead?.headers, "__connect.errors.class.name")).toBe("hub.test.FailOn");
      expect(header(dead?.headers, "__connect.errors.source.partition")).toBe(JSON.stringify({ source: probeName, task: 0 }));
      expect(header(dead?.headers, "__connect.errors.source.offset")).toBe('{"position":2}');
      expect(dead?.headers?.["__connect.errors.offset"]).toBeUndefined();
      await env.w.halt(connector);
    });

    it("retries an operation that throws RetriableException for errors.retry.timeout", async () => {
      const topic = env.target.unique("retry");
      await env.target.createTopic(topic, 1);
      const { probeName, probe, connector } = newProbedConnector(env.target, "numbered");
      await env.w.run(connector, {
        "connector.class": "NumberedSource",
        topic,
        "test.probe": probeName,
        count: "4",
        transforms: "failOn",
        "transforms.failOn.type": "hub.test.FailOn",
        "transforms.failOn.fail.ids": "1",
        "transforms.failOn.retriable.failures": "2",
        "errors.retry.timeout": "10000",
        "errors.retry.delay.max.ms": "1000",
      });
      await waitUntil(() => probe.committedRecords.filter((c) => c.metadata !== null).length === 4, 20_000, "all 4 records written");
      expect(await metric(env.w, "connect_task_error_total_retries", connector)).toBe(2);
      expect(await metric(env.w, "connect_task_error_total_record_failures", connector)).toBe(2);
      expect(await metric(env.w, "connect_task_error_total_record_errors", connector)).toBe(0);
      await env.w.halt(connector);

      // Without errors.retry.timeout (0: no retries) the same failure fails the task.
      const other = env.target.unique("numbered");
      await env.w.run(other, {
        "connector.class": "NumberedSource",
        topic,
        "test.probe": probeName,
        count: "4",
        transforms: "failOn",
        "transforms.failOn.type": "hub.test.FailOn",
        "transforms.failOn.fail.ids": "1",
        "transforms.failOn.retriable.failures": "2",
      });
      const failure = await env.w.listener.waitFor((e) => e.event === "onTaskFailure" && e.connector === other, 20_000, "the task to fail");
      expect(failure.error?.message).toBe("Tolerance exceeded in error handler");
      expect((failure.error?.cause as Error).name).toBe("RetriableException");
      await env.w.halt(other);
    });
  });
}

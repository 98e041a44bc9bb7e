// Target states on a running worker: PAUSED holds a source's polling and a sink's deliveries
// (the sink's consumer keeps its group membership), STARTED resumes them, STOPPED stops the
// connector instance; a connector created PAUSED starts its tasks only when resumed. On the
// hub's broker and on Apache Kafka.
import { Kafka, logLevel } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newProbe } from "../../../support/connect-test-plugins.ts";
import { startTestWorker, type TestWorker, waitUntil } from "../../../support/connect-worker.ts";
import { openTarget, TARGETS, type InteropTarget } from "../../../support/interop-targets.ts";

const settle = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

for (const targetName of TARGETS) {
  describe(`pause, resume and stop on ${targetName}`, () => {
    let target: InteropTarget;
    let w: TestWorker;

    beforeAll(async () => {
      target = await openTarget(targetName);
      w = await startTestWorker(target.bootstrap, { overrides: { "offset.flush.interval.ms": "300" } });
    });

    afterAll(async () => {
      await w?.close();
      await target?.close();
    });

    it("pauses and resumes a source task, and stops its connector", async () => {
      const topic = target.unique("pause-src");
      await target.createTopic(topic, 1);
      const probeName = target.unique("probe");
      const probe = newProbe(probeName);
      const connector = target.unique("numbered");
      await w.run(connector, { "connector.class": "NumberedSource", topic, "test.probe": probeName, count: "-1", "batch.size": "5", "poll.interval.ms": "20" });
      await waitUntil(() => probe.emitted.length > 20, 20_000, "records flowing");

      await w.worker.setTargetState(connector, "PAUSED");
      await w.listener.waitFor((e) => e.event === "onTaskPause" && e.connector === connector, 10_000, "task PAUSED");
      await w.listener.waitFor((e) => e.event === "onConnectorPause" && e.connector === connector, 10_000, "connector PAUSED");
      await settle(300);
      const whilePaused = probe.emitted.length;
      await settle(700);
      expect(probe.emitted.length).toBe(whilePaused);

      await w.worker.setTargetState(connector, "STARTED");
      await w.listener.waitFor((e) => e.event === "onTaskRunning" && e.connector === connector, 10_000, "task RUNNING again");
      await w.listener.waitFor((e) => e.event === "onConnectorRunning" && e.connector === connector, 10_000, "connector RUNNING again");
      await waitUntil(() => probe.emitted.length > whilePaused + 10, 20_000, "records flowing again");

      await w.worker.setTargetState(connector, "STOPPED");
      await w.listener.waitFor((e) => e.event === "onConnectorStop" && e.connector === connector, 10_000, "connector STOPPED");
      expect(w.worker.isRunning(connector)).toBe(false);
      await w.halt(connector);
      await w.listener.waitFor((e) => e.event === "onTaskShutdown" && e.connector === connector, 10_000, "task shut down");
      expect(probe.stopped).toBe(1);
    });

    it("pauses and resumes a sink task without leaving the group", async () => {
      const topic = target.unique("pause-sink");
      await target.createTopic(topic, 2);
      const producer = new Kafka({ clientId: "test-producer", brokers: [target.bootstrap], logLevel: logLevel.NOTHING }).producer();
      await producer.connect();
      const send = (from: number, n: number) =>
        producer.send({ topic, acks: -1, messages: Array.from({ length: n }, (_, i) => ({ key: `k${from + i}`, value: JSON.stringify({ id: from + i }) })) });
      await send(0, 10);
      const probeName = target.unique("probe");
      const probe = newProbe(probeName);
      const connector = target.unique("collect");
      const config = {
        "connector.class": "CollectingSink",
        topics: topic,
        "test.probe": probeName,
        "key.converter": "org.apache.kafka.connect.storage.StringConverter",
        "value.converter": "org.apache.kafka.connect.json.JsonConverter",
        "value.converter.schemas.enable": "false",
      };
      await w.run(connector, config);
      await waitUntil(() => probe.received.length >= 10, 20_000, "the first 10 records");

      await w.worker.setTargetState(connector, "PAUSED");
      await w.listener.waitFor((e) => e.event === "onTaskPause" && e.connector === connector, 10_000, "task PAUSED");
      await send(10, 10);
      await settle(1500);
      expect(probe.received.length).toBe(10);
      const opened = probe.opened.length;

      await w.worker.setTargetState(connector, "STARTED");
      await waitUntil(() => probe.received.length >= 20, 20_000, "the records sent while paused");
      expect(new Set(probe.ids())).toEqual(new Set(Array.from({ length: 20 }, (_, i) => i)));
      // No rebalance happened: the partitions were opened once.
      expect(probe.opened.length).toBe(opened);
      expect(probe.opened.flat().length).toBe(2);
      await producer.disconnect();
      await w.halt(connector);
    });

    it("starts the tasks of a connector created PAUSED only once it is resumed", async () => {
      const topic = target.unique("paused-start");
      await target.createTopic(topic, 1);
      const probeName = target.unique("probe");
      const probe = newProbe(probeName);
      const connector = target.unique("numbered");
      // As a herder restarting a paused connector does: the connector and its (known) task configs, PAUSED.
      const config = { name: connector, "connector.class": "NumberedSource", topic, "test.probe": probeName, count: "5" };
      await w.worker.startConnector(connector, config, "PAUSED");
      await w.worker.startTask({ connector, task: 0 }, config, { ...config, "task.index": "0" }, "PAUSED");
      await w.listener.waitFor((e) => e.event === "onConnectorPause" && e.connector === connector, 10_000, "connector PAUSED");
      await w.listener.waitFor((e) => e.event === "onTaskPause" && e.connector === connector, 10_000, "task PAUSED");
      await settle(500);
      expect(probe.started).toBe(0);
      await w.worker.setTargetState(connector, "STARTED");
      await w.listener.waitFor((e) => e.event === "onTaskStartup" && e.connector === connector, 10_000, "task RUNNING");
      await w.listener.waitFor((e) => e.event === "onConnectorRunning" && e.connector === connector, 10_000, "connector RUNNING");
      await waitUntil(() => probe.committedRecords.length === 5, 20_000, "the 5 records acknowledged");
      await w.worker.stopAndAwaitTasks([{ connector, task: 0 }]);
      await w.worker.stopAndAwaitConnector(connector);
    });

    it("pauses and resumes single partitions through the sink task's context, and rewinds with context.offset()", async () => {
      const topic = target.unique("ctx-pause");
      await target.createTopic(topic, 2);
      const producer = new Kafka({ clientId: "test-producer", brokers: [target.bootstrap], logLevel: logLevel.NOTHING }).producer();
      await producer.connect();
      const send = (partition: number, from: number, n: number) =>
        producer.send({ topic, acks: -1, messages: Array.from({ length: n }, (_, i) => ({ partition, value: JSON.stringify({ id: from + i }) })) });
      await send(0, 0, 5);
      await send(1, 100, 5);
      const probeName = target.unique("probe");
      const probe = newProbe(probeName);
      const connector = target.unique("collect");
      await w.run(connector, {
        "connector.class": "CollectingSink",
        topics: topic,
        "test.probe": probeName,
        "key.converter": "org.apache.kafka.connect.storage.StringConverter",
        "value.converter": "org.apache.kafka.connect.json.JsonConverter",
        "value.converter.schemas.enable": "false",
      });
      await waitUntil(() => probe.received.length >= 10, 20_000, "the first records");
      probe.sinkContext?.pause({ topic, partition: 1 });
      await send(0, 5, 5);
      await send(1, 105, 5);
      await waitUntil(() => probe.ids().includes(9), 20_000, "partition 0's new records");
      await settle(1000);
      expect(probe.ids().filter((id) => id >= 105)).toEqual([]);
      probe.sinkContext?.resume({ topic, partition: 1 });
      await waitUntil(() => probe.ids().includes(109), 20_000, "partition 1's records after resume");

      // Rewind partition 0 to offset 2: records 2..9 come again.
      const before = probe.received.length;
      probe.sinkContext?.offset({ topic, partition: 0 }, 2);
      await send(0, 10, 1);
      await waitUntil(() => probe.ids().slice(before).includes(10), 20_000, "records after the rewind");
      expect(probe.ids().slice(before).filter((id) => id < 100)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
      await producer.disconnect();
      await w.halt(connector);
    });
  });
}

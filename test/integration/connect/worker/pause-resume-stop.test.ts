// Target states on a running worker: PAUSED holds a source's polling and a sink's deliveries
// (the sink's consumer keeps its group membership), STARTED resumes them, STOPPED stops the
// connector instance; a connector created PAUSED starts its tasks only when resumed. On the
// hub's broker and on Apache Kafka.
import { describe, expect, it } from "vitest";
import { newProbedConnector, produceMessages, SCHEMALESS_JSON_CONVERTERS, useWorkerOnTarget, waitUntil } from "../../../support/connect-worker.ts";
import { TARGETS } from "../../../support/interop-targets.ts";

const settle = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

for (const targetName of TARGETS) {
  describe(`pause, resume and stop on ${targetName}`, () => {
    const env = useWorkerOnTarget(targetName, { overrides: { "offset.flush.interval.ms": "300" } });

    it("pauses and resumes a source task, and stops its connector", async () => {
      const topic = env.target.unique("pause-src");
      await env.target.createTopic(topic, 1);
      const { probeName, probe, connector } = newProbedConnector(env.target, "numbered");
      await env.w.run(connector, { "connector.class": "NumberedSource", topic, "test.probe": probeName, count: "-1", "batch.size": "5", "poll.interval.ms": "20" });
      await waitUntil(() => probe.emitted.length > 20, 20_000, "records flowing");

      await env.w.worker.setTargetState(connector, "PAUSED");
      await env.w.listener.waitFor((e) => e.event === "onTaskPause" && e.connector === connector, 10_000, "task PAUSED");
      await env.w.listener.waitFor((e) => e.event === "onConnectorPause" && e.connector === connector, 10_000, "connector PAUSED");
      await settle(300);
      const whilePaused = probe.emitted.length;
      await settle(700);
      expect(probe.emitted.length).toBe(whilePaused);

      await env.w.worker.setTargetState(connector, "STARTED");
      await env.w.listener.waitFor((e) => e.event === "onTaskRunning" && e.connector === connector, 10_000, "task RUNNING again");
      await env.w.listener.waitFor((e) => e.event === "onConnectorRunning" && e.connector === connector, 10_000, "connector RUNNING again");
      await waitUntil(() => probe.emitted.length > whilePaused + 10, 20_000, "records flowing again");

      await env.w.worker.setTargetState(connector, "STOPPED");
      await env.w.listener.waitFor((e) => e.event === "onConnectorStop" && e.connector === connector, 10_000, "connector STOPPED");
      expect(env.w.worker.isRunning(connector)).toBe(false);
      await env.w.halt(connector);
      await env.w.listener.waitFor((e) => e.event === "onTaskShutdown" && e.connector === connector, 10_000, "task shut down");
      expect(probe.stopped).toBe(1);
    });

    it("pauses and resumes a sink task without leaving the group", async () => {
      const topic = env.target.unique("pause-sink");
      await env.target.createTopic(topic, 2);
      const send = (from: number, n: number) =>
        produceMessages(env.target.bootstrap, topic, Array.from({ length: n }, (_, i) => ({ key: `k${from + i}`, value: JSON.stringify({ id: from + i }) })));
      await send(0, 10);
      const { probeName, probe, connector } = newProbedConnector(env.target, "collect");
      const config = {
        "connector.class": "CollectingSink",
        topics: topic,
        "test.probe": probeName,
        ...SCHEMALESS_JSON_CONVERTERS,
      };
      await env.w.run(connector, config);
      await waitUntil(() => probe.received.length >= 10, 20_000, "the first 10 records");

      await env.w.worker.setTargetState(connector, "PAUSED");
      await env.w.listener.waitFor((e) => e.event === "onTaskPause" && e.connector === connector, 10_000, "task PAUSED");
      await send(10, 10);
      await settle(1500);
      expect(probe.received.length).toBe(10);
      const opened = probe.opened.length;

      await env.w.worker.setTargetState(connector, "STARTED");
      await waitUntil(() => probe.received.length >= 20, 20_000, "the records sent while paused");
      expect(new Set(probe.ids())).toEqual(new Set(Array.from({ length: 20 }, (_, i) => i)));
      // No rebalance happened: the partitions were opened once.
      expect(probe.opened.length).toBe(opened);
      expect(probe.opened.flat().length).toBe(2);
      await env.w.halt(connector);
    });

    it("starts the tasks of a connector created PAUSED only once it is resumed", async () => {
      const topic = env.target.unique("paused-start");
      await env.target.createTopic(topic, 1);
      const { probeName, probe, connector } = newProbedConnector(env.target, "numbered");
      // As a herder restarting a paused connector does: the connector and its (known) task configs, PAUSED.
      const config = { name: connector, "connector.class": "NumberedSource", topic, "test.probe": probeName, count: "5" };
      await env.w.worker.startConnector(connector, config, "PAUSED");
      await env.w.worker.startTask({ connector, task: 0 }, config, { ...config, "task.index": "0" }, "PAUSED");
      await env.w.listener.waitFor((e) => e.event === "onConnectorPause" && e.connector === connector, 10_000, "connector PAUSED");
      await env.w.listener.waitFor((e) => e.event === "onTaskPause" && e.connector === connector, 10_000, "task PAUSED");
      await settle(500);
      expect(probe.started).toBe(0);
      await env.w.worker.setTargetState(connector, "STARTED");
      await env.w.listener.waitFor((e) => e.event === "onTaskStartup" && e.connector === connector, 10_000, "task RUNNING");
      await env.w.listener.waitFor((e) => e.event === "onConnectorRunning" && e.connector === connector, 10_000, "connector RUNNING");
      await waitUntil(() => probe.committedRecords.length === 5, 20_000, "the 5 records acknowledged");
      await env.w.worker.stopAndAwaitTasks([{ connector, task: 0 }]);
      await env.w.worker.stopAndAwaitConnector(connector);
    });

    it("pauses and resumes single partitions through the sink task's context, and rewinds with context.offset()", async () => {
      const topic = env.target.unique("ctx-pause");
      await env.target.createTopic(topic, 2);
      const send = (partition: number, from: number, n: number) =>
        produceMessages(env.target.bootstrap, topic, Array.from({ length: n }, (_, i) => ({ partition, value: JSON.stringify({ id: from + i }) })));
      await send(0, 0, 5);
      await send(1, 100, 5);
      const { probeName, probe, connector } = newProbedConnector(env.target, "collect");
      await env.w.run(connector, {
        "connector.class": "CollectingSink",
        topics: topic,
        "test.probe": probeName,
        ...SCHEMALESS_JSON_CONVERTERS,
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
      await env.w.halt(connector);
    });
  });
}

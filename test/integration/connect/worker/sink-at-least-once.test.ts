// Sink tasks deliver at least once: the group's offsets move only after preCommit (flush) said the
// records are written; a RetriableException from put() redelivers the same records; a restarted
// task resumes from the committed offsets. On the hub's broker and on Apache Kafka.
import { describe, expect, it } from "vitest";
import { newProbe } from "../../../support/connect-test-plugins.ts";
import { newProbedConnector, produceMessages, useWorkerOnTarget, waitUntil } from "../../../support/connect-worker.ts";
import { TARGETS } from "../../../support/interop-targets.ts";

/** Produces records 0..count-1 (JSON envelope values with an id, as the numbered source writes). */
async function produce(bootstrap: string, topic: string, from: number, count: number): Promise<void> {
  const messages = Array.from({ length: count }, (_, i) => ({
    key: `key-${from + i}`,
    value: JSON.stringify({ schema: { type: "struct", fields: [{ type: "int64", optional: false, field: "id" }], optional: false }, payload: { id: from + i } }),
  }));
  await produceMessages(bootstrap, topic, messages);
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

for (const targetName of TARGETS) {
  describe(`sink at-least-once on ${targetName}`, () => {
    const env = useWorkerOnTarget(targetName, { overrides: { "offset.flush.interval.ms": "300" } });

    it("commits offsets only after flush succeeded, and resumes from them", async () => {
      const topic = env.target.unique("sink-commit");
      await env.target.createTopic(topic, 1);
      await produce(env.target.bootstrap, topic, 0, 20);
      const probeName = env.target.unique("probe");
      const probe = newProbe(probeName);
      probe.failFlush = new Error("the sink's store is down");
      const connector = env.target.unique("collect");
      await env.w.run(connector, { "connector.class": "CollectingSink", topics: topic, "test.probe": probeName, "key.converter": "org.apache.kafka.connect.storage.StringConverter" });
      const group = `connect-${connector}`;

      // put() got the records, but flush keeps failing: nothing is committed, and the records are
      // delivered again from the last committed offset (none: the beginning).
      await waitUntil(() => probe.puts >= 3, 20_000, "a few puts");
      await new Promise((r) => setTimeout(r, 1000));
      expect((await env.target.committedOffsets(group, topic)).size).toBe(0);
      expect(probe.received.length).toBe(0);

      probe.failFlush = null;
      await waitUntil(async () => (await env.target.committedOffsets(group, topic)).get(0) === 20n, 20_000, "offset 20 committed");
      expect(new Set(probe.ids())).toEqual(new Set(range(0, 20)));
      expect(probe.flushes.at(-1)).toEqual([{ topic, partition: 0, offset: 20 }]);
      await env.w.halt(connector);
      expect(probe.closed.at(-1)).toEqual([{ topic, partition: 0 }]);

      // Started again: only what came after the committed offset.
      await produce(env.target.bootstrap, topic, 20, 5);
      const before = probe.received.length;
      await env.w.run(connector, { "connector.class": "CollectingSink", topics: topic, "test.probe": probeName, "key.converter": "org.apache.kafka.connect.storage.StringConverter" });
      await waitUntil(async () => (await env.target.committedOffsets(group, topic)).get(0) === 25n, 20_000, "offset 25 committed");
      expect(probe.received.slice(before).map((r) => Number((r.value as { get(k: string): unknown }).get("id")))).toEqual(range(20, 25));
      await env.w.halt(connector);
    });

    it("delivers the same records again after put() throws a RetriableException", async () => {
      const topic = env.target.unique("sink-retry");
      await env.target.createTopic(topic, 1);
      await produce(env.target.bootstrap, topic, 0, 10);
      const probeName = env.target.unique("probe");
      const probe = newProbe(probeName);
      probe.retriablePutFailures = 2;
      probe.retryTimeoutMs = 200;
      const connector = env.target.unique("collect");
      await env.w.run(connector, { "connector.class": "CollectingSink", topics: topic, "test.probe": probeName, "key.converter": "org.apache.kafka.connect.storage.StringConverter" });
      await waitUntil(async () => (await env.target.committedOffsets(`connect-${connector}`, topic)).get(0) === 10n, 20_000, "offset 10 committed");
      // Each record exactly once: the failed put()s kept nothing, the redelivery brought them all.
      expect(probe.ids().sort((a, b) => a - b)).toEqual(range(0, 10));
      expect(probe.retriablePutFailures).toBe(0);
      expect(env.w.listener.events.some((e) => e.event === "onTaskFailure" && e.connector === connector)).toBe(false);
      await env.w.halt(connector);
    });

    it("commits nothing when preCommit returns no offsets, and what preCommit returns otherwise", async () => {
      const topic = env.target.unique("sink-precommit");
      await env.target.createTopic(topic, 1);
      await produce(env.target.bootstrap, topic, 0, 10);
      const probeName = env.target.unique("probe");
      const probe = newProbe(probeName);
      probe.preCommit = () => [];
      const connector = env.target.unique("collect");
      await env.w.run(connector, { "connector.class": "CollectingSink", topics: topic, "test.probe": probeName, "key.converter": "org.apache.kafka.connect.storage.StringConverter" });
      await waitUntil(() => probe.puts >= 2, 20_000, "puts");
      await new Promise((r) => setTimeout(r, 1000));
      expect((await env.target.committedOffsets(`connect-${connector}`, topic)).size).toBe(0);
      // An asynchronous sink that has written up to offset 4 only.
      probe.preCommit = (offsets) => offsets.map((o) => ({ ...o, offset: 4 }));
      await waitUntil(async () => (await env.target.committedOffsets(`connect-${connector}`, topic)).get(0) === 4n, 20_000, "offset 4 committed");
      await env.w.halt(connector);
    });

    it("shares partitions between two tasks, closing and opening them as the group rebalances", async () => {
      const topic = env.target.unique("sink-two");
      await env.target.createTopic(topic, 2);
      const send = (from: number) =>
        produceMessages(env.target.bootstrap, topic, Array.from({ length: 20 }, (_, i) => ({ partition: i % 2, key: `key-${from + i}`, value: JSON.stringify({ schema: { type: "int64", optional: false }, payload: from + i }) })));
      await send(0);
      const { probeName, probe, connector } = newProbedConnector(env.target, "collect");
      await env.w.run(connector, { "connector.class": "CollectingSink", topics: topic, "test.probe": probeName, "tasks.max": "2", "key.converter": "org.apache.kafka.connect.storage.StringConverter" });
      const group = `connect-${connector}`;
      await waitUntil(async () => {
        const committed = await env.target.committedOffsets(group, topic);
        return committed.get(0) === 10n && committed.get(1) === 10n;
      }, 30_000, "both partitions committed");
      // Each task ends up with one partition (the second task's join takes one from the first).
      await waitUntil(() => probe.started === 2, 10_000, "two tasks");
      const tasks = [0, 1].map((task) => env.w.worker.task({ connector, task }) as unknown as { assignment(): Array<{ partition: number }> });
      await waitUntil(() => tasks.every((t) => t.assignment().length === 1), 30_000, "one partition per task");
      expect(tasks.flatMap((t) => t.assignment().map((p) => p.partition)).sort()).toEqual([0, 1]);
      await send(20);
      await waitUntil(async () => {
        const committed = await env.target.committedOffsets(group, topic);
        return committed.get(0) === 20n && committed.get(1) === 20n;
      }, 30_000, "everything committed");
      // At least once: every record reached a task (a rebalance may deliver some twice).
      expect(new Set(probe.ids())).toEqual(new Set(range(0, 40)));
      await env.w.halt(connector);
      // Every partition a task opened was closed again.
      expect(probe.closed.flat().length).toBe(probe.opened.flat().length);
    });

    it("fails the task when put() throws anything else, with the error as the cause", async () => {
      const topic = env.target.unique("sink-fail");
      await env.target.createTopic(topic, 1);
      await produce(env.target.bootstrap, topic, 0, 3);
      const probeName = env.target.unique("probe");
      const probe = newProbe(probeName);
      probe.failPut = new Error("cannot write: disk full");
      const connector = env.target.unique("collect");
      await env.w.run(connector, { "connector.class": "CollectingSink", topics: topic, "test.probe": probeName, "key.converter": "org.apache.kafka.connect.storage.StringConverter" });
      const failure = await env.w.listener.waitFor((e) => e.event === "onTaskFailure" && e.connector === connector, 20_000, "the task to fail");
      expect(failure.error?.message).toBe("Exiting WorkerSinkTask due to unrecoverable exception.");
      expect((failure.error?.cause as Error).message).toBe("cannot write: disk full");
      expect((await env.target.committedOffsets(`connect-${connector}`, topic)).size).toBe(0);
      await env.w.halt(connector);
    });
  });
}

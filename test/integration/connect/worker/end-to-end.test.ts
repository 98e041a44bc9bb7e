// The worker end to end on a real broker (the hub's and Apache Kafka): a source connector's
// records reach a topic with the JsonConverter, a sink connector reads them back, offsets are
// committed on both sides, statuses are reported.
import { describe, expect, it } from "vitest";
import { newProbe } from "../../../support/connect-test-plugins.ts";
import { readTopic, useWorkerOnTarget, waitUntil } from "../../../support/connect-worker.ts";
import { TARGETS } from "../../../support/interop-targets.ts";

for (const targetName of TARGETS) {
  describe(`worker end to end on ${targetName}`, () => {
    const env = useWorkerOnTarget(targetName);

    it("moves records from a source task to a topic and from the topic to a sink task", async () => {
      const topic = env.target.unique("e2e");
      await env.target.createTopic(topic, 2);
      const sourceProbeName = env.target.unique("probe-src");
      const sinkProbeName = env.target.unique("probe-sink");
      const sourceProbe = newProbe(sourceProbeName);
      const sinkProbe = newProbe(sinkProbeName);
      const source = env.target.unique("src");
      const sink = env.target.unique("sink");

      await env.w.run(source, { "connector.class": "NumberedSource", topic, "test.probe": sourceProbeName, count: "50" });
      await env.w.run(sink, { "connector.class": "CollectingSink", topics: topic, "test.probe": sinkProbeName });
      await env.w.listener.waitFor((e) => e.event === "onTaskStartup" && e.connector === source, 30_000, "source task running");
      await env.w.listener.waitFor((e) => e.event === "onTaskStartup" && e.connector === sink, 30_000, "sink task running");

      await waitUntil(() => sinkProbe.received.length >= 50, 45_000, "the sink to flush 50 records");
      expect(new Set(sinkProbe.ids())).toEqual(new Set(Array.from({ length: 50 }, (_, i) => i)));
      const first = sinkProbe.received.find((r) => Number((r.value as { get(k: string): unknown }).get("id")) === 7);
      expect(first?.key).toBe("key-7");
      expect(first?.timestamp).toBe(1_700_000_000_007);
      expect(first?.headers.lastWithName("hub.test.id")?.value).toBe(7);

      // Every record acknowledged: commitRecord got where it went.
      await waitUntil(() => sourceProbe.committedRecords.length >= 50, 10_000, "commitRecord for every record");
      expect(sourceProbe.committedRecords.every((c) => c.metadata !== null && c.metadata.offset >= 0 && c.metadata.topic === topic)).toBe(true);
      // The sink's group committed the end of the topic.
      const ends = await env.target.endOffsets(topic);
      await waitUntil(
        async () => {
          const committed = await env.target.committedOffsets(`connect-${sink}`, topic);
          return [...ends].every(([p, end]) => committed.get(p) === end);
        },
        20_000,
        "the sink's offsets to be committed",
      );
      const records = await readTopic(env.target.bootstrap, topic, 50);
      expect(records.length).toBe(50);
      expect(env.w.listener.events.some((e) => e.event === "onTopicActive" && e.connector === source && e.topic === topic)).toBe(true);

      // The worker's metrics, in Kafka Connect's names.
      const metrics = await env.w.worker.metrics.registry.metrics();
      const value = (name: string, connector: string): number => {
        const line = metrics.split("\n").find((l) => l.startsWith(`${name}{`) && l.includes(`connector="${connector}"`));
        return line ? Number(line.slice(line.lastIndexOf(" ") + 1)) : Number.NaN;
      };
      expect(value("connect_source_task_source_record_poll_total", source)).toBe(50);
      expect(value("connect_source_task_source_record_write_total", source)).toBe(50);
      expect(value("connect_sink_task_sink_record_read_total", sink)).toBe(50);
      expect(value("connect_sink_task_sink_record_send_total", sink)).toBe(50);
      expect(value("connect_sink_task_partition_count", sink)).toBe(2);
      expect(value("connect_connector_task_offset_commit_success_total", sink)).toBeGreaterThan(0);
      expect(metrics).toMatch(/^connect_worker_task_count 2$/m);
      expect(metrics).toMatch(/^connect_worker_connector_count 2$/m);
      expect(metrics).toContain(`connect_connector_task_offset_commit_seconds_count{connector="${source}",task="0"}`);

      await env.w.halt(source);
      await env.w.halt(sink);
      expect(env.w.listener.events.filter((e) => e.event === "onTaskShutdown").map((e) => e.connector)).toEqual(expect.arrayContaining([source, sink]));
      expect(env.w.listener.events.some((e) => e.event === "onTaskFailure")).toBe(false);
    });
  });
}

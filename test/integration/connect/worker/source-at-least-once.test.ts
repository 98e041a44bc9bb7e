// Source tasks deliver at least once: a source partition's committed offset covers only records
// Kafka acknowledged, and a task that starts again resumes after it. Run on the hub's broker and
// on Apache Kafka; the offsets live in a FileOffsetBackingStore (standalone mode's store) that a
// second worker reopens.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileOffsetBackingStore } from "../../../../connect/storage/file-offset-store.ts";
import { offsetMapKey, parseOffsetValue, serializeOffsetKey } from "../../../../connect/storage/offset-codec.ts";
import type { OffsetBackingStore } from "../../../../connect/storage/types.ts";
import { recordId } from "../../../support/connect-test-plugins.ts";
import { newProbedConnector, readAll, readTopic, startTestWorker, waitUntil } from "../../../support/connect-worker.ts";
import { openTarget, TARGETS, type InteropTarget } from "../../../support/interop-targets.ts";

async function committedPosition(store: OffsetBackingStore, connector: string, probeName: string): Promise<number | null> {
  const key = serializeOffsetKey(connector, { source: probeName, task: 0 });
  const value = (await store.get([key])).get(offsetMapKey(key));
  const offset = value ? parseOffsetValue(value) : null;
  return offset ? Number(offset.position) : null;
}

const ids = (records: Array<{ value: Buffer | null }>): number[] => records.map((r) => JSON.parse((r.value as Buffer).toString("utf8")).payload.id as number);

for (const targetName of TARGETS) {
  describe(`source at-least-once on ${targetName}`, () => {
    let target: InteropTarget;
    let dir: string;

    beforeAll(async () => {
      target = await openTarget(targetName);
      dir = await mkdtemp(join(tmpdir(), "hub-source-offsets-"));
    });

    afterAll(async () => {
      await target?.close();
      await rm(dir, { recursive: true, force: true });
    });

    it("commits the offsets of acknowledged records and resumes after them when started again", async () => {
      const topic = target.unique("resume");
      await target.createTopic(topic, 1);
      const { probeName, probe, connector } = newProbedConnector(target, "numbered");
      const file = join(dir, `${connector}.offsets`);
      const config = { "connector.class": "NumberedSource", topic, "test.probe": probeName, "batch.size": "7" };

      const first = await startTestWorker(target.bootstrap, { offsetStore: new FileOffsetBackingStore(file) });
      await first.run(connector, { ...config, count: "30" });
      await waitUntil(async () => (await committedPosition(first.offsetStore, connector, probeName)) === 29, 30_000, "offset 29 to be committed");
      // task.commit() follows each successful offset commit.
      await waitUntil(() => probe.commits > 0, 10_000, "task.commit()");
      await first.close();
      expect(probe.resumedFrom).toEqual([null]);

      // A new worker (a restart) reads the file and resumes at 30.
      const second = await startTestWorker(target.bootstrap, { offsetStore: new FileOffsetBackingStore(file) });
      await second.run(connector, { ...config, count: "45" });
      await waitUntil(async () => (await committedPosition(second.offsetStore, connector, probeName)) === 44, 30_000, "offset 44 to be committed");
      await second.close();
      expect(probe.resumedFrom).toEqual([null, 29]);
      const records = await readTopic(target.bootstrap, topic, 45);
      // Clean stops: each record exactly once, in order.
      expect(ids(records)).toEqual(Array.from({ length: 45 }, (_, i) => i));
    });

    it("does not commit the offset of a record Kafka refused, and delivers everything after a restart", async () => {
      const topic = target.unique("refused");
      await target.createTopic(topic, 1, { "max.message.bytes": "20000" });
      const { probeName, probe, connector } = newProbedConnector(target, "numbered");
      const file = join(dir, `${connector}.offsets`);
      const config = { "connector.class": "NumberedSource", topic, "test.probe": probeName, "batch.size": "1", count: "30" };

      const first = await startTestWorker(target.bootstrap, { offsetStore: new FileOffsetBackingStore(file) });
      await first.run(connector, { ...config, "big.ids": "17", "big.bytes": "40000" });
      const failure = await first.listener.waitFor((e) => e.event === "onTaskFailure" && e.connector === connector, 30_000, "the task to fail");
      expect(failure.error?.message).toBe("Unrecoverable exception from producer send callback");
      expect((failure.error?.cause as { errorName?: string } | undefined)?.errorName).toBe("MESSAGE_TOO_LARGE");
      expect((failure.error?.cause as Error | undefined)?.message).toMatch(/MESSAGE_TOO_LARGE/);
      const position = await committedPosition(first.offsetStore, connector, probeName);
      expect(position === null || position < 17).toBe(true);
      // The refused record never got a commitRecord with metadata.
      expect(probe.committedRecords.some((c) => c.id === 17)).toBe(false);
      await first.close();

      const second = await startTestWorker(target.bootstrap, { offsetStore: new FileOffsetBackingStore(file) });
      await second.run(connector, config);
      await waitUntil(async () => (await committedPosition(second.offsetStore, connector, probeName)) === 29, 30_000, "offset 29 to be committed");
      await second.close();
      expect(probe.resumedFrom).toEqual([null, position]);
      const written = ids(await readAll(target.bootstrap, topic));
      // At least once: every record is there (those of the refused batch possibly twice, once).
      expect(new Set(written)).toEqual(new Set(Array.from({ length: 30 }, (_, i) => i)));
    });

    it("with errors.tolerance=all skips a record Kafka refuses and carries on", async () => {
      const topic = target.unique("tolerated");
      await target.createTopic(topic, 1, { "max.message.bytes": "20000" });
      const { probeName, probe, connector } = newProbedConnector(target, "numbered");
      const w = await startTestWorker(target.bootstrap);
      await w.run(connector, { "connector.class": "NumberedSource", topic, "test.probe": probeName, "batch.size": "1", count: "20", "big.ids": "5", "big.bytes": "40000", "errors.tolerance": "all" });
      await waitUntil(async () => (await committedPosition(w.offsetStore, connector, probeName)) === 19, 30_000, "offset 19 to be committed");
      expect(w.listener.events.some((e) => e.event === "onTaskFailure")).toBe(false);
      const skipped = probe.committedRecords.filter((c) => c.metadata === null).map((c) => c.id);
      expect(skipped).toContain(5);
      const written = ids(await readTopic(target.bootstrap, topic, 19));
      expect(written).not.toContain(5);
      expect(written.length).toBe(19 - (skipped.length - 1));
      await w.close();
      expect(probe.committedRecords.map((c) => c.id).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
      void recordId;
    });
  });
}

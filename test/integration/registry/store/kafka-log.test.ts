// The registry's log on a Kafka topic (registry/store/kafka-log.ts) against the hub's broker
// and Apache Kafka: the topic is created compacted with one partition (replication factor
// capped at the live brokers, with a warning); appends come back in order and are applied
// before append() resolves; two logs on one topic see each other's writes in the same order;
// a restarted log reads everything back; a topic with two partitions, or not compacted, is
// refused; no broker at all is a clear error.
import { Writable } from "node:stream";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ApiKey, ErrorCode, KafkaClusterClient } from "../../../../lib/kafka-client/index.ts";
import type { Logger } from "../../../../lib/logger.ts";
import { KafkaRegistryLog, type KafkaRegistryLogOptions } from "../../../../registry/store/kafka-log.ts";
import type { RegistryLogRecord } from "../../../../registry/store/log.ts";
import { RegistryStoreError } from "../../../../registry/store/store-errors.ts";
import { freePort } from "../../../support/broker-process.ts";
import { TARGETS, openTarget, type InteropTarget } from "../../../support/interop-targets.ts";

const NOOP_KEY = Buffer.from('{"keytype":"NOOP","magic":0}');

interface Applied {
  offset: number;
  key: string;
  value: string | null;
}

const view = (r: RegistryLogRecord): Applied => ({ offset: r.offset, key: r.key.toString(), value: r.value === null ? null : r.value.toString() });

/** A logger whose lines land in `lines` (parsed), for asserting warnings and errors. */
function capturingLogger(): { logger: Logger; lines: { level: number; msg: string; [k: string]: unknown }[] } {
  const lines: { level: number; msg: string }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split("\n")) if (line.trim()) lines.push(JSON.parse(line) as { level: number; msg: string });
      done();
    },
  });
  return { logger: pino({ level: "info" }, stream), lines };
}

describe.each(TARGETS)("KafkaRegistryLog against %s", (targetName) => {
  let target: InteropTarget;
  let admin: KafkaClusterClient;
  let clients: KafkaClusterClient[] = [];
  let logs: KafkaRegistryLog[] = [];

  beforeAll(async () => {
    target = await openTarget(targetName);
    admin = new KafkaClusterClient({ bootstrapServers: [target.bootstrap], clientId: "registry-log-admin" });
  });
  afterEach(async () => {
    for (const log of logs) await log.close();
    logs = [];
    for (const c of clients) await c.close();
    clients = [];
  });
  afterAll(async () => {
    await admin?.close();
    await target?.close();
  });

  const newLog = (topic: string, options: Partial<KafkaRegistryLogOptions> = {}): KafkaRegistryLog => {
    const client = new KafkaClusterClient({ bootstrapServers: [target.bootstrap], clientId: "registry-log" });
    clients.push(client);
    const log = new KafkaRegistryLog({ client, topic, timeoutMs: 10_000, initTimeoutMs: 30_000, ...options });
    logs.push(log);
    return log;
  };

  /** Starts a log and returns what it applied (kept up to date). */
  const started = async (log: KafkaRegistryLog): Promise<Applied[]> => {
    const applied: Applied[] = [];
    await log.start((r) => applied.push(view(r)));
    return applied;
  };

  it("creates the topic compacted with one partition, the replication factor capped at the live brokers", async () => {
    const topic = target.unique("_schemas");
    const { logger, lines } = capturingLogger();
    const log = newLog(topic, { logger });
    expect(await started(log)).toEqual([]);

    const meta = await admin.refreshMetadata([topic]);
    const partitions = meta.topics.get(topic)!.partitions;
    expect([...partitions.keys()]).toEqual([0]);
    expect(partitions.get(0)!.replicas).toHaveLength(1);
    const configs = await admin.send("any", ApiKey.DescribeConfigs, {
      resources: [{ resourceType: 2, resourceName: topic, configurationKeys: ["cleanup.policy"] }],
      includeSynonyms: false,
      includeDocumentation: false,
    });
    expect(configs.results[0]!.errorCode).toBe(ErrorCode.NONE);
    expect(configs.results[0]!.configs.find((c) => c.name === "cleanup.policy")?.value).toBe("compact");
    // Asked for 3 (Confluent's default), one broker is live: created with 1, and warned.
    expect(lines.find((l) => l.level === 40 && l.replicationFactor === 1 && l.wanted === 3)?.msg).toMatch(/replication factor 1, below the 3 asked for/);
  });

  it("appends records in order, each applied before append() resolves; tombstones included", async () => {
    const log = newLog(target.unique("_schemas"));
    const applied = await started(log);
    for (let i = 0; i < 10; i++) {
      const offset = await log.append(Buffer.from(`{"key":${i}}`), Buffer.from(`{"value":${i}}`));
      // Read-your-writes: the record is already applied.
      expect(applied.at(-1)).toEqual({ offset, key: `{"key":${i}}`, value: `{"value":${i}}` });
    }
    const tombstone = await log.append(Buffer.from('{"key":3}'), null);
    expect(applied.at(-1)).toEqual({ offset: tombstone, key: '{"key":3}', value: null });

    // Concurrent appends: each resolves with its own offset, and the log applies them in offset order.
    const offsets = await Promise.all(Array.from({ length: 20 }, (_, i) => log.append(Buffer.from(`{"c":${i}}`), Buffer.from(`${i}`))));
    expect(new Set(offsets).size).toBe(20);
    for (const [i, offset] of offsets.entries()) expect(applied.find((a) => a.offset === offset)).toEqual({ offset, key: `{"c":${i}}`, value: `${i}` });
    expect(applied.map((a) => a.offset)).toEqual(Array.from({ length: 31 }, (_, i) => i));
    expect(log.position).toBe(31);
  });

  it("two logs on one topic see each other's writes, in the same order", async () => {
    const topic = target.unique("_schemas");
    const a = newLog(topic, { noopKey: NOOP_KEY });
    const b = newLog(topic);
    const [seenA, seenB] = await Promise.all([started(a), started(b)]);
    const writes: Promise<number>[] = [];
    for (let i = 0; i < 10; i++) {
      writes.push(a.append(Buffer.from(`a${i}`), Buffer.from(`from a ${i}`)));
      writes.push(b.append(Buffer.from(`b${i}`), Buffer.from(`from b ${i}`)));
    }
    await Promise.all(writes);

    // b writes; a, told to catch up, has applied it (a through its NOOP record, b through the end offset).
    const last = await b.append(Buffer.from("last"), Buffer.from("from b"));
    await a.waitUntilCaughtUp(10_000);
    expect(seenA.find((r) => r.offset === last)).toEqual({ offset: last, key: "last", value: "from b" });
    expect(seenA.at(-1)).toMatchObject({ key: NOOP_KEY.toString(), value: null });
    await b.waitUntilCaughtUp(10_000);

    expect(seenA.length).toBe(22);
    expect(seenB).toEqual(seenA);
    expect(seenA.map((r) => r.offset)).toEqual(Array.from({ length: 22 }, (_, i) => i));
  });

  it("a restarted log reads everything back", async () => {
    const topic = target.unique("_schemas");
    const first = newLog(topic);
    const before = await started(first);
    for (let i = 0; i < 5; i++) await first.append(Buffer.from(`k${i}`), Buffer.from(`v${i}`));
    await first.append(Buffer.from("k1"), null);
    await first.close();

    const second = newLog(topic);
    const after = await started(second);
    // start() resolved only once everything already in the topic was applied.
    expect(after).toEqual(before);
    expect(after).toHaveLength(6);
    expect(await second.append(Buffer.from("k6"), Buffer.from("v6"))).toBe(6);
  });

  it("refuses a topic with more than one partition", async () => {
    const topic = target.unique("_schemas");
    await target.createTopic(topic, 2, { "cleanup.policy": "compact" });
    const log = newLog(topic);
    await expect(log.start(() => undefined)).rejects.toThrow(RegistryStoreError);
    await expect(newLog(topic).start(() => undefined)).rejects.toThrow(`the schemas topic "${topic}" has 2 partitions, but it must have exactly 1`);
  });

  it("refuses a topic that is not compacted, logging why", async () => {
    const topic = target.unique("_schemas");
    await target.createTopic(topic, 1, { "cleanup.policy": "delete" });
    const { logger, lines } = capturingLogger();
    await expect(newLog(topic, { logger }).start(() => undefined)).rejects.toThrow(/has cleanup\.policy=delete, but it must be "compact"/);
    expect(lines.some((l) => l.level === 50 && l.cleanupPolicy === "delete")).toBe(true);
    // kafkastore.topic.skip.validation takes the topic as it is.
    const skipping = newLog(topic, { skipTopicValidation: true });
    await skipping.start(() => undefined);
    expect(await skipping.append(Buffer.from("k"), Buffer.from("v"))).toBe(0);
  });
});

describe("KafkaRegistryLog without a broker", () => {
  it("rejects start() with a clear error when no broker is reachable", async () => {
    const port = await freePort();
    const client = new KafkaClusterClient({ bootstrapServers: [`127.0.0.1:${port}`], clientId: "registry-log-nobroker" });
    const log = new KafkaRegistryLog({ client, initTimeoutMs: 1500 });
    const started = Date.now();
    try {
      await expect(log.start(() => undefined)).rejects.toThrow(
        new RegExp(`timed out after 1500 ms \\(kafkastore\\.init\\.timeout\\.ms\\) trying to describe the schemas topic "_schemas": no Kafka broker reachable: cannot connect to broker 127\\.0\\.0\\.1:${port}`),
      );
      expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
      expect(Date.now() - started).toBeLessThan(5000);
      await expect(log.append(Buffer.from("k"), Buffer.from("v"))).rejects.toThrow(/is closed/);
    } finally {
      await log.close();
      await client.close();
    }
  });
});

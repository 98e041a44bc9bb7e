// PartitionReader against the hub's broker and Apache Kafka: records produced by kafkajs (every
// compression codec, headers, null keys and values, explicit timestamps) read back by
// assignment from the beginning to the end offsets, then tailed; seeks; a compacted topic; an
// offset that retention moved past; and, on the hub, a log the cleaner has compacted (offset gaps).
import { CompressionTypes, Kafka, logLevel, type Admin, type Message, type Producer } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiKey, ErrorCode, KafkaClusterClient, PartitionReader, type ConsumedRecord } from "../../../lib/kafka-client/index.ts";
import { startHubBroker, type HubBrokerHandle } from "../../support/hub-broker.ts";
import { TARGETS, openTarget, type InteropTarget } from "../../support/interop-targets.ts";
import { registerKafkajsCodecs } from "../../support/kafkajs-codecs.ts";
import { byPartition, readToEnd, readUntil, str, waitFor } from "./helpers.ts";

registerKafkajsCodecs();

const CODECS = [CompressionTypes.None, CompressionTypes.GZIP, CompressionTypes.Snappy, CompressionTypes.LZ4, CompressionTypes.ZSTD];

interface Sent {
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
  timestamp: number;
}

const asSent = (r: ConsumedRecord): Sent => ({
  key: str(r.key),
  value: str(r.value),
  headers: Object.fromEntries(r.headers.map((h) => [h.key, str(h.value) ?? ""])),
  timestamp: r.timestamp,
});

describe.each(TARGETS)("PartitionReader against %s", (targetName) => {
  let target: InteropTarget;
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;
  let client: KafkaClusterClient;

  beforeAll(async () => {
    target = await openTarget(targetName);
    kafka = new Kafka({ clientId: "reader-test", brokers: [target.bootstrap], logLevel: logLevel.NOTHING });
    admin = kafka.admin();
    await admin.connect();
    producer = kafka.producer();
    await producer.connect();
    client = new KafkaClusterClient({ bootstrapServers: [target.bootstrap], clientId: "reader-test" });
  });
  afterAll(async () => {
    await client?.close();
    await producer?.disconnect();
    await admin?.disconnect();
    await target?.close();
  });

  it("reads a 3-partition topic of compressed batches with headers from the beginning to the end offsets, then tails it", async () => {
    const topic = target.unique("reader-all");
    await target.createTopic(topic, 3);
    const sent = new Map<number, Sent[]>([0, 1, 2].map((p) => [p, []]));
    const base = Date.now() - 60_000;
    let n = 0;
    for (const codec of CODECS) {
      const messages: Message[] = [];
      for (const partition of [0, 1, 2]) {
        for (let j = 0; j < 4; j++) {
          const i = n++;
          const s: Sent = {
            key: i % 7 === 3 ? null : `key-${i}`,
            value: i % 11 === 5 ? null : `value-${i}-${"x".repeat(i * 13)}`,
            headers: j % 2 === 0 ? { "trace-id": `t-${i}`, origin: codec === CompressionTypes.None ? "plain" : `codec-${codec}` } : {},
            timestamp: base + i,
          };
          sent.get(partition)!.push(s);
          messages.push({ partition, key: s.key, value: s.value, headers: s.headers, timestamp: String(s.timestamp) });
        }
      }
      await producer.send({ topic, compression: codec, messages });
    }

    const reader = new PartitionReader(client);
    const partitions = [0, 1, 2].map((partition) => ({ topic, partition }));
    reader.assign(partitions.map((p) => ({ ...p, offset: "earliest" })));
    expect(await reader.beginningOffsets(partitions)).toEqual(partitions.map((p) => ({ ...p, offset: 0n })));
    expect(await reader.endOffsets(partitions)).toEqual(partitions.map((p) => ({ ...p, offset: 20n })));

    const records = await readToEnd(reader, partitions);
    expect(records).toHaveLength(60);
    for (const p of [0, 1, 2]) {
      const got = byPartition(records, p);
      expect(got.map((r) => r.offset)).toEqual(Array.from({ length: 20 }, (_, i) => BigInt(i)));
      expect(got.map(asSent)).toEqual(sent.get(p));
      expect(got.every((r) => r.topic === topic)).toBe(true);
    }
    expect(await reader.position({ topic, partition: 1 })).toBe(20n);

    // Tailing: a poll waits for what is produced after it started.
    const tail = readUntil(reader, (rs) => rs.length >= 3, 20_000);
    await producer.send({ topic, messages: [0, 1, 2].map((partition) => ({ partition, key: `late-${partition}`, value: `tail-${partition}` })) });
    const tailed = await tail;
    expect(tailed.map((r) => [r.partition, r.offset, str(r.value)]).sort()).toEqual([
      [0, 20n, "tail-0"],
      [1, 20n, "tail-1"],
      [2, 20n, "tail-2"],
    ]);
    await reader.close();
    await expect(reader.poll()).rejects.toThrow(/closed/);
  });

  it("seeks to an offset, to the end and back to the beginning", async () => {
    const topic = target.unique("reader-seek");
    await target.createTopic(topic, 2);
    await producer.send({ topic, messages: Array.from({ length: 10 }, (_, i) => ({ partition: i % 2, value: `v${i}` })) });
    const reader = new PartitionReader(client);
    reader.assign([
      { topic, partition: 0, offset: 2n },
      { topic, partition: 1, offset: "latest" },
    ]);
    expect(await reader.position({ topic, partition: 1 })).toBe(5n);
    const first = await readUntil(reader, (rs) => rs.length >= 3);
    expect(first.map((r) => [r.partition, r.offset, str(r.value)])).toEqual([
      [0, 2n, "v4"],
      [0, 3n, "v6"],
      [0, 4n, "v8"],
    ]);

    reader.seek({ topic, partition: 0 }, 1n);
    reader.seek({ topic, partition: 1 }, "earliest");
    const again = await readUntil(reader, (rs) => rs.length >= 9);
    expect(byPartition(again, 0).map((r) => str(r.value))).toEqual(["v2", "v4", "v6", "v8"]);
    expect(byPartition(again, 1).map((r) => str(r.value))).toEqual(["v1", "v3", "v5", "v7", "v9"]);

    reader.seek({ topic, partition: 0 }, "latest");
    expect(await reader.poll({ maxWaitMs: 300 })).toEqual([]);
    await producer.send({ topic, messages: [{ partition: 0, value: "after-seek" }] });
    const after = await readUntil(reader, (rs) => rs.length >= 1);
    expect(after.map((r) => [r.partition, r.offset, str(r.value)])).toEqual([[0, 5n, "after-seek"]]);
    await reader.close();
  });

  it("reads a compacted topic (cleanup.policy=compact) to its latest state, tombstones included", async () => {
    const topic = target.unique("reader-compact");
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, configEntries: [{ name: "cleanup.policy", value: "compact" }] }] });
    const latest = new Map<string, string | null>();
    for (let round = 0; round < 5; round++) {
      const messages = Array.from({ length: 8 }, (_, k) => ({ key: `config-${k}`, value: (k + round) % 5 === 0 ? null : `round-${round}` }));
      for (const m of messages) latest.set(m.key, m.value);
      await producer.send({ topic, compression: round % 2 ? CompressionTypes.GZIP : CompressionTypes.None, messages });
    }
    const reader = new PartitionReader(client);
    reader.assign([{ topic, partition: 0, offset: "earliest" }]);
    const records = await readToEnd(reader, [{ topic, partition: 0 }]);
    const state = new Map<string, string | null>();
    for (const r of records) state.set(str(r.key)!, str(r.value));
    expect(state).toEqual(latest);
    await reader.close();
  });

  it("resets to the earliest offset when its position fell below the log start (OFFSET_OUT_OF_RANGE)", async () => {
    const topic = target.unique("reader-range");
    await target.createTopic(topic, 1);
    await producer.send({ topic, messages: Array.from({ length: 10 }, (_, i) => ({ value: `r${i}` })) });
    // DeleteRecords through the client's raw send, to the partition's leader.
    const leader = (await client.metadata([topic])).topics.get(topic)!.partitions.get(0)!.leaderId;
    const deleted = await client.send(leader, ApiKey.DeleteRecords, { topics: [{ name: topic, partitions: [{ partitionIndex: 0, offset: 6n }] }], timeoutMs: 5000 });
    expect(deleted.topics[0]?.partitions[0]).toMatchObject({ errorCode: ErrorCode.NONE, lowWatermark: 6n });
    const reader = new PartitionReader(client);
    reader.assign([{ topic, partition: 0, offset: 2n }]);
    expect(await reader.beginningOffsets([{ topic, partition: 0 }])).toEqual([{ topic, partition: 0, offset: 6n }]);
    const records = await readUntil(reader, (rs) => rs.length >= 4);
    expect(records.map((r) => [r.offset, str(r.value)])).toEqual([
      [6n, "r6"],
      [7n, "r7"],
      [8n, "r8"],
      [9n, "r9"],
    ]);
    await reader.close();
  });

  it("lets several readers share one client without holding each other up", async () => {
    const topic = target.unique("reader-shared");
    await target.createTopic(topic, 1);
    const idle = new PartitionReader(client);
    const busy = new PartitionReader(client);
    idle.assign([{ topic, partition: 0, offset: "latest" }]);
    busy.assign([{ topic, partition: 0, offset: "earliest" }]);
    await idle.position({ topic, partition: 0 });
    // The idle reader's long poll must not delay the other reader on the same broker.
    const idlePoll = idle.poll({ maxWaitMs: 5000 });
    await new Promise((r) => setTimeout(r, 100));
    await producer.send({ topic, messages: [{ value: "one" }] });
    const started = Date.now();
    const got = await readUntil(busy, (rs) => rs.length >= 1, 10_000);
    expect(str(got[0]!.value)).toBe("one");
    expect(Date.now() - started).toBeLessThan(4000);
    expect((await idlePoll).map((r) => str(r.value))).toEqual(["one"]);
    await idle.close();
    await busy.close();
  });
});

describe("PartitionReader on a log the hub's cleaner compacted", () => {
  let hub: HubBrokerHandle;
  let client: KafkaClusterClient;
  beforeAll(async () => {
    hub = await startHubBroker({ overrides: { "log.cleaner.backoff.ms": "100" } });
    client = new KafkaClusterClient({ bootstrapServers: [hub.bootstrap], clientId: "reader-compacted" });
  });
  afterAll(async () => {
    await client?.close();
    await hub?.destroy();
  });

  it("skips the offset gaps compaction leaves and rebuilds the latest value of every key", async () => {
    const topic = "compacted-gaps";
    const kafka = new Kafka({ clientId: "compacted-gaps", brokers: [hub.bootstrap], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic, numPartitions: 1, configEntries: [{ name: "cleanup.policy", value: "compact" }, { name: "segment.bytes", value: "4096" }, { name: "min.cleanable.dirty.ratio", value: "0.01" }] }],
    });
    const producer = kafka.producer();
    await producer.connect();
    const latest = new Map<string, string>();
    for (let n = 0; n < 2000; n += 100) {
      const messages = Array.from({ length: 100 }, (_, i) => ({ key: `k${(n + i) % 50}`, value: `v${n + i}` }));
      for (const m of messages) latest.set(m.key, m.value);
      await producer.send({ topic, compression: n % 200 ? CompressionTypes.None : CompressionTypes.LZ4, messages });
    }
    await producer.disconnect();
    await admin.disconnect();
    const log = hub.broker.core.logs.log(topic, 0)!;
    const cleaner = hub.broker.maintenance!.cleaner;
    await waitFor("the cleaner to compact the log", () => {
      const active = log.segments[log.segments.length - 1]!.baseOffset;
      return log.segments.length > 1 && cleaner.firstDirtyOffset(log) >= active && !cleaner.isCleaning(log) ? true : undefined;
    });

    const reader = new PartitionReader(client);
    reader.assign([{ topic, partition: 0, offset: "earliest" }]);
    const records = await readToEnd(reader, [{ topic, partition: 0 }]);
    expect(records.length).toBeLessThan(2000);
    const offsets = records.map((r) => r.offset);
    expect(offsets).toEqual([...offsets].sort((a, b) => (a < b ? -1 : 1)));
    expect(new Set(offsets).size).toBe(offsets.length);
    const state = new Map<string, string>();
    for (const r of records) state.set(str(r.key)!, str(r.value)!);
    expect(state).toEqual(latest);
    expect(await reader.position({ topic, partition: 0 })).toBe(2000n);
    await reader.close();
  });
});

// Compaction through the broker: kafkajs producers write updates and tombstones to a compacted
// topic, the background cleaner compacts it, and a consumer reading from the beginning gets
// the latest value of every key; a record without a key is refused as Apache Kafka refuses it
// (compared byte for byte with the Kafka service); the group coordinator comes back from a
// compacted __consumer_offsets; and small produce and fetch requests keep their latency while
// a large partition is being cleaned.
import { ConfigResourceTypes, Kafka, logLevel, type Admin, type Producer } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OFFSETS_TOPIC_NAME, partitionForGroup } from "../../../broker/coordinator/group/offsets-topic-codec.ts";
import { ErrorCode } from "../../../broker/protocol/generated/errors.ts";
import { defaultFetchRequest, defaultFetchRequestFetchPartition, defaultFetchRequestFetchTopic } from "../../../broker/protocol/generated/fetch-request.ts";
import { defaultOffsetCommitRequest, defaultOffsetCommitRequestPartition } from "../../../broker/protocol/generated/offset-commit-request.ts";
import { defaultProduceRequest } from "../../../broker/protocol/generated/produce-request.ts";
import { buildBatch } from "../../../broker/protocol/records/records.ts";
import type { PartitionLog } from "../../../broker/log/partition-log.ts";
import { BROKER_TARGETS, openBrokerTarget, type BrokerTarget } from "../../support/broker-targets.ts";
import { startHubBroker, type HubBrokerHandle } from "../../support/hub-broker.ts";
import { readBack, writeUpdates } from "../../support/log-compaction.ts";
import { RawKafkaSocket } from "../../support/raw-kafka-socket.ts";

const portOf = (bootstrap: string): number => Number(bootstrap.slice(bootstrap.lastIndexOf(":") + 1));

async function waitFor<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function p99(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)]!;
}

describe("compaction on the hub broker (kafkajs)", () => {
  let hub: HubBrokerHandle;
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;

  const connect = async () => {
    kafka = new Kafka({ clientId: "compaction-test", brokers: [hub.bootstrap], logLevel: logLevel.NOTHING });
    admin = kafka.admin();
    await admin.connect();
    producer = kafka.producer();
    await producer.connect();
  };
  const disconnect = async () => {
    await producer?.disconnect();
    await admin?.disconnect();
  };

  beforeAll(async () => {
    hub = await startHubBroker({ overrides: { "log.cleaner.backoff.ms": "100" } });
    await connect();
  });
  afterAll(async () => {
    await disconnect();
    await hub?.destroy();
  });

  const cleaner = () => hub.broker.maintenance!.cleaner;
  /** Waits until the cleaner has cleaned everything below the active segment. */
  const cleaned = (log: PartitionLog) =>
    waitFor(`the cleaner to compact ${log.topic}-${log.partition}`, () => {
      const active = log.segments[log.segments.length - 1]!.baseOffset;
      return log.segments.length > 1 && cleaner().firstDirtyOffset(log) >= active && !cleaner().isCleaning(log) ? true : undefined;
    });

  it("compacts updates and tombstones down to the latest value per key, read back from the beginning", async () => {
    const topic = "compacted-e2e";
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, configEntries: [
      { name: "cleanup.policy", value: "compact" },
      { name: "segment.bytes", value: "16384" },
      { name: "min.cleanable.dirty.ratio", value: "0.01" },
    ] }] });
    const latest = new Map<string, { offset: bigint; value: string | null }>();
    const keys = 1_000;
    for (let sent = 0; sent < 20_000; sent += 500) {
      const messages = Array.from({ length: 500 }, (_, i) => {
        const n = sent + i;
        const key = `k${n < keys ? n : (n * 7919) % keys}`;
        return { key, value: n % 20 === 19 ? null : `${key}@${n}` };
      });
      const [meta] = await producer.send({ topic, messages });
      messages.forEach((m, i) => latest.set(m.key, { offset: BigInt(meta!.baseOffset!) + BigInt(i), value: m.value }));
    }
    const log = hub.broker.core.logs.log(topic, 0)!;
    await cleaned(log);

    // A consumer reading from the beginning rebuilds exactly the latest state.
    const consumer = kafka.consumer({ groupId: "compacted-e2e-reader", maxWaitTimeInMs: 100 });
    const seen: Array<{ offset: bigint; key: string; value: string | null }> = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void seen.push({ offset: BigInt(message.offset), key: message.key!.toString(), value: message.value?.toString() ?? null }) });
    await waitFor("the reader to reach the end", () => (seen.length > 0 && seen[seen.length - 1]!.offset === 19_999n ? true : undefined));
    await consumer.disconnect();

    const state = new Map<string, string | null>();
    for (const m of seen) state.set(m.key, m.value);
    const expected = new Map([...latest].map(([k, w]) => [k, w.value]));
    expect(new Map([...state].filter(([, v]) => v !== null))).toEqual(new Map([...expected].filter(([, v]) => v !== null)));
    // Compacted: below the active segment, one record per key, at the offset it was written at.
    const active = log.segments[log.segments.length - 1]!.baseOffset;
    const below = seen.filter((m) => m.offset < active);
    expect(new Set(below.map((m) => m.key)).size).toBe(below.length);
    for (const m of below) if (latest.get(m.key)!.offset < active) expect(m.offset).toBe(latest.get(m.key)!.offset);
    expect(seen.length).toBeLessThan(20_000 / 4);
    expect(seen.map((m) => m.offset)).toEqual([...seen.map((m) => m.offset)].sort((a, b) => (a < b ? -1 : 1)));
  });

  it("drops tombstones once delete.retention.ms has passed (consumers then see no trace of the deleted keys)", async () => {
    const topic = "compacted-tombstones";
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, configEntries: [
      { name: "cleanup.policy", value: "compact" },
      { name: "segment.bytes", value: "4096" },
      { name: "min.cleanable.dirty.ratio", value: "0.01" },
      { name: "delete.retention.ms", value: "1000" },
    ] }] });
    for (let i = 0; i < 200; i += 20) await producer.send({ topic, messages: Array.from({ length: 20 }, (_, j) => ({ key: `k${i + j}`, value: `v${i + j}` })) });
    for (let i = 0; i < 100; i += 20) await producer.send({ topic, messages: Array.from({ length: 20 }, (_, j) => ({ key: `k${i + j}`, value: null })) });
    const log = hub.broker.core.logs.log(topic, 0)!;
    await cleaned(log);
    // A tombstone goes once the newest record of its segment is older than delete.retention.ms,
    // at the next clean: keep writing (new keys, so the log gets dirty and rolls) until it has.
    // (That they stay until then, under a controlled clock: test/unit/broker/log/cleaner.)
    const hasTombstones = () => readBack(log).records.some((r) => r.value === null);
    const deadline = Date.now() + 30_000;
    let later = 0;
    while (hasTombstones()) {
      if (Date.now() > deadline) throw new Error("the tombstones are still there");
      await new Promise((r) => setTimeout(r, 1100));
      for (let b = 0; b < 3; b++, later += 20) await producer.send({ topic, messages: Array.from({ length: 20 }, (_, j) => ({ key: `later${later + j}`, value: `w${later + j}-${"p".repeat(100)}` })) });
      await cleaned(log);
    }
    const records = readBack(log).records;
    const state = new Map(records.map((r) => [r.key, r.value]));
    for (let i = 0; i < 100; i++) expect(state.has(`k${i}`), `k${i}`).toBe(false);
    for (let i = 100; i < 200; i++) expect(state.get(`k${i}`)).toBe(`v${i}`);
    for (let i = 0; i < later; i++) expect(state.get(`later${i}`)).toBe(`w${i}-${"p".repeat(100)}`);
  });

  it("refuses a record without a key in a compacted topic (kafkajs sees INVALID_RECORD)", async () => {
    const topic = "compacted-keyless";
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, configEntries: [{ name: "cleanup.policy", value: "compact" }] }] });
    await expect(producer.send({ topic, messages: [{ key: "k", value: "with key" }, { value: "without key" }] })).rejects.toMatchObject({ type: "INVALID_RECORD" });
    await producer.send({ topic, messages: [{ key: "k", value: "with key" }] });
    const [offsets] = await admin.fetchTopicOffsets(topic);
    expect(offsets!.high).toBe("1");
  });

  it("the group coordinator loads from a compacted __consumer_offsets after a restart", async () => {
    // Small segments and an eager cleaner for the offsets topic, as an operator could set them.
    await admin.alterConfigs({
      validateOnly: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: OFFSETS_TOPIC_NAME, configEntries: [
        { name: "cleanup.policy", value: "compact" },
        { name: "segment.bytes", value: "4096" },
        { name: "min.cleanable.dirty.ratio", value: "0.01" },
      ] }],
    });
    const topic = "offsets-source";
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] });
    const raw = await RawKafkaSocket.connect(hub.port);
    const commit = async (groupId: string, partition: number, offset: bigint) => {
      const res = await raw.request(8, 8, { ...defaultOffsetCommitRequest(), groupId, topics: [{ name: topic, partitions: [{ ...defaultOffsetCommitRequestPartition(), partitionIndex: partition, committedOffset: offset }] }] });
      expect(res.topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.NONE);
    };
    const kept = "offsets-kept";
    const dropped = "offsets-dropped";
    try {
      for (let i = 1; i <= 300; i++) {
        await commit(kept, 0, BigInt(i));
        await commit(kept, 1, BigInt(1000 + i));
        if (i <= 50) await commit(dropped, 0, BigInt(i));
      }
    } finally {
      raw.socket.destroy();
    }
    await admin.deleteGroups([dropped]);
    const partitions = hub.broker.core.logs.topic(OFFSETS_TOPIC_NAME)!.partitions;
    const keptLog = hub.broker.core.logs.log(OFFSETS_TOPIC_NAME, partitionForGroup(kept, partitions))!;
    const droppedLog = hub.broker.core.logs.log(OFFSETS_TOPIC_NAME, partitionForGroup(dropped, partitions))!;
    // More commits so that the last ones before the deletion also leave the active segment.
    const filler = await RawKafkaSocket.connect(hub.port);
    try {
      for (let i = 0; i < 100; i++) {
        const res = await filler.request(8, 8, { ...defaultOffsetCommitRequest(), groupId: kept, topics: [{ name: topic, partitions: [{ ...defaultOffsetCommitRequestPartition(), partitionIndex: 0, committedOffset: 300n, committedMetadata: `again-${i}` }] }] });
        expect(res.topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.NONE);
      }
    } finally {
      filler.socket.destroy();
    }
    await cleaned(keptLog);
    if (droppedLog !== keptLog) await cleaned(droppedLog);
    // The log is compacted: far fewer records than commits, with offset gaps.
    const records = readBack(keptLog).records;
    expect(records.length).toBeLessThan(200);
    expect(records.some((r, i) => i > 0 && r.offset !== records[i - 1]!.offset + 1n)).toBe(true);

    await disconnect();
    hub = await hub.restart();
    await connect();
    const [offsets] = await admin.fetchOffsets({ groupId: kept, topics: [topic] });
    expect(Object.fromEntries(offsets!.partitions.map((p) => [p.partition, p.offset]))).toEqual({ 0: "300", 1: "1300" });
    expect((await admin.fetchOffsets({ groupId: dropped, topics: [topic] }))[0]!.partitions.every((p) => p.offset === "-1")).toBe(true);
    expect((await admin.listGroups()).groups.map((g) => g.groupId)).not.toContain(dropped);
  });

  it("keeps produce and fetch latency steady while a large partition is cleaned", { timeout: 180_000 }, async () => {
    const probe = "latency-probe";
    const big = "latency-big";
    await admin.createTopics({ topics: [
      { topic: probe, numPartitions: 1 },
      { topic: big, numPartitions: 1, configEntries: [{ name: "segment.bytes", value: String(16 * 1024 * 1024) }, { name: "retention.ms", value: "-1" }] },
    ] });
    // ~60 MB of updates over 100,000 keys, written straight into the log (faster than a client).
    const bigLog = hub.broker.core.logs.log(big, 0)!;
    writeUpdates(bigLog, { keys: 100_000, updates: 1_200_000, batchSize: 2_000, valueBytes: 16 });
    const sock = await RawKafkaSocket.connect(hub.port);
    const rtts = async (count: number, keepGoing: () => boolean) => {
      const produce: number[] = [];
      const fetch: number[] = [];
      const deadline = performance.now() + 120_000;
      for (let i = 0; i < count || (keepGoing() && performance.now() < deadline); i++) {
        let t = performance.now();
        const res = await sock.request(0, 9, { ...defaultProduceRequest(), acks: 1, timeoutMs: 5000, topicData: [{ name: probe, partitionData: [{ index: 0, records: buildBatch([{ key: null, value: Buffer.from(`p${i}`) }]) }] }] } as never);
        produce.push(performance.now() - t);
        const at = res.responses[0]!.partitionResponses[0]!.baseOffset;
        t = performance.now();
        const got = await sock.request(1, 12, { ...defaultFetchRequest(), topics: [{ ...defaultFetchRequestFetchTopic(), topic: probe, partitions: [{ ...defaultFetchRequestFetchPartition(), partition: 0, fetchOffset: at, partitionMaxBytes: 1 << 16 }] }] });
        fetch.push(performance.now() - t);
        expect(got.responses[0]!.partitions[0]!.records!.length).toBeGreaterThan(0);
      }
      return { produce, fetch };
    };
    try {
      const baseline = await rtts(300, () => false);
      // Turn compaction on: the cleaner picks the partition up within its backoff.
      await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: big, configEntries: [
        { name: "cleanup.policy", value: "compact" },
        { name: "segment.bytes", value: String(16 * 1024 * 1024) },
        { name: "min.cleanable.dirty.ratio", value: "0.01" },
      ] }] });
      await waitFor("the cleaner to start on the big partition", () => cleaner().isCleaning(bigLog) || undefined, 10_000);
      const started = performance.now();
      const during = await rtts(0, () => cleaner().isCleaning(bigLog));
      const cleanMs = performance.now() - started;
      await cleaned(bigLog);
      const result = {
        baseline: { produceP99: p99(baseline.produce), fetchP99: p99(baseline.fetch), samples: baseline.produce.length },
        during: { produceP99: p99(during.produce), fetchP99: p99(during.fetch), samples: during.produce.length },
        cleanMs: Math.round(cleanMs),
      };
      console.log(`latency while cleaning ~60 MB: ${JSON.stringify(result)}`);
      expect(during.produce.length).toBeGreaterThanOrEqual(30);
      // Generous: a shared 2-core machine is noisy; a cleaner on the event loop would stall
      // requests for the whole clean (seconds).
      const bound = (base: number) => Math.max(100, 10 * base);
      expect(result.during.produceP99).toBeLessThan(bound(result.baseline.produceP99));
      expect(result.during.fetchP99).toBeLessThan(bound(result.baseline.fetchP99));
    } finally {
      sock.socket.destroy();
    }
  });
});

describe.each(BROKER_TARGETS)("a compacted topic refuses records without a key, on %s", (targetName) => {
  let target: BrokerTarget;
  let admin: Admin;

  beforeAll(async () => {
    target = await openBrokerTarget(targetName);
    admin = new Kafka({ clientId: "keyless-test", brokers: [target.bootstrap], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.disconnect();
    await target?.close();
  });

  it.each([7, 8, 11])("Produce v%i: INVALID_RECORD, with record_errors naming each keyless record", async (version) => {
    const topic = `keyless-v${version}${target.suffix}`;
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, configEntries: [{ name: "cleanup.policy", value: "compact" }] }] });
    const sock = await RawKafkaSocket.connect(portOf(target.bootstrap));
    try {
      const batch = buildBatch([
        { key: Buffer.from("k"), value: Buffer.from("a") },
        { key: null, value: Buffer.from("b") },
        { key: null, value: Buffer.from("c") },
      ]);
      const res = await sock.request(0, version, { ...defaultProduceRequest(), acks: 1, timeoutMs: 5000, topicData: [{ name: topic, partitionData: [{ index: 0, records: batch }] }] } as never);
      const part = res.responses[0]!.partitionResponses[0]!;
      const message = `Compacted topic cannot accept message without key in topic partition ${topic}-0`;
      expect(part).toMatchObject({ errorCode: ErrorCode.INVALID_RECORD, baseOffset: -1n, logAppendTimeMs: -1n, logStartOffset: 0n });
      if (version >= 8) {
        expect(part.recordErrors).toEqual([
          { batchIndex: 1, batchIndexErrorMessage: message },
          { batchIndex: 2, batchIndexErrorMessage: message },
        ]);
        expect(part.errorMessage).toBe(`One or more records have been rejected due to 2 record errors in total, and only showing the first three errors at most: [RecordError(batchIndex=1, message='${message}'), RecordError(batchIndex=2, message='${message}')]`);
      }
    } finally {
      sock.socket.destroy();
    }
  });
});

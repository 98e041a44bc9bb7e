// Retention through the broker with kafkajs: retention.ms and retention.bytes delete whole
// segments on the periodic check and move the log start offset; fetches below it get
// OFFSET_OUT_OF_RANGE; consumer groups whose committed offset fell below it reset as
// auto.offset.reset says (kafkajs: fromBeginning → earliest, otherwise latest), checked against
// the hub and against Apache Kafka, where DeleteRecords (kafkajs deleteTopicRecords) moves the
// log start offset.
import { Kafka, logLevel, type Admin, type Consumer, type Producer } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrorCode } from "../../../broker/protocol/generated/errors.ts";
import { defaultFetchRequest, defaultFetchRequestFetchPartition, defaultFetchRequestFetchTopic } from "../../../broker/protocol/generated/fetch-request.ts";
import { defaultOffsetCommitRequest, defaultOffsetCommitRequestPartition } from "../../../broker/protocol/generated/offset-commit-request.ts";
import { largestTimestamp } from "../../../broker/log/retention.ts";
import { BROKER_TARGETS, openBrokerTarget, type BrokerTarget } from "../../support/broker-targets.ts";
import { startHubBroker, type HubBrokerHandle } from "../../support/hub-broker.ts";
import { RawKafkaSocket } from "../../support/raw-kafka-socket.ts";

async function waitFor<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Commits an offset for a group with no members (generation -1), as kafka-consumer-groups
 * --reset-offsets does; kafkajs' admin.setOffsets takes ~5 s a group (it joins the group).
 */
async function commitOffset(bootstrap: string, groupId: string, topic: string, offset: bigint): Promise<void> {
  const raw = await RawKafkaSocket.connect(Number(bootstrap.slice(bootstrap.lastIndexOf(":") + 1)));
  try {
    const res = await raw.request(8, 8, { ...defaultOffsetCommitRequest(), groupId, topics: [{ name: topic, partitions: [{ ...defaultOffsetCommitRequestPartition(), partitionIndex: 0, committedOffset: offset }] }] });
    expect(res.topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.NONE);
  } finally {
    raw.socket.destroy();
  }
}

async function lowWatermark(admin: Admin, topic: string): Promise<bigint> {
  const [p] = await admin.fetchTopicOffsets(topic);
  return BigInt(p!.low);
}

/** Consumes until `until` says stop; returns the offsets and values seen, in order. */
async function consume(kafka: Kafka, group: string, topic: string, fromBeginning: boolean, until: (seen: Array<{ offset: bigint; value: string }>) => boolean, onRunning?: () => Promise<void>): Promise<Array<{ offset: bigint; value: string }>> {
  const consumer: Consumer = kafka.consumer({ groupId: group, maxWaitTimeInMs: 100 });
  const seen: Array<{ offset: bigint; value: string }> = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning });
    let fetches = 0;
    consumer.on(consumer.events.FETCH, () => fetches++);
    await consumer.run({
      eachMessage: async ({ message }) => {
        seen.push({ offset: BigInt(message.offset), value: message.value?.toString() ?? "" });
      },
    });
    if (onRunning) {
      // The consumer has joined and fetched at its reset position a few times.
      await waitFor("the consumer to fetch", () => fetches >= 3 || undefined);
      await onRunning();
    }
    await waitFor(`group ${group} to consume`, () => until(seen) || undefined, 20_000);
  } finally {
    await consumer.disconnect();
  }
  return seen;
}

describe("retention on the hub broker (kafkajs)", () => {
  let hub: HubBrokerHandle;
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;

  beforeAll(async () => {
    hub = await startHubBroker({ overrides: { "log.retention.check.interval.ms": "100", "log.cleaner.backoff.ms": "100" } });
    kafka = new Kafka({ clientId: "retention-test", brokers: [hub.bootstrap], logLevel: logLevel.NOTHING });
    admin = kafka.admin();
    await admin.connect();
    producer = kafka.producer();
    await producer.connect();
  });
  afterAll(async () => {
    await producer?.disconnect();
    await admin?.disconnect();
    await hub?.destroy();
  });

  it("retention.ms deletes whole old segments, moves the log start offset, and a group below it resets to earliest", async () => {
    const topic = "retention-time";
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, configEntries: [
      { name: "segment.bytes", value: "1024" },
      { name: "retention.ms", value: "60000" },
      { name: "file.delete.delay.ms", value: "0" },
    ] }] });
    const old = Date.now() - 10 * 60_000;
    for (let i = 0; i < 10; i++) {
      await producer.send({ topic, messages: Array.from({ length: 4 }, (_, j) => ({ value: `old-${i * 4 + j}-${"x".repeat(150)}`, timestamp: String(old) })) });
    }
    // A group that committed early, far below where the log will start.
    await commitOffset(hub.bootstrap, "retention-early", topic, 3n);
    for (let i = 0; i < 3; i++) await producer.send({ topic, messages: Array.from({ length: 4 }, (_, j) => ({ value: `new-${i * 4 + j}-${"x".repeat(150)}` })) });

    const low = await waitFor("retention to delete the old segments", async () => {
      const l = await lowWatermark(admin, topic);
      return l > 0n ? l : undefined;
    });
    const log = hub.broker.core.logs.log(topic, 0)!;
    // Whole segments: the log starts at a segment's base offset, and every old-only segment went.
    expect(log.segments[0]!.baseOffset).toBe(low);
    expect(largestTimestamp(log.segments[0]!)).toBeGreaterThan(Date.now() - 60_000);
    expect(low).toBeLessThanOrEqual(40n);
    expect(low).toBeGreaterThan(30n);

    // A fetch below the log start offset: OFFSET_OUT_OF_RANGE, with the log start in the answer.
    const raw = await RawKafkaSocket.connect(hub.port);
    try {
      const res = await raw.request(1, 12, {
        ...defaultFetchRequest(),
        topics: [{ ...defaultFetchRequestFetchTopic(), topic, partitions: [{ ...defaultFetchRequestFetchPartition(), partition: 0, fetchOffset: 0n, partitionMaxBytes: 1 << 20 }] }],
      });
      const part = res.responses[0]!.partitions[0]!;
      expect(part.errorCode).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
      expect(part.logStartOffset).toBe(low);
    } finally {
      raw.socket.destroy();
    }

    // The group's committed offset 3 is gone: with fromBeginning it starts at the log start.
    const seen = await consume(kafka, "retention-early", topic, true, (s) => s.some((m) => m.value.startsWith("new-11-")));
    expect(seen[0]!.offset).toBe(low);
    expect(seen.map((m) => m.offset)).toEqual(Array.from({ length: seen.length }, (_, i) => low + BigInt(i)));
  });

  it("retention.bytes keeps the partition within a segment of the limit, deleting the oldest segments", async () => {
    const topic = "retention-size";
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, configEntries: [
      { name: "segment.bytes", value: "1024" },
      { name: "retention.bytes", value: "3000" },
      { name: "file.delete.delay.ms", value: "0" },
    ] }] });
    for (let i = 0; i < 15; i++) await producer.send({ topic, messages: Array.from({ length: 4 }, (_, j) => ({ value: `v-${i * 4 + j}-${"y".repeat(100)}` })) });
    const log = hub.broker.core.logs.log(topic, 0)!;
    await waitFor("size retention", () => (log.sizeInBytes() - log.segments[0]!.size < 3000 ? true : undefined));
    expect(log.sizeInBytes()).toBeGreaterThanOrEqual(3000);
    const low = await lowWatermark(admin, topic);
    expect(low).toBe(log.segments[0]!.baseOffset);
    expect(low).toBeGreaterThan(0n);
    // What is left is read from its start.
    const seen = await consume(kafka, "retention-size-reader", topic, true, (s) => s.some((m) => m.value.startsWith("v-59-")));
    expect(seen[0]!.offset).toBe(low);
  });
});

describe.each(BROKER_TARGETS)("consumers whose committed offset fell below the log start, against %s (kafkajs)", (targetName) => {
  let target: BrokerTarget;
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;

  beforeAll(async () => {
    target = await openBrokerTarget(targetName);
    kafka = new Kafka({ clientId: "log-start-test", brokers: [target.bootstrap], logLevel: logLevel.NOTHING });
    admin = kafka.admin();
    await admin.connect();
    producer = kafka.producer();
    await producer.connect();
  });
  afterAll(async () => {
    await producer?.disconnect();
    await admin?.disconnect();
    await target?.close();
  });

  it("deleteTopicRecords moves the log start; fromBeginning resets to earliest, otherwise to latest", async () => {
    const topic = `log-start${target.suffix}`;
    await target.createTopic(topic, 1);
    await producer.send({ topic, messages: Array.from({ length: 20 }, (_, i) => ({ value: `m${i}` })) });
    const early = `early${target.suffix}`;
    const late = `late${target.suffix}`;
    for (const groupId of [early, late]) await commitOffset(target.bootstrap, groupId, topic, 5n);

    // kafkajs' deleteTopicRecords needs the topic's metadata in its admin's cache.
    await admin.fetchTopicMetadata({ topics: [topic] });
    await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: "12" }] });
    expect(await lowWatermark(admin, topic)).toBe(12n);

    const fromStart = await consume(kafka, early, topic, true, (s) => s.some((m) => m.value === "m19"));
    expect(fromStart.map((m) => m.value)).toEqual(["m12", "m13", "m14", "m15", "m16", "m17", "m18", "m19"]);
    expect(fromStart[0]!.offset).toBe(12n);

    const fromEnd = await consume(kafka, late, topic, false, (s) => s.some((m) => m.value === "m22"), async () => {
      await producer.send({ topic, messages: ["m20", "m21", "m22"].map((value) => ({ value })) });
    });
    expect(fromEnd.map((m) => m.value)).toEqual(["m20", "m21", "m22"]);
    // Both groups committed where they got to.
    const committed = await target.committedOffsets(early, topic);
    expect(committed.get(0)).toBeGreaterThanOrEqual(20n);
  });
});

// @confluentinc/kafka-javascript (Node bindings to librdkafka, through its KafkaJS-style promise
// API) against the hub's broker and, as the reference, Apache Kafka: its admin creates a topic,
// idempotent producers (acks=all) write keyed records with headers in every codec, and two
// consumers of one group split the partitions, read every record exactly once and commit.
// Its native addon is built once by `test/services/up clients`, outside npm ci, and loaded
// from there.
import { createRequire } from "node:module";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { confluentKafkaJavascriptDir } from "../../services/index.ts";
import { openTarget, TARGETS, type InteropTarget } from "../../support/interop-targets.ts";

// The few parts of its API this file uses (its own typings live next to the built addon,
// outside this project's node_modules).
type Config = Record<string, string | number | boolean | object>;
interface Client {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
}
interface Producer extends Client {
  send(record: {
    topic: string;
    messages: Array<{ key: string; value: string; headers: Record<string, string> }>;
  }): Promise<Array<{ topicName: string; partition: number; errorCode: number; baseOffset?: string }>>;
}
interface ReceivedMessage {
  key: Buffer | null;
  value: Buffer | null;
  offset: string;
  headers?: Record<string, Buffer | string | Array<Buffer | string> | undefined>;
}
interface Consumer extends Client {
  subscribe(subscription: { topics: string[] }): Promise<void>;
  run(config: { eachMessage: (payload: { topic: string; partition: number; message: ReceivedMessage }) => Promise<void> }): Promise<void>;
  commitOffsets(): Promise<void>;
  committed(): Promise<Array<{ topic: string; partition: number; offset: string }>>;
  assignment(): Array<{ topic: string; partition: number }>;
}
interface Admin extends Client {
  createTopics(options: { topics: Array<{ topic: string; numPartitions: number }> }): Promise<boolean>;
  fetchTopicMetadata(options: { topics: string[] }): Promise<Array<{ name: string; partitions: Array<{ partitionId: number }> }>>;
  fetchTopicOffsets(topic: string): Promise<Array<{ partition: number; high: string; low: string }>>;
  fetchOffsets(options: { groupId: string; topics: string[] }): Promise<Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }>>;
}
interface ConfluentKafkaJs {
  librdkafkaVersion: string;
  KafkaJS: {
    Kafka: new (config: Config) => { producer(config: Config): Producer; consumer(config: Config): Consumer; admin(config: Config): Admin };
  };
}

function loadClient(): ConfluentKafkaJs {
  const dir = confluentKafkaJavascriptDir();
  try {
    return createRequire(join(dir, "index.js"))("@confluentinc/kafka-javascript") as ConfluentKafkaJs;
  } catch (error) {
    throw new Error(
      `@confluentinc/kafka-javascript does not load from ${dir}: ${(error as Error).message}\n` +
        "Build it with: test/services/up clients  (or set HUB_TEST_CONFLUENT_KAFKA_JS_DIR to an npm prefix that has it)",
      { cause: error },
    );
  }
}

const waitUntil = async (pred: () => boolean, what: () => string, timeoutMs: number): Promise<void> => {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

const text = (v: Buffer | string | Array<Buffer | string> | null | undefined): string | undefined =>
  v == null ? undefined : Array.isArray(v) ? v.map(String).join(",") : v.toString();

describe.each(TARGETS)("@confluentinc/kafka-javascript against %s", (targetName) => {
  let target: InteropTarget;
  let kafka: InstanceType<ConfluentKafkaJs["KafkaJS"]["Kafka"]>;
  // librdkafka's own warnings and errors, shown when an assertion fails.
  const logged: string[] = [];
  const closers: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    const { KafkaJS } = loadClient();
    target = await openTarget(targetName);
    const record = (level: string) => (message: string, extra?: object) => logged.push(`${level} ${message} ${JSON.stringify(extra ?? {})}`);
    const logger = { info: () => {}, debug: () => {}, warn: record("WARN"), error: record("ERROR"), namespace: () => logger, setLogLevel: () => {} };
    kafka = new KafkaJS.Kafka({ "bootstrap.servers": target.bootstrap, kafkaJS: { logger } });
  });
  afterAll(async () => {
    for (const close of closers.reverse()) await close().catch(() => {});
    await target?.close();
  });

  it("splits a 4-partition topic between two consumers of one group, every record read once and committed", async () => {
    const topic = target.unique("ckjs-group");
    const groupId = target.unique("ckjs-group");
    const diagnostics = (): string => `\nlibrdkafka said:\n${logged.slice(-30).join("\n")}`;

    const admin = kafka.admin({});
    await admin.connect();
    closers.push(() => admin.disconnect());
    expect(await admin.createTopics({ topics: [{ topic, numPartitions: 4 }] })).toBe(true);
    const [described] = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(described?.partitions.map((p) => p.partitionId).sort()).toEqual([0, 1, 2, 3]);

    const members = ["a", "b"].map((name) => {
      const consumer = kafka.consumer({
        "group.id": groupId,
        "client.id": `ckjs-${name}`,
        "enable.auto.commit": false,
        "auto.offset.reset": "earliest",
        "session.timeout.ms": 10_000,
        "heartbeat.interval.ms": 500,
        "fetch.wait.max.ms": 200,
      });
      closers.push(() => consumer.disconnect());
      return { name, consumer, records: [] as Array<{ partition: number; message: ReceivedMessage }> };
    });
    for (const m of members) {
      await m.consumer.connect();
      await m.consumer.subscribe({ topics: [topic] });
      await m.consumer.run({
        eachMessage: async ({ topic: from, partition, message }) => {
          if (from === topic) m.records.push({ partition, message });
        },
      });
    }
    const assigned = (m: (typeof members)[number]): number[] =>
      m.consumer.assignment().filter((a) => a.topic === topic).map((a) => a.partition).sort((x, y) => x - y);
    const [a, b] = members as [(typeof members)[number], (typeof members)[number]];
    await waitUntil(
      () => assigned(a).length > 0 && assigned(b).length > 0 && [...assigned(a), ...assigned(b)].sort().join() === "0,1,2,3",
      () => `both members to share the 4 partitions (a=${JSON.stringify(assigned(a))}, b=${JSON.stringify(assigned(b))})${diagnostics()}`,
      45_000,
    );
    const assignments = members.map(assigned);

    // librdkafka compresses per producer, so one idempotent producer per codec.
    const codecs = ["none", "gzip", "snappy", "lz4", "zstd"] as const;
    const perCodec = 300;
    const firstOffsets: Array<{ codec: string; partition: number; offset: number }> = [];
    for (const [c, codec] of codecs.entries()) {
      const producer = kafka.producer({ "enable.idempotence": true, acks: -1, "compression.type": codec, "linger.ms": 5 });
      await producer.connect();
      closers.push(() => producer.disconnect());
      const reports = await producer.send({
        topic,
        messages: Array.from({ length: perCodec }, (_, j) => {
          const i = c * perCodec + j;
          return { key: `key-${i}`, value: `value-${i}-${codec}`, headers: { n: String(i), codec } };
        }),
      });
      // One report per partition written to, with the offset of its first record.
      for (const r of reports) {
        expect([r.topicName, r.errorCode, typeof r.baseOffset]).toEqual([topic, 0, "string"]);
        firstOffsets.push({ codec, partition: r.partition, offset: Number(r.baseOffset) });
      }
      expect(new Set(reports.map((r) => r.partition)).size).toBe(reports.length);
      await producer.disconnect();
    }
    const count = codecs.length * perCodec;
    await waitUntil(() => a.records.length + b.records.length >= count, () => `${count} records (a=${a.records.length}, b=${b.records.length})${diagnostics()}`, 30_000);
    // A little longer, so that a record delivered twice would show up.
    await new Promise((r) => setTimeout(r, 500));

    members.forEach((m, i) => {
      expect([...new Set(m.records.map((r) => r.partition))].sort()).toEqual(assignments[i]);
    });
    const all = [...a.records, ...b.records];
    expect(all).toHaveLength(count);
    expect(all.map((r) => text(r.message.value)).sort()).toEqual(
      codecs.flatMap((codec, c) => Array.from({ length: perCodec }, (_, j) => `value-${c * perCodec + j}-${codec}`)).sort(),
    );
    for (const { message } of all) {
      const [, n, codec] = text(message.value)?.split("-") ?? [];
      expect([text(message.key), text(message.headers?.n), text(message.headers?.codec)]).toEqual([`key-${n}`, n, codec]);
    }
    for (const partition of [0, 1, 2, 3]) {
      const offsets = all.filter((r) => r.partition === partition).map((r) => Number(r.message.offset));
      expect(offsets).toEqual(offsets.map((_, i) => i));
    }
    // The produce responses' base offsets are where each producer's records start.
    for (const { codec, partition, offset } of firstOffsets) {
      const mine = all.filter((r) => r.partition === partition && text(r.message.headers?.codec) === codec);
      expect(Math.min(...mine.map((r) => Number(r.message.offset))), `${codec} in partition ${partition}`).toBe(offset);
    }

    // Each member commits what it processed; the group's offsets are then the end offsets,
    // as seen by the client itself, by its admin and by kafkajs.
    for (const m of members) await m.consumer.commitOffsets();
    const ends = await target.endOffsets(topic);
    expect([...ends.values()].reduce((x, y) => x + y, 0n)).toBe(BigInt(count));
    const endsByAdmin = await admin.fetchTopicOffsets(topic);
    expect(Object.fromEntries(endsByAdmin.map((p) => [p.partition, BigInt(p.high)]))).toEqual(Object.fromEntries(ends));
    const committedByMembers = (await Promise.all(members.map((m) => m.consumer.committed()))).flat().filter((p) => p.topic === topic);
    expect(Object.fromEntries(committedByMembers.map((p) => [p.partition, BigInt(p.offset)]))).toEqual(Object.fromEntries(ends));
    const [fetched] = await admin.fetchOffsets({ groupId, topics: [topic] });
    expect(Object.fromEntries((fetched?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]))).toEqual(Object.fromEntries(ends));
    expect(Object.fromEntries(await target.committedOffsets(groupId, topic))).toEqual(Object.fromEntries(ends));
    expect(logged.filter((l) => l.startsWith("ERROR")), diagnostics()).toEqual([]);
  }, 120_000);
});

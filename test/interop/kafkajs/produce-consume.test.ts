// kafkajs producers (every acks setting, idempotent, every codec) and consumers (seek,
// pause/resume) against the hub's broker.
import { CompressionTypes, Kafka, logLevel, type Consumer, type EachMessagePayload } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROKER_TARGETS, openBrokerTarget, type BrokerTarget } from "../../support/broker-targets.ts";
import { registerKafkajsCodecs } from "../../support/kafkajs-codecs.ts";

registerKafkajsCodecs();

async function consumeN(consumer: Consumer, topic: string, n: number, timeoutMs = 20_000): Promise<EachMessagePayload["message"][]> {
  const seen: EachMessagePayload["message"][] = [];
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${seen.length}/${n} messages within ${timeoutMs} ms`)), timeoutMs);
    void consumer.run({
      eachMessage: async ({ message }) => {
        seen.push(message);
        if (seen.length === n) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  return seen;
}

describe.each(BROKER_TARGETS)("kafkajs produce and consume against %s", (targetName) => {
  let target: BrokerTarget;
  let kafka: Kafka;
  const t = (name: string): string => name + target.suffix;

  beforeAll(async () => {
    target = await openBrokerTarget(targetName);
    kafka = new Kafka({ clientId: "pc-test", brokers: [target.bootstrap], logLevel: logLevel.NOTHING });
  });
  afterAll(async () => {
    await target?.close();
  });

  for (const acks of [0, 1, -1]) {
    it(`produces with acks=${acks} and reads every record back`, async () => {
      const topic = t(`acks-${acks === -1 ? "all" : acks}`);
      const producer = kafka.producer({ allowAutoTopicCreation: true });
      await producer.connect();
      for (let i = 0; i < 5; i++) {
        await producer.send({ topic, acks, messages: Array.from({ length: 20 }, (_, j) => ({ key: `k${i * 20 + j}`, value: `v${i * 20 + j}` })) });
      }
      await producer.disconnect();
      const consumer = kafka.consumer({ groupId: `g-${topic}` });
      await consumer.connect();
      const got = await consumeN(consumer, topic, 100);
      await consumer.disconnect();
      expect(got.map((m) => m.value?.toString()).sort()).toEqual(Array.from({ length: 100 }, (_, i) => `v${i}`).sort());
    });
  }

  it("dedupes an idempotent producer's batches and keeps order per partition", async () => {
    const topic = t("idempotent");
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const results = [];
    for (let i = 0; i < 10; i++) results.push(...(await producer.send({ topic, acks: -1, messages: [{ key: "same", value: `n${i}` }] })));
    await producer.disconnect();
    expect(results.map((r) => Number(r.baseOffset))).toEqual([...Array(10).keys()]);
    const consumer = kafka.consumer({ groupId: t("g-idem") });
    await consumer.connect();
    const got = await consumeN(consumer, topic, 10);
    await consumer.disconnect();
    expect(got.map((m) => m.value?.toString())).toEqual([...Array(10).keys()].map((i) => `n${i}`));
  });

  for (const [name, codec] of [["gzip", CompressionTypes.GZIP], ["snappy", CompressionTypes.Snappy], ["lz4", CompressionTypes.LZ4], ["zstd", CompressionTypes.ZSTD]] as const) {
    it(`accepts and serves ${name}-compressed batches`, async () => {
      const topic = t(`codec-${name}`);
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({ topic, compression: codec, messages: Array.from({ length: 50 }, (_, i) => ({ value: `${name}-${i}-${"x".repeat(100)}`, headers: { i: String(i) } })) });
      await producer.disconnect();
      const consumer = kafka.consumer({ groupId: `g-${topic}` });
      await consumer.connect();
      const got = await consumeN(consumer, topic, 50);
      await consumer.disconnect();
      expect(got.map((m) => m.value?.toString())).toEqual(Array.from({ length: 50 }, (_, i) => `${name}-${i}-${"x".repeat(100)}`));
      expect(got[7]?.headers?.i?.toString()).toBe("7");
    });
  }

  it("seeks to an offset and pauses and resumes a topic", async () => {
    const topic = t("seekable");
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: Array.from({ length: 30 }, (_, i) => ({ value: String(i) })) });
    const consumer = kafka.consumer({ groupId: t("g-seek") });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const values: string[] = [];
    await consumer.run({
      eachMessage: async ({ message }) => {
        values.push(message.value?.toString() ?? "");
      },
    });
    const waitFor = async (pred: () => boolean, what: string): Promise<void> => {
      const end = Date.now() + 20_000;
      while (!pred()) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}; have ${values.join(",")}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await waitFor(() => values.length >= 30, "the first pass");
    consumer.seek({ topic, partition: 0, offset: "25" });
    await waitFor(() => values.length >= 35, "records after the seek");
    expect(values.slice(30, 35)).toEqual(["25", "26", "27", "28", "29"]);
    consumer.pause([{ topic }]);
    await producer.send({ topic, messages: [{ value: "while-paused" }] });
    await new Promise((r) => setTimeout(r, 1500));
    expect(values).not.toContain("while-paused");
    consumer.resume([{ topic }]);
    await waitFor(() => values.includes("while-paused"), "the record produced while paused");
    await consumer.disconnect();
    await producer.disconnect();
  });
});

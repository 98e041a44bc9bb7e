// Damaged segment files while the broker is stopped: a segment cut in the middle of its last
// batch, and garbage appended after the last batch. The broker (a child process, JSON logs)
// must say on start what it repaired, serve every record before the damage (read back by
// kcat), and go on appending at the right offsets.
import { appendFileSync, readdirSync, statSync, truncateSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BrokerProcess, freePort, type BrokerLogLine } from "../../support/broker-process.ts";
import { partitionOffsets, readPartition } from "../../support/kcat-read.ts";

const TOPIC = "torn-writes";
const BATCHES = 30;
const PER_BATCH = 5;

describe("torn writes and garbage in a segment", () => {
  let dataDir: string;
  let broker: BrokerProcess;

  const kafkaFor = () => new Kafka({ clientId: "torn-test", brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 20, initialRetryTime: 100, maxRetryTime: 1000 } });

  /** Sends batches of PER_BATCH records ("<tag>-<batch>-<i>") to a partition, acks=all. */
  async function produce(partition: number, tag: string, batches: number): Promise<void> {
    const producer = kafkaFor().producer({ allowAutoTopicCreation: false });
    await producer.connect();
    try {
      for (let b = 0; b < batches; b++) {
        await producer.send({ topic: TOPIC, acks: -1, messages: Array.from({ length: PER_BATCH }, (_, i) => ({ partition, value: `${tag}-${b}-${i}` })) });
      }
    } finally {
      await producer.disconnect();
    }
  }

  async function values(partition: number): Promise<string[]> {
    const offsets = await partitionOffsets(broker.bootstrap, TOPIC);
    return (await readPartition(broker.bootstrap, TOPIC, partition, 0, offsets[partition]!.high)).map((r) => r.value);
  }

  const activeSegment = (partition: number): string => {
    const dir = join(dataDir, "broker", `${TOPIC}-${partition}`);
    return join(dir, readdirSync(dir).filter((f) => f.endsWith(".log")).sort().at(-1) as string);
  };

  const expected = (tag: string, batches: number): string[] => Array.from({ length: batches * PER_BATCH }, (_, k) => `${tag}-${Math.floor(k / PER_BATCH)}-${k % PER_BATCH}`);

  const repairLines = (b: BrokerProcess): BrokerLogLine[] => b.lines.filter((l) => /^truncated \d+ bytes of torn or corrupt data at the end of a log segment$/.test(l.msg));

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "hub-torn-test-"));
    broker = await BrokerProcess.start({ dataDir, port: await freePort(), overrides: { "offsets.topic.num.partitions": "1" } });
    const admin = kafkaFor().admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 2 }] });
    await admin.disconnect();
    await produce(0, "a", BATCHES);
    await produce(1, "b", BATCHES);
  });

  afterAll(async () => {
    await broker?.kill();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("cuts a batch torn mid-write, says so in its log, and serves everything before it", async () => {
    expect((await broker.stop()).code).toBe(0);
    const segment = activeSegment(0);
    const size = statSync(segment).size;
    truncateSync(segment, size - 20); // the last batch loses its end
    broker = await broker.restart();

    const [repair, ...more] = repairLines(broker);
    expect(more).toEqual([]);
    expect(repair).toMatchObject({ level: 40, segment, stop: "incomplete", topic: TOPIC, partition: 0 });
    // What was left of the torn batch is cut, and nothing more.
    const cut = repair!.truncatedBytes as number;
    expect(cut).toBeGreaterThan(0);
    expect(statSync(segment).size).toBe(size - 20 - cut);
    expect(broker.lines.find((l) => l.msg.startsWith("loaded the logs and repaired"))).toMatchObject({ repairedPartitions: 1, truncatedSegments: 1, previousShutdown: "clean" });

    // Every batch but the torn one; the other partition is untouched.
    expect(await values(0)).toEqual(expected("a", BATCHES - 1));
    expect(await values(1)).toEqual(expected("b", BATCHES));
    // Appends go on where the log now ends.
    await produce(0, "a2", 2);
    expect(await values(0)).toEqual([...expected("a", BATCHES - 1), ...expected("a2", 2)]);
  });

  it("cuts garbage appended after the last batch, says so in its log, and loses nothing", async () => {
    expect((await broker.stop()).code).toBe(0);
    const segment = activeSegment(1);
    const size = statSync(segment).size;
    // Garbage that starts like a batch header (a plausible length, magic 2) and then is not one.
    const garbage = Buffer.alloc(300, 0x5a);
    garbage.writeBigInt64BE(150n, 0);
    garbage.writeInt32BE(200, 8);
    garbage.writeInt8(2, 16);
    appendFileSync(segment, garbage);
    broker = await broker.restart();

    const [repair, ...more] = repairLines(broker);
    expect(more).toEqual([]);
    expect(repair).toMatchObject({ level: 40, segment, truncatedBytes: 300, topic: TOPIC, partition: 1 });
    expect(["crc", "corrupt", "offset", "magic", "incomplete"]).toContain(repair!.stop);
    expect(statSync(segment).size).toBe(size);
    expect(await values(1)).toEqual(expected("b", BATCHES));
    await produce(1, "b2", 1);
    expect(await values(1)).toEqual([...expected("b", BATCHES), ...expected("b2", 1)]);
    expect((await partitionOffsets(broker.bootstrap, TOPIC))[1]!.high).toBe((BATCHES + 1) * PER_BATCH);
  });

  it("restarts cleanly after the repairs with nothing left to repair", async () => {
    expect((await broker.stop()).code).toBe(0);
    broker = await broker.restart();
    expect(repairLines(broker)).toEqual([]);
    expect(broker.lines.find((l) => l.msg.startsWith("loaded the logs"))).toMatchObject({ msg: "loaded the logs", cleanShutdown: true });
    expect(await values(0)).toHaveLength((BATCHES + 1) * PER_BATCH);
  });
});

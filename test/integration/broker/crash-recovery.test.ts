// The durability promise under crashes: the broker runs as a child process in durable mode
// (hub.durable.acks.all=true) while an idempotent kafkajs producer sends numbered records with
// acks=all and a consumer group commits offsets, and the test kills it with SIGKILL at random
// moments (200-1500 ms apart), 20 times in a row, restarting it on the same data directory and
// port each time. After every restart, read from the beginning by kcat (librdkafka, another
// client): every acknowledged record is there exactly once and in order (records never
// acknowledged may or may not be there, but never twice), and the group's last acknowledged
// commit is intact. Small segments make the log roll during the test, so restarts also cross
// segment boundaries, producer state snapshots and recovery point checkpoints.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Kafka, logLevel, type Producer } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BrokerProcess, freePort } from "../../support/broker-process.ts";
import { partitionOffsets, readPartition } from "../../support/kcat-read.ts";
import { RawKafkaSocket } from "../../support/raw-kafka-socket.ts";

const TOPIC = "crash-durable";
const GROUP = "crash-durable-group";
const PARTITIONS = 2;
const KILLS = 20;
const PER_SEND = 4;
const BROKER_OVERRIDES = {
  "hub.durable.acks.all": "true",
  "num.partitions": String(PARTITIONS),
  "offsets.topic.num.partitions": "1",
  "group.initial.rebalance.delay.ms": "0",
  "log.segment.bytes": "32768",
  "log.flush.offset.checkpoint.interval.ms": "500",
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Every record of the topic from the beginning up to the high watermark of the moment, per
 * partition, as kcat reads them (the producer keeps going meanwhile).
 */
async function readAll(bootstrap: string): Promise<number[][]> {
  const offsets = await partitionOffsets(bootstrap, TOPIC);
  const byPartition: number[][] = [];
  for (let p = 0; p < PARTITIONS; p++) {
    const records = await readPartition(bootstrap, TOPIC, p, 0, offsets[p]!.high);
    byPartition.push(records.map((r) => Number(r.value)));
  }
  return byPartition;
}

/** The producer side: sequential sends of PER_SEND numbered records, partitions in turn. */
class NumberedProducer {
  readonly acked: number[][] = Array.from({ length: PARTITIONS }, () => []);
  readonly failures: string[] = [];
  private next = 0;
  private sends = 0;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private readonly producer: Producer;

  constructor(producer: Producer) {
    this.producer = producer;
  }

  get ackedCount(): number {
    return this.acked.reduce((n, a) => n + a.length, 0);
  }

  get attempted(): number {
    return this.next;
  }

  start(): void {
    this.loop = (async () => {
      while (!this.stopped) {
        const partition = this.sends++ % PARTITIONS;
        const numbers = Array.from({ length: PER_SEND }, () => this.next++);
        try {
          await this.producer.send({ topic: TOPIC, acks: -1, messages: numbers.map((n) => ({ partition, value: String(n) })) });
          this.acked[partition]!.push(...numbers);
        } catch (err) {
          this.failures.push(`${numbers[0]}..: ${(err as Error).message}`);
          await sleep(50);
        }
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }
}

/**
 * The consumer group side: commits (generation -1, as an admin or a simple consumer does)
 * offset v on partition 0 and 2v on partition 1 in one OffsetCommit, v = 1, 2, 3 ... Knows the
 * last acknowledged commit and the ones whose fate is unknown (sent when the broker died).
 */
class Committer {
  acked = 0;
  readonly uncertain = new Set<number>();
  commits = 0;
  private value = 0;
  private socket: RawKafkaSocket | undefined;
  private paused = false;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private idle: (() => void) | undefined;
  private port: number;

  constructor(port: number) {
    this.port = port;
  }

  start(): void {
    this.loop = (async () => {
      while (!this.stopped) {
        if (this.paused) {
          this.idle?.();
          await sleep(20);
          continue;
        }
        await this.commitOnce();
        await sleep(30);
      }
    })();
  }

  private async commitOnce(): Promise<void> {
    const v = ++this.value;
    this.uncertain.add(v);
    try {
      this.socket ??= await RawKafkaSocket.connect(this.port);
      const response = await this.socket.request(8, 8, {
        groupId: GROUP,
        generationIdOrMemberEpoch: -1,
        memberId: "",
        groupInstanceId: null,
        retentionTimeMs: -1n,
        topics: [{ name: TOPIC, partitions: [0, 1].map((p) => ({ partitionIndex: p, committedOffset: BigInt(v * (p + 1)), committedLeaderEpoch: -1, commitTimestamp: -1n, committedMetadata: null })) }],
      }, 5000);
      if (response.topics.every((t) => t.partitions.every((p) => p.errorCode === 0))) {
        this.acked = v;
        this.uncertain.clear();
        this.commits++;
      }
    } catch {
      this.socket?.destroy();
      this.socket = undefined;
    }
  }

  /** Stops committing until resume(); resolves once no commit is in flight. */
  pause(): Promise<void> {
    this.paused = true;
    return new Promise((r) => (this.idle = r));
  }

  resume(): void {
    this.idle = undefined;
    this.paused = false;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
    this.socket?.destroy();
  }
}

async function committedOffsets(bootstrap: string): Promise<number[]> {
  const kafka = new Kafka({ clientId: "crash-test-admin", brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 10, initialRetryTime: 100 } });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [topic] = await admin.fetchOffsets({ groupId: GROUP, topics: [TOPIC] });
    return [...(topic?.partitions ?? [])].sort((a, b) => a.partition - b.partition).map((p) => Number(p.offset));
  } finally {
    await admin.disconnect();
  }
}

describe("crash recovery in durable mode (SIGKILL at random moments)", () => {
  let dataDir: string;
  let broker: BrokerProcess;
  let port: number;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "hub-crash-test-"));
    port = await freePort();
    broker = await BrokerProcess.start({ dataDir, port, overrides: BROKER_OVERRIDES });
  });

  afterAll(async () => {
    await broker?.kill();
    if (process.env.HUB_TEST_KEEP_DATA) console.log(`data kept in ${dataDir}`);
    else await rm(dataDir, { recursive: true, force: true });
  });

  it(`keeps every acknowledged record exactly once and in order, and every acknowledged commit, across ${KILLS} SIGKILLs`, { timeout: 240_000 }, async () => {
    const kafka = new Kafka({
      clientId: "crash-test",
      brokers: [broker.bootstrap],
      logLevel: logLevel.NOTHING,
      requestTimeout: 5000,
      retry: { retries: 100_000, initialRetryTime: 50, maxRetryTime: 400 },
    });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: PARTITIONS }] });
    await admin.disconnect();
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    await producer.connect();
    const numbers = new NumberedProducer(producer);
    const committer = new Committer(port);
    numbers.start();
    committer.start();
    const started = Date.now();
    let repairedRestarts = 0;

    try {
      for (let kill = 1; kill <= KILLS; kill++) {
        // Let the producer and the committer get going on this incarnation, then a random moment.
        const ackedBefore = numbers.ackedCount;
        const commitsBefore = committer.commits;
        const deadline = Date.now() + 20_000;
        while ((numbers.ackedCount === ackedBefore || committer.commits === commitsBefore) && Date.now() < deadline) await sleep(20);
        expect(numbers.ackedCount, `no record acknowledged after restart ${kill - 1}:\n${broker.describe()}`).toBeGreaterThan(ackedBefore);
        await sleep(200 + Math.floor(Math.random() * 1300));

        await broker.kill();
        broker = await broker.restart();
        const loaded = broker.lines.find((l) => l.msg === "loaded the logs" || String(l.msg).startsWith("loaded the logs and repaired"));
        expect(loaded?.cleanShutdown, "a SIGKILL is not a clean shutdown").toBe(false);
        if (String(loaded?.msg).startsWith("loaded the logs and repaired")) repairedRestarts++;

        await committer.pause();
        const acked = numbers.acked.map((a) => [...a]);
        const records = await readAll(broker.bootstrap);
        // The producer keeps sending during the read: only what it attempted by the end of the
        // read can be in the log, so count attempts after reading, not before.
        const attempted = numbers.attempted;
        for (let p = 0; p < PARTITIONS; p++) {
          const got = records[p] as number[];
          const context = `partition ${p} after kill ${kill}`;
          expect(new Set(got).size, `${context}: a record is there twice`).toBe(got.length);
          for (let i = 1; i < got.length; i++) {
            if ((got[i] as number) <= (got[i - 1] as number)) expect.fail(`${context}: ${got[i]} follows ${got[i - 1]}`);
          }
          const present = new Set(got);
          const missing = (acked[p] as number[]).filter((n) => !present.has(n));
          expect(missing, `${context}: acknowledged records are missing`).toEqual([]);
          expect(got.every((n) => Number.isInteger(n) && n >= 0 && n < attempted), `${context}: a record nobody sent`).toBe(true);
        }
        const committed = await committedOffsets(broker.bootstrap);
        const v = committed[0] as number;
        expect(v === committer.acked || committer.uncertain.has(v), `committed offset ${v} after kill ${kill}: the last acknowledged commit was ${committer.acked} (unknown fate: ${[...committer.uncertain].join(", ")})`).toBe(true);
        expect(committed[1]).toBe(2 * v);
        if (committer.uncertain.has(v)) committer.acked = v;
        committer.uncertain.clear();
        committer.resume();
      }
    } finally {
      await committer.stop();
      await numbers.stop();
      await producer.disconnect();
    }

    // A clean stop and start after all that: nothing to repair, nothing lost.
    const final = numbers.acked.map((a) => [...a]);
    expect((await broker.stop()).code).toBe(0);
    broker = await broker.restart();
    const loaded = broker.lines.find((l) => String(l.msg).startsWith("loaded the logs"));
    expect(loaded).toMatchObject({ msg: "loaded the logs", cleanShutdown: true });
    const records = await readAll(broker.bootstrap);
    for (let p = 0; p < PARTITIONS; p++) {
      const present = new Set(records[p]);
      expect((final[p] as number[]).filter((n) => !present.has(n))).toEqual([]);
      expect(present.size).toBe(records[p]!.length);
    }
    const total = numbers.ackedCount;
    console.log(`crash test: ${KILLS} kills in ${((Date.now() - started) / 1000).toFixed(1)} s, ${total} records acknowledged, ${committer.commits} commits, ${repairedRestarts} restarts repaired a torn tail, ${numbers.failures.length} failed sends`);
    expect(total).toBeGreaterThan(KILLS * PER_SEND);
  });
});

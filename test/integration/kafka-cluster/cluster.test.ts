// The three-broker Apache Kafka KRaft cluster the Connect runtime scales out on: a topic with
// replication factor 3, an idempotent acks=all producer, and the leader of partition 0 SIGKILLed
// mid-stream. Every record the producer got an acknowledgement for must be there afterwards,
// exactly once and in order within its partition: that is what acks=all with
// min.insync.replicas=2 and no unclean leader election promise.
import { Kafka, logLevel, type Admin, type Producer } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKafkaCluster, type KafkaCluster } from "../../support/kafka-cluster.ts";

const PARTITIONS = 3;
/** Records per produce request, all for one partition (see the producer loop). */
const BATCH = 4;
/** Acknowledged records wanted before the kill, and again after it. */
const BEFORE_KILL = 600;
const AFTER_KILL = 600;

interface Acked {
  seq: number;
  partition: number;
  at: number;
}

/** Polls `probe` until it returns a value; its errors (a broker answering mid-failover) are retried. */
async function until<T>(what: string, deadlineMs: number, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ""}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("three-broker Apache Kafka KRaft cluster", () => {
  let cluster: KafkaCluster | undefined;
  let kafka: Kafka;
  let admin: Admin | undefined;
  let producer: Producer | undefined;

  beforeAll(async () => {
    const t0 = Date.now();
    cluster = await startKafkaCluster({ nodes: 3 });
    console.log(`cluster start-up: ${Date.now() - t0} ms (${cluster.bootstrap})`);
    kafka = new Kafka({ clientId: "cluster-test", brokers: cluster.bootstrap.split(","), logLevel: logLevel.NOTHING });
    admin = kafka.admin();
    await admin.connect();
  }, 180_000);

  afterAll(async () => {
    await producer?.disconnect().catch(() => undefined);
    await admin?.disconnect().catch(() => undefined);
    await cluster?.stop();
  }, 60_000);

  it("loses no acknowledged record when the leader of partition 0 is SIGKILLed mid-stream", async () => {
    if (!cluster || !admin) throw new Error("the cluster did not start");
    const c = cluster;
    const a = admin;
    const topic = `cluster-kill-${process.pid}-${Date.now()}`;
    await a.createTopics({ topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 3 }], waitForLeaders: true });
    // Brokers learn of a new topic from the controller one by one: the broker kafkajs asks may
    // still answer UNKNOWN_TOPIC_OR_PARTITION right after the creation.
    const p0 = await until(`metadata of ${topic}-0`, 30_000, async () => {
      const meta = await a.fetchTopicMetadata({ topics: [topic] });
      return meta.topics[0]?.partitions.find((p) => p.partitionId === 0);
    });
    expect(p0.replicas).toHaveLength(3);
    const victim = p0.leader;

    // One request in flight keeps the acknowledgement order the partition order, so "in order"
    // can be checked; retries never give up (kafkajs' idempotent default), each at most 1 s apart.
    const p = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 100, maxRetryTime: 1000 },
    });
    producer = p;
    await p.connect();

    const acked: Acked[] = [];
    let failed = 0;
    let sending = true;
    let killedAt = 0;
    let seq = 0;
    // Each send() holds one partition's records: kafkajs 2.2.4 loses records when one send()
    // spans leaders and a partition's new leader is a broker that already answered that send
    // (sendMessages skips brokers with a response on retry; tulios/kafkajs#1303) - a client bug,
    // seen here as 4 records missing after a failover, not the cluster's.
    let request = 0;
    const loop = (async () => {
      while (sending) {
        const partition = request++ % PARTITIONS;
        const batch = Array.from({ length: BATCH }, () => seq++);
        const messages = batch.map((n) => ({ partition, key: `k${n}`, value: String(n) }));
        try {
          await p.send({ topic, acks: -1, messages });
          const at = Date.now();
          for (const n of batch) acked.push({ seq: n, partition, at });
        } catch (error) {
          // Not acknowledged: these may or may not be in the log, and are reported, not required.
          failed += batch.length;
          console.log(`send of records ${batch[0]}..${batch.at(-1)} failed: ${(error as Error).message}`);
        }
      }
    })();

    try {
      await until(`${BEFORE_KILL} acknowledged records`, 30_000, () => (acked.length >= BEFORE_KILL ? true : undefined));
      const ackedAtKill = acked.length;
      killedAt = Date.now();
      await c.kill(victim);
      await until(`${AFTER_KILL} more acknowledged records after killing broker ${victim}`, 60_000, () =>
        acked.length >= ackedAtKill + AFTER_KILL ? true : undefined,
      );
      // The producer stalls until the controller fences the dead broker (broker.session.timeout.ms)
      // and elects new leaders: the longest pause between two acknowledgements.
      let stall = 0;
      for (let i = 1; i < acked.length; i++) stall = Math.max(stall, (acked[i]?.at ?? 0) - (acked[i - 1]?.at ?? 0));
      console.log(`killed broker ${victim} (leader of partition 0) after ${ackedAtKill} acknowledged records; longest produce stall ${stall} ms`);
      // Partition 0 took acknowledged writes after the kill, so it has a new leader.
      const newLeader = await until(`a new leader for ${topic}-0`, 30_000, async () => {
        const leader = (await a.fetchTopicMetadata({ topics: [topic] })).topics[0]?.partitions.find((x) => x.partitionId === 0)?.leader;
        return leader !== undefined && leader !== victim && leader >= 0 ? leader : undefined;
      });
      expect([1, 2, 3].filter((id) => id !== victim)).toContain(newLeader);
      await c.restart(victim);
    } finally {
      sending = false;
      await loop;
    }
    console.log(`acknowledged ${acked.length} records, ${failed} not acknowledged`);

    // The restarted broker catches up and rejoins every in-sync replica set.
    await until("the restarted broker back in every ISR", 60_000, async () => {
      const parts = (await a.fetchTopicMetadata({ topics: [topic] })).topics[0]?.partitions ?? [];
      return parts.length === PARTITIONS && parts.every((x) => x.isr.includes(victim)) ? true : undefined;
    });

    // Read everything back from offset 0 up to the high watermarks.
    const ends = new Map((await a.fetchTopicOffsets(topic)).map((o) => [o.partition, Number(o.high)]));
    const read = new Map<number, number[]>(Array.from({ length: PARTITIONS }, (_, i) => [i, []]));
    const consumer = kafka.consumer({ groupId: `${topic}-check` });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      const done = new Set<number>();
      await consumer.run({
        eachMessage: async ({ partition, message }) => {
          read.get(partition)?.push(Number(message.value?.toString()));
          if (Number(message.offset) + 1 >= (ends.get(partition) ?? 0)) done.add(partition);
        },
      });
      for (const [partition, end] of ends) if (end === 0) done.add(partition);
      console.log(`high watermarks: ${JSON.stringify([...ends])}`);
      await until("every partition read to its high watermark", 60_000, () => (done.size === PARTITIONS ? true : undefined));
    } finally {
      await consumer.disconnect();
    }

    const report: string[] = [];
    let duplicates = 0;
    let missing = 0;
    for (let partition = 0; partition < PARTITIONS; partition++) {
      const values = read.get(partition) ?? [];
      const want = acked.filter((r) => r.partition === partition).map((r) => r.seq);
      const counts = new Map<number, number>();
      for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
      const dup = [...counts].filter(([, n]) => n > 1).map(([v]) => v);
      const lost = want.filter((v) => !counts.has(v));
      const wantSet = new Set(want);
      const firsts = values.filter((v, i) => wantSet.has(v) && values.indexOf(v) === i);
      const inOrder = firsts.length === want.length && firsts.every((v, i) => v === want[i]);
      const unacked = values.filter((v) => !wantSet.has(v)).length;
      duplicates += dup.length;
      missing += lost.length;
      report.push(
        `partition ${partition}: ${want.length} acknowledged, ${values.length} read, ${lost.length} lost, ` +
          `${dup.length} duplicated${dup.length ? ` (${dup.slice(0, 10).join(", ")})` : ""}, ` +
          (lost.length ? `lost: ${lost.slice(0, 10).map((v) => `${v} (acknowledged ${(acked.find((r) => r.seq === v)?.at ?? 0) - killedAt} ms after the kill)`).join(", ")}; ` : "") +
          `${unacked} not acknowledged but present, in order: ${inOrder}`,
      );
      expect(inOrder, report.join("\n")).toBe(true);
    }
    console.log(report.join("\n"));
    expect(missing, report.join("\n")).toBe(0);
    expect(duplicates, report.join("\n")).toBe(0);
    expect(acked.length).toBeGreaterThanOrEqual(BEFORE_KILL + AFTER_KILL);
  }, 110_000);
});

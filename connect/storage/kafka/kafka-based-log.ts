// A compacted topic used as a replicated log (Kafka's KafkaBasedLog): every worker reads all of
// its partitions from the beginning and keeps reading, so each sees every write in order, and
// readToEnd() waits until the records that were in the topic when it was called have all been
// handed to the owner. Writes go through a kafkajs producer with acks=all, each key to the
// partition Kafka's Java producer would pick for it (murmur2), so that hub and Kafka Connect
// workers agree where a key lives; a write of several records makes one send per partition,
// because a kafkajs send spanning partitions led by several brokers can resolve without the
// records of a broker that died mid-send (tulios/kafkajs#1303). Reading uses the hub's
// PartitionReader (assign, no group).
//
// On a cluster of several brokers a topic just created reaches the brokers one by one, and one
// may answer "unknown topic" meanwhile: start() waits (up to topicWaitMs) until the metadata
// describes the topic, as Kafka's KafkaBasedLog waits for partitionsFor().
import { type Kafka, Partitioners, type Producer } from "kafkajs";
import { errorName } from "../../../broker/protocol/generated/errors.ts";
import { ConnectException } from "../../api/index.ts";
import { type ConsumedRecord, ErrorCode, isRetriable, type KafkaClusterClient, PartitionReader } from "../../../lib/kafka-client/index.ts";
import type { Logger } from "../../../lib/logger.ts";
import { isRetriableKafkaError, sleep } from "../../runtime/kafka-errors.ts";
import { partitionForKey } from "./murmur2.ts";
import { ensureTopic, type TopicDescription, type TopicPurpose } from "./topic-admin.ts";

export interface KafkaBasedLogOptions {
  readonly topic: TopicDescription;
  readonly purpose: TopicPurpose;
  /** kafkajs, for the producer and the admin client. */
  readonly kafka: Kafka;
  /** The hub's client, for reading. */
  readonly client: KafkaClusterClient;
  /** Called for every record, in offset order per partition, on the reading loop. */
  readonly onRecord: (record: ConsumedRecord) => void;
  readonly log: Logger;
  /** How long readToEnd() waits by default (Kafka's 30 s for its stores). */
  readonly readToEndTimeoutMs?: number;
  /** How long start() waits for the topic to be created and described (Kafka's 30 s). */
  readonly topicWaitMs?: number;
}

interface EndWaiter {
  readonly ends: Map<number, bigint>;
  readonly resolve: () => void;
}

export class KafkaBasedLog {
  readonly topic: string;
  readonly #options: KafkaBasedLogOptions;
  readonly #log: Logger;
  #producer: Producer | undefined;
  #reader: PartitionReader | undefined;
  #partitions = 0;
  /** The next offset to read, per partition, as far as the owner has been handed records. */
  readonly #positions = new Map<number, bigint>();
  #waiters: EndWaiter[] = [];
  #loop: Promise<void> | undefined;
  #running = false;
  #failure: Error | undefined;

  constructor(options: KafkaBasedLogOptions) {
    this.topic = options.topic.name;
    this.#options = options;
    this.#log = options.log.child({ topic: options.topic.name });
  }

  get partitionCount(): number {
    return this.#partitions;
  }

  /** Creates or checks the topic, starts the producer and reads everything already there. */
  async start(): Promise<void> {
    const deadline = Date.now() + (this.#options.topicWaitMs ?? 30_000);
    const admin = this.#options.kafka.admin();
    await admin.connect();
    try {
      // A broker that has not heard of a topic another worker just created may answer "unknown"
      // to the checks of an existing topic: asked again, it (or another) knows.
      for (let wait = 100; ; wait = Math.min(wait * 2, 1000)) {
        try {
          await ensureTopic(admin, this.#options.topic, this.#options.purpose, this.#log);
          break;
        } catch (e) {
          if (!isRetriableKafkaError(e) || Date.now() + wait >= deadline) throw e;
          this.#log.debug({ err: (e as Error).message }, "the topic cannot be checked yet; retrying");
          await sleep(wait);
        }
      }
    } finally {
      await admin.disconnect();
    }
    this.#partitions = await this.#awaitPartitionCount(deadline);
    // Ordering matters (task configs before their commit): one request in flight and no
    // idempotence, as Kafka's Connect producers are configured.
    // Every record names its partition (murmur2, as Kafka's producer); the partitioner is unused.
    this.#producer = this.#options.kafka.producer({ maxInFlightRequests: 1, idempotent: false, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
    await this.#producer.connect();
    this.#reader = new PartitionReader(this.#options.client, { logger: this.#log });
    this.#reader.assign(Array.from({ length: this.#partitions }, (_, partition) => ({ topic: this.topic, partition, offset: "earliest" as const })));
    for (let p = 0; p < this.#partitions; p++) this.#positions.set(p, await this.#reader.position({ topic: this.topic, partition: p }));
    this.#running = true;
    this.#loop = this.#readLoop();
    await this.readToEnd();
  }

  async stop(): Promise<void> {
    this.#running = false;
    await this.#reader?.close();
    await this.#loop;
    await this.#producer?.disconnect();
    for (const w of this.#waiters) w.resolve();
    this.#waiters = [];
  }

  /**
   * Writes one record and resolves once the broker acknowledged it (acks=all). The partition is
   * murmur2(key) unless given; a null value is a tombstone.
   */
  async send(key: string | Buffer, value: Buffer | null, partition?: number): Promise<void> {
    const producer = this.#producer;
    if (!producer) throw new ConnectException(`the log of ${this.topic} is not started`);
    const keyBytes = typeof key === "string" ? Buffer.from(key, "utf8") : key;
    await producer.send({
      topic: this.topic,
      acks: -1,
      messages: [{ key: keyBytes, value, partition: partition ?? partitionForKey(keyBytes, this.#partitions) }],
    });
  }

  /**
   * Writes several records, each to its key's partition (one send per partition, all at once,
   * each keeping the records' order); resolves once all are acknowledged.
   */
  async sendAll(records: ReadonlyArray<{ key: string | Buffer; value: Buffer | null; partition?: number }>): Promise<void> {
    const producer = this.#producer;
    if (!producer) throw new ConnectException(`the log of ${this.topic} is not started`);
    const byPartition = new Map<number, Array<{ key: Buffer; value: Buffer | null; partition: number }>>();
    for (const r of records) {
      const key = typeof r.key === "string" ? Buffer.from(r.key, "utf8") : r.key;
      const partition = r.partition ?? partitionForKey(key, this.#partitions);
      let list = byPartition.get(partition);
      if (!list) byPartition.set(partition, (list = []));
      list.push({ key, value: r.value, partition });
    }
    await Promise.all([...byPartition.values()].map((messages) => producer.send({ topic: this.topic, acks: -1, messages })));
  }

  /** The topic's partition count once the metadata describes it, retrying until the deadline. */
  async #awaitPartitionCount(deadline: number): Promise<number> {
    const client = this.#options.client;
    for (let wait = 100; ; wait = Math.min(wait * 2, 1000)) {
      let last: string;
      try {
        const topic = (await client.refreshMetadata([this.topic])).topics.get(this.topic);
        if (topic && topic.errorCode === ErrorCode.NONE && topic.partitions.size > 0) return topic.partitions.size;
        last = topic ? (topic.errorCode === ErrorCode.NONE ? "no partitions" : errorName(topic.errorCode)) : "not in the answer";
      } catch (e) {
        if (!isRetriable(e)) throw e;
        last = (e as Error).message;
      }
      if (Date.now() + wait >= deadline) {
        throw new ConnectException(
          `Could not read the partitions of topic ${this.topic} in time (last answer: ${last}): the brokers may be unreachable or the topic's partitions unavailable, ` +
            `or a topic just created has not reached every broker yet`,
        );
      }
      await sleep(wait);
    }
  }

  /** Resolves once every record written before the call has been handed to onRecord. */
  async readToEnd(timeoutMs = this.#options.readToEndTimeoutMs ?? 30_000): Promise<void> {
    const reader = this.#reader;
    if (!reader || !this.#running) throw new ConnectException(`the log of ${this.topic} is not started`);
    if (this.#failure) throw this.#failure;
    const ends = new Map<number, bigint>();
    for (const e of await reader.endOffsets(Array.from({ length: this.#partitions }, (_, partition) => ({ topic: this.topic, partition })))) ends.set(e.partition, e.offset);
    if (this.#reached(ends)) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        reject(new ConnectException(`timed out after ${timeoutMs} ms reading topic ${this.topic} to its end`));
      }, timeoutMs);
      const waiter: EndWaiter = {
        ends,
        resolve: () => {
          clearTimeout(timer);
          if (this.#failure) reject(this.#failure);
          else resolve();
        },
      };
      this.#waiters.push(waiter);
    });
  }

  #reached(ends: Map<number, bigint>): boolean {
    for (const [p, end] of ends) if ((this.#positions.get(p) ?? 0n) < end) return false;
    return true;
  }

  async #readLoop(): Promise<void> {
    const reader = this.#reader!;
    while (this.#running) {
      let records: ConsumedRecord[];
      try {
        records = await reader.poll({ maxWaitMs: 500 });
      } catch (e) {
        if (!this.#running) return;
        // Not retriable (PartitionReader retries what can be): the store is unusable.
        this.#failure = e as Error;
        this.#log.error({ err: (e as Error).message }, "reading the topic failed");
        for (const w of this.#waiters) w.resolve();
        this.#waiters = [];
        return;
      }
      for (const r of records) {
        try {
          this.#options.onRecord(r);
        } catch (e) {
          this.#log.error({ err: (e as Error).message, offset: String(r.offset), partition: r.partition }, "a record could not be applied; skipped");
        }
        this.#positions.set(r.partition, r.offset + 1n);
      }
      // Positions can move past offsets that hold no record (transaction markers, compaction).
      for (let p = 0; p < this.#partitions && this.#waiters.length > 0; p++) {
        try {
          const pos = await reader.position({ topic: this.topic, partition: p });
          if (pos > (this.#positions.get(p) ?? 0n)) this.#positions.set(p, pos);
        } catch {
          // Closed meanwhile, or the position is being reset: the next round sees it.
        }
      }
      if (this.#waiters.length > 0) {
        const still: EndWaiter[] = [];
        for (const w of this.#waiters) {
          if (this.#reached(w.ends)) w.resolve();
          else still.push(w);
        }
        this.#waiters = still;
      }
    }
  }
}

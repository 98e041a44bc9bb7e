// Chooses the partition of each source record that names none, before it is sent, as Kafka's
// Java producer does: toPositive(murmur2(key)) % partitions for a keyed record; for a record
// without key, one partition per topic until batch.size bytes went to it, then another
// (sticky partitioning, KIP-480/KIP-794), so records without keys still make full batches.
//
// The runtime must know the partition before the send, because every produce it makes covers
// one partition only: a kafkajs send spanning partitions led by several brokers can resolve
// without the records of a broker that died mid-send (kafkajs 2.2.4 keeps a response per
// broker across retries and skips the partitions that moved to a broker that had answered;
// tulios/kafkajs#1303).
//
// The partition counts come from the producer's own metadata, reported by its partitioner
// (kafka-clients.ts) whenever it places a record: a topic whose count is unknown, or older
// than metadata.max.age.ms, has its next record placed by kafkajs (which creates the topic if
// the broker allows it) and sent alone.
import { partitionForKey } from "../../storage/kafka/murmur2.ts";

interface Sticky {
  partition: number;
  bytes: number;
}

export interface RecordPartitionerOptions {
  /** batch.size: bytes a keyless record's partition receives before the next one is picked. */
  batchSizeBytes: number;
  /** metadata.max.age.ms: how long a learned partition count is trusted. */
  metadataMaxAgeMs: number;
  /** For tests: [0, 1). */
  random?: () => number;
  now?: () => number;
}

export class RecordPartitioner {
  readonly #counts = new Map<string, { partitions: number; learnedAt: number }>();
  readonly #sticky = new Map<string, Sticky>();
  readonly #o: RecordPartitionerOptions;
  readonly #random: () => number;
  readonly #now: () => number;

  constructor(options: RecordPartitionerOptions) {
    this.#o = options;
    this.#random = options.random ?? Math.random;
    this.#now = options.now ?? Date.now;
  }

  /** The producer saw this many partitions for the topic. */
  learn(topic: string, partitions: number): void {
    if (partitions <= 0) return;
    const previous = this.#counts.get(topic);
    this.#counts.set(topic, { partitions, learnedAt: this.#now() });
    if (previous && previous.partitions !== partitions) this.#sticky.delete(topic);
  }

  /** Forgets a topic's partition count (a send to it failed in a way that may mean it changed). */
  forget(topic: string): void {
    this.#counts.delete(topic);
    this.#sticky.delete(topic);
  }

  /** The topic's partition count while it is fresh, else null. */
  partitionCount(topic: string): number | null {
    const known = this.#counts.get(topic);
    if (!known || this.#now() - known.learnedAt > this.#o.metadataMaxAgeMs) return null;
    return known.partitions;
  }

  /** The partition for a record of `bytes` bytes, or null when the topic's partition count is not known (fresh). */
  partitionFor(topic: string, key: Buffer | null, bytes: number): number | null {
    const partitions = this.partitionCount(topic);
    if (partitions === null) return null;
    if (key !== null) return partitionForKey(key, partitions);
    let sticky = this.#sticky.get(topic);
    if (!sticky || sticky.bytes >= this.#o.batchSizeBytes) {
      sticky = { partition: this.#next(partitions, sticky?.partition), bytes: 0 };
      this.#sticky.set(topic, sticky);
    }
    sticky.bytes += bytes;
    return sticky.partition;
  }

  /** A random partition, another than the previous one when there is a choice. */
  #next(partitions: number, previous: number | undefined): number {
    if (partitions === 1 || previous === undefined) return Math.floor(this.#random() * partitions);
    const pick = Math.floor(this.#random() * (partitions - 1));
    return pick >= previous ? pick + 1 : pick;
  }
}

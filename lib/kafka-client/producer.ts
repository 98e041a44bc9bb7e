// Produces record batches to one partition at a time: the source tasks' producer. The caller
// decides partitions, batching, ordering and retries (connect/runtime/tasks/worker-source-task.ts
// keeps one batch per partition in flight, as Kafka Connect's producer with
// max.in.flight.requests.per.connection=1); this module routes each batch to the partition's
// leader, turns the answer into an offset or a KafkaError, and keeps the metadata fresh when a
// leader moves or a topic appears.
//
// Topics that do not exist are created by asking for their metadata with
// allowAutoTopicCreation, as the Java producer does (the broker decides, by its
// auto.create.topics.enable).
import { ApiKey } from "../../broker/protocol/generated/index.ts";
import { ZERO_UUID } from "../../broker/protocol/primitives/reader.ts";
import { Compression } from "../../broker/protocol/records/compression.ts";
import type { KafkaClusterClient } from "./cluster.ts";
import { ConnectionError, ErrorCode, KafkaError, RequestTimeoutError } from "./errors.ts";
import { encodeRecordBatch, type ProducerRecord } from "./record-encoder.ts";

export type { ProducerRecord, ProducerRecordHeader } from "./record-encoder.ts";

/** Produce v12+ names topics by id; this producer names them, which every broker takes up to v11. */
const MAX_PRODUCE_VERSION = 11;

export interface PartitionProducerOptions {
  client: KafkaClusterClient;
  /** -1 (all in-sync replicas), 1 (the leader). */
  acks: -1 | 1;
  /** How long the broker may wait for the acks, and the request's deadline (request.timeout.ms). */
  timeoutMs: number;
  /** Kafka's codec number (broker/protocol/records/compression.ts Compression). */
  compression?: number;
  /** Whether asking about a missing topic may create it (the broker has the last word). */
  allowAutoTopicCreation?: boolean;
  /** Produce requests go on a connection of their own (see KafkaClusterClient lanes). */
  lane?: string;
}

export interface ProduceResult {
  /** Offset of the batch's first record. */
  readonly baseOffset: number;
  /** The broker's append time when the topic uses LogAppendTime, else null. */
  readonly logAppendTime: number | null;
}

/** Partition-level errors after which the leader must be looked up again. */
const STALE_METADATA_ERRORS = new Set<number>([
  ErrorCode.NOT_LEADER_OR_FOLLOWER,
  ErrorCode.LEADER_NOT_AVAILABLE,
  ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
  ErrorCode.FENCED_LEADER_EPOCH,
  ErrorCode.UNKNOWN_LEADER_EPOCH,
  ErrorCode.KAFKA_STORAGE_ERROR,
]);

export class PartitionProducer {
  readonly #o: PartitionProducerOptions;
  readonly #lane: string;
  readonly #compression: number;

  constructor(options: PartitionProducerOptions) {
    this.#o = options;
    this.#lane = options.lane ?? "produce";
    this.#compression = options.compression ?? Compression.none;
  }

  /**
   * The topic's partition count from fresh metadata (creating the topic if allowed). Rejects
   * with a retriable KafkaError while the topic has no partitions yet (being created), and a
   * non-retriable one when it cannot exist (INVALID_TOPIC_EXCEPTION, TOPIC_AUTHORIZATION_FAILED).
   */
  async partitionCount(topic: string): Promise<number> {
    let meta = await this.#o.client.refreshMetadata([topic]);
    let described = meta.topics.get(topic);
    if (described?.errorCode === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION && this.#o.allowAutoTopicCreation !== false) {
      await this.#o.client.send("any", ApiKey.Metadata, {
        topics: [{ name: topic, topicId: ZERO_UUID }],
        allowAutoTopicCreation: true,
        includeClusterAuthorizedOperations: false,
        includeTopicAuthorizedOperations: false,
      });
      meta = await this.#o.client.refreshMetadata([topic]);
      described = meta.topics.get(topic);
    }
    if (!described) throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `no metadata for topic ${topic}`);
    if (described.errorCode !== ErrorCode.NONE) throw new KafkaError(described.errorCode, `topic ${topic}: ${new KafkaError(described.errorCode).errorName}`);
    if (described.partitions.size === 0) throw new KafkaError(ErrorCode.LEADER_NOT_AVAILABLE, `topic ${topic} has no partitions yet`);
    return described.partitions.size;
  }

  /**
   * Sends the records as one batch to the partition's leader and resolves when the broker
   * acknowledged them. Rejects with a KafkaError (retriable or not, as Kafka classifies its
   * code), a ConnectionError or a RequestTimeoutError (both retriable); after any of those the
   * next send looks the leader up again.
   */
  async send(topic: string, partition: number, records: readonly ProducerRecord[]): Promise<ProduceResult> {
    const leader = await this.#leaderOf(topic, partition);
    const batch = encodeRecordBatch(records, this.#compression);
    let response;
    try {
      response = await this.#o.client.send(
        leader,
        ApiKey.Produce,
        {
          transactionalId: null,
          acks: this.#o.acks,
          timeoutMs: this.#o.timeoutMs,
          topicData: [{ name: topic, partitionData: [{ index: partition, records: batch }] }],
        },
        { lane: this.#lane, maxVersion: MAX_PRODUCE_VERSION, timeoutMs: this.#o.timeoutMs + 5000 },
      );
    } catch (err) {
      if (err instanceof ConnectionError || err instanceof RequestTimeoutError) void this.#o.client.refreshMetadata([topic]).catch(() => undefined);
      throw err;
    }
    const answer = response.responses.find((t) => t.name === topic)?.partitionResponses.find((p) => p.index === partition);
    if (!answer) throw new KafkaError(ErrorCode.UNKNOWN_SERVER_ERROR, `the broker's produce response does not mention ${topic}-${partition}`);
    if (answer.errorCode !== ErrorCode.NONE) {
      if (STALE_METADATA_ERRORS.has(answer.errorCode)) void this.#o.client.refreshMetadata([topic]).catch(() => undefined);
      const detail = answer.errorMessage ?? answer.recordErrors.map((e) => e.batchIndexErrorMessage).find((m) => m) ?? null;
      const name = new KafkaError(answer.errorCode).errorName;
      throw new KafkaError(answer.errorCode, `producing to ${topic}-${partition} failed: ${name}${detail ? ` (${detail})` : ""}`);
    }
    return { baseOffset: Number(answer.baseOffset), logAppendTime: answer.logAppendTimeMs >= 0n ? Number(answer.logAppendTimeMs) : null };
  }

  /** The partition's leader from the cached metadata, refreshed when it has none. */
  async #leaderOf(topic: string, partition: number): Promise<number> {
    const cached = this.#o.client.cachedMetadata().topics.get(topic)?.partitions.get(partition);
    if (cached && cached.leaderId >= 0) return cached.leaderId;
    const meta = await this.#o.client.refreshMetadata([topic]);
    const described = meta.topics.get(topic);
    if (described && described.errorCode !== ErrorCode.NONE && described.errorCode !== ErrorCode.LEADER_NOT_AVAILABLE) {
      throw new KafkaError(described.errorCode, `topic ${topic}: ${new KafkaError(described.errorCode).errorName}`);
    }
    const fresh = described?.partitions.get(partition);
    if (described && described.partitions.size > 0 && !fresh) {
      throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `topic ${topic} has no partition ${partition} (it has ${described.partitions.size})`);
    }
    if (!fresh || fresh.leaderId < 0) throw new KafkaError(ErrorCode.LEADER_NOT_AVAILABLE, `${topic}-${partition} has no leader right now`);
    return fresh.leaderId;
  }
}

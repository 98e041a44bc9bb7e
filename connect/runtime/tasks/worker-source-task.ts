// A running source task (Kafka's WorkerSourceTask, at-least-once mode).
//
// The poll loop calls poll(), runs each record through the transformation chain and the header,
// key and value converters (with the connector's error handling), and queues the bytes; a sender
// loop writes the queue to Kafka in batches, with acks=all by default. Each batch is split by
// partition (records without one get theirs as the Java producer would pick it, see
// record-partitioner.ts) and each partition's records go as one record batch to its leader
// (lib/kafka-client's PartitionProducer), all partitions at once; the next batch waits until the
// whole batch is acknowledged, so records of a partition keep their order even through retries.
// Polling stops while more than `buffer.memory` bytes are unacknowledged (backpressure).
//
// At-least-once: every record is tracked per source partition (SubmittedRecords) from the moment
// it is polled; its offset becomes committable once it and all earlier records of its partition
// are acknowledged by Kafka — or need no acknowledgement: dropped by a transformation, or failed
// and tolerated (errors.tolerance=all; then once the dead letter queue, if any, acknowledged it).
// Every offset.flush.interval.ms, and when the task stops (after waiting up to
// offset.flush.timeout.ms for outstanding records), the committable offsets go through the
// OffsetStorageWriter to the offset store, and then task.commit() is called. A crash can thus
// repeat records, never lose them. commitRecord(record, metadata) is called as each record is
// acknowledged (metadata null for dropped and skipped records).
//
// Producer errors: retriable ones (connection loss, leader changes, a topic not yet there) retry
// the same batch forever with a capped backoff, as Kafka Connect's producer does
// (delivery.timeout.ms = MAX); others fail the task ("Unrecoverable exception from producer send
// callback"), or with errors.tolerance=all are logged (stage KAFKA_PRODUCE) and the records skipped.
//
// Kafka differences: records dropped by a transformation have their offsets committed (Kafka's
// at-least-once task only calls commitRecord for them); topics.regex-style dynamic behaviour does
// not apply to sources.
import type { Admin } from "kafkajs";
import type { KafkaClusterClient, PartitionProducer, ProducerRecord, ProduceResult } from "../../../lib/kafka-client/index.ts";
import { ConnectException, DataException, type RecordHeader, type RecordMetadata, type SourceRecord, type SourceTask, type SourceTaskContext } from "../../api/index.ts";
import { JsonConverter } from "../../converters/json-converter.ts";
import type { DlqRecord } from "../errors/dead-letter-queue-reporter.ts";
import { ProcessingContext, Stage } from "../errors/processing-context.ts";
import { FAILED, type Failed, isRetriableException, type RetryWithToleranceOperator } from "../errors/retry-with-tolerance-operator.ts";
import type { ProducerSettings } from "../kafka-clients.ts";
import { isRetriableKafkaError, isTooLargeError, sleep } from "../kafka-errors.ts";
import type { OffsetStorageReaderImpl, OffsetStorageWriter } from "../offset-storage.ts";
import type { TaskConverters } from "../task-converters.ts";
import type { TransformationChain } from "../transformation-chain.ts";
import type { RecordPartitioner } from "./record-partitioner.ts";
import { SubmittedRecords, type SubmittedRecord } from "./submitted-records.ts";
import type { TopicCreation } from "./topic-creation.ts";
import { WorkerTask, type WorkerTaskOptions } from "./worker-task.ts";

/** The class Kafka names as the executing class of producer failures. */
const WORKER_SOURCE_TASK_CLASS = "org.apache.kafka.connect.runtime.WorkerSourceTask";
/** Most records taken from the queue for one round of sends. */
const MAX_BATCH_MESSAGES = 5000;
/** Per-record overhead counted against max.request.size (record framing). */
const RECORD_OVERHEAD_BYTES = 70;
/**
 * What an unacknowledged record costs besides its bytes, counted against buffer.memory: the heap
 * the runtime holds for it (the SourceRecord for commitRecord, the Kafka message, its tracking),
 * so that buffer.memory bounds the worker's memory as it bounds a Java producer's.
 */
const RECORD_MEMORY_OVERHEAD_BYTES = 512;
/** A poll that returned nothing this fast is followed by a short rest, so a connector that never waits does not spin. */
const EMPTY_POLL_REST_MS = 50;

export interface WorkerSourceTaskOptions extends WorkerTaskOptions {
  task: SourceTask;
  taskConfig: Record<string, string>;
  converters: TaskConverters;
  chain: TransformationChain<SourceRecord>;
  operator: RetryWithToleranceOperator;
  producer: PartitionProducer;
  /** The producer's client, closed with the task. */
  producerClient: KafkaClusterClient;
  producerSettings: ProducerSettings;
  /** Places records without a partition, from the partition counts the producer looks up. */
  partitioner: RecordPartitioner;
  /** For topic creation; null when the connector does not create topics. */
  admin: Admin | null;
  topicCreation: TopicCreation | null;
  offsetReader: OffsetStorageReaderImpl;
  offsetWriter: OffsetStorageWriter;
  offsetFlushIntervalMs: number;
  offsetFlushTimeoutMs: number;
}

/** A converted record waiting for its acknowledgement; it is what the producer encodes. */
interface Outgoing extends ProducerRecord {
  readonly record: SourceRecord;
  readonly topic: string;
  /** The record's own partition, or the one chosen for it before its first send. */
  partition: number | null;
  readonly bytes: number;
  readonly submitted: SubmittedRecord;
}

export class WorkerSourceTask extends WorkerTask {
  readonly #o: WorkerSourceTaskOptions;
  readonly #submitted = new SubmittedRecords();
  #queue: Outgoing[] = [];
  #outstandingBytes = 0;
  #pollDone = false;
  #producerError: Error | null = null;
  #senderDone: Promise<void> | null = null;
  #senderWake: (() => void) | null = null;
  #commitTimer: NodeJS.Timeout | null = null;
  #committing: Promise<boolean> | null = null;
  #taskStopped = false;
  #startFinished = false;
  readonly #activeTopics = new Set<string>();
  readonly #cancel = new AbortController();

  constructor(options: WorkerSourceTaskOptions) {
    super(options);
    this.#o = options;
  }

  /** Records polled and not yet acknowledged (or dropped). */
  get outstandingRecords(): number {
    return this.#submitted.pending;
  }

  protected override async doStart(): Promise<void> {
    const context: SourceTaskContext = {
      configs: () => this.#o.taskConfig,
      offsetStorageReader: () => this.#o.offsetReader,
    };
    this.#o.task.initialize(context);
    await this.#o.task.start(this.#o.taskConfig);
    this.#startFinished = true;
    // stop() may have come while start() ran: the task is stopped now that it can be.
    if (this.stopping) await this.#tryStopTask();
  }

  protected override onStopRequested(): void {
    this.#wakeSender();
    if (this.#startFinished) void this.#tryStopTask();
  }

  protected override onCancel(): void {
    this.#cancel.abort();
    this.#o.offsetReader.close();
    void this.#o.producerClient.close().catch(() => {});
  }

  protected override onTargetStateChange(): void {
    this.wake();
  }

  protected override async execute(): Promise<void> {
    this.#senderDone = this.#sendLoop();
    this.#commitTimer = setInterval(() => {
      void this.#commitOffsets();
    }, this.#o.offsetFlushIntervalMs);
    this.#commitTimer.unref();
    let failure: unknown = null;
    try {
      await this.#pollLoop();
    } catch (e) {
      failure = e;
    }
    this.#pollDone = true;
    this.#wakeSender();
    if (!this.cancelled) {
      // Give outstanding records offset.flush.timeout.ms to be acknowledged (none will be after a
      // fatal producer error), then commit what is.
      const drained = this.#producerError === null && (await this.#submitted.awaitAll(this.#o.offsetFlushTimeoutMs));
      if (!drained) this.log.warn({ outstanding: this.#submitted.pending }, "records still unacknowledged at shutdown; their offsets are not committed");
      await this.#commitOffsets();
    }
    if (failure !== null) throw failure;
  }

  protected override async close(): Promise<void> {
    if (this.#commitTimer) clearInterval(this.#commitTimer);
    this.#pollDone = true;
    this.#cancel.abort();
    this.#wakeSender();
    await this.#tryStopTask();
    this.#o.offsetReader.close();
    await this.#o.producerClient.close().catch((e: unknown) => this.log.warn({ err: e }, "could not close the producer"));
    if (this.#o.admin) await this.#o.admin.disconnect().catch(() => {});
    await this.#senderDone?.catch(() => {});
    await this.closePipeline(this.#o.chain, this.#o.operator, this.#o.converters);
  }

  async #tryStopTask(): Promise<void> {
    if (this.#taskStopped || !this.#startFinished) return;
    this.#taskStopped = true;
    try {
      await this.#o.task.stop();
    } catch (e) {
      this.log.warn({ err: e }, "Could not stop task");
    }
  }

  async #pollLoop(): Promise<void> {
    const { task, producerSettings } = this.#o;
    while (!this.stopping) {
      if (this.paused) {
        await this.waitForStateChange();
        continue;
      }
      if (this.#producerError !== null) throw new ConnectException("Unrecoverable exception from producer send callback", { cause: this.#producerError });
      if (this.#outstandingBytes >= producerSettings.bufferMemory) {
        await this.waitForStateChange(1000);
        continue;
      }
      const started = performance.now();
      let records: SourceRecord[] | null;
      try {
        records = await task.poll();
      } catch (e) {
        if (!isRetriableException(e)) throw e;
        this.log.warn({ err: e }, "failed to poll records from SourceTask. Will retry operation.");
        records = null;
      }
      const elapsed = performance.now() - started;
      if (!records || records.length === 0) {
        if (elapsed < 1 && !this.stopping) await sleep(EMPTY_POLL_REST_MS, this.abort.signal);
        continue;
      }
      this.taskMetrics.sourceRecordPoll.inc(records.length);
      this.taskMetrics.pollBatchSeconds.observe(elapsed / 1000);
      this.taskMetrics.batchSize.observe(records.length);
      for (const record of records) {
        const pending = this.#prepare(record);
        if (pending) await pending;
      }
      this.taskMetrics.sourceRecordActive.set(this.#submitted.pending);
      this.#wakeSender();
    }
  }

  /**
   * Transforms and converts one record and queues it for sending (or settles it when it goes
   * nowhere). Synchronous while every step is (the common case): a promise only when a step
   * failed, is asynchronous, or a topic must be created first.
   */
  #prepare(record: SourceRecord): void | Promise<void> {
    const { chain, operator } = this.#o;
    const submitted = this.#submitted.submit(record.sourcePartition, record.sourceOffset);
    let context: ProcessingContext | null = null;
    const ctx = (): ProcessingContext => (context ??= new ProcessingContext({ sourceRecord: record }));
    const transformed = chain.isEmpty ? record : chain.applyFast(record, operator, ctx);
    if (transformed instanceof Promise) return transformed.then((t) => this.#convert(record, submitted, ctx, t));
    return this.#convert(record, submitted, ctx, transformed);
  }

  #convert(record: SourceRecord, submitted: SubmittedRecord, ctx: () => ProcessingContext, transformed: SourceRecord | null | Failed): void | Promise<void> {
    if (transformed === FAILED) return this.#skipFailed(record, submitted, ctx());
    if (transformed === null) {
      submitted.ack();
      this.#commitRecord(record, null);
      return;
    }
    const { operator, converters } = this.#o;
    const topic = transformed.topic;
    const headers = operator.run(ctx, Stage.HEADER_CONVERTER, converters.headerClass, () => this.#convertHeaders(transformed));
    if (headers instanceof Promise) return this.#convertAsync(record, submitted, ctx, transformed, headers);
    const key = operator.run(ctx, Stage.KEY_CONVERTER, converters.keyClass, () => converters.key.fromConnectData(topic, headers, transformed.keySchema, transformed.key));
    if (key instanceof Promise) return this.#convertAsync(record, submitted, ctx, transformed, headers, key);
    const value = operator.run(ctx, Stage.VALUE_CONVERTER, converters.valueClass, () => converters.value.fromConnectData(topic, headers, transformed.valueSchema, transformed.value));
    if (value instanceof Promise) return this.#convertAsync(record, submitted, ctx, transformed, headers, key, value);
    return this.#enqueue(record, submitted, transformed, headers, key, value);
  }

  /** The rest of #convert once a step went asynchronous. */
  async #convertAsync(
    record: SourceRecord,
    submitted: SubmittedRecord,
    ctx: () => ProcessingContext,
    transformed: SourceRecord,
    pendingHeaders: RecordHeader[] | Promise<RecordHeader[] | Failed>,
    pendingKey?: Buffer | null | Promise<Buffer | null | Failed>,
    pendingValue?: Buffer | null | Promise<Buffer | null | Failed>,
  ): Promise<void> {
    const { operator, converters } = this.#o;
    const topic = transformed.topic;
    const headers = await pendingHeaders;
    if (headers === FAILED) return this.#skipFailed(record, submitted, ctx());
    const key = await (pendingKey !== undefined ? pendingKey : operator.run(ctx, Stage.KEY_CONVERTER, converters.keyClass, () => converters.key.fromConnectData(topic, headers, transformed.keySchema, transformed.key)));
    if (key === FAILED) return this.#skipFailed(record, submitted, ctx());
    const value = await (pendingValue !== undefined ? pendingValue : operator.run(ctx, Stage.VALUE_CONVERTER, converters.valueClass, () => converters.value.fromConnectData(topic, headers, transformed.valueSchema, transformed.value)));
    if (value === FAILED) return this.#skipFailed(record, submitted, ctx());
    await this.#enqueue(record, submitted, transformed, headers, key, value);
  }

  #enqueue(record: SourceRecord, submitted: SubmittedRecord, transformed: SourceRecord, headers: RecordHeader[], key: Buffer | null, value: Buffer | null): void | Promise<void> {
    const topic = transformed.topic;
    const creation = this.#o.topicCreation;
    if (creation !== null && this.#o.admin !== null && !creation.isKnown(topic)) {
      return this.#maybeCreateTopic(topic).then(() => this.#enqueue(record, submitted, transformed, headers, key, value));
    }
    const timestamp = checkTimestamp(transformed.timestamp);
    let bytes = RECORD_OVERHEAD_BYTES + (key?.length ?? 0) + (value?.length ?? 0);
    for (const h of headers) bytes += h.key.length + (h.value?.length ?? 0);
    this.#queue.push({ record, topic, partition: transformed.kafkaPartition, key, value, headers, timestamp, bytes, submitted });
    this.#outstandingBytes += bytes + RECORD_MEMORY_OVERHEAD_BYTES;
  }

  #convertHeaders(record: SourceRecord): RecordHeader[] {
    const out: RecordHeader[] = [];
    for (const header of record.headers) {
      out.push({ key: header.key, value: this.#o.converters.header.fromConnectHeader(record.topic, header.key, header.schema, header.value) });
    }
    return out;
  }

  /** A record whose failure was tolerated: its offset may be committed once it has been reported. */
  #skipFailed(record: SourceRecord, submitted: SubmittedRecord, context: ProcessingContext): void {
    void (context.reported ?? Promise.resolve()).then(() => {
      submitted.ack();
      this.#commitRecord(record, null);
      this.taskMetrics.sourceRecordActive.set(this.#submitted.pending);
    });
  }

  async #maybeCreateTopic(topic: string): Promise<void> {
    const { topicCreation, admin } = this.#o;
    if (topicCreation === null || admin === null || topicCreation.isKnown(topic)) return;
    this.log.info({ topic }, `The task will send records to topic '${topic}' for the first time. Checking whether topic exists`);
    await admin.connect();
    const existing = await admin.listTopics();
    if (existing.includes(topic)) {
      this.log.info({ topic }, `Topic '${topic}' already exists.`);
      topicCreation.markKnown(topic);
      return;
    }
    const spec = topicCreation.newTopic(topic);
    const group = topicCreation.groupFor(topic).name;
    try {
      const created = await admin.createTopics({
        waitForLeaders: true,
        topics: [{ topic, numPartitions: spec.numPartitions, replicationFactor: spec.replicationFactor, configEntries: [...spec.configEntries] }],
      });
      topicCreation.markKnown(topic);
      this.log.info({ topic, group, partitions: spec.numPartitions, replicationFactor: spec.replicationFactor }, created ? `Created topic '${topic}' using creation group ${group}` : `Found existing topic '${topic}'`);
    } catch (e) {
      throw new ConnectException(`Task failed to create new topic ${topic}. Ensure that the task is authorized to create topics or that the topic exists and restart the task`, { cause: e });
    }
  }

  #commitRecord(record: SourceRecord, metadata: RecordMetadata | null): void {
    try {
      const result = this.#o.task.commitRecord(record, metadata);
      if (result instanceof Promise) result.catch((e: unknown) => this.log.error({ err: e }, "Exception thrown while calling task.commitRecord()"));
    } catch (e) {
      this.log.error({ err: e }, "Exception thrown while calling task.commitRecord()");
    }
  }

  #wakeSender(): void {
    const wake = this.#senderWake;
    this.#senderWake = null;
    wake?.();
  }

  #waitForWork(): Promise<void> {
    return new Promise((resolve) => {
      this.#senderWake = resolve;
    });
  }

  #takeBatch(): Outgoing[] {
    const max = this.#o.producerSettings.maxRequestBytes;
    let bytes = 0;
    let n = 0;
    while (n < this.#queue.length && n < MAX_BATCH_MESSAGES) {
      const next = (this.#queue[n] as Outgoing).bytes;
      if (n > 0 && bytes + next > max) break;
      bytes += next;
      n++;
    }
    return this.#queue.splice(0, n);
  }

  async #sendLoop(): Promise<void> {
    for (;;) {
      if (this.#queue.length === 0) {
        if (this.#pollDone || this.#cancel.signal.aborted) return;
        await this.#waitForWork();
        continue;
      }
      if (this.#producerError !== null || this.#cancel.signal.aborted) return;
      const batch = this.#takeBatch();
      await this.#send(batch);
      this.#release(batch);
    }
  }

  /**
   * Sends a batch: every record gets its partition (looking up the partition count of topics
   * not known yet), then each partition's records go as one record batch, all partitions at
   * once. Resolves when every send is settled (acknowledged or failed).
   */
  async #send(batch: Outgoing[]): Promise<void> {
    const { partitioner } = this.#o;
    const unplaceable = new Set<string>();
    for (const o of batch) {
      if (o.partition !== null || unplaceable.has(o.topic)) continue;
      let partition = partitioner.partitionFor(o.topic, o.key, o.bytes);
      if (partition === null) {
        if (!(await this.#learnPartitionCount(o.topic, batch))) {
          unplaceable.add(o.topic);
          continue;
        }
        partition = partitioner.partitionFor(o.topic, o.key, o.bytes);
      }
      o.partition = partition;
    }
    const byPartition = new Map<string, Outgoing[]>();
    for (const o of batch) {
      if (o.partition === null) continue; // its topic failed, and the records were settled
      const key = `${o.partition}\u0000${o.topic}`;
      let list = byPartition.get(key);
      if (!list) byPartition.set(key, (list = []));
      list.push(o);
    }
    await Promise.all([...byPartition.values()].map((list) => this.#sendPartition(list)));
  }

  /**
   * Looks up a topic's partition count (creating the topic if the broker allows it) and teaches
   * it to the partitioner; retriable failures are retried. False when the topic cannot be
   * written: the batch's records for it were failed (or skipped, with errors.tolerance=all).
   */
  async #learnPartitionCount(topic: string, batch: Outgoing[]): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      if (this.#cancel.signal.aborted || this.#producerError !== null) return false;
      try {
        this.#o.partitioner.learn(topic, await this.#o.producer.partitionCount(topic));
        return true;
      } catch (e) {
        if (this.#cancel.signal.aborted) return false;
        if (isRetriableKafkaError(e)) {
          this.log.warn({ err: e, attempt, topic }, "Could not look up the topic's partitions, backing off before retrying");
          await sleep(Math.min(100 * 2 ** attempt, 5000), this.#cancel.signal);
          continue;
        }
        await this.#onSendFailed(batch.filter((o) => o.topic === topic && o.partition === null), e instanceof Error ? e : new Error(String(e)));
        return false;
      }
    }
  }

  /**
   * Sends records of one partition until Kafka acknowledges them (retriable errors are retried)
   * or refuses them. A multi-record send refused as too large is split into single records, as
   * Java's producer splits a batch on MESSAGE_TOO_LARGE, so only the record that is really too
   * large fails.
   */
  async #sendPartition(records: Outgoing[]): Promise<void> {
    const { producer } = this.#o;
    const first = records[0] as Outgoing;
    const topic = first.topic;
    const partition = first.partition as number;
    for (let attempt = 0; ; attempt++) {
      if (this.#cancel.signal.aborted || this.#producerError !== null) return;
      try {
        const result = await producer.send(topic, partition, records);
        this.#onAcked(records, partition, result);
        return;
      } catch (e) {
        if (this.#cancel.signal.aborted) return;
        if (isRetriableKafkaError(e)) {
          this.log.warn({ err: e, attempt, topic, partition }, "Failed to send records to Kafka, backing off before retrying");
          await sleep(Math.min(100 * 2 ** attempt, 5000), this.#cancel.signal);
          continue;
        }
        if (records.length > 1 && isTooLargeError(e)) {
          for (const o of records) await this.#sendPartition([o]);
          return;
        }
        // A partition the topic may no longer have: look the count up again before the next record.
        this.#o.partitioner.forget(topic);
        await this.#onSendFailed(records, e instanceof Error ? e : new Error(String(e)));
        return;
      }
    }
  }

  #release(batch: Outgoing[]): void {
    for (const o of batch) this.#outstandingBytes -= o.bytes + RECORD_MEMORY_OVERHEAD_BYTES;
    this.taskMetrics.sourceRecordActive.set(this.#submitted.pending);
    this.wake();
  }

  #onAcked(batch: Outgoing[], partition: number, result: ProduceResult): void {
    let offset = result.baseOffset;
    for (const o of batch) {
      const timestamp = result.logAppendTime ?? o.timestamp;
      o.submitted.ack();
      this.#commitRecord(o.record, { topic: o.topic, partition, offset: offset >= 0 ? offset++ : -1, timestamp });
      if (!this.#activeTopics.has(o.topic)) {
        this.#activeTopics.add(o.topic);
        try {
          this.listener.onTopicActive(this.id.connector, o.topic);
        } catch (e) {
          this.log.warn({ err: e }, "status listener failed");
        }
      }
    }
    this.taskMetrics.sourceRecordWrite.inc(batch.length);
  }

  async #onSendFailed(batch: Outgoing[], error: Error): Promise<void> {
    this.log.error({ err: error, records: batch.length }, `failed to send records to ${[...new Set(batch.map((o) => o.topic))].join(", ")}`);
    const { operator } = this.#o;
    if (operator.tolerance !== "all") {
      this.#producerError = error;
      this.wake();
      return;
    }
    for (const o of batch) {
      const context = new ProcessingContext({ sourceRecord: o.record });
      try {
        await operator.executeFailed(context, Stage.KAFKA_PRODUCE, WORKER_SOURCE_TASK_CLASS, error);
      } catch (e) {
        this.#producerError = e instanceof Error ? e : error;
        this.wake();
        return;
      }
      o.submitted.ack();
      this.#commitRecord(o.record, null);
    }
  }

  /** Commits the offsets of acknowledged records, then calls task.commit(). Resolves true on success. */
  #commitOffsets(): Promise<boolean> {
    this.#committing ??= this.#doCommitOffsets().finally(() => {
      this.#committing = null;
    });
    return this.#committing;
  }

  async #doCommitOffsets(): Promise<boolean> {
    const { offsetWriter, task } = this.#o;
    const started = performance.now();
    const committable = this.#submitted.committableOffsets();
    for (const { partition, offset } of committable.offsets) offsetWriter.offset(partition, offset);
    if (committable.uncommittableMessages > 0) this.log.debug({ pending: committable.uncommittableMessages }, "records still outstanding: their offsets wait for the next commit");
    let flushing: boolean;
    try {
      flushing = offsetWriter.beginFlush();
      if (flushing) await offsetWriter.doFlush();
    } catch (e) {
      this.taskMetrics.offsetCommitFailure.inc();
      this.taskMetrics.offsetCommitSeconds.observe((performance.now() - started) / 1000);
      this.log.error({ err: e }, "Failed to flush offsets to storage; will try again on the next flush interval with the latest offsets");
      return false;
    }
    this.taskMetrics.offsetCommitSuccess.inc();
    this.taskMetrics.offsetCommitSeconds.observe((performance.now() - started) / 1000);
    if (flushing) this.log.debug({ records: committable.committableMessages, partitions: committable.offsets.length }, "committed offsets");
    try {
      await task.commit();
    } catch (e) {
      this.log.error({ err: e }, "Exception thrown while calling task.commit()");
    }
    return true;
  }
}

/** Kafka's ConnectUtils.checkAndConvertTimestamp: null and -1 (no timestamp) let the producer stamp it. */
function checkTimestamp(timestamp: number | null): number | null {
  if (timestamp === null || timestamp >= 0) return timestamp;
  if (timestamp === -1) return null;
  throw new DataException(`Invalid record timestamp ${timestamp}`);
}

const schemalessJson = new JsonConverter();
schemalessJson.configure({ "schemas.enable": "false" }, false);

/**
 * What the source dead letter queue holds of a record (see dead-letter-queue-reporter.ts): key
 * and value through the connector's converters, else as schemaless JSON, else null; headers
 * through the header converter, those that fail left out.
 */
export function sourceRecordSerializer(converters: TaskConverters): (record: SourceRecord) => Promise<Omit<DlqRecord, "timestamp">> {
  // The first way that works: the connector's converter, JSON without the schema envelope (the
  // record's schema still shapes structs), JSON of the bare value.
  const serialize = async (ways: Array<() => unknown>): Promise<Buffer | null> => {
    for (const way of ways) {
      try {
        return (await way()) as Buffer | null;
      } catch {
        // try the next way
      }
    }
    return null;
  };
  return async (record) => {
    const headers: RecordHeader[] = [];
    for (const h of record.headers) {
      try {
        headers.push({ key: h.key, value: converters.header.fromConnectHeader(record.topic, h.key, h.schema, h.value) });
      } catch {
        // A header the converter refuses is left out.
      }
    }
    const key = await serialize([
      () => converters.key.fromConnectData(record.topic, headers, record.keySchema, record.key),
      () => schemalessJson.fromConnectData(record.topic, null, record.keySchema, record.key),
      () => schemalessJson.fromConnectData(record.topic, null, null, record.key),
    ]);
    const value = await serialize([
      () => converters.value.fromConnectData(record.topic, headers, record.valueSchema, record.value),
      () => schemalessJson.fromConnectData(record.topic, null, record.valueSchema, record.value),
      () => schemalessJson.fromConnectData(record.topic, null, null, record.value),
    ]);
    return { key, value, headers };
  };
}

// A running sink task (Kafka's WorkerSinkTask).
//
// A kafkajs consumer in the group connect-<connector> (or consumer.override.group.id) reads
// `topics` or `topics.regex` with auto commit off, from the earliest offset when the group has
// none (Kafka Connect's default). Each fetched batch is cut into chunks of max.poll.records; each
// record goes through the key, value and header converters and the transformation chain (with the
// connector's error handling: tolerated failures are skipped, and sent to the dead letter queue as
// the bytes that were read), and the chunk is handed to put().
//
// At-least-once: consumer offsets are committed only through preCommit(currentOffsets) — whose
// default flushes — every offset.flush.interval.ms, when the task asks (requestCommit), before a
// rebalance and when the task stops, and only once the dead letter queue has acknowledged what was
// reported to it. A preCommit that throws rewinds the consumer to the last committed offsets, so
// everything since is delivered again; one that returns [] commits nothing.
//
// put() throwing a RetriableException: the same records are delivered again after
// context.timeout(ms) (or, without one, at the next offset commit time), as Kafka pauses the
// consumer and redelivers its batch; anything else fails the task.
//
// Partitions: open() when assigned, close() (after a commit) when revoked; kafkajs' rebalances are
// eager, so on each one the partitions a task keeps are read again from their committed offsets.
// context.offset() seeks, context.pause()/resume() pause partitions, the target state PAUSED pauses
// them all (the consumer stays in its group).
//
// Kafka differences: put() is called with no records once per offset.flush.interval.ms when no
// data came (Kafka calls it after every empty poll); topics.regex is matched against the topics
// that exist when the task starts (kafkajs subscribes once), a topic created later is picked up
// when the task restarts.
import type { Consumer, EachBatchPayload, KafkaMessage } from "kafkajs";
import {
  ConnectException,
  type ErrantRecordReporter,
  Headers,
  type RecordHeader,
  type SchemaAndValue,
  SinkRecord,
  type SinkTask,
  type SinkTaskContext,
  TimestampType,
  type TopicPartition,
  type TopicPartitionOffset,
} from "../../api/index.ts";
import { type ConsumedRecord, ProcessingContext, Stage } from "../errors/processing-context.ts";
import { FAILED, type Failed, isRetriableException, type RetryWithToleranceOperator } from "../errors/retry-with-tolerance-operator.ts";
import type { ConsumerSettings } from "../kafka-clients.ts";
import { sleep } from "../kafka-errors.ts";
import { fromKafkajsHeaders } from "../record-headers.ts";
import type { TaskConverters } from "../task-converters.ts";
import type { TransformationChain } from "../transformation-chain.ts";
import { WorkerTask, type WorkerTaskOptions } from "./worker-task.ts";

/** The executing class Kafka reports for errant records (KIP-610). */
const SINK_TASK_CLASS = "org.apache.kafka.connect.sink.SinkTask";

export interface WorkerSinkTaskOptions extends WorkerTaskOptions {
  task: SinkTask;
  taskConfig: Record<string, string>;
  converters: TaskConverters;
  chain: TransformationChain<SinkRecord>;
  operator: RetryWithToleranceOperator;
  consumer: Consumer;
  consumerSettings: ConsumerSettings;
  /** `topics`, or null with topicsRegex. */
  topics: string[] | null;
  topicsRegex: RegExp | null;
  offsetFlushIntervalMs: number;
  /** KIP-610: the task gets an errant record reporter (a DLQ topic is set, or errors are logged). */
  errantRecordReporter: boolean;
}

const tpKey = (topic: string, partition: number): string => `${partition}\u0000${topic}`;

/** Runs functions one at a time, in call order. */
class SerialLock {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(fn);
    this.#tail = result.catch(() => {});
    return result;
  }
}

export class WorkerSinkTask extends WorkerTask {
  readonly #o: WorkerSinkTaskOptions;
  readonly #lock = new SerialLock();
  #assignment = new Map<string, TopicPartition>();
  #currentOffsets = new Map<string, TopicPartitionOffset>();
  #lastCommitted = new Map<string, TopicPartitionOffset>();
  readonly #rewinds = new Map<string, TopicPartitionOffset>();
  readonly #taskPaused = new Map<string, TopicPartition>();
  #contextTimeoutMs = -1;
  #commitRequested = false;
  #nextCommit = 0;
  #commitSeqNo = 0;
  #deliveredSinceTick = false;
  #uncommittedRecords = 0;
  #running = false;
  #rebalanceError: Error | null = null;
  #taskStarted = false;
  #timer: NodeJS.Timeout | null = null;
  readonly #consumedOf = new WeakMap<SinkRecord, ConsumedRecord>();
  readonly #activeTopics = new Set<string>();
  #lastBatch: ConsumedRecord[] = [];

  constructor(options: WorkerSinkTaskOptions) {
    super(options);
    this.#o = options;
  }

  /** The partitions assigned to this task. */
  assignment(): TopicPartition[] {
    return [...this.#assignment.values()];
  }

  protected override async doStart(): Promise<void> {
    const { task, taskConfig, consumer, consumerSettings, topics, topicsRegex } = this.#o;
    task.initialize(this.#context());
    await task.start(taskConfig);
    this.#taskStarted = true;
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      void this.#lock.run(() => this.#onAssignment(event.payload.memberAssignment)).catch((e: unknown) => this.failFromOutside(asError(e)));
    });
    consumer.on(consumer.events.REBALANCING, () => {
      // Kafka commits in onPartitionsRevoked, before rejoining: the group still accepts the
      // current generation's commits while it prepares the rebalance.
      void this.#lock.run(() => this.#commitOffsets(true)).catch(() => {});
    });
    consumer.on(consumer.events.CRASH, (event) => {
      const { error, restart } = event.payload;
      if (!restart && !this.stopping) this.failFromOutside(new ConnectException("The task's Kafka consumer failed", { cause: error }));
    });
    await consumer.connect();
    await consumer.subscribe({ topics: topics ?? [topicsRegex as RegExp], fromBeginning: consumerSettings.fromBeginning });
    this.#nextCommit = Date.now() + this.#o.offsetFlushIntervalMs;
    // The first assignment (open(), pauses, seeks) comes while run() joins the group.
    this.#running = true;
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: (payload) => this.#eachBatch(payload),
    });
  }

  protected override async execute(): Promise<void> {
    const tick = Math.max(10, Math.min(this.#o.offsetFlushIntervalMs, 1000));
    this.#timer = setInterval(() => {
      void this.#lock.run(() => this.#onTick()).catch((e: unknown) => this.failFromOutside(asError(e)));
    }, tick);
    this.#timer.unref();
    while (!this.stopping) await this.waitForStateChange();
  }

  protected override onTargetStateChange(): void {
    void this.#lock.run(async () => this.#applyPauses());
  }

  protected override onCancel(): void {
    void this.#o.consumer.disconnect().catch(() => {});
  }

  protected override async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    const { consumer, task } = this.#o;
    if (this.#running && !this.cancelled) {
      await this.#lock
        .run(async () => {
          this.#pauseAll();
          await this.#commitOffsets(true);
          const partitions = this.assignment();
          if (partitions.length > 0) await task.close(partitions);
          this.#assignment.clear();
        })
        .catch((e: unknown) => this.log.warn({ err: e }, "could not commit offsets and close partitions at shutdown"));
    }
    if (this.#taskStarted) {
      try {
        await task.stop();
      } catch (e) {
        this.log.warn({ err: e }, "Could not stop task");
      }
    }
    await consumer.disconnect().catch((e: unknown) => this.log.warn({ err: e }, "could not close the consumer"));
    try {
      this.#o.chain.close();
    } catch (e) {
      this.log.warn({ err: e }, "could not close the transformation chain");
    }
    await this.#o.operator.close().catch((e: unknown) => this.log.warn({ err: e }, "could not close the error reporters"));
    for (const c of [this.#o.converters.key, this.#o.converters.value, this.#o.converters.header]) {
      try {
        c.close();
      } catch {
        // Converters hold nothing that outlives the task.
      }
    }
    this.taskMetrics.remove();
  }

  #context(): SinkTaskContext {
    const reporter = this.#o.errantRecordReporter ? this.#errantRecordReporter() : null;
    const offset = (first: readonly TopicPartitionOffset[] | TopicPartition, second?: number): void => {
      const list = Array.isArray(first) ? (first as readonly TopicPartitionOffset[]) : [{ ...(first as TopicPartition), offset: second as number }];
      for (const o of list) this.#rewinds.set(tpKey(o.topic, o.partition), { topic: o.topic, partition: o.partition, offset: o.offset });
    };
    return {
      configs: () => this.#o.taskConfig,
      offset,
      timeout: (ms) => {
        this.#contextTimeoutMs = ms;
      },
      assignment: () => this.assignment(),
      pause: (...partitions) => {
        for (const p of partitions) {
          if (!this.#assignment.has(tpKey(p.topic, p.partition))) throw new ConnectException(`Cannot pause partition ${p.topic}-${p.partition}: it is not assigned to this task`);
          this.#taskPaused.set(tpKey(p.topic, p.partition), p);
        }
        this.#pause(partitions);
      },
      resume: (...partitions) => {
        for (const p of partitions) this.#taskPaused.delete(tpKey(p.topic, p.partition));
        if (!this.paused) this.#resume(partitions);
      },
      requestCommit: () => {
        this.#commitRequested = true;
      },
      errantRecordReporter: () => reporter,
    };
  }

  #errantRecordReporter(): ErrantRecordReporter {
    return {
      report: (record, error) => {
        const result = this.#reportErrant(record, error);
        // A task that does not await the report must not get an unhandled rejection: a failure
        // beyond the tolerance also fails the task after put() returns.
        result.catch(() => {});
        return result;
      },
    };
  }

  async #reportErrant(record: SinkRecord, error: Error): Promise<void> {
    const consumed = this.#consumedOf.get(record) ?? this.#lastBatch.find((c) => c.topic === record.originalTopic && c.partition === record.originalKafkaPartition && c.offset === record.originalKafkaOffset) ?? (await this.#reserialize(record));
    const context = new ProcessingContext({ consumerRecord: consumed });
    await this.#o.operator.executeFailed(context, Stage.TASK_PUT, SINK_TASK_CLASS, error);
  }

  /** The bytes of a record the task made itself (Kafka's WorkerErrantRecordReporter does the same). */
  async #reserialize(record: SinkRecord): Promise<ConsumedRecord> {
    const { converters } = this.#o;
    const headers: RecordHeader[] = [];
    for (const h of record.headers) headers.push({ key: h.key, value: converters.header.fromConnectHeader(record.topic, h.key, h.schema, h.value) });
    const key = await converters.key.fromConnectData(record.topic, headers, record.keySchema, record.key);
    const value = await converters.value.fromConnectData(record.topic, headers, record.valueSchema, record.value);
    return { topic: record.topic, partition: record.kafkaPartition, offset: record.kafkaOffset, timestamp: record.timestamp, timestampType: record.timestampType, key, value, headers };
  }

  #pause(partitions: readonly TopicPartition[]): void {
    if (!this.#running || partitions.length === 0) return;
    try {
      this.#o.consumer.pause(groupByTopic(partitions));
    } catch (e) {
      this.log.debug({ err: e }, "could not pause partitions");
    }
  }

  #resume(partitions: readonly TopicPartition[]): void {
    if (!this.#running || partitions.length === 0) return;
    try {
      this.#o.consumer.resume(groupByTopic(partitions));
    } catch (e) {
      this.log.debug({ err: e }, "could not resume partitions");
    }
  }

  #pauseAll(): void {
    this.#pause(this.assignment());
  }

  /** Pauses everything while the target state says so; else resumes all but what the task paused. */
  #applyPauses(): void {
    if (this.paused || this.stopping) {
      this.#pauseAll();
      return;
    }
    this.#resume(this.assignment().filter((p) => !this.#taskPaused.has(tpKey(p.topic, p.partition))));
    this.#pause([...this.#taskPaused.values()].filter((p) => this.#assignment.has(tpKey(p.topic, p.partition))));
  }

  async #onAssignment(memberAssignment: Record<string, number[]>): Promise<void> {
    const next = new Map<string, TopicPartition>();
    for (const [topic, partitions] of Object.entries(memberAssignment)) for (const partition of partitions) next.set(tpKey(topic, partition), { topic, partition });
    const revoked = [...this.#assignment].filter(([k]) => !next.has(k)).map(([, p]) => p);
    const added = [...next].filter(([k]) => !this.#assignment.has(k)).map(([, p]) => p);
    if (revoked.length > 0) {
      await this.#commitOffsets(true);
      await this.#o.task.close(revoked);
      for (const p of revoked) {
        const k = tpKey(p.topic, p.partition);
        this.#currentOffsets.delete(k);
        this.#lastCommitted.delete(k);
        this.#taskPaused.delete(k);
      }
    }
    // kafkajs reads every partition it keeps again from its committed offset after a rejoin.
    for (const k of next.keys()) {
      const committed = this.#lastCommitted.get(k);
      if (committed) this.#currentOffsets.set(k, committed);
      else this.#currentOffsets.delete(k);
    }
    this.#assignment = next;
    this.taskMetrics.sinkPartitionCount.set(next.size);
    this.log.info({ assigned: next.size, added: added.length, revoked: revoked.length }, "partition assignment");
    if (added.length > 0) await this.#o.task.open(added);
    this.#applyRewinds();
    this.#applyPauses();
  }

  /** Seeks the partitions the task asked for with context.offset(); returns the keys it touched. */
  #applyRewinds(): Set<string> {
    const touched = new Set<string>();
    for (const [k, o] of this.#rewinds) {
      if (!this.#assignment.has(k)) continue;
      this.#o.consumer.seek({ topic: o.topic, partition: o.partition, offset: String(o.offset) });
      this.#lastCommitted.set(k, o);
      this.#currentOffsets.set(k, o);
      touched.add(k);
    }
    this.#rewinds.clear();
    return touched;
  }

  async #eachBatch(payload: EachBatchPayload): Promise<void> {
    let failure: unknown = null;
    try {
      // Heartbeats go on while the batch waits for the lock and while put() runs: kafkajs only
      // heartbeats between batches, and a long put() must not cost the task its partitions.
      await this.#keepingAlive(payload, () => this.#lock.run(() => this.#deliverBatch(payload)));
    } catch (e) {
      failure = e;
    }
    if (failure !== null) {
      this.failFromOutside(asError(failure));
      return;
    }
    // A rebalance seen by a heartbeat while the batch was held: kafkajs must rejoin now.
    const rebalance = this.#rebalanceError;
    this.#rebalanceError = null;
    if (rebalance && !this.stopping) throw rebalance;
  }

  async #deliverBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, isRunning, isStale } = payload;
    const { topic, partition } = batch;
    const key = tpKey(topic, partition);
    const abandoned = (): boolean => this.stopping || this.paused || this.#taskPaused.has(key) || !isRunning() || isStale() || !this.#assignment.has(key) || this.#rebalanceError !== null;
    if (abandoned()) {
      this.#applyPauses();
      return;
    }
    // Rewinds asked for since the last put() apply before anything else is delivered (Kafka
    // seeks before its next poll): a batch of a rewound partition is dropped and fetched again.
    if (this.#applyRewinds().has(key)) return;
    // Kafka's lastCommittedOffsets start at the consumer's position when a partition is
    // assigned: what a failed preCommit rewinds to. The first record fetched after the
    // assignment is at that position.
    if (!this.#lastCommitted.has(key) && batch.messages.length > 0) {
      const position: TopicPartitionOffset = { topic, partition, offset: Number(batch.messages[0]?.offset) };
      this.#lastCommitted.set(key, position);
      if (!this.#currentOffsets.has(key)) this.#currentOffsets.set(key, position);
    }
    const high = Number(batch.highWatermark);
    if (Number.isFinite(high) && batch.messages.length > 0) this.taskMetrics.sinkRecordLagMax.set(Math.max(0, high - Number(batch.lastOffset()) - 1));
    const max = this.#o.consumerSettings.maxPollRecords;
    for (let start = 0; start < batch.messages.length; start += max) {
      if (abandoned()) return;
      const chunk = batch.messages.slice(start, start + max);
      const consumed = chunk.map((m) => toConsumed(topic, partition, m));
      this.#lastBatch = consumed;
      this.taskMetrics.sinkRecordRead.inc(consumed.length);
      this.taskMetrics.batchSize.observe(consumed.length);
      const records: SinkRecord[] = [];
      for (const c of consumed) {
        const converted = this.#convertAndTransform(c);
        const record = converted instanceof Promise ? await converted : converted;
        if (record !== null) {
          records.push(record);
          this.#consumedOf.set(record, c);
        }
      }
      const delivered = await this.#put(records, payload);
      if (!delivered) return;
      const last = (consumed[consumed.length - 1] as ConsumedRecord).offset;
      this.#currentOffsets.set(key, { topic, partition, offset: last + 1 });
      this.#uncommittedRecords += consumed.length;
      this.taskMetrics.sinkRecordActive.set(this.#uncommittedRecords);
      this.#deliveredSinceTick = true;
      if (!this.#activeTopics.has(topic)) {
        // KIP-558: the topic is one this connector uses.
        this.#activeTopics.add(topic);
        try {
          this.listener.onTopicActive(this.id.connector, topic);
        } catch (e) {
          this.log.warn({ err: e }, "status listener failed");
        }
      }
      const touched = this.#applyRewinds();
      if (touched.has(key)) return;
      resolveOffset(String(last));
      if (this.#commitDue()) await this.#commitOffsets(false);
    }
  }

  /** Hands records to put(), redelivering after RetriableExceptions. False when the chunk was abandoned. */
  async #put(records: SinkRecord[], payload: EachBatchPayload): Promise<boolean> {
    const { task, operator } = this.#o;
    for (;;) {
      const started = performance.now();
      try {
        await task.put(records);
      } catch (e) {
        if (!isRetriableException(e)) throw new ConnectException("Exiting WorkerSinkTask due to unrecoverable exception.", { cause: e });
        this.log.error({ err: e }, "RetriableException from SinkTask");
        if (!(await this.#awaitRedelivery(payload))) return false;
        continue;
      }
      if (this.#o.errantRecordReporter && !operator.withinToleranceLimits()) {
        throw new ConnectException("Tolerance exceeded in error handler", { cause: new Error("errant records were reported beyond errors.tolerance") });
      }
      this.taskMetrics.putBatchSeconds.observe((performance.now() - started) / 1000);
      this.taskMetrics.sinkRecordSend.inc(records.length);
      return true;
    }
  }

  /** Waits before redelivering (context.timeout, else until the next commit), committing when due. False: abandon. */
  async #awaitRedelivery(payload: EachBatchPayload): Promise<boolean> {
    const wait = this.#contextTimeoutMs > 0 ? this.#contextTimeoutMs : Math.max(0, this.#nextCommit - Date.now());
    this.#contextTimeoutMs = -1;
    const deadline = Date.now() + wait;
    while (Date.now() < deadline) {
      if (this.stopping || this.paused || this.#rebalanceError !== null || !payload.isRunning()) return false;
      await sleep(Math.min(200, deadline - Date.now()), this.abort.signal);
      if (this.#commitDue()) await this.#commitOffsets(false);
    }
    return !(this.stopping || this.paused || this.#rebalanceError !== null);
  }

  async #heartbeat(payload: EachBatchPayload): Promise<void> {
    try {
      await payload.heartbeat();
    } catch (e) {
      this.#rebalanceError = asError(e);
    }
  }

  /** Runs fn while heartbeating (kafkajs only heartbeats between batches or when asked). */
  async #keepingAlive<T>(payload: EachBatchPayload, fn: () => T | Promise<T>): Promise<T> {
    const every = Math.max(100, Number(this.#o.consumerSettings.config.heartbeatInterval ?? 3000));
    const timer = setInterval(() => void this.#heartbeat(payload), every);
    try {
      return await fn();
    } finally {
      clearInterval(timer);
    }
  }

  /**
   * A consumed record through the converters and the SMT chain: the record, or null when it was
   * filtered or its failure tolerated. Synchronous while every step is (see operator.run()).
   */
  #convertAndTransform(consumed: ConsumedRecord): SinkRecord | null | Promise<SinkRecord | null> {
    const { converters, operator } = this.#o;
    let context: ProcessingContext | null = null;
    const ctx = (): ProcessingContext => (context ??= new ProcessingContext({ consumerRecord: consumed }));
    const key = operator.run(ctx, Stage.KEY_CONVERTER, converters.keyClass, () => converters.key.toConnectData(consumed.topic, consumed.headers, consumed.key));
    if (key instanceof Promise) return this.#convertAsync(consumed, ctx, key);
    const value = operator.run(ctx, Stage.VALUE_CONVERTER, converters.valueClass, () => converters.value.toConnectData(consumed.topic, consumed.headers, consumed.value));
    if (value instanceof Promise) return this.#convertAsync(consumed, ctx, key, value);
    const headers = operator.run(ctx, Stage.HEADER_CONVERTER, converters.headerClass, () => this.#connectHeaders(consumed));
    if (headers instanceof Promise) return this.#convertAsync(consumed, ctx, key, value, headers);
    return this.#transform(consumed, ctx, key, value, headers);
  }

  async #convertAsync(
    consumed: ConsumedRecord,
    ctx: () => ProcessingContext,
    pendingKey: SchemaAndValue | Promise<SchemaAndValue | Failed>,
    pendingValue?: SchemaAndValue | Promise<SchemaAndValue | Failed>,
    pendingHeaders?: Headers | Promise<Headers | Failed>,
  ): Promise<SinkRecord | null> {
    const { converters, operator } = this.#o;
    const key = await pendingKey;
    if (key === FAILED) return null;
    const value = await (pendingValue ?? operator.run(ctx, Stage.VALUE_CONVERTER, converters.valueClass, () => converters.value.toConnectData(consumed.topic, consumed.headers, consumed.value)));
    if (value === FAILED) return null;
    const headers = await (pendingHeaders ?? operator.run(ctx, Stage.HEADER_CONVERTER, converters.headerClass, () => this.#connectHeaders(consumed)));
    if (headers === FAILED) return null;
    return this.#transform(consumed, ctx, key, value, headers);
  }

  #connectHeaders(consumed: ConsumedRecord): Headers {
    const { converters } = this.#o;
    const out = new Headers();
    for (const h of consumed.headers) out.add(h.key, converters.header.toConnectHeader(consumed.topic, h.key, h.value));
    return out;
  }

  #transform(consumed: ConsumedRecord, ctx: () => ProcessingContext, key: SchemaAndValue, value: SchemaAndValue, headers: Headers): SinkRecord | null | Promise<SinkRecord | null> {
    const record = new SinkRecord({
      topic: consumed.topic,
      kafkaPartition: consumed.partition,
      keySchema: key.schema,
      key: key.value,
      valueSchema: value.schema,
      value: value.value,
      kafkaOffset: consumed.offset,
      timestamp: consumed.timestamp,
      timestampType: consumed.timestampType,
      headers,
    });
    const { chain, operator } = this.#o;
    if (chain.isEmpty) return record;
    const transformed = chain.applyFast(record, operator, ctx);
    if (transformed instanceof Promise) return transformed.then((t) => (t === FAILED ? null : t));
    return transformed === FAILED ? null : transformed;
  }

  #commitDue(): boolean {
    return this.#commitRequested || Date.now() >= this.#nextCommit;
  }

  async #onTick(): Promise<void> {
    if (this.stopping || !this.#running) return;
    this.#applyRewinds();
    if (!this.#commitDue()) return;
    if (!this.#deliveredSinceTick && !this.paused) {
      // Kafka calls put() after every poll, data or not: tasks that buffer rely on it to flush on time.
      try {
        await this.#o.task.put([]);
      } catch (e) {
        if (!isRetriableException(e)) throw new ConnectException("Exiting WorkerSinkTask due to unrecoverable exception.", { cause: e });
        this.log.error({ err: e }, "RetriableException from SinkTask");
      }
    }
    this.#deliveredSinceTick = false;
    await this.#commitOffsets(false);
  }

  /**
   * preCommit, then commit what it returns (Kafka's commitOffsets). closing: a rebalance or the
   * end of the task (Kafka commits synchronously then; kafkajs' commits always are).
   */
  async #commitOffsets(closing: boolean): Promise<void> {
    const { task, operator, consumer } = this.#o;
    this.#commitRequested = false;
    this.#nextCommit = Date.now() + this.#o.offsetFlushIntervalMs;
    if (!this.#running || this.cancelled) return;
    const seq = ++this.#commitSeqNo;
    this.taskMetrics.sinkOffsetCommitSeqNo.set(seq);
    const started = performance.now();
    // KIP-610: what was reported to the dead letter queue is acknowledged before its offsets are committed.
    await operator.awaitReports();
    let provided: TopicPartitionOffset[];
    try {
      provided = await task.preCommit([...this.#currentOffsets.values()]);
    } catch (e) {
      this.log.error({ err: e, seq }, `Commit of offsets threw an unexpected exception for sequence number ${seq}`);
      this.taskMetrics.offsetCommitFailure.inc();
      if (!closing) {
        // Rewind to the last committed offsets: everything since is delivered again.
        for (const [k, committed] of this.#lastCommitted) {
          if (this.#assignment.has(k)) consumer.seek({ topic: committed.topic, partition: committed.partition, offset: String(committed.offset) });
          this.#currentOffsets.set(k, committed);
        }
      }
      return;
    }
    if (!provided || provided.length === 0) {
      this.log.debug({ seq }, "Skipping offset commit, task opted-out by returning no offsets from preCommit");
      this.taskMetrics.sinkOffsetCommitSkip.inc();
      return;
    }
    const committable = new Map(this.#lastCommitted);
    for (const o of provided) {
      const k = tpKey(o.topic, o.partition);
      if (!this.#assignment.has(k)) {
        this.log.warn({ topic: o.topic, partition: o.partition }, `Ignoring invalid task provided offset ${o.topic}-${o.partition}/${o.offset} -- partition not assigned`);
        continue;
      }
      committable.set(k, { topic: o.topic, partition: o.partition, offset: o.offset, ...(o.metadata !== undefined ? { metadata: o.metadata } : {}) });
    }
    const changed = [...committable].filter(([k, o]) => this.#lastCommitted.get(k)?.offset !== o.offset);
    if (changed.length === 0) {
      this.log.debug({ seq }, "Skipping offset commit, no change since last commit");
      this.taskMetrics.sinkOffsetCommitSkip.inc();
      return;
    }
    try {
      await consumer.commitOffsets(changed.map(([, o]) => ({ topic: o.topic, partition: o.partition, offset: String(o.offset), ...(o.metadata !== undefined ? { metadata: o.metadata } : {}) })));
    } catch (e) {
      this.log.error({ err: e, seq }, `Commit of offsets failed for sequence number ${seq}`);
      this.taskMetrics.offsetCommitFailure.inc();
      return;
    }
    this.#lastCommitted = committable;
    this.#uncommittedRecords = 0;
    this.taskMetrics.sinkRecordActive.set(0);
    this.taskMetrics.sinkOffsetCommitCompletion.inc();
    this.taskMetrics.offsetCommitSuccess.inc();
    this.taskMetrics.offsetCommitSeconds.observe((performance.now() - started) / 1000);
    this.log.debug({ seq, partitions: changed.length }, "committed offsets");
  }
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

function groupByTopic(partitions: readonly TopicPartition[]): Array<{ topic: string; partitions: number[] }> {
  const byTopic = new Map<string, number[]>();
  for (const p of partitions) {
    let list = byTopic.get(p.topic);
    if (!list) byTopic.set(p.topic, (list = []));
    list.push(p.partition);
  }
  return [...byTopic].map(([topic, list]) => ({ topic, partitions: list }));
}

function toConsumed(topic: string, partition: number, message: KafkaMessage): ConsumedRecord {
  const batchContext = (message as KafkaMessage & { batchContext?: { timestampType?: number } }).batchContext;
  const ts = Number(message.timestamp);
  const hasTimestamp = Number.isFinite(ts) && ts >= 0;
  const timestampType = !hasTimestamp ? TimestampType.NO_TIMESTAMP_TYPE : batchContext?.timestampType === 1 ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME;
  return {
    topic,
    partition,
    offset: Number(message.offset),
    timestamp: hasTimestamp ? ts : null,
    timestampType,
    key: message.key ?? null,
    value: message.value ?? null,
    headers: fromKafkajsHeaders(message.headers),
  };
}

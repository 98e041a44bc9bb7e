// A running sink task (Kafka's WorkerSinkTask).
//
// A consumer in the group connect-<connector> (or consumer.override.group.id) reads `topics` or
// `topics.regex` with auto commit off, from the earliest offset when the group has none (Kafka
// Connect's default). The consumer is the project's GroupConsumer (connect/runtime/consumer),
// which keeps its membership through a group coordinator's death, as the Java consumer does.
//
// The task is a loop, as Kafka's: commit when due, apply rewinds and pauses, poll (the consumer
// joins and rebalances inside poll, calling back onPartitionsRevoked/Assigned), then hand the
// next max.poll.records of what was fetched to the converters, the transformation chain (with
// the connector's error handling: tolerated failures are skipped, and sent to the dead letter
// queue as the bytes that were read) and put(). Fetched records not handed over yet wait in the
// task; when their partition is paused, rewound or revoked they are dropped and the consumer is
// moved back to the first of them, so they are read again later.
//
// At-least-once: consumer offsets are committed only through preCommit(currentOffsets) — whose
// default flushes — every offset.flush.interval.ms, when the task asks (requestCommit), before a
// rebalance and when the task stops, and only once the dead letter queue has acknowledged what was
// reported to it. The periodic commit runs in the background while records keep flowing (Kafka's
// commitAsync; it gives up after offset.flush.timeout.ms); the others are waited for. A preCommit
// that throws rewinds the consumer to the last committed offsets, so everything since is delivered
// again; one that returns [] commits nothing.
//
// put() throwing a RetriableException: the consumer is paused and the same records are delivered
// again after context.timeout(ms) (or, without one, at the next offset commit time), while the
// loop keeps polling (rebalances go on); anything else fails the task.
//
// Partitions: open() when assigned, close() (after a commit) when revoked; rebalances are eager,
// so every rebalance closes all of a task's partitions and opens its new ones. context.offset()
// seeks, context.pause()/resume() pause partitions, the target state PAUSED pauses them all (the
// consumer stays in its group).
//
// Kafka differences: put() is called with no records once per offset.flush.interval.ms when no
// data came (Kafka calls it after every empty poll); sink-record-lag-max is measured with
// ListOffsets at each commit, not from fetch responses.
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
import type { ConsumedRecord as FetchedRecord, GroupConsumer, RebalanceListener } from "../consumer/group-consumer.ts";
import { type ConsumedRecord, ProcessingContext, Stage } from "../errors/processing-context.ts";
import { FAILED, type Failed, isRetriableException, type RetryWithToleranceOperator } from "../errors/retry-with-tolerance-operator.ts";
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
  /** Builds the task's consumer (once, when the task starts); the task is its rebalance listener. */
  createConsumer: (listener: RebalanceListener) => GroupConsumer;
  /** max.poll.records: the most records handed to one put(). */
  maxPollRecords: number;
  /** The longest one poll waits for records (fetch.max.wait.ms). */
  pollTimeoutMs: number;
  offsetFlushIntervalMs: number;
  /** offset.flush.timeout.ms: how long a periodic commit may take before it is given up. */
  offsetFlushTimeoutMs: number;
  /** How long the commits made on a rebalance and at shutdown may take (default.api.timeout.ms). */
  closingCommitTimeoutMs: number;
  /** KIP-610: the task gets an errant record reporter (a DLQ topic is set, or errors are logged). */
  errantRecordReporter: boolean;
}

/** A put() that threw a RetriableException: the same records go again at `at`. */
interface Redelivery {
  records: SinkRecord[];
  /** The offsets the records take the partitions to once delivered. */
  offsets: Map<string, TopicPartitionOffset>;
  count: number;
  at: number;
}

const tpKey = (topic: string, partition: number): string => `${partition}\u0000${topic}`;

export class WorkerSinkTask extends WorkerTask implements RebalanceListener {
  readonly #o: WorkerSinkTaskOptions;
  #consumer: GroupConsumer | null = null;
  #assignment = new Map<string, TopicPartition>();
  readonly #currentOffsets = new Map<string, TopicPartitionOffset>();
  #lastCommitted = new Map<string, TopicPartitionOffset>();
  readonly #rewinds = new Map<string, TopicPartitionOffset>();
  readonly #taskPaused = new Map<string, TopicPartition>();
  /** Fetched records not handed to put() yet, from #fetchedAt on. */
  #fetched: FetchedRecord[] = [];
  #fetchedAt = 0;
  #redelivery: Redelivery | null = null;
  #contextTimeoutMs = -1;
  #commitRequested = false;
  #nextCommit = 0;
  #commitSeqNo = 0;
  /** A periodic commit on its way to the group coordinator. */
  #committing: Promise<void> | null = null;
  #lagCheck: Promise<void> | null = null;
  #deliveredSinceTick = false;
  #uncommittedRecords = 0;
  #taskStarted = false;
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
    const { task, taskConfig } = this.#o;
    task.initialize(this.#context());
    await task.start(taskConfig);
    this.#taskStarted = true;
    this.#consumer = this.#o.createConsumer(this);
    this.#nextCommit = Date.now() + this.#o.offsetFlushIntervalMs;
  }

  protected override async execute(): Promise<void> {
    while (!this.stopping) {
      await this.#iteration();
      // An iteration may complete without waiting for any I/O (records were waiting, a poll of
      // 0 ms): one turn of the event loop each time keeps the task from starving the commits,
      // heartbeats and fetches it waits for.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  protected override onStopRequested(): void {
    this.#consumer?.interrupt();
  }

  protected override onTargetStateChange(): void {
    // At once, not at the next iteration: records fetched from now on must not reach put().
    this.#applyPauses();
  }

  protected override onCancel(): void {
    void this.#consumer?.close().catch(() => {});
  }

  protected override async close(): Promise<void> {
    const { task } = this.#o;
    const consumer = this.#consumer;
    if (consumer && this.#taskStarted && !this.cancelled) {
      try {
        await this.#commitOffsets(true);
        const partitions = this.assignment();
        if (partitions.length > 0) await task.close(partitions);
        this.#assignment.clear();
      } catch (e) {
        this.log.warn({ err: e }, "could not commit offsets and close partitions at shutdown");
      }
    }
    if (this.#taskStarted) {
      try {
        await task.stop();
      } catch (e) {
        this.log.warn({ err: e }, "Could not stop task");
      }
    }
    await consumer?.close().catch((e: unknown) => this.log.warn({ err: e }, "could not close the consumer"));
    await this.closePipeline(this.#o.chain, this.#o.operator, this.#o.converters);
  }

  /** One turn of the loop (Kafka's WorkerSinkTask.iteration). */
  async #iteration(): Promise<void> {
    const consumer = this.#consumer as GroupConsumer;
    if (this.#commitDue()) await this.#onCommitTime();
    this.#applyRewinds();
    this.#applyPauses();
    const now = Date.now();
    // While a commit is still on its way the next one is not due, whatever the clock says.
    const untilCommit = this.#committing === null ? this.#nextCommit - now : this.#o.pollTimeoutMs;
    let wait = Math.max(0, Math.min(untilCommit, this.#o.pollTimeoutMs));
    if (this.#redelivery && !this.paused) wait = Math.max(0, Math.min(wait, this.#redelivery.at - now));
    if (this.#fetchedAt < this.#fetched.length) {
      // Records are waiting: no fetching, but rebalances and rejoins still happen here.
      await consumer.maintain();
    } else {
      const records = await consumer.poll(wait);
      if (records.length > 0) {
        this.#fetched = records;
        this.#fetchedAt = 0;
      }
    }
    if (this.stopping) return;
    // Rewinds asked for while the poll waited apply before anything more is delivered.
    this.#applyRewinds();
    if (this.#redelivery) {
      if (!this.paused && Date.now() >= this.#redelivery.at) await this.#redeliver();
      return;
    }
    if (this.paused || this.#fetchedAt >= this.#fetched.length) return;
    const chunk = this.#fetched.slice(this.#fetchedAt, this.#fetchedAt + this.#o.maxPollRecords);
    this.#fetchedAt += chunk.length;
    if (this.#fetchedAt >= this.#fetched.length) {
      this.#fetched = [];
      this.#fetchedAt = 0;
    }
    await this.#deliver(chunk);
  }

  // ---- the consumer's rebalance callbacks (called inside poll) ----

  async onPartitionsRevoked(partitions: readonly TopicPartition[], lost: boolean): Promise<void> {
    if (lost) {
      this.log.warn({ partitions: partitions.length }, "the consumer lost its partitions (out of its group generation): closing them without committing; records since the last commit will be delivered again");
      // A periodic commit still on its way must not count once the partitions are gone.
      this.#commitSeqNo++;
    } else {
      await this.#commitOffsets(true);
    }
    const revoked = new Set(partitions.map((p) => tpKey(p.topic, p.partition)));
    if (partitions.length > 0) await this.#o.task.close([...partitions]);
    for (const k of revoked) {
      this.#currentOffsets.delete(k);
      this.#lastCommitted.delete(k);
      this.#taskPaused.delete(k);
      this.#assignment.delete(k);
    }
    this.#dropFetched((r) => revoked.has(tpKey(r.topic, r.partition)), false);
    this.#dropRedelivery(revoked);
    this.taskMetrics.sinkPartitionCount.set(this.#assignment.size);
  }

  async onPartitionsAssigned(partitions: readonly TopicPartition[]): Promise<void> {
    const consumer = this.#consumer as GroupConsumer;
    this.#assignment = new Map(partitions.map((p) => [tpKey(p.topic, p.partition), { topic: p.topic, partition: p.partition }]));
    for (const p of partitions) {
      // Kafka's lastCommittedOffsets start at the consumer's position: what a failed preCommit
      // rewinds to. Without a committed offset it is known once the first record came.
      const position = consumer.position(p);
      if (position === null) continue;
      const at: TopicPartitionOffset = { topic: p.topic, partition: p.partition, offset: Number(position) };
      this.#lastCommitted.set(tpKey(p.topic, p.partition), at);
      this.#currentOffsets.set(tpKey(p.topic, p.partition), at);
    }
    this.taskMetrics.sinkPartitionCount.set(this.#assignment.size);
    this.log.info({ assigned: partitions.length }, "partition assignment");
    if (partitions.length > 0) await this.#o.task.open([...partitions]);
    // Seeks the task asked for in open() apply before anything is fetched.
    this.#applyRewinds();
    this.#applyPauses();
  }

  // ---- delivery ----

  /** Converts, transforms and puts one chunk of fetched records. */
  async #deliver(chunk: FetchedRecord[]): Promise<void> {
    const consumed = chunk.map(toConsumed);
    this.#lastBatch = consumed;
    this.taskMetrics.sinkRecordRead.inc(consumed.length);
    this.taskMetrics.batchSize.observe(consumed.length);
    // The next offset per partition. Records of a partition come in runs, so the key is built
    // once a run and the entry updated in place.
    const offsets = new Map<string, { topic: string; partition: number; offset: number }>();
    let run: { topic: string; partition: number; offset: number } | null = null;
    for (const c of consumed) {
      if (run === null || run.partition !== c.partition || run.topic !== c.topic) {
        const key = tpKey(c.topic, c.partition);
        run = offsets.get(key) ?? null;
        if (run === null) {
          if (!this.#lastCommitted.has(key)) {
            // The first record read after the assignment is at the consumer's starting position.
            const position: TopicPartitionOffset = { topic: c.topic, partition: c.partition, offset: c.offset };
            this.#lastCommitted.set(key, position);
            if (!this.#currentOffsets.has(key)) this.#currentOffsets.set(key, position);
          }
          run = { topic: c.topic, partition: c.partition, offset: c.offset + 1 };
          offsets.set(key, run);
        }
      }
      run.offset = c.offset + 1;
    }
    const records: SinkRecord[] = [];
    for (const c of consumed) {
      const converted = this.#convertAndTransform(c);
      const record = converted instanceof Promise ? await converted : converted;
      if (record !== null) {
        records.push(record);
        this.#consumedOf.set(record, c);
      }
    }
    await this.#put({ records, offsets, count: consumed.length, at: 0 });
  }

  async #redeliver(): Promise<void> {
    const redelivery = this.#redelivery as Redelivery;
    this.#redelivery = null;
    await this.#put(redelivery);
    this.#applyPauses();
  }

  /** Hands records to put(); a RetriableException keeps them for a redelivery, anything else fails the task. */
  async #put(batch: Redelivery): Promise<void> {
    const { task, operator } = this.#o;
    const started = performance.now();
    try {
      await task.put(batch.records);
    } catch (e) {
      if (!isRetriableException(e)) throw new ConnectException("Exiting WorkerSinkTask due to unrecoverable exception.", { cause: e });
      this.log.error({ err: e }, "RetriableException from SinkTask");
      const wait = this.#contextTimeoutMs > 0 ? this.#contextTimeoutMs : Math.max(0, this.#nextCommit - Date.now());
      this.#contextTimeoutMs = -1;
      // Nothing more is fetched until these went in; the rest of what was fetched is read again later.
      this.#redelivery = { ...batch, at: Date.now() + wait };
      this.#dropFetched(() => true, true);
      this.#applyPauses();
      return;
    }
    if (this.#o.errantRecordReporter && !operator.withinToleranceLimits()) {
      throw new ConnectException("Tolerance exceeded in error handler", { cause: new Error("errant records were reported beyond errors.tolerance") });
    }
    this.taskMetrics.putBatchSeconds.observe((performance.now() - started) / 1000);
    this.taskMetrics.sinkRecordSend.inc(batch.records.length);
    for (const [k, o] of batch.offsets) {
      if (!this.#assignment.has(k)) continue;
      this.#currentOffsets.set(k, o);
      if (!this.#activeTopics.has(o.topic)) {
        // KIP-558: the topic is one this connector uses.
        this.#activeTopics.add(o.topic);
        try {
          this.listener.onTopicActive(this.id.connector, o.topic);
        } catch (e) {
          this.log.warn({ err: e }, "status listener failed");
        }
      }
    }
    this.#uncommittedRecords += batch.count;
    this.taskMetrics.sinkRecordActive.set(this.#uncommittedRecords);
    this.#deliveredSinceTick = true;
  }

  /** Drops fetched records the predicate selects; moves the consumer back to the first of each partition when asked. */
  #dropFetched(drop: (r: FetchedRecord) => boolean, seekBack: boolean): void {
    if (this.#fetchedAt >= this.#fetched.length) return;
    const kept: FetchedRecord[] = [];
    const dropped: FetchedRecord[] = [];
    for (let i = this.#fetchedAt; i < this.#fetched.length; i++) {
      const r = this.#fetched[i] as FetchedRecord;
      (drop(r) ? dropped : kept).push(r);
    }
    if (dropped.length === 0) return;
    this.#fetched = kept;
    this.#fetchedAt = 0;
    if (seekBack) this.#putBack(dropped);
  }

  /** Records fetched but not delivered: the consumer reads them again from the first of each partition. */
  #putBack(records: readonly FetchedRecord[]): void {
    const consumer = this.#consumer;
    if (!consumer || records.length === 0) return;
    const first = new Map<string, FetchedRecord>();
    for (const r of records) {
      const k = tpKey(r.topic, r.partition);
      if (!first.has(k)) first.set(k, r);
    }
    for (const [k, r] of first) if (this.#assignment.has(k)) consumer.seek(r, r.offset);
  }

  #dropRedelivery(revoked: ReadonlySet<string>): void {
    const r = this.#redelivery;
    if (!r) return;
    r.records = r.records.filter((rec) => {
      const c = this.#consumedOf.get(rec);
      return c === undefined || !revoked.has(tpKey(c.topic, c.partition));
    });
    for (const k of revoked) r.offsets.delete(k);
    if (r.offsets.size === 0) this.#redelivery = null;
  }

  // ---- pauses and rewinds ----

  /**
   * What the consumer fetches: nothing while the target state says PAUSED, while the task stops
   * or while a batch waits for redelivery; else everything but what the task paused.
   */
  #applyPauses(): void {
    const consumer = this.#consumer;
    if (!consumer) return;
    const all = this.assignment();
    const holdAll = this.paused || this.stopping || this.#redelivery !== null;
    const hold = holdAll ? all : all.filter((p) => this.#taskPaused.has(tpKey(p.topic, p.partition)));
    const go = holdAll ? [] : all.filter((p) => !this.#taskPaused.has(tpKey(p.topic, p.partition)));
    consumer.resume(go);
    if (hold.length === 0) return;
    consumer.pause(hold);
    this.#dropFetched((r) => consumer.isPaused(r), true);
  }

  /** Seeks the partitions the task asked for with context.offset() (Kafka's rewind(), before each poll). */
  #applyRewinds(): void {
    const consumer = this.#consumer;
    if (!consumer || this.#rewinds.size === 0) return;
    const rewound = new Set<string>();
    for (const [k, o] of this.#rewinds) {
      if (!this.#assignment.has(k)) continue;
      rewound.add(k);
      this.#lastCommitted.set(k, o);
      this.#currentOffsets.set(k, o);
    }
    this.#rewinds.clear();
    if (rewound.size === 0) return;
    this.#dropFetched((r) => rewound.has(tpKey(r.topic, r.partition)), false);
    for (const k of rewound) {
      const o = this.#currentOffsets.get(k) as TopicPartitionOffset;
      consumer.seek(o, BigInt(o.offset));
    }
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
        this.#applyPauses();
      },
      resume: (...partitions) => {
        for (const p of partitions) this.#taskPaused.delete(tpKey(p.topic, p.partition));
        this.#applyPauses();
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

  // ---- conversion ----

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

  // ---- offset commits ----

  #commitDue(): boolean {
    return this.#committing === null && (this.#commitRequested || Date.now() >= this.#nextCommit);
  }

  async #onCommitTime(): Promise<void> {
    if (!this.#deliveredSinceTick && !this.paused && this.#redelivery === null) {
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
    this.#measureLag();
  }

  /**
   * preCommit, then commit what it returns (Kafka's commitOffsets). closing: a rebalance or the
   * end of the task, where the commit is waited for; otherwise it goes on in the background.
   */
  async #commitOffsets(closing: boolean): Promise<void> {
    const { task, operator } = this.#o;
    const consumer = this.#consumer;
    this.#commitRequested = false;
    this.#nextCommit = Date.now() + this.#o.offsetFlushIntervalMs;
    if (!consumer || this.cancelled) return;
    const seq = ++this.#commitSeqNo;
    this.taskMetrics.sinkOffsetCommitSeqNo.set(seq);
    const started = performance.now();
    // KIP-610: what was reported to the dead letter queue is acknowledged before its offsets are committed.
    await operator.awaitReports();
    let provided: TopicPartitionOffset[];
    try {
      provided = await task.preCommit([...this.#currentOffsets.values()].filter((o) => this.#assignment.has(tpKey(o.topic, o.partition))));
    } catch (e) {
      this.log.error({ err: e, seq }, `Commit of offsets threw an unexpected exception for sequence number ${seq}`);
      this.taskMetrics.offsetCommitFailure.inc();
      if (!closing) this.#rewindToCommitted();
      return;
    }
    if (!provided || provided.length === 0) {
      this.log.debug({ seq }, "Skipping offset commit, task opted-out by returning no offsets from preCommit");
      this.taskMetrics.sinkOffsetCommitSkip.inc();
      return;
    }
    const committable = new Map([...this.#lastCommitted].filter(([k]) => this.#assignment.has(k)));
    for (const o of provided) {
      const k = tpKey(o.topic, o.partition);
      if (!this.#assignment.has(k)) {
        this.log.warn({ topic: o.topic, partition: o.partition }, `Ignoring invalid task provided offset ${o.topic}-${o.partition}/${o.offset} -- partition not assigned`);
        continue;
      }
      committable.set(k, { topic: o.topic, partition: o.partition, offset: o.offset, ...(o.metadata !== undefined ? { metadata: o.metadata } : {}) });
    }
    const changed = [...committable].filter(([k, o]) => this.#lastCommitted.get(k)?.offset !== o.offset).map(([, o]) => o);
    if (changed.length === 0) {
      this.log.debug({ seq }, "Skipping offset commit, no change since last commit");
      this.taskMetrics.sinkOffsetCommitSkip.inc();
      return;
    }
    const offsets = changed.map((o) => ({ topic: o.topic, partition: o.partition, offset: BigInt(o.offset), ...(o.metadata !== undefined ? { metadata: o.metadata } : {}) }));
    const commit = consumer.commit(offsets, closing ? this.#o.closingCommitTimeoutMs : this.#o.offsetFlushTimeoutMs).then(
      () => this.#onCommitted(seq, committable, changed.length, started),
      (e: unknown) => {
        this.taskMetrics.offsetCommitFailure.inc();
        if (seq !== this.#commitSeqNo) this.log.debug({ err: e, seq }, "a superseded offset commit failed");
        else this.log.error({ err: e, seq }, `Commit of offsets failed for sequence number ${seq}`);
      },
    );
    if (closing) {
      await commit;
      return;
    }
    this.#committing = commit.finally(() => {
      this.#committing = null;
    });
  }

  #onCommitted(seq: number, committed: Map<string, TopicPartitionOffset>, partitions: number, started: number): void {
    if (seq !== this.#commitSeqNo) {
      // A later commit (a rebalance's, the shutdown's) or a lost assignment overtook this one.
      this.log.debug({ seq, current: this.#commitSeqNo }, "ignoring the completion of a superseded offset commit");
      return;
    }
    for (const [k, o] of committed) if (this.#assignment.has(k)) this.#lastCommitted.set(k, o);
    this.#uncommittedRecords = 0;
    this.taskMetrics.sinkRecordActive.set(0);
    this.taskMetrics.sinkOffsetCommitCompletion.inc();
    this.taskMetrics.offsetCommitSuccess.inc();
    this.taskMetrics.offsetCommitSeconds.observe((performance.now() - started) / 1000);
    this.log.debug({ seq, partitions }, "committed offsets");
  }

  /** After a failed preCommit: everything since the last commit is delivered again. */
  #rewindToCommitted(): void {
    const consumer = this.#consumer as GroupConsumer;
    this.#fetched = [];
    this.#fetchedAt = 0;
    this.#redelivery = null;
    for (const [k, committed] of this.#lastCommitted) {
      if (!this.#assignment.has(k)) continue;
      consumer.seek(committed, BigInt(committed.offset));
      this.#currentOffsets.set(k, committed);
    }
    this.#applyPauses();
  }

  /** sink-record-lag-max: how far the delivered position is behind each partition's end, at most. */
  #measureLag(): void {
    const consumer = this.#consumer;
    const partitions = this.assignment();
    if (!consumer || this.#lagCheck !== null || partitions.length === 0) return;
    this.#lagCheck = consumer
      .endOffsets(partitions)
      .then((ends) => {
        let max = 0;
        for (const e of ends) {
          const at = this.#currentOffsets.get(tpKey(e.topic, e.partition));
          if (at !== undefined) max = Math.max(max, Number(e.offset) - at.offset);
        }
        this.taskMetrics.sinkRecordLagMax.set(max);
      })
      .catch((e: unknown) => this.log.debug({ err: e }, "could not measure the lag"))
      .finally(() => {
        this.#lagCheck = null;
      });
  }
}

function toConsumed(r: FetchedRecord): ConsumedRecord {
  const hasTimestamp = Number.isFinite(r.timestamp) && r.timestamp >= 0;
  return {
    topic: r.topic,
    partition: r.partition,
    offset: Number(r.offset),
    timestamp: hasTimestamp ? r.timestamp : null,
    timestampType: !hasTimestamp ? TimestampType.NO_TIMESTAMP_TYPE : r.logAppendTime ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME,
    key: r.key,
    value: r.value,
    headers: r.headers,
  };
}

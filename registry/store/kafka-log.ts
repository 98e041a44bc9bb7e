// The registry's log on Kafka (Confluent's KafkaStore and KafkaStoreReaderThread): one
// partition of a compacted topic (`_schemas`), read from the beginning by every instance and
// then followed, so that all instances apply the same records in the same order.
//
// - start() creates or checks the topic (schemas-topic.ts), reads from the log start up to the
//   end offset it finds, and keeps reading in a background loop. A broker that goes away is
//   waited for (the PartitionReader retries); records already applied are never applied again,
//   even if the reader has to go back to the log start (OFFSET_OUT_OF_RANGE after an unclean
//   leader election).
// - append() produces one record with acks=all and resolves once the reader has applied it
//   (read-your-writes), all within kafkastore.timeout.ms (500 ms by default, as Confluent).
//   Like Confluent's producer (retries=0) it never sends a record twice: only answers that
//   prove the record was not appended (no leader, leader moved, not enough replicas) are
//   retried before the deadline. A lost connection or a timeout fails the append, and the
//   record may still land in the log and be applied later; the REST layer answers 50001/50002.
// - waitUntilCaughtUp() writes a NOOP record (its key bytes come from the owner, who knows the
//   record format) and waits until it is read back, as Confluent's KafkaStore does: unlike the
//   end offset, that cannot be fooled by a broker that has fallen behind. Without a NOOP key it
//   waits for the end offset instead.
// Every record is handed to the owner, NOOPs included (they are part of the log, and other
// instances, Confluent's too, write their own).
import { ConnectionError, ErrorCode, KafkaError, PartitionProducer, PartitionReader, RequestTimeoutError, type ConsumedRecord, type KafkaClusterClient, type TopicPartition } from "../../lib/kafka-client/index.ts";
import { Backoff, sleep } from "../../lib/kafka-client/backoff.ts";
import { createLogger, type Logger } from "../../lib/logger.ts";
import type { RegistryLog, RegistryLogRecord } from "./log.ts";
import { ensureSchemasTopic } from "./schemas-topic.ts";
import { RegistryStoreError, RegistryStoreTimeoutError } from "./store-errors.ts";

export interface KafkaRegistryLogOptions {
  /** The cluster (kafkastore.bootstrap.servers and security settings); not closed by the log. */
  readonly client: KafkaClusterClient;
  /** kafkastore.topic; default "_schemas". */
  readonly topic?: string;
  /** kafkastore.topic.replication.factor for a topic created here; default 3 (capped at the live brokers). */
  readonly replicationFactor?: number;
  /** kafkastore.topic.config.*: extra configs of a topic created here. */
  readonly topicConfigs?: Readonly<Record<string, string>>;
  /** kafkastore.topic.skip.validation: neither create nor check the topic; default false. */
  readonly skipTopicValidation?: boolean;
  /** kafkastore.init.timeout.ms: how long start() may take; default 60000. */
  readonly initTimeoutMs?: number;
  /** kafkastore.timeout.ms: how long an append may take, read-back included; default 500. */
  readonly timeoutMs?: number;
  /** The key of Confluent's NOOP record ({"keytype":"NOOP","magic":0}) for waitUntilCaughtUp. */
  readonly noopKey?: Buffer;
  readonly logger?: Logger;
}

interface PositionWaiter {
  /** Resolved once the next offset to apply is at least this. */
  readonly position: number;
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
}

/** Produce answers after which the record is known not to be in the log: safe to send again. */
const NOT_APPENDED: ReadonlySet<number> = new Set([
  ErrorCode.NOT_LEADER_OR_FOLLOWER,
  ErrorCode.LEADER_NOT_AVAILABLE,
  ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
  ErrorCode.NOT_ENOUGH_REPLICAS,
  ErrorCode.FENCED_LEADER_EPOCH,
  ErrorCode.UNKNOWN_LEADER_EPOCH,
]);

let logCount = 0;

export class KafkaRegistryLog implements RegistryLog {
  readonly topic: string;
  readonly #o: KafkaRegistryLogOptions;
  readonly #log: Logger;
  readonly #tp: TopicPartition;
  readonly #timeoutMs: number;
  readonly #initTimeoutMs: number;
  readonly #lane: string;
  #state: "new" | "starting" | "running" | "closed" = "new";
  #reader: PartitionReader | undefined;
  #producer: PartitionProducer | undefined;
  #apply: ((record: RegistryLogRecord) => void) | undefined;
  /** The next offset to apply: every record below it has been handed to apply(). */
  #position = 0;
  #waiters: PositionWaiter[] = [];
  #loop: Promise<void> | undefined;
  /** Cuts the read loop's and the append retries' sleeps short on close(). */
  readonly #closing = new AbortController();

  constructor(options: KafkaRegistryLogOptions) {
    this.#o = options;
    this.topic = options.topic ?? "_schemas";
    this.#tp = { topic: this.topic, partition: 0 };
    this.#timeoutMs = options.timeoutMs ?? 500;
    this.#initTimeoutMs = options.initTimeoutMs ?? 60_000;
    this.#lane = `registry-log-${++logCount}`;
    this.#log = (options.logger ?? createLogger({ level: "silent", format: "json" })).child({ component: "registry-kafka-log", topic: this.topic });
  }

  /** The next offset to apply (every record before it has been applied). */
  get position(): number {
    return this.#position;
  }

  async start(apply: (record: RegistryLogRecord) => void): Promise<void> {
    if (this.#state !== "new") throw new Error(`the registry log on "${this.topic}" was already started`);
    this.#state = "starting";
    this.#apply = apply;
    const deadline = Date.now() + this.#initTimeoutMs;
    try {
      await ensureSchemasTopic({
        client: this.#o.client,
        topic: this.topic,
        replicationFactor: this.#o.replicationFactor ?? 3,
        topicConfigs: this.#o.topicConfigs ?? {},
        skipValidation: this.#o.skipTopicValidation ?? false,
        deadline,
        initTimeoutMs: this.#initTimeoutMs,
        log: this.#log,
      });
      if (this.#isClosed()) throw new RegistryStoreError(`the registry log on "${this.topic}" was closed while starting`);
      const reader = new PartitionReader(this.#o.client, { logger: this.#log, offsetsTimeoutMs: Math.max(1, deadline - Date.now()), topicWaitMs: Math.max(5000, deadline - Date.now()) });
      this.#reader = reader;
      this.#producer = new PartitionProducer({ client: this.#o.client, acks: -1, timeoutMs: this.#timeoutMs, allowAutoTopicCreation: false, lane: this.#lane });
      reader.assign([{ ...this.#tp, offset: "earliest" }]);
      const [end] = await reader.endOffsets([this.#tp]);
      this.#position = Number(await reader.position(this.#tp));
      const target = Number(end!.offset);
      this.#log.info({ from: this.#position, to: target }, "reading the schemas topic");
      this.#state = "running";
      this.#loop = this.#readLoop(reader);
      await this.#waitForPosition(target, deadline, () => `reading the schemas topic "${this.topic}" up to offset ${target} at startup (kafkastore.init.timeout.ms=${this.#initTimeoutMs})`);
      this.#log.info({ position: this.#position }, "read the schemas topic to its end");
    } catch (err) {
      await this.close();
      if (err instanceof RegistryStoreError) throw err;
      throw new RegistryStoreError(`cannot start the registry's log on topic "${this.topic}": ${(err as Error).message}`, { cause: err });
    }
  }

  async append(key: Buffer, value: Buffer | null): Promise<number> {
    this.#ensureRunning();
    const deadline = Date.now() + this.#timeoutMs;
    const offset = await this.#produce(key, value, deadline);
    await this.#waitForPosition(offset + 1, deadline, () => `reading back the record written at offset ${offset} of "${this.topic}" (kafkastore.timeout.ms=${this.#timeoutMs})`);
    return offset;
  }

  async waitUntilCaughtUp(timeoutMs: number): Promise<void> {
    this.#ensureRunning();
    const deadline = Date.now() + timeoutMs;
    let target: number;
    if (this.#o.noopKey) {
      target = (await this.#produce(this.#o.noopKey, null, deadline)) + 1;
    } else {
      const reader = this.#reader!;
      const ends = await withDeadline(reader.endOffsets([this.#tp]), deadline, () => `reading the end offset of "${this.topic}"`);
      target = Number(ends[0]!.offset);
    }
    await this.#waitForPosition(target, deadline, () => `catching up with "${this.topic}" up to offset ${target}`);
  }

  async close(): Promise<void> {
    if (this.#state === "closed") return;
    this.#state = "closed";
    this.#closing.abort();
    await this.#reader?.close();
    await this.#loop;
    this.#o.client.closeLane(this.#lane);
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w.reject(new RegistryStoreError(`the registry log on "${this.topic}" is closed`));
  }

  #isClosed(): boolean {
    return this.#state === "closed";
  }

  #ensureRunning(): void {
    if (this.#state !== "running") throw new RegistryStoreError(`the registry log on "${this.topic}" is ${this.#state === "closed" ? "closed" : "not started"}`);
  }

  /** Produces one record and returns its offset, or throws RegistryStoreError / RegistryStoreTimeoutError. */
  async #produce(key: Buffer, value: Buffer | null, deadline: number): Promise<number> {
    const producer = this.#producer!;
    const backoff = new Backoff(50, 500);
    for (;;) {
      let err: unknown;
      try {
        const sent = producer.send(this.topic, 0, [{ key, value, headers: [], timestamp: null }]);
        return (await withDeadline(sent, deadline, () => `waiting for Kafka to acknowledge a write to "${this.topic}" (kafkastore.timeout.ms=${this.#timeoutMs}); the record may still be written`)).baseOffset;
      } catch (e) {
        err = e;
      }
      if (err instanceof RegistryStoreError) throw err;
      const left = deadline - Date.now();
      if (err instanceof KafkaError && NOT_APPENDED.has(err.code) && left > 0 && !this.#isClosed()) {
        const wait = Math.min(backoff.next(), left);
        this.#log.debug({ err: err.message, retryInMs: wait }, "the write was refused before being appended; retrying");
        await sleep(wait, this.#closing.signal);
        continue;
      }
      const message = (err as Error).message;
      if (err instanceof KafkaError && NOT_APPENDED.has(err.code)) {
        throw new RegistryStoreTimeoutError(`could not write to "${this.topic}" within ${this.#timeoutMs} ms (kafkastore.timeout.ms): ${message}`, { cause: err });
      }
      const unknownOutcome = err instanceof ConnectionError || err instanceof RequestTimeoutError;
      throw new RegistryStoreError(`writing to "${this.topic}" failed: ${message}${unknownOutcome ? " (the record may or may not have been written)" : ""}`, { cause: err });
    }
  }

  /** Resolves once every offset below `position` has been applied; rejects at the deadline. */
  #waitForPosition(position: number, deadline: number, what: () => string): Promise<void> {
    if (this.#position >= position) return Promise.resolve();
    if (this.#isClosed()) return Promise.reject(new RegistryStoreError(`the registry log on "${this.topic}" is closed`));
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        reject(new RegistryStoreTimeoutError(`timed out ${what()}: the reader is at offset ${this.#position}`));
      }, Math.max(0, deadline - Date.now()));
      const waiter: PositionWaiter = {
        position,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      };
      this.#waiters.push(waiter);
    });
  }

  async #readLoop(reader: PartitionReader): Promise<void> {
    const backoff = new Backoff(100, 5000);
    while (!this.#isClosed()) {
      let records: ConsumedRecord[];
      try {
        records = await reader.poll({ maxWaitMs: 500 });
        backoff.reset();
      } catch (err) {
        if (this.#isClosed()) return;
        // What the reader does not retry itself (the topic deleted, an authorization failure, a
        // corrupt batch): keep trying, as the registry can do nothing else; appends time out meanwhile.
        const wait = backoff.next();
        this.#log.error({ err: (err as Error).message, position: this.#position, retryInMs: wait }, "reading the schemas topic failed; retrying");
        await sleep(wait, this.#closing.signal);
        continue;
      }
      for (const r of records) this.#applyRecord(r);
      // The reader's position moves past offsets that hold no record (compaction, transaction markers).
      try {
        const next = Number(await reader.position(this.#tp));
        if (next > this.#position) this.#position = next;
      } catch {
        // Closed meanwhile, or a reset under way: the next round sees it.
      }
      this.#settleWaiters();
    }
  }

  #applyRecord(r: ConsumedRecord): void {
    const offset = Number(r.offset);
    // Already applied: the reader went back to the log start (OFFSET_OUT_OF_RANGE).
    if (offset < this.#position) return;
    this.#position = offset + 1;
    if (r.key === null) {
      this.#log.error({ offset }, "a record without a key in the schemas topic; skipped");
      return;
    }
    try {
      // Copies: the reader's buffers are views of the fetch response, and the owner keeps these.
      this.#apply!({ key: Buffer.from(r.key), value: r.value === null ? null : Buffer.from(r.value), offset });
    } catch (err) {
      // As Confluent's reader thread: a record that cannot be applied is logged and skipped.
      this.#log.error({ offset, err: (err as Error).message }, "a record of the schemas topic could not be applied; skipped");
    }
  }

  #settleWaiters(): void {
    if (this.#waiters.length === 0) return;
    const still: PositionWaiter[] = [];
    for (const w of this.#waiters) {
      if (this.#position >= w.position) w.resolve();
      else still.push(w);
    }
    this.#waiters = still;
  }
}

/** The promise's outcome, or a RegistryStoreTimeoutError once the deadline passes. */
function withDeadline<T>(promise: Promise<T>, deadline: number, what: () => string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new RegistryStoreTimeoutError(`timed out ${what()}`)), Math.max(0, deadline - Date.now()));
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

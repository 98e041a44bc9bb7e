// Sink connectors and tasks (org.apache.kafka.connect.sink): the runtime consumes the topics,
// hands batches to put(), and commits consumer offsets only after flush()/preCommit() says the
// data is safely written (at-least-once).
import { type Awaitable, Connector, type ConnectorContext, type ConnectorProps, type Task, type TaskClass } from "./connector.ts";
import type { SinkRecord } from "./records.ts";

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** A partition's offset: the offset of the next record to consume (last written + 1). */
export interface TopicPartitionOffset extends TopicPartition {
  readonly offset: number;
  readonly metadata?: string;
}

/** Sends a record that a sink task could not write to the dead letter queue (KIP-610). */
export interface ErrantRecordReporter {
  /** Resolves once the record is reported; with errors.tolerance=none it fails the task instead. */
  report(record: SinkRecord, error: Error): Promise<void>;
}

export type SinkConnectorContext = ConnectorContext;

export interface SinkTaskContext {
  /** The task's config. */
  configs(): ConnectorProps;
  /** Rewinds (or skips) consumption of partitions to these offsets. */
  offset(offsets: readonly TopicPartitionOffset[]): void;
  offset(topicPartition: TopicPartition, offset: number): void;
  /** After put() threw a RetriableException: wait this long before retrying the batch. */
  timeout(timeoutMs: number): void;
  /** The partitions currently assigned to this task. */
  assignment(): TopicPartition[];
  /** Stops fetching from partitions (the consumer keeps its group membership). */
  pause(...partitions: TopicPartition[]): void;
  resume(...partitions: TopicPartition[]): void;
  /** Asks for an offset commit (flush/preCommit) as soon as possible. */
  requestCommit(): void;
  /** The dead letter queue reporter, or null when none is configured. */
  errantRecordReporter(): ErrantRecordReporter | null;
}

/** One partition's offset to alter, or null to reset it (PATCH/DELETE /connectors/{name}/offsets). */
export interface SinkOffsetChange extends TopicPartition {
  readonly offset: number | null;
}

export abstract class SinkConnector extends Connector {
  /** The key naming the topics to consume ("topics"), as Kafka's SinkConnector.TOPICS_CONFIG. */
  static readonly TOPICS_CONFIG = "topics";
  protected declare context: SinkConnectorContext | null;

  abstract override taskClass(): TaskClass<SinkTask>;

  /** See SourceConnector.alterOffsets (KIP-875); the default, false, leaves it to the runtime. */
  alterOffsets(_connectorConfig: ConnectorProps, _offsets: readonly SinkOffsetChange[]): Awaitable<boolean> {
    return false;
  }
}

export abstract class SinkTask implements Task {
  static readonly TOPICS_CONFIG = "topics";
  static readonly TOPICS_REGEX_CONFIG = "topics.regex";
  /** Set by the runtime through initialize() before start(). */
  protected context!: SinkTaskContext;

  initialize(context: SinkTaskContext): void {
    this.context = context;
  }

  version(): string {
    return "unknown";
  }

  abstract start(props: ConnectorProps): Awaitable<void>;

  /**
   * Writes (or buffers) a batch. Throw a RetriableException to have the same batch delivered
   * again after context.timeout(); any other error fails the task.
   */
  abstract put(records: SinkRecord[]): Awaitable<void>;

  /** Makes everything put so far durable. The default does nothing. */
  flush(_currentOffsets: readonly TopicPartitionOffset[]): Awaitable<void> {}

  /**
   * The offsets that are safe to commit, given those of the records put so far. The default
   * flushes and returns them all; override to commit less (asynchronous writers) or nothing ([]).
   */
  preCommit(currentOffsets: readonly TopicPartitionOffset[]): Awaitable<TopicPartitionOffset[]> {
    const flushed = this.flush(currentOffsets);
    return flushed instanceof Promise ? flushed.then(() => [...currentOffsets]) : [...currentOffsets];
  }

  /** Partitions newly assigned to this task (after a rebalance). */
  open(_partitions: TopicPartition[]): Awaitable<void> {}

  /** Partitions taken away from this task: write out what is buffered for them. */
  close(_partitions: TopicPartition[]): Awaitable<void> {}

  abstract stop(): Awaitable<void>;
}

// Source connectors and tasks (org.apache.kafka.connect.source): tasks poll records from an
// external system; each record carries a source partition and offset, which the runtime
// commits only after Kafka has acknowledged the record (at-least-once), and hands back
// through the OffsetStorageReader when a task restarts.
import { type Awaitable, Connector, type ConnectorContext, type ConnectorProps, type Task, type TaskClass } from "./connector.ts";
import type { SourceMap, SourceRecord } from "./records.ts";

/** The committed offsets of a connector's source partitions. */
export interface OffsetStorageReader {
  /** The last committed offset of one partition, or null. */
  offset(partition: SourceMap): Promise<SourceMap | null>;
  /** The offsets of several partitions, keyed by the partition objects given. */
  offsets(partitions: readonly SourceMap[]): Promise<Map<SourceMap, SourceMap | null>>;
}

export interface SourceConnectorContext extends ConnectorContext {
  offsetStorageReader(): OffsetStorageReader;
}

export interface SourceTaskContext {
  /** The task's config. */
  configs(): ConnectorProps;
  offsetStorageReader(): OffsetStorageReader;
}

/** Where a source record was written (Kafka's RecordMetadata). */
export interface RecordMetadata {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number | null;
}

/** One partition's offset, or null to reset it (PATCH/DELETE /connectors/{name}/offsets). */
export interface SourceOffsetChange {
  readonly partition: SourceMap;
  readonly offset: SourceMap | null;
}

export abstract class SourceConnector extends Connector {
  protected declare context: SourceConnectorContext | null;

  abstract override taskClass(): TaskClass<SourceTask>;

  /**
   * Called before the runtime alters or resets this connector's offsets (KIP-875). Return true
   * if the connector handled or accepts the change; the default, false, means the connector
   * does not manage offsets itself and the runtime applies the change alone.
   */
  alterOffsets(_connectorConfig: ConnectorProps, _offsets: readonly SourceOffsetChange[]): Awaitable<boolean> {
    return false;
  }
}

export abstract class SourceTask implements Task {
  /** Set by the runtime through initialize() before start(). */
  protected context!: SourceTaskContext;

  initialize(context: SourceTaskContext): void {
    this.context = context;
  }

  version(): string {
    return "unknown";
  }

  abstract start(props: ConnectorProps): Awaitable<void>;

  /**
   * The next records, or null/[] when there are none for now. May wait a little for data, but
   * should return within about a second so the task can be paused or stopped; stop() may be
   * called while a poll is pending, and the poll should then resolve promptly.
   */
  abstract poll(): Awaitable<SourceRecord[] | null>;

  /** Called after offsets up to the records returned so far have been committed. */
  commit(): Awaitable<void> {}

  /**
   * Called for each record once Kafka has acknowledged it (metadata says where it went), or
   * once a transformation dropped it (metadata null).
   */
  commitRecord(_record: SourceRecord, _metadata: RecordMetadata | null): Awaitable<void> {}

  abstract stop(): Awaitable<void>;
}

// Records as connectors and transformations see them (org.apache.kafka.connect.connector.
// ConnectRecord, source.SourceRecord, sink.SinkRecord): a topic, partition, key and value with
// their schemas, a timestamp and headers. Records are immutable apart from their Headers
// object; newRecord() copies one with changes, as Kafka's newRecord(...) overloads do.
import type { Schema } from "./data/schema.ts";
import { formatValue } from "./data/struct.ts";
import { type Header, Headers } from "./header/headers.ts";

export interface ConnectRecordFields {
  topic: string;
  /** null lets the producer's partitioner choose (source records). */
  kafkaPartition?: number | null;
  keySchema?: Schema | null;
  key?: unknown;
  valueSchema?: Schema | null;
  value?: unknown;
  /** Milliseconds since the epoch, or null. */
  timestamp?: number | null;
  /** A Headers object is used as is (not copied), other iterables are copied. */
  headers?: Iterable<Header> | null;
}

/**
 * Changes for newRecord(): a property that is absent (or undefined) keeps the record's value;
 * null sets null. Headers, when absent, are duplicated so the copy's can change on their own.
 */
export type RecordChanges = Partial<ConnectRecordFields>;

export abstract class ConnectRecord {
  readonly topic: string;
  readonly kafkaPartition: number | null;
  readonly keySchema: Schema | null;
  readonly key: unknown;
  readonly valueSchema: Schema | null;
  readonly value: unknown;
  readonly timestamp: number | null;
  readonly headers: Headers;

  constructor(fields: ConnectRecordFields) {
    this.topic = fields.topic;
    this.kafkaPartition = fields.kafkaPartition ?? null;
    this.keySchema = fields.keySchema ?? null;
    this.key = fields.key ?? null;
    this.valueSchema = fields.valueSchema ?? null;
    this.value = fields.value ?? null;
    this.timestamp = fields.timestamp ?? null;
    const headers = fields.headers;
    this.headers = headers instanceof Headers ? headers : new Headers(headers);
  }

  /** A copy of this record with some fields changed, of the same class (extra fields carried over). */
  abstract newRecord(changes: RecordChanges): this;

  /** The fields of this record with the changes applied, for newRecord implementations. */
  protected mergeFields(changes: RecordChanges): ConnectRecordFields {
    // Written out rather than through a helper closure: every SMT copies every record.
    return {
      topic: changes.topic === undefined ? this.topic : changes.topic,
      kafkaPartition: changes.kafkaPartition === undefined ? this.kafkaPartition : changes.kafkaPartition,
      keySchema: changes.keySchema === undefined ? this.keySchema : changes.keySchema,
      key: changes.key === undefined ? this.key : changes.key,
      valueSchema: changes.valueSchema === undefined ? this.valueSchema : changes.valueSchema,
      value: changes.value === undefined ? this.value : changes.value,
      timestamp: changes.timestamp === undefined ? this.timestamp : changes.timestamp,
      headers: changes.headers === undefined ? this.headers.duplicate() : changes.headers,
    };
  }

  protected describeFields(): string {
    return (
      `topic='${this.topic}', kafkaPartition=${this.kafkaPartition}, key=${formatValue(this.key)}, ` +
      `keySchema=${this.keySchema?.toString() ?? "null"}, value=${formatValue(this.value)}, ` +
      `valueSchema=${this.valueSchema?.toString() ?? "null"}, timestamp=${this.timestamp}, headers=${this.headers.toString()}`
    );
  }
}

/** A source partition or offset: a small JSON-able map (strings, numbers, bigints, booleans, null). */
export type SourceMap = Readonly<Record<string, unknown>>;

export interface SourceRecordFields extends ConnectRecordFields {
  /** Where the record comes from (a file, a table...): the key of the offset. */
  sourcePartition: SourceMap | null;
  /** How far reading that partition got, once this record is written. */
  sourceOffset: SourceMap | null;
}

/** A record a source task produces; its offset is committed once Kafka has acknowledged it. */
export class SourceRecord extends ConnectRecord {
  readonly sourcePartition: SourceMap | null;
  readonly sourceOffset: SourceMap | null;

  constructor(fields: SourceRecordFields) {
    super(fields);
    this.sourcePartition = fields.sourcePartition ?? null;
    this.sourceOffset = fields.sourceOffset ?? null;
  }

  override newRecord(changes: RecordChanges): this {
    const fields = this.mergeFields(changes) as SourceRecordFields;
    fields.sourcePartition = this.sourcePartition;
    fields.sourceOffset = this.sourceOffset;
    return new SourceRecord(fields) as this;
  }

  override toString(): string {
    return `SourceRecord{sourcePartition=${formatValue(this.sourcePartition)}, sourceOffset=${formatValue(this.sourceOffset)}} ConnectRecord{${this.describeFields()}}`;
  }
}

export const TimestampType = {
  NO_TIMESTAMP_TYPE: "NoTimestampType",
  CREATE_TIME: "CreateTime",
  LOG_APPEND_TIME: "LogAppendTime",
} as const;
export type TimestampType = (typeof TimestampType)[keyof typeof TimestampType];

export interface SinkRecordFields extends ConnectRecordFields {
  kafkaPartition: number;
  kafkaOffset: number;
  timestampType?: TimestampType;
  /** The topic, partition and offset the record was consumed from, before transformations (KIP-793). Default: this record's. */
  originalTopic?: string;
  originalKafkaPartition?: number;
  originalKafkaOffset?: number;
}

/** A record consumed from Kafka and handed to a sink task. */
export class SinkRecord extends ConnectRecord {
  readonly kafkaOffset: number;
  readonly timestampType: TimestampType;
  readonly originalTopic: string;
  readonly originalKafkaPartition: number;
  readonly originalKafkaOffset: number;
  declare readonly kafkaPartition: number;

  constructor(fields: SinkRecordFields) {
    super(fields);
    this.kafkaOffset = fields.kafkaOffset;
    this.timestampType = fields.timestampType ?? (fields.timestamp == null ? TimestampType.NO_TIMESTAMP_TYPE : TimestampType.CREATE_TIME);
    this.originalTopic = fields.originalTopic ?? fields.topic;
    this.originalKafkaPartition = fields.originalKafkaPartition ?? fields.kafkaPartition;
    this.originalKafkaOffset = fields.originalKafkaOffset ?? fields.kafkaOffset;
  }

  override newRecord(changes: RecordChanges): this {
    const fields = this.mergeFields(changes) as SinkRecordFields;
    fields.kafkaPartition ??= this.kafkaPartition;
    fields.kafkaOffset = this.kafkaOffset;
    fields.timestampType = this.timestampType;
    fields.originalTopic = this.originalTopic;
    fields.originalKafkaPartition = this.originalKafkaPartition;
    fields.originalKafkaOffset = this.originalKafkaOffset;
    return new SinkRecord(fields) as this;
  }

  override toString(): string {
    return `SinkRecord{kafkaOffset=${this.kafkaOffset}, timestampType=${this.timestampType}, originalTopic=${this.originalTopic}, originalKafkaPartition=${this.originalKafkaPartition}, originalKafkaOffset=${this.originalKafkaOffset}} ConnectRecord{${this.describeFields()}}`;
  }
}

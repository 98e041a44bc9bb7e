// errors.deadletterqueue.topic.name: records that failed go to a topic (Kafka's
// DeadLetterQueueReporter). For sink tasks the DLQ record is the consumed record as it was read —
// its key, value, headers and timestamp bytes — plus, with
// errors.deadletterqueue.context.headers.enable, Kafka's context headers (UTF-8 strings):
//   __connect.errors.topic / .partition / .offset         where the record was consumed
//   __connect.errors.connector.name / .task.id            who failed
//   __connect.errors.stage / .class.name                  what failed (stage, plugin class)
//   __connect.errors.exception.class.name / .message / .stacktrace
// The topic is created when missing, with 1 partition and
// errors.deadletterqueue.topic.replication.factor (default 3, used as given: on a one-broker
// cluster set it to 1, as with Kafka Connect); a topic that cannot be created fails the task's start.
//
// hub extension — source tasks get a dead letter queue too, for records that fail in a
// transformation or a converter (Kafka Connect has none for sources). Such a record has no bytes
// yet, so the DLQ record holds what can be serialized of the record the connector produced
// (before any transformation): its key and value written with the connector's key and value
// converters, or, where that converter fails (the failure being reported, often), as schemaless
// JSON (JsonConverter, schemas.enable=false), or null when even that fails; its headers written
// with the header converter (headers that fail are left out); its timestamp. The context headers
// then name the record's destination topic (and partition, when the record set one) and add
// __connect.errors.source.partition / .offset: the record's source partition and offset as JSON.
import { type Awaitable, type RecordHeader, type SourceRecord } from "../../api/index.ts";
import type { Logger } from "../../../lib/logger.ts";
import { JsonConverter } from "../../converters/json-converter.ts";
import { exceptionClassName, stackTraceOf } from "./java-errors.ts";
import { type ErrorReporter, type ProcessingContext, Stage } from "./processing-context.ts";

export const DLQ_HEADER_PREFIX = "__connect.errors.";
export const ERROR_HEADER_ORIG_TOPIC = `${DLQ_HEADER_PREFIX}topic`;
export const ERROR_HEADER_ORIG_PARTITION = `${DLQ_HEADER_PREFIX}partition`;
export const ERROR_HEADER_ORIG_OFFSET = `${DLQ_HEADER_PREFIX}offset`;
export const ERROR_HEADER_CONNECTOR_NAME = `${DLQ_HEADER_PREFIX}connector.name`;
export const ERROR_HEADER_TASK_ID = `${DLQ_HEADER_PREFIX}task.id`;
export const ERROR_HEADER_STAGE = `${DLQ_HEADER_PREFIX}stage`;
export const ERROR_HEADER_EXECUTING_CLASS = `${DLQ_HEADER_PREFIX}class.name`;
export const ERROR_HEADER_EXCEPTION = `${DLQ_HEADER_PREFIX}exception.class.name`;
export const ERROR_HEADER_EXCEPTION_MESSAGE = `${DLQ_HEADER_PREFIX}exception.message`;
export const ERROR_HEADER_EXCEPTION_STACK_TRACE = `${DLQ_HEADER_PREFIX}exception.stacktrace`;
/** hub: the source partition and offset (JSON) of a source record sent to the DLQ. */
export const ERROR_HEADER_SOURCE_PARTITION = `${DLQ_HEADER_PREFIX}source.partition`;
export const ERROR_HEADER_SOURCE_OFFSET = `${DLQ_HEADER_PREFIX}source.offset`;

/** The stages whose source record failures go to the DLQ (not producer errors: the DLQ would refuse the record too). */
const SOURCE_DLQ_STAGES: ReadonlySet<string> = new Set([Stage.TRANSFORMATION, Stage.KEY_CONVERTER, Stage.VALUE_CONVERTER, Stage.HEADER_CONVERTER]);

/** Kafka's DLQ_NUM_DESIRED_PARTITIONS. */
export const DLQ_PARTITIONS = 1;

export interface DlqRecord {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: RecordHeader[];
  readonly timestamp: number | null;
}

/** Writes records to the DLQ topic; resolves once acknowledged. */
export interface DlqProducer {
  send(topic: string, record: DlqRecord): Promise<void>;
  close(): Promise<void>;
}

/** A source record's key, value and headers as bytes, as far as they can be serialized. */
export type SourceRecordSerializer = (record: SourceRecord) => Awaitable<Omit<DlqRecord, "timestamp">>;

export interface DeadLetterQueueReporterOptions {
  topic: string;
  connector: string;
  task: number;
  contextHeaders: boolean;
  producer: DlqProducer;
  /** Source tasks: how to turn the failed record into bytes. */
  serializeSource?: SourceRecordSerializer;
  onProduceRequest: () => void;
  onProduceFailure: () => void;
  logger: Logger;
}

const utf8 = (s: string): Buffer => Buffer.from(s, "utf8");

const schemalessJson = new JsonConverter();
schemalessJson.configure({ "schemas.enable": "false" }, false);

function jsonText(value: unknown): string {
  try {
    return schemalessJson.fromConnectData("", null, null, value)?.toString("utf8") ?? "null";
  } catch {
    return String(value);
  }
}

export class DeadLetterQueueReporter implements ErrorReporter {
  readonly topic: string;
  readonly #options: DeadLetterQueueReporterOptions;

  constructor(options: DeadLetterQueueReporterOptions) {
    this.#options = options;
    this.topic = options.topic.trim();
  }

  report(context: ProcessingContext): Promise<void> | void {
    if (this.topic === "") return;
    if (context.consumerRecord === null && context.sourceRecord !== null && !SOURCE_DLQ_STAGES.has(context.stage)) return;
    this.#options.onProduceRequest();
    return this.#send(context);
  }

  async close(): Promise<void> {
    await this.#options.producer.close();
  }

  async #send(context: ProcessingContext): Promise<void> {
    const { logger } = this.#options;
    try {
      const record = await this.#recordFor(context);
      if (record === null) {
        this.#options.onProduceFailure();
        return;
      }
      await this.#options.producer.send(this.topic, record);
    } catch (e) {
      logger.error({ err: e, topic: this.topic }, `Could not produce message to dead letter queue. topic=${this.topic}`);
      this.#options.onProduceFailure();
    }
  }

  async #recordFor(context: ProcessingContext): Promise<DlqRecord | null> {
    let record: DlqRecord;
    const consumed = context.consumerRecord;
    if (consumed !== null) {
      record = { key: consumed.key, value: consumed.value, headers: [...consumed.headers], timestamp: consumed.timestamp };
    } else if (context.sourceRecord !== null && this.#options.serializeSource && SOURCE_DLQ_STAGES.has(context.stage)) {
      const source = context.sourceRecord;
      const bytes = await this.#options.serializeSource(source);
      record = { ...bytes, headers: [...bytes.headers], timestamp: source.timestamp };
    } else {
      return null;
    }
    if (this.#options.contextHeaders) this.#addContextHeaders(record.headers, context);
    return record;
  }

  #addContextHeaders(headers: RecordHeader[], context: ProcessingContext): void {
    const add = (key: string, value: string | null): void => {
      headers.push({ key, value: value === null ? null : utf8(value) });
    };
    const consumed = context.consumerRecord;
    if (consumed !== null) {
      add(ERROR_HEADER_ORIG_TOPIC, consumed.topic);
      add(ERROR_HEADER_ORIG_PARTITION, String(consumed.partition));
      add(ERROR_HEADER_ORIG_OFFSET, String(consumed.offset));
    } else if (context.sourceRecord !== null) {
      const source = context.sourceRecord;
      add(ERROR_HEADER_ORIG_TOPIC, source.topic);
      if (source.kafkaPartition !== null) add(ERROR_HEADER_ORIG_PARTITION, String(source.kafkaPartition));
    }
    add(ERROR_HEADER_CONNECTOR_NAME, this.#options.connector);
    add(ERROR_HEADER_TASK_ID, String(this.#options.task));
    add(ERROR_HEADER_STAGE, context.stage);
    add(ERROR_HEADER_EXECUTING_CLASS, context.executingClass);
    const error = context.error;
    if (error !== null) {
      add(ERROR_HEADER_EXCEPTION, exceptionClassName(error));
      add(ERROR_HEADER_EXCEPTION_MESSAGE, error.message);
      add(ERROR_HEADER_EXCEPTION_STACK_TRACE, stackTraceOf(error));
    }
    if (consumed === null && context.sourceRecord !== null) {
      add(ERROR_HEADER_SOURCE_PARTITION, jsonText(context.sourceRecord.sourcePartition));
      add(ERROR_HEADER_SOURCE_OFFSET, jsonText(context.sourceRecord.sourceOffset));
    }
  }
}

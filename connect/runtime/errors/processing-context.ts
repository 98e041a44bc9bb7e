// What the error handling knows about the record being processed when something fails (Kafka's
// ProcessingContext and Stage): the stage and the class that was running, the attempt number,
// the error, and the record itself — the raw consumed record for sink tasks, the source record
// for source tasks — which the reporters log or send to the dead letter queue.
import type { RecordHeader, SourceRecord, TimestampType } from "../../api/index.ts";

/** Kafka's Stage names: they appear in logs and in the __connect.errors.stage DLQ header. */
export const Stage = {
  KEY_CONVERTER: "KEY_CONVERTER",
  VALUE_CONVERTER: "VALUE_CONVERTER",
  HEADER_CONVERTER: "HEADER_CONVERTER",
  TRANSFORMATION: "TRANSFORMATION",
  TASK_PUT: "TASK_PUT",
  TASK_POLL: "TASK_POLL",
  KAFKA_PRODUCE: "KAFKA_PRODUCE",
  KAFKA_CONSUME: "KAFKA_CONSUME",
} as const;
export type Stage = (typeof Stage)[keyof typeof Stage];

/** A record as the sink task's consumer read it: the bytes the dead letter queue receives. */
export interface ConsumedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number | null;
  readonly timestampType: TimestampType;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly RecordHeader[];
}

export class ProcessingContext {
  readonly consumerRecord: ConsumedRecord | null;
  readonly sourceRecord: SourceRecord | null;
  stage: Stage = Stage.TASK_POLL;
  /** The plugin class that was running (a Java class name where the plugin stands in for one). */
  executingClass = "";
  attempt = 0;
  error: Error | null = null;
  /** Set once the failure was reported: settles when the reporters are done (the DLQ acknowledged it). */
  reported: Promise<void> | null = null;

  constructor(record: { consumerRecord?: ConsumedRecord; sourceRecord?: SourceRecord }) {
    this.consumerRecord = record.consumerRecord ?? null;
    this.sourceRecord = record.sourceRecord ?? null;
  }

  get failed(): boolean {
    return this.error !== null;
  }

  /** Kafka's ProcessingContext.toString(includeMessage): what the log reporter prints. */
  describe(includeMessage: boolean): string {
    let out = `Executing stage '${this.stage}' with class '${this.executingClass || "null"}'`;
    if (includeMessage && this.sourceRecord !== null) {
      out += `, where source record is = ${this.sourceRecord.toString()}`;
    } else if (includeMessage && this.consumerRecord !== null) {
      const r = this.consumerRecord;
      out += `, where consumed record is {topic='${r.topic}', partition=${r.partition}, offset=${r.offset}`;
      if (r.timestamp !== null && r.timestampType !== "NoTimestampType") out += `, timestamp=${r.timestamp}, timestampType=${r.timestampType}`;
      out += "}";
    }
    return `${out}.`;
  }
}

/** Where errors go besides the task: the log, the dead letter queue (Kafka's ErrorReporter). */
export interface ErrorReporter {
  /** Reports a failed record; a promise when the report completes later (a produce to the DLQ). */
  report(context: ProcessingContext): Promise<void> | void;
  close(): Promise<void>;
}

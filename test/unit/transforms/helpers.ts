// Shared helpers of the SMT unit tests: records to transform.
import { type RecordChanges, SinkRecord, SourceRecord } from "../../../connect/api/index.ts";

export function sourceRecord(changes: RecordChanges = {}): SourceRecord {
  return new SourceRecord({ topic: "orders", kafkaPartition: 3, timestamp: 1_700_000_000_123, sourcePartition: { f: "a" }, sourceOffset: { pos: 1 }, ...changes });
}

export function sinkRecord(changes: Omit<RecordChanges, "kafkaPartition"> = {}): SinkRecord {
  return new SinkRecord({ topic: "orders", kafkaPartition: 3, kafkaOffset: 42, timestamp: 1_700_000_000_123, timestampType: "CreateTime", ...changes });
}

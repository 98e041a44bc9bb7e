// Change events as Connect source records. Like Debezium, records carry no timestamp (the
// producer stamps them) and no partition (the key decides it).
import { type Headers, type SourceMap, SourceRecord } from "../../connect/api/index.ts";
import type { ChangeEvent } from "./contracts.ts";

export function eventRecord(event: ChangeEvent, partition: SourceMap, offset: SourceMap, headers?: Headers): SourceRecord {
  return new SourceRecord({
    sourcePartition: partition,
    sourceOffset: offset,
    topic: event.topic,
    kafkaPartition: null,
    keySchema: event.keySchema,
    key: event.key,
    valueSchema: event.valueSchema,
    value: event.value,
    headers: headers ?? null,
  });
}

/** The tombstone after a delete: the same key, a null value (log compaction then drops the row's records). */
export function tombstoneRecord(deleteEvent: ChangeEvent, partition: SourceMap, offset: SourceMap): SourceRecord {
  return new SourceRecord({
    sourcePartition: partition,
    sourceOffset: offset,
    topic: deleteEvent.topic,
    kafkaPartition: null,
    keySchema: deleteEvent.keySchema,
    key: deleteEvent.key,
    valueSchema: null,
    value: null,
  });
}

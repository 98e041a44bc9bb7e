// Heartbeat records, as Debezium writes them: topic <topic.heartbeat.prefix>.<topic.prefix>, key
// io.debezium.connector.common.ServerNameKey {serverName}, value
// io.debezium.connector.common.Heartbeat {ts_ms}. What matters is their offset: the latest
// processed position, so the runtime stores it and commit() can confirm the slot up to it even
// when no captured table changes.
import { type Schema, SchemaBuilder, type SourceMap, SourceRecord, Struct } from "../../connect/api/index.ts";

export const HEARTBEAT_KEY_SCHEMA: Schema = SchemaBuilder.struct()
  .name("io.debezium.connector.common.ServerNameKey")
  .version(1)
  .field("serverName", SchemaBuilder.string().build())
  .build();

export const HEARTBEAT_VALUE_SCHEMA: Schema = SchemaBuilder.struct()
  .name("io.debezium.connector.common.Heartbeat")
  .version(1)
  .field("ts_ms", SchemaBuilder.int64().build())
  .build();

export function heartbeatTopic(heartbeatPrefix: string, topicPrefix: string): string {
  return `${heartbeatPrefix}.${topicPrefix}`;
}

export function heartbeatRecord(topic: string, topicPrefix: string, partition: SourceMap, offset: SourceMap, nowMs: number): SourceRecord {
  return new SourceRecord({
    sourcePartition: partition,
    sourceOffset: offset,
    topic,
    kafkaPartition: null,
    keySchema: HEARTBEAT_KEY_SCHEMA,
    key: new Struct(HEARTBEAT_KEY_SCHEMA).put("serverName", topicPrefix),
    valueSchema: HEARTBEAT_VALUE_SCHEMA,
    value: new Struct(HEARTBEAT_VALUE_SCHEMA).put("ts_ms", BigInt(nowMs)),
  });
}

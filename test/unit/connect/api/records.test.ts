import { describe, expect, it } from "vitest";
import { Headers, Schema, SinkRecord, SourceRecord, TimestampType } from "../../../../connect/api/index.ts";

describe("SourceRecord", () => {
  const record = new SourceRecord({
    sourcePartition: { file: "/tmp/in.txt" },
    sourceOffset: { position: 42 },
    topic: "lines",
    valueSchema: Schema.STRING_SCHEMA,
    value: "hello",
    timestamp: 1000,
  });

  it("defaults what it is not given", () => {
    expect(record.kafkaPartition).toBeNull();
    expect(record.key).toBeNull();
    expect(record.keySchema).toBeNull();
    expect(record.headers.isEmpty()).toBe(true);
  });

  it("copies with changes through newRecord, keeping its source partition and offset", () => {
    const copy = record.newRecord({ topic: "other", key: "k", keySchema: Schema.STRING_SCHEMA, timestamp: null });
    expect(copy).toBeInstanceOf(SourceRecord);
    expect([copy.topic, copy.key, copy.value, copy.timestamp]).toEqual(["other", "k", "hello", null]);
    expect(copy.sourcePartition).toEqual({ file: "/tmp/in.txt" });
    expect(copy.sourceOffset).toEqual({ position: 42 });
    copy.headers.addString("h", "v");
    expect(record.headers.isEmpty()).toBe(true);
    const withHeaders = record.newRecord({ headers: new Headers().addInt("n", 1) });
    expect(withHeaders.headers.lastWithName("n")?.value).toBe(1);
  });

  it("uses a Headers object it is given as is", () => {
    const headers = new Headers();
    const r = new SourceRecord({ sourcePartition: null, sourceOffset: null, topic: "t", headers });
    expect(r.headers).toBe(headers);
    expect(r.toString()).toContain("topic='t'");
  });
});

describe("SinkRecord", () => {
  const record = new SinkRecord({ topic: "orders", kafkaPartition: 3, kafkaOffset: 99, key: "k", value: { a: 1 }, timestamp: 5, timestampType: TimestampType.LOG_APPEND_TIME });

  it("keeps its offset, timestamp type and original coordinates through newRecord (KIP-793)", () => {
    const routed = record.newRecord({ topic: "orders-routed", kafkaPartition: 0 });
    expect(routed).toBeInstanceOf(SinkRecord);
    expect([routed.topic, routed.kafkaPartition, routed.kafkaOffset, routed.timestampType]).toEqual(["orders-routed", 0, 99, "LogAppendTime"]);
    expect([routed.originalTopic, routed.originalKafkaPartition, routed.originalKafkaOffset]).toEqual(["orders", 3, 99]);
  });

  it("infers the timestamp type when not given", () => {
    expect(new SinkRecord({ topic: "t", kafkaPartition: 0, kafkaOffset: 0 }).timestampType).toBe("NoTimestampType");
    expect(new SinkRecord({ topic: "t", kafkaPartition: 0, kafkaOffset: 0, timestamp: 1 }).timestampType).toBe("CreateTime");
  });
});

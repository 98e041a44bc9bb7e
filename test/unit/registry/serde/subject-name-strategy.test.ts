import { describe, expect, it } from "vitest";
import { findSubjectNameStrategy, SUBJECT_NAME_STRATEGY_CLASSES, subjectNameStrategy } from "../../../../registry/serde/subject-name-strategy.ts";
import { SerializationException } from "../../../../registry/serde/wire-format.ts";

describe("subject name strategies", () => {
  it("TopicNameStrategy names subjects after the topic and the role", () => {
    const s = subjectNameStrategy("TopicNameStrategy");
    expect(s.subjectName("orders", false, "com.example.Order")).toBe("orders-value");
    expect(s.subjectName("orders", true, null)).toBe("orders-key");
    expect(s.usesSchema).toBe(false);
  });

  it("RecordNameStrategy names subjects after the record, whatever the topic", () => {
    const s = subjectNameStrategy("RecordNameStrategy");
    expect(s.subjectName("orders", false, "com.example.Order")).toBe("com.example.Order");
    expect(s.subjectName("other", true, "com.example.Order")).toBe("com.example.Order");
    expect(s.usesSchema).toBe(true);
  });

  it("TopicRecordNameStrategy joins topic and record name", () => {
    expect(subjectNameStrategy("TopicRecordNameStrategy").subjectName("orders", false, "com.example.Order")).toBe("orders-com.example.Order");
  });

  it("the record strategies refuse schemas without a name, naming the key that chose them", () => {
    expect(() => subjectNameStrategy("RecordNameStrategy").subjectName("t", false, null)).toThrow(SerializationException);
    expect(() => subjectNameStrategy("RecordNameStrategy").subjectName("t", false, null)).toThrow(
      "In configuration value.subject.name.strategy = io.confluent.kafka.serializers.subject.RecordNameStrategy, the message value must only be a record schema (a schema with a name)",
    );
    expect(() => subjectNameStrategy("TopicRecordNameStrategy").subjectName("t", true, "")).toThrow("In configuration key.subject.name.strategy");
  });

  it("accepts Confluent's class names and the bare names", () => {
    expect(findSubjectNameStrategy("io.confluent.kafka.serializers.subject.TopicNameStrategy")?.name).toBe("TopicNameStrategy");
    expect(findSubjectNameStrategy("io.confluent.kafka.serializers.subject.RecordNameStrategy")?.name).toBe("RecordNameStrategy");
    expect(findSubjectNameStrategy(" io.confluent.kafka.serializers.subject.TopicRecordNameStrategy ")?.name).toBe("TopicRecordNameStrategy");
    expect(findSubjectNameStrategy("RecordNameStrategy")?.name).toBe("RecordNameStrategy");
    expect(findSubjectNameStrategy("com.example.MyStrategy")).toBeNull();
    expect(SUBJECT_NAME_STRATEGY_CLASSES).toContain("io.confluent.kafka.serializers.subject.TopicNameStrategy");
  });
});

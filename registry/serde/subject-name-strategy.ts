// Subject name strategies: under which subject a serializer registers (and looks up) the schema
// of a record key or value, as Confluent's serializers configure them with
// key.subject.name.strategy / value.subject.name.strategy (Java class names, kept as aliases):
//
//   TopicNameStrategy        <topic>-key / <topic>-value (the default)
//   RecordNameStrategy       the record's fully qualified name, whatever the topic
//   TopicRecordNameStrategy  <topic>-<record name>
//
// The record name is what the format calls the schema's name: an Avro named type's full name,
// a JSON Schema's title, a Protobuf message's full name.
import { SerializationException } from "./wire-format.ts";

export type SubjectNameStrategyName = "TopicNameStrategy" | "RecordNameStrategy" | "TopicRecordNameStrategy";

export interface SubjectNameStrategy {
  readonly name: SubjectNameStrategyName;
  /** Whether the subject depends on the schema (not only on the topic). */
  readonly usesSchema: boolean;
  /** The subject; `recordName` is the schema's name (null when the schema has none). */
  subjectName(topic: string, isKey: boolean, recordName: string | null): string;
}

const PACKAGE = "io.confluent.kafka.serializers.subject.";

/** Strategy names users may configure: Confluent's class names, and the bare class names. */
const BY_NAME: ReadonlyMap<string, SubjectNameStrategyName> = new Map([
  [`${PACKAGE}TopicNameStrategy`, "TopicNameStrategy"],
  [`${PACKAGE}RecordNameStrategy`, "RecordNameStrategy"],
  [`${PACKAGE}TopicRecordNameStrategy`, "TopicRecordNameStrategy"],
  ["TopicNameStrategy", "TopicNameStrategy"],
  ["RecordNameStrategy", "RecordNameStrategy"],
  ["TopicRecordNameStrategy", "TopicRecordNameStrategy"],
]);

export const TOPIC_NAME_STRATEGY_CLASS = `${PACKAGE}TopicNameStrategy`;
export const SUBJECT_NAME_STRATEGY_CLASSES: readonly string[] = [...BY_NAME.keys()];

function requireRecordName(strategy: SubjectNameStrategyName, isKey: boolean, recordName: string | null): string {
  if (recordName !== null && recordName !== "") return recordName;
  const key = isKey ? "key.subject.name.strategy" : "value.subject.name.strategy";
  throw new SerializationException(
    `In configuration ${key} = ${PACKAGE}${strategy}, the message ${isKey ? "key" : "value"} must only be a record schema (a schema with a name)`,
  );
}

const STRATEGIES: Record<SubjectNameStrategyName, SubjectNameStrategy> = {
  TopicNameStrategy: {
    name: "TopicNameStrategy",
    usesSchema: false,
    subjectName: (topic, isKey) => `${topic}${isKey ? "-key" : "-value"}`,
  },
  RecordNameStrategy: {
    name: "RecordNameStrategy",
    usesSchema: true,
    subjectName: (_topic, isKey, recordName) => requireRecordName("RecordNameStrategy", isKey, recordName),
  },
  TopicRecordNameStrategy: {
    name: "TopicRecordNameStrategy",
    usesSchema: true,
    subjectName: (topic, isKey, recordName) => `${topic}-${requireRecordName("TopicRecordNameStrategy", isKey, recordName)}`,
  },
};

/** The strategy a config value names; null for a name that is not one of them. */
export function findSubjectNameStrategy(name: string): SubjectNameStrategy | null {
  const known = BY_NAME.get(name.trim());
  return known === undefined ? null : STRATEGIES[known];
}

export function subjectNameStrategy(name: SubjectNameStrategyName): SubjectNameStrategy {
  return STRATEGIES[name];
}

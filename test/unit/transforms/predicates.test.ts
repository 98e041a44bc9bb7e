import { describe, expect, it } from "vitest";
import { ConfigException, Headers } from "../../../connect/api/index.ts";
import { PREDICATE_PLUGINS, TRANSFORMATION_PLUGINS } from "../../../transforms/index.ts";
import { HasHeaderKey } from "../../../transforms/predicates/has-header-key.ts";
import { RecordIsTombstone } from "../../../transforms/predicates/record-is-tombstone.ts";
import { TopicNameMatches } from "../../../transforms/predicates/topic-name-matches.ts";
import { sourceRecord } from "./helpers.ts";

describe("predicates", () => {
  it("TopicNameMatches matches the whole topic name", () => {
    const p = new TopicNameMatches();
    p.configure({ pattern: "ord.*" });
    expect(p.test(sourceRecord({ topic: "orders" }))).toBe(true);
    expect(p.test(sourceRecord({ topic: "my-orders" }))).toBe(false);
    expect(() => new TopicNameMatches().configure({})).toThrow(ConfigException);
    expect(() => new TopicNameMatches().configure({ pattern: "" })).toThrow(ConfigException);
    expect(() => new TopicNameMatches().configure({ pattern: "[" })).toThrow(ConfigException);
  });

  it("HasHeaderKey", () => {
    const p = new HasHeaderKey();
    p.configure({ name: "trace" });
    expect(p.test(sourceRecord({ headers: new Headers().addString("trace", "1") }))).toBe(true);
    expect(p.test(sourceRecord({ headers: new Headers().addString("other", "1") }))).toBe(false);
    expect(() => new HasHeaderKey().configure({})).toThrow(ConfigException);
  });

  it("RecordIsTombstone", () => {
    const p = new RecordIsTombstone();
    p.configure({});
    expect(p.test(sourceRecord({ key: "k", value: null }))).toBe(true);
    expect(p.test(sourceRecord({ value: "v" }))).toBe(false);
  });

  it("the index lists every plugin under Kafka's class names, uniquely", () => {
    const all = [...TRANSFORMATION_PLUGINS, ...PREDICATE_PLUGINS];
    const aliases = all.flatMap((p) => p.aliases);
    expect(new Set(aliases).size).toBe(aliases.length);
    expect(new Set(all.map((p) => p.name)).size).toBe(all.length);
    expect(aliases).toContain("org.apache.kafka.connect.transforms.predicates.TopicNameMatches");
    expect(aliases).toContain("org.apache.kafka.connect.transforms.predicates.HasHeaderKey");
    expect(aliases).toContain("org.apache.kafka.connect.transforms.predicates.RecordIsTombstone");
    for (const p of PREDICATE_PLUGINS) expect(p.kind).toBe("predicate");
    for (const p of TRANSFORMATION_PLUGINS) {
      expect(p.kind).toBe("transformation");
      // Kafka's transforms under Kafka's class names, Debezium's (ExtractNewRecordState) under Debezium's.
      expect(p.aliases[0]).toMatch(/^(org\.apache\.kafka\.connect\.transforms|io\.debezium\.transforms)\./);
      expect(p.create().config()).toBe(p.configDef);
    }
  });
});

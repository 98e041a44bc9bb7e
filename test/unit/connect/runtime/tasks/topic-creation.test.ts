// topic.creation.* settings of source connectors (KIP-158): when they apply, which group a topic
// falls in, what each group inherits from the default one.
import { describe, expect, it } from "vitest";
import { ConfigException } from "../../../../../connect/api/index.ts";
import { TopicCreation } from "../../../../../connect/runtime/tasks/topic-creation.ts";

const settings = {
  "topic.creation.default.replication.factor": "3",
  "topic.creation.default.partitions": "6",
  "topic.creation.default.retention.ms": "1000",
  "topic.creation.groups": "compacted, logs",
  "topic.creation.compacted.include": "users.*, orders",
  "topic.creation.compacted.exclude": "users-tmp",
  "topic.creation.compacted.partitions": "1",
  "topic.creation.compacted.cleanup.policy": "compact",
  "topic.creation.logs.include": "logs-.*",
  "topic.creation.logs.replication.factor": "-1",
};

describe("TopicCreation", () => {
  it("applies only when the worker enables it and the connector sets the default group", () => {
    expect(TopicCreation.fromConfig(false, settings)).toBeNull();
    expect(TopicCreation.fromConfig(true, { topic: "x" })).toBeNull();
    expect(TopicCreation.fromConfig(true, settings)).not.toBeNull();
  });

  it("matches groups in order on whole topic names, else the default group", () => {
    const tc = TopicCreation.fromConfig(true, settings) as TopicCreation;
    expect(tc.groupFor("users-1").name).toBe("compacted");
    expect(tc.groupFor("orders").name).toBe("compacted");
    expect(tc.groupFor("orders-2").name).toBe("default");
    expect(tc.groupFor("users-tmp").name).toBe("default");
    expect(tc.groupFor("logs-a").name).toBe("logs");
    expect(tc.newTopic("users-1")).toEqual({
      topic: "users-1",
      numPartitions: 1,
      replicationFactor: 3,
      configEntries: [
        { name: "retention.ms", value: "1000" },
        { name: "cleanup.policy", value: "compact" },
      ],
    });
    expect(tc.newTopic("logs-a")).toMatchObject({ numPartitions: 6, replicationFactor: -1 });
    expect(tc.newTopic("other")).toEqual({ topic: "other", numPartitions: 6, replicationFactor: 3, configEntries: [{ name: "retention.ms", value: "1000" }] });
  });

  it("requires the default group's counts and checks them", () => {
    expect(() => TopicCreation.fromConfig(true, { "topic.creation.default.partitions": "1" })).toThrow('Missing required configuration "topic.creation.default.replication.factor" which has no default value.');
    expect(() => TopicCreation.fromConfig(true, { "topic.creation.default.partitions": "0", "topic.creation.default.replication.factor": "1" })).toThrow(ConfigException);
    expect(() => TopicCreation.fromConfig(true, { ...settings, "topic.creation.logs.include": "(" })).toThrow(/regular expression/);
  });

  it("remembers topics known to exist", () => {
    const tc = TopicCreation.fromConfig(true, settings) as TopicCreation;
    expect(tc.isKnown("a")).toBe(false);
    tc.markKnown("a");
    expect(tc.isKnown("a")).toBe(true);
  });
});

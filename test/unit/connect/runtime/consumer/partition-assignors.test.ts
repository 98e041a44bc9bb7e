// The eager assignors split partitions exactly as Kafka's RangeAssignor and RoundRobinAssignor
// do (the examples of their Javadoc), and partition.assignment.strategy picks among them.
import { describe, expect, it } from "vitest";
import { ConfigException } from "../../../../../connect/api/index.ts";
import { assignorsFor, rangeAssignor, roundRobinAssignor, type AssignorMember } from "../../../../../connect/runtime/consumer/partition-assignors.ts";

const member = (memberId: string, topics: string[], groupInstanceId: string | null = null): AssignorMember => ({ memberId, groupInstanceId, topics });
const counts = (entries: Record<string, number>): Map<string, number> => new Map(Object.entries(entries));
/** A plan as "topic-partition" strings per member, for readable expectations. */
const flat = (plan: Map<string, Array<{ topic: string; partitions: readonly number[] }>>): Record<string, string[]> =>
  Object.fromEntries([...plan].map(([m, list]) => [m, list.flatMap((t) => t.partitions.map((p) => `${t.topic}-${p}`)).sort()]));

describe("range", () => {
  it("gives each subscriber a contiguous range per topic, the first ones one more", () => {
    const plan = rangeAssignor.assign([member("c1", ["t0", "t1"]), member("c0", ["t0", "t1"])], counts({ t0: 3, t1: 3 }));
    expect(flat(plan)).toEqual({ c0: ["t0-0", "t0-1", "t1-0", "t1-1"], c1: ["t0-2", "t1-2"] });
  });

  it("splits a topic among its subscribers only, and leaves members of unknown topics empty", () => {
    const plan = rangeAssignor.assign([member("a", ["t0"]), member("b", ["t0", "t1"]), member("c", ["missing"])], counts({ t0: 5, t1: 2 }));
    expect(flat(plan)).toEqual({ a: ["t0-0", "t0-1", "t0-2"], b: ["t0-3", "t0-4", "t1-0", "t1-1"], c: [] });
  });

  it("orders static members first, by group.instance.id", () => {
    const plan = rangeAssignor.assign([member("a", ["t"]), member("z", ["t"], "instance-1")], counts({ t: 2 }));
    expect(flat(plan)).toEqual({ z: ["t-0"], a: ["t-1"] });
  });
});

describe("roundrobin", () => {
  it("deals all partitions, by topic then partition, to the members in turn", () => {
    const plan = roundRobinAssignor.assign([member("c0", ["t0", "t1"]), member("c1", ["t0", "t1"])], counts({ t0: 3, t1: 3 }));
    expect(flat(plan)).toEqual({ c0: ["t0-0", "t0-2", "t1-1"], c1: ["t0-1", "t1-0", "t1-2"] });
  });

  it("skips members not subscribed to a partition's topic", () => {
    const plan = roundRobinAssignor.assign([member("c0", ["t0"]), member("c1", ["t0", "t1"]), member("c2", ["t0", "t1", "t2"])], counts({ t0: 1, t1: 2, t2: 3 }));
    expect(flat(plan)).toEqual({ c0: ["t0-0"], c1: ["t1-0"], c2: ["t1-1", "t2-0", "t2-1", "t2-2"] });
  });
});

describe("partition.assignment.strategy", () => {
  it("keeps the implemented assignors of the list, in its order (Java's default gives range)", () => {
    expect(assignorsFor(undefined).map((a) => a.name)).toEqual(["range"]);
    expect(assignorsFor("org.apache.kafka.clients.consumer.RoundRobinAssignor, range").map((a) => a.name)).toEqual(["roundrobin", "range"]);
    expect(() => assignorsFor("org.apache.kafka.clients.consumer.CooperativeStickyAssignor")).toThrow(ConfigException);
  });
});

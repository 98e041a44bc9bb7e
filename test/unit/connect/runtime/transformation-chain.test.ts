// The transformation chain built from a connector config: order, per-alias configs, predicates
// with and without negate, records dropped mid-chain, and config errors.
import { describe, expect, it } from "vitest";
import { ConfigException, SourceRecord } from "../../../../connect/api/index.ts";
import { ProcessingContext } from "../../../../connect/runtime/errors/processing-context.ts";
import { FAILED, RetryWithToleranceOperator } from "../../../../connect/runtime/errors/retry-with-tolerance-operator.ts";
import { builtinRegistry } from "../../../../connect/runtime/plugins/builtins.ts";
import { buildTransformationChain } from "../../../../connect/runtime/transformation-chain.ts";
import { TEST_PLUGINS } from "../../../support/connect-test-plugins.ts";

const registry = builtinRegistry();
for (const p of TEST_PLUGINS) registry.register(p);

const base = { name: "c", "connector.class": "NumberedSource", topic: "t", "test.probe": "p" };
const record = (topic: string, value: Record<string, unknown>, headers: Record<string, string> = {}): SourceRecord => {
  const r = new SourceRecord({ sourcePartition: null, sourceOffset: null, topic, value });
  for (const [k, v] of Object.entries(headers)) r.headers.addString(k, v);
  return r;
};
const noMetrics = { recordFailure() {}, recordRetry() {}, recordError() {}, recordSkipped() {}, recordErrorTimestamp() {} };

describe("buildTransformationChain", () => {
  it("runs the aliases in order, each configured from its own keys", () => {
    const chain = buildTransformationChain<SourceRecord>(registry, {
      ...base,
      transforms: "a, b",
      "transforms.a.type": "org.apache.kafka.connect.transforms.InsertField$Value",
      "transforms.a.static.field": "first",
      "transforms.a.static.value": "1",
      "transforms.b.type": "org.apache.kafka.connect.transforms.RegexRouter",
      "transforms.b.regex": "t",
      "transforms.b.replacement": "u",
    }, "source");
    expect(chain.stages.map((s) => [s.alias, s.className])).toEqual([
      ["a", "org.apache.kafka.connect.transforms.InsertField$Value"],
      ["b", "org.apache.kafka.connect.transforms.RegexRouter"],
    ]);
    const out = chain.applyDirect(record("t", { x: 1 }));
    expect(out?.topic).toBe("u");
    expect(out?.value).toEqual({ x: 1, first: "1" });
  });

  it("applies a transformation only where its predicate matches, or with negate where it does not", () => {
    const config = {
      ...base,
      transforms: "drop",
      predicates: "isFoo",
      "transforms.drop.type": "org.apache.kafka.connect.transforms.Filter",
      "transforms.drop.predicate": "isFoo",
      "predicates.isFoo.type": "org.apache.kafka.connect.transforms.predicates.TopicNameMatches",
      "predicates.isFoo.pattern": "foo.*",
    };
    const chain = buildTransformationChain<SourceRecord>(registry, config, "source");
    expect(chain.applyDirect(record("foo-1", {}))).toBeNull();
    expect(chain.applyDirect(record("bar", {}))?.topic).toBe("bar");
    const negated = buildTransformationChain<SourceRecord>(registry, { ...config, "transforms.drop.negate": "true" }, "source");
    expect(negated.applyDirect(record("foo-1", {}))?.topic).toBe("foo-1");
    expect(negated.applyDirect(record("bar", {}))).toBeNull();
    // Each stage has its own predicate instance.
    const two = buildTransformationChain<SourceRecord>(registry, { ...config, transforms: "drop,drop2", "transforms.drop2.type": "org.apache.kafka.connect.transforms.Filter", "transforms.drop2.predicate": "isFoo" }, "source");
    expect(two.stages[0]?.predicate).not.toBe(two.stages[1]?.predicate);
  });

  it("stops at a dropped record", () => {
    const chain = buildTransformationChain<SourceRecord>(registry, {
      ...base,
      transforms: "drop,fail",
      "transforms.drop.type": "Filter",
      "transforms.fail.type": "hub.test.FailOn",
      "transforms.fail.fail.ids": "1",
    }, "source");
    expect(chain.applyDirect(record("t", { id: 1 }))).toBeNull();
  });

  it("runs stages through the error handling: a failing stage gives FAILED with tolerance all", async () => {
    const chain = buildTransformationChain<SourceRecord>(registry, { ...base, transforms: "fail", "transforms.fail.type": "hub.test.FailOn", "transforms.fail.fail.ids": "1" }, "source");
    const operator = new RetryWithToleranceOperator({ retryTimeoutMs: 0, maxDelayMs: 0, tolerance: "all", reporters: [], metrics: noMetrics });
    const context = new ProcessingContext({ sourceRecord: record("t", { id: 1 }) });
    expect(await chain.apply(record("t", { id: 1 }), operator, context)).toBe(FAILED);
    expect(context.stage).toBe("TRANSFORMATION");
    expect(context.executingClass).toBe("hub.test.FailOn");
    expect(context.error?.message).toBe("FailOn: refusing record 1");
    expect((await chain.apply(record("t", { id: 2 }), operator, new ProcessingContext({})))?.toString()).toContain("topic='t'");
  });

  it("refuses configs naming unknown plugins or predicates, or breaking a plugin's ConfigDef", () => {
    expect(() => buildTransformationChain(registry, { ...base, transforms: "x", "transforms.x.type": "com.example.Nope" }, "source")).toThrow(ConfigException);
    expect(() => buildTransformationChain(registry, { ...base, transforms: "x" }, "source")).toThrow('Missing required configuration "transforms.x.type" which has no default value.');
    expect(() =>
      buildTransformationChain(registry, { ...base, transforms: "x", "transforms.x.type": "Filter", "transforms.x.predicate": "p" }, "source"),
    ).toThrow("There is no predicate named 'p' in 'predicates'");
    expect(() => buildTransformationChain(registry, { ...base, transforms: "x", "transforms.x.type": "org.apache.kafka.connect.transforms.RegexRouter" }, "source")).toThrow(ConfigException);
  });
});

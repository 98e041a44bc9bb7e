// A source connector's SMT chain with predicates (one negated) and per-connector converter
// overrides, on a real broker: what lands in the topic is checked as bytes; and a sink's chain
// runs between its converters and put(). On the hub's broker and on Apache Kafka.
import { describe, expect, it } from "vitest";
import { newProbedConnector, produceMessages, readTopic, SCHEMALESS_JSON_CONVERTERS, useWorkerOnTarget, waitUntil } from "../../../support/connect-worker.ts";
import { TARGETS } from "../../../support/interop-targets.ts";

for (const targetName of TARGETS) {
  describe(`transformations and converters on ${targetName}`, () => {
    const env = useWorkerOnTarget(targetName);

    it("applies a source SMT chain with predicates and negate, and the connector's converters", async () => {
      const topic = env.target.unique("smt");
      const routed = `${topic}-routed`;
      await env.target.createTopic(routed, 1);
      const { probeName, probe, connector } = newProbedConnector(env.target, "numbered");
      await env.w.run(connector, {
        "connector.class": "NumberedSource",
        topic,
        "test.probe": probeName,
        count: "6",
        transforms: "route,mark,tag,dropOdd",
        predicates: "hasId,isRouted,isOdd",
        // Applied (the header is there): every record moves to <topic>-routed.
        "transforms.route.type": "org.apache.kafka.connect.transforms.RegexRouter",
        "transforms.route.regex": "(.*)",
        "transforms.route.replacement": "$1-routed",
        "transforms.route.predicate": "hasId",
        // Negated and matching: not applied, so no "marked" field.
        "transforms.mark.type": "org.apache.kafka.connect.transforms.InsertField$Value",
        "transforms.mark.static.field": "marked",
        "transforms.mark.static.value": "yes",
        "transforms.mark.predicate": "isRouted",
        "transforms.mark.negate": "true",
        // Matching, not negated: applied.
        "transforms.tag.type": "org.apache.kafka.connect.transforms.InsertHeader",
        "transforms.tag.header": "tagged",
        "transforms.tag.value.literal": "yes",
        "transforms.tag.predicate": "isRouted",
        // Filter with a predicate on a header value set by the source: none match, nothing dropped;
        // then negated below in the sink test.
        "transforms.dropOdd.type": "org.apache.kafka.connect.transforms.Filter",
        "transforms.dropOdd.predicate": "isOdd",
        "predicates.hasId.type": "org.apache.kafka.connect.transforms.predicates.HasHeaderKey",
        "predicates.hasId.name": "hub.test.id",
        "predicates.isRouted.type": "org.apache.kafka.connect.transforms.predicates.TopicNameMatches",
        "predicates.isRouted.pattern": ".*-routed",
        "predicates.isOdd.type": "org.apache.kafka.connect.transforms.predicates.TopicNameMatches",
        "predicates.isOdd.pattern": "never-matches",
        ...SCHEMALESS_JSON_CONVERTERS,
      });
      await waitUntil(() => probe.committedRecords.length === 6, 20_000, "6 records acknowledged");
      expect(probe.committedRecords.every((c) => c.metadata?.topic === routed)).toBe(true);
      const records = await readTopic(env.target.bootstrap, routed, 6);
      expect(records.map((r) => r.key?.toString("utf8"))).toEqual(["key-0", "key-1", "key-2", "key-3", "key-4", "key-5"]);
      expect(records.map((r) => r.value?.toString("utf8"))).toEqual(Array.from({ length: 6 }, (_, i) => `{"id":${i},"name":"record-${i}"}`));
      for (const r of records) {
        expect(r.headers?.tagged?.toString()).toBe("yes");
        expect(r.headers?.["hub.test.id"]).toBeDefined();
      }
      await env.w.halt(connector);
    });

    it("applies a sink SMT chain after the converters, and a negated Filter drops what its predicate does not match", async () => {
      const topic = env.target.unique("sink-smt");
      await env.target.createTopic(topic, 1);
      await produceMessages(
        env.target.bootstrap,
        topic,
        Array.from({ length: 6 }, (_, i) => ({ key: `k${i}`, value: JSON.stringify({ id: i }), headers: i % 2 === 0 ? { keep: "1" } : {} })),
      );
      const { probeName, probe, connector } = newProbedConnector(env.target, "collect");
      await env.w.run(connector, {
        "connector.class": "CollectingSink",
        topics: topic,
        "test.probe": probeName,
        ...SCHEMALESS_JSON_CONVERTERS,
        transforms: "keepOnly,hoist",
        predicates: "hasKeep",
        "transforms.keepOnly.type": "org.apache.kafka.connect.transforms.Filter",
        "transforms.keepOnly.predicate": "hasKeep",
        "transforms.keepOnly.negate": "true",
        "transforms.hoist.type": "org.apache.kafka.connect.transforms.HoistField$Value",
        "transforms.hoist.field": "wrapped",
        "predicates.hasKeep.type": "org.apache.kafka.connect.transforms.predicates.HasHeaderKey",
        "predicates.hasKeep.name": "keep",
      });
      await waitUntil(async () => (await env.target.committedOffsets(`connect-${connector}`, topic)).get(0) === 6n, 20_000, "offset 6 committed");
      expect(probe.received.map((r) => r.value)).toEqual([{ wrapped: { id: 0 } }, { wrapped: { id: 2 } }, { wrapped: { id: 4 } }]);
      expect(probe.received.map((r) => r.key)).toEqual(["k0", "k2", "k4"]);
      expect(probe.received.map((r) => r.kafkaOffset)).toEqual([0, 2, 4]);
      await env.w.halt(connector);
    });
  });
}

// Source connectors create their topics (KIP-158) with topic.creation.* settings: the default
// group and a named group matched by its include regex, with a topic config. On the hub's broker
// and on Apache Kafka.
import { ConfigResourceTypes, Kafka, logLevel } from "kafkajs";
import { describe, expect, it } from "vitest";
import { newProbedConnector, useWorkerOnTarget, waitUntil } from "../../../support/connect-worker.ts";
import { TARGETS } from "../../../support/interop-targets.ts";

for (const targetName of TARGETS) {
  describe(`topic creation on ${targetName}`, () => {
    const env = useWorkerOnTarget(targetName);

    it("creates missing topics with the settings of the group whose include matches, else the default group's", async () => {
      const plain = env.target.unique("created");
      const compacted = `${env.target.unique("created")}-compact`;
      const creation = {
        "topic.creation.default.replication.factor": "1",
        "topic.creation.default.partitions": "3",
        "topic.creation.groups": "compacted",
        "topic.creation.compacted.include": ".*-compact",
        "topic.creation.compacted.partitions": "2",
        "topic.creation.compacted.cleanup.policy": "compact",
      };
      for (const topic of [plain, compacted]) {
        const { probeName, probe, connector } = newProbedConnector(env.target, "numbered");
        await env.w.run(connector, { "connector.class": "NumberedSource", topic, "test.probe": probeName, count: "3", ...creation });
        await waitUntil(() => probe.committedRecords.length === 3, 20_000, `records written to ${topic}`);
        expect(probe.committedRecords.every((c) => c.metadata !== null)).toBe(true);
        await env.w.halt(connector);
      }
      const admin = new Kafka({ clientId: "test-admin", brokers: [env.target.bootstrap], logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      try {
        const { topics } = await admin.fetchTopicMetadata({ topics: [plain, compacted] });
        const partitions = new Map(topics.map((t) => [t.name, t.partitions.length]));
        expect(partitions.get(plain)).toBe(3);
        expect(partitions.get(compacted)).toBe(2);
        const configs = await admin.describeConfigs({ includeSynonyms: false, resources: [plain, compacted].map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames: ["cleanup.policy"] })) });
        const policy = new Map(configs.resources.map((r) => [r.resourceName, r.configEntries.find((e) => e.configName === "cleanup.policy")?.configValue]));
        expect(policy.get(plain)).toBe("delete");
        expect(policy.get(compacted)).toBe("compact");
      } finally {
        await admin.disconnect();
      }
    });
  });
}

// A topic → Elasticsearch pipeline through the hub's Connect worker, configured with Confluent's
// class name and keys: JSON records become documents, a tombstone deletes one, a document
// Elasticsearch rejects goes to the dead letter queue, and offsets are committed past them all.
import { describe, expect, it } from "vitest";
import { produceMessages, readTopic, SCHEMALESS_JSON_CONVERTERS, useWorkerOnTarget, waitUntil } from "../../../support/connect-worker.ts";
import { TARGETS } from "../../../support/interop-targets.ts";
import { useElasticsearch } from "./es-test-client.ts";

const esTest = useElasticsearch();

async function documentIds(index: string): Promise<string[]> {
  await esTest.client.indices.refresh({ index });
  const response = await esTest.client.search({ index, size: 100, query: { match_all: {} } });
  return response.hits.hits.map((hit) => hit._id as string).sort();
}

for (const targetName of TARGETS) {
  describe(`Elasticsearch sink through the worker on ${targetName}`, () => {
    const env = useWorkerOnTarget(targetName, { overrides: { "offset.flush.interval.ms": "300" } });

    it("writes a topic's JSON records to Elasticsearch and commits their offsets", async () => {
      const topic = env.target.unique("ES-Orders");
      const index = topic.toLowerCase();
      esTest.track(index);
      const dlq = env.target.unique("es-dlq");
      await env.target.createTopic(topic, 1);
      await esTest.client.indices.create({ index, mappings: { properties: { qty: { type: "long" } } } });
      await produceMessages(env.target.bootstrap, topic, [
        { key: "o1", value: JSON.stringify({ item: "pen", qty: 1 }) },
        { key: "o2", value: JSON.stringify({ item: "ink", qty: 2 }) },
        { key: "o3", value: JSON.stringify({ item: "pad", qty: "three" }) },
        { key: "o4", value: JSON.stringify({ item: "cup", qty: 4 }) },
        { key: "o2", value: null },
      ]);
      const connector = env.target.unique("es-sink");
      await env.w.run(connector, {
        "connector.class": "io.confluent.connect.elasticsearch.ElasticsearchSinkConnector",
        topics: topic,
        "connection.url": esTest.url,
        "schema.ignore": "true",
        "behavior.on.null.values": "delete",
        ...SCHEMALESS_JSON_CONVERTERS,
        "errors.tolerance": "all",
        "errors.deadletterqueue.topic.name": dlq,
        "errors.deadletterqueue.topic.replication.factor": "1",
      });
      await waitUntil(async () => (await env.target.committedOffsets(`connect-${connector}`, topic)).get(0) === 5n, 30_000, "offset 5 committed");
      expect(await documentIds(index)).toEqual(["o1", "o4"]);
      const source = await esTest.client.get<Record<string, unknown>>({ index, id: "o4" });
      expect(source._source).toEqual({ item: "cup", qty: 4 });
      const [dead] = await readTopic(env.target.bootstrap, dlq, 1);
      expect(dead?.key?.toString()).toBe("o3");
      await env.w.halt(connector);
    });
  });
}

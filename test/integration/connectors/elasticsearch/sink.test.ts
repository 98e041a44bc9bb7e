// The Elasticsearch sink task against a real Elasticsearch: the task is started, fed records and
// flushed the way the runtime does it, and the documents are read back from Elasticsearch.
import { randomUUID } from "node:crypto";
import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import {
  ConnectException,
  ConnectTimestamp,
  DataException,
  Decimal,
  type ErrantRecordReporter,
  Schema,
  SchemaBuilder,
  SinkRecord,
  type SinkTaskContext,
  Struct,
  type TopicPartitionOffset,
} from "../../../../connect/api/index.ts";
import { elasticsearchSinkPlugin } from "../../../../connectors/elasticsearch/index.ts";
import { parseElasticsearchSinkSettings } from "../../../../connectors/elasticsearch/config.ts";
import { ElasticsearchSinkTask } from "../../../../connectors/elasticsearch/sink-task.ts";
import { CONNECTOR_PLUGINS } from "../../../../connectors/index.ts";
import { useElasticsearch } from "./es-test-client.ts";

interface Reported {
  readonly record: SinkRecord;
  readonly error: Error;
}

/** A SinkTaskContext as the runtime gives one, with a DLQ that keeps what it is sent. */
function testContext(props: Record<string, string>, withReporter: boolean): { context: SinkTaskContext; reported: Reported[] } {
  const reported: Reported[] = [];
  const reporter: ErrantRecordReporter = {
    report: async (record, error) => {
      reported.push({ record, error });
    },
  };
  const context: SinkTaskContext = {
    configs: () => props,
    offset: () => {},
    timeout: () => {},
    assignment: () => [],
    pause: () => {},
    resume: () => {},
    requestCommit: () => {},
    errantRecordReporter: () => (withReporter ? reporter : null),
  };
  return { context, reported };
}

const esTest = useElasticsearch();

/** A fresh topic name, with capitals to check that the index is its lower-cased form. */
function uniqueTopic(prefix: string): string {
  const topic = `${prefix}-Topic-${randomUUID().slice(0, 8)}`;
  esTest.track(topic.toLowerCase());
  return topic;
}

function record(topic: string, offset: number, key: unknown, value: unknown, valueSchema: Schema | null = null, partition = 0): SinkRecord {
  return new SinkRecord({ topic, kafkaPartition: partition, key, keySchema: null, value, valueSchema, kafkaOffset: offset });
}

async function runTask(
  props: Record<string, string>,
  batches: SinkRecord[][],
  options: { withReporter?: boolean } = {},
): Promise<{ task: ElasticsearchSinkTask; reported: Reported[] }> {
  const all = { "connection.url": esTest.url, ...props };
  const { context, reported } = testContext(all, options.withReporter ?? false);
  const task = new ElasticsearchSinkTask();
  task.initialize(context);
  await task.start(all);
  try {
    for (const batch of batches) await task.put(batch);
    const offsets: TopicPartitionOffset[] = [];
    await task.preCommit(offsets);
  } finally {
    await task.stop();
  }
  return { task, reported };
}

async function documents(index: string): Promise<Map<string, Record<string, unknown>>> {
  await esTest.client.indices.refresh({ index });
  const response = await esTest.client.search<Record<string, unknown>>({ index, size: 1000, query: { match_all: {} } });
  return new Map(response.hits.hits.map((hit) => [hit._id as string, hit._source as Record<string, unknown>]));
}

describe("Elasticsearch sink task", () => {
  it("is registered under Confluent's class name", () => {
    expect(CONNECTOR_PLUGINS).toContain(elasticsearchSinkPlugin);
    expect(elasticsearchSinkPlugin.aliases).toContain("io.confluent.connect.elasticsearch.ElasticsearchSinkConnector");
    const defaults = elasticsearchSinkPlugin.configDef.parse({ "connection.url": "http://a:9200,http://b:9200", "connection.password": "secret" });
    expect(defaults["connection.url"]).toEqual(["http://a:9200", "http://b:9200"]);
    expect(String(defaults["connection.password"])).toBe("[hidden]");
    expect(defaults["batch.size"]).toBe(2000);
    expect(defaults["max.retries"]).toBe(5);
    expect(defaults["retry.backoff.ms"]).toBe(100);
    expect(defaults["behavior.on.null.values"]).toBe("fail");
    expect(defaults["key.ignore"]).toBe(false);
    expect(() => elasticsearchSinkPlugin.configDef.parse({ "connection.url": esTest.url, "write.method": "merge" })).toThrow(/write.method/);
    expect(parseElasticsearchSinkSettings({ "connection.url": "eshost:9200, https://b:9243" }).urls).toEqual(["http://eshost:9200", "https://b:9243"]);
    expect(() => parseElasticsearchSinkSettings({ "connection.url": "ftp://eshost" })).toThrow(/connection.url/);
  });

  it("indexes struct and map values under the record keys, in the lower-cased topic's index", async () => {
    const topic = uniqueTopic("Insert");
    const schema = SchemaBuilder.struct()
      .name("com.example.Order")
      .field("id", Schema.INT64_SCHEMA)
      .field("item", Schema.STRING_SCHEMA)
      .field("price", Decimal.schema(2))
      .field("at", ConnectTimestamp.SCHEMA)
      .field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA))
      .build();
    const order = (id: number, item: string): Struct =>
      new Struct(schema)
        .put("id", BigInt(id))
        .put("item", item)
        .put("price", Decimal.parse("12.34"))
        .put("at", new Date(1_700_000_000_000))
        .put("tags", ["a", "b"]);
    // batch.size 2 makes put() send bulk requests itself; flush sends the rest.
    await runTask({ topics: topic, "batch.size": "2" }, [
      [record(topic, 0, "o-1", order(1, "pen")), record(topic, 1, "o-2", order(2, "ink"))],
      [record(topic, 2, 3, new Map<string, unknown>([["id", 3], ["item", "pad"]])), record(topic, 3, "o-1", order(1, "pencil"))],
    ]);
    const docs = await documents(topic.toLowerCase());
    expect([...docs.keys()].sort()).toEqual(["3", "o-1", "o-2"]);
    expect(docs.get("o-1")).toEqual({ id: 1, item: "pencil", price: 12.34, at: 1_700_000_000_000, tags: ["a", "b"] });
    expect(docs.get("3")).toEqual({ id: 3, item: "pad" });
  });

  it("with schema.ignore=false creates a new index with mappings from the value schema", async () => {
    const topic = uniqueTopic("Mapped");
    const inner = SchemaBuilder.struct().field("city", Schema.OPTIONAL_STRING_SCHEMA).build();
    const schema = SchemaBuilder.struct()
      .field("id", Schema.INT64_SCHEMA)
      .field("name", Schema.STRING_SCHEMA)
      .field("score", Schema.FLOAT32_SCHEMA)
      .field("price", Decimal.schema(2))
      .field("at", ConnectTimestamp.SCHEMA)
      .field("address", inner)
      .build();
    const value = new Struct(schema)
      .put("id", 1n)
      .put("name", "Ada")
      .put("score", 1.5)
      .put("price", Decimal.parse("3.10"))
      .put("at", new Date(1_700_000_000_000))
      .put("address", new Struct(inner).put("city", "London"));
    await runTask({ topics: topic }, [[record(topic, 0, "m", value, schema)]]);
    const index = topic.toLowerCase();
    const mapping = await esTest.client.indices.getMapping({ index });
    expect(mapping[index]?.mappings.properties).toEqual({
      id: { type: "long" },
      name: { type: "text", fields: { keyword: { type: "keyword", ignore_above: 256 } } },
      score: { type: "float" },
      price: { type: "double" },
      at: { type: "date" },
      address: { properties: { city: { type: "text", fields: { keyword: { type: "keyword", ignore_above: 256 } } } } },
    });
    // The timestamp (epoch milliseconds) is searchable as a date.
    await esTest.client.indices.refresh({ index });
    const hits = await esTest.client.search({ index, query: { range: { at: { gte: "2023-11-14T00:00:00Z", lt: "2023-11-15T00:00:00Z" } } } });
    expect(hits.hits.hits.map((h) => h._id)).toEqual(["m"]);

    // schema.ignore=true leaves the mapping to Elasticsearch: the timestamp is just a number.
    const inferred = uniqueTopic("Inferred");
    await runTask({ topics: inferred, "schema.ignore": "true" }, [[record(inferred, 0, "m", value, schema)]]);
    const inferredMapping = await esTest.client.indices.getMapping({ index: inferred.toLowerCase() });
    expect(inferredMapping[inferred.toLowerCase()]?.mappings.properties?.at).toEqual({ type: "long" });
  });

  it("does not let a replayed older record overwrite a newer one (the offset is the version)", async () => {
    const topic = uniqueTopic("Replay");
    await runTask({ topics: topic }, [[record(topic, 5, "k", { n: 5 })]]);
    await runTask({ topics: topic }, [[record(topic, 4, "k", { n: 4 })]]);
    expect((await documents(topic.toLowerCase())).get("k")).toEqual({ n: 5 });
  });

  it("with key.ignore=true uses topic+partition+offset as document ids", async () => {
    const topic = uniqueTopic("KeyIgnore");
    await runTask({ topics: topic, "key.ignore": "true" }, [[record(topic, 7, null, { a: 1 }, null, 2), record(topic, 8, "same", { a: 2 }, null, 2)]]);
    const docs = await documents(topic.toLowerCase());
    expect([...docs.keys()].sort()).toEqual([`${topic}+2+7`, `${topic}+2+8`]);
  });

  it("upserts: fields of later records are merged into the document", async () => {
    const topic = uniqueTopic("Upsert");
    await runTask({ topics: topic, "write.method": "upsert" }, [
      [record(topic, 0, "u", { name: "Ada", city: "London" })],
      [record(topic, 1, "u", { city: "Paris" }), record(topic, 2, "v", { name: "Bob" })],
    ]);
    const docs = await documents(topic.toLowerCase());
    expect(docs.get("u")).toEqual({ name: "Ada", city: "Paris" });
    expect(docs.get("v")).toEqual({ name: "Bob" });
  });

  it("deletes documents on null values with behavior.on.null.values=delete, ignores or fails otherwise", async () => {
    const topic = uniqueTopic("Tombstone");
    await runTask({ topics: topic, "behavior.on.null.values": "delete" }, [
      [record(topic, 0, "a", { v: 1 }), record(topic, 1, "b", { v: 2 })],
      [record(topic, 2, "a", null), record(topic, 3, "never-written", null)],
    ]);
    expect([...(await documents(topic.toLowerCase())).keys()]).toEqual(["b"]);

    await runTask({ topics: topic, "behavior.on.null.values": "ignore" }, [[record(topic, 4, "b", null)]]);
    expect([...(await documents(topic.toLowerCase())).keys()]).toEqual(["b"]);

    await expect(runTask({ topics: topic }, [[record(topic, 5, "b", null)]])).rejects.toThrow(DataException);
    await expect(runTask({ topics: topic }, [[record(topic, 5, "b", null)]])).rejects.toThrow(/null value encountered/);
  });

  it("sends documents Elasticsearch rejects to the errant record reporter and writes the rest", async () => {
    const topic = uniqueTopic("Malformed");
    const index = topic.toLowerCase();
    await esTest.client.indices.create({ index, mappings: { properties: { n: { type: "long" } } } });
    const { reported } = await runTask(
      { topics: topic },
      [[record(topic, 0, "good-1", { n: 1 }), record(topic, 1, "bad", { n: "not a number" }), record(topic, 2, "good-2", { n: 2 })]],
      { withReporter: true },
    );
    expect([...(await documents(index)).keys()].sort()).toEqual(["good-1", "good-2"]);
    expect(reported).toHaveLength(1);
    expect(reported[0]?.record.kafkaOffset).toBe(1);
    expect(reported[0]?.error.message).toMatch(/offset=1.*(parsing|mapper)/);

    // No DLQ: behavior.on.malformed.documents decides (fail by default).
    await expect(runTask({ topics: topic }, [[record(topic, 3, "bad-2", { n: "nope" })]])).rejects.toThrow(/rejected the document/);
    await runTask({ topics: topic, "behavior.on.malformed.documents": "ignore" }, [[record(topic, 4, "bad-3", { n: "nope" }), record(topic, 5, "good-3", { n: 3 })]]);
    expect([...(await documents(index)).keys()].sort()).toEqual(["good-1", "good-2", "good-3"]);
  });

  it("drops records it cannot turn into documents with drop.invalid.message=true", async () => {
    const topic = uniqueTopic("Invalid");
    await expect(runTask({ topics: topic }, [[record(topic, 0, null, { a: 1 })]])).rejects.toThrow(/Key is used as document id and can not be null/);
    await runTask({ topics: topic, "drop.invalid.message": "true" }, [[record(topic, 0, null, { a: 1 }), record(topic, 1, "k", { a: 2 })]]);
    expect([...(await documents(topic.toLowerCase())).keys()]).toEqual(["k"]);
  });

  it("retries bulk requests Elasticsearch answers with 429 or 503, and then writes them", async () => {
    // A proxy in front of the real Elasticsearch that refuses the first bulk requests, as an
    // overloaded (429) or unavailable (503) cluster does.
    const refusals = [429, 503];
    const seen: number[] = [];
    const target = new URL(esTest.url);
    const proxy = createServer((req, res) => {
      if (req.url?.includes("_bulk") === true) {
        const status = refusals.shift();
        seen.push(status ?? 200);
        if (status !== undefined) {
          req.resume();
          res.writeHead(status, { "content-type": "application/json", "x-elastic-product": "Elasticsearch" });
          res.end(JSON.stringify({ error: { type: status === 429 ? "es_rejected_execution_exception" : "unavailable" }, status }));
          return;
        }
      }
      const upstream = httpRequest({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    try {
      const port = (proxy.address() as AddressInfo).port;
      const topic = uniqueTopic("Overloaded");
      await runTask({ topics: topic, "connection.url": `http://127.0.0.1:${port}`, "max.retries": "2", "retry.backoff.ms": "20" }, [[record(topic, 0, "k", { a: 1 })]]);
      expect(seen).toEqual([429, 503, 200]);
      expect((await documents(topic.toLowerCase())).get("k")).toEqual({ a: 1 });
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it("retries with backoff when Elasticsearch is unreachable, then fails with a clear error", async () => {
    const topic = uniqueTopic("Unreachable");
    const started = Date.now();
    const failure = runTask({ topics: topic, "connection.url": "http://127.0.0.1:1", "max.retries": "3", "retry.backoff.ms": "100" }, [[record(topic, 0, "k", { a: 1 })]]);
    await expect(failure).rejects.toThrow(ConnectException);
    await expect(failure).rejects.toThrow(/http:\/\/127\.0\.0\.1:1.*after 3 retries/);
    // Three waits of at least 50, 100 and 200 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
  });
});

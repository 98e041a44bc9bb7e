// Smoke test: the provisioned Elasticsearch indexes a document and finds it again by query.
import { Client } from "@elastic/elasticsearch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireService } from "../../services/index.ts";

interface Person {
  name: string;
  lang: string;
  born: number;
}

describe("Elasticsearch test service", () => {
  let client: Client;
  const index = `smoke-${process.pid}-${Date.now()}`;

  beforeAll(async () => {
    client = new Client({ node: await requireService("elasticsearch") });
  });
  afterAll(async () => {
    await client.indices.delete({ index, ignore_unavailable: true });
    await client.close();
  });

  it("indexes a document and searches it back", async () => {
    await client.indices.create({
      index,
      mappings: { properties: { name: { type: "text" }, lang: { type: "keyword" }, born: { type: "integer" } } },
    });
    const doc: Person = { name: "Ada Lovelace", lang: "en", born: 1815 };
    const written = await client.index({ index, id: "ada", document: doc });
    expect(written.result).toBe("created");
    await client.index({ index, id: "grace", document: { name: "Grace Hopper", lang: "en", born: 1906 } });
    await client.indices.refresh({ index });

    // Full-text match on the analyzed field plus an exact term on the keyword field.
    const found = await client.search<Person>({
      index,
      query: { bool: { must: [{ match: { name: "lovelace" } }], filter: [{ term: { lang: "en" } }] } },
    });
    expect(found.hits.hits).toHaveLength(1);
    expect(found.hits.hits[0]?._id).toBe("ada");
    expect(found.hits.hits[0]?._source).toEqual(doc);

    const both = await client.count({ index, query: { range: { born: { gte: 1800 } } } });
    expect(both.count).toBe(2);

    await client.indices.delete({ index });
    expect(await client.indices.exists({ index })).toBe(false);
  });
});

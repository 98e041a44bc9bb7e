// The Elasticsearch test service for a test file: a client opened before its tests, and the
// indices they create, deleted afterwards.
import { Client } from "@elastic/elasticsearch";
import { afterAll, beforeAll } from "vitest";
import { requireService } from "../../../services/index.ts";

export interface EsTestClient {
  /** The service's URL (known once beforeAll ran). */
  readonly url: string;
  readonly client: Client;
  /** Deletes this index when the file's tests are done. */
  track(index: string): void;
}

export function useElasticsearch(): EsTestClient {
  let url = "";
  let client: Client | undefined;
  const indices: string[] = [];
  beforeAll(async () => {
    url = await requireService("elasticsearch");
    client = new Client({ node: url });
  });
  afterAll(async () => {
    if (client && indices.length > 0) await client.indices.delete({ index: indices, ignore_unavailable: true });
    await client?.close();
  });
  return {
    get url() {
      return url;
    },
    get client() {
      if (!client) throw new Error("the Elasticsearch client is opened in beforeAll");
      return client;
    },
    track: (index) => void indices.push(index),
  };
}

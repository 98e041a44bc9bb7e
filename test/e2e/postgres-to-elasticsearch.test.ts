// The headline pipeline end to end, as a user runs it: the Debezium and Confluent configs of
// examples/postgres-to-elasticsearch POSTed to the hub's Connect REST API (a hub broker and a
// Connect worker), 100,000 rows inserted into three tables of mixed types — half before the
// connectors start (the snapshot), half while they stream — then updates and deletes; at the end
// each Elasticsearch index holds exactly its table's rows, field for field, deleted rows gone.
// Then a column added mid-stream shows up in the next documents.
import { Client } from "@elastic/elasticsearch";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireService } from "../services/index.ts";
import { compareWithTables, indexCount, indexDocuments, indexOf, type Mismatch, pipelineConfigs } from "../support/cdc-pipeline.ts";
import { startHubBroker, type HubBrokerHandle } from "../support/hub-broker.ts";
import { startHubConnectWorker, type HubConnectWorker } from "../support/hub-connect.ts";
import { createInventorySchema, deleteInventoryRows, insertInventoryRows, inventoryCounts, updateInventoryRows } from "../support/inventory-workload.ts";
import { waitFor } from "../support/poll.ts";
import { rest } from "../support/rest-call.ts";

const schema = `e2e_cdc_${process.pid}_${Date.now() % 100_000}`;

describe("PostgreSQL → hub → Elasticsearch with the example configs", () => {
  let pgUrl = "";
  let esUrl = "";
  let db: pg.Client;
  let es: Client;
  let broker: HubBrokerHandle;
  let worker: HubConnectWorker;

  beforeAll(async () => {
    [pgUrl, esUrl] = await Promise.all([requireService("postgres"), requireService("elasticsearch")]);
    db = new pg.Client({ connectionString: pgUrl });
    await db.connect();
    es = new Client({ node: esUrl });
    await createInventorySchema(db, schema);
    broker = await startHubBroker();
    worker = await startHubConnectWorker({ bootstrap: broker.bootstrap, props: { "offset.flush.interval.ms": "500" } });
  }, 60_000);

  afterAll(async () => {
    await worker?.stop();
    await broker?.destroy();
    // The slot first: it pins WAL for as long as it exists.
    await db?.query(`SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1 AND NOT active`, [schema]).catch(() => undefined);
    await db?.query(`DROP PUBLICATION IF EXISTS ${schema}`).catch(() => undefined);
    await db?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await db?.end();
    await es?.indices.delete({ index: `${schema}.*`, ignore_unavailable: true }).catch(() => undefined);
    await es?.close();
  }, 60_000);

  async function converged(): Promise<Mismatch[]> {
    const counts = await inventoryCounts(db, schema);
    for (const [table, rows] of Object.entries(counts)) {
      if ((await indexCount(es, indexOf(schema, table as keyof typeof counts))) !== rows) return [{ table: table as keyof typeof counts, missing: ["(count differs)"], extra: [], different: [] }];
    }
    return compareWithTables(db, es, schema);
  }

  async function waitForConvergence(what: string, timeoutMs: number): Promise<void> {
    let last: Mismatch[] = [];
    try {
      await waitFor(what, async () => ((last = await converged()).length === 0 ? true : undefined), timeoutMs, 500);
    } catch (err) {
      throw new Error(`${(err as Error).message}\nlast differences: ${JSON.stringify(last, null, 1).slice(0, 3_000)}`, { cause: err });
    }
  }

  it("snapshots and streams 100,000 inserts, then updates and deletes, into Elasticsearch exactly", async () => {
    await insertInventoryRows(db, schema, 0, 50_000);
    const { source, sink } = pipelineConfigs(pgUrl, esUrl, { schema, source: `${schema}-source`, sink: `${schema}-sink` });
    expect((await rest(worker.url, "POST", "/connectors", source)).status).toBe(201);
    expect((await rest(worker.url, "POST", "/connectors", sink)).status).toBe(201);
    for (const name of [source.name, sink.name]) {
      await waitFor(`${name} RUNNING`, async () => {
        const status = (await rest(worker.url, "GET", `/connectors/${name}/status`)).json as { connector: { state: string }; tasks: Array<{ state: string; trace?: string }> };
        if (status.tasks.some((t) => t.state === "FAILED")) throw new Error(`task failed: ${status.tasks[0]?.trace}`);
        return status.connector.state === "RUNNING" && status.tasks[0]?.state === "RUNNING";
      }, 30_000);
    }

    // Streamed while the snapshot may still be running: nothing may be missed in between.
    await insertInventoryRows(db, schema, 50_000, 100_000, 2_000);
    expect(await inventoryCounts(db, schema)).toEqual({ customers: 60_000, orders: 30_000, products: 10_000 });
    await updateInventoryRows(db, schema, 7, 1);
    await deleteInventoryRows(db, schema, 13, 0);
    await updateInventoryRows(db, schema, 11, 2);
    await deleteInventoryRows(db, schema, 17, 9);
    await waitForConvergence("Elasticsearch to hold exactly the tables' rows", 180_000);
  }, 300_000);

  it("shows a column added while streaming in the next documents", async () => {
    await db.query(`ALTER TABLE ${schema}.products ADD COLUMN colour text DEFAULT 'plain'`);
    await db.query(`INSERT INTO ${schema}.products (id, name, price, stock, weight, updated, colour) VALUES (1000009, 'new product', 9.99, 3, 1.5, '2024-05-06 07:08:09', 'blue')`);
    await db.query(`UPDATE ${schema}.products SET colour = 'red' WHERE id = 19`);
    const index = indexOf(schema, "products");
    const docs = await waitFor("the new column in Elasticsearch", async () => {
      const all = await indexDocuments(es, index);
      return all.get("1000009")?.["colour"] === "blue" && all.get("19")?.["colour"] === "red" ? all : undefined;
    }, 60_000, 500);
    expect(docs.get("1000009")).toMatchObject({ id: 1000009, name: "new product", price: "9.99", colour: "blue" });
  }, 120_000);
});

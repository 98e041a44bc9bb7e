// The example Postgres → Elasticsearch pipeline (examples/postgres-to-elasticsearch) as the
// end-to-end tests run it: the two JSON configs read from the example files with only what a
// user changes for their own machine replaced (database.*, connection.url, topic prefix, slot,
// publication and table list, so each test has its own), and the check that Elasticsearch holds
// exactly the tables' rows.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Client } from "@elastic/elasticsearch";
import type pg from "pg";
import { expectedDocuments, INVENTORY_TABLES, type InventoryTable } from "./inventory-workload.ts";

const EXAMPLE_DIR = join(import.meta.dirname, "../../examples/postgres-to-elasticsearch");

export interface ConnectorJson {
  name: string;
  config: Record<string, string>;
}

export interface PipelineNames {
  /** The tables' schema, also used as topic.prefix, slot and publication names. */
  schema: string;
  source: string;
  sink: string;
}

function example(file: string): ConnectorJson {
  return JSON.parse(readFileSync(join(EXAMPLE_DIR, file), "utf8")) as ConnectorJson;
}

/** The example configs, pointed at the test services and this test's schema. */
export function pipelineConfigs(pgUrl: string, esUrl: string, names: PipelineNames, sourceOverrides: Record<string, string> = {}): { source: ConnectorJson; sink: ConnectorJson } {
  const db = new URL(pgUrl);
  const source = example("postgres-source.json");
  const sink = example("elasticsearch-sink.json");
  Object.assign(source.config, {
    "database.hostname": db.hostname,
    "database.port": db.port,
    "database.user": decodeURIComponent(db.username),
    "database.password": decodeURIComponent(db.password),
    "database.dbname": db.pathname.slice(1),
    "topic.prefix": names.schema,
    "slot.name": names.schema,
    "publication.name": names.schema,
    "table.include.list": INVENTORY_TABLES.map((t) => `${names.schema}.${t}`).join(","),
    ...sourceOverrides,
  });
  Object.assign(sink.config, {
    "connection.url": esUrl,
    "topics.regex": `${names.schema}\\.${names.schema}\\..*`,
    "errors.deadletterqueue.topic.name": `${names.schema}-dlq`,
  });
  return { source: { name: names.source, config: source.config }, sink: { name: names.sink, config: sink.config } };
}

/** The index the sink writes a table to: its topic, lower-cased. */
export function indexOf(schema: string, table: InventoryTable): string {
  return `${schema}.${schema}.${table}`.toLowerCase();
}

/** Every document of an index, keyed by its _id (the row's id, when the sink keyed it right). */
export async function indexDocuments(es: Client, index: string): Promise<Map<string, Record<string, unknown>>> {
  await es.indices.refresh({ index });
  const docs = new Map<string, Record<string, unknown>>();
  for await (const page of es.helpers.scrollSearch<Record<string, unknown>>({ index, size: 5_000, query: { match_all: {} } })) {
    for (const hit of page.body.hits.hits) docs.set(hit._id as string, hit._source ?? {});
  }
  return docs;
}

/** Documents counted per index (0 for an index that does not exist yet). */
export async function indexCount(es: Client, index: string): Promise<number> {
  try {
    await es.indices.refresh({ index });
    return (await es.count({ index })).count;
  } catch {
    return 0;
  }
}

export interface Mismatch {
  table: InventoryTable;
  missing: string[];
  extra: string[];
  different: Array<{ id: string; expected: unknown; actual: unknown }>;
}

/** How each table's documents differ from its rows (empty when Elasticsearch matches PostgreSQL exactly). */
export async function compareWithTables(pgClient: pg.ClientBase, es: Client, schema: string): Promise<Mismatch[]> {
  const mismatches: Mismatch[] = [];
  for (const table of INVENTORY_TABLES) {
    const expected = await expectedDocuments(pgClient, schema, table);
    const actual = await indexDocuments(es, indexOf(schema, table));
    const missing = [...expected.keys()].filter((id) => !actual.has(id));
    const extra = [...actual.keys()].filter((id) => !expected.has(id));
    const different: Mismatch["different"] = [];
    for (const [id, doc] of expected) {
      const got = actual.get(id);
      if (got !== undefined && JSON.stringify(sortKeys(got)) !== JSON.stringify(sortKeys(doc))) different.push({ id, expected: doc, actual: got });
    }
    if (missing.length + extra.length + different.length > 0) mismatches.push({ table, missing: missing.slice(0, 10), extra: extra.slice(0, 10), different: different.slice(0, 5) });
  }
  return mismatches;
}

function sortKeys(doc: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(doc).sort(([a], [b]) => a.localeCompare(b)));
}

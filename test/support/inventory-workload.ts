// The PostgreSQL side of the Postgres → Elasticsearch tests: three tables of mixed types in a
// schema of their own (customers, orders, products, as in examples/postgres-to-elasticsearch),
// rows generated in SQL so 100,000 of them take a second, and each table's rows as the
// documents the example pipeline must leave in Elasticsearch (Debezium's JSON values for the
// example's settings — decimal.handling.mode=string, adaptive_time_microseconds — after
// ExtractNewRecordState), computed by PostgreSQL itself from the current rows.
import type pg from "pg";

export const INVENTORY_TABLES = ["customers", "orders", "products"] as const;
export type InventoryTable = (typeof INVENTORY_TABLES)[number];

export async function createInventorySchema(client: pg.ClientBase, schema: string): Promise<void> {
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.query(`CREATE TYPE ${schema}.order_status AS ENUM ('new', 'paid', 'shipped', 'cancelled')`);
  await client.query(`CREATE TABLE ${schema}.customers (
    id integer PRIMARY KEY, name text NOT NULL, email varchar(120), balance numeric(12,2),
    active boolean NOT NULL DEFAULT true, joined timestamptz, tags text[])`);
  await client.query(`CREATE TABLE ${schema}.orders (
    id bigint PRIMARY KEY, customer_id integer NOT NULL, amount numeric(10,2) NOT NULL, placed date NOT NULL,
    status ${schema}.order_status NOT NULL, details jsonb)`);
  await client.query(`CREATE TABLE ${schema}.products (
    id integer PRIMARY KEY, name text NOT NULL, price numeric(8,2), stock smallint, weight double precision,
    updated timestamp(3))`);
}

/**
 * Inserts rows with ids [from, to) into every table, split 6:3:1 between customers, orders and
 * products by id, one transaction per `batch` ids.
 */
export async function insertInventoryRows(client: pg.ClientBase, schema: string, from: number, to: number, batch = 5_000): Promise<void> {
  for (let start = from; start < to; start += batch) {
    const end = Math.min(to, start + batch) - 1;
    await client.query("BEGIN");
    await client.query(
      `INSERT INTO ${schema}.customers (id, name, email, balance, active, joined, tags)
       SELECT i, 'customer ' || i, CASE WHEN i % 7 = 0 THEN NULL ELSE 'c' || i || '@example.com' END,
              round((i * 13.37) % 100000, 2) - 5000, i % 3 <> 0,
              timestamptz '2020-01-01 00:00:00+00' + (i || ' minutes')::interval,
              CASE WHEN i % 5 = 0 THEN ARRAY[]::text[] ELSE ARRAY['t' || (i % 11), 'group "' || (i % 3) || '"'] END
       FROM generate_series($1::int, $2::int) AS i WHERE i % 10 < 6`,
      [start, end],
    );
    await client.query(
      `INSERT INTO ${schema}.orders (id, customer_id, amount, placed, status, details)
       SELECT i, i - (i % 10), round((i * 7.77) % 9999, 2), date '2021-06-01' + (i % 900),
              (ARRAY['new', 'paid', 'shipped', 'cancelled'])[1 + i % 4]::${schema}.order_status,
              CASE WHEN i % 4 = 0 THEN NULL ELSE jsonb_build_object('lines', i % 9, 'note', 'order ' || i) END
       FROM generate_series($1::int, $2::int) AS i WHERE i % 10 BETWEEN 6 AND 8`,
      [start, end],
    );
    await client.query(
      `INSERT INTO ${schema}.products (id, name, price, stock, weight, updated)
       SELECT i, 'product ' || i, CASE WHEN i % 6 = 0 THEN NULL ELSE round((i * 3.21) % 500, 2) END,
              (i % 300)::smallint, (i % 97) / 4.0, timestamp '2022-03-04 05:06:07.891' + (i || ' seconds')::interval
       FROM generate_series($1::int, $2::int) AS i WHERE i % 10 = 9`,
      [start, end],
    );
    await client.query("COMMIT");
  }
}

/** Updates every `every`-th row of each table (a different column per table) in one transaction. */
export async function updateInventoryRows(client: pg.ClientBase, schema: string, every: number, round: number): Promise<void> {
  await client.query("BEGIN");
  await client.query(`UPDATE ${schema}.customers SET balance = balance + ${round}, tags = tags || ARRAY['round ${round}'] WHERE id % ${every} = 0`);
  await client.query(`UPDATE ${schema}.orders SET status = 'shipped', details = jsonb_build_object('round', ${round}) WHERE id % ${every} = 6`);
  await client.query(`UPDATE ${schema}.products SET stock = stock + 1, updated = updated + interval '1 day' WHERE id % ${every} = 9`);
  await client.query("COMMIT");
}

/** Deletes every `every`-th row of each table. */
export async function deleteInventoryRows(client: pg.ClientBase, schema: string, every: number, offset: number): Promise<void> {
  for (const table of INVENTORY_TABLES) await client.query(`DELETE FROM ${schema}.${table} WHERE id % ${every} = ${offset}`);
}

/**
 * Each row of a table as the Elasticsearch document the example pipeline writes for it, keyed by
 * id: numerics as their text (decimal.handling.mode=string), timestamptz as Debezium's
 * ZonedTimestamp text (UTC, the fraction padded to the column's precision: 6 digits), date as days since the epoch,
 * timestamp(3) as milliseconds since the epoch (io.debezium.time.Timestamp), jsonb as its text,
 * enums as their label.
 */
export async function expectedDocuments(client: pg.ClientBase, schema: string, table: InventoryTable): Promise<Map<string, Record<string, unknown>>> {
  const select: Record<InventoryTable, string> = {
    customers: `json_build_object('id', id, 'name', name, 'email', email, 'balance', balance::text, 'active', active,
      'joined', to_char(joined AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), 'tags', tags)`,
    orders: `json_build_object('id', id, 'customer_id', customer_id, 'amount', amount::text, 'placed', placed - date '1970-01-01',
      'status', status::text, 'details', details::text)`,
    products: `json_build_object('id', id, 'name', name, 'price', price::text, 'stock', stock, 'weight', weight,
      'updated', (extract(epoch from updated) * 1000)::bigint)`,
  };
  const result = await client.query<{ id: string; doc: Record<string, unknown> }>(`SELECT id::text AS id, ${select[table]} AS doc FROM ${schema}.${table}`);
  return new Map(result.rows.map((r) => [r.id, r.doc]));
}

/** Row counts per table. */
export async function inventoryCounts(client: pg.ClientBase, schema: string): Promise<Record<InventoryTable, number>> {
  const counts = {} as Record<InventoryTable, number>;
  for (const table of INVENTORY_TABLES) counts[table] = Number((await client.query(`SELECT count(*) AS n FROM ${schema}.${table}`)).rows[0].n);
  return counts;
}

// Smoke test: the provisioned PostgreSQL accepts a round trip and is set up for logical decoding.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireService } from "../../services/index.ts";

describe("PostgreSQL test service", () => {
  let client: pg.Client;
  const table = `smoke_${process.pid}_${Date.now()}`;

  beforeAll(async () => {
    client = new pg.Client({ connectionString: await requireService("postgres") });
    await client.connect();
  });
  afterAll(async () => {
    await client.query(`DROP TABLE IF EXISTS ${table}`);
    await client.end();
  });

  it("writes a row and reads it back", async () => {
    await client.query(`CREATE TABLE ${table} (id int PRIMARY KEY, name text NOT NULL, doc jsonb)`);
    await client.query(`INSERT INTO ${table} VALUES ($1, $2, $3)`, [1, "ada", { lang: "en" }]);
    const { rows } = await client.query(`SELECT id, name, doc FROM ${table} WHERE id = 1`);
    expect(rows).toEqual([{ id: 1, name: "ada", doc: { lang: "en" } }]);
  });

  it("has logical decoding available for CDC", async () => {
    const { rows } = await client.query(`SHOW wal_level`);
    expect(rows[0].wal_level).toBe("logical");
    const slot = `smoke_slot_${process.pid}`;
    await client.query(`SELECT pg_create_logical_replication_slot($1, 'pgoutput')`, [slot]);
    const slots = await client.query(`SELECT plugin FROM pg_replication_slots WHERE slot_name = $1`, [slot]);
    expect(slots.rows).toEqual([{ plugin: "pgoutput" }]);
    await client.query(`SELECT pg_drop_replication_slot($1)`, [slot]);
  });
});

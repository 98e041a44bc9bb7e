// The publication a pgoutput slot streams, managed the way Debezium's
// publication.autocreate.mode says:
//   all_tables  create it FOR ALL TABLES when missing; an existing one is used as it is
//   disabled    never create or change it: it must exist
//   filtered    create it for exactly the captured tables, or set an existing one's tables to exactly them
//   no_tables   create it with no tables when missing (tables are added by someone else); an existing one is used as it is
import type pg from "pg";
import { PostgresError, qualifiedName, quoteIdentifier } from "./connection.ts";

export type PublicationAutocreateMode = "all_tables" | "disabled" | "filtered" | "no_tables";

export interface PublishedTable {
  schema: string;
  table: string;
}

export async function ensurePublication(
  client: pg.ClientBase,
  name: string,
  mode: PublicationAutocreateMode,
  tables: readonly PublishedTable[],
): Promise<void> {
  const existing = await client.query<{ puballtables: boolean }>("SELECT puballtables FROM pg_publication WHERE pubname = $1", [name]);
  const publication = existing.rows[0];
  const quoted = quoteIdentifier(name);
  const run = async (sql: string): Promise<void> => {
    try {
      await client.query(sql);
    } catch (error) {
      throw new PostgresError(`could not set up publication "${name}" (publication.autocreate.mode=${mode})`, error);
    }
  };

  switch (mode) {
    case "disabled":
      if (publication === undefined) {
        throw new Error(`publication "${name}" does not exist and publication.autocreate.mode is disabled: create the publication and restart the connector`);
      }
      return;
    case "all_tables":
      if (publication === undefined) await run(`CREATE PUBLICATION ${quoted} FOR ALL TABLES`);
      return;
    case "no_tables":
      if (publication === undefined) await run(`CREATE PUBLICATION ${quoted}`);
      return;
    case "filtered": {
      if (tables.length === 0) {
        throw new Error(`publication.autocreate.mode is filtered but no captured tables were given for publication "${name}" (check table.include.list / schema.include.list)`);
      }
      const list = tables.map((t) => qualifiedName(t.schema, t.table)).join(", ");
      if (publication === undefined) {
        await run(`CREATE PUBLICATION ${quoted} FOR TABLE ${list}`);
        return;
      }
      if (publication.puballtables) {
        throw new Error(`publication "${name}" is FOR ALL TABLES and cannot be narrowed to the captured tables (publication.autocreate.mode=filtered): drop it or use all_tables`);
      }
      // Only ALTER when the table set differs: ALTER needs ownership of every table, and a restart
      // with an unchanged filter should not need it.
      const current = await client.query<{ schemaname: string; tablename: string }>(
        "SELECT schemaname, tablename FROM pg_publication_tables WHERE pubname = $1",
        [name],
      );
      const key = (schema: string, table: string): string => JSON.stringify([schema, table]);
      const have = new Set(current.rows.map((r) => key(r.schemaname, r.tablename)));
      const want = new Set(tables.map((t) => key(t.schema, t.table)));
      const same = have.size === want.size && [...want].every((k) => have.has(k));
      if (!same) await run(`ALTER PUBLICATION ${quoted} SET TABLE ${list}`);
      return;
    }
  }
}

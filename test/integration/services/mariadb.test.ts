// Smoke test: the provisioned MariaDB accepts a round trip and writes a row-format binlog.
import mysql from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireService } from "../../services/index.ts";

describe("MariaDB test service", () => {
  let conn: mysql.Connection;
  const table = `smoke_${process.pid}_${Date.now()}`;

  beforeAll(async () => {
    conn = await mysql.createConnection(await requireService("mariadb"));
  });
  afterAll(async () => {
    await conn.query(`DROP TABLE IF EXISTS ${table}`);
    await conn.end();
  });

  it("writes a row and reads it back", async () => {
    await conn.query(`CREATE TABLE ${table} (id INT PRIMARY KEY, name VARCHAR(50) NOT NULL)`);
    await conn.execute(`INSERT INTO ${table} VALUES (?, ?)`, [1, "grace"]);
    const [rows] = await conn.query(`SELECT id, name FROM ${table}`);
    expect(rows).toEqual([{ id: 1, name: "grace" }]);
  });

  it("logs changes to the binary log in row format", async () => {
    const [vars] = await conn.query(`SELECT @@log_bin AS logBin, @@binlog_format AS format, @@binlog_row_image AS image`);
    expect(vars).toEqual([{ logBin: 1, format: "ROW", image: "FULL" }]);
  });
});

// Replication slots and the WAL position: creating a pgoutput slot (with or without an exported
// snapshot, over a replication connection, since only CREATE_REPLICATION_SLOT can export one),
// and inspecting and dropping slots over a normal SQL connection.
import type pg from "pg";
import { parseLsn } from "../pgoutput/index.ts";
import { PostgresError, checkSlotName, connectClient, quoteIdentifier, serverVersionNum, type PgConnectionOptions } from "./connection.ts";

export interface SlotWithSnapshot {
  /** The LSN from which the slot's changes begin: everything committed before it is in the snapshot. */
  consistentPoint: bigint;
  /** For SET TRANSACTION SNAPSHOT in other sessions; valid until release(). */
  snapshotName: string;
  /** Closes the replication connection that holds the exported snapshot (the slot stays). */
  release(): Promise<void>;
}

interface CreateSlotRow {
  slot_name: string;
  consistent_point: string;
  snapshot_name: string | null;
  output_plugin: string;
}

/**
 * Creates a pgoutput slot and exports its starting snapshot. The snapshot lives as long as the
 * replication connection runs no other command, so the connection is kept open until release().
 */
export async function createSlotWithSnapshot(options: PgConnectionOptions, slotName: string): Promise<SlotWithSnapshot> {
  checkSlotName(slotName);
  const client = await connectClient(options, { replication: true });
  try {
    const version = await serverVersionNum(client);
    // PG 15 replaced EXPORT_SNAPSHOT with an option list; the old keyword form is still accepted there but not documented.
    const snapshotOption = version >= 150000 ? "(SNAPSHOT 'export')" : "EXPORT_SNAPSHOT";
    const row = await createSlotCommand(client, slotName, snapshotOption);
    if (row.snapshot_name === null) throw new Error(`CREATE_REPLICATION_SLOT for "${slotName}" returned no snapshot name`);
    let released: Promise<void> | null = null;
    return {
      consistentPoint: parseLsn(row.consistent_point),
      snapshotName: row.snapshot_name,
      release: () => (released ??= client.end().catch(() => {})),
    };
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
}

/** Creates a pgoutput slot without a snapshot (streaming starts at consistentPoint). */
export async function createSlot(options: PgConnectionOptions, slotName: string): Promise<{ consistentPoint: bigint }> {
  checkSlotName(slotName);
  const client = await connectClient(options, { replication: true });
  try {
    const version = await serverVersionNum(client);
    const row = await createSlotCommand(client, slotName, version >= 150000 ? "(SNAPSHOT 'nothing')" : "NOEXPORT_SNAPSHOT");
    return { consistentPoint: parseLsn(row.consistent_point) };
  } finally {
    await client.end().catch(() => {});
  }
}

async function createSlotCommand(client: pg.Client, slotName: string, snapshotOption: string): Promise<CreateSlotRow> {
  try {
    const result = await client.query<CreateSlotRow>(`CREATE_REPLICATION_SLOT ${quoteIdentifier(slotName)} LOGICAL pgoutput ${snapshotOption}`);
    const row = result.rows[0];
    if (row === undefined) throw new Error("CREATE_REPLICATION_SLOT returned no row");
    return row;
  } catch (error) {
    throw new PostgresError(`could not create replication slot "${slotName}"`, error);
  }
}

export interface SlotState {
  active: boolean;
  activePid: number | null;
  plugin: string;
  database: string;
  confirmedFlushLsn: bigint | null;
  restartLsn: bigint | null;
}

/** The slot as pg_replication_slots shows it, or null when there is no such slot. */
export async function slotState(client: pg.ClientBase, slotName: string): Promise<SlotState | null> {
  const result = await client.query<{ active: boolean; active_pid: number | null; plugin: string | null; database: string | null; confirmed: string | null; restart: string | null }>(
    `SELECT active, active_pid, plugin, database, confirmed_flush_lsn::text AS confirmed, restart_lsn::text AS restart
       FROM pg_replication_slots WHERE slot_name = $1`,
    [slotName],
  );
  const row = result.rows[0];
  if (row === undefined) return null;
  return {
    active: row.active,
    activePid: row.active_pid,
    plugin: row.plugin ?? "",
    database: row.database ?? "",
    confirmedFlushLsn: row.confirmed === null ? null : parseLsn(row.confirmed),
    restartLsn: row.restart === null ? null : parseLsn(row.restart),
  };
}

const OBJECT_IN_USE = "55006";
const UNDEFINED_OBJECT = "42704";

/**
 * Drops the slot; false when there was none. A slot still active (its walsender exiting after a
 * close, say) cannot be dropped, so this retries until timeoutMs (default 10 s) before failing.
 */
export async function dropSlot(client: pg.ClientBase, slotName: string, opts: { timeoutMs?: number } = {}): Promise<boolean> {
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  for (;;) {
    try {
      const result = await client.query(
        "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1",
        [slotName],
      );
      return (result.rowCount ?? 0) > 0;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === UNDEFINED_OBJECT) return false;
      if (code !== OBJECT_IN_USE || Date.now() >= deadline) throw new PostgresError(`could not drop replication slot "${slotName}"`, error);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** pg_current_wal_lsn(): the server's current WAL write position. */
export async function currentWalLsn(client: pg.ClientBase): Promise<bigint> {
  const result = await client.query<{ lsn: string }>("SELECT pg_current_wal_lsn()::text AS lsn");
  const text = result.rows[0]?.lsn;
  if (text === undefined) throw new Error("pg_current_wal_lsn() returned no row");
  return parseLsn(text);
}

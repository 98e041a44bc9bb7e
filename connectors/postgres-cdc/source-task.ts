// The Postgres CDC task: Debezium's PostgresConnectorTask, on pgoutput.
//
// start(): connects, reads the stored offset, lists the captured tables, makes sure the
// publication exists, finds (or creates) the slot and decides whether a snapshot is due
// (snapshot.mode and the stored offset). A fresh snapshot creates the slot with an exported
// snapshot, so the rows read and the changes streamed afterwards meet exactly at the slot's
// consistent point. poll() then hands out snapshot records (SnapshotRunner), and once the
// snapshot is done, change records from the slot (StreamProcessor), plus a heartbeat every
// heartbeat.interval.ms.
//
// No loss: the slot is confirmed only in commit(), which the runtime calls after it stored the
// offsets of the records it wrote, and only up to the position the stored offset (read back
// from the offset store, never our newer in-memory position) says was handled. A restart then
// streams from the slot's confirmed position and skips what the stored offset shows emitted.
// An interrupted snapshot resumes after its last stored row; the exported snapshot is gone by
// then, so the rest is read as of the restart and the changes in between (still in the slot,
// which is not confirmed during a snapshot) are streamed afterwards: records may repeat, none
// are lost.
import type pg from "pg";
import { ConnectException, type ConnectorProps, type SourceMap, type SourceRecord, SourceTask } from "../../connect/api/index.ts";
import { createLogger, type Logger } from "../../lib/logger.ts";
import { HUB_VERSION } from "../../lib/version.ts";
import { Sleeper } from "../shared/sleeper.ts";
import { columnFilter, listCapturedTables, loadTableInfo, type TableFilter, tableFilter } from "./catalog.ts";
import { parsePostgresCdcSettings, type PostgresCdcSettings } from "./config.ts";
import { resolveConnectionOptions } from "./connection-options.ts";
import type { ReplicationStream, TableEventBuilder, TableInfo } from "./contracts.ts";
import { createTableEventBuilder } from "./events/index.ts";
import { heartbeatRecord, heartbeatTopic } from "./heartbeat.ts";
import { acknowledgeableLsn, offsetToMap, parseOffset, type PostgresOffset, type SnapshotOffset, sourcePartition, type StreamingOffset } from "./offsets.ts";
import type { RelationMessage } from "./pgoutput/index.ts";
import {
  connectClient,
  createSlot,
  createSlotWithSnapshot,
  currentWalLsn,
  dropSlot,
  ensurePublication,
  openReplicationStream,
  type PgConnectionOptions,
  PostgresError,
  slotState,
  type SlotState,
} from "./replication/index.ts";
import { openSnapshotSession, type SnapshotSession } from "./snapshot/index.ts";
import { SnapshotRunner, type TableProgress } from "./snapshot-runner.ts";
import { StreamProcessor } from "./stream-processor.ts";

/** SQLSTATE 55006: the slot is active for another process (a previous task still shutting down). */
const OBJECT_IN_USE = "55006";

type Phase = "starting" | "snapshot" | "streaming" | "idle" | "stopped";

interface SnapshotState {
  readonly session: SnapshotSession;
  readonly runner: SnapshotRunner;
  readonly records: AsyncGenerator<SourceRecord, void, undefined>;
}

/** What streaming starts from once it begins. */
interface StreamingStart {
  readonly offset: StreamingOffset;
  /** The stored offset whose emitted changes must be skipped, or null. */
  readonly resumeFrom: StreamingOffset | null;
}

export class PostgresCdcSourceTask extends SourceTask {
  #settings: PostgresCdcSettings | null = null;
  #partition: SourceMap = {};
  #options: PgConnectionOptions | null = null;
  #client: pg.Client | null = null;
  readonly #baseLog: Logger = createLogger({ level: "info" }).child({ component: "PostgresCdcSourceTask" });
  #log: Logger = this.#baseLog;
  #phase: Phase = "starting";
  #snapshot: SnapshotState | null = null;
  #lastProgress: readonly Readonly<TableProgress>[] = [];
  #streamingStart: StreamingStart | null = null;
  #stream: ReplicationStream | null = null;
  #processor: StreamProcessor | null = null;
  /** Event builders by relation id; null for a relation that is not captured. */
  readonly #builders = new Map<number, TableEventBuilder | null>();
  #isCaptured: (schema: string, table: string) => boolean = () => false;
  #includeColumn: ((schema: string, table: string, column: string) => boolean) | undefined;
  /** Records made beyond max.batch.size by the last poll, handed out first by the next. */
  #carry: SourceRecord[] = [];
  #lastHeartbeatMs = 0;
  #stopped = false;
  readonly #sleeper = new Sleeper();

  override version(): string {
    return HUB_VERSION;
  }

  /** Where the task is: snapshotting, streaming, idle (initial_only done), stopped. */
  get phase(): Phase {
    return this.#phase;
  }

  /** The snapshot's progress per table (rows done of the estimated total), current or last. */
  snapshotProgress(): readonly Readonly<TableProgress>[] {
    return this.#snapshot?.runner.progress() ?? this.#lastProgress;
  }

  /** The replication stream while streaming (for status and tests). */
  get replicationStream(): ReplicationStream | null {
    return this.#stream;
  }

  override async start(props: ConnectorProps): Promise<void> {
    const settings = parsePostgresCdcSettings(props);
    this.#settings = settings;
    this.#stopped = false;
    this.#sleeper.reset();
    this.#phase = "starting";
    this.#carry = [];
    this.#builders.clear();
    this.#partition = sourcePartition(settings.topicPrefix);
    this.#log = this.#baseLog.child({ server: settings.topicPrefix, slot: settings.slotName });
    const options = await resolveConnectionOptions(settings);
    this.#options = options;
    const client = await connectClient(options);
    this.#client = client;
    try {
      await this.#prepare(settings, options, client);
    } catch (error) {
      await this.#closeAll();
      throw error;
    }
  }

  async #prepare(settings: PostgresCdcSettings, options: PgConnectionOptions, client: pg.Client): Promise<void> {
    const stored = parseOffset(await this.context.offsetStorageReader().offset(this.#partition));
    const filter: TableFilter = {};
    if (settings.schemaIncludeList !== undefined) filter.schemaIncludeList = settings.schemaIncludeList;
    if (settings.schemaExcludeList !== undefined) filter.schemaExcludeList = settings.schemaExcludeList;
    if (settings.tableIncludeList !== undefined) filter.tableIncludeList = settings.tableIncludeList;
    if (settings.tableExcludeList !== undefined) filter.tableExcludeList = settings.tableExcludeList;
    this.#isCaptured = tableFilter(filter);
    this.#includeColumn = columnFilter(settings.columnIncludeList, settings.columnExcludeList);
    const tables = [...(await listCapturedTables(client, filter))].sort((a, b) => compareNames(a, b));
    for (const table of tables) this.#builders.set(table.relationId, this.#newBuilder(table));
    await ensurePublication(
      client,
      settings.publicationName,
      settings.publicationAutocreateMode,
      tables.map((t) => ({ schema: t.schema, table: t.table })),
    );

    const slot = await slotState(client, settings.slotName);
    checkSlot(slot, settings);
    const decision = snapshotDecision(settings, stored, slot);
    this.#log.info({ snapshotMode: settings.snapshotMode, snapshot: decision.snapshot, resume: decision.resume !== null, storedOffset: stored === null ? null : offsetToMap(stored), slotExists: slot !== null }, "starting");

    if (decision.snapshot) {
      let lsn: bigint;
      let session: SnapshotSession;
      if (slot === null) {
        const created = await createSlotWithSnapshot(options, settings.slotName);
        try {
          session = await openSnapshotSession(options, created.snapshotName);
        } finally {
          await created.release();
        }
        lsn = created.consistentPoint;
      } else {
        // The slot exists, so no snapshot can be exported for it: read the current rows; the slot's
        // changes since its confirmed position are streamed afterwards (some may repeat rows read).
        session = await openSnapshotSession(options, null);
        lsn = decision.resume?.lsn ?? slot.confirmedFlushLsn ?? (await currentWalLsn(client));
      }
      const runner = new SnapshotRunner(
        session,
        {
          tables,
          builderFor: (table) => this.#builders.get(table.relationId) ?? this.#newBuilder(table),
          lsn,
          resume: decision.resume,
          chunkSize: settings.snapshotFetchSize,
          topicPrefix: settings.topicPrefix,
          database: settings.database,
          connectorVersion: HUB_VERSION,
          partition: this.#partition,
        },
        this.#log,
      );
      this.#snapshot = { session, runner, records: runner.records() };
      this.#streamingStart = { offset: streamingOffsetAt(lsn), resumeFrom: null };
      this.#phase = "snapshot";
      return;
    }

    let start: StreamingStart;
    if (slot === null) {
      const created = await createSlot(options, settings.slotName);
      if (stored !== null) {
        this.#log.warn(
          { slot: settings.slotName },
          "the replication slot was missing although offsets are stored: it was created anew, and changes made while it did not exist are not captured (use snapshot.mode=when_needed to snapshot in that case)",
        );
      }
      start = { offset: stored?.kind === "streaming" ? stored : streamingOffsetAt(created.consistentPoint), resumeFrom: stored?.kind === "streaming" ? stored : null };
    } else if (stored === null) {
      start = { offset: streamingOffsetAt(slot.confirmedFlushLsn ?? (await currentWalLsn(client))), resumeFrom: null };
    } else {
      start = { offset: stored.kind === "streaming" ? stored : streamingOffsetAt(stored.lsn ?? slot.confirmedFlushLsn ?? 0n), resumeFrom: stored.kind === "streaming" ? stored : null };
    }
    this.#streamingStart = start;
    if (settings.snapshotMode === "initial_only") {
      this.#phase = "idle";
      this.#log.info("snapshot.mode=initial_only and the snapshot is complete: nothing to stream");
      return;
    }
    await this.#startStreaming();
  }

  #newBuilder(table: TableInfo): TableEventBuilder {
    const settings = this.#requireSettings();
    const options: Parameters<typeof createTableEventBuilder>[1] = {
      topicPrefix: settings.topicPrefix,
      database: settings.database,
      connectorVersion: HUB_VERSION,
      types: settings.types,
    };
    if (this.#includeColumn !== undefined) options.includeColumn = this.#includeColumn;
    options.onConversionError = (column, error) =>
      this.#log.warn({ table: `${table.schema}.${table.table}`, column: column.name, err: error }, "a value could not be converted: the field is left null");
    return createTableEventBuilder(table, options);
  }

  async #startStreaming(): Promise<void> {
    const settings = this.#requireSettings();
    const options = this.#options as PgConnectionOptions;
    const start = this.#streamingStart as StreamingStart;
    this.#stream = await this.#openStream(settings, options);
    this.#processor = new StreamProcessor({
      topicPrefix: settings.topicPrefix,
      database: settings.database,
      connectorVersion: HUB_VERSION,
      partition: this.#partition,
      tombstonesOnDelete: settings.tombstonesOnDelete,
      skippedOperations: settings.skippedOperations,
      start: start.offset,
      resumeFrom: start.resumeFrom,
      relationChanged: (relation) => this.#relationChanged(relation),
      builderFor: (relationId) => this.#builders.get(relationId) ?? null,
    });
    this.#lastHeartbeatMs = Date.now();
    this.#phase = "streaming";
    this.#log.info({ from: offsetToMap(start.offset) }, "streaming changes from the replication slot");
  }

  /** Opens the slot's stream, waiting (slot.max.retries times slot.retry.delay.ms) while another connection still holds it. */
  async #openStream(settings: PostgresCdcSettings, options: PgConnectionOptions): Promise<ReplicationStream> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await openReplicationStream(options, {
          slotName: settings.slotName,
          publicationNames: [settings.publicationName],
          startLsn: 0n,
          protoVersion: 1,
          statusIntervalMs: settings.statusUpdateIntervalMs > 0 ? settings.statusUpdateIntervalMs : 10_000,
        });
      } catch (error) {
        const inUse = error instanceof PostgresError && error.sqlState === OBJECT_IN_USE;
        if (!inUse || attempt >= settings.slotMaxRetries || this.#stopped) throw error;
        this.#log.warn({ attempt: attempt + 1, of: settings.slotMaxRetries }, `replication slot "${settings.slotName}" is in use by another connection; trying again`);
        await this.#sleeper.sleep(settings.slotRetryDelayMs);
      }
    }
  }

  async #relationChanged(relation: RelationMessage): Promise<void> {
    const current = this.#builders.get(relation.relationId);
    if (current !== undefined && current !== null && sameShape(current.table, relation)) return;
    if (!this.#isCaptured(relation.namespace, relation.name)) {
      this.#builders.set(relation.relationId, null);
      return;
    }
    const info = await loadTableInfo(this.#client as pg.Client, relation.namespace, relation.name);
    if (info === null) {
      this.#log.warn({ table: `${relation.namespace}.${relation.name}` }, "a captured table in the stream no longer exists in the catalog: its changes are skipped");
      this.#builders.set(relation.relationId, null);
      return;
    }
    if (current != null) this.#log.info({ table: `${info.schema}.${info.table}` }, "table shape changed: event schemas refreshed");
    this.#builders.set(relation.relationId, this.#newBuilder(info));
  }

  override async poll(): Promise<SourceRecord[] | null> {
    if (this.#stopped) return null;
    const settings = this.#requireSettings();
    if (this.#carry.length > 0) return this.#carry.splice(0, settings.maxBatchSize);
    try {
      switch (this.#phase) {
        case "snapshot":
          return await this.#pollSnapshot(settings);
        case "streaming":
          return await this.#pollStream(settings);
        default:
          await this.#sleeper.sleep(settings.pollIntervalMs);
          return null;
      }
    } catch (error) {
      // stop() closes the connections a pending poll is using: its failure is expected then.
      if (this.#stopped) return null;
      throw error instanceof ConnectException ? error : new ConnectException(`Postgres CDC task failed: ${(error as Error).message}`, { cause: error });
    }
  }

  async #pollSnapshot(settings: PostgresCdcSettings): Promise<SourceRecord[] | null> {
    const snapshot = this.#snapshot as SnapshotState;
    const deadline = Date.now() + settings.pollIntervalMs;
    const records: SourceRecord[] = [];
    while (records.length < settings.maxBatchSize && !this.#stopped) {
      const next = await snapshot.records.next();
      if (next.done === true) {
        await this.#finishSnapshot(settings, snapshot);
        break;
      }
      records.push(next.value);
      if (Date.now() >= deadline) break;
    }
    return records.length > 0 ? records : null;
  }

  async #finishSnapshot(settings: PostgresCdcSettings, snapshot: SnapshotState): Promise<void> {
    this.#lastProgress = snapshot.runner.progress().map((p) => ({ ...p }));
    this.#snapshot = null;
    await snapshot.session.close().catch(() => {});
    const rows = this.#lastProgress.reduce((sum, p) => sum + p.rowsDone, 0);
    this.#log.info({ tables: this.#lastProgress.length, rows }, "snapshot complete");
    if (settings.snapshotMode === "initial_only") {
      this.#phase = "idle";
      return;
    }
    await this.#startStreaming();
  }

  async #pollStream(settings: PostgresCdcSettings): Promise<SourceRecord[] | null> {
    const stream = this.#stream as ReplicationStream;
    const processor = this.#processor as StreamProcessor;
    const deadline = Date.now() + settings.pollIntervalMs;
    const records: SourceRecord[] = [];
    while (!this.#stopped) {
      const waitMs = records.length > 0 ? 0 : Math.max(0, deadline - Date.now());
      const frames = await stream.read(Math.max(1, settings.maxBatchSize - records.length), waitMs);
      for (const frame of frames) await processor.process(frame, records);
      if (records.length >= settings.maxBatchSize || frames.length === 0 || Date.now() >= deadline) break;
    }
    await this.#maybeHeartbeat(settings, processor, records);
    if (records.length > settings.maxBatchSize) this.#carry = records.splice(settings.maxBatchSize);
    return records.length > 0 ? records : null;
  }

  async #maybeHeartbeat(settings: PostgresCdcSettings, processor: StreamProcessor, records: SourceRecord[]): Promise<void> {
    if (settings.heartbeatIntervalMs <= 0 || this.#stopped) return;
    const now = Date.now();
    if (now - this.#lastHeartbeatMs < settings.heartbeatIntervalMs) return;
    this.#lastHeartbeatMs = now;
    if (settings.heartbeatActionQuery !== null) {
      try {
        await (this.#client as pg.Client).query(settings.heartbeatActionQuery);
      } catch (error) {
        this.#log.warn({ err: error }, "heartbeat.action.query failed");
      }
    }
    const topic = heartbeatTopic(settings.heartbeatTopicPrefix, settings.topicPrefix);
    records.push(heartbeatRecord(topic, settings.topicPrefix, this.#partition, offsetToMap(processor.position), now));
  }

  /** Confirms the slot up to what the stored offset says was handled. */
  override async commit(): Promise<void> {
    const stream = this.#stream;
    if (stream === null || this.#stopped) return;
    let stored: PostgresOffset | null;
    try {
      stored = parseOffset(await this.context.offsetStorageReader().offset(this.#partition));
    } catch (error) {
      this.#log.warn({ err: error }, "could not read the stored offset: the slot is not confirmed this time");
      return;
    }
    if (stored === null) return;
    const lsn = acknowledgeableLsn(stored);
    if (lsn !== null && lsn > 0n && lsn > stream.acknowledgedLsn) {
      stream.acknowledge(lsn);
      this.#log.debug({ lsn: lsn.toString() }, "confirmed the replication slot");
    }
  }

  override async stop(): Promise<void> {
    if (this.#phase === "stopped" && this.#client === null) return;
    this.#stopped = true;
    this.#sleeper.close();
    await this.#closeAll();
  }

  async #closeAll(): Promise<void> {
    const settings = this.#settings;
    const stream = this.#stream;
    this.#stream = null;
    await stream?.close().catch((error: unknown) => this.#log.warn({ err: error }, "closing the replication stream failed"));
    const snapshot = this.#snapshot;
    this.#snapshot = null;
    if (snapshot !== null) {
      this.#lastProgress = snapshot.runner.progress().map((p) => ({ ...p }));
      await snapshot.session.close().catch(() => {});
    }
    const client = this.#client;
    this.#client = null;
    if (client !== null) {
      if (settings?.slotDropOnStop === true && this.#stopped) {
        try {
          await dropSlot(client, settings.slotName);
          this.#log.info("slot.drop.on.stop: replication slot dropped");
        } catch (error) {
          this.#log.warn({ err: error }, "could not drop the replication slot");
        }
      }
      await client.end().catch(() => {});
    }
    this.#processor = null;
    this.#phase = "stopped";
  }

  #requireSettings(): PostgresCdcSettings {
    if (this.#settings === null) throw new ConnectException("The Postgres CDC task was polled before it was started");
    return this.#settings;
  }
}

function compareNames(a: TableInfo, b: TableInfo): number {
  return a.schema < b.schema ? -1 : a.schema > b.schema ? 1 : a.table < b.table ? -1 : a.table > b.table ? 1 : 0;
}

/** A streaming position that says only "at this LSN" (after a snapshot, or a slot without offsets). */
function streamingOffsetAt(lsn: bigint | null): StreamingOffset {
  return { kind: "streaming", lsn, txId: null, tsUsec: null, lastProcessedLsn: null, lastCommitLsn: null, messageType: null };
}

/** The slot must be a pgoutput slot of this database. */
function checkSlot(slot: SlotState | null, settings: PostgresCdcSettings): void {
  if (slot === null) return;
  if (slot.plugin !== "pgoutput") {
    throw new ConnectException(
      `Replication slot "${settings.slotName}" was created for the "${slot.plugin}" plugin, but this connector reads pgoutput: drop the slot (SELECT pg_drop_replication_slot('${settings.slotName}')) or set another slot.name`,
    );
  }
  if (slot.database !== settings.database) {
    throw new ConnectException(`Replication slot "${settings.slotName}" belongs to database "${slot.database}", not "${settings.database}": set another slot.name`);
  }
}

interface SnapshotDecision {
  snapshot: boolean;
  /** The unfinished snapshot to continue, or null for a fresh one. */
  resume: SnapshotOffset | null;
}

/** Whether to snapshot on this start, per snapshot.mode and the stored offset (Debezium's rules). */
export function snapshotDecision(settings: Pick<PostgresCdcSettings, "snapshotMode">, stored: PostgresOffset | null, slot: SlotState | null): SnapshotDecision {
  const unfinished = stored?.kind === "snapshot" && !stored.lastSnapshotRecord ? stored : null;
  const completed = stored !== null && unfinished === null;
  let snapshot: boolean;
  switch (settings.snapshotMode) {
    case "initial":
    case "initial_only":
      snapshot = !completed;
      break;
    case "always":
      snapshot = true;
      break;
    case "no_data":
      snapshot = false;
      break;
    case "when_needed": {
      const confirmable = stored === null ? null : acknowledgeableLsn(stored);
      const slotAhead = slot?.confirmedFlushLsn != null && confirmable !== null && slot.confirmedFlushLsn > confirmable;
      snapshot = !completed || slot === null || slotAhead;
      break;
    }
  }
  return { snapshot, resume: snapshot ? unfinished : null };
}

/** Whether a Relation message describes the table the builder was made for (same columns and types). */
function sameShape(table: TableInfo, relation: RelationMessage): boolean {
  if (table.schema !== relation.namespace || table.table !== relation.name) return false;
  if (table.replicaIdentity !== relation.replicaIdentity) return false;
  if (table.columns.length !== relation.columns.length) return false;
  return relation.columns.every((column, i) => {
    const known = table.columns[i];
    return known !== undefined && known.name === column.name && known.typeOid === column.typeOid && known.typeModifier === column.typeModifier;
  });
}

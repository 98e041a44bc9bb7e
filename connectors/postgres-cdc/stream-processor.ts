// The streaming phase: pgoutput frames from the slot in, Debezium change records out.
//
// Begin opens a transaction (its final LSN is its commit LSN, known up front), each change of a
// captured table becomes a record (INSERT c, UPDATE u, DELETE d followed by a tombstone, TRUNCATE
// t; an UPDATE that changes the primary key becomes a delete of the old key and a create of the
// new one, as Debezium does), Commit closes the transaction and becomes the position the slot
// may be confirmed at once a later record or heartbeat carrying it is stored. Changes a
// restarted task had already emitted are skipped (ResumeFilter). Relation messages refresh the
// table's event builder when its shape changed.
import { Headers, type SourceMap, type SourceRecord } from "../../connect/api/index.ts";
import type { ChangeEvent, RowChange, SourceInfo, TableEventBuilder, WalMessage } from "./contracts.ts";
import { type MessageType, offsetToMap, type StreamingOffset } from "./offsets.ts";
import { PgoutputDecoder, type PgoutputEvent, postgresTimestampToDate, type RelationMessage, type Row } from "./pgoutput/index.ts";
import { eventRecord, tombstoneRecord } from "./records.ts";
import { ResumeFilter } from "./resume-filter.ts";
import type { SkippedOperation } from "./config.ts";

/** Microseconds between the Unix epoch and PostgreSQL's (2000-01-01 UTC). */
const POSTGRES_EPOCH_MICROS = 946_684_800_000_000n;

export interface StreamProcessorOptions {
  readonly topicPrefix: string;
  readonly database: string;
  readonly connectorVersion: string;
  readonly partition: SourceMap;
  readonly tombstonesOnDelete: boolean;
  readonly skippedOperations: ReadonlySet<SkippedOperation>;
  /** Where processing starts: the stored offset (or the slot's position when none). */
  readonly start: StreamingOffset;
  /** Skip what the stored offset says was emitted (false when the offset came from elsewhere, e.g. a snapshot). */
  readonly resumeFrom: StreamingOffset | null;
  /**
   * The event builder for a relation, refreshed when its shape changed; null when the table is
   * not captured. Called for every Relation message and must keep its answer per relation id.
   */
  readonly relationChanged: (relation: RelationMessage) => Promise<void>;
  readonly builderFor: (relationId: number) => TableEventBuilder | null;
}

interface OpenTransaction {
  xid: number;
  finalLsn: bigint;
  commitTimeUsec: number;
  commitTimeMs: number;
}

export class StreamProcessor {
  readonly #o: StreamProcessorOptions;
  readonly #decoder = new PgoutputDecoder();
  readonly #filter: ResumeFilter;
  #txn: OpenTransaction | null = null;
  #position: StreamingOffset;
  /** Changes skipped because a restarted task had emitted them already. */
  skippedAsEmitted = 0;

  constructor(options: StreamProcessorOptions) {
    this.#o = options;
    this.#position = options.start;
    this.#filter = new ResumeFilter(options.resumeFrom);
  }

  /** The latest processed position, as an offset (what a heartbeat carries). */
  get position(): StreamingOffset {
    return this.#position;
  }

  /** True between a Begin and its Commit. */
  get inTransaction(): boolean {
    return this.#txn !== null;
  }

  /** Decodes one frame and appends the records it makes to `out`. */
  async process(frame: WalMessage, out: SourceRecord[]): Promise<void> {
    const event = this.#decoder.decode(frame.data);
    switch (event.tag) {
      case "begin": {
        const commitUsec = Number(event.commitTime + POSTGRES_EPOCH_MICROS);
        this.#txn = { xid: event.xid, finalLsn: event.finalLsn, commitTimeUsec: commitUsec, commitTimeMs: postgresTimestampToDate(event.commitTime).getTime() };
        this.#filter.beginTransaction(event.xid, event.finalLsn);
        return;
      }
      case "commit": {
        this.#txn = null;
        const previous = this.#position.lastCommitLsn;
        const commitLsn = previous !== null && previous > event.commitLsn ? previous : event.commitLsn;
        this.#position = { ...this.#position, lastCommitLsn: commitLsn, lastProcessedLsn: commitLsn };
        return;
      }
      case "relation":
        await this.#o.relationChanged(event);
        return;
      case "insert":
      case "update":
      case "delete":
      case "truncate":
        this.#change(event, frame.lsn, out);
        return;
      case "stream-start":
      case "stream-stop":
      case "stream-commit":
      case "stream-abort":
        throw new Error(`pgoutput sent a streamed (in-progress) transaction message "${event.tag}", which this connector never asks for`);
      default:
        // Type, Origin and logical decoding messages carry nothing to emit.
        return;
    }
  }

  #change(event: Extract<PgoutputEvent, { tag: "insert" | "update" | "delete" | "truncate" }>, lsn: bigint, out: SourceRecord[]): void {
    const txn = this.#txn;
    if (txn === null) throw new Error(`pgoutput sent a ${event.tag} outside a transaction (no Begin before it)`);
    if (this.#filter.alreadyEmitted(lsn)) {
      this.skippedAsEmitted++;
      return;
    }
    const messageType: MessageType = event.tag === "insert" ? "INSERT" : event.tag === "update" ? "UPDATE" : event.tag === "delete" ? "DELETE" : "TRUNCATE";
    // The position moves for every change of the transaction, captured or not: the offset of the
    // next record (or heartbeat) says everything up to here was handled.
    this.#position = { ...this.#position, lsn, txId: txn.xid, tsUsec: txn.commitTimeUsec, lastProcessedLsn: lsn, messageType };
    const skipped = this.#o.skippedOperations;
    const offset = offsetToMap(this.#position);
    const nowMs = Date.now();
    if (event.tag === "truncate") {
      if (skipped.has("t")) return;
      for (const relation of event.relations) {
        const builder = this.#o.builderFor(relation.relationId);
        if (builder === null) continue;
        out.push(eventRecord(builder.truncate(this.#source(builder, txn, lsn), nowMs), this.#o.partition, offset));
      }
      return;
    }
    const builder = this.#o.builderFor(event.relation.relationId);
    if (builder === null) return;
    const source = this.#source(builder, txn, lsn);
    const partition = this.#o.partition;
    if (event.tag === "insert") {
      if (!skipped.has("c")) out.push(eventRecord(builder.build({ op: "c", after: event.columns }, source, nowMs), partition, offset));
      return;
    }
    if (event.tag === "delete") {
      if (skipped.has("d")) return;
      const deleted = builder.build({ op: "d", before: event.old }, source, nowMs);
      out.push(eventRecord(deleted, partition, offset));
      if (this.#o.tombstonesOnDelete && deleted.key !== null) out.push(tombstoneRecord(deleted, partition, offset));
      return;
    }
    const before = event.old ?? null;
    if (before !== null && keyChanged(builder, before, event.columns)) {
      // Debezium: a primary key change is a delete of the old row (with the new key in a
      // __debezium.newkey header), its tombstone, and a create of the new row (__debezium.oldkey).
      const deleted = builder.build({ op: "d", before }, source, nowMs);
      const created = builder.build({ op: "c", after: event.columns }, source, nowMs);
      if (!skipped.has("d")) {
        out.push(eventRecord(deleted, partition, offset, keyHeader("__debezium.newkey", created)));
        if (this.#o.tombstonesOnDelete && deleted.key !== null) out.push(tombstoneRecord(deleted, partition, offset));
      }
      if (!skipped.has("c")) out.push(eventRecord(created, partition, offset, keyHeader("__debezium.oldkey", deleted)));
      return;
    }
    if (skipped.has("u")) return;
    const change: RowChange = { op: "u", before, after: event.columns };
    out.push(eventRecord(builder.build(change, source, nowMs), partition, offset));
  }

  #source(builder: TableEventBuilder, txn: OpenTransaction, lsn: bigint): SourceInfo {
    const lastCommit = this.#position.lastCommitLsn;
    return {
      version: this.#o.connectorVersion,
      name: this.#o.topicPrefix,
      tsMs: txn.commitTimeMs,
      snapshot: "false",
      db: this.#o.database,
      schema: builder.table.schema,
      table: builder.table.table,
      txId: txn.xid,
      lsn,
      sequence: JSON.stringify([lastCommit === null ? null : lastCommit.toString(), lsn.toString()]),
      xmin: null,
    };
  }
}

/** Whether an update moved the row to another primary key (old and new key values differ). */
function keyChanged(builder: TableEventBuilder, before: Row, after: Row): boolean {
  const key = builder.table.primaryKey;
  if (key.length === 0 || builder.keySchema === null) return false;
  return key.some((column) => column in before && !sameValue(before[column], after[column]));
}

function sameValue(a: Row[string] | undefined, b: Row[string] | undefined): boolean {
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.from(a).equals(Buffer.from(b));
  return a === b;
}

function keyHeader(name: string, event: ChangeEvent): Headers | undefined {
  if (event.key === null) return undefined;
  return new Headers().addStruct(name, event.key);
}

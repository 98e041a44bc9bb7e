// Turns a sequence of pgoutput messages into row changes. pgoutput sends a Relation message
// before the first change to a table in a session and again whenever its shape changes, and
// change messages carry only the relation id and positional tuples: the decoder keeps the latest
// Relation per id so each change comes out keyed by column name.
import {
  parseMessage,
  type BeginMessage,
  type CommitMessage,
  type LogicalDecodingMessage,
  type OriginMessage,
  type PgoutputMessage,
  type RelationMessage,
  type StreamAbortMessage,
  type StreamCommitMessage,
  type StreamStartMessage,
  type StreamStopMessage,
  type TupleColumn,
  type TypeMessage,
} from "./messages.ts";
import { PgoutputFormatError } from "./reader.ts";

/** Stands for a TOASTed value the change left alone: Postgres did not resend it, so it is unknown here. */
export const UNCHANGED_TOAST: unique symbol = Symbol("pgoutput.unchanged-toast");

/** Text (the type's output function), null, raw bytes when the binary option is on, or UNCHANGED_TOAST. */
export type ColumnValue = string | null | Uint8Array | typeof UNCHANGED_TOAST;
export type Row = Record<string, ColumnValue>;

export interface InsertChange {
  tag: "insert";
  xid?: number;
  relation: RelationMessage;
  columns: Row;
}
export interface UpdateChange {
  tag: "update";
  xid?: number;
  relation: RelationMessage;
  columns: Row;
  /** 'K': the old key (only key columns; the key changed). 'O': the whole old row (REPLICA IDENTITY FULL). */
  oldKind?: "K" | "O";
  old?: Row;
}
export interface DeleteChange {
  tag: "delete";
  xid?: number;
  relation: RelationMessage;
  oldKind: "K" | "O";
  /** For 'K', only the replica identity key columns. */
  old: Row;
}
export interface TruncateChange {
  tag: "truncate";
  xid?: number;
  relations: RelationMessage[];
  cascade: boolean;
  restartIdentity: boolean;
}

export type PgoutputEvent =
  | BeginMessage
  | CommitMessage
  | OriginMessage
  | RelationMessage
  | TypeMessage
  | LogicalDecodingMessage
  | StreamStartMessage
  | StreamStopMessage
  | StreamCommitMessage
  | StreamAbortMessage
  | InsertChange
  | UpdateChange
  | DeleteChange
  | TruncateChange;

export class PgoutputDecoder {
  readonly #relations = new Map<number, RelationMessage>();
  #inStream = false;

  /** The latest Relation message seen for an id. */
  relation(relationId: number): RelationMessage | undefined {
    return this.#relations.get(relationId);
  }

  /** Decodes one message's bytes, updating the relation cache and stream state. */
  decode(bytes: Uint8Array): PgoutputEvent {
    return this.apply(parseMessage(bytes, { inStream: this.#inStream }));
  }

  /** Applies an already-parsed message. */
  apply(message: PgoutputMessage): PgoutputEvent {
    switch (message.tag) {
      case "relation":
        this.#relations.set(message.relationId, message);
        return message;
      case "stream-start":
        this.#inStream = true;
        return message;
      case "stream-stop":
        this.#inStream = false;
        return message;
      case "insert": {
        const relation = this.#require(message.relationId, "Insert");
        return { tag: "insert", ...xidOf(message), relation, columns: toRow(relation, message.newTuple, "new", false) };
      }
      case "update": {
        const relation = this.#require(message.relationId, "Update");
        const change: UpdateChange = {
          tag: "update",
          ...xidOf(message),
          relation,
          columns: toRow(relation, message.newTuple, "new", false),
        };
        if (message.oldKind !== undefined && message.oldTuple !== undefined) {
          change.oldKind = message.oldKind;
          change.old = toRow(relation, message.oldTuple, "old", message.oldKind === "K");
        }
        return change;
      }
      case "delete": {
        const relation = this.#require(message.relationId, "Delete");
        return {
          tag: "delete",
          ...xidOf(message),
          relation,
          oldKind: message.oldKind,
          old: toRow(relation, message.oldTuple, "old", message.oldKind === "K"),
        };
      }
      case "truncate":
        return {
          tag: "truncate",
          ...xidOf(message),
          relations: message.relationIds.map((id) => this.#require(id, "Truncate")),
          cascade: message.cascade,
          restartIdentity: message.restartIdentity,
        };
      default:
        return message;
    }
  }

  #require(relationId: number, kind: string): RelationMessage {
    const relation = this.#relations.get(relationId);
    if (relation === undefined) {
      throw new PgoutputFormatError(
        `${kind} for relation ${relationId}, but no Relation message for it was seen first ` +
          `(decode every message of the session, from its start, with one decoder)`,
      );
    }
    return relation;
  }
}

function xidOf(message: { xid?: number }): { xid?: number } {
  return message.xid === undefined ? {} : { xid: message.xid };
}

/** keyOnly: a 'K' old tuple, whose non-key columns are sent as nulls that mean "not sent". */
function toRow(relation: RelationMessage, tuple: TupleColumn[], which: string, keyOnly: boolean): Row {
  if (tuple.length !== relation.columns.length) {
    throw new PgoutputFormatError(
      `${which} tuple for ${relation.namespace}.${relation.name} has ${tuple.length} column(s) ` +
        `but its Relation message declares ${relation.columns.length}`,
    );
  }
  const entries: [string, ColumnValue][] = [];
  relation.columns.forEach((column, i) => {
    if (keyOnly && !column.isKey) return;
    entries.push([column.name, valueOf(tuple[i] ?? { kind: "null" })]);
  });
  return Object.fromEntries(entries);
}

function valueOf(column: TupleColumn): ColumnValue {
  switch (column.kind) {
    case "null":
      return null;
    case "unchanged-toast":
      return UNCHANGED_TOAST;
    case "text":
    case "binary":
      return column.value;
  }
}

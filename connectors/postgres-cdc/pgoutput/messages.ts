// The messages of PostgreSQL's pgoutput logical replication protocol, parsed one at a time from
// the bytes of a single message (what pg_logical_slot_get_binary_changes returns per row, or the
// payload of an XLogData frame on a replication connection). Layouts follow the PostgreSQL docs,
// "Logical Replication Message Formats", for protocol versions 1 to 4.
import { MessageReader, PgoutputFormatError } from "./reader.ts";

/** One column of a TupleData: what the publisher sent for it. */
export type TupleColumn =
  | { kind: "null" }
  /** A TOASTed value the change did not touch: the publisher did not resend it. */
  | { kind: "unchanged-toast" }
  | { kind: "text"; value: string }
  /** Sent only when the subscriber asked for binary ("binary" option, protocol 2+ servers 14+). */
  | { kind: "binary"; value: Uint8Array };

export interface RelationColumn {
  /** Bit 1: the column is part of the replica identity key. */
  flags: number;
  isKey: boolean;
  name: string;
  typeOid: number;
  /** Type modifier (e.g. varchar length + 4), -1 when none. */
  typeModifier: number;
}

/** relreplident: 'd' default (primary key), 'n' nothing, 'f' full, 'i' index. */
export type ReplicaIdentity = "d" | "n" | "f" | "i";

export interface BeginMessage {
  tag: "begin";
  finalLsn: bigint;
  /** Microseconds since 2000-01-01 UTC; see postgresTimestampToDate. */
  commitTime: bigint;
  xid: number;
}
export interface CommitMessage {
  tag: "commit";
  flags: number;
  commitLsn: bigint;
  endLsn: bigint;
  commitTime: bigint;
}
export interface OriginMessage {
  tag: "origin";
  originLsn: bigint;
  name: string;
}
export interface RelationMessage {
  tag: "relation";
  /** Present only inside a streamed transaction (protocol 2+). */
  xid?: number;
  relationId: number;
  /** Empty for pg_catalog. */
  namespace: string;
  name: string;
  replicaIdentity: ReplicaIdentity;
  columns: RelationColumn[];
}
export interface TypeMessage {
  tag: "type";
  xid?: number;
  typeOid: number;
  namespace: string;
  name: string;
}
export interface InsertMessage {
  tag: "insert";
  xid?: number;
  relationId: number;
  newTuple: TupleColumn[];
}
export interface UpdateMessage {
  tag: "update";
  xid?: number;
  relationId: number;
  /** 'K': only the replica identity key columns (key changed); 'O': the whole old row (REPLICA IDENTITY FULL). */
  oldKind?: "K" | "O";
  oldTuple?: TupleColumn[];
  newTuple: TupleColumn[];
}
export interface DeleteMessage {
  tag: "delete";
  xid?: number;
  relationId: number;
  oldKind: "K" | "O";
  oldTuple: TupleColumn[];
}
export interface TruncateMessage {
  tag: "truncate";
  xid?: number;
  cascade: boolean;
  restartIdentity: boolean;
  relationIds: number[];
}
export interface LogicalDecodingMessage {
  tag: "message";
  xid?: number;
  transactional: boolean;
  lsn: bigint;
  prefix: string;
  content: Uint8Array;
}
export interface StreamStartMessage {
  tag: "stream-start";
  xid: number;
  firstSegment: boolean;
}
export interface StreamStopMessage {
  tag: "stream-stop";
}
export interface StreamCommitMessage {
  tag: "stream-commit";
  xid: number;
  flags: number;
  commitLsn: bigint;
  endLsn: bigint;
  commitTime: bigint;
}
export interface StreamAbortMessage {
  tag: "stream-abort";
  xid: number;
  subXid: number;
  /** Protocol 4 (parallel streaming) only. */
  abortLsn?: bigint;
  abortTime?: bigint;
}

export type PgoutputMessage =
  | BeginMessage
  | CommitMessage
  | OriginMessage
  | RelationMessage
  | TypeMessage
  | InsertMessage
  | UpdateMessage
  | DeleteMessage
  | TruncateMessage
  | LogicalDecodingMessage
  | StreamStartMessage
  | StreamStopMessage
  | StreamCommitMessage
  | StreamAbortMessage;

export interface ParseOptions {
  /**
   * Whether the message sits between Stream Start and Stream Stop: there, change messages carry
   * the streamed transaction's xid. Nothing in the bytes says so, so the caller tracks it.
   */
  inStream?: boolean;
}

const TRUNCATE_CASCADE = 1;
const TRUNCATE_RESTART_IDENTITY = 2;

/** Parses one pgoutput message. Throws PgoutputFormatError on truncated, unknown or malformed input. */
export function parseMessage(bytes: Uint8Array, options: ParseOptions = {}): PgoutputMessage {
  if (bytes.length === 0) throw new PgoutputFormatError("empty pgoutput message (no type byte)");
  const type = String.fromCharCode(bytes[0] ?? 0);
  const parse = parsers[type];
  if (parse === undefined) {
    const printable = (bytes[0] ?? 0) >= 0x20 && (bytes[0] ?? 0) < 0x7f ? `'${type}'` : "non-printable";
    throw new PgoutputFormatError(
      `unknown pgoutput message type ${printable} (0x${(bytes[0] ?? 0).toString(16).padStart(2, "0")})`,
    );
  }
  const reader = new MessageReader(bytes.subarray(1), parse.kind);
  const message = parse.read(reader, options.inStream === true);
  reader.end();
  return message;
}

interface Parser {
  kind: string;
  read: (reader: MessageReader, inStream: boolean) => PgoutputMessage;
}

function streamedXid(reader: MessageReader, inStream: boolean): { xid?: number } {
  return inStream ? { xid: reader.uint32("xid of the streamed transaction") } : {};
}

function readTuple(reader: MessageReader, what: string): TupleColumn[] {
  const count = reader.int16(`${what} column count`);
  if (count < 0) reader.fail(`negative column count ${count} in ${what}`);
  const columns: TupleColumn[] = [];
  for (let i = 0; i < count; i++) {
    const kind = reader.char(`${what} column ${i} kind`);
    switch (kind) {
      case "n":
        columns.push({ kind: "null" });
        break;
      case "u":
        columns.push({ kind: "unchanged-toast" });
        break;
      case "t":
      case "b": {
        const length = reader.int32(`${what} column ${i} length`);
        const value = reader.bytes(length, `${what} column ${i} value`);
        columns.push(
          kind === "t"
            ? { kind: "text", value: reader.text(value, `${what} column ${i} value`) }
            : { kind: "binary", value: Uint8Array.from(value) },
        );
        break;
      }
      default:
        reader.fail(`unknown column kind '${kind}' for ${what} column ${i} (expected n, u, t or b)`);
    }
  }
  return columns;
}

function readOldKind(reader: MessageReader, what: string): "K" | "O" {
  const kind = reader.char(what);
  if (kind !== "K" && kind !== "O") reader.fail(`expected 'K' or 'O' for ${what}, got '${kind}'`);
  return kind;
}

function expectNew(reader: MessageReader, kind: string): void {
  if (kind !== "N") reader.fail(`expected 'N' before the new tuple, got '${kind}'`);
}

const REPLICA_IDENTITIES = new Set(["d", "n", "f", "i"]);

const parsers: Record<string, Parser> = {
  B: {
    kind: "Begin",
    read: (r) => ({
      tag: "begin",
      finalLsn: r.uint64("final LSN"),
      commitTime: r.int64("commit timestamp"),
      xid: r.uint32("xid"),
    }),
  },
  C: {
    kind: "Commit",
    read: (r) => ({
      tag: "commit",
      flags: r.int8("flags"),
      commitLsn: r.uint64("commit LSN"),
      endLsn: r.uint64("end LSN"),
      commitTime: r.int64("commit timestamp"),
    }),
  },
  O: {
    kind: "Origin",
    read: (r) => ({ tag: "origin", originLsn: r.uint64("origin commit LSN"), name: r.cstring("origin name") }),
  },
  R: {
    kind: "Relation",
    read: (r, inStream) => {
      const head = {
        ...streamedXid(r, inStream),
        relationId: r.uint32("relation id"),
        namespace: r.cstring("namespace"),
        name: r.cstring("relation name"),
      };
      const identity = r.char("replica identity");
      if (!REPLICA_IDENTITIES.has(identity)) r.fail(`unknown replica identity '${identity}'`);
      const count = r.int16("column count");
      if (count < 0) r.fail(`negative column count ${count}`);
      const columns: RelationColumn[] = [];
      for (let i = 0; i < count; i++) {
        const flags = r.int8(`column ${i} flags`);
        columns.push({
          flags,
          isKey: (flags & 1) !== 0,
          name: r.cstring(`column ${i} name`),
          typeOid: r.uint32(`column ${i} type OID`),
          typeModifier: r.int32(`column ${i} type modifier`),
        });
      }
      return { tag: "relation", ...head, replicaIdentity: identity as ReplicaIdentity, columns };
    },
  },
  Y: {
    kind: "Type",
    read: (r, inStream) => ({
      tag: "type",
      ...streamedXid(r, inStream),
      typeOid: r.uint32("type OID"),
      namespace: r.cstring("namespace"),
      name: r.cstring("type name"),
    }),
  },
  I: {
    kind: "Insert",
    read: (r, inStream) => {
      const head = { ...streamedXid(r, inStream), relationId: r.uint32("relation id") };
      expectNew(r, r.char("new tuple marker"));
      return { tag: "insert", ...head, newTuple: readTuple(r, "new tuple") };
    },
  },
  U: {
    kind: "Update",
    read: (r, inStream) => {
      const head = { ...streamedXid(r, inStream), relationId: r.uint32("relation id") };
      const marker = r.char("tuple marker");
      if (marker === "K" || marker === "O") {
        const oldTuple = readTuple(r, "old tuple");
        expectNew(r, r.char("new tuple marker"));
        return { tag: "update", ...head, oldKind: marker, oldTuple, newTuple: readTuple(r, "new tuple") };
      }
      expectNew(r, marker);
      return { tag: "update", ...head, newTuple: readTuple(r, "new tuple") };
    },
  },
  D: {
    kind: "Delete",
    read: (r, inStream) => {
      const head = { ...streamedXid(r, inStream), relationId: r.uint32("relation id") };
      const oldKind = readOldKind(r, "old tuple marker");
      return { tag: "delete", ...head, oldKind, oldTuple: readTuple(r, "old tuple") };
    },
  },
  T: {
    kind: "Truncate",
    read: (r, inStream) => {
      const xid = streamedXid(r, inStream);
      const count = r.int32("relation count");
      if (count < 0) r.fail(`negative relation count ${count}`);
      const options = r.int8("options");
      const relationIds: number[] = [];
      for (let i = 0; i < count; i++) relationIds.push(r.uint32(`relation id ${i}`));
      return {
        tag: "truncate",
        ...xid,
        cascade: (options & TRUNCATE_CASCADE) !== 0,
        restartIdentity: (options & TRUNCATE_RESTART_IDENTITY) !== 0,
        relationIds,
      };
    },
  },
  M: {
    kind: "Message",
    read: (r, inStream) => {
      const xid = streamedXid(r, inStream);
      const flags = r.int8("flags");
      const lsn = r.uint64("LSN");
      const prefix = r.cstring("prefix");
      const length = r.int32("content length");
      const content = Uint8Array.from(r.bytes(length, "content"));
      return { tag: "message", ...xid, transactional: (flags & 1) !== 0, lsn, prefix, content };
    },
  },
  S: {
    kind: "Stream Start",
    read: (r) => ({ tag: "stream-start", xid: r.uint32("xid"), firstSegment: r.int8("first segment flag") === 1 }),
  },
  E: { kind: "Stream Stop", read: () => ({ tag: "stream-stop" }) },
  c: {
    kind: "Stream Commit",
    read: (r) => ({
      tag: "stream-commit",
      xid: r.uint32("xid"),
      flags: r.int8("flags"),
      commitLsn: r.uint64("commit LSN"),
      endLsn: r.uint64("end LSN"),
      commitTime: r.int64("commit timestamp"),
    }),
  },
  A: {
    kind: "Stream Abort",
    read: (r) => {
      const head = { tag: "stream-abort" as const, xid: r.uint32("xid"), subXid: r.uint32("subtransaction xid") };
      // Protocol 4 appends the abort LSN and time; earlier versions end here.
      if (r.remaining === 0) return head;
      return { ...head, abortLsn: r.uint64("abort LSN"), abortTime: r.int64("abort timestamp") };
    },
  },
};

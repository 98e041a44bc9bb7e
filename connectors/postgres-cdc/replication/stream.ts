// A logical replication stream over pg's CopyBoth mode. START_REPLICATION turns the connection
// into a two-way COPY: the server sends XLogData ('w') frames carrying pgoutput messages and
// Primary keepalives ('k'); we send Standby Status Updates ('r') saying how far we have durably
// processed. pg has no API for this mode, but its Client hands every message of the active query
// to that query object, so the stream is a "submittable" query that never completes on its own.
//
// The no-loss rule: a status update only ever carries a position the consumer acknowledged (or
// the slot had already confirmed), never what has merely been received, so a crash replays
// everything not yet durably handled.
//
// Positions on frames: a Commit frame's lsn is the transaction's end LSN (what to acknowledge
// once the transaction is durable); frames pgoutput writes ahead of a change (Relation, Type)
// carry 0 as both lsn and walEnd, as the walsender leaves positions off all but a callback's last write.
import type { Socket } from "node:net";
import type pg from "pg";
import type { ReplicationStream, WalMessage } from "../contracts.ts";
import { formatLsn, parseLsn } from "../pgoutput/index.ts";
import { PostgresError, checkSlotName, connectClient, quoteIdentifier, quoteLiteral, type PgConnectionOptions } from "./connection.ts";

export interface ReplicationStreamParams {
  slotName: string;
  publicationNames: readonly string[];
  /** Where to start: 0n means "from the slot's confirmed_flush_lsn"; an earlier LSN than that is moved up to it by the server. */
  startLsn: bigint;
  /** pgoutput proto_version (1 unless a feature of 2-4 is wanted; in-progress streaming is not requested). */
  protoVersion?: 1 | 2 | 3 | 4;
  /** Ask pgoutput for logical decoding messages (pg_logical_emit_message). */
  messages?: boolean;
  /** How often a status update is sent even when nothing changed (default 10 s): keeps wal_sender_timeout from firing. */
  statusIntervalMs?: number;
  /** How long acknowledge() waits to coalesce further acknowledgements into one status update (default 100 ms). */
  acknowledgeDelayMs?: number;
  /** Received-but-unread frames above this many bytes pause the socket until read() drains half of them (default 8 MiB). */
  maxBufferedBytes?: number;
  /** How long close() waits for the server to end the COPY before dropping the connection (default 5 s). */
  closeTimeoutMs?: number;
}

/** Counters for operators and tests. */
export interface ReplicationStreamStats {
  framesReceived: number;
  keepalivesReceived: number;
  /** Keepalives that asked for an immediate reply (the server was about to hit wal_sender_timeout). */
  repliesRequested: number;
  statusUpdatesSent: number;
  /** Times the socket was paused because the consumer lagged. */
  pauses: number;
  /** The highest end of WAL the server reported in a frame or keepalive. */
  serverWalEnd: bigint;
}

/** The parts of pg's Connection the CopyBoth mode uses (present at runtime, missing from @types/pg). */
type CopyBothConnection = pg.Connection & {
  stream: Socket;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
};

interface PendingRead {
  max: number;
  resolve: (messages: WalMessage[]) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** Microseconds between the Unix epoch and PostgreSQL's (2000-01-01 UTC). */
const POSTGRES_EPOCH_MICROS = 946_684_800_000_000n;
const XLOG_DATA_HEADER = 25; // 'w' + dataStart + walEnd + sendTime
const KEEPALIVE_LENGTH = 18; // 'k' + walEnd + sendTime + replyRequested

/**
 * Opens a replication connection and starts streaming the slot. Rejects with the server's error
 * when the stream cannot start (slot missing, slot active for another PID, publication missing
 * from the catalog ...), so a bad start fails here rather than at the first read.
 */
export async function openReplicationStream(options: PgConnectionOptions, params: ReplicationStreamParams): Promise<PgReplicationStream> {
  checkSlotName(params.slotName);
  if (params.publicationNames.length === 0) throw new Error("openReplicationStream needs at least one publication name");
  const client = await connectClient(options, { replication: true });
  try {
    // The slot's own confirmed position is the only thing known to be acknowledged before the
    // consumer says more; reporting it (rather than 0 or startLsn) never moves the slot.
    const slot = await client.query<{ confirmed: string | null }>(
      `SELECT confirmed_flush_lsn::text AS confirmed FROM pg_replication_slots WHERE slot_name = ${quoteLiteral(params.slotName)}`,
    );
    const confirmedText = slot.rows[0]?.confirmed ?? null;
    const stream = new PgReplicationStream(client, params, confirmedText === null ? 0n : parseLsn(confirmedText));
    await stream.start(startReplicationCommand(params));
    return stream;
  } catch (error) {
    await client.end().catch(() => {});
    if (error instanceof PostgresError) throw error;
    throw new PostgresError(`could not start logical replication on slot "${params.slotName}"`, error);
  }
}

/** START_REPLICATION SLOT "s" LOGICAL X/Y (proto_version '1', publication_names '"a","b"', messages 'true') */
export function startReplicationCommand(params: ReplicationStreamParams): string {
  // publication_names is itself a list of identifiers (split like search_path), then a literal.
  const publications = params.publicationNames.map(quoteIdentifier).join(",");
  const pluginOptions = [
    `proto_version ${replicationLiteral(String(params.protoVersion ?? 1))}`,
    `publication_names ${replicationLiteral(publications)}`,
  ];
  if (params.messages === true) pluginOptions.push(`messages 'true'`);
  return `START_REPLICATION SLOT ${quoteIdentifier(params.slotName)} LOGICAL ${formatLsn(params.startLsn)} (${pluginOptions.join(", ")})`;
}

/**
 * A string literal for the replication command grammar, whose lexer knows only '...' with ''
 * for a quote (no E'' strings: a backslash is an ordinary character there).
 */
function replicationLiteral(value: string): string {
  if (value.includes("\0")) throw new Error("a replication command literal cannot contain a NUL character");
  return `'${value.replace(/'/g, "''")}'`;
}

export class PgReplicationStream implements ReplicationStream {
  readonly #client: pg.Client;
  readonly #connection: CopyBothConnection;
  readonly #slotName: string;
  readonly #statusIntervalMs: number;
  readonly #acknowledgeDelayMs: number;
  readonly #maxBufferedBytes: number;
  readonly #closeTimeoutMs: number;

  /** Frames received and not yet read; #head is the first unread one (avoids O(n) shifts). */
  #queue: WalMessage[] = [];
  #head = 0;
  #bufferedBytes = 0;
  #paused = false;
  #pending: PendingRead | null = null;
  #deliveryScheduled = false;

  #acknowledged: bigint;
  #statusTimer: NodeJS.Timeout | null = null;
  #acknowledgeTimer: NodeJS.Timeout | null = null;

  #started = false;
  #onStarted: { resolve: () => void; reject: (error: Error) => void } | null = null;
  #failure: PostgresError | null = null;
  #closing = false;
  #closed: Promise<void> | null = null;
  #onCopyEnded: (() => void) | null = null;

  readonly stats: ReplicationStreamStats = {
    framesReceived: 0,
    keepalivesReceived: 0,
    repliesRequested: 0,
    statusUpdatesSent: 0,
    pauses: 0,
    serverWalEnd: 0n,
  };

  constructor(client: pg.Client, params: ReplicationStreamParams, confirmedLsn: bigint) {
    this.#client = client;
    this.#connection = (client as unknown as { connection: CopyBothConnection }).connection;
    this.#slotName = params.slotName;
    this.#statusIntervalMs = params.statusIntervalMs ?? 10_000;
    this.#acknowledgeDelayMs = params.acknowledgeDelayMs ?? 100;
    this.#maxBufferedBytes = params.maxBufferedBytes ?? 8 * 1024 * 1024;
    this.#closeTimeoutMs = params.closeTimeoutMs ?? 5_000;
    this.#acknowledged = confirmedLsn;
  }

  get acknowledgedLsn(): bigint {
    return this.#acknowledged;
  }

  /** Frames buffered and not yet read. */
  get bufferedMessages(): number {
    return this.#queue.length - this.#head;
  }

  get bufferedBytes(): number {
    return this.#bufferedBytes;
  }

  /** Whether the socket is paused because the buffer is full. */
  get paused(): boolean {
    return this.#paused;
  }

  /** The walsender's PID (for pg_terminate_backend in tests, and for logs). */
  get backendPid(): number {
    return (this.#client as unknown as { processID: number }).processID;
  }

  /** @internal Sends START_REPLICATION and resolves once the server answers with CopyBothResponse. */
  start(command: string): Promise<void> {
    const started = new Promise<void>((resolve, reject) => {
      this.#onStarted = { resolve, reject };
    });
    this.#connection.once("replicationStart", () => {
      this.#started = true;
      this.#onStarted?.resolve();
      this.#onStarted = null;
      this.#statusTimer = setInterval(() => this.#sendStatus(), this.#statusIntervalMs);
      this.#statusTimer.unref();
    });
    // The server ending its side of the COPY (CopyDone): it is shutting down, or the walsender is exiting.
    this.#connection.on("copyDone", () => {
      if (!this.#closing) this.#fail(new Error("the server ended the replication stream (CopyDone): it is shutting down or the walsender exited"));
    });
    // The socket going away: pg reports it as a client 'error' (the active query gets it too).
    this.#client.on("error", (error: Error) => this.#fail(error));
    this.#client.on("end", () => this.#fail(new Error("the connection to the server closed")));

    const query = {
      submit: (connection: pg.Connection) => connection.query(command),
      handleCopyData: (message: { chunk: Buffer }) => this.#onCopyData(message.chunk),
      handleError: (error: Error) => this.#fail(error),
      handleReadyForQuery: () => {
        this.#onCopyEnded?.();
        if (!this.#closing) this.#fail(new Error("the server ended the replication command"));
      },
      handleCommandComplete: () => {},
      handleRowDescription: () => {},
      handleDataRow: () => {},
      handleEmptyQuery: () => {},
      handlePortalSuspended: () => {},
      handleCopyInResponse: (connection: CopyBothConnection) => connection.sendCopyFail("unexpected COPY FROM STDIN"),
    };
    this.#client.query(query);
    return started;
  }

  read(max: number, waitMs: number): Promise<WalMessage[]> {
    if (this.#pending !== null) return Promise.reject(new Error("ReplicationStream.read: another read is already waiting"));
    if (this.bufferedMessages > 0) return Promise.resolve(this.#take(max));
    if (this.#failure !== null) return Promise.reject(this.#failure);
    if (this.#closing) return Promise.reject(new Error(`the replication stream on slot "${this.#slotName}" is closed`));
    if (waitMs <= 0) return Promise.resolve([]);
    return new Promise<WalMessage[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending = null;
        resolve([]);
      }, waitMs);
      this.#pending = { max, resolve, reject, timer };
    });
  }

  acknowledge(lsn: bigint): void {
    if (lsn <= this.#acknowledged) return;
    this.#acknowledged = lsn;
    // Coalesce: a burst of acknowledgements (one per record) becomes one status update.
    if (this.#acknowledgeTimer === null && this.#started && !this.#closing) {
      this.#acknowledgeTimer = setTimeout(() => {
        this.#acknowledgeTimer = null;
        this.#sendStatus();
      }, this.#acknowledgeDelayMs);
    }
  }

  close(): Promise<void> {
    this.#closed ??= this.#close();
    return this.#closed;
  }

  async #close(): Promise<void> {
    const healthy = this.#started && this.#failure === null;
    // The last acknowledgement goes out before the stream ends, so the slot records it now.
    if (healthy) this.#sendStatus();
    this.#closing = true;
    this.#stopTimers();
    const pending = this.#pending;
    if (pending !== null) {
      this.#pending = null;
      clearTimeout(pending.timer);
      pending.resolve([]);
    }
    if (healthy) {
      // Read again so the server's CopyDone / CommandComplete / ReadyForQuery can arrive.
      if (this.#paused) this.#connection.stream.resume();
      const ended = new Promise<void>((resolve) => {
        this.#onCopyEnded = resolve;
      });
      this.#connection.endCopyFrom();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, this.#closeTimeoutMs);
      });
      await Promise.race([ended, timeout]);
      clearTimeout(timer);
    }
    this.#queue = [];
    this.#head = 0;
    this.#bufferedBytes = 0;
    await this.#client.end().catch(() => {});
  }

  #onCopyData(chunk: Buffer): void {
    if (this.#closing) return;
    const tag = chunk[0];
    if (tag === 0x77 /* 'w' */ && chunk.length >= XLOG_DATA_HEADER) {
      // pg's parser reuses its buffer for later socket reads: the payload is copied before it is queued.
      const message: WalMessage = {
        lsn: chunk.readBigUInt64BE(1),
        walEnd: chunk.readBigUInt64BE(9),
        sendTimeMs: postgresMicrosToMs(chunk.readBigInt64BE(17)),
        data: Buffer.from(chunk.subarray(XLOG_DATA_HEADER)),
      };
      this.stats.framesReceived++;
      // Frames the walsender writes ahead of a change (Relation, Type) carry 0 for both positions.
      if (message.walEnd > this.stats.serverWalEnd) this.stats.serverWalEnd = message.walEnd;
      this.#queue.push(message);
      this.#bufferedBytes += message.data.length + XLOG_DATA_HEADER;
      if (!this.#paused && this.#bufferedBytes >= this.#maxBufferedBytes) {
        // Backpressure: stop reading the socket; TCP then holds the walsender back. Status
        // updates still go out on the timer, so wal_sender_timeout does not fire meanwhile.
        this.#paused = true;
        this.stats.pauses++;
        this.#connection.stream.pause();
      }
      this.#scheduleDelivery();
    } else if (tag === 0x6b /* 'k' */ && chunk.length >= KEEPALIVE_LENGTH) {
      this.stats.keepalivesReceived++;
      const walEnd = chunk.readBigUInt64BE(1);
      if (walEnd > this.stats.serverWalEnd) this.stats.serverWalEnd = walEnd;
      if (chunk[17] === 1) {
        this.stats.repliesRequested++;
        this.#sendStatus();
      }
    } else {
      this.#fail(new Error(`unexpected replication protocol frame (tag ${JSON.stringify(String.fromCharCode(tag ?? 0))}, ${chunk.length} bytes)`));
    }
  }

  /**
   * Hands frames to a waiting read once the current socket chunk has been parsed (setImmediate),
   * so one read gets every frame that arrived together instead of one at a time.
   */
  #scheduleDelivery(): void {
    if (this.#pending === null || this.#deliveryScheduled) return;
    this.#deliveryScheduled = true;
    setImmediate(() => {
      this.#deliveryScheduled = false;
      const pending = this.#pending;
      if (pending === null || this.bufferedMessages === 0) return;
      this.#pending = null;
      clearTimeout(pending.timer);
      pending.resolve(this.#take(pending.max));
    });
  }

  #take(max: number): WalMessage[] {
    const end = Math.min(this.#queue.length, this.#head + Math.max(1, max));
    const taken = this.#queue.slice(this.#head, end);
    this.#head = end;
    for (const message of taken) this.#bufferedBytes -= message.data.length + XLOG_DATA_HEADER;
    if (this.#head === this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
    } else if (this.#head > 4096 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    if (this.#paused && this.#bufferedBytes <= this.#maxBufferedBytes / 2 && !this.#closing) {
      this.#paused = false;
      this.#connection.stream.resume();
    }
    return taken;
  }

  /** Standby Status Update: written = flushed = applied = the acknowledged LSN. */
  #sendStatus(): void {
    if (!this.#started || this.#closing || this.#failure !== null) return;
    const frame = Buffer.alloc(34);
    frame[0] = 0x72; // 'r'
    frame.writeBigUInt64BE(this.#acknowledged, 1);
    frame.writeBigUInt64BE(this.#acknowledged, 9);
    frame.writeBigUInt64BE(this.#acknowledged, 17);
    frame.writeBigInt64BE(BigInt(Date.now()) * 1000n - POSTGRES_EPOCH_MICROS, 25);
    frame[33] = 0; // no reply requested
    this.#connection.sendCopyFromChunk(frame);
    this.stats.statusUpdatesSent++;
  }

  #fail(cause: Error): void {
    if (this.#onStarted !== null) {
      // Failed before CopyBothResponse: openReplicationStream rejects with it.
      const onStarted = this.#onStarted;
      this.#onStarted = null;
      this.#failure = new PostgresError(`could not start logical replication on slot "${this.#slotName}"`, cause);
      onStarted.reject(this.#failure);
      return;
    }
    if (this.#closing || this.#failure !== null) return;
    this.#failure = new PostgresError(`logical replication on slot "${this.#slotName}" failed`, cause);
    this.#stopTimers();
    const pending = this.#pending;
    if (pending !== null && this.bufferedMessages === 0) {
      this.#pending = null;
      clearTimeout(pending.timer);
      pending.reject(this.#failure);
    }
  }

  #stopTimers(): void {
    if (this.#statusTimer !== null) clearInterval(this.#statusTimer);
    if (this.#acknowledgeTimer !== null) clearTimeout(this.#acknowledgeTimer);
    this.#statusTimer = null;
    this.#acknowledgeTimer = null;
  }
}

function postgresMicrosToMs(micros: bigint): number {
  return Number((micros + POSTGRES_EPOCH_MICROS) / 1000n);
}

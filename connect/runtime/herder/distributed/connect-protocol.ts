// The `connect` group protocol (protocol type "connect"): the member metadata workers send in
// JoinGroup and the assignments the leader hands out in SyncGroup, in Kafka Connect's binary
// layout (ConnectProtocol, IncrementalCooperativeConnectProtocol), so hub workers and Kafka
// Connect workers can read each other's. Big-endian; STRING = int16 length + UTF-8; arrays =
// int32 count (-1: null); nullable BYTES = int32 length (-1: null). Three sub-protocols:
//   "default"    version 0, eager: metadata {url, configOffset}; assignment {error, leader,
//                leaderUrl, configOffset, assignment[]}
//   "compatible" version 1, incremental cooperative (KIP-415): metadata adds the member's
//                current allocation (an embedded, version-prefixed assignment); the assignment
//                adds revoked[] and the delay (ms) before the member should rejoin
//   "sessioned"  version 2: the same layout as 1, plus session keys for internal REST (KIP-507)
// Every message starts with its int16 version. A connector instance is "task" -1 in the lists.
import type { ConnectorId } from "../entities.ts";

export const CONNECT_PROTOCOL_TYPE = "connect";
export type ConnectSubProtocol = "default" | "compatible" | "sessioned";
export type ConnectProtocolMode = "eager" | "compatible" | "sessioned";

export const SUB_PROTOCOL_VERSION: Readonly<Record<ConnectSubProtocol, number>> = { default: 0, compatible: 1, sessioned: 2 };
/** connect.protocol → the sub-protocols a worker offers, most preferred first (Kafka's order). */
export const OFFERED_SUB_PROTOCOLS: Readonly<Record<ConnectProtocolMode, readonly ConnectSubProtocol[]>> = {
  eager: ["default"],
  compatible: ["compatible", "default"],
  sessioned: ["sessioned", "compatible", "default"],
};

/** The sentinel task id that stands for the connector instance itself. */
export const CONNECTOR_TASK = -1;
export const NO_ERROR = 0;
/** The leader could not catch up with the config offset some member reported: read and rejoin. */
export const CONFIG_MISMATCH = 1;

export interface ConnectorsAndTasks {
  readonly connectors: readonly string[];
  readonly tasks: readonly ConnectorId[];
}

export interface ConnectAssignment {
  /** The protocol version the assignment was written with (0, 1 or 2). */
  readonly version: number;
  readonly error: number;
  /** The leader's member id. */
  readonly leader: string;
  readonly leaderUrl: string;
  readonly configOffset: number;
  /** Version 0: everything the member runs. Versions 1+: what it should start now. */
  readonly connectors: readonly string[];
  readonly tasks: readonly ConnectorId[];
  readonly revokedConnectors: readonly string[];
  readonly revokedTasks: readonly ConnectorId[];
  /** Versions 1+: rejoin after this many ms (a departed worker's load is being held for it). */
  readonly delay: number;
}

export interface WorkerMetadata {
  readonly version: number;
  readonly url: string;
  readonly configOffset: number;
  /** Versions 1+: the member's current allocation (its connectors and tasks), null when none. */
  readonly allocation: ConnectAssignment | null;
}

class Writer {
  #chunks: Buffer[] = [];
  int16(n: number): this {
    const b = Buffer.alloc(2);
    b.writeInt16BE(n);
    this.#chunks.push(b);
    return this;
  }
  int32(n: number): this {
    const b = Buffer.alloc(4);
    b.writeInt32BE(n);
    this.#chunks.push(b);
    return this;
  }
  int64(n: number): this {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(BigInt(n));
    this.#chunks.push(b);
    return this;
  }
  string(s: string): this {
    const bytes = Buffer.from(s, "utf8");
    if (bytes.length > 0x7fff) throw new RangeError(`string of ${bytes.length} bytes is too long for the connect protocol`);
    this.int16(bytes.length);
    this.#chunks.push(bytes);
    return this;
  }
  nullableBytes(bytes: Buffer | null): this {
    if (bytes === null) return this.int32(-1);
    this.int32(bytes.length);
    this.#chunks.push(bytes);
    return this;
  }
  toBuffer(): Buffer {
    return Buffer.concat(this.#chunks);
  }
}

export class ConnectProtocolError extends Error {
  override name = "ConnectProtocolError";
}

class Reader {
  #buf: Buffer;
  #pos = 0;
  constructor(buf: Buffer) {
    this.#buf = buf;
  }
  get remaining(): number {
    return this.#buf.length - this.#pos;
  }
  #need(n: number): void {
    if (this.remaining < n) throw new ConnectProtocolError(`connect protocol message truncated: need ${n} bytes at ${this.#pos}, have ${this.remaining}`);
  }
  int16(): number {
    this.#need(2);
    const v = this.#buf.readInt16BE(this.#pos);
    this.#pos += 2;
    return v;
  }
  int32(): number {
    this.#need(4);
    const v = this.#buf.readInt32BE(this.#pos);
    this.#pos += 4;
    return v;
  }
  int64(): number {
    this.#need(8);
    const v = this.#buf.readBigInt64BE(this.#pos);
    this.#pos += 8;
    return Number(v);
  }
  string(): string {
    const length = this.int16();
    if (length < 0) throw new ConnectProtocolError("null string in the connect protocol");
    this.#need(length);
    const s = this.#buf.toString("utf8", this.#pos, this.#pos + length);
    this.#pos += length;
    return s;
  }
  nullableBytes(): Buffer | null {
    const length = this.int32();
    if (length < 0) return null;
    this.#need(length);
    const b = this.#buf.subarray(this.#pos, this.#pos + length);
    this.#pos += length;
    return b;
  }
}

/** Groups connectors (as task -1, first) and tasks by connector, in first-seen order. */
function byConnector(connectors: readonly string[], tasks: readonly ConnectorId[]): Map<string, number[]> {
  const map = new Map<string, number[]>();
  for (const c of new Set(connectors)) map.set(c, [CONNECTOR_TASK]);
  for (const t of tasks) {
    let list = map.get(t.connector);
    if (!list) map.set(t.connector, (list = []));
    list.push(t.task);
  }
  return map;
}

function writeConnectorAssignments(w: Writer, map: Map<string, number[]>): void {
  w.int32(map.size);
  for (const [connector, ids] of map) {
    w.string(connector);
    w.int32(ids.length);
    for (const id of ids) w.int32(id);
  }
}

function readConnectorAssignments(r: Reader): ConnectorsAndTasks {
  const connectors: string[] = [];
  const tasks: ConnectorId[] = [];
  const count = r.int32();
  for (let i = 0; i < count; i++) {
    const connector = r.string();
    const n = r.int32();
    for (let j = 0; j < n; j++) {
      const id = r.int32();
      if (id === CONNECTOR_TASK) connectors.push(connector);
      else tasks.push({ connector, task: id });
    }
  }
  return { connectors, tasks };
}

/** An assignment's bytes, version-prefixed; version 0 leaves out revoked[] and the delay. */
export function encodeAssignment(a: ConnectAssignment): Buffer {
  const w = new Writer().int16(a.version).int16(a.error).string(a.leader).string(a.leaderUrl).int64(a.configOffset);
  writeConnectorAssignments(w, byConnector(a.connectors, a.tasks));
  if (a.version >= 1) {
    writeConnectorAssignments(w, byConnector(a.revokedConnectors, a.revokedTasks));
    w.int32(a.delay);
  }
  return w.toBuffer();
}

export function decodeAssignment(buf: Buffer): ConnectAssignment {
  const r = new Reader(buf);
  const version = r.int16();
  if (version < 0) throw new ConnectProtocolError(`Unsupported subscription version: ${version}`);
  const error = r.int16();
  const leader = r.string();
  const leaderUrl = r.string();
  const configOffset = r.int64();
  // Versions 1+ tolerate missing trailing fields (Kafka's TOLERATE_MISSING_FIELDS_WITH_DEFAULTS);
  // later versions are read as version 1, as Kafka does.
  const assigned = version === 0 || r.remaining > 0 ? readConnectorAssignments(r) : { connectors: [], tasks: [] };
  const revoked = version >= 1 && r.remaining > 0 ? readConnectorAssignments(r) : { connectors: [], tasks: [] };
  const delay = version >= 1 && r.remaining >= 4 ? r.int32() : 0;
  return {
    version,
    error,
    leader,
    leaderUrl,
    configOffset,
    connectors: assigned.connectors,
    tasks: assigned.tasks,
    revokedConnectors: revoked.connectors,
    revokedTasks: revoked.tasks,
    delay,
  };
}

/** A member's JoinGroup metadata for one sub-protocol version. */
export function encodeWorkerMetadata(version: number, state: { url: string; configOffset: number; allocation: ConnectAssignment | null }): Buffer {
  const w = new Writer().int16(version).string(state.url).int64(state.configOffset);
  if (version >= 1) w.nullableBytes(state.allocation === null ? null : encodeAssignment({ ...state.allocation, version }));
  return w.toBuffer();
}

export function decodeWorkerMetadata(buf: Buffer): WorkerMetadata {
  const r = new Reader(buf);
  const version = r.int16();
  if (version < 0) throw new ConnectProtocolError(`Unsupported subscription version: ${version}`);
  const url = r.string();
  const configOffset = r.int64();
  let allocation: ConnectAssignment | null = null;
  if (version >= 1 && r.remaining > 0) {
    const bytes = r.nullableBytes();
    allocation = bytes === null ? null : decodeAssignment(bytes);
  }
  return { version, url, configOffset, allocation };
}

/** The JoinGroup protocols a worker offers, most preferred first, with their metadata. */
export function joinGroupProtocols(
  mode: ConnectProtocolMode,
  state: { url: string; configOffset: number; allocation: ConnectAssignment | null },
): Array<{ name: ConnectSubProtocol; metadata: Buffer }> {
  return OFFERED_SUB_PROTOCOLS[mode].map((name) => ({ name, metadata: encodeWorkerMetadata(SUB_PROTOCOL_VERSION[name], state) }));
}

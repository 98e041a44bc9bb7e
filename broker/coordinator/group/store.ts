// What the group coordinator persists, and the interface of the place it persists it to.
//
// The entries mirror the two record types Kafka's classic coordinator writes to the compacted
// __consumer_offsets topic: one offset per (group, topic, partition) and one group metadata
// record per group, each replaced by the next write of the same key and deleted by a
// tombstone (value null). The coordinator is rebuilt at startup by replaying them in log
// order (GroupCoordinator.load), so only the last entry per key matters: a compacted log
// and the full log give the same state. The mapping to Kafka's record bytes lives in
// offsets-topic-codec.ts; this module knows nothing about bytes.

/** An OffsetCommitValue: the committed position of a group on one partition. */
export interface OffsetCommitRecord {
  offset: bigint;
  /** -1 when the committing client did not know the leader epoch. */
  leaderEpoch: number;
  metadata: string;
  /** Milliseconds since the epoch. */
  commitTimestamp: number;
  /** Only in records written with the per-commit retention of OffsetCommit v2-v4 (value v1); -1 otherwise. */
  expireTimestamp: number;
}

/** A GroupMetadataValue member: the member as of the group's current generation. */
export interface GroupMemberRecord {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  rebalanceTimeoutMs: number;
  sessionTimeoutMs: number;
  /** The member's metadata for the group's selected protocol. */
  subscription: Buffer;
  assignment: Buffer;
}

/** A GroupMetadataValue: the group after a generation change (or a static member's replacement). */
export interface GroupMetadataRecord {
  protocolType: string;
  generation: number;
  protocol: string | null;
  leader: string | null;
  /** When the group entered its current state (ms since the epoch), -1 if unknown. */
  currentStateTimestamp: number;
  members: GroupMemberRecord[];
}

export interface OffsetEntry {
  kind: "offset";
  groupId: string;
  topic: string;
  partition: number;
  /** null: tombstone (the offset was deleted). */
  value: OffsetCommitRecord | null;
}

export interface GroupEntry {
  kind: "group";
  groupId: string;
  /** null: tombstone (the group was deleted). */
  value: GroupMetadataRecord | null;
}

export type GroupStoreEntry = OffsetEntry | GroupEntry;

/**
 * Durable storage for the coordinator's entries.
 *
 * Contract:
 * - append() takes its place in the log when it is called: entries of a later call are
 *   replayed after those of an earlier call, whatever order the promises settle in. (The
 *   coordinator relies on this: a tombstone written after a commit must win on replay.)
 * - The promise resolves once the entries are durable (as durable as the store can make
 *   them); only then does the coordinator acknowledge an offset commit or a SyncGroup.
 * - A rejected append wrote nothing of that batch. Reject with a GroupStoreError to choose
 *   the Kafka error code the coordinator maps to its answer (as Kafka maps produce errors on
 *   __consumer_offsets); any other error is answered as COORDINATOR_NOT_AVAILABLE.
 */
export interface GroupStore {
  append(entries: readonly GroupStoreEntry[]): Promise<void>;
}

/** A store failure that carries the Kafka error code of the failed write (e.g. MESSAGE_TOO_LARGE). */
export class GroupStoreError extends Error {
  override name = "GroupStoreError";
  readonly errorCode: number;

  constructor(message: string, errorCode: number) {
    super(message);
    this.errorCode = errorCode;
  }
}

/** The compaction key of an entry: entries with the same key replace each other. */
export function entryKey(e: GroupStoreEntry): string {
  return e.kind === "offset" ? `o\u0000${e.groupId}\u0000${e.topic}\u0000${e.partition}` : `g\u0000${e.groupId}`;
}

/**
 * An in-memory log, for tests and for running the broker without persistence. Appends are
 * applied synchronously (so call order is log order) and acknowledged on a later microtask.
 * Tests can hold acknowledgements back or make the next appends fail.
 */
export class InMemoryGroupStore implements GroupStore {
  /** Every accepted entry in log order. */
  readonly log: GroupStoreEntry[] = [];
  private held: { resolve: () => void }[] | null = null;
  private failures: Error[] = [];

  append(entries: readonly GroupStoreEntry[]): Promise<void> {
    const failure = this.failures.shift();
    if (failure) return Promise.reject(failure);
    for (const e of entries) this.log.push(cloneEntry(e));
    if (this.held) {
      const held = this.held;
      return new Promise((resolve) => held.push({ resolve }));
    }
    return Promise.resolve();
  }

  /** The next append() calls reject with these errors, one each, writing nothing. */
  failNext(...errors: Error[]): void {
    this.failures.push(...errors);
  }

  /** From now on, appends are written but not acknowledged until release(). */
  hold(): void {
    this.held ??= [];
  }

  /** Acknowledges every held append and stops holding. */
  release(): void {
    const held = this.held ?? [];
    this.held = null;
    for (const h of held) h.resolve();
  }

  /** What log compaction would keep: the last entry per key, tombstones included. */
  compacted(): GroupStoreEntry[] {
    const last = new Map<string, number>();
    this.log.forEach((e, i) => last.set(entryKey(e), i));
    return this.log.filter((e, i) => last.get(entryKey(e)) === i);
  }
}

function cloneEntry(e: GroupStoreEntry): GroupStoreEntry {
  if (e.kind === "offset") return { ...e, value: e.value ? { ...e.value } : null };
  if (!e.value) return { ...e };
  return {
    ...e,
    value: {
      ...e.value,
      members: e.value.members.map((m) => ({ ...m, subscription: Buffer.from(m.subscription), assignment: Buffer.from(m.assignment) })),
    },
  };
}

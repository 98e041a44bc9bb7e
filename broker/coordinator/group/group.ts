// The in-memory model of one classic group and its members: membership bookkeeping, the
// state machine's legal transitions, protocol selection and offsets. Decisions (when to
// rebalance, which error to answer) are the coordinator's; this module only keeps the
// structures consistent. The model follows Kafka's GroupMetadata / MemberMetadata.
import { parseSubscriptionTopics } from "./consumer-protocol.ts";
import type { Cancel } from "./scheduler.ts";
import type { GroupProtocol, GroupStateName, JoinGroupMember, JoinGroupResult, SyncGroupResult } from "./types.ts";

export const EMPTY_BUFFER: Buffer = Buffer.alloc(0);
export const CONSUMER_PROTOCOL_TYPE = "consumer";

/** Kafka's GroupState.validPreviousStates. */
const VALID_PREVIOUS_STATES: Record<GroupStateName, readonly GroupStateName[]> = {
  Empty: ["PreparingRebalance"],
  PreparingRebalance: ["Stable", "CompletingRebalance", "Empty"],
  CompletingRebalance: ["PreparingRebalance"],
  Stable: ["CompletingRebalance"],
  Dead: ["Stable", "PreparingRebalance", "CompletingRebalance", "Empty", "Dead"],
};

export type JoinWaiter = (result: JoinGroupResult) => void;
export type SyncWaiter = (result: SyncGroupResult) => void;

export class GroupMember {
  memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  readonly protocolType: string;
  rebalanceTimeoutMs: number;
  sessionTimeoutMs: number;
  protocols: GroupProtocol[];
  assignment: Buffer = EMPTY_BUFFER;
  /** Set while the member's JoinGroup waits for the join phase to complete. */
  joinWaiter: JoinWaiter | null = null;
  /** Set while the member's SyncGroup waits for the leader's assignment. */
  syncWaiter: SyncWaiter | null = null;
  /** Joined but not yet through a completed join phase: expires after the new-member timeout. */
  isNew = false;
  heartbeatTimer: Cancel | null = null;

  constructor(init: {
    memberId: string;
    groupInstanceId: string | null;
    clientId: string;
    clientHost: string;
    protocolType: string;
    rebalanceTimeoutMs: number;
    sessionTimeoutMs: number;
    protocols: GroupProtocol[];
  }) {
    this.memberId = init.memberId;
    this.groupInstanceId = init.groupInstanceId;
    this.clientId = init.clientId;
    this.clientHost = init.clientHost;
    this.protocolType = init.protocolType;
    this.rebalanceTimeoutMs = init.rebalanceTimeoutMs;
    this.sessionTimeoutMs = init.sessionTimeoutMs;
    this.protocols = init.protocols;
  }

  get isAwaitingJoin(): boolean {
    return this.joinWaiter !== null;
  }

  get isAwaitingSync(): boolean {
    return this.syncWaiter !== null;
  }

  get isStatic(): boolean {
    return this.groupInstanceId !== null;
  }

  metadataFor(protocol: string): Buffer {
    return this.protocols.find((p) => p.name === protocol)?.metadata ?? EMPTY_BUFFER;
  }

  /** Same protocols, same order, same metadata bytes. */
  matches(protocols: readonly GroupProtocol[]): boolean {
    if (protocols.length !== this.protocols.length) return false;
    return protocols.every((p, i) => {
      const mine = this.protocols[i]!;
      return mine.name === p.name && mine.metadata.equals(p.metadata);
    });
  }

  /** The member's most preferred protocol among the candidates. */
  vote(candidates: ReadonlySet<string>): string | undefined {
    return this.protocols.find((p) => candidates.has(p.name))?.name;
  }
}

export interface CommittedOffset {
  topic: string;
  partition: number;
  offset: bigint;
  leaderEpoch: number;
  metadata: string;
  commitTimestamp: number;
  expireTimestamp: number;
  /** Write order of the commit that produced this value (see ClassicGroup.offsetWriteSeq). */
  seq: number;
}

export interface PendingCommits {
  topic: string;
  partition: number;
  count: number;
}

export function tpKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

export class ClassicGroup {
  readonly groupId: string;
  state: GroupStateName = "Empty";
  currentStateTimestamp: number | null;
  generationId = 0;
  protocolType: string | null = null;
  protocolName: string | null = null;
  leaderId: string | null = null;
  /** In join order: the leader's member list and describe output follow it. */
  readonly members = new Map<string, GroupMember>();
  /** group.instance.id → current member id (KIP-345). */
  readonly staticMembers = new Map<string, string>();
  /** Member ids handed out with MEMBER_ID_REQUIRED, not yet joined (KIP-394), with their expiry timers. */
  readonly pendingMembers = new Map<string, Cancel>();
  /** Members of the current generation that have not sent SyncGroup yet. */
  readonly pendingSyncMembers = new Set<string>();
  numMembersAwaitingJoin = 0;
  private readonly supportedProtocols = new Map<string, number>();
  /** A new member joined during the initial delayed join: the delay may be extended. */
  newMemberAdded = false;
  /** Topics the members subscribe to (consumer protocol only); null: unknown, i.e. all. */
  subscribedTopics: Set<string> | null = null;

  /** The join phase timer and its kind; "initial" joins never complete early. */
  joinTimer: Cancel | null = null;
  joinKind: "initial" | "regular" | null = null;
  initialJoinRemainingMs = 0;
  syncTimer: Cancel | null = null;

  readonly offsets = new Map<string, CommittedOffset>();
  /** Offset commits written to the store but not acknowledged yet, per partition key. */
  readonly pendingOffsetCommits = new Map<string, PendingCommits>();
  /** Sequence number of the last deletion (tombstone) issued per partition key. */
  readonly offsetDeleteSeq = new Map<string, number>();

  constructor(groupId: string, now: number) {
    this.groupId = groupId;
    this.currentStateTimestamp = now;
  }

  is(state: GroupStateName): boolean {
    return this.state === state;
  }

  transitionTo(state: GroupStateName, now: number): void {
    if (!VALID_PREVIOUS_STATES[state].includes(this.state)) {
      throw new Error(`group ${this.groupId}: illegal transition ${this.state} -> ${state}`);
    }
    this.state = state;
    this.currentStateTimestamp = now;
  }

  canRebalance(): boolean {
    return VALID_PREVIOUS_STATES.PreparingRebalance.includes(this.state);
  }

  get size(): number {
    return this.members.size;
  }

  has(memberId: string): boolean {
    return this.members.has(memberId);
  }

  isLeader(memberId: string): boolean {
    return this.leaderId === memberId;
  }

  /** The largest rebalance timeout among the members (0 with no members). */
  rebalanceTimeoutMs(): number {
    let max = 0;
    for (const m of this.members.values()) max = Math.max(max, m.rebalanceTimeoutMs);
    return max;
  }

  /** Kafka's supportsProtocols: a new group accepts any non-empty offer; a live one needs a shared protocol. */
  supportsProtocols(protocolType: string, protocolNames: ReadonlySet<string>): boolean {
    if (this.is("Empty")) return protocolType.length > 0 && protocolNames.size > 0;
    if (this.protocolType !== protocolType) return false;
    for (const name of protocolNames) if ((this.supportedProtocols.get(name) ?? 0) === this.members.size) return true;
    return false;
  }

  add(member: GroupMember, joinWaiter: JoinWaiter | null): void {
    if (this.members.size === 0) this.protocolType = member.protocolType;
    this.leaderId ??= member.memberId;
    this.members.set(member.memberId, member);
    this.countProtocols(member, +1);
    member.joinWaiter = joinWaiter;
    if (joinWaiter) this.numMembersAwaitingJoin++;
    if (member.groupInstanceId !== null) this.staticMembers.set(member.groupInstanceId, member.memberId);
  }

  /** Removes the member from every structure; timers and waiters are the caller's business. */
  remove(memberId: string): GroupMember | undefined {
    const member = this.members.get(memberId);
    if (member) {
      this.members.delete(memberId);
      this.countProtocols(member, -1);
      if (member.isAwaitingJoin) this.numMembersAwaitingJoin--;
      if (member.groupInstanceId !== null && this.staticMembers.get(member.groupInstanceId) === memberId) {
        this.staticMembers.delete(member.groupInstanceId);
      }
    }
    if (this.isLeader(memberId)) this.leaderId = this.members.keys().next().value ?? null;
    this.pendingSyncMembers.delete(memberId);
    return member;
  }

  updateMember(member: GroupMember, protocols: GroupProtocol[], rebalanceTimeoutMs: number, sessionTimeoutMs: number, joinWaiter: JoinWaiter | null): void {
    this.countProtocols(member, -1);
    member.protocols = protocols;
    this.countProtocols(member, +1);
    member.rebalanceTimeoutMs = rebalanceTimeoutMs;
    member.sessionTimeoutMs = sessionTimeoutMs;
    this.setJoinWaiter(member, joinWaiter);
  }

  setJoinWaiter(member: GroupMember, joinWaiter: JoinWaiter | null): void {
    if (joinWaiter && !member.isAwaitingJoin) this.numMembersAwaitingJoin++;
    else if (!joinWaiter && member.isAwaitingJoin) this.numMembersAwaitingJoin--;
    member.joinWaiter = joinWaiter;
  }

  /** Answers the member's pending JoinGroup, if any. */
  invokeJoin(member: GroupMember, result: JoinGroupResult): boolean {
    const waiter = member.joinWaiter;
    if (!waiter) return false;
    this.setJoinWaiter(member, null);
    waiter(result);
    return true;
  }

  /** Answers the member's pending SyncGroup, if any. */
  invokeSync(member: GroupMember, result: SyncGroupResult): boolean {
    const waiter = member.syncWaiter;
    if (!waiter) return false;
    member.syncWaiter = null;
    waiter(result);
    return true;
  }

  /** Moves a static member to a new member id (KIP-345); the caller has fenced the old id's waiters. */
  replaceStaticMember(groupInstanceId: string, oldMemberId: string, newMemberId: string): GroupMember {
    const member = this.members.get(oldMemberId);
    if (!member) throw new Error(`group ${this.groupId}: static member ${groupInstanceId} (${oldMemberId}) not found`);
    this.members.delete(oldMemberId);
    member.memberId = newMemberId;
    this.members.set(newMemberId, member);
    if (this.isLeader(oldMemberId)) this.leaderId = newMemberId;
    this.staticMembers.set(groupInstanceId, newMemberId);
    if (this.pendingSyncMembers.delete(oldMemberId)) this.pendingSyncMembers.add(newMemberId);
    return member;
  }

  hasAllMembersJoined(): boolean {
    return this.members.size === this.numMembersAwaitingJoin && this.pendingMembers.size === 0;
  }

  notYetRejoinedMembers(): GroupMember[] {
    return [...this.members.values()].filter((m) => !m.isAwaitingJoin);
  }

  /** If the leader has not rejoined, any member that has becomes leader; false when none has. */
  maybeElectNewJoinedLeader(): boolean {
    if (this.leaderId === null) return false;
    const leader = this.members.get(this.leaderId);
    if (leader?.isAwaitingJoin) return true;
    for (const m of this.members.values()) {
      if (m.isAwaitingJoin) {
        this.leaderId = m.memberId;
        return true;
      }
    }
    return false;
  }

  /** Protocols every member supports, in no particular order. */
  candidateProtocols(): Set<string> {
    const out = new Set<string>();
    for (const [name, count] of this.supportedProtocols) if (count === this.members.size) out.add(name);
    return out;
  }

  /**
   * Each member votes for its preferred candidate; the most votes wins. Ties (which Kafka
   * leaves to hash order) go to the protocol that got its first vote earliest in join order,
   * so the outcome is deterministic.
   */
  selectProtocol(): string {
    const candidates = this.candidateProtocols();
    const votes = new Map<string, number>();
    for (const m of this.members.values()) {
      const v = m.vote(candidates);
      if (v !== undefined) votes.set(v, (votes.get(v) ?? 0) + 1);
    }
    let best: string | undefined;
    let bestVotes = -1;
    for (const [name, n] of votes) {
      if (n > bestVotes) {
        best = name;
        bestVotes = n;
      }
    }
    if (best === undefined) throw new Error(`group ${this.groupId}: no protocol supported by all members`);
    return best;
  }

  initNextGeneration(now: number): void {
    this.generationId++;
    if (this.members.size > 0) {
      this.protocolName = this.selectProtocol();
      this.subscribedTopics = this.computeSubscribedTopics();
      this.transitionTo("CompletingRebalance", now);
    } else {
      this.protocolName = null;
      this.subscribedTopics = null;
      this.transitionTo("Empty", now);
    }
    this.pendingSyncMembers.clear();
  }

  computeSubscribedTopics(): Set<string> | null {
    if (this.protocolType !== CONSUMER_PROTOCOL_TYPE || this.protocolName === null || this.members.size === 0) return null;
    const topics = new Set<string>();
    for (const m of this.members.values()) {
      const parsed = parseSubscriptionTopics(m.metadataFor(this.protocolName));
      if (parsed === null) return null;
      for (const t of parsed) topics.add(t);
    }
    return topics;
  }

  isSubscribedToTopic(topic: string): boolean {
    return this.subscribedTopics === null || this.subscribedTopics.has(topic);
  }

  /** The leader's view of the members: id, instance id and metadata for the selected protocol. */
  currentMemberMetadata(): JoinGroupMember[] {
    const protocol = this.protocolName ?? "";
    return [...this.members.values()].map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, metadata: m.metadataFor(protocol) }));
  }

  /** Offsets committed, being committed, or both. */
  hasOffsets(): boolean {
    return this.offsets.size > 0 || this.pendingOffsetCommits.size > 0;
  }

  private countProtocols(member: GroupMember, delta: number): void {
    for (const p of member.protocols) {
      const n = (this.supportedProtocols.get(p.name) ?? 0) + delta;
      if (n === 0) this.supportedProtocols.delete(p.name);
      else this.supportedProtocols.set(p.name, n);
    }
  }
}

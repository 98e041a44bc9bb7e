// The classic group coordinator: membership, generations and rebalances for groups that use
// the JoinGroup/SyncGroup/Heartbeat protocol (consumers with any client-side assignor, Kafka
// Connect workers with protocol type "connect", anything else), and their committed offsets.
//
// Behaviour follows Apache Kafka's GroupCoordinator (the pre-KIP-848 classic protocol,
// including KIP-345 static membership, KIP-394 MEMBER_ID_REQUIRED, KIP-559 protocol checks on
// SyncGroup, KIP-814 skipAssignment and KIP-211 offset retention). Every state change runs on
// the event loop, one call at a time, so there are no locks: where Kafka parks a request in a
// purgatory we keep its resolver on the member (joinWaiter / syncWaiter) and answer it when
// the group moves on. Timers come from an injected Scheduler.
//
// Writes go to a GroupStore; a commit or a SyncGroup is answered only after the store has
// accepted the write, and the state is rebuilt from the store's entries with load().
import { randomUUID } from "node:crypto";
import { ErrorCode } from "./error-codes.ts";
import { ClassicGroup, CONSUMER_PROTOCOL_TYPE, EMPTY_BUFFER, GroupMember, tpKey, type JoinWaiter } from "./group.ts";
import { systemScheduler, type Cancel, type Scheduler } from "./scheduler.ts";
import { GroupStoreError, type GroupMetadataRecord, type GroupStore, type GroupStoreEntry, type OffsetCommitRecord } from "./store.ts";
import {
  DEFAULT_GROUP_CONFIG,
  type DeleteGroupResult,
  type DescribedGroup,
  type GroupCoordinatorConfig,
  type GroupProtocol,
  type GroupSnapshot,
  type GroupStateName,
  type HeartbeatRequest,
  type HeartbeatResult,
  type JoinGroupRequest,
  type JoinGroupResult,
  type LeaveGroupMemberResult,
  type LeaveGroupRequest,
  type LeaveGroupResult,
  type ListGroupsResult,
  type OffsetCommitRequest,
  type OffsetCommitResult,
  type OffsetCommitTopic,
  type OffsetDeleteResult,
  type OffsetDeleteTopicRequest,
  type OffsetFetchResult,
  type OffsetFetchTopicRequest,
  type PartitionErrorResult,
  type SyncGroupRequest,
  type SyncGroupResult,
  type TopicPartitionErrors,
} from "./types.ts";

/** Kafka's GroupCoordinator.NewMemberJoinTimeoutMs: a new member's JoinGroup cannot wait longer. */
export const NEW_MEMBER_JOIN_TIMEOUT_MS = 5 * 60 * 1000;

/** The subset of a pino logger the coordinator uses. */
export interface CoordinatorLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

const silentLogger: CoordinatorLogger = { debug() {}, info() {}, warn() {}, error() {} };

export interface GroupCoordinatorOptions {
  store: GroupStore;
  scheduler?: Scheduler;
  config?: Partial<GroupCoordinatorConfig>;
  logger?: CoordinatorLogger;
  /** Default NEW_MEMBER_JOIN_TIMEOUT_MS (not a Kafka config: a constant there). */
  newMemberJoinTimeoutMs?: number;
}

const GROUP_STATES: readonly GroupStateName[] = ["Empty", "PreparingRebalance", "CompletingRebalance", "Stable", "Dead"];

export class GroupCoordinator {
  readonly config: Readonly<GroupCoordinatorConfig>;
  private readonly store: GroupStore;
  private readonly scheduler: Scheduler;
  private readonly log: CoordinatorLogger;
  private readonly newMemberJoinTimeoutMs: number;
  private readonly groups = new Map<string, ClassicGroup>();
  private active = true;
  /** Orders offset writes and deletions so a late acknowledgement never undoes a later deletion. */
  private writeSeq = 0;
  private expiryTimer: Cancel | null = null;

  constructor(options: GroupCoordinatorOptions) {
    this.store = options.store;
    this.scheduler = options.scheduler ?? systemScheduler;
    this.config = Object.freeze({ ...DEFAULT_GROUP_CONFIG, ...options.config });
    this.log = options.logger ?? silentLogger;
    this.newMemberJoinTimeoutMs = options.newMemberJoinTimeoutMs ?? NEW_MEMBER_JOIN_TIMEOUT_MS;
  }

  // ---------------------------------------------------------------------------------------
  // Lifecycle and persistence

  /**
   * Replaces the in-memory state with the one the entries describe (replayed in log order:
   * the last entry per key wins, tombstones delete). Groups with members come back Stable
   * and their members must heartbeat within their session timeout, as after a Kafka
   * coordinator failover.
   */
  load(entries: Iterable<GroupStoreEntry>): void {
    this.clearAll(ErrorCode.NOT_COORDINATOR);
    const offsets = new Map<string, Map<string, { topic: string; partition: number; value: OffsetCommitRecord }>>();
    const metadata = new Map<string, GroupMetadataRecord>();
    for (const e of entries) {
      if (e.kind === "offset") {
        let byKey = offsets.get(e.groupId);
        const key = tpKey(e.topic, e.partition);
        if (e.value) {
          if (!byKey) offsets.set(e.groupId, (byKey = new Map()));
          byKey.set(key, { topic: e.topic, partition: e.partition, value: e.value });
        } else {
          byKey?.delete(key);
        }
      } else if (e.value) {
        metadata.set(e.groupId, e.value);
      } else {
        metadata.delete(e.groupId);
      }
    }
    const now = this.scheduler.now();
    for (const groupId of new Set([...metadata.keys(), ...offsets.keys()])) {
      const meta = metadata.get(groupId);
      const groupOffsets = offsets.get(groupId);
      if (!meta && (!groupOffsets || groupOffsets.size === 0)) continue;
      const group = new ClassicGroup(groupId, now);
      if (meta) {
        group.generationId = meta.generation;
        group.protocolName = meta.protocol;
        group.currentStateTimestamp = meta.currentStateTimestamp >= 0 ? meta.currentStateTimestamp : null;
        for (const m of meta.members) {
          const member = new GroupMember({
            memberId: m.memberId,
            groupInstanceId: m.groupInstanceId,
            clientId: m.clientId,
            clientHost: m.clientHost,
            protocolType: meta.protocolType,
            rebalanceTimeoutMs: m.rebalanceTimeoutMs >= 0 ? m.rebalanceTimeoutMs : m.sessionTimeoutMs,
            sessionTimeoutMs: m.sessionTimeoutMs,
            protocols: meta.protocol === null ? [] : [{ name: meta.protocol, metadata: m.subscription }],
          });
          member.assignment = m.assignment;
          group.add(member, null);
        }
        group.protocolType = meta.protocolType === "" ? null : meta.protocolType;
        if (group.size > 0) {
          group.leaderId = meta.leader !== null && group.has(meta.leader) ? meta.leader : (group.members.keys().next().value ?? null);
          group.state = "Stable";
        } else {
          group.leaderId = null;
          group.state = "Empty";
        }
        group.subscribedTopics = group.computeSubscribedTopics();
      }
      for (const [key, o] of groupOffsets ?? []) {
        group.offsets.set(key, { topic: o.topic, partition: o.partition, ...o.value, seq: 0 });
      }
      this.groups.set(groupId, group);
    }
    for (const group of this.groups.values()) {
      for (const m of group.members.values()) this.scheduleHeartbeat(group, m, m.sessionTimeoutMs);
      if (group.size > this.config["group.max.size"]) {
        // Kafka's onGroupLoaded: an over-capacity group rebalances so the excess members are refused.
        this.prepareRebalance(group, `loaded group is over capacity (${this.config["group.max.size"]})`);
      }
    }
    this.log.info({ groups: this.groups.size }, "group coordinator state loaded");
  }

  /** Starts the periodic offset retention pass (offsets.retention.check.interval.ms). */
  startup(): void {
    this.active = true;
    this.scheduleExpiry();
  }

  /** Stops all timers; pending JoinGroup/SyncGroup requests are answered NOT_COORDINATOR. */
  shutdown(): void {
    this.active = false;
    this.expiryTimer?.();
    this.expiryTimer = null;
    this.clearAll(ErrorCode.NOT_COORDINATOR);
  }

  // ---------------------------------------------------------------------------------------
  // JoinGroup

  /** Resolves when the member's join phase completes (or at once with an error). */
  joinGroup(request: JoinGroupRequest): Promise<JoinGroupResult> {
    return new Promise((resolve) => this.handleJoin(request, resolve));
  }

  private handleJoin(req: JoinGroupRequest, respond: JoinWaiter): void {
    if (req.groupId === "") return respond(joinError(req.memberId, ErrorCode.INVALID_GROUP_ID));
    if (!this.active) return respond(joinError(req.memberId, ErrorCode.COORDINATOR_NOT_AVAILABLE));
    if (req.sessionTimeoutMs < this.config["group.min.session.timeout.ms"] || req.sessionTimeoutMs > this.config["group.max.session.timeout.ms"]) {
      return respond(joinError(req.memberId, ErrorCode.INVALID_SESSION_TIMEOUT));
    }
    const isUnknownMember = req.memberId === "";
    let group = this.groups.get(req.groupId);
    if (!group) {
      // A group is created by its first member; a known member id for an unknown group is stale.
      if (!isUnknownMember) return respond(joinError(req.memberId, ErrorCode.UNKNOWN_MEMBER_ID));
      group = new ClassicGroup(req.groupId, this.scheduler.now());
      this.groups.set(req.groupId, group);
    }
    const join: NormalizedJoin = {
      ...req,
      protocols: normalizeProtocols(req.protocols),
      rebalanceTimeoutMs: req.rebalanceTimeoutMs < 0 ? req.sessionTimeoutMs : req.rebalanceTimeoutMs,
      reason: req.reason ?? "not provided",
      supportSkippingAssignment: req.supportSkippingAssignment ?? false,
    };
    if (!this.acceptJoiningMember(group, req.memberId)) {
      this.dropMemberOrPending(group, req.memberId);
      respond(joinError("", ErrorCode.GROUP_MAX_SIZE_REACHED));
    } else if (isUnknownMember) {
      this.doNewMemberJoin(group, join, respond);
    } else {
      this.doCurrentMemberJoin(group, join, respond);
    }
    if (group.is("PreparingRebalance")) this.tryCompleteJoin(group);
  }

  /** Kafka's acceptJoiningMember: group.max.size counts awaiting members while preparing, members otherwise. */
  private acceptJoiningMember(group: ClassicGroup, memberId: string): boolean {
    const max = this.config["group.max.size"];
    switch (group.state) {
      case "Empty":
      case "Dead":
        return true;
      case "PreparingRebalance":
        return (group.members.get(memberId)?.isAwaitingJoin ?? false) || group.numMembersAwaitingJoin < max;
      case "CompletingRebalance":
      case "Stable":
        return group.has(memberId) || group.size < max;
    }
  }

  private doNewMemberJoin(group: ClassicGroup, join: NormalizedJoin, respond: JoinWaiter): void {
    if (!group.supportsProtocols(join.protocolType, protocolNames(join.protocols))) {
      return respond(joinError("", ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
    }
    const newMemberId = `${join.groupInstanceId ?? join.clientId}-${randomUUID()}`;
    if (join.groupInstanceId !== null) {
      const oldMemberId = group.staticMembers.get(join.groupInstanceId);
      if (oldMemberId !== undefined) {
        this.log.info({ groupId: group.groupId, groupInstanceId: join.groupInstanceId, oldMemberId, newMemberId, state: group.state }, "static member rejoined with an unknown member id: replacing its member id");
        this.updateStaticMemberAndRebalance(group, oldMemberId, newMemberId, join, respond);
      } else {
        this.addMemberAndRebalance(group, join, newMemberId, respond);
      }
    } else if (join.requireKnownMemberId) {
      // KIP-394: hand out the id first, so a client that times out and retries does not leave
      // a defunct member behind for every attempt.
      this.addPendingMember(group, newMemberId, join.sessionTimeoutMs);
      respond(joinError(newMemberId, ErrorCode.MEMBER_ID_REQUIRED));
    } else {
      this.addMemberAndRebalance(group, join, newMemberId, respond);
    }
  }

  private doCurrentMemberJoin(group: ClassicGroup, join: NormalizedJoin, respond: JoinWaiter): void {
    const memberId = join.memberId;
    if (!group.supportsProtocols(join.protocolType, protocolNames(join.protocols))) {
      return respond(joinError(memberId, ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
    }
    if (group.pendingMembers.has(memberId)) {
      // Pending ids are only handed to dynamic members; Kafka fails such a request as a server error.
      if (join.groupInstanceId !== null) return respond(joinError(memberId, ErrorCode.UNKNOWN_SERVER_ERROR));
      this.removePendingMember(group, memberId);
      return this.addMemberAndRebalance(group, join, memberId, respond);
    }
    const error = validateCurrentMember(group, memberId, join.groupInstanceId);
    if (error !== undefined) return respond(joinError(memberId, error));
    const member = group.members.get(memberId)!;
    switch (group.state) {
      case "PreparingRebalance":
        return this.updateMemberAndRebalance(group, member, join, respond, `member ${memberId} joining during PreparingRebalance`);
      case "CompletingRebalance":
        if (member.matches(join.protocols)) {
          // Same metadata: the member probably lost the JoinGroup response; give it again.
          return respond(this.currentGenerationJoinResult(group, memberId, group.isLeader(memberId)));
        }
        return this.updateMemberAndRebalance(group, member, join, respond, `member ${memberId} changed its metadata during CompletingRebalance`);
      case "Stable":
        if (group.isLeader(memberId)) {
          // The leader rejoins to trigger a rebalance for changes its metadata does not show
          // (new partitions, a pattern subscription matching a new topic).
          return this.updateMemberAndRebalance(group, member, join, respond, `leader ${memberId} rejoined`);
        }
        if (!member.matches(join.protocols)) {
          return this.updateMemberAndRebalance(group, member, join, respond, `member ${memberId} changed its metadata`);
        }
        return respond(this.currentGenerationJoinResult(group, memberId, false));
      case "Empty":
      case "Dead":
        return respond(joinError(memberId, ErrorCode.UNKNOWN_MEMBER_ID));
    }
  }

  private addMemberAndRebalance(group: ClassicGroup, join: NormalizedJoin, memberId: string, respond: JoinWaiter): void {
    const member = new GroupMember({
      memberId,
      groupInstanceId: join.groupInstanceId,
      clientId: join.clientId,
      clientHost: join.clientHost,
      protocolType: join.protocolType,
      rebalanceTimeoutMs: join.rebalanceTimeoutMs,
      sessionTimeoutMs: join.sessionTimeoutMs,
      protocols: join.protocols,
    });
    member.isNew = true;
    // Only the very first rebalance of a group is extended as members keep arriving.
    if (group.is("PreparingRebalance") && group.generationId === 0) group.newMemberAdded = true;
    group.add(member, respond);
    // The session timeout cannot apply yet (the member has no id to heartbeat with); a new
    // member's JoinGroup is bounded by the new-member timeout instead.
    this.scheduleHeartbeat(group, member, this.newMemberJoinTimeoutMs);
    this.log.info({ groupId: group.groupId, memberId, groupInstanceId: join.groupInstanceId, clientId: join.clientId, reason: join.reason }, "member joined group");
    this.maybePrepareRebalance(group, `adding new member ${memberId} (reason: ${join.reason})`);
  }

  private updateMemberAndRebalance(group: ClassicGroup, member: GroupMember, join: NormalizedJoin, respond: JoinWaiter, reason: string): void {
    // A second JoinGroup from the same member supersedes the first: answer the old one so
    // that no request is left without a response.
    group.invokeJoin(member, joinError(member.memberId, ErrorCode.REBALANCE_IN_PROGRESS));
    group.updateMember(member, join.protocols, join.rebalanceTimeoutMs, join.sessionTimeoutMs, respond);
    this.maybePrepareRebalance(group, `${reason} (reason: ${join.reason})`);
  }

  /** KIP-345: a static member restarted with a new member id takes over its old membership. */
  private updateStaticMemberAndRebalance(group: ClassicGroup, oldMemberId: string, newMemberId: string, join: NormalizedJoin, respond: JoinWaiter): void {
    const currentLeader = group.leaderId;
    const member = group.members.get(oldMemberId)!;
    // Whoever still waits with the old id is a zombie of the previous instance: fence it.
    group.invokeJoin(member, joinError(oldMemberId, ErrorCode.FENCED_INSTANCE_ID));
    group.invokeSync(member, syncError(ErrorCode.FENCED_INSTANCE_ID));
    group.replaceStaticMember(join.groupInstanceId!, oldMemberId, newMemberId);
    this.scheduleHeartbeat(group, member, member.sessionTimeoutMs);
    const old = { protocols: member.protocols, rebalanceTimeoutMs: member.rebalanceTimeoutMs, sessionTimeoutMs: member.sessionTimeoutMs };
    group.updateMember(member, join.protocols, join.rebalanceTimeoutMs, join.sessionTimeoutMs, respond);

    switch (group.state) {
      case "Stable": {
        if (group.protocolName !== group.selectProtocol()) {
          return this.maybePrepareRebalance(group, `static member ${newMemberId} rejoined with a protocol change`);
        }
        // Nothing the assignment depends on changed: persist the new member id, no rebalance.
        const assignment = new Map([...group.members.values()].map((m) => [m.memberId, m.assignment] as const));
        const generation = group.generationId;
        this.persistGroup(group, assignment).then(
          () => {
            if (member.joinWaiter !== respond) return;
            const isLeader = group.isLeader(newMemberId);
            if (join.supportSkippingAssignment) {
              // KIP-814: a rejoining static leader learns it leads (to keep watching metadata)
              // but must not run the assignor: a stable group would not ship a new assignment.
              group.invokeJoin(member, {
                ...this.currentGenerationJoinResult(group, newMemberId, isLeader),
                skipAssignment: isLeader,
              });
            } else {
              // Older clients: report the old leader id, so the restarted leader does not see
              // itself as leader and run a pointless assignment.
              group.invokeJoin(member, { ...this.currentGenerationJoinResult(group, newMemberId, false), leader: currentLeader ?? "" });
            }
          },
          (err: unknown) => {
            const code = groupWriteError(err);
            this.log.warn({ groupId: group.groupId, groupInstanceId: join.groupInstanceId, err: String(err) }, "failed to persist the replaced static member");
            if (member.joinWaiter !== respond) return;
            group.setJoinWaiter(member, null);
            if (this.isCurrent(group) && group.generationId === generation && group.members.get(newMemberId) === member) {
              group.updateMember(member, old.protocols, old.rebalanceTimeoutMs, old.sessionTimeoutMs, null);
              group.replaceStaticMember(join.groupInstanceId!, newMemberId, oldMemberId);
              this.scheduleHeartbeat(group, member, member.sessionTimeoutMs);
            }
            respond({ ...joinError("", code), generationId: group.generationId, protocolType: group.protocolType, protocolName: group.protocolName, leader: currentLeader ?? "" });
          },
        );
        return;
      }
      case "CompletingRebalance":
        // The leader may already have computed an assignment for the old id: start over.
        return this.prepareRebalance(group, `static member ${newMemberId} rejoined during CompletingRebalance`);
      case "PreparingRebalance":
        // Its JoinGroup is answered, with the new id, when the join phase completes.
        return;
      case "Empty":
      case "Dead":
        group.setJoinWaiter(member, null);
        return respond(joinError(newMemberId, ErrorCode.UNKNOWN_SERVER_ERROR));
    }
  }

  private currentGenerationJoinResult(group: ClassicGroup, memberId: string, withMembers: boolean): JoinGroupResult {
    return {
      errorCode: ErrorCode.NONE,
      generationId: group.generationId,
      protocolType: group.protocolType,
      protocolName: group.protocolName,
      leader: group.leaderId ?? "",
      skipAssignment: false,
      memberId,
      members: withMembers ? group.currentMemberMetadata() : [],
    };
  }

  // ---------------------------------------------------------------------------------------
  // The rebalance state machine

  private maybePrepareRebalance(group: ClassicGroup, reason: string): void {
    if (group.canRebalance()) this.prepareRebalance(group, reason);
  }

  private prepareRebalance(group: ClassicGroup, reason: string): void {
    // Members waiting for an assignment must rejoin instead.
    if (group.is("CompletingRebalance")) this.resetAndPropagateAssignmentError(group, ErrorCode.REBALANCE_IN_PROGRESS);
    this.clearPendingSync(group);
    const wasEmpty = group.is("Empty");
    group.transitionTo("PreparingRebalance", this.scheduler.now());
    this.log.info({ groupId: group.groupId, generationId: group.generationId, reason }, "preparing to rebalance group");
    if (wasEmpty) {
      // group.initial.rebalance.delay.ms: let a whole fleet of consumers starting together
      // arrive before the first generation, instead of one rebalance per arrival.
      const delay = this.config["group.initial.rebalance.delay.ms"];
      this.startInitialJoin(group, delay, Math.max(group.rebalanceTimeoutMs() - delay, 0));
    } else {
      this.startRegularJoin(group);
      this.tryCompleteJoin(group);
    }
  }

  private startInitialJoin(group: ClassicGroup, delayMs: number, remainingMs: number): void {
    this.cancelJoinTimer(group);
    group.joinKind = "initial";
    group.initialJoinRemainingMs = remainingMs;
    group.joinTimer = this.scheduler.schedule(delayMs, () => {
      group.joinTimer = null;
      if (!this.isCurrent(group) || !group.is("PreparingRebalance")) return;
      const remaining = group.initialJoinRemainingMs;
      if (group.newMemberAdded && remaining !== 0) {
        group.newMemberAdded = false;
        const delay = Math.min(this.config["group.initial.rebalance.delay.ms"], remaining);
        this.startInitialJoin(group, delay, Math.max(remaining - delay, 0));
      } else {
        this.completeJoin(group);
      }
    });
  }

  private startRegularJoin(group: ClassicGroup): void {
    this.cancelJoinTimer(group);
    group.joinKind = "regular";
    group.joinTimer = this.scheduler.schedule(group.rebalanceTimeoutMs(), () => {
      group.joinTimer = null;
      if (this.isCurrent(group) && group.is("PreparingRebalance")) this.completeJoin(group);
    });
  }

  private cancelJoinTimer(group: ClassicGroup): void {
    group.joinTimer?.();
    group.joinTimer = null;
    group.joinKind = null;
  }

  /** The join phase ends early once every member (and every pending member) has joined, except during the initial delay. */
  private tryCompleteJoin(group: ClassicGroup): void {
    if (group.is("PreparingRebalance") && group.joinKind === "regular" && group.hasAllMembersJoined()) this.completeJoin(group);
  }

  private completeJoin(group: ClassicGroup): void {
    if (!group.is("PreparingRebalance")) return;
    this.cancelJoinTimer(group);
    // Dynamic members that did not rejoin within the rebalance timeout are out; static
    // members keep their place (KIP-345) until their session times out.
    const gone = group.notYetRejoinedMembers().filter((m) => !m.isStatic);
    for (const m of gone) this.dropMember(group, m);
    if (gone.length > 0) this.log.info({ groupId: group.groupId, members: gone.map((m) => m.memberId) }, "removed members that did not rejoin in time");

    if (!group.maybeElectNewJoinedLeader() && group.size > 0) {
      // Only static members that have not rejoined remain: wait another rebalance timeout,
      // until they rejoin or their sessions expire.
      this.log.error({ groupId: group.groupId }, "could not complete rebalance because no members rejoined");
      this.startRegularJoin(group);
      return;
    }
    group.initNextGeneration(this.scheduler.now());
    if (group.is("Empty")) {
      this.log.info({ groupId: group.groupId, generationId: group.generationId }, "group is now empty");
      this.persistGroup(group, new Map()).catch((err: unknown) => {
        // Safe to lose: an empty generation has no members whose state could be wrong.
        this.log.warn({ groupId: group.groupId, err: String(err) }, "failed to write empty group metadata");
      });
      return;
    }
    this.log.info({ groupId: group.groupId, generationId: group.generationId, protocol: group.protocolName, members: group.size, leader: group.leaderId }, "group stabilized");
    for (const m of [...group.members.values()]) {
      group.invokeJoin(m, this.currentGenerationJoinResult(group, m.memberId, group.isLeader(m.memberId)));
      this.scheduleHeartbeat(group, m, m.sessionTimeoutMs);
      m.isNew = false;
      group.pendingSyncMembers.add(m.memberId);
    }
    this.schedulePendingSync(group);
  }

  /** Members that do not send SyncGroup within the rebalance timeout are removed (Kafka's DelayedSync). */
  private schedulePendingSync(group: ClassicGroup): void {
    group.syncTimer?.();
    const generation = group.generationId;
    group.syncTimer = this.scheduler.schedule(group.rebalanceTimeoutMs(), () => {
      group.syncTimer = null;
      if (!this.isCurrent(group) || group.generationId !== generation) return;
      if (!group.is("CompletingRebalance") && !group.is("Stable")) return;
      if (group.pendingSyncMembers.size === 0) return;
      const pending = [...group.pendingSyncMembers];
      for (const id of pending) {
        const m = group.members.get(id);
        if (m) this.dropMember(group, m);
      }
      this.log.info({ groupId: group.groupId, members: pending }, "removed members that did not send SyncGroup in time");
      this.prepareRebalance(group, `members ${pending.join(", ")} did not sync in time`);
    });
  }

  private removePendingSyncMember(group: ClassicGroup, memberId: string): void {
    group.pendingSyncMembers.delete(memberId);
    if (group.pendingSyncMembers.size === 0) {
      group.syncTimer?.();
      group.syncTimer = null;
    }
  }

  private clearPendingSync(group: ClassicGroup): void {
    group.pendingSyncMembers.clear();
    group.syncTimer?.();
    group.syncTimer = null;
  }

  private resetAndPropagateAssignmentError(group: ClassicGroup, errorCode: number): void {
    for (const m of group.members.values()) m.assignment = EMPTY_BUFFER;
    this.propagateAssignment(group, errorCode);
  }

  private propagateAssignment(group: ClassicGroup, errorCode: number): void {
    const ok = errorCode === ErrorCode.NONE;
    for (const m of [...group.members.values()]) {
      const answered = group.invokeSync(m, {
        errorCode,
        protocolType: ok ? group.protocolType : null,
        protocolName: ok ? group.protocolName : null,
        assignment: m.assignment,
      });
      // The member's session was on hold while it waited; it starts again now.
      if (answered) this.scheduleHeartbeat(group, m, m.sessionTimeoutMs);
    }
  }

  // ---------------------------------------------------------------------------------------
  // Members leaving: heartbeats, expiry, LeaveGroup

  private scheduleHeartbeat(group: ClassicGroup, member: GroupMember, timeoutMs: number): void {
    member.heartbeatTimer?.();
    member.heartbeatTimer = this.scheduler.schedule(timeoutMs, () => {
      member.heartbeatTimer = null;
      if (!this.isCurrent(group) || group.members.get(member.memberId) !== member) return;
      // A member whose JoinGroup or SyncGroup is parked cannot heartbeat: that counts as
      // alive (its timer restarts when it is answered). A new member's join is bounded.
      if (!member.isNew && (member.isAwaitingJoin || member.isAwaitingSync)) return;
      this.log.info({ groupId: group.groupId, memberId: member.memberId }, "member session expired, removing it from the group");
      this.removeMemberAndUpdateGroup(group, member, `member ${member.memberId} session expired`);
    });
  }

  private addPendingMember(group: ClassicGroup, memberId: string, timeoutMs: number): void {
    group.pendingMembers.get(memberId)?.();
    group.pendingMembers.set(
      memberId,
      this.scheduler.schedule(timeoutMs, () => {
        if (!this.isCurrent(group) || !group.pendingMembers.has(memberId)) return;
        this.log.info({ groupId: group.groupId, memberId }, "pending member did not rejoin within its session timeout");
        group.pendingMembers.delete(memberId);
        if (group.is("PreparingRebalance")) this.tryCompleteJoin(group);
      }),
    );
  }

  private removePendingMember(group: ClassicGroup, memberId: string): boolean {
    const cancel = group.pendingMembers.get(memberId);
    if (!cancel) return false;
    cancel();
    group.pendingMembers.delete(memberId);
    return true;
  }

  /** Takes the member out of the group structures and stops its session timer. */
  private dropMember(group: ClassicGroup, member: GroupMember): void {
    member.heartbeatTimer?.();
    member.heartbeatTimer = null;
    group.remove(member.memberId);
  }

  private dropMemberOrPending(group: ClassicGroup, memberId: string): void {
    const member = group.members.get(memberId);
    if (member) {
      group.invokeJoin(member, joinError("", ErrorCode.GROUP_MAX_SIZE_REACHED));
      group.invokeSync(member, syncError(ErrorCode.GROUP_MAX_SIZE_REACHED));
      this.dropMember(group, member);
    }
    this.removePendingMember(group, memberId);
  }

  private removeMemberAndUpdateGroup(group: ClassicGroup, member: GroupMember, reason: string): void {
    // A new member may time out while its JoinGroup waits: UNKNOWN_MEMBER_ID makes a still
    // alive client join again from scratch.
    group.invokeJoin(member, joinError("", ErrorCode.UNKNOWN_MEMBER_ID));
    group.invokeSync(member, syncError(ErrorCode.UNKNOWN_MEMBER_ID));
    this.dropMember(group, member);
    switch (group.state) {
      case "Stable":
      case "CompletingRebalance":
        return this.maybePrepareRebalance(group, reason);
      case "PreparingRebalance":
        return this.tryCompleteJoin(group);
      case "Empty":
      case "Dead":
        return;
    }
  }

  heartbeat(req: HeartbeatRequest): HeartbeatResult {
    if (req.groupId === "") return { errorCode: ErrorCode.INVALID_GROUP_ID };
    if (!this.active) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE };
    const group = this.groups.get(req.groupId);
    if (!group) return { errorCode: ErrorCode.UNKNOWN_MEMBER_ID };
    const error = validateCurrentMember(group, req.memberId, req.groupInstanceId);
    if (error !== undefined) return { errorCode: error };
    if (req.generationId !== group.generationId) return { errorCode: ErrorCode.ILLEGAL_GENERATION };
    const member = group.members.get(req.memberId)!;
    switch (group.state) {
      case "Empty":
      case "Dead":
        return { errorCode: ErrorCode.UNKNOWN_MEMBER_ID };
      case "CompletingRebalance":
      case "Stable":
        this.scheduleHeartbeat(group, member, member.sessionTimeoutMs);
        return { errorCode: ErrorCode.NONE };
      case "PreparingRebalance":
        // This is how members that are busy processing learn they must rejoin.
        this.scheduleHeartbeat(group, member, member.sessionTimeoutMs);
        return { errorCode: ErrorCode.REBALANCE_IN_PROGRESS };
    }
  }

  leaveGroup(req: LeaveGroupRequest): LeaveGroupResult {
    if (req.groupId === "") return { errorCode: ErrorCode.INVALID_GROUP_ID, members: [] };
    if (!this.active) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, members: [] };
    const group = this.groups.get(req.groupId);
    const result = (m: LeaveGroupRequest["members"][number], errorCode: number): LeaveGroupMemberResult => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, errorCode });
    if (!group) return { errorCode: ErrorCode.NONE, members: req.members.map((m) => result(m, ErrorCode.UNKNOWN_MEMBER_ID)) };
    const members = req.members.map((m) => {
      const reason = m.reason ?? "not provided";
      if (m.memberId === "") {
        // Administrative removal of a static member by its group.instance.id alone.
        const current = m.groupInstanceId === null ? undefined : group.staticMembers.get(m.groupInstanceId);
        if (current === undefined) return result(m, ErrorCode.UNKNOWN_MEMBER_ID);
        this.leave(group, group.members.get(current)!, reason);
        return result(m, ErrorCode.NONE);
      }
      if (this.removePendingMember(group, m.memberId)) {
        if (group.is("PreparingRebalance")) this.tryCompleteJoin(group);
        return result(m, ErrorCode.NONE);
      }
      const error = validateCurrentMember(group, m.memberId, m.groupInstanceId);
      if (error !== undefined) return result(m, error);
      this.leave(group, group.members.get(m.memberId)!, reason);
      return result(m, ErrorCode.NONE);
    });
    return { errorCode: ErrorCode.NONE, members };
  }

  private leave(group: ClassicGroup, member: GroupMember, reason: string): void {
    this.log.info({ groupId: group.groupId, memberId: member.memberId, reason }, "member left group");
    this.removeMemberAndUpdateGroup(group, member, `member ${member.memberId} left (reason: ${reason})`);
  }

  // ---------------------------------------------------------------------------------------
  // SyncGroup

  /** Resolves when the member's assignment is known (at once for followers of a stable group). */
  syncGroup(request: SyncGroupRequest): Promise<SyncGroupResult> {
    return new Promise((resolve) => this.handleSync(request, resolve));
  }

  private handleSync(req: SyncGroupRequest, respond: (r: SyncGroupResult) => void): void {
    if (req.groupId === "") return respond(syncError(ErrorCode.INVALID_GROUP_ID));
    if (!this.active) return respond(syncError(ErrorCode.COORDINATOR_NOT_AVAILABLE));
    const group = this.groups.get(req.groupId);
    if (!group) return respond(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
    const error = validateCurrentMember(group, req.memberId, req.groupInstanceId);
    if (error !== undefined) return respond(syncError(error));
    if (req.generationId !== group.generationId) return respond(syncError(ErrorCode.ILLEGAL_GENERATION));
    // KIP-559 (SyncGroup v5+): the member's idea of the protocol must be the group's.
    if (req.protocolType !== null && req.protocolType !== group.protocolType) return respond(syncError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
    if (req.protocolName !== null && req.protocolName !== group.protocolName) return respond(syncError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
    const member = group.members.get(req.memberId)!;
    switch (group.state) {
      case "Empty":
      case "Dead":
        return respond(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
      case "PreparingRebalance":
        return respond(syncError(ErrorCode.REBALANCE_IN_PROGRESS));
      case "Stable":
        this.removePendingSyncMember(group, member.memberId);
        respond({ errorCode: ErrorCode.NONE, protocolType: group.protocolType, protocolName: group.protocolName, assignment: member.assignment });
        this.scheduleHeartbeat(group, member, member.sessionTimeoutMs);
        return;
      case "CompletingRebalance":
        break;
    }
    // A repeated SyncGroup replaces the earlier one, which must not be left unanswered.
    group.invokeSync(member, syncError(ErrorCode.REBALANCE_IN_PROGRESS));
    member.syncWaiter = respond;
    this.removePendingSyncMember(group, member.memberId);
    if (!group.isLeader(member.memberId)) return;

    const given = new Map<string, Buffer>();
    for (const a of req.assignments) given.set(a.memberId, Buffer.from(a.assignment));
    const assignment = new Map<string, Buffer>();
    const missing: string[] = [];
    for (const id of group.members.keys()) {
      const a = given.get(id);
      if (!a) missing.push(id);
      assignment.set(id, a ?? EMPTY_BUFFER);
    }
    if (missing.length > 0) this.log.warn({ groupId: group.groupId, generationId: group.generationId, members: missing }, "leader gave no assignment to some members: they get an empty one");
    const generation = group.generationId;
    this.persistGroup(group, assignment).then(
      () => {
        // Another member may have joined while the write was in flight: then the group has
        // moved on and this assignment is void.
        if (!this.isCurrent(group) || !group.is("CompletingRebalance") || group.generationId !== generation) return;
        for (const m of group.members.values()) m.assignment = assignment.get(m.memberId) ?? EMPTY_BUFFER;
        this.propagateAssignment(group, ErrorCode.NONE);
        group.transitionTo("Stable", this.scheduler.now());
        this.log.info({ groupId: group.groupId, generationId: generation }, "group assignment stored, group is stable");
      },
      (err: unknown) => {
        if (!this.isCurrent(group) || !group.is("CompletingRebalance") || group.generationId !== generation) return;
        this.log.warn({ groupId: group.groupId, err: String(err) }, "failed to store group assignment");
        this.resetAndPropagateAssignmentError(group, groupWriteError(err));
        this.maybePrepareRebalance(group, "failed to store the group assignment");
      },
    );
  }

  // ---------------------------------------------------------------------------------------
  // Describe, list, delete

  describeGroups(groupIds: readonly string[]): DescribedGroup[] {
    return groupIds.map((groupId): DescribedGroup => {
      if (!this.active) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, groupId, groupState: "", protocolType: "", protocolData: "", members: [] };
      const group = this.groups.get(groupId);
      // DescribeGroups v0-v5 describe an unknown group as Dead, without an error.
      if (!group) return { errorCode: ErrorCode.NONE, groupId, groupState: "Dead", protocolType: "", protocolData: "", members: [] };
      const stable = group.is("Stable");
      const protocol = group.protocolName ?? "";
      return {
        errorCode: ErrorCode.NONE,
        groupId,
        groupState: group.state,
        protocolType: group.protocolType ?? "",
        protocolData: stable ? protocol : "",
        members: [...group.members.values()].map((m) => ({
          memberId: m.memberId,
          groupInstanceId: m.groupInstanceId,
          clientId: m.clientId,
          clientHost: m.clientHost,
          memberMetadata: stable ? m.metadataFor(protocol) : EMPTY_BUFFER,
          memberAssignment: stable ? m.assignment : EMPTY_BUFFER,
        })),
      };
    });
  }

  /** KIP-518 states filter and KIP-848 types filter, both case-insensitive; every group here is "classic". */
  listGroups(statesFilter: readonly string[] = [], typesFilter: readonly string[] = []): ListGroupsResult {
    if (!this.active) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, groups: [] };
    const states = new Set(statesFilter.map((s) => s.toLowerCase()));
    if (typesFilter.length > 0 && !typesFilter.some((t) => t.toLowerCase() === "classic")) return { errorCode: ErrorCode.NONE, groups: [] };
    const groups = [...this.groups.values()]
      .filter((g) => states.size === 0 || states.has(g.state.toLowerCase()))
      .map((g) => ({ groupId: g.groupId, protocolType: g.protocolType ?? "", groupState: g.state, groupType: "classic" as const }));
    return { errorCode: ErrorCode.NONE, groups };
  }

  /** Only empty groups can be deleted; their offsets and metadata are tombstoned. */
  async deleteGroups(groupIds: readonly string[]): Promise<DeleteGroupResult[]> {
    const results: DeleteGroupResult[] = [];
    const entries: GroupStoreEntry[] = [];
    const deleted: DeleteGroupResult[] = [];
    for (const groupId of new Set(groupIds)) {
      if (!this.active) {
        results.push({ groupId, errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE });
        continue;
      }
      const group = this.groups.get(groupId);
      if (!group) {
        results.push({ groupId, errorCode: ErrorCode.GROUP_ID_NOT_FOUND });
      } else if (!group.is("Empty")) {
        results.push({ groupId, errorCode: ErrorCode.NON_EMPTY_GROUP });
      } else {
        entries.push(...this.removeOffsets(group, [...group.offsets.keys(), ...group.pendingOffsetCommits.keys()]));
        entries.push(...this.killGroup(group));
        const r = { groupId, errorCode: ErrorCode.NONE };
        results.push(r);
        deleted.push(r);
      }
    }
    if (entries.length > 0) {
      try {
        await this.append(entries);
      } catch (err) {
        // The groups are gone from memory already (as in Kafka); the caller learns that the
        // deletion may not survive a restart.
        this.log.warn({ groups: deleted.map((d) => d.groupId), err: String(err) }, "failed to write group tombstones");
        for (const r of deleted) r.errorCode = groupWriteError(err);
      }
    }
    if (deleted.length > 0) this.log.info({ groups: deleted.map((d) => d.groupId) }, "groups deleted");
    return results;
  }

  // ---------------------------------------------------------------------------------------
  // Offsets

  /** Resolves once the store has accepted the offsets (per-partition errors otherwise). */
  async commitOffsets(req: OffsetCommitRequest): Promise<OffsetCommitResult> {
    const all = (errorCode: number): OffsetCommitResult => ({ topics: req.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })) })) });
    if (!this.active) return all(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    let group = this.groups.get(req.groupId);
    if (!group) {
      if (req.generationId >= 0) return all(ErrorCode.ILLEGAL_GENERATION);
      // A consumer that assigns partitions itself (or an admin tool) uses the coordinator for
      // offset storage only: its group is created by the commit, with no protocol type.
      group = new ClassicGroup(req.groupId, this.scheduler.now());
      this.groups.set(req.groupId, group);
      this.log.info({ groupId: req.groupId }, "simple consumer group created by an offset commit");
    }
    const error = validateOffsetCommit(group, req.generationId, req.memberId, req.groupInstanceId);
    if (error !== undefined) return all(error);
    switch (group.state) {
      case "Empty":
        break;
      case "Stable":
      case "PreparingRebalance": {
        // Commits are allowed while preparing: the heartbeat tells the member to rejoin.
        const member = group.members.get(req.memberId);
        if (member) this.scheduleHeartbeat(group, member, member.sessionTimeoutMs);
        break;
      }
      case "CompletingRebalance":
        // The member has its new generation but not yet its assignment.
        return all(ErrorCode.REBALANCE_IN_PROGRESS);
      case "Dead":
        return all(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    }
    return this.storeOffsets(group, req.topics);
  }

  private async storeOffsets(group: ClassicGroup, topics: readonly OffsetCommitTopic[]): Promise<OffsetCommitResult> {
    const now = this.scheduler.now();
    const maxMetadata = this.config["offset.metadata.max.bytes"];
    const result: OffsetCommitResult = { topics: [] };
    const writes: { topic: string; partition: number; value: OffsetCommitRecord; seq: number; out: PartitionErrorResult }[] = [];
    for (const t of topics) {
      const out: TopicPartitionErrors = { name: t.name, partitions: [] };
      result.topics.push(out);
      for (const p of t.partitions) {
        const r: PartitionErrorResult = { partitionIndex: p.partitionIndex, errorCode: ErrorCode.NONE };
        out.partitions.push(r);
        const metadata = p.committedMetadata ?? "";
        // Kafka compares the Java string length (UTF-16 code units), as does String.length here.
        if (metadata.length > maxMetadata) {
          r.errorCode = ErrorCode.OFFSET_METADATA_TOO_LARGE;
          continue;
        }
        writes.push({
          topic: t.name,
          partition: p.partitionIndex,
          value: { offset: p.committedOffset, leaderEpoch: p.committedLeaderEpoch ?? -1, metadata, commitTimestamp: now, expireTimestamp: -1 },
          seq: ++this.writeSeq,
          out: r,
        });
      }
    }
    if (writes.length === 0) return result;
    for (const w of writes) {
      const key = tpKey(w.topic, w.partition);
      const pending = group.pendingOffsetCommits.get(key);
      if (pending) pending.count++;
      else group.pendingOffsetCommits.set(key, { topic: w.topic, partition: w.partition, count: 1 });
    }
    let errorCode: number = ErrorCode.NONE;
    try {
      await this.append(writes.map((w) => ({ kind: "offset", groupId: group.groupId, topic: w.topic, partition: w.partition, value: w.value })));
    } catch (err) {
      errorCode = offsetWriteError(err);
      this.log.warn({ groupId: group.groupId, err: String(err) }, "failed to store offset commit");
    }
    const live = this.isCurrent(group);
    for (const w of writes) {
      const key = tpKey(w.topic, w.partition);
      const pending = group.pendingOffsetCommits.get(key);
      if (pending && --pending.count === 0) group.pendingOffsetCommits.delete(key);
      w.out.errorCode = errorCode;
      if (errorCode === ErrorCode.NONE && live) {
        // Apply unless a later commit already landed or the offset was deleted after this write.
        const existing = group.offsets.get(key);
        if (w.seq > (group.offsetDeleteSeq.get(key) ?? -1) && (!existing || existing.seq < w.seq)) {
          group.offsets.set(key, { topic: w.topic, partition: w.partition, ...w.value, seq: w.seq });
        }
      }
      if (!group.pendingOffsetCommits.has(key)) group.offsetDeleteSeq.delete(key);
    }
    return result;
  }

  /**
   * Committed offsets; topics null means every partition the group has an offset for.
   * Unknown groups and partitions answer offset -1 without an error, as Kafka does.
   */
  fetchOffsets(groupId: string, topics: readonly OffsetFetchTopicRequest[] | null, requireStable = false): OffsetFetchResult {
    if (!this.active) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, topics: [] };
    const group = this.groups.get(groupId);
    const none = (partitionIndex: number, errorCode: number = ErrorCode.NONE) => ({ partitionIndex, committedOffset: -1n, committedLeaderEpoch: -1, metadata: "", errorCode });
    if (!group) return { errorCode: ErrorCode.NONE, topics: (topics ?? []).map((t) => ({ name: t.name, partitions: t.partitionIndexes.map((p) => none(p)) })) };
    const requested =
      topics ??
      groupByTopic([...group.offsets.values()].sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1))).map(([name, partitions]) => ({
        name,
        partitionIndexes: partitions.map((o) => o.partition),
      }));
    return {
      errorCode: ErrorCode.NONE,
      topics: requested.map((t) => ({
        name: t.name,
        partitions: t.partitionIndexes.map((partition) => {
          const key = tpKey(t.name, partition);
          if (requireStable && group.pendingOffsetCommits.has(key)) return none(partition, ErrorCode.UNSTABLE_OFFSET_COMMIT);
          const o = group.offsets.get(key);
          if (!o) return none(partition);
          return { partitionIndex: partition, committedOffset: o.offset, committedLeaderEpoch: o.leaderEpoch, metadata: o.metadata, errorCode: ErrorCode.NONE };
        }),
      })),
    };
  }

  /**
   * OffsetDelete: allowed for empty groups, and for consumer groups on topics none of the
   * members subscribes to (GROUP_SUBSCRIBED_TO_TOPIC otherwise). Deleting the last offsets of
   * an empty group deletes the group.
   */
  async deleteOffsets(groupId: string, topics: readonly OffsetDeleteTopicRequest[]): Promise<OffsetDeleteResult> {
    if (!this.active) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, topics: [] };
    const group = this.groups.get(groupId);
    if (!group) return { errorCode: ErrorCode.GROUP_ID_NOT_FOUND, topics: [] };
    let subscribed: (topic: string) => boolean;
    if (group.is("Empty")) subscribed = () => false;
    else if (group.protocolType === CONSUMER_PROTOCOL_TYPE) subscribed = (topic) => group.isSubscribedToTopic(topic);
    else return { errorCode: ErrorCode.NON_EMPTY_GROUP, topics: [] };

    const result: OffsetDeleteResult = { errorCode: ErrorCode.NONE, topics: [] };
    const eligible: PartitionErrorResult[] = [];
    const keys: string[] = [];
    for (const t of topics) {
      const isSubscribed = subscribed(t.name);
      const out: TopicPartitionErrors = { name: t.name, partitions: [] };
      result.topics.push(out);
      for (const partitionIndex of t.partitionIndexes) {
        const r = { partitionIndex, errorCode: isSubscribed ? ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC : ErrorCode.NONE };
        out.partitions.push(r);
        if (!isSubscribed) {
          eligible.push(r);
          keys.push(tpKey(t.name, partitionIndex));
        }
      }
    }
    if (keys.length === 0) return result;
    const entries = this.removeOffsets(group, keys);
    entries.push(...this.maybeKillEmptyGroup(group));
    if (entries.length > 0) {
      try {
        await this.append(entries);
      } catch (err) {
        this.log.warn({ groupId, err: String(err) }, "failed to write offset tombstones");
        const code = offsetWriteError(err);
        for (const r of eligible) r.errorCode = code;
      }
    }
    return result;
  }

  /**
   * Kafka's offset retention (KIP-211), run every offsets.retention.check.interval.ms after
   * startup(): offsets of a group that has been empty for offsets.retention.minutes expire;
   * so do offsets of standalone groups (by commit time) and, in a stable consumer group,
   * offsets of topics no member subscribes to any more. Empty groups left without offsets are
   * deleted. Resolves with the number of offsets removed.
   */
  async expireOffsets(): Promise<number> {
    const now = this.scheduler.now();
    const retentionMs = this.config["offsets.retention.minutes"] * 60_000;
    const entries: GroupStoreEntry[] = [];
    let removed = 0;
    for (const group of [...this.groups.values()]) {
      const expired = (baseTimestamp: (o: { commitTimestamp: number }) => number, keep: (topic: string) => boolean = () => false): string[] => {
        const keys: string[] = [];
        for (const [key, o] of group.offsets) {
          if (keep(o.topic) || group.pendingOffsetCommits.has(key)) continue;
          const isExpired = o.expireTimestamp >= 0 ? now >= o.expireTimestamp : now - baseTimestamp(o) >= retentionMs;
          if (isExpired) keys.push(key);
        }
        return keys;
      };
      let keys: string[] = [];
      if (group.protocolType !== null && group.is("Empty")) {
        keys = expired((o) => group.currentStateTimestamp ?? o.commitTimestamp);
      } else if (group.protocolType === CONSUMER_PROTOCOL_TYPE && group.subscribedTopics !== null && group.is("Stable")) {
        const topics = group.subscribedTopics;
        keys = expired((o) => o.commitTimestamp, (topic) => topics.has(topic));
      } else if (group.protocolType === null) {
        keys = expired((o) => o.commitTimestamp);
      }
      const tombstones = this.removeOffsets(group, keys);
      removed += tombstones.length;
      entries.push(...tombstones, ...this.maybeKillEmptyGroup(group));
    }
    if (entries.length > 0) await this.append(entries);
    if (removed > 0) this.log.info({ offsets: removed }, "expired offsets removed");
    return removed;
  }

  /** For DeleteTopics: forget every group's offsets on these topics (Kafka's handleDeletedPartitions). */
  async removeOffsetsForTopics(topics: readonly string[]): Promise<number> {
    const names = new Set(topics);
    const entries: GroupStoreEntry[] = [];
    let removed = 0;
    for (const group of [...this.groups.values()]) {
      const keys = [...group.offsets.values(), ...group.pendingOffsetCommits.values()].filter((o) => names.has(o.topic)).map((o) => tpKey(o.topic, o.partition));
      if (keys.length === 0) continue;
      const tombstones = this.removeOffsets(group, keys);
      removed += tombstones.length;
      entries.push(...tombstones, ...this.maybeKillEmptyGroup(group));
    }
    if (entries.length > 0) await this.append(entries);
    return removed;
  }

  /** Removes offsets from memory; returns their tombstones (also for commits still in flight). */
  private removeOffsets(group: ClassicGroup, keys: readonly string[]): GroupStoreEntry[] {
    const seq = ++this.writeSeq;
    const entries: GroupStoreEntry[] = [];
    for (const key of new Set(keys)) {
      const committed = group.offsets.get(key);
      const pending = group.pendingOffsetCommits.get(key);
      const tp = committed ?? pending;
      if (!tp) continue;
      group.offsets.delete(key);
      if (pending) group.offsetDeleteSeq.set(key, seq);
      entries.push({ kind: "offset", groupId: group.groupId, topic: tp.topic, partition: tp.partition, value: null });
    }
    return entries;
  }

  private maybeKillEmptyGroup(group: ClassicGroup): GroupStoreEntry[] {
    // A group whose first member holds a MEMBER_ID_REQUIRED id is about to be used: keep it.
    if (!group.is("Empty") || group.offsets.size > 0 || group.pendingMembers.size > 0) return [];
    // Offsets still being written keep the group, unless they are all being deleted.
    for (const key of group.pendingOffsetCommits.keys()) if (!group.offsetDeleteSeq.has(key)) return [];
    return this.killGroup(group);
  }

  /** Marks the group Dead, forgets it, and returns its metadata tombstone. */
  private killGroup(group: ClassicGroup): GroupStoreEntry[] {
    group.transitionTo("Dead", this.scheduler.now());
    this.cancelGroupTimers(group, ErrorCode.COORDINATOR_NOT_AVAILABLE);
    this.groups.delete(group.groupId);
    this.log.info({ groupId: group.groupId, generationId: group.generationId }, "group is dead");
    return [{ kind: "group", groupId: group.groupId, value: null }];
  }

  // ---------------------------------------------------------------------------------------
  // Introspection (tests, metrics)

  inspectGroup(groupId: string): GroupSnapshot | undefined {
    const g = this.groups.get(groupId);
    if (!g) return undefined;
    return {
      groupId: g.groupId,
      state: g.state,
      generationId: g.generationId,
      protocolType: g.protocolType,
      protocolName: g.protocolName,
      leaderId: g.leaderId,
      currentStateTimestamp: g.currentStateTimestamp,
      members: [...g.members.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        sessionTimeoutMs: m.sessionTimeoutMs,
        rebalanceTimeoutMs: m.rebalanceTimeoutMs,
        protocols: m.protocols.map((p) => ({ ...p })),
        assignment: m.assignment,
        awaitingJoin: m.isAwaitingJoin,
        awaitingSync: m.isAwaitingSync,
      })),
      pendingMembers: [...g.pendingMembers.keys()],
      offsets: [...g.offsets.values()].map((o) => ({ topic: o.topic, partition: o.partition, offset: o.offset, leaderEpoch: o.leaderEpoch, metadata: o.metadata, commitTimestamp: o.commitTimestamp })),
    };
  }

  /** Number of groups per state (Dead is always 0: dead groups are forgotten). */
  groupCountsByState(): Record<GroupStateName, number> {
    const counts = Object.fromEntries(GROUP_STATES.map((s) => [s, 0])) as Record<GroupStateName, number>;
    for (const g of this.groups.values()) counts[g.state]++;
    return counts;
  }

  // ---------------------------------------------------------------------------------------
  // Internals

  private isCurrent(group: ClassicGroup): boolean {
    return !group.is("Dead") && this.groups.get(group.groupId) === group;
  }

  private persistGroup(group: ClassicGroup, assignment: ReadonlyMap<string, Buffer>): Promise<void> {
    const protocol = group.protocolName;
    const value: GroupMetadataRecord = {
      protocolType: group.protocolType ?? "",
      generation: group.generationId,
      protocol,
      leader: group.leaderId,
      currentStateTimestamp: group.currentStateTimestamp ?? -1,
      members: [...group.members.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        rebalanceTimeoutMs: m.rebalanceTimeoutMs,
        sessionTimeoutMs: m.sessionTimeoutMs,
        subscription: protocol === null ? EMPTY_BUFFER : m.metadataFor(protocol),
        assignment: assignment.get(m.memberId) ?? EMPTY_BUFFER,
      })),
    };
    return this.append([{ kind: "group", groupId: group.groupId, value }]);
  }

  /** store.append, with a synchronous throw turned into a rejection. */
  private append(entries: readonly GroupStoreEntry[]): Promise<void> {
    try {
      return this.store.append(entries);
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  private scheduleExpiry(): void {
    this.expiryTimer?.();
    this.expiryTimer = this.scheduler.schedule(this.config["offsets.retention.check.interval.ms"], () => {
      this.expiryTimer = null;
      if (!this.active) return;
      this.expireOffsets()
        .catch((err: unknown) => this.log.warn({ err: String(err) }, "offset expiration failed"))
        .finally(() => {
          if (this.active && this.expiryTimer === null) this.scheduleExpiry();
        });
    });
  }

  private cancelGroupTimers(group: ClassicGroup, answerWith: number): void {
    this.cancelJoinTimer(group);
    group.syncTimer?.();
    group.syncTimer = null;
    for (const cancel of group.pendingMembers.values()) cancel();
    group.pendingMembers.clear();
    for (const m of group.members.values()) {
      m.heartbeatTimer?.();
      m.heartbeatTimer = null;
      group.invokeJoin(m, joinError(m.memberId, answerWith));
      group.invokeSync(m, syncError(answerWith));
    }
  }

  private clearAll(answerWith: number): void {
    for (const group of this.groups.values()) this.cancelGroupTimers(group, answerWith);
    this.groups.clear();
  }
}

interface NormalizedJoin extends JoinGroupRequest {
  reason: string;
  supportSkippingAssignment: boolean;
}

function joinError(memberId: string, errorCode: number): JoinGroupResult {
  return { errorCode, generationId: -1, protocolType: null, protocolName: null, leader: "", skipAssignment: false, memberId, members: [] };
}

function syncError(errorCode: number): SyncGroupResult {
  return { errorCode, protocolType: null, protocolName: null, assignment: EMPTY_BUFFER };
}

/** First occurrence of each protocol name wins; metadata is copied out of the request frame. */
function normalizeProtocols(protocols: readonly GroupProtocol[]): GroupProtocol[] {
  const seen = new Set<string>();
  const out: GroupProtocol[] = [];
  for (const p of protocols) {
    if (seen.has(p.name)) continue;
    seen.add(p.name);
    out.push({ name: p.name, metadata: Buffer.from(p.metadata) });
  }
  return out;
}

function protocolNames(protocols: readonly GroupProtocol[]): Set<string> {
  return new Set(protocols.map((p) => p.name));
}

/** Kafka's validateCurrentMember: a group.instance.id must map to this member id; the member must exist. */
function validateCurrentMember(group: ClassicGroup, memberId: string, groupInstanceId: string | null): number | undefined {
  if (groupInstanceId !== null) {
    const current = group.staticMembers.get(groupInstanceId);
    if (current === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (current !== memberId) return ErrorCode.FENCED_INSTANCE_ID;
  }
  if (!group.has(memberId)) return ErrorCode.UNKNOWN_MEMBER_ID;
  return undefined;
}

function validateOffsetCommit(group: ClassicGroup, generationId: number, memberId: string, groupInstanceId: string | null): number | undefined {
  if (group.is("Dead")) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
  // Generation -1: a commit from outside group management, fine while nobody is a member.
  if (generationId < 0 && group.is("Empty")) return undefined;
  if (generationId >= 0 || memberId !== "" || groupInstanceId !== null) {
    const error = validateCurrentMember(group, memberId, groupInstanceId);
    if (error !== undefined) return error;
    return generationId === group.generationId ? undefined : ErrorCode.ILLEGAL_GENERATION;
  }
  // Once the group has members, only they may commit.
  return group.is("Empty") ? undefined : ErrorCode.UNKNOWN_MEMBER_ID;
}

/** Kafka's mapping of a failed group metadata append to the error a client can act on. */
function groupWriteError(err: unknown): number {
  const code = err instanceof GroupStoreError ? err.errorCode : ErrorCode.COORDINATOR_NOT_AVAILABLE;
  switch (code) {
    case ErrorCode.UNKNOWN_TOPIC_OR_PARTITION:
    case ErrorCode.NOT_ENOUGH_REPLICAS:
    case ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND:
    case ErrorCode.REQUEST_TIMED_OUT:
      return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    case ErrorCode.NOT_LEADER_OR_FOLLOWER:
    case ErrorCode.KAFKA_STORAGE_ERROR:
      return ErrorCode.NOT_COORDINATOR;
    case ErrorCode.MESSAGE_TOO_LARGE:
    case ErrorCode.RECORD_LIST_TOO_LARGE:
    case ErrorCode.INVALID_FETCH_SIZE:
      return ErrorCode.UNKNOWN_SERVER_ERROR;
    default:
      return code;
  }
}

/** Same for offset commits, where an oversized write is the client's INVALID_COMMIT_OFFSET_SIZE. */
function offsetWriteError(err: unknown): number {
  const code = err instanceof GroupStoreError ? err.errorCode : ErrorCode.COORDINATOR_NOT_AVAILABLE;
  switch (code) {
    case ErrorCode.MESSAGE_TOO_LARGE:
    case ErrorCode.RECORD_LIST_TOO_LARGE:
    case ErrorCode.INVALID_FETCH_SIZE:
      return ErrorCode.INVALID_COMMIT_OFFSET_SIZE;
    case ErrorCode.REQUEST_TIMED_OUT:
      return ErrorCode.REQUEST_TIMED_OUT;
    default:
      return groupWriteError(err);
  }
}

function groupByTopic<T extends { topic: string }>(items: readonly T[]): [string, T[]][] {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const list = out.get(item.topic);
    if (list) list.push(item);
    else out.set(item.topic, [item]);
  }
  return [...out];
}

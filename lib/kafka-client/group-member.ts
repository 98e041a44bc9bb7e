// Membership in a classic Kafka group (JoinGroup/SyncGroup/Heartbeat/LeaveGroup) for any
// protocol type: Kafka Connect workers join with "connect", and the leader computes the
// assignment itself. The broker only relays opaque metadata and assignments.
//
// join() runs the whole dance, retrying what Kafka says is worth retrying (the coordinator
// moving or loading, a lost connection, KIP-394's MEMBER_ID_REQUIRED round trip, a rebalance
// starting between JoinGroup and SyncGroup) until joinTimeoutMs. Once in a generation, a
// heartbeat loop keeps the session alive and emits "rebalance-needed" when the owner must call
// join() again: the group is rebalancing (heartbeats go on until it rejoins, as in the Java
// client, so a slow owner keeps its session), or the member is out of the generation
// (ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID, FENCED_INSTANCE_ID, or no successful heartbeat for
// a whole session timeout; heartbeats stop). A coordinator that moves is looked up again and
// heartbeats continue there: the new coordinator loads the group with its members, and tells
// the member through those same errors if it has to rejoin (Kafka's Java client does the same).
import { EventEmitter } from "node:events";
import { ErrorCode, KafkaError, errorName } from "../../broker/protocol/generated/errors.ts";
import { ApiKey } from "../../broker/protocol/generated/index.ts";
import type { Logger } from "../logger.ts";
import { Backoff, sleep } from "./backoff.ts";
import type { KafkaClusterClient } from "./cluster.ts";
import { ClientClosedError, isRetriable } from "./errors.ts";

export interface GroupProtocol {
  /** e.g. "sessioned" / "compatible" / "default" for Connect, an assignor name for consumers. */
  name: string;
  metadata: Buffer;
}

export interface GroupMemberMetadata {
  memberId: string;
  groupInstanceId: string | null;
  /** This member's metadata for the chosen protocol. */
  metadata: Buffer;
}

export interface LeaderArgs {
  /** The protocol the coordinator chose (one every member supports). */
  protocol: string;
  members: GroupMemberMetadata[];
  generationId: number;
  /** The leader's own member id. */
  memberId: string;
}

/** Computes each member's assignment (members left out get an empty one). */
export type AssignFunction = (leader: LeaderArgs) => Promise<Map<string, Buffer>> | Map<string, Buffer>;

export interface JoinResult {
  generationId: number;
  memberId: string;
  leaderId: string;
  protocol: string;
  /** What the leader assigned to this member (empty if nothing). */
  assignment: Buffer;
  isLeader: boolean;
  /** Every member's metadata when this member is the leader, else []. */
  members: GroupMemberMetadata[];
}

export interface RebalanceNeeded {
  /** Kafka's error name (REBALANCE_IN_PROGRESS, ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID, ...) or SESSION_TIMEOUT. */
  reason: string;
  /** The generation the member was in. */
  generationId: number;
  /** False while the member is still in its generation (a rebalance is starting), true once it is out. */
  memberLost: boolean;
  message: string;
}

export interface GroupMemberOptions {
  groupId: string;
  /** "connect", "consumer", or any other protocol type the members agree on. */
  protocolType: string;
  /** Default 10000 (Kafka's session.timeout.ms for Connect). */
  sessionTimeoutMs?: number;
  /** How long the coordinator waits for every member to rejoin; default 60000. */
  rebalanceTimeoutMs?: number;
  /** Default 3000. */
  heartbeatIntervalMs?: number;
  /** Static membership (KIP-345). */
  groupInstanceId?: string | null;
  /** How long join() keeps retrying before it gives up; default rebalanceTimeoutMs + 60000. */
  joinTimeoutMs?: number;
  retryBackoffMs?: number;
  retryBackoffMaxMs?: number;
  logger?: Logger;
}

export interface GroupMemberEvents {
  "rebalance-needed": [RebalanceNeeded];
}

let memberCount = 0;

/** Join and sync answers that mean "join again now", not failure. */
const REJOIN_CODES: ReadonlySet<number> = new Set([ErrorCode.REBALANCE_IN_PROGRESS, ErrorCode.ILLEGAL_GENERATION, ErrorCode.UNKNOWN_MEMBER_ID, ErrorCode.MEMBER_ID_REQUIRED]);
const COORDINATOR_CODES: ReadonlySet<number> = new Set([ErrorCode.NOT_COORDINATOR, ErrorCode.COORDINATOR_NOT_AVAILABLE]);

export class GroupMember extends EventEmitter<GroupMemberEvents> {
  readonly groupId: string;
  readonly protocolType: string;
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly groupInstanceId: string | null;
  private readonly client: KafkaClusterClient;
  private readonly joinTimeoutMs: number;
  private readonly backoffMs: number;
  private readonly backoffMaxMs: number;
  private readonly log: Logger | undefined;
  private readonly lane: string;
  private _memberId = "";
  private _generationId = -1;
  private joining = false;
  /** Aborts the heartbeat loop and any join under way (stop, leave). */
  private activity = new AbortController();
  private heartbeating = false;

  constructor(client: KafkaClusterClient, options: GroupMemberOptions) {
    super();
    if (!options.groupId) throw new Error("groupId is required");
    if (!options.protocolType) throw new Error("protocolType is required");
    this.client = client;
    this.groupId = options.groupId;
    this.protocolType = options.protocolType;
    this.sessionTimeoutMs = options.sessionTimeoutMs ?? 10_000;
    this.rebalanceTimeoutMs = options.rebalanceTimeoutMs ?? 60_000;
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? 3000;
    if (this.heartbeatIntervalMs >= this.sessionTimeoutMs) throw new Error(`heartbeatIntervalMs (${this.heartbeatIntervalMs}) must be below sessionTimeoutMs (${this.sessionTimeoutMs})`);
    this.groupInstanceId = options.groupInstanceId ?? null;
    this.joinTimeoutMs = options.joinTimeoutMs ?? this.rebalanceTimeoutMs + 60_000;
    this.backoffMs = options.retryBackoffMs ?? 100;
    this.backoffMaxMs = options.retryBackoffMaxMs ?? 1000;
    this.lane = `group-${++memberCount}`;
    this.log = options.logger?.child({ component: "group-member", groupId: this.groupId });
  }

  /** The member id the coordinator gave ("" before the first join and after leave()). */
  get memberId(): string {
    return this._memberId;
  }

  /** The generation joined last, or -1 when the member is in none. */
  get generationId(): number {
    return this._generationId;
  }

  /** Whether the member is in a generation and heartbeating. */
  get isActive(): boolean {
    return this.heartbeating;
  }

  /**
   * Joins (or rejoins) the group and returns this member's assignment. `assign` runs only on
   * the member the coordinator makes leader. Rejects with the last error once joinTimeoutMs
   * has passed, with a non-retriable KafkaError (INCONSISTENT_GROUP_PROTOCOL,
   * INVALID_SESSION_TIMEOUT, GROUP_AUTHORIZATION_FAILED, ...) at once, and with
   * ClientClosedError if stop() or leave() is called meanwhile.
   */
  async join(protocols: readonly GroupProtocol[], assign: AssignFunction, options: { reason?: string } = {}): Promise<JoinResult> {
    if (this.joining) throw new Error(`a join of group ${this.groupId} is already under way`);
    if (protocols.length === 0) throw new Error("join needs at least one protocol");
    this.stopActivity();
    const signal = this.activity.signal;
    this.joining = true;
    const deadline = Date.now() + this.joinTimeoutMs;
    const backoff = new Backoff(this.backoffMs, this.backoffMaxMs);
    let immediateRejoins = 0;
    try {
      for (;;) {
        if (signal.aborted) throw new ClientClosedError(`stopped while joining group ${this.groupId}`);
        try {
          const result = await this.joinOnce(protocols, assign, options.reason ?? null, signal);
          if (result) {
            this.startHeartbeat(result.generationId, signal);
            return result;
          }
          // Rejoining at once is right after MEMBER_ID_REQUIRED or a rebalance that started
          // mid-sync; a coordinator that keeps answering so gets the usual backoff.
          if (++immediateRejoins > 3) {
            if (Date.now() >= deadline) throw new KafkaError(ErrorCode.REBALANCE_IN_PROGRESS, `could not join group ${this.groupId} within ${this.joinTimeoutMs} ms: it kept rebalancing`);
            await sleep(backoff.next(), signal);
          }
        } catch (err) {
          if (signal.aborted) throw new ClientClosedError(`stopped while joining group ${this.groupId}`);
          if (!isRetriable(err)) throw err;
          const wait = backoff.next();
          if (Date.now() + wait >= deadline) {
            (err as Error).message = `could not join group ${this.groupId} within ${this.joinTimeoutMs} ms: ${(err as Error).message}`;
            throw err;
          }
          this.log?.debug({ err: (err as Error).message, retryInMs: wait }, "join attempt failed; retrying");
          await sleep(wait, signal);
        }
      }
    } finally {
      this.joining = false;
    }
  }

  /** Stops heartbeating without leaving: the coordinator drops the member after its session times out. */
  stop(): void {
    this.stopActivity();
    this._generationId = -1;
    this.client.closeLane(this.lane);
  }

  /** Leaves the group (LeaveGroup) so that it rebalances now; best effort, never rejects. */
  async leave(reason = "the member is leaving"): Promise<void> {
    const memberId = this._memberId;
    this.stop();
    this._memberId = "";
    if (memberId === "" || this.client.isClosed) return;
    try {
      // On the default lane: the member's own connection may be held by a JoinGroup.
      const response = await this.client.send({ coordinator: this.groupId }, ApiKey.LeaveGroup, (v) =>
        v >= 3 ? { groupId: this.groupId, memberId: "", members: [{ memberId, groupInstanceId: this.groupInstanceId, reason }] } : { groupId: this.groupId, memberId, members: [] },
      );
      const code = response.errorCode !== ErrorCode.NONE ? response.errorCode : (response.members[0]?.errorCode ?? ErrorCode.NONE);
      if (code !== ErrorCode.NONE && code !== ErrorCode.UNKNOWN_MEMBER_ID) this.log?.warn({ error: errorName(code) }, "LeaveGroup failed");
      else this.log?.info({ memberId }, "left the group");
    } catch (err) {
      this.log?.warn({ err: (err as Error).message }, "LeaveGroup failed");
    }
  }

  private stopActivity(): void {
    this.activity.abort();
    this.activity = new AbortController();
    this.heartbeating = false;
  }

  /** One JoinGroup + SyncGroup; null means "join again right away". */
  private async joinOnce(protocols: readonly GroupProtocol[], assign: AssignFunction, reason: string | null, signal: AbortSignal): Promise<JoinResult | null> {
    const target = { coordinator: this.groupId };
    const timeoutMs = Math.max(this.client.requestTimeoutMs, this.rebalanceTimeoutMs + 5000);
    const join = await this.client.send(
      target,
      ApiKey.JoinGroup,
      {
        groupId: this.groupId,
        sessionTimeoutMs: this.sessionTimeoutMs,
        rebalanceTimeoutMs: this.rebalanceTimeoutMs,
        memberId: this._memberId,
        groupInstanceId: this.groupInstanceId,
        protocolType: this.protocolType,
        protocols: protocols.map((p) => ({ name: p.name, metadata: p.metadata })),
        reason,
      },
      { lane: this.lane, timeoutMs },
    );
    if (signal.aborted) return null;
    if (join.errorCode !== ErrorCode.NONE) {
      this.onGroupError("JoinGroup", join.errorCode, join.memberId);
      return null;
    }
    this._memberId = join.memberId;
    const generationId = join.generationId;
    const protocol = join.protocolName ?? "";
    const isLeader = join.leader === join.memberId;
    // Copies: the metadata are views of the response frame, and the owner may keep them.
    const members = isLeader ? join.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, metadata: Buffer.from(m.metadata) })) : [];
    let assignments: { memberId: string; assignment: Buffer }[] = [];
    // KIP-814: a static leader rejoining a stable group learns the members but must not reassign.
    if (isLeader && !join.skipAssignment) {
      const computed = await assign({ protocol, members, generationId, memberId: join.memberId });
      assignments = [...computed].map(([memberId, assignment]) => ({ memberId, assignment }));
    }
    if (signal.aborted) return null;
    const sync = await this.client.send(
      target,
      ApiKey.SyncGroup,
      { groupId: this.groupId, generationId, memberId: join.memberId, groupInstanceId: this.groupInstanceId, protocolType: this.protocolType, protocolName: protocol, assignments },
      { lane: this.lane, timeoutMs },
    );
    if (signal.aborted) return null;
    if (sync.errorCode !== ErrorCode.NONE) {
      this.onGroupError("SyncGroup", sync.errorCode, join.memberId);
      return null;
    }
    this._generationId = generationId;
    this.log?.info({ generationId, memberId: join.memberId, leader: join.leader, protocol, isLeader }, "joined the group");
    return { generationId, memberId: join.memberId, leaderId: join.leader, protocol, assignment: Buffer.from(sync.assignment), isLeader, members };
  }

  /** A JoinGroup/SyncGroup error: returns to rejoin at once, or throws (retriable or not). */
  private onGroupError(api: string, code: number, memberIdInAnswer: string): void {
    if (code === ErrorCode.MEMBER_ID_REQUIRED) {
      // KIP-394: the coordinator assigned an id and waits for a JoinGroup that carries it.
      this._memberId = memberIdInAnswer;
      return;
    }
    if (code === ErrorCode.UNKNOWN_MEMBER_ID) this._memberId = "";
    if (REJOIN_CODES.has(code)) {
      this.log?.debug({ api, error: errorName(code) }, "rejoining");
      return;
    }
    if (COORDINATOR_CODES.has(code)) this.client.invalidateCoordinator(this.groupId);
    throw new KafkaError(code, `${api} for group ${this.groupId} failed: ${errorName(code)}`);
  }

  private startHeartbeat(generationId: number, signal: AbortSignal): void {
    this.heartbeating = true;
    this.heartbeatLoop(generationId, signal).catch((err: unknown) => this.log?.error({ err: (err as Error).message }, "heartbeat loop failed"));
  }

  private async heartbeatLoop(generationId: number, signal: AbortSignal): Promise<void> {
    let lastSuccess = Date.now();
    let rebalanceReported = false;
    let wait = this.heartbeatIntervalMs;
    const backoff = new Backoff(this.backoffMs, this.backoffMaxMs);
    const memberId = this._memberId;
    while (!signal.aborted) {
      await sleep(wait, signal);
      if (signal.aborted) return;
      wait = this.heartbeatIntervalMs;
      let failure: string;
      try {
        const response = await this.client.send(
          { coordinator: this.groupId },
          ApiKey.Heartbeat,
          { groupId: this.groupId, generationId, memberId, groupInstanceId: this.groupInstanceId },
          { lane: this.lane, timeoutMs: Math.min(this.client.requestTimeoutMs, this.sessionTimeoutMs) },
        );
        if (signal.aborted) return;
        const code = response.errorCode;
        if (code === ErrorCode.NONE || code === ErrorCode.REBALANCE_IN_PROGRESS) {
          lastSuccess = Date.now();
          backoff.reset();
          if (code === ErrorCode.REBALANCE_IN_PROGRESS && !rebalanceReported) {
            rebalanceReported = true;
            this.report({ reason: "REBALANCE_IN_PROGRESS", generationId, memberLost: false, message: `group ${this.groupId} is rebalancing: rejoin` });
          }
          continue;
        }
        if (code === ErrorCode.ILLEGAL_GENERATION || code === ErrorCode.UNKNOWN_MEMBER_ID || code === ErrorCode.FENCED_INSTANCE_ID || !isRetriable(new KafkaError(code))) {
          if (code === ErrorCode.UNKNOWN_MEMBER_ID) this._memberId = "";
          this.lose(generationId, signal, errorName(code), `heartbeat for generation ${generationId} of group ${this.groupId} answered ${errorName(code)}`);
          return;
        }
        if (COORDINATOR_CODES.has(code)) this.client.invalidateCoordinator(this.groupId);
        failure = errorName(code);
      } catch (err) {
        if (signal.aborted) return;
        if (err instanceof ClientClosedError) {
          this.heartbeating = false;
          return;
        }
        if (!isRetriable(err)) {
          this.lose(generationId, signal, (err as Error).name, `heartbeat failed: ${(err as Error).message}`);
          return;
        }
        failure = (err as Error).message;
      }
      wait = Math.min(this.heartbeatIntervalMs, backoff.next());
      this.log?.debug({ err: failure, retryInMs: wait }, "heartbeat failed; retrying");
      if (Date.now() - lastSuccess >= this.sessionTimeoutMs) {
        this.lose(generationId, signal, "SESSION_TIMEOUT", `no successful heartbeat for ${this.sessionTimeoutMs} ms (last error: ${failure}): the coordinator has dropped this member`);
        return;
      }
    }
  }

  /** The member is out of its generation: heartbeats stop and the owner is told to rejoin. */
  private lose(generationId: number, signal: AbortSignal, reason: string, message: string): void {
    if (signal !== this.activity.signal) return;
    this.heartbeating = false;
    this._generationId = -1;
    this.report({ reason, generationId, memberLost: true, message });
  }

  private report(event: RebalanceNeeded): void {
    this.log?.info({ reason: event.reason, generationId: event.generationId, memberLost: event.memberLost }, "rebalance needed");
    try {
      this.emit("rebalance-needed", event);
    } catch (err) {
      this.log?.error({ err: (err as Error).message }, "a rebalance-needed listener threw");
    }
  }
}

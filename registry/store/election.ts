// Leader election among registry instances through a classic Kafka group, as Confluent's
// KafkaGroupLeaderElector and SchemaRegistryCoordinator do: every instance joins the group
// `schema.registry.group.id` ("schema-registry") with protocol type "sr" and its identity as
// metadata; the member Kafka makes group leader picks the registry leader (election-protocol.ts)
// and hands every member the same assignment naming it. An instance alone elects itself (if
// eligible). Defaults are Confluent's: session 10 s, heartbeat 3 s, rebalance 300 s.
//
// When a rebalance starts (a member joins, leaves, or is dropped after its session timeout), the
// leader is forgotten until the new election completes (Confluent's onRevoked, unless
// leader.election.sticky), so two instances never both think they lead for long: the old
// leader stops taking writes as soon as it hears of the rebalance. An election that names no
// one (no eligible member) or fails (two members advertising one URL) leaves no leader: reads
// still work, writes cannot.
import { ClientClosedError, GroupMember, KafkaError, type JoinResult, type KafkaClusterClient, type LeaderArgs } from "../../lib/kafka-client/index.ts";
import { createLogger, type Logger } from "../../lib/logger.ts";
import {
  ASSIGNMENT_DUPLICATE_URLS,
  ASSIGNMENT_NO_ERROR,
  SR_PROTOCOL_TYPE,
  SR_SUBPROTOCOL_V0,
  decodeAssignment,
  electLeader,
  encodeAssignment,
  encodeIdentity,
  identityUrl,
  type ElectionAssignment,
} from "./election-protocol.ts";
import type { LeaderElection, RegistryIdentity } from "./log.ts";
import { RegistryStoreError, RegistryStoreTimeoutError } from "./store-errors.ts";

export interface KafkaLeaderElectionOptions {
  /** The cluster (kafkastore.bootstrap.servers and security settings); not closed by the election. */
  readonly client: KafkaClusterClient;
  /** schema.registry.group.id; default "schema-registry". */
  readonly groupId?: string;
  /** kafkagroup.session.timeout.ms; default 10000. */
  readonly sessionTimeoutMs?: number;
  /** kafkagroup.heartbeat.interval.ms; default 3000. */
  readonly heartbeatIntervalMs?: number;
  /** kafkagroup.rebalance.timeout.ms; default 300000. */
  readonly rebalanceTimeoutMs?: number;
  /** kafkastore.init.timeout.ms: how long start() waits for the first election; default 60000. */
  readonly initTimeoutMs?: number;
  /** leader.election.sticky: a leader keeps leading across rebalances while it stays; default false. */
  readonly sticky?: boolean;
  readonly logger?: Logger;
}

const DUPLICATE_URLS_MESSAGE =
  "two or more members of the schema registry group advertise the same URL, so writes could not be forwarded to the leader: give each instance its own routable host name and port " +
  "(host.name, listeners). This often happens in containers, where every instance calls itself localhost.";

export class KafkaLeaderElection implements LeaderElection {
  readonly groupId: string;
  readonly #o: KafkaLeaderElectionOptions;
  readonly #log: Logger;
  readonly #sticky: boolean;
  #member: GroupMember | undefined;
  #identity: RegistryIdentity | undefined;
  #state: "new" | "running" | "closed" = "new";
  #leader: RegistryIdentity | null = null;
  #leaderMemberId: string | null = null;
  #isLeader = false;
  readonly #listeners: ((leader: RegistryIdentity | null) => void)[] = [];
  #rejoinReason: string | null = null;
  #wake: (() => void) | undefined;
  #loop: Promise<void> | undefined;
  #firstElection: { resolve: () => void; reject: (err: Error) => void } | undefined;

  constructor(options: KafkaLeaderElectionOptions) {
    this.#o = options;
    this.groupId = options.groupId ?? "schema-registry";
    this.#sticky = options.sticky ?? false;
    this.#log = (options.logger ?? createLogger({ level: "silent", format: "json" })).child({ component: "registry-election", groupId: this.groupId });
  }

  /** This instance's member id in the group ("" before it joined). */
  get memberId(): string {
    return this.#member?.memberId ?? "";
  }

  /** Joins the group and resolves after the first election (its outcome may be "no leader"). */
  async start(identity: RegistryIdentity): Promise<void> {
    if (this.#state !== "new") throw new Error("the leader election was already started");
    if (!identity.host || !Number.isInteger(identity.port) || identity.port <= 0) throw new Error(`the registry identity needs a host and a port (got ${JSON.stringify(identity)})`);
    this.#state = "running";
    this.#identity = { host: identity.host, port: identity.port, scheme: identity.scheme, leaderEligibility: identity.leaderEligibility };
    const member = new GroupMember(this.#o.client, {
      groupId: this.groupId,
      protocolType: SR_PROTOCOL_TYPE,
      sessionTimeoutMs: this.#o.sessionTimeoutMs ?? 10_000,
      heartbeatIntervalMs: this.#o.heartbeatIntervalMs ?? 3000,
      rebalanceTimeoutMs: this.#o.rebalanceTimeoutMs ?? 300_000,
      logger: this.#log,
    });
    this.#member = member;
    member.on("rebalance-needed", (event) => {
      this.#revoke(event.reason);
      this.#requestRejoin(event.reason);
    });
    const initTimeoutMs = this.#o.initTimeoutMs ?? 60_000;
    const first = new Promise<void>((resolve, reject) => (this.#firstElection = { resolve, reject }));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new RegistryStoreTimeoutError(`timed out after ${initTimeoutMs} ms (kafkastore.init.timeout.ms) waiting to join the schema registry group "${this.groupId}"`)),
        initTimeoutMs,
      );
    });
    this.#rejoinReason = "startup";
    this.#loop = this.#runMembership(member);
    this.#log.info({ url: identityUrl(identity), eligible: identity.leaderEligibility }, "joining the schema registry group");
    try {
      await Promise.race([first, timeout]);
    } catch (err) {
      await this.close();
      throw err;
    } finally {
      clearTimeout(timer);
      this.#firstElection = undefined;
    }
  }

  leader(): RegistryIdentity | null {
    return this.#leader;
  }

  isLeader(): boolean {
    return this.#isLeader && this.#leader !== null;
  }

  /**
   * Called whenever the leader changes: with the new leader after an election, and with null
   * when a rebalance starts (the old leader is no longer known to lead) or an election names
   * no one.
   */
  onLeaderChange(listener: (leader: RegistryIdentity | null) => void): void {
    this.#listeners.push(listener);
  }

  /** Leaves the group (so that the others elect a new leader at once) and stops. */
  async close(): Promise<void> {
    if (this.#state === "closed") return;
    this.#state = "closed";
    this.#wake?.();
    await this.#member?.leave("the schema registry instance is stopping");
    await this.#loop;
    this.#leader = null;
    this.#leaderMemberId = null;
    this.#isLeader = false;
  }

  #requestRejoin(reason: string): void {
    if (this.#state !== "running") return;
    this.#rejoinReason ??= reason;
    this.#wake?.();
  }

  async #runMembership(member: GroupMember): Promise<void> {
    while (this.#state === "running") {
      if (this.#rejoinReason === null) {
        await new Promise<void>((resolve) => (this.#wake = resolve));
        this.#wake = undefined;
        continue;
      }
      const reason = this.#rejoinReason;
      this.#rejoinReason = null;
      let result: JoinResult;
      try {
        const metadata = encodeIdentity({ ...this.#identity!, leader: this.#sticky && this.isLeader() });
        result = await member.join([{ name: SR_SUBPROTOCOL_V0, metadata }], (args) => this.#assign(args), { reason });
      } catch (err) {
        if (this.#state !== "running" || err instanceof ClientClosedError) return;
        const message = `cannot join the schema registry group "${this.groupId}": ${(err as Error).message}`;
        if (this.#firstElection && err instanceof KafkaError && !err.retriable) {
          this.#firstElection.reject(new RegistryStoreError(message, { cause: err }));
          return;
        }
        this.#log.warn({ err: (err as Error).message }, `${message}; retrying`);
        this.#rejoinReason ??= "join failed";
        await new Promise((r) => setTimeout(r, 1000));
        continue;
      }
      if (this.#state !== "running") return;
      this.#onElected(result);
    }
  }

  /** On the member Kafka made group leader: the registry leader, the same for every member. */
  #assign(args: LeaderArgs): Map<string, Buffer> {
    const result = electLeader(args.members, this.#sticky);
    for (const u of result.unreadable) this.#log.warn({ memberId: u.memberId, err: u.reason }, "a member's identity cannot be read; it cannot lead");
    if (result.multipleStickyLeaders) this.#log.warn("several members of the group claim to lead; electing the one with the smallest URL");
    if (result.error === ASSIGNMENT_DUPLICATE_URLS) this.#log.error(DUPLICATE_URLS_MESSAGE);
    this.#log.info(
      { generationId: args.generationId, members: args.members.length, leader: result.leaderIdentity ? identityUrl(result.leaderIdentity) : null, leaderMemberId: result.leaderMemberId, error: result.error },
      "elected the schema registry leader",
    );
    const bytes = encodeAssignment(result);
    return new Map(args.members.map((m) => [m.memberId, bytes]));
  }

  #onElected(result: JoinResult): void {
    let assignment: ElectionAssignment;
    try {
      assignment = decodeAssignment(result.assignment);
    } catch (err) {
      this.#log.error({ err: (err as Error).message, generationId: result.generationId }, "the group leader's assignment cannot be read; no leader until the next rebalance");
      this.#setLeader(null, null, false);
      this.#firstElection?.reject(new RegistryStoreError(`the schema registry group's assignment cannot be read: ${(err as Error).message}`));
      return;
    }
    if (assignment.error !== ASSIGNMENT_NO_ERROR) {
      const message = assignment.error === ASSIGNMENT_DUPLICATE_URLS ? DUPLICATE_URLS_MESSAGE : `the schema registry group's election failed with unknown error ${assignment.error}`;
      this.#log.error({ generationId: result.generationId, error: assignment.error }, message);
      this.#setLeader(null, null, false);
      this.#firstElection?.reject(new RegistryStoreError(message));
      return;
    }
    const leader = assignment.leaderIdentity;
    if (leader === null) {
      this.#log.error(
        { generationId: result.generationId },
        "no leader-eligible schema registry instance is in the group: this instance serves reads, but no writes can be made until an eligible instance joins",
      );
    }
    const me = assignment.leaderMemberId !== null && assignment.leaderMemberId === result.memberId;
    this.#setLeader(leader && { host: leader.host, port: leader.port, scheme: leader.scheme, leaderEligibility: leader.leaderEligibility }, assignment.leaderMemberId, me);
    this.#log.info({ generationId: result.generationId, leader: leader ? identityUrl(leader) : null, isLeader: me }, "schema registry election finished");
    this.#firstElection?.resolve();
  }

  /** A rebalance is starting: unless sticky, nobody is known to lead until it completes. */
  #revoke(reason: string): void {
    this.#log.info({ reason }, "schema registry group rebalance started");
    if (!this.#sticky) this.#setLeader(null, null, false);
  }

  #setLeader(leader: RegistryIdentity | null, memberId: string | null, isLeader: boolean): void {
    const changed = this.#leaderMemberId !== memberId || (this.#leader === null) !== (leader === null) || (leader !== null && this.#leader !== null && identityUrl(leader) !== identityUrl(this.#leader));
    this.#leader = leader;
    this.#leaderMemberId = memberId;
    this.#isLeader = isLeader;
    if (!changed) return;
    for (const listener of this.#listeners) {
      try {
        listener(leader);
      } catch (err) {
        this.#log.error({ err: (err as Error).message }, "a leader-change listener threw");
      }
    }
  }
}

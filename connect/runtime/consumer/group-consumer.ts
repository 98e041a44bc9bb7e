// A consumer in a classic consumer group (protocol type "consumer") for sink tasks, on the
// project's Kafka client: GroupMember for membership, PartitionReader for fetching, and
// OffsetFetch/OffsetCommit sent to the group's coordinator. It behaves as Kafka's Java consumer
// does where Kafka Connect relies on it, and in particular survives a broker going away:
//
// - The group coordinator dying does not cost the member its partitions: heartbeats and commits
//   find the new coordinator (FindCoordinator again), which loads the group with its members, so
//   the member carries on in its generation, as a Java consumer does (kafkajs kept talking to the
//   dead broker, and its consumer finally rejoined as a new member and waited out the old one's
//   session).
// - A partition leader dying: the reader refreshes the metadata and fetches from the new leader.
//
// Like the Java consumer, everything the owner sees happens inside poll(): joining (eager: all
// partitions are revoked before a rejoin, then the new assignment is handed over), the rebalance
// listener's calls, and the resolution of the start positions (the committed offset, else
// auto.offset.reset). Heartbeats run in the background, so a slow put() keeps the membership
// (a rebalance waits for the owner's next poll, up to max.poll.interval.ms, as in Java).
// Subscriptions: a list of topics (created on first use when the broker allows it and
// allow.auto.create.topics is on), or a pattern matched against the cluster's topics at each
// join and every metadata.max.age.ms, which rejoins when the matching set changes. The leader
// also rejoins when a subscribed topic's partition count changes (a new topic appearing
// included), so partitions added later get consumers.
//
// Differences from Java: isolation is read_uncommitted; a fetch position out of range resets
// to the earliest offset (PartitionReader); max.poll.interval.ms is the rebalance timeout but
// the member does not leave by itself when poll() is not called for that long.
import { ErrorCode, KafkaError, errorName } from "../../../broker/protocol/generated/errors.ts";
import { ZERO_UUID } from "../../../broker/protocol/primitives/reader.ts";
import {
  ApiKey,
  ClientClosedError,
  ConnectionError,
  GroupMember,
  isRetriable,
  type ConsumedRecord,
  type KafkaClusterClient,
  type LeaderArgs,
  PartitionReader,
  RequestTimeoutError,
  type TopicPartition,
} from "../../../lib/kafka-client/index.ts";
import type { Logger } from "../../../lib/logger.ts";
import { CONSUMER_PROTOCOL_TYPE, decodeAssignment, decodeSubscription, encodeAssignment, encodeSubscription } from "./consumer-protocol.ts";
import type { AssignorMember, PartitionAssignor } from "./partition-assignors.ts";

export type { ConsumedRecord, TopicPartition };

export interface OffsetToCommit extends TopicPartition {
  readonly offset: bigint;
  readonly metadata?: string;
}

/** Called inside poll(), as Kafka's ConsumerRebalanceListener. */
export interface RebalanceListener {
  /**
   * Before the member rejoins: everything it owns (eager). lost: the member is already out of
   * its generation (session expired, fenced), so offsets can no longer be committed.
   */
  onPartitionsRevoked(partitions: readonly TopicPartition[], lost: boolean): Promise<void>;
  /** After a join, with the start positions known (see position()). Called with [] too. */
  onPartitionsAssigned(partitions: readonly TopicPartition[]): Promise<void>;
}

/** How often a pattern subscription looks for new matching topics (one Metadata request). */
const PATTERN_CHECK_MS = 2_000;

export type Subscription = { readonly topics: readonly string[] } | { readonly pattern: RegExp };

export interface GroupConsumerOptions {
  /** Owned by the consumer: close() closes it. */
  client: KafkaClusterClient;
  groupId: string;
  groupInstanceId?: string | null;
  subscription: Subscription;
  /** In preference order; the coordinator picks the first every member supports. */
  assignors: readonly PartitionAssignor[];
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  /** max.poll.interval.ms, which the Java consumer sends as the rebalance timeout. */
  rebalanceTimeoutMs: number;
  autoOffsetReset: "earliest" | "latest";
  allowAutoTopicCreation: boolean;
  excludeInternalTopics: boolean;
  metadataMaxAgeMs: number;
  fetchMaxBytes: number;
  partitionMaxBytes: number;
  retryBackoffMs: number;
  retryBackoffMaxMs: number;
  rackId?: string | null;
  listener: RebalanceListener;
  logger: Logger;
}

/** A commit the group refused because the member must rejoin first (Kafka's CommitFailedException). */
export class CommitFailedError extends Error {
  override name = "CommitFailedError";
}

interface Owned extends TopicPartition {
  readonly key: string;
  /** The next offset to hand out; null until the reset policy has been applied and a record came. */
  position: bigint | null;
}

const COORDINATOR_CODES: ReadonlySet<number> = new Set([ErrorCode.NOT_COORDINATOR, ErrorCode.COORDINATOR_NOT_AVAILABLE]);
const MEMBER_LOST_CODES: ReadonlySet<number> = new Set([ErrorCode.ILLEGAL_GENERATION, ErrorCode.UNKNOWN_MEMBER_ID, ErrorCode.FENCED_INSTANCE_ID]);

const tpKey = (topic: string, partition: number): string => `${partition}\u0000${topic}`;

function delay(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

/** A lost connection or an unanswered request: the coordinator may have moved; worth another try. */
const isTransport = (e: unknown): boolean => e instanceof ConnectionError || e instanceof RequestTimeoutError;

export class GroupConsumer {
  readonly groupId: string;
  readonly #o: GroupConsumerOptions;
  readonly #client: KafkaClusterClient;
  readonly #member: GroupMember;
  readonly #reader: PartitionReader;
  readonly #log: Logger;
  readonly #owned = new Map<string, Owned>();
  readonly #paused = new Set<string>();
  #readerStale = true;
  /** Why the member must (re)join before the next fetch; null while it is in a generation. */
  #rejoin: { reason: string; lost: boolean } | null = { reason: "first join", lost: false };
  #generation = -1;
  /** The topics this member subscribed with at its last join. */
  #joinedTopics: readonly string[] = [];
  /** As leader: every member's topics and the partition counts the assignment was made with. */
  #leaderView: { topics: readonly string[]; counts: ReadonlyMap<string, number> } | null = null;
  #nextMetadataCheck = 0;
  #nextJoinAt = 0;
  #joinFailures = 0;
  #joining = false;
  #closed = false;
  /** Counts commit() calls: a commit still retrying gives up once a later one has started. */
  #commits = 0;
  /** Aborted by interrupt() and close(): waits inside poll() end. */
  readonly #stop = new AbortController();
  /** Aborted by close(): every wait ends (commits retry with backoff until then). */
  readonly #closing = new AbortController();

  constructor(options: GroupConsumerOptions) {
    this.#o = options;
    this.groupId = options.groupId;
    this.#client = options.client;
    this.#log = options.logger.child({ groupId: options.groupId });
    this.#member = new GroupMember(options.client, {
      groupId: options.groupId,
      protocolType: CONSUMER_PROTOCOL_TYPE,
      sessionTimeoutMs: options.sessionTimeoutMs,
      heartbeatIntervalMs: options.heartbeatIntervalMs,
      rebalanceTimeoutMs: options.rebalanceTimeoutMs,
      groupInstanceId: options.groupInstanceId ?? null,
      retryBackoffMs: options.retryBackoffMs,
      retryBackoffMaxMs: options.retryBackoffMaxMs,
      logger: options.logger,
    });
    this.#member.on("rebalance-needed", (event) => {
      // An event of a generation already left behind says nothing about the current one.
      if (event.generationId !== this.#generation) return;
      this.#requestRejoin(event.message, event.memberLost);
    });
    this.#reader = new PartitionReader(options.client, {
      logger: options.logger,
      partitionMaxBytes: options.partitionMaxBytes,
      retryBackoffMs: options.retryBackoffMs,
      retryBackoffMaxMs: options.retryBackoffMaxMs,
    });
  }

  /** The partitions of the current generation. */
  assignment(): TopicPartition[] {
    return [...this.#owned.values()].map((o) => ({ topic: o.topic, partition: o.partition }));
  }

  /** Whether the member will rejoin (revoking its partitions) at the next poll(). */
  get rebalancePending(): boolean {
    return this.#rejoin !== null;
  }

  /** The committed offset a partition started from, or the next offset to hand out; null while unknown. */
  position(tp: TopicPartition): bigint | null {
    return this.#owned.get(tpKey(tp.topic, tp.partition))?.position ?? null;
  }

  /** Moves an assigned partition: the next poll() hands out records from this offset. */
  seek(tp: TopicPartition, offset: bigint): void {
    const o = this.#owned.get(tpKey(tp.topic, tp.partition));
    if (!o) return;
    o.position = offset;
    if (!this.#readerStale && !this.#paused.has(o.key)) this.#reader.seek(tp, offset);
  }

  /** Stops fetching these partitions (assigned ones) until resume(); the membership is kept. */
  pause(partitions: readonly TopicPartition[]): void {
    for (const p of partitions) {
      const key = tpKey(p.topic, p.partition);
      if (this.#owned.has(key) && !this.#paused.has(key)) {
        this.#paused.add(key);
        this.#readerStale = true;
      }
    }
  }

  resume(partitions: readonly TopicPartition[]): void {
    for (const p of partitions) {
      if (this.#paused.delete(tpKey(p.topic, p.partition))) this.#readerStale = true;
    }
  }

  isPaused(tp: TopicPartition): boolean {
    return this.#paused.has(tpKey(tp.topic, tp.partition));
  }

  /**
   * The next records of the assigned, unpaused partitions (in offset order per partition),
   * waiting up to maxWaitMs when none are ready. Joins first when needed, calling the listener.
   * Retriable trouble (no coordinator, brokers down) is retried at later polls; what retrying
   * cannot fix (authorization, an inconsistent group protocol, the listener throwing) is thrown.
   */
  async poll(maxWaitMs: number): Promise<ConsumedRecord[]> {
    const deadline = Date.now() + Math.max(0, maxWaitMs);
    if (!(await this.maintain())) {
      await delay(Math.min(deadline, this.#nextJoinAt) - Date.now(), this.#stop.signal);
      return [];
    }
    if (this.#stop.signal.aborted) return [];
    this.#syncReader();
    if (this.#reader.assignment().length === 0) {
      await delay(deadline - Date.now(), this.#stop.signal);
      return [];
    }
    let records: ConsumedRecord[];
    try {
      records = await this.#reader.poll({ maxWaitMs: Math.max(0, deadline - Date.now()), maxBytes: this.#o.fetchMaxBytes });
    } catch (e) {
      if (e instanceof KafkaError && e.code === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION && !this.#closed) {
        // An assigned topic went away (deleted): the leader must assign again without it.
        this.#log.warn({ err: e.message }, "an assigned partition no longer exists; rejoining the group");
        this.#requestRejoin(e.message, false);
        this.#nextMetadataCheck = 0;
        return [];
      }
      if (this.#closed || e instanceof ClientClosedError) return [];
      throw e;
    }
    return this.#accept(records);
  }

  /**
   * What poll() does besides fetching: checks the subscription's metadata when due and (re)joins
   * the group when needed, calling the listener. False while the member is not in a generation
   * (a join failed and is retried later). For an owner that still holds fetched records.
   */
  async maintain(): Promise<boolean> {
    if (this.#closed) throw new ClientClosedError("the consumer is closed");
    await this.#checkMetadata();
    if (this.#rejoin === null) return true;
    return Date.now() >= this.#nextJoinAt && (await this.#rejoinGroup());
  }

  /**
   * Commits offsets for the current generation, retrying a moving or loading coordinator until
   * timeoutMs. Throws CommitFailedError when the group wants the member to rejoin first, and
   * when a later commit started while this one waited to retry (it must not land after it).
   */
  async commit(offsets: readonly OffsetToCommit[], timeoutMs: number): Promise<void> {
    if (offsets.length === 0) return;
    const epoch = ++this.#commits;
    const deadline = Date.now() + timeoutMs;
    let wait = this.#o.retryBackoffMs;
    for (;;) {
      if (this.#closed) throw new ClientClosedError("the consumer is closed");
      if (epoch !== this.#commits) throw new CommitFailedError("a later offset commit superseded this one before it could be retried");
      const generation = this.#generation;
      if (generation < 0 || this.#rejoin?.lost) throw new CommitFailedError(`the member is not in a generation of group ${this.groupId}: it rejoins, and the records since the last commit are delivered again`);
      let failure: Error;
      try {
        const code = await this.#commitOnce(offsets, generation, Math.max(1, deadline - Date.now()));
        if (code === ErrorCode.NONE) return;
        const error = new KafkaError(code, `OffsetCommit for group ${this.groupId} failed: ${errorName(code)}`);
        if (code === ErrorCode.REBALANCE_IN_PROGRESS) {
          this.#requestRejoin("the group is rebalancing", false);
          throw new CommitFailedError(error.message, { cause: error });
        }
        if (MEMBER_LOST_CODES.has(code)) {
          this.#requestRejoin(`a commit was refused with ${errorName(code)}`, true);
          throw new CommitFailedError(error.message, { cause: error });
        }
        if (COORDINATOR_CODES.has(code)) this.#client.invalidateCoordinator(this.groupId);
        else if (!error.retriable) throw error;
        failure = error;
      } catch (e) {
        if (!isTransport(e)) throw e;
        failure = e as Error;
      }
      if (Date.now() + wait >= deadline) throw failure;
      this.#log.debug({ err: failure.message, retryInMs: wait }, "offset commit failed; retrying");
      await delay(wait, this.#closing.signal);
      wait = Math.min(wait * 2, this.#o.retryBackoffMaxMs);
    }
  }

  /** The log end offsets (high watermarks) of partitions; for lag. */
  endOffsets(partitions: readonly TopicPartition[]): Promise<Array<TopicPartition & { offset: bigint }>> {
    return this.#reader.endOffsets(partitions);
  }

  /** Abandons a join under way (the owner is stopping): poll() returns at once. */
  interrupt(): void {
    this.#stop.abort();
    if (this.#joining) this.#member.stop();
  }

  /** Leaves the group (a static member only stops heartbeating, as in Java) and closes the client. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#stop.abort();
    this.#closing.abort();
    try {
      if (this.#o.groupInstanceId) this.#member.stop();
      else await this.#member.leave("the consumer is closing");
    } finally {
      await this.#reader.close();
      await this.#client.close();
    }
  }

  #requestRejoin(reason: string, lost: boolean): void {
    if (this.#rejoin === null) {
      this.#log.info({ reason, lost }, "the consumer will rejoin its group");
      this.#rejoin = { reason, lost };
    } else if (lost) this.#rejoin.lost = true;
  }

  /** Records of partitions paused meanwhile are put back (the position goes back to the first). */
  #accept(records: ConsumedRecord[]): ConsumedRecord[] {
    const out: ConsumedRecord[] = [];
    let held: Set<string> | null = null;
    for (const r of records) {
      const key = tpKey(r.topic, r.partition);
      const o = this.#owned.get(key);
      if (!o || held?.has(key)) continue;
      if (this.#paused.has(key)) {
        // Paused while the fetch was out: the position goes back to this record (unless the
        // owner already moved it further back).
        (held ??= new Set()).add(key);
        if (o.position === null || r.offset < o.position) o.position = r.offset;
        continue;
      }
      o.position = r.offset + 1n;
      out.push(r);
    }
    return out;
  }

  /** Points the reader at the unpaused partitions, from their positions (or the reset policy). */
  #syncReader(): void {
    if (!this.#readerStale) return;
    this.#readerStale = false;
    this.#reader.assign(
      [...this.#owned.values()].filter((o) => !this.#paused.has(o.key)).map((o) => ({ topic: o.topic, partition: o.partition, offset: o.position ?? this.#o.autoOffsetReset })),
    );
  }

  /** Revokes everything, joins, fetches the committed offsets and hands the assignment over. False: try again later. */
  async #rejoinGroup(): Promise<boolean> {
    const lost = this.#rejoin?.lost ?? false;
    if (this.#owned.size > 0) {
      const revoked = this.assignment();
      // The listener commits (unless lost) while the member still holds its generation.
      await this.#o.listener.onPartitionsRevoked(revoked, lost);
      this.#owned.clear();
      this.#paused.clear();
      this.#readerStale = true;
      this.#syncReader();
    }
    if (lost) this.#rejoin = { reason: this.#rejoin?.reason ?? "member lost", lost: false };
    this.#generation = -1;
    this.#leaderView = null;
    let result;
    this.#joining = true;
    try {
      const topics = await this.#subscribedTopics();
      const metadata = encodeSubscription({ topics, userData: null, ownedPartitions: [], generationId: -1, rackId: this.#o.rackId ?? null });
      result = await this.#member.join(
        this.#o.assignors.map((a) => ({ name: a.name, metadata })),
        (args) => this.#assign(args),
        { reason: this.#rejoin?.reason ?? "rejoin" },
      );
      this.#joinedTopics = topics;
    } catch (e) {
      if (this.#closed || this.#stop.signal.aborted) return false;
      if (!isRetriable(e)) throw e;
      const wait = Math.min(this.#o.retryBackoffMaxMs, this.#o.retryBackoffMs * 2 ** Math.min(this.#joinFailures++, 10));
      this.#nextJoinAt = Date.now() + wait;
      this.#log.warn({ err: (e as Error).message, retryInMs: wait }, "could not join the consumer group; retrying");
      return false;
    } finally {
      this.#joining = false;
    }
    this.#joinFailures = 0;
    this.#generation = result.generationId;
    this.#rejoin = null;
    if (!result.isLeader) this.#leaderView = null;
    this.#nextMetadataCheck = Date.now() + this.#metadataInterval();
    const assigned = decodeAssignment(result.assignment).partitions.flatMap((t) => t.partitions.map((partition) => ({ topic: t.topic, partition })));
    const committed = await this.#fetchCommitted(assigned);
    // A new rebalance, or the end, came while the offsets were fetched: this assignment is moot.
    if (committed === null) return false;
    for (const p of assigned) {
      const key = tpKey(p.topic, p.partition);
      this.#owned.set(key, { ...p, key, position: committed.get(key) ?? null });
    }
    this.#readerStale = true;
    this.#log.info({ generationId: result.generationId, memberId: result.memberId, leader: result.isLeader, protocol: result.protocol, partitions: assigned.length }, "joined the consumer group");
    await this.#o.listener.onPartitionsAssigned(assigned);
    return true;
  }

  /** The leader's assignment: the chosen assignor over every member's subscription. */
  async #assign(args: LeaderArgs): Promise<Map<string, Buffer>> {
    const assignor = this.#o.assignors.find((a) => a.name === args.protocol);
    if (!assignor) throw new KafkaError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, `the coordinator chose assignor "${args.protocol}", which this consumer does not offer`);
    const members: AssignorMember[] = args.members.map((m) => {
      let topics: readonly string[] = [];
      try {
        topics = decodeSubscription(m.metadata).topics;
      } catch (e) {
        this.#log.warn({ memberId: m.memberId, err: (e as Error).message }, "a member's subscription cannot be read; it gets no partitions");
      }
      return { memberId: m.memberId, groupInstanceId: m.groupInstanceId, topics };
    });
    const topics = [...new Set(members.flatMap((m) => m.topics))].sort();
    const counts = await this.#partitionCounts(topics);
    this.#leaderView = { topics, counts };
    const plan = assignor.assign(members, counts);
    this.#log.debug({ generationId: args.generationId, members: members.length, protocol: args.protocol }, "assigned the group's partitions");
    return new Map(members.map((m) => [m.memberId, encodeAssignment({ partitions: plan.get(m.memberId) ?? [], userData: null })]));
  }

  /**
   * Metadata is checked every metadata.max.age.ms (Kafka's "at least that often"); every
   * retry.backoff.max.ms while a leader waits for a subscribed topic; and a pattern subscription
   * every PATTERN_CHECK_MS at most, so a topic created after the sink started (a CDC source's
   * table that gets its first change) is read within seconds rather than Kafka's 5 minutes.
   */
  #metadataInterval(): number {
    const missing = this.#leaderView !== null && this.#leaderView.topics.some((t) => !this.#leaderView!.counts.has(t));
    if (missing) return Math.max(this.#o.retryBackoffMaxMs, 100);
    return "pattern" in this.#o.subscription ? Math.min(this.#o.metadataMaxAgeMs, PATTERN_CHECK_MS) : this.#o.metadataMaxAgeMs;
  }

  /** Rejoins when a pattern now matches other topics, or (leader) a subscribed topic's partitions changed. */
  async #checkMetadata(): Promise<void> {
    if (this.#rejoin !== null || this.#generation < 0 || Date.now() < this.#nextMetadataCheck) return;
    this.#nextMetadataCheck = Date.now() + this.#metadataInterval();
    try {
      if ("pattern" in this.#o.subscription) {
        const now = await this.#subscribedTopics();
        if (now.join("\u0000") !== [...this.#joinedTopics].join("\u0000")) {
          this.#requestRejoin("the topics matching the subscribed pattern changed", false);
          return;
        }
      }
      const view = this.#leaderView;
      if (view !== null) {
        const counts = await this.#partitionCounts(view.topics);
        const changed = view.topics.some((t) => counts.get(t) !== view.counts.get(t));
        if (changed) this.#requestRejoin("the partitions of a subscribed topic changed", false);
      }
    } catch (e) {
      if (!isRetriable(e)) throw e;
      this.#log.debug({ err: (e as Error).message }, "could not check the subscription's metadata; trying again later");
      this.#nextMetadataCheck = Date.now() + this.#o.retryBackoffMaxMs;
    }
  }

  /** The subscription's topics, sorted: the list, or the topics the pattern matches now. */
  async #subscribedTopics(): Promise<string[]> {
    const sub = this.#o.subscription;
    if ("topics" in sub) return [...new Set(sub.topics)].sort();
    const response = await this.#metadata(null);
    return response.topics
      .filter((t) => t.name !== null && t.errorCode === ErrorCode.NONE && !(t.isInternal && this.#o.excludeInternalTopics) && sub.pattern.test(t.name))
      .map((t) => t.name as string)
      .sort();
  }

  /** The partition count of each topic that exists (asking may create it, as the Java consumer's metadata requests may). */
  async #partitionCounts(topics: readonly string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    if (topics.length === 0) return counts;
    const response = await this.#metadata(topics);
    for (const t of response.topics) {
      if (t.name === null) continue;
      if (t.errorCode === ErrorCode.NONE && t.partitions.length > 0) counts.set(t.name, t.partitions.length);
      else if (t.errorCode === ErrorCode.TOPIC_AUTHORIZATION_FAILED) throw new KafkaError(t.errorCode, `not authorized to read topic "${t.name}"`);
    }
    return counts;
  }

  #metadata(topics: readonly string[] | null) {
    return this.#client.send("any", ApiKey.Metadata, {
      topics: topics === null ? null : topics.map((name) => ({ topicId: ZERO_UUID, name })),
      allowAutoTopicCreation: topics !== null && this.#o.allowAutoTopicCreation,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    });
  }

  /**
   * The group's committed offsets of these partitions (absent: none committed), retrying while
   * the coordinator moves or loads. Null when a rejoin became due or the consumer is stopping.
   */
  async #fetchCommitted(partitions: readonly TopicPartition[]): Promise<Map<string, bigint> | null> {
    const out = new Map<string, bigint>();
    if (partitions.length === 0) return out;
    const byTopic = new Map<string, number[]>();
    for (const p of partitions) {
      let list = byTopic.get(p.topic);
      if (!list) byTopic.set(p.topic, (list = []));
      list.push(p.partition);
    }
    const topics = [...byTopic].map(([name, partitionIndexes]) => ({ name, partitionIndexes }));
    let wait = this.#o.retryBackoffMs;
    for (;;) {
      if (this.#closed || this.#stop.signal.aborted || this.#rejoin !== null) return null;
      let failure: string;
      try {
        const response = await this.#client.send({ coordinator: this.groupId }, ApiKey.OffsetFetch, (version) =>
          version >= 8
            ? { groupId: "", topics: [], groups: [{ groupId: this.groupId, memberId: null, memberEpoch: -1, topics }], requireStable: false }
            : { groupId: this.groupId, topics, groups: [], requireStable: false },
        );
        const group = response.groups[0];
        const groupCode = group ? group.errorCode : response.errorCode;
        const results = group ? group.topics : response.topics;
        let code: number = groupCode;
        if (code === ErrorCode.NONE) {
          for (const t of results) for (const p of t.partitions) if (p.errorCode !== ErrorCode.NONE && p.errorCode !== ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) code = p.errorCode;
        }
        if (code === ErrorCode.NONE) {
          for (const t of results) for (const p of t.partitions) if (p.errorCode === ErrorCode.NONE && p.committedOffset >= 0n) out.set(tpKey(t.name, p.partitionIndex), p.committedOffset);
          return out;
        }
        if (COORDINATOR_CODES.has(code)) this.#client.invalidateCoordinator(this.groupId);
        else if (code !== ErrorCode.UNSTABLE_OFFSET_COMMIT && !new KafkaError(code).retriable) throw new KafkaError(code, `OffsetFetch for group ${this.groupId} failed: ${errorName(code)}`);
        failure = errorName(code);
      } catch (e) {
        if (this.#closed || e instanceof ClientClosedError) return null;
        if (!isTransport(e)) throw e;
        failure = (e as Error).message;
      }
      this.#log.debug({ err: failure, retryInMs: wait }, "could not fetch the committed offsets; retrying");
      await delay(wait, this.#stop.signal);
      wait = Math.min(wait * 2, this.#o.retryBackoffMaxMs);
    }
  }

  /** One OffsetCommit; the first error code of the answer (NONE when all went in). */
  async #commitOnce(offsets: readonly OffsetToCommit[], generation: number, timeoutMs: number): Promise<number> {
    const byTopic = new Map<string, OffsetToCommit[]>();
    for (const o of offsets) {
      let list = byTopic.get(o.topic);
      if (!list) byTopic.set(o.topic, (list = []));
      list.push(o);
    }
    const response = await this.#client.send(
      { coordinator: this.groupId },
      ApiKey.OffsetCommit,
      {
        groupId: this.groupId,
        generationIdOrMemberEpoch: generation,
        memberId: this.#member.memberId,
        groupInstanceId: this.#o.groupInstanceId ?? null,
        retentionTimeMs: -1n,
        topics: [...byTopic].map(([name, list]) => ({
          name,
          partitions: list.map((o) => ({ partitionIndex: o.partition, committedOffset: o.offset, committedLeaderEpoch: -1, commitTimestamp: -1n, committedMetadata: o.metadata ?? "" })),
        })),
      },
      { timeoutMs: Math.min(timeoutMs, this.#client.requestTimeoutMs) },
    );
    for (const t of response.topics) for (const p of t.partitions) if (p.errorCode !== ErrorCode.NONE) return p.errorCode;
    return ErrorCode.NONE;
  }
}

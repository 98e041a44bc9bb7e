// Reads partitions it is told to read (Kafka's consumer.assign()), with no consumer group:
// what Kafka Connect's KafkaBasedLog does with its config/offset/status topics, and what
// MirrorMaker 2's source task does with the partitions it mirrors. Positions live only in
// memory; the owner decides where to start (an offset, "earliest", "latest").
//
// Fetches go to each partition's leader, several partitions per request, on a connection of
// the reader's own (its lane) so long polls hold up nobody else. A fetch may outlive the poll
// that started it: its answer waits for the next poll, as in the Java consumer. Leader moves,
// unknown partitions and lost connections refresh the metadata and retry with backoff; an
// OFFSET_OUT_OF_RANGE position is reset to the earliest offset (logged at warn), which is what
// a log reader wants after retention or compaction removed the records it was at.
// Isolation is read_uncommitted: control batches are skipped, aborted records are returned.
import { ErrorCode, KafkaError, errorName } from "../../broker/protocol/generated/errors.ts";
import type { FetchRequestFetchTopic } from "../../broker/protocol/generated/fetch-request.ts";
import type { FetchResponse } from "../../broker/protocol/generated/fetch-response.ts";
import { ApiKey } from "../../broker/protocol/generated/index.ts";
import { ZERO_UUID } from "../../broker/protocol/primitives/reader.ts";
import type { Logger } from "../logger.ts";
import { Backoff, sleep } from "./backoff.ts";
import type { KafkaClusterClient } from "./cluster.ts";
import { ClientClosedError, isRetriable } from "./errors.ts";
import { hasTopicId, type ClusterMetadata } from "./metadata.ts";
import { decodeRecordBatches, type ConsumedRecord } from "./record-decoder.ts";

export type { ConsumedRecord, RecordHeader } from "./record-decoder.ts";

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** Where to read from: an offset, the log start ("earliest") or the log end ("latest"). */
export type OffsetSpec = bigint | "earliest" | "latest";

export interface PartitionAssignment extends TopicPartition {
  readonly offset: OffsetSpec;
}

export interface TopicPartitionOffset extends TopicPartition {
  readonly offset: bigint;
}

export interface PartitionReaderOptions {
  logger?: Logger;
  /** Byte limit per partition and fetch (Kafka's max.partition.fetch.bytes); default 1 MiB. */
  partitionMaxBytes?: number;
  /**
   * How long a topic or partition may be missing from the metadata before the reader gives up
   * with UNKNOWN_TOPIC_OR_PARTITION (a new topic takes a moment to reach every broker); default 5000.
   */
  topicWaitMs?: number;
  /** Deadline of endOffsets, beginningOffsets and position, retries included; default the client's requestTimeoutMs. */
  offsetsTimeoutMs?: number;
  /** First and largest delay between retries; default 100 and 1000 (Kafka's retry.backoff.ms / retry.backoff.max.ms). */
  retryBackoffMs?: number;
  retryBackoffMaxMs?: number;
}

export interface PollOptions {
  /** How long to wait for records when none are ready (Kafka's fetch.max.wait.ms); default 500. */
  maxWaitMs?: number;
  /** Byte limit of one fetch response (Kafka's fetch.max.bytes); default 50 MiB. */
  maxBytes?: number;
}

type FetchState = { kind: "idle" } | { kind: "fetching" } | { kind: "ready"; epoch: number; fetchOffset: bigint; records: Buffer };

interface PartitionState extends TopicPartition {
  readonly key: string;
  /** The next offset to read; null while a reset to `reset` is pending. */
  position: bigint | null;
  reset: "earliest" | "latest";
  /** Bumped by every seek and reset, so that an answer for an older position is dropped. */
  epoch: number;
  fetch: FetchState;
  /** Date.now() before which the partition is not fetched again (after an error). */
  retryAt: number;
  readonly backoff: Backoff;
  /** Date.now() since when the metadata has said the partition does not exist; 0 if it exists. */
  unknownSince: number;
}

type OffsetResult = { offset: bigint } | { error: Error };

const EARLIEST = -2n;
const LATEST = -1n;
let readerCount = 0;

const tpKey = (topic: string, partition: number): string => `${topic}:${partition}`;

export class PartitionReader {
  private readonly client: KafkaClusterClient;
  private readonly log: Logger | undefined;
  private readonly lane: string;
  private readonly partitionMaxBytes: number;
  private readonly topicWaitMs: number;
  private readonly offsetsTimeoutMs: number;
  private readonly backoffMs: number;
  private readonly backoffMaxMs: number;
  private states = new Map<string, PartitionState>();
  /** Leaders with a fetch in flight (one at a time per leader: they would queue anyway). */
  private readonly busyNodes = new Set<number>();
  private metadataStale = false;
  private nextMetadataAt = 0;
  private readonly metadataBackoff: Backoff;
  private fatal: Error | undefined;
  private wake: (() => void) | undefined;
  private rotation = 0;
  private closed = false;

  constructor(client: KafkaClusterClient, options: PartitionReaderOptions = {}) {
    this.client = client;
    this.lane = `reader-${++readerCount}`;
    this.log = options.logger?.child({ component: "partition-reader", lane: this.lane });
    this.partitionMaxBytes = options.partitionMaxBytes ?? 1024 * 1024;
    this.topicWaitMs = options.topicWaitMs ?? 5000;
    this.offsetsTimeoutMs = options.offsetsTimeoutMs ?? client.requestTimeoutMs;
    this.backoffMs = options.retryBackoffMs ?? 100;
    this.backoffMaxMs = options.retryBackoffMaxMs ?? 1000;
    this.metadataBackoff = new Backoff(this.backoffMs, this.backoffMaxMs);
  }

  /** Replaces the assignment (as Kafka's assign()): reading starts at each partition's offset. */
  assign(partitions: readonly PartitionAssignment[]): void {
    this.ensureOpen();
    const states = new Map<string, PartitionState>();
    for (const p of partitions) {
      validatePartition(p);
      const key = tpKey(p.topic, p.partition);
      if (states.has(key)) throw new Error(`partition ${key} is assigned twice`);
      const state: PartitionState = {
        topic: p.topic,
        partition: p.partition,
        key,
        position: null,
        reset: "earliest",
        epoch: 0,
        fetch: { kind: "idle" },
        retryAt: 0,
        backoff: new Backoff(this.backoffMs, this.backoffMaxMs),
        unknownSince: 0,
      };
      setPosition(state, p.offset);
      states.set(key, state);
    }
    this.states = states;
    this.fatal = undefined;
    this.wake?.();
  }

  assignment(): TopicPartition[] {
    return [...this.states.values()].map((s) => ({ topic: s.topic, partition: s.partition }));
  }

  /** Moves an assigned partition's position; records already fetched for the old one are dropped. */
  seek(tp: TopicPartition, offset: OffsetSpec): void {
    this.ensureOpen();
    const state = this.stateOf(tp);
    setPosition(state, offset);
    if (state.fetch.kind === "ready") state.fetch = { kind: "idle" };
    state.retryAt = 0;
    this.wake?.();
  }

  /** The next offset poll() returns for a partition (resolving a pending "earliest"/"latest"). */
  async position(tp: TopicPartition): Promise<bigint> {
    this.ensureOpen();
    const state = this.stateOf(tp);
    while (state.position === null) {
      const epoch = state.epoch;
      const [resolved] = await this.listOffsets([state], state.reset === "earliest" ? EARLIEST : LATEST);
      if (state.epoch === epoch && state.position === null) {
        state.position = resolved!.offset;
        state.epoch++;
      }
    }
    return state.position;
  }

  /** Each partition's log end offset (high watermark): the offset the next record will get. */
  endOffsets(partitions: readonly TopicPartition[]): Promise<TopicPartitionOffset[]> {
    this.ensureOpen();
    return this.listOffsets(partitions, LATEST);
  }

  /** Each partition's log start offset: the first offset still readable. */
  beginningOffsets(partitions: readonly TopicPartition[]): Promise<TopicPartitionOffset[]> {
    this.ensureOpen();
    return this.listOffsets(partitions, EARLIEST);
  }

  /**
   * The next records of the assigned partitions, in offset order within each partition. Waits
   * up to maxWaitMs when nothing is ready and returns [] if nothing came. Retriable trouble
   * (leader moves, lost brokers) is retried inside; an error that retrying cannot fix (an
   * unknown topic past topicWaitMs, an authorization failure, a corrupt batch) is thrown.
   */
  async poll(options: PollOptions = {}): Promise<ConsumedRecord[]> {
    this.ensureOpen();
    const maxWaitMs = options.maxWaitMs ?? 500;
    const maxBytes = options.maxBytes ?? 50 * 1024 * 1024;
    const deadline = Date.now() + maxWaitMs;
    for (let first = true; ; first = false) {
      if (this.fatal) {
        const err = this.fatal;
        this.fatal = undefined;
        throw err;
      }
      const records = this.drain();
      if (records.length > 0 || this.closed) return records;
      if (!first && Date.now() >= deadline) return [];
      await this.prepare();
      if (this.closed) return [];
      this.startFetches(Math.max(0, deadline - Date.now()), maxBytes);
      await this.waitForWork(deadline);
    }
  }

  /** Stops reading and closes the reader's connections; a poll under way returns []. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.wake?.();
    this.client.closeLane(this.lane);
  }

  private ensureOpen(): void {
    if (this.closed) throw new ClientClosedError("the partition reader is closed");
  }

  private stateOf(tp: TopicPartition): PartitionState {
    const state = this.states.get(tpKey(tp.topic, tp.partition));
    if (!state) throw new Error(`partition ${tpKey(tp.topic, tp.partition)} is not assigned to this reader`);
    return state;
  }

  /** Refreshes metadata when needed, checks the assigned partitions exist, resolves pending resets. */
  private async prepare(): Promise<void> {
    const states = [...this.states.values()];
    if (states.length === 0) return;
    const meta = await this.metadataFor(states);
    this.checkExists(states, meta);
    const now = Date.now();
    const resets = states.filter((s) => s.position === null && s.retryAt <= now && s.unknownSince === 0);
    for (const reset of ["earliest", "latest"] as const) {
      const group = resets.filter((s) => s.reset === reset);
      if (group.length === 0) continue;
      const epochs = group.map((s) => s.epoch);
      const results = await this.listOffsetsOnce(group, reset === "earliest" ? EARLIEST : LATEST, meta);
      group.forEach((s, i) => {
        const r = results.get(s.key);
        if (!r || this.states.get(s.key) !== s || s.epoch !== epochs[i]) return;
        if ("offset" in r) {
          s.position = r.offset;
          s.epoch++;
          s.backoff.reset();
        } else this.retryLater(s, r.error, "resolving the start offset");
      });
    }
  }

  /** The metadata, refreshed (at most once per backoff step) if marked stale or missing a topic. */
  private async metadataFor(states: readonly PartitionState[]): Promise<ClusterMetadata> {
    const current = this.client.cachedMetadata();
    const missing = states.some((s) => current.topics.get(s.topic)?.errorCode !== ErrorCode.NONE || s.unknownSince !== 0);
    if ((!this.metadataStale && !missing) || Date.now() < this.nextMetadataAt) return current;
    const topics = [...new Set(states.map((s) => s.topic))];
    try {
      const meta = await this.client.refreshMetadata(topics);
      this.metadataStale = false;
      this.metadataBackoff.reset();
      this.nextMetadataAt = Date.now() + this.backoffMs;
      return meta;
    } catch (err) {
      if (!isRetriable(err)) throw err;
      this.nextMetadataAt = Date.now() + this.metadataBackoff.next();
      this.log?.warn({ err: (err as Error).message }, "cannot refresh the cluster metadata; retrying");
      return current;
    }
  }

  /**
   * Tracks partitions the metadata says do not exist, and fails once one has been missing for
   * topicWaitMs. A topic that could not be described for another reason (authorization, an
   * invalid name) fails at once.
   */
  private checkExists(states: readonly PartitionState[], meta: ClusterMetadata): void {
    const now = Date.now();
    for (const s of states) {
      const topic = meta.topics.get(s.topic);
      if (!topic) continue; // never described: no metadata yet, nothing to conclude
      let missing = false;
      if (topic.errorCode === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) missing = true;
      else if (topic.errorCode !== ErrorCode.NONE && topic.errorCode !== ErrorCode.LEADER_NOT_AVAILABLE) {
        throw new KafkaError(topic.errorCode, `cannot read topic "${s.topic}": ${errorName(topic.errorCode)}`);
      } else if (topic.errorCode === ErrorCode.NONE && !topic.partitions.has(s.partition)) missing = true;
      if (!missing) {
        s.unknownSince = 0;
        continue;
      }
      if (s.unknownSince === 0) s.unknownSince = now;
      this.metadataStale = true;
      if (now - s.unknownSince >= this.topicWaitMs) throw unknownPartition(s, this.topicWaitMs);
    }
  }

  private startFetches(maxWaitMs: number, maxBytes: number): void {
    const meta = this.client.cachedMetadata();
    const now = Date.now();
    const byLeader = new Map<number, PartitionState[]>();
    for (const s of this.states.values()) {
      if (s.position === null || s.fetch.kind !== "idle" || s.retryAt > now || s.unknownSince !== 0) continue;
      const leader = meta.topics.get(s.topic)?.partitions.get(s.partition)?.leaderId ?? -1;
      if (leader < 0) {
        this.metadataStale = true;
        this.retryLater(s, new KafkaError(ErrorCode.LEADER_NOT_AVAILABLE), "finding the partition leader");
        continue;
      }
      if (this.busyNodes.has(leader)) continue;
      let list = byLeader.get(leader);
      if (!list) byLeader.set(leader, (list = []));
      list.push(s);
    }
    for (const [leader, states] of byLeader) this.fetchFrom(leader, states, meta, maxWaitMs, maxBytes);
  }

  private fetchFrom(leader: number, partitions: PartitionState[], meta: ClusterMetadata, maxWaitMs: number, maxBytes: number): void {
    // Kafka returns the first batch of the first partition whole even above the byte limits
    // (KIP-74), but may cut off a later partition's batch: rotating the order keeps a partition
    // with big batches from starving.
    const shift = this.rotation++ % partitions.length;
    const ordered = [...partitions.slice(shift), ...partitions.slice(0, shift)];
    const sent = ordered.map((s) => ({ state: s, epoch: s.epoch, fetchOffset: s.position! }));
    for (const s of ordered) s.fetch = { kind: "fetching" };
    const topics = [...new Set(ordered.map((s) => s.topic))];
    const ids = new Map(topics.map((t) => [t, meta.topics.get(t)?.topicId ?? ZERO_UUID]));
    const allIds = topics.every((t) => {
      const tm = meta.topics.get(t);
      return tm !== undefined && hasTopicId(tm);
    });
    const byId = new Map(topics.map((t) => [ids.get(t)!, t]));
    let usedVersion = 0;
    const build = (version: number) => {
      usedVersion = version;
      const requestTopics: FetchRequestFetchTopic[] = [];
      // Consecutive partitions of one topic share an entry; a topic may appear twice after
      // rotation, which Kafka accepts (each entry names its partitions).
      for (const p of sent) {
        const last = requestTopics[requestTopics.length - 1];
        const entry = {
          partition: p.state.partition,
          currentLeaderEpoch: -1,
          fetchOffset: p.fetchOffset,
          lastFetchedEpoch: -1,
          logStartOffset: -1n,
          partitionMaxBytes: this.partitionMaxBytes,
          replicaDirectoryId: ZERO_UUID,
        };
        if (last && last.topic === p.state.topic) last.partitions.push(entry);
        else requestTopics.push({ topic: p.state.topic, topicId: ids.get(p.state.topic)!, partitions: [entry] });
      }
      return {
        clusterId: null,
        replicaId: -1,
        replicaState: { replicaId: -1, replicaEpoch: -1n },
        maxWaitMs,
        minBytes: 1,
        maxBytes,
        isolationLevel: 0,
        // No fetch session (KIP-227): epoch -1 asks for a full, sessionless fetch every time.
        sessionId: 0,
        sessionEpoch: -1,
        topics: requestTopics,
        forgottenTopicsData: [],
        rackId: "",
      };
    };
    this.busyNodes.add(leader);
    const finish = (): void => {
      this.busyNodes.delete(leader);
      for (const p of sent) if (p.state.fetch.kind === "fetching") p.state.fetch = { kind: "idle" };
      this.wake?.();
    };
    this.client
      .send(leader, ApiKey.Fetch, build, {
        lane: this.lane,
        // Topic ids replace names in Fetch v13+; without ids (old metadata) stay below.
        maxVersion: allIds ? undefined : 12,
        timeoutMs: this.client.requestTimeoutMs + maxWaitMs,
      })
      .then(
        (response) => {
          try {
            this.onFetchResponse(response, sent, usedVersion >= 13 ? byId : undefined);
          } catch (err) {
            this.fatal = err as Error;
          }
          finish();
        },
        (err: unknown) => {
          if (!this.closed) {
            this.metadataStale = true;
            for (const p of sent) if (this.states.get(p.state.key) === p.state) this.retryLater(p.state, err as Error, `fetching from broker ${leader}`);
            if (!isRetriable(err)) this.fatal = err as Error;
          }
          finish();
        },
      );
  }

  private onFetchResponse(response: FetchResponse, sent: { state: PartitionState; epoch: number; fetchOffset: bigint }[], topicById: Map<string, string> | undefined): void {
    const byKey = new Map(sent.map((p) => [p.state.key, p]));
    if (response.errorCode !== ErrorCode.NONE) {
      const err = new KafkaError(response.errorCode, `fetch failed: ${errorName(response.errorCode)}`);
      for (const p of sent) this.retryLater(p.state, err, "fetching");
      if (!err.retriable) this.fatal = err;
      return;
    }
    for (const t of response.responses) {
      const topic = topicById ? topicById.get(t.topicId) : t.topic;
      if (topic === undefined) continue;
      for (const pd of t.partitions) {
        const p = byKey.get(tpKey(topic, pd.partitionIndex));
        if (!p) continue;
        const s = p.state;
        // Assignment replaced, or a seek since the request: the answer is for a position no longer wanted.
        if (this.states.get(s.key) !== s || s.epoch !== p.epoch) continue;
        if (pd.errorCode === ErrorCode.NONE) {
          s.backoff.reset();
          if (pd.records && pd.records.length > 0) s.fetch = { kind: "ready", epoch: p.epoch, fetchOffset: p.fetchOffset, records: pd.records };
          continue;
        }
        if (pd.errorCode === ErrorCode.OFFSET_OUT_OF_RANGE) {
          this.log?.warn({ topic, partition: s.partition, offset: String(p.fetchOffset) }, "fetch offset out of range; resetting to the earliest offset");
          setPosition(s, "earliest");
          continue;
        }
        const err = new KafkaError(pd.errorCode, `fetching ${s.key} failed: ${errorName(pd.errorCode)}`);
        if (!err.retriable) {
          this.fatal = err;
          continue;
        }
        this.metadataStale = true;
        this.retryLater(s, err, "fetching");
      }
    }
  }

  /**
   * Decodes the records of every fetched partition whose position has not moved since. A
   * partition whose data is corrupt keeps its position and the error is thrown by the next
   * poll, so the other partitions' records are not lost with it.
   */
  private drain(): ConsumedRecord[] {
    const out: ConsumedRecord[] = [];
    for (const s of this.states.values()) {
      const f = s.fetch;
      if (f.kind !== "ready") continue;
      s.fetch = { kind: "idle" };
      if (f.epoch !== s.epoch || f.fetchOffset !== s.position) continue;
      const before = out.length;
      try {
        s.position = decodeRecordBatches(f.records, f.fetchOffset, s.topic, s.partition, out);
      } catch (err) {
        out.length = before;
        this.fatal ??= err as Error;
      }
    }
    return out;
  }

  private retryLater(s: PartitionState, err: Error, what: string): void {
    const delay = s.backoff.next();
    s.retryAt = Date.now() + delay;
    this.log?.[isRetriable(err) ? "debug" : "warn"]({ topic: s.topic, partition: s.partition, err: err.message, retryInMs: delay }, `${what} failed`);
  }

  /** Waits until a fetch completes, a retry falls due, the deadline passes, or close(). */
  private waitForWork(deadline: number): Promise<void> {
    const now = Date.now();
    let until = deadline;
    for (const s of this.states.values()) if (s.fetch.kind === "idle" && s.retryAt > now) until = Math.min(until, s.retryAt);
    if (this.metadataStale) until = Math.min(until, Math.max(this.nextMetadataAt, now + 1));
    if ([...this.states.values()].some((s) => s.fetch.kind === "ready") || until <= now) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        if (this.wake === done) this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, until - now);
      this.wake = done;
    });
  }

  /** ListOffsets until every partition has an answer, retrying retriable errors until offsetsTimeoutMs. */
  private async listOffsets(partitions: readonly TopicPartition[], timestamp: bigint): Promise<TopicPartitionOffset[]> {
    for (const p of partitions) validatePartition(p);
    const deadline = Date.now() + this.offsetsTimeoutMs;
    const backoff = new Backoff(this.backoffMs, this.backoffMaxMs);
    const found = new Map<string, bigint>();
    const unknownSince = new Map<string, number>();
    let lastError: Error | undefined;
    // A failed metadata refresh explains the other failures (no leader known...): it is the
    // error worth reporting while it lasts.
    let metadataError: Error | undefined;
    const refresh = (topics: readonly string[], force: boolean): Promise<ClusterMetadata> =>
      (force ? this.client.refreshMetadata(topics) : this.client.metadata(topics)).then(
        (m) => {
          metadataError = undefined;
          return m;
        },
        (err: unknown) => {
          if (!isRetriable(err)) throw err;
          metadataError = err as Error;
          return this.client.cachedMetadata();
        },
      );
    let meta = await refresh([...new Set(partitions.map((p) => p.topic))], false);
    for (;;) {
      this.ensureOpen();
      const todo = partitions.filter((p) => !found.has(tpKey(p.topic, p.partition)));
      const now = Date.now();
      const asking: TopicPartition[] = [];
      for (const p of todo) {
        const key = tpKey(p.topic, p.partition);
        const topic = meta.topics.get(p.topic);
        const exists = topic !== undefined && topic.errorCode !== ErrorCode.UNKNOWN_TOPIC_OR_PARTITION && (topic.errorCode !== ErrorCode.NONE || topic.partitions.has(p.partition));
        if (topic && !exists) {
          const since = unknownSince.get(key) ?? now;
          unknownSince.set(key, since);
          if (now - since >= this.topicWaitMs) throw unknownPartition(p, this.topicWaitMs);
          lastError = new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `${key} is not in the metadata`);
          continue;
        }
        if (topic && topic.errorCode !== ErrorCode.NONE && topic.errorCode !== ErrorCode.LEADER_NOT_AVAILABLE) {
          throw new KafkaError(topic.errorCode, `cannot read topic "${p.topic}": ${errorName(topic.errorCode)}`);
        }
        unknownSince.delete(key);
        asking.push(p);
      }
      if (asking.length > 0) {
        const results = await this.listOffsetsOnce(asking, timestamp, meta);
        for (const p of asking) {
          const key = tpKey(p.topic, p.partition);
          const r = results.get(key);
          if (r && "offset" in r) found.set(key, r.offset);
          else if (r) {
            if (!isRetriable(r.error)) throw r.error;
            lastError = r.error;
          }
        }
      }
      if (found.size === new Set(partitions.map((p) => tpKey(p.topic, p.partition))).size) {
        return partitions.map((p) => ({ topic: p.topic, partition: p.partition, offset: found.get(tpKey(p.topic, p.partition))! }));
      }
      const wait = backoff.next();
      if (Date.now() + wait >= deadline) {
        const what = timestamp === LATEST ? "end offsets" : "beginning offsets";
        const cause = metadataError ?? lastError;
        throw new KafkaError(ErrorCode.REQUEST_TIMED_OUT, `cannot get the ${what} within ${this.offsetsTimeoutMs} ms: ${cause?.message ?? "no answer"}`, { cause });
      }
      await sleep(wait);
      meta = await refresh([...new Set(todo.map((p) => p.topic))], true);
    }
  }

  /** One ListOffsets per leader, in parallel; every partition gets an offset or an error. */
  private async listOffsetsOnce(partitions: readonly TopicPartition[], timestamp: bigint, meta: ClusterMetadata): Promise<Map<string, OffsetResult>> {
    const results = new Map<string, OffsetResult>();
    const byLeader = new Map<number, TopicPartition[]>();
    for (const p of partitions) {
      const leader = meta.topics.get(p.topic)?.partitions.get(p.partition)?.leaderId ?? -1;
      if (leader < 0) {
        results.set(tpKey(p.topic, p.partition), { error: new KafkaError(ErrorCode.LEADER_NOT_AVAILABLE, `${tpKey(p.topic, p.partition)} has no known leader`) });
        continue;
      }
      let list = byLeader.get(leader);
      if (!list) byLeader.set(leader, (list = []));
      list.push(p);
    }
    await Promise.all(
      [...byLeader].map(async ([leader, list]) => {
        const topics = new Map<string, number[]>();
        for (const p of list) {
          let parts = topics.get(p.topic);
          if (!parts) topics.set(p.topic, (parts = []));
          parts.push(p.partition);
        }
        try {
          const response = await this.client.send(leader, ApiKey.ListOffsets, {
            replicaId: -1,
            isolationLevel: 0,
            topics: [...topics].map(([name, parts]) => ({ name, partitions: parts.map((partitionIndex) => ({ partitionIndex, currentLeaderEpoch: -1, timestamp, maxNumOffsets: 1 })) })),
            timeoutMs: this.client.requestTimeoutMs,
          });
          for (const t of response.topics) {
            for (const p of t.partitions) {
              const key = tpKey(t.name, p.partitionIndex);
              if (p.errorCode !== ErrorCode.NONE) {
                results.set(key, { error: new KafkaError(p.errorCode, `ListOffsets for ${key} failed: ${errorName(p.errorCode)}`) });
              } else {
                results.set(key, { offset: p.oldStyleOffsets.length > 0 && p.offset < 0n ? p.oldStyleOffsets[0]! : p.offset });
              }
            }
          }
        } catch (err) {
          for (const p of list) results.set(tpKey(p.topic, p.partition), { error: err as Error });
        }
      }),
    );
    for (const p of partitions) {
      const key = tpKey(p.topic, p.partition);
      if (!results.has(key)) results.set(key, { error: new KafkaError(ErrorCode.UNKNOWN_SERVER_ERROR, `ListOffsets answer has no entry for ${key}`) });
      const r = results.get(key)!;
      if ("error" in r && isRetriable(r.error)) this.metadataStale = true;
    }
    return results;
  }
}

function validatePartition(p: TopicPartition): void {
  if (typeof p.topic !== "string" || p.topic === "") throw new Error("a partition needs a topic name");
  if (!Number.isInteger(p.partition) || p.partition < 0) throw new Error(`partition ${String(p.partition)} of ${p.topic} is not a partition number`);
}

function setPosition(state: PartitionState, offset: OffsetSpec): void {
  if (typeof offset === "bigint") {
    if (offset < 0n) throw new Error(`offset ${offset} for ${state.key} is negative`);
    state.position = offset;
  } else if (offset === "earliest" || offset === "latest") {
    state.position = null;
    state.reset = offset;
  } else {
    throw new Error(`offset for ${state.key} must be a bigint, "earliest" or "latest"`);
  }
  state.epoch++;
}

function unknownPartition(p: TopicPartition, waitedMs: number): KafkaError {
  return new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `topic "${p.topic}" partition ${p.partition} does not exist (not in the cluster metadata for ${waitedMs} ms)`);
}

// The entry point of the client: a set of broker connections, the cluster metadata, group
// coordinator lookup, and `send`, which routes a request to a broker and speaks the highest
// version of its API that both sides support. Connections are opened on first use and again
// after they drop; a request that fails is not retried here (except that "any" moves on to
// the next broker when one cannot be reached): retry policy belongs to the callers, which
// know what is safe to repeat (see partition-reader.ts and group-member.ts).
import type { ConnectionOptions as TlsOptions } from "node:tls";
import { ErrorCode, KafkaError, errorName } from "../../broker/protocol/generated/errors.ts";
import { ApiKey } from "../../broker/protocol/generated/index.ts";
import { ZERO_UUID } from "../../broker/protocol/primitives/reader.ts";
import { createLogger, type Logger } from "../logger.ts";
import { BrokerConnection, type ApiKeyNumber, type RequestOf, type ResponseOf } from "./connection.ts";
import { ClientClosedError, ConnectionError, RequestTimeoutError } from "./errors.ts";
import { EMPTY_METADATA, mergeMetadata, type BrokerNode, type ClusterMetadata } from "./metadata.ts";
import type { SaslOptions } from "./sasl.ts";

export interface KafkaClusterClientOptions {
  /** "host:port" of one or more brokers (an IPv6 host goes in brackets: "[::1]:9092"). */
  bootstrapServers: readonly string[];
  /** Sent with every request; brokers log it and apply quotas by it. */
  clientId: string;
  logger?: Logger;
  /** Default deadline of a request (Kafka's request.timeout.ms); default 30000. */
  requestTimeoutMs?: number;
  /** Deadline to open a connection and finish the TLS, ApiVersions and SASL handshakes; default 10000. */
  connectTimeoutMs?: number;
  /**
   * Connect to every broker with TLS and these node:tls options (Kafka's SSL and SASL_SSL):
   * `ca` to trust a private CA, `cert`/`key` for a client certificate, `checkServerIdentity`...
   * SNI names the broker's host unless it is an IP address.
   */
  tls?: TlsOptions;
  /** Authenticate every connection with SASL (Kafka's SASL_PLAINTEXT and, with `tls`, SASL_SSL). */
  sasl?: SaslOptions;
}

/**
 * Where a request goes: a broker by node id, whichever broker answers ("any": connected ones
 * first, then the others, then the bootstrap list), or the coordinator of a consumer group.
 */
export type RequestTarget = number | "any" | { readonly coordinator: string };

export interface SendOptions {
  /** Deadline of this request; default requestTimeoutMs. */
  timeoutMs?: number;
  /**
   * Requests on one lane to one broker share a TCP connection, and Kafka serves the requests
   * of a connection one at a time. Anything that waits on the broker (a fetch long poll, a
   * JoinGroup) therefore gets a lane of its own so it holds nothing else up. Default "default".
   */
  lane?: string;
  /** Use at most this version (when a caller relies on a field later versions dropped). */
  maxVersion?: number;
}

/** A request body, or a function building it for the version the connection chose. */
export type RequestBody<K extends ApiKeyNumber> = RequestOf<K> | ((version: number) => RequestOf<K>);

interface PoolEntry {
  readonly promise: Promise<BrokerConnection>;
  conn?: BrokerConnection;
}

interface Address {
  readonly host: string;
  readonly port: number;
}

export function parseAddress(server: string): Address {
  const colon = server.lastIndexOf(":");
  const port = Number(server.slice(colon + 1));
  let host = server.slice(0, colon).trim();
  if (host.startsWith("[") && host.endsWith("]")) host = host.slice(1, -1);
  if (colon <= 0 || host === "" || !Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new Error(`bootstrap server "${server}" is not host:port`);
  }
  return { host, port };
}

const addressKey = (a: Address): string => `${a.host}:${a.port}`;

export class KafkaClusterClient {
  readonly clientId: string;
  readonly requestTimeoutMs: number;
  readonly connectTimeoutMs: number;
  private readonly log: Logger;
  private readonly tls: TlsOptions | undefined;
  private readonly sasl: SaslOptions | undefined;
  private readonly bootstrap: readonly Address[];
  private readonly pool = new Map<string, PoolEntry>();
  /** Date.now() of the last failed connection attempt per broker address. */
  private readonly lastFailure = new Map<string, number>();
  private readonly coordinators = new Map<string, Promise<BrokerNode>>();
  private meta: ClusterMetadata = EMPTY_METADATA;
  private queuedRefresh: { topics: Set<string>; promise: Promise<ClusterMetadata> } | undefined;
  private runningRefresh: Promise<unknown> = Promise.resolve();
  private anyCursor = 0;
  private closed = false;

  constructor(options: KafkaClusterClientOptions) {
    if (options.bootstrapServers.length === 0) throw new Error("bootstrapServers is empty: name at least one broker as host:port");
    this.bootstrap = options.bootstrapServers.map(parseAddress);
    this.clientId = options.clientId;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    this.tls = options.tls;
    this.sasl = options.sasl;
    this.log = (options.logger ?? createLogger({ level: "silent", format: "json" })).child({ component: "kafka-client", clientId: options.clientId });
  }

  /** Sends one request and resolves with the response body (whatever its error codes say). */
  async send<K extends ApiKeyNumber>(target: RequestTarget, apiKey: K, body: RequestBody<K>, options: SendOptions = {}): Promise<ResponseOf<K>> {
    if (this.closed) throw new ClientClosedError("the Kafka client is closed");
    if (target === "any") return this.sendToAny(apiKey, body, options);
    if (typeof target === "number") return this.sendTo(await this.node(target), apiKey, body, options);
    const coordinator = await this.findCoordinator(target.coordinator);
    try {
      return await this.sendTo(coordinator, apiKey, body, options);
    } catch (err) {
      // The coordinator may have moved with the broker: look it up again next time.
      if (err instanceof ConnectionError || err instanceof RequestTimeoutError) this.invalidateCoordinator(target.coordinator);
      throw err;
    }
  }

  /**
   * The version `send` would use for an API on the target's connection (opening it if needed):
   * how a caller learns whether a broker has a feature that arrived with some version.
   */
  async apiVersion(target: RequestTarget, apiKey: ApiKeyNumber, options: Pick<SendOptions, "lane" | "maxVersion"> = {}): Promise<number> {
    const address = target === "any" ? this.anyCandidates(options.lane ?? "default")[0]! : typeof target === "number" ? await this.node(target) : await this.findCoordinator(target.coordinator);
    return (await this.connection(address, options.lane ?? "default")).version(apiKey, options.maxVersion);
  }

  /** The metadata snapshot as last refreshed (no request). */
  cachedMetadata(): ClusterMetadata {
    return this.meta;
  }

  /**
   * The cluster metadata, from the cache when it already describes every topic asked for
   * without a topic-level error, else after a refresh for them. Topics are never created
   * by asking (allowAutoTopicCreation is false).
   */
  async metadata(topics: readonly string[] = []): Promise<ClusterMetadata> {
    const m = this.meta;
    const cached = m.updatedAt > 0 && topics.every((t) => m.topics.get(t)?.errorCode === ErrorCode.NONE);
    return cached ? m : this.refreshMetadata(topics);
  }

  /**
   * Asks a broker for fresh metadata about `topics` (default: every topic in the cache) and
   * merges it into the cache. Calls made while a refresh is running share the next one.
   */
  refreshMetadata(topics?: readonly string[]): Promise<ClusterMetadata> {
    if (this.closed) return Promise.reject(new ClientClosedError("the Kafka client is closed"));
    const wanted = topics ?? [...this.meta.topics.keys()];
    let queued = this.queuedRefresh;
    if (!queued) {
      const set = new Set<string>();
      const entry: { topics: Set<string>; promise: Promise<ClusterMetadata> } = {
        topics: set,
        promise: this.runningRefresh
          .catch(() => undefined)
          .then(() => {
            if (this.queuedRefresh === entry) this.queuedRefresh = undefined;
            return this.fetchMetadata([...set]);
          }),
      };
      queued = entry;
      this.queuedRefresh = entry;
      this.runningRefresh = entry.promise;
    }
    for (const t of wanted) queued.topics.add(t);
    return queued.promise;
  }

  async clusterId(): Promise<string | null> {
    return (await this.metadata()).clusterId;
  }

  /** The coordinator of a consumer group (cached until invalidateCoordinator). */
  findCoordinator(groupId: string): Promise<BrokerNode> {
    let p = this.coordinators.get(groupId);
    if (!p) {
      const lookup = this.lookupCoordinator(groupId);
      p = lookup;
      this.coordinators.set(groupId, lookup);
      lookup.catch(() => {
        if (this.coordinators.get(groupId) === lookup) this.coordinators.delete(groupId);
      });
    }
    return p;
  }

  /** Forgets a group's coordinator (after NOT_COORDINATOR or a lost connection). */
  invalidateCoordinator(groupId: string): void {
    this.coordinators.delete(groupId);
  }

  /** Closes the connections of one lane (a reader or group member that is done). */
  closeLane(lane: string): void {
    const suffix = `#${lane}`;
    for (const [key, entry] of this.pool) {
      if (!key.endsWith(suffix)) continue;
      this.pool.delete(key);
      entry.promise.then((c) => c.close(), () => undefined);
    }
  }

  /** Closes every connection; requests in flight reject with ClientClosedError. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const entries = [...this.pool.values()];
    this.pool.clear();
    this.coordinators.clear();
    await Promise.all(entries.map((e) => e.promise.then((c) => c.close(), () => undefined)));
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private async sendTo<K extends ApiKeyNumber>(address: Address, apiKey: K, body: RequestBody<K>, options: SendOptions): Promise<ResponseOf<K>> {
    const conn = await this.connection(address, options.lane ?? "default");
    const version = conn.version(apiKey, options.maxVersion);
    const request = typeof body === "function" ? (body as (v: number) => RequestOf<K>)(version) : body;
    return conn.request(apiKey, version, request, options.timeoutMs ?? this.requestTimeoutMs);
  }

  private async sendToAny<K extends ApiKeyNumber>(apiKey: K, body: RequestBody<K>, options: SendOptions): Promise<ResponseOf<K>> {
    const failures: string[] = [];
    for (const address of this.anyCandidates(options.lane ?? "default")) {
      try {
        return await this.sendTo(address, apiKey, body, options);
      } catch (err) {
        // Only an unreachable broker sends us on to the next: anything else (a timeout, an
        // error answer) is the caller's to judge.
        if (!(err instanceof ConnectionError) || this.closed) throw err;
        failures.push(err.message);
      }
    }
    throw new ConnectionError(this.bootstrap.map(addressKey).join(","), `no Kafka broker reachable: ${failures.join("; ")}`);
  }

  /**
   * Brokers to try for "any": those with an open connection on the lane first, then the
   * others from the metadata, least recently failed first, then the bootstrap servers not
   * among them (so a client whose known brokers all went away starts over from bootstrap).
   */
  private anyCandidates(lane: string): Address[] {
    const seen = new Set<string>();
    const list: Address[] = [];
    for (const a of [...this.meta.brokers.values(), ...this.bootstrap]) {
      const key = addressKey(a);
      if (seen.has(key)) continue;
      seen.add(key);
      list.push({ host: a.host, port: a.port });
    }
    const start = this.anyCursor++ % list.length;
    const rotated = [...list.slice(start), ...list.slice(0, start)];
    const score = (a: Address): number => {
      const key = addressKey(a);
      if (this.pool.get(`${key}#${lane}`)?.conn?.isOpen) return -1;
      return this.lastFailure.get(key) ?? 0;
    };
    return rotated.map((a, i) => ({ a, i, s: score(a) })).sort((x, y) => x.s - y.s || x.i - y.i).map((x) => x.a);
  }

  private connection(address: Address, lane: string): Promise<BrokerConnection> {
    if (this.closed) return Promise.reject(new ClientClosedError("the Kafka client is closed"));
    const addr = addressKey(address);
    const key = `${addr}#${lane}`;
    const existing = this.pool.get(key);
    if (existing && (existing.conn === undefined || existing.conn.isOpen)) return existing.promise;
    const entry: PoolEntry = {
      promise: BrokerConnection.open({
        host: address.host,
        port: address.port,
        clientId: this.clientId,
        connectTimeoutMs: this.connectTimeoutMs,
        logger: this.log,
        ...(this.tls ? { tls: this.tls } : {}),
        ...(this.sasl ? { sasl: this.sasl } : {}),
      }),
    };
    this.pool.set(key, entry);
    entry.promise.then(
      (conn) => {
        entry.conn = conn;
        this.lastFailure.delete(addr);
        if (this.closed || this.pool.get(key) !== entry) conn.close();
        conn.onClose(() => {
          if (this.pool.get(key) === entry) this.pool.delete(key);
        });
      },
      () => {
        if (this.pool.get(key) === entry) this.pool.delete(key);
        this.lastFailure.set(addr, Date.now());
      },
    );
    return entry.promise;
  }

  private async node(nodeId: number): Promise<BrokerNode> {
    let node = this.meta.brokers.get(nodeId);
    if (!node) {
      await this.refreshMetadata([]);
      node = this.meta.brokers.get(nodeId);
    }
    if (!node) throw new ConnectionError(`node ${nodeId}`, `broker node ${nodeId} is not in the cluster metadata`);
    return node;
  }

  private async fetchMetadata(topics: readonly string[]): Promise<ClusterMetadata> {
    const response = await this.send("any", ApiKey.Metadata, {
      topics: topics.map((name) => ({ topicId: ZERO_UUID, name })),
      allowAutoTopicCreation: false,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    });
    this.meta = mergeMetadata(this.meta, response, Date.now());
    return this.meta;
  }

  private async lookupCoordinator(groupId: string): Promise<BrokerNode> {
    let version = 0;
    const response = await this.send("any", ApiKey.FindCoordinator, (v) => {
      version = v;
      // v4 (KIP-699) batches keys; before it, one key per request.
      return v >= 4 ? { key: "", keyType: 0, coordinatorKeys: [groupId] } : { key: groupId, keyType: 0, coordinatorKeys: [] };
    });
    const c = version >= 4 ? response.coordinators.find((x) => x.key === groupId) : { ...response, key: groupId };
    if (!c) throw new KafkaError(ErrorCode.COORDINATOR_NOT_AVAILABLE, `FindCoordinator for group ${groupId}: the answer names no coordinator`);
    if (c.errorCode !== ErrorCode.NONE) {
      throw new KafkaError(c.errorCode, `FindCoordinator for group ${groupId} failed: ${errorName(c.errorCode)}${c.errorMessage ? ` (${c.errorMessage})` : ""}`);
    }
    return { nodeId: c.nodeId, host: c.host, port: c.port, rack: null };
  }
}

// The distributed herder (Kafka's DistributedHerder): workers with the same group.id form one
// Kafka group of protocol type "connect" and share the connectors and tasks configured in the
// config topic. See README.md in this folder for the design; in short:
//   - membership: GroupMember joins with the worker's URL, its config topic offset and what it
//     runs; the leader computes the assignment (incremental cooperative, KIP-415, or eager when
//     the group speaks only "default") and every member stops what it loses and starts what it
//     gains. A member that had something revoked rejoins at once; one told to wait (a departed
//     worker's work being held) rejoins after the delay.
//   - configs: only the leader writes the config topic. A follower answers config changes with
//     NotLeaderError (the REST layer forwards to the leader's URL); a follower running a
//     connector sends the connector's task configs to the leader (internal request, signed with
//     the session key under the "sessioned" protocol, KIP-507).
//   - every worker reads the config topic and reacts: restarts its connectors whose config
//     changed, applies target states (pause/resume/stop), restarts tasks whose configs were
//     rewritten, runs restart requests (KIP-745), and rejoins when connectors or tasks were
//     added or removed so the leader reassigns.
//   - statuses go to the status topic with the worker's id and the group generation.
// All changes run on one queue, one at a time (Kafka's herder thread); reads answer from the
// local snapshot of the config topic and the status store.
import { randomBytes } from "node:crypto";
import { AlreadyExistsException, ConnectException, NotFoundException } from "../../api/index.ts";
import { type GroupMemberMetadata, GroupMember, type JoinResult, type KafkaClusterClient, type LeaderArgs, type RebalanceNeeded } from "../../../lib/kafka-client/index.ts";
import type { Logger } from "../../../lib/logger.ts";
import type { SessionKey } from "../../storage/kafka/config-records.ts";
import type { ConfigBackingStore, ConfigUpdateListener, OffsetBackingStore, StatusBackingStore } from "../../storage/types.ts";
import type { PluginRegistry } from "../plugins/registry.ts";
import type { WorkerConfig } from "../worker-config.ts";
import type { Worker } from "../worker-contract.ts";
import { AbstractHerder, patchedConfig, sameConfig, type StatusStamp, taskName, type WorkerHooks } from "./abstract-herder.ts";
import { assertValidConnectorConfig } from "./config-validation.ts";
import type { SinkOffsetsAdmin } from "./connector-offsets.ts";
import {
  type ConnectAssignment,
  CONFIG_MISMATCH,
  CONNECT_PROTOCOL_TYPE,
  type ConnectProtocolMode,
  type ConnectSubProtocol,
  decodeAssignment,
  decodeWorkerMetadata,
  encodeAssignment,
  joinGroupProtocols,
  SUB_PROTOCOL_VERSION,
  type WorkerMetadata,
} from "./distributed/connect-protocol.ts";
import { compareTasks, WorkSet } from "./distributed/connectors-and-tasks.ts";
import { configMismatchAssignments, eagerAssign, IncrementalCooperativeAssignor } from "./distributed/incremental-cooperative-assignor.ts";
import { HttpLeaderClient, type LeaderClient, type RequestSignature, verifySignature } from "./distributed/internal-requests.ts";
import type { ConnectorId, ConnectorInfo, ConnectorState, ConnectorStateInfo } from "./entities.ts";
import { NotAssignedError, NotLeaderError, RebalanceNeededError } from "./errors.ts";
import type { PutConfigResult, RestartRequest, TargetState } from "./herder.ts";
import { connectorVersionOf } from "./plugin-info.ts";

/** The config store a distributed herder needs: Kafka's, with the session key and applied configs. */
export interface DistributedConfigStore extends ConfigBackingStore {
  sessionKey(): SessionKey | null;
  putSessionKey(key: SessionKey): Promise<void>;
  appliedConnectorConfig(connector: string): Record<string, string> | undefined;
  setUpdateListener(listener: ConfigUpdateListener & { onSessionKeyUpdate?(key: SessionKey): void }): void;
}

export interface DistributedHerderOptions {
  readonly registry: PluginRegistry;
  /** A distributed worker config (group.id, the storage topics, the group timeouts ...). */
  readonly workerConfig: WorkerConfig;
  /** Builds the worker with the herder's hooks; the worker owns (starts, stops) the offset store. */
  readonly createWorker: (hooks: WorkerHooks) => Worker;
  readonly configStore: DistributedConfigStore;
  readonly statusStore: StatusBackingStore;
  /** The source offsets (offset.storage.topic), for the offsets REST endpoints. */
  readonly offsetStore: OffsetBackingStore;
  /** The hub's Kafka client, for the group membership. */
  readonly client: KafkaClusterClient;
  /** This worker's REST URL as other workers reach it (Kafka's advertised URL, e.g. http://host:8083/). */
  readonly restUrl: string;
  readonly kafkaClusterId: string;
  readonly sinkAdmin?: SinkOffsetsAdmin | null;
  /** How followers send task configs to the leader (default: HTTP, Kafka's internal endpoint). */
  readonly leaderClient?: LeaderClient;
  readonly log: Logger;
  /** How long /health waits for the herder to answer (Kafka: 10 s). */
  readonly healthTimeoutMs?: number;
}

/** Kafka's inter.worker.key.ttl.ms default: the leader rotates the session key hourly. */
const DEFAULT_KEY_TTL_MS = 3_600_000;
const RECONFIGURE_BACKOFF_MS = 250;
const RECONFIGURE_BACKOFF_MAX_MS = 30_000;

export class DistributedHerder extends AbstractHerder<DistributedConfigStore> {
  readonly #options: DistributedHerderOptions;
  readonly #member: GroupMember;
  readonly #assignor: IncrementalCooperativeAssignor;
  readonly #leaderClient: LeaderClient;
  readonly #mode: ConnectProtocolMode;
  readonly #syncTimeoutMs: number;
  readonly #unsyncBackoffMs: number;
  readonly #keyTtlMs: number;

  // ---- group state ----
  /** What this worker runs (its allocation): connectors and tasks. */
  #owned = new WorkSet();
  /** The last assignment applied (leader, leader URL, config offset), null before the first. */
  #assignment: ConnectAssignment | null = null;
  #generation = -1;
  #lastCompletedGeneration = -1;
  #isLeader = false;
  /** On the leader: who runs what, with their URLs (to point requests at the right worker). */
  #leaderView = new Map<string, { url: string; work: WorkSet }>();
  #rejoinReason: string | null = null;
  #revokeAllBeforeJoin = false;
  #membershipLoop: Promise<void> | undefined;
  #wakeMembership: (() => void) | undefined;
  #delayedRejoin: NodeJS.Timeout | undefined;
  #resyncTimer: NodeJS.Timeout | undefined;
  #keyRotation: NodeJS.Timeout | undefined;
  /** Tasks stopped because their configs changed, started again after the rebalance if still ours. */
  readonly #tasksToRestart = new WorkSet();
  /** Connectors whose task reconfiguration failed and is being retried (connector → attempt). */
  readonly #reconfigureRetries = new Map<string, number>();
  /** The connectors this worker has seen in the config topic (a new one needs a rebalance). */
  readonly #knownConnectors = new Set<string>();
  #readyResolve: (() => void) | undefined;
  readonly #ready: Promise<void>;

  constructor(options: DistributedHerderOptions) {
    super({ ...options, log: options.log.child({ component: "distributed-herder" }) });
    this.#options = options;
    this.#leaderClient = options.leaderClient ?? new HttpLeaderClient();
    const config = options.workerConfig;
    this.#mode = (config.getString("connect.protocol") ?? "sessioned") as ConnectProtocolMode;
    this.#syncTimeoutMs = Number(config.get("worker.sync.timeout.ms"));
    this.#unsyncBackoffMs = Number(config.get("worker.unsync.backoff.ms"));
    const ttl = config.originals()["inter.worker.key.ttl.ms"];
    this.#keyTtlMs = ttl === undefined ? DEFAULT_KEY_TTL_MS : Number(ttl);
    this.#assignor = new IncrementalCooperativeAssignor({ maxDelayMs: Number(config.get("scheduled.rebalance.max.delay.ms")) });
    const groupId = config.getString("group.id");
    if (!groupId) throw new ConnectException("group.id is required in distributed mode");
    this.#member = new GroupMember(options.client, {
      groupId,
      protocolType: CONNECT_PROTOCOL_TYPE,
      sessionTimeoutMs: Number(config.get("session.timeout.ms")),
      heartbeatIntervalMs: Number(config.get("heartbeat.interval.ms")),
      rebalanceTimeoutMs: Number(config.get("rebalance.timeout.ms")),
      logger: this.log,
    });
    this.#member.on("rebalance-needed", (event) => this.#onRebalanceNeeded(event));
    this.#ready = new Promise((resolve) => (this.#readyResolve = resolve));
    this.configStore.setUpdateListener(this.#configListener());
  }

  /** Whether this worker is the group's leader (as of its last rebalance). */
  get isLeader(): boolean {
    return this.#isLeader;
  }

  /** The leader's REST URL, null before the first rebalance completed. */
  get leaderUrl(): string | null {
    return this.#assignment?.leaderUrl ?? null;
  }

  /** The group generation this worker is in (-1: none). */
  get generation(): number {
    return this.#generation;
  }

  /** What this worker runs now. */
  ownedWork(): { connectors: string[]; tasks: ConnectorId[] } {
    return this.#owned.toJSON();
  }

  /** Resolves once the worker has joined the group and applied its first assignment. */
  whenReady(): Promise<void> {
    return this.#ready;
  }

  // ---- lifecycle ----

  async start(): Promise<void> {
    this.state = "starting";
    this.log.info({ groupId: this.#member.groupId, url: this.#options.restUrl, protocol: this.#mode }, "distributed herder starting");
    await this.worker.start();
    await this.statusStore.start();
    await this.configStore.start();
    for (const name of this.snapshot().connectorConfigs.keys()) this.#knownConnectors.add(name);
    this.state = "running";
    this.#requestRejoin("startup");
    this.#membershipLoop = this.#runMembership();
  }

  async stop(): Promise<void> {
    if (this.state === "stopped" || this.state === "new") {
      this.state = "stopped";
      return;
    }
    this.state = "stopping";
    this.log.info("distributed herder stopping");
    clearTimeout(this.#delayedRejoin);
    clearTimeout(this.#resyncTimer);
    clearTimeout(this.#keyRotation);
    this.#wakeMembership?.();
    await this.serial(async () => {
      await this.#stopWork(this.#owned, "worker stopping");
      this.#owned = new WorkSet();
    });
    await this.#member.leave("the worker is stopping");
    await this.#membershipLoop?.catch(() => undefined);
    await this.worker.stop();
    await this.configStore.stop();
    await this.statusStore.stop();
    this.state = "stopped";
    this.log.info("distributed herder stopped");
  }

  protected override startupComplete(): boolean {
    return this.#assignment !== null;
  }

  // ---- writes (the leader's, or forwarded to it) ----

  /** Throws NotLeaderError (the REST layer forwards) unless this worker leads the group. */
  #requireLeader(what: string): void {
    if (this.state !== "running") throw new RebalanceNeededError();
    if (!this.#isLeader) throw new NotLeaderError(this.leaderUrl, `Only the leader can ${what}.`);
  }

  putConnectorConfig(name: string, config: Record<string, string>, allowReplace: boolean, initialState?: TargetState): Promise<PutConfigResult> {
    // Kafka validates on the worker the request reached, before it looks for the leader.
    return assertValidConnectorConfig(this.registry, config, this.validationOptions()).then(() =>
      this.serial(async () => {
        this.#requireLeader("set connector configs");
        const exists = this.config(name) !== undefined;
        if (exists && !allowReplace) throw new AlreadyExistsException(`Connector ${name} already exists`);
        await this.configStore.putConnectorConfig(name, config, exists ? undefined : initialState);
        const info = this.info(name) as ConnectorInfo;
        this.log.info({ connector: name, created: !exists }, exists ? "connector reconfigured" : "connector created");
        return { created: !exists, info };
      }),
    );
  }

  patchConnectorConfig(name: string, patch: Record<string, string | null>): Promise<ConnectorInfo> {
    return this.serial(async () => {
      this.#requireLeader("set connector configs");
      const current = this.config(name);
      if (!current) throw new NotFoundException(`Connector ${name} not found`);
      return patchedConfig(current, patch);
    }).then(async (merged) => (await this.putConnectorConfig(name, merged, true)).info);
  }

  deleteConnector(name: string): Promise<void> {
    return this.serial(async () => {
      this.#requireLeader("delete connectors");
      if (!this.config(name)) throw new NotFoundException(`Connector ${name} not found`);
      await this.configStore.removeConnectorConfig(name);
      this.log.info({ connector: name }, "connector deleted");
    });
  }

  async pauseConnector(name: string): Promise<void> {
    // Any worker may write a target state (Kafka's AbstractHerder): it needs no single writer.
    if (!this.config(name)) throw new NotFoundException(`Unknown connector ${name}`);
    await this.configStore.putTargetState(name, "PAUSED");
  }

  async resumeConnector(name: string): Promise<void> {
    if (!this.config(name)) throw new NotFoundException(`Unknown connector ${name}`);
    await this.configStore.putTargetState(name, "STARTED");
  }

  stopConnector(name: string): Promise<void> {
    return this.serial(async () => {
      this.#requireLeader("stop connectors");
      if (!this.config(name)) throw new NotFoundException(`Unknown connector ${name}`);
      // No tasks first, then the state: workers stop the tasks, then the connector instance.
      await this.configStore.putTaskConfigs(name, []);
      await this.configStore.putTargetState(name, "STOPPED");
    });
  }

  restartConnector(request: RestartRequest): Promise<ConnectorStateInfo | null> {
    return this.serial(async () => {
      const name = request.connector;
      if (!request.onlyFailed && !request.includeTasks) {
        // Kafka's plain restart: the connector instance only, on the worker that runs it.
        if (this.state !== "running") throw new RebalanceNeededError();
        if (!this.config(name)) throw new NotFoundException(`Unknown connector: ${name}`);
        if (this.#owned.connectors.has(name)) {
          await this.worker.stopAndAwaitConnector(name);
          await this.startConnector(name);
          await this.#reconfigureConnectorTasks(name);
          return null;
        }
        if (this.#isLeader) throw new NotAssignedError("Cannot restart connector since it is not assigned to this member", this.#ownerUrl({ connector: name }));
        throw new NotLeaderError(this.leaderUrl, "Only the leader can process restart requests.");
      }
      this.#requireLeader("process restart requests");
      if (!this.config(name)) throw new NotFoundException(`Unknown connector: ${name}`);
      const status = this.statusStore.get(name);
      if (!status) throw new NotFoundException(`Status for connector ${name} not found`);
      const plan = this.restartPlan(request, status);
      await this.configStore.putRestartRequest?.({ connector: name, onlyFailed: request.onlyFailed, includeTasks: request.includeTasks });
      return plan;
    });
  }

  restartTask(id: ConnectorId): Promise<void> {
    return this.serial(async () => {
      if (this.state !== "running") throw new RebalanceNeededError();
      if (!this.config(id.connector)) throw new NotFoundException(`Unknown connector: ${id.connector}`);
      if (!this.snapshot().taskConfigs.get(id.connector)?.[id.task]) throw new NotFoundException(`Unknown task: ${taskName(id)}`);
      if (this.#owned.hasTask(id)) {
        await this.worker.stopAndAwaitTasks([id]);
        await this.startTask(id);
        return;
      }
      if (this.#isLeader) throw new NotAssignedError("Cannot restart task since it is not assigned to this member", this.#ownerUrl({ task: id }));
      throw new NotLeaderError(this.leaderUrl, "Cannot restart task since it is not assigned to this member");
    });
  }

  protected override beforeOffsetsChange(): void {
    this.#requireLeader("process external offsets modification requests");
  }

  /**
   * Kafka's internal endpoint (POST /connectors/{connector}/tasks): task configs a worker running
   * the connector sends to the leader. `body` is the request body as received (the signature
   * covers its bytes); the signature is required under the "sessioned" protocol.
   */
  putTaskConfigs(connector: string, configs: ReadonlyArray<Record<string, string>>, signature: RequestSignature | null, body: Buffer): Promise<void> {
    return this.serial(async () => {
      this.#requireLeader("set task configs");
      if (this.#assignment !== null && this.#assignment.version >= SUB_PROTOCOL_VERSION.sessioned) {
        verifySignature(this.configStore.sessionKey(), body, signature);
      }
      if (!this.config(connector)) throw new NotFoundException(`Connector ${connector} not found`);
      await this.configStore.putTaskConfigs(connector, configs);
    });
  }

  /** On the leader: the REST URL of the worker running this connector or task (null: nobody). */
  #ownerUrl(what: { connector: string } | { task: ConnectorId }): string | null {
    for (const { url, work } of this.#leaderView.values()) {
      if ("connector" in what ? work.connectors.has(what.connector) : work.hasTask(what.task)) return url;
    }
    return null;
  }

  // ---- group membership ----

  #requestRejoin(reason: string): void {
    if (this.state !== "running" && this.state !== "starting") return;
    this.#rejoinReason ??= reason;
    this.#wakeMembership?.();
  }

  #onRebalanceNeeded(event: RebalanceNeeded): void {
    // Out of the group (session expired, fenced): the leader will hand this worker's work to
    // others, so stop it before rejoining (Kafka's revocation on a lost generation).
    if (event.memberLost) this.#revokeAllBeforeJoin = true;
    this.#requestRejoin(event.reason);
  }

  async #runMembership(): Promise<void> {
    while (this.state === "running") {
      if (this.#rejoinReason === null) {
        await new Promise<void>((resolve) => (this.#wakeMembership = resolve));
        this.#wakeMembership = undefined;
        continue;
      }
      const reason = this.#rejoinReason;
      this.#rejoinReason = null;
      try {
        if (this.#revokeAllBeforeJoin || this.#mode === "eager") {
          this.#revokeAllBeforeJoin = false;
          await this.serial(async () => {
            await this.#stopWork(this.#owned, "revoked before rejoining");
            this.#owned = new WorkSet();
          });
        }
        const metadata = { url: this.#options.restUrl, configOffset: this.snapshot().offset, allocation: this.#allocation() };
        this.log.debug({ reason, configOffset: metadata.configOffset }, "joining the group");
        const result = await this.#member.join(joinGroupProtocols(this.#mode, metadata), (args) => this.#assign(args), { reason });
        if (this.state !== "running") return;
        await this.serial(() => this.#onJoined(result));
      } catch (err) {
        if (this.state !== "running") return;
        this.log.warn({ err: (err as Error).message }, "joining the group failed; retrying");
        this.#rejoinReason ??= "join failed";
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  /** This worker's allocation for its join metadata: everything it runs, null before any assignment. */
  #allocation(): ConnectAssignment | null {
    if (this.#assignment === null) return null;
    const owned = this.#owned.toJSON();
    return { ...this.#assignment, error: 0, connectors: owned.connectors, tasks: owned.tasks, revokedConnectors: [], revokedTasks: [], delay: 0 };
  }

  /** The leader's part of a rebalance: who runs what. */
  async #assign(args: LeaderArgs): Promise<Map<string, Buffer>> {
    const protocol = args.protocol as ConnectSubProtocol;
    const version = SUB_PROTOCOL_VERSION[protocol] ?? 0;
    const members = new Map<string, WorkerMetadata>();
    for (const m of args.members as GroupMemberMetadata[]) members.set(m.memberId, decodeWorkerMetadata(m.metadata));
    const maxOffset = Math.max(...[...members.values()].map((m) => m.configOffset));
    let snapshot = this.snapshot();
    if (snapshot.offset < maxOffset) {
      try {
        await this.configStore.refresh(this.#syncTimeoutMs);
      } catch (err) {
        this.log.warn({ err: (err as Error).message }, "could not catch up with the config topic while leading a rebalance");
      }
      snapshot = this.snapshot();
    }
    const leaderUrl = members.get(args.memberId)?.url ?? this.#options.restUrl;
    let assignments: Map<string, ConnectAssignment>;
    if (snapshot.offset < maxOffset) {
      // Some member has read further than this leader can: everyone catches up and rejoins.
      this.log.info({ leaderOffset: snapshot.offset, maxOffset }, "behind the config topic a member reported: asking everyone to resync");
      assignments = configMismatchAssignments(members.keys(), { id: args.memberId, url: leaderUrl }, maxOffset, version);
      this.#leaderView = new Map();
    } else {
      const configured = { connectors: [...snapshot.connectorConfigs.keys()].sort(), tasks: [] as ConnectorId[] };
      for (const connector of configured.connectors) configured.tasks.push(...this.taskIds(connector, snapshot));
      configured.tasks.sort(compareTasks);
      const states = new Map([...members].map(([id, m]) => [id, { url: m.url, configOffset: m.configOffset, owned: m.allocation ?? { connectors: [], tasks: [] } }]));
      const round = { leaderId: args.memberId, configOffset: snapshot.offset, members: states, configured };
      const result =
        version === 0
          ? eagerAssign(round)
          : this.#assignor.assign({ ...round, protocolVersion: version, lastCompletedGenerationId: this.#lastCompletedGeneration, currentGenerationId: args.generationId });
      assignments = result.assignments;
      this.#leaderView = new Map([...result.allocation].map(([id, work]) => [id, { url: members.get(id)?.url ?? "", work }]));
      this.log.info(
        { generation: args.generationId, protocol, members: members.size, delay: result.delay, assignments: Object.fromEntries([...result.allocation].map(([id, w]) => [members.get(id)?.url ?? id, w.size])) },
        "computed the group's assignment",
      );
    }
    return new Map([...assignments].map(([id, a]) => [id, encodeAssignment(a)]));
  }

  /** A rebalance completed: apply this worker's share. */
  async #onJoined(result: JoinResult): Promise<void> {
    if (result.assignment.length === 0) {
      this.log.warn({ generation: result.generationId }, "the leader sent no assignment: rejoining");
      this.#requestRejoin("empty assignment");
      return;
    }
    const assignment = decodeAssignment(result.assignment);
    this.#generation = result.generationId;
    this.#isLeader = result.isLeader;
    if (assignment.error === CONFIG_MISMATCH) {
      this.log.info({ configOffset: assignment.configOffset }, "the leader asked to catch up with the config topic");
      await this.#catchUp(assignment.configOffset);
      this.#requestRejoin("config mismatch");
      return;
    }
    if (this.snapshot().offset < assignment.configOffset && !(await this.#catchUp(assignment.configOffset))) return;

    const revoked = WorkSet.of({ connectors: assignment.revokedConnectors, tasks: assignment.revokedTasks });
    const assigned = WorkSet.of({ connectors: assignment.connectors, tasks: assignment.tasks });
    if (assignment.version === 0) {
      // Eager: the assignment is everything this worker runs; it stopped all before joining.
      await this.#stopWork(this.#owned.minus(assigned), "not in the eager assignment");
      this.#owned = WorkSet.union([assigned]);
    } else {
      await this.#stopWork(revoked, "revoked");
      this.#owned.remove(revoked);
      this.#owned.add(assigned);
    }
    this.#assignment = assignment;
    this.#lastCompletedGeneration = result.generationId;
    this.log.info(
      {
        generation: result.generationId,
        leader: assignment.leaderUrl,
        isLeader: result.isLeader,
        assigned: assigned.toJSON(),
        revoked: revoked.toJSON(),
        owns: this.#owned.size,
        delay: assignment.delay,
      },
      "rebalance completed",
    );

    if (this.#isLeader && assignment.version >= SUB_PROTOCOL_VERSION.sessioned) await this.#ensureSessionKey();
    if (this.#isLeader) await this.#removeStaleStatuses();

    // Start what is new (and the tasks stopped for new configs that are still ours).
    const snapshot = this.snapshot();
    for (const connector of [...assigned.connectors].sort()) await this.startConnector(connector);
    const toStart = WorkSet.union([assigned]);
    for (const t of this.#tasksToRestart.tasks.values()) if (this.#owned.hasTask(t)) toStart.addTask(t);
    this.#tasksToRestart.tasks.clear();
    for (const t of [...toStart.tasks.values()].sort(compareTasks)) if (!revoked.hasTask(t)) await this.startTask(t, snapshot);
    for (const connector of [...assigned.connectors].sort()) await this.#reconfigureConnectorTasks(connector);

    if (assignment.version >= 1 && !revoked.isEmpty()) this.#requestRejoin("revoked connectors or tasks");
    clearTimeout(this.#delayedRejoin);
    if (assignment.delay > 0) {
      this.#delayedRejoin = setTimeout(() => this.#requestRejoin("scheduled rebalance"), assignment.delay);
    }
    this.#readyResolve?.();
  }

  /**
   * Kafka's updateDeletedConnectorStatus and updateDeletedTaskStatus: once a rebalance completes,
   * the leader removes the statuses of connectors that are no longer configured and of tasks their
   * connector no longer has (a stopped connector has none, a reconfigured one may have fewer), so
   * GET .../status stops listing them. After the rebalance, not before: the previous generation
   * reports the tasks it stopped as UNASSIGNED first, which would bring them back.
   */
  async #removeStaleStatuses(): Promise<void> {
    const snapshot = this.snapshot();
    for (const connector of this.statusStore.connectors()) {
      if (!snapshot.connectorConfigs.has(connector)) {
        this.log.debug({ connector }, "removing the statuses of a deleted connector");
        await this.statusStore.deleteConnector(connector);
        continue;
      }
      const taskCount = this.taskIds(connector, snapshot).length;
      for (const status of this.statusStore.getAllTasks(connector)) if (status.id.task >= taskCount) this.putTask(status.id, "DESTROYED");
    }
  }

  /** Reads the config topic up to `offset`; on failure leaves the group, waits, and rejoins. */
  async #catchUp(offset: number): Promise<boolean> {
    try {
      await this.configStore.refresh(this.#syncTimeoutMs);
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, "could not read the config topic to its end");
    }
    if (this.snapshot().offset >= offset) return true;
    this.log.warn({ have: this.snapshot().offset, need: offset, backoffMs: this.#unsyncBackoffMs }, "behind the config topic: leaving the group for a while");
    await this.#stopWork(this.#owned, "out of sync with the config topic");
    this.#owned = new WorkSet();
    await this.#member.leave("the worker could not catch up with the config topic");
    clearTimeout(this.#resyncTimer);
    this.#resyncTimer = setTimeout(() => this.#requestRejoin("resync after backoff"), this.#unsyncBackoffMs);
    return false;
  }

  async #ensureSessionKey(): Promise<void> {
    const key = this.configStore.sessionKey();
    const now = Date.now();
    if (key === null || key.creationTimestamp + this.#keyTtlMs <= now) {
      this.log.info("distributing a new session key");
      await this.configStore.putSessionKey({ key: randomBytes(32), algorithm: "HmacSHA256", creationTimestamp: now });
    }
    const created = this.configStore.sessionKey()?.creationTimestamp ?? now;
    clearTimeout(this.#keyRotation);
    this.#keyRotation = setTimeout(
      () => this.background("session key rotation", async () => {
        if (this.#isLeader && this.state === "running") await this.#ensureSessionKey();
      }),
      Math.max(1000, created + this.#keyTtlMs - Date.now()),
    );
    this.#keyRotation.unref();
  }

  // ---- running work ----

  /** Stops tasks, then connectors (a connector's tasks stop before it does). */
  async #stopWork(work: WorkSet, why: string): Promise<void> {
    if (work.isEmpty()) return;
    this.log.info({ why, ...work.toJSON() }, "stopping connectors and tasks");
    const tasks = [...work.tasks.values()];
    if (tasks.length > 0) await this.worker.stopAndAwaitTasks(tasks);
    for (const connector of work.connectors) await this.worker.stopAndAwaitConnector(connector);
  }

  /**
   * The connector runs here: asks it for its task configs and, when they differ from the
   * committed ones (or the connector config changed since they were), has the leader write them.
   */
  async #reconfigureConnectorTasks(name: string): Promise<void> {
    const snapshot = this.snapshot();
    const config = snapshot.connectorConfigs.get(name);
    if (!config || !this.#owned.connectors.has(name) || !this.worker.isRunning(name)) return;
    if ((snapshot.targetStates.get(name) ?? "STARTED") !== "STARTED") return;
    let generated: Record<string, string>[];
    try {
      generated = await this.worker.connectorTaskConfigs(name, config);
    } catch (err) {
      this.log.error({ err: (err as Error).message, connector: name }, "the connector failed to generate task configs");
      this.putConnector(name, "FAILED", err instanceof Error ? err : new Error(String(err)));
      return;
    }
    const current = snapshot.taskConfigs.get(name) ?? [];
    const inconsistent = snapshot.inconsistentConnectors?.has(name) ?? false;
    const changed =
      inconsistent ||
      generated.length !== current.length ||
      generated.some((c, i) => !sameConfig(c, current[i])) ||
      !sameConfig(this.configStore.appliedConnectorConfig(name), config);
    if (!changed) {
      this.#reconfigureRetries.delete(name);
      return;
    }
    if (this.#isLeader) {
      try {
        await this.configStore.putTaskConfigs(name, generated);
        this.#reconfigured(name, generated.length);
      } catch (err) {
        this.#retryReconfiguration(name, err);
      }
      return;
    }
    const leaderUrl = this.leaderUrl;
    if (leaderUrl === null) {
      this.#retryReconfiguration(name, new ConnectException("no leader known yet"));
      return;
    }
    // Off the queue, as Kafka's forwarding executor: the leader may be in a rebalance that waits
    // for this worker to rejoin, and this worker must stay free to do so meanwhile.
    const sessioned = (this.#assignment?.version ?? 0) >= SUB_PROTOCOL_VERSION.sessioned;
    this.#leaderClient.putTaskConfigs(leaderUrl, name, generated, sessioned ? this.configStore.sessionKey() : null).then(
      () => this.#reconfigured(name, generated.length),
      (err: unknown) => this.#retryReconfiguration(name, err),
    );
  }

  #reconfigured(name: string, tasks: number): void {
    this.#reconfigureRetries.delete(name);
    this.log.info({ connector: name, tasks }, "task configs written");
  }

  /** Kafka retries until it succeeds or the connector moves elsewhere: a leader may be changing. */
  #retryReconfiguration(name: string, err: unknown): void {
    if (this.state !== "running") return;
    const attempt = (this.#reconfigureRetries.get(name) ?? 0) + 1;
    this.#reconfigureRetries.set(name, attempt);
    const delay = Math.min(RECONFIGURE_BACKOFF_MAX_MS, RECONFIGURE_BACKOFF_MS * 2 ** Math.min(attempt - 1, 10));
    this.log.warn({ err: (err as Error).message, connector: name, retryInMs: delay }, "could not write task configs; retrying");
    setTimeout(() => this.background("task reconfiguration", () => this.#reconfigureConnectorTasks(name)), delay).unref();
  }

  // ---- config topic updates (every worker) ----

  #configListener(): ConfigUpdateListener & { onSessionKeyUpdate(key: SessionKey): void } {
    return {
      onConnectorConfigUpdate: (connector) => this.background("connector config update", () => this.#onConnectorConfigUpdate(connector)),
      onConnectorConfigRemove: (connector) => this.background("connector removal", () => this.#onConnectorConfigRemove(connector)),
      onTaskConfigUpdate: (tasks) => this.background("task config update", () => this.#onTaskConfigUpdate(tasks)),
      onConnectorTargetStateChange: (connector) => this.background("target state change", () => this.#onTargetStateChange(connector)),
      onRestartRequest: (request) => this.background("restart request", () => this.#onRestartRequest(request)),
      onSessionKeyUpdate: () => this.log.debug("new session key read from the config topic"),
    };
  }

  async #onConnectorConfigUpdate(connector: string): Promise<void> {
    if (!this.#knownConnectors.has(connector)) {
      // A new connector: the leader assigns it in a rebalance.
      this.#knownConnectors.add(connector);
      this.#requestRejoin(`connector ${connector} added`);
      return;
    }
    if (!this.#owned.connectors.has(connector)) return;
    this.log.info({ connector }, "connector config changed: restarting it");
    await this.worker.stopAndAwaitConnector(connector);
    await this.startConnector(connector);
    await this.#reconfigureConnectorTasks(connector);
  }

  async #onConnectorConfigRemove(connector: string): Promise<void> {
    this.#knownConnectors.delete(connector);
    const mine = new WorkSet();
    if (this.#owned.connectors.has(connector)) mine.connectors.add(connector);
    for (const t of this.#owned.tasks.values()) if (t.connector === connector) mine.addTask(t);
    await this.#stopWork(mine, `connector ${connector} deleted`);
    this.#owned.remove(mine);
    if (this.#isLeader) await this.statusStore.deleteConnector(connector);
    this.#requestRejoin(`connector ${connector} deleted`);
  }

  async #onTaskConfigUpdate(tasks: readonly ConnectorId[]): Promise<void> {
    const connectors = new Set(tasks.map((t) => t.connector));
    const mine = [...this.#owned.tasks.values()].filter((t) => connectors.has(t.connector));
    if (mine.length > 0) {
      // Restarted after the rebalance (if still ours), so every task starts with the new set.
      this.log.info({ tasks: mine.map(taskName) }, "task configs changed: stopping the tasks until the rebalance");
      await this.worker.stopAndAwaitTasks(mine);
      for (const t of mine) this.#tasksToRestart.addTask(t);
    }
    this.#requestRejoin("task configs changed");
  }

  async #onTargetStateChange(connector: string): Promise<void> {
    const state = this.snapshot().targetStates.get(connector) ?? "STARTED";
    const runsSomething = this.#owned.connectors.has(connector) || [...this.#owned.tasks.values()].some((t) => t.connector === connector);
    if (!runsSomething) return;
    this.log.info({ connector, state }, "target state changed");
    await this.worker.setTargetState(connector, state);
    if (state === "STARTED") await this.#reconfigureConnectorTasks(connector);
  }

  async #onRestartRequest(request: { connector: string; onlyFailed: boolean; includeTasks: boolean }): Promise<void> {
    const name = request.connector;
    if (!this.config(name)) return;
    const failed = (s: { state: ConnectorState } | null): boolean => s?.state === "FAILED";
    const restartConnector = this.#owned.connectors.has(name) && (!request.onlyFailed || failed(this.statusStore.get(name)));
    const tasks = request.includeTasks
      ? [...this.#owned.tasks.values()].filter((t) => t.connector === name && (!request.onlyFailed || failed(this.statusStore.getTask(t))))
      : [];
    if (!restartConnector && tasks.length === 0) return;
    this.log.info({ connector: name, restartConnector, tasks: tasks.map((t) => t.task) }, "restarting");
    if (restartConnector) {
      await this.worker.stopAndAwaitConnector(name);
      this.putConnector(name, "RESTARTING");
    }
    if (tasks.length > 0) {
      await this.worker.stopAndAwaitTasks(tasks);
      for (const t of tasks) this.putTask(t, "RESTARTING");
    }
    if (restartConnector) await this.startConnector(name);
    for (const t of tasks) await this.startTask(t);
    if (restartConnector) await this.#reconfigureConnectorTasks(name);
  }

  // ---- status reporting ----

  // A deleted connector's statuses were removed; a late report must not bring them back.
  protected statusStamp(connector: string): StatusStamp | null {
    const config = this.config(connector);
    if (!config) return null;
    return { generation: this.#generation, version: connectorVersionOf(this.registry, config) ?? null };
  }

  protected onTaskReconfigurationRequest(connector: string): void {
    this.background("task reconfiguration request", async () => {
      if (!this.#owned.connectors.has(connector)) {
        this.log.warn({ connector }, "a connector this worker does not run asked for task reconfiguration");
        return;
      }
      await this.#reconfigureConnectorTasks(connector);
    });
  }
}

// Distributed mode's config store (Kafka's KafkaConfigBackingStore): connector configs, target
// states, task configs and their commits, restart requests and the session key, in the
// single-partition compacted topic named by config.storage.topic (records: config-records.ts).
//
// Task configs are applied atomically: task records are buffered per connector until the
// commit-<connector> record that follows them, and only a commit that finds every task 0..n-1
// buffered applies them; otherwise (compaction dropped a task record, or a leader died
// mid-write) the connector is "inconsistent" until it writes a fresh set. Only the group's
// leader writes (the herder forwards other workers' writes to it); every worker reads.
// The update listener is called on the reading loop, and only once start() has read the topic
// to its end (as Kafka does): what was there before is the starting snapshot.
import type { Kafka } from "kafkajs";
import { ConfigException } from "../../api/index.ts";
import type { KafkaClusterClient } from "../../../lib/kafka-client/index.ts";
import type { Logger } from "../../../lib/logger.ts";
import type { ConnectorId } from "../../runtime/herder/entities.ts";
import type { TargetState } from "../../runtime/herder/herder.ts";
import type { ClusterConfigState, ConfigBackingStore, ConfigUpdateListener } from "../types.ts";
import {
  commitTasksKey,
  commitTasksValue,
  connectorConfigValue,
  connectorKey,
  decodeConfigRecord,
  restartKey,
  restartRequestValue,
  SESSION_KEY_KEY,
  type SessionKey,
  sessionKeyValue,
  targetStateKey,
  targetStateValue,
  taskConfigValue,
  taskKey,
} from "./config-records.ts";
import { KafkaBasedLog } from "./kafka-based-log.ts";

export interface KafkaConfigBackingStoreOptions {
  /** config.storage.topic */
  readonly topic: string;
  /** config.storage.replication.factor (-1: the broker default) */
  readonly replicationFactor: number;
  /** Other topic settings given as config.storage.<topic config>. */
  readonly topicConfigs?: Readonly<Record<string, string>>;
  readonly kafka: Kafka;
  readonly client: KafkaClusterClient;
  readonly log: Logger;
}

export interface SessionKeyListener {
  onSessionKeyUpdate(key: SessionKey): void;
}

export class KafkaConfigBackingStore implements ConfigBackingStore {
  readonly #log: Logger;
  readonly #configLog: KafkaBasedLog;
  readonly #topic: string;
  #listener: (ConfigUpdateListener & Partial<SessionKeyListener>) | null = null;
  #started = false;

  #offset = -1;
  readonly #connectorConfigs = new Map<string, Record<string, string>>();
  readonly #targetStates = new Map<string, TargetState>();
  readonly #taskCounts = new Map<string, number>();
  /** connector → task → config, as committed. */
  readonly #taskConfigs = new Map<string, Map<number, Record<string, string>>>();
  /** connector → task → config, written but not yet committed. */
  readonly #deferred = new Map<string, Map<number, Record<string, string>>>();
  readonly #inconsistent = new Set<string>();
  readonly #taskConfigGenerations = new Map<string, number>();
  /** The connector config that was current when its task configs were last committed. */
  readonly #appliedConfigs = new Map<string, Record<string, string>>();
  #sessionKey: SessionKey | null = null;

  constructor(options: KafkaConfigBackingStoreOptions) {
    if (options.topic.trim() === "") throw new ConfigException("Must specify topic for connector configuration.");
    this.#topic = options.topic;
    this.#log = options.log.child({ component: "config-store", topic: options.topic });
    this.#configLog = new KafkaBasedLog({
      topic: { name: options.topic, partitions: 1, replicationFactor: options.replicationFactor, configs: options.topicConfigs ?? {} },
      purpose: { configKey: "config.storage.topic", holds: "connector configurations" },
      kafka: options.kafka,
      client: options.client,
      log: this.#log,
      onRecord: (record) => this.#apply(record.key === null ? null : record.key.toString("utf8"), record.value, Number(record.offset)),
    });
  }

  setUpdateListener(listener: ConfigUpdateListener & Partial<SessionKeyListener>): void {
    this.#listener = listener;
  }

  async start(): Promise<void> {
    await this.#configLog.start();
    if (this.#configLog.partitionCount > 1) {
      await this.#configLog.stop();
      throw new ConfigException(
        `Topic '${this.#topic}' named by 'config.storage.topic' must have exactly one partition, so that connector configurations keep one order, but it has ${this.#configLog.partitionCount}.`,
      );
    }
    this.#started = true;
    this.#log.info({ offset: this.#offset, connectors: this.#connectorConfigs.size }, "config store started");
  }

  async stop(): Promise<void> {
    this.#started = false;
    await this.#configLog.stop();
  }

  snapshot(): ClusterConfigState {
    const taskConfigs = new Map<string, ReadonlyArray<Record<string, string>>>();
    for (const connector of this.#connectorConfigs.keys()) {
      const count = this.#taskCounts.get(connector) ?? 0;
      const committed = this.#taskConfigs.get(connector);
      const tasks: Record<string, string>[] = [];
      if (!this.#inconsistent.has(connector)) {
        for (let i = 0; i < count; i++) {
          const config = committed?.get(i);
          if (!config) break;
          tasks.push({ ...config });
        }
      }
      taskConfigs.set(connector, tasks.length === count ? tasks : []);
    }
    return {
      offset: this.#offset,
      connectorConfigs: new Map([...this.#connectorConfigs].map(([k, v]) => [k, { ...v }])),
      targetStates: new Map(this.#targetStates),
      taskConfigs,
      taskCountRecordGenerations: new Map(this.#taskConfigGenerations),
      inconsistentConnectors: new Set(this.#inconsistent),
    };
  }

  /**
   * The connector config in force when the connector's current task configs were committed
   * (Kafka's AppliedConnectorConfig): when the connector config changed since, its tasks must be
   * restarted with the new config even if the task configs come out the same.
   */
  appliedConnectorConfig(connector: string): Record<string, string> | undefined {
    const applied = this.#appliedConfigs.get(connector);
    return applied ? { ...applied } : undefined;
  }

  /** The session key last read from the topic (KIP-507), or null. */
  sessionKey(): SessionKey | null {
    return this.#sessionKey;
  }

  async refresh(timeoutMs: number): Promise<void> {
    await this.#configLog.readToEnd(timeoutMs);
  }

  async putConnectorConfig(connector: string, config: Record<string, string>, targetState?: TargetState): Promise<void> {
    // The target state first: a connector created paused or stopped never starts running.
    const records: Array<{ key: string; value: Buffer }> = [];
    if (targetState !== undefined) records.push({ key: targetStateKey(connector), value: targetStateValue(targetState) });
    records.push({ key: connectorKey(connector), value: connectorConfigValue(config) });
    await this.#configLog.sendAll(records);
    await this.#configLog.readToEnd();
  }

  async removeConnectorConfig(connector: string): Promise<void> {
    await this.#configLog.sendAll([
      { key: connectorKey(connector), value: null },
      { key: targetStateKey(connector), value: null },
    ]);
    await this.#configLog.readToEnd();
  }

  async putTaskConfigs(connector: string, configs: ReadonlyArray<Record<string, string>>): Promise<void> {
    // Catch up first: this worker should be the only writer, but must not commit over records
    // it has not seen.
    await this.#configLog.readToEnd();
    await this.#configLog.sendAll(configs.map((config, task) => ({ key: taskKey({ connector, task }), value: taskConfigValue(config) })));
    if (configs.length > 0) await this.#configLog.readToEnd();
    await this.#configLog.send(commitTasksKey(connector), commitTasksValue(configs.length));
    await this.#configLog.readToEnd();
  }

  async putTargetState(connector: string, state: TargetState): Promise<void> {
    await this.#configLog.send(targetStateKey(connector), targetStateValue(state));
    await this.#configLog.readToEnd();
  }

  async putRestartRequest(request: { connector: string; onlyFailed: boolean; includeTasks: boolean }): Promise<void> {
    await this.#configLog.send(restartKey(request.connector), restartRequestValue(request));
    await this.#configLog.readToEnd();
  }

  async putSessionKey(key: SessionKey): Promise<void> {
    await this.#configLog.send(SESSION_KEY_KEY, sessionKeyValue(key));
    await this.#configLog.readToEnd();
  }

  #apply(key: string | null, value: Buffer | null, offset: number): void {
    if (key === null) {
      this.#log.error({ offset }, "discarding a config record without a key");
      return;
    }
    const record = decodeConfigRecord(key, value);
    // Kafka's position semantics: the offset of the next record.
    this.#offset = offset + 1;
    const listener = this.#started ? this.#listener : null;
    switch (record.kind) {
      case "invalid":
        this.#log.error({ key, reason: record.reason }, "discarding an unreadable config record");
        return;
      case "target-state": {
        const { connector, state } = record;
        if (state === null) {
          // Written with a connector's deletion; a connector that is still there keeps running.
          this.#targetStates.delete(connector);
          if (this.#connectorConfigs.has(connector)) this.#targetStates.set(connector, "STARTED");
          return;
        }
        const previous = this.#targetStates.get(connector);
        this.#targetStates.set(connector, state);
        // A target state written before its connector (a connector created stopped) is applied
        // when the connector's config arrives.
        if (previous !== state && this.#connectorConfigs.has(connector)) listener?.onConnectorTargetStateChange(connector);
        return;
      }
      case "connector": {
        const { connector, config } = record;
        if (config === null) {
          this.#connectorConfigs.delete(connector);
          this.#taskCounts.delete(connector);
          this.#taskConfigs.delete(connector);
          this.#deferred.delete(connector);
          this.#inconsistent.delete(connector);
          this.#appliedConfigs.delete(connector);
          listener?.onConnectorConfigRemove(connector);
          return;
        }
        this.#connectorConfigs.set(connector, config);
        // Connectors written by a Connect from before target states existed start STARTED.
        if (!this.#targetStates.has(connector)) this.#targetStates.set(connector, "STARTED");
        listener?.onConnectorConfigUpdate(connector);
        return;
      }
      case "task": {
        let deferred = this.#deferred.get(record.id.connector);
        if (!deferred) this.#deferred.set(record.id.connector, (deferred = new Map()));
        deferred.set(record.id.task, record.config);
        return;
      }
      case "commit": {
        const { connector, tasks } = record;
        const deferred = this.#deferred.get(connector);
        const updated: ConnectorId[] = [];
        // Only the tasks the commit counts must be there: compaction may leave configs of
        // higher-numbered tasks from an older, larger set, which are simply not used.
        let complete = true;
        for (let i = 0; i < tasks; i++) if (!deferred?.has(i)) complete = false;
        if (!complete) {
          this.#log.warn({ connector, tasks }, "incomplete task configs for a commit (compaction or a failed write): waiting for the connector to write new ones");
          this.#inconsistent.add(connector);
        } else {
          if (deferred && deferred.size > 0) {
            let committed = this.#taskConfigs.get(connector);
            if (!committed) this.#taskConfigs.set(connector, (committed = new Map()));
            for (const [task, config] of deferred) {
              committed.set(task, config);
              updated.push({ connector, task });
            }
            this.#taskConfigGenerations.set(connector, (this.#taskConfigGenerations.get(connector) ?? -1) + 1);
          }
          const current = this.#connectorConfigs.get(connector);
          if (current) this.#appliedConfigs.set(connector, current);
          this.#inconsistent.delete(connector);
        }
        deferred?.clear();
        this.#taskCounts.set(connector, tasks);
        listener?.onTaskConfigUpdate(updated);
        return;
      }
      case "restart":
        listener?.onRestartRequest?.({ connector: record.connector, onlyFailed: record.onlyFailed, includeTasks: record.includeTasks });
        return;
      case "session-key":
        this.#sessionKey = record.sessionKey;
        listener?.onSessionKeyUpdate?.(record.sessionKey);
        return;
      case "task-count":
      case "logger-level":
        // Exactly-once source support (task count records, KIP-618) and cluster-wide logger
        // levels (KIP-976) are not implemented: read and ignored.
        return;
    }
  }
}

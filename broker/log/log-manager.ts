// The broker's log directory: every partition log, and what must survive a restart about the
// topics themselves. Uses the first of `log.dirs` (more directories are accepted and ignored
// for now, with a warning). What it keeps there:
//
//   <log.dir>/meta.properties          Kafka's: version, cluster.id (stable across restarts), node.id
//   <log.dir>/topics.json              ours: every topic's id, partition count and config overrides
//   <log.dir>/<topic>-<partition>/     a PartitionLog, with Kafka's `partition.metadata` (topic id)
//   <log.dir>/.kafka_cleanshutdown     Kafka's marker: written by close(), removed on open
//   <log.dir>/.lock                    the pid and boot id of the process using the directory
//   <log.dir>/recovery-point-offset-checkpoint  Kafka's: per partition, the offset below which
//                                      the log is fsynced (what an OS crash cannot have lost)
//
// How the previous run ended (clean, process crash, OS crash: recovery.ts) decides how much of
// each log is checked on open; one line at the end of loading says what was repaired.
//
// topics.json is the single source of truth for which topics exist: one small file, replaced
// atomically (temp file, fsync, rename, fsync dir) on every change, so a crash leaves the old
// or the new set of topics. Each change commits there first and touches partition directories
// after: on start, a topic whose partition directories are missing gets them created, and a
// partition directory that no topic claims (a crash mid-DeleteTopics, or a directory from
// another incarnation of the topic, told apart by the topic id in `partition.metadata`) is
// renamed `<name>.<id>-stray` and left for the operator, as Kafka does; `-delete` directories
// (a deletion that was under way) are removed.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "../../lib/logger.ts";
import { ErrorCode, KafkaError } from "../protocol/generated/errors.ts";
import { fsyncDir, writeFileAtomic } from "./fs-util.ts";
import { DEFAULT_LOG_CONFIG, resolveLogConfig, type LogConfig } from "./log-config.ts";
import { DELETE_DIR_SUFFIX, parsePartitionDirName, partitionDirName, PartitionLog } from "./partition-log.ts";
import { FlushScheduler, type FlushSchedulerOptions } from "./flush-scheduler.ts";
import { lockFileContent, previousShutdown, readRecoveryPoints, repaired, writeRecoveryPoints, type ShutdownKind } from "./recovery.ts";

export const TOPICS_FILE = "topics.json";
export const META_PROPERTIES_FILE = "meta.properties";
export const PARTITION_METADATA_FILE = "partition.metadata";
export const CLEAN_SHUTDOWN_FILE = ".kafka_cleanshutdown";
export const LOCK_FILE = ".lock";
const STRAY_DIR_SUFFIX = "-stray";
const TOPICS_FILE_VERSION = 1;

export interface TopicMetadata {
  readonly name: string;
  /** Kafka's topic id in its printed form: 22 characters of base64url (16 bytes). */
  readonly topicId: string;
  readonly partitions: number;
  /** The topic's config overrides, as strings by Kafka key (defaults are not stored). */
  readonly configs: Readonly<Record<string, string>>;
}

export interface LogManagerOptions {
  logDirs: readonly string[];
  /** Broker-wide log settings (log.segment.bytes, ...); Kafka's defaults otherwise. */
  defaults?: LogConfig;
  nodeId?: number;
  logger?: Logger;
}

interface TopicsFile {
  version: number;
  topics: Record<string, { topicId: string; partitions: number; configs: Record<string, string> }>;
}

/** Kafka's rule: 1-249 characters of [a-zA-Z0-9._-], and not "." or "..". */
export function validateTopicName(name: string): void {
  const bad = (why: string) => new KafkaError(ErrorCode.INVALID_TOPIC_EXCEPTION, `Topic name "${name}" is illegal, ${why}`);
  if (name.length === 0) throw bad("it can't be empty");
  if (name === "." || name === "..") throw bad("it can't be '.' or '..'");
  if (name.length > 249) throw bad("it can't be longer than 249 characters");
  if (!/^[a-zA-Z0-9._-]+$/.test(name)) throw bad("it contains a character other than ASCII alphanumerics, '.', '_' and '-'");
}

/** A random topic id, avoiding Kafka's reserved ones and ids that print with a leading '-'. */
export function newTopicId(): string {
  for (;;) {
    const bytes = randomBytes(16);
    const id = bytes.toString("base64url");
    const reserved = bytes.subarray(0, 15).every((b) => b === 0) && (bytes[15] as number) <= 1;
    if (!reserved && !id.startsWith("-")) return id;
  }
}

export class LogManager {
  readonly logDir: string;
  readonly clusterId: string;
  readonly nodeId: number;
  /** Whether the previous run shut down cleanly (its indexes were trusted on open). */
  readonly hadCleanShutdown: boolean;
  /** How the previous run ended, which decided how much of each log was checked on open. */
  readonly previousShutdown: ShutdownKind;
  private recoveryPoints = new Map<string, bigint>();
  private flusher: FlushScheduler | undefined;
  private _defaults: LogConfig;
  private readonly logger: Logger | undefined;
  private readonly topicMeta = new Map<string, TopicMetadata>();
  private readonly byId = new Map<string, string>();
  private readonly logs = new Map<string, PartitionLog[]>();
  private closed = false;

  private constructor(options: LogManagerOptions, clusterId: string, nodeId: number, shutdown: ShutdownKind) {
    this.logDir = options.logDirs[0] as string;
    this._defaults = options.defaults ?? { ...DEFAULT_LOG_CONFIG };
    this.logger = options.logger;
    this.clusterId = clusterId;
    this.nodeId = nodeId;
    this.hadCleanShutdown = shutdown === "clean";
    this.previousShutdown = shutdown;
  }

  /** Opens (or initializes) the log directory and every partition in it. */
  static open(options: LogManagerOptions): LogManager {
    const logDir = options.logDirs[0];
    if (!logDir) throw new Error("log.dirs names no directory");
    if (options.logDirs.length > 1) options.logger?.warn({ logDirs: options.logDirs }, "only the first of log.dirs is used for now");
    mkdirSync(logDir, { recursive: true });
    const previousLock = acquireLock(logDir);
    const fresh = !existsSync(join(logDir, META_PROPERTIES_FILE));
    const meta = readOrCreateMeta(logDir, options.nodeId ?? 1);
    // A directory used for the first time has nothing to recover.
    const marker = existsSync(join(logDir, CLEAN_SHUTDOWN_FILE));
    const clean = fresh || marker;
    const manager = new LogManager(options, meta.clusterId, meta.nodeId, previousShutdown(clean, previousLock));
    if (!clean) manager.recoveryPoints = readRecoveryPoints(logDir, options.logger);
    manager.load();
    if (marker) {
      // From here on the logs change: the next start must check them unless we close cleanly.
      unlinkSync(join(logDir, CLEAN_SHUTDOWN_FILE));
      fsyncDir(logDir);
    }
    return manager;
  }

  private load(): void {
    const path = join(this.logDir, TOPICS_FILE);
    if (existsSync(path)) {
      const file = JSON.parse(readFileSync(path, "utf8")) as TopicsFile;
      if (file.version !== TOPICS_FILE_VERSION) throw new Error(`${path}: unsupported version ${file.version}`);
      for (const [name, t] of Object.entries(file.topics)) {
        this.topicMeta.set(name, { name, topicId: t.topicId, partitions: t.partitions, configs: t.configs });
        this.byId.set(t.topicId, name);
        this.logs.set(name, []);
      }
    }
    const started = Date.now();
    let opened = 0;
    const repairs = { partitions: 0, truncatedSegments: 0, truncatedBytes: 0, rebuiltIndexes: 0, deletedSegments: 0, checkedSegments: 0, checkedBytes: 0 };
    for (const entry of readdirSync(this.logDir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const name = entry.name;
      const dir = join(this.logDir, name);
      if (name.endsWith(DELETE_DIR_SUFFIX)) {
        rmSync(dir, { recursive: true, force: true });
        this.logger?.info({ dir }, "finished deleting a partition directory");
        continue;
      }
      if (name.endsWith(STRAY_DIR_SUFFIX)) continue;
      const parsed = parsePartitionDirName(name);
      if (!parsed) continue;
      const topic = this.topicMeta.get(parsed.topic);
      const dirTopicId = readPartitionMetadata(dir);
      if (!topic || parsed.partition >= topic.partitions || (dirTopicId !== undefined && dirTopicId !== topic.topicId)) {
        const stray = `${dir}.${randomBytes(16).toString("hex")}${STRAY_DIR_SUFFIX}`;
        renameSync(dir, stray);
        this.logger?.warn({ dir, renamedTo: stray, topicId: dirTopicId }, "a partition directory belongs to no current topic: renamed as stray and left in place");
        continue;
      }
      const log = this.openPartition(topic, parsed.partition, dirTopicId === undefined);
      opened++;
      const r = log.recovery;
      if (r) {
        repairs.checkedSegments += r.checkedSegments;
        repairs.checkedBytes += r.checkedBytes;
        if (repaired(r)) {
          repairs.partitions++;
          repairs.truncatedSegments += r.truncatedSegments;
          repairs.truncatedBytes += r.truncatedBytes;
          repairs.rebuiltIndexes += r.rebuiltIndexes;
          repairs.deletedSegments += r.deletedSegments;
        }
      }
    }
    // Partitions whose directories were not created yet (a crash right after the topic change).
    for (const topic of this.topicMeta.values()) {
      for (let p = 0; p < topic.partitions; p++) {
        if (!this.logOf(topic.name, p)) this.openPartition(topic, p, true);
      }
    }
    this.recoveryPoints.clear();
    const fields = { logDir: this.logDir, topics: this.topicMeta.size, partitions: opened, ms: Date.now() - started, cleanShutdown: this.hadCleanShutdown, previousShutdown: this.previousShutdown, checkedSegments: repairs.checkedSegments, checkedBytes: repairs.checkedBytes };
    if (repairs.partitions > 0) {
      const { partitions, truncatedSegments, truncatedBytes, rebuiltIndexes, deletedSegments } = repairs;
      const what = { truncatedSegments, truncatedBytes, rebuiltIndexes, deletedSegments };
      this.logger?.warn({ ...fields, ...what, repairedPartitions: partitions }, `loaded the logs and repaired ${partitions} partition(s): ${what.truncatedBytes} bytes of torn or corrupt data truncated, ${what.rebuiltIndexes} index(es) rebuilt, ${what.deletedSegments} segment(s) deleted`);
    } else this.logger?.info(fields, "loaded the logs");
  }

  private openPartition(topic: TopicMetadata, partition: number, writeMetadata: boolean): PartitionLog {
    const dir = join(this.logDir, partitionDirName(topic.name, partition));
    const recoveryPoint = this.recoveryPoints.get(partitionDirName(topic.name, partition));
    const log = PartitionLog.open(dir, resolveLogConfig(this._defaults, topic.configs), {
      cleanShutdown: this.hadCleanShutdown,
      shutdown: this.previousShutdown,
      ...(recoveryPoint !== undefined ? { recoveryPoint } : {}),
      ...(this.logger ? { logger: this.logger.child({ topic: topic.name, partition }) } : {}),
    });
    if (writeMetadata) writeFileAtomic(join(dir, PARTITION_METADATA_FILE), `version: 0\ntopic_id: ${topic.topicId}\n`);
    const list = this.logs.get(topic.name) as PartitionLog[];
    list[partition] = log;
    return log;
  }

  private logOf(topic: string, partition: number): PartitionLog | undefined {
    return this.logs.get(topic)?.[partition];
  }

  private save(): void {
    const topics: TopicsFile["topics"] = {};
    for (const name of [...this.topicMeta.keys()].sort()) {
      const t = this.topicMeta.get(name) as TopicMetadata;
      topics[name] = { topicId: t.topicId, partitions: t.partitions, configs: { ...t.configs } };
    }
    writeFileAtomic(join(this.logDir, TOPICS_FILE), JSON.stringify({ version: TOPICS_FILE_VERSION, topics }, null, 2) + "\n");
  }

  /** Commits a change to the topic set: on failure the in-memory state goes back. */
  private commit(apply: () => void, undo: () => void): void {
    apply();
    try {
      this.save();
    } catch (err) {
      undo();
      throw new KafkaError(ErrorCode.KAFKA_STORAGE_ERROR, `could not write ${TOPICS_FILE}: ${(err as Error).message}`, { cause: err });
    }
  }

  private checkOpen(): void {
    if (this.closed) throw new Error("the log manager is closed");
  }

  get defaults(): Readonly<LogConfig> {
    return this._defaults;
  }

  /** New broker-wide defaults (dynamic broker configs): every log gets its new effective config. */
  updateDefaults(defaults: LogConfig): void {
    this._defaults = defaults;
    for (const topic of this.topicMeta.values()) this.applyConfig(topic);
  }

  topicNames(): string[] {
    return [...this.topicMeta.keys()];
  }

  topic(name: string): TopicMetadata | undefined {
    return this.topicMeta.get(name);
  }

  topicById(topicId: string): TopicMetadata | undefined {
    const name = this.byId.get(topicId);
    return name === undefined ? undefined : this.topicMeta.get(name);
  }

  /** The effective log config of a topic: broker defaults plus its overrides. */
  topicConfig(name: string): LogConfig | undefined {
    const topic = this.topicMeta.get(name);
    return topic ? resolveLogConfig(this._defaults, topic.configs) : undefined;
  }

  log(topic: string, partition: number): PartitionLog | undefined {
    return this.logOf(topic, partition);
  }

  /** Every partition log, topic by topic. */
  *allLogs(): IterableIterator<PartitionLog> {
    for (const list of this.logs.values()) yield* list;
  }

  /**
   * Creates a topic's metadata and partition logs. Throws KafkaError: INVALID_TOPIC_EXCEPTION
   * (a bad name, or one that collides with an existing topic once '.' and '_' are confused, as
   * Kafka refuses), TOPIC_ALREADY_EXISTS, INVALID_PARTITIONS, INVALID_CONFIG.
   */
  createTopic(name: string, partitions: number, configs: Readonly<Record<string, string>> = {}, topicId: string = newTopicId()): TopicMetadata {
    this.checkOpen();
    validateTopicName(name);
    if (this.topicMeta.has(name)) throw new KafkaError(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${name}' already exists.`);
    const collisionKey = name.replaceAll(".", "_");
    for (const other of this.topicMeta.keys()) {
      if (other.replaceAll(".", "_") === collisionKey) {
        throw new KafkaError(ErrorCode.INVALID_TOPIC_EXCEPTION, `Topic '${name}' collides with existing topic: ${other}`);
      }
    }
    if (!Number.isInteger(partitions) || partitions < 1) throw new KafkaError(ErrorCode.INVALID_PARTITIONS, `Number of partitions must be larger than 0, got ${partitions}.`);
    if (this.byId.has(topicId)) throw new KafkaError(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic id ${topicId} is already in use.`);
    resolveLogConfig(this._defaults, configs);
    const topic: TopicMetadata = { name, topicId, partitions, configs: { ...configs } };
    this.commit(
      () => {
        this.topicMeta.set(name, topic);
        this.byId.set(topicId, name);
        this.logs.set(name, []);
      },
      () => {
        this.topicMeta.delete(name);
        this.byId.delete(topicId);
        this.logs.delete(name);
      },
    );
    for (let p = 0; p < partitions; p++) this.openPartition(topic, p, true);
    return topic;
  }

  /** CreatePartitions: grows a topic to `total` partitions (INVALID_PARTITIONS if not more). */
  createPartitions(name: string, total: number): TopicMetadata {
    this.checkOpen();
    const old = this.requireTopic(name);
    if (!Number.isInteger(total) || total <= old.partitions) {
      throw new KafkaError(ErrorCode.INVALID_PARTITIONS, `Topic currently has ${old.partitions} partitions, which is higher than or equal to the requested ${total}.`);
    }
    const topic: TopicMetadata = { ...old, partitions: total };
    this.commit(
      () => this.topicMeta.set(name, topic),
      () => this.topicMeta.set(name, old),
    );
    for (let p = old.partitions; p < total; p++) this.openPartition(topic, p, true);
    return topic;
  }

  /** Replaces a topic's config overrides (validated first) and applies them to its logs live. */
  setTopicConfigs(name: string, configs: Readonly<Record<string, string>>): TopicMetadata {
    this.checkOpen();
    const old = this.requireTopic(name);
    resolveLogConfig(this._defaults, configs);
    const topic: TopicMetadata = { ...old, configs: { ...configs } };
    this.commit(
      () => this.topicMeta.set(name, topic),
      () => this.topicMeta.set(name, old),
    );
    this.applyConfig(topic);
    return topic;
  }

  private applyConfig(topic: TopicMetadata): void {
    const config = resolveLogConfig(this._defaults, topic.configs);
    for (const log of this.logs.get(topic.name) ?? []) log.updateConfig(config);
  }

  /** DeleteTopics: the topic is gone once topics.json says so; its directories follow. */
  deleteTopic(name: string): void {
    this.checkOpen();
    const topic = this.requireTopic(name);
    const logs = this.logs.get(name) ?? [];
    this.commit(
      () => {
        this.topicMeta.delete(name);
        this.byId.delete(topic.topicId);
        this.logs.delete(name);
      },
      () => {
        this.topicMeta.set(name, topic);
        this.byId.set(topic.topicId, name);
        this.logs.set(name, logs);
      },
    );
    for (const log of logs) log.delete();
  }

  private requireTopic(name: string): TopicMetadata {
    const topic = this.topicMeta.get(name);
    if (!topic) throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic '${name}' does not exist.`);
    return topic;
  }

  flush(): void {
    this.checkOpen();
    for (const log of this.allLogs()) log.flush();
  }

  /**
   * Writes every partition's recovery point to Kafka's checkpoint file: after an OS crash,
   * only what lies past it is checked (flush-scheduler.ts calls this periodically).
   */
  checkpointRecoveryPoints(): void {
    this.checkOpen();
    const points: Array<{ topic: string; partition: number; offset: bigint }> = [];
    for (const log of this.allLogs()) {
      if (log) points.push({ topic: log.topic, partition: log.partition, offset: log.recoveryPoint });
    }
    writeRecoveryPoints(this.logDir, points);
  }

  /** Starts the flush.ms checks and the periodic recovery point checkpoint (flush-scheduler.ts); close() stops them. */
  startFlushScheduler(options: Omit<FlushSchedulerOptions, "logger">): void {
    this.checkOpen();
    this.flusher?.stop();
    this.flusher = new FlushScheduler(this, { ...options, ...(this.logger ? { logger: this.logger } : {}) });
    this.flusher.start();
  }

  /** Flushes and closes every log, then leaves the clean shutdown marker and the lock. */
  close(): void {
    if (this.closed) return;
    this.flusher?.stop();
    for (const log of this.allLogs()) log.close();
    this.checkpointRecoveryPoints();
    this.closed = true;
    writeFileAtomic(join(this.logDir, CLEAN_SHUTDOWN_FILE), "");
    releaseLock(this.logDir);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * One process per log directory: two writers would corrupt it. Returns what the previous
 * holder's lock file said (its pid and boot id), which tells a process crash from an OS crash.
 */
function acquireLock(logDir: string): string | undefined {
  const path = join(logDir, LOCK_FILE);
  let previous: string | undefined;
  if (existsSync(path)) {
    previous = readFileSync(path, "utf8");
    const pid = Number(previous.split("\n")[0]?.trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
      throw new KafkaError(ErrorCode.KAFKA_STORAGE_ERROR, `the log directory ${logDir} is in use by process ${pid}`);
    }
  }
  writeFileSync(path, lockFileContent());
  return previous;
}

function releaseLock(logDir: string): void {
  try {
    unlinkSync(join(logDir, LOCK_FILE));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
}

/** Kafka's meta.properties (version 1): the cluster id lives with the data it names. */
function readOrCreateMeta(logDir: string, nodeId: number): { clusterId: string; nodeId: number } {
  const path = join(logDir, META_PROPERTIES_FILE);
  if (existsSync(path)) {
    const props = new Map<string, string>();
    for (const line of readFileSync(path, "utf8").split("\n")) {
      const m = /^\s*([^#=\s][^=]*?)\s*=\s*(.*?)\s*$/.exec(line);
      if (m) props.set(m[1] as string, m[2] as string);
    }
    const clusterId = props.get("cluster.id");
    const stored = Number(props.get("node.id"));
    if (clusterId) {
      if (Number.isInteger(stored) && stored !== nodeId) {
        throw new Error(`${path} belongs to node.id ${stored}, but this broker is node.id ${nodeId}`);
      }
      return { clusterId, nodeId };
    }
  }
  const clusterId = newTopicId();
  writeFileAtomic(path, `#\n#${new Date().toISOString()}\nnode.id=${nodeId}\nversion=1\ncluster.id=${clusterId}\n`);
  return { clusterId, nodeId };
}

/** The topic id in a partition directory's partition.metadata, if readable. */
function readPartitionMetadata(dir: string): string | undefined {
  const path = join(dir, PARTITION_METADATA_FILE);
  if (!existsSync(path)) return undefined;
  const m = /topic_id:\s*(\S+)/.exec(readFileSync(path, "utf8"));
  return m?.[1];
}

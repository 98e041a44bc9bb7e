// The Schema Registry (`hub registry`, and part of `hub start`): Confluent's REST API over a log
// of Confluent's `_schemas` records. Settings come from Confluent's schema-registry.properties
// keys. The log and the leader election are given by the caller (factories), so that the same
// registry runs over the `_schemas` topic with a Kafka group election, or in memory alone.
import { hostname } from "node:os";
import type { Component } from "../lib/lifecycle.ts";
import { firstListener, type Listener } from "../lib/listeners.ts";
import type { Logger } from "../lib/logger.ts";
import type { Properties } from "../lib/properties.ts";
import { createRegistryRestServer } from "./rest/server.ts";
import { RegistryService } from "./service.ts";
import type { LeaderElection, RegistryIdentity, RegistryLog } from "./store/log.ts";
import { MemoryRegistryLog } from "./store/memory-log.ts";
import { type CompatibilityLevel, parseCompatibilityLevel } from "./store/records.ts";
import { SingleInstanceElection } from "./store/single-instance-election.ts";
import { RegistryState } from "./store/state.ts";

export interface RegistrySettings {
  /** `listeners` (default http://127.0.0.1:8081, as the hub binds loopback unless told otherwise; Confluent binds 0.0.0.0). */
  listener: Listener;
  /** `kafkastore.bootstrap.servers`. */
  bootstrapServers: string;
  /** `kafkastore.topic` (default _schemas). */
  topic: string;
  /** `kafkastore.topic.replication.factor` (default 3). */
  replicationFactor: number;
  /** `kafkastore.topic.config.*`: configs of a `_schemas` topic created by the registry. */
  topicConfigs: Record<string, string>;
  /** `kafkastore.topic.skip.validation` (default false). */
  skipTopicValidation: boolean;
  /** `kafkastore.timeout.ms` (default 500): how long a store operation may take. */
  storeTimeoutMs: number;
  /** `kafkastore.init.timeout.ms` (default 60000): how long reading the log at start may take. */
  initTimeoutMs: number;
  /** `schema.registry.group.id` (default schema-registry): the election's group. */
  groupId: string;
  /** `host.name`: how other instances reach this one (default: the listener's host, or this machine's name). */
  hostName: string;
  /** `host.port` when set (default: the listener's port). */
  hostPort: number | null;
  /** `leader.eligibility` (older name `master.eligibility`, default true). */
  leaderEligibility: boolean;
  /** `schema.compatibility.level` (older name `avro.compatibility.level`, default backward). */
  compatibilityLevel: CompatibilityLevel;
  /** `mode.mutability` (default true): whether the mode can be changed. */
  modeMutability: boolean;
  /** `leader.read.timeout.ms` (default 60000): how long a write forwarded to the leader may take. */
  forwardTimeoutMs: number;
  /** `schema.search.default.limit` / `schema.search.max.limit` (default 1000 / 1000). */
  searchDefaultLimit: number;
  searchMaxLimit: number;
  /** Every property as given (the Kafka client's security settings are read from here). */
  props: Properties;
}

export class RegistrySettingsError extends Error {
  override name = "RegistrySettingsError";
}

function intSetting(props: Properties, key: string, fallback: number): number {
  const raw = props.get(key);
  if (raw === undefined || raw.trim() === "") return fallback;
  const n = Number(raw.trim());
  if (!Number.isInteger(n)) throw new RegistrySettingsError(`${key}: '${raw}' is not an integer`);
  return n;
}

function boolSetting(props: Properties, key: string, fallback: boolean): boolean {
  const raw = props.get(key)?.trim().toLowerCase();
  if (raw === undefined || raw === "") return fallback;
  if (raw !== "true" && raw !== "false") throw new RegistrySettingsError(`${key}: '${props.get(key)}' is not true or false`);
  return raw === "true";
}

export function registrySettings(props: Properties): RegistrySettings {
  const listener = firstListener(props.get("listeners") ?? "http://127.0.0.1:8081");
  const levelText = props.get("schema.compatibility.level") ?? props.get("avro.compatibility.level") ?? "backward";
  const compatibilityLevel = parseCompatibilityLevel(levelText);
  if (compatibilityLevel === null) {
    throw new RegistrySettingsError(
      `schema.compatibility.level: '${levelText}' is not one of none, backward, backward_transitive, forward, forward_transitive, full, full_transitive`,
    );
  }
  const topicConfigs: Record<string, string> = {};
  for (const [key, value] of props) if (key.startsWith("kafkastore.topic.config.")) topicConfigs[key.slice("kafkastore.topic.config.".length)] = value;
  const hostPort = props.get("host.port");
  return {
    listener,
    bootstrapServers: props.get("kafkastore.bootstrap.servers") ?? "PLAINTEXT://127.0.0.1:9092",
    topic: props.get("kafkastore.topic") ?? "_schemas",
    replicationFactor: intSetting(props, "kafkastore.topic.replication.factor", 3),
    topicConfigs,
    skipTopicValidation: boolSetting(props, "kafkastore.topic.skip.validation", false),
    storeTimeoutMs: intSetting(props, "kafkastore.timeout.ms", 500),
    initTimeoutMs: intSetting(props, "kafkastore.init.timeout.ms", 60_000),
    groupId: props.get("schema.registry.group.id") ?? "schema-registry",
    hostName: props.get("host.name") ?? (listener.host === "0.0.0.0" || listener.host === "::" ? hostname() : listener.host),
    hostPort: hostPort === undefined ? null : intSetting(props, "host.port", listener.port),
    leaderEligibility: boolSetting(props, "leader.eligibility", boolSetting(props, "master.eligibility", true)),
    compatibilityLevel,
    modeMutability: boolSetting(props, "mode.mutability", true),
    forwardTimeoutMs: intSetting(props, "leader.read.timeout.ms", 60_000),
    searchDefaultLimit: intSetting(props, "schema.search.default.limit", 1000),
    searchMaxLimit: intSetting(props, "schema.search.max.limit", 1000),
    props,
  };
}

/** How the registry gets its log and election (the `_schemas` topic and a Kafka group, or memory alone). */
export interface RegistryParts {
  createLog?(settings: RegistrySettings, log: Logger): RegistryLog;
  createElection?(settings: RegistrySettings, log: Logger): LeaderElection;
}

export interface RunningRegistry extends Component {
  /** The URL the REST API answers on. */
  readonly url: string;
  readonly service: RegistryService;
}

export async function startRegistry(settings: RegistrySettings, log: Logger, parts: RegistryParts = {}): Promise<RunningRegistry> {
  const state = new RegistryState(log);
  let registryLog: RegistryLog;
  if (parts.createLog) registryLog = parts.createLog(settings, log);
  else {
    registryLog = new MemoryRegistryLog();
    log.warn("the registry keeps its schemas in memory only: they are lost when it stops");
  }
  const started = Date.now();
  await registryLog.start((record) => state.apply(record));
  log.info({ topic: settings.topic, records: state.applied, skipped: state.skipped, ms: Date.now() - started }, "registry state loaded");

  const election = parts.createElection?.(settings, log) ?? new SingleInstanceElection();
  const service = new RegistryService({
    state,
    log: registryLog,
    election,
    defaultCompatibility: settings.compatibilityLevel,
    modeMutability: settings.modeMutability,
    storeTimeoutMs: settings.storeTimeoutMs,
    searchDefaultLimit: settings.searchDefaultLimit,
    searchMaxLimit: settings.searchMaxLimit,
    logger: log,
  });
  const server = createRegistryRestServer({ service, log, forwardTimeoutMs: settings.forwardTimeoutMs });
  const scheme = settings.listener.scheme.toLowerCase() === "https" ? "https" : "http";
  const identityOn = (port: number): RegistryIdentity => ({ host: settings.hostName, port: settings.hostPort ?? port, scheme, leaderEligibility: settings.leaderEligibility });
  election.onLeaderChange((leader) => log.info({ leader: leader ? `${leader.scheme}://${leader.host}:${leader.port}` : null, me: election.isLeader() }, "registry leader changed"));
  // With a fixed port the first election is over before the REST API answers (no "Leader not
  // known" right after start-up); with port 0 (tests) the address is known only once bound.
  const electFirst = settings.hostPort !== null || settings.listener.port !== 0;
  let url: string;
  try {
    if (electFirst) await election.start(identityOn(settings.listener.port));
    url = await server.listen(settings.listener);
    if (!electFirst) await election.start(identityOn(Number(new URL(url).port) || settings.listener.port));
  } catch (err) {
    await server.close().catch(() => undefined);
    await election.close().catch(() => undefined);
    await registryLog.close();
    throw err;
  }
  log.info({ url, leader: election.isLeader() }, "registry REST listening");
  return {
    name: "registry",
    url,
    service,
    async stop(): Promise<void> {
      await server.close();
      await election.close();
      await registryLog.close();
    },
  };
}

// The Kafka-Connect-compatible worker (`hub connect`, and the Connect part of `hub start`): the
// plugin registry (built-ins and plugin.path), the worker, a herder (standalone: configs in
// memory and offsets in offset.storage.file.filename, as connect-standalone; distributed: a
// Kafka group and the three storage topics, as connect-distributed) and the REST API on the
// configured listener. The worker id is the REST address other workers and users reach it on
// (Kafka's advertised URL), so the REST server binds before the worker is built.
import { execFileSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { Kafka } from "kafkajs";
import { ConfigException } from "./api/index.ts";
import type { Component } from "../lib/lifecycle.ts";
import { KafkaClusterClient } from "../lib/kafka-client/index.ts";
import { firstListener, type Listener } from "../lib/listeners.ts";
import type { Logger } from "../lib/logger.ts";
import { parseProperties, type Properties } from "../lib/properties.ts";
import { HUB_VERSION } from "../lib/version.ts";
import { createRestServer, DEFAULT_REQUEST_TIMEOUT_MS, type RestServer } from "./rest/server.ts";
import { type InternalRequestHandler, registerInternalRoutes } from "./rest/resources/internal.ts";
import type { DistributedHerder } from "./runtime/herder/distributed-herder.ts";
import type { Herder } from "./runtime/herder/herder.ts";
import { KafkaSinkOffsetsAdmin } from "./runtime/herder/kafka-sink-offsets-admin.ts";
import type { WorkerHooks } from "./runtime/herder/abstract-herder.ts";
import { StandaloneHerder } from "./runtime/herder/standalone-herder.ts";
import { clusterClientOptions, kafkaClient } from "./runtime/kafka-clients.ts";
import { LoggerLevels } from "./runtime/loggers.ts";
import { createPluginRegistry } from "./runtime/plugins/plugin-path.ts";
import type { PluginRegistry } from "./runtime/plugins/registry.ts";
import { ConnectMetrics } from "./runtime/metrics.ts";
import { ConnectWorker } from "./runtime/worker.ts";
import { WorkerConfig } from "./runtime/worker-config.ts";
import type { Worker } from "./runtime/worker-contract.ts";
import type { OffsetBackingStore } from "./storage/types.ts";
import { FileOffsetBackingStore } from "./storage/file-offset-store.ts";

export type ConnectMode = "distributed" | "standalone";

export interface ConnectSettings {
  mode: ConnectMode;
  listener: Listener;
  bootstrapServers: string;
  groupId: string | undefined;
  /** The worker's properties (connect-standalone.properties / connect-distributed.properties). */
  props: Properties;
  /** Standalone: the connectors named on the command line, created at start-up. */
  connectorConfigs: ReadonlyArray<Record<string, string>>;
}

export function connectSettings(props: Properties, mode: ConnectMode, connectorConfigs: ReadonlyArray<Record<string, string>> = []): ConnectSettings {
  // `rest.host.name`/`rest.port` are the pre-KIP-208 keys; `listeners` wins when both are set.
  const legacy = props.has("rest.port") ? `http://${props.get("rest.host.name") ?? ""}:${props.get("rest.port")}` : undefined;
  return {
    mode,
    listener: firstListener(props.get("listeners") ?? legacy ?? "http://127.0.0.1:8083"),
    bootstrapServers: props.get("bootstrap.servers") ?? "localhost:9092",
    groupId: props.get("group.id"),
    props,
    connectorConfigs,
  };
}

/**
 * A connector config file as connect-standalone takes them: Java properties, or JSON (KIP-952:
 * `{"name": ..., "config": {...}}` as POST /connectors takes it, or a bare config map).
 */
export async function readConnectorConfigFile(path: string): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new Error(`cannot read connector config file ${path}: ${(err as Error).message}`, { cause: err });
  }
  if (!path.toLowerCase().endsWith(".json")) return Object.fromEntries(parseProperties(text, path));
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`connector config file ${path} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  if (!isMap(parsed)) throw new Error(`connector config file ${path} must hold a JSON object`);
  const request = isMap(parsed["config"]) ? parsed : null;
  const config: Record<string, string> = {};
  for (const [k, v] of Object.entries(request ? (request["config"] as Record<string, unknown>) : parsed)) {
    if (v !== null && v !== undefined) config[k] = typeof v === "string" ? v : String(v);
  }
  if (request && typeof request["name"] === "string") config["name"] ??= request["name"];
  return config;
}

/** GET / `commit`: the hub's git commit when it runs from a checkout (Kafka shows its build's). */
function hubCommit(): string {
  try {
    return execFileSync("git", ["rev-parse", "--short=16", "HEAD"], { cwd: new URL("..", import.meta.url).pathname, stdio: ["ignore", "pipe", "ignore"], timeout: 2000 })
      .toString()
      .trim();
  } catch {
    return "unknown";
  }
}

/** Kafka's advertised URL: rest.advertised.* when set, else the address the REST server bound. */
function advertisedUrl(config: WorkerConfig, boundUrl: string): string {
  const bound = new URL(boundUrl);
  const host = config.getString("rest.advertised.host.name") ?? bound.hostname;
  const port = (config.get("rest.advertised.port") as number | null) ?? Number(bound.port);
  const scheme = config.getString("rest.advertised.listener") ?? bound.protocol.replace(/:$/, "");
  return `${scheme}://${host.includes(":") && !host.startsWith("[") ? `[${host}]` : host}:${port}/`;
}

const bool = (value: unknown, fallback: boolean): boolean => (value === undefined || value === null ? fallback : String(value).trim().toLowerCase() === "true");

interface Shared {
  readonly config: WorkerConfig;
  readonly registry: PluginRegistry;
  readonly loggers: LoggerLevels;
  readonly client: KafkaClusterClient;
  readonly kafkaClusterId: string;
  readonly restUrl: string;
  readonly workerId: string;
  readonly log: Logger;
  readonly metrics: ConnectMetrics;
}

function newWorker(shared: Shared, offsetStore: OffsetBackingStore, hooks: WorkerHooks): Worker {
  return new ConnectWorker({
    workerId: shared.workerId,
    config: shared.config,
    plugins: shared.registry,
    offsetStore,
    statusListener: hooks.statusListener,
    control: hooks.connectorControl,
    logger: shared.loggers.logger("connect.worker"),
    metrics: shared.metrics,
  });
}

function standaloneHerder(shared: Shared): StandaloneHerder {
  const file = shared.config.getString("offset.storage.file.filename");
  if (!file) throw new ConfigException('Missing required configuration "offset.storage.file.filename" which has no default value.');
  const offsetStore = new FileOffsetBackingStore(resolve(file));
  return new StandaloneHerder({
    registry: shared.registry,
    workerConfig: shared.config,
    createWorker: (hooks) => newWorker(shared, offsetStore, hooks),
    offsetStore,
    sinkAdmin: new KafkaSinkOffsetsAdmin(shared.client),
    kafkaClusterId: shared.kafkaClusterId,
    log: shared.loggers.logger("connect.herder"),
  });
}

/** The distributed herder's modules, loaded only in distributed mode (a standalone worker does not pay for them). */
async function loadDistributed() {
  const [herder, stores] = await Promise.all([import("./runtime/herder/distributed-herder.ts"), import("./runtime/herder/distributed/stores.ts")]);
  return { DistributedHerder: herder.DistributedHerder, createDistributedStores: stores.createDistributedStores };
}

/** The distributed herder on the group and storage topics the worker config names. */
function distributedHerder(modules: Awaited<ReturnType<typeof loadDistributed>>, shared: Shared, kafka: Kafka): DistributedHerder {
  const stores = modules.createDistributedStores(shared.config, { kafka, client: shared.client, log: shared.loggers.logger("connect.storage") });
  return new modules.DistributedHerder({
    registry: shared.registry,
    workerConfig: shared.config,
    createWorker: (hooks) => newWorker(shared, stores.offset, hooks),
    configStore: stores.config,
    statusStore: stores.status,
    offsetStore: stores.offset,
    client: shared.client,
    restUrl: shared.restUrl,
    kafkaClusterId: shared.kafkaClusterId,
    sinkAdmin: new KafkaSinkOffsetsAdmin(shared.client),
    log: shared.loggers.logger("connect.herder"),
  });
}

export interface ConnectComponent extends Component {
  readonly url: string;
  readonly herder: Herder;
}

export async function startConnect(settings: ConnectSettings, log: Logger): Promise<ConnectComponent> {
  const distributed = settings.mode === "distributed";
  const config = new WorkerConfig(settings.props, distributed);
  const loggers = new LoggerLevels(log);
  const metrics = new ConnectMetrics();
  const registry = await createPluginRegistry(config.getList("plugin.path"), loggers.logger("connect.plugins"));
  const bootstrapServers = config.getList("bootstrap.servers") ?? [settings.bootstrapServers];
  // The worker's own clients (cluster id, group membership, storage topics) take its un-prefixed
  // client settings, as Kafka's do: security.protocol, ssl.*, sasl.*, request.timeout.ms...
  const clientId = config.getString("client.id") || "hub-connect";
  const workerClientProps = { ...config.originalsStrings(), "bootstrap.servers": bootstrapServers.join(","), "client.id": clientId };
  const client = new KafkaClusterClient({ ...clusterClientOptions(workerClientProps), logger: loggers.logger("connect.kafka") });
  let server: RestServer | undefined;
  let herder: Herder | undefined;
  try {
    // Kafka looks the cluster id up first: a worker that cannot reach its cluster does not start.
    const kafkaClusterId = (await client.metadata()).clusterId ?? "";
    const distributedModules = distributed ? await loadDistributed() : null;
    const originals = config.originals();
    // The REST server binds first (the worker id is its address); the herder is attached before
    // any request can arrive (no await between listen() returning and the assignment below).
    const lateHerder = new Proxy({} as Herder, {
      get: (_target, property) => {
        if (!herder) throw new Error("the Connect herder is not attached yet");
        const value = Reflect.get(herder, property) as unknown;
        return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(herder) : value;
      },
    });
    let internalHandler: InternalRequestHandler | undefined;
    server = createRestServer({
      herder: lateHerder,
      metricsRegistry: metrics.registry,
      loggers,
      log: loggers.logger("connect.rest"),
      version: HUB_VERSION,
      commit: hubCommit(),
      topicTrackingEnabled: bool(originals["topic.tracking.enable"], true),
      topicTrackingResetEnabled: bool(originals["topic.tracking.allow.reset"], true),
      ...(distributed
        ? {
            registerInternalRoutes: (app) =>
              registerInternalRoutes(
                app,
                { requestTimeoutMs: DEFAULT_REQUEST_TIMEOUT_MS },
                {
                  putTaskConfigs: (connector, configs, signature, body) => {
                    if (!internalHandler) throw new Error("the Connect herder is not attached yet");
                    return internalHandler.putTaskConfigs(connector, configs, signature, body);
                  },
                },
              ),
          }
        : {}),
    });
    const url = await server.listen(settings.listener);
    const restUrl = advertisedUrl(config, url);
    const shared: Shared = { config, registry, loggers, client, kafkaClusterId, restUrl, workerId: new URL(restUrl).host, log, metrics };
    if (distributedModules) {
      const kafka = kafkaClient({ ...workerClientProps, "client.id": `${clientId}-storage` }, loggers.logger("connect.kafka"));
      herder = internalHandler = distributedHerder(distributedModules, shared, kafka);
    } else {
      herder = standaloneHerder(shared);
    }
    log.info({ url }, "connect REST listening");
    await herder.start();
    for (const connector of settings.connectorConfigs) {
      const name = connector["name"] ?? "";
      const created = await herder.putConnectorConfig(name, connector, false);
      log.info({ connector: created.info.name, type: created.info.type }, "connector created from the command line");
    }
    log.info({ mode: settings.mode, workerId: shared.workerId, kafkaClusterId, plugins: registry.list().length }, "Connect worker started");
    const running = herder;
    const rest = server;
    return {
      name: "connect",
      url,
      herder: running,
      async stop() {
        await rest.close();
        await running.stop();
        await client.close();
      },
    };
  } catch (err) {
    await server?.close().catch(() => undefined);
    await herder?.stop().catch(() => undefined);
    await client.close().catch(() => undefined);
    throw err;
  }
}

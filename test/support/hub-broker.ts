// Starts the hub's broker in this process on a free loopback port with a temporary data
// directory, for tests that drive it with real clients over TCP.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Broker } from "../../broker/broker.ts";
import { readBrokerConfig } from "../../broker/config/broker-config.ts";
import { createLogger, type Logger } from "../../lib/logger.ts";

export interface HubBrokerHandle {
  readonly broker: Broker;
  readonly bootstrap: string;
  readonly port: number;
  readonly dataDir: string;
  /** GET it for the Prometheus metrics (on a free port); undefined with hub.metrics.listener=none. */
  readonly metricsUrl: string | undefined;
  /** Stops the broker cleanly; the data directory stays for a restart. */
  stop(): Promise<void>;
  /** Stops (if running) and starts a new broker on the same port and data directory. */
  restart(): Promise<HubBrokerHandle>;
  /** Stops the broker and removes its data directory. */
  destroy(): Promise<void>;
}

export interface HubBrokerOptions {
  dataDir?: string;
  port?: number;
  /** server.properties keys. Tests default to a short initial rebalance delay. */
  overrides?: Record<string, string>;
  /** The broker's logger (default: JSON at HUB_TEST_LOG_LEVEL or warn). */
  log?: Logger;
}

export async function startHubBroker(options: HubBrokerOptions = {}): Promise<HubBrokerHandle> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), "hub-broker-test-")));
  const props = new Map<string, string>([
    ["listeners", `PLAINTEXT://127.0.0.1:${options.port ?? 0}`],
    ["log.dirs", join(dataDir, "logs")],
    ["group.initial.rebalance.delay.ms", "200"],
    ["hub.metrics.listener", "http://127.0.0.1:0"],
    ...Object.entries(options.overrides ?? {}),
  ]);
  const log = options.log ?? createLogger({ level: (process.env.HUB_TEST_LOG_LEVEL as "info" | undefined) ?? "warn", format: "json" });
  const broker = await Broker.start(readBrokerConfig(props, dataDir), log);
  let stopped = false;
  const handle: HubBrokerHandle = {
    broker,
    port: broker.port,
    bootstrap: `127.0.0.1:${broker.port}`,
    dataDir,
    metricsUrl: broker.metricsUrl,
    async stop() {
      if (stopped) return;
      stopped = true;
      await broker.stop();
    },
    async restart() {
      await handle.stop();
      return startHubBroker({ ...options, dataDir, port: broker.port });
    },
    async destroy() {
      await handle.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return handle;
}

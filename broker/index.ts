// The broker: Kafka's wire protocol over the log store. Not built yet (issue #3); start()
// resolves its configuration so `hub broker` and `hub start` already take real settings.
import { join } from "node:path";
import type { Component } from "../lib/lifecycle.ts";
import { firstListener, type Listener } from "../lib/listeners.ts";
import type { Logger } from "../lib/logger.ts";
import type { Properties } from "../lib/properties.ts";

export interface BrokerSettings {
  listener: Listener;
  logDirs: string[];
}

export function brokerSettings(props: Properties, dataDir: string): BrokerSettings {
  return {
    listener: firstListener(props.get("listeners") ?? "PLAINTEXT://127.0.0.1:9092"),
    logDirs: (props.get("log.dirs") ?? props.get("log.dir") ?? join(dataDir, "broker")).split(",").map((d) => d.trim()),
  };
}

export async function startBroker(settings: BrokerSettings, log: Logger): Promise<Component> {
  const { host, port } = settings.listener;
  log.warn({ listener: `${host}:${port}`, logDirs: settings.logDirs }, "the Kafka broker is not built yet (issue #3): nothing listens here");
  return { name: "broker", stop: async () => {} };
}

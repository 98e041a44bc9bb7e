// The Kafka-Connect-compatible worker. Not built yet (issue #5): a placeholder REST listener
// answers Connect's root resource on the configured address.
import type { Component } from "../lib/lifecycle.ts";
import { firstListener, type Listener } from "../lib/listeners.ts";
import type { Logger } from "../lib/logger.ts";
import { startPlaceholderRest } from "../lib/placeholder-rest.ts";
import type { Properties } from "../lib/properties.ts";
import { HUB_VERSION } from "../lib/version.ts";

export type ConnectMode = "distributed" | "standalone";

export interface ConnectSettings {
  mode: ConnectMode;
  listener: Listener;
  bootstrapServers: string;
  groupId: string | undefined;
}

export function connectSettings(props: Properties, mode: ConnectMode): ConnectSettings {
  // `rest.host.name`/`rest.port` are the pre-KIP-208 keys; `listeners` wins when both are set.
  const legacy = props.has("rest.port") ? `http://${props.get("rest.host.name") ?? ""}:${props.get("rest.port")}` : undefined;
  return {
    mode,
    listener: firstListener(props.get("listeners") ?? legacy ?? "http://127.0.0.1:8083"),
    bootstrapServers: props.get("bootstrap.servers") ?? "localhost:9092",
    groupId: props.get("group.id"),
  };
}

export async function startConnect(settings: ConnectSettings, log: Logger): Promise<Component> {
  return startPlaceholderRest({
    name: "connect",
    listener: settings.listener,
    root: { version: HUB_VERSION, commit: "", kafka_cluster_id: null },
    notBuilt: "the Connect runtime is not built yet (issue #5)",
    log,
  });
}

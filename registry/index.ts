// The Schema Registry (Confluent's REST API over a `_schemas` topic). Not built yet
// (issue #6): a placeholder REST listener answers on the configured address.
import type { Component } from "../lib/lifecycle.ts";
import { firstListener, type Listener } from "../lib/listeners.ts";
import type { Logger } from "../lib/logger.ts";
import { startPlaceholderRest } from "../lib/placeholder-rest.ts";
import type { Properties } from "../lib/properties.ts";

export interface RegistrySettings {
  listener: Listener;
  bootstrapServers: string;
  topic: string;
}

export function registrySettings(props: Properties): RegistrySettings {
  return {
    listener: firstListener(props.get("listeners") ?? "http://127.0.0.1:8081"),
    bootstrapServers: props.get("kafkastore.bootstrap.servers") ?? "PLAINTEXT://127.0.0.1:9092",
    topic: props.get("kafkastore.topic") ?? "_schemas",
  };
}

export async function startRegistry(settings: RegistrySettings, log: Logger): Promise<Component> {
  return startPlaceholderRest({
    name: "registry",
    listener: settings.listener,
    root: {},
    notBuilt: "the Schema Registry is not built yet (issue #6)",
    log,
  });
}

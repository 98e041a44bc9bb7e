// The broker part of `hub`: reads server.properties settings and runs the Kafka-protocol
// broker until stopped.
import type { Component } from "../lib/lifecycle.ts";
import type { Logger } from "../lib/logger.ts";
import type { Properties } from "../lib/properties.ts";
import { Broker } from "./broker.ts";
import { readBrokerConfig, type BrokerConfig } from "./config/broker-config.ts";

export type { BrokerConfig };

export function brokerSettings(props: Properties, dataDir: string): BrokerConfig {
  return readBrokerConfig(props, dataDir);
}

export async function startBroker(config: BrokerConfig, log: Logger): Promise<Component & { port: number }> {
  const broker = await Broker.start(config, log);
  return { name: "broker", port: broker.port, stop: () => broker.stop() };
}

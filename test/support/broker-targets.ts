// The compatibility rule: a client scenario runs against the hub's broker and against Apache
// Kafka (the test service), so any difference in behaviour fails a test. Each target gives a
// bootstrap address and a suffix that keeps topic and group names unique on the shared,
// persistent Kafka service.
import { requireService } from "../services/index.ts";
import { startHubBroker } from "./hub-broker.ts";

export interface BrokerTarget {
  readonly name: "hub" | "kafka";
  readonly bootstrap: string;
  /** Appended to topic and group names. */
  readonly suffix: string;
  close(): Promise<void>;
}

export const BROKER_TARGETS = ["hub", "kafka"] as const;

export async function openBrokerTarget(name: BrokerTarget["name"]): Promise<BrokerTarget> {
  const suffix = `-${process.pid}-${Date.now().toString(36)}`;
  if (name === "hub") {
    const hub = await startHubBroker();
    return { name, bootstrap: hub.bootstrap, suffix, close: () => hub.destroy() };
  }
  return { name, bootstrap: await requireService("kafka"), suffix, close: async () => {} };
}

// The Connect workers a Connect conformance scenario runs against: Apache Kafka Connect 4.3.1
// (the reference, a JVM child process) and the hub's Connect worker, each on a given broker
// (the hub's broker or the Apache Kafka service), so that the same expectations are checked
// against both and any difference is a failing test.
import { startHubConnectWorker } from "./hub-connect.ts";
import { startKafkaConnect } from "./kafka-connect-process.ts";

export type ConnectTargetName = "kafka-connect" | "hub";

/** The targets the conformance suites run against. */
export const CONNECT_TARGETS: readonly ConnectTargetName[] = ["kafka-connect"];

export interface ConnectTarget {
  readonly name: ConnectTargetName;
  /** The REST API's base URL, without a trailing slash. */
  readonly url: string;
  stop(): Promise<void>;
}

export async function openConnectTarget(name: ConnectTargetName, bootstrap: string): Promise<ConnectTarget> {
  if (name === "kafka-connect") {
    const worker = await startKafkaConnect({ bootstrap });
    return { name, url: worker.url, stop: () => worker.stop() };
  }
  const worker = await startHubConnectWorker({ bootstrap });
  return { name, url: worker.url.replace(/\/+$/, ""), stop: () => worker.stop() };
}

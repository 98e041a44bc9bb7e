// The Connect workers a Connect conformance scenario runs against: Apache Kafka Connect 4.3.1
// (the reference, a JVM child process) and the hub's Connect worker, each on a given broker
// (the hub's broker or the Apache Kafka service), so that the same expectations are checked
// against both and any difference is a failing test. Both run in distributed mode (Kafka's
// answers were measured on a distributed worker: internal topics, a group, a leader), and both
// are handed to the scenario only once ready in the same sense. Their config, offset and status
// topics are named after their group (connect-group.ts) and listed, so that a suite can check
// how they were created.
import { connectGroupProps } from "./connect-group.ts";
import { startHubConnectWorker } from "./hub-connect.ts";
import { httpStatus, startKafkaConnect } from "./kafka-connect-process.ts";

export type ConnectTargetName = "kafka-connect" | "hub";

/** The targets the conformance suites run against. */
export const CONNECT_TARGETS: readonly ConnectTargetName[] = ["kafka-connect", "hub"];

export interface ConnectTarget {
  readonly name: ConnectTargetName;
  /** The REST API's base URL, without a trailing slash. */
  readonly url: string;
  /** The worker's config, offset and status topics, in that order. */
  readonly internalTopics: readonly [string, string, string];
  stop(): Promise<void>;
}

export interface ConnectTargetOptions {
  /**
   * Replication factor of the internal topics. Default: each worker's test default (Kafka
   * Connect's 1, the hub's -1, the broker's default), which suits a one-broker cluster.
   */
  readonly replicationFactor?: number;
}

let counter = 0;

const READY_TIMEOUT_MS = 60_000;

/**
 * Waits until the worker is ready as startKafkaConnect() waits for Kafka Connect: GET /health
 * says healthy (the herder has started and joined its group) and GET /connectors answers (the
 * group has a leader).
 */
async function untilReady(url: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while ((await httpStatus(`${url}/health`)) !== 200 || (await httpStatus(`${url}/connectors`)) !== 200) {
    if (Date.now() > deadline) throw new Error(`the hub's Connect worker at ${url} was not ready within ${READY_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function openConnectTarget(name: ConnectTargetName, bootstrap: string, options: ConnectTargetOptions = {}): Promise<ConnectTarget> {
  const rf = options.replicationFactor;
  if (name === "kafka-connect") {
    const worker = await startKafkaConnect({ bootstrap, ...(rf === undefined ? {} : { replicationFactor: rf }) });
    return { name, url: worker.url, internalTopics: [worker.configTopic, worker.offsetTopic, worker.statusTopic], stop: () => worker.stop() };
  }
  const group = `hub-connect-${process.pid}-${Date.now().toString(36)}-t${++counter}`;
  const groupProps = connectGroupProps(group, rf === undefined ? undefined : String(rf));
  const worker = await startHubConnectWorker({ bootstrap, mode: "distributed", group, props: groupProps });
  const url = worker.url.replace(/\/+$/, "");
  try {
    await untilReady(url);
  } catch (err) {
    await worker.stop();
    throw err;
  }
  const internalTopics = [groupProps["config.storage.topic"], groupProps["offset.storage.topic"], groupProps["status.storage.topic"]] as [string, string, string];
  return { name, url, internalTopics, stop: () => worker.stop() };
}

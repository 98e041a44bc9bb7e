// What request handlers share: the broker's identity and its subsystems. One object, built
// by Broker.start(), passed to every handler factory.
import type { Logger } from "../lib/logger.ts";
import type { BrokerConfig } from "./config/broker-config.ts";
import type { LogManager } from "./log/log-manager.ts";
import type { PartitionLog } from "./log/partition-log.ts";
import type { BrokerMetrics } from "./metrics.ts";
import { PartitionProducerState } from "./producer/producer-state.ts";
import type { ProducerIdAllocator } from "./producer/producer-ids.ts";
import type { AppendWaiters } from "./server/append-waiters.ts";

export interface BrokerIdentity {
  nodeId: number;
  clusterId: string;
  host: string;
  port: number;
}

export interface BrokerCoreBase {
  readonly config: BrokerConfig;
  readonly identity: BrokerIdentity;
  readonly metrics: BrokerMetrics;
  readonly log: Logger;
  /** APIs the router serves, for ApiVersions. */
  supportedApis(): Array<{ apiKey: number; minVersion: number; maxVersion: number }>;
}

export interface BrokerCore extends BrokerCoreBase {
  readonly logs: LogManager;
  readonly producerIds: ProducerIdAllocator;
  /** Fetch long polls waiting for appends. */
  readonly appendWaiters: AppendWaiters;
  producerState(topic: string, partition: number): PartitionProducerState;
  /** Drops per-topic state (producer state, committed group offsets) when a topic is deleted. */
  forgetTopic(topic: string): void;
  /** Creates a topic with the broker defaults if auto-creation allows it. */
  autoCreateTopic(name: string): boolean;
}

/**
 * The idempotent producer state of each partition. It lives with the partition's log
 * (PartitionLog.producerState), which snapshots it and rebuilds it after a restart, so that a
 * producer retrying across a broker crash is still recognised; it goes when the log goes.
 */
export class ProducerStates {
  private readonly logs: LogManager;

  constructor(logs: LogManager) {
    this.logs = logs;
  }

  get(topic: string, partition: number): PartitionProducerState {
    return this.logs.log(topic, partition)?.producerState() ?? new PartitionProducerState();
  }

  forget(_topic: string): void {
    // Deleting a topic deletes its logs, and the state with them.
  }
}

export type { PartitionLog };

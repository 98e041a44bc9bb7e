// The client's view of the cluster: brokers, and for each topic it asked about, the
// partitions and their leaders. Snapshots are immutable: a refresh builds new maps, so a
// caller holding one never sees it change underneath.
import type { MetadataResponse } from "../../broker/protocol/generated/metadata-response.ts";
import { ZERO_UUID } from "../../broker/protocol/primitives/reader.ts";

export interface BrokerNode {
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
  readonly rack: string | null;
}

export interface PartitionMetadata {
  readonly partition: number;
  /** NONE, or e.g. LEADER_NOT_AVAILABLE while an election runs. */
  readonly errorCode: number;
  /** -1 when the partition has no leader right now. */
  readonly leaderId: number;
  readonly leaderEpoch: number;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
}

export interface TopicMetadata {
  readonly name: string;
  /** Base64url topic id; ZERO_UUID when the broker's Metadata version has none (before v10). */
  readonly topicId: string;
  /** NONE, or why the topic could not be described (UNKNOWN_TOPIC_OR_PARTITION...). */
  readonly errorCode: number;
  readonly isInternal: boolean;
  readonly partitions: ReadonlyMap<number, PartitionMetadata>;
}

export interface ClusterMetadata {
  readonly clusterId: string | null;
  readonly controllerId: number;
  readonly brokers: ReadonlyMap<number, BrokerNode>;
  /** Topics this client has asked about, as of their last refresh. */
  readonly topics: ReadonlyMap<string, TopicMetadata>;
  /** Date.now() of the refresh that produced this snapshot; 0 before the first one. */
  readonly updatedAt: number;
}

export const EMPTY_METADATA: ClusterMetadata = { clusterId: null, controllerId: -1, brokers: new Map(), topics: new Map(), updatedAt: 0 };

export function hasTopicId(topic: TopicMetadata): boolean {
  return topic.topicId !== ZERO_UUID && topic.topicId !== "";
}

/** The previous snapshot updated with a Metadata response: brokers replaced, topics merged. */
export function mergeMetadata(previous: ClusterMetadata, response: MetadataResponse, now: number): ClusterMetadata {
  const brokers = new Map<number, BrokerNode>();
  for (const b of response.brokers) brokers.set(b.nodeId, { nodeId: b.nodeId, host: b.host, port: b.port, rack: b.rack });
  const topics = new Map(previous.topics);
  for (const t of response.topics) {
    if (t.name === null) continue;
    const partitions = new Map<number, PartitionMetadata>();
    for (const p of t.partitions) {
      partitions.set(p.partitionIndex, {
        partition: p.partitionIndex,
        errorCode: p.errorCode,
        leaderId: p.leaderId,
        leaderEpoch: p.leaderEpoch,
        replicas: p.replicaNodes,
        isr: p.isrNodes,
      });
    }
    topics.set(t.name, { name: t.name, topicId: t.topicId, errorCode: t.errorCode, isInternal: t.isInternal, partitions });
  }
  return { clusterId: response.clusterId, controllerId: response.controllerId, brokers, topics, updatedAt: now };
}

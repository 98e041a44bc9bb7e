// The worker properties that make a distributed Connect group: group.id and the three internal
// topics, named after the group (<group>-configs, -offsets, -status) by every test, so hub and
// Kafka Connect workers given the same group share one cluster's state.

/** group.id, the storage topics and their replication factor (-1: the broker's default). */
export function connectGroupProps(groupId: string, replicationFactor: string = "-1"): Record<string, string> {
  return {
    "group.id": groupId,
    "config.storage.topic": `${groupId}-configs`,
    "offset.storage.topic": `${groupId}-offsets`,
    "status.storage.topic": `${groupId}-status`,
    "config.storage.replication.factor": replicationFactor,
    "offset.storage.replication.factor": replicationFactor,
    "status.storage.replication.factor": replicationFactor,
  };
}

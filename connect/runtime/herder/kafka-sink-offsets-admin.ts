// A sink connector's consumer group offsets through the Kafka protocol, as Kafka's Admin client
// reads and changes them for KIP-875: OffsetFetch (list), OffsetCommit with no member (alter,
// which a group with members refuses), OffsetDelete (remove single partitions) and DeleteGroups
// (reset). Requests go to the group's coordinator; a moved or loading coordinator is retried.
import { ErrorCode, KafkaError, type KafkaClusterClient } from "../../../lib/kafka-client/index.ts";
import { ApiKey } from "../../../broker/protocol/generated/index.ts";
import { type GroupPartitionOffset, GroupNotEmptyError, type SinkOffsetsAdmin } from "./connector-offsets.ts";

const COORDINATOR_ERRORS = new Set<number>([ErrorCode.COORDINATOR_LOAD_IN_PROGRESS, ErrorCode.COORDINATOR_NOT_AVAILABLE, ErrorCode.NOT_COORDINATOR]);
const ATTEMPTS = 10;

class CoordinatorMoved extends Error {}

function check(code: number): void {
  if (code === ErrorCode.NONE) return;
  if (COORDINATOR_ERRORS.has(code)) throw new CoordinatorMoved();
  if (code === ErrorCode.UNKNOWN_MEMBER_ID || code === ErrorCode.ILLEGAL_GENERATION || code === ErrorCode.NON_EMPTY_GROUP || code === ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC) {
    throw new GroupNotEmptyError(new KafkaError(code).message, { cause: new KafkaError(code) });
  }
  throw new KafkaError(code);
}

function byTopic<T extends { topic: string }>(items: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    let list = out.get(item.topic);
    if (!list) out.set(item.topic, (list = []));
    list.push(item);
  }
  return out;
}

export class KafkaSinkOffsetsAdmin implements SinkOffsetsAdmin {
  readonly #client: KafkaClusterClient;

  constructor(client: KafkaClusterClient) {
    this.#client = client;
  }

  /** Runs a coordinator request, looking the coordinator up again while it moves or loads. */
  async #withCoordinator<T>(groupId: string, work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (err) {
        if (!(err instanceof CoordinatorMoved) || attempt >= ATTEMPTS) throw err instanceof CoordinatorMoved ? new KafkaError(ErrorCode.COORDINATOR_NOT_AVAILABLE) : err;
        this.#client.invalidateCoordinator(groupId);
        await new Promise((resolve) => setTimeout(resolve, Math.min(100 * attempt, 1000)));
      }
    }
  }

  listOffsets(groupId: string): Promise<GroupPartitionOffset[]> {
    return this.#withCoordinator(groupId, async () => {
      const response = await this.#client.send({ coordinator: groupId }, ApiKey.OffsetFetch, (version) => ({
        groupId,
        topics: null,
        groups: version >= 8 ? [{ groupId, memberId: null, memberEpoch: -1, topics: null }] : [],
        requireStable: true,
      }));
      const group = response.groups[0];
      const topics = group ? group.topics : response.topics;
      check(group ? group.errorCode : response.errorCode);
      const out: GroupPartitionOffset[] = [];
      for (const topic of topics) {
        for (const p of topic.partitions) {
          check(p.errorCode);
          if (p.committedOffset >= 0n) out.push({ topic: topic.name, partition: p.partitionIndex, offset: Number(p.committedOffset) });
        }
      }
      return out;
    });
  }

  alterOffsets(groupId: string, offsets: readonly GroupPartitionOffset[]): Promise<void> {
    return this.#withCoordinator(groupId, async () => {
      const response = await this.#client.send({ coordinator: groupId }, ApiKey.OffsetCommit, {
        groupId,
        // No generation and no member: the coordinator accepts this only for a group without members.
        generationIdOrMemberEpoch: -1,
        memberId: "",
        groupInstanceId: null,
        retentionTimeMs: -1n,
        topics: [...byTopic(offsets)].map(([name, list]) => ({
          name,
          partitions: list.map((o) => ({ partitionIndex: o.partition, committedOffset: BigInt(o.offset), committedLeaderEpoch: -1, commitTimestamp: -1n, committedMetadata: "" })),
        })),
      });
      for (const topic of response.topics) for (const p of topic.partitions) check(p.errorCode);
    });
  }

  deleteOffsets(groupId: string, partitions: ReadonlyArray<{ topic: string; partition: number }>): Promise<void> {
    return this.#withCoordinator(groupId, async () => {
      const response = await this.#client.send({ coordinator: groupId }, ApiKey.OffsetDelete, {
        groupId,
        topics: [...byTopic(partitions)].map(([name, list]) => ({ name, partitions: list.map((p) => ({ partitionIndex: p.partition })) })),
      });
      check(response.errorCode);
      for (const topic of response.topics) for (const p of topic.partitions) check(p.errorCode);
    });
  }

  deleteGroup(groupId: string): Promise<void> {
    return this.#withCoordinator(groupId, async () => {
      const response = await this.#client.send({ coordinator: groupId }, ApiKey.DeleteGroups, { groupsNames: [groupId] });
      for (const result of response.results) {
        // Deleting what is not there is fine: a reset may be repeated (Kafka treats it so too).
        if (result.errorCode !== ErrorCode.GROUP_ID_NOT_FOUND) check(result.errorCode);
      }
    });
  }
}

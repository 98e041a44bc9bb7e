// DescribeTopicPartitions paging and errors, as Kafka's KRaftMetadataCache answers them.
import { describe, expect, it } from "vitest";
import type { BrokerCore } from "../../../../broker/core.ts";
import { describeTopicPartitionsHandler } from "../../../../broker/handlers/75-describe-topic-partitions.ts";
import { ErrorCode } from "../../../../broker/protocol/generated/errors.ts";
import type { DescribeTopicPartitionsRequest } from "../../../../broker/protocol/generated/describe-topic-partitions-request.ts";
import type { DescribeTopicPartitionsResponse } from "../../../../broker/protocol/generated/describe-topic-partitions-response.ts";
import type { RequestContext } from "../../../../broker/server/router.ts";

const topics = new Map([
  ["b", { name: "b", topicId: "id-b", partitions: 3 }],
  ["a", { name: "a", topicId: "id-a", partitions: 2 }],
  ["c", { name: "c", topicId: "id-c", partitions: 1 }],
]);
const core = {
  identity: { nodeId: 7 },
  logs: { topicNames: () => [...topics.keys()], topic: (name: string) => topics.get(name) },
} as unknown as BrokerCore;
const handler = describeTopicPartitionsHandler(core);

function call(request: Partial<DescribeTopicPartitionsRequest>): DescribeTopicPartitionsResponse {
  const full: DescribeTopicPartitionsRequest = { topics: [], responsePartitionLimit: 2000, cursor: null, ...request };
  return handler.handle(full, { version: 0 } as RequestContext) as DescribeTopicPartitionsResponse;
}
const summary = (r: DescribeTopicPartitionsResponse) => r.topics.map((t) => [t.name, t.errorCode, t.partitions.map((p) => p.partitionIndex)]);

describe("DescribeTopicPartitions handler", () => {
  it("describes every topic in name order with empty (not null) ELR lists", () => {
    const r = call({});
    expect(summary(r)).toEqual([["a", 0, [0, 1]], ["b", 0, [0, 1, 2]], ["c", 0, [0]]]);
    expect(r.nextCursor).toBeNull();
    expect(r.topics[0]?.partitions[0]).toMatchObject({ leaderId: 7, replicaNodes: [7], isrNodes: [7], eligibleLeaderReplicas: [], lastKnownElr: [], offlineReplicas: [] });
    expect(r.topics[0]?.topicId).toBe("id-a");
  });

  it("pages by partition count and resumes from the cursor", () => {
    const first = call({ responsePartitionLimit: 3 });
    expect(summary(first)).toEqual([["a", 0, [0, 1]], ["b", 0, [0]]]);
    expect(first.nextCursor).toEqual({ topicName: "b", partitionIndex: 1 });
    const second = call({ responsePartitionLimit: 3, cursor: first.nextCursor });
    expect(summary(second)).toEqual([["b", 0, [1, 2]], ["c", 0, [0]]]);
    expect(second.nextCursor).toBeNull();
    // A page that ends exactly at a topic's end points at the next topic's first partition.
    const exact = call({ responsePartitionLimit: 2 });
    expect(summary(exact)).toEqual([["a", 0, [0, 1]]]);
    expect(exact.nextCursor).toEqual({ topicName: "b", partitionIndex: 0 });
  });

  it("answers named topics, unknown and invalid names with their errors", () => {
    const r = call({ topics: [{ name: "c" }, { name: "nope" }, { name: "bad/name" }] });
    expect(summary(r)).toEqual([
      ["bad/name", ErrorCode.INVALID_TOPIC_EXCEPTION, []],
      ["c", 0, [0]],
      ["nope", ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, []],
    ]);
  });

  it("rejects a cursor naming a topic outside the requested list", () => {
    const r = call({ topics: [{ name: "a" }], cursor: { topicName: "b", partitionIndex: 0 } });
    expect(summary(r)).toEqual([["a", ErrorCode.INVALID_REQUEST, []]]);
  });
});

// The coordinator's API in plain values: handlers translate decoded requests into these and
// these into responses, so the coordinator never sees a wire codec. Field names follow the
// Kafka request/response fields they carry; error codes are Kafka's numeric codes.

export type GroupStateName = "Empty" | "PreparingRebalance" | "CompletingRebalance" | "Stable" | "Dead";

/** Kafka config keys (verbatim) the coordinator reads, with Kafka's defaults in DEFAULT_GROUP_CONFIG. */
export interface GroupCoordinatorConfig {
  /** Delay of the first rebalance of an empty group, extended as more members join. */
  "group.initial.rebalance.delay.ms": number;
  "group.min.session.timeout.ms": number;
  "group.max.session.timeout.ms": number;
  "group.max.size": number;
  "offset.metadata.max.bytes": number;
  "offsets.retention.minutes": number;
  "offsets.retention.check.interval.ms": number;
}

export const DEFAULT_GROUP_CONFIG: Readonly<GroupCoordinatorConfig> = Object.freeze({
  "group.initial.rebalance.delay.ms": 3000,
  "group.min.session.timeout.ms": 6000,
  "group.max.session.timeout.ms": 1_800_000,
  "group.max.size": 2_147_483_647,
  "offset.metadata.max.bytes": 4096,
  "offsets.retention.minutes": 10_080,
  "offsets.retention.check.interval.ms": 600_000,
});

export interface GroupProtocol {
  name: string;
  metadata: Buffer;
}

export interface JoinGroupRequest {
  groupId: string;
  /** "" for a member joining for the first time. */
  memberId: string;
  groupInstanceId: string | null;
  protocolType: string;
  /** In the member's order of preference. */
  protocols: GroupProtocol[];
  sessionTimeoutMs: number;
  /** -1 (JoinGroup v0 has no such field): the session timeout is used. */
  rebalanceTimeoutMs: number;
  clientId: string;
  clientHost: string;
  reason?: string | null;
  /** JoinGroup v4+ (KIP-394): a new dynamic member first gets MEMBER_ID_REQUIRED and its id. */
  requireKnownMemberId: boolean;
  /** JoinGroup v9+ (KIP-814): a rejoining static leader may be told to skip the assignment. */
  supportSkippingAssignment?: boolean;
}

export interface JoinGroupMember {
  memberId: string;
  groupInstanceId: string | null;
  metadata: Buffer;
}

export interface JoinGroupResult {
  errorCode: number;
  generationId: number;
  protocolType: string | null;
  protocolName: string | null;
  leader: string;
  skipAssignment: boolean;
  memberId: string;
  /** Filled for the leader only. */
  members: JoinGroupMember[];
}

export interface SyncGroupAssignment {
  memberId: string;
  assignment: Buffer;
}

export interface SyncGroupRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  /** SyncGroup v5+ (KIP-559); null when the request version does not carry it. */
  protocolType: string | null;
  protocolName: string | null;
  /** Sent by the leader only. */
  assignments: SyncGroupAssignment[];
}

export interface SyncGroupResult {
  errorCode: number;
  protocolType: string | null;
  protocolName: string | null;
  assignment: Buffer;
}

export interface HeartbeatRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
}

export interface HeartbeatResult {
  errorCode: number;
}

export interface LeaveGroupMemberIdentity {
  /** "" with a groupInstanceId: an administrative removal of that static member. */
  memberId: string;
  groupInstanceId: string | null;
  reason?: string | null;
}

export interface LeaveGroupRequest {
  groupId: string;
  /** LeaveGroup v0-v2 carry one member (its memberId); v3+ a batch. */
  members: LeaveGroupMemberIdentity[];
}

export interface LeaveGroupMemberResult {
  memberId: string;
  groupInstanceId: string | null;
  errorCode: number;
}

export interface LeaveGroupResult {
  /** Group-level error; per-member errors are in members. For v0-v2 the handler answers with the single member's error when this is NONE. */
  errorCode: number;
  members: LeaveGroupMemberResult[];
}

export interface DescribedGroupMember {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  /** Only in the Stable state (as Kafka): the metadata for the selected protocol. */
  memberMetadata: Buffer;
  /** Only in the Stable state. */
  memberAssignment: Buffer;
}

export interface DescribedGroup {
  errorCode: number;
  groupId: string;
  groupState: GroupStateName | "";
  protocolType: string;
  /** The selected protocol in the Stable state, "" otherwise. */
  protocolData: string;
  members: DescribedGroupMember[];
}

export interface ListedGroup {
  groupId: string;
  protocolType: string;
  groupState: GroupStateName;
  groupType: "classic";
}

export interface ListGroupsResult {
  errorCode: number;
  groups: ListedGroup[];
}

export interface DeleteGroupResult {
  groupId: string;
  errorCode: number;
}

export interface OffsetCommitPartition {
  partitionIndex: number;
  committedOffset: bigint;
  /** -1 when unknown (OffsetCommit v0-v5). */
  committedLeaderEpoch?: number;
  committedMetadata: string | null;
}

export interface OffsetCommitTopic {
  name: string;
  partitions: OffsetCommitPartition[];
}

export interface OffsetCommitRequest {
  groupId: string;
  /** -1 for commits from outside group management (simple consumers, admin tools). */
  generationId: number;
  /** "" for commits from outside group management. */
  memberId: string;
  groupInstanceId: string | null;
  topics: OffsetCommitTopic[];
}

export interface PartitionErrorResult {
  partitionIndex: number;
  errorCode: number;
}

export interface TopicPartitionErrors {
  name: string;
  partitions: PartitionErrorResult[];
}

export interface OffsetCommitResult {
  topics: TopicPartitionErrors[];
}

export interface OffsetFetchTopicRequest {
  name: string;
  partitionIndexes: number[];
}

export interface OffsetFetchPartition {
  partitionIndex: number;
  /** -1 when the group has no committed offset for the partition. */
  committedOffset: bigint;
  committedLeaderEpoch: number;
  metadata: string;
  errorCode: number;
}

export interface OffsetFetchTopic {
  name: string;
  partitions: OffsetFetchPartition[];
}

export interface OffsetFetchResult {
  errorCode: number;
  topics: OffsetFetchTopic[];
}

export interface OffsetDeleteTopicRequest {
  name: string;
  partitionIndexes: number[];
}

export interface OffsetDeleteResult {
  /** When not NONE, topics is empty (as Kafka). */
  errorCode: number;
  topics: TopicPartitionErrors[];
}

/** A read-only view of a group, for tests, logs and metrics. */
export interface GroupSnapshot {
  groupId: string;
  state: GroupStateName;
  generationId: number;
  protocolType: string | null;
  protocolName: string | null;
  leaderId: string | null;
  currentStateTimestamp: number | null;
  members: {
    memberId: string;
    groupInstanceId: string | null;
    clientId: string;
    clientHost: string;
    sessionTimeoutMs: number;
    rebalanceTimeoutMs: number;
    protocols: GroupProtocol[];
    assignment: Buffer;
    awaitingJoin: boolean;
    awaitingSync: boolean;
  }[];
  pendingMembers: string[];
  offsets: { topic: string; partition: number; offset: bigint; leaderEpoch: number; metadata: string; commitTimestamp: number }[];
}

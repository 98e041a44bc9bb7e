// A small Kafka client for what kafkajs cannot do: reading partitions by assignment without
// a consumer group, membership in a classic group of any protocol type, and raw requests
// routed by cluster metadata. See README.md.
export { KafkaClusterClient, type KafkaClusterClientOptions, type RequestTarget, type SendOptions, type RequestBody } from "./cluster.ts";
export type { ApiKeyNumber, RequestOf, ResponseOf } from "./connection.ts";
export type { BrokerNode, ClusterMetadata, PartitionMetadata, TopicMetadata } from "./metadata.ts";
export {
  PartitionReader,
  type ConsumedRecord,
  type OffsetSpec,
  type PartitionAssignment,
  type PartitionReaderOptions,
  type PollOptions,
  type RecordHeader,
  type TopicPartition,
  type TopicPartitionOffset,
} from "./partition-reader.ts";
export {
  GroupMember,
  type AssignFunction,
  type GroupMemberMetadata,
  type GroupMemberOptions,
  type GroupProtocol,
  type JoinResult,
  type LeaderArgs,
  type RebalanceNeeded,
} from "./group-member.ts";
export { AuthenticationError, ClientClosedError, ConnectionError, ErrorCode, KafkaError, RequestTimeoutError, UnsupportedVersionError, isRetriable } from "./errors.ts";
export { SASL_MECHANISMS, type SaslMechanism, type SaslOptions } from "./sasl.ts";
export { CorruptRecordError } from "./record-decoder.ts";
export { ApiKey } from "../../broker/protocol/generated/index.ts";
export { PartitionProducer, type PartitionProducerOptions, type ProduceResult, type ProducerRecord, type ProducerRecordHeader } from "./producer.ts";
export { encodeRecordBatch } from "./record-encoder.ts";

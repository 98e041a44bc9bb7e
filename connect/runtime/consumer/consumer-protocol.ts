// The classic group protocol of consumers (protocol type "consumer"): each member's
// ConsumerProtocolSubscription in JoinGroup, each member's ConsumerProtocolAssignment in
// SyncGroup, in Kafka's binary layout (int16 version, then the generated struct), so the
// hub's sink consumers and Java consumers can share a group and a Java leader can assign to
// them. Versions newer than we know are read with the newest layout we know, as Kafka does
// (later versions only append fields).
import { decodeConsumerProtocolAssignment, encodeConsumerProtocolAssignment } from "../../../broker/protocol/generated/consumer-protocol-assignment.ts";
import { decodeConsumerProtocolSubscription, encodeConsumerProtocolSubscription } from "../../../broker/protocol/generated/consumer-protocol-subscription.ts";
import { Reader } from "../../../broker/protocol/primitives/reader.ts";
import { Writer } from "../../../broker/protocol/primitives/writer.ts";

export const CONSUMER_PROTOCOL_TYPE = "consumer";
/** The newest ConsumerProtocolSubscription / ConsumerProtocolAssignment version (Kafka 3.5+ writes it). */
const LATEST_VERSION = 3;

export interface TopicPartitions {
  readonly topic: string;
  readonly partitions: readonly number[];
}

export interface Subscription {
  readonly topics: readonly string[];
  readonly userData: Buffer | null;
  /** What the member owned in its last generation (cooperative assignors use it). */
  readonly ownedPartitions: readonly TopicPartitions[];
  readonly generationId: number;
  readonly rackId: string | null;
}

export interface Assignment {
  readonly partitions: readonly TopicPartitions[];
  readonly userData: Buffer | null;
}

export function encodeSubscription(s: Subscription): Buffer {
  const w = new Writer();
  w.int16(LATEST_VERSION);
  encodeConsumerProtocolSubscription(w, LATEST_VERSION, {
    topics: [...s.topics],
    userData: s.userData,
    ownedPartitions: s.ownedPartitions.map((p) => ({ topic: p.topic, partitions: [...p.partitions] })),
    generationId: s.generationId,
    rackId: s.rackId,
  });
  return w.toBuffer();
}

export function decodeSubscription(bytes: Buffer): Subscription {
  const r = new Reader(bytes);
  const version = Math.min(r.int16(), LATEST_VERSION);
  if (version < 0) throw new Error(`ConsumerProtocolSubscription version ${version} is not valid`);
  const s = decodeConsumerProtocolSubscription(r, version);
  return { topics: s.topics, userData: s.userData, ownedPartitions: s.ownedPartitions, generationId: s.generationId, rackId: s.rackId };
}

export function encodeAssignment(a: Assignment): Buffer {
  const w = new Writer();
  w.int16(LATEST_VERSION);
  encodeConsumerProtocolAssignment(w, LATEST_VERSION, { assignedPartitions: a.partitions.map((p) => ({ topic: p.topic, partitions: [...p.partitions] })), userData: a.userData });
  return w.toBuffer();
}

/** An assignment; empty bytes (a member the leader left out) is an empty assignment. */
export function decodeAssignment(bytes: Buffer): Assignment {
  if (bytes.length === 0) return { partitions: [], userData: null };
  const r = new Reader(bytes);
  const version = Math.min(r.int16(), LATEST_VERSION);
  if (version < 0) throw new Error(`ConsumerProtocolAssignment version ${version} is not valid`);
  const a = decodeConsumerProtocolAssignment(r, version);
  return { partitions: a.assignedPartitions, userData: a.userData };
}

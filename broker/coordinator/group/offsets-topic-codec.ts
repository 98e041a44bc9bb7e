// GroupStore entries <-> __consumer_offsets record keys and values, in Kafka's own formats
// (../shared/kafka-protocol/group-coordinator), so the topic reads the same as Apache
// Kafka's: kafka-console-consumer with Kafka's offsets formatter, or a broker migrated
// either way, understands it.
//
// Each key and value starts with an int16 version. The key version names the record type:
// 0 and 1 are OffsetCommitKey, 2 is GroupMetadataKey; 3 and up are KIP-848 consumer group
// and share group records, which a classic coordinator does not use and skips. A null value
// is a tombstone. We write what Kafka 3.x/4.x writes: OffsetCommitKey v1 with
// OffsetCommitValue v3 (v1 when the commit carries an explicit expire timestamp), and
// GroupMetadataKey v2 with GroupMetadataValue v3; every older version (and the flexible v4
// values) is read.
import { Reader } from "../../protocol/primitives/reader.ts";
import { Writer } from "../../protocol/primitives/writer.ts";
import { decodeGroupMetadataKey, encodeGroupMetadataKey } from "../../protocol/generated/group-coordinator/group-metadata-key.ts";
import { decodeGroupMetadataValue, encodeGroupMetadataValue, type GroupMetadataValue } from "../../protocol/generated/group-coordinator/group-metadata-value.ts";
import { decodeOffsetCommitKey, encodeOffsetCommitKey } from "../../protocol/generated/group-coordinator/offset-commit-key.ts";
import { decodeOffsetCommitValue, encodeOffsetCommitValue, type OffsetCommitValue } from "../../protocol/generated/group-coordinator/offset-commit-value.ts";
import type { GroupMetadataRecord, GroupStoreEntry, OffsetCommitRecord } from "./store.ts";

export const OFFSETS_TOPIC_NAME = "__consumer_offsets";

const OFFSET_COMMIT_KEY_VERSION = 1;
const GROUP_METADATA_KEY_VERSION = 2;
const OFFSET_COMMIT_VALUE_VERSION = 3;
/** The only value version that carries expireTimestamp. */
const OFFSET_COMMIT_VALUE_VERSION_WITH_EXPIRY = 1;
const GROUP_METADATA_VALUE_VERSION = 3;

export interface OffsetsTopicRecord {
  key: Buffer;
  /** null: tombstone. */
  value: Buffer | null;
}

export function encodeGroupStoreEntry(entry: GroupStoreEntry): OffsetsTopicRecord {
  const key = new Writer(64);
  if (entry.kind === "offset") {
    key.int16(OFFSET_COMMIT_KEY_VERSION);
    encodeOffsetCommitKey(key, OFFSET_COMMIT_KEY_VERSION, { group: entry.groupId, topic: entry.topic, partition: entry.partition });
    return { key: key.toBuffer(), value: entry.value ? encodeOffsetValue(entry.value) : null };
  }
  key.int16(GROUP_METADATA_KEY_VERSION);
  encodeGroupMetadataKey(key, GROUP_METADATA_KEY_VERSION, { group: entry.groupId });
  return { key: key.toBuffer(), value: entry.value ? encodeGroupValue(entry.value) : null };
}

/**
 * The entry a record holds, or null for record types the classic coordinator does not use.
 * Throws ProtocolDecodeError on bytes that do not parse (a corrupt record).
 */
export function decodeGroupStoreEntry(key: Buffer, value: Buffer | null): GroupStoreEntry | null {
  const kr = new Reader(key);
  const keyVersion = kr.int16();
  if (keyVersion === 0 || keyVersion === 1) {
    const k = decodeOffsetCommitKey(kr, keyVersion);
    return { kind: "offset", groupId: k.group, topic: k.topic, partition: k.partition, value: value === null ? null : decodeOffsetValue(value) };
  }
  if (keyVersion === GROUP_METADATA_KEY_VERSION) {
    const k = decodeGroupMetadataKey(kr, keyVersion);
    return { kind: "group", groupId: k.group, value: value === null ? null : decodeGroupValue(value) };
  }
  return null;
}

function encodeOffsetValue(v: OffsetCommitRecord): Buffer {
  const version = v.expireTimestamp >= 0 ? OFFSET_COMMIT_VALUE_VERSION_WITH_EXPIRY : OFFSET_COMMIT_VALUE_VERSION;
  const w = new Writer(64 + v.metadata.length * 3);
  w.int16(version);
  encodeOffsetCommitValue(w, version, {
    offset: v.offset,
    leaderEpoch: v.leaderEpoch,
    metadata: v.metadata,
    commitTimestamp: BigInt(v.commitTimestamp),
    expireTimestamp: BigInt(v.expireTimestamp),
  });
  return w.toBuffer();
}

function decodeOffsetValue(value: Buffer): OffsetCommitRecord {
  const r = new Reader(value);
  const version = r.int16();
  const v: OffsetCommitValue = decodeOffsetCommitValue(r, version);
  return {
    offset: v.offset,
    leaderEpoch: v.leaderEpoch,
    metadata: v.metadata,
    commitTimestamp: Number(v.commitTimestamp),
    expireTimestamp: Number(v.expireTimestamp),
  };
}

function encodeGroupValue(v: GroupMetadataRecord): Buffer {
  const w = new Writer(256);
  w.int16(GROUP_METADATA_VALUE_VERSION);
  encodeGroupMetadataValue(w, GROUP_METADATA_VALUE_VERSION, {
    protocolType: v.protocolType,
    generation: v.generation,
    protocol: v.protocol,
    leader: v.leader,
    currentStateTimestamp: BigInt(v.currentStateTimestamp),
    members: v.members.map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      rebalanceTimeout: m.rebalanceTimeoutMs,
      sessionTimeout: m.sessionTimeoutMs,
      subscription: m.subscription,
      assignment: m.assignment,
    })),
  });
  return w.toBuffer();
}

function decodeGroupValue(value: Buffer): GroupMetadataRecord {
  const r = new Reader(value);
  const version = r.int16();
  const v: GroupMetadataValue = decodeGroupMetadataValue(r, version);
  return {
    protocolType: v.protocolType,
    generation: v.generation,
    protocol: v.protocol,
    leader: v.leader,
    currentStateTimestamp: Number(v.currentStateTimestamp),
    // The decoder hands out views of the record's bytes; copy so a loaded group does not pin
    // a whole log segment read buffer in memory.
    members: v.members.map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      rebalanceTimeoutMs: m.rebalanceTimeout,
      sessionTimeoutMs: m.sessionTimeout,
      subscription: Buffer.from(m.subscription),
      assignment: Buffer.from(m.assignment),
    })),
  };
}

/**
 * The __consumer_offsets partition of a group, as Kafka computes it (abs of Java's
 * String.hashCode, modulo offsets.topic.num.partitions), so tools that look for a group's
 * records in a given partition find them where Kafka would have put them.
 */
export function partitionForGroup(groupId: string, numPartitions: number): number {
  let h = 0;
  for (let i = 0; i < groupId.length; i++) h = (Math.imul(h, 31) + groupId.charCodeAt(i)) | 0;
  // Kafka's Utils.abs maps Integer.MIN_VALUE to 0 rather than overflowing.
  const abs = h === -2147483648 ? 0 : Math.abs(h);
  return abs % numPartitions;
}

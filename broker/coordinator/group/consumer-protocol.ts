// Reads the topic list out of a member's ConsumerProtocolSubscription (protocol type
// "consumer"), which the coordinator needs for one decision only: OffsetDelete refuses
// (GROUP_SUBSCRIBED_TO_TOPIC) to delete offsets of a topic the group is consuming.
//
// Every version starts with the same prefix: int16 version, then Topics as an int32 count
// of int16-length strings; later versions only append fields (UserData, OwnedPartitions,
// GenerationId, RackId), and Kafka's own reader parses unknown future versions with the
// current layout. So we read the prefix and ignore the rest. Anything that does not parse
// yields null: the caller then treats the group as subscribed to every topic, as Kafka does
// when it cannot read the subscriptions.

/** The subscribed topics, or null when the bytes are not a ConsumerProtocolSubscription. */
export function parseSubscriptionTopics(metadata: Buffer): string[] | null {
  if (metadata.length < 6) return null;
  const version = metadata.readInt16BE(0);
  if (version < 0) return null;
  const count = metadata.readInt32BE(2);
  if (count < 0 || count > (metadata.length - 6) / 2) return null;
  let pos = 6;
  const topics: string[] = [];
  for (let i = 0; i < count; i++) {
    if (pos + 2 > metadata.length) return null;
    const len = metadata.readInt16BE(pos);
    pos += 2;
    if (len < 0 || pos + len > metadata.length) return null;
    topics.push(metadata.toString("utf8", pos, pos + len));
    pos += len;
  }
  return topics;
}

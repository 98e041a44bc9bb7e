// Which client failures are worth retrying, the way the Java clients decide: the project's own
// client (lib/kafka-client) says so on its errors; for kafkajs' (the admin and dead letter queue
// producers), protocol errors
// Kafka marks retriable (NOT_LEADER_OR_FOLLOWER, UNKNOWN_TOPIC_OR_PARTITION while a topic is
// being created, REQUEST_TIMED_OUT ...) and everything below the protocol (connections, request
// deadlines, metadata not loaded yet) are; a protocol error Kafka marks non-retriable
// (MESSAGE_TOO_LARGE, TOPIC_AUTHORIZATION_FAILED, INVALID_RECORD ...) is not, even when kafkajs
// has wrapped it in "number of retries exceeded"; nor is anything that is not a kafkajs error.

import { ConnectionError, ErrorCode, isRetriable, KafkaError, RequestTimeoutError } from "../../lib/kafka-client/errors.ts";

interface KafkajsErrorLike {
  name?: string;
  type?: string;
  retriable?: boolean;
  originalError?: unknown;
  cause?: unknown;
  errors?: unknown[];
}

function walk(e: unknown, seen: Set<unknown>, visit: (err: KafkajsErrorLike) => void): void {
  if (e === null || typeof e !== "object" || seen.has(e)) return;
  seen.add(e);
  const err = e as KafkajsErrorLike;
  visit(err);
  walk(err.originalError, seen, visit);
  walk(err.cause, seen, visit);
  if (Array.isArray(err.errors)) for (const inner of err.errors) walk(inner, seen, visit);
}

export function isRetriableKafkaError(e: unknown): boolean {
  if (e instanceof KafkaError || e instanceof ConnectionError || e instanceof RequestTimeoutError) return isRetriable(e);
  let kafkajs = false;
  let fatal = false;
  walk(e, new Set(), (err) => {
    const name = err.name ?? "";
    if (!name.startsWith("KafkaJS")) return;
    kafkajs = true;
    if (name === "KafkaJSProtocolError" && err.retriable === false) fatal = true;
    if (name === "KafkaJSNonRetriableError" && err.originalError === undefined && err.cause === undefined) fatal = true;
    if (name === "KafkaJSInvalidVarIntError" || name === "KafkaJSInvalidLongError" || name === "KafkaJSNotImplemented") fatal = true;
  });
  return kafkajs && !fatal;
}

/** A produce refused because a batch (or request) was too large: MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE. */
export function isTooLargeError(e: unknown): boolean {
  if (e instanceof KafkaError) return e.code === ErrorCode.MESSAGE_TOO_LARGE || e.code === ErrorCode.RECORD_LIST_TOO_LARGE;
  let found = false;
  walk(e, new Set(), (err) => {
    if (err.type === "MESSAGE_TOO_LARGE" || err.type === "RECORD_LIST_TOO_LARGE") found = true;
  });
  return found;
}

// One interruptible sleep for the runtime and the client (callers import it from here).
export { sleep } from "../../lib/kafka-client/backoff.ts";

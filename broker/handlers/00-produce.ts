// Produce (key 0), v3-11 (v3 is the first with record batches of magic 2; Kafka 4 also
// dropped v0-2). Each partition carries exactly one batch of magic 2, as Kafka requires
// (INVALID_RECORD otherwise); batches are validated and appended as bytes. Idempotent
// batches go through the partition's producer state: a retried batch is answered with its
// first offset.
// acks=0 gets no response; acks=1 and acks=all are answered after the append, except that an
// append reaching flush.messages is answered after the fsync it starts (as in Kafka, where
// that flush runs inside the append), and that in durable mode (hub.durable.acks.all=true)
// acks=all is answered only once the partition is fsynced past the batch, a retried batch
// recognised as a duplicate included. Those fsyncs run off the event loop and are shared by
// concurrent producers (group commit, broker/log/log-sync.ts); a failed one answers
// KAFKA_STORAGE_ERROR.
// Left out: transactional produce (transactions are not supported: see SKIPPED.md).
import { CorruptBatchError, UnsupportedMagicError, validateBatches, type BatchInfo } from "../protocol/records/batch.ts";
import { ErrorCode, KafkaError } from "../protocol/generated/errors.ts";
import { defaultProduceResponse, type ProduceResponsePartitionProduceResponse } from "../protocol/generated/produce-response.ts";
import { ProducerCheck } from "../producer/producer-state.ts";
import { findKeylessRecords, RecordFormatError } from "../log/cleaner/record-scan.ts";
import { isCompacted } from "../log/log-config.ts";
import { AppendWaiters } from "../server/append-waiters.ts";
import type { ApiHandler } from "../server/router.ts";
import type { BrokerCore } from "../core.ts";

export function produceHandler(core: BrokerCore): ApiHandler<0> {
  const failure = (index: number, errorCode: number, errorMessage: string | null = null): ProduceResponsePartitionProduceResponse => ({
    index,
    errorCode,
    baseOffset: -1n,
    logAppendTimeMs: -1n,
    logStartOffset: -1n,
    recordErrors: [],
    errorMessage,
    currentLeader: { leaderId: -1, leaderEpoch: -1 },
  });

  /** Holds the response back until `synced` resolves; a failed fsync turns it into KAFKA_STORAGE_ERROR. */
  const afterSync = (response: ProduceResponsePartitionProduceResponse, synced: Promise<void>, pending: Array<Promise<void>>): ProduceResponsePartitionProduceResponse => {
    pending.push(
      synced.then(
        () => {},
        (err: unknown) => {
          Object.assign(response, failure(response.index, ErrorCode.KAFKA_STORAGE_ERROR, `fsync failed: ${(err as Error).message}`));
        },
      ),
    );
    return response;
  };

  const appendPartition = (topic: string, index: number, given: Buffer | null, version: number, acks: number, pending: Array<Promise<void>>): ProduceResponsePartitionProduceResponse => {
    const log = core.logs.log(topic, index);
    if (!log) return failure(index, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `This server does not host this topic-partition: ${topic}-${index}`);
    const framing = checkRecordsFraming(given, version);
    if ("code" in framing) return failure(index, framing.code, framing.message);
    const records = framing.records;
    let batches: BatchInfo[];
    try {
      batches = validateBatches(records);
    } catch (err) {
      if (err instanceof CorruptBatchError) return failure(index, ErrorCode.CORRUPT_MESSAGE, err.message);
      if (err instanceof UnsupportedMagicError) return failure(index, ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT, err.message);
      throw err;
    }
    const maxBytes = log.config.maxMessageBytes;
    const tooBig = batches.find((b) => b.size > maxBytes);
    if (tooBig) return failure(index, ErrorCode.MESSAGE_TOO_LARGE, `The batch of ${tooBig.size} bytes is larger than max.message.bytes (${maxBytes})`);
    // Only a compacted topic decodes records: every other topic keeps its batches as bytes.
    if (isCompacted(log.config)) {
      const keyless = checkKeys(records, batches, topic, index);
      if (keyless) return { ...keyless, logStartOffset: log.logStartOffset };
    }

    const first = batches[0] as BatchInfo;
    const producers = core.producerState(topic, index);
    const check = producers.check(first.producerId, first.producerEpoch, first.baseSequence, first.lastOffsetDelta);
    const durable = acks === -1 && core.config.durableAcksAll;
    if (check.kind === ProducerCheck.duplicate) {
      const response = { ...failure(index, ErrorCode.NONE), baseOffset: check.baseOffset, logStartOffset: log.logStartOffset };
      return durable ? afterSync(response, log.sync(), pending) : response;
    }
    if (check.kind === ProducerCheck.outOfOrder) return failure(index, ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, check.message);
    if (check.kind === ProducerCheck.fencedEpoch) return failure(index, ErrorCode.INVALID_PRODUCER_EPOCH, check.message);

    let result;
    try {
      result = log.append(records, batches);
    } catch (err) {
      if (err instanceof KafkaError) return failure(index, err.code, err.message);
      throw err;
    }
    let offset = result.baseOffset;
    for (const b of batches) {
      producers.update(b.producerId, b.producerEpoch, b.baseSequence, b.lastOffsetDelta, offset);
      offset += BigInt(b.lastOffsetDelta) + 1n;
    }
    core.metrics.bytesIn.inc({ topic }, records.length);
    core.metrics.messagesIn.inc({ topic }, batches.reduce((n, b) => n + b.recordCount, 0));
    core.appendWaiters.notify(AppendWaiters.key(topic, index));
    const response = { ...failure(index, ErrorCode.NONE), baseOffset: result.baseOffset, logAppendTimeMs: result.logAppendTime, logStartOffset: result.logStartOffset };
    const synced = durable ? log.sync() : result.flushed;
    return synced ? afterSync(response, synced, pending) : response;
  };

  return {
    apiKey: 0,
    minVersion: 3,
    maxVersion: 11,
    handle(request, ctx) {
      const response = defaultProduceResponse();
      const pending: Array<Promise<void>> = [];
      const validAcks = request.acks === 0 || request.acks === 1 || request.acks === -1;
      response.responses = request.topicData.map((topicData) => ({
        name: topicData.name,
        partitionResponses: topicData.partitionData.map((p) => {
          if (!validAcks) return failure(p.index, ErrorCode.INVALID_REQUIRED_ACKS);
          if (request.transactionalId !== null) {
            return failure(p.index, ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, "transactions are not supported by this broker");
          }
          return appendPartition(topicData.name, p.index, p.records, ctx.version, request.acks, pending);
        }),
      }));
      if (request.acks === 0) return undefined;
      return pending.length === 0 ? response : Promise.all(pending).then(() => response);
    },
  };
}

/**
 * Kafka's LogValidator.validateKey: a compacted topic refuses records without a key, the whole
 * batch with INVALID_RECORD, naming each bad record by its index in the batch (record_errors,
 * v8+) and summing them up in error_message the way Kafka words it.
 */
function checkKeys(records: Buffer, batches: readonly BatchInfo[], topic: string, index: number): ProduceResponsePartitionProduceResponse | undefined {
  let keyless;
  try {
    keyless = findKeylessRecords(records, batches);
  } catch (err) {
    // Records that do not decode (bad varints, a payload its codec rejects).
    const why = err instanceof RecordFormatError ? err.message : `the records do not decode: ${(err as Error).message}`;
    return partitionError(index, ErrorCode.CORRUPT_MESSAGE, why);
  }
  if (keyless.length === 0) return undefined;
  const message = `Compacted topic cannot accept message without key in topic partition ${topic}-${index}`;
  const recordErrors = keyless.map((r) => ({ batchIndex: r.batchIndex, batchIndexErrorMessage: message }));
  const shown = recordErrors.slice(0, 3).map((r) => `RecordError(batchIndex=${r.batchIndex}, message='${message}')`);
  return {
    ...partitionError(index, ErrorCode.INVALID_RECORD, `One or more records have been rejected due to ${recordErrors.length} record errors in total, and only showing the first three errors at most: [${shown.join(", ")}]`),
    recordErrors,
  };
}

function partitionError(index: number, errorCode: number, errorMessage: string): ProduceResponsePartitionProduceResponse {
  return { index, errorCode, baseOffset: -1n, logAppendTimeMs: -1n, logStartOffset: -1n, recordErrors: [], errorMessage, currentLeader: { leaderId: -1, leaderEpoch: -1 } };
}

const LOG_OVERHEAD = 12;
const HEADER_SIZE_UP_TO_MAGIC = 17;
const MIN_RECORD_SIZE = 14;

/** The size of the batch at `pos` if the bytes hold all of it, null if they stop short (Kafka's ByteBufferLogInputStream). */
function completeBatchSize(records: Buffer, pos: number): number | null | { corrupt: string } {
  const remaining = records.length - pos;
  if (remaining < LOG_OVERHEAD) return null;
  const size = records.readInt32BE(pos + 8);
  if (size < MIN_RECORD_SIZE) return { corrupt: `Record size ${size} is less than the minimum record overhead (${MIN_RECORD_SIZE})` };
  if (remaining < HEADER_SIZE_UP_TO_MAGIC) return null;
  const magic = records.readInt8(pos + 16);
  if (magic < 0 || magic > 2) return { corrupt: `Invalid magic found in record: ${magic}` };
  return remaining < size + LOG_OVERHEAD ? null : size + LOG_OVERHEAD;
}

/**
 * Kafka's ProduceRequest.validateRecords, applied before the batch itself is checked: a
 * partition's records must hold exactly one complete batch of magic 2 (INVALID_RECORD
 * otherwise), and bytes that cannot start a batch are CORRUPT_MESSAGE. A partial batch after
 * the first is dropped, as Kafka trims invalid trailing bytes.
 */
function checkRecordsFraming(records: Buffer | null, version: number): { records: Buffer } | { code: number; message: string } {
  const invalid = (message: string) => ({ code: ErrorCode.INVALID_RECORD, message: `Produce requests with version ${version} ${message}` });
  if (records === null) return invalid("must have at least one record batch per partition");
  const first = completeBatchSize(records, 0);
  if (first === null) return invalid("must have at least one record batch per partition");
  if (typeof first === "object") return { code: ErrorCode.CORRUPT_MESSAGE, message: first.corrupt };
  if (records.readInt8(16) !== 2) return invalid("are only allowed to contain record batches with magic version 2");
  const second = completeBatchSize(records, first);
  if (second !== null && typeof second === "object") return { code: ErrorCode.CORRUPT_MESSAGE, message: second.corrupt };
  if (second !== null) return invalid("are only allowed to contain exactly one record batch per partition");
  return { records: first === records.length ? records : records.subarray(0, first) };
}

// Produce (key 0), v3-11 (v3 is the first with record batches of magic 2; Kafka 4 also
// dropped v0-2). Batches are validated and appended as bytes. Idempotent batches go through
// the partition's producer state: a retried batch is answered with its first offset.
// acks=0 gets no response; acks=1 and acks=all are answered after the append (durability of
// acks=all under flush policies comes with the storage issue).
// Left out: transactional produce (transactions are not supported: see SKIPPED.md).
import { CorruptBatchError, UnsupportedMagicError, validateBatches, type BatchInfo } from "../protocol/records/batch.ts";
import { ErrorCode, KafkaError } from "../protocol/generated/errors.ts";
import { defaultProduceResponse, type ProduceResponsePartitionProduceResponse } from "../protocol/generated/produce-response.ts";
import { ProducerCheck } from "../producer/producer-state.ts";
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

  const appendPartition = (topic: string, index: number, records: Buffer | null): ProduceResponsePartitionProduceResponse => {
    const log = core.logs.log(topic, index);
    if (!log) return failure(index, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `This server does not host this topic-partition: ${topic}-${index}`);
    if (records === null || records.length === 0) return failure(index, ErrorCode.CORRUPT_MESSAGE, "the request carries no record batch");
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

    const first = batches[0] as BatchInfo;
    const producers = core.producerState(topic, index);
    const check = producers.check(first.producerId, first.producerEpoch, first.baseSequence, first.lastOffsetDelta);
    if (check.kind === ProducerCheck.duplicate) {
      return { ...failure(index, ErrorCode.NONE), baseOffset: check.baseOffset, logStartOffset: log.logStartOffset };
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
    return { ...failure(index, ErrorCode.NONE), baseOffset: result.baseOffset, logAppendTimeMs: result.logAppendTime, logStartOffset: result.logStartOffset };
  };

  return {
    apiKey: 0,
    minVersion: 3,
    maxVersion: 11,
    handle(request) {
      const response = defaultProduceResponse();
      const validAcks = request.acks === 0 || request.acks === 1 || request.acks === -1;
      response.responses = request.topicData.map((topicData) => ({
        name: topicData.name,
        partitionResponses: topicData.partitionData.map((p) => {
          if (!validAcks) return failure(p.index, ErrorCode.INVALID_REQUIRED_ACKS);
          if (request.transactionalId !== null) {
            return failure(p.index, ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, "transactions are not supported by this broker");
          }
          return appendPartition(topicData.name, p.index, p.records);
        }),
      }));
      return request.acks === 0 ? undefined : response;
    },
  };
}

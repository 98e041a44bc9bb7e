// Fetch (key 1), v4-17 (magic 2 only; topic ids from v13). Returns whole batches from each
// partition's fetch offset, honouring partition_max_bytes and the response's max_bytes (the
// first batch is always returned whole so consumers make progress, KIP-74), and long-polls
// until min_bytes are available or max_wait_ms passes.
// Left out: fetch sessions (KIP-227: we always answer session id 0, so clients send full
// fetches), follower fetching and rack awareness (one node).
import { ErrorCode } from "../protocol/generated/errors.ts";
import type { FetchRequest } from "../protocol/generated/fetch-request.ts";
import { defaultFetchResponse, type FetchResponse, type FetchResponsePartitionData } from "../protocol/generated/fetch-response.ts";
import { ZERO_UUID } from "../protocol/primitives/reader.ts";
import { AppendWaiters } from "../server/append-waiters.ts";
import type { ApiHandler } from "../server/router.ts";
import type { BrokerCore } from "../core.ts";

const EMPTY_RECORDS = Buffer.alloc(0);

export function fetchHandler(core: BrokerCore): ApiHandler<1> {
  const partitionResult = (partitionIndex: number, errorCode: number): FetchResponsePartitionData => ({
    partitionIndex,
    errorCode,
    highWatermark: -1n,
    lastStableOffset: -1n,
    logStartOffset: -1n,
    divergingEpoch: { epoch: -1, endOffset: -1n },
    currentLeader: { leaderId: -1, leaderEpoch: -1 },
    snapshotId: { endOffset: -1n, epoch: -1 },
    abortedTransactions: null,
    preferredReadReplica: -1,
    // Empty, never null: Kafka answers MemoryRecords.EMPTY, and librdkafka rejects a null
    // record set as a protocol error ("invalid MessageSetSize -1"), dropping the whole response.
    records: EMPTY_RECORDS,
  });

  /** Reads every requested partition once; returns the response and how many bytes it holds. */
  const readAll = (request: FetchRequest, version: number): { response: FetchResponse; bytes: number; failed: boolean } => {
    const response = defaultFetchResponse();
    let budget = request.maxBytes > 0 ? request.maxBytes : 0x7fffffff;
    let bytes = 0;
    let failed = false;
    response.responses = request.topics.map((t) => {
      const name = version >= 13 ? core.logs.topicById(t.topicId)?.name : t.topic;
      return {
        topic: version >= 13 ? "" : t.topic,
        topicId: version >= 13 ? t.topicId : ZERO_UUID,
        partitions: t.partitions.map((p) => {
          if (name === undefined) {
            failed = true;
            return partitionResult(p.partition, version >= 13 ? ErrorCode.UNKNOWN_TOPIC_ID : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
          }
          const log = core.logs.log(name, p.partition);
          if (!log) {
            failed = true;
            return partitionResult(p.partition, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
          }
          const result = partitionResult(p.partition, ErrorCode.NONE);
          result.highWatermark = log.highWatermark;
          result.lastStableOffset = log.highWatermark;
          result.logStartOffset = log.logStartOffset;
          if (p.fetchOffset < log.logStartOffset || p.fetchOffset > log.logEndOffset) {
            failed = true;
            return { ...result, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE };
          }
          if (p.fetchOffset === log.logEndOffset || budget <= 0) return result;
          const read = log.read(p.fetchOffset, Math.min(p.partitionMaxBytes, budget), { minOneBatch: bytes === 0 });
          if (read.totalBytes > 0) {
            result.records = read.records.length === 1 ? (read.records[0] as Buffer) : Buffer.concat(read.records, read.totalBytes);
            budget -= read.totalBytes;
            bytes += read.totalBytes;
            core.metrics.bytesOut.inc({ topic: name }, read.totalBytes);
          }
          return result;
        }),
      };
    });
    return { response, bytes, failed };
  };

  return {
    apiKey: 1,
    minVersion: 4,
    maxVersion: 17,
    handle(request, ctx) {
      const first = readAll(request, ctx.version);
      if (first.failed || first.bytes >= Math.max(request.minBytes, 1) || request.maxWaitMs <= 0) return first.response;
      const keys: string[] = [];
      for (const t of request.topics) {
        const name = ctx.version >= 13 ? core.logs.topicById(t.topicId)?.name : t.topic;
        if (name !== undefined) for (const p of t.partitions) keys.push(AppendWaiters.key(name, p.partition));
      }
      return new Promise<FetchResponse | undefined>((resolve) => {
        let cancel: () => void = () => {};
        const onAppend = (): void => {
          const again = readAll(request, ctx.version);
          if (again.failed || again.bytes >= request.minBytes) {
            clearTimeout(timer);
            unsubscribe();
            resolve(again.response);
          } else cancel = core.appendWaiters.wait(keys, onAppend);
        };
        cancel = core.appendWaiters.wait(keys, onAppend);
        const timer = setTimeout(() => {
          cancel();
          unsubscribe();
          resolve(readAll(request, ctx.version).response);
        }, request.maxWaitMs);
        // A closed connection ends the wait: otherwise a long max wait (up to 24 days) would
        // hold the request and keep a stopping broker's process alive.
        const unsubscribe = ctx.conn.onClose(() => {
          clearTimeout(timer);
          cancel();
          resolve(undefined);
        });
      });
    },
  };
}

// Shared by the kafka-client integration tests: deadline-bound waiting and reading.
import type { ConsumedRecord, PartitionReader, TopicPartition } from "../../../lib/kafka-client/index.ts";

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Polls until `done(records so far)` holds; fails after timeoutMs. */
export async function readUntil(reader: PartitionReader, done: (records: ConsumedRecord[]) => boolean, timeoutMs = 30_000): Promise<ConsumedRecord[]> {
  const records: ConsumedRecord[] = [];
  const deadline = Date.now() + timeoutMs;
  while (!done(records)) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms with ${records.length} records read`);
    records.push(...(await reader.poll({ maxWaitMs: 200 })));
  }
  return records;
}

/** Reads until every partition's position reaches its end offset as of the call (KafkaBasedLog's readToEnd). */
export async function readToEnd(reader: PartitionReader, partitions: readonly TopicPartition[], timeoutMs = 30_000): Promise<ConsumedRecord[]> {
  const ends = await reader.endOffsets(partitions);
  const records: ConsumedRecord[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let behind = false;
    for (const e of ends) if ((await reader.position(e)) < e.offset) behind = true;
    if (!behind) return records;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms reading to the end offsets`);
    records.push(...(await reader.poll({ maxWaitMs: 200 })));
  }
}

export const byPartition = (records: readonly ConsumedRecord[], partition: number): ConsumedRecord[] => records.filter((r) => r.partition === partition);
export const str = (b: Buffer | null): string | null => (b === null ? null : b.toString("utf8"));

// Which source offsets may be committed (Kafka's SubmittedRecords): records are tracked per source
// partition in the order the task produced them; an offset becomes committable only once its
// record and every earlier record of the same partition have been acknowledged by Kafka (or
// dropped on purpose), so a commit never covers a record that could still be lost. Records of
// other partitions do not hold each other up.
import type { SourceMap } from "../../api/index.ts";
import { partitionIdentity } from "../offset-storage.ts";

export class SubmittedRecord {
  readonly partition: SourceMap | null;
  readonly offset: SourceMap | null;
  #acked = false;
  readonly #owner: SubmittedRecords;
  readonly #queue: PartitionQueue;

  constructor(owner: SubmittedRecords, queue: PartitionQueue, partition: SourceMap | null, offset: SourceMap | null) {
    this.#owner = owner;
    this.#queue = queue;
    this.partition = partition;
    this.offset = offset;
  }

  get acked(): boolean {
    return this.#acked;
  }

  /** Kafka acknowledged the record (or it needs no acknowledgement: dropped, sent to the DLQ). */
  ack(): void {
    if (this.#acked) return;
    this.#acked = true;
    this.#queue.advance();
    this.#owner.onAck();
  }
}

/**
 * One source partition's records in submission order. The acknowledged head is folded into
 * `committable` as soon as it is acknowledged rather than at the next commit, so that records
 * are not kept alive for a whole offset.flush.interval.ms (they would outlive the young
 * generation and fill the old one with garbage).
 */
class PartitionQueue {
  readonly partition: SourceMap | null;
  readonly #records: SubmittedRecord[] = [];
  #head = 0;
  /** The latest offset of the folded head not committed yet (null: none). */
  committable: SourceMap | null = null;
  /** Records folded since the last commit. */
  folded = 0;

  constructor(partition: SourceMap | null) {
    this.partition = partition;
  }

  get waiting(): number {
    return this.#records.length - this.#head;
  }

  push(record: SubmittedRecord): void {
    this.#records.push(record);
  }

  /** Folds the acknowledged records at the head. */
  advance(): void {
    const records = this.#records;
    let head = this.#head;
    while (head < records.length && (records[head] as SubmittedRecord).acked) {
      const offset = (records[head] as SubmittedRecord).offset;
      // A record without an offset does not move its partition's committed offset (Kafka's rule).
      if (offset !== null) this.committable = offset;
      head++;
      this.folded++;
    }
    if (head === records.length) {
      records.length = 0;
      head = 0;
    } else if (head >= 1024 && head * 2 >= records.length) {
      records.splice(0, head);
      head = 0;
    }
    this.#head = head;
  }
}

export interface CommittableOffsets {
  /** The offset to commit per source partition (only partitions with a new committable offset). */
  readonly offsets: ReadonlyArray<{ partition: SourceMap | null; offset: SourceMap }>;
  readonly committableMessages: number;
  readonly uncommittableMessages: number;
}

export class SubmittedRecords {
  readonly #byPartition = new Map<string, PartitionQueue>();
  #pending = 0;
  #waiters: Array<() => void> = [];

  /** Records submitted and not yet acknowledged. */
  get pending(): number {
    return this.#pending;
  }

  submit(partition: SourceMap | null, offset: SourceMap | null): SubmittedRecord {
    const id = partitionIdentity(partition);
    let queue = this.#byPartition.get(id);
    if (!queue) this.#byPartition.set(id, (queue = new PartitionQueue(partition)));
    const record = new SubmittedRecord(this, queue, partition, offset);
    queue.push(record);
    this.#pending++;
    return record;
  }

  /** Takes the offsets the acknowledged head of each partition's records covers. */
  committableOffsets(): CommittableOffsets {
    const offsets: Array<{ partition: SourceMap | null; offset: SourceMap }> = [];
    let committable = 0;
    let uncommittable = 0;
    for (const [id, queue] of this.#byPartition) {
      committable += queue.folded;
      uncommittable += queue.waiting;
      if (queue.committable !== null) offsets.push({ partition: queue.partition, offset: queue.committable });
      queue.committable = null;
      queue.folded = 0;
      if (queue.waiting === 0) this.#byPartition.delete(id);
    }
    return { offsets, committableMessages: committable, uncommittableMessages: uncommittable };
  }

  /** Resolves true once every submitted record is acknowledged, false after timeoutMs. */
  awaitAll(timeoutMs: number): Promise<boolean> {
    if (this.#pending === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== done);
        resolve(false);
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      this.#waiters.push(done);
    });
  }

  onAck(): void {
    this.#pending--;
    if (this.#pending === 0 && this.#waiters.length > 0) {
      const waiters = this.#waiters;
      this.#waiters = [];
      for (const w of waiters) w();
    }
  }
}

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

  constructor(owner: SubmittedRecords, partition: SourceMap | null, offset: SourceMap | null) {
    this.#owner = owner;
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
    this.#owner.onAck();
  }
}

export interface CommittableOffsets {
  /** The offset to commit per source partition (only partitions with a new committable offset). */
  readonly offsets: ReadonlyArray<{ partition: SourceMap | null; offset: SourceMap }>;
  readonly committableMessages: number;
  readonly uncommittableMessages: number;
}

export class SubmittedRecords {
  readonly #byPartition = new Map<string, { partition: SourceMap | null; queue: SubmittedRecord[] }>();
  #pending = 0;
  #waiters: Array<() => void> = [];

  /** Records submitted and not yet acknowledged. */
  get pending(): number {
    return this.#pending;
  }

  submit(partition: SourceMap | null, offset: SourceMap | null): SubmittedRecord {
    const record = new SubmittedRecord(this, partition, offset);
    const id = partitionIdentity(partition);
    let entry = this.#byPartition.get(id);
    if (!entry) this.#byPartition.set(id, (entry = { partition, queue: [] }));
    entry.queue.push(record);
    this.#pending++;
    return record;
  }

  /** Removes the acknowledged head of each partition's queue and returns the offsets it covers. */
  committableOffsets(): CommittableOffsets {
    const offsets: Array<{ partition: SourceMap | null; offset: SourceMap }> = [];
    let committable = 0;
    let uncommittable = 0;
    for (const [id, { partition, queue }] of this.#byPartition) {
      let n = 0;
      let last: SourceMap | null = null;
      while (n < queue.length && (queue[n] as SubmittedRecord).acked) {
        const offset = (queue[n] as SubmittedRecord).offset;
        // A record without an offset does not move its partition's committed offset (Kafka's rule).
        if (offset !== null) last = offset;
        n++;
      }
      if (n > 0) queue.splice(0, n);
      committable += n;
      uncommittable += queue.length;
      if (last !== null) offsets.push({ partition, offset: last });
      if (queue.length === 0) this.#byPartition.delete(id);
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

// Idempotent producer bookkeeping for one partition: per producer id, the epoch and the
// sequence numbers of its last five batches (Kafka keeps five because a producer has at most
// five requests in flight), so a retried batch is recognised and answered with the offset it
// was first written at instead of being appended twice.
export const ProducerCheck = { append: 0, duplicate: 1, outOfOrder: 2, fencedEpoch: 3 } as const;

export type ProducerCheckResult =
  | { kind: typeof ProducerCheck.append }
  | { kind: typeof ProducerCheck.duplicate; baseOffset: bigint }
  | { kind: typeof ProducerCheck.outOfOrder; message: string }
  | { kind: typeof ProducerCheck.fencedEpoch; message: string };

export interface BatchMetadata {
  firstSeq: number;
  lastSeq: number;
  baseOffset: bigint;
}

export interface ProducerEntry {
  epoch: number;
  batches: BatchMetadata[];
}

const MAX_REMEMBERED_BATCHES = 5;
const INT32_MAX = 0x7fffffff;

/** Sequence numbers wrap from Int32.MAX_VALUE to 0. */
function nextSequence(seq: number): number {
  return seq === INT32_MAX ? 0 : seq + 1;
}

export function lastSequenceOf(baseSequence: number, lastOffsetDelta: number): number {
  const last = baseSequence + lastOffsetDelta;
  return last > INT32_MAX ? last - INT32_MAX - 1 : last;
}

export class PartitionProducerState {
  private readonly producers = new Map<bigint, ProducerEntry>();
  private _version = 0;

  /** Grows with every change, so a snapshot writer can tell whether it has anything new. */
  get version(): number {
    return this._version;
  }

  /** Decides what to do with an idempotent batch before it is appended. */
  check(producerId: bigint, epoch: number, baseSequence: number, lastOffsetDelta: number): ProducerCheckResult {
    if (producerId < 0n) return { kind: ProducerCheck.append };
    const entry = this.producers.get(producerId);
    if (!entry || epoch > entry.epoch) {
      // A new producer (or a bumped epoch) starts at sequence 0.
      if (baseSequence !== 0 && entry) {
        return { kind: ProducerCheck.outOfOrder, message: `producer ${producerId} epoch ${epoch} must start at sequence 0, got ${baseSequence}` };
      }
      return { kind: ProducerCheck.append };
    }
    if (epoch < entry.epoch) {
      return { kind: ProducerCheck.fencedEpoch, message: `producer ${producerId} epoch ${epoch} is older than the current epoch ${entry.epoch}` };
    }
    const lastSeq = lastSequenceOf(baseSequence, lastOffsetDelta);
    const duplicate = entry.batches.find((b) => b.firstSeq === baseSequence && b.lastSeq === lastSeq);
    if (duplicate) return { kind: ProducerCheck.duplicate, baseOffset: duplicate.baseOffset };
    const latest = entry.batches[entry.batches.length - 1];
    if (latest && baseSequence !== nextSequence(latest.lastSeq)) {
      return {
        kind: ProducerCheck.outOfOrder,
        message: `producer ${producerId}: expected sequence ${nextSequence(latest.lastSeq)}, got ${baseSequence}`,
      };
    }
    return { kind: ProducerCheck.append };
  }

  /** Records an appended idempotent batch. */
  update(producerId: bigint, epoch: number, baseSequence: number, lastOffsetDelta: number, baseOffset: bigint): void {
    if (producerId < 0n) return;
    let entry = this.producers.get(producerId);
    if (!entry || epoch > entry.epoch) {
      entry = { epoch, batches: [] };
      this.producers.set(producerId, entry);
    }
    entry.batches.push({ firstSeq: baseSequence, lastSeq: lastSequenceOf(baseSequence, lastOffsetDelta), baseOffset });
    if (entry.batches.length > MAX_REMEMBERED_BATCHES) entry.batches.shift();
    this._version++;
  }

  /** Every producer with its remembered batches, oldest first (for snapshots). */
  entries(): Array<[bigint, Readonly<ProducerEntry>]> {
    return [...this.producers];
  }

  /** Puts back a producer read from a snapshot. */
  restore(producerId: bigint, entry: ProducerEntry): void {
    this.producers.set(producerId, { epoch: entry.epoch, batches: entry.batches.slice(-MAX_REMEMBERED_BATCHES) });
    this._version++;
  }

  /** DescribeProducers: the producers seen on this partition with their last sequence. */
  describe(): Array<{ producerId: bigint; epoch: number; lastSequence: number; lastBaseOffset: bigint }> {
    return [...this.producers].map(([producerId, e]) => {
      const last = e.batches[e.batches.length - 1];
      return { producerId, epoch: e.epoch, lastSequence: last?.lastSeq ?? -1, lastBaseOffset: last?.baseOffset ?? -1n };
    });
  }
}

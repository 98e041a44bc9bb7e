import { describe, expect, it } from "vitest";
import { lastSequenceOf, PartitionProducerState, ProducerCheck } from "../../../../broker/producer/producer-state.ts";

describe("PartitionProducerState", () => {
  it("lets non-idempotent batches through", () => {
    expect(new PartitionProducerState().check(-1n, -1, -1, 9)).toEqual({ kind: ProducerCheck.append });
  });

  it("accepts consecutive sequences and recognises a retried batch among the last five", () => {
    const state = new PartitionProducerState();
    let offset = 0n;
    for (let seq = 0; seq < 60; seq += 10) {
      expect(state.check(7n, 0, seq, 9).kind).toBe(ProducerCheck.append);
      state.update(7n, 0, seq, 9, offset);
      offset += 10n;
    }
    expect(state.check(7n, 0, 50, 9)).toEqual({ kind: ProducerCheck.duplicate, baseOffset: 50n });
    expect(state.check(7n, 0, 10, 9)).toEqual({ kind: ProducerCheck.duplicate, baseOffset: 10n });
    // The sixth-newest batch is forgotten: a retry that old is out of order.
    expect(state.check(7n, 0, 0, 9).kind).toBe(ProducerCheck.outOfOrder);
  });

  it("rejects gaps, old epochs and a new epoch not starting at zero", () => {
    const state = new PartitionProducerState();
    state.update(1n, 3, 0, 4, 0n);
    expect(state.check(1n, 3, 7, 0)).toMatchObject({ kind: ProducerCheck.outOfOrder, message: "producer 1: expected sequence 5, got 7" });
    expect(state.check(1n, 2, 5, 0).kind).toBe(ProducerCheck.fencedEpoch);
    expect(state.check(1n, 4, 3, 0).kind).toBe(ProducerCheck.outOfOrder);
    expect(state.check(1n, 4, 0, 0).kind).toBe(ProducerCheck.append);
  });

  it("wraps sequence numbers at Int32.MAX_VALUE", () => {
    expect(lastSequenceOf(0x7ffffffe, 3)).toBe(1);
    const state = new PartitionProducerState();
    state.update(2n, 0, 0x7ffffffe, 1, 0n);
    expect(state.check(2n, 0, 0, 4).kind).toBe(ProducerCheck.append);
  });

  it("describes producers for DescribeProducers", () => {
    const state = new PartitionProducerState();
    state.update(5n, 1, 0, 2, 100n);
    expect(state.describe()).toEqual([{ producerId: 5n, epoch: 1, lastSequence: 2, lastBaseOffset: 100n }]);
  });
});

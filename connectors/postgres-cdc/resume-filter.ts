// Which streamed changes a restarted task has already emitted. The slot is confirmed only up to a
// stored offset's commit LSN, so after a restart the server resends every transaction that
// committed at or after it. Transactions arrive whole and in commit order (no in-progress
// streaming is asked for), and a transaction's changes arrive in LSN order, so:
//   - a transaction committed at or before the stored lsn_commit was fully emitted: skip it;
//   - the stored offset's own transaction (its txId) was emitted up to the stored lsn: skip its
//     changes up to and including that LSN, emit the rest;
//   - any later transaction is new.
// This is Debezium's lsn_commit / lsn logic (WalPositionLocator), keyed on the transaction id so
// that interleaved transactions, whose change LSNs overlap, cannot be confused.
import type { StreamingOffset } from "./offsets.ts";

export class ResumeFilter {
  readonly #lastCommitLsn: bigint | null;
  readonly #txId: number | null;
  readonly #lsn: bigint | null;
  /** The current transaction's decision: skip all, skip up to an LSN, or emit all. */
  #skipWhole = false;
  #skipUpTo: bigint | null = null;

  constructor(stored: StreamingOffset | null) {
    this.#lastCommitLsn = stored?.lastCommitLsn ?? null;
    this.#txId = stored?.txId ?? null;
    this.#lsn = stored?.lsn ?? null;
  }

  /** Called at each Begin: `finalLsn` is the transaction's commit LSN. */
  beginTransaction(xid: number, finalLsn: bigint): void {
    this.#skipWhole = this.#lastCommitLsn !== null && finalLsn <= this.#lastCommitLsn;
    this.#skipUpTo = !this.#skipWhole && this.#txId !== null && xid === this.#txId ? this.#lsn : null;
  }

  /** True when the transaction being read has nothing new (its Commit still counts as processed). */
  get skippingTransaction(): boolean {
    return this.#skipWhole;
  }

  /** True when the change at `lsn` of the current transaction was emitted before the restart. */
  alreadyEmitted(lsn: bigint): boolean {
    if (this.#skipWhole) return true;
    return this.#skipUpTo !== null && lsn <= this.#skipUpTo;
  }
}

// A segment's `.index`: a sparse map from offsets to file positions, Kafka's format. Each entry
// is 8 bytes, int32 offset relative to the segment's base offset and int32 position in the
// `.log`; like Kafka, an entry names a batch's LAST offset and the position where that batch
// STARTS, and one is added when more than index.interval.bytes of log have been written since
// the previous entry. A lookup finds the last entry at or below the wanted offset; the batch
// holding the offset starts there or a few batches further on.
import { IndexFile, type IndexOpenMode } from "./index-file.ts";

export const OFFSET_INDEX_ENTRY_SIZE = 8;

export class OffsetIndex extends IndexFile {
  constructor(path: string, maxEntries: number, mode: IndexOpenMode) {
    super(path, OFFSET_INDEX_ENTRY_SIZE, maxEntries, mode);
  }

  relOffsetAt(i: number): number {
    this.ensureLoaded();
    return this.buf.readInt32BE(i * OFFSET_INDEX_ENTRY_SIZE);
  }

  positionAt(i: number): number {
    this.ensureLoaded();
    return this.buf.readInt32BE(i * OFFSET_INDEX_ENTRY_SIZE + 4);
  }

  append(relOffset: number, position: number): void {
    const at = this.slot();
    if (this.count > 0) {
      const lastRel = this.buf.readInt32BE(at - OFFSET_INDEX_ENTRY_SIZE);
      const lastPos = this.buf.readInt32BE(at - OFFSET_INDEX_ENTRY_SIZE + 4);
      if (relOffset <= lastRel || position <= lastPos) {
        throw new Error(`offset index ${this.path}: entry (${relOffset}, ${position}) does not follow (${lastRel}, ${lastPos})`);
      }
    }
    this.buf.writeInt32BE(relOffset, at);
    this.buf.writeInt32BE(position, at + 4);
    this.committed();
  }

  /** Index of the last entry whose relative offset is <= relOffset, or -1. */
  floorEntry(relOffset: number): number {
    this.ensureLoaded();
    let lo = 0;
    let hi = this.count - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.buf.readInt32BE(mid * OFFSET_INDEX_ENTRY_SIZE) <= relOffset) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /** Where to start scanning for the batch holding relOffset: a batch start at or before it. */
  floorPosition(relOffset: number): number {
    const i = this.floorEntry(relOffset);
    return i < 0 ? 0 : this.positionAt(i);
  }

  lastPosition(): number | undefined {
    return this.count === 0 ? undefined : this.positionAt(this.count - 1);
  }

  /** Drops the entries pointing at or past `position` (a truncated or rescanned tail). */
  truncateToPosition(position: number): void {
    this.ensureLoaded();
    let n = this.count;
    while (n > 0 && this.positionAt(n - 1) >= position) n--;
    this.truncateEntries(n);
  }

  /** Entries strictly increasing in offset and position, all inside a log of `logSize` bytes. */
  isConsistent(logSize: number): boolean {
    this.ensureLoaded();
    let lastRel = -1;
    let lastPos = -1;
    for (let i = 0; i < this.count; i++) {
      const rel = this.relOffsetAt(i);
      const pos = this.positionAt(i);
      if (rel <= lastRel || pos <= lastPos || pos >= logSize) return false;
      lastRel = rel;
      lastPos = pos;
    }
    return true;
  }
}

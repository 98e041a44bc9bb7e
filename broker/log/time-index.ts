// A segment's `.timeindex`, Kafka's format: 12-byte entries of int64 timestamp and int32 offset
// relative to the segment's base offset. An entry (t, o) says "the largest batch max timestamp
// so far first reached t at the batch whose last offset is o": timestamps strictly increase,
// so every batch before o's batch has a max timestamp below t. Entries are added next to
// offset index entries (only when the max timestamp grew) and once more when a segment is
// closed, so a segment's last entry holds its largest timestamp.
import { IndexFile, type IndexOpenMode } from "./index-file.ts";

export const TIME_INDEX_ENTRY_SIZE = 12;

export interface TimeIndexEntry {
  timestamp: bigint;
  relOffset: number;
}

export class TimeIndex extends IndexFile {
  constructor(path: string, maxEntries: number, mode: IndexOpenMode) {
    super(path, TIME_INDEX_ENTRY_SIZE, maxEntries, mode);
  }

  entryAt(i: number): TimeIndexEntry {
    this.ensureLoaded();
    const at = i * TIME_INDEX_ENTRY_SIZE;
    return { timestamp: this.buf.readBigInt64BE(at), relOffset: this.buf.readInt32BE(at + 8) };
  }

  lastEntry(): TimeIndexEntry | undefined {
    const raw = this.lastEntryBytes();
    return raw ? { timestamp: raw.readBigInt64BE(0), relOffset: raw.readInt32BE(8) } : undefined;
  }

  /** Appends (timestamp, relOffset) if the timestamp is above the last entry's. */
  maybeAppend(timestamp: bigint, relOffset: number): void {
    const last = this.count > 0 ? this.lastEntry() : undefined;
    if (last && timestamp <= last.timestamp) return;
    if (last && relOffset < last.relOffset) {
      throw new Error(`time index ${this.path}: offset ${relOffset} is below the last entry's ${last.relOffset}`);
    }
    const at = this.slot();
    this.buf.writeBigInt64BE(timestamp, at);
    this.buf.writeInt32BE(relOffset, at + 8);
    this.committed();
  }

  /** The last entry whose timestamp is <= timestamp. */
  floor(timestamp: bigint): TimeIndexEntry | undefined {
    this.ensureLoaded();
    let lo = 0;
    let hi = this.count - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.buf.readBigInt64BE(mid * TIME_INDEX_ENTRY_SIZE) <= timestamp) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found < 0 ? undefined : this.entryAt(found);
  }

  /** Drops the entries whose offset is above relOffset. */
  truncateToRelOffset(relOffset: number): void {
    this.ensureLoaded();
    let n = this.count;
    while (n > 0 && this.entryAt(n - 1).relOffset > relOffset) n--;
    this.truncateEntries(n);
  }

  /** Timestamps strictly increasing, offsets not decreasing and within [0, maxRelOffset]. */
  isConsistent(maxRelOffset: number): boolean {
    this.ensureLoaded();
    let last: TimeIndexEntry | undefined;
    for (let i = 0; i < this.count; i++) {
      const e = this.entryAt(i);
      if (e.relOffset < 0 || e.relOffset > maxRelOffset) return false;
      if (last && (e.timestamp <= last.timestamp || e.relOffset < last.relOffset)) return false;
      last = e;
    }
    return true;
  }
}

// The file behind a sparse segment index (offset or time): fixed-size big-endian entries in
// append order, as Kafka lays out `.index` and `.timeindex`. Kafka memory-maps these files;
// Node has no mmap, so the entries live in a Buffer and new ones reach the file in batches
// (writePending: every few hundred entries, on flush, roll and close). That is safe because an
// index is derived data: recovery rebuilds whatever tail the file lacks from the log itself.
// Old segments' indexes are read from disk only when first used, so opening a partition with
// many segments costs a stat per file, not a read.
import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, openSync, readFileSync, statSync, truncateSync, unlinkSync } from "node:fs";
import { readFully, writeFully } from "./fs-util.ts";

const EMPTY = Buffer.alloc(0);
const INITIAL_ENTRIES = 64;

export type IndexOpenMode = "create" | "open";

export abstract class IndexFile {
  readonly path: string;
  protected readonly entrySize: number;
  /** Entries the index may hold before its segment must roll (segment.index.bytes). */
  maxEntries: number;
  protected buf: Buffer = EMPTY;
  protected count: number;
  /** Entries already in the file. */
  private persisted: number;
  private fd: number | undefined;
  private loaded: boolean;
  /** Written since the last fsync. */
  private unsynced = false;
  /** The file was missing or had a torn entry when opened: its segment should rebuild it. */
  readonly damaged: boolean;

  constructor(path: string, entrySize: number, maxEntries: number, mode: IndexOpenMode) {
    this.path = path;
    this.entrySize = entrySize;
    this.maxEntries = Math.max(1, maxEntries);
    if (mode === "create") {
      this.fd = openSync(path, "w+");
      this.count = 0;
      this.persisted = 0;
      this.loaded = true;
      this.damaged = false;
      return;
    }
    const size = existsSync(path) ? statSync(path).size : -1;
    this.damaged = size < 0 || size % entrySize !== 0;
    this.count = size < 0 ? 0 : Math.floor(size / entrySize);
    this.persisted = this.count;
    this.loaded = false;
  }

  get entries(): number {
    return this.count;
  }

  isFull(): boolean {
    return this.count >= this.maxEntries;
  }

  /** Entries appended since the file was last written. */
  get pending(): number {
    return this.count - this.persisted;
  }

  protected ensureLoaded(): void {
    if (this.loaded) return;
    this.loaded = true;
    if (this.count === 0) return;
    const data = readFileSync(this.path);
    this.count = Math.min(this.count, Math.floor(data.length / this.entrySize));
    this.persisted = this.count;
    this.buf = Buffer.allocUnsafe(Math.max(this.count, INITIAL_ENTRIES) * this.entrySize);
    data.copy(this.buf, 0, 0, this.count * this.entrySize);
  }

  /** Byte position in `buf` where the next entry goes, growing the buffer when needed. */
  protected slot(): number {
    this.ensureLoaded();
    const at = this.count * this.entrySize;
    if (at + this.entrySize > this.buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(INITIAL_ENTRIES, this.count * 2) * this.entrySize);
      this.buf.copy(grown, 0, 0, at);
      this.buf = grown;
    }
    return at;
  }

  protected committed(): void {
    this.count++;
  }

  /** The raw bytes of the last entry, read from disk when the index is not loaded. */
  protected lastEntryBytes(): Buffer | undefined {
    if (this.count === 0) return undefined;
    if (this.loaded) return this.buf.subarray((this.count - 1) * this.entrySize, this.count * this.entrySize);
    const out = Buffer.allocUnsafe(this.entrySize);
    const fd = openSync(this.path, "r");
    try {
      if (readFully(fd, out, this.entrySize, (this.count - 1) * this.entrySize) !== this.entrySize) return undefined;
    } finally {
      closeSync(fd);
    }
    return out;
  }

  /** Keeps the first `n` entries. */
  truncateEntries(n: number): void {
    this.ensureLoaded();
    if (n >= this.count) return;
    this.count = Math.max(0, n);
    if (this.persisted > this.count) {
      this.persisted = this.count;
      const bytes = this.count * this.entrySize;
      if (this.fd !== undefined) ftruncateSync(this.fd, bytes);
      else if (existsSync(this.path)) truncateSync(this.path, bytes);
      this.unsynced = true;
    }
  }

  private writable(): number {
    if (this.fd === undefined) {
      this.fd = openSync(this.path, existsSync(this.path) ? "r+" : "w+");
      // A torn last entry (crash mid-write) or entries dropped on load: cut the file to what we hold.
      if (fstatSync(this.fd).size !== this.persisted * this.entrySize) {
        ftruncateSync(this.fd, this.persisted * this.entrySize);
        this.unsynced = true;
      }
    }
    return this.fd;
  }

  /** Writes the entries the file lacks. */
  writePending(): void {
    if (this.persisted === this.count && (this.fd !== undefined || !this.damaged)) return;
    this.ensureLoaded();
    const fd = this.writable();
    if (this.persisted < this.count) {
      writeFully(fd, this.buf.subarray(this.persisted * this.entrySize, this.count * this.entrySize), this.persisted * this.entrySize);
      this.persisted = this.count;
      this.unsynced = true;
    }
  }

  /** Writes pending entries and fsyncs the file. */
  sync(): void {
    this.writePending();
    if (!this.unsynced) return;
    if (this.fd !== undefined) fsyncSync(this.fd);
    else {
      const fd = openSync(this.path, "r");
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
    this.unsynced = false;
  }

  /** Writes pending entries and releases the file handle (the entries stay readable). */
  closeFile(): void {
    this.writePending();
    if (this.fd !== undefined) {
      closeSync(this.fd);
      this.fd = undefined;
    }
  }

  /** Lets go of the file handle without writing anything (the files are about to go). */
  release(): void {
    if (this.fd !== undefined) {
      closeSync(this.fd);
      this.fd = undefined;
    }
  }

  deleteFile(): void {
    if (this.fd !== undefined) {
      closeSync(this.fd);
      this.fd = undefined;
    }
    try {
      unlinkSync(this.path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
    this.count = 0;
    this.persisted = 0;
    this.buf = EMPTY;
    this.loaded = true;
  }
}

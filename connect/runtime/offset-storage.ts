// Source offsets between tasks and the OffsetBackingStore (Kafka's OffsetStorageWriter and
// OffsetStorageReaderImpl). The writer collects the latest offset of each source partition; a
// flush snapshots them, serializes them in Kafka's key/value format (offset-codec.ts) and writes
// them to the store; a failed flush puts the snapshot back under anything newer, so the next
// flush retries it. Tasks read the committed offsets through the reader when they (re)start.
import { DataException, type OffsetStorageReader, type SourceMap } from "../api/index.ts";
import { offsetMapKey, parseOffsetValue, serializeOffsetKey, serializeOffsetValue } from "../storage/offset-codec.ts";
import type { OffsetBackingStore } from "../storage/types.ts";

const identities = new WeakMap<object, string>();

/**
 * A text identifying a source partition map by content (key order ignored; 1 and 1n differ).
 * Cached per map object: connectors often give every record of a partition the same object.
 * Partition maps are treated as immutable once handed to the runtime (as Kafka requires).
 */
export function partitionIdentity(partition: SourceMap | null): string {
  if (partition === null || partition === undefined) return "null";
  let identity = identities.get(partition);
  if (identity === undefined) {
    identity = computeIdentity(partition);
    identities.set(partition, identity);
  }
  return identity;
}

function computeIdentity(partition: SourceMap): string {
  const entries = Object.keys(partition)
    .sort()
    .map((k) => {
      const v = partition[k];
      return [k, typeof v === "bigint" ? `${v}n` : v instanceof Uint8Array ? `b:${Buffer.from(v).toString("base64")}` : v];
    });
  return JSON.stringify(entries);
}

interface Entry {
  readonly partition: SourceMap | null;
  readonly offset: SourceMap | null;
}

export class OffsetStorageWriter {
  readonly #store: OffsetBackingStore;
  readonly #connector: string;
  #data = new Map<string, Entry>();
  #toFlush: Map<string, Entry> | null = null;

  constructor(store: OffsetBackingStore, connector: string) {
    this.#store = store;
    this.#connector = connector;
  }

  /** Records the latest offset of a partition (null: remove the partition's offset). */
  offset(partition: SourceMap | null, offset: SourceMap | null): void {
    this.#data.set(partitionIdentity(partition), { partition, offset });
  }

  /** Snapshots the offsets to flush; false when there are none. */
  beginFlush(): boolean {
    if (this.#toFlush !== null) throw new Error("OffsetStorageWriter: a flush is already in progress");
    if (this.#data.size === 0) return false;
    this.#toFlush = this.#data;
    this.#data = new Map();
    return true;
  }

  /** Writes the snapshot; resolves once the store has it durably. Throws (and keeps it) on failure. */
  async doFlush(): Promise<void> {
    const toFlush = this.#toFlush;
    if (toFlush === null) throw new Error("OffsetStorageWriter: doFlush without beginFlush");
    const entries: { key: Buffer; value: Buffer | null }[] = [];
    try {
      for (const { partition, offset } of toFlush.values()) {
        entries.push({ key: serializeOffsetKey(this.#connector, partition), value: serializeOffsetValue(this.#connector, offset) });
      }
      await this.#store.set(entries);
    } catch (e) {
      this.cancelFlush();
      throw e;
    }
    this.#toFlush = null;
  }

  /** Puts an unfinished flush's offsets back, under any offsets recorded since. */
  cancelFlush(): void {
    const toFlush = this.#toFlush;
    if (toFlush === null) return;
    for (const [k, v] of this.#data) toFlush.set(k, v);
    this.#data = toFlush;
    this.#toFlush = null;
  }
}

export class OffsetStorageReaderImpl implements OffsetStorageReader {
  readonly #store: OffsetBackingStore;
  readonly #connector: string;
  #closed = false;

  constructor(store: OffsetBackingStore, connector: string) {
    this.#store = store;
    this.#connector = connector;
  }

  async offset(partition: SourceMap): Promise<SourceMap | null> {
    return (await this.offsets([partition])).get(partition) ?? null;
  }

  async offsets(partitions: readonly SourceMap[]): Promise<Map<SourceMap, SourceMap | null>> {
    if (this.#closed) throw new DataException("Offset reader is closed. This is likely because the task has already been scheduled to stop but has taken longer than the graceful shutdown period to do so.");
    const keys = partitions.map((p) => serializeOffsetKey(this.#connector, p));
    const stored = await this.#store.get(keys);
    const out = new Map<SourceMap, SourceMap | null>();
    partitions.forEach((partition, i) => {
      const raw = stored.get(offsetMapKey(keys[i] as Buffer));
      let offset: SourceMap | null = null;
      if (raw !== undefined && raw !== null) {
        try {
          offset = parseOffsetValue(raw);
        } catch {
          // Kafka logs and skips values it cannot read; the partition then reads as having none.
          offset = null;
        }
      }
      out.set(partition, offset);
    });
    return out;
  }

  close(): void {
    this.#closed = true;
  }
}

// Source offsets held in memory (Kafka's MemoryOffsetBackingStore): for tests, and the base of
// the file store. Entries are keyed by the key's JSON text (offsetMapKey); a null value deletes
// the entry, as a tombstone does in the offsets topic.
import type { OffsetBackingStore } from "./types.ts";
import { offsetMapKey, parseOffsetKey } from "./offset-codec.ts";

export class MemoryOffsetBackingStore implements OffsetBackingStore {
  protected readonly data = new Map<string, { key: Buffer; value: Buffer }>();

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  async get(keys: readonly Buffer[]): Promise<Map<string, Buffer | null>> {
    const out = new Map<string, Buffer | null>();
    for (const key of keys) {
      const entry = this.data.get(offsetMapKey(key));
      if (entry) out.set(offsetMapKey(key), entry.value);
    }
    return out;
  }

  async set(entries: ReadonlyArray<{ key: Buffer; value: Buffer | null }>): Promise<void> {
    this.apply(entries);
    await this.persist();
  }

  async connectorPartitions(connector: string): Promise<Buffer[]> {
    const out: Buffer[] = [];
    for (const { key } of this.data.values()) {
      try {
        if (parseOffsetKey(key).connector === connector) out.push(key);
      } catch {
        // Keys of another shape (written by something else) belong to no connector.
      }
    }
    return out;
  }

  protected apply(entries: ReadonlyArray<{ key: Buffer; value: Buffer | null }>): void {
    for (const { key, value } of entries) {
      if (value === null) this.data.delete(offsetMapKey(key));
      else this.data.set(offsetMapKey(key), { key: Buffer.from(key), value: Buffer.from(value) });
    }
  }

  /** Makes the current data durable (nothing to do in memory). */
  protected async persist(): Promise<void> {}
}

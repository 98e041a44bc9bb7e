// A RegistryLog kept in memory: the registry's store for tests and for a single instance that
// need not survive a restart. Several logs can share one MemoryTopic, as several registry
// instances share one `_schemas` topic; each delivers every record, in order, to its own reader.
import type { RegistryLog, RegistryLogRecord } from "./log.ts";

/** The shared record list (the "topic"); readers are told of each append. */
export class MemoryTopic {
  readonly records: RegistryLogRecord[] = [];
  private readonly readers = new Set<(record: RegistryLogRecord) => void>();

  append(key: Buffer, value: Buffer | null): RegistryLogRecord {
    const record: RegistryLogRecord = { key: Buffer.from(key), value: value === null ? null : Buffer.from(value), offset: this.records.length };
    this.records.push(record);
    for (const reader of this.readers) reader(record);
    return record;
  }

  subscribe(reader: (record: RegistryLogRecord) => void): () => void {
    this.readers.add(reader);
    return () => this.readers.delete(reader);
  }
}

export class MemoryRegistryLog implements RegistryLog {
  readonly topic: MemoryTopic;
  private unsubscribe: (() => void) | null = null;
  private closed = false;

  constructor(topic: MemoryTopic = new MemoryTopic()) {
    this.topic = topic;
  }

  async start(apply: (record: RegistryLogRecord) => void): Promise<void> {
    if (this.unsubscribe) throw new Error("the memory log is already started");
    for (const record of this.topic.records) apply(record);
    this.unsubscribe = this.topic.subscribe(apply);
  }

  async append(key: Buffer, value: Buffer | null): Promise<number> {
    if (this.closed) throw new Error("the memory log is closed");
    // Appending delivers the record to every reader (this one included) before returning,
    // which is the read-your-writes the interface promises.
    return this.topic.append(key, value).offset;
  }

  async waitUntilCaughtUp(): Promise<void> {
    // Every append is delivered synchronously: there is nothing to catch up with.
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe?.();
    this.unsubscribe = null;
  }
}

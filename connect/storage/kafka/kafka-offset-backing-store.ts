// Distributed mode's source offset store (Kafka's KafkaOffsetBackingStore): the compacted topic
// named by offset.storage.topic (records: offset-records.ts), read in full by every worker and
// kept as a map from key bytes to the latest value. get() first reads the topic to its end, so a
// task that moved from another worker starts from the last offset that worker committed. set()
// resolves once Kafka acknowledged every record (acks=all); each record goes to the partition
// Kafka's producer would choose for its key.
import { ConfigException } from "../../api/index.ts";
import { offsetMapKey } from "../offset-codec.ts";
import type { OffsetBackingStore } from "../types.ts";
import { KafkaBasedLog } from "./kafka-based-log.ts";
import { type KafkaTopicStoreOptions, storeTopic } from "./topic-store-options.ts";
import { parseOffsetKey } from "./offset-records.ts";

/** The offset.storage.* settings. */
export type KafkaOffsetBackingStoreOptions = KafkaTopicStoreOptions;

export class KafkaOffsetBackingStore implements OffsetBackingStore {
  readonly #offsetLog: KafkaBasedLog;
  readonly #data = new Map<string, { key: Buffer; value: Buffer }>();

  constructor(options: KafkaOffsetBackingStoreOptions) {
    if (options.topic.trim() === "") throw new ConfigException("Offset storage topic must be specified");
    const log = options.log.child({ component: "offset-store", topic: options.topic });
    this.#offsetLog = new KafkaBasedLog({
      topic: storeTopic(options),
      purpose: { configKey: "offset.storage.topic", holds: "source connector offsets" },
      kafka: options.kafka,
      client: options.client,
      log,
      onRecord: (record) => {
        if (record.key === null) return;
        const k = offsetMapKey(record.key);
        if (record.value === null) this.#data.delete(k);
        else this.#data.set(k, { key: Buffer.from(record.key), value: Buffer.from(record.value) });
      },
    });
  }

  async start(): Promise<void> {
    await this.#offsetLog.start();
  }

  async stop(): Promise<void> {
    await this.#offsetLog.stop();
  }

  async get(keys: readonly Buffer[]): Promise<Map<string, Buffer | null>> {
    await this.#offsetLog.readToEnd();
    const out = new Map<string, Buffer | null>();
    for (const key of keys) {
      const entry = this.#data.get(offsetMapKey(key));
      if (entry) out.set(offsetMapKey(key), entry.value);
    }
    return out;
  }

  async set(entries: ReadonlyArray<{ key: Buffer; value: Buffer | null }>): Promise<void> {
    await this.#offsetLog.sendAll(entries.map((e) => ({ key: e.key, value: e.value })));
  }

  async connectorPartitions(connector: string): Promise<Buffer[]> {
    await this.#offsetLog.readToEnd();
    const out: Buffer[] = [];
    for (const { key } of this.#data.values()) if (parseOffsetKey(key)?.connector === connector) out.push(key);
    return out;
  }
}

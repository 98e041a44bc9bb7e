// ElasticsearchSinkTask: put() turns records into bulk operations and buffers them, sending a
// bulk request whenever batch.size are waiting; flush() (and so preCommit) sends the rest and
// returns only once Elasticsearch acknowledged every buffered document, so the runtime commits
// offsets of written data only (at-least-once). Documents Elasticsearch rejects for good go to
// the errant record reporter (the DLQ) or are ignored, warned about or fail the task, as
// behavior.on.malformed.documents says.
import { ConnectException, type ConnectorProps, DataException, type SinkRecord, SinkTask, type TopicPartition, type TopicPartitionOffset } from "../../connect/api/index.ts";
import { createLogger, type Logger } from "../../lib/logger.ts";
import { HUB_VERSION } from "../../lib/version.ts";
import { BulkWriter, type BulkEntry, type RejectedEntry } from "./bulk-writer.ts";
import { type ElasticsearchSinkSettings, parseElasticsearchSinkSettings } from "./config.ts";
import { indexMappingOf } from "./mapping.ts";
import { describeRecord, documentIdOf, documentOf, indexNameOf, type JsonValue } from "./document.ts";

export class ElasticsearchSinkTask extends SinkTask {
  #settings: ElasticsearchSinkSettings | null = null;
  #writer: BulkWriter | null = null;
  #buffer: BulkEntry[] = [];
  /** Indices this task already created (or found) with mappings from a schema. */
  readonly #mappedIndices = new Set<string>();
  #log: Logger = createLogger({ level: "warn" }).child({ component: "ElasticsearchSinkTask" });

  override version(): string {
    return HUB_VERSION;
  }

  override async start(props: ConnectorProps): Promise<void> {
    this.#settings = parseElasticsearchSinkSettings(props);
    this.#writer = await BulkWriter.open(this.#settings);
  }

  override async put(records: SinkRecord[]): Promise<void> {
    const settings = this.#required();
    for (const record of records) {
      const entry = this.#entryOf(record, settings);
      if (entry !== null) this.#buffer.push(entry);
      if (this.#buffer.length >= settings.batchSize) await this.#writeBuffered();
    }
  }

  override async flush(_currentOffsets: readonly TopicPartitionOffset[]): Promise<void> {
    await this.#writeBuffered();
  }

  override async close(_partitions: TopicPartition[]): Promise<void> {
    // Whatever is buffered was put by this task: write it before the partitions move elsewhere.
    await this.#writeBuffered();
  }

  override async stop(): Promise<void> {
    const writer = this.#writer;
    this.#writer = null;
    this.#buffer = [];
    await writer?.close();
  }

  /** The record's bulk operation; null when the record is to be skipped. */
  #entryOf(record: SinkRecord, settings: ElasticsearchSinkSettings): BulkEntry | null {
    try {
      const index = indexNameOf(record.topic);
      // With the key as id, the Kafka offset is the document's external version: a replayed
      // older record cannot overwrite what a newer one wrote.
      const versioned: { [key: string]: JsonValue } = !settings.keyIgnore && settings.writeMethod === "insert" ? { version: record.kafkaOffset, version_type: "external" } : {};
      if (record.value === null || record.value === undefined) {
        switch (settings.onNullValues) {
          case "ignore":
            return null;
          case "fail":
            throw new DataException(
              `Sink record with key of ${String(record.key)} and null value encountered for topic/partition/offset ${record.topic}/${record.kafkaPartition}/${record.kafkaOffset} (to ignore future records like this change the configuration behavior.on.null.values to 'ignore')`,
            );
          case "delete":
            return { record, action: { delete: { _index: index, _id: documentIdOf(record, settings.keyIgnore), ...versioned } }, body: null };
        }
      }
      const id = documentIdOf(record, settings.keyIgnore);
      const document = documentOf(record);
      if (settings.writeMethod === "upsert") return { record, action: { update: { _index: index, _id: id } }, body: { doc: document, doc_as_upsert: true } };
      return { record, action: { index: { _index: index, _id: id, ...versioned } }, body: document };
    } catch (error) {
      if (settings.dropInvalidMessage && error instanceof DataException) {
        this.#log.warn(`Dropping ${describeRecord(record)}: ${error.message}`);
        return null;
      }
      throw error;
    }
  }

  async #writeBuffered(): Promise<void> {
    if (this.#buffer.length === 0) return;
    const entries = this.#buffer;
    this.#buffer = [];
    const writer = this.#requiredWriter();
    if (!this.#required().schemaIgnore) await this.#ensureMappedIndices(writer, entries);
    const rejected = await writer.write(entries);
    for (const failure of rejected) await this.#handleRejected(failure);
  }

  /** Creates each new index with the mappings of the schema of its first record that has one. */
  async #ensureMappedIndices(writer: BulkWriter, entries: readonly BulkEntry[]): Promise<void> {
    for (const { record } of entries) {
      const index = indexNameOf(record.topic);
      if (this.#mappedIndices.has(index)) continue;
      const mappings = indexMappingOf(record.valueSchema);
      if (mappings === null) continue;
      await writer.ensureIndex(index, mappings);
      this.#mappedIndices.add(index);
    }
  }

  async #handleRejected({ entry, reason }: RejectedEntry): Promise<void> {
    const settings = this.#required();
    if (settings.onMalformedDocuments === "ignore") return;
    const error = new ConnectException(`Elasticsearch rejected the document of ${describeRecord(entry.record)}: ${reason}`);
    if (settings.onMalformedDocuments === "warn") this.#log.warn(error.message);
    const reporter = this.context.errantRecordReporter();
    if (reporter !== null) {
      // The DLQ takes it (or, with errors.tolerance=none, fails the task).
      await reporter.report(entry.record, error);
      return;
    }
    if (settings.onMalformedDocuments === "fail") throw error;
  }

  #required(): ElasticsearchSinkSettings {
    if (this.#settings === null) throw new ConnectException("ElasticsearchSinkTask was not started");
    return this.#settings;
  }

  #requiredWriter(): BulkWriter {
    if (this.#writer === null) throw new ConnectException("ElasticsearchSinkTask was not started (or was stopped)");
    return this.#writer;
  }
}

// Small connectors and one SMT for the worker's tests, as ordinary plugin descriptors. They run
// inside the test's process, so each connector config names a "probe" (test.probe) — an object
// the test holds — through which the test sees what the tasks did and makes them fail on demand.
//   NumberedSource  emits records 0, 1, 2 ... with source partition {source: <test.probe>, task: n}
//                   and offset {position: i}; resumes after the committed offset.
//   CollectingSink  collects what put() receives; can throw RetriableException or fail put,
//                   flush or preCommit, and report records to the errant record reporter.
//   FailOn          an SMT that throws on records whose id is listed in fail.ids.
import {
  ConfigDef,
  type ConnectorProps,
  ConnectRecord,
  ConnectException,
  definePlugin,
  RetriableException,
  Schema,
  SchemaBuilder,
  SinkConnector,
  type SinkRecord,
  SinkTask,
  type SinkTaskContext,
  SourceConnector,
  SourceRecord,
  SourceTask,
  Struct,
  type RecordMetadata,
  type TopicPartition,
  type TopicPartitionOffset,
  Transformation,
} from "../../connect/api/index.ts";

export class Probe {
  // source side
  /** Record numbers emitted (the value's id), in order, across restarts. */
  readonly emitted: number[] = [];
  readonly committedRecords: Array<{ id: number; metadata: RecordMetadata | null }> = [];
  commits = 0;
  /** The position a task resumed from (offset reader), per start. */
  readonly resumedFrom: Array<number | null> = [];
  /** Throw (non-retriable) from poll when this id would be emitted next. */
  failPollAt: number | null = null;
  /** Throw RetriableException from poll this many times. */
  retriablePollFailures = 0;
  // sink side
  readonly received: SinkRecord[] = [];
  /** Flushed offsets (what flush() was called with), in order. */
  readonly flushes: TopicPartitionOffset[][] = [];
  /** Throw RetriableException from put() this many more times. */
  retriablePutFailures = 0;
  /** Milliseconds given to context.timeout() before a RetriableException. */
  retryTimeoutMs = 100;
  failPut: Error | null = null;
  failFlush: Error | null = null;
  /** Override of preCommit; null for the default (flush, commit all). */
  preCommit: ((offsets: readonly TopicPartitionOffset[]) => TopicPartitionOffset[]) | null = null;
  /** Records for which put() calls the errant record reporter instead of collecting them. */
  reportErrant: ((record: SinkRecord) => boolean) | null = null;
  readonly errantResults: Array<"ok" | string> = [];
  readonly opened: TopicPartition[][] = [];
  readonly closed: TopicPartition[][] = [];
  puts = 0;
  emptyPuts = 0;
  started = 0;
  stopped = 0;
  /** The sink context, to pause/resume/rewind from the test. */
  sinkContext: SinkTaskContext | null = null;

  ids(): number[] {
    return this.received.map((r) => recordId(r));
  }
}

const probes = new Map<string, Probe>();

/** A new probe under a unique name (put the name in the connector config as test.probe). */
export function newProbe(name: string): Probe {
  const probe = new Probe();
  probes.set(name, probe);
  return probe;
}

function probeOf(props: ConnectorProps): Probe {
  const name = props["test.probe"] ?? "";
  const probe = probes.get(name);
  if (!probe) throw new ConnectException(`no test probe named '${name}'`);
  return probe;
}

export const VALUE_SCHEMA = SchemaBuilder.struct().name("hub.test.Numbered").field("id", Schema.INT64_SCHEMA).field("name", Schema.STRING_SCHEMA).build();

/** The number a record carries (struct field id, or a plain number/bigint value). */
export function recordId(record: ConnectRecord): number {
  const v = record.value;
  if (v instanceof Struct) return Number(v.get("id"));
  if (typeof v === "bigint" || typeof v === "number") return Number(v);
  if (v && typeof v === "object" && "id" in v) return Number((v as { id: unknown }).id);
  return Number.NaN;
}

const SOURCE_CONFIG = new ConfigDef()
  .define({ name: "topic", type: "STRING", importance: "HIGH", documentation: "Topic to write to." })
  .define({ name: "test.probe", type: "STRING", importance: "HIGH", documentation: "The test's probe." })
  .define({ name: "count", type: "LONG", defaultValue: 10, importance: "LOW", documentation: "Records to emit per task (-1: forever)." })
  .define({ name: "batch.size", type: "INT", defaultValue: 10, importance: "LOW", documentation: "Records per poll." })
  .define({ name: "poll.interval.ms", type: "INT", defaultValue: 10, importance: "LOW", documentation: "Wait between polls once everything is emitted." })
  .define({ name: "schemaless", type: "BOOLEAN", defaultValue: false, importance: "LOW", documentation: "Emit plain objects instead of structs." })
  .define({ name: "big.ids", type: "LIST", defaultValue: "", importance: "LOW", documentation: "Ids whose name is padded to big.bytes characters." })
  .define({ name: "big.bytes", type: "INT", defaultValue: 5000, importance: "LOW", documentation: "Size of the padded names." });

export class NumberedSourceTask extends SourceTask {
  #probe!: Probe;
  #topic = "";
  #next = 0;
  #count = 10;
  #batch = 10;
  #interval = 10;
  #schemaless = false;
  #big = new Set<number>();
  #bigBytes = 5000;
  #partition: Record<string, unknown> = {};
  #stopped = false;

  override async start(props: ConnectorProps): Promise<void> {
    this.#probe = probeOf(props);
    this.#topic = props.topic ?? "";
    this.#count = Number(props.count ?? 10);
    this.#batch = Number(props["batch.size"] ?? 10);
    this.#interval = Number(props["poll.interval.ms"] ?? 10);
    this.#schemaless = props.schemaless === "true";
    this.#big = new Set((props["big.ids"] ?? "").split(",").filter((x) => x.trim() !== "").map(Number));
    this.#bigBytes = Number(props["big.bytes"] ?? 5000);
    this.#partition = { source: props["test.probe"], task: Number(props["task.index"] ?? 0) };
    const offset = await this.context.offsetStorageReader().offset(this.#partition);
    const position = offset ? Number(offset.position) : null;
    this.#probe.resumedFrom.push(position);
    this.#next = position === null ? 0 : position + 1;
    this.#probe.started++;
  }

  override async poll(): Promise<SourceRecord[] | null> {
    const probe = this.#probe;
    if (probe.retriablePollFailures > 0) {
      probe.retriablePollFailures--;
      throw new RetriableException("poll failed for now");
    }
    if (this.#stopped) return null;
    if (this.#count >= 0 && this.#next >= this.#count) {
      await new Promise((r) => setTimeout(r, this.#interval));
      return null;
    }
    const out: SourceRecord[] = [];
    while (out.length < this.#batch && (this.#count < 0 || this.#next < this.#count)) {
      const id = this.#next;
      if (probe.failPollAt === id) {
        probe.failPollAt = null;
        throw new ConnectException(`poll failed at record ${id}`);
      }
      this.#next++;
      const name = this.#big.has(id) ? `record-${id}-`.padEnd(this.#bigBytes, "x") : `record-${id}`;
      const value = this.#schemaless ? { id, name } : new Struct(VALUE_SCHEMA).put("id", BigInt(id)).put("name", name);
      const record = new SourceRecord({
        sourcePartition: this.#partition,
        sourceOffset: { position: id },
        topic: this.#topic,
        keySchema: this.#schemaless ? null : Schema.STRING_SCHEMA,
        key: `key-${id}`,
        valueSchema: this.#schemaless ? null : VALUE_SCHEMA,
        value,
        timestamp: 1_700_000_000_000 + id,
      });
      record.headers.addString("hub.test.id", String(id));
      out.push(record);
      probe.emitted.push(id);
    }
    return out;
  }

  override commitRecord(record: SourceRecord, metadata: RecordMetadata | null): void {
    this.#probe.committedRecords.push({ id: recordId(record), metadata });
  }

  override commit(): void {
    this.#probe.commits++;
  }

  override stop(): void {
    this.#stopped = true;
    if (this.#probe) this.#probe.stopped++;
  }
}

export class NumberedSourceConnector extends SourceConnector {
  #props: ConnectorProps = {};

  override start(props: ConnectorProps): void {
    this.#props = props;
  }

  override taskClass(): typeof NumberedSourceTask {
    return NumberedSourceTask;
  }

  override taskConfigs(maxTasks: number): ConnectorProps[] {
    return Array.from({ length: maxTasks }, (_, i) => ({ ...this.#props, "task.index": String(i) }));
  }

  override stop(): void {}

  override config(): ConfigDef {
    return SOURCE_CONFIG;
  }
}

const SINK_CONFIG = new ConfigDef().define({ name: "test.probe", type: "STRING", importance: "HIGH", documentation: "The test's probe." });

export class CollectingSinkTask extends SinkTask {
  #probe!: Probe;
  #pending: SinkRecord[] = [];

  override start(props: ConnectorProps): void {
    this.#probe = probeOf(props);
    this.#probe.sinkContext = this.context;
    this.#probe.started++;
  }

  override async put(records: SinkRecord[]): Promise<void> {
    const probe = this.#probe;
    probe.puts++;
    if (records.length === 0) probe.emptyPuts++;
    if (probe.failPut) throw probe.failPut;
    if (records.length > 0 && probe.retriablePutFailures > 0) {
      probe.retriablePutFailures--;
      this.context.timeout(probe.retryTimeoutMs);
      throw new RetriableException("the sink is not ready");
    }
    const reporter = this.context.errantRecordReporter();
    for (const record of records) {
      if (probe.reportErrant?.(record) && reporter) {
        try {
          await reporter.report(record, new Error(`record ${recordId(record)} cannot be written`));
          probe.errantResults.push("ok");
        } catch (e) {
          probe.errantResults.push((e as Error).message);
          throw e;
        }
        continue;
      }
      this.#pending.push(record);
    }
  }

  override flush(offsets: readonly TopicPartitionOffset[]): void {
    const probe = this.#probe;
    if (probe.failFlush) throw probe.failFlush;
    probe.flushes.push([...offsets]);
    probe.received.push(...this.#pending);
    this.#pending = [];
  }

  override preCommit(offsets: readonly TopicPartitionOffset[]): TopicPartitionOffset[] | Promise<TopicPartitionOffset[]> {
    const custom = this.#probe.preCommit;
    if (custom) return custom(offsets);
    return super.preCommit(offsets);
  }

  override open(partitions: TopicPartition[]): void {
    this.#probe.opened.push(partitions);
  }

  override close(partitions: TopicPartition[]): void {
    this.#probe.closed.push(partitions);
  }

  override stop(): void {
    if (this.#probe) this.#probe.stopped++;
  }
}

export class CollectingSinkConnector extends SinkConnector {
  #props: ConnectorProps = {};

  override start(props: ConnectorProps): void {
    this.#props = props;
  }

  override taskClass(): typeof CollectingSinkTask {
    return CollectingSinkTask;
  }

  override taskConfigs(maxTasks: number): ConnectorProps[] {
    return Array.from({ length: maxTasks }, () => ({ ...this.#props }));
  }

  override stop(): void {}

  override config(): ConfigDef {
    return SINK_CONFIG;
  }
}

const FAIL_ON_CONFIG = new ConfigDef()
  .define({ name: "fail.ids", type: "LIST", importance: "HIGH", documentation: "Record ids to throw on." })
  .define({ name: "retriable.failures", type: "INT", defaultValue: 0, importance: "LOW", documentation: "0: always throw an Error; n: throw a RetriableException n times per record, then pass it." });

export class FailOn extends Transformation {
  #ids = new Set<number>();
  #retriable = 0;
  readonly #attempts = new Map<number, number>();

  override configure(configs: Readonly<Record<string, unknown>>): void {
    const parsed = FAIL_ON_CONFIG.parse(configs);
    this.#ids = new Set((parsed["fail.ids"] as string[]).map(Number));
    this.#retriable = parsed["retriable.failures"] as number;
  }

  override apply(record: ConnectRecord): ConnectRecord | null {
    const id = recordId(record);
    if (!this.#ids.has(id)) return record;
    if (this.#retriable === 0) throw new Error(`FailOn: refusing record ${id}`);
    const attempts = (this.#attempts.get(id) ?? 0) + 1;
    this.#attempts.set(id, attempts);
    if (attempts <= this.#retriable) throw new RetriableException(`FailOn: record ${id} not yet (attempt ${attempts})`);
    return record;
  }

  override config(): ConfigDef {
    return FAIL_ON_CONFIG;
  }
}

export const TEST_PLUGINS = [
  definePlugin({
    name: "NumberedSource",
    kind: "source",
    version: "1.0",
    aliases: ["hub.test.NumberedSourceConnector"],
    configDef: SOURCE_CONFIG,
    create: () => new NumberedSourceConnector(),
  }),
  definePlugin({
    name: "CollectingSink",
    kind: "sink",
    version: "1.0",
    aliases: ["hub.test.CollectingSinkConnector"],
    configDef: SINK_CONFIG,
    create: () => new CollectingSinkConnector(),
  }),
  definePlugin({
    name: "FailOn",
    kind: "transformation",
    version: "1.0",
    aliases: ["hub.test.FailOn"],
    configDef: FAIL_ON_CONFIG,
    create: () => new FailOn(),
  }),
] as const;

// DatagenTask: generates records of a quickstart schema: a STRING key (the key field's value),
// a Struct value, and the headers task.generation, task.id and current.iteration (INT64), as
// kafka-connect-datagen does. Rate-limited by max.interval (a random wait up to that long
// before each record); with max.interval=0 it returns batches as fast as they are taken.
//
// The source offset of partition {"task.id": n} is the task's next state:
// {"task.generation", "current.iteration", "random.seed"}. The random generator is re-seeded
// after every record with a seed drawn from it, so a restarted task continues the same
// sequence from the last committed record and counts on towards `iterations`.
import { randomInt } from "node:crypto";
import { type ConnectorProps, Headers, Schema, SourceRecord, SourceTask } from "../../connect/api/index.ts";
import { HUB_VERSION } from "../../lib/version.ts";
import { Sleeper } from "../shared/sleeper.ts";
import { type DatagenSettings, parseDatagenSettings, TASK_ID_CONFIG } from "./config.ts";
import { foldSeed, SeededRandom } from "./random.ts";

export const TASK_GENERATION_FIELD = "task.generation";
export const CURRENT_ITERATION_FIELD = "current.iteration";
export const RANDOM_SEED_FIELD = "random.seed";

/** Records per poll when max.interval is 0. */
const UNTHROTTLED_BATCH = 500;
/** How long an idle task (all iterations done) waits per poll. */
const IDLE_WAIT_MS = 1000;

function integer(value: unknown): number | null {
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "number" && Number.isInteger(value)) return value;
  return null;
}

export class DatagenTask extends SourceTask {
  #settings: DatagenSettings | null = null;
  #taskId = 0;
  #generation = 0;
  #count = 0;
  #seed = 0;
  #stopped = false;
  readonly #sleeper = new Sleeper();

  override version(): string {
    return HUB_VERSION;
  }

  override async start(props: ConnectorProps): Promise<void> {
    const settings = parseDatagenSettings(props);
    this.#settings = settings;
    this.#taskId = Number.parseInt(props[TASK_ID_CONFIG] ?? "0", 10) || 0;
    this.#stopped = false;
    this.#sleeper.reset();
    if (settings.randomSeed === null) {
      this.#seed = randomInt(0, 0x1_0000_0000 - 1);
    } else {
      // Each task derives its own seed from the connector's, so tasks generate different data.
      let seed = foldSeed(settings.randomSeed);
      for (let i = 0; i < this.#taskId; i++) seed = new SeededRandom(seed).nextUint32();
      this.#seed = seed;
    }
    this.#generation = 0;
    this.#count = 0;
    const offset = await this.context.offsetStorageReader().offset(this.#partition());
    if (offset !== null) {
      this.#generation = integer(offset[TASK_GENERATION_FIELD]) ?? 0;
      this.#count = integer(offset[CURRENT_ITERATION_FIELD]) ?? 0;
      this.#seed = integer(offset[RANDOM_SEED_FIELD]) ?? this.#seed;
    }
  }

  override async poll(): Promise<SourceRecord[] | null> {
    const settings = this.#settings;
    if (settings === null || this.#stopped) return null;
    const remaining = settings.iterations > 0 ? settings.iterations - this.#count : Number.POSITIVE_INFINITY;
    if (remaining <= 0) {
      // Done: stay RUNNING and idle rather than failing the task as kafka-connect-datagen does.
      await this.#sleeper.sleep(IDLE_WAIT_MS);
      return null;
    }
    let batch = Math.min(remaining, UNTHROTTLED_BATCH);
    if (settings.maxIntervalMs > 0) {
      await this.#sleeper.sleep(Math.floor(Math.random() * settings.maxIntervalMs));
      if (this.#stopped) return null;
      batch = 1;
    }
    const records: SourceRecord[] = [];
    for (let i = 0; i < batch; i++) records.push(this.#next(settings));
    return records;
  }

  override stop(): void {
    this.#stopped = true;
    this.#sleeper.close();
  }

  #partition(): Record<string, unknown> {
    return { [TASK_ID_CONFIG]: this.#taskId };
  }

  #next(settings: DatagenSettings): SourceRecord {
    const random = new SeededRandom(this.#seed);
    const value = settings.quickstart.generate(random, this.#count);
    const nextSeed = random.nextUint32();
    const headers = new Headers()
      .addLong(TASK_GENERATION_FIELD, BigInt(this.#generation))
      .addLong(TASK_ID_CONFIG, BigInt(this.#taskId))
      .addLong(CURRENT_ITERATION_FIELD, BigInt(this.#count));
    const record = new SourceRecord({
      sourcePartition: this.#partition(),
      // What the next lifetime of this task restores: a new generation, the count so far
      // (this record included) and the seed of the next record.
      sourceOffset: { [TASK_GENERATION_FIELD]: this.#generation + 1, [CURRENT_ITERATION_FIELD]: this.#count + 1, [RANDOM_SEED_FIELD]: nextSeed },
      topic: settings.topic,
      kafkaPartition: null,
      keySchema: Schema.STRING_SCHEMA,
      key: String(value.get(settings.keyField)),
      valueSchema: settings.quickstart.schema,
      value,
      timestamp: null,
      headers,
    });
    this.#seed = nextSeed;
    this.#count++;
    return record;
  }
}

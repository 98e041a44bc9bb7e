// The data generator's configuration, with the keys of Confluent's kafka-connect-datagen where
// they make sense here (kafka.topic, quickstart, max.interval, iterations, schema.keyfield,
// random.seed), so its usual demo configs run unchanged. Schemas come from the built-in
// quickstarts only: schema.filename and schema.string (Avro random-generator specs) are not
// supported.
import { CaseInsensitiveValidString, ConfigDef, ConfigException, NonEmptyString, Range } from "../../connect/api/index.ts";
import { QUICKSTARTS, type Quickstart } from "./quickstarts.ts";

export const KAFKA_TOPIC_CONFIG = "kafka.topic";
export const QUICKSTART_CONFIG = "quickstart";
export const MAX_INTERVAL_CONFIG = "max.interval";
export const ITERATIONS_CONFIG = "iterations";
export const SCHEMA_KEYFIELD_CONFIG = "schema.keyfield";
export const RANDOM_SEED_CONFIG = "random.seed";
/** Set by the connector in each task's config: which task this is (0, 1, ...). */
export const TASK_ID_CONFIG = "task.id";

export const DATAGEN_CONFIG = new ConfigDef()
  .define({ name: KAFKA_TOPIC_CONFIG, type: "STRING", validator: new NonEmptyString(), importance: "HIGH", documentation: "The topic the generated records are written to" })
  .define({
    name: QUICKSTART_CONFIG,
    type: "STRING",
    validator: CaseInsensitiveValidString.in(...Object.keys(QUICKSTARTS)),
    importance: "HIGH",
    documentation: "The built-in dataset to generate: the schema of the records and how their fields are filled",
  })
  .define({
    name: MAX_INTERVAL_CONFIG,
    type: "LONG",
    defaultValue: 500,
    validator: Range.atLeast(0),
    importance: "HIGH",
    documentation: "Longest wait before each record, in milliseconds: each task waits a random time up to this long; 0 generates as fast as the worker takes the records",
  })
  .define({
    name: ITERATIONS_CONFIG,
    type: "INT",
    defaultValue: -1,
    importance: "HIGH",
    documentation: "How many records each task generates; 0 or less for no limit",
  })
  .define({
    name: SCHEMA_KEYFIELD_CONFIG,
    type: "STRING",
    defaultValue: "",
    importance: "HIGH",
    documentation: "The field whose value is the record key (empty: the quickstart's key field)",
  })
  .define({
    name: RANDOM_SEED_CONFIG,
    type: "LONG",
    defaultValue: null,
    importance: "LOW",
    documentation: "Seed of the random generator: connectors with the same seed generate the same records (each of their tasks different ones); unset, every run differs",
  });

export interface DatagenSettings {
  readonly topic: string;
  readonly quickstart: Quickstart;
  readonly maxIntervalMs: number;
  /** Records per task; 0 or less: unlimited. */
  readonly iterations: number;
  readonly keyField: string;
  readonly randomSeed: number | null;
}

export function parseDatagenSettings(props: Readonly<Record<string, string>>): DatagenSettings {
  const c = DATAGEN_CONFIG.parse(props);
  const quickstart = QUICKSTARTS[(c[QUICKSTART_CONFIG] as string).toLowerCase()];
  if (quickstart === undefined) throw new ConfigException(QUICKSTART_CONFIG, c[QUICKSTART_CONFIG], "Unknown quickstart");
  const keyField = (c[SCHEMA_KEYFIELD_CONFIG] as string) || quickstart.keyField;
  if (quickstart.schema.field(keyField) === null) {
    throw new ConfigException(SCHEMA_KEYFIELD_CONFIG, keyField, `No field ${keyField} in the ${quickstart.name} quickstart`);
  }
  return {
    topic: c[KAFKA_TOPIC_CONFIG] as string,
    quickstart,
    maxIntervalMs: c[MAX_INTERVAL_CONFIG] as number,
    iterations: c[ITERATIONS_CONFIG] as number,
    keyField,
    randomSeed: c[RANDOM_SEED_CONFIG] as number | null,
  };
}

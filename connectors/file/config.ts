// The configuration of the FileStream connectors, with Kafka's keys, types, defaults and
// documentation (org.apache.kafka.connect.file, Kafka 4.3), so that /config, /config/validate and
// the error messages a bad config gets are Kafka's.
import { ConfigDef, NonEmptyString } from "../../connect/api/index.ts";

export const FILE_CONFIG = "file";
export const TOPIC_CONFIG = "topic";
export const TASK_BATCH_SIZE_CONFIG = "batch.size";
export const DEFAULT_TASK_BATCH_SIZE = 2000;

/** The source offset's keys: partition {"filename": file}, offset {"position": bytes read}. */
export const FILENAME_FIELD = "filename";
export const POSITION_FIELD = "position";

export const FILE_STREAM_SOURCE_CONFIG = new ConfigDef()
  .define({
    name: FILE_CONFIG,
    type: "STRING",
    defaultValue: null,
    importance: "HIGH",
    documentation: "Source filename. If not specified, the standard input will be used",
  })
  .define({ name: TOPIC_CONFIG, type: "STRING", validator: new NonEmptyString(), importance: "HIGH", documentation: "The topic to publish data to" })
  .define({
    name: TASK_BATCH_SIZE_CONFIG,
    type: "INT",
    defaultValue: DEFAULT_TASK_BATCH_SIZE,
    importance: "LOW",
    documentation: "The maximum number of records the source task can read from the file each time it is polled",
  });

export const FILE_STREAM_SINK_CONFIG = new ConfigDef().define({
  name: FILE_CONFIG,
  type: "STRING",
  defaultValue: null,
  importance: "HIGH",
  documentation: "Destination filename. If not specified, the standard output will be used",
});

export interface FileStreamSourceSettings {
  /** null: standard input. */
  readonly file: string | null;
  readonly topic: string;
  readonly batchSize: number;
}

/** Parses a source connector's or task's props (throws Kafka's ConfigExceptions). */
export function parseSourceSettings(props: Readonly<Record<string, string>>): FileStreamSourceSettings {
  const c = FILE_STREAM_SOURCE_CONFIG.parse(props);
  const file = c[FILE_CONFIG] as string | null;
  return { file: file === null || file === "" ? null : file, topic: c[TOPIC_CONFIG] as string, batchSize: c[TASK_BATCH_SIZE_CONFIG] as number };
}

/** The sink's destination file, or null for standard output. */
export function parseSinkFile(props: Readonly<Record<string, string>>): string | null {
  const file = FILE_STREAM_SINK_CONFIG.parse(props)[FILE_CONFIG] as string | null;
  return file === null || file === "" ? null : file;
}

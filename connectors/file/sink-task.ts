// FileStreamSinkTask: appends each record's value as one line (Java's String.valueOf text) to a
// file, created if missing, or to standard output. Each put() writes its records' lines in one
// append before it returns (as Kafka's task writes each record through), so everything the
// runtime commits is in the file (at-least-once) and the file follows the topic closely.
import { open, type FileHandle } from "node:fs/promises";
import { ConnectException, type ConnectorProps, type SinkRecord, SinkTask, type TopicPartitionOffset } from "../../connect/api/index.ts";
import { HUB_VERSION } from "../../lib/version.ts";
import { parseSinkFile } from "./config.ts";
import { javaText } from "./java-text.ts";

export class FileStreamSinkTask extends SinkTask {
  #file: string | null = null;
  #handle: FileHandle | null = null;

  override version(): string {
    return HUB_VERSION;
  }

  override async start(props: ConnectorProps): Promise<void> {
    this.#file = parseSinkFile(props);
    if (this.#file === null) return;
    try {
      this.#handle = await open(this.#file, "a");
    } catch (error) {
      throw new ConnectException(`Couldn't find or create file '${this.#file}' for FileStreamSinkTask`, { cause: error });
    }
  }

  override async put(records: SinkRecord[]): Promise<void> {
    if (records.length === 0) return;
    let text = "";
    for (const record of records) text += `${javaText(record.value, record.valueSchema)}\n`;
    await this.#write(text);
  }

  override async flush(_offsets: readonly TopicPartitionOffset[]): Promise<void> {
    // Nothing is held back: put() wrote its records before returning.
  }

  override async stop(): Promise<void> {
    const handle = this.#handle;
    this.#handle = null;
    await handle?.close();
  }

  async #write(text: string): Promise<void> {
    if (this.#handle !== null) {
      await this.#handle.appendFile(text);
    } else if (this.#file === null) {
      await new Promise<void>((resolve, reject) => process.stdout.write(text, (error) => (error ? reject(error) : resolve())));
    }
  }
}

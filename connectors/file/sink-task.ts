// FileStreamSinkTask: appends each record's value as one line (Java's String.valueOf text) to a
// file, created if missing, or to standard output. Lines are buffered and written out by
// flush(), which the runtime calls before committing the consumer offsets, so everything
// committed is in the file (at-least-once); a large buffer is written out early.
import { open, type FileHandle } from "node:fs/promises";
import { ConnectException, type ConnectorProps, type SinkRecord, SinkTask, type TopicPartitionOffset } from "../../connect/api/index.ts";
import { HUB_VERSION } from "../../lib/version.ts";
import { parseSinkFile } from "./config.ts";
import { javaText } from "./java-text.ts";

/** Buffered text past which put() writes out without waiting for flush(). */
const MAX_BUFFERED_CHARS = 1024 * 1024;

export class FileStreamSinkTask extends SinkTask {
  #file: string | null = null;
  #handle: FileHandle | null = null;
  #buffer: string[] = [];
  #bufferedChars = 0;

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
    for (const record of records) {
      const line = `${javaText(record.value, record.valueSchema)}\n`;
      this.#buffer.push(line);
      this.#bufferedChars += line.length;
    }
    if (this.#bufferedChars >= MAX_BUFFERED_CHARS) await this.#writeOut();
  }

  override async flush(_offsets: readonly TopicPartitionOffset[]): Promise<void> {
    await this.#writeOut();
  }

  override async stop(): Promise<void> {
    try {
      await this.#writeOut();
    } finally {
      const handle = this.#handle;
      this.#handle = null;
      await handle?.close();
    }
  }

  async #writeOut(): Promise<void> {
    if (this.#buffer.length === 0) return;
    const text = this.#buffer.join("");
    this.#buffer = [];
    this.#bufferedChars = 0;
    if (this.#handle !== null) {
      await this.#handle.appendFile(text);
    } else if (this.#file === null) {
      await new Promise<void>((resolve, reject) => process.stdout.write(text, (error) => (error ? reject(error) : resolve())));
    }
  }
}

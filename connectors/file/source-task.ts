// FileStreamSourceTask: one record per line of a file (or of standard input), as Kafka's.
// Records have no key and a STRING value; each carries the source partition {"filename": file}
// and the offset {"position": <bytes up to the end of the line>}, so a restarted task resumes
// after the last committed line (it asks the offset storage reader when it opens the file).
// A file that does not exist yet is waited for; lines appended later are picked up (tail -f).
// poll() waits at most a second for data and returns at once when stop() is called.
import { open, type FileHandle } from "node:fs/promises";
import { ConnectException, type ConnectorProps, Schema, SourceRecord, SourceTask } from "../../connect/api/index.ts";
import { HUB_VERSION } from "../../lib/version.ts";
import { FILENAME_FIELD, type FileStreamSourceSettings, parseSourceSettings, POSITION_FIELD } from "./config.ts";
import { Sleeper } from "../shared/sleeper.ts";
import { LineSplitter } from "./line-splitter.ts";

/** How long poll() waits when there is nothing to read (Kafka waits one second too). */
const IDLE_WAIT_MS = 1000;
const READ_CHUNK_BYTES = 64 * 1024;

export class FileStreamSourceTask extends SourceTask {
  #settings: FileStreamSourceSettings | null = null;
  // One partition object for every record: the runtime caches a partition's identity per
  // object, so a fresh object per record would make it recompute that for each one.
  #sourcePartition: Readonly<Record<string, string | null>> = {};
  #handle: FileHandle | null = null;
  /** Where the next read from the file starts. */
  #readPosition = 0;
  /** The position of the first byte not yet returned in a record (null for stdin). */
  #streamOffset: number | null = null;
  readonly #lines = new LineSplitter();
  #stdinListener: ((chunk: Buffer) => void) | null = null;
  #stopped = false;
  #polling = false;
  readonly #sleeper = new Sleeper();

  override version(): string {
    return HUB_VERSION;
  }

  override start(props: ConnectorProps): void {
    this.#settings = parseSourceSettings(props);
    this.#sourcePartition = Object.freeze({ [FILENAME_FIELD]: this.#settings.file });
    this.#stopped = false;
    this.#sleeper.reset();
    if (this.#settings.file === null) this.#startStdin();
  }

  override async poll(): Promise<SourceRecord[] | null> {
    const settings = this.#settings;
    if (settings === null || this.#stopped) return null;
    this.#polling = true;
    try {
      if (settings.file !== null && this.#handle === null && !(await this.#openFile(settings.file))) {
        await this.#sleeper.sleep(IDLE_WAIT_MS);
        return null;
      }
      const records = await this.#readRecords(settings);
      if (records.length === 0) {
        await this.#sleeper.sleep(IDLE_WAIT_MS);
        return null;
      }
      return records;
    } finally {
      this.#polling = false;
      // stop() leaves the file open while a poll reads it; the poll closes it on its way out.
      if (this.#stopped) await this.#closeFile();
    }
  }

  override async stop(): Promise<void> {
    this.#stopped = true;
    this.#sleeper.close();
    if (this.#stdinListener !== null) {
      process.stdin.off("data", this.#stdinListener);
      process.stdin.pause();
      this.#stdinListener = null;
    }
    if (!this.#polling) await this.#closeFile();
  }

  /** Opens the file and skips to the committed position; false if it does not exist yet. */
  async #openFile(file: string): Promise<boolean> {
    let handle: FileHandle;
    try {
      handle = await open(file, "r");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
      throw new ConnectException(`Error while trying to open file ${file}: ${(error as Error).message}`, { cause: error });
    }
    let position = 0;
    try {
      const offset = await this.context.offsetStorageReader().offset({ [FILENAME_FIELD]: file });
      const stored = offset?.[POSITION_FIELD] ?? null;
      if (stored !== null) {
        if (typeof stored === "bigint") position = Number(stored);
        else if (typeof stored === "number" && Number.isInteger(stored)) position = stored;
        else throw new ConnectException("Offset position is the incorrect type");
      }
    } catch (error) {
      await handle.close();
      throw error;
    }
    if (this.#stopped) {
      await handle.close();
      return false;
    }
    this.#handle = handle;
    this.#readPosition = position;
    this.#streamOffset = position;
    return true;
  }

  /** Up to batch.size records from what is buffered and what the file has now. */
  async #readRecords(settings: FileStreamSourceSettings): Promise<SourceRecord[]> {
    const records: SourceRecord[] = [];
    const take = (): boolean => {
      for (let line = this.#lines.next(); line !== null; line = this.#lines.next()) {
        if (this.#streamOffset !== null) this.#streamOffset += line.length;
        records.push(this.#record(settings, line.text));
        if (records.length >= settings.batchSize) return true;
      }
      return false;
    };
    if (take()) return records;
    const handle = this.#handle;
    if (handle === null) return records; // stdin: its data listener fills the splitter
    const chunk = Buffer.allocUnsafe(READ_CHUNK_BYTES);
    while (!this.#stopped) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, this.#readPosition);
      if (bytesRead === 0) break;
      this.#readPosition += bytesRead;
      this.#lines.push(Buffer.from(chunk.subarray(0, bytesRead)));
      if (take()) break;
    }
    return records;
  }

  #record(settings: FileStreamSourceSettings, text: string): SourceRecord {
    return new SourceRecord({
      sourcePartition: this.#sourcePartition,
      sourceOffset: { [POSITION_FIELD]: this.#streamOffset },
      topic: settings.topic,
      kafkaPartition: null,
      valueSchema: Schema.STRING_SCHEMA,
      value: text,
      timestamp: Date.now(),
    });
  }

  #startStdin(): void {
    // Offsets of stdin mean nothing: the records carry {"position": null}, as in Kafka.
    this.#streamOffset = null;
    const listener = (chunk: Buffer): void => {
      this.#lines.push(Buffer.from(chunk));
      this.#sleeper.wake();
    };
    this.#stdinListener = listener;
    process.stdin.on("data", listener);
  }

  async #closeFile(): Promise<void> {
    const handle = this.#handle;
    this.#handle = null;
    await handle?.close().catch(() => undefined);
  }
}

// Standalone mode's source offsets (offset.storage.file.filename, Kafka's FileOffsetBackingStore).
//
// Kafka writes this file with Java serialization (an ObjectOutputStream of a HashMap<byte[],
// byte[]>), which only a JVM reads; ours is JSON, `{"version":1,"offsets":{"<key>":"<value>"}}`
// with the key and value texts Kafka would store (connect/storage/offset-codec.ts), so it can be
// read and edited by hand. A Kafka standalone worker's file is therefore not read (nor is ours by
// Kafka): moving between the two means re-reading the source or setting offsets through REST.
//
// Every set() rewrites the whole file atomically: a temporary file is written and fsynced, then
// renamed over the old one and the directory fsynced, so a crash leaves either the old or the new
// offsets, never a torn file. Writes are serialized; set() resolves once its data is durable.
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { MemoryOffsetBackingStore } from "./memory-offset-store.ts";

const FORMAT_VERSION = 1;

interface FileFormat {
  version: number;
  offsets: Record<string, string>;
}

export class FileOffsetBackingStore extends MemoryOffsetBackingStore {
  readonly file: string;
  #started = false;
  #writes: Promise<void> = Promise.resolve();

  constructor(file: string) {
    super();
    this.file = file;
  }

  override async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    let text: string;
    try {
      text = await readFile(this.file, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
      throw e;
    }
    let parsed: FileFormat;
    try {
      parsed = JSON.parse(text) as FileFormat;
    } catch (e) {
      throw new Error(`offset.storage.file.filename ${this.file} is not a hub offsets file (JSON): ${(e as Error).message}`, { cause: e });
    }
    if (parsed?.version !== FORMAT_VERSION || typeof parsed.offsets !== "object" || parsed.offsets === null) {
      throw new Error(`offset.storage.file.filename ${this.file}: unsupported format (expected {"version":1,"offsets":{...}})`);
    }
    this.apply(Object.entries(parsed.offsets).map(([key, value]) => ({ key: Buffer.from(key, "utf8"), value: Buffer.from(value, "utf8") })));
  }

  override async stop(): Promise<void> {
    await this.#writes;
    this.#started = false;
  }

  protected override persist(): Promise<void> {
    // Each write snapshots the data when it runs, so queued writes coalesce to the latest state.
    const write = this.#writes.then(() => this.#writeFile());
    this.#writes = write.catch(() => {});
    return write;
  }

  async #writeFile(): Promise<void> {
    const offsets: Record<string, string> = {};
    for (const [keyText, { value }] of this.data) offsets[keyText] = value.toString("utf8");
    const body = JSON.stringify({ version: FORMAT_VERSION, offsets } satisfies FileFormat);
    await mkdir(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp-${process.pid}`;
    const handle = await open(tmp, "w");
    try {
      await handle.writeFile(body, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(tmp, this.file);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
    const dir = await open(dirname(this.file), "r");
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }
}

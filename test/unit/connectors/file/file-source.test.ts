import { appendFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigException, ConnectException, type SourceRecord } from "../../../../connect/api/index.ts";
import { FileStreamSourceConnector, FileStreamSourceTask, fileStreamSourcePlugin } from "../../../../connectors/file/index.ts";
import { startSourceTask, timed } from "../helpers.ts";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "file-source-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Polls until `count` records came back (or fails after a deadline). */
async function pollRecords(task: FileStreamSourceTask, count: number): Promise<SourceRecord[]> {
  const records: SourceRecord[] = [];
  const deadline = Date.now() + 5000;
  while (records.length < count) {
    if (Date.now() > deadline) throw new Error(`only ${records.length} of ${count} records`);
    records.push(...((await task.poll()) ?? []));
  }
  return records;
}

describe("FileStreamSourceTask", () => {
  it("sends one STRING record per line with the file as partition and the position after the line as offset", async () => {
    const file = join(dir, "in.txt");
    await writeFile(file, "alpha\r\nbé\rgamma\nlast-without-newline");
    const task = await startSourceTask(new FileStreamSourceTask(), { file, topic: "lines" });
    const records = await pollRecords(task, 3);
    expect(records.map((r) => r.value)).toEqual(["alpha", "bé", "gamma"]);
    expect(records.map((r) => r.sourceOffset)).toEqual([{ position: 7 }, { position: 11 }, { position: 17 }]);
    for (const r of records) {
      expect(r.topic).toBe("lines");
      expect(r.sourcePartition).toEqual({ filename: file });
      expect(r.valueSchema?.type).toBe("STRING");
      expect([r.key, r.keySchema, r.kafkaPartition]).toEqual([null, null, null]);
      expect(typeof r.timestamp).toBe("number");
    }
    // The unterminated last line is sent once it is terminated; appended lines follow.
    await appendFile(file, "\nappended\n");
    const more = await pollRecords(task, 2);
    expect(more.map((r) => [r.value, r.sourceOffset])).toEqual([
      ["last-without-newline", { position: 38 }],
      ["appended", { position: 47 }],
    ]);
    await task.stop();
  });

  it("returns at most batch.size records per poll", async () => {
    const file = join(dir, "in.txt");
    await writeFile(file, Array.from({ length: 7 }, (_, i) => `line-${i}\n`).join(""));
    const task = await startSourceTask(new FileStreamSourceTask(), { file, topic: "t", "batch.size": "3" });
    expect((await task.poll())?.map((r) => r.value)).toEqual(["line-0", "line-1", "line-2"]);
    expect((await task.poll())?.map((r) => r.value)).toEqual(["line-3", "line-4", "line-5"]);
    expect((await task.poll())?.map((r) => r.value)).toEqual(["line-6"]);
    await task.stop();
  });

  it("resumes after the committed position (a number or a bigint, as the offset store returns it)", async () => {
    const file = join(dir, "in.txt");
    await writeFile(file, "one\ntwo\nthree\n");
    for (const position of [4, 4n]) {
      const task = await startSourceTask(new FileStreamSourceTask(), { file, topic: "t" }, [[{ filename: file }, { position }]]);
      const records = await pollRecords(task, 2);
      expect(records.map((r) => [r.value, r.sourceOffset])).toEqual([
        ["two", { position: 8 }],
        ["three", { position: 14 }],
      ]);
      await task.stop();
    }
  });

  it("fails on a stored position that is not an integer, with Kafka's message", async () => {
    const file = join(dir, "in.txt");
    await writeFile(file, "one\n");
    const task = await startSourceTask(new FileStreamSourceTask(), { file, topic: "t" }, [[{ filename: file }, { position: "4" }]]);
    await expect(task.poll()).rejects.toThrow(new ConnectException("Offset position is the incorrect type"));
    await task.stop();
  });

  it("waits for a file that does not exist yet, then reads it", async () => {
    const file = join(dir, "later.txt");
    const task = await startSourceTask(new FileStreamSourceTask(), { file, topic: "t" });
    const { value, ms } = await timed(task.poll());
    expect(value).toBeNull();
    expect(ms).toBeGreaterThanOrEqual(900); // waited about a second, as Kafka's task does
    await writeFile(file, "now\n");
    expect((await pollRecords(task, 1)).map((r) => r.value)).toEqual(["now"]);
    await task.stop();
  });

  it("returns promptly from a waiting poll when stopped, and nothing after", async () => {
    const file = join(dir, "in.txt");
    await writeFile(file, "only\n");
    const task = await startSourceTask(new FileStreamSourceTask(), { file, topic: "t" });
    await pollRecords(task, 1);
    const waiting = timed(task.poll()); // nothing new: waits for data
    await new Promise((resolve) => setTimeout(resolve, 50));
    await task.stop();
    const { value, ms } = await waiting;
    expect(value).toBeNull();
    expect(ms).toBeLessThan(500);
    await appendFile(file, "after-stop\n");
    expect(await task.poll()).toBeNull();

    // Also when the file does not exist yet.
    const missing = await startSourceTask(new FileStreamSourceTask(), { file: join(dir, "missing.txt"), topic: "t" });
    const pending = timed(missing.poll());
    await new Promise((resolve) => setTimeout(resolve, 50));
    await missing.stop();
    expect((await pending).ms).toBeLessThan(500);
  });

  it("rejects bad configs with Kafka's messages", async () => {
    const start = (props: Record<string, string>): Promise<FileStreamSourceTask> => startSourceTask(new FileStreamSourceTask(), props);
    await expect(start({ file: "x" })).rejects.toThrow(new ConfigException('Missing required configuration "topic" which has no default value.'));
    await expect(start({ topic: "t", "batch.size": "abc" })).rejects.toThrow(new ConfigException("Invalid value abc for configuration batch.size: Not a number of type INT"));
    await expect(start({ topic: "" })).rejects.toThrow(new ConfigException("Invalid value  for configuration topic: String must be non-empty"));
  });
});

describe("FileStreamSourceConnector", () => {
  it("has Kafka's class names and gives one task whatever tasks.max says", () => {
    expect(fileStreamSourcePlugin.aliases).toEqual(expect.arrayContaining(["org.apache.kafka.connect.file.FileStreamSourceConnector", "FileStreamSource"]));
    expect(fileStreamSourcePlugin.kind).toBe("source");
    const connector = fileStreamSourcePlugin.create();
    connector.start({ "connector.class": "FileStreamSource", file: "/tmp/x", topic: "t", "tasks.max": "4" });
    expect(connector.taskClass()).toBe(FileStreamSourceTask);
    expect(connector.taskConfigs(4)).toEqual([{ "connector.class": "FileStreamSource", file: "/tmp/x", topic: "t", "tasks.max": "4" }]);
  });

  it("validates with Kafka's messages and defaults", () => {
    const values = new FileStreamSourceConnector().config().validate({ "batch.size": "x" });
    expect(values.map((v) => [v.name, v.value, v.errors])).toEqual([
      ["file", null, []],
      ["topic", null, ['Missing required configuration "topic" which has no default value.']],
      ["batch.size", null, ["Invalid value x for configuration batch.size: Not a number of type INT"]],
    ]);
    expect(new FileStreamSourceConnector().config().parse({ topic: "t" })).toEqual({ file: null, topic: "t", "batch.size": 2000 });
  });

  it("checks altered offsets in Kafka's order and with its messages", () => {
    const connector = new FileStreamSourceConnector();
    const config = { file: "/tmp/in.txt", topic: "t" };
    const alter = (offsets: Parameters<FileStreamSourceConnector["alterOffsets"]>[1], props: Record<string, string> = config): boolean => connector.alterOffsets(props, offsets);
    expect(alter([{ partition: { filename: "/tmp/in.txt" }, offset: { position: 5 } }, { partition: { filename: "/tmp/other" }, offset: null }])).toBe(true);
    expect(alter([{ partition: { filename: "/tmp/in.txt" }, offset: { position: 5n } }])).toBe(true);
    // A null offset is not checked further, not even its partition (as Kafka).
    expect(alter([{ partition: { file: "x" }, offset: null }])).toBe(true);
    const fails = (offsets: Parameters<FileStreamSourceConnector["alterOffsets"]>[1], message: string, props?: Record<string, string>): void => {
      expect(() => alter(offsets, props)).toThrow(new ConnectException(message));
    };
    fails([], "Offsets cannot be modified if the 'file' configuration is unspecified. This is because stdin is used for input and offsets are not tracked.", { topic: "t" });
    fails([{ partition: { filename: "f" }, offset: { pos: 5 } }], "Offset objects should either be null or contain the key 'position'");
    fails([{ partition: { filename: "f" }, offset: { position: "abc" } }], "The value for the 'position' key in the offset is expected to be a Long value");
    fails([{ partition: { filename: "f" }, offset: { position: 1.5 } }], "The value for the 'position' key in the offset is expected to be a Long value");
    fails([{ partition: { filename: "f" }, offset: { position: -1 } }], "The value for the 'position' key in the offset should be a non-negative value");
    fails([{ partition: { file: "f" }, offset: { position: 1 } }], "Partition objects should contain the key 'filename'");
  });
});

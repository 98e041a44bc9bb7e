import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConnectException, Decimal, type Schema, Schema as S, SchemaBuilder, SinkRecord, Struct } from "../../../../connect/api/index.ts";
import { FileStreamSinkTask, fileStreamSinkPlugin } from "../../../../connectors/file/index.ts";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "file-sink-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

let offset = 0;
function record(value: unknown, valueSchema: Schema | null = null): SinkRecord {
  return new SinkRecord({ topic: "t", kafkaPartition: 0, kafkaOffset: offset++, valueSchema, value });
}

async function startedSink(file: string): Promise<FileStreamSinkTask> {
  const task = new FileStreamSinkTask();
  await task.start({ file, topics: "t" });
  return task;
}

describe("FileStreamSinkTask", () => {
  it("appends one line per record value, each put() written before it returns", async () => {
    const file = join(dir, "out.txt");
    await writeFile(file, "existing\n");
    const task = await startedSink(file);
    await task.put([record("a"), record("b")]);
    // In the file already: an offset commit after this put() covers only written records.
    expect(await readFile(file, "utf8")).toBe("existing\na\nb\n");
    await task.put([record(null)]);
    await task.put([]);
    await task.flush([{ topic: "t", partition: 0, offset: 3 }]);
    expect(await readFile(file, "utf8")).toBe("existing\na\nb\nnull\n");
    await task.put([record("c")]);
    await task.stop();
    expect(await readFile(file, "utf8")).toBe("existing\na\nb\nnull\nc\n");
  });

  it("creates the file, and writes values as Java's String.valueOf prints them", async () => {
    const file = join(dir, "new.txt");
    const task = await startedSink(file);
    const schema = SchemaBuilder.struct().field("id", S.INT64_SCHEMA).field("name", S.OPTIONAL_STRING_SCHEMA).field("score", S.FLOAT64_SCHEMA).build();
    await task.put([
      record(new Struct(schema).put("id", 7n).put("score", 2)),
      record(2, S.FLOAT64_SCHEMA),
      record(2.5),
      record(42),
      record(true),
      record(["x", 1]),
      record(new Map([["k", 1]])),
      record({ a: "b" }),
      record(Decimal.parse("12.30")),
      record(new Date(0)),
      record(Buffer.from("héllo")),
    ]);
    await task.flush([]);
    expect((await readFile(file, "utf8")).split("\n")).toEqual([
      "Struct{id=7,score=2.0}",
      "2.0",
      "2.5",
      "42",
      "true",
      "[x, 1]",
      "{k=1}",
      "{a=b}",
      "12.30",
      "Thu Jan 01 00:00:00 UTC 1970",
      "héllo",
      "",
    ]);
    await task.stop();
  });

  it("fails to start with Kafka's message when the file cannot be created", async () => {
    const file = join(dir, "no-such-dir", "out.txt");
    await expect(new FileStreamSinkTask().start({ file })).rejects.toThrow(new ConnectException(`Couldn't find or create file '${file}' for FileStreamSinkTask`));
  });
});

describe("FileStreamSinkConnector", () => {
  it("has Kafka's class names and gives tasks.max tasks", () => {
    expect(fileStreamSinkPlugin.aliases).toEqual(expect.arrayContaining(["org.apache.kafka.connect.file.FileStreamSinkConnector", "FileStreamSink"]));
    expect(fileStreamSinkPlugin.kind).toBe("sink");
    const connector = fileStreamSinkPlugin.create();
    connector.start({ file: "/tmp/out", topics: "t" });
    expect(connector.taskClass()).toBe(FileStreamSinkTask);
    expect(connector.taskConfigs(3)).toEqual([0, 1, 2].map(() => ({ file: "/tmp/out", topics: "t" })));
    expect(connector.alterOffsets({}, [{ topic: "t", partition: 0, offset: 5 }])).toBe(true);
  });
});

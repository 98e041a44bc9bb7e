// The error reporters: the log reporter's message (Kafka's LogReporter words) and the dead letter
// queue record (Kafka's DeadLetterQueueReporter: original bytes, context headers), including the
// hub's source dead letter queue.
import { describe, expect, it } from "vitest";
import { DataException, Schema, SourceRecord } from "../../../../../connect/api/index.ts";
import { DeadLetterQueueReporter, type DlqRecord } from "../../../../../connect/runtime/errors/dead-letter-queue-reporter.ts";
import { exceptionClassName, stackTraceOf } from "../../../../../connect/runtime/errors/java-errors.ts";
import { LogReporter } from "../../../../../connect/runtime/errors/log-reporter.ts";
import { ProcessingContext, Stage } from "../../../../../connect/runtime/errors/processing-context.ts";
import { pino } from "pino";
import { createLogger } from "../../../../../lib/logger.ts";

const consumed = { topic: "orders", partition: 2, offset: 41, timestamp: 1_600_000_000_000, timestampType: "CreateTime" as const, key: Buffer.from("k"), value: Buffer.from("{bad"), headers: [{ key: "h", value: Buffer.from("v") }] };

function failedContext(): ProcessingContext {
  const context = new ProcessingContext({ consumerRecord: consumed });
  context.stage = Stage.VALUE_CONVERTER;
  context.executingClass = "org.apache.kafka.connect.json.JsonConverter";
  context.error = new DataException("Converting byte[] to Kafka Connect data failed due to serialization error", { cause: new SyntaxError("Unexpected token b") });
  return context;
}

function capture(): { sent: Array<{ topic: string; record: DlqRecord }>; producer: { send(t: string, r: DlqRecord): Promise<void>; close(): Promise<void> } } {
  const sent: Array<{ topic: string; record: DlqRecord }> = [];
  return { sent, producer: { send: async (topic, record) => void sent.push({ topic, record }), close: async () => {} } };
}

const headers = (r: DlqRecord): Record<string, string | null> => Object.fromEntries(r.headers.map((h) => [h.key, h.value === null ? null : h.value.toString()]));

describe("ProcessingContext.describe and the log reporter", () => {
  it("words failures as Kafka does", () => {
    const context = failedContext();
    expect(context.describe(false)).toBe("Executing stage 'VALUE_CONVERTER' with class 'org.apache.kafka.connect.json.JsonConverter'.");
    expect(context.describe(true)).toBe(
      "Executing stage 'VALUE_CONVERTER' with class 'org.apache.kafka.connect.json.JsonConverter', where consumed record is {topic='orders', partition=2, offset=41, timestamp=1600000000000, timestampType=CreateTime}.",
    );
    const lines: string[] = [];
    const logger = pino({ level: "error" }, { write: (line: string) => void lines.push((JSON.parse(line) as { msg: string }).msg) });
    let logged = 0;
    const reporter = new LogReporter({ connector: "c", task: 3, includeMessages: false, logger, onLogged: () => logged++ });
    reporter.report(context);
    reporter.report(new ProcessingContext({}));
    expect(lines).toEqual(["Error encountered in task c-3. Executing stage 'VALUE_CONVERTER' with class 'org.apache.kafka.connect.json.JsonConverter'."]);
    expect(logged).toBe(1);
  });
});

describe("DeadLetterQueueReporter", () => {
  it("sends the consumed bytes with Kafka's context headers", async () => {
    const { sent, producer } = capture();
    let requests = 0;
    const reporter = new DeadLetterQueueReporter({ topic: " dlq ", connector: "c", task: 3, contextHeaders: true, producer, onProduceRequest: () => requests++, onProduceFailure: () => {}, logger: createLogger({ level: "silent" }) });
    await reporter.report(failedContext());
    expect(requests).toBe(1);
    expect(sent[0]?.topic).toBe("dlq");
    const record = sent[0]?.record as DlqRecord;
    expect(record.key?.toString()).toBe("k");
    expect(record.value?.toString()).toBe("{bad");
    expect(record.timestamp).toBe(1_600_000_000_000);
    const h = headers(record);
    expect(Object.keys(h)).toEqual([
      "h",
      "__connect.errors.topic",
      "__connect.errors.partition",
      "__connect.errors.offset",
      "__connect.errors.connector.name",
      "__connect.errors.task.id",
      "__connect.errors.stage",
      "__connect.errors.class.name",
      "__connect.errors.exception.class.name",
      "__connect.errors.exception.message",
      "__connect.errors.exception.stacktrace",
    ]);
    expect(h).toMatchObject({
      h: "v",
      "__connect.errors.topic": "orders",
      "__connect.errors.partition": "2",
      "__connect.errors.offset": "41",
      "__connect.errors.connector.name": "c",
      "__connect.errors.task.id": "3",
      "__connect.errors.stage": "VALUE_CONVERTER",
      "__connect.errors.class.name": "org.apache.kafka.connect.json.JsonConverter",
      "__connect.errors.exception.class.name": "org.apache.kafka.connect.errors.DataException",
      "__connect.errors.exception.message": "Converting byte[] to Kafka Connect data failed due to serialization error",
    });
    expect(h["__connect.errors.exception.stacktrace"]).toMatch(/^org\.apache\.kafka\.connect\.errors\.DataException: Converting byte\[\] .*\n\tat [^\n]+[\s\S]*\nCaused by: SyntaxError: Unexpected token b\n\tat /);
  });

  it("leaves the headers alone without context headers, and does nothing without a topic", async () => {
    const { sent, producer } = capture();
    const options = { connector: "c", task: 0, producer, onProduceRequest: () => {}, onProduceFailure: () => {}, logger: createLogger({ level: "silent" }) };
    await new DeadLetterQueueReporter({ ...options, topic: "dlq", contextHeaders: false }).report(failedContext());
    expect(headers(sent[0]?.record as DlqRecord)).toEqual({ h: "v" });
    expect(new DeadLetterQueueReporter({ ...options, topic: "", contextHeaders: true }).report(failedContext())).toBeUndefined();
    expect(sent.length).toBe(1);
  });

  it("counts a failed produce and never rejects", async () => {
    let failures = 0;
    const reporter = new DeadLetterQueueReporter({
      topic: "dlq",
      connector: "c",
      task: 0,
      contextHeaders: false,
      producer: { send: async () => Promise.reject(new Error("no broker")), close: async () => {} },
      onProduceRequest: () => {},
      onProduceFailure: () => failures++,
      logger: createLogger({ level: "silent" }),
    });
    await reporter.report(failedContext());
    expect(failures).toBe(1);
  });

  it("serializes a failed source record for the source DLQ (hub extension)", async () => {
    const { sent, producer } = capture();
    const reporter = new DeadLetterQueueReporter({
      topic: "dlq",
      connector: "src",
      task: 1,
      contextHeaders: true,
      producer,
      serializeSource: (r) => ({ key: Buffer.from(String(r.key)), value: Buffer.from(JSON.stringify(r.value)), headers: [] }),
      onProduceRequest: () => {},
      onProduceFailure: () => {},
      logger: createLogger({ level: "silent" }),
    });
    const record = new SourceRecord({ sourcePartition: { file: "a" }, sourceOffset: { line: 7n }, topic: "lines", kafkaPartition: 1, keySchema: Schema.STRING_SCHEMA, key: "k1", value: { text: "x" }, timestamp: 5 });
    const context = new ProcessingContext({ sourceRecord: record });
    context.stage = Stage.TRANSFORMATION;
    context.executingClass = "org.apache.kafka.connect.transforms.Cast$Value";
    context.error = new DataException("bad cast");
    await reporter.report(context);
    const dead = sent[0]?.record as DlqRecord;
    expect(dead.key?.toString()).toBe("k1");
    expect(dead.timestamp).toBe(5);
    expect(headers(dead)).toMatchObject({
      "__connect.errors.topic": "lines",
      "__connect.errors.partition": "1",
      "__connect.errors.stage": "TRANSFORMATION",
      "__connect.errors.source.partition": '{"file":"a"}',
      "__connect.errors.source.offset": '{"line":7}',
    });
    expect(headers(dead)["__connect.errors.offset"]).toBeUndefined();
    // Producer failures of source records are not for the DLQ (it would refuse them too).
    context.stage = Stage.KAFKA_PRODUCE;
    expect(reporter.report(context)).toBeUndefined();
  });
});

describe("Java names", () => {
  it("maps the SDK's exceptions to Kafka's classes", () => {
    expect(exceptionClassName(new DataException("x"))).toBe("org.apache.kafka.connect.errors.DataException");
    expect(exceptionClassName(new TypeError("x"))).toBe("TypeError");
    expect(stackTraceOf(new Error("top", { cause: new Error("inner") }))).toMatch(/^Error: top\n(\tat .+\n)+Caused by: Error: inner\n\tat /);
  });
});

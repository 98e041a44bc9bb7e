// Conformance of the hub's Single Message Transforms with Apache Kafka's own: Kafka 4.3.1's
// connect-transforms run in one JVM (TransformsHarness.java, compiled here against jars that
// kafka-jars.sh fetches once from Maven Central) over the same records, and the hub's transform
// (found by the same Java class name in transforms/index.ts) must give the same record: topic,
// partition, timestamp, key and value (both written with JsonConverter, schemaful or
// schemaless) and headers — or fail where Kafka fails.
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SinkRecord } from "../../../connect/api/index.ts";
import { JsonConverter } from "../../../connect/converters/json-converter.ts";
import { PREDICATE_PLUGINS, TRANSFORMATION_PLUGINS } from "../../../transforms/index.ts";

const execFileAsync = promisify(execFile);
const here = import.meta.dirname;
const T = "org.apache.kafka.connect.transforms.";

interface Case {
  id: string;
  predicate?: boolean;
  headers?: [string, string][];
  class: string;
  config: Record<string, string>;
  schemas: boolean;
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
  key: unknown;
  value: unknown;
}

interface Result {
  id?: string;
  dropped?: boolean;
  matches?: boolean;
  error?: string;
  message?: string;
  topic?: string;
  partition?: number;
  timestamp?: number;
  key?: unknown;
  value?: unknown;
  headers?: [string, unknown][];
}

const ORDER_SCHEMA = {
  type: "struct",
  name: "com.example.Order",
  version: 2,
  optional: false,
  fields: [
    { field: "id", type: "int64", optional: false },
    { field: "customer", type: "string", optional: true },
    { field: "amount", type: "double", optional: false },
    { field: "paid", type: "boolean", optional: false },
    { field: "tags", type: "array", items: { type: "string", optional: false }, optional: true },
    { field: "note", type: "string", optional: true, default: "none" },
  ],
};
const ORDER = { id: 12345678901, customer: "ann", amount: 9.5, paid: true, tags: ["a", "b"], note: null };
const KEY_SCHEMA = { type: "struct", optional: false, fields: [{ field: "id", type: "int64", optional: false }] };

function schemaful(id: string, cls: string, config: Record<string, string>, value: unknown = { schema: ORDER_SCHEMA, payload: ORDER }, key: unknown = { schema: KEY_SCHEMA, payload: { id: 1 } }): Case {
  return { id, class: cls, config, schemas: true, topic: "orders", partition: 2, offset: 77, timestamp: 1_700_000_000_123, key, value };
}
function schemaless(id: string, cls: string, config: Record<string, string>, value: unknown = { ...ORDER }, key: unknown = { id: 1 }): Case {
  return { id, class: cls, config, schemas: false, topic: "orders", partition: 2, offset: 77, timestamp: 1_700_000_000_123, key, value };
}

const CASES: Case[] = [];
for (const [make, tag] of [[schemaful, "schema"], [schemaless, "plain"]] as const) {
  CASES.push(
    make(`insert-${tag}`, `${T}InsertField$Value`, { "topic.field": "topic!", "partition.field": "part", "offset.field": "off", "timestamp.field": "ts", "static.field": "src", "static.value": "hub" }),
    make(`insert-key-${tag}`, `${T}InsertField$Key`, { "topic.field": "t" }),
    make(`insert-nodefault-${tag}`, `${T}InsertField$Value`, { "topic.field": "t", "replace.null.with.default": "false" }),
    make(`replace-${tag}`, `${T}ReplaceField$Value`, { exclude: "paid", renames: "customer:who,amount:total" }),
    make(`replace-include-${tag}`, `${T}ReplaceField$Value`, { include: "id,amount,note" }),
    make(`mask-${tag}`, `${T}MaskField$Value`, { fields: "customer,amount,paid,tags,id" }),
    make(`mask-repl-${tag}`, `${T}MaskField$Value`, { fields: "customer", replacement: "***" }),
    make(`v2k-${tag}`, `${T}ValueToKey`, { fields: "id,customer" }),
    make(`v2k-missing-${tag}`, `${T}ValueToKey`, { fields: "nope" }),
    make(`extract-${tag}`, `${T}ExtractField$Value`, { field: "customer" }),
    make(`extract-key-${tag}`, `${T}ExtractField$Key`, { field: "id" }),
    make(`hoist-${tag}`, `${T}HoistField$Key`, { field: "wrapped" }),
    make(`regex-${tag}`, `${T}RegexRouter`, { regex: "(ord)(.*)", replacement: "$2-$1" }),
    make(`regex-nomatch-${tag}`, `${T}RegexRouter`, { regex: "ord", replacement: "x" }),
    make(`tsrouter-${tag}`, `${T}TimestampRouter`, { "topic.format": "${topic}_${timestamp}", "timestamp.format": "yyyy-MM-dd'T'HH" }),
    make(`cast-${tag}`, `${T}Cast$Value`, { spec: "id:int32,customer:string,amount:int8,paid:int64,note:string" }),
    make(`cast-float-${tag}`, `${T}Cast$Value`, { spec: "id:float64,amount:float32,paid:float64,customer:string" }),
    make(`cast-bool-${tag}`, `${T}Cast$Value`, { spec: "amount:boolean,id:boolean,paid:string" }),
    make(`cast-key-${tag}`, `${T}Cast$Key`, { spec: "id:string" }),
    make(`cast-bad-string-${tag}`, `${T}Cast$Value`, { spec: "customer:int32" }),
    make(`filter-${tag}`, `${T}Filter`, {}),
    make(`insert-header-${tag}`, `${T}InsertHeader`, { header: "h", "value.literal": "42" }),
    make(`insert-header-text-${tag}`, `${T}InsertHeader`, { header: "h", "value.literal": "hello world" }),
    make(`header-from-move-${tag}`, `${T}HeaderFrom$Value`, { fields: "customer,amount", headers: "c,a", operation: "move" }),
    make(`header-from-copy-${tag}`, `${T}HeaderFrom$Value`, { fields: "paid", headers: "p", operation: "copy" }),
  );
}
CASES.push(
  schemaful("setschema", `${T}SetSchemaMetadata$Value`, { "schema.name": "com.example.Renamed", "schema.version": "5" }),
  schemaful("setschema-key", `${T}SetSchemaMetadata$Key`, { "schema.version": "9" }),
  schemaless("setschema-plain", `${T}SetSchemaMetadata$Value`, { "schema.name": "x" }),
  schemaful("cast-whole", `${T}Cast$Value`, { spec: "string" }, { schema: { type: "int64", optional: true }, payload: 300 }),
  schemaful("cast-whole-int8", `${T}Cast$Value`, { spec: "int8" }, { schema: { type: "int64", optional: false }, payload: 300 }),
  schemaful("cast-whole-double", `${T}Cast$Value`, { spec: "int32" }, { schema: { type: "double", optional: false }, payload: -3.99e12 }),
  schemaful("cast-whole-bytes", `${T}Cast$Value`, { spec: "string" }, { schema: { type: "bytes", optional: false }, payload: "AQID" }),
  schemaful("cast-parse", `${T}Cast$Value`, { spec: "s:int16,t:float64,u:boolean" }, {
    schema: { type: "struct", optional: false, fields: [{ field: "s", type: "string", optional: false }, { field: "t", type: "string", optional: true, default: "2.5" }, { field: "u", type: "string", optional: false }] },
    payload: { s: "-123", t: null, u: "TRUE" },
  }),
  ...(["string", "unix", "Date", "Time", "Timestamp"] as const).flatMap((target) => [
    schemaful(`tsconv-ts-to-${target}`, `${T}TimestampConverter$Value`, { field: "at", "target.type": target, format: "yyyy-MM-dd'T'HH:mm:ss.SSS" }, {
      schema: { type: "struct", optional: false, fields: [{ field: "at", type: "int64", name: "org.apache.kafka.connect.data.Timestamp", version: 1, optional: false }, { field: "x", type: "string", optional: true }] },
      payload: { at: 1_700_000_000_123, x: "y" },
    }),
    schemaful(`tsconv-unix-to-${target}`, `${T}TimestampConverter$Value`, { "target.type": target, format: "yyyyMMddHHmmss", "unix.precision": "seconds" }, { schema: { type: "int64", optional: true }, payload: 1_700_000_000 }),
    schemaless(`tsconv-string-to-${target}`, `${T}TimestampConverter$Value`, { field: "at", "target.type": target, format: "yyyy-MM-dd HH:mm:ss", "unix.precision": "microseconds" }, { at: "2023-11-14 22:13:20", x: 1 }),
  ]),
  schemaless("tsconv-bad-string", `${T}TimestampConverter$Value`, { field: "at", "target.type": "unix", format: "yyyy-MM-dd" }, { at: "nope" }),
  schemaless("insert-tombstone", `${T}InsertField$Value`, { "topic.field": "t" }, null),
  schemaless("extract-tombstone", `${T}ExtractField$Value`, { field: "t" }, null),
  schemaless("insert-not-a-map", `${T}InsertField$Value`, { "topic.field": "t" }, "text"),
);

// A deliberate difference: Kafka 4.0 removed ReplaceField's deprecated `whitelist`/`blacklist`
// keys (4.3.1 ignores them and passes every field through); the hub still honours them as
// `include`/`exclude`, as Kafka 3.x did, so that older configs keep filtering.
const DEPRECATED_KEYS = schemaless("replace-deprecated-plain", `${T}ReplaceField$Value`, { whitelist: "id,customer", blacklist: "customer" });
CASES.push(DEPRECATED_KEYS);

const NESTED_SCHEMA = {
  type: "struct",
  optional: false,
  fields: [
    { field: "id", type: "int32", optional: false },
    {
      field: "address",
      type: "struct",
      optional: true,
      fields: [
        { field: "city", type: "string", optional: false },
        { field: "geo", type: "struct", optional: false, fields: [{ field: "lat", type: "double", optional: false }, { field: "lon", type: "double", optional: true, default: 0.5 }] },
      ],
    },
    { field: "tags", type: "array", items: { type: "int32", optional: false }, optional: false },
  ],
};
const NESTED = { id: 1, address: { city: "Paris", geo: { lat: 48.8, lon: null } }, tags: [1, 2] };
const WITH_MAP_SCHEMA = { type: "struct", optional: false, fields: [{ field: "m", type: "map", keys: { type: "string", optional: false }, values: { type: "int32", optional: false }, optional: false }] };
CASES.push(
  schemaful("flatten-schema", `${T}Flatten$Value`, {}, { schema: NESTED_SCHEMA, payload: NESTED }),
  schemaful("flatten-null-struct", `${T}Flatten$Value`, { delimiter: "_" }, { schema: NESTED_SCHEMA, payload: { ...NESTED, address: null } }),
  schemaful("flatten-nodefault", `${T}Flatten$Value`, { "replace.null.with.default": "false" }, { schema: NESTED_SCHEMA, payload: NESTED }),
  schemaful("flatten-map-refused", `${T}Flatten$Value`, {}, { schema: WITH_MAP_SCHEMA, payload: { m: { a: 1 } } }),
  schemaless("flatten-plain", `${T}Flatten$Value`, { delimiter: "#" }, { id: 1, a: { b: { c: "x", d: [1, 2] }, e: null }, f: true }),
  schemaless("flatten-key-plain", `${T}Flatten$Key`, {}, null, { k: { v: 1 } }),
  schemaless("flatten-tombstone", `${T}Flatten$Value`, {}, null),
);

const P = "org.apache.kafka.connect.transforms.predicates.";
const predicate = (id: string, cls: string, config: Record<string, string>, changes: Partial<Case> = {}): Case => ({ ...schemaless(id, cls, config), predicate: true, ...changes });
CASES.push(
  predicate("pred-topic-match", `${P}TopicNameMatches`, { pattern: "ord.*" }),
  predicate("pred-topic-partial", `${P}TopicNameMatches`, { pattern: "rde" }),
  predicate("pred-header-yes", `${P}HasHeaderKey`, { name: "trace" }, { headers: [["trace", "1"]] }),
  predicate("pred-header-no", `${P}HasHeaderKey`, { name: "trace" }, { headers: [["other", "1"]] }),
  predicate("pred-tombstone-yes", `${P}RecordIsTombstone`, {}, { value: null }),
  predicate("pred-tombstone-no", `${P}RecordIsTombstone`, {}),
);

let results: Map<string, Result>;
let workDir: string;

beforeAll(async () => {
  const { stdout: libsOut } = await execFileAsync("bash", [join(here, "kafka-jars.sh")], { maxBuffer: 1 << 20 });
  const libs = libsOut.trim().split("\n").pop() as string;
  workDir = await mkdtemp(join(tmpdir(), "hub-connect-transforms-"));
  const classpath = `${libs}/*`;
  await execFileAsync("javac", ["-nowarn", "-encoding", "UTF-8", "-cp", classpath, "-d", workDir, join(here, "TransformsHarness.java")]);
  const casesFile = join(workDir, "cases.json");
  await writeFile(casesFile, JSON.stringify(CASES));
  const { stdout } = await execFileAsync(
    "java",
    ["-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dfile.encoding=UTF-8", "-cp", `${classpath}:${workDir}`, "TransformsHarness", casesFile],
    { maxBuffer: 64 << 20 },
  );
  results = new Map((JSON.parse(stdout) as Result[]).map((r) => [r.id!, r]));
}, 300_000);

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

function parse(text: unknown): unknown {
  return typeof text === "string" ? JSON.parse(text) : null;
}

function converter(schemas: boolean, isKey: boolean): JsonConverter {
  const c = new JsonConverter();
  c.configure({ "schemas.enable": String(schemas) }, isKey);
  return c;
}

/** The hub's answer, in the harness's shape (key, value and header texts parsed for comparison). */
function runHub(c: Case): Result {
  const keyConverter = converter(c.schemas, true);
  const valueConverter = converter(c.schemas, false);
  const headerConverter = converter(true, false);
  if (c.predicate) {
    const p = PREDICATE_PLUGINS.find((d) => d.aliases.includes(c.class))!.create();
    p.configure(c.config);
    const record = new SinkRecord({ topic: c.topic, kafkaPartition: c.partition, kafkaOffset: c.offset, value: c.value });
    for (const [k, v] of c.headers ?? []) record.headers.addString(k, v);
    return { matches: p.test(record) };
  }
  const plugin = TRANSFORMATION_PLUGINS.find((p) => p.aliases.includes(c.class));
  if (!plugin) throw new Error(`no hub transformation for ${c.class}`);
  try {
    const bytes = (v: unknown): Buffer | null => (v === null ? null : Buffer.from(JSON.stringify(v)));
    const key = keyConverter.toConnectData(c.topic, null, bytes(c.key));
    const value = valueConverter.toConnectData(c.topic, null, bytes(c.value));
    const record = new SinkRecord({ topic: c.topic, kafkaPartition: c.partition, kafkaOffset: c.offset, timestamp: c.timestamp, timestampType: "CreateTime", keySchema: key.schema, key: key.value, valueSchema: value.schema, value: value.value });
    const t = plugin.create();
    t.configure(c.config);
    const out = t.apply(record);
    if (out === null) return { dropped: true };
    const text = (b: Buffer | null): unknown => (b === null ? null : JSON.parse(b.toString("utf8")));
    return {
      topic: out.topic,
      partition: out.kafkaPartition!,
      timestamp: out.timestamp!,
      key: text(keyConverter.fromConnectData(out.topic, null, out.keySchema, out.key)),
      value: text(valueConverter.fromConnectData(out.topic, null, out.valueSchema, out.value)),
      headers: [...out.headers].map((h) => [h.key, text(headerConverter.fromConnectData(out.topic, null, h.schema, h.value))]),
    };
  } catch (error) {
    return { error: (error as Error).name, message: (error as Error).message };
  }
}

describe("SMTs match Kafka 4.3.1's connect-transforms", () => {
  it("ReplaceField: whitelist/blacklist, ignored by Kafka 4.x, still apply in the hub", () => {
    expect(parse(results.get(DEPRECATED_KEYS.id)!.value)).toEqual(ORDER);
    expect(runHub(DEPRECATED_KEYS).value).toEqual({ id: ORDER.id });
  });

  it("Kafka refuses exactly the cases meant to fail (so the harness itself works)", () => {
    const failed = [...results.values()].filter((r) => r.error !== undefined).map((r) => `${r.id}: ${r.error}`);
    expect(failed.sort()).toEqual(
      ["flatten-map-refused: DataException", "tsconv-bad-string: DataException",
      // the transform works, but JsonConverter cannot write a schemaless java.util.Date (nor can the hub's)
      "tsconv-string-to-Date: DataException", "tsconv-string-to-Time: DataException", "tsconv-string-to-Timestamp: DataException", "cast-bad-string-schema: DataException", "cast-bad-string-plain: DataException", "insert-not-a-map: DataException", "setschema-plain: DataException", "v2k-missing-schema: DataException"].sort(),
    );
  });

  it.each(CASES.filter((c) => c !== DEPRECATED_KEYS).map((c) => [c.id, c] as const))("%s", (_id, c) => {
    const kafka = results.get(c.id);
    if (kafka === undefined) throw new Error(`the harness gave no result for ${c.id}`);
    const hub = runHub(c);
    if (kafka.error !== undefined) {
      expect(hub.error, `Kafka failed (${kafka.error}: ${kafka.message}), the hub did not`).toBeDefined();
      return;
    }
    expect(hub.error, `Kafka succeeded, the hub failed: ${hub.message}`).toBeUndefined();
    const { id: _ignored, ...expected } = kafka;
    if (c.predicate) {
      expect(hub).toEqual(expected);
      return;
    }
    expect(hub).toEqual({
      ...expected,
      ...(expected.dropped ? {} : { key: parse(expected.key), value: parse(expected.value), headers: expected.headers!.map(([k, v]) => [k, parse(v)]) }),
    });
  });
});

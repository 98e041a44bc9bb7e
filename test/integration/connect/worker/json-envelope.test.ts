// What a source task writes with the JsonConverter (schemas.enable=true, the worker default) is
// byte for byte what Kafka Connect writes: the record keys and values read back from the topic
// are compared with the bytes Apache Kafka 4.3.1's own JsonConverter makes of the same schema and
// value (test/interop/connect-json/JsonConverterHarness.java, compiled against Kafka's jars). On
// the hub's broker and on Apache Kafka.
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newProbedConnector, readTopic, startTestWorker, waitUntil } from "../../../support/connect-worker.ts";
import { openTarget, TARGETS } from "../../../support/interop-targets.ts";

const execFileAsync = promisify(execFile);
const harnessDir = join(import.meta.dirname, "../../../interop/connect-json");

// The numbered source's schemas in Kafka's JSON schema form (the harness's input).
const VALUE_SCHEMA_JSON = {
  type: "struct",
  fields: [
    { type: "int64", optional: false, field: "id" },
    { type: "string", optional: false, field: "name" },
  ],
  optional: false,
  name: "hub.test.Numbered",
};
const KEY_SCHEMA_JSON = { type: "string", optional: false };
const COUNT = 5;

let kafkaBytes: Map<string, Buffer>;
let workDir: string;

beforeAll(async () => {
  const { stdout: libsOut } = await execFileAsync("bash", [join(harnessDir, "kafka-jars.sh")], { maxBuffer: 1 << 20 });
  const libs = libsOut.trim().split("\n").pop() as string;
  workDir = await mkdtemp(join(tmpdir(), "hub-json-envelope-"));
  const classpath = `${libs}/*`;
  await execFileAsync("javac", ["-nowarn", "-encoding", "UTF-8", "-cp", classpath, "-d", workDir, join(harnessDir, "JsonConverterHarness.java")]);
  const cases = [];
  for (let i = 0; i < COUNT; i++) {
    cases.push({ op: "encode", id: `value-${i}`, schema: VALUE_SCHEMA_JSON, value: { struct: { id: { int64: String(i) }, name: { string: `record-${i}` } } } });
    cases.push({ op: "encode", id: `key-${i}`, isKey: true, schema: KEY_SCHEMA_JSON, value: { string: `key-${i}` } });
  }
  const casesFile = join(workDir, "cases.json");
  await writeFile(casesFile, JSON.stringify(cases));
  const { stdout } = await execFileAsync("java", ["-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dfile.encoding=UTF-8", "-cp", `${classpath}:${workDir}`, "JsonConverterHarness", casesFile], { maxBuffer: 16 << 20 });
  const results = JSON.parse(stdout) as Array<{ id: string; base64?: string; error?: string }>;
  kafkaBytes = new Map(results.map((r) => {
    if (r.error || r.base64 === undefined) throw new Error(`Kafka's JsonConverter failed on ${r.id}: ${r.error}`);
    return [r.id, Buffer.from(r.base64, "base64")];
  }));
}, 180_000);

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

for (const targetName of TARGETS) {
  describe(`JsonConverter envelope on ${targetName}`, () => {
    it("writes keys and values byte-identical to Kafka's JsonConverter", async () => {
      const target = await openTarget(targetName);
      const w = await startTestWorker(target.bootstrap);
      try {
        const topic = target.unique("envelope");
        await target.createTopic(topic, 1);
        const { probeName, probe, connector } = newProbedConnector(target, "numbered");
        await w.run(connector, { "connector.class": "NumberedSource", topic, "test.probe": probeName, count: String(COUNT) });
        await waitUntil(() => probe.committedRecords.length === COUNT, 20_000, "records acknowledged");
        const records = await readTopic(target.bootstrap, topic, COUNT);
        expect(records.length).toBe(COUNT);
        records.forEach((r, i) => {
          expect(r.value?.toString("utf8")).toBe(kafkaBytes.get(`value-${i}`)?.toString("utf8"));
          expect(Buffer.compare(r.value as Buffer, kafkaBytes.get(`value-${i}`) as Buffer)).toBe(0);
          expect(Buffer.compare(r.key as Buffer, kafkaBytes.get(`key-${i}`) as Buffer)).toBe(0);
        });
        await w.halt(connector);
      } finally {
        await w.close();
        await target.close();
      }
    });
  });
}

// A plugin loaded from plugin.path (a folder written by the test, its module importing the SDK)
// runs in a worker like a built-in one: an SMT named by its Java-style alias transforms a source
// connector's records on the hub's broker and on Apache Kafka.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPluginRegistry } from "../../../../connect/runtime/plugins/plugin-path.ts";
import { TEST_PLUGINS } from "../../../support/connect-test-plugins.ts";
import { newProbedConnector, readTopic, startTestWorker, waitUntil } from "../../../support/connect-worker.ts";
import { openTarget, TARGETS } from "../../../support/interop-targets.ts";
import { upperCaseModule, writeFiles } from "../../../support/plugin-path-fixtures.ts";

let pluginDir: string;

beforeAll(async () => {
  pluginDir = await mkdtemp(join(tmpdir(), "hub-plugins-"));
  await writeFiles(pluginDir, { "upper-case/package.json": JSON.stringify({ name: "upper-case", type: "module", main: "index.mjs" }), "upper-case/index.mjs": upperCaseModule() });
});

afterAll(async () => {
  await rm(pluginDir, { recursive: true, force: true });
});

for (const targetName of TARGETS) {
  describe(`plugin.path on ${targetName}`, () => {
    it("runs an SMT loaded from plugin.path", async () => {
      const target = await openTarget(targetName);
      const registry = await createPluginRegistry([pluginDir]);
      for (const p of TEST_PLUGINS) registry.register(p);
      const w = await startTestWorker(target.bootstrap, { registry, overrides: { "plugin.path": pluginDir } });
      try {
        const topic = target.unique("plugins");
        await target.createTopic(topic, 1);
        const { probeName, probe, connector } = newProbedConnector(target, "numbered");
        await w.run(connector, {
          "connector.class": "NumberedSource",
          topic,
          "test.probe": probeName,
          count: "3",
          schemaless: "true",
          "value.converter.schemas.enable": "false",
          "value.converter": "org.apache.kafka.connect.json.JsonConverter",
          transforms: "upper",
          "transforms.upper.type": "com.example.transforms.UpperCaseField",
          "transforms.upper.field": "name",
        });
        await waitUntil(() => probe.committedRecords.length === 3, 20_000, "3 records written");
        const records = await readTopic(target.bootstrap, topic, 3);
        expect(records.map((r) => r.value?.toString())).toEqual(['{"id":0,"name":"RECORD-0"}', '{"id":1,"name":"RECORD-1"}', '{"id":2,"name":"RECORD-2"}']);
        await w.halt(connector);
      } finally {
        await w.close();
        await target.close();
      }
    });
  });
}

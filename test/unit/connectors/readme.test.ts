// Each connector's README carries the config table generated from its ConfigDef: this keeps
// the docs and the definition from drifting apart.
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { configDefToMarkdown } from "../../../connect/api/index.ts";
import { CONNECTOR_PLUGINS } from "../../../connectors/index.ts";

const README_OF: Record<string, string> = { FileStreamSource: "file", FileStreamSink: "file", Datagen: "datagen", ElasticsearchSink: "elasticsearch", PostgresCdcSource: "postgres-cdc" };

describe("connector READMEs", () => {
  it("list every built-in connector", () => {
    expect(CONNECTOR_PLUGINS.map((p) => p.name).sort()).toEqual(Object.keys(README_OF).sort());
  });

  for (const plugin of CONNECTOR_PLUGINS) {
    it(`${plugin.name}: README has the table of its ConfigDef`, async () => {
      const readme = await readFile(new URL(`../../../connectors/${README_OF[plugin.name]}/README.md`, import.meta.url), "utf8");
      expect(readme).toContain(configDefToMarkdown(plugin.configDef));
    });
  }
});

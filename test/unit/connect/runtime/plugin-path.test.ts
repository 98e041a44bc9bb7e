// plugin.path loading: every layout the loader accepts (a module file, a package folder, a folder
// with an index, a folder of plugin folders), and the errors a bad entry or manifest gives.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SourceRecord } from "../../../../connect/api/index.ts";
import { checkDescriptor, loadPluginPath, PluginLoadError } from "../../../../connect/runtime/plugins/plugin-path.ts";
import { PluginRegistry } from "../../../../connect/runtime/plugins/registry.ts";
import { upperCaseModule, writeFiles } from "../../../support/plugin-path-fixtures.ts";

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "hub-plugin-path-"));
  await writeFiles(root, {
    "single/upper.mjs": upperCaseModule("Upper1", "com.example.Upper1"),
    "pkg/package.json": JSON.stringify({ name: "example-plugin", type: "module", exports: { ".": { import: "./lib/main.mjs" } } }),
    "pkg/lib/main.mjs": upperCaseModule("Upper2", "com.example.Upper2"),
    "indexed/index.mjs": upperCaseModule("Upper3", "com.example.Upper3"),
    "many/a/index.mjs": upperCaseModule("Upper4", "com.example.Upper4"),
    "many/b/package.json": JSON.stringify({ name: "b", main: "entry.mjs" }),
    "many/b/entry.mjs": upperCaseModule("Upper5", "com.example.Upper5"),
    "many/c.mjs": upperCaseModule("Upper6", "com.example.Upper6"),
    "many/README.md": "not a plugin",
    "noexport/index.mjs": "export const something = 1;\n",
    "notarray/index.mjs": "export const plugins = { name: 'x' };\n",
    "badentry/index.mjs": `export const plugins = [{ name: "Bad", kind: "widget", version: 1, aliases: "x", create: 3 }];\n`,
    "broken/index.mjs": "export const plugins = [; // syntax error\n",
    "empty/.keep": "",
    "dup/index.mjs": upperCaseModule("InsertField$Value", "org.apache.kafka.connect.transforms.InsertField$Value"),
    "default/index.mjs": "export default { plugins: [] };\n",
  });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("loadPluginPath", () => {
  it("loads a module file, a package, a folder with an index and a folder of plugins", async () => {
    const registry = new PluginRegistry();
    const loaded = await loadPluginPath(registry, [join(root, "single/upper.mjs"), join(root, "pkg"), ` ${join(root, "indexed")} `, join(root, "many"), ""]);
    expect(loaded.map((m) => m.plugins[0]?.name)).toEqual(["Upper1", "Upper2", "Upper3", "Upper4", "Upper5", "Upper6"]);
    for (const name of ["Upper1", "com.example.Upper2", "Upper3", "com.example.Upper4", "Upper5", "Upper6"]) expect(registry.find("transformation", name)).toBeDefined();
    const smt = registry.require("transformation", "com.example.Upper2").create();
    smt.configure({ field: "name" });
    const out = smt.apply(new SourceRecord({ sourcePartition: null, sourceOffset: null, topic: "t", value: { name: "ada" } }));
    expect(out?.value).toEqual({ name: "ADA" });
  });

  it("accepts a default export holding the manifest", async () => {
    const loaded = await loadPluginPath(new PluginRegistry(), [join(root, "default")]);
    expect(loaded[0]?.plugins).toEqual([]);
  });

  it("says what is wrong with a bad entry or manifest", async () => {
    const load = (entry: string) => loadPluginPath(new PluginRegistry(), [entry]);
    await expect(load(join(root, "missing"))).rejects.toThrow(/plugin.path entry '.*missing' does not exist/);
    await expect(load("no-such-npm-package-hub-test")).rejects.toThrow(/plugin.path entry 'no-such-npm-package-hub-test' is neither a file, a folder nor an installed npm package/);
    await expect(load(join(root, "noexport"))).rejects.toThrow(/does not export 'plugins'/);
    await expect(load(join(root, "notarray"))).rejects.toThrow(/'plugins' must be an array of plugin descriptors/);
    await expect(load(join(root, "badentry"))).rejects.toThrow(
      /plugins\[0\] \('Bad'\): 'kind' must be one of source, sink, transformation, predicate, converter, header-converter; 'version' must be a string; 'aliases' must be an array of strings; 'configDef' must be a ConfigDef \(from the Connect SDK\); 'create' must be a function/,
    );
    await expect(load(join(root, "broken"))).rejects.toThrow(/could not be loaded/);
    await expect(load(join(root, "empty"))).rejects.toThrow(/holds no plugin/);
    await expect(load(join(root, "badentry"))).rejects.toBeInstanceOf(PluginLoadError);
  });

  it("refuses a plugin whose name or alias another plugin of its kind has", async () => {
    const { builtinRegistry } = await import("../../../../connect/runtime/plugins/builtins.ts");
    await expect(loadPluginPath(builtinRegistry(), [join(root, "dup")])).rejects.toThrow(/plugin name '.*' is used by both/);
  });

  it("checks one descriptor at a time", () => {
    expect(() => checkDescriptor(null, "here")).toThrow("here: a plugin descriptor must be an object, got null");
    expect(() => checkDescriptor({ name: "", kind: "source", version: "1", aliases: [], configDef: {}, create: () => null }, "here")).toThrow(/'name' must be a non-empty string; 'configDef' must be a ConfigDef/);
  });
});

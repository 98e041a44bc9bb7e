// Writes plugin.path layouts into a temporary folder for the loader's tests: plugins written as
// ES modules that import the Connect SDK by its file URL, as an installed plugin imports it from
// its package.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

export const SDK_URL = pathToFileURL(join(import.meta.dirname, "../../connect/api/index.ts")).href;

/** A module exporting an SMT that upper-cases a string field of schemaless values ("UpperCaseField"). */
export function upperCaseModule(name = "UpperCaseField", alias = "com.example.transforms.UpperCaseField"): string {
  return `import { ConfigDef, Transformation, definePlugin } from ${JSON.stringify(SDK_URL)};
const CONFIG = new ConfigDef().define({ name: "field", type: "STRING", importance: "HIGH", documentation: "The field to upper-case." });
class UpperCase extends Transformation {
  configure(configs) { this.field = CONFIG.parse(configs).field; }
  apply(record) {
    const value = { ...record.value, [this.field]: String(record.value[this.field]).toUpperCase() };
    return record.newRecord({ value });
  }
  config() { return CONFIG; }
}
export const plugins = [definePlugin({ name: ${JSON.stringify(name)}, kind: "transformation", version: "2.0.0", aliases: [${JSON.stringify(alias)}], configDef: CONFIG, create: () => new UpperCase() })];
`;
}

export async function writeFiles(root: string, files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, path);
    await mkdir(join(full, ".."), { recursive: true });
    await writeFile(full, content);
  }
}

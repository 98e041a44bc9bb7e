// Regenerates broker/protocol/generated from Kafka's JSON definitions in ../shared/kafka-protocol
// (beside the repository; override with --spec <dir>).
//
//   node broker/protocol/codegen/generate.ts            write the files (stale ones removed)
//   node broker/protocol/codegen/generate.ts --check    exit 1 if the committed files differ
//   node broker/protocol/codegen/generate.ts --out DIR  write somewhere else
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { renderAll } from "./render.ts";

const here = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(here, "../../..");
export const DEFAULT_SPEC_ROOT = resolve(REPO_ROOT, "../shared/kafka-protocol");
export const GENERATED_DIR = resolve(here, "../generated");

/** Every file under dir, as paths relative to it (forward slashes). */
export function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p).split("\\").join("/"));
    }
  };
  walk(dir);
  return out.sort();
}

/** The differences between the rendered tree and a directory: missing, changed and extra files. */
export function diffTree(rendered: Map<string, string>, dir: string): string[] {
  const problems: string[] = [];
  const present = new Set(listFiles(dir));
  for (const [path, content] of rendered) {
    if (!present.has(path)) problems.push(`missing: ${path}`);
    else if (readFileSync(join(dir, path), "utf8") !== content) problems.push(`differs: ${path}`);
  }
  for (const path of present) if (!rendered.has(path)) problems.push(`not generated: ${path}`);
  return problems;
}

export function writeTree(rendered: Map<string, string>, dir: string): void {
  for (const path of listFiles(dir)) if (!rendered.has(path)) rmSync(join(dir, path));
  for (const [path, content] of rendered) {
    const target = join(dir, path);
    mkdirSync(dirname(target), { recursive: true });
    if (existsSync(target) && readFileSync(target, "utf8") === content) continue;
    writeFileSync(target, content);
  }
}

function main(argv: string[]): number {
  let spec = DEFAULT_SPEC_ROOT;
  let out = GENERATED_DIR;
  let check = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--check") check = true;
    else if (a === "--spec") spec = resolve(argv[++i] ?? "");
    else if (a === "--out") out = resolve(argv[++i] ?? "");
    else {
      console.error(`usage: generate.ts [--check] [--spec DIR] [--out DIR] (unknown argument ${a})`);
      return 2;
    }
  }
  if (!existsSync(join(spec, "message"))) {
    console.error(`generate.ts: no Kafka definitions at ${spec} (expected ${join(spec, "message")})`);
    return 2;
  }
  const started = performance.now();
  const rendered = renderAll(spec);
  let bytes = 0;
  for (const c of rendered.values()) bytes += Buffer.byteLength(c);
  if (check) {
    const problems = diffTree(rendered, out);
    if (problems.length > 0) {
      console.error(`generated code is stale (${problems.length} files); run: node broker/protocol/codegen/generate.ts`);
      for (const p of problems.slice(0, 20)) console.error(`  ${p}`);
      return 1;
    }
    console.log(`generated code is current: ${rendered.size} files, ${bytes} bytes`);
    return 0;
  }
  writeTree(rendered, out);
  const ms = Math.round(performance.now() - started);
  console.log(`wrote ${rendered.size} files (${bytes} bytes) to ${relative(process.cwd(), out) || "."} in ${ms} ms`);
  return 0;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}

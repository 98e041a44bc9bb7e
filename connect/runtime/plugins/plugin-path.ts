// Plugins from `plugin.path` (Kafka's plugin.path, without class loaders): a comma-separated list
// whose entries are
//   - a module file (.js, .mjs, .ts),
//   - a package folder (package.json: its "exports" "." entry, else "main", else index.*),
//   - a plain folder with an index.mjs / index.js / index.ts,
//   - a folder of such plugin folders and files (Kafka's layout: one subfolder per plugin),
//   - or the name of an installed npm package.
// Each module exports a manifest, `export const plugins = [descriptor, ...]` (or a default export
// with a `plugins` array): the same descriptors as the built-in plugins (connect/api plugin.ts),
// each checked before it is registered. Plugins import the SDK from wherever it is installed;
// the runtime checks their shape, not their classes' identity.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { AnyPluginDescriptor, PluginKind } from "../../api/index.ts";
import type { Logger } from "../../../lib/logger.ts";
import type { PluginRegistry } from "./registry.ts";

const KINDS: readonly PluginKind[] = ["source", "sink", "transformation", "predicate", "converter", "header-converter"];
const INDEX_FILES = ["index.mjs", "index.js", "index.ts"];
const MODULE_EXTENSIONS = [".mjs", ".js", ".ts", ".cjs"];

/** A plugin.path entry that cannot be loaded, or a manifest that is not one. */
export class PluginLoadError extends Error {
  override name = "PluginLoadError";
}

export interface LoadedPluginModule {
  /** The module file loaded. */
  readonly location: string;
  readonly plugins: readonly AnyPluginDescriptor[];
}

function entryOfPackage(dir: string): string | null {
  let pkg: { exports?: unknown; main?: unknown };
  try {
    pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { exports?: unknown; main?: unknown };
  } catch (e) {
    throw new PluginLoadError(`plugin.path: ${join(dir, "package.json")} cannot be read: ${(e as Error).message}`);
  }
  const pick = (target: unknown): string | null => {
    if (typeof target === "string") return target;
    if (target && typeof target === "object" && !Array.isArray(target)) {
      const conditions = target as Record<string, unknown>;
      for (const c of ["import", "node", "default"]) {
        const found = pick(conditions[c]);
        if (found) return found;
      }
    }
    return null;
  };
  const exportsField = pkg.exports;
  const fromExports = exportsField && typeof exportsField === "object" && !Array.isArray(exportsField) && "." in exportsField ? pick((exportsField as Record<string, unknown>)["."]) : pick(exportsField);
  if (fromExports) return join(dir, fromExports);
  if (typeof pkg.main === "string") return join(dir, pkg.main);
  const index = INDEX_FILES.find((f) => existsSync(join(dir, f)));
  return index ? join(dir, index) : null;
}

/** The module files an entry stands for (several for a folder of plugins). */
function moduleFiles(entry: string): string[] {
  const stat = statSync(entry);
  if (stat.isFile()) return [entry];
  if (existsSync(join(entry, "package.json"))) {
    const main = entryOfPackage(entry);
    if (!main) throw new PluginLoadError(`plugin.path: package ${entry} has no entry point (exports, main or index.js)`);
    return [main];
  }
  const index = INDEX_FILES.find((f) => existsSync(join(entry, f)));
  if (index) return [join(entry, index)];
  const out: string[] = [];
  for (const child of readdirSync(entry, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (child.name.startsWith(".") || child.name === "node_modules") continue;
    const path = join(entry, child.name);
    if (child.isDirectory()) {
      if (existsSync(join(path, "package.json"))) {
        const main = entryOfPackage(path);
        if (main) out.push(main);
      } else {
        const childIndex = INDEX_FILES.find((f) => existsSync(join(path, f)));
        if (childIndex) out.push(join(path, childIndex));
      }
    } else if (child.isFile() && MODULE_EXTENSIONS.some((ext) => child.name.endsWith(ext)) && !child.name.endsWith(".d.ts")) {
      out.push(path);
    }
  }
  if (out.length === 0) throw new PluginLoadError(`plugin.path: folder ${entry} holds no plugin (no package.json, index file, plugin folders or module files)`);
  return out;
}

function isFunction(v: unknown): v is (...args: unknown[]) => unknown {
  return typeof v === "function";
}

/** Checks one manifest entry; returns it typed, or throws naming what is wrong. */
export function checkDescriptor(value: unknown, where: string): AnyPluginDescriptor {
  if (value === null || typeof value !== "object") throw new PluginLoadError(`${where}: a plugin descriptor must be an object, got ${value === null ? "null" : typeof value}`);
  const d = value as Record<string, unknown>;
  const label = typeof d.name === "string" ? `${where} ('${d.name}')` : where;
  const problems: string[] = [];
  if (typeof d.name !== "string" || d.name.trim() === "") problems.push("'name' must be a non-empty string");
  if (typeof d.kind !== "string" || !KINDS.includes(d.kind as PluginKind)) problems.push(`'kind' must be one of ${KINDS.join(", ")}`);
  if (typeof d.version !== "string") problems.push("'version' must be a string");
  if (!Array.isArray(d.aliases) || !d.aliases.every((a) => typeof a === "string")) problems.push("'aliases' must be an array of strings");
  const def = d.configDef as Record<string, unknown> | undefined;
  if (!def || typeof def !== "object" || !isFunction(def.parse) || !isFunction(def.validate) || !isFunction(def.configKeys)) problems.push("'configDef' must be a ConfigDef (from the Connect SDK)");
  if (!isFunction(d.create)) problems.push("'create' must be a function returning a new plugin instance");
  if (d.doc !== undefined && typeof d.doc !== "string") problems.push("'doc' must be a string when given");
  if (problems.length > 0) throw new PluginLoadError(`${label}: ${problems.join("; ")}`);
  return value as AnyPluginDescriptor;
}

/** Loads one module file and checks its manifest. */
export async function loadPluginModule(file: string): Promise<LoadedPluginModule> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (e) {
    throw new PluginLoadError(`plugin.path: ${file} could not be loaded: ${(e as Error).message}`, { cause: e });
  }
  return { location: file, plugins: manifestOf(mod, file) };
}

function manifestOf(mod: Record<string, unknown>, where: string): AnyPluginDescriptor[] {
  const fromDefault = mod.default && typeof mod.default === "object" ? (mod.default as Record<string, unknown>).plugins : undefined;
  const list = mod.plugins ?? fromDefault;
  if (list === undefined) throw new PluginLoadError(`plugin.path: ${where} does not export 'plugins' (an array of plugin descriptors)`);
  if (!Array.isArray(list)) throw new PluginLoadError(`plugin.path: ${where}: 'plugins' must be an array of plugin descriptors`);
  return list.map((value, i) => checkDescriptor(value, `plugin.path: ${where}: plugins[${i}]`));
}

async function loadPackage(name: string): Promise<LoadedPluginModule> {
  let resolved: string | null = null;
  try {
    resolved = createRequire(join(process.cwd(), "package.json")).resolve(name);
  } catch {
    // Not resolvable from the working directory with require's rules: try ESM resolution next.
  }
  let mod: Record<string, unknown>;
  try {
    mod = (await import(resolved ? pathToFileURL(resolved).href : name)) as Record<string, unknown>;
  } catch (e) {
    throw new PluginLoadError(`plugin.path entry '${name}' is neither a file, a folder nor an installed npm package: ${(e as Error).message}`, { cause: e });
  }
  return { location: resolved ?? name, plugins: manifestOf(mod, name) };
}

/** The modules of one plugin.path entry. */
export async function loadPluginPathEntry(entry: string): Promise<LoadedPluginModule[]> {
  const path = resolve(entry);
  if (existsSync(path)) return Promise.all(moduleFiles(path).map((f) => loadPluginModule(f)));
  if (entry.startsWith(".") || entry.startsWith("/") || entry.includes("\\")) throw new PluginLoadError(`plugin.path entry '${entry}' does not exist`);
  return [await loadPackage(entry)];
}

/**
 * Loads every plugin.path entry and registers its plugins. A plugin whose name (or alias) is
 * already taken within its kind is an error, naming both.
 */
export async function loadPluginPath(registry: PluginRegistry, paths: readonly string[] | null | undefined, logger?: Logger): Promise<LoadedPluginModule[]> {
  const loaded: LoadedPluginModule[] = [];
  for (const raw of paths ?? []) {
    const entry = raw.trim();
    if (entry === "") continue;
    for (const module of await loadPluginPathEntry(entry)) {
      for (const descriptor of module.plugins) {
        if (registry.find(descriptor.kind, descriptor.name) === descriptor) continue;
        try {
          registry.register(descriptor);
        } catch (e) {
          throw new PluginLoadError(`plugin.path: ${module.location}: ${(e as Error).message}`, { cause: e });
        }
      }
      logger?.info({ location: module.location, plugins: module.plugins.map((p) => `${p.kind}:${p.name}`) }, "loaded plugins");
      loaded.push(module);
    }
  }
  return loaded;
}

/** The built-in plugins plus those of the worker's plugin.path (what a herder and its worker share). */
export async function createPluginRegistry(pluginPath: readonly string[] | null | undefined, logger?: Logger): Promise<PluginRegistry> {
  const { builtinRegistry } = await import("./builtins.ts");
  const registry = builtinRegistry();
  await loadPluginPath(registry, pluginPath, logger);
  return registry;
}

// The key, value and header converters of a task: the connector's `key.converter` /
// `value.converter` / `header.converter` when it sets them, configured from its own
// `key.converter.*` ... keys; otherwise the worker's, configured from the worker's keys (Kafka's
// Plugins.newConverter / newHeaderConverter: the settings come from the config the class came
// from). Converters learn their role through `converter.type` (key, value, header).
import { CONVERTER_TYPE_CONFIG, type Converter, type HeaderConverter } from "../api/index.ts";
import { displayClass, type PluginRegistry } from "./plugins/registry.ts";
import type { WorkerConfig } from "./worker-config.ts";

export interface TaskConverters {
  readonly key: Converter;
  readonly value: Converter;
  readonly header: HeaderConverter;
  /** Class names for error reports (Kafka's class name where the plugin stands in for one). */
  readonly keyClass: string;
  readonly valueClass: string;
  readonly headerClass: string;
}

/** What Kafka shows as header.converter's default: a config copied from its answers means "the worker's". */
const HEADER_CONVERTER_INHERITED = "Inherited from Connect config";

function prefixed(props: Readonly<Record<string, unknown>>, prefix: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(props)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
  return out;
}

function source(worker: WorkerConfig, connectorProps: Readonly<Record<string, string>>, key: string): { className: string; props: Record<string, unknown> } {
  const own = connectorProps[key]?.trim();
  if (own && own !== HEADER_CONVERTER_INHERITED) return { className: own, props: prefixed(connectorProps, `${key}.`) };
  const workerClass = worker.getClass(key);
  if (workerClass === null || workerClass === undefined) throw new Error(`${key} is set neither for the connector nor for the worker`);
  return { className: String(workerClass), props: prefixed(worker.originals(), `${key}.`) };
}

export function createTaskConverters(registry: PluginRegistry, worker: WorkerConfig, connectorProps: Readonly<Record<string, string>>): TaskConverters {
  const keySource = source(worker, connectorProps, "key.converter");
  const valueSource = source(worker, connectorProps, "value.converter");
  const headerSource = source(worker, connectorProps, "header.converter");
  const keyPlugin = registry.require("converter", keySource.className);
  const valuePlugin = registry.require("converter", valueSource.className);
  const headerPlugin = registry.require("header-converter", headerSource.className);
  const key = keyPlugin.create();
  key.configure({ ...keySource.props, [CONVERTER_TYPE_CONFIG]: "key" }, true);
  const value = valuePlugin.create();
  value.configure({ ...valueSource.props, [CONVERTER_TYPE_CONFIG]: "value" }, false);
  const header = headerPlugin.create();
  header.configure({ ...headerSource.props, [CONVERTER_TYPE_CONFIG]: "header" });
  return { key, value, header, keyClass: displayClass(keyPlugin), valueClass: displayClass(valuePlugin), headerClass: displayClass(headerPlugin) };
}

/** Closes a task's converters; failures are ignored (converters hold nothing that outlives the task). */
export function closeConverters(c: TaskConverters): void {
  for (const converter of [c.key, c.value, c.header]) {
    try {
      converter.close();
    } catch {
      // nothing to release
    }
  }
}

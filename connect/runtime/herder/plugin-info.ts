// What GET /connector-plugins and GET /connector-plugins/{plugin}/config answer, from the plugin
// registry (Kafka's ConnectorPluginsResource and AbstractHerder.connectorPluginConfig), and the
// Connect type of a connector config. Both herders use these.
import { type AnyPluginDescriptor, type ConfigKey, configKeyInfo, NotFoundException, type PluginKind } from "../../api/index.ts";
import { connectorConfigDef } from "../config/connector-config.ts";
import { displayClass, type PluginRegistry } from "../plugins/registry.ts";
import { redefineDefaults } from "./config-validation.ts";
import type { ConfigKeyInfoJson, ConnectorType, PluginInfo } from "./entities.ts";

const REST_TYPE: Record<PluginKind, PluginInfo["type"]> = {
  source: "source",
  sink: "sink",
  transformation: "transformation",
  predicate: "predicate",
  converter: "converter",
  "header-converter": "header_converter",
};

// Kafka lists sinks, then sources, transformations, predicates, converters, header converters,
// each set sorted by class name.
const LISTING_ORDER: readonly PluginKind[] = ["sink", "source", "transformation", "predicate", "converter", "header-converter"];

const byClass = (a: AnyPluginDescriptor, b: AnyPluginDescriptor): number => {
  const x = displayClass(a);
  const y = displayClass(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

/** GET /connector-plugins (connectorsOnly: the default, true). */
export function pluginInfos(registry: PluginRegistry, connectorsOnly: boolean): PluginInfo[] {
  const kinds = connectorsOnly ? LISTING_ORDER.slice(0, 2) : LISTING_ORDER;
  return kinds.flatMap((kind) =>
    registry
      .list([kind])
      .sort(byClass)
      .map((d) => ({ class: displayClass(d), type: REST_TYPE[d.kind], version: d.version })),
  );
}

/**
 * GET /connector-plugins/{plugin}/config: the plugin's own keys, then (for connectors) the common
 * connector keys it does not define itself, internal ones left out; NotFoundException for an
 * unknown plugin. Kafka 4 shows no converter defaults here (they come from the worker, unknown
 * to this call) and the plugin's own version as `connector.plugin.version`'s default (KIP-891).
 */
export function pluginConfig(registry: PluginRegistry, pluginName: string): ConfigKeyInfoJson[] {
  const descriptor = registry.find(["source", "sink", "transformation", "predicate", "converter", "header-converter"], pluginName);
  if (!descriptor) throw new NotFoundException(`Unknown plugin ${pluginName}.`);
  const keys = new Map<string, ConfigKey>(descriptor.configDef.configKeys());
  if (descriptor.kind === "source" || descriptor.kind === "sink") {
    const defaults = new Map<string, string | null>([
      ["connector.plugin.version", descriptor.version],
      ["key.converter", null],
      ["value.converter", null],
      ["header.converter", null],
    ]);
    const base = redefineDefaults(connectorConfigDef(descriptor.kind), defaults);
    for (const [name, key] of base.configKeys()) if (!keys.has(name)) keys.set(name, key);
  }
  return [...keys.values()].filter((key) => !key.internalConfig).map(configKeyInfo);
}

/** The type of the connector a config names (Kafka's AbstractHerder.connectorType). */
export function connectorTypeOf(registry: PluginRegistry, config: Readonly<Record<string, string>> | null | undefined): ConnectorType {
  const className = config?.["connector.class"];
  if (className === undefined) return "unknown";
  return registry.find(["source", "sink"], className)?.kind ?? "unknown";
}

/** The version of the connector plugin a config names (status answers' `version`, KIP-891). */
export function connectorVersionOf(registry: PluginRegistry, config: Readonly<Record<string, string>> | null | undefined): string | undefined {
  const className = config?.["connector.class"];
  if (className === undefined) return undefined;
  return registry.find(["source", "sink"], className)?.version;
}

// The plugins that ship with the hub: converters, SMTs, predicates and connectors. Plugins from
// `plugin.path` are added by createPluginRegistry() (plugin-path.ts).
import type { AnyPluginDescriptor } from "../../api/index.ts";
import { converterPlugins } from "../../converters/index.ts";
import { PREDICATE_PLUGINS, TRANSFORMATION_PLUGINS } from "../../../transforms/index.ts";
import { CONNECTOR_PLUGINS } from "../../../connectors/index.ts";
import { registryConverterPlugins } from "../../../registry/converters/index.ts";
import { PluginRegistry } from "./registry.ts";

export const BUILTIN_PLUGINS: readonly AnyPluginDescriptor[] = [
  ...CONNECTOR_PLUGINS,
  ...converterPlugins,
  // Confluent's registry-backed converters (AvroConverter, JsonSchemaConverter, ProtobufConverter), by their class names.
  ...registryConverterPlugins,
  ...TRANSFORMATION_PLUGINS,
  ...PREDICATE_PLUGINS,
];

/** A registry holding the built-in plugins. */
export function builtinRegistry(): PluginRegistry {
  return new PluginRegistry(BUILTIN_PLUGINS);
}

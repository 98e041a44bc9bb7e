// The built-in connectors, as plugin descriptors for the runtime's registry.
import type { PluginDescriptor } from "../connect/api/index.ts";
import { datagenPlugin } from "./datagen/index.ts";
import { elasticsearchSinkPlugin } from "./elasticsearch/index.ts";
import { fileStreamSinkPlugin, fileStreamSourcePlugin } from "./file/index.ts";
import { postgresCdcSourcePlugin } from "./postgres-cdc/index.ts";

export const CONNECTOR_PLUGINS: readonly (PluginDescriptor<"source"> | PluginDescriptor<"sink">)[] = [
  fileStreamSourcePlugin,
  fileStreamSinkPlugin,
  datagenPlugin,
  elasticsearchSinkPlugin,
  postgresCdcSourcePlugin,
];

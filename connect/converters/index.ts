// The built-in converters and header converters, as plugin descriptors for the runtime's
// registry (the aliases are Kafka's class names), and their classes for direct use.
import type { PluginDescriptor } from "../api/index.ts";
import { booleanConverterPlugin, booleanHeaderConverterPlugin } from "./boolean-converter.ts";
import { byteArrayConverterPlugin, byteArrayHeaderConverterPlugin } from "./byte-array-converter.ts";
import { jsonConverterPlugin, jsonHeaderConverterPlugin } from "./json-converter.ts";
import { numberConverterPlugins } from "./number-converters.ts";
import { simpleHeaderConverterPlugin } from "./simple-header-converter.ts";
import { stringConverterPlugin, stringHeaderConverterPlugin } from "./string-converter.ts";

export { BooleanConverter, booleanConverterPlugin, BooleanHeaderConverter, booleanHeaderConverterPlugin } from "./boolean-converter.ts";
export { ByteArrayConverter, ByteArrayHeaderConverter, byteArrayConverterPlugin, byteArrayHeaderConverterPlugin } from "./byte-array-converter.ts";
export { JsonConverter, jsonConverterConfigDef, jsonConverterPlugin, JsonHeaderConverter, jsonHeaderConverterPlugin } from "./json-converter.ts";
export { DoubleConverter, FloatConverter, IntegerConverter, LongConverter, NumberConverter, numberConverterPlugins, NumberHeaderConverter, ShortConverter } from "./number-converters.ts";
export { SimpleHeaderConverter, simpleHeaderConverterPlugin } from "./simple-header-converter.ts";
export { StringConverter, stringConverterConfigDef, stringConverterPlugin, StringHeaderConverter, stringHeaderConverterPlugin } from "./string-converter.ts";

/** Every built-in converter and header converter descriptor. */
export const converterPlugins: ReadonlyArray<PluginDescriptor<"converter"> | PluginDescriptor<"header-converter">> = [
  jsonConverterPlugin,
  jsonHeaderConverterPlugin,
  stringConverterPlugin,
  stringHeaderConverterPlugin,
  byteArrayConverterPlugin,
  byteArrayHeaderConverterPlugin,
  booleanConverterPlugin,
  booleanHeaderConverterPlugin,
  ...numberConverterPlugins,
  simpleHeaderConverterPlugin,
];

// The built-in Single Message Transforms and predicates, as plugin descriptors for the
// runtime's registry (aliases: Kafka's class names, e.g.
// org.apache.kafka.connect.transforms.InsertField$Value). Predicates' `negate` is applied by the
// runtime, not by the predicates.
import type { PluginDescriptor } from "../connect/api/index.ts";
import { castKeyPlugin, castValuePlugin } from "./cast.ts";
import { extractNewRecordStatePlugin } from "./debezium/extract-new-record-state.ts";
import { dropHeadersPlugin } from "./drop-headers.ts";
import { extractFieldKeyPlugin, extractFieldValuePlugin } from "./extract-field.ts";
import { filterPlugin } from "./filter.ts";
import { flattenKeyPlugin, flattenValuePlugin } from "./flatten.ts";
import { headerFromKeyPlugin, headerFromValuePlugin } from "./header-from.ts";
import { hoistFieldKeyPlugin, hoistFieldValuePlugin } from "./hoist-field.ts";
import { insertFieldKeyPlugin, insertFieldValuePlugin } from "./insert-field.ts";
import { insertHeaderPlugin } from "./insert-header.ts";
import { maskFieldKeyPlugin, maskFieldValuePlugin } from "./mask-field.ts";
import { hasHeaderKeyPlugin } from "./predicates/has-header-key.ts";
import { recordIsTombstonePlugin } from "./predicates/record-is-tombstone.ts";
import { topicNameMatchesPlugin } from "./predicates/topic-name-matches.ts";
import { regexRouterPlugin } from "./regex-router.ts";
import { replaceFieldKeyPlugin, replaceFieldValuePlugin } from "./replace-field.ts";
import { setSchemaMetadataKeyPlugin, setSchemaMetadataValuePlugin } from "./set-schema-metadata.ts";
import { timestampConverterKeyPlugin, timestampConverterValuePlugin } from "./timestamp-converter.ts";
import { timestampRouterPlugin } from "./timestamp-router.ts";
import { valueToKeyPlugin } from "./value-to-key.ts";

export const TRANSFORMATION_PLUGINS: readonly PluginDescriptor<"transformation">[] = [
  insertFieldKeyPlugin,
  insertFieldValuePlugin,
  replaceFieldKeyPlugin,
  replaceFieldValuePlugin,
  maskFieldKeyPlugin,
  maskFieldValuePlugin,
  valueToKeyPlugin,
  extractFieldKeyPlugin,
  extractFieldValuePlugin,
  hoistFieldKeyPlugin,
  hoistFieldValuePlugin,
  castKeyPlugin,
  castValuePlugin,
  timestampConverterKeyPlugin,
  timestampConverterValuePlugin,
  flattenKeyPlugin,
  flattenValuePlugin,
  regexRouterPlugin,
  timestampRouterPlugin,
  setSchemaMetadataKeyPlugin,
  setSchemaMetadataValuePlugin,
  filterPlugin,
  insertHeaderPlugin,
  dropHeadersPlugin,
  headerFromKeyPlugin,
  headerFromValuePlugin,
  extractNewRecordStatePlugin,
];

export const PREDICATE_PLUGINS: readonly PluginDescriptor<"predicate">[] = [topicNameMatchesPlugin, hasHeaderKeyPlugin, recordIsTombstonePlugin];

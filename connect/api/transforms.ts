// Single Message Transforms and their predicates (org.apache.kafka.connect.transforms): a
// chain of Transformations applied to each record between the task and the converter (source)
// or between the converter and the task (sink), each optionally guarded by a Predicate
// (`transforms.<alias>.predicate`, with `negate`). Both run once per record: keep them
// synchronous and cheap.
import type { ConfigDef } from "./config/config-def.ts";
import type { ConnectRecord } from "./records.ts";

/** The plugin's configuration as given (`transforms.<alias>.*` with the prefix removed). */
export type PluginConfigs = Readonly<Record<string, unknown>>;

export abstract class Transformation<R extends ConnectRecord = ConnectRecord> {
  /** Called once, before any apply(); parse with config().parse(configs). */
  configure(_configs: PluginConfigs): void {}

  /** The transformed record (usually record.newRecord({...})), or null to drop it. */
  abstract apply(record: R): R | null;

  abstract config(): ConfigDef;

  close(): void {}

  version(): string {
    return "unknown";
  }
}

export abstract class Predicate<R extends ConnectRecord = ConnectRecord> {
  configure(_configs: PluginConfigs): void {}

  /** Whether the guarded transformation applies to this record. */
  abstract test(record: R): boolean;

  abstract config(): ConfigDef;

  close(): void {}

  version(): string {
    return "unknown";
  }
}

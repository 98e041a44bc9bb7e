// RecordIsTombstone (org.apache.kafka.connect.transforms.predicates.RecordIsTombstone): true when
// the record's value is null. `negate` is applied by the runtime.
import { ConfigDef, type ConnectRecord, definePlugin, Predicate } from "../../connect/api/index.ts";
import { HUB_TRANSFORMS_VERSION, KAFKA_TRANSFORMS_PACKAGE } from "../util.ts";

export const RECORD_IS_TOMBSTONE_CONFIG = new ConfigDef();

export class RecordIsTombstone extends Predicate {
  override test(record: ConnectRecord): boolean {
    return record.value === null || record.value === undefined;
  }

  override config(): ConfigDef {
    return RECORD_IS_TOMBSTONE_CONFIG;
  }
}

export const recordIsTombstonePlugin = definePlugin({
  name: "RecordIsTombstone",
  kind: "predicate",
  version: HUB_TRANSFORMS_VERSION,
  aliases: [`${KAFKA_TRANSFORMS_PACKAGE}.predicates.RecordIsTombstone`],
  configDef: RECORD_IS_TOMBSTONE_CONFIG,
  doc: "A predicate which is true for records which are tombstones (i.e. have null value).",
  create: () => new RecordIsTombstone(),
});

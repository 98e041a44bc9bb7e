// The in-memory state rebuilt from `_schemas` records, applied in log order as Confluent's
// KafkaStoreMessageHandler does: versions and soft deletes, ids, identities, references,
// config and mode, and records it cannot read skipped.
import { describe, expect, it } from "vitest";
import type { RegistryLogRecord } from "../../../../registry/store/log.ts";
import {
  clearSubjectKey,
  configKey,
  deleteSubjectKey,
  encodeKey,
  encodeValue,
  modeKey,
  noopKey,
  type RegistryKey,
  type RegistryValue,
  type SchemaValue,
  schemaKey,
} from "../../../../registry/store/records.ts";
import { RegistryState, schemaIdentity } from "../../../../registry/store/state.ts";

let offset = 0;
const record = (key: RegistryKey, value: RegistryValue | null): RegistryLogRecord => ({ key: encodeKey(key), value: encodeValue(key, value), offset: offset++ });
const raw = (key: string, value: string | null): RegistryLogRecord => ({ key: Buffer.from(key), value: value === null ? null : Buffer.from(value), offset: offset++ });

const schema = (subject: string, version: number, id: number, text: string, extra: Partial<SchemaValue> = {}): RegistryLogRecord =>
  record(schemaKey(subject, version), {
    keytype: "SCHEMA",
    value: { subject, version, id, schemaType: "AVRO", references: [], metadata: null, ruleSet: null, schema: text, deleted: false, ...extra },
  });

function stateOf(...records: RegistryLogRecord[]): RegistryState {
  const state = new RegistryState();
  for (const r of records) state.apply(r);
  return state;
}

describe("RegistryState", () => {
  it("keeps versions per subject, ids across subjects, and the next id", () => {
    const state = stateOf(schema("a", 1, 1, '"int"'), schema("a", 2, 2, '"long"'), schema("b", 1, 1, '"int"'));
    expect(state.subjectNames("DEFAULT")).toEqual(["a", "b"]);
    expect(state.versions("a", "DEFAULT").map((v) => v.version)).toEqual([1, 2]);
    expect(state.latest("a")?.schema).toBe('"long"');
    expect(state.subjectVersionsOf(1)).toEqual([
      { subject: "a", version: 1 },
      { subject: "b", version: 1 },
    ]);
    expect(state.schemaById(1, "b")?.subject).toBe("b");
    expect(state.idOf(schemaIdentity("AVRO", '"int"', [], null, null))).toBe(1);
    expect(state.maxId()).toBe(2);
  });

  it("soft-deletes versions (a SCHEMA record with deleted=true, or DELETE_SUBJECT up to a version) and keeps their ids readable", () => {
    const state = stateOf(
      schema("a", 1, 1, '"int"'),
      schema("a", 2, 2, '"long"'),
      schema("a", 3, 3, '"float"'),
      schema("a", 1, 1, '"int"', { deleted: true }),
      record(deleteSubjectKey("a"), { keytype: "DELETE_SUBJECT", value: { subject: "a", version: 2 } }),
    );
    expect(state.versions("a", "DEFAULT").map((v) => v.version)).toEqual([3]);
    expect(state.versions("a", "DELETED_ONLY").map((v) => v.version)).toEqual([1, 2]);
    expect(state.schemaById(2)?.deleted).toBe(true);
    expect(state.subjectNames("DEFAULT")).toEqual(["a"]);
    const all = stateOf(schema("b", 1, 1, '"int"'), record(deleteSubjectKey("b"), { keytype: "DELETE_SUBJECT", value: { subject: "b", version: 1 } }));
    expect(all.subjectNames("DEFAULT")).toEqual([]);
    expect(all.subjectNames("DELETED_ONLY")).toEqual(["b"]);
    expect(all.hasSubject("b", true)).toBe(true);
    expect(all.hasSubject("b", false)).toBe(false);
  });

  it("forgets hard-deleted versions (tombstones), and their ids when no version carries them", () => {
    const state = stateOf(schema("a", 1, 1, '"int"'), schema("a", 2, 2, '"long"'), record(schemaKey("a", 1), null));
    expect(state.get("a", 1)).toBeUndefined();
    expect(state.schemaById(1)).toBeUndefined();
    expect(state.idOf(schemaIdentity("AVRO", '"int"', [], null, null))).toBeUndefined();
    // Ids are never reused while the highest stays in the log.
    expect(state.maxId()).toBe(2);
  });

  it("indexes references of live versions only", () => {
    const ref = { name: "Address", subject: "address", version: 1 };
    const state = stateOf(schema("address", 1, 1, "{}"), schema("person", 1, 2, "{}", { references: [ref] }), schema("company", 1, 3, "{}", { references: [ref] }));
    expect(state.referencedBy("address", 1)).toEqual([2, 3]);
    state.apply(schema("person", 1, 2, "{}", { references: [ref], deleted: true }));
    expect(state.referencedBy("address", 1)).toEqual([3]);
    state.apply(record(deleteSubjectKey("company"), { keytype: "DELETE_SUBJECT", value: { subject: "company", version: 1 } }));
    expect(state.referencedBy("address", 1)).toEqual([]);
  });

  it("sets and deletes config and mode, globally and per subject", () => {
    const state = stateOf(
      record(configKey(null), { keytype: "CONFIG", value: { compatibilityLevel: "FULL" } }),
      record(configKey("s"), { keytype: "CONFIG", value: { compatibilityLevel: "NONE" } }),
      record(modeKey(null), { keytype: "MODE", value: { mode: "READONLY" } }),
      record(modeKey("s"), { keytype: "MODE", value: { mode: "IMPORT" } }),
    );
    expect(state.config(null)?.compatibilityLevel).toBe("FULL");
    expect(state.config("s")?.compatibilityLevel).toBe("NONE");
    expect(state.mode(null)).toBe("READONLY");
    expect(state.mode("s")).toBe("IMPORT");
    state.apply(record(configKey("s"), null));
    state.apply(record(modeKey(null), null));
    expect(state.config("s")).toBeUndefined();
    expect(state.mode(null)).toBeUndefined();
    // The older global key spelling is the same setting.
    state.apply(raw('{"keytype":"CONFIG","subject":null,"magic":0}', '{"compatibilityLevel":"FORWARD"}'));
    expect(state.config(null)?.compatibilityLevel).toBe("FORWARD");
  });

  it("CLEAR_SUBJECT forgets the soft-deleted versions of a subject, or of all subjects", () => {
    const state = stateOf(
      schema("a", 1, 1, '"int"', { deleted: true }),
      schema("a", 2, 2, '"long"'),
      schema("b", 1, 3, '"float"', { deleted: true }),
      record(clearSubjectKey("a"), { keytype: "CLEAR_SUBJECT", value: { subject: "a" } }),
    );
    expect(state.versions("a", "INCLUDE_DELETED").map((v) => v.version)).toEqual([2]);
    expect(state.schemaById(1)).toBeUndefined();
    expect(state.hasSubject("b", true)).toBe(true);
    state.apply(record(clearSubjectKey(null), { keytype: "CLEAR_SUBJECT", value: { subject: null } }));
    expect(state.hasSubject("b", true)).toBe(false);
  });

  it("refuses a record that gives an id to a different schema, as Confluent's validateUpdate does", () => {
    const state = stateOf(schema("a", 1, 1, '"int"'), schema("b", 1, 1, '"long"'));
    expect(state.get("b", 1)).toBeUndefined();
    expect(state.skipped).toBe(1);
    // Overwriting a version (IMPORT) moves the id index to the new id.
    state.apply(schema("a", 1, 5, '"double"'));
    expect(state.schemaById(1)).toBeUndefined();
    expect(state.schemaById(5)?.subject).toBe("a");
  });

  it("skips records it cannot read and key types it does not know, and keeps going", () => {
    const state = stateOf(
      raw("garbage", "x"),
      raw('{"keytype":"CONTEXT","tenant":"default","context":".a","magic":0}', '{"tenant":"default","context":".a"}'),
      raw('{"keytype":"SCHEMA","subject":"a","version":1,"magic":1}', "{not json"),
      record(noopKey(), null),
      schema("a", 1, 1, '"int"'),
    );
    expect(state.skipped).toBe(3);
    expect(state.versions("a", "DEFAULT")).toHaveLength(1);
  });
});

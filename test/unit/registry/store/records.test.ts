// The `_schemas` record codec against Confluent's bytes: keys and values exactly as Confluent's
// KafkaStore writes them (Jackson over its key/value classes), and lenient reading of what
// older and newer Confluent versions write.
import { describe, expect, it } from "vitest";
import {
  clearSubjectKey,
  configKey,
  decodeKey,
  decodeValue,
  deleteSubjectKey,
  encodeKey,
  encodeValue,
  jacksonString,
  modeKey,
  noopKey,
  RecordFormatError,
  type RegistryKey,
  type RegistryValue,
  type SchemaValue,
  schemaKey,
} from "../../../../registry/store/records.ts";

const text = (b: Buffer | null): string | null => (b === null ? null : b.toString("utf8"));
const key = (s: string): RegistryKey => {
  const k = decodeKey(Buffer.from(s));
  if (k === null) throw new Error(`unknown key ${s}`);
  return k;
};

const avro: SchemaValue = {
  subject: "orders-value",
  version: 1,
  id: 1,
  schemaType: "AVRO",
  references: [],
  metadata: null,
  ruleSet: null,
  schema: '"string"',
  deleted: false,
};

describe("keys", () => {
  it("writes every key type in Confluent's property order, without null members", () => {
    expect(text(encodeKey(schemaKey("orders-value", 3)))).toBe('{"keytype":"SCHEMA","subject":"orders-value","version":3,"magic":1}');
    expect(text(encodeKey(configKey(null)))).toBe('{"keytype":"CONFIG","magic":0}');
    expect(text(encodeKey(configKey("orders-value")))).toBe('{"keytype":"CONFIG","subject":"orders-value","magic":0}');
    expect(text(encodeKey(modeKey(null)))).toBe('{"keytype":"MODE","magic":0}');
    expect(text(encodeKey(modeKey("s")))).toBe('{"keytype":"MODE","subject":"s","magic":0}');
    expect(text(encodeKey(deleteSubjectKey("s")))).toBe('{"keytype":"DELETE_SUBJECT","subject":"s","magic":0}');
    expect(text(encodeKey(clearSubjectKey("s")))).toBe('{"keytype":"CLEAR_SUBJECT","subject":"s","magic":0}');
    expect(text(encodeKey(clearSubjectKey(null)))).toBe('{"keytype":"CLEAR_SUBJECT","magic":0}');
    expect(text(encodeKey(noopKey()))).toBe('{"keytype":"NOOP","magic":0}');
  });

  it("reads the keys it writes", () => {
    for (const k of [schemaKey("a", 7), configKey(null), configKey("a"), modeKey(null), modeKey("b"), deleteSubjectKey("c"), clearSubjectKey(null), noopKey()]) {
      expect(decodeKey(encodeKey(k))).toEqual(k);
    }
  });

  it("reads older Confluent spellings: a null subject, magic 0 schema keys, members in another order", () => {
    expect(key('{"keytype":"CONFIG","subject":null,"magic":0}')).toEqual(configKey(null));
    expect(key('{"keytype":"MODE","subject":null,"magic":0}')).toEqual(modeKey(null));
    expect(key('{"magic":0,"subject":"s","version":2,"keytype":"SCHEMA"}')).toEqual({ keytype: "SCHEMA", subject: "s", version: 2, magic: 0 });
    expect(key('{"keytype":"SCHEMA","subject":"s","version":2,"magic":1,"tenant":"x"}')).toEqual(schemaKey("s", 2));
  });

  it("skips key types it does not know (newer Confluent's CONTEXT, ASSOCIATION...)", () => {
    expect(decodeKey(Buffer.from('{"keytype":"CONTEXT","tenant":"default","context":".ctx","magic":0}'))).toBeNull();
  });

  it("refuses keys that are not Confluent's", () => {
    expect(() => decodeKey(Buffer.from("not json"))).toThrow(RecordFormatError);
    expect(() => decodeKey(Buffer.from("[1]"))).toThrow(RecordFormatError);
    expect(() => decodeKey(Buffer.from('{"subject":"s"}'))).toThrow(/keytype/);
    expect(() => decodeKey(Buffer.from('{"keytype":"SCHEMA","subject":"s","version":1,"magic":2}'))).toThrow(/magic byte 2/);
    expect(() => decodeKey(Buffer.from('{"keytype":"SCHEMA","version":1,"magic":1}'))).toThrow(/subject/);
  });
});

describe("values", () => {
  const encode = (k: RegistryKey, v: RegistryValue | null): string | null => text(encodeValue(k, v));

  it("writes an Avro schema without schemaType and references, deleted always present", () => {
    expect(encode(schemaKey("orders-value", 1), { keytype: "SCHEMA", value: avro })).toBe(
      '{"subject":"orders-value","version":1,"id":1,"schema":"\\"string\\"","deleted":false}',
    );
    expect(encode(schemaKey("orders-value", 1), { keytype: "SCHEMA", value: { ...avro, deleted: true } })).toBe(
      '{"subject":"orders-value","version":1,"id":1,"schema":"\\"string\\"","deleted":true}',
    );
  });

  it("writes schemaType, references, metadata (sorted maps and sets) and rule set in Confluent's order", () => {
    const value: SchemaValue = {
      subject: "p",
      version: 2,
      id: 7,
      schemaType: "PROTOBUF",
      references: [{ name: "common.proto", subject: "common", version: 1 }],
      metadata: { tags: { "Order.id": ["PII", "ID"] }, properties: { owner: "team-a", a: "1" }, sensitive: ["s2", "s1"] },
      ruleSet: { domainRules: [{ name: "checkId", kind: "CONDITION", mode: "WRITE", type: "CEL", expr: "message.id > 0", disabled: false }] },
      schema: 'syntax = "proto3";\nmessage Order {\n  int64 id = 1;\n}\n',
      deleted: false,
    };
    expect(encode(schemaKey("p", 2), { keytype: "SCHEMA", value })).toBe(
      '{"subject":"p","version":2,"id":7,"schemaType":"PROTOBUF","references":[{"name":"common.proto","subject":"common","version":1}],' +
        '"metadata":{"tags":{"Order.id":["ID","PII"]},"properties":{"a":"1","owner":"team-a"},"sensitive":["s1","s2"]},' +
        '"ruleSet":{"domainRules":[{"name":"checkId","kind":"CONDITION","mode":"WRITE","type":"CEL","expr":"message.id > 0","disabled":false}]},' +
        '"schema":"syntax = \\"proto3\\";\\nmessage Order {\\n  int64 id = 1;\\n}\\n","deleted":false}',
    );
  });

  it("writes config, mode, delete-subject and clear-subject values", () => {
    expect(encode(configKey(null), { keytype: "CONFIG", value: { compatibilityLevel: "FULL" } })).toBe('{"compatibilityLevel":"FULL"}');
    expect(encode(configKey("s"), { keytype: "CONFIG", value: { compatibilityLevel: "NONE", normalize: true } })).toBe(
      '{"subject":"s","normalize":true,"compatibilityLevel":"NONE"}',
    );
    expect(encode(modeKey(null), { keytype: "MODE", value: { mode: "READONLY" } })).toBe('{"mode":"READONLY"}');
    expect(encode(modeKey("s"), { keytype: "MODE", value: { mode: "IMPORT" } })).toBe('{"subject":"s","mode":"IMPORT"}');
    expect(encode(deleteSubjectKey("s"), { keytype: "DELETE_SUBJECT", value: { subject: "s", version: 3 } })).toBe('{"subject":"s","version":3}');
    expect(encode(clearSubjectKey("s"), { keytype: "CLEAR_SUBJECT", value: { subject: "s" } })).toBe('{"subject":"s"}');
    expect(encode(configKey("s"), null)).toBeNull();
  });

  it("escapes strings as Jackson does (upper-case \\u escapes, no escaping of / or non-ASCII)", () => {
    expect(jacksonString("a\u0001b\u001fc\td/é\u2028")).toBe('"a\\u0001b\\u001Fc\\td/é\u2028"');
    expect(jacksonString("\\u001f")).toBe('"\\\\u001f"');
  });

  it("reads what Confluent writes, ignoring members it does not know", () => {
    const k = schemaKey("s", 1);
    const read = decodeValue(k, Buffer.from('{"subject":"s","version":1,"id":5,"md5":"abc=","schema":"\\"int\\"","deleted":false,"guid":"x"}'));
    expect(read).toEqual({ keytype: "SCHEMA", value: { ...avro, subject: "s", id: 5, schema: '"int"' } });
    // Before the deleted flag (magic 0): absent means live.
    expect(decodeValue(k, Buffer.from('{"subject":"s","version":1,"id":5,"schema":"\\"int\\""}'))).toMatchObject({ value: { deleted: false } });
    expect(decodeValue(configKey(null), Buffer.from('{"compatibilityLevel":"BACKWARD_TRANSITIVE","alias":null,"newer":{"x":1}}'))).toEqual({
      keytype: "CONFIG",
      value: { compatibilityLevel: "BACKWARD_TRANSITIVE" },
    });
    expect(decodeValue(modeKey("s"), Buffer.from('{"subject":"s","mode":"READWRITE"}'))).toEqual({ keytype: "MODE", value: { mode: "READWRITE" } });
    expect(decodeValue(deleteSubjectKey("s"), Buffer.from('{"subject":"s","version":4}'))).toEqual({ keytype: "DELETE_SUBJECT", value: { subject: "s", version: 4 } });
    expect(decodeValue(clearSubjectKey(null), Buffer.from("{}"))).toEqual({ keytype: "CLEAR_SUBJECT", value: { subject: null } });
    expect(decodeValue(noopKey(), null)).toBeNull();
    expect(decodeValue(k, null)).toBeNull();
  });

  it("round-trips every value", () => {
    const cases: Array<[RegistryKey, RegistryValue]> = [
      [schemaKey("s", 2), { keytype: "SCHEMA", value: { ...avro, subject: "s", version: 2, metadata: { properties: { k: "v" } } } }],
      [configKey("s"), { keytype: "CONFIG", value: { compatibilityLevel: "FORWARD", alias: "t", defaultMetadata: { sensitive: ["a"] } } }],
      [modeKey(null), { keytype: "MODE", value: { mode: "READONLY_OVERRIDE" } }],
    ];
    for (const [k, v] of cases) expect(decodeValue(k, encodeValue(k, v))).toEqual(v);
  });

  it("refuses values that are not Confluent's", () => {
    expect(() => decodeValue(schemaKey("s", 1), Buffer.from("{"))).toThrow(RecordFormatError);
    expect(() => decodeValue(schemaKey("s", 1), Buffer.from('{"subject":"s","version":1,"id":1,"schema":"x","schemaType":"XML"}'))).toThrow(/schemaType/);
    expect(() => decodeValue(configKey(null), Buffer.from('{"compatibilityLevel":"SIDEWAYS"}'))).toThrow(/compatibilityLevel/);
    expect(() => decodeValue(modeKey(null), Buffer.from('{"mode":"WRITEONLY"}'))).toThrow(/mode/);
  });
});

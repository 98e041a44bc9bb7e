import { describe, expect, it } from "vitest";
import { protobufFormat } from "../../../../../registry/formats/protobuf/index.ts";
import { differences, javaHashSetOrder } from "../../../../../registry/formats/protobuf/compatibility.ts";
import { linkSchema } from "../../../../../registry/formats/protobuf/link.ts";
import type { SchemaReference } from "../../../../../registry/formats/types.ts";

const P3 = 'syntax = "proto3";\n';
const P2 = 'syntax = "proto2";\n';

/** Confluent's list of differences, "TYPE #/path", between the writer's (old) and the reader's (new) schema. */
function diff(writer: string, reader: string, deps: { writer?: Record<string, string>; reader?: Record<string, string>; writerRefs?: SchemaReference[]; readerRefs?: SchemaReference[] } = {}): string[] {
  const side = (text: string, files: Record<string, string> = {}, references: SchemaReference[] = []) => ({
    linked: linkSchema(text, new Map(Object.entries(files))),
    references,
  });
  return differences(side(writer, deps.writer, deps.writerRefs), side(reader, deps.reader, deps.readerRefs)).map((d) => `${d.type} ${d.fullPath}`);
}

/** BACKWARD: can the new schema read what the old one wrote? */
function backward(oldText: string, newText: string): string[] {
  const parse = (text: string) => protobufFormat.parse(text, [], new Map());
  return protobufFormat.incompatibilities(parse(newText), parse(oldText));
}

const message = (body: string, extra = "") => `${P3}package shop;\nmessage Order {\n${body}\n}\n${extra}`;

describe("PROTOBUF compatibility: compatible changes (reported, not incompatible)", () => {
  it("adding, removing and renaming fields", () => {
    expect(diff(message("string id = 1;"), message("string id = 1;\nint32 count = 2;"))).toEqual(["FIELD_ADDED #/Order/2"]);
    expect(diff(message("string id = 1;\nint32 count = 2;"), message("string id = 1;"))).toEqual(["FIELD_REMOVED #/Order/2"]);
    expect(diff(message("string id = 1;"), message("string key = 1;"))).toEqual(["FIELD_NAME_CHANGED #/Order/1"]);
    expect(backward(message("string id = 1;\nint32 count = 2;"), message("string key = 1;\nbool new_flag = 3;"))).toEqual([]);
  });

  it("adding and moving messages, adding and removing enums and enum values, changing the package", () => {
    expect(diff(message("string id = 1;"), `${P3}package shop;\nmessage Line {}\nmessage Order { string id = 1; }`)).toEqual([
      // "Order" and "Line" share Java's hash bucket 0: the old schema's name comes first
      "MESSAGE_MOVED #/Order",
      "MESSAGE_ADDED #/Line",
    ]);
    expect(diff(message("string id = 1;", "enum E { A = 0; B = 1; }"), message("string id = 1;", "enum E { A = 0; C = 2; }\nenum F { X = 0; }"))).toEqual([
      "ENUM_CONST_REMOVED #/E/1",
      "ENUM_CONST_ADDED #/E/2",
      "ENUM_ADDED #/F",
    ]);
    expect(diff(message("string id = 1;", "enum E { A = 0; B = 1; }"), message("string id = 1;", "enum E { A = 0; BEE = 1; }"))).toEqual(["ENUM_CONST_CHANGED #/E/1"]);
    expect(diff(message("string id = 1;", "enum E { A = 0; }"), message("string id = 1;"))).toEqual(["ENUM_REMOVED #/E"]);
    expect(diff(`${P3}package a;\nmessage M { string s = 1; }`, `${P3}package b;\nmessage M { string s = 1; }`)).toEqual(["PACKAGE_CHANGED #/"]);
    expect(backward(`${P3}package a;\nmessage M { string s = 1; }`, `${P3}package b;\nmessage M { string s = 1; }`)).toEqual([]);
  });

  it("wire-compatible scalar changes: int32/int64/uint32/uint64/bool/enum, sint32/sint64, fixed32/sfixed32, fixed64/sfixed64, string/bytes", () => {
    const groups = [
      ["int32", "int64", "uint32", "uint64", "bool", "E"],
      ["sint32", "sint64"],
      ["fixed32", "sfixed32"],
      ["fixed64", "sfixed64"],
      ["string", "bytes"],
    ];
    for (const group of groups) {
      for (const from of group) {
        for (const to of group) {
          expect(backward(message(`${from} v = 1;`, "enum E { A = 0; }"), message(`${to} v = 1;`, "enum E { A = 0; }")), `${from} -> ${to}`).toEqual([]);
        }
      }
    }
  });

  it("oneofs appearing and disappearing, a single field moving into a new oneof, oneof members added", () => {
    expect(diff(message("string a = 1;\nstring b = 2;"), message("string a = 1;\noneof o { string b = 2; int32 c = 3; }"))).toEqual(["ONEOF_ADDED #/Order/o"]);
    expect(diff(message("oneof o { string a = 1; }"), message("string a = 1;"))).toEqual(["ONEOF_REMOVED #/Order/o", "FIELD_ADDED #/Order/1"]);
    expect(diff(message("oneof o { string a = 1; }"), message("oneof o { string a = 1; int32 b = 2; }"))).toEqual(["ONEOF_FIELD_ADDED #/Order/o/2"]);
  });

  it("string and bytes changing labels, message fields changing labels, qualified and unqualified names of one type", () => {
    expect(diff(message("optional string s = 1;"), message("repeated string s = 1;"))).toEqual(["FIELD_STRING_OR_BYTES_LABEL_CHANGED #/Order/1"]);
    expect(diff(message("optional Line l = 1;\nmessage Line {}"), message("repeated Line l = 1;\nmessage Line {}"))).toEqual([]);
    expect(diff(message("Line l = 1;\nmessage Line {}"), message(".shop.Order.Line l = 1;\nmessage Line {}"))).toEqual([]);
    // proto3 singular fields have no written label: Confluent compares labels only when both sides write one
    expect(diff(message("int32 n = 1;"), message("repeated int32 n = 1;"))).toEqual([]);
  });
});

describe("PROTOBUF compatibility: incompatible changes", () => {
  it("a removed message: MESSAGE_REMOVED, worded for the roles", () => {
    const oldText = `${P3}message Keep {}\nmessage Gone {}`;
    const newText = `${P3}message Keep {}`;
    expect(backward(oldText, newText)).toEqual([
      `{errorType:"MESSAGE_REMOVED", description:"The new schema is missing a MESSAGE type at path '#/Gone' in the old schema"}`,
    ]);
    // FORWARD: the old schema reads what the new one writes; the new one has the extra message
    const parse = (text: string) => protobufFormat.parse(text, [], new Map());
    expect(protobufFormat.incompatibilities(parse(oldText), parse(newText), { reader: "old", writer: "new" })).toEqual([]);
    expect(protobufFormat.incompatibilities(parse(newText), parse(oldText), { reader: "old", writer: "new" })).toEqual([
      `{errorType:"MESSAGE_REMOVED", description:"The old schema is missing a MESSAGE type at path '#/Gone' in the new schema"}`,
    ]);
  });

  it("a field changing kind between scalar, message and map: FIELD_KIND_CHANGED", () => {
    expect(backward(message("int32 v = 1;", "message V {}"), message("V v = 1;", "message V {}"))).toEqual([
      `{errorType:"FIELD_KIND_CHANGED", description:"The type of a field at path '#/Order/1' in the new schema does not match the old schema"}`,
    ]);
    expect(diff(message("map<string, int32> v = 1;"), message("repeated int32 v = 1;"))).toEqual(["FIELD_KIND_CHANGED #/Order/1"]);
  });

  it("a scalar changing to a kind that is not wire-compatible: FIELD_SCALAR_KIND_CHANGED", () => {
    for (const [from, to] of [["int32", "sint32"], ["int64", "fixed64"], ["fixed32", "fixed64"], ["float", "double"], ["string", "int32"], ["bool", "sint64"], ["E", "string"]]) {
      expect(backward(message(`${from} v = 1;`, "enum E { A = 0; }"), message(`${to} v = 1;`, "enum E { A = 0; }")), `${from} -> ${to}`).toEqual([
        `{errorType:"FIELD_SCALAR_KIND_CHANGED", description:"The kind of a SCALAR field at path '#/Order/1' in the new schema does not match its kind in the old schema"}`,
      ]);
    }
    expect(diff(message("map<string, int32> v = 1;"), message("map<string, string> v = 1;"))).toEqual(["FIELD_SCALAR_KIND_CHANGED #/Order/1"]);
  });

  it("a message field changing to another message type: FIELD_NAMED_TYPE_CHANGED", () => {
    expect(diff(message("A v = 1;", "message A {}\nmessage B {}"), message("B v = 1;", "message A {}\nmessage B {}"))).toEqual(["FIELD_NAMED_TYPE_CHANGED #/Order/1"]);
    expect(backward(message("A v = 1;", "message A {}\nmessage B {}"), message("B v = 1;", "message A {}\nmessage B {}"))).toEqual([
      `{errorType:"FIELD_NAMED_TYPE_CHANGED", description:"The type of a MESSAGE field at path '#/Order/1' in the new schema does not match its type in the old schema"}`,
    ]);
  });

  it("a referenced message changing incompatibly between reference versions: its differences, then FIELD_NAMED_TYPE_CHANGED", () => {
    const dep = (type: string) => `${P3}package common;\nmessage Money { ${type} units = 1; }`;
    const text = `${P3}package shop;\nimport "money.proto";\nmessage Order { common.Money total = 1; }`;
    const refs = (version: number): SchemaReference[] => [{ name: "money.proto", subject: "money", version }];
    expect(diff(text, text, { writer: { "money.proto": dep("int64") }, reader: { "money.proto": dep("string") }, writerRefs: refs(1), readerRefs: refs(2) })).toEqual([
      "FIELD_SCALAR_KIND_CHANGED #/Money/1",
      "FIELD_NAMED_TYPE_CHANGED #/Order/1",
    ]);
    // one subject-version on both sides is one schema: not compared again
    expect(diff(text, text, { writer: { "money.proto": dep("int64") }, reader: { "money.proto": dep("string") }, writerRefs: refs(1), readerRefs: refs(1) })).toEqual([]);
  });

  it("a numeric field changing its written label: FIELD_NUMERIC_LABEL_CHANGED", () => {
    expect(backward(`${P2}message M { optional int32 n = 1; }`, `${P2}message M { repeated int32 n = 1; }`)).toEqual([
      `{errorType:"FIELD_NUMERIC_LABEL_CHANGED", description:"The label for a NUMERIC field at path '#/M/1' in the new schema does not match its label in the old schema"}`,
    ]);
    expect(diff(message("optional double n = 1;"), message("repeated double n = 1;"))).toEqual(["FIELD_NUMERIC_LABEL_CHANGED #/Order/1"]);
  });

  it("required fields added or removed: REQUIRED_FIELD_ADDED, REQUIRED_FIELD_REMOVED", () => {
    expect(backward(`${P2}message M { optional int32 a = 1; }`, `${P2}message M { optional int32 a = 1; required int32 b = 2; }`)).toEqual([
      `{errorType:"REQUIRED_FIELD_ADDED", description:"A required field  at path '#/M/2' in the new schema is missing in the old schema"}`,
    ]);
    expect(backward(`${P2}message M { required int32 a = 1; }`, `${P2}message M {}`)).toEqual([
      `{errorType:"REQUIRED_FIELD_REMOVED", description:"The new schema is missing a required field at path: '#/M/1' in the old schema"}`,
    ]);
  });

  it("a oneof member removed: ONEOF_FIELD_REMOVED", () => {
    expect(backward(message("oneof pay { string card = 1; string iban = 2; }"), message("oneof pay { string card = 1; }"))).toEqual([
      `{errorType:"ONEOF_FIELD_REMOVED", description:"The new schema is missing a oneof field at path '#/Order/pay/2' in the old schema"}`,
    ]);
  });

  it("several existing fields moved into one oneof: MULTIPLE_FIELDS_MOVED_TO_ONEOF", () => {
    expect(diff(message("string a = 1;\nstring b = 2;"), message("oneof o { string a = 1; string b = 2; }"))).toEqual([
      "MULTIPLE_FIELDS_MOVED_TO_ONEOF #/Order/o",
      "ONEOF_ADDED #/Order/o",
    ]);
    expect(backward(message("string a = 1;\nstring b = 2;"), message("oneof o { string a = 1; string b = 2; }"))).toEqual([
      `{errorType:"MULTIPLE_FIELDS_MOVED_TO_ONEOF", description:"Multiple fields in the oneof at path '#/Order/o' in the new schema are outside a oneof in the old schema"}`,
    ]);
  });

  it("a field moved into a oneof that already had members: FIELD_MOVED_TO_EXISTING_ONEOF", () => {
    expect(backward(message("string a = 1;\noneof o { string b = 2; }"), message("oneof o { string a = 1; string b = 2; }"))).toEqual([
      `{errorType:"FIELD_MOVED_TO_EXISTING_ONEOF", description:"A field in the oneof at path '#/Order/o' in the new schema is outside an existing oneof in the old schema"}`,
    ]);
  });

  it("compares nested messages at their own paths, and lists several differences in Confluent's order", () => {
    const oldText = message("int32 a = 1;\nstring b = 2;\nInner i = 3;\nmessage Inner { int32 x = 1; int64 y = 2; }");
    const newText = message("string a = 1;\nbytes b = 2;\nInner i = 3;\nmessage Inner { double x = 1; }");
    expect(diff(oldText, newText)).toEqual([
      "FIELD_SCALAR_KIND_CHANGED #/Order/1",
      "FIELD_SCALAR_KIND_CHANGED #/Order/Inner/1",
      "FIELD_REMOVED #/Order/Inner/2",
    ]);
  });
});

describe("javaHashSetOrder", () => {
  it("iterates as Java's HashSet does: by hash bucket, then insertion", () => {
    // Integer keys hash to themselves: with 16 buckets 17 lands next to 1
    expect(javaHashSetOrder([3, 17, 1], [2])).toEqual([17, 1, 2, 3]);
    // 12 keys from the first map size the table at 32 buckets: 40 and 8 share bucket 8, in insertion order
    expect(javaHashSetOrder([20, 40, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [11])).toEqual([1, 2, 3, 4, 5, 6, 7, 40, 8, 9, 10, 11, 20]);
    // String keys use Java's String.hashCode: "TestMessage2" comes before "TestMessage"
    expect(javaHashSetOrder(["TestMessage"], ["TestMessage2"])).toEqual(["TestMessage2", "TestMessage"]);
  });
});

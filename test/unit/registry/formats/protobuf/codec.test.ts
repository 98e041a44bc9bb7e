import { describe, expect, it } from "vitest";
import { protobufFormat } from "../../../../../registry/formats/protobuf/index.ts";

const parse = (text: string, resolved: Record<string, string> = {}) => protobufFormat.parse(text, [], new Map(Object.entries(resolved)));
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const fromHex = (text: string) => new Uint8Array(Buffer.from(text.replace(/\s/g, ""), "hex"));

describe("PROTOBUF message indexes (Confluent's wire-format message path)", () => {
  const schema = parse(`syntax = "proto3";
package idx;
enum First { F = 0; }
message A {
  message A1 {}
  enum E { X = 0; }
  message A2 { message Deep {} }
}
message B { map<string, string> m = 1; message B1 {} }
`);

  it("gives the path of declaration indexes of a message, counting messages only", () => {
    expect(schema.messageIndexes("idx.A")).toEqual([0]);
    expect(schema.messageIndexes("idx.A.A1")).toEqual([0, 0]);
    expect(schema.messageIndexes("idx.A.A2")).toEqual([0, 1]);
    expect(schema.messageIndexes("idx.A.A2.Deep")).toEqual([0, 1, 0]);
    // the entry message protoc makes for map<..> is not a declaration: B1 stays at index 0
    expect(schema.messageIndexes("idx.B.B1")).toEqual([1, 0]);
    expect(schema.messageIndexes(".idx.B")).toEqual([1]);
    expect(schema.messageIndexes("B.B1")).toEqual([1, 0]);
  });

  it("finds the message at a path of indexes, the empty path meaning the first message", () => {
    expect(schema.messageAt([]).fullName).toBe("idx.A");
    expect(schema.messageAt([0]).fullName).toBe("idx.A");
    expect(schema.messageAt([0, 1, 0]).fullName).toBe("idx.A.A2.Deep");
    expect(schema.messageAt([1, 0]).fullName).toBe("idx.B.B1");
    for (const message of schema.messages) expect(schema.messageAt(message.indexes!).fullName).toBe(message.fullName);
  });

  it("lists every message of the file depth-first, and fails on unknown names and paths", () => {
    expect(schema.messages.map((m) => m.fullName)).toEqual(["idx.A", "idx.A.A1", "idx.A.A2", "idx.A.A2.Deep", "idx.B", "idx.B.B1"]);
    expect(() => schema.messageIndexes("idx.Nope")).toThrow("The schema declares no message 'idx.Nope'");
    expect(() => schema.messageIndexes("idx.First")).toThrow("declares no message");
    expect(() => schema.messageAt([2])).toThrow("Invalid message indexes: [2]");
    expect(() => schema.messageAt([0, 5])).toThrow("Invalid message indexes: [0, 5]");
  });
});

describe("PROTOBUF encode and decode", () => {
  it("writes the bytes the protobuf encoding specifies", () => {
    const schema = parse(`syntax = "proto3";
message T { int32 a = 1; string b = 2; sint32 c = 3; repeated int32 d = 4; uint64 e = 5; int64 f = 6; }`);
    expect(hex(schema.encode("T", { a: 150 }))).toBe("089601");
    expect(hex(schema.encode("T", { b: "testing" }))).toBe("120774657374696e67");
    expect(hex(schema.encode("T", { c: -1 }))).toBe("1801");
    expect(hex(schema.encode("T", { d: [3, 270, 86942] }))).toBe("2206038e029ea705");
    expect(hex(schema.encode("T", { e: 18446744073709551615n }))).toBe("28ffffffffffffffffff01");
    expect(hex(schema.encode("T", { f: -1 }))).toBe("30ffffffffffffffffff01");
    expect(schema.decode("T", fromHex("089601 120774657374696e67"))).toEqual({ a: 150, b: "testing", c: 0, d: [], e: 0n, f: 0n });
  });

  it("round-trips every proto3 field kind: scalars, 64-bit as bigint, bytes, enums, maps, oneofs, nested and imported messages", () => {
    const schema = parse(`syntax = "proto3";
package rt;
import "google/protobuf/timestamp.proto";
message All {
  double d = 1; float f = 2; int32 i32 = 3; int64 i64 = 4; uint32 u32 = 5; uint64 u64 = 6;
  sint32 s32 = 7; sint64 s64 = 8; fixed32 x32 = 9; fixed64 x64 = 10; sfixed32 sx32 = 11; sfixed64 sx64 = 12;
  bool b = 13; string s = 14; bytes raw = 15;
  Color color = 16;
  map<string, Inner> by_name = 17;
  map<int64, string> by_id = 18;
  repeated Inner inners = 19;
  oneof choice { string text = 20; Inner inner = 21; }
  optional int32 maybe = 22;
  google.protobuf.Timestamp at = 23;
  message Inner { string name = 1; repeated Color colors = 2; }
  enum Color { RED = 0; GREEN = 1; }
}`);
    const value = {
      d: 1.5, f: 0.25, i32: -7, i64: -9007199254740993n, u32: 4294967295, u64: 18446744073709551615n,
      s32: -2147483648, s64: -9223372036854775808n, x32: 4294967295, x64: 9007199254740993n, sx32: -1, sx64: -5n,
      b: true, s: "héllo ✓", raw: new Uint8Array([0, 1, 255]),
      color: "GREEN",
      by_name: { a: { name: "A", colors: ["RED", "GREEN"] } },
      by_id: { "12345678901234": "big" },
      inners: [{ name: "x", colors: [] }, { name: "y", colors: ["GREEN"] }],
      inner: { name: "chosen", colors: [] },
      maybe: 0,
      at: { seconds: 1700000000n, nanos: 5 },
    };
    const bytes = schema.encode("rt.All", value);
    expect(schema.decode("rt.All", bytes)).toEqual(value);
  });

  it("decodes unset fields as Java's DynamicMessage reads them: scalar defaults, no unset messages, oneof members or proto3 optionals", () => {
    const schema = parse(`syntax = "proto3";
message M { string s = 1; int64 n = 2; E e = 3; Sub sub = 4; optional string o = 5; oneof c { string x = 6; } repeated int32 r = 7; map<string, int32> m = 8; bytes b = 9;
  message Sub { int32 v = 1; } enum E { ZERO = 0; ONE = 1; } }`);
    expect(schema.decode("M", new Uint8Array())).toEqual({ s: "", n: 0n, e: "ZERO", r: [], m: {}, b: new Uint8Array() });
    // an enum number the schema does not know stays a number
    expect(schema.decode("M", fromHex("1807")).e).toBe(7);
    expect(schema.decode("M", schema.encode("M", { e: 7 })).e).toBe(7);
  });

  it("handles proto2: required fields, declared defaults, groups, packed and unpacked repeated fields", () => {
    const schema = parse(`syntax = "proto2";
message P {
  required int32 id = 1;
  optional string name = 2 [default = "anon"];
  optional group Extra = 3 { optional int32 y = 4; }
  repeated int32 plain = 5;
  repeated int32 packed = 6 [packed = true];
}`);
    const bytes = schema.encode("P", { id: 1, extra: { y: 7 }, plain: [1, 2], packed: [3, 4] });
    expect(hex(bytes)).toBe("0801" + "1b2007" + "1c" + "28012802" + "32020304");
    expect(schema.decode("P", bytes)).toEqual({ id: 1, name: "anon", extra: { y: 7 }, plain: [1, 2], packed: [3, 4] });
    expect(() => schema.decode("P", fromHex("1203616263"))).toThrow(/Invalid protobuf bytes for message 'P': .*missing required 'id'/);
  });

  it("refuses values that do not fit the schema, naming where", () => {
    const schema = parse(`syntax = "proto3";
package v;
message M { int32 i = 1; uint32 u = 2; string s = 3; E e = 4; repeated int32 r = 5; Sub sub = 6; oneof o { string a = 7; string b = 8; } map<int32, string> m = 9; bytes raw = 10;
  message Sub { bool flag = 1; } enum E { A = 0; } }`);
    expect(() => schema.encode("v.M", { nope: 1 })).toThrow("v.M: message 'v.M' has no field 'nope'");
    expect(() => schema.encode("v.M", { i: "1" })).toThrow("v.M.i: expected an integer (int32), got string 1");
    expect(() => schema.encode("v.M", { i: 2 ** 31 })).toThrow("v.M.i: 2147483648 is out of range for int32");
    expect(() => schema.encode("v.M", { u: -1 })).toThrow("out of range for uint32");
    expect(() => schema.encode("v.M", { s: 5 })).toThrow("v.M.s: expected a string, got number 5");
    expect(() => schema.encode("v.M", { e: "B" })).toThrow("v.M.e: 'B' is not a value of enum 'v.M.E'");
    expect(() => schema.encode("v.M", { r: 1 })).toThrow("v.M.r: expected an array for a repeated field, got number 1");
    expect(() => schema.encode("v.M", { sub: { flag: "yes" } })).toThrow("v.M.sub.flag: expected a boolean, got string yes");
    expect(() => schema.encode("v.M", { a: "x", b: "y" })).toThrow("fields 'a' and 'b' are both set, but belong to one oneof 'o'");
    expect(() => schema.encode("v.M", { m: { x: "y" } })).toThrow("v.M.m[x]: expected an integer (int32)");
    expect(() => schema.encode("v.M", { raw: "AAEC" })).toThrow("v.M.raw: expected bytes (a Uint8Array), got string AAEC");
    expect(() => schema.encode("v.Nope", {})).toThrow("The schema has no message 'v.Nope'");
  });

  it("refuses bytes that are not a message of the type", () => {
    const schema = parse('syntax = "proto3"; message M { string s = 1; }');
    expect(() => schema.decode("M", fromHex("0a05616263"))).toThrow(/^Invalid protobuf bytes for message 'M': /);
    expect(() => schema.decode("M", fromHex("0f"))).toThrow(/^Invalid protobuf bytes for message 'M': /);
  });

  it("encodes messages of imported files by their full names", () => {
    const schema = parse('syntax = "proto3"; package p; import "dep.proto"; message M { d.D d = 1; }', {
      "dep.proto": 'syntax = "proto3"; package d; message D { int32 x = 1; }',
    });
    expect(schema.decode("d.D", schema.encode("d.D", { x: 3 }))).toEqual({ x: 3 });
    expect(schema.decode("p.M", schema.encode("p.M", { d: { x: 4 } }))).toEqual({ d: { x: 4 } });
  });
});

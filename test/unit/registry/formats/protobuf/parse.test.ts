import { describe, expect, it } from "vitest";
import { protobufFormat } from "../../../../../registry/formats/protobuf/index.ts";
import { InvalidSchemaError } from "../../../../../registry/formats/types.ts";
import type { SchemaReference } from "../../../../../registry/formats/types.ts";

const parse = (text: string, resolved: Record<string, string> = {}, references: SchemaReference[] = []) =>
  protobufFormat.parse(text, references, new Map(Object.entries(resolved)));

function invalid(text: string, resolved: Record<string, string> = {}): string {
  try {
    parse(text, resolved);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidSchemaError);
    return (error as Error).message;
  }
  throw new Error("the schema was accepted");
}

describe("PROTOBUF parse: valid schemas", () => {
  it("reads a proto3 file: package, nested types, maps, oneofs, optional, enums", () => {
    const schema = parse(`syntax = "proto3";
package shop.v1;
message Order {
  string id = 1;
  repeated Line lines = 2;
  map<string, int64> totals = 3;
  oneof payment { string card = 4; string iban = 5; }
  optional string note = 6;
  Status status = 7;
  message Line { string sku = 1; uint32 quantity = 2; }
}
enum Status { STATUS_UNKNOWN = 0; PAID = 1; }
`);
    expect(schema.schemaType).toBe("PROTOBUF");
    expect(schema.name).toBe("shop.v1.Order");
    expect(schema.file.syntax).toBe("proto3");
    expect(schema.file.packageName).toBe("shop.v1");
    const order = schema.findMessage("shop.v1.Order")!;
    expect(order.fields.map((f) => [f.name, f.number, f.label, f.oneof, f.proto3Optional])).toEqual([
      ["id", 1, "optional", null, false],
      ["lines", 2, "repeated", null, false],
      ["totals", 3, "repeated", null, false],
      ["card", 4, "optional", "payment", false],
      ["iban", 5, "optional", "payment", false],
      ["note", 6, "optional", null, true],
      ["status", 7, "optional", null, false],
    ]);
    expect(order.fields[1]!.type).toEqual({ kind: "message", fullName: "shop.v1.Order.Line" });
    expect(order.fields[2]!.type).toEqual({ kind: "map", key: "string", value: { kind: "scalar", scalar: "int64" } });
    expect(order.fields[6]!.type).toEqual({ kind: "enum", fullName: "shop.v1.Status" });
    expect(order.oneofs).toEqual([{ name: "payment", fields: ["card", "iban"] }]);
    expect(schema.file.enums[0]!.values).toEqual([{ name: "STATUS_UNKNOWN", number: 0 }, { name: "PAID", number: 1 }]);
  });

  it("reads a proto2 file: labels, defaults, groups, extensions, json names and options", () => {
    const schema = parse(`syntax = "proto2";
package legacy;
message Person {
  required string name = 1;
  optional int32 age = 2 [default = 18];
  optional Kind kind = 3 [default = ADULT];
  repeated int32 scores = 4 [packed = true];
  optional group Address = 5 { optional string city = 6; }
  optional string nick_name = 7 [json_name = "nick"];
  extensions 100 to max;
  enum Kind { CHILD = 1; ADULT = 2; }
}
extend Person { optional string extra = 100; }
`);
    const person = schema.findMessage("legacy.Person")!;
    expect(person.fields.map((f) => [f.name, f.label, f.defaultValue, f.jsonName])).toEqual([
      ["name", "required", null, "name"],
      ["age", "optional", 18, "age"],
      ["kind", "optional", "ADULT", "kind"],
      ["scores", "repeated", null, "scores"],
      ["address", "optional", null, "address"],
      ["nick_name", "optional", null, "nick"],
    ]);
    expect(person.fields[3]!.options).toEqual({ packed: true });
    expect(person.fields[4]!.type).toEqual({ kind: "group", fullName: "legacy.Person.Address" });
    expect(schema.findMessage("legacy.Person.Address")!.fields.map((f) => f.name)).toEqual(["city"]);
  });

  it("treats a file without syntax as proto2", () => {
    const schema = parse("message M { optional int32 x = 1; }");
    expect(schema.file.syntax).toBe("proto2");
    expect(schema.name).toBe("M");
  });

  it("names the schema after its first message, else its first enum, else nothing", () => {
    expect(parse('syntax = "proto3"; package p; enum E { A = 0; } message M {}').name).toBe("p.M");
    expect(parse('syntax = "proto3"; package p; enum E { A = 0; }').name).toBe("p.E");
    expect(parse('syntax = "proto3"; package p;').name).toBeNull();
  });

  it("resolves imports from references, by import path, transitively and through public imports", () => {
    const money = 'syntax = "proto3"; package common; message Money { string currency = 1; int64 units = 2; }';
    const address = 'syntax = "proto3"; package common; import public "money.proto"; message Address { string city = 1; }';
    const references = [{ name: "common/address.proto", subject: "address", version: 3 }];
    const schema = protobufFormat.parse(`syntax = "proto3";
package shop;
import "common/address.proto";
message Customer { common.Address home = 1; common.Money balance = 2; }
`, references, new Map([["money.proto", money], ["common/address.proto", address]]));
    expect(schema.references).toEqual(references);
    expect([...schema.dependencies.keys()]).toEqual(["money.proto", "common/address.proto"]);
    expect(schema.findMessage("shop.Customer")!.fields.map((f) => f.type)).toEqual([
      { kind: "message", fullName: "common.Address" },
      { kind: "message", fullName: "common.Money" },
    ]);
    expect(schema.findMessage("common.Money")!.fields.map((f) => f.name)).toEqual(["currency", "units"]);
  });

  it("resolves the well-known, google/type and Confluent types without references", () => {
    const schema = parse(`syntax = "proto3";
package p;
import "google/protobuf/timestamp.proto";
import "google/protobuf/struct.proto";
import "google/protobuf/wrappers.proto";
import "google/protobuf/any.proto";
import "google/protobuf/descriptor.proto";
import "google/type/date.proto";
import "google/type/money.proto";
import "confluent/meta.proto";
import "confluent/type/decimal.proto";
message M {
  google.protobuf.Timestamp at = 1;
  google.protobuf.Struct attributes = 2;
  google.protobuf.StringValue maybe = 3;
  google.protobuf.Any any = 4;
  google.type.Date day = 5;
  google.type.Money price = 6;
  confluent.type.Decimal amount = 7 [(confluent.field_meta) = { params: [{ key: "precision", value: "10" }] }];
}
extend google.protobuf.FieldOptions { string label = 50001; }
`);
    expect(schema.findMessage("google.protobuf.Timestamp")!.fields.map((f) => [f.name, f.type])).toEqual([
      ["seconds", { kind: "scalar", scalar: "int64" }],
      ["nanos", { kind: "scalar", scalar: "int32" }],
    ]);
    expect(schema.findMessage("google.protobuf.Value")!.oneofs[0]!.fields).toContain("struct_value");
    expect(schema.findMessage("confluent.type.Decimal")!.fields.map((f) => f.name)).toEqual(["value", "precision", "scale"]);
    expect(schema.findMessage("p.M")!.fields[6]!.options).toEqual({
      "(confluent.field_meta)": { params: [{ key: "precision", value: "10" }] },
    });
    expect(schema.dependencies.has("google/protobuf/descriptor.proto")).toBe(true);
  });

  it("resolves names from the innermost scope outwards, as protoc does", () => {
    const schema = parse(`syntax = "proto3";
package a.b;
message Thing { string x = 1; }
message Outer {
  message Thing { int32 y = 1; }
  Thing inner = 1;
  .a.b.Thing outer = 2;
  b.Thing partly = 3;
}
`);
    expect(schema.findMessage("a.b.Outer")!.fields.map((f) => f.type)).toEqual([
      { kind: "message", fullName: "a.b.Outer.Thing" },
      { kind: "message", fullName: "a.b.Thing" },
      { kind: "message", fullName: "a.b.Thing" },
    ]);
  });

  it("reads comments, string escapes, hex and octal numbers, and empty statements", () => {
    const schema = parse(`/* header */ syntax = "proto2"; // trailing
message M {
  optional string s = 0x1 [default = "tab\\there \\x41\\101 \\u00e9"];;
  optional int32 n = 010;
};`);
    const message = schema.findMessage("M")!;
    expect(message.fields.map((f) => f.number)).toEqual([1, 8]);
    expect(message.fields[0]!.defaultValue).toBe("tab\there AA é");
  });
});

describe("PROTOBUF parse: invalid schemas", () => {
  it("reports syntax errors with their line and column", () => {
    expect(invalid('syntax = "proto3";\nmessage M {\n  int32 x = ;\n}')).toBe(
      "Syntax error at line 3, column 13: expected a field number but was ';'",
    );
    expect(invalid("message M {\n  int32 x = 1;\n}")).toBe("Syntax error at line 2, column 3: unexpected label: int32");
    expect(invalid('syntax = "proto3";\nmessage M { string s = 1 }')).toContain("line 2, column 26: expected ';'");
    expect(invalid('syntax = "proto4";')).toContain("unexpected syntax: proto4");
    expect(invalid('message M { optional string s = 1 [default = "abc]; }')).toContain("unterminated string");
    expect(invalid("message M {")).toContain("unexpected end of file");
    expect(invalid('edition = "2023";')).toContain("editions are not supported");
  });

  it("rejects proto3 rules: required, defaults, groups, extension ranges, non-zero first enum value", () => {
    expect(invalid('syntax = "proto3";\nmessage M { required int32 x = 1; }')).toContain("'required' label forbidden in proto3");
    expect(invalid('syntax = "proto3";\nmessage M { optional int32 x = 1 [default = 2]; }')).toContain("explicit default values are not allowed in proto3");
    expect(invalid('syntax = "proto3";\nmessage M { extensions 100 to 200; }')).toContain("extension ranges are not allowed in proto3");
    expect(invalid('syntax = "proto3";\nenum E { A = 1; }')).toBe("Enum 'E': the first enum value must be zero in proto3 (line 2, column 10)");
  });

  it("rejects unknown types, naming the field and where it is", () => {
    expect(invalid('syntax = "proto3";\npackage p;\nmessage M {\n  Missing m = 1;\n}')).toBe(
      "Field 'p.M.m': 'Missing' is not defined (line 4, column 3)",
    );
    expect(invalid('syntax = "proto3";\nmessage M { map<string, Nope> m = 1; }')).toContain("'Nope' is not defined");
    expect(invalid('syntax = "proto3";\npackage p;\nmessage A { message B {} }\nmessage M { A.C c = 1; }')).toContain(
      "'A.C' is resolved to 'p.A.C', which is not defined",
    );
  });

  it("rejects duplicate and out-of-range field numbers, and reserved numbers and names", () => {
    expect(invalid('syntax = "proto3";\nmessage M {\n  int32 a = 1;\n  string b = 1;\n}')).toBe(
      "Field number 1 has already been used in 'M' by field 'a' (line 4, column 3)",
    );
    expect(invalid('syntax = "proto3";\nmessage M { int32 a = 1; oneof o { string b = 1; } }')).toContain("Field number 1 has already been used");
    expect(invalid('syntax = "proto3";\nmessage M {\n  reserved 2 to 5;\n  int32 a = 3;\n}')).toBe(
      "Field 'a' in 'M' uses reserved number 3 (line 4, column 3)",
    );
    expect(invalid('syntax = "proto3";\nmessage M { reserved "a"; int32 a = 1; }')).toContain("Field name 'a' is reserved in 'M'");
    expect(invalid('syntax = "proto3";\nmessage M { int32 a = 0; }')).toContain("field numbers must be between 1 and 536870911");
    expect(invalid('syntax = "proto3";\nmessage M { int32 a = 19500; }')).toContain("19000 through 19999 are reserved");
    expect(invalid('syntax = "proto3";\nenum E { A = 0; B = 0; }')).toContain("uses the same number as 'A'");
    expect(parse('syntax = "proto3";\nenum E { option allow_alias = true; A = 0; B = 0; }').name).toBe("E");
    expect(invalid('syntax = "proto3";\nenum E { reserved 1; A = 0; B = 1; }')).toContain("uses reserved number 1");
  });

  it("rejects duplicate names, including enum values in one scope", () => {
    expect(invalid('syntax = "proto3";\nmessage M {}\nmessage M {}')).toContain("M is already defined at line 2");
    expect(invalid('syntax = "proto3";\nmessage M { int32 a = 1; string a = 2; }')).toContain("'M.a' is already defined");
    expect(invalid('syntax = "proto3";\nenum A { X = 0; }\nenum B { X = 0; }')).toContain("'X' is already defined; note that enum values are scoped like C++ enums");
  });

  it("rejects bad map keys, packed on non-repeated fields, bad defaults, empty oneofs and enums", () => {
    expect(invalid('syntax = "proto3";\nmessage M { map<double, string> m = 1; }')).toContain("a map key must be an integral or string type, not 'double'");
    expect(invalid('syntax = "proto3";\nmessage M { map<string, string> m = 1 [packed = true]; }')).toContain("can only be specified for repeated primitive fields");
    expect(invalid("message M { optional int32 a = 1 [default = abc]; }")).toContain("expected an integer as default value");
    expect(invalid("message M { optional E e = 1 [default = C]; enum E { A = 1; } }")).toContain("'C' is not a value of enum 'M.E'");
    expect(invalid("message M { optional bool b = 1 [default = yes]; }")).toContain("expected 'true' or 'false'");
    expect(invalid('syntax = "proto3";\nmessage M { oneof o {} }')).toContain("Oneof 'M.o' must have at least one field");
    expect(invalid('syntax = "proto3";\nenum E {}')).toContain("Enum 'E' must contain at least one value");
  });

  it("rejects imports that are neither references nor built in, and types of files not imported", () => {
    expect(invalid('syntax = "proto3";\nimport "missing.proto";\nmessage M {}')).toBe(
      "Import 'missing.proto' is neither a reference of the schema nor a well-known type",
    );
    const a = 'syntax = "proto3"; package x; message A {}';
    const b = 'syntax = "proto3"; package x; import "a.proto"; message B { A a = 1; }';
    expect(invalid('syntax = "proto3";\nimport "b.proto";\nmessage M { x.A a = 1; }', { "a.proto": a, "b.proto": b })).toContain(
      "'x.A' seems to be defined in 'a.proto', which is not imported",
    );
    expect(invalid('syntax = "proto3";\nimport "bad.proto";\nmessage M {}', { "bad.proto": "message {" })).toContain("In 'bad.proto': Syntax error");
    expect(invalid('syntax = "proto3";\nimport "x.proto";\nimport "x.proto";', { "x.proto": 'syntax = "proto3";' })).toContain("listed twice");
  });

  it("checks extensions: the extendee's ranges, and options-only in proto3", () => {
    expect(invalid("message M { extensions 100 to 200; }\nextend M { optional int32 e = 5; }")).toContain("'M' does not declare 5 as an extension number");
    expect(invalid('syntax = "proto3";\nmessage M {}\nextend M { int32 e = 5; }')).toContain("Extensions in proto3 are only allowed for defining options");
  });
});

describe("PROTOBUF parse: what Confluent accepts beyond protoc", () => {
  it("keeps custom options it cannot resolve, as Confluent's parser does", () => {
    const schema = parse('syntax = "proto3";\noption (source_ref) = "https://example.com";\nmessage M { option (owner.team) = "data"; string s = 1 [(pii) = true]; }');
    expect(schema.file.options).toEqual({ "(source_ref)": "https://example.com" });
    expect(schema.findMessage("M")!.fields[0]!.options).toEqual({ "(pii)": true });
  });

  it("reading stored schemas (isNew false), accepts what Java descriptors accept: reserved numbers in use, proto3 enums not starting at zero", () => {
    const text = 'syntax = "proto3";\nmessage M { reserved 1; string id = 1; }\nenum E { ONE = 1; ZERO = 0; }';
    expect(() => parse(text)).toThrow(InvalidSchemaError);
    expect(() => protobufFormat.parse(text, [], new Map(), { protocRules: false })).not.toThrow();
    const schema = protobufFormat.parse(text, [], new Map(), { isNew: false });
    expect(schema.canonicalString).toBe('syntax = "proto3";\n\nmessage M {\n  reserved 1;\n\n  string id = 1;\n}\nenum E {\n  ONE = 1;\n  ZERO = 0;\n}\n');
    // what Java descriptors reject stays rejected
    expect(() => protobufFormat.parse('syntax = "proto3";\nmessage M { string a = 1; int32 b = 1; }', [], new Map(), { isNew: false })).toThrow("Field number 1 has already been used");
  });
});

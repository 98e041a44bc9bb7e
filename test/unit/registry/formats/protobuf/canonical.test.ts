import { describe, expect, it } from "vitest";
import { protobufFormat } from "../../../../../registry/formats/protobuf/index.ts";
import { normalizeNumber } from "../../../../../registry/formats/protobuf/printer.ts";

const canonical = (text: string, resolved: Record<string, string> = {}) =>
  protobufFormat.parse(text, [], new Map(Object.entries(resolved))).canonicalString;
const normalized = (text: string, resolved: Record<string, string> = {}) =>
  protobufFormat.parse(text, [], new Map(Object.entries(resolved)), { normalize: true }).canonicalString;

const ORDER = `// Orders, as the shop sends them
syntax = "proto2";
package shop;

import "google/protobuf/descriptor.proto";
option java_package = "com.shop";   // trailing comment
option optimize_for = SPEED;

enum Channel { WEB = 1; STORE = 2 [deprecated = true]; }

/* the order */
message Order {
  extensions 1000 to max;
  required string id = 1 [json_name = "orderId", deprecated = true];
  optional int32 count = 2 [default = 0x10];
  optional string note = 3 [default = "say \\"hi\\"\\n"];
  optional Channel channel = 4 [default = WEB, (label) = "ch"];
  repeated group Item = 5 { required string sku = 6; }
  oneof pay { string card = 7; string iban = 8; }
  reserved 9, 10 to 12, "old";
  message Empty {}
  extend google.protobuf.FieldOptions { optional string label = 50000; }
}

service Shop {
  rpc Place (Order) returns (Order) { option deprecated = true; }
}
`;

describe("PROTOBUF canonical string (Confluent's canonicalString)", () => {
  it("prints the schema in Confluent's layout: comments dropped, messages before enums, parts grouped", () => {
    expect(canonical(ORDER)).toBe(`syntax = "proto2";
package shop;

import "google/protobuf/descriptor.proto";

option java_package = "com.shop";
option optimize_for = SPEED;

message Order {
  reserved 9, 10 to 12, "old";

  required string id = 1 [
    deprecated = true,
    json_name = "orderId"
  ];
  optional int32 count = 2 [default = 0x10];
  optional string note = 3 [default = "say \\"hi\\"\\n"];
  optional Channel channel = 4 [
    (label) = "ch",
    default = WEB
  ];

  oneof pay {
    string card = 7;
    string iban = 8;
  }

  repeated group Item = 5 {
    required string sku = 6;
  }

  extensions 1000 to max;

  extend google.protobuf.FieldOptions {
    optional string label = 50000;
  }

  message Empty {}
}
enum Channel {
  WEB = 1;
  STORE = 2 [deprecated = true];
}

service Shop {
  rpc Place (Order) returns (Order) {
    option deprecated = true;
  };
}
`);
  });

  it("indents nested messages, leaving Confluent's two-space lines between their parts", () => {
    expect(canonical(`syntax = "proto3";
message Outer { message Inner { option deprecated = true; string s = 1; } Inner inner = 1; }`)).toBe(`syntax = "proto3";

message Outer {
  Inner inner = 1;

  message Inner {
    option deprecated = true;
  \u0020\u0020
    string s = 1;
  }
}
`.replace("  \u0020\u0020\n", "  \n"));
  });

  it("keeps option kinds: strings quoted, enums and numbers bare, text-format messages and lists", () => {
    expect(canonical(`syntax = "proto3";
import "confluent/meta.proto";
message M {
  string s = 1 [(confluent.field_meta) = { doc: "d" params: [{ key: "k", value: "v" }] tags: "PII" tags: "X" }];
  string t = 2 [(confluent.field_meta).doc = "e\\tf"];
}`)).toBe(`syntax = "proto3";

import "confluent/meta.proto";

message M {
  string s = 1 [(confluent.field_meta) = {
    doc: "d",
    params: [
      {
        key: "k",
        value: "v"
      }
    ],
    tags: [
      "PII",
      "X"
    ]
  }];
  string t = 2 [(confluent.field_meta).doc = "e\\tf"];
}
`);
  });

  it("prints a file without declarations as its header only, and map fields as map<K, V>", () => {
    expect(canonical('syntax = "proto3";\npackage empty;')).toBe('syntax = "proto3";\npackage empty;\n');
    expect(canonical('syntax = "proto3"; message M { map < string , int64 > m = 1; }')).toBe(
      'syntax = "proto3";\n\nmessage M {\n  map<string, int64> m = 1;\n}\n',
    );
  });

  it("is stable: the canonical string parses back to itself", () => {
    const once = canonical(ORDER);
    expect(canonical(once)).toBe(once);
  });
});

describe("PROTOBUF normalize (Confluent's normalize)", () => {
  it("qualifies type names, sorts options and reserved ranges, normalizes numbers, drops the proto2 syntax line", () => {
    expect(normalized(ORDER)).toBe(`package shop;

import "google/protobuf/descriptor.proto";

option java_package = "com.shop";
option optimize_for = SPEED;

message Order {
  reserved 9;
  reserved 10 to 12;
  reserved "old";

  required string id = 1 [
    deprecated = true,
    json_name = "orderId"
  ];
  optional int32 count = 2 [default = 16];
  optional string note = 3 [default = "say \\"hi\\"\\n"];
  optional .shop.Channel channel = 4 [
    default = WEB,
    (shop.Order.label) = "ch"
  ];

  oneof pay {
    string card = 7;
    string iban = 8;
  }

  repeated group Item = 5 {
    required string sku = 6;
  }

  extensions 1000 to max;

  extend .google.protobuf.FieldOptions {
    optional string label = 50000;
  }

  message Empty {}
}
enum Channel {
  WEB = 1;
  STORE = 2 [deprecated = true];
}

service Shop {
  rpc Place (.shop.Order) returns (.shop.Order) {
    option deprecated = true;
  };
}
`);
  });

  it("gives semantically equal schemas one text: field order, import order, name qualification, option merging", () => {
    const deps = { "common.proto": 'syntax = "proto3"; package common; message Money { int64 units = 1; }' };
    const a = `syntax = "proto3";
package p;
import "google/protobuf/timestamp.proto";
import "common.proto";
import "confluent/meta.proto";
message M {
  option (confluent.message_meta).doc = "m";
  option (confluent.message_meta).tags = "t";
  google.protobuf.Timestamp at = 2;
  common.Money price = 1;
  map<string, Kind> kinds = 3;
  enum Kind { A = 0; B = 1; C = 2; }
}`;
    const b = `syntax = "proto3";
package p;
import "confluent/meta.proto";
import "common.proto";
import "google/protobuf/timestamp.proto";
message M {
  option (confluent.message_meta) = { tags: "t", doc: "m" };
  .common.Money price = 1;
  .google.protobuf.Timestamp at = 2;
  map<string, M.Kind> kinds = 3;
  enum Kind { A = 0; C = 2; B = 1; }
}`;
    expect(normalized(a, deps)).toBe(normalized(b, deps));
    expect(normalized(a, deps)).toBe(`syntax = "proto3";
package p;

import "common.proto";
import "confluent/meta.proto";
import "google/protobuf/timestamp.proto";

message M {
  option (confluent.message_meta) = {
    doc: "m",
    tags: "t"
  };

  .common.Money price = 1;
  .google.protobuf.Timestamp at = 2;
  map<string, .p.M.Kind> kinds = 3;

  enum Kind {
    A = 0;
    B = 1;
    C = 2;
  }
}
`);
    expect(canonical(a, deps)).not.toBe(canonical(b, deps));
  });

  it("folds explicit map entry messages back into map fields, and sorts oneofs by their first field", () => {
    expect(normalized(`syntax = "proto3";
message M {
  repeated TagsEntry tags = 1;
  message TagsEntry { option map_entry = true; string key = 1; Value value = 2; }
  message Value { string v = 1; }
  oneof second { string y = 5; string x = 4; }
  oneof first { string z = 3; }
}`)).toBe(`syntax = "proto3";

message M {
  map<string, .M.Value> tags = 1;

  oneof first {
    string z = 3;
  }
  oneof second {
    string x = 4;
    string y = 5;
  }

  message Value {
    string v = 1;
  }
}
`);
  });

  it("normalizes numbers as Java's DecimalFormat prints them", () => {
    expect(normalizeNumber("0x1F")).toBe("31");
    expect(normalizeNumber("010")).toBe("8");
    expect(normalizeNumber("-5")).toBe("-5");
    expect(normalizeNumber("1.5e3")).toBe("1500");
    expect(normalizeNumber("0.12345")).toBe("0.123");
    expect(normalizeNumber("2.50")).toBe("2.5");
    expect(normalizeNumber("inf")).toBe("inf");
    expect(normalizeNumber("-nan")).toBe("-nan");
  });

  it("sorts and de-duplicates references as Confluent does (by subject, then version)", () => {
    const deps = new Map([
      ["a.proto", 'syntax = "proto3"; package a; message A {}'],
      ["b.proto", 'syntax = "proto3"; package b; message B {}'],
    ]);
    const references = [
      { name: "b.proto", subject: "b", version: 2 },
      { name: "a.proto", subject: "a", version: 1 },
      { name: "b.proto", subject: "b", version: 2 },
    ];
    const text = 'syntax = "proto3"; import "b.proto"; import "a.proto"; message M { a.A a = 1; b.B b = 2; }';
    expect(protobufFormat.parse(text, references, deps, { normalize: true }).references).toEqual([
      { name: "a.proto", subject: "a", version: 1 },
      { name: "b.proto", subject: "b", version: 2 },
    ]);
    expect(protobufFormat.parse(text, references, deps).references).toEqual(references);
  });
});

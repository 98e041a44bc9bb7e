import { describe, expect, it } from "vitest";
import { protobufFormat } from "../../../../../registry/formats/protobuf/index.ts";
import { ProtobufCodec } from "../../../../../registry/formats/protobuf/codec.ts";
import { describe as describeSchema } from "../../../../../registry/formats/protobuf/describe.ts";
import { linkSchema } from "../../../../../registry/formats/protobuf/link.ts";
import { wellKnownText } from "../../../../../registry/formats/protobuf/well-known.ts";
import type { ProtoObject } from "../../../../../registry/formats/protobuf/model.ts";

// What a client that registers descriptors sends: a FileDescriptorProto, base64-encoded.
const descriptorCodec = new ProtobufCodec(describeSchema(linkSchema(wellKnownText("google/protobuf/descriptor.proto")!, new Map())));
const encodeDescriptor = (file: ProtoObject) => Buffer.from(descriptorCodec.encode("google.protobuf.FileDescriptorProto", file)).toString("base64");

const ORDER_DESCRIPTOR: ProtoObject = {
  name: "order.proto",
  package: "shop",
  syntax: "proto3",
  dependency: ["google/protobuf/timestamp.proto"],
  message_type: [{
    name: "Order",
    field: [
      { name: "id", number: 1, label: "LABEL_OPTIONAL", type: "TYPE_STRING" },
      { name: "at", number: 2, label: "LABEL_OPTIONAL", type: "TYPE_MESSAGE", type_name: ".google.protobuf.Timestamp" },
      { name: "tags", number: 3, label: "LABEL_REPEATED", type: "TYPE_MESSAGE", type_name: ".shop.Order.TagsEntry" },
      { name: "note", number: 4, label: "LABEL_OPTIONAL", type: "TYPE_STRING", oneof_index: 1, proto3_optional: true },
      { name: "card", number: 5, label: "LABEL_OPTIONAL", type: "TYPE_STRING", oneof_index: 0 },
    ],
    nested_type: [{
      name: "TagsEntry",
      field: [
        { name: "key", number: 1, label: "LABEL_OPTIONAL", type: "TYPE_STRING" },
        { name: "value", number: 2, label: "LABEL_OPTIONAL", type: "TYPE_INT32" },
      ],
      options: { map_entry: true },
    }],
    oneof_decl: [{ name: "pay" }, { name: "_note" }],
    reserved_range: [{ start: 10, end: 11 }, { start: 20, end: 30 }],
    reserved_name: ["old"],
  }],
  enum_type: [{ name: "Status", value: [{ name: "UNKNOWN", number: 0 }, { name: "OK", number: 1 }] }],
  options: { java_package: "com.shop", java_multiple_files: true },
};

describe("PROTOBUF schemas registered as base64 FileDescriptorProto", () => {
  it("reads the descriptor into the text Confluent prints for it", () => {
    const schema = protobufFormat.parse(encodeDescriptor(ORDER_DESCRIPTOR), [], new Map());
    expect(schema.canonicalString).toBe(`syntax = "proto3";
package shop;

import "google/protobuf/timestamp.proto";

option java_package = "com.shop";
option java_multiple_files = true;

message Order {
  reserved 10;
  reserved 20 to 29;
  reserved "old";

  string id = 1;
  .google.protobuf.Timestamp at = 2;
  repeated .shop.Order.TagsEntry tags = 3;
  optional string note = 4;

  oneof pay {
    string card = 5;
  }

  message TagsEntry {
    option map_entry = true;
  
    string key = 1;
    int32 value = 2;
  }
}
enum Status {
  UNKNOWN = 0;
  OK = 1;
}
`);
    expect(schema.name).toBe("shop.Order");
  });

  it("describes map entry fields as maps and encodes them as maps", () => {
    const schema = protobufFormat.parse(encodeDescriptor(ORDER_DESCRIPTOR), [], new Map());
    const tags = schema.findMessage("shop.Order")!.fields.find((f) => f.name === "tags")!;
    expect(tags.type).toEqual({ kind: "map", key: "string", value: { kind: "scalar", scalar: "int32" } });
    const value = { id: "o1", tags: { a: 1, b: 2 }, card: "4111" };
    expect(schema.decode("shop.Order", schema.encode("shop.Order", value))).toEqual({ ...value });
    // the same schema written as text with map<..> gives the same bytes
    const text = protobufFormat.parse('syntax = "proto3"; package shop; message Order { string id = 1; map<string, int32> tags = 3; oneof pay { string card = 5; } }', [], new Map());
    expect(Buffer.from(schema.encode("shop.Order", value)).toString("hex")).toBe(Buffer.from(text.encode("shop.Order", value)).toString("hex"));
  });

  it("normalizes a descriptor and the equivalent text alike", () => {
    const fromDescriptor = protobufFormat.parse(encodeDescriptor(ORDER_DESCRIPTOR), [], new Map(), { normalize: true });
    const fromText = protobufFormat.parse(`syntax = "proto3";
package shop;
import "google/protobuf/timestamp.proto";
option java_multiple_files = true;
option java_package = "com.shop";
enum Status { UNKNOWN = 0; OK = 1; }
message Order {
  reserved "old", 10, 20 to 29;
  optional string note = 4;
  map<string, int32> tags = 3;
  google.protobuf.Timestamp at = 2;
  string id = 1;
  oneof pay { string card = 5; }
}`, [], new Map(), { normalize: true });
    expect(fromDescriptor.canonicalString).toBe(fromText.canonicalString);
  });

  it("reports the text's syntax error when the schema is neither .proto text nor a descriptor", () => {
    expect(() => protobufFormat.parse("bm90IGEgZGVzY3JpcHRvcg==", [], new Map())).toThrow("Syntax error at line 1, column 1");
  });
});

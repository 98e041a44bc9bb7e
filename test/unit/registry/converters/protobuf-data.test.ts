import { describe, expect, it } from "vitest";
import { DataException, Decimal, Schema, SchemaBuilder, Struct } from "../../../../connect/api/index.ts";
import { ProtobufData } from "../../../../registry/converters/protobuf-data.ts";
import { protobufFormat } from "../../../../registry/formats/protobuf/index.ts";
import { everyTypeStruct, structOf } from "./every-type.ts";

const TAG = "io.confluent.connect.protobuf.Tag";

describe("ProtobufData: Connect schemas as .proto, as Confluent's ProtobufData", () => {
  it("writes a proto3 message with fields numbered in order, nested messages, entry messages for maps, and Confluent's types", () => {
    const address = SchemaBuilder.struct().name("com.example.Address").field("city", Schema.STRING_SCHEMA).build();
    const schema = SchemaBuilder.struct()
      .name("com.example.User")
      .field("id", Schema.INT64_SCHEMA)
      .field("small", Schema.INT16_SCHEMA)
      .field("amount", Decimal.schema(2))
      .field("home", address)
      .field("work", address)
      .field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA).build())
      .field("byId", SchemaBuilder.map(Schema.INT32_SCHEMA, Schema.STRING_SCHEMA).build())
      .build();
    const { text, messageName } = new ProtobufData().fromConnectSchema(schema);
    expect(messageName).toBe("com.example.User");
    expect(text).toBe(
      [
        'syntax = "proto3";',
        "package com.example;",
        'import "confluent/meta.proto";',
        'import "confluent/type/decimal.proto";',
        "",
        "message User {",
        "  int64 id = 1;",
        '  int32 small = 2 [(confluent.field_meta) = { params: [{ key: "connect.type", value: "int16" }] }];',
        '  .confluent.type.Decimal amount = 3 [(confluent.field_meta) = { params: [{ key: "scale", value: "2" }] }];',
        "  .com.example.User.Address home = 4;",
        "  .com.example.User.Address work = 5;",
        "  repeated string tags = 6;",
        "  repeated .com.example.User.ConnectDefault1Entry byId = 7;",
        "  message Address {",
        "    string city = 1;",
        "  }",
        "  message ConnectDefault1Entry {",
        "    int32 key = 1;",
        "    string value = 2;",
        "  }",
        "}",
        "",
      ].join("\n"),
    );
    // The registry's Protobuf format accepts it.
    expect(protobufFormat.parse(text, [], new Map()).name).toBe("com.example.User");
  });

  it("refuses a root that is not a struct", () => {
    expect(() => new ProtobufData().fromConnectSchema(Schema.STRING_SCHEMA)).toThrow(new DataException("Unsupported root schema of type STRING"));
  });
});

describe("ProtobufData: values through Protobuf binary and back", () => {
  it("round-trips every Connect type, each field optional and tagged on the way back", () => {
    const data = new ProtobufData();
    const inner = SchemaBuilder.struct().name("Inner").field("x", Schema.INT32_SCHEMA).build();
    const schema = everyTypeStruct(3, "All")
      .field("arr", SchemaBuilder.array(Schema.INT64_SCHEMA).build())
      .field("map", SchemaBuilder.map(Schema.STRING_SCHEMA, inner).build())
      .field("nested", inner)
      .build();
    const value = structOf(schema, {
      i8: -5,
      i16: 300,
      i32: -70000,
      i64: -(2n ** 62n),
      f32: Math.fround(2.5),
      f64: 0.1,
      bool: true,
      str: "héllo",
      bytes: Buffer.from([1, 2, 3]),
      dec: Decimal.parse("-1234.567"),
      date: new Date(Date.UTC(2024, 1, 29)),
      time: new Date(3_723_004),
      ts: new Date(-1_500),
      arr: [1n, 2n],
      map: new Map([["k", new Struct(inner).put("x", 9)]]),
      nested: new Struct(inner).put("x", 1),
    });
    const { text, messageName } = data.fromConnectSchema(schema);
    const parsed = protobufFormat.parse(text, [], new Map());
    const bytes = parsed.encode(messageName, data.fromConnectData(schema, value));
    const message = parsed.messageAt([0]);
    const back = data.toConnectSchema(parsed, message, 2);
    expect(back.version).toBe(2);
    expect(back.fields.every((f) => f.schema.optional)).toBe(true);
    expect(back.field("i8")?.schema.type).toBe("INT8");
    expect(back.field("i16")?.schema.parameters?.get(TAG)).toBe("2");
    const read = data.toConnectData(back, message, parsed, parsed.decode(messageName, bytes));
    // Structs come back with the read schema (optional, tagged): compare their text.
    expect(String(read)).toBe(String(value));
    for (const field of schema.fields.filter((f) => f.schema.type !== "STRUCT" && f.schema.type !== "MAP")) expect([field.name, read.get(field.name)]).toEqual([field.name, value.get(field.name)]);
  });

  it("reads messages written elsewhere: enums, oneofs, maps, unsigned integers, nested messages", () => {
    const text = `syntax = "proto3";
package shop;
message Order {
  enum Status { NEW = 0; SHIPPED = 5; }
  uint32 count = 1;
  Status status = 2;
  map<string, int64> totals = 3;
  oneof payment { string card = 4; int64 voucher = 5; }
  Line line = 6;
  repeated Line lines = 7;
}
message Line { string sku = 1; }
`;
    const parsed = protobufFormat.parse(text, [], new Map());
    const data = new ProtobufData();
    const message = parsed.messageAt([0]);
    const schema = data.toConnectSchema(parsed, message, null);
    expect(schema.name).toBe("Order");
    expect(schema.fields.map((f) => [f.name, f.schema.type])).toEqual([
      ["payment_0", "STRUCT"],
      ["count", "INT64"],
      ["status", "STRING"],
      ["totals", "MAP"],
      ["line", "STRUCT"],
      ["lines", "ARRAY"],
    ]);
    expect(schema.field("payment_0")?.schema.name).toBe("io.confluent.connect.protobuf.Union.payment");
    expect(Object.fromEntries(schema.field("status")?.schema.parameters ?? [])).toMatchObject({
      "io.confluent.connect.protobuf.Enum": "Status",
      "io.confluent.connect.protobuf.Enum.SHIPPED": "5",
    });
    const bytes = parsed.encode("shop.Order", { count: 4000000000, status: "SHIPPED", totals: { a: 7n }, voucher: 9n, lines: [{ sku: "s1" }] });
    const value = data.toConnectData(schema, message, parsed, parsed.decode("shop.Order", bytes));
    expect(value.get("count")).toBe(4000000000n);
    expect(value.get("status")).toBe("SHIPPED");
    expect(value.get("totals")).toEqual(new Map([["a", 7n]]));
    expect((value.get("payment_0") as Struct).get("voucher")).toBe(9n);
    expect(value.get("line")).toBeNull();
    expect(((value.get("lines") as Struct[])[0] as Struct).get("sku")).toBe("s1");
    // And the enum and oneof written back from Connect.
    const again = protobufFormat.parse(data.fromConnectSchema(schema).text, [], new Map());
    const written = again.decode(again.messageAt([0]).fullName, again.encode(again.messageAt([0]).fullName, data.fromConnectData(schema, value)));
    expect(written).toMatchObject({ status: "SHIPPED", voucher: 9n, count: 4000000000n });
  });
});

// Confluent's `format` query parameter over HTTP (the registry's REST server on 127.0.0.1 over the
// in-memory log): PROTOBUF `serialized` (a base64 FileDescriptorProto that @bufbuild/protobuf builds
// as it is, references included) and `ignore_extensions`, AVRO `resolved`, `default` and a blank
// format, and what Confluent answers for formats a schema type does not have.
import { createFileRegistry, fromBinary, isFieldSet, ScalarType, type DescField, type DescMessage } from "@bufbuild/protobuf";
import { FieldDescriptorProtoSchema, FileDescriptorProtoSchema, file_google_protobuf_timestamp, type FileDescriptorProto } from "@bufbuild/protobuf/wkt";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registrySettings, type RunningRegistry, startRegistry } from "../../../../registry/index.ts";

const log = pino({ level: "silent" });
let registry: RunningRegistry;

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; text: string; body: unknown }> {
  const res = await fetch(`${registry.url}${path}`, {
    method,
    ...(body !== undefined ? { headers: { "content-type": "application/vnd.schemaregistry.v1+json" }, body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, text, body: parsed };
}

async function ok<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
  const answer = await call(method, path, body);
  expect(answer.status, `${method} ${path}: ${answer.text}`).toBe(200);
  return answer.body as T;
}

const descriptorOf = (base64: string): FileDescriptorProto => fromBinary(FileDescriptorProtoSchema, Buffer.from(base64, "base64"));

const COMMON = `syntax = "proto3";
package shop.common;

message Money {
  string currency = 1;
  int64 units = 2;
}
`;

const ORDER = `syntax = "proto3";
package shop;

import "common.proto";
import "google/protobuf/timestamp.proto";

option java_package = "com.example.shop";

message Envelope {
  string note = 1;
}
message Order {
  int64 id = 1;
  repeated string tags = 2;
  map<string, Line> lines = 3;
  optional int32 qty = 4;
  oneof payment {
    string card = 5;
    Status status = 6;
  }
  shop.common.Money price = 7;
  google.protobuf.Timestamp at = 8 [deprecated = true];
  reserved 20 to 29;
  reserved "legacy";

  message Line {
    int32 n = 1;
  }
  enum Status {
    NEW = 0;
    PAID = 1;
  }
}

service Orders {
  rpc Get (Envelope) returns (stream Order);
}
`;

let orderId: number;

beforeAll(async () => {
  registry = await startRegistry(registrySettings(new Map([["listeners", "http://127.0.0.1:0"]])), log);
  await ok("POST", "/subjects/common/versions", { schemaType: "PROTOBUF", schema: COMMON });
  ({ id: orderId } = await ok<{ id: number }>("POST", "/subjects/orders-value/versions", {
    schemaType: "PROTOBUF",
    schema: ORDER,
    references: [{ name: "common.proto", subject: "common", version: 1 }],
  }));
});

afterAll(async () => {
  await registry.stop();
});

describe("PROTOBUF format=serialized", () => {
  it("answers the schema's file as a base64 FileDescriptorProto, written as protoc writes one", async () => {
    const answer = await ok<{ schemaType: string; schema: string; references: unknown }>("GET", `/schemas/ids/${orderId}?format=serialized`);
    expect(answer.schemaType).toBe("PROTOBUF");
    expect(answer.references).toEqual([{ name: "common.proto", subject: "common", version: 1 }]);
    const file = descriptorOf(answer.schema);
    expect([file.name, file.package, file.syntax, file.dependency]).toEqual(["default", "shop", "proto3", ["common.proto", "google/protobuf/timestamp.proto"]]);
    expect(file.options?.javaPackage).toBe("com.example.shop");
    expect(file.messageType.map((m) => m.name)).toEqual(["Envelope", "Order"]);
    const order = file.messageType[1]!;
    const oneofOf = (f: (typeof order.field)[number]): number | null => (isFieldSet(f, FieldDescriptorProtoSchema.field.oneofIndex) ? f.oneofIndex : null);
    const fields = Object.fromEntries(order.field.map((f) => [f.name, { number: f.number, label: f.label, type: f.type, typeName: f.typeName, oneof: oneofOf(f), optional: f.proto3Optional }]));
    // Labels: 1 optional, 3 repeated; types: 3 int64, 5 int32, 9 string, 11 message, 14 enum.
    expect(fields).toEqual({
      id: { number: 1, label: 1, type: 3, typeName: "", oneof: null, optional: false },
      tags: { number: 2, label: 3, type: 9, typeName: "", oneof: null, optional: false },
      lines: { number: 3, label: 3, type: 11, typeName: ".shop.Order.LinesEntry", oneof: null, optional: false },
      qty: { number: 4, label: 1, type: 5, typeName: "", oneof: 1, optional: true },
      card: { number: 5, label: 1, type: 9, typeName: "", oneof: 0, optional: false },
      status: { number: 6, label: 1, type: 14, typeName: ".shop.Order.Status", oneof: 0, optional: false },
      price: { number: 7, label: 1, type: 11, typeName: ".shop.common.Money", oneof: null, optional: false },
      at: { number: 8, label: 1, type: 11, typeName: ".google.protobuf.Timestamp", oneof: null, optional: false },
    });
    // The real oneof first, then proto3 optional's synthetic one.
    expect(order.oneofDecl.map((o) => o.name)).toEqual(["payment", "_qty"]);
    expect(order.field.find((f) => f.name === "at")!.options?.deprecated).toBe(true);
    // The declared nested message keeps its place (message indexes [1, 0]); the map entry follows.
    expect(order.nestedType.map((m) => [m.name, m.options?.mapEntry ?? false])).toEqual([["Line", false], ["LinesEntry", true]]);
    expect(order.enumType.map((e) => [e.name, e.value.map((v) => v.name)])).toEqual([["Status", ["NEW", "PAID"]]]);
    expect(order.reservedRange.map((r) => [r.start, r.end])).toEqual([[20, 30]]);
    expect(order.reservedName).toEqual(["legacy"]);
    expect(file.service.map((s) => s.method.map((m) => [m.name, m.inputType, m.outputType, m.serverStreaming]))).toEqual([[["Get", ".shop.Envelope", ".shop.Order", true]]]);
  });

  it("gives descriptors @bufbuild/protobuf builds, references fetched in the same format", async () => {
    const main = descriptorOf((await ok<{ schema: string }>("GET", "/subjects/orders-value/versions/1?format=serialized")).schema);
    const common = descriptorOf((await ok<{ schema: string }>("GET", "/subjects/common/versions/1?deleted=true&format=serialized")).schema);
    // As Confluent's clients do: a reference's file takes the name it is imported by.
    common.name = "common.proto";
    const files = new Map<string, FileDescriptorProto | typeof file_google_protobuf_timestamp>([
      ["common.proto", common],
      ["google/protobuf/timestamp.proto", file_google_protobuf_timestamp],
    ]);
    const built = createFileRegistry(main, (name) => files.get(name));
    const order: DescMessage = built.getMessage("shop.Order")!;
    // In the order of the stored (canonical) text, which prints oneofs after the other fields.
    expect(order.fields.map((f) => `${f.name}:${f.fieldKind}`)).toEqual([
      "id:scalar", "tags:list", "lines:map", "qty:scalar", "price:message", "at:message", "card:scalar", "status:enum",
    ]);
    const byName = (name: string): DescField => order.fields.find((f) => f.name === name)!;
    const lines = byName("lines");
    expect(lines.fieldKind === "map" ? [lines.mapKey, lines.mapKind, lines.message?.typeName] : null).toEqual([ScalarType.STRING, "message", "shop.Order.Line"]);
    expect(byName("qty").presence).toBe(1); // EXPLICIT: proto3 optional
    expect(order.oneofs.map((o) => o.name)).toEqual(["payment"]);
    expect(order.nestedMessages.map((m) => m.name)).toEqual(["Line"]);
    expect(byName("price").message?.typeName).toBe("shop.common.Money");
  });

  it("applies to every read of a schema: raw text, versions, lookups", async () => {
    const byId = (await ok<{ schema: string }>("GET", `/schemas/ids/${orderId}?format=serialized`)).schema;
    expect((await call("GET", `/schemas/ids/${orderId}/schema?format=serialized`)).text).toBe(byId);
    expect((await call("GET", "/subjects/orders-value/versions/latest/schema?format=serialized")).text).toBe(byId);
    expect(await ok("GET", "/subjects/orders-value/versions/1?format=serialized")).toEqual({
      subject: "orders-value",
      version: 1,
      id: orderId,
      schemaType: "PROTOBUF",
      references: [{ name: "common.proto", subject: "common", version: 1 }],
      schema: byId,
    });
    const looked = await ok("POST", "/subjects/orders-value?format=serialized", {
      schemaType: "PROTOBUF",
      schema: ORDER,
      references: [{ name: "common.proto", subject: "common", version: 1 }],
    });
    expect(looked).toMatchObject({ id: orderId, version: 1, schema: byId });
  });

  it("round-trips: the descriptor registers as the same structure, compatible both ways", async () => {
    const serialized = (await ok<{ schema: string }>("GET", `/schemas/ids/${orderId}?format=serialized`)).schema;
    const references = [{ name: "common.proto", subject: "common", version: 1 }];
    await ok("PUT", "/config/orders-copy", { compatibility: "FULL" });
    await ok("POST", "/subjects/orders-copy/versions", { schemaType: "PROTOBUF", schema: ORDER, references });
    expect(await ok("POST", "/compatibility/subjects/orders-copy/versions/latest?verbose=true", { schemaType: "PROTOBUF", schema: serialized, references })).toEqual({
      is_compatible: true,
      messages: [],
    });
    const { id } = await ok<{ id: number }>("POST", "/subjects/orders-copy/versions", { schemaType: "PROTOBUF", schema: serialized, references });
    const stored = (await ok<{ schema: string }>("GET", `/schemas/ids/${id}`)).schema;
    expect(stored).toContain("repeated .shop.Order.LinesEntry lines = 3;");
    expect(stored).toContain("optional int32 qty = 4;");
    // Served serialized again, it is the same file but for where the map's entry message sits.
    const again = descriptorOf((await ok<{ schema: string }>("GET", `/schemas/ids/${id}?format=serialized`)).schema);
    const first = descriptorOf(serialized);
    expect(again.messageType[1]!.field).toEqual(first.messageType[1]!.field);
    expect(again.messageType[1]!.nestedType.map((m) => m.name).sort()).toEqual(first.messageType[1]!.nestedType.map((m) => m.name).sort());
    expect(again.service).toEqual(first.service);
  });
});

describe("PROTOBUF format=serialized for proto2", () => {
  it("writes groups, defaults and required fields as protoc does, and reads them back as groups", async () => {
    const legacy = `syntax = "proto2";
package old;

message Legacy {
  required string name = 1 [default = "n/a"];
  optional int32 size = 2 [default = 0x10];
  optional double ratio = 3 [default = -inf];

  repeated group Item = 4 {
    optional int32 qty = 1;
  }
}
`;
    const { id } = await ok<{ id: number }>("POST", "/subjects/legacy/versions", { schemaType: "PROTOBUF", schema: legacy });
    const serialized = (await ok<{ schema: string }>("GET", `/schemas/ids/${id}?format=serialized`)).schema;
    const file = descriptorOf(serialized);
    expect(file.syntax).toBe("proto2");
    const message = file.messageType[0]!;
    // Labels: 1 optional, 2 required, 3 repeated; types: 1 double, 5 int32, 9 string, 10 group.
    expect(message.field.map((f) => [f.name, f.label, f.type, f.typeName, f.defaultValue])).toEqual([
      ["name", 2, 9, "", "n/a"],
      ["size", 1, 5, "", "16"],
      ["ratio", 1, 1, "", "-inf"],
      ["item", 3, 10, ".old.Legacy.Item", ""],
    ]);
    expect(message.nestedType.map((m) => [m.name, m.field.map((f) => f.name)])).toEqual([["Item", ["qty"]]]);
    const built = createFileRegistry(file, () => undefined).getMessage("old.Legacy")!;
    const item = built.fields.find((f) => f.name === "item")!;
    // A repeated group: a list of messages in the delimited (group) encoding.
    expect(item.fieldKind === "list" && item.listKind === "message" ? item.delimitedEncoding : null).toBe(true);
    // Registered as a descriptor, the group is a group again.
    const { id: again } = await ok<{ id: number }>("POST", "/subjects/legacy-copy/versions", { schemaType: "PROTOBUF", schema: serialized });
    expect((await ok<{ schema: string }>("GET", `/schemas/ids/${again}`)).schema).toContain("repeated group Item = 4 {");
  });
});

describe("PROTOBUF format=ignore_extensions and default", () => {
  const WITH_EXTENSIONS = `syntax = "proto2";
package ext;

import "confluent/meta.proto";
import "google/protobuf/descriptor.proto";

option (file_tag) = "x";

message Doc {
  optional string title = 1 [(field_tag) = "t", (confluent.field_meta).doc = "the title"];
  extensions 100 to 199;
}

extend google.protobuf.FieldOptions {
  optional string field_tag = 50001;
}
extend google.protobuf.FileOptions {
  optional string file_tag = 50002;
}
extend Doc {
  optional int32 page = 100;
}
`;

  it("drops extension declarations, extension ranges and custom options but Confluent's", async () => {
    const { id } = await ok<{ id: number }>("POST", "/subjects/ext/versions", { schemaType: "PROTOBUF", schema: WITH_EXTENSIONS });
    const stored = (await ok<{ schema: string }>("GET", `/schemas/ids/${id}`)).schema;
    expect(stored).toContain("extend Doc {");
    const text = (await call("GET", `/schemas/ids/${id}/schema?format=ignore_extensions`)).text;
    expect(text).toBe(`syntax = "proto2";
package ext;

import "confluent/meta.proto";
import "google/protobuf/descriptor.proto";

message Doc {
  optional string title = 1 [(confluent.field_meta).doc = "the title"];
}
`);
    // `default` and a blank format are the stored text.
    expect((await ok<{ schema: string }>("GET", `/schemas/ids/${id}?format=default`)).schema).toBe(stored);
    expect((await ok<{ schema: string }>("GET", `/schemas/ids/${id}?format=%20`)).schema).toBe(stored);
    expect((await ok<{ schema: string }>("GET", `/schemas/ids/${id}?format=`)).schema).toBe(stored);
  });
});

describe("AVRO format=resolved", () => {
  const address = JSON.stringify({ type: "record", name: "Address", namespace: "shop", fields: [{ name: "street", type: "string" }] });
  const person = JSON.stringify({ type: "record", name: "Person", namespace: "shop", fields: [{ name: "home", type: "Address" }, { name: "work", type: ["null", "Address"], default: null }] });

  it("writes the referenced types out; the stored text names them", async () => {
    await ok("POST", "/subjects/address/versions", { schema: address });
    const { id } = await ok<{ id: number }>("POST", "/subjects/person/versions", { schema: person, references: [{ name: "shop.Address", subject: "address", version: 1 }] });
    const resolved = JSON.stringify({
      type: "record",
      name: "Person",
      namespace: "shop",
      fields: [
        { name: "home", type: { type: "record", name: "Address", fields: [{ name: "street", type: "string" }] } },
        { name: "work", type: ["null", "Address"], default: null },
      ],
    });
    expect(await ok("GET", `/schemas/ids/${id}?format=resolved`)).toEqual({ schema: resolved, references: [{ name: "shop.Address", subject: "address", version: 1 }] });
    expect((await call("GET", `/schemas/ids/${id}/schema?format=resolved`)).text).toBe(resolved);
    expect(await ok("GET", "/subjects/person/versions/latest?format=resolved")).toMatchObject({ id, schema: resolved });
    expect((await call("GET", "/subjects/person/versions/1/schema?format=resolved")).text).toBe(resolved);
    expect(await ok("POST", "/subjects/person?format=resolved", { schema: person, references: [{ name: "shop.Address", subject: "address", version: 1 }] })).toMatchObject({ id, schema: resolved });
    // Without the parameter, and for `default`: the stored text.
    expect((await ok<{ schema: string }>("GET", `/schemas/ids/${id}`)).schema).toBe(person);
    expect((await ok<{ schema: string }>("GET", `/schemas/ids/${id}?format=default`)).schema).toBe(person);
  });
});

describe("formats a schema type does not have", () => {
  it("AVRO answers its text (Confluent logs a warning); PROTOBUF and JSON answer Confluent's bare 500", async () => {
    const { id: avroId } = await ok<{ id: number }>("POST", "/subjects/plain-avro/versions", { schema: JSON.stringify({ type: "record", name: "P", fields: [{ name: "a", type: "int" }] }) });
    expect((await ok<{ schema: string }>("GET", `/schemas/ids/${avroId}?format=serialized`)).schema).toBe('{"type":"record","name":"P","fields":[{"name":"a","type":"int"}]}');
    const { id: jsonId } = await ok<{ id: number }>("POST", "/subjects/plain-json/versions", { schemaType: "JSON", schema: '{"type":"object"}' });
    const internal = { error_code: 500, message: "Internal Server Error" };
    for (const path of [`/schemas/ids/${orderId}?format=resolved`, `/schemas/ids/${orderId}?format=SERIALIZED`, `/schemas/ids/${jsonId}?format=serialized`, `/schemas/ids/${jsonId}?format=default`, "/subjects/plain-json/versions/1?format=resolved"]) {
      const answer = await call("GET", path);
      expect([answer.status, answer.body], path).toEqual([500, internal]);
    }
    // The JSON schema reads as ever without a format; a missing schema is still 40403.
    expect((await ok<{ schema: string }>("GET", `/schemas/ids/${jsonId}`)).schema).toBe('{"type":"object"}');
    const missing = await call("GET", "/schemas/ids/999999?format=serialized");
    expect([missing.status, (missing.body as { error_code: number }).error_code]).toEqual([404, 40403]);
  });
});

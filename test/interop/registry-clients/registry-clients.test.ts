// Confluent Schema Registry clients against the hub's registry (`hub registry` as a child
// process, its `_schemas` topic on the Kafka test service): @kafkajs/confluent-schema-registry
// and @confluentinc/schemaregistry (npm) register, fetch, encode and decode Avro, JSON Schema
// and Protobuf records; Python confluent-kafka's SchemaRegistryClient with its Avro serializer
// does the same (python_avro.py; provisioned by `test/services/up clients`). @confluentinc's
// Protobuf serde registers schemas as base64 FileDescriptorProtos built from @bufbuild/protobuf
// descriptors and reads them back with `format=serialized`; the message types are built here at
// run time from descriptors, as an application without generated code would.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { SchemaRegistry, SchemaType } from "@kafkajs/confluent-schema-registry";
import {
  AvroDeserializer, AvroSerializer, JsonDeserializer, JsonSerializer, ProtobufDeserializer, ProtobufSerializer, SchemaRegistryClient, SerdeType,
} from "@confluentinc/schemaregistry";
import { create, createFileRegistry, createMutableRegistry, type DescFile, type DescMessage, fromBinary, fromJson, type JsonValue } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema, file_google_protobuf_timestamp, TimestampSchema } from "@bufbuild/protobuf/wkt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireService } from "../../services/index.ts";
import { startRegistryProcess, type RegistryProcess } from "../../support/registry-process.ts";

const root = join(import.meta.dirname, "../../..");
const python = join(root, ".venv/bin/python");

let registry: RegistryProcess;
let n = 0;
const unique = (name: string): string => `${name}-${process.pid}-${Date.now().toString(36)}-${++n}`;

const USER_V1 = {
  type: "record",
  name: "User",
  namespace: "hub.interop",
  fields: [
    { name: "id", type: "long" },
    { name: "name", type: "string" },
  ],
};
const USER_V2 = { ...USER_V1, fields: [...USER_V1.fields, { name: "email", type: ["null", "string"], default: null }] };

const ORDER_JSON = {
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "Order",
  type: "object",
  properties: { id: { type: "integer" }, item: { type: "string" }, qty: { type: "integer", minimum: 1 } },
  required: ["id", "item"],
  additionalProperties: false,
};

const ORDER_PROTO = `syntax = "proto3";
package hub.interop;

message Order {
  int64 id = 1;
  string item = 2;
  repeated string tags = 3;
}
`;

beforeAll(async () => {
  registry = await startRegistryProcess({ bootstrap: await requireService("kafka") });
}, 90_000);

afterAll(async () => {
  await registry?.stop();
});

describe("@kafkajs/confluent-schema-registry", () => {
  it("registers, encodes and decodes Avro, and the same schema gets the same id", async () => {
    const client = new SchemaRegistry({ host: registry.url });
    const subject = `${unique("kjs-avro")}-value`;
    const { id } = await client.register({ type: SchemaType.AVRO, schema: JSON.stringify(USER_V1) }, { subject });
    expect((await client.register({ type: SchemaType.AVRO, schema: JSON.stringify(USER_V1) }, { subject })).id).toBe(id);
    const frame = await client.encode(id, { id: 7, name: "seven" });
    expect(frame[0]).toBe(0);
    expect(frame.readInt32BE(1)).toBe(id);
    expect(await client.decode(frame)).toEqual({ id: 7, name: "seven" });
    const { id: id2 } = await client.register({ type: SchemaType.AVRO, schema: JSON.stringify(USER_V2) }, { subject });
    expect(id2).not.toBe(id);
    expect(await client.getLatestSchemaId(subject)).toBe(id2);
    expect(await client.decode(await client.encode(id2, { id: 8, name: "eight", email: "e@x" }))).toEqual({ id: 8, name: "eight", email: "e@x" });
  });

  it("registers, encodes and decodes JSON Schema, and refuses an invalid record", async () => {
    const client = new SchemaRegistry({ host: registry.url });
    const subject = `${unique("kjs-json")}-value`;
    const { id } = await client.register({ type: SchemaType.JSON, schema: JSON.stringify(ORDER_JSON) }, { subject });
    const frame = await client.encode(id, { id: 1, item: "pen", qty: 2 });
    expect(frame.readInt32BE(1)).toBe(id);
    expect(await client.decode(frame)).toEqual({ id: 1, item: "pen", qty: 2 });
    await expect(client.encode(id, { id: 1, item: "pen", qty: 0 })).rejects.toThrow();
  });

  it("registers, encodes and decodes Protobuf", async () => {
    const client = new SchemaRegistry({ host: registry.url });
    const subject = `${unique("kjs-proto")}-value`;
    const { id } = await client.register({ type: SchemaType.PROTOBUF, schema: ORDER_PROTO }, { subject });
    const frame = await client.encode(id, { id: 5, item: "cup", tags: ["a", "b"] });
    expect(frame.readInt32BE(1)).toBe(id);
    const decoded = (await client.decode(frame)) as { id: unknown; item: string; tags: string[] };
    expect({ id: Number(decoded.id), item: decoded.item, tags: decoded.tags }).toEqual({ id: 5, item: "cup", tags: ["a", "b"] });
    const fetched = await client.getSchema(id);
    expect(fetched).toBeTruthy();
  });
});

describe("@confluentinc/schemaregistry", () => {
  it("serializes and deserializes Avro with auto-registration, then evolves the schema", async () => {
    const client = new SchemaRegistryClient({ baseURLs: [registry.url] });
    const topic = unique("ccjs-avro");
    const subject = `${topic}-value`;
    const id1 = await client.register(subject, { schemaType: "AVRO", schema: JSON.stringify(USER_V1) });
    const ser = new AvroSerializer(client, SerdeType.VALUE, { useLatestVersion: true });
    const de = new AvroDeserializer(client, SerdeType.VALUE, {});
    const frame = await ser.serialize(topic, { id: 1, name: "one" });
    expect(frame.readInt32BE(1)).toBe(id1);
    const back = (await de.deserialize(topic, frame)) as { id: bigint | number; name: string };
    expect({ id: Number(back.id), name: back.name }).toEqual({ id: 1, name: "one" });
    const id2 = await client.register(subject, { schemaType: "AVRO", schema: JSON.stringify(USER_V2) });
    expect(id2).not.toBe(id1);
    // A fresh client: this one cached the latest version when the serializer asked for it.
    const fresh = new SchemaRegistryClient({ baseURLs: [registry.url] });
    expect((await fresh.getLatestSchemaMetadata(subject)).id).toBe(id2);
    expect(await client.getAllVersions(subject)).toEqual([1, 2]);
    expect(await client.testSubjectCompatibility(subject, { schemaType: "AVRO", schema: JSON.stringify({ ...USER_V1, fields: [{ name: "id", type: "string" }] }) })).toBe(false);
  });

  it("serializes and deserializes JSON Schema", async () => {
    const client = new SchemaRegistryClient({ baseURLs: [registry.url] });
    const topic = unique("ccjs-json");
    const id = await client.register(`${topic}-value`, { schemaType: "JSON", schema: JSON.stringify(ORDER_JSON) });
    const ser = new JsonSerializer(client, SerdeType.VALUE, { useLatestVersion: true, validate: true });
    const de = new JsonDeserializer(client, SerdeType.VALUE, {});
    const frame = await ser.serialize(topic, { id: 3, item: "ink" });
    expect(frame.readInt32BE(1)).toBe(id);
    expect(await de.deserialize(topic, frame)).toEqual({ id: 3, item: "ink" });
  });
});

// ---- @confluentinc/schemaregistry Protobuf: message types built at run time with @bufbuild/protobuf ----

/** A FileDescriptorProto in its JSON form (protoc's names, enums by name), made into a file of `deps`. */
function runtimeFile(descriptor: JsonValue, deps: readonly DescFile[] = []): DescFile {
  const proto = fromJson(FileDescriptorProtoSchema, descriptor);
  const known = new Map([file_google_protobuf_timestamp, ...deps].map((f) => [f.proto.name, f]));
  return createFileRegistry(proto, (name) => known.get(name)).getFile(proto.name)!;
}

const field = (name: string, number: number, type: string, extra: Record<string, JsonValue> = {}): JsonValue => ({
  name, number, label: "LABEL_OPTIONAL", type: `TYPE_${type}`, jsonName: name, ...extra,
});

/**
 * hub/interop/<run>/money.proto (a reference) and hub/interop/<run>/order.proto importing it and
 * google/protobuf/timestamp.proto; Order is the second message (message indexes [1]), with a
 * nested message, a map, an enum, a oneof and a proto3 optional field.
 */
function orderFiles(run: string): { money: DescFile; order: DescFile } {
  const pkg = "hub.interop";
  const money = runtimeFile({
    name: `hub/interop/${run}/money.proto`, package: pkg, syntax: "proto3",
    messageType: [{ name: "Money", field: [field("currency", 1, "STRING"), field("units", 2, "INT64")] }],
  });
  const order = runtimeFile(
    {
      name: `hub/interop/${run}/order.proto`, package: pkg, syntax: "proto3",
      dependency: [`hub/interop/${run}/money.proto`, "google/protobuf/timestamp.proto"],
      messageType: [
        { name: "Envelope", field: [field("note", 1, "STRING")] },
        {
          name: "Order",
          field: [
            field("id", 1, "INT64"),
            field("item", 2, "STRING"),
            field("tags", 3, "STRING", { label: "LABEL_REPEATED" }),
            field("counts", 4, "MESSAGE", { label: "LABEL_REPEATED", typeName: ".hub.interop.Order.CountsEntry" }),
            field("line", 5, "MESSAGE", { typeName: ".hub.interop.Order.Line" }),
            field("status", 6, "ENUM", { typeName: ".hub.interop.Order.Status" }),
            field("at", 7, "MESSAGE", { typeName: ".google.protobuf.Timestamp" }),
            field("price", 8, "MESSAGE", { typeName: ".hub.interop.Money" }),
            field("card", 9, "STRING", { oneofIndex: 0 }),
            field("voucher", 10, "INT32", { oneofIndex: 0 }),
            field("note", 11, "STRING", { oneofIndex: 1, proto3Optional: true }),
          ],
          nestedType: [
            { name: "Line", field: [field("n", 1, "INT32")] },
            { name: "CountsEntry", field: [field("key", 1, "STRING"), field("value", 2, "INT32")], options: { mapEntry: true } },
          ],
          enumType: [{ name: "Status", value: [{ name: "NEW", number: 0 }, { name: "PAID", number: 1 }, { name: "SENT", number: 2 }] }],
          oneofDecl: [{ name: "payment" }, { name: "_note" }],
        },
      ],
    },
    [money],
  );
  return { money, order };
}

const message = (file: DescFile, name: string): DescMessage => file.messages.find((m) => m.name === name)!;

/** A GET answered by the registry as JSON. */
async function getJson(path: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${registry.url}${path}`);
  expect(res.status, path).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

describe("@confluentinc/schemaregistry Protobuf", () => {
  it("auto-registers a run-time descriptor with its reference, serializes with message indexes and deserializes from format=serialized", async () => {
    const run = unique("run");
    const { money, order } = orderFiles(run);
    const topic = unique("ccjs-proto");
    const client = new SchemaRegistryClient({ baseURLs: [registry.url] });
    const ser = new ProtobufSerializer(client, SerdeType.VALUE, { autoRegisterSchemas: true, registry: createMutableRegistry(order, money) });
    const value = create(message(order, "Order"), {
      id: 42n,
      item: "pen",
      tags: ["red", "blue"],
      counts: { a: 1, b: 2 },
      line: { n: 3 },
      status: 2,
      at: create(TimestampSchema, { seconds: 1_700_000_000n, nanos: 5 }),
      price: { currency: "EUR", units: 12n },
      payment: { case: "voucher", value: 7 },
      note: "",
    } as never);
    const frame = await ser.serialize(topic, value);

    // The reference went to a subject named by its file, the schema to the topic's subject.
    const ref = await getJson(`/subjects/${encodeURIComponent(money.proto.name)}/versions/latest`);
    expect([ref["schemaType"], ref["version"]]).toEqual(["PROTOBUF", 1]);
    const latest = await getJson(`/subjects/${topic}-value/versions/latest`);
    expect(latest["schemaType"]).toBe("PROTOBUF");
    expect(latest["references"]).toEqual([{ name: money.proto.name, subject: money.proto.name, version: 1 }]);
    expect(latest["schema"]).toMatch(/message Order \{/);
    expect(latest["schema"]).toMatch(/import "google\/protobuf\/timestamp.proto";/);

    // Confluent's framing: magic 0, the id, then the message indexes [1] (count 1, index 1, zigzag).
    expect(frame[0]).toBe(0);
    expect(frame.readInt32BE(1)).toBe(latest["id"]);
    expect([...frame.subarray(5, 7)]).toEqual([2, 2]);

    // A fresh client and deserializer: everything comes from the registry in the serialized format.
    const reader = new ProtobufDeserializer(new SchemaRegistryClient({ baseURLs: [registry.url] }), SerdeType.VALUE, {});
    const back = (await reader.deserialize(topic, frame)) as Record<string, unknown>;
    expect(back).toMatchObject({
      $typeName: "hub.interop.Order",
      id: 42n,
      item: "pen",
      tags: ["red", "blue"],
      counts: { a: 1, b: 2 },
      line: { n: 3 },
      status: 2,
      at: { seconds: 1_700_000_000n, nanos: 5 },
      price: { $typeName: "hub.interop.Money", currency: "EUR", units: 12n },
      payment: { case: "voucher", value: 7 },
      note: "",
    });

    // The same message again is the same schema: no new version.
    await ser.serialize(topic, create(message(order, "Order"), { id: 43n } as never));
    expect(await client.getAllVersions(`${topic}-value`)).toEqual([1]);

    // The first message of the file is message indexes [0]: one zero byte.
    const envelope = await ser.serialize(topic, create(message(order, "Envelope"), { note: "hi" } as never));
    expect(envelope[5]).toBe(0);
    expect(await reader.deserialize(topic, envelope)).toMatchObject({ $typeName: "hub.interop.Envelope", note: "hi" });
  });

  it("reads a Protobuf schema registered as text by @kafkajs/confluent-schema-registry, through format=serialized", async () => {
    const kafkajs = new SchemaRegistry({ host: registry.url });
    const topic = unique("kjs-to-ccjs");
    const subject = `${topic}-value`;
    const { id } = await kafkajs.register({ type: SchemaType.PROTOBUF, schema: ORDER_PROTO }, { subject });

    // The descriptor the registry serves for the text is a file @bufbuild/protobuf can build as it is.
    const client = new SchemaRegistryClient({ baseURLs: [registry.url] });
    const serialized = await client.getSchemaMetadata(subject, 1, false, "serialized");
    expect(serialized.id).toBe(id);
    const proto = fromBinary(FileDescriptorProtoSchema, Buffer.from(serialized.schema, "base64"));
    expect([proto.package, proto.syntax, proto.messageType.map((m) => m.name)]).toEqual(["hub.interop", "proto3", ["Order"]]);
    const orderType = createFileRegistry(proto, () => undefined).getMessage("hub.interop.Order")!;

    // @confluentinc serializes with the latest version (the text kafkajs registered) ...
    const ser = new ProtobufSerializer(client, SerdeType.VALUE, { useLatestVersion: true, registry: createMutableRegistry(orderType) });
    const frame = await ser.serialize(topic, create(orderType, { id: 5n, item: "cup", tags: ["a", "b"] } as never));
    expect(frame.readInt32BE(1)).toBe(id);
    expect(frame[5]).toBe(0);
    // ... and deserializes with a fresh client; kafkajs decodes the same frame.
    const reader = new ProtobufDeserializer(new SchemaRegistryClient({ baseURLs: [registry.url] }), SerdeType.VALUE, {});
    expect(await reader.deserialize(topic, frame)).toMatchObject({ $typeName: "hub.interop.Order", id: 5n, item: "cup", tags: ["a", "b"] });
    const decoded = (await kafkajs.decode(frame)) as { id: unknown; item: string; tags: string[] };
    expect({ id: Number(decoded.id), item: decoded.item, tags: decoded.tags }).toEqual({ id: 5, item: "cup", tags: ["a", "b"] });
  });

  it("lets @kafkajs/confluent-schema-registry read a schema @confluentinc registered from a descriptor", async () => {
    const topic = unique("ccjs-to-kjs");
    const file = runtimeFile({
      name: `hub/interop/${topic}.proto`, package: "hub.interop", syntax: "proto3",
      messageType: [{
        name: "Reading",
        field: [
          field("sensor", 1, "STRING"),
          field("value", 2, "DOUBLE"),
          field("labels", 3, "MESSAGE", { label: "LABEL_REPEATED", typeName: ".hub.interop.Reading.LabelsEntry" }),
        ],
        nestedType: [{ name: "LabelsEntry", field: [field("key", 1, "STRING"), field("value", 2, "STRING")], options: { mapEntry: true } }],
      }],
    });
    const client = new SchemaRegistryClient({ baseURLs: [registry.url] });
    const ser = new ProtobufSerializer(client, SerdeType.VALUE, { autoRegisterSchemas: true, registry: createMutableRegistry(file) });
    const frame = await ser.serialize(topic, create(message(file, "Reading"), { sensor: "t1", value: 21.5, labels: { room: "a" } } as never));

    // kafkajs fetches the text the registry stored for the descriptor and decodes the frame.
    const kafkajs = new SchemaRegistry({ host: registry.url });
    const decoded = (await kafkajs.decode(frame)) as { sensor: string; value: number; labels: { key: string; value: string }[] };
    expect({ sensor: decoded.sensor, value: decoded.value, labels: decoded.labels.map((l) => ({ key: l.key, value: l.value })) }).toEqual({
      sensor: "t1",
      value: 21.5,
      labels: [{ key: "room", value: "a" }],
    });
    // Registering that text again (as kafkajs would) finds the same schema.
    const id = frame.readInt32BE(1);
    const text = (await getJson(`/schemas/ids/${id}`))["schema"] as string;
    expect(text).toMatch(/message Reading \{/);
    expect((await kafkajs.register({ type: SchemaType.PROTOBUF, schema: text }, { subject: `${topic}-value` })).id).toBe(id);
  });
});

describe("Python confluent-kafka SchemaRegistryClient", () => {
  it("auto-registers, serializes and deserializes Avro, evolves it, and gets Confluent's errors", async () => {
    const topic = unique("py-avro");
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(python, [join(import.meta.dirname, "python_avro.py"), registry.url, topic], { timeout: 120_000, killSignal: "SIGKILL" }, (error, out, err) => {
        if (error) reject(new Error(`python_avro.py failed: ${error.message}\n${err.slice(-4000)}\n(is the client installed? run: test/services/up clients)`));
        else resolve(out);
      });
    });
    const result = JSON.parse(stdout) as Record<string, unknown>;
    expect(result["magic"]).toEqual([0, 0, 0]);
    expect(result["decoded_v1"]).toEqual([0, 1, 2].map((i) => ({ id: i, name: `user-${i}` })));
    expect(result["decoded_v2"]).toEqual({ id: 9, name: "nine", email: "n@example.com" });
    expect(result["versions"]).toEqual([1, 2]);
    expect(result["latest_fields"]).toEqual(["id", "name", "email"]);
    expect(result["compatible_bad"]).toBe(false);
    expect(result["bad_error"]).toEqual({ http_status: 409, error_code: 409 });
    expect(result["missing_error"]).toEqual({ http_status: 404, error_code: 40403 });
  }, 130_000);
});

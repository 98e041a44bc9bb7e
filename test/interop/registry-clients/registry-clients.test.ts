// Confluent Schema Registry clients against the hub's registry (`hub registry` as a child
// process, its `_schemas` topic on the Kafka test service): @kafkajs/confluent-schema-registry
// and @confluentinc/schemaregistry (npm) register, fetch, encode and decode Avro, JSON Schema
// and Protobuf records; Python confluent-kafka's SchemaRegistryClient with its Avro serializer
// does the same (python_avro.py; provisioned by `test/services/up clients`).
import { execFile } from "node:child_process";
import { join } from "node:path";
import { SchemaRegistry, SchemaType } from "@kafkajs/confluent-schema-registry";
import { AvroDeserializer, AvroSerializer, JsonDeserializer, JsonSerializer, SchemaRegistryClient, SerdeType } from "@confluentinc/schemaregistry";
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

// The AvroConverter against the hub's Schema Registry (REST on 127.0.0.1, in-memory log): Connect
// data through Confluent's wire format and back, the subjects and versions it registers, schema
// evolution, and the errors a task would fail with.
import avro from "avsc";
import { describe, expect, it } from "vitest";
import { ConfigException, ConnectTimestamp, DataException, Decimal, Schema, SchemaBuilder, Struct } from "../../../../connect/api/index.ts";
import { builtinRegistry } from "../../../../connect/runtime/plugins/builtins.ts";
import { CachedSchemaRegistryClient } from "../../../../registry/client/index.ts";
import { AvroConverter } from "../../../../registry/converters/avro-converter.ts";
import { frame, unframe } from "../../../../registry/serde/wire-format.ts";
import { type RestReply, useHubRegistry } from "./hub-registry.ts";

const registry = useHubRegistry();
let topicCounter = 0;
const topic = () => `avro-conv-${++topicCounter}`;

function converter(isKey = false, configs: Record<string, unknown> = {}): AvroConverter {
  return registry.configured(new AvroConverter(), isKey, configs);
}

function get(path: string): Promise<RestReply> {
  return registry.call("GET", path);
}

function post(path: string, body: unknown): Promise<RestReply> {
  return registry.call("POST", path, body);
}

const USER_V1 = SchemaBuilder.struct()
  .name("com.example.User")
  .field("id", Schema.INT64_SCHEMA)
  .field("name", Schema.STRING_SCHEMA)
  .field("balance", Decimal.builder(2).optional().build())
  .field("created", ConnectTimestamp.SCHEMA)
  .build();

describe("AvroConverter with the hub's registry", () => {
  it("registers the schema under <topic>-value and round-trips a struct through the wire format", async () => {
    const t = topic();
    const writer = converter();
    const value = new Struct(USER_V1).put("id", 2n ** 62n).put("name", "Ada").put("balance", Decimal.parse("10.25")).put("created", new Date(1_700_000_000_000));
    const bytes = (await writer.fromConnectData(t, null, USER_V1, value)) as Buffer;
    const framed = unframe(bytes);
    expect(bytes[0]).toBe(0);
    const versions = await get(`/subjects/${t}-value/versions/latest`);
    expect(versions.status).toBe(200);
    const latest = versions.body as { id: number; version: number; schema: string };
    expect(framed.schemaId).toBe(latest.id);
    expect(latest.version).toBe(1);
    expect(JSON.parse(latest.schema)).toMatchObject({ type: "record", name: "User", namespace: "com.example", "connect.name": "com.example.User" });

    // A fresh converter (no cache) reads it: same values; the Connect schema's version is the registry's.
    const back = await converter().toConnectData(t, null, bytes);
    expect(back.schema?.version).toBe(1);
    expect(back.schema?.fields.map((f) => f.name)).toEqual(["id", "name", "balance", "created"]);
    const struct = back.value as Struct;
    expect(struct.get("id")).toBe(2n ** 62n);
    expect(struct.get("name")).toBe("Ada");
    expect(struct.get("balance")).toEqual(Decimal.parse("10.25"));
    expect(struct.get("created")).toEqual(new Date(1_700_000_000_000));

    // The same schema again: the same id, no new version.
    const again = (await writer.fromConnectData(t, null, USER_V1, value)) as Buffer;
    expect(unframe(again).schemaId).toBe(framed.schemaId);
    expect((await get(`/subjects/${t}-value/versions`)).body).toEqual([1]);
  });

  it("writes the payload avsc reads with the registered schema, and reads what avsc writes", async () => {
    const t = topic();
    const schema = SchemaBuilder.struct().name("P").field("a", Schema.INT32_SCHEMA).field("b", Schema.OPTIONAL_STRING_SCHEMA).build();
    const bytes = (await converter().fromConnectData(t, null, schema, new Struct(schema).put("a", 7).put("b", "x"))) as Buffer;
    const { schemaId, payload } = unframe(bytes);
    const registered = (await get(`/schemas/ids/${schemaId}`)).body as { schema: string };
    const type = avro.Type.forSchema(JSON.parse(registered.schema));
    expect(type.fromBuffer(payload)).toMatchObject({ a: 7, b: "x" });

    // Another producer's record with the same schema id.
    const foreign = frame(schemaId, type.toBuffer({ a: -3, b: null }));
    const read = await converter().toConnectData(t, null, foreign);
    expect((read.value as Struct).get("a")).toBe(-3);
    expect((read.value as Struct).get("b")).toBeNull();
  });

  it("evolves a subject compatibly: both versions read back, each with its version", async () => {
    const t = topic();
    const v2 = SchemaBuilder.struct().name("com.example.Ev").field("id", Schema.INT64_SCHEMA).field("email", Schema.OPTIONAL_STRING_SCHEMA).build();
    const v1 = SchemaBuilder.struct().name("com.example.Ev").field("id", Schema.INT64_SCHEMA).build();
    const c = converter();
    const first = (await c.fromConnectData(t, null, v1, new Struct(v1).put("id", 1n))) as Buffer;
    const second = (await c.fromConnectData(t, null, v2, new Struct(v2).put("id", 2n).put("email", "e@x"))) as Buffer;
    expect(unframe(second).schemaId).not.toBe(unframe(first).schemaId);
    expect((await get(`/subjects/${t}-value/versions`)).body).toEqual([1, 2]);
    const reader = converter();
    const a = await reader.toConnectData(t, null, first);
    const b = await reader.toConnectData(t, null, second);
    expect([a.schema?.version, b.schema?.version]).toEqual([1, 2]);
    expect((b.value as Struct).get("email")).toBe("e@x");
  });

  it("fails an incompatible schema with the registry's message, as a configuration error", async () => {
    const t = topic();
    const v1 = SchemaBuilder.struct().name("com.example.In").field("id", Schema.INT64_SCHEMA).build();
    const bad = SchemaBuilder.struct().name("com.example.In").field("id", Schema.INT64_SCHEMA).field("required", Schema.STRING_SCHEMA).build();
    const c = converter();
    await c.fromConnectData(t, null, v1, new Struct(v1).put("id", 1n));
    const error = await c.fromConnectData(t, null, bad, new Struct(bad).put("id", 1n).put("required", "r")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigException);
    expect((error as Error).message).toMatch(new RegExp(`^Failed to access Avro data from topic ${t} : Schema being registered is incompatible with an earlier schema for subject "${t}-value", details: \\[.*; error code: 409$`));
  });

  it("with auto.register.schemas=false, looks the schema up and fails when it is not registered", async () => {
    const t = topic();
    const schema = SchemaBuilder.struct().name("com.example.Lk").field("id", Schema.INT32_SCHEMA).build();
    const lookup = converter(false, { "auto.register.schemas": "false" });
    const error = await lookup.fromConnectData(t, null, schema, new Struct(schema).put("id", 1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataException);
    expect((error as Error).message).toMatch(/^Failed to serialize Avro data from topic avro-conv-\d+: Error retrieving Avro schema: Subject 'avro-conv-\d+-value' not found.; error code: 40401$/);
    const registered = (await converter().fromConnectData(t, null, schema, new Struct(schema).put("id", 1))) as Buffer;
    const found = (await lookup.fromConnectData(t, null, schema, new Struct(schema).put("id", 2))) as Buffer;
    expect(unframe(found).schemaId).toBe(unframe(registered).schemaId);
  });

  it("with use.latest.version, writes with the subject's latest schema (by field name) after checking it can read the data", async () => {
    const t = topic();
    const latest = {
      type: "record",
      name: "Lt",
      namespace: "com.example",
      fields: [
        { name: "extra", type: "string", default: "d" },
        { name: "id", type: "long" },
      ],
    };
    const registered = await post(`/subjects/${t}-value/versions`, { schema: JSON.stringify(latest) });
    expect(registered.status).toBe(200);
    const id = (registered.body as { id: number }).id;
    const schema = SchemaBuilder.struct().name("com.example.Lt").field("id", Schema.INT64_SCHEMA).build();
    const c = converter(false, { "auto.register.schemas": false, "use.latest.version": true });
    const bytes = (await c.fromConnectData(t, null, schema, new Struct(schema).put("id", 5n))) as Buffer;
    expect(unframe(bytes).schemaId).toBe(id);
    const read = (await converter().toConnectData(t, null, bytes)).value as Struct;
    expect([read.get("extra"), read.get("id")]).toEqual(["d", 5n]);
    // A latest schema that cannot read the data (an int cannot hold a long) fails, unless
    // latest.compatibility.strict=false.
    const t2 = topic();
    const intLatest = { ...latest, fields: [{ name: "id", type: "int" }] };
    const id2 = ((await post(`/subjects/${t2}-value/versions`, { schema: JSON.stringify(intLatest) })).body as { id: number }).id;
    const value = new Struct(schema).put("id", 6n);
    const strictError = await c.fromConnectData(t2, null, schema, value).catch((e: unknown) => e);
    expect(strictError).toBeInstanceOf(DataException);
    expect((strictError as Error).message).toMatch(/Incompatible schema .* Set latest.compatibility.strict=false to disable this check/);
    const lax = converter(false, { "auto.register.schemas": false, "use.latest.version": true, "latest.compatibility.strict": false });
    const laxBytes = (await lax.fromConnectData(t2, null, schema, value)) as Buffer;
    expect(unframe(laxBytes).schemaId).toBe(id2);
    expect(((await converter().toConnectData(t2, null, laxBytes)).value as Struct).get("id")).toBe(6);
  });

  it("registers keys under <topic>-key, and RecordNameStrategy subjects under the record name", async () => {
    const t = topic();
    const key = (await converter(true).fromConnectData(t, null, Schema.STRING_SCHEMA, "k1")) as Buffer;
    expect((await get(`/subjects/${t}-key/versions/1`)).body).toMatchObject({ schema: '"string"' });
    expect((await converter(true).toConnectData(t, null, key)).value).toBe("k1");

    const schema = SchemaBuilder.struct().name(`com.example.Rn${topicCounter}`).field("x", Schema.INT32_SCHEMA).build();
    const byRecord = converter(false, { "value.subject.name.strategy": "io.confluent.kafka.serializers.subject.RecordNameStrategy" });
    const bytes = (await byRecord.fromConnectData(t, null, schema, new Struct(schema).put("x", 1))) as Buffer;
    expect((await get(`/subjects/${schema.name}/versions`)).body).toEqual([1]);
    expect(((await byRecord.toConnectData(t, null, bytes)).value as Struct).get("x")).toBe(1);
    const topicRecord = converter(false, { "value.subject.name.strategy": "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy" });
    await topicRecord.fromConnectData(t, null, schema, new Struct(schema).put("x", 1));
    expect((await get(`/subjects/${t}-${schema.name}/versions`)).body).toEqual([1]);
  });

  it("writes raw bytes for a top-level bytes schema, and null for a null value", async () => {
    const t = topic();
    const bytes = (await converter().fromConnectData(t, null, Schema.BYTES_SCHEMA, Buffer.from("raw"))) as Buffer;
    expect(unframe(bytes).payload.toString()).toBe("raw");
    expect((await converter().toConnectData(t, null, bytes)).value).toEqual(Buffer.from("raw"));
    expect(await converter().fromConnectData(t, null, Schema.OPTIONAL_STRING_SCHEMA, null)).toBeNull();
    expect((await converter().toConnectData(t, null, null)).value).toBeNull();
  });

  it("fails bytes that are not Confluent's wire format, or name an unknown schema id", async () => {
    const t = topic();
    const notFramed = await converter().toConnectData(t, null, Buffer.from('{"a":1}')).catch((e: unknown) => e);
    expect(notFramed).toBeInstanceOf(DataException);
    expect((notFramed as Error).message).toBe(`Failed to deserialize data for topic ${t} to Avro: Unknown magic byte!`);
    const unknownId = await converter().toConnectData(t, null, frame(987654, Buffer.from([2]))).catch((e: unknown) => e);
    expect((unknownId as Error).message).toBe(`Failed to deserialize data for topic ${t} to Avro: Error retrieving Avro schema for id 987654: Schema 987654 not found; error code: 40403`);
  });

  it("is found by Confluent's class name in the plugin registry", () => {
    const plugins = builtinRegistry();
    const found = plugins.find("converter", "io.confluent.connect.avro.AvroConverter");
    expect(found?.name).toBe("AvroConverter");
    expect(plugins.find("converter", "io.confluent.connect.json.JsonSchemaConverter")?.name).toBe("JsonSchemaConverter");
  });

  it("a shared client caches: the second converter does not ask the registry again for a known id", async () => {
    const t = topic();
    const client = new CachedSchemaRegistryClient({ urls: [registry.url] });
    const c = new AvroConverter(client);
    c.configure({ "schema.registry.url": registry.url }, false);
    const bytes = (await c.fromConnectData(t, null, Schema.INT32_SCHEMA, 5)) as Buffer;
    const first = client.getSchemaById(unframe(bytes).schemaId);
    expect(client.getSchemaById(unframe(bytes).schemaId)).toBe(first);
    expect((await c.toConnectData(t, null, bytes)).value).toBe(5);
  });
});

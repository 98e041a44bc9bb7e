// The JsonSchemaConverter against the hub's Schema Registry (REST on 127.0.0.1, in-memory log):
// JSON text after Confluent's wire-format header, JSON Schemas registered with schemaType JSON.
import { describe, expect, it } from "vitest";
import { ConfigException, DataException, Decimal, Schema, SchemaBuilder, Struct } from "../../../../connect/api/index.ts";
import { JsonSchemaConverter } from "../../../../registry/converters/json-schema-converter.ts";
import { frame, unframe } from "../../../../registry/serde/wire-format.ts";
import { useHubRegistry } from "./hub-registry.ts";

const registry = useHubRegistry();
let topicCounter = 0;
const topic = () => `json-conv-${++topicCounter}`;

function converter(isKey = false, configs: Record<string, unknown> = {}): JsonSchemaConverter {
  return registry.configured(new JsonSchemaConverter(), isKey, configs);
}

const ORDER = SchemaBuilder.struct()
  .name("com.example.Order")
  .field("id", Schema.INT64_SCHEMA)
  .field("note", Schema.OPTIONAL_STRING_SCHEMA)
  .field("amount", Decimal.schema(2))
  .field("lines", SchemaBuilder.array(SchemaBuilder.struct().name("com.example.Line").field("sku", Schema.STRING_SCHEMA).field("qty", Schema.INT32_SCHEMA).build()).build())
  .build();

describe("JsonSchemaConverter with the hub's registry", () => {
  it("registers a JSON schema under <topic>-value and round-trips a struct as JSON text", async () => {
    const t = topic();
    const line = ORDER.field("lines")?.schema.valueSchema as Schema;
    const value = new Struct(ORDER)
      .put("id", 9007199254740993n)
      .put("note", null)
      .put("amount", Decimal.parse("3.50"))
      .put("lines", [new Struct(line).put("sku", "a").put("qty", 2)]);
    const bytes = (await converter().fromConnectData(t, null, ORDER, value)) as Buffer;
    const { schemaId, payload } = unframe(bytes);
    expect(payload.toString()).toBe('{"id":9007199254740993,"note":null,"amount":"AV4=","lines":[{"sku":"a","qty":2}]}');
    const latest = (await registry.call("GET", `/subjects/${t}-value/versions/latest`)).body as { id: number; schemaType: string; schema: string; version: number };
    expect([latest.id, latest.schemaType, latest.version]).toEqual([schemaId, "JSON", 1]);
    expect(JSON.parse(latest.schema)).toMatchObject({ type: "object", title: "com.example.Order" });

    const back = await converter().toConnectData(t, null, bytes);
    expect(back.schema?.version).toBe(1);
    const struct = back.value as Struct;
    expect(struct.get("id")).toBe(9007199254740993n);
    expect(struct.get("amount")).toEqual(Decimal.parse("3.50"));
    expect(((struct.get("lines") as Struct[])[0] as Struct).get("qty")).toBe(2);
  });

  it("reads JSON written by another producer with a hand-written schema", async () => {
    const t = topic();
    const schema = {
      $schema: "http://json-schema.org/draft-07/schema#",
      title: "Click",
      type: "object",
      properties: { page: { type: "string" }, ms: { type: "integer" }, tags: { type: "array", items: { type: "string" } } },
      required: ["page"],
    };
    const registered = await registry.call("POST", `/subjects/${t}-value/versions`, { schemaType: "JSON", schema: JSON.stringify(schema) });
    expect(registered.status).toBe(200);
    const id = (registered.body as { id: number }).id;
    const read = await converter().toConnectData(t, null, frame(id, Buffer.from('{"page":"/home","ms":12,"tags":["x"]}')));
    expect(read.schema?.name).toBe("Click");
    expect(read.schema?.fields.map((f) => [f.name, f.schema.type])).toEqual([
      ["page", "STRING"],
      ["ms", "INT64"],
      ["tags", "ARRAY"],
    ]);
    expect((read.value as Struct).get("ms")).toBe(12n);
  });

  it("validates values against the schema with json.fail.invalid.schema", async () => {
    const t = topic();
    const schema = { type: "object", properties: { n: { type: "integer", maximum: 10 } }, required: ["n"] };
    const id = ((await registry.call("POST", `/subjects/${t}-value/versions`, { schemaType: "JSON", schema: JSON.stringify(schema) })).body as { id: number }).id;
    const strict = converter(false, { "json.fail.invalid.schema": true });
    expect(((await strict.toConnectData(t, null, frame(id, Buffer.from('{"n":3}')))).value as Struct).get("n")).toBe(3n);
    const error = await strict.toConnectData(t, null, frame(id, Buffer.from('{"n":11}'))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataException);
    expect((error as Error).message).toMatch(/does not conform to its JSON Schema: \/n must be <= 10/);
  });

  it("fails an incompatible change as a configuration error naming the registry's reason", async () => {
    const t = topic();
    const v1 = SchemaBuilder.struct().name("S").field("a", Schema.INT32_SCHEMA).build();
    const v2 = SchemaBuilder.struct().name("S").field("a", Schema.STRING_SCHEMA).build();
    const c = converter();
    await c.fromConnectData(t, null, v1, new Struct(v1).put("a", 1));
    const error = await c.fromConnectData(t, null, v2, new Struct(v2).put("a", "x")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigException);
    expect((error as Error).message).toMatch(new RegExp(`^Failed to access JSON Schema data from topic ${t} : Schema being registered is incompatible with an earlier schema for subject "${t}-value".*; error code: 409$`));
  });

  it("writes null values as null records and reads them back as null", async () => {
    const t = topic();
    expect(await converter().fromConnectData(t, null, ORDER, null)).toBeNull();
    expect((await converter().toConnectData(t, null, null)).value).toBeNull();
  });

  it("refuses bytes that are not framed, and Avro schemas", async () => {
    const t = topic();
    const error = await converter().toConnectData(t, null, Buffer.from('{"a":1}')).catch((e: unknown) => e);
    expect((error as Error).message).toBe(`Converting byte[] to Kafka Connect data failed due to serialization error of topic ${t}: Unknown magic byte!`);
    const avroId = ((await registry.call("POST", `/subjects/${t}-value/versions`, { schema: '"string"' })).body as { id: number }).id;
    const wrongType = await converter().toConnectData(t, null, frame(avroId, Buffer.from('"x"'))).catch((e: unknown) => e);
    expect((wrongType as Error).message).toMatch(new RegExp(`Schema ${avroId} is a AVRO schema, not JSON`));
  });
});

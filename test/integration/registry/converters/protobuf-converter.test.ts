// The ProtobufConverter against the hub's Schema Registry (REST on 127.0.0.1, in-memory log):
// .proto schemas registered with schemaType PROTOBUF, Confluent's message indexes in the frame.
import { describe, expect, it } from "vitest";
import { ConfigException, ConnectTimestamp, Decimal, Schema, SchemaBuilder, Struct } from "../../../../connect/api/index.ts";
import { ProtobufConverter } from "../../../../registry/converters/protobuf-converter.ts";
import { protobufFormat } from "../../../../registry/formats/protobuf/index.ts";
import { frame, unframe } from "../../../../registry/serde/wire-format.ts";
import { useHubRegistry } from "./hub-registry.ts";

const registry = useHubRegistry();
let topicCounter = 0;
const topic = () => `pb-conv-${++topicCounter}`;

function converter(configs: Record<string, unknown> = {}): ProtobufConverter {
  return registry.configured(new ProtobufConverter(), false, configs);
}

describe("ProtobufConverter with the hub's registry", () => {
  it("registers a .proto under <topic>-value and round-trips a struct, the first message framed as index 0", async () => {
    const t = topic();
    const schema = SchemaBuilder.struct()
      .name("com.example.Payment")
      .field("id", Schema.INT64_SCHEMA)
      .field("amount", Decimal.schema(2))
      .field("at", ConnectTimestamp.SCHEMA)
      .field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA).build())
      .build();
    const value = new Struct(schema).put("id", 42n).put("amount", Decimal.parse("19.99")).put("at", new Date(1_700_000_000_500)).put("tags", ["a"]);
    const bytes = (await converter().fromConnectData(t, null, schema, value)) as Buffer;
    const framed = unframe(bytes, { messageIndexes: true });
    expect(framed.messageIndexes).toEqual([0]);
    expect(bytes[5]).toBe(0);
    const latest = (await registry.call("GET", `/subjects/${t}-value/versions/latest`)).body as { id: number; schemaType: string; version: number };
    expect([latest.id, latest.schemaType, latest.version]).toEqual([framed.schemaId, "PROTOBUF", 1]);
    const back = await converter().toConnectData(t, null, bytes);
    expect(back.schema?.name).toBe("Payment");
    expect(back.schema?.version).toBe(1);
    const struct = back.value as Struct;
    expect([struct.get("id"), struct.get("amount"), struct.get("at"), struct.get("tags")]).toEqual([42n, Decimal.parse("19.99"), new Date(1_700_000_000_500), ["a"]]);
  });

  it("reads the message the indexes name, in a schema registered elsewhere", async () => {
    const t = topic();
    const proto = 'syntax = "proto3";\npackage shop;\nmessage First { string a = 1; }\nmessage Second { int32 n = 1; message Inner { bool ok = 1; } }\n';
    const registered = await registry.call("POST", `/subjects/${t}-value/versions`, { schemaType: "PROTOBUF", schema: proto });
    expect(registered.status).toBe(200);
    const id = (registered.body as { id: number }).id;
    const parsed = protobufFormat.parse(proto, [], new Map());
    const second = await converter().toConnectData(t, null, frame(id, parsed.encode("shop.Second", { n: 7 }), [1]));
    expect(second.schema?.name).toBe("Second");
    expect((second.value as Struct).get("n")).toBe(7);
    const inner = await converter().toConnectData(t, null, frame(id, parsed.encode("shop.Second.Inner", { ok: true }), [1, 0]));
    expect(inner.schema?.name).toBe("Inner");
    expect((inner.value as Struct).get("ok")).toBe(true);
  });

  it("fails an incompatible change as a configuration error", async () => {
    const t = topic();
    const v1 = SchemaBuilder.struct().name("S").field("a", Schema.STRING_SCHEMA).build();
    const v2 = SchemaBuilder.struct().name("S").field("a", Schema.INT64_SCHEMA).build();
    const c = converter();
    await c.fromConnectData(t, null, v1, new Struct(v1).put("a", "x"));
    const error = await c.fromConnectData(t, null, v2, new Struct(v2).put("a", 1n)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigException);
    expect((error as Error).message).toMatch(new RegExp(`^Failed to access Protobuf data from topic ${t} : Schema being registered is incompatible with an earlier schema for subject "${t}-value".*; error code: 409$`, "s"));
  });
});

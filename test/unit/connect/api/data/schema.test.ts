import { describe, expect, it } from "vitest";
import {
  ConnectDate,
  ConnectSchema,
  ConnectTime,
  ConnectTimestamp,
  DataException,
  Decimal,
  Field,
  isPrimitiveType,
  Schema,
  SchemaBuilder,
  SchemaBuilderException,
  schemaEquals,
  schemaTypeName,
  SchemaType,
  Struct,
} from "../../../../../connect/api/index.ts";

describe("predefined schemas", () => {
  it("are the primitive types, required and optional", () => {
    expect(Schema.INT32_SCHEMA.type).toBe("INT32");
    expect(Schema.INT32_SCHEMA.optional).toBe(false);
    expect(Schema.OPTIONAL_STRING_SCHEMA.type).toBe("STRING");
    expect(Schema.OPTIONAL_STRING_SCHEMA.optional).toBe(true);
    expect(Schema.BYTES_SCHEMA.name).toBeNull();
    expect(Schema.FLOAT64_SCHEMA.defaultValue).toBeNull();
    expect(ConnectSchema).toBe(Schema);
    expect(Schema.Type.STRUCT).toBe("STRUCT");
  });

  it("are immutable", () => {
    expect(Object.isFrozen(Schema.INT8_SCHEMA)).toBe(true);
    expect(() => {
      (Schema.INT8_SCHEMA as { optional: boolean }).optional = true;
    }).toThrow(TypeError);
  });

  it("know their type names", () => {
    expect(schemaTypeName(SchemaType.FLOAT32)).toBe("float32");
    expect(isPrimitiveType("BYTES")).toBe(true);
    expect(isPrimitiveType("MAP")).toBe(false);
  });
});

describe("SchemaBuilder", () => {
  it("builds a struct the way Kafka's does", () => {
    const address = SchemaBuilder.struct().name("Address").field("city", Schema.STRING_SCHEMA).optional().build();
    const schema = SchemaBuilder.struct()
      .name("com.example.User")
      .version(2)
      .doc("a user")
      .parameter("owner", "team-a")
      .field("id", Schema.INT64_SCHEMA)
      .field("email", SchemaBuilder.string().optional())
      .field("address", address)
      .field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA))
      .field("attributes", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.OPTIONAL_INT32_SCHEMA).optional())
      .build();
    expect(schema.type).toBe("STRUCT");
    expect(schema.name).toBe("com.example.User");
    expect(schema.version).toBe(2);
    expect(schema.doc).toBe("a user");
    expect(schema.parameters?.get("owner")).toBe("team-a");
    expect(schema.fields.map((f) => [f.name, f.index, f.schema.type])).toEqual([
      ["id", 0, "INT64"],
      ["email", 1, "STRING"],
      ["address", 2, "STRUCT"],
      ["tags", 3, "ARRAY"],
      ["attributes", 4, "MAP"],
    ]);
    expect(schema.field("email")?.schema.optional).toBe(true);
    expect(schema.field("nope")).toBeNull();
    expect(schema.field("tags")?.schema.valueSchema).toBe(Schema.STRING_SCHEMA);
    expect(schema.field("attributes")?.schema.keySchema).toBe(Schema.STRING_SCHEMA);
    expect(schema.keySchema).toBeNull();
  });

  it("validates the default value when building", () => {
    expect(SchemaBuilder.int32().defaultValue(5).build().defaultValue).toBe(5);
    expect(SchemaBuilder.int64().defaultValue(5n).build().defaultValue).toBe(5n);
    expect(() => SchemaBuilder.int32().defaultValue("x").build()).toThrow(SchemaBuilderException);
    expect(() => SchemaBuilder.int32().defaultValue("x").build()).toThrow(/^Invalid default value: Invalid value for schema with type INT32: string/);
    expect(() => SchemaBuilder.int64().defaultValue(5).build()).toThrow(/INT64 values are bigints/);
    const s = SchemaBuilder.struct().field("b", Schema.BOOLEAN_SCHEMA).build();
    const withDefault = SchemaBuilder.struct().field("b", Schema.BOOLEAN_SCHEMA).defaultValue(new Struct(s).put("b", true)).build();
    expect((withDefault.defaultValue as Struct).get("b")).toBe(true);
  });

  it("refuses what Kafka's refuses, with Kafka's messages", () => {
    expect(() => SchemaBuilder.int32().name("a").name("b")).toThrow("Invalid SchemaBuilder call: name has already been set.");
    expect(() => SchemaBuilder.int32().version(1).version(2)).toThrow("Invalid SchemaBuilder call: version has already been set.");
    expect(() => SchemaBuilder.int32().doc("a").doc("b")).toThrow("Invalid SchemaBuilder call: doc has already been set.");
    expect(() => SchemaBuilder.int32().defaultValue(1).defaultValue(2)).toThrow("Invalid SchemaBuilder call: default has already been set.");
    expect(SchemaBuilder.int32().name("a").name("a").build().name).toBe("a");
    expect(() => SchemaBuilder.int32().field("a", Schema.INT32_SCHEMA)).toThrow("Cannot create fields on type INT32");
    expect(() => SchemaBuilder.struct().field("a", Schema.INT32_SCHEMA).field("a", Schema.INT32_SCHEMA)).toThrow(
      "Cannot create field because of field name duplication a",
    );
    expect(() => SchemaBuilder.struct().field("", Schema.INT32_SCHEMA)).toThrow("fieldName cannot be null.");
    expect(() => SchemaBuilder.array(null as unknown as Schema)).toThrow("valueSchema cannot be null.");
    expect(() => SchemaBuilder.int8().fields()).toThrow("Cannot list fields on non-struct type");
  });

  it("makes schemas whose fields can only be listed on structs", () => {
    expect(() => Schema.INT32_SCHEMA.fields).toThrow(DataException);
    expect(() => Schema.INT32_SCHEMA.fields).toThrow("Cannot list fields on non-struct type");
    expect(() => Schema.INT32_SCHEMA.field("x")).toThrow("Cannot look up fields on non-struct type");
  });

  it("keeps parameters in insertion order", () => {
    const schema = SchemaBuilder.string().parameter("b", "1").parameters({ a: "2", "10": "3" }).build();
    expect([...(schema.parameters ?? [])]).toEqual([
      ["b", "1"],
      ["10", "3"],
      ["a", "2"],
    ]);
  });
});

describe("Schema", () => {
  it("checks what it is built from", () => {
    expect(() => new Schema({ type: "ARRAY" })).toThrow(DataException);
    expect(() => new Schema({ type: "INT32", fields: [] })).toThrow("Cannot specify fields on non-struct type.");
    expect(() => new Schema({ type: "STRUCT", fields: [new Field("a", 1, Schema.INT8_SCHEMA)] })).toThrow(/index 1/);
    expect(() => new Schema({ type: "NOPE" as SchemaType })).toThrow("Unknown schema type: NOPE");
  });

  it("compares deeply, as Kafka's equals", () => {
    const a = () => SchemaBuilder.struct().name("S").field("x", SchemaBuilder.int32().defaultValue(1)).field("m", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.BYTES_SCHEMA)).build();
    expect(a()).not.toBe(a());
    expect(a().equals(a())).toBe(true);
    expect(schemaEquals(a(), a())).toBe(true);
    expect(a().equals(SchemaBuilder.struct().name("S").field("x", Schema.INT32_SCHEMA).build())).toBe(false);
    expect(schemaEquals(SchemaBuilder.int32().optional().build(), Schema.OPTIONAL_INT32_SCHEMA)).toBe(true);
    expect(schemaEquals(Schema.INT32_SCHEMA, Schema.OPTIONAL_INT32_SCHEMA)).toBe(false);
    expect(schemaEquals(SchemaBuilder.string().doc("d").build(), Schema.STRING_SCHEMA)).toBe(false);
    expect(schemaEquals(SchemaBuilder.string().parameter("k", "v").build(), SchemaBuilder.string().parameter("k", "w").build())).toBe(false);
    expect(schemaEquals(null, null)).toBe(true);
    expect(schemaEquals(null, Schema.INT8_SCHEMA)).toBe(false);
  });

  it("prints as Kafka prints schemas", () => {
    expect(Schema.INT32_SCHEMA.toString()).toBe("Schema{INT32}");
    expect(SchemaBuilder.struct().name("x").build().toString()).toBe("Schema{x:STRUCT}");
    expect(Decimal.schema(2).toString()).toBe("Schema{org.apache.kafka.connect.data.Decimal:BYTES}");
  });
});

describe("logical type schemas", () => {
  it("have Kafka's names, types, versions and parameters", () => {
    const decimal = Decimal.schema(2);
    expect([decimal.type, decimal.name, decimal.version, decimal.parameters?.get("scale")]).toEqual(["BYTES", "org.apache.kafka.connect.data.Decimal", 1, "2"]);
    expect([ConnectDate.SCHEMA.type, ConnectDate.SCHEMA.name, ConnectDate.SCHEMA.version]).toEqual(["INT32", "org.apache.kafka.connect.data.Date", 1]);
    expect([ConnectTime.SCHEMA.type, ConnectTime.SCHEMA.name]).toEqual(["INT32", "org.apache.kafka.connect.data.Time"]);
    expect([ConnectTimestamp.SCHEMA.type, ConnectTimestamp.SCHEMA.name]).toEqual(["INT64", "org.apache.kafka.connect.data.Timestamp"]);
    expect(ConnectTimestamp.builder().optional().build().optional).toBe(true);
  });
});

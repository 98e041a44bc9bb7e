import { describe, expect, it } from "vitest";
import { ConfigException, ConnectDate, ConnectTimestamp, DataException, Schema, SchemaBuilder, Struct } from "../../../connect/api/index.ts";
import { TimestampConverter, timestampConverterValuePlugin } from "../../../transforms/timestamp-converter.ts";
import { sourceRecord } from "./helpers.ts";

function configured(configs: Record<string, unknown>, side: "key" | "value" = "value"): TimestampConverter {
  const t = new TimestampConverter(side);
  t.configure(configs);
  return t;
}

const MS = 1_700_000_000_123; // 2023-11-14T22:13:20.123Z

describe("TimestampConverter", () => {
  it("converts a Timestamp field of a Struct to a string, a Date and unix", () => {
    const schema = SchemaBuilder.struct().field("at", ConnectTimestamp.SCHEMA).field("x", Schema.STRING_SCHEMA).build();
    const value = new Struct(schema).put("at", new Date(MS)).put("x", "y");
    const str = configured({ field: "at", "target.type": "string", format: "yyyy-MM-dd HH:mm:ss.SSS" }).apply(sourceRecord({ valueSchema: schema, value }))!;
    expect(str.valueSchema!.field("at")!.schema.type).toBe("STRING");
    expect((str.value as Struct).get("at")).toBe("2023-11-14 22:13:20.123");
    const date = configured({ field: "at", "target.type": "Date" }).apply(sourceRecord({ valueSchema: schema, value }))!;
    expect(date.valueSchema!.field("at")!.schema.name).toBe(ConnectDate.LOGICAL_NAME);
    expect(((date.value as Struct).get("at") as Date).toISOString()).toBe("2023-11-14T00:00:00.000Z");
    const unix = configured({ field: "at", "target.type": "unix", "unix.precision": "microseconds" }).apply(sourceRecord({ valueSchema: schema, value }))!;
    expect((unix.value as Struct).get("at")).toBe(1_700_000_000_123_000n);
  });

  it("converts whole schemaless values", () => {
    expect(configured({ "target.type": "string", format: "yyyyMMdd" }).apply(sourceRecord({ value: MS }))!.value).toBe("20231114");
    expect(configured({ "target.type": "unix", format: "yyyy-MM-dd'T'HH:mm" }).apply(sourceRecord({ value: "2023-11-14T22:13" }))!.value).toBe(1_699_999_980_000n);
    expect(configured({ "target.type": "Time", "unix.precision": "seconds" }, "key").apply(sourceRecord({ key: 1_700_000_000 }))!.key).toEqual(new Date(80_000_000));
  });

  it("fails on unparseable strings and bad configs", () => {
    expect(() => configured({ "target.type": "unix", format: "yyyy" }).apply(sourceRecord({ value: "x" }))).toThrow(DataException);
    expect(() => configured({ "target.type": "string" })).toThrow("TimestampConverter requires format option to be specified when using string timestamps");
    expect(() => configured({ "target.type": "Instant" })).toThrow(ConfigException);
    expect(() => configured({ "target.type": "string", format: "EEE" })).toThrow(ConfigException);
    expect(timestampConverterValuePlugin.aliases).toEqual(["org.apache.kafka.connect.transforms.TimestampConverter$Value"]);
  });
});

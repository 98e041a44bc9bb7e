import { describe, expect, it } from "vitest";
import { ConnectDate, ConnectTime, ConnectTimestamp, DataException, Decimal, Schema, SchemaBuilder } from "../../../../../connect/api/index.ts";

describe("Decimal", () => {
  it("parses decimal text as Java's BigDecimal(String)", () => {
    const cases: [string, bigint, number][] = [
      ["12.30", 1230n, 2],
      ["-0.5", -5n, 1],
      ["+7", 7n, 0],
      ["1E+3", 1n, -3],
      ["1.5e-3", 15n, 4],
      [".5", 5n, 1],
      ["5.", 5n, 0],
      ["12345678901234567890123", 12345678901234567890123n, 0],
    ];
    for (const [text, unscaled, scale] of cases) {
      const d = Decimal.parse(text);
      expect([d.unscaled, d.scale], text).toEqual([unscaled, scale]);
    }
    expect(() => Decimal.parse("1.2.3")).toThrow(DataException);
    expect(() => Decimal.parse("")).toThrow(DataException);
    expect(() => Decimal.parse("e5")).toThrow(DataException);
  });

  it("prints as BigDecimal.toString and toPlainString", () => {
    const cases: [bigint, number, string, string][] = [
      [1234n, 2, "12.34", "12.34"],
      [100n, 2, "1.00", "1.00"],
      [-5n, 3, "-0.005", "-0.005"],
      [1n, 6, "0.000001", "0.000001"],
      [1n, 7, "1E-7", "0.0000001"],
      [1n, 10, "1E-10", "0.0000000001"],
      [15n, -2, "1.5E+3", "1500"],
      [0n, 0, "0", "0"],
      [0n, 2, "0.00", "0.00"],
      [-123n, 0, "-123", "-123"],
    ];
    for (const [unscaled, scale, text, plain] of cases) {
      const d = new Decimal(unscaled, scale);
      expect(d.toString()).toBe(text);
      expect(d.toPlainString()).toBe(plain);
      expect(JSON.stringify({ d })).toBe(`{"d":"${text}"}`);
    }
  });

  it("compares like BigDecimal: equals minds the scale, compareTo does not", () => {
    expect(Decimal.parse("1.0").equals(Decimal.parse("1.00"))).toBe(false);
    expect(Decimal.parse("1.0").compareTo(Decimal.parse("1.00"))).toBe(0);
    expect(Decimal.parse("-2").compareTo(Decimal.parse("1.5"))).toBe(-1);
    expect(Decimal.parse("1.5").setScale(3).toString()).toBe("1.500");
    expect(Decimal.parse("1.500").setScale(1).toString()).toBe("1.5");
    expect(() => Decimal.parse("1.55").setScale(1)).toThrow(/Rounding necessary/);
    expect(Decimal.from(0.1).toString()).toBe("0.1");
    expect(Decimal.from(10n).scale).toBe(0);
    expect(Decimal.parse("-12.5").toNumber()).toBe(-12.5);
    expect(Decimal.parse("-0.00120").precision).toBe(3);
  });

  it("converts to and from Kafka's bytes (two's complement of the unscaled value)", () => {
    const schema = Decimal.schema(2);
    const cases: [string, string][] = [
      ["0.00", "00"],
      ["1.27", "7f"],
      ["1.28", "0080"],
      ["-1.28", "80"],
      ["-1.29", "ff7f"],
      ["123.45", "3039"],
      ["-0.01", "ff"],
      ["92233720368547758.08", "008000000000000000"],
    ];
    for (const [text, hex] of cases) {
      const d = Decimal.parse(text);
      expect(Decimal.fromLogical(schema, d).toString("hex"), text).toBe(hex);
      expect(Decimal.toLogical(schema, Buffer.from(hex, "hex")).equals(d), text).toBe(true);
    }
    expect(() => Decimal.fromLogical(schema, Decimal.parse("1.5"))).toThrow(
      "Decimal value has mismatching scale for given Decimal schema. Schema has scale 2, value has scale 1.",
    );
    expect(() => Decimal.toLogical(SchemaBuilder.bytes().name(Decimal.LOGICAL_NAME).build(), Buffer.from([1]))).toThrow(
      "Invalid Decimal schema: scale parameter not found.",
    );
    expect(() => Decimal.toLogical(schema, Buffer.alloc(0))).toThrow(DataException);
  });
});

describe("Date, Time and Timestamp", () => {
  it("convert to and from Kafka's integers", () => {
    expect(ConnectDate.fromLogical(ConnectDate.SCHEMA, new Date("2022-01-08T00:00:00Z"))).toBe(19000);
    expect(ConnectDate.fromLogical(ConnectDate.SCHEMA, new Date("1969-12-31T00:00:00Z"))).toBe(-1);
    expect(ConnectDate.toLogical(ConnectDate.SCHEMA, 19000).toISOString()).toBe("2022-01-08T00:00:00.000Z");
    expect(ConnectTime.fromLogical(ConnectTime.SCHEMA, new Date(45296789))).toBe(45296789);
    expect(ConnectTime.toLogical(ConnectTime.SCHEMA, 86400000).getTime()).toBe(86400000);
    expect(ConnectTimestamp.fromLogical(ConnectTimestamp.SCHEMA, new Date(-1))).toBe(-1n);
    expect(ConnectTimestamp.toLogical(ConnectTimestamp.SCHEMA, 1700000000123n).toISOString()).toBe("2023-11-14T22:13:20.123Z");
  });

  it("refuse values Kafka refuses", () => {
    expect(() => ConnectDate.fromLogical(ConnectDate.SCHEMA, new Date(5))).toThrow("Kafka Connect Date type should not have any time fields set to non-zero values.");
    expect(() => ConnectDate.fromLogical(Schema.INT32_SCHEMA, new Date(0))).toThrow("Requested conversion of Date object but the schema does not match.");
    expect(() => ConnectTime.fromLogical(ConnectTime.SCHEMA, new Date(-1))).toThrow("Kafka Connect Time type should not have any date fields set to non-zero values.");
    expect(() => ConnectTime.toLogical(ConnectTime.SCHEMA, -5)).toThrow("Time values must use number of milliseconds greater than 0 and less than 86400000");
    expect(() => ConnectTimestamp.fromLogical(ConnectTimestamp.SCHEMA, new Date(Number.NaN))).toThrow(DataException);
    expect(() => ConnectTimestamp.toLogical(ConnectTimestamp.SCHEMA, 2n ** 62n)).toThrow(/out of the range/);
  });
});

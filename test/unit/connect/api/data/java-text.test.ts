import { describe, expect, it } from "vitest";
import { formatIsoDate, formatIsoTime, formatIsoTimestamp, javaDoubleToString, javaFloatToString } from "../../../../../connect/api/index.ts";

describe("javaDoubleToString", () => {
  it("prints doubles as Java's Double.toString (JDK 19+)", () => {
    const cases: [number, string][] = [
      [1, "1.0"],
      [-0, "-0.0"],
      [0, "0.0"],
      [0.1, "0.1"],
      [100, "100.0"],
      [1e7, "1.0E7"],
      [9999999, "9999999.0"],
      [0.001, "0.001"],
      [0.000999, "9.99E-4"],
      [1e-5, "1.0E-5"],
      [123456.789, "123456.789"],
      [-2.5e-8, "-2.5E-8"],
      [1.7976931348623157e308, "1.7976931348623157E308"],
      [5e-324, "4.9E-324"],
      [1e23, "1.0E23"],
      [2e23, "2.0E23"],
      [1.2345678901234568e-5, "1.2345678901234568E-5"],
      [Number.NaN, "NaN"],
      [Number.POSITIVE_INFINITY, "Infinity"],
      [Number.NEGATIVE_INFINITY, "-Infinity"],
    ];
    for (const [value, text] of cases) expect(javaDoubleToString(value), String(value)).toBe(text);
  });
});

describe("javaFloatToString", () => {
  it("prints float32 values as Java's Float.toString", () => {
    const cases: [number, string][] = [
      [1, "1.0"],
      [0.1, "0.1"],
      [0.3, "0.3"],
      [16777216, "1.6777216E7"],
      [3.4028234663852886e38, "3.4028235E38"],
      [1.401298464324817e-45, "1.4E-45"],
      [3.1415927, "3.1415927"],
      [1e7, "1.0E7"],
      [-0, "-0.0"],
    ];
    for (const [value, text] of cases) expect(javaFloatToString(Math.fround(value)), String(value)).toBe(text);
  });
});

describe("ISO 8601 text", () => {
  it("is always UTC with milliseconds", () => {
    const d = new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6));
    expect(formatIsoDate(d)).toBe("2024-01-02");
    expect(formatIsoTime(d)).toBe("03:04:05.006Z");
    expect(formatIsoTimestamp(d)).toBe("2024-01-02T03:04:05.006Z");
  });
});

// Java's renderings of numbers, which appear in the schema texts Confluent returns. The expected
// strings are what Java 17's Double.toString / Float.toString print.
import { describe, expect, it } from "vitest";
import { javaDoubleToString, javaFloatToString, parseJavaDouble } from "../../../../../registry/formats/avro/java-numbers.ts";

describe("Java number formats", () => {
  it("Double.toString", () => {
    const cases: ReadonlyArray<readonly [number, string]> = [
      [1e10, "1.0E10"],
      [1e-4, "1.0E-4"],
      [1.5e-7, "1.5E-7"],
      [123456789.0, "1.23456789E8"],
      [-0, "-0.0"],
      [0, "0.0"],
      [0.001, "0.001"],
      [0.0009999, "9.999E-4"],
      [9999999.0, "9999999.0"],
      [1e7, "1.0E7"],
      [100, "100.0"],
      [0.1, "0.1"],
      [Number.MAX_VALUE, "1.7976931348623157E308"],
      [Number.MIN_VALUE, "4.9E-324"],
      [2e-3, "0.002"],
      [123.456, "123.456"],
      [-5e-5, "-5.0E-5"],
      [1234567.125, "1234567.125"],
      [NaN, "NaN"],
      [-Infinity, "-Infinity"],
    ];
    for (const [value, java] of cases) expect(javaDoubleToString(value)).toBe(java);
  });

  it("Float.toString", () => {
    const cases: ReadonlyArray<readonly [number, string]> = [
      [0.1, "0.1"],
      [1.1, "1.1"],
      [3.4028234663852886e38, "3.4028235E38"],
      [1.401298464324817e-45, "1.4E-45"],
      [16777216, "1.6777216E7"],
      [100, "100.0"],
      [1e-3, "0.001"],
      [3.14159, "3.14159"],
      [1e10, "1.0E10"],
      [0.3, "0.3"],
    ];
    for (const [value, java] of cases) expect(javaFloatToString(Math.fround(value))).toBe(java);
  });

  it("Double.valueOf", () => {
    expect(parseJavaDouble(" 2 ")).toBe(2);
    expect(parseJavaDouble("1.5f")).toBe(1.5);
    expect(parseJavaDouble("-Infinity")).toBe(-Infinity);
    expect(parseJavaDouble("NaN")).toBeNaN();
    expect(parseJavaDouble(".5e1")).toBe(5);
    expect(parseJavaDouble("0x1p3")).toBe(8);
    expect(() => parseJavaDouble("x")).toThrow('For input string: "x"');
    expect(() => parseJavaDouble("1.2.3")).toThrow('For input string: "1.2.3"');
  });
});

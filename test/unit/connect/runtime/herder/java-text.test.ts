// Java's HashMap iteration order and toString, which Kafka's messages print.
import { describe, expect, it } from "vitest";
import { javaHashMapOrder, javaHashMapText, javaStringHash } from "../../../../../connect/runtime/herder/java-text.ts";

describe("java text", () => {
  it("String.hashCode as Java computes it (32-bit wrap-around)", () => {
    expect(javaStringHash("")).toBe(0);
    expect(javaStringHash("name")).toBe(3373707);
    // Printed by Java 21's "connector.class".hashCode().
    expect(javaStringHash("connector.class")).toBe(-862495593);
  });

  it("a HashMap copy iterates by bucket, then insertion order", () => {
    // Measured on Kafka Connect 4.3.1: {"name":"pa","config":{"topic":"t"}} prints {name=pa, topic=t}.
    expect(javaHashMapText([["topic", "t"], ["name", "pa"]])).toBe("{name=pa, topic=t}");
    expect(javaHashMapText([])).toBe("{}");
    expect(javaHashMapText([["a", null]])).toBe("{a=null}");
    // Printed by Java 21: new HashMap<>(a LinkedHashMap of these keys, in this order).keySet().
    const keys = ["topic", "file", "batch.size", "name", "tasks.max", "connector.class", "key.converter", "value.converter", "transforms", "errors.tolerance", "a", "b", "c"];
    expect(javaHashMapOrder(keys)).toEqual(["connector.class", "a", "b", "c", "tasks.max", "batch.size", "transforms", "file", "name", "topic", "errors.tolerance", "value.converter", "key.converter"]);
  });
});

import { describe, expect, it } from "vitest";
import { ConfigException } from "../../../connect/api/index.ts";
import { RegexRouter, regexRouterPlugin } from "../../../transforms/regex-router.ts";
import { sourceRecord } from "./helpers.ts";

function route(regex: string, replacement: string, topic: string): string {
  const t = new RegexRouter();
  t.configure({ regex, replacement });
  return t.apply(sourceRecord({ topic }))!.topic;
}

describe("RegexRouter", () => {
  it("renames topics that match as a whole, with capture groups", () => {
    expect(route("(.*)", "prefix-$1", "orders")).toBe("prefix-orders");
    expect(route("(.*)-(\\d+)", "$1", "orders-2024")).toBe("orders");
    expect(route("ord", "x", "orders")).toBe("orders"); // a partial match does not count (Matcher.matches())
    expect(route("orders|users", "all", "users")).toBe("all");
  });

  it("keeps the record's other fields", () => {
    const t = new RegexRouter();
    t.configure({ regex: "orders", replacement: "o" });
    const out = t.apply(sourceRecord({ value: "v" }))!;
    expect([out.topic, out.value, out.kafkaPartition]).toEqual(["o", "v", 3]);
  });

  it("rejects missing and invalid regexes", () => {
    expect(() => new RegexRouter().configure({ replacement: "x" })).toThrow('Missing required configuration "regex" which has no default value.');
    expect(() => new RegexRouter().configure({ regex: "(", replacement: "x" })).toThrow(ConfigException);
    expect(regexRouterPlugin.aliases).toEqual(["org.apache.kafka.connect.transforms.RegexRouter"]);
  });
});

import { describe, expect, it } from "vitest";
import { ConfigException, Headers, Schema } from "../../../connect/api/index.ts";
import { DropHeaders, dropHeadersPlugin } from "../../../transforms/drop-headers.ts";
import { InsertHeader, insertHeaderPlugin } from "../../../transforms/insert-header.ts";
import { sourceRecord } from "./helpers.ts";

describe("InsertHeader", () => {
  it("adds a header with the literal parsed as Kafka's Values.parseString", () => {
    const t = new InsertHeader();
    t.configure({ header: "h", "value.literal": "42" });
    const original = sourceRecord({ headers: new Headers().addString("a", "x") });
    const out = t.apply(original)!;
    const h = out.headers.lastWithName("h")!;
    expect(h.value).toBe(42);
    expect(h.schema!.type).toBe("INT8");
    expect(original.headers.lastWithName("h")).toBeNull();

    const s = new InsertHeader();
    s.configure({ header: "h", "value.literal": "hello" });
    expect(s.apply(sourceRecord())!.headers.lastWithName("h")!.schema).toBe(Schema.STRING_SCHEMA);
  });

  it("requires header and value.literal", () => {
    expect(() => new InsertHeader().configure({ header: "h" })).toThrow(ConfigException);
    expect(() => new InsertHeader().configure({ "value.literal": "v" })).toThrow(ConfigException);
    expect(insertHeaderPlugin.aliases).toEqual(["org.apache.kafka.connect.transforms.InsertHeader"]);
  });
});

describe("DropHeaders", () => {
  it("removes every header with the listed keys and keeps the rest in order", () => {
    const t = new DropHeaders();
    t.configure({ headers: "a,c" });
    const out = t.apply(sourceRecord({ headers: new Headers().addString("a", "1").addString("b", "2").addString("a", "3").addInt("d", 4) }))!;
    expect([...out.headers].map((h) => h.key)).toEqual(["b", "d"]);
  });

  it("requires a non-empty list", () => {
    expect(() => new DropHeaders().configure({})).toThrow(ConfigException);
    expect(() => new DropHeaders().configure({ headers: "" })).toThrow(ConfigException);
    expect(dropHeadersPlugin.aliases).toEqual(["org.apache.kafka.connect.transforms.DropHeaders"]);
  });
});

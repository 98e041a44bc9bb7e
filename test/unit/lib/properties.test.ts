import { describe, expect, it } from "vitest";
import { applyOverrides, parseProperties, PropertiesError } from "../../../lib/properties.ts";

describe("parseProperties", () => {
  it("reads the separators, comments and blank lines of Kafka's sample files", () => {
    const props = parseProperties(
      [
        "# The id of the broker",
        "! also a comment",
        "",
        "node.id=1",
        "log.dirs = /tmp/kraft-combined-logs",
        "listeners: PLAINTEXT://:9092",
        "num.partitions 3",
        "   indented.key=value with spaces  ",
        "empty.value=",
      ].join("\n"),
    );
    expect(Object.fromEntries(props)).toEqual({
      "node.id": "1",
      "log.dirs": "/tmp/kraft-combined-logs",
      listeners: "PLAINTEXT://:9092",
      "num.partitions": "3",
      "indented.key": "value with spaces  ",
      "empty.value": "",
    });
  });

  it("joins continued lines and drops the continuation's leading white space", () => {
    const props = parseProperties("plugin.path=/a,\\\n    /b,\\\n    /c\nnext=1\n");
    expect(props.get("plugin.path")).toBe("/a,/b,/c");
    expect(props.get("next")).toBe("1");
  });

  it("keeps an escaped trailing backslash and decodes escapes", () => {
    const props = parseProperties("dir=C:\\\\temp\\\\\nkey\\=with\\:seps=v\\tx\\u0041\n");
    expect(props.get("dir")).toBe("C:\\temp\\");
    expect(props.get("key=with:seps")).toBe("v\txA");
  });

  it("lets a later entry win, as java.util.Properties does", () => {
    expect(parseProperties("a=1\na=2").get("a")).toBe("2");
  });

  it("rejects a malformed unicode escape with the file and entry named", () => {
    expect(() => parseProperties("a=\\u12x4", "mm2.properties")).toThrowError(
      new PropertiesError("mm2.properties: entry 1: malformed \\u escape '\\u12x4'"),
    );
  });
});

describe("applyOverrides", () => {
  it("overrides and adds keys without touching the original map", () => {
    const base = parseProperties("a=1\nb=2");
    const merged = applyOverrides(base, ["b=3", "c=x=y"]);
    expect(Object.fromEntries(merged)).toEqual({ a: "1", b: "3", c: "x=y" });
    expect(base.get("b")).toBe("2");
  });

  it("rejects an override without a key", () => {
    expect(() => applyOverrides(new Map(), ["=1"])).toThrow(PropertiesError);
    expect(() => applyOverrides(new Map(), ["novalue"])).toThrow(/expects key=value/);
  });
});

import { describe, expect, it } from "vitest";
import {
  AbstractConfig,
  CaseInsensitiveValidString,
  CompositeValidator,
  ConfigDef,
  configDefToJson,
  configDefToMarkdown,
  ConfigException,
  configValueToJson,
  convertToString,
  LambdaValidator,
  ListSize,
  NO_DEFAULT_VALUE,
  NonEmptyString,
  NonEmptyStringWithoutControlChars,
  NonNullValidator,
  parseType,
  Password,
  Range,
  type Recommender,
  ValidList,
  ValidString,
} from "../../../../../connect/api/index.ts";

function def(): ConfigDef {
  return new ConfigDef()
    .define({ name: "topic", type: "STRING", importance: "HIGH", documentation: "Topic to write to.", group: "Basics", orderInGroup: 1, width: "LONG", displayName: "Topic" })
    .define({ name: "batch.size", type: "INT", defaultValue: 100, validator: Range.between(1, 1000), importance: "MEDIUM", documentation: "Records per batch.", group: "Basics", orderInGroup: 2 })
    .define({ name: "ratio", type: "DOUBLE", defaultValue: 1, importance: "LOW", documentation: "A ratio." })
    .define({ name: "fields", type: "LIST", defaultValue: "", validator: ValidList.in("a", "b", "c"), importance: "LOW", documentation: "Fields." })
    .define({ name: "mode", type: "STRING", defaultValue: "bulk", validator: CaseInsensitiveValidString.in("bulk", "incrementing"), importance: "HIGH", documentation: "Mode.", dependents: ["column"] })
    .define({ name: "column", type: "STRING", defaultValue: null, importance: "LOW", documentation: "Column." })
    .define({ name: "enabled", type: "BOOLEAN", defaultValue: "true", importance: "LOW", documentation: "On or off." })
    .define({ name: "password", type: "PASSWORD", defaultValue: null, importance: "HIGH", documentation: "The secret." })
    .define({ name: "retention.ms", type: "LONG", defaultValue: 604800000, importance: "LOW", documentation: "How long." })
    .define({ name: "klass", type: "CLASS", defaultValue: "org.example.Thing", importance: "LOW", documentation: "A class." })
    .define({ name: "tiny", type: "SHORT", defaultValue: 1, importance: "LOW", documentation: "Short.", internal: true });
}

describe("ConfigDef.parse", () => {
  it("parses strings into typed values and fills in defaults", () => {
    const parsed = def().parse({ topic: " t ", "batch.size": " 5 ", ratio: "1e-1", fields: " a , b ,c", mode: "INCREMENTING", enabled: " FALSE ", password: "s3cret", "retention.ms": "9007199254740991", undefinedKey: "ignored" });
    expect(parsed).toMatchObject({ topic: "t", "batch.size": 5, ratio: 0.1, fields: ["a", "b", "c"], mode: "INCREMENTING", column: null, enabled: false, "retention.ms": 9007199254740991, klass: "org.example.Thing", tiny: 1 });
    expect(parsed.password).toBeInstanceOf(Password);
    expect((parsed.password as Password).value()).toBe("s3cret");
    expect("undefinedKey" in parsed).toBe(false);
    expect(def().parse(new Map([["topic", "from-a-map"]])).topic).toBe("from-a-map");
    expect(def().parse({ topic: "t", "batch.size": 7, enabled: true }).enabled).toBe(true);
  });

  it("fails with Kafka's messages", () => {
    const cases: [Record<string, unknown>, string][] = [
      [{}, 'Missing required configuration "topic" which has no default value.'],
      [{ topic: "t", "batch.size": "abc" }, "Invalid value abc for configuration batch.size: Not a number of type INT"],
      [{ topic: "t", "batch.size": "2147483648" }, "Invalid value 2147483648 for configuration batch.size: Not a number of type INT"],
      [{ topic: "t", "batch.size": 1.5 }, "Invalid value 1.5 for configuration batch.size: Expected value to be a 32-bit integer, but it was a number"],
      [{ topic: "t", "batch.size": "0" }, "Invalid value 0 for configuration batch.size: Value must be at least 1"],
      [{ topic: "t", "batch.size": "1001" }, "Invalid value 1001 for configuration batch.size: Value must be no more than 1000"],
      [{ topic: "t", "batch.size": null }, "Invalid value null for configuration batch.size: Value must be non-null"],
      [{ topic: 5 }, "Invalid value 5 for configuration topic: Expected value to be a string, but it was a number"],
      [{ topic: "t", ratio: "x" }, "Invalid value x for configuration ratio: Not a number of type DOUBLE"],
      [{ topic: "t", enabled: "yes" }, "Invalid value yes for configuration enabled: Expected value to be either true or false"],
      [{ topic: "t", fields: "a,d" }, "Invalid value d for configuration fields: String must be one of: a, b, c"],
      [{ topic: "t", fields: "a,a" }, "Configuration 'fields' values must not be duplicated."],
      [{ topic: "t", fields: 5 }, "Invalid value 5 for configuration fields: Expected a comma separated list."],
      [{ topic: "t", mode: "x" }, "Invalid value x for configuration mode: String must be one of (case insensitive): BULK, INCREMENTING"],
      [{ topic: "t", "retention.ms": "x" }, "Invalid value x for configuration retention.ms: Not a number of type LONG"],
      [{ topic: "t", "retention.ms": "9223372036854775808" }, "Invalid value 9223372036854775808 for configuration retention.ms: Not a number of type LONG"],
      [{ topic: "t", tiny: "70000" }, "Invalid value 70000 for configuration tiny: Not a number of type SHORT"],
      [{ topic: "t", klass: 5 }, "Invalid value 5 for configuration klass: Expected a Class instance or class name."],
    ];
    for (const [props, message] of cases) {
      expect(() => def().parse(props), message).toThrow(ConfigException);
      expect(() => def().parse(props), message).toThrow(message);
    }
  });

  it("checks definitions", () => {
    expect(() => def().define({ name: "topic", type: "STRING", importance: "LOW", documentation: "" })).toThrow("Configuration topic is defined twice.");
    expect(() => new ConfigDef().define({ name: "a", type: "INT", defaultValue: "x", importance: "LOW", documentation: "" })).toThrow("Invalid value x for configuration a: Not a number of type INT");
    expect(() => new ConfigDef().define({ name: "a", type: "INT", defaultValue: 0, validator: Range.atLeast(1), importance: "LOW", documentation: "" })).toThrow("Value must be at least 1");
    const dangling = new ConfigDef().define({ name: "a", type: "INT", defaultValue: 1, importance: "LOW", documentation: "", dependents: ["zz"] });
    expect(() => dangling.parse({})).toThrow("Some configurations in are referred in the dependents, but not defined: zz");
    expect(def().configKeys().get("topic")?.hasDefault()).toBe(false);
    expect(def().configKeys().get("column")?.defaultValue).toBeNull();
    expect(def().configKeys().get("topic")?.defaultValue).toBe(NO_DEFAULT_VALUE);
    expect(def().groups()).toEqual(["Basics"]);
    expect(def().names()[0]).toBe("topic");
    expect(def().defaultValues()["batch.size"]).toBe(100);
  });
});

describe("ConfigDef.validate", () => {
  it("reports every problem per key, in definition order", () => {
    const values = def().validate({ "batch.size": "0", fields: "", password: "pw" });
    expect(values.map((v) => v.name)).toEqual(["topic", "batch.size", "ratio", "fields", "mode", "column", "enabled", "password", "retention.ms", "klass", "tiny"]);
    const byName = new Map(values.map((v) => [v.name, v]));
    expect(byName.get("topic")?.errors).toEqual(['Missing required configuration "topic" which has no default value.']);
    expect(byName.get("topic")?.value).toBeNull();
    expect(byName.get("batch.size")?.errors).toEqual(["Invalid value 0 for configuration batch.size: Value must be at least 1"]);
    expect(byName.get("batch.size")?.value).toBe(0);
    expect(byName.get("fields")?.value).toEqual([]);
    expect(byName.get("ratio")?.errors).toEqual([]);
    expect(byName.get("ratio")?.visible).toBe(true);
  });

  it("adds the validator's complaint to a missing required key, as Kafka does", () => {
    const d = new ConfigDef().define({ name: "n", type: "INT", validator: Range.atLeast(1), importance: "HIGH", documentation: "" });
    expect(d.validate({})[0]?.errors).toEqual(['Missing required configuration "n" which has no default value.', "Invalid value null for configuration n: Value must be non-null"]);
  });

  it("asks recommenders for valid values and visibility", () => {
    const recommender: Recommender = {
      validValues: (_name, parsed) => (parsed.mode === "INCREMENTING" ? ["id", "ts"] : []),
      visible: (_name, parsed) => parsed.mode === "INCREMENTING",
    };
    const d = new ConfigDef()
      .define({ name: "mode", type: "STRING", defaultValue: "bulk", importance: "HIGH", documentation: "", dependents: ["column"] })
      .define({ name: "column", type: "STRING", defaultValue: null, importance: "LOW", documentation: "", recommender });
    const bulk = d.validate({});
    expect(bulk[1]?.visible).toBe(false);
    expect(bulk[1]?.recommendedValues).toEqual([]);
    const incrementing = d.validate({ mode: "INCREMENTING" });
    expect(incrementing[1]?.visible).toBe(true);
    expect(incrementing[1]?.recommendedValues).toEqual(["id", "ts"]);
  });
});

describe("validators", () => {
  it("print as Kafka's do", () => {
    expect(String(Range.atLeast(1))).toBe("[1,...]");
    expect(String(Range.between(0.5, 1.5))).toBe("[0.5,...,1.5]");
    expect(String(ValidString.in("a", "b"))).toBe("[a, b]");
    expect(String(CaseInsensitiveValidString.in("numeric", "Base64"))).toBe("(case insensitive) [NUMERIC, BASE64]");
    expect(String(ValidList.in("x", "y"))).toBe("[x, y]");
    expect(String(ValidList.anyNonDuplicateValues(true, true))).toBe("");
    expect(String(new NonEmptyString())).toBe("non-empty string");
    expect(String(new NonNullValidator())).toBe("non-null string");
    expect(String(new NonEmptyStringWithoutControlChars())).toBe("non-empty string without ISO control characters");
    expect(String(ListSize.atMostOfSize(3))).toBe("List containing maximum of 3 elements");
    expect(String(CompositeValidator.of(new NonEmptyString(), ValidString.in("a")))).toBe("non-empty string, [a]");
    expect(String(LambdaValidator.with(() => {}, () => "custom"))).toBe("custom");
  });

  it("complain as Kafka's do", () => {
    const cases: [() => void, string][] = [
      [() => ValidString.in("a", "b").ensureValid("x", null), "Invalid value null for configuration x: String must be one of: a, b"],
      [() => ValidList.in(false, "x").ensureValid("k", []), "Configuration 'k' must not be empty. Valid values include: [x]"],
      [() => ValidList.anyNonDuplicateValues(false, true).ensureValid("k", []), "Configuration 'k' must not be empty. Valid values include: any non-empty value"],
      [() => ValidList.anyNonDuplicateValues(true, false).ensureValid("k", null), "Configuration 'k' values must not be null."],
      [() => ValidList.anyNonDuplicateValues(true, false).ensureValid("k", [""]), "Configuration 'k' values must not be empty."],
      [() => new NonEmptyString().ensureValid("x", ""), "Invalid value  for configuration x: String must be non-empty"],
      [() => new NonNullValidator().ensureValid("x", null), "Invalid value null for configuration x: entry must be non null"],
      [() => new NonEmptyStringWithoutControlChars().ensureValid("x", "a\tb\u0001"), "String may not contain control sequences but had the following ASCII chars: 9, 1"],
      [() => new NonEmptyStringWithoutControlChars().ensureValid("x", ""), "Invalid value  for configuration x: String may not be empty"],
      [() => ListSize.atMostOfSize(1).ensureValid("x", ["a", "b"]), "Invalid value [a, b] for configuration x: exceeds maximum list size of [1]."],
    ];
    for (const [fn, message] of cases) expect(fn, message).toThrow(message);
    expect(() => new NonEmptyString().ensureValid("x", null)).not.toThrow();
    expect(() => CaseInsensitiveValidString.in("a").ensureValid("x", "A")).not.toThrow();
  });
});

describe("embed", () => {
  it("prefixes keys, groups and orders them, and keeps unprefixed names in validator messages", () => {
    const child = new ConfigDef()
      .define({ name: "field", type: "STRING", importance: "HIGH", documentation: "", group: "grp", displayName: "Field" })
      .define({ name: "n", type: "INT", defaultValue: 5, validator: Range.atLeast(1), importance: "LOW", documentation: "", dependents: ["field"] });
    const d = new ConfigDef().embed("transforms.x.", "Transforms: x", 5, child);
    const field = d.configKeys().get("transforms.x.field");
    expect([field?.group, field?.orderInGroup, field?.displayName]).toEqual(["Transforms: x: grp", 5, "Field"]);
    const n = d.configKeys().get("transforms.x.n");
    expect([n?.group, n?.orderInGroup, n?.dependents]).toEqual(["Transforms: x", 6, ["transforms.x.field"]]);
    expect(() => d.parse({ "transforms.x.field": "f", "transforms.x.n": "0" })).toThrow("Invalid value 0 for configuration n: Value must be at least 1");
  });
});

describe("JSON and docs", () => {
  it("renders GET /connector-plugins/{plugin}/config entries", () => {
    const json = configDefToJson(def());
    expect(json.map((k) => k.name)).not.toContain("tiny");
    expect(json[0]).toEqual({
      name: "topic",
      type: "STRING",
      required: true,
      default_value: null,
      importance: "HIGH",
      documentation: "Topic to write to.",
      group: "Basics",
      order_in_group: 1,
      width: "LONG",
      display_name: "Topic",
      dependents: [],
    });
    const byName = new Map(json.map((k) => [k.name, k]));
    expect(byName.get("ratio")?.default_value).toBe("1.0");
    expect(byName.get("fields")?.default_value).toBe("");
    expect(byName.get("column")?.default_value).toBeNull();
    expect(byName.get("column")?.required).toBe(false);
    expect(byName.get("mode")?.dependents).toEqual(["column"]);
    expect(byName.get("batch.size")?.order_in_group).toBe(2);
    expect(byName.get("enabled")?.group).toBeNull();
    expect(byName.get("enabled")?.order_in_group).toBe(-1);
  });

  it("renders /config/validate values, passwords hidden", () => {
    const d = def();
    const values = new Map(d.validate({ topic: "t", password: "pw", fields: "a,b" }).map((v) => [v.name, v]));
    const password = values.get("password");
    const fields = values.get("fields");
    if (!password || !fields) throw new Error("missing");
    expect(configValueToJson(password, "PASSWORD")).toEqual({ name: "password", value: "[hidden]", recommended_values: [], errors: [], visible: true });
    expect(configValueToJson(fields, "LIST").value).toBe("a,b");
    expect(convertToString(0.5, "DOUBLE")).toBe("0.5");
    expect(convertToString(["a", "b"], "LIST")).toBe("a,b");
    expect(convertToString(null, "STRING")).toBeNull();
    expect(parseType("x", " 7 ", "LONG")).toBe(7);
  });

  it("never shows a password's secret", () => {
    const p = new Password("s3cret");
    expect(String(p)).toBe("[hidden]");
    expect(JSON.stringify({ p })).toBe('{"p":"[hidden]"}');
    expect(`${p}`).toBe("[hidden]");
    expect(p.value()).toBe("s3cret");
    expect(p.equals(new Password("s3cret"))).toBe(true);
    expect(() => def().parse({ topic: "t", password: 5 })).toThrow("Invalid value 5 for configuration password: Expected value to be a string, but it was a number");
  });

  it("renders a Markdown table in Kafka's docs order", () => {
    const md = configDefToMarkdown(def());
    const lines = md.trim().split("\n");
    expect(lines[0]).toBe("| Name | Description | Type | Default | Valid values | Importance |");
    expect(lines[2]).toBe("| `topic` | Topic to write to. | string |  |  | high |");
    expect(md).toContain("| `batch.size` | Records per batch. | int | 100 | [1,...,1000] | medium |");
    expect(md).toContain('| `fields` | Fields. | list | "" | [a, b, c] | low |');
    expect(md).toContain("| `column` | Column. | string | null |  | low |");
    expect(md).not.toContain("tiny");
  });
});

describe("AbstractConfig", () => {
  it("parses on construction and gives typed values", () => {
    class MyConfig extends AbstractConfig {
      constructor(props: Record<string, unknown>) {
        super(def(), props);
      }
    }
    const config = new MyConfig({ topic: "t", fields: "a", "producer.override.acks": "all" });
    expect(config.getString("topic")).toBe("t");
    expect(config.getInt("batch.size")).toBe(100);
    expect(config.getList("fields")).toEqual(["a"]);
    expect(config.getBoolean("enabled")).toBe(true);
    expect(config.getDouble("ratio")).toBe(1);
    expect(config.getLong("retention.ms")).toBe(604800000);
    expect(config.getPassword("password")).toBeNull();
    expect(config.getClass("klass")).toBe("org.example.Thing");
    expect(config.originalsWithPrefix("producer.override.")).toEqual({ acks: "all" });
    expect(config.originalsStrings()).toEqual({ topic: "t", fields: "a", "producer.override.acks": "all" });
    expect(() => config.get("nope")).toThrow("Unknown configuration 'nope'");
    expect(() => config.getInt("topic")).toThrow(ConfigException);
    expect(() => new MyConfig({})).toThrow('Missing required configuration "topic" which has no default value.');
  });
});

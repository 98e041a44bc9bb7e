// Parsing JSON Schemas as Confluent's registry does (io.confluent.kafka.schemaregistry.json.JsonSchema):
// the draft chosen by `$schema` (draft-07 when absent or unknown), validity against the draft's
// meta-schema with unknown keywords allowed, `$ref`s resolved within the schema or to its
// references, canonicalString() (the JSON without whitespace, keys in the given order, numbers
// as Jackson prints them) and normalize() (keys sorted).
import { describe, expect, it } from "vitest";
import { jsonSchemaFormat } from "../../../../../registry/formats/json-schema/index.ts";
import { InvalidSchemaError, type SchemaReference } from "../../../../../registry/formats/types.ts";

const DRAFT_04 = "http://json-schema.org/draft-04/schema#";
const DRAFT_06 = "http://json-schema.org/draft-06/schema#";
const DRAFT_07 = "http://json-schema.org/draft-07/schema#";
const DRAFT_2019 = "https://json-schema.org/draft/2019-09/schema";
const DRAFT_2020 = "https://json-schema.org/draft/2020-12/schema";

function parse(text: string, references: Record<string, string> = {}, normalize = false) {
  const refs: SchemaReference[] = Object.keys(references).map((name) => ({ name, subject: `${name}-subject`, version: 1 }));
  return jsonSchemaFormat.parse(text, refs, new Map(Object.entries(references)), { normalize });
}

function parseObject(schema: unknown, references: Record<string, unknown> = {}) {
  return parse(JSON.stringify(schema), Object.fromEntries(Object.entries(references).map(([name, value]) => [name, JSON.stringify(value)])));
}

function invalid(text: string, references: Record<string, string> = {}): string {
  try {
    parse(text, references);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidSchemaError);
    return (error as Error).message;
  }
  throw new Error(`expected ${text} to be rejected`);
}

describe("drafts", () => {
  it("reads a schema without $schema as draft-07 (Confluent's default) and validates with it", () => {
    const schema = parseObject({ type: "object", properties: { n: { type: "integer", exclusiveMinimum: 0 } }, if: { required: ["n"] }, then: { required: ["m"] } });
    expect(schema.schemaType).toBe("JSON");
    expect(schema.draft).toBe("draft-07");
    expect(schema.validate({})).toBe(true);
    expect(schema.validate({ n: 0, m: 1 })).toBe(false);
    expect(schema.validate({ n: 1 })).toBe(false);
    expect(schema.validate({ n: 1, m: 1 })).toBe(true);
  });

  it("draft-04: boolean exclusiveMaximum is valid and honoured; a numeric one is not valid", () => {
    const schema = parseObject({ $schema: DRAFT_04, type: "number", maximum: 3, exclusiveMaximum: true });
    expect(schema.draft).toBe("draft-04");
    expect(schema.validate(2.5)).toBe(true);
    expect(schema.validate(3)).toBe(false);
    expect(invalid(JSON.stringify({ $schema: DRAFT_04, type: "number", exclusiveMaximum: 3 }))).toMatch(/^Invalid JSON Schema: /);
  });

  it("draft-06: const and numeric exclusiveMaximum; an unknown type name is not valid", () => {
    const schema = parseObject({ $schema: DRAFT_06, properties: { v: { const: 3 }, w: { exclusiveMaximum: 10 } } });
    expect(schema.draft).toBe("draft-06");
    expect(schema.validate({ v: 3, w: 9 })).toBe(true);
    expect(schema.validate({ v: 4 })).toBe(false);
    expect(schema.validate({ w: 10 })).toBe(false);
    expect(invalid(JSON.stringify({ $schema: DRAFT_06, type: "strin" }))).toMatch(/#\/type/);
  });

  it("draft-07: `required` must be an array", () => {
    expect(parseObject({ $schema: DRAFT_07, type: "object", required: ["a"] }).draft).toBe("draft-07");
    expect(invalid(JSON.stringify({ $schema: DRAFT_07, type: "object", required: "a" }))).toMatch(/#\/required/);
  });

  it("2019-09: dependentRequired and unevaluatedProperties are honoured; minContains must be >= 0", () => {
    const schema = parseObject({
      $schema: DRAFT_2019,
      type: "object",
      properties: { a: { type: "string" }, b: { type: "string" } },
      dependentRequired: { a: ["b"] },
      unevaluatedProperties: false,
    });
    expect(schema.draft).toBe("2019-09");
    expect(schema.validate({ a: "x", b: "y" })).toBe(true);
    expect(schema.validate({ a: "x" })).toBe(false);
    expect(schema.validate({ c: 1 })).toBe(false);
    expect(invalid(JSON.stringify({ $schema: DRAFT_2019, type: "array", contains: {}, minContains: -1 }))).toMatch(/minContains/);
  });

  it("2020-12: prefixItems and items: false are honoured; prefixItems must be an array", () => {
    const schema = parseObject({ $schema: DRAFT_2020, type: "array", prefixItems: [{ type: "string" }, { type: "integer" }], items: false, $defs: { x: {} } });
    expect(schema.draft).toBe("2020-12");
    expect(schema.validate(["a", 1])).toBe(true);
    expect(schema.validate(["a", 1, 2])).toBe(false);
    expect(schema.validate([1])).toBe(false);
    expect(invalid(JSON.stringify({ $schema: DRAFT_2020, prefixItems: {} }))).toMatch(/prefixItems/);
  });

  it("accepts $schema URLs with http or https, with or without the empty fragment", () => {
    expect(parseObject({ $schema: "https://json-schema.org/draft-04/schema", type: "string" }).draft).toBe("draft-04");
    expect(parseObject({ $schema: "http://json-schema.org/draft/2020-12/schema#", type: "string" }).draft).toBe("2020-12");
  });

  it("reads an unknown $schema as draft-07, as Confluent does", () => {
    const schema = parseObject({ $schema: "http://example.com/my-meta-schema", type: "string", maxLength: 2 });
    expect(schema.draft).toBe("draft-07");
    expect(schema.validate("ab")).toBe(true);
    expect(schema.validate("abc")).toBe(false);
  });

  it("accepts keywords it does not know (non-strict, as Confluent)", () => {
    const schema = parseObject({ type: "object", "connect.index": 1, "x-owner": { team: "a" }, properties: { a: { type: "string", "connect.type": "bytes" } } });
    expect(schema.validate({ a: "x" })).toBe(true);
  });

  it("accepts the boolean schemas", () => {
    expect(parse("true").validate(42)).toBe(true);
    expect(parse("false").validate(42)).toBe(false);
  });
});

describe("invalid schemas", () => {
  it("rejects text that is not JSON", () => {
    expect(invalid("{ type: 'object' }")).toMatch(/^Invalid JSON: /);
    expect(invalid('{"type":"object",}')).toMatch(/^Invalid JSON: /);
    expect(invalid('{"type":"object"} x')).toMatch(/^Invalid JSON: /);
    expect(invalid("")).toMatch(/^Invalid JSON: /);
  });

  it("rejects JSON that is not an object or a boolean", () => {
    expect(invalid("[]")).toMatch(/must be a JSON object or a boolean/);
    expect(invalid('"string"')).toMatch(/must be a JSON object or a boolean/);
    expect(invalid("null")).toMatch(/must be a JSON object or a boolean/);
  });

  it("rejects a pattern that is not a regular expression", () => {
    expect(invalid(JSON.stringify({ type: "string", pattern: "(" }))).toMatch(/regular expression/);
  });

  it("rejects a $ref that resolves to nothing", () => {
    expect(invalid(JSON.stringify({ properties: { a: { $ref: "#/definitions/missing" } } }))).toMatch(/can't resolve reference #\/definitions\/missing/);
    expect(invalid(JSON.stringify({ properties: { a: { $ref: "customer.json" } } }))).toMatch(/can't resolve reference customer\.json/);
  });

  it("rejects a new schema naming a top-level property with the $$ prefix, but reads a stored one (isNew: false)", () => {
    const text = JSON.stringify({ type: "object", properties: { $$id: { type: "string" } } });
    expect(invalid(text)).toMatch(/Field names cannot start with \$\$ prefix/);
    expect(jsonSchemaFormat.parse(text, [], new Map(), { isNew: false }).validate({ $$id: "x" })).toBe(true);
    expect(parseObject({ type: "object", properties: { a: { type: "object", properties: { $$id: {} } } } }).name).toBeNull();
  });

  it("rejects a reference whose text is not a valid schema", () => {
    expect(invalid(JSON.stringify({ $ref: "a.json" }), { "a.json": "{not json" })).toMatch(/^Invalid JSON in reference 'a\.json'/);
    expect(invalid(JSON.stringify({ $ref: "a.json" }), { "a.json": '{"type":5}' })).toMatch(/^Invalid JSON Schema in reference 'a\.json'/);
  });
});

describe("references", () => {
  const customer = { type: "object", properties: { name: { type: "string" } }, required: ["name"] };

  it("resolves a relative $ref by the reference name", () => {
    const schema = parseObject({ type: "object", properties: { customer: { $ref: "customer.json" } } }, { "customer.json": customer });
    expect(schema.references).toEqual([{ name: "customer.json", subject: "customer.json-subject", version: 1 }]);
    expect(schema.referencedSchemas.get("customer.json")).toEqual(customer);
    expect(schema.validate({ customer: { name: "Ann" } })).toBe(true);
    expect(schema.validate({ customer: {} })).toBe(false);
  });

  it("resolves a $ref relative to the schema's $id", () => {
    const schema = parseObject({ $id: "http://example.com/schemas/order.json", properties: { customer: { $ref: "customer.json" } } }, { "customer.json": customer });
    expect(schema.validate({ customer: { name: "Ann" } })).toBe(true);
    expect(schema.validate({ customer: { name: 1 } })).toBe(false);
  });

  it("resolves an absolute URL reference, with the referenced schema's own $id", () => {
    const url = "http://example.com/customer.schema.json";
    const schema = parseObject({ properties: { customer: { $ref: url } } }, { [url]: { $id: url, ...customer } });
    expect(schema.validate({ customer: { name: "Ann" } })).toBe(true);
    expect(schema.validate({ customer: {} })).toBe(false);
  });

  it("resolves references of references (the resolved map holds them all)", () => {
    const schema = parseObject(
      { properties: { order: { $ref: "order.json" } } },
      { "money.json": { type: "number", minimum: 0 }, "order.json": { type: "object", properties: { total: { $ref: "money.json" } } } },
    );
    expect(schema.validate({ order: { total: 3 } })).toBe(true);
    expect(schema.validate({ order: { total: -1 } })).toBe(false);
  });

  it("resolves a 2020-12 reference with sibling keywords and $defs, $anchor", () => {
    const schema = parseObject({
      $schema: DRAFT_2020,
      properties: { customer: { $ref: "customer.json", description: "who ordered" }, code: { $ref: "#code" } },
      $defs: { code: { $anchor: "code", type: "string", pattern: "^[A-Z]+$" } },
    }, { "customer.json": customer });
    expect(schema.validate({ customer: { name: "Ann" }, code: "AB" })).toBe(true);
    expect(schema.validate({ code: "ab" })).toBe(false);
  });

  it("accepts recursive schemas", () => {
    const schema = parseObject({ type: "object", properties: { children: { type: "array", items: { $ref: "#" } } } });
    expect(schema.validate({ children: [{ children: [] }] })).toBe(true);
    expect(schema.validate({ children: [{ children: 1 }] })).toBe(false);
  });

  it("compiles the validator once, on first use", () => {
    const schema = parseObject({ type: "string" });
    expect(schema.validate).toBe(schema.validate);
    expect(schema.validate("a")).toBe(true);
    expect(schema.validate(1)).toBe(false);
  });

  it("lets one $id appear in many parsed schemas (versions of one schema)", () => {
    parseObject({ $id: "http://example.com/thing.json", type: "string" });
    expect(parseObject({ $id: "http://example.com/thing.json", type: "integer" }).validate(1)).toBe(true);
  });
});

describe("canonical string and normalize", () => {
  it("is the JSON without whitespace, keys in the given order (integer-like keys too)", () => {
    const text = '{\n  "type" : "object",\n  "properties" : { "b" : {"type":"string"}, "a" : {"type":"integer"}, "10" : {}, "2" : {} },\n  "required" : [ "b", "a" ]\n}';
    expect(parse(text).canonicalString).toBe('{"type":"object","properties":{"b":{"type":"string"},"a":{"type":"integer"},"10":{},"2":{}},"required":["b","a"]}');
  });

  it("prints numbers as Jackson with exact decimals does (1.0 stays 1.0, exponents as BigDecimal.toString)", () => {
    const text = '{"minimum":1.0,"maximum":1e3,"multipleOf":0.0000001,"default":-0,"examples":[100,12.50,1.5E-7,2E+2]}';
    expect(parse(text).canonicalString).toBe('{"minimum":1.0,"maximum":1E+3,"multipleOf":1E-7,"default":0,"examples":[100,12.50,1.5E-7,2E+2]}');
  });

  it("writes strings as Jackson does (short escapes, other control characters as upper-case \\u, no escaping of / or non-ASCII)", () => {
    const text = '{"description":"a\\/b \\u00e9 \\"q\\" \\n \\u001f \\u2028"}';
    expect(parse(text).canonicalString).toBe('{"description":"a/b é \\"q\\" \\n \\u001F \u2028"}');
  });

  it("keeps the last value of a duplicated key, at its first position", () => {
    expect(parse('{"type":"string","title":"a","type":"integer"}').canonicalString).toBe('{"type":"integer","title":"a"}');
  });

  it("normalize sorts object keys at every level and keeps array order", () => {
    const text = '{"type":"object","required":["b","a"],"properties":{"b":{"type":"string","maxLength":3},"a":{"enum":["y","x"]}}}';
    const normalized = parse(text, {}, true).canonicalString;
    expect(normalized).toBe('{"properties":{"a":{"enum":["y","x"]},"b":{"maxLength":3,"type":"string"}},"required":["b","a"],"type":"object"}');
    const reordered = '{"properties":{"a":{"enum":["y","x"]},"b":{"maxLength":3,"type":"string"}},"type":"object","required":["b","a"]}';
    expect(parse(reordered, {}, true).canonicalString).toBe(normalized);
    expect(parse(reordered).canonicalString).not.toBe(parse(text).canonicalString);
  });

  it("normalize sorts the references and drops duplicates", () => {
    const references = [
      { name: "b.json", subject: "b", version: 2 },
      { name: "a.json", subject: "a", version: 1 },
      { name: "b.json", subject: "b", version: 2 },
    ];
    const resolved = new Map([
      ["a.json", '{"type":"string"}'],
      ["b.json", '{"type":"integer"}'],
    ]);
    const text = JSON.stringify({ properties: { a: { $ref: "a.json" }, b: { $ref: "b.json" } } });
    expect(jsonSchemaFormat.parse(text, references, resolved, { normalize: true }).references).toEqual([
      { name: "a.json", subject: "a", version: 1 },
      { name: "b.json", subject: "b", version: 2 },
    ]);
    expect(jsonSchemaFormat.parse(text, references, resolved).references).toEqual(references);
  });
});

describe("name", () => {
  it("is the title, else null (RecordNameStrategy)", () => {
    expect(parseObject({ title: "Customer", type: "object" }).name).toBe("Customer");
    expect(parseObject({ type: "object" }).name).toBeNull();
    expect(parse("true").name).toBeNull();
  });
});

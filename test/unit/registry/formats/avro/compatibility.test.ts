// Avro compatibility as Confluent's Schema Registry reports it: the incompatibilities Java Avro's
// SchemaCompatibility finds (compatibility-corpus.ts, checked against Java by the integration
// test), worded as Confluent words them for the "new" and the "old" schema.
import { describe, expect, it } from "vitest";
import { avroFormat, type AvroParsedSchema } from "../../../../../registry/formats/avro/index.ts";
import { checkReaderWriter } from "../../../../../registry/formats/avro/compatibility.ts";
import { COMPATIBILITY_CASES, type SchemaJson, THROWING_CASE } from "./compatibility-corpus.ts";

function parseText(text: string, references: readonly string[] = []): AvroParsedSchema {
  return avroFormat.parse(text, [], new Map(references.map((r, i) => [`ref${i}`, r] as const)));
}

function parse(schema: SchemaJson): AvroParsedSchema {
  return parseText(JSON.stringify(schema));
}

describe("the incompatibilities Java Avro finds", () => {
  it("the corpus covers every resolution rule", () => {
    const rules = new Set(COMPATIBILITY_CASES.map((c) => c.rule));
    for (const rule of ["promotion", "primitive", "record", "name", "enum", "fixed", "array", "map", "union", "recursion", "top-level"]) {
      expect(rules).toContain(rule);
    }
    expect(COMPATIBILITY_CASES.length).toBeGreaterThanOrEqual(40);
  });

  for (const c of COMPATIBILITY_CASES) {
    it(`${c.rule}: ${c.name}`, () => {
      const found = checkReaderWriter(parse(c.reader).model, parse(c.writer).model);
      expect(found.map((i) => `${i.type} ${i.location} ${i.message}`)).toEqual(c.expected);
    });
  }
});

describe("Confluent's messages", () => {
  const v1 = parse({ type: "record", name: "R", fields: [{ name: "f1", type: "string" }] });
  const v2 = parse({
    type: "record",
    name: "R",
    fields: [
      { name: "f1", type: "int" },
      { name: "f2", type: "string" },
    ],
  });

  it("BACKWARD: the new schema reads data of the old one", () => {
    expect(avroFormat.incompatibilities(v2, v1)).toEqual([
      "{errorType:'TYPE_MISMATCH', description:'The type (path '/fields/0/type') of a field in the new schema does not match with the old schema', additionalInfo:'reader type: INT not compatible with writer type: STRING'}",
      "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field 'f2' at path '/fields/1' in the new schema has no default value and is missing in the old schema', additionalInfo:'f2'}",
    ]);
    expect(avroFormat.incompatibilities(v2, v1, { reader: "new", writer: "old" })).toEqual(avroFormat.incompatibilities(v2, v1));
  });

  it("FORWARD: the old schema reads data of the new one, and the words follow", () => {
    const oldEnum = parse({ type: "enum", name: "E", symbols: ["A"] });
    const newEnum = parse({ type: "enum", name: "E", symbols: ["A", "B", "C"] });
    expect(avroFormat.incompatibilities(oldEnum, newEnum, { reader: "old", writer: "new" })).toEqual([
      "{errorType:'MISSING_ENUM_SYMBOLS', description:'The old schema is missing enum symbols '[B, C]' at path '/symbols' in the new schema', additionalInfo:'[B, C]'}",
    ]);
  });

  it("words every type of incompatibility", () => {
    const messages = (reader: SchemaJson, writer: SchemaJson): string[] => avroFormat.incompatibilities(parse(reader), parse(writer));
    expect(messages({ type: "fixed", name: "G", size: 4 }, { type: "fixed", name: "F", size: 5 })).toEqual([
      "{errorType:'NAME_MISMATCH', description:'The name of the schema has changed (path '/name')', additionalInfo:'expected: F'}",
      "{errorType:'FIXED_SIZE_MISMATCH', description:'The size of FIXED type field at path '/size' in the new schema does not match with the old schema', additionalInfo:'expected: 5, found: 4'}",
    ]);
    expect(messages(["null", "string"], ["null", "string", "int"])).toEqual([
      "{errorType:'MISSING_UNION_BRANCH', description:'The new schema is missing a type inside a union field at path '/2' in the old schema', additionalInfo:'reader union lacking writer type: INT'}",
    ]);
  });

  it("an empty list when compatible", () => {
    expect(avroFormat.incompatibilities(v1, v1)).toEqual([]);
    const v3 = parse({
      type: "record",
      name: "R",
      fields: [
        { name: "f1", type: "string" },
        { name: "f2", type: ["null", "string"], default: null },
      ],
    });
    expect(avroFormat.incompatibilities(v3, v1)).toEqual([]);
    expect(avroFormat.incompatibilities(v1, v3, { reader: "old", writer: "new" })).toEqual([]);
  });

  it("reports an exception of the check as Confluent does", () => {
    expect(avroFormat.incompatibilities(parse(THROWING_CASE.reader), parse(THROWING_CASE.writer))).toEqual([
      `Unexpected exception during compatibility check: ${THROWING_CASE.message}`,
    ]);
  });
});

describe("schemas with references", () => {
  const address1 = '{"type":"record","name":"Address","namespace":"com.acme","fields":[{"name":"street","type":"string"}]}';
  const address2 =
    '{"type":"record","name":"Address","namespace":"com.acme","fields":[{"name":"street","type":"string"},{"name":"zip","type":"string"}]}';
  const customer = '{"type":"record","name":"Customer","namespace":"com.acme","fields":[{"name":"home","type":"Address"}]}';

  it("compares the referenced types too", () => {
    const oldCustomer = parseText(customer, [address1]);
    const newCustomer = parseText(customer, [address2]);
    expect(avroFormat.incompatibilities(newCustomer, oldCustomer)).toEqual([
      "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field 'zip' at path '/fields/0/type/fields/1' in the new schema has no default value and is missing in the old schema', additionalInfo:'zip'}",
    ]);
    expect(avroFormat.incompatibilities(oldCustomer, newCustomer)).toEqual([]);
  });

  it("a reference and the same type written inline are the same to a reader", () => {
    const inline = parseText(
      '{"type":"record","name":"Customer","namespace":"com.acme","fields":[{"name":"home","type":{"type":"record","name":"Address","fields":[{"name":"street","type":"string"}]}}]}',
    );
    const referring = parseText(customer, [address1]);
    expect(avroFormat.incompatibilities(inline, referring)).toEqual([]);
    expect(avroFormat.incompatibilities(referring, inline)).toEqual([]);
  });
});

// Compatibility levels composed over a format's reader/writer check (Confluent's
// CompatibilityChecker + SchemaValidatorBuilder), with the real Avro format: which versions each
// level checks, in which direction, and the context entries Confluent appends.
import { describe, expect, it } from "vitest";
import { compatibilityContext, DIFFERENT_SCHEMA_TYPE, incompatibilities, type PreviousVersion } from "../../../registry/compatibility.ts";
import { avroFormat } from "../../../registry/formats/avro/index.ts";
import type { ParsedSchema } from "../../../registry/formats/types.ts";
import type { CompatibilityLevel } from "../../../registry/store/records.ts";

const record = (fields: object[]): string => JSON.stringify({ type: "record", name: "R", fields });
const A = { name: "a", type: "int" };
const B_DEFAULT = { name: "b", type: "string", default: "x" };
const B = { name: "b", type: "string" };

const parse = (text: string): ParsedSchema => avroFormat.parse(text, [], new Map());
const history = (...texts: string[]): PreviousVersion[] =>
  texts.map((text, i) => ({ version: i + 1, schemaType: "AVRO", text: parse(text).canonicalString, parse: () => parse(text) }));
const check = (level: CompatibilityLevel, candidate: string, previous: PreviousVersion[]): string[] => incompatibilities(avroFormat, level, parse(candidate), previous);

describe("compatibility levels", () => {
  it("BACKWARD checks that the new schema reads the latest; BACKWARD_TRANSITIVE every version", () => {
    // v3 reads v2's data (b is there) but not v1's (no b, no default).
    const previous = history(record([A]), record([A, B_DEFAULT]));
    expect(check("BACKWARD", record([A, B]), previous)).toEqual([]);
    const messages = check("BACKWARD_TRANSITIVE", record([A, B]), previous);
    expect(messages[0]).toMatch(/^\{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE'/);
    expect(messages[0]).toContain("in the new schema has no default value and is missing in the old schema");
    expect(messages.slice(-2)).toEqual(["{oldSchemaVersion: 1}", `{oldSchema: '${previous[0]?.text}'}`]);
  });

  it("FORWARD checks that the latest reads the new schema; FORWARD_TRANSITIVE every version", () => {
    // v2 reads v3's data (b has a default there), v1 does not (b required).
    const previous = history(record([A, B]), record([A, B_DEFAULT]));
    expect(check("FORWARD", record([A]), previous)).toEqual([]);
    const messages = check("FORWARD_TRANSITIVE", record([A]), previous);
    expect(messages[0]).toContain("in the old schema has no default value and is missing in the new schema");
    expect(messages).toContain("{oldSchemaVersion: 1}");
  });

  it("FULL checks both directions against the latest; FULL_TRANSITIVE against every version", () => {
    const previous = history(record([A]), record([A, B_DEFAULT]));
    expect(check("FULL", record([A, B]), previous)).toEqual([]);
    const messages = check("FULL_TRANSITIVE", record([A, B]), previous);
    expect(messages[0]).toContain("in the new schema has no default value");
    expect(messages.at(-2)).toBe("{oldSchemaVersion: 1}");
  });

  it("FULL lists the FORWARD messages first, and the version context only after the BACKWARD ones", () => {
    // int -> string fails both ways.
    const both = check("FULL", record([{ name: "a", type: "string" }]), history(record([A])));
    const versionAt = both.indexOf("{oldSchemaVersion: 1}");
    expect(versionAt).toBeGreaterThan(1);
    expect(both.filter((m) => m === "{oldSchemaVersion: 1}")).toHaveLength(1);
    // Dropping a required field fails only the forward direction: no context entries (Confluent's mutualReadStrategy).
    const removed = check("FULL", record([A]), history(record([A, B])));
    expect(removed.length).toBeGreaterThan(0);
    expect(removed).not.toContain("{oldSchemaVersion: 1}");
  });

  it("NONE checks nothing, and nothing is checked against an empty history", () => {
    expect(check("NONE", record([B]), history(record([A])))).toEqual([]);
    expect(check("FULL_TRANSITIVE", record([B]), [])).toEqual([]);
  });

  it("a previous version of another format is incompatible without being parsed", () => {
    const other: PreviousVersion = {
      version: 4,
      schemaType: "JSON",
      text: '{"type":"object"}',
      parse: () => {
        throw new Error("must not be parsed");
      },
    };
    expect(check("BACKWARD", record([A]), [other])).toEqual([DIFFERENT_SCHEMA_TYPE, "{oldSchemaVersion: 4}", "{oldSchema: '{\"type\":\"object\"}'}"]);
  });

  it("closes a list with Confluent's config entry", () => {
    expect(compatibilityContext("BACKWARD")).toBe("{validateFields: 'false', compatibility: 'BACKWARD'}");
  });
});

// JSON Schema compatibility as Confluent's Schema Registry checks it
// (io.confluent.kafka.schemaregistry.json.diff: SchemaDiff, ObjectSchemaDiff, ArraySchemaDiff,
// CombinedSchemaDiff, NotSchemaDiff, ...; the Difference types and COMPATIBLE_CHANGES).
// BACKWARD: the new schema reads data written with the old one (diff old -> new);
// FORWARD: the old schema reads data written with the new one (diff new -> old).
// Test names cite the Difference type each rule produces.
import { describe, expect, it } from "vitest";
import { schemaDifferences } from "../../../../../registry/formats/json-schema/diff.ts";
import { type JsonParsedSchema, jsonSchemaFormat } from "../../../../../registry/formats/json-schema/index.ts";

type Schema = Record<string, unknown> | boolean;

function parse(schema: Schema, references: Record<string, Schema> = {}): JsonParsedSchema {
  const resolved = new Map(Object.entries(references).map(([name, text]) => [name, JSON.stringify(text)]));
  const refs = Object.keys(references).map((name, index) => ({ name, subject: name, version: index + 1 }));
  return jsonSchemaFormat.parse(JSON.stringify(schema), refs, resolved);
}

/** The messages of a BACKWARD check: may the new schema read the old one's data? */
function backward(oldSchema: JsonParsedSchema | Schema, newSchema: JsonParsedSchema | Schema): string[] {
  return jsonSchemaFormat.incompatibilities(asParsed(newSchema), asParsed(oldSchema), { reader: "new", writer: "old" });
}

/** The messages of a FORWARD check: may the old schema read the new one's data? */
function forward(oldSchema: JsonParsedSchema | Schema, newSchema: JsonParsedSchema | Schema): string[] {
  return jsonSchemaFormat.incompatibilities(asParsed(oldSchema), asParsed(newSchema), { reader: "old", writer: "new" });
}

function asParsed(schema: JsonParsedSchema | Schema): JsonParsedSchema {
  return typeof schema === "object" && "schemaType" in schema && schema.schemaType === "JSON" ? (schema as JsonParsedSchema) : parse(schema as Schema);
}

/** "TYPE path" of the incompatible differences, from the messages. */
function errors(messages: string[]): string[] {
  return messages.map((message) => {
    const type = /^\{errorType:"([A-Z_]+)"/.exec(message)?.[1];
    const path = /path '([^']*)'/.exec(message)?.[1];
    return path === undefined ? `${type}` : `${type} ${path}`;
  });
}

/** Every difference (compatible ones too) from `original` to `update`, as "TYPE path". */
function differences(original: Schema, update: Schema): string[] {
  return schemaDifferences(parse(original).model, parse(update).model).map((difference) => `${difference.type} ${difference.path}`);
}

const OPEN = { type: "object", properties: { a: { type: "string" } } };
const CLOSED = { type: "object", properties: { a: { type: "string" } }, additionalProperties: false };

describe("messages", () => {
  it("words an incompatibility as Confluent's verbose check does, new/old by role", () => {
    const withB = { type: "object", properties: { a: { type: "string" }, b: { type: "number" } } };
    expect(backward(OPEN, withB)).toEqual([
      `{errorType:"OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", description:"The new schema has an open content model and has a property or item at path '#/properties/b' which is missing in the old schema"}`,
    ]);
    const closedWithB = { ...CLOSED, properties: { ...CLOSED.properties, b: { type: "number" } } };
    expect(forward(CLOSED, closedWithB)).toEqual([
      `{errorType:"PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", description:"The old schema has a closed content model and is missing a property or item present at path '#/properties/b' in the new schema"}`,
    ]);
  });

  it("words each family of difference (keyword added, value changed, type changed ...)", () => {
    expect(backward({ type: "string" }, { type: "string", maxLength: 5 })).toEqual([
      `{errorType:"MAX_LENGTH_ADDED", description:"The keyword at path '#/maxLength' in the new schema is not present in the old schema"}`,
    ]);
    expect(backward({ type: "string", minLength: 1 }, { type: "string", minLength: 2 })).toEqual([
      `{errorType:"MIN_LENGTH_INCREASED", description:"The value at path '#/minLength' in the new schema is more than its value in the old schema"}`,
    ]);
    expect(backward({ type: "string", maxLength: 5 }, { type: "string", maxLength: 4 })).toEqual([
      `{errorType:"MAX_LENGTH_DECREASED", description:"The value at path '#/maxLength' in the new schema is less than its value in the old schema"}`,
    ]);
    expect(backward({ type: "string", pattern: "^a" }, { type: "string", pattern: "^b" })).toEqual([
      `{errorType:"PATTERN_CHANGED", description:"The value at path '#/pattern' is different between the new and old schema"}`,
    ]);
    expect(backward({ enum: ["a", "b"] }, { enum: ["a"] })).toEqual([
      `{errorType:"ENUM_ARRAY_NARROWED", description:"An array or combined type at path '#/enum' has fewer elements in the new schema than the old schema"}`,
    ]);
    expect(backward({ type: "string" }, { type: "number" })).toEqual([
      `{errorType:"TYPE_CHANGED", description:"A type at path '#/' is different between the new schema and the old schema"}`,
    ]);
    expect(backward({ allOf: [{ type: "string" }] }, { allOf: [{ type: "string" }, { maxLength: 3 }] })).toEqual([
      `{errorType:"PRODUCT_TYPE_EXTENDED", description:"An array or combined type at path '#/' has more elements in the new schema than the old schema"}`,
    ]);
    expect(backward({ ...CLOSED }, { ...CLOSED, properties: { ...CLOSED.properties, b: { type: "string" } }, required: ["b"] })).toEqual([
      `{errorType:"REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL", description:"The new schema has an unopen content model and has a required property at path '#/properties/b' which is missing in the old schema"}`,
    ]);
    // Confluent has no wording for SCHEMA_ADDED.
    expect(backward({ type: "array" }, { type: "array", items: { type: "string" } })).toEqual([`{errorType:"SCHEMA_ADDED", description:""}`]);
  });

  it("finds nothing between a schema and itself", () => {
    const schema = {
      type: "object",
      properties: { a: { type: "string", maxLength: 3 }, b: { oneOf: [{ type: "null" }, { $ref: "#/definitions/n" }] }, c: { type: "array", items: { enum: [1, 2] } } },
      required: ["a"],
      definitions: { n: { type: "integer", minimum: 0 } },
    };
    expect(differences(schema, schema)).toEqual([]);
    expect(backward(schema, schema)).toEqual([]);
  });
});

describe("object content models (ObjectSchemaDiff)", () => {
  it("OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL: adding a property to an open schema is backward incompatible", () => {
    const update = { type: "object", properties: { a: { type: "string" }, b: { type: "number" } } };
    expect(errors(backward(OPEN, update))).toEqual(["OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL #/properties/b"]);
    // PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL is compatible.
    expect(forward(OPEN, update)).toEqual([]);
    expect(differences(update, OPEN)).toEqual(["PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL #/properties/b"]);
  });

  it("REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL and REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL are incompatible", () => {
    const required = { ...OPEN, properties: { ...OPEN.properties, b: { type: "number" } }, required: ["b"] };
    expect(errors(backward(OPEN, required))).toEqual(["REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL #/properties/b"]);
    const withDefault = { ...OPEN, properties: { ...OPEN.properties, b: { type: "number", default: 0 } }, required: ["b"] };
    expect(errors(backward(OPEN, withDefault))).toEqual(["REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL #/properties/b"]);
  });

  it("PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL: a property with the empty schema may be added to an open schema", () => {
    expect(backward(OPEN, { ...OPEN, properties: { ...OPEN.properties, b: true } })).toEqual([]);
    expect(differences(OPEN, { ...OPEN, properties: { ...OPEN.properties, b: {} } })).toEqual(["PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL #/properties/b"]);
  });

  it("OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL is compatible; forward it is PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", () => {
    const update = { ...CLOSED, properties: { ...CLOSED.properties, b: { type: "number" } } };
    expect(backward(CLOSED, update)).toEqual([]);
    expect(differences(CLOSED, update)).toEqual(["OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL #/properties/b"]);
    expect(errors(forward(CLOSED, update))).toEqual(["PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL #/properties/b"]);
  });

  it("REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL is incompatible unless the property has a default", () => {
    const required = { ...CLOSED, properties: { ...CLOSED.properties, b: { type: "number" } }, required: ["b"] };
    expect(errors(backward(CLOSED, required))).toEqual(["REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL #/properties/b"]);
    const withDefault = { ...CLOSED, properties: { ...CLOSED.properties, b: { type: "number", default: 1 } }, required: ["b"] };
    expect(backward(CLOSED, withDefault)).toEqual([]);
    expect(differences(CLOSED, withDefault)).toEqual(["REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL #/properties/b"]);
  });

  it("PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL is incompatible; PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL is not", () => {
    const withB = { ...CLOSED, properties: { ...CLOSED.properties, b: { type: "number" } } };
    expect(errors(backward(withB, CLOSED))).toEqual(["PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL #/properties/b"]);
    const withFalse = { ...CLOSED, properties: { ...CLOSED.properties, b: false } };
    expect(backward(withFalse, CLOSED)).toEqual([]);
    expect(differences(withFalse, CLOSED)).toEqual(["PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL #/properties/b"]);
  });

  it("PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL: additionalProperties as a schema covers added properties it accepts", () => {
    const partial = { ...OPEN, additionalProperties: { type: "string" } };
    const covered = { ...partial, properties: { ...partial.properties, b: { type: "string" } } };
    expect(backward(partial, covered)).toEqual([]);
    expect(differences(partial, covered)).toEqual([
      "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/properties/b",
      "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL #/properties/b",
    ]);
    const notCovered = { ...partial, properties: { ...partial.properties, b: { type: "number" } } };
    expect(errors(backward(partial, notCovered))).toEqual(["TYPE_CHANGED #/properties/b", "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/properties/b"]);
    const requiredCovered = { ...covered, required: ["b"] };
    expect(errors(backward(partial, requiredCovered))).toEqual(["REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL #/properties/b"]);
  });

  it("patternProperties make a partially open model: a matching pattern covers an added property (TYPE_EXTENDED integer -> number)", () => {
    const patterned = { ...CLOSED, patternProperties: { "^S_": { type: "string" }, "^I_": { type: "integer" } } };
    const added = { ...patterned, properties: { ...patterned.properties, I_123: { type: "number" } } };
    expect(backward(patterned, added)).toEqual([]);
    expect(differences(patterned, added)).toEqual([
      "TYPE_EXTENDED #/properties/I_123",
      "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/properties/I_123",
      "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL #/properties/I_123",
    ]);
    const mismatched = { ...patterned, properties: { ...patterned.properties, S_1: { type: "boolean" } } };
    expect(errors(backward(patterned, mismatched))).toEqual(["TYPE_CHANGED #/properties/S_1", "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/properties/S_1"]);
  });

  it("PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL / _NOT_COVERED_: a removed property must still be readable", () => {
    const before = { ...CLOSED, properties: { ...CLOSED.properties, b: { type: "string" }, c: { type: "number" } } };
    const after = { ...OPEN, additionalProperties: { type: "string" } };
    expect(errors(backward(before, after))).toEqual(["TYPE_CHANGED #/properties/c", "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/properties/c"]);
    expect(differences(before, after)).toContain("PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/properties/b");
    expect(differences(before, after)).toContain("ADDITIONAL_PROPERTIES_ADDED #/additionalProperties");
  });

  it("ADDITIONAL_PROPERTIES_REMOVED (closing an open schema) is incompatible; ADDITIONAL_PROPERTIES_ADDED is not", () => {
    expect(errors(backward(OPEN, CLOSED))).toEqual(["ADDITIONAL_PROPERTIES_REMOVED #/additionalProperties"]);
    expect(forward(OPEN, CLOSED)).toEqual([]);
    expect(differences(CLOSED, OPEN)).toEqual(["ADDITIONAL_PROPERTIES_ADDED #/additionalProperties"]);
  });

  it("ADDITIONAL_PROPERTIES_NARROWED (true -> a schema) is incompatible; ADDITIONAL_PROPERTIES_EXTENDED is not", () => {
    const open = { type: "object", additionalProperties: true };
    const typed = { type: "object", additionalProperties: { type: "number" } };
    expect(errors(backward(open, typed))).toEqual(["ADDITIONAL_PROPERTIES_NARROWED #/additionalProperties"]);
    expect(forward(open, typed)).toEqual([]);
    expect(errors(backward(typed, { type: "object", additionalProperties: { type: "string" } }))).toEqual(["TYPE_CHANGED #/additionalProperties"]);
  });

  it("UNEVALUATED_PROPERTIES_REMOVED (2020-12 unevaluatedProperties: false) closes the model like additionalProperties", () => {
    const draft = "https://json-schema.org/draft/2020-12/schema";
    const open = { $schema: draft, type: "object", properties: { a: { type: "string" } } };
    const closed = { ...open, unevaluatedProperties: false };
    expect(errors(backward(open, closed))).toEqual(["UNEVALUATED_PROPERTIES_REMOVED #/unevaluatedProperties"]);
    expect(forward(open, closed)).toEqual([]);
    const closedWithB = { ...closed, properties: { ...closed.properties, b: { type: "integer" } } };
    expect(backward(closed, closedWithB)).toEqual([]);
    expect(differences(closed, closedWithB)).toEqual(["OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL #/properties/b"]);
  });
});

describe("required properties", () => {
  it("REQUIRED_ATTRIBUTE_ADDED is incompatible, REQUIRED_ATTRIBUTE_REMOVED is not", () => {
    const required = { ...OPEN, required: ["a"] };
    expect(errors(backward(OPEN, required))).toEqual(["REQUIRED_ATTRIBUTE_ADDED #/required/a"]);
    expect(forward(OPEN, required)).toEqual([]);
    expect(differences(required, OPEN)).toEqual(["REQUIRED_ATTRIBUTE_REMOVED #/required/a"]);
  });

  it("REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED is compatible", () => {
    const withDefault = { type: "object", properties: { a: { type: "string", default: "x" } } };
    expect(backward(withDefault, { ...withDefault, required: ["a"] })).toEqual([]);
    expect(differences(withDefault, { ...withDefault, required: ["a"] })).toEqual(["REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED #/required/a"]);
  });
});

describe("types", () => {
  it("TYPE_CHANGED: a property's type changes", () => {
    const numberA = { type: "object", properties: { a: { type: "number" } } };
    expect(errors(backward(OPEN, numberA))).toEqual(["TYPE_CHANGED #/properties/a"]);
    expect(errors(forward(OPEN, numberA))).toEqual(["TYPE_CHANGED #/properties/a"]);
  });

  it("TYPE_EXTENDED integer -> number is compatible; TYPE_NARROWED number -> integer is not", () => {
    expect(backward({ type: "integer" }, { type: "number" })).toEqual([]);
    expect(differences({ type: "integer" }, { type: "number" })).toEqual(["TYPE_EXTENDED #/"]);
    expect(errors(backward({ type: "number" }, { type: "integer" }))).toEqual(["TYPE_NARROWED #/"]);
    expect(errors(forward({ type: "integer" }, { type: "number" }))).toEqual(["TYPE_NARROWED #/"]);
  });

  it("SUM_TYPE_EXTENDED: a type becoming nullable (type list or oneOf) is compatible, not the reverse", () => {
    expect(backward({ type: "string" }, { type: ["string", "null"] })).toEqual([]);
    expect(differences({ type: ["string"] }, { type: ["string", "null"] })).toEqual(["SUM_TYPE_EXTENDED #/"]);
    expect(errors(backward({ type: ["string", "null"] }, { type: ["string"] }))).toEqual(["SUM_TYPE_NARROWED #/"]);
    expect(errors(forward({ type: "string" }, { oneOf: [{ type: "null" }, { type: "string" }] }))).toEqual(["TYPE_CHANGED #/"]);
  });

  it("the empty schema reads anything; nothing was written with false", () => {
    expect(backward({ type: "object", properties: {} }, {})).toEqual([]);
    expect(backward({ type: "string" }, true)).toEqual([]);
    expect(backward(false, { type: "string" })).toEqual([]);
    expect(errors(backward({}, { type: "string" }))).toEqual(["TYPE_CHANGED #/"]);
  });

  it("annotations (title, description, default) change compatibly: TITLE_CHANGED, DESCRIPTION_CHANGED, DEFAULT_CHANGED", () => {
    const before = { type: "string", title: "A", description: "a", default: "x" };
    const after = { type: "string", title: "B", description: "b", default: "y" };
    expect(backward(before, after)).toEqual([]);
    expect(differences(before, after)).toEqual(["TITLE_CHANGED #/", "DESCRIPTION_CHANGED #/", "DEFAULT_CHANGED #/"]);
  });

  it("format beside a non-string type is a string keyword in draft-07 (everit), so adding it is a TYPE_CHANGED", () => {
    expect(errors(backward({ type: "integer" }, { type: "integer", format: "int64" }))).toEqual(["TYPE_CHANGED #/"]);
    expect(backward({ type: "integer", format: "int64" }, { type: "integer" })).toEqual([]);
    expect(differences({ type: "integer", format: "int64" }, { type: "integer" })).toEqual(["PRODUCT_TYPE_NARROWED #/"]);
    // 2020-12 schemas are read with json-sKema, which ignores format.
    const modern = "https://json-schema.org/draft/2020-12/schema";
    expect(backward({ $schema: modern, type: "integer" }, { $schema: modern, type: "integer", format: "int64" })).toEqual([]);
  });
});

describe("enums and const (EnumSchemaDiff, ConstSchemaDiff)", () => {
  it("ENUM_ARRAY_EXTENDED is compatible, ENUM_ARRAY_NARROWED and ENUM_ARRAY_CHANGED are not", () => {
    expect(backward({ enum: ["a", "b"] }, { enum: ["b", "a", "c"] })).toEqual([]);
    expect(errors(forward({ enum: ["a", "b"] }, { enum: ["a", "b", "c"] }))).toEqual(["ENUM_ARRAY_NARROWED #/enum"]);
    expect(errors(backward({ enum: ["a", "b"] }, { enum: ["a", "c"] }))).toEqual(["ENUM_ARRAY_CHANGED #/enum"]);
    expect(backward({ enum: ["b", "a"] }, { enum: ["a", "b"] })).toEqual([]);
  });

  it("enum beside a type is a product of both (allOf): extending it is compatible, dropping it is PRODUCT_TYPE_NARROWED", () => {
    expect(backward({ type: "string", enum: ["red"] }, { type: "string", enum: ["red", "blue"] })).toEqual([]);
    expect(differences({ type: "string", enum: ["red"] }, { type: "string" })).toEqual(["PRODUCT_TYPE_NARROWED #/"]);
    expect(errors(backward({ type: "string" }, { type: "string", enum: ["red"] }))).toEqual(["TYPE_CHANGED #/"]);
  });

  it("ENUM_ARRAY_CHANGED at .../const when a const changes", () => {
    const red = { properties: { foo: { const: "red" } } };
    expect(errors(backward(red, { properties: { foo: { const: "blue" } } }))).toEqual(["ENUM_ARRAY_CHANGED #/properties/foo/const"]);
  });
});

describe("string, number and object constraints", () => {
  it.each([
    ["MAX_LENGTH_ADDED", { maxLength: 5 }, {}, "maxLength"],
    ["MAX_LENGTH_DECREASED", { maxLength: 5 }, { maxLength: 6 }, "maxLength"],
    ["MIN_LENGTH_ADDED", { minLength: 1 }, {}, "minLength"],
    ["MIN_LENGTH_INCREASED", { minLength: 2 }, { minLength: 1 }, "minLength"],
    ["PATTERN_ADDED", { pattern: "^a" }, {}, "pattern"],
  ])("%s is incompatible (BACKWARD), its opposite is not", (type, strict, loose, keyword) => {
    const looser = { type: "string", ...loose };
    const stricter = { type: "string", ...strict };
    expect(errors(backward(looser, stricter))).toEqual([`${type} #/${keyword}`]);
    expect(backward(stricter, looser)).toEqual([]);
  });

  it.each([
    ["MAXIMUM_ADDED", { maximum: 10 }, {}, "maximum"],
    ["MAXIMUM_DECREASED", { maximum: 10 }, { maximum: 11 }, "maximum"],
    ["MINIMUM_ADDED", { minimum: 1 }, {}, "minimum"],
    ["MINIMUM_INCREASED", { minimum: 2 }, { minimum: 1 }, "minimum"],
    ["EXCLUSIVE_MAXIMUM_ADDED", { exclusiveMaximum: 10 }, {}, "exclusiveMaximum"],
    ["EXCLUSIVE_MAXIMUM_DECREASED", { exclusiveMaximum: 10 }, { exclusiveMaximum: 20 }, "exclusiveMaximum"],
    ["EXCLUSIVE_MINIMUM_ADDED", { exclusiveMinimum: 0 }, {}, "exclusiveMinimum"],
    ["EXCLUSIVE_MINIMUM_INCREASED", { exclusiveMinimum: 5 }, { exclusiveMinimum: 0 }, "exclusiveMinimum"],
    ["MULTIPLE_OF_ADDED", { multipleOf: 2 }, {}, "multipleOf"],
    ["MULTIPLE_OF_EXPANDED", { multipleOf: 10 }, { multipleOf: 5 }, "multipleOf"],
  ])("%s is incompatible (BACKWARD), its opposite is not", (type, strict, loose, keyword) => {
    const looser = { type: "number", ...loose };
    const stricter = { type: "number", ...strict };
    expect(errors(backward(looser, stricter))).toEqual([`${type} #/${keyword}`]);
    expect(backward(stricter, looser)).toEqual([]);
  });

  it("MULTIPLE_OF_REDUCED is compatible, MULTIPLE_OF_CHANGED is not (decimals compared exactly)", () => {
    expect(differences({ type: "number", multipleOf: 10 }, { type: "number", multipleOf: 2 })).toEqual(["MULTIPLE_OF_REDUCED #/multipleOf"]);
    expect(errors(backward({ type: "number", multipleOf: 10 }, { type: "number", multipleOf: 3 }))).toEqual(["MULTIPLE_OF_CHANGED #/multipleOf"]);
    expect(backward({ type: "number", multipleOf: 0.5 }, { type: "number", multipleOf: 0.25 })).toEqual([]);
    expect(errors(backward({ type: "number", multipleOf: 0.25 }, { type: "number", multipleOf: 0.5 }))).toEqual(["MULTIPLE_OF_EXPANDED #/multipleOf"]);
  });

  it("MAX_PROPERTIES_DECREASED and MIN_PROPERTIES_INCREASED are incompatible; removals are not", () => {
    expect(errors(backward({ type: "object", maxProperties: 3 }, { type: "object", maxProperties: 2 }))).toEqual(["MAX_PROPERTIES_DECREASED #/maxProperties"]);
    expect(errors(backward({ type: "object", minProperties: 1 }, { type: "object", minProperties: 2 }))).toEqual(["MIN_PROPERTIES_INCREASED #/minProperties"]);
    expect(backward({ type: "object", minProperties: 1, maxProperties: 2 }, { type: "object" })).toEqual([]);
  });

  it("DEPENDENCY_ARRAY_ADDED / DEPENDENCY_SCHEMA_ADDED are incompatible; removals and DEPENDENCY_ARRAY_NARROWED are not", () => {
    const props = { a: { type: "string" }, b: { type: "string" }, c: { type: "string" } };
    expect(errors(backward({ properties: props }, { properties: props, dependencies: { a: ["b"] } }))).toEqual(["DEPENDENCY_ARRAY_ADDED #/dependencies/a"]);
    expect(errors(backward({ properties: props, dependencies: { a: ["b"] } }, { properties: props, dependencies: { a: ["b", "c"] } }))).toEqual([
      "DEPENDENCY_ARRAY_EXTENDED #/dependencies/a",
    ]);
    expect(backward({ properties: props, dependencies: { a: ["b", "c"] } }, { properties: props, dependencies: { a: ["b"] } })).toEqual([]);
    expect(errors(backward({ properties: props }, { properties: props, dependencies: { a: { required: ["b"] } } }))).toEqual(["DEPENDENCY_SCHEMA_ADDED #/dependencies/a"]);
    expect(backward({ properties: props, dependencies: { a: { required: ["b"] } } }, { properties: props })).toEqual([]);
  });

  it("2019-09 dependentRequired is compared as dependencies", () => {
    const draft = "https://json-schema.org/draft/2019-09/schema";
    const props = { a: { type: "string" }, b: { type: "string" } };
    expect(errors(backward({ $schema: draft, properties: props }, { $schema: draft, properties: props, dependentRequired: { a: ["b"] } }))).toEqual([
      "DEPENDENCY_ARRAY_ADDED #/dependencies/a",
    ]);
  });
});

describe("arrays (ArraySchemaDiff)", () => {
  it("a change of the items schema is found at #/items; SCHEMA_ADDED when items appears, SCHEMA_REMOVED (compatible) when it goes", () => {
    expect(errors(backward({ type: "array", items: { type: "string" } }, { type: "array", items: { type: "number" } }))).toEqual(["TYPE_CHANGED #/items"]);
    expect(errors(backward({ type: "array" }, { type: "array", items: { type: "string" } }))).toEqual(["SCHEMA_ADDED"]);
    expect(backward({ type: "array", items: { type: "string" } }, { type: "array" })).toEqual([]);
  });

  it("MAX_ITEMS_DECREASED, MIN_ITEMS_INCREASED and UNIQUE_ITEMS_ADDED are incompatible; the opposites are not", () => {
    expect(errors(backward({ type: "array", maxItems: 3 }, { type: "array", maxItems: 2 }))).toEqual(["MAX_ITEMS_DECREASED #/maxItems"]);
    expect(errors(backward({ type: "array", minItems: 1 }, { type: "array", minItems: 2 }))).toEqual(["MIN_ITEMS_INCREASED #/minItems"]);
    expect(errors(backward({ type: "array" }, { type: "array", uniqueItems: true }))).toEqual(["UNIQUE_ITEMS_ADDED #/uniqueItems"]);
    expect(backward({ type: "array", maxItems: 2, minItems: 2, uniqueItems: true }, { type: "array", maxItems: 3, minItems: 1 })).toEqual([]);
  });

  it("tuples: ITEM_ADDED_TO_CLOSED_CONTENT_MODEL is compatible, ITEM_ADDED_TO_OPEN_CONTENT_MODEL and ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL are not", () => {
    const closed = { type: "array", items: [{ type: "string" }], additionalItems: false };
    const closedLonger = { type: "array", items: [{ type: "string" }, { type: "number" }], additionalItems: false };
    expect(backward(closed, closedLonger)).toEqual([]);
    expect(differences(closed, closedLonger)).toEqual(["ITEM_ADDED_TO_CLOSED_CONTENT_MODEL #/items/1"]);
    expect(errors(forward(closed, closedLonger))).toEqual(["ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL #/items/1"]);
    const open = { type: "array", items: [{ type: "string" }] };
    const openLonger = { type: "array", items: [{ type: "string" }, { type: "number" }] };
    expect(errors(backward(open, openLonger))).toEqual(["ITEM_ADDED_TO_OPEN_CONTENT_MODEL #/items/1"]);
    expect(differences(openLonger, open)).toEqual(["ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL #/items/1"]);
  });

  it("tuples with additionalItems as a schema: ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL / _NOT_COVERED_", () => {
    const partial = { type: "array", items: [{ type: "string" }], additionalItems: { type: "string" } };
    expect(backward(partial, { ...partial, items: [{ type: "string" }, { type: "string" }] })).toEqual([]);
    expect(errors(backward(partial, { ...partial, items: [{ type: "string" }, { type: "number" }] }))).toEqual([
      "TYPE_CHANGED #/items/1",
      "ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/items/1",
    ]);
  });

  it("ADDITIONAL_ITEMS_REMOVED is incompatible, ADDITIONAL_ITEMS_ADDED is not", () => {
    expect(errors(backward({ type: "array", items: [{ type: "string" }] }, { type: "array", items: [{ type: "string" }], additionalItems: false }))).toEqual([
      "ADDITIONAL_ITEMS_REMOVED #/additionalItems",
    ]);
    expect(forward({ type: "array", items: [{ type: "string" }] }, { type: "array", items: [{ type: "string" }], additionalItems: false })).toEqual([]);
  });

  it("2020-12 prefixItems are the tuple, items: false closes it", () => {
    const draft = "https://json-schema.org/draft/2020-12/schema";
    const closed = { $schema: draft, type: "array", prefixItems: [{ type: "string" }], items: false };
    const longer = { ...closed, prefixItems: [{ type: "string" }, { type: "integer" }] };
    expect(backward(closed, longer)).toEqual([]);
    expect(errors(forward(closed, longer))).toEqual(["ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL #/items/1"]);
    expect(errors(backward({ $schema: draft, type: "array", items: { type: "string" } }, { $schema: draft, type: "array", items: { type: "integer" } }))).toEqual([
      "TYPE_CHANGED #/items",
    ]);
  });

  it("2019-09 contains: MIN_CONTAINS_INCREASED (minContains defaults to 1) is incompatible", () => {
    const draft = "https://json-schema.org/draft/2019-09/schema";
    const containsString = { $schema: draft, type: "array", contains: { type: "string" } };
    expect(errors(backward(containsString, { ...containsString, minContains: 2 }))).toEqual(["MIN_CONTAINS_INCREASED #/minContains"]);
    expect(backward({ ...containsString, minContains: 2 }, containsString)).toEqual([]);
    expect(errors(backward(containsString, { ...containsString, maxContains: 3 }))).toEqual(["MAX_CONTAINS_ADDED #/maxContains"]);
  });
});

describe("combined schemas (CombinedSchemaDiff)", () => {
  it("SUM_TYPE_EXTENDED: a oneOf/anyOf gaining a branch is compatible; SUM_TYPE_NARROWED is not", () => {
    const one = { oneOf: [{ type: "string" }] };
    const two = { oneOf: [{ type: "number" }, { type: "string" }] };
    expect(backward(one, two)).toEqual([]);
    expect(differences(one, two)).toEqual(["SUM_TYPE_EXTENDED #/"]);
    expect(errors(forward(one, two))).toEqual(["SUM_TYPE_NARROWED #/"]);
  });

  it("COMBINED_TYPE_SUBSCHEMAS_CHANGED when no pairing of branches is compatible", () => {
    expect(errors(backward({ oneOf: [{ type: "string" }] }, { oneOf: [{ type: "number" }] }))).toEqual(["COMBINED_TYPE_SUBSCHEMAS_CHANGED #/"]);
    const before = { type: "object", properties: { p: { allOf: [{ enum: ["one", "two"] }, { type: "string" }, { maxLength: 5 }] } } };
    const reordered = { type: "object", properties: { p: { allOf: [{ maxLength: 5 }, { enum: ["one", "two"] }, { type: "string" }] } } };
    expect(backward(before, reordered)).toEqual([]);
    const changed = { type: "object", properties: { p: { allOf: [{ maxLength: 5 }, { enum: ["one", "two"] }, { type: "number" }] } } };
    expect(errors(backward(before, changed))).toEqual(["COMBINED_TYPE_SUBSCHEMAS_CHANGED #/properties/p"]);
  });

  it("paired branches report their compatible differences under the original branch's path", () => {
    const before = { properties: { p: { oneOf: [{ type: "string", maxLength: 5 }] } } };
    const after = { properties: { p: { oneOf: [{ type: "boolean" }, { title: "s", type: "string", maxLength: 8 }] } } };
    expect(differences(before, after)).toEqual([
      "SUM_TYPE_EXTENDED #/properties/p",
      "TITLE_CHANGED #/properties/p/oneOf/0",
      "MAX_LENGTH_INCREASED #/properties/p/oneOf/0/maxLength",
    ]);
  });

  it("PRODUCT_TYPE_EXTENDED (allOf gains a branch) is incompatible; PRODUCT_TYPE_NARROWED is not", () => {
    const one = { allOf: [{ type: "string" }] };
    const two = { allOf: [{ enum: ["a"] }, { type: "string" }] };
    expect(errors(backward(one, two))).toEqual(["PRODUCT_TYPE_EXTENDED #/"]);
    expect(forward(one, two)).toEqual([]);
  });

  it("COMBINED_TYPE_EXTENDED: oneOf/allOf -> anyOf, singleton -> oneOf/allOf; COMBINED_TYPE_CHANGED otherwise", () => {
    expect(backward({ oneOf: [{ type: "string" }, { type: "integer" }] }, { anyOf: [{ type: "string" }, { type: "integer" }] })).toEqual([]);
    expect(backward({ anyOf: [{ type: "string" }] }, { oneOf: [{ type: "string" }] })).toEqual([]);
    expect(backward({ oneOf: [{ type: "string" }] }, { allOf: [{ type: "string" }] })).toEqual([]);
    expect(errors(backward({ oneOf: [{ type: "string" }, { type: "integer" }] }, { allOf: [{ type: "string" }] }))).toEqual(["COMBINED_TYPE_CHANGED #/"]);
    expect(errors(backward({ anyOf: [{ type: "number" }, { type: "string" }] }, { oneOf: [{ type: "string" }] }))).toEqual(["COMBINED_TYPE_CHANGED #/"]);
  });

  it("a plain schema may become a oneOf/anyOf with a compatible branch (SUM_TYPE_EXTENDED), an allOf one of its branches (PRODUCT_TYPE_NARROWED)", () => {
    expect(differences({ type: "string", maxLength: 3 }, { oneOf: [{ type: "number" }, { type: "string" }] })).toEqual(["MAX_LENGTH_REMOVED #/maxLength", "SUM_TYPE_EXTENDED #/"]);
    expect(errors(backward({ type: "boolean" }, { anyOf: [{ type: "number" }, { type: "string" }] }))).toEqual(["TYPE_CHANGED #/"]);
    expect(backward({ allOf: [{ type: "string" }, { maxLength: 3 }] }, { type: "string" })).toEqual([]);
  });

  it("duplicate branches are collapsed", () => {
    expect(differences({ allOf: [{ type: "string" }, { type: "string" }] }, { allOf: [{ type: "string" }] })).toEqual([]);
  });
});

describe("not (NotSchemaDiff)", () => {
  it("NOT_TYPE_NARROWED (forbidding less) is compatible, NOT_TYPE_EXTENDED is not", () => {
    expect(backward({ not: { type: "number" } }, { not: { type: "integer" } })).toEqual([]);
    expect(differences({ not: { type: "number" } }, { not: { type: "integer" } })).toEqual(["NOT_TYPE_NARROWED #/not"]);
    expect(errors(backward({ not: { type: "integer" } }, { not: { type: "number" } }))).toEqual(["NOT_TYPE_EXTENDED #/not"]);
  });
});

describe("$ref'd subschemas", () => {
  it("a change in a definition is found where it is used", () => {
    const before = { type: "array", items: { $ref: "#/definitions/item" }, definitions: { item: { type: "string" } } };
    const after = { type: "array", items: { $ref: "#/definitions/item" }, definitions: { item: { type: "number" } } };
    expect(errors(backward(before, after))).toEqual(["TYPE_CHANGED #/items"]);
  });

  it("moving a subschema into or out of a definition changes nothing", () => {
    const inline = { type: "object", properties: { a: { type: "string" } } };
    const referenced = { type: "object", properties: { a: { $ref: "#/definitions/s" } }, definitions: { s: { type: "string" } } };
    expect(differences(inline, referenced)).toEqual([]);
    expect(differences(referenced, inline)).toEqual([]);
  });

  it("follows references to other registered schemas", () => {
    const order = { type: "object", properties: { customer: { $ref: "customer.json" } } };
    const v1 = parse(order, { "customer.json": { type: "object", properties: { name: { type: "string" } } } });
    const v2 = parse(order, { "customer.json": { type: "object", properties: { name: { type: "integer" } } } });
    expect(errors(backward(v1, v2))).toEqual(["TYPE_CHANGED #/properties/customer/properties/name"]);
    expect(backward(v1, v1)).toEqual([]);
  });

  it("terminates on recursive schemas and still finds changes inside them", () => {
    const tree = (leaf: string) => ({
      type: "object",
      properties: { value: { type: leaf }, children: { type: "array", items: { $ref: "#" } }, next: { oneOf: [{ type: "null" }, { $ref: "#" }] } },
    });
    expect(backward(tree("string"), tree("string"))).toEqual([]);
    expect(errors(backward(tree("string"), tree("number")))).toEqual(["TYPE_CHANGED #/properties/value"]);
  });
});

// Pairs of Avro schemas and what Apache Avro's Java SchemaCompatibility (1.11, the Avro inside
// Confluent's Schema Registry) finds when the first reads data written with the second: each
// incompatibility as "TYPE location message". The unit test checks the hub's answers against
// these; the integration test (test/integration/registry/avro-compatibility-java.test.ts) runs
// Java Avro on the same pairs, so the expectations cannot drift from what Java says.
// Every rule of the specification's "Schema Resolution" has cases, and so has each quirk of the
// Java implementation that Confluent's answers inherit.

/** A schema as JSON (turned into text with JSON.stringify). */
export type SchemaJson = string | readonly SchemaJson[] | { readonly [key: string]: unknown };

export interface CompatibilityCase {
  /** The resolution rule the case is about. */
  readonly rule: string;
  readonly name: string;
  readonly reader: SchemaJson;
  readonly writer: SchemaJson;
  /** What Java Avro 1.11 reports, in its order; empty: compatible. */
  readonly expected: readonly string[];
  /** Where Debian's libavro-java (Avro 1.8.2) answers differently, and why. */
  readonly avro18?: { readonly compatible: boolean; readonly why: string };
}

type Fields = readonly SchemaJson[];
type Attributes = Readonly<Record<string, unknown>>;

const rec = (name: string, fields: Fields, extra: Attributes = {}): SchemaJson => ({ type: "record", name, ...extra, fields });
const f = (name: string, type: SchemaJson, extra: Attributes = {}): SchemaJson => ({ name, type, ...extra });
const en = (name: string, symbols: readonly string[], extra: Attributes = {}): SchemaJson => ({ type: "enum", name, symbols, ...extra });
const fx = (name: string, size: number, extra: Attributes = {}): SchemaJson => ({ type: "fixed", name, size, ...extra });
const arr = (items: SchemaJson): SchemaJson => ({ type: "array", items });
const map = (values: SchemaJson): SchemaJson => ({ type: "map", values });
/** A linked list: a record that refers to itself. */
const list = (extraFields: Fields = [], valueType: SchemaJson = "int"): SchemaJson =>
  rec("Node", [f("value", valueType), ...extraFields, f("next", ["null", "Node"])]);

const NAMESPACE_WHY = "Avro 1.8 compares full names; Avro 1.9+ (and so Confluent) compares names without namespaces";
const ENUM_DEFAULT_WHY = "enum defaults came with Avro 1.9";
const WRITER_UNION_WHY = "Avro 1.8 never reads a union with a reader that is not a union; Avro 1.9+ does when it reads every branch";

export const COMPATIBILITY_CASES: readonly CompatibilityCase[] = [
  // primitives and promotions
  {
    rule: "promotion",
    name: "long reads int",
    reader: "long",
    writer: "int",
    expected: [],
  },
  {
    rule: "promotion",
    name: "float reads int",
    reader: "float",
    writer: "int",
    expected: [],
  },
  {
    rule: "promotion",
    name: "double reads int",
    reader: "double",
    writer: "int",
    expected: [],
  },
  {
    rule: "promotion",
    name: "float reads long",
    reader: "float",
    writer: "long",
    expected: [],
  },
  {
    rule: "promotion",
    name: "double reads long",
    reader: "double",
    writer: "long",
    expected: [],
  },
  {
    rule: "promotion",
    name: "double reads float",
    reader: "double",
    writer: "float",
    expected: [],
  },
  {
    rule: "promotion",
    name: "string reads bytes",
    reader: "string",
    writer: "bytes",
    expected: [],
  },
  {
    rule: "promotion",
    name: "bytes reads string",
    reader: "bytes",
    writer: "string",
    expected: [],
  },
  {
    rule: "promotion",
    name: "int does not read long",
    reader: "int",
    writer: "long",
    expected: [
      "TYPE_MISMATCH / reader type: INT not compatible with writer type: LONG",
    ],
  },
  {
    rule: "promotion",
    name: "float does not read double",
    reader: "float",
    writer: "double",
    expected: [
      "TYPE_MISMATCH / reader type: FLOAT not compatible with writer type: DOUBLE",
    ],
  },
  {
    rule: "promotion",
    name: "long does not read float",
    reader: "long",
    writer: "float",
    expected: [
      "TYPE_MISMATCH / reader type: LONG not compatible with writer type: FLOAT",
    ],
  },
  {
    rule: "primitive",
    name: "boolean does not read int",
    reader: "boolean",
    writer: "int",
    expected: [
      "TYPE_MISMATCH / reader type: BOOLEAN not compatible with writer type: INT",
    ],
  },
  {
    rule: "primitive",
    name: "null does not read string",
    reader: "null",
    writer: "string",
    expected: [
      "TYPE_MISMATCH / reader type: NULL not compatible with writer type: STRING",
    ],
  },
  {
    rule: "primitive",
    name: "a logical type does not change the type",
    reader: { type: "int", logicalType: "date" },
    writer: "int",
    expected: [],
  },
  // records
  {
    rule: "record",
    name: "added field with a default",
    reader: rec("R", [f("a", "int"), f("b", "string", { default: "x" })]),
    writer: rec("R", [f("a", "int")]),
    expected: [],
  },
  {
    rule: "record",
    name: "added field without a default",
    reader: rec("R", [f("a", "int"), f("b", "string")]),
    writer: rec("R", [f("a", "int")]),
    expected: [
      "READER_FIELD_MISSING_DEFAULT_VALUE /fields/1 b",
    ],
  },
  {
    rule: "record",
    name: "removed field",
    reader: rec("R", [f("a", "int")]),
    writer: rec("R", [f("a", "int"), f("b", "string")]),
    expected: [],
  },
  {
    rule: "record",
    name: "field type changed",
    reader: rec("R", [f("a", "string")]),
    writer: rec("R", [f("a", "int")]),
    expected: [
      "TYPE_MISMATCH /fields/0/type reader type: STRING not compatible with writer type: INT",
    ],
  },
  {
    rule: "record",
    name: "every problem is reported",
    reader: rec("R", [f("a", "int"), f("b", "string"), f("c", "long")]),
    writer: rec("R", [f("a", "string")]),
    expected: [
      "TYPE_MISMATCH /fields/0/type reader type: INT not compatible with writer type: STRING",
      "READER_FIELD_MISSING_DEFAULT_VALUE /fields/1 b",
      "READER_FIELD_MISSING_DEFAULT_VALUE /fields/2 c",
    ],
  },
  {
    rule: "record",
    name: "field renamed with an alias",
    reader: rec("R", [f("b", "int", { aliases: ["a"] })]),
    writer: rec("R", [f("a", "int")]),
    expected: [],
  },
  {
    rule: "record",
    name: "optional field added with a null default",
    reader: rec("R", [f("a", "int"), f("b", ["null", "string"], { default: null })]),
    writer: rec("R", [f("a", "int")]),
    expected: [],
  },
  {
    rule: "record",
    name: "nested record field changed",
    reader: rec("R", [f("inner", rec("I", [f("x", "int")]))]),
    writer: rec("R", [f("inner", rec("I", [f("x", "boolean")]))]),
    expected: [
      "TYPE_MISMATCH /fields/0/type/fields/0/type reader type: INT not compatible with writer type: BOOLEAN",
    ],
  },
  {
    rule: "record",
    name: "a named type checked twice reports from its first place",
    reader: rec("R", [f("a", rec("S", [f("x", "int")])), f("b", "S")]),
    writer: rec("R", [f("a", rec("S", [f("x", "string")])), f("b", "S")]),
    expected: [
      "TYPE_MISMATCH /fields/0/type/fields/0/type reader type: INT not compatible with writer type: STRING",
      "TYPE_MISMATCH /fields/0/type/fields/0/type reader type: INT not compatible with writer type: STRING",
    ],
  },
  {
    rule: "record",
    name: "missing enum field with an enum default",
    reader: rec("R", [f("a", "int"), f("e", en("E", ["A", "B"], { default: "A" }))]),
    writer: rec("R", [f("a", "int")]),
    expected: [
      "TYPE_MISMATCH /fields/1/type reader type: ENUM not compatible with writer type: RECORD",
    ],
  },
  {
    rule: "record",
    name: "field order does not matter",
    reader: rec("R", [f("b", "string"), f("a", "int")]),
    writer: rec("R", [f("a", "int"), f("b", "string")]),
    expected: [],
  },
  // names
  {
    rule: "name",
    name: "record renamed",
    reader: rec("R2", [f("a", "int")]),
    writer: rec("R", [f("a", "int")]),
    expected: [
      "NAME_MISMATCH /name expected: R",
    ],
  },
  {
    rule: "name",
    name: "namespace changed",
    reader: rec("R", [f("a", "int")], { namespace: "new.ns" }),
    writer: rec("R", [f("a", "int")], { namespace: "old.ns" }),
    avro18: { compatible: false, why: NAMESPACE_WHY },
    expected: [],
  },
  {
    rule: "name",
    name: "record renamed with a reader alias",
    reader: rec("R2", [f("a", "int")], { namespace: "x", aliases: ["y.R"] }),
    writer: rec("R", [f("a", "int")], { namespace: "y" }),
    expected: [],
  },
  {
    rule: "name",
    name: "an alias is qualified with the reader's namespace",
    reader: rec("R2", [f("a", "int")], { namespace: "x", aliases: ["R"] }),
    writer: rec("R", [f("a", "int")]),
    expected: [
      "NAME_MISMATCH /name expected: R",
    ],
  },
  // enums
  {
    rule: "enum",
    name: "writer symbols missing in the reader",
    reader: en("E", ["A"]),
    writer: en("E", ["C", "B", "A"]),
    expected: [
      "MISSING_ENUM_SYMBOLS /symbols [B, C]",
    ],
  },
  {
    rule: "enum",
    name: "missing symbols read as the reader's default",
    reader: en("E", ["A", "U"], { default: "U" }),
    writer: en("E", ["A", "B"]),
    avro18: { compatible: false, why: ENUM_DEFAULT_WHY },
    expected: [],
  },
  {
    rule: "enum",
    name: "symbols added in the reader",
    reader: en("E", ["A", "B", "C"]),
    writer: en("E", ["A", "B"]),
    expected: [],
  },
  {
    rule: "enum",
    name: "enum renamed",
    reader: en("E2", ["A"]),
    writer: en("E", ["A"]),
    expected: [
      "NAME_MISMATCH /name expected: E",
    ],
  },
  {
    rule: "enum",
    name: "enum field in a record",
    reader: rec("R", [f("e", en("E", ["A"]))]),
    writer: rec("R", [f("e", en("E", ["A", "B"]))]),
    expected: [
      "MISSING_ENUM_SYMBOLS /fields/0/type/symbols [B]",
    ],
  },
  // fixed
  {
    rule: "fixed",
    name: "size changed",
    reader: fx("F", 8),
    writer: fx("F", 16),
    expected: [
      "FIXED_SIZE_MISMATCH /size expected: 16, found: 8",
    ],
  },
  {
    rule: "fixed",
    name: "renamed and resized",
    reader: fx("G", 4),
    writer: fx("F", 5),
    expected: [
      "NAME_MISMATCH /name expected: F",
      "FIXED_SIZE_MISMATCH /size expected: 5, found: 4",
    ],
  },
  {
    rule: "fixed",
    name: "fixed does not read bytes",
    reader: fx("F", 4),
    writer: "bytes",
    expected: [
      "TYPE_MISMATCH / reader type: FIXED not compatible with writer type: BYTES",
    ],
  },
  {
    rule: "fixed",
    name: "same fixed",
    reader: rec("R", [f("h", fx("F", 16))]),
    writer: rec("R", [f("h", fx("F", 16))]),
    expected: [],
  },
  // arrays and maps
  {
    rule: "array",
    name: "items promoted",
    reader: arr("long"),
    writer: arr("int"),
    expected: [],
  },
  {
    rule: "array",
    name: "items changed",
    reader: arr("int"),
    writer: arr("string"),
    expected: [
      "TYPE_MISMATCH /items reader type: INT not compatible with writer type: STRING",
    ],
  },
  {
    rule: "map",
    name: "values changed",
    reader: map("int"),
    writer: map("string"),
    expected: [
      "TYPE_MISMATCH /values reader type: INT not compatible with writer type: STRING",
    ],
  },
  {
    rule: "map",
    name: "array does not read map",
    reader: arr("int"),
    writer: map("int"),
    expected: [
      "TYPE_MISMATCH / reader type: ARRAY not compatible with writer type: MAP",
    ],
  },
  {
    rule: "map",
    name: "array of maps in a field",
    reader: rec("R", [f("a", arr(map("int")))]),
    writer: rec("R", [f("a", arr(map("string")))]),
    expected: [
      "TYPE_MISMATCH /fields/0/type/items/values reader type: INT not compatible with writer type: STRING",
    ],
  },
  // unions
  {
    rule: "union",
    name: "reader union has every writer branch",
    reader: ["null", "int", "string"],
    writer: ["null", "string"],
    expected: [],
  },
  {
    rule: "union",
    name: "writer branches missing in the reader union",
    reader: rec("R", [f("a", ["int", "string"])]),
    writer: rec("R", [f("a", ["int", "string", arr("int"), "boolean"])]),
    expected: [
      "MISSING_UNION_BRANCH /fields/0/type/2 reader union lacking writer type: ARRAY",
      "MISSING_UNION_BRANCH /fields/0/type/3 reader union lacking writer type: BOOLEAN",
    ],
  },
  {
    rule: "union",
    name: "reader union reads a non-union writer",
    reader: ["null", "string"],
    writer: "string",
    expected: [],
  },
  {
    rule: "union",
    name: "reader union promotes a non-union writer",
    reader: rec("R", [f("a", ["null", "long"])]),
    writer: rec("R", [f("a", "int")]),
    expected: [],
  },
  {
    rule: "union",
    name: "reader union lacks the writer's type",
    reader: rec("R", [f("a", ["null", "string"])]),
    writer: rec("R", [f("a", "int")]),
    expected: [
      "MISSING_UNION_BRANCH /fields/0/type reader union lacking writer type: INT",
    ],
  },
  {
    rule: "union",
    name: "non-union reader of a union writer",
    reader: rec("R", [f("a", "int")]),
    writer: rec("R", [f("a", ["int", "string", arr("int")])]),
    expected: [
      "TYPE_MISMATCH / reader type: INT not compatible with writer type: STRING",
      "TYPE_MISMATCH / reader type: INT not compatible with writer type: ARRAY",
    ],
  },
  {
    rule: "union",
    name: "non-union reader reads every writer branch",
    reader: "long",
    writer: ["int", "long"],
    avro18: { compatible: false, why: WRITER_UNION_WHY },
    expected: [],
  },
  {
    rule: "union",
    name: "optional made required",
    reader: rec("R", [f("a", "string")]),
    writer: rec("R", [f("a", ["null", "string"])]),
    expected: [
      "TYPE_MISMATCH / reader type: STRING not compatible with writer type: NULL",
    ],
  },
  {
    rule: "union",
    name: "record changed inside a union",
    reader: ["null", rec("R", [f("a", "int")])],
    writer: ["null", rec("R", [f("a", "string")])],
    expected: [
      "MISSING_UNION_BRANCH /1 reader union lacking writer type: RECORD",
    ],
  },
  {
    rule: "union",
    name: "record in a union read by a plain record",
    reader: rec("W", [f("a", ["null", rec("S", [f("x", "int")])])]),
    writer: rec("W", [f("a", rec("S", [f("x", "string"), f("y", "int")]))]),
    expected: [
      "MISSING_UNION_BRANCH /fields/0/type reader union lacking writer type: RECORD",
    ],
  },
  // recursion
  {
    rule: "recursion",
    name: "same recursive schema",
    reader: list(),
    writer: list(),
    expected: [],
  },
  {
    rule: "recursion",
    name: "recursive schema with a field added without default",
    reader: list([f("weight", "int")]),
    writer: list(),
    expected: [
      "READER_FIELD_MISSING_DEFAULT_VALUE /fields/1 weight",
    ],
  },
  {
    rule: "recursion",
    name: "recursive schema with a field type changed",
    reader: list([], "string"),
    writer: list([], "int"),
    expected: [
      "TYPE_MISMATCH /fields/0/type reader type: STRING not compatible with writer type: INT",
    ],
  },
  // top level
  {
    rule: "top-level",
    name: "record does not read int",
    reader: rec("R", [f("a", "int"), f("b", "string")]),
    writer: "int",
    expected: [
      "TYPE_MISMATCH / reader type: RECORD not compatible with writer type: INT",
    ],
  },
  {
    rule: "top-level",
    name: "same primitive",
    reader: "string",
    writer: "string",
    expected: [],
  },
];

/**
 * A pair on which Java's check throws (a reader field that, by its name and an alias, matches
 * two writer fields); Confluent reports the exception's message.
 */
export const THROWING_CASE = {
  reader: rec("R", [f("b", "int", { aliases: ["a"] })]),
  writer: rec("R", [f("a", "string"), f("b", "int")]),
  message:
    'Reader record field b type:INT pos:0 matches multiple fields in writer record schema {"type":"record","name":"R","fields":[{"name":"a","type":"string"},{"name":"b","type":"int"}]}',
} as const;

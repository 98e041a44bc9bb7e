// Conformance of the hub's converters with Apache Kafka's own, byte for byte: Kafka 4.3.1's
// JsonConverter and SimpleHeaderConverter run in one JVM (JsonConverterHarness.java, compiled
// here against jars that kafka-jars.sh fetches once from Maven Central) over the same cases, and
//   - encoding: the hub's bytes must equal Kafka's, and the hub must read Kafka's bytes back to
//     what Kafka reads back from them;
//   - decoding: the hub must read the same schema and value from the same bytes as Kafka;
//   - errors: where Kafka refuses, the hub refuses too;
//   - the converters' config definitions match Kafka's (names, types, defaults, groups ...).
// Floating-point cases use values that every JDK prints the same way (JDK 17 and older print a
// few doubles, e.g. 1.0E23, with a redundant digit; the hub follows JDK 19+; see java-text.ts).
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configDefToJson, type ConfigKeyInfo, type Converter, type Schema, type SchemaAndValue } from "../../../connect/api/index.ts";
import { booleanConverterPlugin } from "../../../connect/converters/boolean-converter.ts";
import { byteArrayConverterPlugin } from "../../../connect/converters/byte-array-converter.ts";
import { JsonConverter, jsonConverterPlugin } from "../../../connect/converters/json-converter.ts";
import { numberConverterPlugins } from "../../../connect/converters/number-converters.ts";
import { SimpleHeaderConverter, simpleHeaderConverterPlugin } from "../../../connect/converters/simple-header-converter.ts";
import { stringConverterPlugin } from "../../../connect/converters/string-converter.ts";
import { build, dump, loosen, sortMaps, type TV } from "./typed-values.ts";

const execFileAsync = promisify(execFile);
const here = import.meta.dirname;

type JsonSchema = Record<string, unknown> | null;

interface EncodeCase {
  op: "encode";
  id: string;
  config?: Record<string, string>;
  isKey?: boolean;
  schema: JsonSchema;
  value: TV;
  /**
   * A deliberate difference when reading Kafka's bytes back: what the hub reads instead of what
   * Kafka reads (the bytes must still be identical).
   */
  hubReadsBack?: TV;
}
interface DecodeCase {
  op: "decode";
  id: string;
  config?: Record<string, string>;
  /** The message as text; absent for a null message. */
  text?: string;
}
interface HeaderEncodeCase {
  op: "header-encode";
  id: string;
  schema: JsonSchema;
  value: TV;
}
interface HeaderDecodeCase {
  op: "header-decode";
  id: string;
  text: string;
}
interface ConverterEncodeCase {
  op: "converter-encode";
  id: string;
  class: string;
  config?: Record<string, string>;
  schema: JsonSchema;
  value: TV;
}
interface ConverterDecodeCase {
  op: "converter-decode";
  id: string;
  class: string;
  config?: Record<string, string>;
  text?: string;
  hex?: string;
}
interface ConfigDefCase {
  op: "configdef";
  id: string;
  class: string;
}
type Case = EncodeCase | DecodeCase | HeaderEncodeCase | HeaderDecodeCase | ConverterEncodeCase | ConverterDecodeCase | ConfigDefCase;

interface Decoded {
  schema?: JsonSchema;
  value?: TV;
  error?: string;
}
interface KafkaResult extends Decoded {
  id: string;
  base64?: string | null;
  decoded?: Decoded;
  config?: Omit<ConfigKeyInfo, "documentation">[];
}

// ---- schemas used by several cases (Kafka's JSON schema format) ----
const DECIMAL = "org.apache.kafka.connect.data.Decimal";
const dec = (scale: number, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: "bytes",
  optional: false,
  name: DECIMAL,
  version: 1,
  parameters: { scale: String(scale) },
  ...extra,
});
const DATE = { type: "int32", optional: false, name: "org.apache.kafka.connect.data.Date", version: 1 };
const TIME = { type: "int32", optional: false, name: "org.apache.kafka.connect.data.Time", version: 1 };
const TIMESTAMP = { type: "int64", optional: false, name: "org.apache.kafka.connect.data.Timestamp", version: 1 };
const field = (name: string, schema: Record<string, unknown>): Record<string, unknown> => ({ ...schema, field: name });
const prim = (type: string, optional = false): Record<string, unknown> => ({ type, optional });
const struct = (fields: Record<string, unknown>[], extra: Record<string, unknown> = {}): Record<string, unknown> => ({ type: "struct", fields, optional: false, ...extra });

const ALL_PRIMITIVES = struct(
  [
    field("i8", prim("int8")),
    field("i16", prim("int16")),
    field("i32", prim("int32")),
    field("i64", prim("int64")),
    field("f32", prim("float")),
    field("f64", prim("double")),
    field("bool", prim("boolean")),
    field("str", prim("string")),
    field("bytes", prim("bytes")),
  ],
  { name: "com.example.AllTypes", version: 3, doc: 'every "primitive" type', parameters: { b: "1", a: "2", "connect.note": "x" } },
);
const ALL_PRIMITIVES_VALUE: TV = {
  struct: {
    i8: { int8: -128 },
    i16: { int16: 32767 },
    i32: { int32: -2147483648 },
    i64: { int64: "9223372036854775807" },
    f32: { float32: "3.1415927" },
    f64: { float64: "2.718281828459045" },
    bool: { boolean: true },
    str: { string: 'héllo "w" \\ / \n\t\r\b\f \u0000\u0001\u000b\u001f\u007f 😀 \u2028 日本' },
    bytes: { bytes: "AAEC/w==" },
  },
};
const OPTIONALS = struct(
  [
    field("i32", prim("int32", true)),
    field("str", prim("string", true)),
    field("arr", { type: "array", items: prim("int32"), optional: true }),
    field("map", { type: "map", keys: prim("string"), values: prim("int32"), optional: true }),
    field("st", struct([field("x", prim("int32"))], { optional: true })),
    field("ts", { ...TIMESTAMP, optional: true }),
    field("dec", dec(2, { optional: true })),
    field("withDefault", { type: "int32", optional: false, default: 5 }),
    field("optWithDefault", { type: "string", optional: true, default: "dflt" }),
  ],
  { name: "com.example.Optionals" },
);
const DEFAULTS = struct([
  field("i64", { type: "int64", optional: false, default: 42 }),
  field("str", { type: "string", optional: true, default: "x" }),
  field("bool", { type: "boolean", optional: false, default: false }),
  field("f64", { type: "double", optional: false, default: 1.5 }),
  field("bytes", { type: "bytes", optional: false, default: "AQI=" }),
  field("arr", { type: "array", items: prim("int64"), optional: false, default: [1, 2] }),
  field("map", { type: "map", keys: prim("string"), values: prim("int32"), optional: false, default: { k: 1 } }),
  field("dec", dec(2, { default: "MDk=" })),
  field("date", { ...DATE, default: 19000 }),
  field("ts", { ...TIMESTAMP, default: 1700000000123 }),
]);
const NESTED = struct(
  [
    field("id", prim("int64")),
    field(
      "customer",
      struct(
        [
          field("name", prim("string")),
          field("address", struct([field("city", prim("string")), field("zip", prim("string", true))], { name: "Address" })),
          field("tags", { type: "array", items: prim("string"), optional: false }),
        ],
        { name: "Customer" },
      ),
    ),
    field("lines", { type: "array", items: struct([field("sku", prim("string")), field("qty", prim("int32")), field("price", dec(2))], { name: "Line" }), optional: false }),
  ],
  { name: "com.example.Order", version: 1 },
);
const NESTED_VALUE: TV = {
  struct: {
    id: { int64: "1001" },
    customer: {
      struct: {
        name: { string: "Ada" },
        address: { struct: { city: { string: "London" }, zip: null } },
        tags: { array: [{ string: "vip" }, { string: "b2b" }] },
      },
    },
    lines: {
      array: [
        { struct: { sku: { string: "A-1" }, qty: { int32: 2 }, price: { decimal: { unscaled: "1999", scale: 2 } } } },
        { struct: { sku: { string: "B-2" }, qty: { int32: 1 }, price: { decimal: { unscaled: "-5", scale: 2 } } } },
      ],
    },
  },
};
const LOGICAL = struct([
  field("d", DATE),
  field("dNeg", DATE),
  field("t", TIME),
  field("tZero", TIME),
  field("ts", TIMESTAMP),
  field("tsNeg", TIMESTAMP),
  field("tsNull", { ...TIMESTAMP, optional: true }),
]);
const LOGICAL_VALUE: TV = {
  struct: {
    d: { date: 19000 * 86400000 },
    dNeg: { date: -86400000 },
    t: { time: 45296789 },
    tZero: { time: 0 },
    ts: { timestamp: 1700000000123 },
    tsNeg: { timestamp: -1 },
    tsNull: null,
  },
};
const DECIMALS = struct([
  field("small", dec(2)),
  field("negative", dec(2)),
  field("zero", dec(2)),
  field("huge", dec(0)),
  field("tiny", dec(10)),
  field("negScale", dec(-2)),
]);
const DECIMALS_VALUE: TV = {
  struct: {
    small: { decimal: { unscaled: "12345", scale: 2 } },
    negative: { decimal: { unscaled: "-129", scale: 2 } },
    zero: { decimal: { unscaled: "0", scale: 2 } },
    huge: { decimal: { unscaled: "123456789012345678901234567890", scale: 0 } },
    tiny: { decimal: { unscaled: "1", scale: 10 } },
    negScale: { decimal: { unscaled: "15", scale: -2 } },
  },
};
const COLLECTIONS = struct([
  field("ints", { type: "array", items: prim("int32"), optional: false }),
  field("optStrings", { type: "array", items: prim("string", true), optional: false }),
  field("nested", { type: "array", items: { type: "array", items: prim("int16"), optional: false }, optional: false }),
  field("empty", { type: "array", items: prim("string"), optional: false }),
  field("byName", { type: "map", keys: prim("string"), values: prim("int64"), optional: false }),
  field("byId", { type: "map", keys: prim("int32"), values: prim("string", true), optional: false }),
  field("byFlag", { type: "map", keys: prim("boolean"), values: struct([field("n", prim("int8"))]), optional: false }),
  field("emptyMap", { type: "map", keys: prim("int64"), values: prim("string"), optional: false }),
]);
const COLLECTIONS_VALUE: TV = {
  struct: {
    ints: { array: [{ int32: 1 }, { int32: 2 }, { int32: 3 }] },
    optStrings: { array: [{ string: "a" }, null, { string: "c" }] },
    nested: { array: [{ array: [{ int16: 1 }] }, { array: [] }, { array: [{ int16: -2 }, { int16: 3 }] }] },
    empty: { array: [] },
    byName: { map: [[{ string: "one" }, { int64: "1" }], [{ string: "big" }, { int64: "-9223372036854775808" }]] },
    byId: { map: [[{ int32: 7 }, { string: "seven" }], [{ int32: -1 }, null]] },
    byFlag: { map: [[{ boolean: true }, { struct: { n: { int8: 1 } } }]] },
    emptyMap: { map: [] },
  },
};
const DOUBLES = ["1.0", "-0.0", "0.0", "0.1", "1.0E7", "9999999.0", "0.001", "9.99E-4", "1.0E-5", "123456.789", "1.7976931348623157E308", "4.9E-324", "1.0E10", "-2.5E-8", "3.0E-300"];
const FLOATS = ["1.0", "0.1", "0.3", "1.0E7", "1.6777216E7", "3.4028235E38", "1.4E-45", "3.1415927", "-0.0"];

const SCHEMALESS_VALUE: TV = {
  map: [
    [{ string: "id" }, { int64: "42" }],
    [{ string: "big" }, { int64: "9007199254740993" }],
    [{ string: "price" }, { float64: "19.99" }],
    [{ string: "ok" }, { boolean: false }],
    [{ string: "name" }, { string: "Zoë \"Z\"" }],
    [{ string: "raw" }, { bytes: "3q2+7w==" }],
    [{ string: "none" }, null],
    [{ string: "list" }, { array: [{ int32: 1 }, { string: "two" }, { array: [] }, { map: [[{ string: "k" }, { int8: 3 }]] }] }],
  ],
};

const encodeCases: EncodeCase[] = [
  { op: "encode", id: "struct with every primitive type", schema: ALL_PRIMITIVES, value: ALL_PRIMITIVES_VALUE },
  { op: "encode", id: "struct with every primitive type, as a key", isKey: true, schema: ALL_PRIMITIVES, value: ALL_PRIMITIVES_VALUE },
  { op: "encode", id: "struct with every primitive type, schemas.enable=false", config: { "schemas.enable": "false" }, schema: ALL_PRIMITIVES, value: ALL_PRIMITIVES_VALUE },
  { op: "encode", id: "optional fields, all null", schema: OPTIONALS, value: { struct: {} } },
  {
    op: "encode",
    id: "optional fields, all set",
    schema: OPTIONALS,
    value: {
      struct: {
        i32: { int32: 0 },
        str: { string: "" },
        arr: { array: [] },
        map: { map: [[{ string: "a" }, { int32: 1 }]] },
        st: { struct: { x: { int32: 9 } } },
        ts: { timestamp: 0 },
        dec: { decimal: { unscaled: "100", scale: 2 } },
        withDefault: { int32: 6 },
        optWithDefault: { string: "set" },
      },
    },
  },
  { op: "encode", id: "optional fields, replace.null.with.default=false", config: { "replace.null.with.default": "false" }, schema: OPTIONALS, value: { struct: { withDefault: { int32: 1 } } } },
  { op: "encode", id: "a required field with a default, null, replace.null.with.default=false", config: { "replace.null.with.default": "false" }, schema: OPTIONALS, value: { struct: {} } },
  { op: "encode", id: "schema defaults of every kind", schema: DEFAULTS, value: { struct: {} } },
  { op: "encode", id: "schema defaults, decimal.format=NUMERIC", config: { "decimal.format": "numeric" }, schema: DEFAULTS, value: { struct: {} } },
  { op: "encode", id: "nested structs, arrays of structs", schema: NESTED, value: NESTED_VALUE },
  { op: "encode", id: "arrays and maps (string and non-string keys)", schema: COLLECTIONS, value: COLLECTIONS_VALUE },
  { op: "encode", id: "arrays and maps, schemas.enable=false", config: { "schemas.enable": "false" }, schema: COLLECTIONS, value: COLLECTIONS_VALUE },
  { op: "encode", id: "Date, Time, Timestamp", schema: LOGICAL, value: LOGICAL_VALUE },
  { op: "encode", id: "Decimal, decimal.format=BASE64", schema: DECIMALS, value: DECIMALS_VALUE },
  { op: "encode", id: "Decimal, decimal.format=NUMERIC", config: { "decimal.format": "NUMERIC" }, schema: DECIMALS, value: DECIMALS_VALUE },
  { op: "encode", id: "Decimal alone, NUMERIC, schemas.enable=false", config: { "decimal.format": "NUMERIC", "schemas.enable": "false" }, schema: dec(3), value: { decimal: { unscaled: "-1500", scale: 3 } } },
  { op: "encode", id: "Decimal with a scale that does not match the schema", schema: dec(2), value: { decimal: { unscaled: "15", scale: 1 } } },
  { op: "encode", id: "doubles", schema: { type: "array", items: prim("double"), optional: false }, value: { array: DOUBLES.map((d) => ({ float64: d })) } },
  { op: "encode", id: "floats", schema: { type: "array", items: prim("float"), optional: false }, value: { array: FLOATS.map((f) => ({ float32: f })) } },
  {
    op: "encode",
    id: "NaN and infinities (written as strings)",
    schema: struct([field("d", { type: "array", items: prim("double"), optional: false }), field("f", prim("float"))]),
    value: { struct: { d: { array: [{ float64: "NaN" }, { float64: "Infinity" }, { float64: "-Infinity" }] }, f: { float32: "NaN" } } },
    // Kafka reads its own "NaN" strings back as 0.0; the hub reads back what was written.
    hubReadsBack: { struct: { d: { array: [{ float64: "NaN" }, { float64: "Infinity" }, { float64: "-Infinity" }] }, f: { float32: "NaN" } } },
  },
  { op: "encode", id: "a top-level int32", schema: prim("int32"), value: { int32: 5 } },
  { op: "encode", id: "a top-level string, schemas.enable=false", config: { "schemas.enable": "false" }, schema: prim("string"), value: { string: "plain" } },
  { op: "encode", id: "a top-level bytes", schema: prim("bytes", true), value: { bytes: "" } },
  { op: "encode", id: "an optional null with its schema", schema: prim("string", true), value: null },
  { op: "encode", id: "an optional null, schemas.enable=false", config: { "schemas.enable": "false" }, schema: prim("string", true), value: null },
  { op: "encode", id: "a required null", schema: prim("int32"), value: null },
  { op: "encode", id: "a tombstone (no schema, no value)", schema: null, value: null },
  { op: "encode", id: "a tombstone, schemas.enable=false", config: { "schemas.enable": "false" }, schema: null, value: null },
  { op: "encode", id: "schemaless values in the envelope", schema: null, value: SCHEMALESS_VALUE },
  { op: "encode", id: "schemaless values, schemas.enable=false", config: { "schemas.enable": "false" }, schema: null, value: SCHEMALESS_VALUE },
  { op: "encode", id: "a schemaless map with non-string keys", config: { "schemas.enable": "false" }, schema: null, value: { map: [[{ int32: 1 }, { string: "one" }], [{ string: "two" }, { int32: 2 }]] } },
  { op: "encode", id: "a schemaless string", schema: null, value: { string: "just text" } },
  { op: "encode", id: "a schemaless Decimal (no schema type)", config: { "schemas.enable": "false" }, schema: null, value: { decimal: { unscaled: "1", scale: 1 } } },
  {
    op: "encode",
    id: "field names and docs that need escaping",
    schema: struct([field('quote"d', prim("int32")), field("tab\tname", prim("int32")), field("ünï", prim("int32"))], { name: 'n"ame', doc: "line\nbreak", parameters: { "k\u0001": "v\\" } }),
    value: { struct: { 'quote"d': { int32: 1 }, "tab\tname": { int32: 2 }, ünï: { int32: 3 } } },
  },
];

const decodeCases: DecodeCase[] = [
  { op: "decode", id: "a null message", config: {} },
  { op: "decode", id: "a null message, schemas.enable=false", config: { "schemas.enable": "false" } },
  { op: "decode", id: "an empty message, schemas.enable=false", config: { "schemas.enable": "false" }, text: "" },
  { op: "decode", id: "white space, schemas.enable=false", config: { "schemas.enable": "false" }, text: " \n" },
  { op: "decode", id: "an empty message with schemas", text: "" },
  {
    op: "decode",
    id: "schemaless JSON object",
    config: { "schemas.enable": "false" },
    text: '{"id": 42, "big": 9007199254740993, "neg": -9223372036854775808, "price": 19.99, "e": 1e3, "ok": true, "s": "x\\u00e9\\ud83d\\ude00", "n": null, "arr": [1, "a", [], {}], "obj": {"k": {"z": 0.5}}}',
  },
  { op: "decode", id: "schemaless top-level array", config: { "schemas.enable": "false" }, text: "[1,2.5,\"x\",null,false]" },
  { op: "decode", id: "schemaless top-level string", config: { "schemas.enable": "false" }, text: '"hello"' },
  { op: "decode", id: "schemaless top-level number", config: { "schemas.enable": "false" }, text: "12" },
  { op: "decode", id: "schemaless null", config: { "schemas.enable": "false" }, text: "null" },
  { op: "decode", id: "an envelope with a null schema", text: '{"schema":null,"payload":{"a":[1,{"b":null}]}}' },
  {
    op: "decode",
    id: "an envelope with white space, keys reordered, optional left out",
    text: '{ "payload" : { "b" : "x" , "a" : 7 } ,\n "schema" : { "fields" : [ { "field" : "a", "type" : "int32" }, { "type" : "string", "optional" : true, "field" : "b", "doc": "d" } ], "type" : "struct", "name": "S", "version": 4, "parameters": {"p": "q"} } }',
  },
  { op: "decode", id: "int64 extremes", text: '{"schema":{"type":"array","items":{"type":"int64"}},"payload":[9223372036854775807,-9223372036854775808,0]}' },
  { op: "decode", id: "Decimal as a JSON number keeps its scale", text: `{"schema":${JSON.stringify({ type: "array", items: dec(2) })},"payload":[1.50,2,1.5,-0.001,1e3,12345678901234567890.12]}` },
  { op: "decode", id: "Decimal as base64", text: `{"schema":${JSON.stringify(dec(2))},"payload":"/38="}` },
  { op: "decode", id: "Date, Time (a whole day), Timestamp", text: `{"schema":${JSON.stringify(struct([field("d", DATE), field("t", TIME), field("ts", TIMESTAMP)]))},"payload":{"d":19000,"t":86400000,"ts":-5}}` },
  { op: "decode", id: "a null field with a default", text: '{"schema":{"type":"struct","fields":[{"type":"int32","field":"a","default":7},{"type":"string","optional":true,"field":"b","default":"z"}]},"payload":{"a":null}}' },
  {
    op: "decode",
    id: "a null field with a default, replace.null.with.default=false",
    config: { "replace.null.with.default": "false" },
    text: '{"schema":{"type":"struct","fields":[{"type":"int32","optional":true,"field":"a","default":7}]},"payload":{"a":null}}',
  },
  { op: "decode", id: "a missing required field", text: '{"schema":{"type":"struct","fields":[{"type":"int32","field":"a"}]},"payload":{}}' },
  { op: "decode", id: "a map with non-string keys", text: '{"schema":{"type":"map","keys":{"type":"int64"},"values":{"type":"boolean","optional":true}},"payload":[[1,true],[2,null]]}' },
  { op: "decode", id: "a map entry that is not a pair", text: '{"schema":{"type":"map","keys":{"type":"int64"},"values":{"type":"boolean"}},"payload":[[1,true,3]]}' },
  { op: "decode", id: "a struct encoded as an array", text: '{"schema":{"type":"struct","fields":[]},"payload":[]}' },
  { op: "decode", id: "an unknown schema type", text: '{"schema":{"type":"int128"},"payload":1}' },
  { op: "decode", id: "an envelope with an extra field", text: '{"schema":null,"payload":1,"extra":2}' },
  { op: "decode", id: "an envelope without payload", text: '{"schema":{"type":"int32"}}' },
  { op: "decode", id: "plain JSON with schemas.enable=true", text: '{"a":1}' },
  { op: "decode", id: "malformed JSON", config: { "schemas.enable": "false" }, text: '{"a":' },
  { op: "decode", id: "bytes that are not base64", text: '{"schema":{"type":"bytes"},"payload":"AAE"}' },
  { op: "decode", id: "schema.content, the message is the payload", config: { "schema.content": JSON.stringify(struct([field("a", prim("int32")), field("p", dec(1))])) }, text: '{"a":5,"p":"Dw=="}' },
];

const headerEncodeCases: HeaderEncodeCase[] = [
  ...(
    [
      ["int8", prim("int8"), { int8: -5 }],
      ["int16", prim("int16"), { int16: 300 }],
      ["int32", prim("int32"), { int32: 70000 }],
      ["int64", prim("int64"), { int64: "12345678901234" }],
      ["float", prim("float"), { float32: "1.5" }],
      ["double", prim("double"), { float64: "1.0E10" }],
      ["boolean", prim("boolean"), { boolean: true }],
      ["string", prim("string"), { string: 'he said "hi", ok' }],
      ["empty string", prim("string"), { string: "" }],
      ["bytes", prim("bytes"), { bytes: "AAEC/w==" }],
      ["decimal", dec(2), { decimal: { unscaled: "-12345", scale: 2 } }],
      ["tiny decimal", dec(10), { decimal: { unscaled: "1", scale: 10 } }],
      ["date", DATE, { date: 19000 * 86400000 }],
      ["time", TIME, { time: 45296789 }],
      ["timestamp", TIMESTAMP, { timestamp: 1700000000123 }],
      ["array of ints", { type: "array", items: prim("int32") }, { array: [{ int32: 1 }, { int32: 2 }] }],
      ["array of strings", { type: "array", items: prim("string", true) }, { array: [{ string: "a" }, { string: "b,c" }, null, { string: 'q"x' }] }],
      ["map", { type: "map", keys: prim("string"), values: prim("int32") }, { map: [[{ string: "a" }, { int32: 1 }], [{ string: "b" }, { int32: 2 }]] }],
      ["map with int keys", { type: "map", keys: prim("int32"), values: prim("string") }, { map: [[{ int32: 1 }, { string: "x" }]] }],
      ["struct", struct([field("a", prim("int32")), field("b", prim("string", true)), field("c", { type: "array", items: prim("int32") })]), { struct: { a: { int32: 1 }, b: { string: "x" }, c: { array: [{ int32: 1 }] } } }],
      ["struct with a null", struct([field("a", prim("int32")), field("b", prim("string", true))]), { struct: { a: { int32: 1 } } }],
      ["null", prim("string", true), null],
      ["schemaless string", null, { string: "x" }],
      ["schemaless int", null, { int32: 5 }],
    ] as const
  ).map(([id, schema, value]): HeaderEncodeCase => ({ op: "header-encode", id, schema: schema as JsonSchema, value: value as TV })),
];

const headerDecodeCases: HeaderDecodeCase[] = [
  "1",
  "300",
  "70000",
  "3000000000",
  "12345678901234567890",
  "-5",
  "+5",
  "1.5",
  "1.0",
  "0.1",
  "1e3",
  "3.14159265358979",
  "3.4028236E38",
  "1.7976931348623157E309",
  "true",
  "false",
  "TRUE",
  "abc",
  '"quoted"',
  " 5 ",
  "a b",
  "",
  "[1,2",
  "0x10",
  "NaN",
  "[1,2]",
  "[1, 2]",
  '["a","b"]',
  '["a,b","c"]',
  "[1.5,2]",
  "[1,[2,3]]",
  '{"a":1}',
  '{"a":{"b":1}}',
  '{"a":[1,2]}',
  "{1:2}",
  "2024-01-02",
  "12:34:56.789Z",
  "2024-01-02T12:34:56.789Z",
  "Struct{a=1}",
].map((text) => ({ op: "header-decode", id: `header ${JSON.stringify(text)}`, text }));

const STRING = "org.apache.kafka.connect.storage.StringConverter";
const BYTES = "org.apache.kafka.connect.converters.ByteArrayConverter";
const NUM = (name: string): string => `org.apache.kafka.connect.converters.${name}`;
const TEXT = "héllo € 😀 \u0001";

const converterEncodeCases: ConverterEncodeCase[] = [
  { op: "converter-encode", id: "StringConverter, UTF-8", class: STRING, schema: prim("string"), value: { string: TEXT } },
  ...["UTF-16", "UTF-16LE", "UTF-16BE", "ISO-8859-1", "US-ASCII", "utf8"].map(
    (encoding): ConverterEncodeCase => ({ op: "converter-encode", id: `StringConverter, ${encoding}`, class: STRING, config: { "converter.encoding": encoding }, schema: null, value: { string: TEXT } }),
  ),
  { op: "converter-encode", id: "StringConverter, an int32", class: STRING, schema: prim("int32"), value: { int32: -42 } },
  { op: "converter-encode", id: "StringConverter, an int64", class: STRING, schema: prim("int64"), value: { int64: "9223372036854775807" } },
  { op: "converter-encode", id: "StringConverter, a double", class: STRING, schema: prim("double"), value: { float64: "1.0" } },
  { op: "converter-encode", id: "StringConverter, a float", class: STRING, schema: prim("float"), value: { float32: "0.1" } },
  { op: "converter-encode", id: "StringConverter, a boolean", class: STRING, schema: prim("boolean"), value: { boolean: false } },
  { op: "converter-encode", id: "StringConverter, a decimal", class: STRING, schema: dec(3), value: { decimal: { unscaled: "-1500", scale: 3 } } },
  { op: "converter-encode", id: "StringConverter, a struct", class: STRING, schema: struct([field("a", prim("int32")), field("b", prim("string", true)), field("c", prim("string"))]), value: { struct: { a: { int32: 1 }, c: { string: "x" } } } },
  { op: "converter-encode", id: "StringConverter, null", class: STRING, schema: prim("string", true), value: null },
  { op: "converter-encode", id: "ByteArrayConverter, bytes", class: BYTES, schema: prim("bytes"), value: { bytes: "AAEC/w==" } },
  { op: "converter-encode", id: "ByteArrayConverter, schemaless bytes", class: BYTES, schema: null, value: { bytes: "" } },
  { op: "converter-encode", id: "ByteArrayConverter, null", class: BYTES, schema: prim("bytes", true), value: null },
  { op: "converter-encode", id: "ByteArrayConverter, a string schema", class: BYTES, schema: prim("string"), value: { string: "x" } },
  { op: "converter-encode", id: "ByteArrayConverter, a string value", class: BYTES, schema: null, value: { string: "x" } },
  { op: "converter-encode", id: "ShortConverter", class: NUM("ShortConverter"), schema: prim("int16"), value: { int16: -2 } },
  { op: "converter-encode", id: "IntegerConverter", class: NUM("IntegerConverter"), schema: prim("int32"), value: { int32: 70000 } },
  { op: "converter-encode", id: "IntegerConverter, min", class: NUM("IntegerConverter"), schema: null, value: { int32: -2147483648 } },
  { op: "converter-encode", id: "LongConverter", class: NUM("LongConverter"), schema: prim("int64"), value: { int64: "-9223372036854775808" } },
  { op: "converter-encode", id: "FloatConverter", class: NUM("FloatConverter"), schema: prim("float"), value: { float32: "1.5" } },
  { op: "converter-encode", id: "DoubleConverter", class: NUM("DoubleConverter"), schema: prim("double"), value: { float64: "-2.5E-8" } },
  { op: "converter-encode", id: "DoubleConverter, null", class: NUM("DoubleConverter"), schema: null, value: null },
  { op: "converter-encode", id: "IntegerConverter, a string value", class: NUM("IntegerConverter"), schema: null, value: { string: "5" } },
  { op: "converter-encode", id: "BooleanConverter, true", class: NUM("BooleanConverter"), schema: prim("boolean"), value: { boolean: true } },
  { op: "converter-encode", id: "BooleanConverter, schemaless false", class: NUM("BooleanConverter"), schema: null, value: { boolean: false } },
  { op: "converter-encode", id: "BooleanConverter, null", class: NUM("BooleanConverter"), schema: prim("boolean", true), value: null },
  { op: "converter-encode", id: "BooleanConverter, a string schema", class: NUM("BooleanConverter"), schema: prim("string"), value: { string: "true" } },
  { op: "converter-encode", id: "BooleanConverter, a string value", class: NUM("BooleanConverter"), schema: null, value: { string: "true" } },
];

const converterDecodeCases: ConverterDecodeCase[] = [
  { op: "converter-decode", id: "StringConverter reads null", class: STRING },
  { op: "converter-decode", id: "StringConverter reads invalid UTF-8", class: STRING, hex: "61ff62" },
  { op: "converter-decode", id: "StringConverter reads UTF-16 without a byte order mark", class: STRING, config: { "converter.encoding": "UTF-16" }, hex: "00610062" },
  { op: "converter-decode", id: "StringConverter reads UTF-16 little-endian by its mark", class: STRING, config: { "converter.encoding": "UTF-16" }, hex: "fffe61006200" },
  { op: "converter-decode", id: "StringConverter reads US-ASCII with high bytes", class: STRING, config: { "converter.encoding": "US-ASCII" }, hex: "61e962" },
  { op: "converter-decode", id: "ByteArrayConverter reads bytes", class: BYTES, hex: "00ff" },
  { op: "converter-decode", id: "ByteArrayConverter reads null", class: BYTES },
  { op: "converter-decode", id: "IntegerConverter reads null", class: NUM("IntegerConverter") },
  { op: "converter-decode", id: "IntegerConverter reads 3 bytes", class: NUM("IntegerConverter"), hex: "000001" },
  { op: "converter-decode", id: "LongConverter reads 8 bytes", class: NUM("LongConverter"), hex: "8000000000000001" },
  { op: "converter-decode", id: "FloatConverter reads NaN", class: NUM("FloatConverter"), hex: "7fc00000" },
  { op: "converter-decode", id: "BooleanConverter reads null", class: NUM("BooleanConverter") },
  { op: "converter-decode", id: "BooleanConverter reads 00", class: NUM("BooleanConverter"), hex: "00" },
  { op: "converter-decode", id: "BooleanConverter reads 01", class: NUM("BooleanConverter"), hex: "01" },
  { op: "converter-decode", id: "BooleanConverter reads 05", class: NUM("BooleanConverter"), hex: "05" },
  { op: "converter-decode", id: "BooleanConverter reads ff", class: NUM("BooleanConverter"), hex: "ff" },
  { op: "converter-decode", id: "BooleanConverter reads 2 bytes", class: NUM("BooleanConverter"), hex: "0100" },
  { op: "converter-decode", id: "BooleanConverter reads no bytes", class: NUM("BooleanConverter"), hex: "" },
];

const configDefCases: { plugin: { configDef: Parameters<typeof configDefToJson>[0] }; javaClass: string }[] = [
  { plugin: jsonConverterPlugin, javaClass: "org.apache.kafka.connect.json.JsonConverter" },
  { plugin: stringConverterPlugin, javaClass: "org.apache.kafka.connect.storage.StringConverter" },
  { plugin: byteArrayConverterPlugin, javaClass: "org.apache.kafka.connect.converters.ByteArrayConverter" },
  { plugin: booleanConverterPlugin, javaClass: "org.apache.kafka.connect.converters.BooleanConverter" },
  ...numberConverterPlugins.filter((p) => p.kind === "converter").map((p) => ({ plugin: p, javaClass: p.aliases[0] as string })),
  { plugin: simpleHeaderConverterPlugin, javaClass: "org.apache.kafka.connect.storage.SimpleHeaderConverter" },
];

const allCases: Case[] = [
  ...encodeCases,
  ...decodeCases,
  ...headerEncodeCases,
  ...headerDecodeCases,
  ...converterEncodeCases,
  ...converterDecodeCases.map(({ hex, ...c }) => (hex === undefined ? c : { ...c, base64: Buffer.from(hex, "hex").toString("base64") })),
  ...configDefCases.map((c): ConfigDefCase => ({ op: "configdef", id: `configdef ${c.javaClass}`, class: c.javaClass })),
];

// ---- the hub's side ----
const schemaRenderer = new JsonConverter();
schemaRenderer.configure({}, false);

function converterFor(config: Record<string, string> | undefined, isKey = false): JsonConverter {
  const converter = new JsonConverter();
  converter.configure(config ?? {}, isKey);
  return converter;
}

function parseSchema(converter: JsonConverter, schema: JsonSchema): Schema | null {
  return schema === null ? null : converter.asConnectSchema(JSON.stringify(schema));
}

/** What the hub reads, in the harness's form (schema JSON, typed value), or the error. */
function hubDecoded(read: () => { schema: Schema | null; value: unknown }): Decoded {
  try {
    const { schema, value } = read();
    return { schema: schema === null ? null : (JSON.parse(schemaRenderer.asJsonSchema(schema)) as JsonSchema), value: dump(value, schema) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** Whether a schema has an array or map whose element schema is null (Kafka's Values infers those). */
function hasNullElementSchema(schema: unknown): boolean {
  if (typeof schema !== "object" || schema === null) return false;
  const s = schema as Record<string, unknown>;
  for (const k of ["items", "keys", "values"]) if (k in s && (s[k] === null || hasNullElementSchema(s[k]))) return true;
  return Array.isArray(s.fields) && s.fields.some(hasNullElementSchema);
}

/**
 * Kafka's decoded result in the form the hub's must equal: schemaless values loosened (see
 * typed-values.ts). Where Kafka infers an array or map schema with no element schema (mixed
 * element types), the hub gives no schema at all, a documented gap: a Schema always has one.
 */
function expectedDecoded(kafka: Decoded): Decoded {
  if (kafka.error !== undefined) return { error: kafka.error };
  const schemaless = kafka.schema === null || hasNullElementSchema(kafka.schema);
  return { schema: schemaless ? null : (kafka.schema ?? null), value: schemaless ? loosen(kafka.value ?? null) : sortMaps(kafka.value ?? null) };
}

/**
 * Both refused. The hub's message starts with Kafka's own (the part before its cause), unless
 * Kafka's names Java classes.
 */
function expectSameError(hubError: string | undefined, kafkaError: string, what: string): void {
  expect(hubError, `${what}: Kafka failed (${kafkaError}), the hub must fail too`).toBeDefined();
  const message = (kafkaError.split(" | caused by ")[0] as string).replace(/^\w+: /, "").replace(/[:\s]+$/, "");
  if (!/java\.|class /.test(message)) expect(hubError?.startsWith(message), `"${hubError}" should start with "${message}"`).toBe(true);
}

function expectSameOutcome(hub: Decoded, kafka: Decoded, what: string): void {
  if (kafka.error !== undefined) {
    expectSameError(hub.error, kafka.error, what);
    return;
  }
  expect(hub.error, `${what}: Kafka succeeded, the hub failed`).toBeUndefined();
  expect({ schema: hub.schema, value: sortMaps(hub.value ?? null) }).toEqual(expectedDecoded(kafka));
}

// ---- running Kafka's side, once ----
let results: Map<string, KafkaResult>;
let workDir: string;

beforeAll(async () => {
  const { stdout: libsOut } = await execFileAsync("bash", [join(here, "kafka-jars.sh")], { maxBuffer: 1 << 20 });
  const libs = libsOut.trim().split("\n").pop() as string;
  workDir = await mkdtemp(join(tmpdir(), "hub-connect-json-"));
  const classpath = `${libs}/*`;
  await execFileAsync("javac", ["-nowarn", "-encoding", "UTF-8", "-cp", classpath, "-d", workDir, join(here, "JsonConverterHarness.java")]);
  const casesFile = join(workDir, "cases.json");
  await writeFile(
    casesFile,
    JSON.stringify(
      allCases.map((c) => {
        if (c.op === "decode" || c.op === "header-decode") {
          const { text, ...rest } = c;
          return text === undefined ? rest : { ...rest, base64: Buffer.from(text, "utf8").toString("base64") };
        }
        return c;
      }),
    ),
  );
  // One short-lived JVM: the C1 compiler alone and SerialGC start fastest on a small machine.
  const { stdout } = await execFileAsync(
    "java",
    ["-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss4m", "-Dfile.encoding=UTF-8", "-cp", `${classpath}:${workDir}`, "JsonConverterHarness", casesFile],
    { maxBuffer: 64 << 20 },
  );
  // HUB_CONNECT_JSON_DUMP=file keeps Kafka's answers, to look at when a case fails.
  if (process.env.HUB_CONNECT_JSON_DUMP) await writeFile(process.env.HUB_CONNECT_JSON_DUMP, stdout);
  results = new Map((JSON.parse(stdout) as KafkaResult[]).map((r) => [r.id, r]));
}, 300_000);

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

function kafkaResult(id: string): KafkaResult {
  const r = results.get(id);
  if (r === undefined) throw new Error(`the harness gave no result for ${id}`);
  return r;
}

describe("JsonConverter writes the bytes Kafka's JsonConverter writes", () => {
  for (const c of encodeCases) {
    it(c.id, () => {
      const kafka = kafkaResult(c.id);
      const converter = converterFor(c.config, c.isKey);
      let hubBytes: Buffer | null | undefined;
      let hubError: string | undefined;
      try {
        const schema = parseSchema(converter, c.schema);
        hubBytes = converter.fromConnectData("t", null, schema, build(c.value, schema));
      } catch (e) {
        hubError = (e as Error).message;
      }
      if (kafka.error !== undefined) {
        expectSameError(hubError, kafka.error, "writing");
        return;
      }
      expect(hubError).toBeUndefined();
      const expected = kafka.base64 === null ? null : Buffer.from(kafka.base64 as string, "base64");
      // Compare as text first for a readable diff, then as bytes.
      expect(hubBytes?.toString("utf8") ?? null).toBe(expected?.toString("utf8") ?? null);
      expect(hubBytes ?? null).toEqual(expected);
      if (c.hubReadsBack !== undefined) {
        const schema = parseSchema(converter, c.schema);
        expect(hubDecoded(() => converter.toConnectData("t", null, expected)).value).toEqual(dump(build(c.hubReadsBack, schema), schema));
        return;
      }
      // Reading Kafka's bytes back gives what Kafka reads back.
      expectSameOutcome(
        hubDecoded(() => converter.toConnectData("t", null, expected)),
        kafka.decoded as Decoded,
        "reading Kafka's bytes",
      );
    });
  }
});

describe("JsonConverter reads what Kafka's JsonConverter reads", () => {
  for (const c of decodeCases) {
    it(c.id, () => {
      const converter = converterFor(c.config);
      const bytes = c.text === undefined ? null : Buffer.from(c.text, "utf8");
      expectSameOutcome(hubDecoded(() => converter.toConnectData("t", null, bytes)), kafkaResult(c.id), c.id);
    });
  }
});

describe("SimpleHeaderConverter writes and reads header values as Kafka's does", () => {
  const converter = new SimpleHeaderConverter();
  for (const c of headerEncodeCases) {
    it(`writes ${c.id}`, () => {
      const kafka = kafkaResult(c.id);
      const schema = parseSchema(schemaRenderer, c.schema);
      const bytes = converter.fromConnectHeader("t", "h", schema, build(c.value, schema));
      const expected = kafka.base64 === null ? null : Buffer.from(kafka.base64 as string, "base64");
      expect(bytes?.toString("utf8") ?? null).toBe(expected?.toString("utf8") ?? null);
      expectSameOutcome(
        hubDecoded(() => converter.toConnectHeader("t", "h", expected)),
        kafka.decoded as Decoded,
        "reading Kafka's header bytes",
      );
    });
  }
  for (const c of headerDecodeCases) {
    it(`reads ${c.id}`, () => {
      expectSameOutcome(hubDecoded(() => converter.toConnectHeader("t", "h", Buffer.from(c.text, "utf8"))), kafkaResult(c.id), c.id);
    });
  }
});

/** The hub's converter for a Kafka converter class, configured as the harness configures Kafka's. */
function otherConverter(javaClass: string, config: Record<string, string> | undefined): Converter {
  const plugin = [stringConverterPlugin, byteArrayConverterPlugin, booleanConverterPlugin, ...numberConverterPlugins].find((p) => p.kind === "converter" && p.aliases.includes(javaClass));
  if (plugin === undefined || plugin.kind !== "converter") throw new Error(`no converter for ${javaClass}`);
  const converter = plugin.create();
  converter.configure(config ?? {}, false);
  return converter;
}

describe("StringConverter, ByteArrayConverter, BooleanConverter and the number converters write and read Kafka's bytes", () => {
  for (const c of converterEncodeCases) {
    it(c.id, () => {
      const kafka = kafkaResult(c.id);
      const converter = otherConverter(c.class, c.config);
      let bytes: Buffer | null | undefined;
      let error: string | undefined;
      try {
        const schema = parseSchema(schemaRenderer, c.schema);
        bytes = converter.fromConnectData("t", null, schema, build(c.value, schema)) as Buffer | null;
      } catch (e) {
        error = (e as Error).message;
      }
      if (kafka.error !== undefined) {
        expectSameError(error, kafka.error, "writing");
        return;
      }
      expect(error).toBeUndefined();
      const expected = kafka.base64 === null ? null : Buffer.from(kafka.base64 as string, "base64");
      expect(bytes?.toString("hex") ?? null).toBe(expected?.toString("hex") ?? null);
      expectSameOutcome(hubDecoded(() => converter.toConnectData("t", null, expected) as SchemaAndValue), kafka.decoded as Decoded, "reading Kafka's bytes");
    });
  }
  for (const c of converterDecodeCases) {
    it(c.id, () => {
      const converter = otherConverter(c.class, c.config);
      const bytes = c.hex === undefined ? null : Buffer.from(c.hex, "hex");
      expectSameOutcome(hubDecoded(() => converter.toConnectData("t", null, bytes) as SchemaAndValue), kafkaResult(c.id), c.id);
    });
  }
});

describe("converter config definitions match Kafka's", () => {
  for (const c of configDefCases) {
    it(c.javaClass, () => {
      const ours = configDefToJson(c.plugin.configDef).map(({ documentation: _doc, ...rest }) => rest);
      expect(ours).toEqual(kafkaResult(`configdef ${c.javaClass}`).config);
    });
  }
});

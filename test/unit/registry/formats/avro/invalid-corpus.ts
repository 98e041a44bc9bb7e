// Schema texts Java Avro 1.11 (inside Confluent's Schema Registry) refuses, with its messages
// (the message of the exception it throws, which Confluent passes on). The unit test checks the
// hub's messages; the integration test (test/integration/registry/avro-compatibility-java.test.ts)
// asks Java again.

export interface InvalidCase {
  readonly what: string;
  readonly text: string;
  readonly message: string;
  /** Malformed JSON: Jackson's message is not reproduced, only the refusal. */
  readonly syntax?: true;
  /** A default that does not fit its type: refused in a new schema, accepted in a stored one (isNew: false). */
  readonly onlyWhenNew?: true;
}

/** A record whose field `a` has this type (JSON) and this default (JSON). */
function fieldDefault(type: string, value: string): { what: string; text: string } {
  return {
    what: `the default ${value} for ${type}`,
    text: `{"type":"record","name":"Z","fields":[{"name":"a","type":${type},"default":${value}}]}`,
  };
}

export const INVALID_CASES: readonly InvalidCase[] = [
  { what: "not JSON", text: "{", message: "Unexpected character", syntax: true },
  { what: "content after the schema", text: '{"type":"int"} x', message: "dangling content after end of schema: x" },
  { what: "two schemas", text: '"string" "int"', message: 'dangling content after end of schema: "int"' },
  { what: "an unknown type name", text: '"Foo"', message: 'Undefined name: "Foo"' },
  { what: "an unknown type", text: '{"type":"foo"}', message: "Type not supported: foo" },
  { what: "no type", text: '{"name":"x"}', message: 'No type: {"name":"x"}' },
  { what: "a type that is not a string", text: '{"type":{"type":"int"}}', message: 'No type: {"type":{"type":"int"}}' },
  { what: "a number", text: "5", message: "Schema not yet supported: 5" },
  { what: "null", text: "null", message: "Schema not yet supported: null" },
  { what: "a record without fields", text: '{"type":"record","name":"Z"}', message: 'Record has no fields: {"type":"record","name":"Z"}' },
  { what: "a record without a name", text: '{"type":"record","name":5,"fields":[]}', message: 'No name in schema: {"type":"record","name":5,"fields":[]}' },
  { what: "a field without a name", text: '{"type":"record","name":"Z","fields":[5]}', message: "No field name: 5" },
  { what: "a field without a type", text: '{"type":"record","name":"Z","fields":[{"name":"a"}]}', message: 'No field type: {"name":"a"}' },
  { what: "a field of an unknown type", text: '{"type":"record","name":"Z","fields":[{"name":"a","type":"Nope"}]}', message: '"Nope" is not a defined name. The type of the "a" field must be a defined name or a {"type": ...} expression.' },
  { what: "a duplicate field", text: '{"type":"record","name":"Z","fields":[{"name":"a","type":"int"},{"name":"a","type":"string"}]}', message: "Duplicate field a in record Z: a type:STRING pos:1 and a type:INT pos:0." },
  { what: "a name starting with a digit", text: '{"type":"record","name":"1Z","fields":[]}', message: "Illegal initial character: 1Z" },
  { what: "a name with a dash", text: '{"type":"record","name":"a-b","fields":[]}', message: "Illegal character in: a-b" },
  { what: "an invalid field name", text: '{"type":"record","name":"Z","fields":[{"name":"a/b","type":"int"}]}', message: "Illegal character in: a/b" },
  { what: "a named type named after a primitive", text: '{"type":"record","name":"string","fields":[]}', message: "Schemas may not be named after primitives: string" },
  { what: "a type defined twice", text: '{"type":"record","name":"Z","fields":[{"name":"a","type":{"type":"record","name":"Z","fields":[]}}]}', message: "Can't redefine: Z" },
  { what: "a duplicate enum symbol", text: '{"type":"enum","name":"E","symbols":["A","A"]}', message: "Duplicate enum symbol: A" },
  { what: "an invalid enum symbol", text: '{"type":"enum","name":"E","symbols":["1A"]}', message: "Illegal initial character: 1A" },
  { what: "a symbol that is not a string", text: '{"type":"enum","name":"E","symbols":["A",5]}', message: "Null name" },
  { what: "an enum default that is not a symbol", text: '{"type":"enum","name":"E","symbols":["A","B"],"default":"C"}', message: "The Enum Default: C is not in the enum symbol set: [A, B]" },
  { what: "an enum without symbols", text: '{"type":"enum","name":"E"}', message: 'Enum has no symbols: {"type":"enum","name":"E"}' },
  { what: "a fixed without a size", text: '{"type":"fixed","name":"F"}', message: 'Invalid or no size: {"type":"fixed","name":"F"}' },
  { what: "a fixed with a fractional size", text: '{"type":"fixed","name":"F","size":2.0}', message: 'Invalid or no size: {"type":"fixed","name":"F","size":2.0}' },
  { what: "an array without items", text: '{"type":"array"}', message: 'Array has no items type: {"type":"array"}' },
  { what: "a map without values", text: '{"type":"map"}', message: 'Map has no values type: {"type":"map"}' },
  { what: "a union with a type twice", text: '["int","string","int"]', message: "Duplicate in union:int" },
  { what: "a union with two arrays", text: '[{"type":"array","items":"int"},{"type":"array","items":"string"}]', message: "Duplicate in union:array" },
  { what: "a nested union", text: '["null",["int"]]', message: 'Nested union: ["null",["int"]]' },
  { what: "an unknown field order", text: '{"type":"record","name":"Z","fields":[{"name":"a","type":"int","order":"bogus"}]}', message: "No enum constant org.apache.avro.Schema.Field.Order.BOGUS" },
  { what: "aliases that are not a list", text: '{"type":"record","name":"Z","fields":[{"name":"a","type":"int","aliases":"x"}]}', message: 'aliases not an array: {"name":"a","type":"int","aliases":"x"}' },
  { what: "an alias that is not a string", text: '{"type":"record","name":"Z","fields":[{"name":"a","type":"int","aliases":[1]}]}', message: "alias not a string: 1" },
  { what: "an invalid record alias", text: '{"type":"record","name":"Z","aliases":["1x"],"fields":[]}', message: "Illegal initial character: 1x" },
  { what: "a string default that is not a number", text: '{"type":"record","name":"Z","fields":[{"name":"a","type":"double","default":"x"}]}', message: 'For input string: "x"' },
  { ...fieldDefault('"string"', "null"), message: 'Invalid default for field a: null not a "string"', onlyWhenNew: true },
  { ...fieldDefault('"int"', '"x"'), message: 'Invalid default for field a: "x" not a "int"', onlyWhenNew: true },
  { ...fieldDefault('"int"', "1.0"), message: 'Invalid default for field a: 1.0 not a "int"', onlyWhenNew: true },
  { ...fieldDefault('"int"', "2147483648"), message: 'Invalid default for field a: 2147483648 not a "int"', onlyWhenNew: true },
  { ...fieldDefault('"long"', "9223372036854775808"), message: 'Invalid default for field a: 9223372036854775808 not a "long"', onlyWhenNew: true },
  { ...fieldDefault('["int","null"]', "null"), message: 'Invalid default for field a: null not a ["int","null"]', onlyWhenNew: true },
  { ...fieldDefault('["float","null"]', '"2"'), message: 'Invalid default for field a: "2" not a ["float","null"]', onlyWhenNew: true },
  { ...fieldDefault('{"type":"record","name":"Q","fields":[{"name":"x","type":"int"}]}', "{}"), message: 'Invalid default for field a: {} not a {"type":"record","name":"Q","fields":[{"name":"x","type":"int"}]}', onlyWhenNew: true },
];

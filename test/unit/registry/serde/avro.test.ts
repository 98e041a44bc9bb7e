import avro from "avsc";
import { describe, expect, it } from "vitest";
import { type AvroValue, decodeAvro, encodeAvro, GenericRecord, UnionBranch } from "../../../../registry/serde/avro/binary.ts";
import { type AvroRecord, parseAvroSchema, printAvroSchema } from "../../../../registry/serde/avro/schema.ts";

describe("Avro schema text", () => {
  it("prints schemas as Avro's Java Schema.toString does", () => {
    const text =
      '{"type":"record","name":"User","namespace":"com.example","doc":"a user","fields":[' +
      '{"name":"id","type":"long"},' +
      '{"name":"name","type":["null","string"],"default":null},' +
      '{"name":"kind","type":{"type":"enum","name":"Kind","symbols":["A","B"],"default":"A"}},' +
      '{"name":"other","type":"Kind","doc":"again","order":"descending"},' +
      '{"name":"hash","type":{"type":"fixed","name":"Hash","namespace":"org.x","size":4}},' +
      '{"name":"more","type":"org.x.Hash","aliases":["m"]},' +
      '{"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":10,"scale":2}},' +
      '{"name":"tags","type":{"type":"map","values":{"type":"array","items":"string"}}}' +
      '],"connect.name":"com.example.User"}';
    expect(printAvroSchema(parseAvroSchema(text))).toBe(text);
  });

  it("normalises white space, attribute order and redundant namespaces", () => {
    const text = `{
      "namespace": "a.b", "fields": [ { "type": { "type": "record", "fields": [], "name": "Inner", "namespace": "a.b" }, "name": "f" } ],
      "name": "Outer", "type": "record" }`;
    expect(printAvroSchema(parseAvroSchema(text))).toBe('{"type":"record","name":"Outer","namespace":"a.b","fields":[{"name":"f","type":{"type":"record","name":"Inner","fields":[]}}]}');
  });

  it("resolves names in the enclosing namespace, then in the null namespace", () => {
    const text = '{"type":"record","name":"R","namespace":"n","fields":[{"name":"a","type":{"type":"fixed","name":"F","size":1}},{"name":"b","type":"F"},{"name":"c","type":"n.F"}]}';
    const schema = parseAvroSchema(text) as AvroRecord;
    expect(schema.fields.map((f) => f.type)).toEqual([schema.fields[0]?.type, schema.fields[0]?.type, schema.fields[0]?.type]);
    // A type outside any namespace, referred to from inside one.
    const refs = ['{"type":"enum","name":"Color","symbols":["RED"]}'];
    const withRef = parseAvroSchema('{"type":"record","name":"R","namespace":"n","fields":[{"name":"c","type":"Color"}]}', refs) as AvroRecord;
    expect(withRef.fields[0]?.type.kind).toBe("enum");
    expect(printAvroSchema(withRef)).toBe('{"type":"record","name":"R","namespace":"n","fields":[{"name":"c","type":{"type":"enum","name":"Color","namespace":"","symbols":["RED"]}}]}');
  });

  it("uses named types from references", () => {
    const address = '{"type":"record","name":"Address","namespace":"com.example","fields":[{"name":"city","type":"string"}]}';
    const user = parseAvroSchema('{"type":"record","name":"User","namespace":"com.example","fields":[{"name":"home","type":"Address"}]}', [address]) as AvroRecord;
    expect(user.fields[0]?.type).toMatchObject({ kind: "record", fullName: "com.example.Address" });
  });

  it("rejects invalid schemas with Avro's messages", () => {
    expect(() => parseAvroSchema('"com.example.Missing"')).toThrow('Undefined name: "com.example.Missing"');
    expect(() => parseAvroSchema('{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"a","type":"int"}]}')).toThrow("Duplicate field a in record R");
    expect(() => parseAvroSchema('["int","int"]')).toThrow("Duplicate in union: int");
    expect(() => parseAvroSchema('{"type":"enum","name":"E","symbols":["A"],"default":"B"}')).toThrow("The Enum Default: B is not in the enum symbol set: A");
    expect(() => parseAvroSchema('{"type":"record","name":"1R","fields":[]}')).toThrow("Illegal name: 1R");
    expect(() => parseAvroSchema("{not json")).toThrow("Invalid Avro schema JSON");
    expect(() => parseAvroSchema('[{"type":"record","name":"R","fields":[]},{"type":"record","name":"R","fields":[]}]')).toThrow("Can't redefine: R");
  });

  it("keeps the exact text of numbers in attributes and defaults", () => {
    const text = '{"type":"record","name":"R","fields":[{"name":"big","type":"long","default":9223372036854775807},{"name":"d","type":"double","default":1.0}]}';
    expect(printAvroSchema(parseAvroSchema(text))).toBe(text);
  });
});

/** avsc, an independent implementation, as the oracle of the binary encoding. */
function avscBytes(schemaText: string, value: unknown): Buffer {
  return avro.Type.forSchema(JSON.parse(schemaText), { wrapUnions: true }).toBuffer(value);
}

describe("Avro binary encoding", () => {
  const recordText =
    '{"type":"record","name":"R","fields":[' +
    '{"name":"b","type":"boolean"},{"name":"i","type":"int"},{"name":"l","type":"long"},{"name":"f","type":"float"},{"name":"d","type":"double"},' +
    '{"name":"s","type":"string"},{"name":"y","type":"bytes"},{"name":"e","type":{"type":"enum","name":"E","symbols":["X","Y","Z"]}},' +
    '{"name":"x","type":{"type":"fixed","name":"F","size":3}},{"name":"a","type":{"type":"array","items":"int"}},' +
    '{"name":"m","type":{"type":"map","values":"string"}},{"name":"u","type":["null","string","long"]}]}';
  const schema = parseAvroSchema(recordText) as AvroRecord;

  it("encodes every type as avsc does", () => {
    const values: AvroValue[] = [true, -12345, 1234567890123n, 1.5, -2.25, "héllo €", Buffer.from([0, 1, 255]), "Z", Buffer.from("abc"), [1, -1, 300], new Map([["k", "v"]]), new UnionBranch(2, 42n)];
    const ours = encodeAvro(schema, new GenericRecord(schema, values));
    const theirs = avscBytes(recordText, {
      b: true, i: -12345, l: 1234567890123, f: 1.5, d: -2.25, s: "héllo €", y: Buffer.from([0, 1, 255]), e: "Z", x: Buffer.from("abc"), a: [1, -1, 300], m: { k: "v" }, u: { long: 42 },
    });
    expect(ours.toString("hex")).toBe(theirs.toString("hex"));
    const back = decodeAvro(schema, ours) as GenericRecord;
    expect(back.values).toEqual(values);
  });

  it("encodes empty arrays and maps, and null union branches", () => {
    const values: AvroValue[] = [false, 0, 0n, 0, 0, "", Buffer.alloc(0), "X", Buffer.from("xyz"), [], new Map(), new UnionBranch(0, null)];
    const ours = encodeAvro(schema, new GenericRecord(schema, values));
    const theirs = avscBytes(recordText, { b: false, i: 0, l: 0, f: 0, d: 0, s: "", y: Buffer.alloc(0), e: "X", x: Buffer.from("xyz"), a: [], m: {}, u: null });
    expect(ours.equals(theirs)).toBe(true);
    expect((decodeAvro(schema, ours) as GenericRecord).values).toEqual(values);
  });

  it("keeps all 64 bits of longs", () => {
    const long = parseAvroSchema('"long"');
    for (const n of [2n ** 63n - 1n, -(2n ** 63n), 2n ** 53n + 1n, -1n, 0n]) {
      const bytes = encodeAvro(long, n);
      expect(decodeAvro(long, bytes)).toBe(n);
    }
    expect(encodeAvro(long, 2n ** 63n - 1n).toString("hex")).toBe("feffffffffffffffff01");
    expect(() => encodeAvro(long, 2n ** 63n)).toThrow("Invalid value 9223372036854775808 for Avro type long");
  });

  it("reads block-encoded arrays with a byte size (negative counts)", () => {
    const array = parseAvroSchema('{"type":"array","items":"int"}');
    // Block of -2 items (zigzag 3), byte size 2, items 1 and 2, then the end.
    expect(decodeAvro(array, Buffer.from([0x03, 0x04, 0x02, 0x04, 0x00]))).toEqual([1, 2]);
  });

  it("refuses values that do not fit, naming where", () => {
    expect(() => encodeAvro(schema, new GenericRecord(schema, [1, 0, 0n, 0, 0, "", Buffer.alloc(0), "X", Buffer.from("xyz"), [], new Map(), null]))).toThrow("Invalid value 1 for Avro type boolean at b");
    const values: AvroValue[] = [true, 0, 0n, 0, 0, "", Buffer.alloc(0), "W", Buffer.from("xyz"), [], new Map(), new UnionBranch(0, null)];
    expect(() => encodeAvro(schema, new GenericRecord(schema, values))).toThrow('Invalid value "W" for Avro enum E at e: not one of X, Y, Z');
    expect(() => encodeAvro(parseAvroSchema('"int"'), 2 ** 31)).toThrow("Invalid value 2147483648 for Avro type int");
  });

  it("refuses truncated and malformed bytes", () => {
    expect(() => decodeAvro(parseAvroSchema('"string"'), Buffer.from([0x0a, 0x61]))).toThrow("Malformed data: 5 bytes needed at offset 1, 1 left");
    expect(() => decodeAvro(parseAvroSchema('"bytes"'), Buffer.from([0x01]))).toThrow("Malformed data. Length is negative: -1");
    expect(() => decodeAvro(parseAvroSchema('{"type":"array","items":"long"}'), Buffer.from([0xfe, 0xff, 0xff, 0xff, 0x0f]))).toThrow("Malformed data: a block of 2147483647 items with 0 bytes left");
    expect(() => decodeAvro(parseAvroSchema('["null","int"]'), Buffer.from([0x04]))).toThrow("Malformed data: union branch 2 of 2");
    expect(() => decodeAvro(parseAvroSchema('"int"'), Buffer.from([0xff, 0xff, 0xff, 0xff, 0x7f]))).toThrow("Invalid int encoding");
    expect(() => decodeAvro(parseAvroSchema('{"type":"enum","name":"E","symbols":["A"]}'), Buffer.from([0x02]))).toThrow("enum index 1 of E, which has 1 symbols");
  });
});

// Parsing Avro schemas as Confluent's Schema Registry (Java Avro 1.11) does: what is valid, the
// messages for what is not, references to other subjects' schemas, the canonical text, and
// Confluent's normalization. The expected texts and messages are Java's (canonical-corpus.ts is
// checked against Java again by test/integration/registry/avro-compatibility-java.test.ts).
import { describe, expect, it } from "vitest";
import { avroFormat, type AvroParsedSchema } from "../../../../../registry/formats/avro/index.ts";
import { InvalidSchemaError, type ParseOptions, type SchemaReference } from "../../../../../registry/formats/types.ts";
import { CANONICAL_CASES } from "./canonical-corpus.ts";
import { INVALID_CASES } from "./invalid-corpus.ts";

function parse(text: string, references: readonly string[] = [], options: ParseOptions = {}): AvroParsedSchema {
  const resolved = new Map(references.map((r, i) => [`ref${i}`, r] as const));
  return avroFormat.parse(text, [], resolved, options);
}

function parseError(text: string, references: readonly string[] = [], options: ParseOptions = {}): string {
  try {
    parse(text, references, options);
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidSchemaError);
    return (e as Error).message;
  }
  throw new Error(`expected ${text} to be invalid`);
}

describe("the canonical string is the text Java Avro prints", () => {
  for (const c of CANONICAL_CASES) {
    it(c.name, () => {
      const parsed = parse(c.schema, c.references ?? []);
      expect(parsed.canonicalString).toBe(c.hub ?? c.java);
      // What the registry stores parses back to the same text.
      expect(parse(parsed.canonicalString, c.references ?? []).canonicalString).toBe(parsed.canonicalString);
    });
  }
});

describe("valid schemas", () => {
  it("a bare primitive is a schema, without a name", () => {
    for (const p of ["null", "boolean", "int", "long", "float", "double", "bytes", "string"]) {
      const parsed = parse(`"${p}"`);
      expect(parsed.canonicalString).toBe(`"${p}"`);
      expect(parsed.name).toBeNull();
      expect(parsed.schemaType).toBe("AVRO");
    }
  });

  it("names a schema after its top-level named type", () => {
    expect(parse('{"type":"record","name":"R","namespace":"a.b","fields":[]}').name).toBe("a.b.R");
    expect(parse('{"type":"enum","name":"x.E","symbols":["A"]}').name).toBe("x.E");
    expect(parse('{"type":"fixed","name":"F","size":4}').name).toBe("F");
    expect(parse('{"type":"array","items":"int"}').name).toBeNull();
    expect(parse('{"type":"map","values":"int"}').name).toBeNull();
    expect(parse('["null",{"type":"record","name":"R","fields":[]}]').name).toBeNull();
  });

  it("accepts what Java accepts: an empty union, Unicode letters in names, any namespace text", () => {
    expect(parse("[]").canonicalString).toBe("[]");
    expect(parse('{"type":"record","name":"Zé","fields":[{"name":"ü","type":"int"}]}').canonicalString).toBe(
      '{"type":"record","name":"Zé","fields":[{"name":"ü","type":"int"}]}',
    );
    expect(parse('{"type":"record","name":"Z","namespace":"1a.b-c","fields":[]}').name).toBe("1a.b-c.Z");
    // Field aliases are not checked as names; record aliases are.
    expect(parse('{"type":"record","name":"Z","fields":[{"name":"a","type":"int","aliases":["1y"]}]}').canonicalString).toContain('"aliases":["1y"]');
  });

  it("ignores attributes of the wrong kind as Java does (a non-string doc or namespace)", () => {
    expect(parse('{"type":"record","name":"Z","doc":5,"namespace":null,"fields":[]}').canonicalString).toBe(
      '{"type":"record","name":"Z","fields":[]}',
    );
  });

  it("keeps a referenced named type's object form as the type itself", () => {
    expect(
      parse('{"type":"record","name":"R","fields":[{"name":"a","type":{"type":"enum","name":"E","symbols":["A"]}},{"name":"b","type":{"type":"E","x":1}}]}')
        .canonicalString,
    ).toBe('{"type":"record","name":"R","fields":[{"name":"a","type":{"type":"enum","name":"E","symbols":["A"]}},{"name":"b","type":"E"}]}');
  });

  it("resolves a short name in the current namespace, then in the null namespace", () => {
    const text =
      '{"type":"record","name":"R","namespace":"n","fields":[{"name":"a","type":{"type":"record","name":"G","namespace":"","fields":[]}},{"name":"b","type":"G"}]}';
    expect(parse(text).canonicalString).toBe(
      '{"type":"record","name":"R","namespace":"n","fields":[{"name":"a","type":{"type":"record","name":"G","namespace":"","fields":[]}},{"name":"b","type":"G"}]}',
    );
  });
});

describe("invalid schemas are refused with Java Avro's message", () => {
  for (const c of INVALID_CASES) {
    it(c.what, () => {
      if (c.syntax) expect(parseError(c.text)).toContain(c.message);
      else expect(parseError(c.text)).toBe(c.message);
      // A stored schema is read without the checks that came later (defaults).
      if (c.onlyWhenNew) expect(parse(c.text, [], { isNew: false }).canonicalString).toBe(c.text);
    });
  }
});

describe("field defaults", () => {
  it("accepts what Java accepts", () => {
    const fields = [
      '{"name":"a","type":["null","int"],"default":null}',
      '{"name":"b","type":"double","default":1}',
      '{"name":"c","type":"long","default":12345678901}',
      '{"name":"d","type":{"type":"enum","name":"E","symbols":["A"]},"default":"B"}', // enum defaults are not checked against the symbols
      '{"name":"e","type":{"type":"fixed","name":"F","size":2},"default":"abc"}', // nor fixed defaults against the size
      '{"name":"f","type":{"type":"record","name":"Q","fields":[{"name":"x","type":"int"},{"name":"y","type":"int","default":3}]},"default":{"x":1}}',
      '{"name":"g","type":{"type":"map","values":"int"},"default":{"k":1}}',
      '{"name":"h","type":{"type":"array","items":"string"},"default":["x"]}',
      '{"name":"i","type":"bytes","default":"\\u00ff"}',
    ];
    const text = `{"type":"record","name":"Z","fields":[${fields.join(",")}]}`;
    expect(parse(text).canonicalString).toBe(text.replace('"\\u00ff"', '"ÿ"'));
  });

  it("reads a string default of a float or double field as a number", () => {
    expect(parse('{"type":"record","name":"Z","fields":[{"name":"a","type":"float","default":" 2 "},{"name":"b","type":"double","default":"1.5d"}]}').canonicalString).toBe(
      '{"type":"record","name":"Z","fields":[{"name":"a","type":"float","default":2.0},{"name":"b","type":"double","default":1.5}]}',
    );
  });
});

describe("references to schemas of other subjects", () => {
  const address = '{"type":"record","name":"Address","namespace":"com.acme","fields":[{"name":"street","type":"string"}]}';
  const customer = '{"type":"record","name":"Customer","namespace":"com.acme","fields":[{"name":"home","type":"Address"}]}';

  it("resolves named types from the references and keeps the references", () => {
    const references: SchemaReference[] = [{ name: "com.acme.Address", subject: "address", version: 1 }];
    const parsed = avroFormat.parse(customer, references, new Map([["com.acme.Address", address]]));
    expect(parsed.canonicalString).toBe(customer);
    expect(parsed.references).toEqual(references);
    expect(parsed.resolvedString).toBe(
      '{"type":"record","name":"Customer","namespace":"com.acme","fields":[{"name":"home","type":{"type":"record","name":"Address","fields":[{"name":"street","type":"string"}]}}]}',
    );
  });

  it("refuses a schema whose reference is missing", () => {
    expect(parseError(customer)).toBe(
      '"Address" is not a defined name. The type of the "home" field must be a defined name or a {"type": ...} expression.',
    );
  });

  it("refuses a schema that defines a referenced type again", () => {
    expect(parseError(address, [address])).toBe("Can't redefine: com.acme.Address");
  });

  it("refuses an invalid referenced schema", () => {
    expect(parseError(customer, ['{"type":"record","name":"Address","namespace":"com.acme"}'])).toContain("Record has no fields");
  });

  it("a schema used with and without its reference resolved is written the same way", () => {
    const inline = parse(
      '{"type":"record","name":"Customer","namespace":"com.acme","fields":[{"name":"home","type":{"type":"record","name":"Address","fields":[{"name":"street","type":"string"}]}}]}',
    );
    expect(inline.resolvedString).toBe(parse(customer, [address]).resolvedString);
  });
});

describe("normalize (Confluent's normalize=true)", () => {
  const normalized = (text: string, references: readonly string[] = []): string =>
    parse(text, references, { normalize: true }).canonicalString;

  it("gives semantically equal texts the same canonical string", () => {
    const a =
      '{"type":"record","name":"R","namespace":"ns","fields":[{"name":"f","type":"double","default":1,"aliases":["y","x"],"p":{"b":1,"a":2},"o":true},{"name":"e","type":{"type":"enum","name":"E","symbols":["A"],"aliases":["ns.F","G"]}}],"doc":""}';
    const b =
      '{"name":"ns.R","type":"record","fields":[{"o":true,"p":{"a":2,"b":1},"type":"double","name":"f","aliases":["x","y"],"default":1.0},{"name":"e","type":{"name":"ns.E","type":"enum","symbols":["A"],"aliases":["G","F"]}}]}';
    expect(normalized(a)).toBe(normalized(b));
    expect(normalized(a)).toBe(
      '{"type":"record","name":"R","namespace":"ns","fields":[{"name":"f","type":"double","default":1.0,"aliases":["x","y"],"o":true,"p":{"a":2,"b":1}},{"name":"e","type":{"type":"enum","name":"E","symbols":["A"],"aliases":["F","G"]}}]}',
    );
    // Without normalize the two differ.
    expect(parse(a).canonicalString).not.toBe(parse(b).canonicalString);
  });

  it("writes logical-type attributes first and sorts the other properties", () => {
    expect(
      normalized('{"type":"bytes","scale":2,"precision":10,"connect.version":1,"connect.name":"org.apache.kafka.connect.data.Decimal","logicalType":"decimal"}'),
    ).toBe('{"type":"bytes","logicalType":"decimal","precision":10,"scale":2,"connect.name":"org.apache.kafka.connect.data.Decimal","connect.version":1}');
    // An invalid logical type is only a property.
    expect(normalized('{"type":"long","logicalType":"date","a":1}')).toBe('{"type":"long","a":1,"logicalType":"date"}');
  });

  it("converts defaults to the field's type", () => {
    expect(
      normalized(
        '{"type":"record","name":"Z","fields":[{"name":"a","type":"float","default":0.1},{"name":"b","type":"double","default":2},{"name":"c","type":{"type":"map","values":"double"},"default":{"z":1,"a":2}}]}',
      ),
    ).toBe(
      '{"type":"record","name":"Z","fields":[{"name":"a","type":"float","default":0.1},{"name":"b","type":"double","default":2.0},{"name":"c","type":{"type":"map","values":"double"},"default":{"a":2.0,"z":1.0}}]}',
    );
  });

  it("drops an empty doc of a named type but keeps docs of fields", () => {
    expect(normalized('{"type":"record","name":"Z","doc":"","fields":[{"name":"a","type":"int","doc":""}]}')).toBe(
      '{"type":"record","name":"Z","fields":[{"name":"a","type":"int","doc":""}]}',
    );
  });

  it("turns an error into a record, as Confluent's normalization does", () => {
    expect(normalized('{"type":"error","name":"E","fields":[]}')).toBe('{"type":"record","name":"E","fields":[]}');
  });

  it("moves a nested type of the null namespace into its parent's namespace, as Confluent's normalization does", () => {
    // Confluent writes the nested type's full name ("G") and parses the text again, where a
    // name without a namespace takes the enclosing one.
    expect(
      normalized('{"type":"record","name":"R","namespace":"n","fields":[{"name":"g","type":{"type":"record","name":"G","namespace":"","fields":[]}}]}'),
    ).toBe('{"type":"record","name":"R","namespace":"n","fields":[{"name":"g","type":{"type":"record","name":"G","fields":[]}}]}');
  });

  it("names referenced types and sorts the references", () => {
    const address = '{"type":"record","name":"Address","namespace":"com.acme","fields":[{"name":"street","type":"string"}]}';
    const references: SchemaReference[] = [
      { name: "com.acme.Zip", subject: "zip", version: 2 },
      { name: "com.acme.Address", subject: "address", version: 1 },
      { name: "com.acme.Zip", subject: "zip", version: 2 },
    ];
    const parsed = avroFormat.parse(
      '{"type":"record","name":"Customer","namespace":"com.acme","fields":[{"name":"home","type":"com.acme.Address"}]}',
      references,
      new Map([["com.acme.Address", address]]),
      { normalize: true },
    );
    expect(parsed.canonicalString).toBe('{"type":"record","name":"Customer","namespace":"com.acme","fields":[{"name":"home","type":"Address"}]}');
    expect(parsed.references).toEqual([
      { name: "com.acme.Address", subject: "address", version: 1 },
      { name: "com.acme.Zip", subject: "zip", version: 2 },
    ]);
  });
});

describe("the avsc type", () => {
  it("encodes and decodes with types from the references, names resolved as Java resolves them", () => {
    const parsed = parse(
      '{"type":"record","name":"R","namespace":"n","fields":[{"name":"a","type":"com.acme.Address"},{"name":"g","type":{"type":"record","name":"G","namespace":"","fields":[{"name":"x","type":"int"}]}},{"name":"again","type":["null","G"],"default":null}]}',
      ['{"type":"record","name":"Address","namespace":"com.acme","fields":[{"name":"street","type":"string"}]}'],
    );
    const value = { a: { street: "Main" }, g: { x: 7 }, again: { x: 8 } };
    const type = parsed.avroType;
    expect(type.name).toBe("n.R");
    const decoded: unknown = type.fromBuffer(type.toBuffer(value));
    expect(JSON.parse(JSON.stringify(decoded))).toEqual(value);
  });

  it("fails on first use when avsc cannot hold a schema Java accepts", () => {
    const parsed = parse('{"type":"record","name":"Zé","fields":[]}');
    expect(parsed.canonicalString).toBe('{"type":"record","name":"Zé","fields":[]}');
    expect(() => parsed.avroType).toThrow();
  });
});

// Reading request bodies the way Kafka Connect's Jackson does. Every expected message below was
// printed by Jackson 2.21.2 (Kafka Connect 4.3.1's) reading the same text into the same type
// (Map<String, Object>, Map<String, String>, or Kafka's CreateConnectorRequest / ConnectorOffsets).
import { describe, expect, it } from "vitest";
import { JsonBody, parseJsonBody, readCreateConnectorRequest, readOffsetsRequest, readStringMap, stringifyJson } from "../../../../connect/rest/json.ts";

const AT = " at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); ";
const CREATE = "org.apache.kafka.connect.runtime.rest.entities.CreateConnectorRequest";
const OFFSETS = "org.apache.kafka.connect.runtime.rest.entities.ConnectorOffsets";
const OFFSET = "org.apache.kafka.connect.runtime.rest.entities.ConnectorOffset";

const body = (text: string): JsonBody => parseJsonBody(text) as JsonBody;
const error = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error("did not throw");
};

describe("JSON bodies", () => {
  it("an empty body is no entity; integers past 2^53 stay exact both ways", () => {
    expect(parseJsonBody("  ")).toBeNull();
    const parsed = body('{"big":9223372036854775807,"small":5,"real":1.5}').value() as Record<string, unknown>;
    expect(parsed).toEqual({ big: 9223372036854775807n, small: 5, real: 1.5 });
    expect(stringifyJson(parsed)).toBe('{"big":9223372036854775807,"small":5,"real":1.5}');
  });

  it("syntax errors, in Jackson's words and location", () => {
    const cases: Array<[string, string]> = [
      ['{"name":"a",', "Unexpected end-of-input within/between Object entries\n" + AT + "line: 1, column: 13]"],
      ["not json", "Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n" + AT + "line: 1, column: 1]"],
      ["{bad", "Unexpected character ('b' (code 98)): was expecting double-quote to start field name\n" + AT + "line: 1, column: 2]"],
      ['{"a" 1}', "Unexpected character ('1' (code 49)): was expecting a colon to separate field name and value\n" + AT + "line: 1, column: 6]"],
      ['{"a":1 "b":2}', "Unexpected character ('\"' (code 34)): was expecting comma to separate Object entries\n" + AT + "line: 1, column: 8]"],
      ['{"a":"x', "Unexpected end-of-input: was expecting closing quote for a string value\n" + AT + "line: 1, column: 8]"],
      ["{\n  bad", "Unexpected character ('b' (code 98)): was expecting double-quote to start field name\n" + AT + "line: 2, column: 3]"],
      ["{", `Unexpected end-of-input: expected close marker for Object (start marker at [Source: REDACTED (\`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION\` disabled); line: 1, column: 1])\n${AT}line: 1, column: 2]`],
      ['{"a":-x}', "Unexpected character ('x' (code 120)) in numeric value: expected digit (0-9) to follow minus sign, for valid numeric value\n" + AT + "line: 1, column: 7]"],
      ['{"a":tru}', "Unrecognized token 'tru': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n" + AT + "line: 1, column: 6]"],
      ['{"a":}', "Unexpected character ('}' (code 125)): expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n" + AT + "line: 1, column: 6]"],
    ];
    for (const [text, message] of cases) expect({ text, message: error(() => body(text).value()) }).toEqual({ text, message });
    // Jackson stops at the end of the first value: what follows is not read.
    expect(body('{"a":1}x').value()).toEqual({ a: 1 });
  });

  it("binding errors come before later syntax errors, as Jackson binds while it reads", () => {
    expect(error(() => readStringMap(body("[1,]")))).toBe(
      "Cannot deserialize value of type `java.util.LinkedHashMap<java.lang.String,java.lang.String>` from Array value (token `JsonToken.START_ARRAY`)\n" + AT + "line: 1, column: 1]",
    );
  });

  it("Map<String, String>: scalars become their text, containers fail with a reference chain", () => {
    expect(readStringMap(body('{"a":1.0,"b":1e3,"c":true,"d":null,"e":"x"}'))).toEqual({ a: "1.0", b: "1e3", c: "true", d: null, e: "x" });
    expect(readStringMap(body("null"))).toBeNull();
    expect(error(() => readStringMap(body('{"a":{"b":1}}')))).toBe(
      "Cannot deserialize value of type `java.lang.String` from Object value (token `JsonToken.START_OBJECT`)\n" + AT + 'line: 1, column: 6] (through reference chain: java.util.LinkedHashMap["a"])',
    );
    for (const [text, token] of [
      ["5", "Integer value (token `JsonToken.VALUE_NUMBER_INT`)"],
      ["1.5", "Floating-point value (token `JsonToken.VALUE_NUMBER_FLOAT`)"],
      ["true", "Boolean value (token `JsonToken.VALUE_TRUE`)"],
      ["[1]", "Array value (token `JsonToken.START_ARRAY`)"],
    ] as const) {
      expect(error(() => readStringMap(body(text)))).toBe(`Cannot deserialize value of type \`java.util.LinkedHashMap<java.lang.String,java.lang.String>\` from ${token}\n${AT}line: 1, column: 1]`);
    }
    expect(error(() => readStringMap(body('"x"')))).toBe(
      "Cannot construct instance of `java.util.LinkedHashMap` (although at least one Creator exists): no String-argument constructor/factory method to deserialize from String value ('x')\n" + AT + "line: 1, column: 1]",
    );
  });

  it("CreateConnectorRequest", () => {
    expect(readCreateConnectorRequest(body('{"name":5,"config":{"a":1.0},"initial_state":"paused"}'))).toEqual({ name: "5", config: { a: "1.0" }, initialState: "PAUSED" });
    const cases: Array<[string, string]> = [
      ["[1]", `Cannot deserialize value of type \`${CREATE}\` from Array value (token \`JsonToken.START_ARRAY\`)\n${AT}line: 1, column: 1]`],
      ['"x"', `Cannot construct instance of \`${CREATE}\` (although at least one Creator exists): no String-argument constructor/factory method to deserialize from String value ('x')\n${AT}line: 1, column: 1]`],
      ["5", `Cannot construct instance of \`${CREATE}\` (although at least one Creator exists): no int/Int-argument constructor/factory method to deserialize from Number value (5)\n${AT}line: 1, column: 1]`],
      ["1.5", `Cannot construct instance of \`${CREATE}\` (although at least one Creator exists): no double/Double-argument constructor/factory method to deserialize from Number value (1.5)\n${AT}line: 1, column: 1]`],
      ["true", `Cannot construct instance of \`${CREATE}\` (although at least one Creator exists): no boolean/Boolean-argument constructor/factory method to deserialize from boolean value (true)\n${AT}line: 1, column: 1]`],
      [
        '{"name":"x","config":"x"}',
        `Cannot construct instance of \`java.util.LinkedHashMap\` (although at least one Creator exists): no String-argument constructor/factory method to deserialize from String value ('x')\n${AT}line: 1, column: 22] (through reference chain: ${CREATE}["config"])`,
      ],
      ['{"name":"x","config":{},"extra":1}', `Unrecognized field "extra" (class ${CREATE}), not marked as ignorable (3 known properties: "config", "name", "initial_state")\n${AT}line: 1, column: 35] (through reference chain: ${CREATE}["extra"])`],
      [
        '{"name":"x","config":{},"initial_state":"BOGUS"}',
        `Cannot construct instance of \`${CREATE}$InitialState\`, problem: No enum constant ${CREATE}.InitialState.BOGUS\n${AT}line: 1, column: 41] (through reference chain: ${CREATE}["initial_state"])`,
      ],
      ['{"name":{},"config":{}}', `Cannot deserialize value of type \`java.lang.String\` from Object value (token \`JsonToken.START_OBJECT\`)\n${AT}line: 1, column: 9] (through reference chain: ${CREATE}["name"])`],
      ['{"name":"x","config":[1]}', `Cannot deserialize value of type \`java.util.LinkedHashMap<java.lang.String,java.lang.String>\` from Array value (token \`JsonToken.START_ARRAY\`)\n${AT}line: 1, column: 22] (through reference chain: ${CREATE}["config"])`],
      ['{"name":"x","config":5}', `Cannot deserialize value of type \`java.util.LinkedHashMap<java.lang.String,java.lang.String>\` from Integer value (token \`JsonToken.VALUE_NUMBER_INT\`)\n${AT}line: 1, column: 22] (through reference chain: ${CREATE}["config"])`],
    ];
    for (const [text, message] of cases) expect({ text, message: error(() => readCreateConnectorRequest(body(text))) }).toEqual({ text, message });
  });

  it("ConnectorOffsets", () => {
    expect(readOffsetsRequest(body('{"offsets":[{"partition":{"f":"x"},"offset":null}]}'))).toEqual({ offsets: [{ partition: { f: "x" }, offset: null }] });
    expect(readOffsetsRequest(body("{}"))).toEqual({ offsets: null });
    const cases: Array<[string, string]> = [
      ["[1]", `Cannot deserialize value of type \`${OFFSETS}\` from Array value (token \`JsonToken.START_ARRAY\`)\n${AT}line: 1, column: 1]`],
      ['{"offsets":5}', `Cannot deserialize value of type \`java.util.ArrayList<${OFFSET}>\` from Integer value (token \`JsonToken.VALUE_NUMBER_INT\`)\n${AT}line: 1, column: 12] (through reference chain: ${OFFSETS}["offsets"])`],
      ['{"offsets":{}}', `Cannot deserialize value of type \`java.util.ArrayList<${OFFSET}>\` from Object value (token \`JsonToken.START_OBJECT\`)\n${AT}line: 1, column: 12] (through reference chain: ${OFFSETS}["offsets"])`],
      [
        '{"offsets":[{"partition":"x","offset":null}]}',
        `Cannot construct instance of \`java.util.LinkedHashMap\` (although at least one Creator exists): no String-argument constructor/factory method to deserialize from String value ('x')\n${AT}line: 1, column: 26] (through reference chain: ${OFFSETS}["offsets"]->java.util.ArrayList[0]->${OFFSET}["partition"])`,
      ],
      [
        '{"offsets":[{"partition":{},"offset":null,"z":1}]}',
        `Unrecognized field "z" (class ${OFFSET}), not marked as ignorable (2 known properties: "partition", "offset")\n${AT}line: 1, column: 48] (through reference chain: ${OFFSETS}["offsets"]->java.util.ArrayList[0]->${OFFSET}["z"])`,
      ],
      ['{"x":1}', `Unrecognized field "x" (class ${OFFSETS}), not marked as ignorable (one known property: "offsets")\n${AT}line: 1, column: 8] (through reference chain: ${OFFSETS}["x"])`],
      [
        '{"offsets":[5]}',
        `Cannot construct instance of \`${OFFSET}\` (although at least one Creator exists): no int/Int-argument constructor/factory method to deserialize from Number value (5)\n${AT}line: 1, column: 13] (through reference chain: ${OFFSETS}["offsets"]->java.util.ArrayList[0])`,
      ],
    ];
    for (const [text, message] of cases) expect({ text, message: error(() => readOffsetsRequest(body(text))) }).toEqual({ text, message });
  });
});

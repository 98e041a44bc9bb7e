// JSON as Java Avro reads and writes it (through Jackson, see ../jackson-json.ts), because the
// text Confluent stores and returns for an Avro schema is Jackson's rendering of what Avro parsed:
// the kind of a number literal survives (`1` stays `1`, `1.0` stays `1.0`, `1e10` becomes
// `1.0E10`), `/* */` and `//` comments are allowed (Avro turns on Jackson's ALLOW_COMMENTS), and
// errors are worded as Jackson words them, with line and column.
import {
  type JsonDialect,
  type JsonNode,
  type JsonProblem,
  JsonSyntaxError,
  parseJacksonJson,
  quoteJsonString,
  tokenAt,
  writeJacksonJson,
} from "../jackson-json.ts";
import { javaDoubleToString } from "./java-numbers.ts";

export { JsonSyntaxError, quoteJsonString as quoteJson };

type AvroJsonNumber =
  /** An integer literal (Jackson's IntNode, LongNode or BigIntegerNode, by magnitude). */
  | { readonly kind: "integer"; readonly value: bigint }
  /** A literal with a fraction or an exponent (Jackson's DoubleNode). */
  | { readonly kind: "double"; readonly value: number };

export type JsonValue = JsonNode<AvroJsonNumber>;

export type JsonObject = Extract<JsonValue, { kind: "object" }>;

export const JSON_NULL: JsonValue = { kind: "null" };

const INT_MIN = -(2n ** 31n);
const INT_MAX = 2n ** 31n - 1n;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/** Jackson's IntNode: an integer literal that fits in 32 bits. */
export function isJavaInt(v: JsonValue): boolean {
  return v.kind === "integer" && v.value >= INT_MIN && v.value <= INT_MAX;
}

/** Jackson's LongNode: an integer literal that needs 64 bits. */
export function isJavaLong(v: JsonValue): boolean {
  return v.kind === "integer" && !isJavaInt(v) && v.value >= LONG_MIN && v.value <= LONG_MAX;
}

/** Fits in a Java long (an IntNode or a LongNode). */
export function fitsJavaLong(v: JsonValue): boolean {
  return v.kind === "integer" && v.value >= LONG_MIN && v.value <= LONG_MAX;
}

/**
 * Parses one JSON value. Like Avro's parser, content after the value (other than whitespace and
 * comments) is an error.
 */
export function parseJson(text: string): JsonValue {
  return parseJacksonJson(text, AVRO_JSON);
}

const AVRO_JSON: JsonDialect<AvroJsonNumber> = {
  comments: true,
  // Jackson's nesting limit (StreamReadConstraints' default depth).
  maxDepth: 1000,
  maxNumberLength: 2048,
  wholeTokens: true,
  number: (literal) => (/[.eE]/.test(literal) ? { kind: "double", value: Number(literal) } : { kind: "integer", value: BigInt(literal) }),
  message: jacksonMessage,
};

function jacksonMessage(problem: JsonProblem, text: string, offset: number): string {
  const message = jacksonWording(problem, text, offset);
  // Avro's own checks around Jackson's parser say no location.
  if (problem.kind === "no-content" || problem.kind === "trailing-content") return message;
  // Jackson reports a bad escape after its escaped character.
  const at = problem.kind === "bad-escape" || problem.kind === "bad-unicode-escape" ? offset + 2 : offset;
  return `${message} at ${lineAndColumn(text, at)}`;
}

function jacksonWording(problem: JsonProblem, text: string, offset: number): string {
  switch (problem.kind) {
    case "no-content":
      return "No content to map due to end-of-input";
    case "trailing-content":
      return `dangling content after end of schema: ${tokenAt(text, offset)}`;
    case "too-deep":
      return `Document nesting depth exceeds the maximum allowed (${AVRO_JSON.maxDepth})`;
    case "end-of-input":
      return "Unexpected end-of-input";
    case "unexpected-character":
      return `Unexpected character '${problem.character}'`;
    case "bad-literal":
      return `Unrecognized token '${tokenAt(text, offset)}': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')`;
    case "key-expected":
      return "Unexpected character: was expecting double-quote to start field name";
    case "colon-expected":
      return "Unexpected character: was expecting a colon to separate field name and value";
    case "comma-expected":
      return `Unexpected character: was expecting comma to separate ${problem.container === "object" ? "Object" : "Array"} entries`;
    case "unterminated-string":
      return "Unexpected end-of-input in a String value";
    case "control-character":
      return "Illegal unquoted character: has to be escaped using backslash to be included in string value";
    case "bad-unicode-escape":
      return "Unexpected character in a \\u escape: expected a hex-digit";
    case "bad-escape":
      return `Unrecognized character escape '${problem.character}'`;
    case "bad-number":
      return "Invalid numeric value";
    case "number-runs-on":
      return `Invalid numeric value: '${problem.literal}${problem.next}'`;
    case "unterminated-comment":
      return "Unexpected end-of-input in a comment";
  }
}

/** Jackson's `line L, column C` of `offset` (both from 1). */
function lineAndColumn(text: string, offset: number): string {
  let line = 1;
  let column = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === "\n") {
      line++;
      column = 1;
    } else {
      column++;
    }
  }
  return `line ${line}, column ${column}`;
}

/** Writes JSON as Jackson's generator does (compact, Java number formats, Jackson escapes). */
export function writeJson(value: JsonValue): string {
  return writeJacksonJson(value, writeNumber);
}

function writeNumber(number: AvroJsonNumber): string {
  if (number.kind === "integer") return number.value.toString();
  // Jackson writes non-finite doubles as strings ("NaN", "Infinity").
  return Number.isFinite(number.value) ? javaDoubleToString(number.value) : quoteJsonString(javaDoubleToString(number.value));
}

export function jsonString(value: string): JsonValue {
  return { kind: "string", value };
}

/** Reads a string member, as Jackson's `textValue()`: null when absent or not a string. */
export function textMember(obj: JsonObject, key: string): string | null {
  const v = obj.entries.get(key);
  return v?.kind === "string" ? v.value : null;
}

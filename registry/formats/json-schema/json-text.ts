// JSON text as Confluent's registry reads and writes it (Jackson with exact big decimals):
// object keys keep their order (JS objects would move integer-like keys first), duplicate keys
// keep the first position with the last value, integers print as digits and other numbers as
// Java's BigDecimal.toString() prints them ("1.0" stays "1.0", "1e3" becomes "1E+3").
// canonicalString() is this tree written without whitespace; normalize sorts the keys. Reading and
// writing are ../jackson-json.ts, in strict JSON (no comments) and with offsets in errors.
import {
  compareUtf16,
  type JsonDialect,
  type JsonNode,
  type JsonProblem,
  JsonSyntaxError,
  parseJacksonJson,
  writeJacksonJson,
} from "../jackson-json.ts";

/** A parsed JSON value that remembers key order and number spelling. */
export type JsonTree = JsonNode<JsonNumberText>;

/** A number literal as written. */
type JsonNumberText = { readonly kind: "number"; readonly text: string };

/** A JSON value as JSON.parse returns it. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export { JsonSyntaxError };

/** Parses strict JSON (RFC 8259); throws JsonSyntaxError with the offset of the problem. */
export function parseJsonText(text: string): JsonTree {
  return parseJacksonJson(text, STRICT_JSON);
}

const STRICT_JSON: JsonDialect<JsonNumberText> = {
  comments: false,
  // Deep enough for any real schema.
  maxDepth: 512,
  maxNumberLength: 1024,
  wholeTokens: false,
  number: (text) => ({ kind: "number", text }),
  message: (problem, _text, offset) => `${strictWording(problem)} at offset ${offset}`,
};

function strictWording(problem: JsonProblem): string {
  switch (problem.kind) {
    case "no-content":
    case "end-of-input":
      return "unexpected end of input";
    case "trailing-content":
      return "unexpected content after the JSON value";
    case "too-deep":
      return "JSON nested too deeply";
    case "unexpected-character":
      return `unexpected character ${JSON.stringify(problem.character)}`;
    case "bad-literal":
      return "invalid literal";
    case "key-expected":
      return "expected a string key";
    case "colon-expected":
      return "expected ':'";
    case "comma-expected":
      return problem.container === "object" ? "expected ',' or '}'" : "expected ',' or ']'";
    case "unterminated-string":
      return "unterminated string";
    case "control-character":
      return "control character in string";
    case "bad-unicode-escape":
      return "invalid \\u escape";
    case "bad-escape":
      return "invalid escape";
    case "bad-number":
    case "number-runs-on":
      return "invalid number";
    case "unterminated-comment":
      return "unterminated comment";
  }
}

/** Writes a tree as Jackson does, without whitespace; `sortKeys` sorts object keys (UTF-16 order, as Java's TreeMap). */
export function writeJsonText(tree: JsonTree, options: { sortKeys?: boolean } = {}): string {
  return writeJacksonJson(tree, (number) => javaNumberText(number.text), options.sortKeys === true);
}

/**
 * A JSON number as Jackson prints it after reading it: integers (no fraction, no exponent) as
 * plain digits, others as java.math.BigDecimal.toString() of the literal.
 */
export function javaNumberText(literal: string): string {
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(literal);
  if (!match) return literal;
  const [, sign = "", integerPart = "", fraction, exponent] = match;
  if (fraction === undefined && exponent === undefined) {
    const digits = integerPart.replace(/^0+(?=\d)/, "");
    return digits === "0" ? "0" : sign + digits;
  }
  // BigDecimal: unscaled value and scale.
  let unscaled = (integerPart + (fraction ?? "")).replace(/^0+(?=\d)/, "");
  const scale = (fraction ?? "").length - Number(exponent ?? "0");
  const negative = sign === "-" && /[1-9]/.test(unscaled);
  if (unscaled === "") unscaled = "0";
  const adjusted = -scale + (unscaled.length - 1);
  let text: string;
  if (scale >= 0 && adjusted >= -6) {
    if (scale === 0) text = unscaled;
    else if (unscaled.length > scale) text = `${unscaled.slice(0, unscaled.length - scale)}.${unscaled.slice(unscaled.length - scale)}`;
    else text = `0.${"0".repeat(scale - unscaled.length)}${unscaled}`;
  } else {
    const mantissa = unscaled.length > 1 ? `${unscaled[0]}.${unscaled.slice(1)}` : unscaled;
    text = `${mantissa}E${adjusted >= 0 ? "+" : "-"}${Math.abs(adjusted)}`;
  }
  return negative ? `-${text}` : text;
}

/** The plain JS value of a tree (numbers as JS numbers), for validators and comparisons. */
export function toJsonValue(tree: JsonTree): JsonValue {
  switch (tree.kind) {
    case "object": {
      const result: { [key: string]: JsonValue } = {};
      for (const [key, value] of tree.entries) {
        // defineProperty: a "__proto__" key must become an own property, not the prototype.
        Object.defineProperty(result, key, { value: toJsonValue(value), enumerable: true, writable: true, configurable: true });
      }
      return result;
    }
    case "array":
      return tree.items.map(toJsonValue);
    case "string":
    case "boolean":
      return tree.value;
    case "number":
      return Number(tree.text);
    case "null":
      return null;
  }
}

/** Structural equality of plain JSON values (object key order ignored, numbers by value). */
export function jsonEquals(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if (typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, index) => jsonEquals(item, b[index]));
  }
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => Object.hasOwn(b, key) && jsonEquals(a[key], b[key]));
}

/** A key that is equal for structurally equal JSON values (sorted keys), for sets of values. */
export function jsonKey(value: JsonValue | undefined): string {
  if (value === undefined) return "undefined";
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(jsonKey).join(",")}]`;
  return `{${Object.keys(value)
    .sort(compareUtf16)
    .map((key) => `${JSON.stringify(key)}:${jsonKey(value[key])}`)
    .join(",")}}`;
}

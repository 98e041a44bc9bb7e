// JSON text as Confluent's registry reads and writes it (Jackson with exact big decimals):
// object keys keep their order (JS objects would move integer-like keys first), duplicate keys
// keep the first position with the last value, integers print as digits and other numbers as
// Java's BigDecimal.toString() prints them ("1.0" stays "1.0", "1e3" becomes "1E+3").
// canonicalString() is this tree written without whitespace; normalize sorts the keys.

/** A parsed JSON value that remembers key order and number spelling. */
export type JsonTree =
  | { readonly kind: "object"; readonly entries: ReadonlyMap<string, JsonTree> }
  | { readonly kind: "array"; readonly items: readonly JsonTree[] }
  | { readonly kind: "string"; readonly value: string }
  | { readonly kind: "number"; readonly text: string }
  | { readonly kind: "boolean"; readonly value: boolean }
  | { readonly kind: "null" };

/** A JSON value as JSON.parse returns it. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export class JsonSyntaxError extends Error {
  override name = "JsonSyntaxError";
}

/** Parses strict JSON (RFC 8259); throws JsonSyntaxError with the offset of the problem. */
export function parseJsonText(text: string): JsonTree {
  const parser = new Parser(text);
  parser.skipWhitespace();
  const value = parser.value(0);
  parser.skipWhitespace();
  if (parser.position < text.length) parser.fail("unexpected content after the JSON value");
  return value;
}

// Deep enough for any real schema; stops a hostile text from overflowing the stack.
const MAX_DEPTH = 512;

class Parser {
  position = 0;
  private readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  fail(what: string): never {
    throw new JsonSyntaxError(`${what} at offset ${this.position}`);
  }

  skipWhitespace(): void {
    const text = this.text;
    while (this.position < text.length) {
      const c = text.charCodeAt(this.position);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return;
      this.position++;
    }
  }

  value(depth: number): JsonTree {
    if (depth > MAX_DEPTH) this.fail("JSON nested too deeply");
    const c = this.text[this.position];
    switch (c) {
      case "{":
        return this.object(depth);
      case "[":
        return this.array(depth);
      case '"':
        return { kind: "string", value: this.string() };
      case "t":
        return this.literal("true", { kind: "boolean", value: true });
      case "f":
        return this.literal("false", { kind: "boolean", value: false });
      case "n":
        return this.literal("null", { kind: "null" });
      case undefined:
        return this.fail("unexpected end of input");
      default:
        if (c === "-" || (c >= "0" && c <= "9")) return { kind: "number", text: this.number() };
        return this.fail(`unexpected character ${JSON.stringify(c)}`);
    }
  }

  private literal(word: string, tree: JsonTree): JsonTree {
    if (!this.text.startsWith(word, this.position)) this.fail("invalid literal");
    this.position += word.length;
    return tree;
  }

  private object(depth: number): JsonTree {
    this.position++; // {
    const entries = new Map<string, JsonTree>();
    this.skipWhitespace();
    if (this.text[this.position] === "}") {
      this.position++;
      return { kind: "object", entries };
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.position] !== '"') this.fail("expected a string key");
      const key = this.string();
      this.skipWhitespace();
      if (this.text[this.position] !== ":") this.fail("expected ':'");
      this.position++;
      this.skipWhitespace();
      entries.set(key, this.value(depth + 1));
      this.skipWhitespace();
      const next = this.text[this.position++];
      if (next === "}") return { kind: "object", entries };
      if (next !== ",") {
        this.position--;
        this.fail("expected ',' or '}'");
      }
    }
  }

  private array(depth: number): JsonTree {
    this.position++; // [
    const items: JsonTree[] = [];
    this.skipWhitespace();
    if (this.text[this.position] === "]") {
      this.position++;
      return { kind: "array", items };
    }
    for (;;) {
      this.skipWhitespace();
      items.push(this.value(depth + 1));
      this.skipWhitespace();
      const next = this.text[this.position++];
      if (next === "]") return { kind: "array", items };
      if (next !== ",") {
        this.position--;
        this.fail("expected ',' or ']'");
      }
    }
  }

  private string(): string {
    const text = this.text;
    let index = this.position + 1;
    let out = "";
    let chunkStart = index;
    for (;;) {
      if (index >= text.length) {
        this.position = index;
        this.fail("unterminated string");
      }
      const c = text.charCodeAt(index);
      if (c === 0x22) break; // "
      if (c < 0x20) {
        this.position = index;
        this.fail("control character in string");
      }
      if (c !== 0x5c) {
        index++;
        continue;
      }
      out += text.slice(chunkStart, index);
      const escape = text[index + 1];
      switch (escape) {
        case '"':
        case "\\":
        case "/":
          out += escape;
          index += 2;
          break;
        case "b":
          out += "\b";
          index += 2;
          break;
        case "f":
          out += "\f";
          index += 2;
          break;
        case "n":
          out += "\n";
          index += 2;
          break;
        case "r":
          out += "\r";
          index += 2;
          break;
        case "t":
          out += "\t";
          index += 2;
          break;
        case "u": {
          const hex = text.slice(index + 2, index + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
            this.position = index;
            this.fail("invalid \\u escape");
          }
          out += String.fromCharCode(Number.parseInt(hex, 16));
          index += 6;
          break;
        }
        default:
          this.position = index;
          this.fail("invalid escape");
      }
      chunkStart = index;
    }
    out += text.slice(chunkStart, index);
    this.position = index + 1;
    return out;
  }

  private number(): string {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.text.slice(this.position, this.position + 1024));
    if (!match) this.fail("invalid number");
    this.position += match[0].length;
    return match[0];
  }
}

/** Writes a tree as Jackson does, without whitespace; `sortKeys` sorts object keys (UTF-16 order, as Java's TreeMap). */
export function writeJsonText(tree: JsonTree, options: { sortKeys?: boolean } = {}): string {
  const parts: string[] = [];
  write(tree, options.sortKeys === true, parts);
  return parts.join("");
}

function write(tree: JsonTree, sortKeys: boolean, out: string[]): void {
  switch (tree.kind) {
    case "object": {
      out.push("{");
      const keys = [...tree.entries.keys()];
      if (sortKeys) keys.sort(compareUtf16);
      keys.forEach((key, index) => {
        if (index > 0) out.push(",");
        out.push(quoteJsonString(key), ":");
        write(tree.entries.get(key) as JsonTree, sortKeys, out);
      });
      out.push("}");
      return;
    }
    case "array":
      out.push("[");
      tree.items.forEach((item, index) => {
        if (index > 0) out.push(",");
        write(item, sortKeys, out);
      });
      out.push("]");
      return;
    case "string":
      out.push(quoteJsonString(tree.value));
      return;
    case "number":
      out.push(javaNumberText(tree.text));
      return;
    case "boolean":
      out.push(tree.value ? "true" : "false");
      return;
    case "null":
      out.push("null");
      return;
  }
}

function compareUtf16(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  "\\": "\\\\",
  "\b": "\\b",
  "\t": "\\t",
  "\n": "\\n",
  "\f": "\\f",
  "\r": "\\r",
};

/** A JSON string literal as Jackson writes it: short escapes, other control characters as \u00XX (upper-case hex). */
export function quoteJsonString(value: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is escaped here
  return `"${value.replace(/["\\\u0000-\u001f]/g, (c) => SHORT_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`)}"`;
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

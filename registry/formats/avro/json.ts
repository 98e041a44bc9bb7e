// JSON as Java Avro reads and writes it (through Jackson), because the text Confluent stores and
// returns for an Avro schema is Jackson's rendering of what Avro parsed: the kind of a number
// literal survives (`1` stays `1`, `1.0` stays `1.0`, `1e10` becomes `1.0E10`), object keys keep
// their first position with the last value, `/* */` and `//` comments are allowed (Avro turns
// on Jackson's ALLOW_COMMENTS), and strings are escaped as Jackson escapes them.
import { javaDoubleToString } from "./java-numbers.ts";

export type JsonValue =
  | { readonly kind: "null" }
  | { readonly kind: "boolean"; readonly value: boolean }
  | { readonly kind: "string"; readonly value: string }
  /** An integer literal (Jackson's IntNode, LongNode or BigIntegerNode, by magnitude). */
  | { readonly kind: "integer"; readonly value: bigint }
  /** A literal with a fraction or an exponent (Jackson's DoubleNode). */
  | { readonly kind: "double"; readonly value: number }
  | { readonly kind: "array"; readonly items: readonly JsonValue[] }
  | { readonly kind: "object"; readonly entries: ReadonlyMap<string, JsonValue> };

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

export class JsonSyntaxError extends Error {
  override name = "JsonSyntaxError";
}

/**
 * Parses one JSON value. Like Avro's parser, content after the value (other than whitespace and
 * comments) is an error.
 */
export function parseJson(text: string): JsonValue {
  const reader = new JsonReader(text);
  reader.skipSpace();
  if (reader.atEnd()) throw new JsonSyntaxError("No content to map due to end-of-input");
  const value = reader.value(0);
  reader.skipSpace();
  if (!reader.atEnd()) {
    throw new JsonSyntaxError(`dangling content after end of schema: ${reader.rest()}`);
  }
  return value;
}

/** Jackson's nesting limit (StreamReadConstraints' default depth). */
const MAX_DEPTH = 1000;

class JsonReader {
  private pos = 0;
  private readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  /** A short excerpt of what follows, for the "dangling content" message. */
  rest(): string {
    const start = this.pos;
    let end = start;
    while (end < this.text.length && !/[\s,:[\]{}]/.test(this.text[end] ?? "")) end++;
    return this.text.slice(start, Math.max(end, start + 1));
  }

  private fail(message: string): never {
    let line = 1;
    let column = 1;
    for (let i = 0; i < this.pos && i < this.text.length; i++) {
      if (this.text[i] === "\n") {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    throw new JsonSyntaxError(`${message} at line ${line}, column ${column}`);
  }

  skipSpace(): void {
    for (;;) {
      const c = this.text[this.pos];
      if (c === " " || c === "\t" || c === "\n" || c === "\r") {
        this.pos++;
      } else if (c === "/" && this.text[this.pos + 1] === "*") {
        const end = this.text.indexOf("*/", this.pos + 2);
        if (end < 0) this.fail("Unexpected end-of-input in a comment");
        this.pos = end + 2;
      } else if (c === "/" && this.text[this.pos + 1] === "/") {
        while (this.pos < this.text.length && this.text[this.pos] !== "\n" && this.text[this.pos] !== "\r") this.pos++;
      } else {
        return;
      }
    }
  }

  value(depth: number): JsonValue {
    if (depth > MAX_DEPTH) this.fail(`Document nesting depth exceeds the maximum allowed (${MAX_DEPTH})`);
    const c = this.text[this.pos];
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
        return this.literal("null", JSON_NULL);
      default:
        if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return this.number();
        if (c === undefined) this.fail("Unexpected end-of-input");
        return this.fail(`Unexpected character '${c}'`);
    }
  }

  private literal(word: string, value: JsonValue): JsonValue {
    if (this.text.startsWith(word, this.pos) && !/[A-Za-z0-9_$]/.test(this.text[this.pos + word.length] ?? "")) {
      this.pos += word.length;
      return value;
    }
    return this.fail(`Unrecognized token '${this.rest()}': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')`);
  }

  private object(depth: number): JsonValue {
    this.pos++; // {
    const entries = new Map<string, JsonValue>();
    this.skipSpace();
    if (this.text[this.pos] === "}") {
      this.pos++;
      return { kind: "object", entries };
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') this.fail("Unexpected character: was expecting double-quote to start field name");
      const key = this.string();
      this.skipSpace();
      if (this.text[this.pos] !== ":") this.fail("Unexpected character: was expecting a colon to separate field name and value");
      this.pos++;
      this.skipSpace();
      // A repeated key keeps its first position and takes the last value, as in Jackson's ObjectNode.
      entries.set(key, this.value(depth + 1));
      this.skipSpace();
      const c = this.text[this.pos];
      if (c === ",") {
        this.pos++;
        continue;
      }
      if (c === "}") {
        this.pos++;
        return { kind: "object", entries };
      }
      this.fail("Unexpected character: was expecting comma to separate Object entries");
    }
  }

  private array(depth: number): JsonValue {
    this.pos++; // [
    const items: JsonValue[] = [];
    this.skipSpace();
    if (this.text[this.pos] === "]") {
      this.pos++;
      return { kind: "array", items };
    }
    for (;;) {
      this.skipSpace();
      items.push(this.value(depth + 1));
      this.skipSpace();
      const c = this.text[this.pos];
      if (c === ",") {
        this.pos++;
        continue;
      }
      if (c === "]") {
        this.pos++;
        return { kind: "array", items };
      }
      this.fail("Unexpected character: was expecting comma to separate Array entries");
    }
  }

  private string(): string {
    this.pos++; // opening quote
    let out = "";
    let start = this.pos;
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined) this.fail("Unexpected end-of-input in a String value");
      if (c === '"') {
        out += this.text.slice(start, this.pos);
        this.pos++;
        return out;
      }
      if (c < " ") this.fail("Illegal unquoted character: has to be escaped using backslash to be included in string value");
      if (c === "\\") {
        out += this.text.slice(start, this.pos);
        const e = this.text[this.pos + 1];
        this.pos += 2;
        switch (e) {
          case '"':
          case "\\":
          case "/":
            out += e;
            break;
          case "b":
            out += "\b";
            break;
          case "f":
            out += "\f";
            break;
          case "n":
            out += "\n";
            break;
          case "r":
            out += "\r";
            break;
          case "t":
            out += "\t";
            break;
          case "u": {
            const hex = this.text.slice(this.pos, this.pos + 4);
            if (!/^[0-9A-Fa-f]{4}$/.test(hex)) this.fail("Unexpected character in a \\u escape: expected a hex-digit");
            out += String.fromCharCode(parseInt(hex, 16));
            this.pos += 4;
            break;
          }
          default:
            this.fail(`Unrecognized character escape '${e ?? ""}'`);
        }
        start = this.pos;
        continue;
      }
      this.pos++;
    }
  }

  private number(): JsonValue {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.text.slice(this.pos, this.pos + 2048));
    if (!m) return this.fail("Invalid numeric value");
    const literal = m[0];
    const next = this.text[this.pos + literal.length];
    if (next !== undefined && /[0-9.eE+\-A-Za-z]/.test(next)) this.fail(`Invalid numeric value: '${literal}${next}'`);
    this.pos += literal.length;
    if (m[2] === undefined && m[3] === undefined) return { kind: "integer", value: BigInt(literal) };
    return { kind: "double", value: Number(literal) };
  }
}

/** Writes JSON as Jackson's generator does (compact, Java number formats, Jackson escapes). */
export function writeJson(value: JsonValue): string {
  switch (value.kind) {
    case "null":
      return "null";
    case "boolean":
      return value.value ? "true" : "false";
    case "string":
      return quoteJson(value.value);
    case "integer":
      return value.value.toString();
    case "double":
      // Jackson writes non-finite doubles as strings ("NaN", "Infinity").
      return Number.isFinite(value.value) ? javaDoubleToString(value.value) : quoteJson(javaDoubleToString(value.value));
    case "array":
      return `[${value.items.map(writeJson).join(",")}]`;
    case "object": {
      const parts: string[] = [];
      for (const [k, v] of value.entries) parts.push(`${quoteJson(k)}:${writeJson(v)}`);
      return `{${parts.join(",")}}`;
    }
  }
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

/** A JSON string literal escaped as Jackson does: short escapes, else \\u00XX in upper case. */
export function quoteJson(s: string): string {
  // eslint-disable-next-line no-control-regex
  return `"${s.replace(/["\\\u0000-\u001f]/g, (c) => SHORT_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`)}"`;
}

export function jsonString(value: string): JsonValue {
  return { kind: "string", value };
}

/** Reads a string member, as Jackson's `textValue()`: null when absent or not a string. */
export function textMember(obj: JsonObject, key: string): string | null {
  const v = obj.entries.get(key);
  return v?.kind === "string" ? v.value : null;
}

// JSON text as Confluent's registry reads and writes it through Jackson, for the formats whose
// schemas are JSON (Avro, JSON Schema): object keys keep their first position with the last value
// (Jackson's ObjectNode; JS objects would also move integer-like keys first), strings are escaped
// as Jackson's generator escapes them, and output is compact. What the formats do differently —
// comments (Avro turns on Jackson's ALLOW_COMMENTS), how a number literal is kept and printed,
// the nesting limit, the wording of errors — is each format's JsonDialect.

/** A parsed JSON value in key order; `N` is how the dialect keeps a number literal. */
export type JsonNode<N> =
  | { readonly kind: "null" }
  | { readonly kind: "boolean"; readonly value: boolean }
  | { readonly kind: "string"; readonly value: string }
  | { readonly kind: "array"; readonly items: readonly JsonNode<N>[] }
  | { readonly kind: "object"; readonly entries: ReadonlyMap<string, JsonNode<N>> }
  | N;

export class JsonSyntaxError extends Error {
  override name = "JsonSyntaxError";
}

/** What was wrong with a text, for the dialect to word. */
export type JsonProblem =
  | { readonly kind: "no-content" }
  | { readonly kind: "trailing-content" }
  | { readonly kind: "too-deep" }
  | { readonly kind: "end-of-input" }
  | { readonly kind: "unexpected-character"; readonly character: string }
  | { readonly kind: "bad-literal" }
  | { readonly kind: "key-expected" }
  | { readonly kind: "colon-expected" }
  | { readonly kind: "comma-expected"; readonly container: "object" | "array" }
  | { readonly kind: "unterminated-string" }
  | { readonly kind: "control-character" }
  /** `offset` is the escape's backslash. */
  | { readonly kind: "bad-unicode-escape" }
  /** `offset` is the escape's backslash; `character` the one after it ("" at the end of the text). */
  | { readonly kind: "bad-escape"; readonly character: string }
  | { readonly kind: "bad-number" }
  /** A number followed by a character that cannot follow one (`01`, `1x`): only with `wholeTokens`. */
  | { readonly kind: "number-runs-on"; readonly literal: string; readonly next: string }
  /** `offset` is the comment's start. */
  | { readonly kind: "unterminated-comment" };

export interface JsonDialect<N> {
  /** `/* *\/` and `//` comments count as whitespace. */
  readonly comments: boolean;
  /** Deeper nesting is an error (a hostile text must not overflow the stack). */
  readonly maxDepth: number;
  /** A number literal is matched within this many characters (what follows is read as the next token). */
  readonly maxNumberLength: number;
  /** `true`, `false`, `null` and numbers must not run into the next characters (`truex`, `01`), as in Jackson's parser. */
  readonly wholeTokens: boolean;
  /** The node of a number literal (text that matches JSON's number grammar). */
  number(literal: string): N;
  /** The message of the syntax error `problem` found at `offset` of `text`. */
  message(problem: JsonProblem, text: string, offset: number): string;
}

/** Parses one JSON value; content after it (other than whitespace, and comments where allowed) is an error. */
export function parseJacksonJson<N>(text: string, dialect: JsonDialect<N>): JsonNode<N> {
  const reader = new JsonReader(text, dialect);
  reader.skipSpace();
  if (reader.atEnd()) reader.fail({ kind: "no-content" });
  const value = reader.value(0);
  reader.skipSpace();
  if (!reader.atEnd()) reader.fail({ kind: "trailing-content" });
  return value;
}

/** A short excerpt of the token at `offset` (up to the next whitespace or structural character), for messages. */
export function tokenAt(text: string, offset: number): string {
  let end = offset;
  while (end < text.length && !/[\s,:[\]{}]/.test(text[end] ?? "")) end++;
  return text.slice(offset, Math.max(end, offset + 1));
}

const NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/;
const TRUE: JsonNode<never> = { kind: "boolean", value: true };
const FALSE: JsonNode<never> = { kind: "boolean", value: false };
const NULL: JsonNode<never> = { kind: "null" };

class JsonReader<N> {
  private pos = 0;
  private readonly text: string;
  private readonly dialect: JsonDialect<N>;

  constructor(text: string, dialect: JsonDialect<N>) {
    this.text = text;
    this.dialect = dialect;
  }

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  fail(problem: JsonProblem, at: number = this.pos): never {
    throw new JsonSyntaxError(this.dialect.message(problem, this.text, at));
  }

  skipSpace(): void {
    const text = this.text;
    for (;;) {
      const c = text[this.pos];
      if (c === " " || c === "\t" || c === "\n" || c === "\r") {
        this.pos++;
      } else if (c === "/" && this.dialect.comments && text[this.pos + 1] === "*") {
        const end = text.indexOf("*/", this.pos + 2);
        if (end < 0) this.fail({ kind: "unterminated-comment" });
        this.pos = end + 2;
      } else if (c === "/" && this.dialect.comments && text[this.pos + 1] === "/") {
        while (this.pos < text.length && text[this.pos] !== "\n" && text[this.pos] !== "\r") this.pos++;
      } else {
        return;
      }
    }
  }

  value(depth: number): JsonNode<N> {
    if (depth > this.dialect.maxDepth) this.fail({ kind: "too-deep" });
    const c = this.text[this.pos];
    switch (c) {
      case "{":
        return this.object(depth);
      case "[":
        return this.array(depth);
      case '"':
        return { kind: "string", value: this.string() };
      case "t":
        return this.literal("true", TRUE);
      case "f":
        return this.literal("false", FALSE);
      case "n":
        return this.literal("null", NULL);
      case undefined:
        return this.fail({ kind: "end-of-input" });
      default:
        if (c === "-" || (c >= "0" && c <= "9")) return this.number();
        return this.fail({ kind: "unexpected-character", character: c });
    }
  }

  private literal(word: string, node: JsonNode<N>): JsonNode<N> {
    const whole = !this.dialect.wholeTokens || !/[A-Za-z0-9_$]/.test(this.text[this.pos + word.length] ?? "");
    if (!this.text.startsWith(word, this.pos) || !whole) this.fail({ kind: "bad-literal" });
    this.pos += word.length;
    return node;
  }

  private object(depth: number): JsonNode<N> {
    this.pos++; // {
    const entries = new Map<string, JsonNode<N>>();
    this.skipSpace();
    if (this.text[this.pos] === "}") {
      this.pos++;
      return { kind: "object", entries };
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') this.fail({ kind: "key-expected" });
      const key = this.string();
      this.skipSpace();
      if (this.text[this.pos] !== ":") this.fail({ kind: "colon-expected" });
      this.pos++;
      this.skipSpace();
      // A repeated key keeps its first position and takes the last value, as in Jackson's ObjectNode.
      entries.set(key, this.value(depth + 1));
      this.skipSpace();
      const c = this.text[this.pos];
      if (c === "}") {
        this.pos++;
        return { kind: "object", entries };
      }
      if (c !== ",") this.fail({ kind: "comma-expected", container: "object" });
      this.pos++;
    }
  }

  private array(depth: number): JsonNode<N> {
    this.pos++; // [
    const items: JsonNode<N>[] = [];
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
      if (c === "]") {
        this.pos++;
        return { kind: "array", items };
      }
      if (c !== ",") this.fail({ kind: "comma-expected", container: "array" });
      this.pos++;
    }
  }

  private string(): string {
    const text = this.text;
    let index = this.pos + 1; // after the opening quote
    let out = "";
    let chunkStart = index;
    for (;;) {
      if (index >= text.length) this.fail({ kind: "unterminated-string" }, index);
      const c = text.charCodeAt(index);
      if (c === 0x22) break; // "
      if (c < 0x20) this.fail({ kind: "control-character" }, index);
      if (c !== 0x5c) {
        index++;
        continue;
      }
      out += text.slice(chunkStart, index);
      const escape = text[index + 1];
      if (escape === "u") {
        const hex = text.slice(index + 2, index + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail({ kind: "bad-unicode-escape" }, index);
        out += String.fromCharCode(Number.parseInt(hex, 16));
        index += 6;
      } else {
        const unescaped = escape === undefined ? undefined : SHORT_UNESCAPES[escape];
        if (unescaped === undefined) this.fail({ kind: "bad-escape", character: escape ?? "" }, index);
        out += unescaped;
        index += 2;
      }
      chunkStart = index;
    }
    out += text.slice(chunkStart, index);
    this.pos = index + 1;
    return out;
  }

  private number(): JsonNode<N> {
    const match = NUMBER.exec(this.text.slice(this.pos, this.pos + this.dialect.maxNumberLength));
    if (!match) return this.fail({ kind: "bad-number" });
    const literal = match[0];
    const next = this.text[this.pos + literal.length];
    if (this.dialect.wholeTokens && next !== undefined && /[0-9.eE+\-A-Za-z]/.test(next)) {
      this.fail({ kind: "number-runs-on", literal, next });
    }
    this.pos += literal.length;
    return this.dialect.number(literal);
  }
}

const SHORT_UNESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};

/**
 * Writes a tree as Jackson's generator does: compact, strings escaped by quoteJsonString, numbers
 * by `writeNumber`; `sortKeys` sorts object keys (UTF-16 order, as Java's TreeMap).
 */
export function writeJacksonJson<N>(tree: JsonNode<N>, writeNumber: (number: N) => string, sortKeys = false): string {
  const out: string[] = [];
  write(tree, writeNumber, sortKeys, out);
  return out.join("");
}

function write<N>(tree: JsonNode<N>, writeNumber: (number: N) => string, sortKeys: boolean, out: string[]): void {
  const node = tree as JsonNode<never>; // the structural kinds; anything else is a dialect's number
  switch (node.kind) {
    case "object": {
      out.push("{");
      const keys = [...node.entries.keys()];
      if (sortKeys) keys.sort(compareUtf16);
      keys.forEach((key, index) => {
        if (index > 0) out.push(",");
        out.push(quoteJsonString(key), ":");
        write(node.entries.get(key) as JsonNode<N>, writeNumber, sortKeys, out);
      });
      out.push("}");
      return;
    }
    case "array":
      out.push("[");
      node.items.forEach((item, index) => {
        if (index > 0) out.push(",");
        write(item as JsonNode<N>, writeNumber, sortKeys, out);
      });
      out.push("]");
      return;
    case "string":
      out.push(quoteJsonString(node.value));
      return;
    case "boolean":
      out.push(node.value ? "true" : "false");
      return;
    case "null":
      out.push("null");
      return;
    default:
      out.push(writeNumber(tree as N));
  }
}

/** Java's String.compareTo: UTF-16 code unit order. */
export function compareUtf16(a: string, b: string): number {
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

// JSON in and out of the REST API. Kafka Connect reads request bodies with Jackson and lets its
// exceptions through as 500s whose message is Jackson's text, so malformed JSON and wrong JSON
// types answer 500 here too, in Jackson 2.21's words with its location suffix and reference
// chain (checked against Jackson with Kafka Connect 4.3.1's entity classes). Jackson reads and
// binds in one pass, so whichever problem comes first in the text is the one reported; text
// after a complete value is ignored, as Jackson does. Integers beyond 2^53 are read as bigints
// (offsets are longs) and written back exactly.
import { ConnectRestError } from "../runtime/herder/errors.ts";

const SOURCE = "[Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); ";
const VALUE_EXPECTED = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";

/** A parsed JSON value with where it starts in the text (and, for containers, where it ends). */
type Node =
  | { kind: "object"; start: number; end: number | null; entries: Array<{ key: string; value: Node }> }
  | { kind: "array"; start: number; end: number | null; items: Node[] }
  | { kind: "string"; start: number; value: string }
  | { kind: "number"; start: number; text: string }
  | { kind: "boolean"; start: number; value: boolean }
  | { kind: "null"; start: number };

/** "line: L, column: C" of a character index, as Jackson counts (1-based). */
function location(text: string, index: number): string {
  let line = 1;
  let column = 1;
  for (let i = 0; i < index && i < text.length; i++) {
    if (text[i] === "\n") {
      line++;
      column = 1;
    } else column++;
  }
  return `line: ${line}, column: ${column}`;
}

class JsonProblem {
  readonly message: string;
  readonly index: number;
  /** Jackson's reference chain ("X["a"]->java.util.ArrayList[0]"), empty for syntax errors. */
  readonly chain: string;

  constructor(message: string, index: number, chain = "") {
    this.message = message;
    this.index = index;
    this.chain = chain;
  }

  toError(text: string): ConnectRestError {
    const suffix = this.chain === "" ? "" : ` (through reference chain: ${this.chain})`;
    return new ConnectRestError(500, `${this.message}\n at ${SOURCE}${location(text, this.index)}]${suffix}`);
  }
}

const describeChar = (c: string): string => `'${c}' (code ${c.charCodeAt(0)})`;

/** Parses as far as the text allows: the value (possibly cut short) and the first syntax problem. */
function parseNodes(text: string): { root: Node | null; problem: JsonProblem | null } {
  let i = 0;
  let problem: JsonProblem | null = null;
  const stop = (message: string, at = i): never => {
    problem = new JsonProblem(message, at);
    throw problem;
  };
  const ws = (): void => {
    while (i < text.length && " \t\r\n".includes(text[i] as string)) i++;
  };
  const value = (context: "root" | "Object" | "Array", attach: (n: Node) => void): void => {
    ws();
    if (i >= text.length) stop(context === "root" ? "No content to map due to end-of-input" : `Unexpected end-of-input within/between ${context} entries`);
    const c = text[i] as string;
    const start = i;
    if (c === "{") {
      const node: Node = { kind: "object", start, end: null, entries: [] };
      attach(node);
      i++;
      ws();
      if (i >= text.length) stop(`Unexpected end-of-input: expected close marker for Object (start marker at ${SOURCE}${location(text, start)}])`);
      if (text[i] === "}") {
        node.end = i++;
        return;
      }
      for (;;) {
        ws();
        if (i >= text.length) stop("Unexpected end-of-input within/between Object entries");
        if (text[i] !== '"') stop(`Unexpected character (${describeChar(text[i] as string)}): was expecting double-quote to start field name`);
        const key = string();
        ws();
        if (i >= text.length) stop("Unexpected end-of-input within/between Object entries");
        if (text[i] !== ":") stop(`Unexpected character (${describeChar(text[i] as string)}): was expecting a colon to separate field name and value`);
        i++;
        value("Object", (n) => node.entries.push({ key, value: n }));
        ws();
        if (i >= text.length) stop("Unexpected end-of-input within/between Object entries");
        if (text[i] === "}") {
          node.end = i++;
          return;
        }
        if (text[i] !== ",") stop(`Unexpected character (${describeChar(text[i] as string)}): was expecting comma to separate Object entries`);
        i++;
      }
    }
    if (c === "[") {
      const node: Node = { kind: "array", start, end: null, items: [] };
      attach(node);
      i++;
      ws();
      if (i >= text.length) stop(`Unexpected end-of-input: expected close marker for Array (start marker at ${SOURCE}${location(text, start)}])`);
      if (text[i] === "]") {
        node.end = i++;
        return;
      }
      for (;;) {
        value("Array", (n) => node.items.push(n));
        ws();
        if (i >= text.length) stop("Unexpected end-of-input within/between Array entries");
        if (text[i] === "]") {
          node.end = i++;
          return;
        }
        if (text[i] !== ",") stop(`Unexpected character (${describeChar(text[i] as string)}): was expecting comma to separate Array entries`);
        i++;
      }
    }
    if (c === '"') {
      attach({ kind: "string", start, value: string() });
      return;
    }
    if (c === "-" || (c >= "0" && c <= "9")) {
      const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
      if (!m || m[0] === "-") stop(`Unexpected character (${describeChar(text[i + 1] ?? " ")}) in numeric value: expected digit (0-9) to follow minus sign, for valid numeric value`, i + 1);
      const literal = (m as RegExpExecArray)[0];
      i += literal.length;
      attach({ kind: "number", start, text: literal });
      return;
    }
    const word = /^[A-Za-z0-9_$]+/.exec(text.slice(i))?.[0];
    if (word === "true" || word === "false") {
      i += word.length;
      attach({ kind: "boolean", start, value: word === "true" });
      return;
    }
    if (word === "null") {
      i += 4;
      attach({ kind: "null", start });
      return;
    }
    if (word) stop(`Unrecognized token '${word}': was expecting ${VALUE_EXPECTED}`);
    stop(`Unexpected character (${describeChar(c)}): expected a valid value ${VALUE_EXPECTED}`);
  };
  const string = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === "\\") i++;
      else if ((text.charCodeAt(i) as number) < 0x20) stop(`Illegal unquoted character ((CTRL-CHAR, code ${text.charCodeAt(i)})): has to be escaped using backslash to be included in string value`);
      i++;
    }
    if (i >= text.length) stop("Unexpected end-of-input: was expecting closing quote for a string value");
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return stop("Unrecognized character escape", start);
    }
  };
  let root: Node | null = null;
  try {
    value("root", (n) => (root = n));
  } catch (err) {
    if (!(err instanceof JsonProblem)) throw err;
  }
  return { root, problem };
}

/** The plain value of a node: numbers as numbers, integers past 2^53 as bigints. */
function plain(node: Node): unknown {
  switch (node.kind) {
    case "object":
      return Object.fromEntries(node.entries.map((e) => [e.key, plain(e.value)]));
    case "array":
      return node.items.map(plain);
    case "string":
      return node.value;
    case "number": {
      const n = Number(node.text);
      return /^-?\d+$/.test(node.text) && !Number.isSafeInteger(n) ? BigInt(node.text) : n;
    }
    case "boolean":
      return node.value;
    case "null":
      return null;
  }
}

/** A request body: the text, and how Jackson would bind it (see read*). */
export class JsonBody {
  readonly text: string;
  readonly #root: Node | null;
  readonly #problem: JsonProblem | null;

  constructor(text: string) {
    this.text = text;
    const { root, problem } = parseNodes(text);
    this.#root = root;
    this.#problem = problem;
  }

  /** Binds the body with `bind`; the first problem in the text, syntax or binding, is the one thrown. */
  bind<T>(bind: (root: Node) => T): T | null {
    let bindProblem: JsonProblem | null = null;
    let result: T | null = null;
    if (this.#root !== null) {
      try {
        result = bind(this.#root);
      } catch (err) {
        if (!(err instanceof JsonProblem)) throw err;
        bindProblem = err;
      }
    }
    const first = [bindProblem, this.#problem].filter((p): p is JsonProblem => p !== null).sort((a, b) => a.index - b.index)[0];
    if (first) throw first.toError(this.text);
    return result;
  }

  /** The body as plain JSON (for endpoints without an entity class); syntax problems throw. */
  value(): unknown {
    return this.bind((root) => plain(root));
  }
}

/** A parsed body; null for an empty one (Kafka then sees a null entity). */
export function parseJsonBody(text: string): JsonBody | null {
  return text.trim() === "" ? null : new JsonBody(text);
}

/** JSON text of a value; bigints are written as integer literals. */
export function stringifyJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON(v.toString()) : v));
}

// ---- Jackson's binding of the request entities ----

type Chain = readonly string[];
const chainText = (chain: Chain): string => chain.join("->");

function tokenDescription(node: Node): string {
  switch (node.kind) {
    case "object":
      return "Object value (token `JsonToken.START_OBJECT`)";
    case "array":
      return "Array value (token `JsonToken.START_ARRAY`)";
    case "string":
      return `String value ('${node.value}')`;
    case "number":
      return /^-?\d+$/.test(node.text) ? "Integer value (token `JsonToken.VALUE_NUMBER_INT`)" : "Floating-point value (token `JsonToken.VALUE_NUMBER_FLOAT`)";
    case "boolean":
      return `Boolean value (token \`JsonToken.VALUE_${node.value ? "TRUE" : "FALSE"}\`)`;
    case "null":
      return "Null value";
  }
}

/** Jackson's complaint about a value that cannot be a container (a Map or a List) of `javaType`. */
function notAContainer(node: Node, javaType: string, constructType: string, chain: Chain): JsonProblem {
  if (node.kind === "string") {
    return new JsonProblem(`Cannot construct instance of \`${constructType}\` (although at least one Creator exists): no String-argument constructor/factory method to deserialize from String value ('${node.value}')`, node.start, chainText(chain));
  }
  return new JsonProblem(`Cannot deserialize value of type \`${javaType}\` from ${tokenDescription(node)}`, node.start, chainText(chain));
}

/** Jackson's complaint about a value that cannot be a bean (an entity class with a creator). */
function notABean(node: Node, javaType: string, chain: Chain): JsonProblem {
  if (node.kind === "array") return new JsonProblem(`Cannot deserialize value of type \`${javaType}\` from Array value (token \`JsonToken.START_ARRAY\`)`, node.start, chainText(chain));
  const [argument, description] =
    node.kind === "string"
      ? ["String", `String value ('${node.value}')`]
      : node.kind === "boolean"
        ? ["boolean/Boolean", `boolean value (${node.value})`]
        : node.kind === "number" && /^-?\d+$/.test(node.text)
          ? ["int/Int", `Number value (${node.text})`]
          : ["double/Double", `Number value (${node.kind === "number" ? node.text : ""})`];
  return new JsonProblem(`Cannot construct instance of \`${javaType}\` (although at least one Creator exists): no ${argument}-argument constructor/factory method to deserialize from ${description}`, node.start, chainText(chain));
}

/** Jackson's String binding: scalars become their text (numbers as written), null stays null. */
function javaString(node: Node, chain: Chain): string | null {
  switch (node.kind) {
    case "string":
      return node.value;
    case "number":
      return node.text;
    case "boolean":
      return String(node.value);
    case "null":
      return null;
    default:
      throw new JsonProblem(`Cannot deserialize value of type \`java.lang.String\` from ${tokenDescription(node)}`, node.start, chainText(chain));
  }
}

/** An entity's field the class does not have: reported where Jackson reports it, at the object's end. */
function unknownField(node: Extract<Node, { kind: "object" }>, field: string, javaClass: string, known: readonly string[], chain: Chain, root: boolean): JsonProblem {
  const properties = known.length === 1 ? `one known property: "${known[0]}"` : `${known.length} known properties: ${known.map((k) => `"${k}"`).join(", ")}`;
  // Jackson has read past the object's closing brace (one more character at the root) by then.
  const at = (node.end ?? node.start) + (root ? 1 : 0);
  return new JsonProblem(`Unrecognized field "${field}" (class ${javaClass}), not marked as ignorable (${properties})`, at, chainText([...chain, `${javaClass}["${field}"]`]));
}

const STRING_MAP = "java.util.LinkedHashMap<java.lang.String,java.lang.String>";

function stringMap(node: Node, chain: Chain): Record<string, string | null> | null {
  if (node.kind === "null") return null;
  if (node.kind !== "object") throw notAContainer(node, STRING_MAP, "java.util.LinkedHashMap", chain);
  const out: Record<string, string | null> = {};
  for (const { key, value } of node.entries) out[key] = javaString(value, [...chain, `java.util.LinkedHashMap["${key}"]`]);
  return out;
}

/** A body read as Map<String, String> (connector configs, validate bodies, the logger level). */
export function readStringMap(body: JsonBody | null): Record<string, string | null> | null {
  return body === null ? null : body.bind((root) => stringMap(root, []));
}

const CREATE_REQUEST = "org.apache.kafka.connect.runtime.rest.entities.CreateConnectorRequest";

export type InitialState = "RUNNING" | "PAUSED" | "STOPPED";

export interface CreateConnectorRequest {
  name: string | null;
  config: Record<string, string | null> | null;
  initialState: InitialState | null;
}

/** POST /connectors body (Kafka's CreateConnectorRequest); null for an empty body. */
export function readCreateConnectorRequest(body: JsonBody | null): CreateConnectorRequest | null {
  if (body === null) return null;
  return body.bind((root) => {
    if (root.kind === "null") return null;
    if (root.kind !== "object") throw notABean(root, CREATE_REQUEST, []);
    const request: CreateConnectorRequest = { name: null, config: null, initialState: null };
    const known = ["config", "name", "initial_state"];
    for (const { key, value } of root.entries) {
      const chain = [`${CREATE_REQUEST}["${key}"]`];
      if (key === "name") request.name = javaString(value, chain);
      else if (key === "config") request.config = stringMap(value, chain);
      else if (key === "initial_state") {
        const state = javaString(value, chain);
        if (state === null) continue;
        const upper = state.toUpperCase();
        if (upper !== "RUNNING" && upper !== "PAUSED" && upper !== "STOPPED") {
          throw new JsonProblem(`Cannot construct instance of \`${CREATE_REQUEST}$InitialState\`, problem: No enum constant ${CREATE_REQUEST}.InitialState.${upper}`, value.start, chainText(chain));
        }
        request.initialState = upper;
      }
    }
    // Jackson buffers a creator's properties and complains of unknown ones once the object is read.
    const unknown = root.entries.find((e) => !known.includes(e.key));
    if (unknown && root.end !== null) throw unknownField(root, unknown.key, CREATE_REQUEST, known, [], true);
    return request;
  });
}

const OFFSETS_CLASS = "org.apache.kafka.connect.runtime.rest.entities.ConnectorOffsets";
const OFFSET_CLASS = "org.apache.kafka.connect.runtime.rest.entities.ConnectorOffset";
const OFFSET_LIST = `java.util.ArrayList<${OFFSET_CLASS}>`;

function objectMap(node: Node, chain: Chain): Record<string, unknown> | null {
  if (node.kind === "null") return null;
  if (node.kind !== "object") throw notAContainer(node, "java.util.LinkedHashMap<java.lang.String,java.lang.Object>", "java.util.LinkedHashMap", chain);
  return plain(node) as Record<string, unknown>;
}

export interface OffsetsRequest {
  offsets: Array<{ partition: Record<string, unknown> | null; offset: Record<string, unknown> | null }> | null;
}

/** PATCH /connectors/{name}/offsets body (Kafka's ConnectorOffsets); null for an empty body. */
export function readOffsetsRequest(body: JsonBody | null): OffsetsRequest | null {
  if (body === null) return null;
  return body.bind((root) => {
    if (root.kind === "null") return null;
    if (root.kind !== "object") throw notABean(root, OFFSETS_CLASS, []);
    const request: OffsetsRequest = { offsets: null };
    for (const { key, value } of root.entries) {
      if (key !== "offsets") continue;
      const chain = [`${OFFSETS_CLASS}["offsets"]`];
      if (value.kind === "null") continue;
      if (value.kind !== "array") throw notAContainer(value, OFFSET_LIST, "java.util.ArrayList", chain);
      request.offsets = value.items.map((item, index) => {
        const itemChain = [...chain, `java.util.ArrayList[${index}]`];
        if (item.kind !== "object") throw notABean(item, OFFSET_CLASS, itemChain);
        const entry: { partition: Record<string, unknown> | null; offset: Record<string, unknown> | null } = { partition: null, offset: null };
        for (const field of item.entries) {
          if (field.key === "partition") entry.partition = objectMap(field.value, [...itemChain, `${OFFSET_CLASS}["partition"]`]);
          else if (field.key === "offset") entry.offset = objectMap(field.value, [...itemChain, `${OFFSET_CLASS}["offset"]`]);
        }
        const unknown = item.entries.find((e) => e.key !== "partition" && e.key !== "offset");
        if (unknown && item.end !== null) throw unknownField(item, unknown.key, OFFSET_CLASS, ["partition", "offset"], itemChain, false);
        return entry;
      });
    }
    const unknown = root.entries.find((e) => e.key !== "offsets");
    if (unknown && root.end !== null) throw unknownField(root, unknown.key, OFFSETS_CLASS, ["offsets"], [], true);
    return request;
  });
}

/** A body read as List<Map<String, String>> (internal task config requests). */
export function readStringMapList(body: JsonBody | null): Array<Record<string, string>> | null {
  if (body === null) return null;
  return body.bind((root) => {
    if (root.kind === "null") return null;
    const listType = `java.util.ArrayList<java.util.Map<java.lang.String,java.lang.String>>`;
    if (root.kind !== "array") throw notAContainer(root, listType, "java.util.ArrayList", []);
    return root.items.map((item, index) => {
      const map = stringMap(item, [`java.util.ArrayList[${index}]`]) ?? {};
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(map)) if (v !== null) out[k] = v;
      return out;
    });
  });
}

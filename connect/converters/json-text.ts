// JSON text as Kafka's JsonConverter (Jackson 2.21) writes and reads it: the string escaping,
// strict base64, and a parse that keeps the exact text of numbers when a double would lose it.
import { DataException } from "../api/index.ts";

// Jackson escapes `"`, `\`, the control characters (short forms for \b \t \n \f \r, \u00XX
// with upper-case hex for the others) and, since its generator writes Java strings char by
// char, each UTF-16 surrogate (so an emoji becomes "\uD83D\uDE00"). Nothing else: not "/",
// not U+2028, not other non-ASCII characters.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;
const SHORT_ESCAPES: Record<number, string> = { 8: "\\b", 9: "\\t", 10: "\\n", 12: "\\f", 13: "\\r", 34: '\\"', 92: "\\\\" };

/** A JSON string literal, escaped exactly as Jackson escapes it. */
export function jsonString(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return `"${text}"`;
  let out = '"';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x20 && code !== 34 && code !== 92 && (code < 0xd800 || code > 0xdfff)) continue;
    out += text.slice(start, i) + (SHORT_ESCAPES[code] ?? `\\u${code.toString(16).toUpperCase().padStart(4, "0")}`);
    start = i + 1;
  }
  return `${out}${text.slice(start)}"`;
}

// Jackson reads base64 with its MIME-NO-LINEFEEDS variant: standard alphabet, padding
// required, no white space.
const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decodes base64 text as strictly as Jackson does; null when the text is not valid base64. */
export function decodeBase64Strict(text: string): Buffer | null {
  return STRICT_BASE64.test(text) ? Buffer.from(text, "base64") : null;
}

/** A JSON number kept as its source text (exact parses only). */
export class RawNumber {
  readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  /** Whether the text is an integer literal (no fraction, no exponent): Jackson's integral nodes. */
  get integral(): boolean {
    return !/[.eE]/.test(this.text);
  }
}

/** A parsed JSON value: what JSON.parse returns, with RawNumbers in exact parses. */
export type JsonNode = null | boolean | number | RawNumber | string | JsonNode[] | { [key: string]: JsonNode };

type ReviverWithSource = (this: unknown, key: string, value: unknown, context?: { source?: string }) => unknown;

const keepNumberText: ReviverWithSource = (_key, value, context) =>
  typeof value === "number" && context?.source !== undefined ? new RawNumber(context.source) : value;

/**
 * Parses JSON text. With exact, every number is a RawNumber holding its source text (Node's
 * JSON.parse source access), for int64 values past 2^53 and decimals whose digits matter.
 */
export function parseJson(text: string, exact: boolean): JsonNode {
  try {
    return (exact ? JSON.parse(text, keepNumberText as Parameters<typeof JSON.parse>[1]) : JSON.parse(text)) as JsonNode;
  } catch (e) {
    throw new DataException(`Converting byte[] to Kafka Connect data failed due to serialization error: ${(e as Error).message}`, { cause: e });
  }
}

/** True when a double could not hold a number of this text exactly (16 or more digits in a row). */
export function mayNeedExactNumbers(text: string): boolean {
  return /\d{16}/.test(text);
}

/** Jackson's JsonNodeType name of a value, for error messages. */
export function jsonNodeType(node: JsonNode | undefined): string {
  if (node === undefined) return "MISSING";
  if (node === null) return "NULL";
  if (Array.isArray(node)) return "ARRAY";
  if (node instanceof RawNumber) return "NUMBER";
  switch (typeof node) {
    case "boolean":
      return "BOOLEAN";
    case "number":
      return "NUMBER";
    case "string":
      return "STRING";
    default:
      return "OBJECT";
  }
}

/**
 * Splits `{"schema":<object or null>,"payload":<text>}` as Kafka's converter writes it (no white
 * space) into the schema's text and the payload's text without parsing them, so that a cached
 * schema costs nothing on the next record. null when the text is not in exactly that form (the
 * caller then parses it as a whole, and reports what is wrong with it).
 */
export function splitEnvelope(text: string): { schemaText: string; payloadText: string } | null {
  const prefix = '{"schema":';
  if (!text.startsWith(prefix)) return null;
  let end: number;
  if (text.startsWith("null", prefix.length)) {
    end = prefix.length + 4;
  } else {
    if (text[prefix.length] !== "{") return null;
    let depth = 0;
    let inString = false;
    end = -1;
    for (let i = prefix.length; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (inString) {
        if (c === 92) i++;
        else if (c === 34) inString = false;
      } else if (c === 34) {
        inString = true;
      } else if (c === 123 || c === 91) {
        depth++;
      } else if (c === 125 || c === 93) {
        depth--;
        if (depth === 0) {
          end = i + 1;
          break;
        }
      }
    }
    if (end < 0) return null;
  }
  const middle = ',"payload":';
  if (!text.startsWith(middle, end) || !text.endsWith("}")) return null;
  return { schemaText: text.slice(prefix.length, end), payloadText: text.slice(end + middle.length, -1) };
}

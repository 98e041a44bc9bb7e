// JSON values as the serdes need them: schema attributes and default values keep each number's
// text (a long default past 2^53, a double written "1.0"), and printing is compact with
// Jackson's string escaping, as the Java serdes print schemas.
import { jsonString, RawNumber } from "../../connect/converters/json-text.ts";

export { RawNumber };

/** A JSON value whose numbers are RawNumbers (their exact text). Objects keep insertion order. */
export type JsonValue = null | boolean | string | RawNumber | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

type ReviverWithSource = (this: unknown, key: string, value: unknown, context?: { source?: string }) => unknown;

const keepNumberText: ReviverWithSource = (_key, value, context) =>
  typeof value === "number" && context?.source !== undefined ? new RawNumber(context.source) : value;

/** Parses JSON text keeping every number's text; throws SyntaxError on bad JSON. */
export function parseJsonExact(text: string): JsonValue {
  return JSON.parse(text, keepNumberText as Parameters<typeof JSON.parse>[1]) as JsonValue;
}

/** A JSON number from a JavaScript number or bigint (integers as digits, others as JavaScript prints them). */
export function jsonNumber(value: number | bigint | string): RawNumber {
  return new RawNumber(typeof value === "string" ? value : value.toString());
}

export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof RawNumber);
}

/** Compact JSON text, Jackson's escaping, numbers as their kept text. */
export function writeJson(value: JsonValue): string {
  if (value === null) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "string") return jsonString(value);
  if (value instanceof RawNumber) return value.text;
  if (Array.isArray(value)) return `[${value.map(writeJson).join(",")}]`;
  const parts: string[] = [];
  for (const [k, v] of Object.entries(value)) parts.push(`${jsonString(k)}:${writeJson(v)}`);
  return `{${parts.join(",")}}`;
}

/** The number a JSON number holds (NaN for text that is not one). */
export function numberOf(value: JsonValue | undefined): number {
  return value instanceof RawNumber ? Number(value.text) : Number.NaN;
}

/** Deep equality of two JSON values (numbers by value). */
export function jsonEquals(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (a instanceof RawNumber || b instanceof RawNumber) return a instanceof RawNumber && b instanceof RawNumber && Number(a.text) === Number(b.text);
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEquals(x, b[i]));
  }
  if (isJsonObject(a) && isJsonObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && jsonEquals(a[k], b[k]));
  }
  return false;
}

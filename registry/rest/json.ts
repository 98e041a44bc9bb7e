// JSON in and out of the registry's REST API, shaped as Confluent's (Jersey + Jackson):
//
// - bodies that are not JSON answer 400 with Jackson's parser message (rest-utils'
//   JsonParseExceptionMapper), bodies of the wrong shape 400 with a Jackson binding message
//   (JsonMappingExceptionMapper), a missing body 422 (bean validation of @NotNull);
// - unknown members are ignored, and scalars are coerced the way Jackson coerces them (a number
//   where a string is expected, "5" where an int is);
// - answers are written member by member in the entity classes' order, absent members left out.
import { RegistryError } from "../errors.ts";
import type { SchemaReference } from "../formats/types.ts";
import { jacksonString, RecordFormatError, readMetadata, readRuleSet, type SchemaMetadata, type SchemaRuleSet } from "../store/records.ts";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A value already encoded as JSON text (metadata and rule sets, encoded as the records are). */
export class RawJson {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}

export type Writable = null | undefined | boolean | number | string | RawJson | readonly Writable[] | { readonly [key: string]: Writable };

/** Writes a value; object members that are undefined are left out, in insertion order. */
export function writeJson(value: Writable): string {
  if (value === null || value === undefined) return "null";
  if (value instanceof RawJson) return value.text;
  if (typeof value === "string") return jacksonString(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map((v: Writable) => writeJson(v)).join(",")}]`;
  const parts: string[] = [];
  for (const [k, v] of Object.entries(value as { readonly [key: string]: Writable })) if (v !== undefined) parts.push(`${jacksonString(k)}:${writeJson(v)}`);
  return `{${parts.join(",")}}`;
}

const badRequest = (message: string): RegistryError => new RegistryError(400, 400, message);
const VALUE_EXPECTED = "expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')";

function describeChar(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  const shown = code < 32 ? `(CTRL-CHAR, code ${code})` : `'${c}' (code ${code})`;
  return shown.startsWith("(") ? shown : `(${shown})`;
}

/** Jackson's words (its parser's original message) for the first problem JSON.parse found. */
function parseProblem(text: string, err: Error): string {
  const first = text.search(/\S/);
  if (first === -1) return "No content to map due to end-of-input";
  const position = /at position (\d+)/.exec(err.message);
  const at = position ? Number(position[1]) : /Unexpected token/.test(err.message) ? first : -1;
  const c = at >= 0 ? text[at] : undefined;
  if (c === undefined || /end of JSON input|Unterminated string/.test(err.message)) return "Unexpected end-of-input: expected close marker for Object";
  if (/Expected property name/.test(err.message)) return `Unexpected character ${describeChar(c)}: was expecting double-quote to start field name`;
  if (/Expected ',' or '}'/.test(err.message)) return `Unexpected character ${describeChar(c)}: was expecting comma to separate Object entries`;
  if (/Expected ',' or ']'/.test(err.message)) return `Unexpected character ${describeChar(c)}: was expecting comma to separate Array entries`;
  if (/Expected ':'/.test(err.message)) return `Unexpected character ${describeChar(c)}: was expecting a colon to separate field name and value`;
  if (/[A-Za-z]/.test(c)) {
    const token = /^[A-Za-z0-9_$]+/.exec(text.slice(at))?.[0] ?? c;
    return `Unrecognized token '${token}': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')`;
  }
  return `Unexpected character ${describeChar(c)}: ${VALUE_EXPECTED}`;
}

/** Parses a request body; undefined when there is none (the handler answers 422 where one is required). */
export function parseBody(text: string | undefined): Json | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as Json;
  } catch (err) {
    // Jackson stops at the end of the first value and ignores what follows it.
    const trailing = /non-whitespace character after JSON at position (\d+)/.exec((err as Error).message);
    if (trailing) return JSON.parse(text.slice(0, Number(trailing[1]))) as Json;
    throw badRequest(parseProblem(text, err as Error));
  }
}

/** Bean validation's answer to a missing required body. */
export function missingBody(): RegistryError {
  return new RegistryError(422, 422, "Request body must not be null");
}

function jsonTypeName(v: Json): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "Array value (token `JsonToken.START_ARRAY`)";
  switch (typeof v) {
    case "object":
      return "Object value (token `JsonToken.START_OBJECT`)";
    case "string":
      return `String "${v}"`;
    case "boolean":
      return `Boolean value (token \`JsonToken.VALUE_${v ? "TRUE" : "FALSE"}\`)`;
    default:
      return `Number value (token \`JsonToken.VALUE_NUMBER_${Number.isInteger(v) ? "INT" : "FLOAT"}\`)`;
  }
}

const mismatch = (javaType: string, v: Json): RegistryError => badRequest(`Cannot deserialize value of type \`${javaType}\` from ${jsonTypeName(v)}`);

/** The body as an object (an entity); 400 for any other JSON value. */
export function readObject(body: Json | undefined, entity: string): Record<string, Json> {
  if (body === undefined) throw missingBody();
  if (body === null) throw missingBody();
  if (typeof body !== "object" || Array.isArray(body)) throw mismatch(entity, body);
  return body;
}

/** A string member as Jackson binds it: scalars are written as text, containers refused. */
export function readString(o: Record<string, Json>, name: string): string | undefined {
  const v = o[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  throw mismatch("java.lang.String", v);
}

export function readInt(o: Record<string, Json>, name: string): number | undefined {
  const v = o[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v === "number" && Number.isInteger(v) && Math.abs(v) <= 2 ** 31) return v;
  if (typeof v === "string" && /^\s*[+-]?\d+\s*$/.test(v) && Math.abs(Number(v)) <= 2 ** 31) return Number(v);
  if (typeof v === "string") throw badRequest(`Cannot deserialize value of type \`java.lang.Integer\` from String "${v}": not a valid \`java.lang.Integer\` value`);
  throw mismatch("java.lang.Integer", v);
}

export function readBoolean(o: Record<string, Json>, name: string): boolean | undefined {
  const v = o[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v === "boolean") return v;
  if (v === "true" || v === "false") return v === "true";
  if (typeof v === "number" && (v === 0 || v === 1)) return v === 1;
  throw mismatch("java.lang.Boolean", v);
}

function readReferences(o: Record<string, Json>): SchemaReference[] | undefined {
  const v = o["references"];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw mismatch("java.util.ArrayList<io.confluent.kafka.schemaregistry.client.rest.entities.SchemaReference>", v);
  return v.map((r) => {
    const ref = readObject(r, "io.confluent.kafka.schemaregistry.client.rest.entities.SchemaReference");
    const name = readString(ref, "name");
    const subject = readString(ref, "subject");
    const version = readInt(ref, "version");
    // Confluent's entity validation refuses a reference without its parts.
    if (name === undefined || subject === undefined || version === undefined) {
      throw new RegistryError(422, 42201, "Invalid reference: name, subject and version are required");
    }
    return { name, subject, version };
  });
}

function readData<T>(read: () => T, code: number): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof RecordFormatError) throw new RegistryError(code === 42210 ? 422 : 400, code, err.message);
    throw err;
  }
}

export function readMetadataMember(o: Record<string, Json>, name: string): SchemaMetadata | null | undefined {
  if (o[name] === undefined) return undefined;
  return readData(() => readMetadata(o[name], name), 400);
}

export function readRuleSetMember(o: Record<string, Json>, name: string): SchemaRuleSet | null | undefined {
  if (o[name] === undefined) return undefined;
  return readData(() => readRuleSet(o[name], name), 42210);
}

export interface ParsedSchemaRequest {
  readonly schema?: string;
  readonly schemaType?: string;
  readonly references?: SchemaReference[];
  readonly metadata?: SchemaMetadata | null;
  readonly ruleSet?: SchemaRuleSet | null;
  readonly id?: number;
  readonly version?: number;
}

/** Confluent's RegisterSchemaRequest. */
export function readSchemaRequest(body: Json | undefined): ParsedSchemaRequest {
  const o = readObject(body, "io.confluent.kafka.schemaregistry.client.rest.entities.requests.RegisterSchemaRequest");
  const schema = readString(o, "schema");
  const schemaType = readString(o, "schemaType");
  const references = readReferences(o);
  const metadata = readMetadataMember(o, "metadata");
  const ruleSet = readRuleSetMember(o, "ruleSet");
  const id = readInt(o, "id");
  const version = readInt(o, "version");
  return {
    ...(schema !== undefined ? { schema } : {}),
    ...(schemaType !== undefined ? { schemaType } : {}),
    ...(references !== undefined ? { references } : {}),
    ...(metadata !== undefined ? { metadata } : {}),
    ...(ruleSet !== undefined ? { ruleSet } : {}),
    ...(id !== undefined ? { id } : {}),
    ...(version !== undefined ? { version } : {}),
  };
}

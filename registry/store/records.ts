// The records of the `_schemas` topic, byte for byte as Confluent's KafkaStore writes them (its
// SchemaRegistrySerializer: Jackson's ObjectMapper over the key and value classes), so that the
// hub can start on a topic a Confluent Schema Registry wrote, and Confluent on one the hub wrote.
//
// Keys are JSON objects with a `keytype` and a `magic`, properties in the classes' declared
// order; null members are left out (the classes are @JsonInclude(NON_EMPTY)), so the global
// config and mode keys have no `subject`. Values are JSON objects (null: a tombstone); Jackson
// writes creator properties first, in the constructor's order, and leaves out null and empty
// members: `schemaType` is absent for AVRO, `references` when there are none.
//
// Decoding is lenient the way Jackson is configured there (ignoreUnknown): unknown properties are
// ignored (newer Confluent versions add some), a key of an unknown `keytype` decodes to null so
// the state skips it, and the older spellings (a global key with `"subject":null`) are accepted.
import { SCHEMA_TYPES, type SchemaReference, type SchemaType } from "../formats/types.ts";

export const KEY_TYPES = ["SCHEMA", "CONFIG", "MODE", "NOOP", "DELETE_SUBJECT", "CLEAR_SUBJECT"] as const;
export type KeyType = (typeof KEY_TYPES)[number];

export const MODES = ["READWRITE", "READONLY", "READONLY_OVERRIDE", "IMPORT"] as const;
export type Mode = (typeof MODES)[number];

export const COMPATIBILITY_LEVELS = [
  "NONE",
  "BACKWARD",
  "BACKWARD_TRANSITIVE",
  "FORWARD",
  "FORWARD_TRANSITIVE",
  "FULL",
  "FULL_TRANSITIVE",
] as const;
export type CompatibilityLevel = (typeof COMPATIBILITY_LEVELS)[number];

// ---- keys ----------------------------------------------------------------------------------

/** A subject-scoped key: `subject` null means the global (registry-wide) setting. */
export type RegistryKey =
  | { readonly keytype: "SCHEMA"; readonly subject: string; readonly version: number; readonly magic: number }
  | { readonly keytype: "CONFIG"; readonly subject: string | null; readonly magic: number }
  | { readonly keytype: "MODE"; readonly subject: string | null; readonly magic: number }
  | { readonly keytype: "DELETE_SUBJECT"; readonly subject: string; readonly magic: number }
  | { readonly keytype: "CLEAR_SUBJECT"; readonly subject: string | null; readonly magic: number }
  | { readonly keytype: "NOOP"; readonly magic: number };

/** Confluent's magic numbers: SCHEMA keys are at 1 since the `deleted` flag came in, the rest at 0. */
export const schemaKey = (subject: string, version: number): RegistryKey => ({ keytype: "SCHEMA", subject, version, magic: 1 });
export const configKey = (subject: string | null): RegistryKey => ({ keytype: "CONFIG", subject, magic: 0 });
export const modeKey = (subject: string | null): RegistryKey => ({ keytype: "MODE", subject, magic: 0 });
export const deleteSubjectKey = (subject: string): RegistryKey => ({ keytype: "DELETE_SUBJECT", subject, magic: 0 });
export const clearSubjectKey = (subject: string | null): RegistryKey => ({ keytype: "CLEAR_SUBJECT", subject, magic: 0 });
export const noopKey = (): RegistryKey => ({ keytype: "NOOP", magic: 0 });

// ---- values --------------------------------------------------------------------------------

/** Data-contract metadata (Confluent's Metadata): sorted maps and sets, empty members left out. */
export interface SchemaMetadata {
  readonly tags?: Readonly<Record<string, readonly string[]>>;
  readonly properties?: Readonly<Record<string, string>>;
  readonly sensitive?: readonly string[];
}

export interface SchemaRule {
  readonly name?: string;
  readonly doc?: string;
  readonly kind?: string;
  readonly mode?: string;
  readonly type?: string;
  readonly tags?: readonly string[];
  readonly params?: Readonly<Record<string, string>>;
  readonly expr?: string;
  readonly onSuccess?: string;
  readonly onFailure?: string;
  readonly disabled: boolean;
}

export interface SchemaRuleSet {
  readonly migrationRules?: readonly SchemaRule[];
  readonly domainRules?: readonly SchemaRule[];
  readonly encodingRules?: readonly SchemaRule[];
}

export interface SchemaValue {
  readonly subject: string;
  readonly version: number;
  readonly id: number;
  readonly schemaType: SchemaType;
  readonly references: readonly SchemaReference[];
  readonly metadata: SchemaMetadata | null;
  readonly ruleSet: SchemaRuleSet | null;
  readonly schema: string;
  readonly deleted: boolean;
}

/** A config record (Confluent's ConfigValue); every member is optional (a PUT merges into the old one). */
export interface ConfigValue {
  readonly alias?: string;
  readonly normalize?: boolean;
  readonly validateFields?: boolean;
  readonly compatibilityLevel?: CompatibilityLevel;
  readonly compatibilityGroup?: string;
  readonly defaultMetadata?: SchemaMetadata;
  readonly overrideMetadata?: SchemaMetadata;
  readonly defaultRuleSet?: SchemaRuleSet;
  readonly overrideRuleSet?: SchemaRuleSet;
}

export type RegistryValue =
  | { readonly keytype: "SCHEMA"; readonly value: SchemaValue }
  | { readonly keytype: "CONFIG"; readonly value: ConfigValue }
  | { readonly keytype: "MODE"; readonly value: { readonly mode: Mode } }
  | { readonly keytype: "DELETE_SUBJECT"; readonly value: { readonly subject: string; readonly version: number } }
  | { readonly keytype: "CLEAR_SUBJECT"; readonly value: { readonly subject: string | null } }
  | { readonly keytype: "NOOP"; readonly value: null };

/** A record that is not in Confluent's format (the state skips it, as Confluent's reader does). */
export class RecordFormatError extends Error {
  override name = "RecordFormatError";
}

// ---- JSON writing as Jackson does it ---------------------------------------------------------

/**
 * A JSON string as Jackson writes it: JSON.stringify's escapes, except that Jackson spells the
 * \u00XX escapes of control characters in upper case.
 */
export function jacksonString(s: string): string {
  return JSON.stringify(s).replace(/(\\+)u00([0-9a-f]{2})/g, (all, slashes: string, hex: string) =>
    slashes.length % 2 === 1 ? `${slashes}u00${hex.toUpperCase()}` : all,
  );
}

type Member = readonly [string, string | undefined];

/** Writes the members whose encoded value is defined, in the given order. */
function object(members: readonly Member[]): string {
  const parts: string[] = [];
  for (const [name, encoded] of members) if (encoded !== undefined) parts.push(`${jacksonString(name)}:${encoded}`);
  return `{${parts.join(",")}}`;
}

const str = (s: string | null | undefined): string | undefined => (s === null || s === undefined || s === "" ? undefined : jacksonString(s));
const int = (n: number | null | undefined): string | undefined => (n === null || n === undefined ? undefined : String(Math.trunc(n)));
const bool = (b: boolean | null | undefined): string | undefined => (b === null || b === undefined ? undefined : String(b));
const stringArray = (a: readonly string[] | undefined): string | undefined => (a === undefined || a.length === 0 ? undefined : `[${a.map(jacksonString).join(",")}]`);
/** A Java SortedSet<String>: unique, in String.compareTo order (UTF-16 code units, as JS sorts). */
const sortedSet = (a: readonly string[] | undefined): string[] | undefined => (a === undefined ? undefined : [...new Set(a)].sort());

function sortedKeys(record: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(record).sort();
}

function stringMap(m: Readonly<Record<string, string>> | undefined): string | undefined {
  if (m === undefined) return undefined;
  const keys = sortedKeys(m);
  return keys.length === 0 ? undefined : `{${keys.map((k) => `${jacksonString(k)}:${jacksonString(m[k] ?? "")}`).join(",")}}`;
}

function setMap(m: Readonly<Record<string, readonly string[]>> | undefined): string | undefined {
  if (m === undefined) return undefined;
  const keys = sortedKeys(m);
  return keys.length === 0 ? undefined : `{${keys.map((k) => `${jacksonString(k)}:[${(sortedSet(m[k]) ?? []).map(jacksonString).join(",")}]`).join(",")}}`;
}

export function encodeMetadata(m: SchemaMetadata | null | undefined): string | undefined {
  if (m === null || m === undefined) return undefined;
  const encoded = object([
    ["tags", setMap(m.tags)],
    ["properties", stringMap(m.properties)],
    ["sensitive", stringArray(sortedSet(m.sensitive))],
  ]);
  return encoded === "{}" ? undefined : encoded;
}

function encodeRule(r: SchemaRule): string {
  return object([
    ["name", str(r.name)],
    ["doc", str(r.doc)],
    ["kind", str(r.kind)],
    ["mode", str(r.mode)],
    ["type", str(r.type)],
    ["tags", stringArray(sortedSet(r.tags))],
    ["params", stringMap(r.params)],
    ["expr", str(r.expr)],
    ["onSuccess", str(r.onSuccess)],
    ["onFailure", str(r.onFailure)],
    ["disabled", bool(r.disabled)],
  ]);
}

const rules = (list: readonly SchemaRule[] | undefined): string | undefined => (list === undefined || list.length === 0 ? undefined : `[${list.map(encodeRule).join(",")}]`);

export function encodeRuleSet(r: SchemaRuleSet | null | undefined): string | undefined {
  if (r === null || r === undefined) return undefined;
  const encoded = object([
    ["migrationRules", rules(r.migrationRules)],
    ["domainRules", rules(r.domainRules)],
    ["encodingRules", rules(r.encodingRules)],
  ]);
  return encoded === "{}" ? undefined : encoded;
}

const references = (refs: readonly SchemaReference[]): string | undefined =>
  refs.length === 0
    ? undefined
    : `[${refs.map((r) => object([["name", str(r.name)], ["subject", str(r.subject)], ["version", int(r.version)]])).join(",")}]`;

export function encodeKey(key: RegistryKey): Buffer {
  let text: string;
  switch (key.keytype) {
    case "SCHEMA":
      text = object([["keytype", jacksonString(key.keytype)], ["subject", str(key.subject)], ["version", int(key.version)], ["magic", int(key.magic)]]);
      break;
    case "NOOP":
      text = object([["keytype", jacksonString(key.keytype)], ["magic", int(key.magic)]]);
      break;
    default:
      text = object([["keytype", jacksonString(key.keytype)], ["subject", str(key.subject)], ["magic", int(key.magic)]]);
  }
  return Buffer.from(text, "utf8");
}

export function encodeSchemaValue(v: SchemaValue): string {
  return object([
    ["subject", str(v.subject)],
    ["version", int(v.version)],
    ["id", int(v.id)],
    ["schemaType", v.schemaType === "AVRO" ? undefined : jacksonString(v.schemaType)],
    ["references", references(v.references)],
    ["metadata", encodeMetadata(v.metadata)],
    ["ruleSet", encodeRuleSet(v.ruleSet)],
    ["schema", str(v.schema)],
    ["deleted", bool(v.deleted)],
  ]);
}

export function encodeConfigValue(subject: string | null, v: ConfigValue): string {
  return object([
    ["subject", str(subject)],
    ["alias", str(v.alias)],
    ["normalize", bool(v.normalize)],
    ["validateFields", bool(v.validateFields)],
    ["compatibilityLevel", str(v.compatibilityLevel)],
    ["compatibilityGroup", str(v.compatibilityGroup)],
    ["defaultMetadata", encodeMetadata(v.defaultMetadata)],
    ["overrideMetadata", encodeMetadata(v.overrideMetadata)],
    ["defaultRuleSet", encodeRuleSet(v.defaultRuleSet)],
    ["overrideRuleSet", encodeRuleSet(v.overrideRuleSet)],
  ]);
}

/** The value bytes of a record under `key` (null: a tombstone). */
export function encodeValue(key: RegistryKey, value: RegistryValue | null): Buffer | null {
  if (value === null) return null;
  if (value.keytype !== key.keytype) throw new RecordFormatError(`a ${value.keytype} value under a ${key.keytype} key`);
  const subject = key.keytype === "NOOP" ? null : key.subject;
  let text: string;
  switch (value.keytype) {
    case "SCHEMA":
      text = encodeSchemaValue(value.value);
      break;
    case "CONFIG":
      text = encodeConfigValue(subject, value.value);
      break;
    case "MODE":
      text = object([["subject", str(subject)], ["mode", jacksonString(value.value.mode)]]);
      break;
    case "DELETE_SUBJECT":
      text = object([["subject", str(value.value.subject)], ["version", int(value.value.version)]]);
      break;
    case "CLEAR_SUBJECT":
      text = object([["subject", str(value.value.subject)]]);
      break;
    case "NOOP":
      return null;
  }
  return Buffer.from(text, "utf8");
}

// ---- reading ---------------------------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function parseObject(bytes: Buffer, what: string): Record<string, Json> {
  let parsed: Json;
  try {
    parsed = JSON.parse(bytes.toString("utf8")) as Json;
  } catch (err) {
    throw new RecordFormatError(`${what} is not JSON: ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new RecordFormatError(`${what} is not a JSON object`);
  return parsed;
}

function optionalString(o: Record<string, Json>, name: string, what: string): string | null {
  const v = o[name];
  if (v === undefined || v === null) return null;
  if (typeof v !== "string") throw new RecordFormatError(`${what}: '${name}' is not a string`);
  return v;
}

function requiredString(o: Record<string, Json>, name: string, what: string): string {
  const v = optionalString(o, name, what);
  if (v === null) throw new RecordFormatError(`${what}: '${name}' is missing`);
  return v;
}

function optionalInt(o: Record<string, Json>, name: string, what: string): number | null {
  const v = o[name];
  if (v === undefined || v === null) return null;
  // Jackson reads "1" into an int too.
  const n = typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== "number" || !Number.isInteger(n)) throw new RecordFormatError(`${what}: '${name}' is not an integer`);
  return n;
}

function requiredInt(o: Record<string, Json>, name: string, what: string): number {
  const v = optionalInt(o, name, what);
  if (v === null) throw new RecordFormatError(`${what}: '${name}' is missing`);
  return v;
}

function optionalBool(o: Record<string, Json>, name: string, what: string): boolean | undefined {
  const v = o[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v === "boolean") return v;
  if (v === "true" || v === "false") return v === "true";
  throw new RecordFormatError(`${what}: '${name}' is not a boolean`);
}

/** The subject of a subject-scoped key: absent, null or "" is the global scope. */
function scope(o: Record<string, Json>, what: string): string | null {
  const s = optionalString(o, "subject", what);
  return s === null || s === "" ? null : s;
}

/** Decodes a key; null for a key type this registry does not know (skipped, not an error). */
export function decodeKey(bytes: Buffer): RegistryKey | null {
  const o = parseObject(bytes, "key");
  const keytype = o["keytype"];
  if (typeof keytype !== "string") throw new RecordFormatError("key: 'keytype' is missing");
  const magic = optionalInt(o, "magic", "key") ?? 0;
  switch (keytype) {
    case "SCHEMA": {
      if (magic !== 0 && magic !== 1) throw new RecordFormatError(`key: can't deserialize schema for the magic byte ${magic}`);
      return { keytype, subject: requiredString(o, "subject", "SCHEMA key"), version: requiredInt(o, "version", "SCHEMA key"), magic };
    }
    case "CONFIG":
    case "MODE":
    case "CLEAR_SUBJECT":
      return { keytype, subject: scope(o, `${keytype} key`), magic };
    case "DELETE_SUBJECT":
      return { keytype, subject: requiredString(o, "subject", "DELETE_SUBJECT key"), magic };
    case "NOOP":
      return { keytype, magic };
    default:
      return null;
  }
}

function readStringMap(v: Json | undefined, what: string): Record<string, string> | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "object" || Array.isArray(v)) throw new RecordFormatError(`${what} is not an object`);
  const out: Record<string, string> = {};
  for (const k of Object.keys(v).sort()) {
    const e = v[k];
    if (e === null || e === undefined) continue;
    if (typeof e !== "string" && typeof e !== "number" && typeof e !== "boolean") throw new RecordFormatError(`${what}.${k} is not a string`);
    out[k] = String(e);
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

function readStringSet(v: Json | undefined, what: string): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw new RecordFormatError(`${what} is not an array`);
  const set = new Set<string>();
  for (const e of v) {
    if (typeof e !== "string") throw new RecordFormatError(`${what} holds a non-string`);
    set.add(e);
  }
  return set.size === 0 ? undefined : [...set].sort();
}

/** Reads Confluent metadata leniently into its canonical shape (sorted, empty members dropped); null when empty. */
export function readMetadata(v: unknown, what = "metadata"): SchemaMetadata | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== "object" || Array.isArray(v)) throw new RecordFormatError(`${what} is not an object`);
  const o = v as Record<string, Json>;
  let tags: Record<string, string[]> | undefined;
  const rawTags = o["tags"];
  if (rawTags !== undefined && rawTags !== null) {
    if (typeof rawTags !== "object" || Array.isArray(rawTags)) throw new RecordFormatError(`${what}.tags is not an object`);
    tags = {};
    for (const k of Object.keys(rawTags).sort()) tags[k] = readStringSet(rawTags[k], `${what}.tags.${k}`) ?? [];
    if (Object.keys(tags).length === 0) tags = undefined;
  }
  const properties = readStringMap(o["properties"], `${what}.properties`);
  const sensitive = readStringSet(o["sensitive"], `${what}.sensitive`);
  const m: SchemaMetadata = { ...(tags ? { tags } : {}), ...(properties ? { properties } : {}), ...(sensitive ? { sensitive } : {}) };
  return Object.keys(m).length === 0 ? null : m;
}

function readRule(v: Json, what: string): SchemaRule {
  if (v === null || typeof v !== "object" || Array.isArray(v)) throw new RecordFormatError(`${what} is not an object`);
  const text = (name: string): string | undefined => optionalString(v, name, what) ?? undefined;
  const tags = readStringSet(v["tags"], `${what}.tags`);
  const params = readStringMap(v["params"], `${what}.params`);
  const r: SchemaRule = {
    ...(text("name") !== undefined ? { name: text("name") } : {}),
    ...(text("doc") !== undefined ? { doc: text("doc") } : {}),
    ...(text("kind") !== undefined ? { kind: text("kind") } : {}),
    ...(text("mode") !== undefined ? { mode: text("mode") } : {}),
    ...(text("type") !== undefined ? { type: text("type") } : {}),
    ...(tags ? { tags } : {}),
    ...(params ? { params } : {}),
    ...(text("expr") !== undefined ? { expr: text("expr") } : {}),
    ...(text("onSuccess") !== undefined ? { onSuccess: text("onSuccess") } : {}),
    ...(text("onFailure") !== undefined ? { onFailure: text("onFailure") } : {}),
    disabled: optionalBool(v, "disabled", what) ?? false,
  };
  return r;
}

function readRules(v: Json | undefined, what: string): SchemaRule[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw new RecordFormatError(`${what} is not an array`);
  const list = v.map((r, i) => readRule(r, `${what}[${i}]`));
  return list.length === 0 ? undefined : list;
}

/** Reads a rule set leniently into its canonical shape; null when it has no rules. */
export function readRuleSet(v: unknown, what = "ruleSet"): SchemaRuleSet | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== "object" || Array.isArray(v)) throw new RecordFormatError(`${what} is not an object`);
  const o = v as Record<string, Json>;
  const migrationRules = readRules(o["migrationRules"], `${what}.migrationRules`);
  const domainRules = readRules(o["domainRules"], `${what}.domainRules`);
  const encodingRules = readRules(o["encodingRules"], `${what}.encodingRules`);
  const r: SchemaRuleSet = {
    ...(migrationRules ? { migrationRules } : {}),
    ...(domainRules ? { domainRules } : {}),
    ...(encodingRules ? { encodingRules } : {}),
  };
  return Object.keys(r).length === 0 ? null : r;
}

function readReferences(v: Json | undefined): SchemaReference[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new RecordFormatError("SCHEMA value: 'references' is not an array");
  return v.map((r, i) => {
    const what = `SCHEMA value: references[${i}]`;
    if (r === null || typeof r !== "object" || Array.isArray(r)) throw new RecordFormatError(`${what} is not an object`);
    return { name: requiredString(r, "name", what), subject: requiredString(r, "subject", what), version: requiredInt(r, "version", what) };
  });
}

export function decodeSchemaValue(o: Record<string, Json>): SchemaValue {
  const what = "SCHEMA value";
  const type = optionalString(o, "schemaType", what) ?? "AVRO";
  if (!(SCHEMA_TYPES as readonly string[]).includes(type)) throw new RecordFormatError(`${what}: unknown schemaType '${type}'`);
  const wrap = <T>(read: () => T): T => {
    try {
      return read();
    } catch (err) {
      throw err instanceof RecordFormatError ? new RecordFormatError(`${what}: ${err.message}`) : err;
    }
  };
  return {
    subject: requiredString(o, "subject", what),
    version: requiredInt(o, "version", what),
    id: requiredInt(o, "id", what),
    schemaType: type as SchemaType,
    references: readReferences(o["references"]),
    metadata: wrap(() => readMetadata(o["metadata"])),
    ruleSet: wrap(() => readRuleSet(o["ruleSet"])),
    schema: requiredString(o, "schema", what),
    deleted: optionalBool(o, "deleted", what) ?? false,
  };
}

export function parseCompatibilityLevel(s: string | null | undefined): CompatibilityLevel | null {
  if (s === null || s === undefined) return null;
  const upper = s.trim().toUpperCase();
  return (COMPATIBILITY_LEVELS as readonly string[]).includes(upper) ? (upper as CompatibilityLevel) : null;
}

export function parseMode(s: string | null | undefined): Mode | null {
  if (s === null || s === undefined) return null;
  const upper = s.trim().toUpperCase();
  return (MODES as readonly string[]).includes(upper) ? (upper as Mode) : null;
}

function decodeConfigValue(o: Record<string, Json>): ConfigValue {
  const what = "CONFIG value";
  const level = optionalString(o, "compatibilityLevel", what);
  const compatibilityLevel = parseCompatibilityLevel(level);
  if (level !== null && compatibilityLevel === null) throw new RecordFormatError(`${what}: unknown compatibilityLevel '${level}'`);
  const alias = optionalString(o, "alias", what);
  const group = optionalString(o, "compatibilityGroup", what);
  const normalize = optionalBool(o, "normalize", what);
  const validateFields = optionalBool(o, "validateFields", what);
  const defaultMetadata = readMetadata(o["defaultMetadata"], `${what}.defaultMetadata`);
  const overrideMetadata = readMetadata(o["overrideMetadata"], `${what}.overrideMetadata`);
  const defaultRuleSet = readRuleSet(o["defaultRuleSet"], `${what}.defaultRuleSet`);
  const overrideRuleSet = readRuleSet(o["overrideRuleSet"], `${what}.overrideRuleSet`);
  return {
    ...(alias !== null ? { alias } : {}),
    ...(normalize !== undefined ? { normalize } : {}),
    ...(validateFields !== undefined ? { validateFields } : {}),
    ...(compatibilityLevel !== null ? { compatibilityLevel } : {}),
    ...(group !== null ? { compatibilityGroup: group } : {}),
    ...(defaultMetadata ? { defaultMetadata } : {}),
    ...(overrideMetadata ? { overrideMetadata } : {}),
    ...(defaultRuleSet ? { defaultRuleSet } : {}),
    ...(overrideRuleSet ? { overrideRuleSet } : {}),
  };
}

/** Decodes the value of a record under `key`; null for a tombstone (and for NOOP records). */
export function decodeValue(key: RegistryKey, bytes: Buffer | null): RegistryValue | null {
  if (bytes === null || key.keytype === "NOOP") return null;
  const o = parseObject(bytes, `${key.keytype} value`);
  switch (key.keytype) {
    case "SCHEMA":
      return { keytype: "SCHEMA", value: decodeSchemaValue(o) };
    case "CONFIG":
      return { keytype: "CONFIG", value: decodeConfigValue(o) };
    case "MODE": {
      const raw = optionalString(o, "mode", "MODE value");
      const mode = parseMode(raw);
      if (mode === null) throw new RecordFormatError(`MODE value: unknown mode '${raw ?? ""}'`);
      return { keytype: "MODE", value: { mode } };
    }
    case "DELETE_SUBJECT":
      return {
        keytype: "DELETE_SUBJECT",
        value: { subject: optionalString(o, "subject", "DELETE_SUBJECT value") ?? key.subject, version: requiredInt(o, "version", "DELETE_SUBJECT value") },
      };
    case "CLEAR_SUBJECT":
      return { keytype: "CLEAR_SUBJECT", value: { subject: optionalString(o, "subject", "CLEAR_SUBJECT value") ?? key.subject } };
  }
}

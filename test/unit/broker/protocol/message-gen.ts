// Test support: seeded random messages for any generated definition, driven by the generated
// schema table (so it works without ../shared), and the value a decoder must return for a
// message encoded at a given version (fields absent from that version come back as defaults).
import { messageSchemas, type FieldSchema, type MessageSchema } from "../../../../broker/protocol/generated/schema.ts";
import type { Reader } from "../../../../broker/protocol/primitives/reader.ts";
import type { Writer } from "../../../../broker/protocol/primitives/writer.ts";

export type Msg = Record<string, unknown>;

export interface Codec {
  decode(r: Reader, version: number): Msg;
  encode(w: Writer, version: number, msg: Msg): void;
}

export function schemaByName(name: string): MessageSchema {
  const s = messageSchemas.find((m) => m.name === name);
  if (s === undefined) throw new Error(`no schema ${name}`);
  return s;
}

/** Loads the generated module of a definition and returns its top-level codec. */
export async function loadCodec(schema: MessageSchema): Promise<Codec> {
  const url = new URL(`../../../../broker/protocol/generated/${schema.module}`, import.meta.url);
  const mod = (await import(url.href)) as Record<string, unknown>;
  const decode = mod[`decode${schema.name}`];
  const encode = mod[`encode${schema.name}`];
  if (typeof decode !== "function" || typeof encode !== "function") throw new Error(`${schema.module} lacks codecs`);
  return { decode: decode as Codec["decode"], encode: encode as Codec["encode"] };
}

export function versionRange(text: string): [number, number] {
  if (text === "none") return [1, 0];
  const plus = /^(\d+)\+$/.exec(text);
  if (plus) return [Number(plus[1]), 0x7fff];
  const range = /^(\d+)-(\d+)$/.exec(text);
  if (range) return [Number(range[1]), Number(range[2])];
  return [Number(text), Number(text)];
}

export function inVersions(version: number, text: string | null): boolean {
  if (text === null) return false;
  const [min, max] = versionRange(text);
  return version >= min && version <= max;
}

export function allVersions(schema: MessageSchema): number[] {
  const [min, max] = versionRange(schema.validVersions);
  const out: number[] = [];
  for (let v = min; v <= max; v++) out.push(v);
  return out;
}

/** mulberry32: small, fast, seeded. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  bytes(n: number): Buffer {
    const b = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i++) b[i] = this.int(0, 255);
    return b;
  }
}

const TEXT = ["", "a", "orders", "topic-with-a-long-name.v1", "clé", "日本語", "emoji 🚀", "x".repeat(130)];

function randomPrim(type: string, rng: Rng): unknown {
  switch (type) {
    case "int8":
      return rng.int(-128, 127);
    case "int16":
      return rng.int(-32768, 32767);
    case "uint16":
      return rng.int(0, 65535);
    case "int32":
      return rng.chance(0.2) ? rng.int(-2, 2) : rng.int(-2147483648, 2147483647);
    case "uint32":
      return rng.int(0, 4294967295);
    case "int64":
      return rng.chance(0.2) ? BigInt(rng.int(-2, 2)) : BigInt.asIntN(64, (BigInt(rng.int(0, 0xffffffff)) << 32n) | BigInt(rng.int(0, 0xffffffff)));
    case "float64":
      return (rng.next() - 0.5) * 10 ** rng.int(0, 12);
    case "bool":
      return rng.chance(0.5);
    case "string":
      return TEXT[rng.int(0, TEXT.length - 1)]!;
    case "uuid":
      return rng.bytes(16).toString("base64url");
    case "bytes":
    case "records":
      // Now and then big enough to take the writer's zero-copy path.
      return rng.chance(0.05) ? rng.bytes(5000) : rng.bytes(rng.int(0, 24));
  }
  throw new Error(`unknown type ${type}`);
}

/** A random message valid for `version` (fields absent from it get random values too: encoders must ignore them). */
export function randomMessage(schema: MessageSchema, version: number, rng: Rng): Msg {
  const top = Object.keys(schema.structs)[0]!;
  return randomStruct(schema, top, version, rng, 0);
}

function randomStruct(schema: MessageSchema, name: string, version: number, rng: Rng, depth: number): Msg {
  const fields = schema.structs[name];
  if (fields === undefined) throw new Error(`${schema.name}: no struct ${name}`);
  const out: Msg = {};
  for (const f of fields) out[f[0]] = randomField(schema, f, version, rng, depth);
  return out;
}

function randomField(schema: MessageSchema, f: FieldSchema, version: number, rng: Rng, depth: number): unknown {
  const [, type, , nullable, tag, def] = f;
  if (inVersions(version, nullable) && rng.chance(0.2)) return null;
  if (tag !== null && rng.chance(0.3)) return def === "struct" ? defaultStruct(schema, type) : def;
  return randomValue(schema, type, version, rng, depth);
}

function randomValue(schema: MessageSchema, type: string, version: number, rng: Rng, depth: number): unknown {
  if (type.startsWith("[]")) {
    const n = depth > 3 ? 0 : rng.int(0, 3);
    const out: unknown[] = [];
    for (let i = 0; i < n; i++) out.push(randomValue(schema, type.slice(2), version, rng, depth + 1));
    return out;
  }
  if (schema.structs[type] !== undefined) return randomStruct(schema, type, version, rng, depth + 1);
  return randomPrim(type, rng);
}

export function defaultStruct(schema: MessageSchema, name: string): Msg {
  const out: Msg = {};
  for (const f of schema.structs[name]!) out[f[0]] = defaultOf(schema, f);
  return out;
}

function defaultOf(schema: MessageSchema, f: FieldSchema): unknown {
  const [, type, , , , def] = f;
  if (def === "struct" && schema.structs[type] !== undefined) return defaultStruct(schema, type);
  if (Array.isArray(def)) return [];
  return def;
}

/** What decode(encode(msg, version), version) must return. */
export function expectedDecode(schema: MessageSchema, version: number, msg: Msg): Msg {
  const top = Object.keys(schema.structs)[0]!;
  return project(schema, top, version, inVersions(version, schema.flexibleVersions), msg);
}

function project(schema: MessageSchema, name: string, version: number, flexible: boolean, value: Msg): Msg {
  const out: Msg = {};
  for (const f of schema.structs[name]!) {
    const [prop, type, versions, , tag] = f;
    const present = inVersions(version, versions) && (tag === null || flexible);
    out[prop] = present ? projectValue(schema, type, version, flexible, value[prop]) : defaultOf(schema, f);
  }
  return out;
}

function projectValue(schema: MessageSchema, type: string, version: number, flexible: boolean, v: unknown): unknown {
  if (v === null) return null;
  if (type.startsWith("[]")) return (v as unknown[]).map((e) => projectValue(schema, type.slice(2), version, flexible, e));
  if (schema.structs[type] !== undefined) return project(schema, type, version, flexible, v as Msg);
  return v;
}

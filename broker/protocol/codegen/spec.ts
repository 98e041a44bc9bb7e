// Reading Kafka's JSON message definitions: comment stripping, the raw shapes, and version
// ranges ("0+", "3-7", "5", "none").
import { readFileSync } from "node:fs";

export interface RawField {
  name: string;
  type: string;
  versions?: string;
  nullableVersions?: string;
  taggedVersions?: string;
  tag?: number;
  flexibleVersions?: string;
  default?: string | number | boolean | null;
  fields?: RawField[];
  ignorable?: boolean;
  mapKey?: boolean;
  entityType?: string;
  zeroCopy?: boolean;
  about?: string;
}

export interface RawStruct {
  name: string;
  versions?: string;
  fields: RawField[];
}

export interface RawSpec {
  apiKey?: number;
  type: "request" | "response" | "header" | "data";
  name: string;
  validVersions: string;
  flexibleVersions?: string;
  latestVersionUnstable?: boolean;
  listeners?: string[];
  fields: RawField[];
  commonStructs?: RawStruct[];
}

/** Removes // and block comments outside of string literals (the files are JSON plus comments). */
export function stripComments(text: string): string {
  let out = "";
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < n && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === "/" && text[i + 1] === "/") {
      while (i < n && text[i] !== "\n") i++;
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? n : end + 2;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

export function loadSpec(path: string): RawSpec {
  const spec = JSON.parse(stripComments(readFileSync(path, "utf8"))) as RawSpec;
  if (typeof spec.name !== "string" || !Array.isArray(spec.fields) || typeof spec.validVersions !== "string") {
    throw new Error(`${path}: not a Kafka message definition`);
  }
  return spec;
}

/** An inclusive version range; empty when min > max. "N+" runs to MAX_VERSION. */
export interface Versions {
  readonly min: number;
  readonly max: number;
}

export const MAX_VERSION = 0x7fff;
export const NO_VERSIONS: Versions = { min: 1, max: 0 };

export function parseVersions(text: string | undefined, where: string): Versions {
  if (text === undefined) throw new Error(`${where}: missing versions`);
  const s = text.trim();
  if (s === "none" || s === "") return NO_VERSIONS;
  let m = /^(\d+)\+$/.exec(s);
  if (m) return { min: Number(m[1]), max: MAX_VERSION };
  m = /^(\d+)-(\d+)$/.exec(s);
  if (m) return { min: Number(m[1]), max: Number(m[2]) };
  m = /^(\d+)$/.exec(s);
  if (m) return { min: Number(m[1]), max: Number(m[1]) };
  throw new Error(`${where}: cannot parse versions ${JSON.stringify(text)}`);
}

export function isEmpty(v: Versions): boolean {
  return v.min > v.max;
}

export function intersect(a: Versions, b: Versions): Versions {
  const r = { min: Math.max(a.min, b.min), max: Math.min(a.max, b.max) };
  return isEmpty(r) ? NO_VERSIONS : r;
}

/** The smallest range holding both. */
export function hull(a: Versions, b: Versions): Versions {
  if (isEmpty(a)) return b;
  if (isEmpty(b)) return a;
  return { min: Math.min(a.min, b.min), max: Math.max(a.max, b.max) };
}

export function sameVersions(a: Versions, b: Versions): boolean {
  return (isEmpty(a) && isEmpty(b)) || (a.min === b.min && a.max === b.max);
}

export function describeVersions(v: Versions): string {
  if (isEmpty(v)) return "none";
  if (v.max === MAX_VERSION) return `${v.min}+`;
  if (v.min === v.max) return `${v.min}`;
  return `${v.min}-${v.max}`;
}

// A small language for the expected JSON of a REST answer: exact values where they are
// deterministic (error codes, messages, states, config echoes, task ids), and types where they
// are not (versions, timestamps, traces). A plain object is an object with exactly these keys;
// a plain array is an array of exactly these elements; a string, number, boolean or null is
// that value. Everything else is a matcher built by the functions below.

const MATCHER = Symbol("shape matcher");

interface Matcher {
  readonly [MATCHER]: true;
  readonly describe: string;
  /** Mismatches of `actual` at `path` (empty: it matches). */
  check(actual: unknown, path: string): string[];
}

export type Shape = string | number | boolean | null | Matcher | readonly Shape[] | { readonly [key: string]: Shape };

function matcher(describe: string, check: (actual: unknown, path: string) => string[]): Matcher {
  return { [MATCHER]: true, describe, check };
}

function isMatcher(shape: unknown): shape is Matcher {
  return typeof shape === "object" && shape !== null && MATCHER in shape;
}

const show = (value: unknown): string => {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 300 ? `${text.slice(0, 300)}…` : text;
};

/** The mismatches between a JSON value and a shape, one line each, with their JSON path. */
export function mismatches(actual: unknown, shape: Shape, path = "$"): string[] {
  if (isMatcher(shape)) return shape.check(actual, path);
  if (Array.isArray(shape)) {
    if (!Array.isArray(actual)) return [`${path}: expected an array of ${shape.length}, got ${show(actual)}`];
    if (actual.length !== shape.length) return [`${path}: expected ${shape.length} elements, got ${actual.length}: ${show(actual)}`];
    return shape.flatMap((s: Shape, i) => mismatches(actual[i], s, `${path}[${i}]`));
  }
  if (typeof shape === "object" && shape !== null) return objectMismatches(actual, shape as Record<string, Shape>, path, false);
  return Object.is(actual, shape) ? [] : [`${path}: expected ${show(shape)}, got ${show(actual)}`];
}

function objectMismatches(actual: unknown, shape: Readonly<Record<string, Shape>>, path: string, allowExtra: boolean): string[] {
  if (typeof actual !== "object" || actual === null || Array.isArray(actual)) return [`${path}: expected an object, got ${show(actual)}`];
  const out: string[] = [];
  const got = actual as Record<string, unknown>;
  for (const [key, s] of Object.entries(shape)) {
    if (!Object.hasOwn(got, key)) {
      if (!(isMatcher(s) && s.describe.startsWith("optional"))) out.push(`${path}: missing key ${show(key)}`);
      continue;
    }
    out.push(...mismatches(got[key], s, `${path}.${key}`));
  }
  if (!allowExtra) for (const key of Object.keys(got)) if (!Object.hasOwn(shape, key)) out.push(`${path}: unexpected key ${show(key)} = ${show(got[key])}`);
  return out;
}

const typed = (name: string, test: (v: unknown) => boolean): Matcher => matcher(name, (v, path) => (test(v) ? [] : [`${path}: expected ${name}, got ${show(v)}`]));

export const anyString = typed("a string", (v) => typeof v === "string");
export const nonEmptyString = typed("a non-empty string", (v) => typeof v === "string" && v.length > 0);
export const anyInteger = typed("an integer", (v) => typeof v === "number" && Number.isInteger(v));
export const anyBoolean = typed("a boolean", (v) => typeof v === "boolean");

/** Any one of the shapes. */
export function oneOf(...shapes: Shape[]): Matcher {
  return matcher(`one of ${shapes.map((s) => (isMatcher(s) ? s.describe : show(s))).join(", ")}`, (v, path) => {
    const all = shapes.map((s) => mismatches(v, s, path));
    return all.some((m) => m.length === 0) ? [] : [`${path}: matches none of: ${all.map((m) => m.join("; ")).join(" | ")}`];
  });
}

/** A key that may be absent (only meaningful as an object property). */
export function optional(shape: Shape): Matcher {
  return matcher("optional", (v, path) => mismatches(v, shape, path));
}

export function arrayOf(element: Shape): Matcher {
  return matcher("an array", (v, path) => (Array.isArray(v) ? v.flatMap((e, i) => mismatches(e, element, `${path}[${i}]`)) : [`${path}: expected an array, got ${show(v)}`]));
}

/** An object with any keys, each value of the shape. */
export function recordOf(value: Shape): Matcher {
  return matcher("an object", (v, path) => {
    if (typeof v !== "object" || v === null || Array.isArray(v)) return [`${path}: expected an object, got ${show(v)}`];
    return Object.entries(v).flatMap(([k, e]) => mismatches(e, value, `${path}.${k}`));
  });
}

/** An object with at least these keys (others allowed). */
export function withKeys(shape: Readonly<Record<string, Shape>>): Matcher {
  return matcher("an object with keys", (v, path) => objectMismatches(v, shape, path, true));
}

/** Every one of the shapes. */
export function allOf(...shapes: Shape[]): Matcher {
  return matcher("all of", (v, path) => shapes.flatMap((s) => mismatches(v, s, path)));
}

/** An array containing elements matching each shape (in any order), and maybe others. */
export function containing(...elements: Shape[]): Matcher {
  return matcher("an array containing", (v, path) => {
    if (!Array.isArray(v)) return [`${path}: expected an array, got ${show(v)}`];
    return elements.flatMap((s) => (v.some((e) => mismatches(e, s).length === 0) ? [] : [`${path}: no element matches ${isMatcher(s) ? s.describe : show(s)} in ${show(v)}`]));
  });
}

export function startsWith(prefix: string): Matcher {
  return typed(`a string starting with ${show(prefix)}`, (v) => typeof v === "string" && v.startsWith(prefix));
}

export function includes(...parts: string[]): Matcher {
  return typed(`a string containing ${parts.map(show).join(" and ")}`, (v) => typeof v === "string" && parts.every((p) => v.includes(p)));
}

/** A check that explains itself: `problems` returns what is wrong (empty: the value matches). */
export function checkedBy(describe: string, problems: (v: unknown) => string[]): Matcher {
  return matcher(describe, (v, path) => problems(v).map((p) => `${path}: ${p}`));
}

/** A value that passes a test, described for the failure message. */
export function satisfies(describe: string, test: (v: unknown) => boolean): Matcher {
  return typed(describe, test);
}

// Plugin version requirements (KIP-891, Kafka 4.1+): `connector.plugin.version`,
// `key|value|header.converter.plugin.version` and `transforms|predicates.<alias>.plugin.version`
// hold a Maven version range, as Kafka reads them: "latest" or unset means any version, a plain
// version ("1.2.0") means exactly that one ("[1.2.0]"), and bracketed ranges ("[1.0,2.0)",
// "[1.0,)", "(,2.0],[3.0,)") are taken as written. The hub ships one version of each plugin, so
// a requirement either matches it or the config is refused, with Kafka's messages.

/** One interval of a range; a null bound is open-ended. */
interface Restriction {
  readonly lower: string | null;
  readonly lowerInclusive: boolean;
  readonly upper: string | null;
  readonly upperInclusive: boolean;
}

export interface VersionRange {
  readonly restrictions: readonly Restriction[];
  /** Kafka's text of the range in its messages (Maven's VersionRange.toString()). */
  readonly text: string;
}

/** Kafka's (Maven's) refusal of a version spec that does not parse. */
export class InvalidVersionSpecError extends Error {
  override name = "InvalidVersionSpecError";
}

// Maven's qualifier order; other qualifiers sort after these, alphabetically.
const QUALIFIERS = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];
const QUALIFIER_ALIASES: Record<string, string> = { a: "alpha", b: "beta", m: "milestone", cr: "rc", ga: "", final: "", release: "" };

type Item = bigint | string;

/** A version's items (Maven's ComparableVersion, simplified): numbers and qualifiers, trailing zeros dropped. */
function items(version: string): Item[] {
  const out: Item[] = [];
  for (const part of version.toLowerCase().split(/[.-]|(?<=\d)(?=\D)|(?<=\D)(?=\d)/)) {
    if (part === "") continue;
    out.push(/^\d+$/.test(part) ? BigInt(part) : (QUALIFIER_ALIASES[part] ?? part));
  }
  while (out.length > 0 && (out[out.length - 1] === 0n || out[out.length - 1] === "")) out.pop();
  return out;
}

function qualifierRank(q: string): [number, string] {
  const i = QUALIFIERS.indexOf(q);
  return i >= 0 ? [i, ""] : [QUALIFIERS.length, q];
}

function compareItem(a: Item | undefined, b: Item | undefined): number {
  // A missing item is a release: 0 for numbers, "" for qualifiers.
  const x = a ?? (typeof b === "bigint" ? 0n : "");
  const y = b ?? (typeof a === "bigint" ? 0n : "");
  if (typeof x === "bigint" && typeof y === "bigint") return x < y ? -1 : x > y ? 1 : 0;
  if (typeof x === "bigint") return 1; // a number is newer than any qualifier
  if (typeof y === "bigint") return -1;
  const [rx, sx] = qualifierRank(x as string);
  const [ry, sy] = qualifierRank(y as string);
  return rx - ry || (sx < sy ? -1 : sx > sy ? 1 : 0);
}

/** Orders two versions as Maven does for the common cases (numbers, then qualifiers). */
export function compareVersions(a: string, b: string): number {
  const x = items(a);
  const y = items(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const c = compareItem(x[i], y[i]);
    if (c !== 0) return Math.sign(c);
  }
  return 0;
}

function parseRestriction(spec: string): Restriction {
  const lowerInclusive = spec.startsWith("[");
  const upperInclusive = spec.endsWith("]");
  const inner = spec.slice(1, -1).trim();
  const comma = inner.indexOf(",");
  if (comma < 0) {
    if (!lowerInclusive || !upperInclusive) throw new InvalidVersionSpecError(`Single version must be surrounded by []: ${spec}`);
    return { lower: inner, lowerInclusive: true, upper: inner, upperInclusive: true };
  }
  const lower = inner.slice(0, comma).trim();
  const upper = inner.slice(comma + 1).trim();
  if (lower !== "" && upper !== "" && compareVersions(upper, lower) < 0) throw new InvalidVersionSpecError(`Range defies version ordering: ${spec}`);
  return { lower: lower === "" ? null : lower, lowerInclusive, upper: upper === "" ? null : upper, upperInclusive };
}

const restrictionText = (r: Restriction): string => `${r.lowerInclusive ? "[" : "("}${r.lower ?? ""},${r.upper ?? ""}${r.upperInclusive ? "]" : ")"}`;

/** Parses bracketed restrictions; a spec that is a plain version gives none. */
function parseRanges(spec: string): Restriction[] {
  const restrictions: Restriction[] = [];
  let rest = spec;
  let upper: string | null = null;
  while (rest.startsWith("[") || rest.startsWith("(")) {
    const close = rest.search(/[\])]/);
    if (close < 0) throw new InvalidVersionSpecError(`Unbounded range: ${spec}`);
    const restriction = parseRestriction(rest.slice(0, close + 1));
    if (upper !== null && (restriction.lower === null || compareVersions(restriction.lower, upper) < 0)) {
      throw new InvalidVersionSpecError(`Ranges overlap: ${spec}`);
    }
    restrictions.push(restriction);
    upper = restriction.upper;
    rest = rest.slice(close + 1).trim();
    if (rest.startsWith(",")) rest = rest.slice(1).trim();
  }
  if (rest !== "" && restrictions.length > 0) throw new InvalidVersionSpecError(`Only fully-qualified sets allowed in multiple set scenario: ${spec}`);
  return restrictions;
}

/**
 * The requirement a `*.plugin.version` value states (Kafka's connectorVersionRequirement):
 * null for none (unset or "latest"). Throws InvalidVersionSpecError for a bad spec.
 */
export function versionRequirement(spec: string | null | undefined): VersionRange | null {
  if (spec === null || spec === undefined || spec === "latest") return null;
  const trimmed = spec.trim();
  let restrictions = parseRanges(trimmed);
  if (restrictions.length === 0) restrictions = parseRanges(`[${trimmed}]`);
  return { restrictions, text: restrictions.map(restrictionText).join(",") };
}

function within(r: Restriction, version: string): boolean {
  if (r.lower !== null) {
    const c = compareVersions(r.lower, version);
    if (c > 0 || (c === 0 && !r.lowerInclusive)) return false;
  }
  if (r.upper !== null) {
    const c = compareVersions(r.upper, version);
    if (c < 0 || (c === 0 && !r.upperInclusive)) return false;
  }
  return true;
}

/** Whether a version satisfies a requirement (null: anything does). */
export function versionMatches(range: VersionRange | null, version: string): boolean {
  return range === null || range.restrictions.some((r) => within(r, version));
}

/**
 * What is wrong with a plugin's version requirement, in Kafka's words: null when it is unset,
 * "latest", or satisfied by the plugin's version; else the spec's parse error (Maven's message)
 * or Kafka's VersionedPluginLoadingException message naming the versions available.
 */
export function pluginVersionProblem(className: string, spec: string | null | undefined, version: string): string | null {
  let range: VersionRange | null;
  try {
    range = versionRequirement(spec);
  } catch (e) {
    if (e instanceof InvalidVersionSpecError) return e.message;
    throw e;
  }
  if (versionMatches(range, version)) return null;
  return `Plugin ${className} not found that matches the version range ${range?.text}, available versions: [${version}]`;
}

// Which version of an API to speak: the highest one that both this client (the generated
// codecs) and the broker (its ApiVersions answer) support, optionally capped by the caller.
import { apiDefinition } from "../../broker/protocol/generated/index.ts";

export interface VersionRange {
  readonly minVersion: number;
  readonly maxVersion: number;
}

/**
 * The versions the generated codecs can speak for an API. A version Kafka still marks as
 * unstable is left out: brokers only advertise it when told to, and its shape may change.
 */
export function clientVersionRange(apiKey: number): VersionRange | undefined {
  const def = apiDefinition(apiKey);
  if (!def) return undefined;
  return { minVersion: def.minVersion, maxVersion: def.latestVersionUnstable ? def.maxVersion - 1 : def.maxVersion };
}

/** The highest version in both ranges (and at most `cap`), or undefined if there is none. */
export function chooseVersion(ours: VersionRange, theirs: VersionRange | undefined, cap?: number): number | undefined {
  if (!theirs) return undefined;
  const max = Math.min(ours.maxVersion, theirs.maxVersion, cap ?? Number.MAX_SAFE_INTEGER);
  const min = Math.max(ours.minVersion, theirs.minVersion);
  return max >= min ? max : undefined;
}

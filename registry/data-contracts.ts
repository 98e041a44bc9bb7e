// Merging of data-contract metadata and rule sets, as Confluent's Metadata.mergeMetadata and
// RuleSet.mergeRuleSets do when a registration combines a config's defaults and overrides with
// the schema's own (or the previous version's) metadata and rules.
import type { SchemaMetadata, SchemaRule, SchemaRuleSet } from "./store/records.ts";
import { readMetadata, readRuleSet } from "./store/records.ts";

/** `newer` over `older`: properties replaced key by key, tags and sensitive names united. */
export function mergeMetadata(older: SchemaMetadata | null | undefined, newer: SchemaMetadata | null | undefined): SchemaMetadata | null {
  if (!older) return newer ?? null;
  if (!newer) return older;
  const tags: Record<string, string[]> = {};
  for (const source of [older.tags, newer.tags]) {
    for (const [path, list] of Object.entries(source ?? {})) tags[path] = [...new Set([...(tags[path] ?? []), ...list])];
  }
  return readMetadata({
    tags,
    properties: { ...older.properties, ...newer.properties },
    sensitive: [...(older.sensitive ?? []), ...(newer.sensitive ?? [])],
  });
}

/** Rules of `newer` replace the rules of `older` with the same name, in place; new names are appended. */
function mergeRules(older: readonly SchemaRule[] | undefined, newer: readonly SchemaRule[] | undefined): SchemaRule[] {
  const byName = new Map<string, SchemaRule>();
  let unnamed = 0;
  for (const rule of [...(older ?? []), ...(newer ?? [])]) byName.set(rule.name ?? `\u0000${unnamed++}`, rule);
  return [...byName.values()];
}

export function mergeRuleSets(older: SchemaRuleSet | null | undefined, newer: SchemaRuleSet | null | undefined): SchemaRuleSet | null {
  if (!older) return newer ?? null;
  if (!newer) return older;
  return readRuleSet({
    migrationRules: mergeRules(older.migrationRules, newer.migrationRules),
    domainRules: mergeRules(older.domainRules, newer.domainRules),
    encodingRules: mergeRules(older.encodingRules, newer.encodingRules),
  });
}

/** Metadata with one property set (Confluent's `confluent:version` bookkeeping). */
export function withProperty(metadata: SchemaMetadata | null, key: string, value: string): SchemaMetadata {
  return mergeMetadata(metadata, { properties: { [key]: value } }) ?? { properties: { [key]: value } };
}

// The registry's in-memory state, rebuilt by applying the `_schemas` records in log order (as
// Confluent's KafkaStoreMessageHandler and InMemoryCache do): every subject's versions with their
// soft-deleted flags, the subject-versions of each global id, the id of each registered schema
// (to give the same schema the same id again), which schemas refer to which, the global and
// subject config and mode, and the highest id seen (the leader allocates the next one).
//
// Applying is deterministic and never throws: a record this registry cannot read is skipped
// with a warning, as Confluent's reader skips what it cannot deserialize, so every instance
// ends up with the same state from the same log.
import type { Logger } from "../../lib/logger.ts";
import type { SchemaReference, SchemaType } from "../formats/types.ts";
import type { RegistryLogRecord } from "./log.ts";
import {
  type ConfigValue,
  decodeKey,
  decodeValue,
  encodeMetadata,
  encodeRuleSet,
  type Mode,
  type RegistryKey,
  type RegistryValue,
  type SchemaMetadata,
  type SchemaRuleSet,
  type SchemaValue,
} from "./records.ts";

/** Confluent's LookupFilter: which versions a listing includes. */
export type LookupFilter = "DEFAULT" | "INCLUDE_DELETED" | "DELETED_ONLY";

export function includes(filter: LookupFilter, deleted: boolean): boolean {
  return filter === "INCLUDE_DELETED" || (filter === "DEFAULT" ? !deleted : deleted);
}

/**
 * What makes two registrations the same schema (Confluent's MD5 of the stored schema string with
 * its references, and with the data-contract metadata and rule set): same key, same global id.
 */
export function schemaIdentity(
  schemaType: SchemaType,
  schema: string,
  references: readonly SchemaReference[],
  metadata: SchemaMetadata | null,
  ruleSet: SchemaRuleSet | null,
): string {
  return JSON.stringify([schemaType, schema, references.map((r) => [r.name, r.subject, r.version]), encodeMetadata(metadata) ?? null, encodeRuleSet(ruleSet) ?? null]);
}

const identityOf = (v: SchemaValue): string => schemaIdentity(v.schemaType, v.schema, v.references, v.metadata, v.ruleSet);
const refKey = (subject: string, version: number): string => `${subject}\u0000${version}`;

export class RegistryState {
  private readonly subjects = new Map<string, Map<number, SchemaValue>>();
  /** id → subject → version, for live and soft-deleted versions (ids stay readable after a soft delete). */
  private readonly idIndex = new Map<number, Map<string, number>>();
  private readonly identities = new Map<string, number>();
  private readonly referencedByIndex = new Map<string, Set<number>>();
  private readonly configs = new Map<string | null, ConfigValue>();
  private readonly modes = new Map<string | null, Mode>();
  private maxIdSeen = 0;
  private readonly log: Logger | undefined;
  /** Records applied and skipped so far (for logs and tests). */
  applied = 0;
  skipped = 0;

  constructor(log?: Logger) {
    this.log = log;
  }

  /** Applies one record of the log; records that cannot be read are skipped with a warning. */
  apply(record: RegistryLogRecord): void {
    let key: RegistryKey | null;
    let value: RegistryValue | null;
    try {
      key = decodeKey(record.key);
      if (key === null) {
        this.skipped++;
        this.log?.debug({ offset: record.offset, key: record.key.toString("utf8") }, "skipping a record of an unknown key type");
        return;
      }
      value = decodeValue(key, record.value);
    } catch (err) {
      this.skipped++;
      this.log?.warn({ offset: record.offset, err: (err as Error).message }, "skipping a record that is not in the schema registry's format");
      return;
    }
    this.applyDecoded(key, value, record.offset);
  }

  applyDecoded(key: RegistryKey, value: RegistryValue | null, offset = -1): void {
    this.applied++;
    switch (key.keytype) {
      case "SCHEMA":
        if (value?.keytype === "SCHEMA") this.putSchema(key.subject, key.version, value.value, offset);
        else this.tombstoneSchema(key.subject, key.version);
        return;
      case "CONFIG":
        if (value?.keytype === "CONFIG") this.configs.set(key.subject, value.value);
        else this.configs.delete(key.subject);
        return;
      case "MODE":
        if (value?.keytype === "MODE") this.modes.set(key.subject, value.value.mode);
        else this.modes.delete(key.subject);
        return;
      case "DELETE_SUBJECT":
        if (value?.keytype === "DELETE_SUBJECT") this.deleteSubject(value.value.subject, value.value.version);
        return;
      case "CLEAR_SUBJECT":
        if (value?.keytype === "CLEAR_SUBJECT") this.clearDeleted(value.value.subject);
        return;
      case "NOOP":
        return;
    }
  }

  private putSchema(subject: string, version: number, v: SchemaValue, offset: number): void {
    // Confluent refuses a record that reuses an id for a different schema (validateUpdate).
    const holder = this.schemaById(v.id);
    if (holder && holder.schema !== v.schema && !(holder.subject === subject && holder.version === version)) {
      this.skipped++;
      this.applied--;
      this.log?.error({ offset, id: v.id, subject, version }, "found a schema with a duplicate id: not registering it, a different schema already has this id");
      return;
    }
    let versions = this.subjects.get(subject);
    if (!versions) this.subjects.set(subject, (versions = new Map()));
    const old = versions.get(version);
    if (old) {
      this.unindexId(old.id, subject, version);
      this.dropReferences(old);
    }
    // The value's own subject/version may disagree with the key on a hand-written topic: the key wins.
    const stored: SchemaValue = v.subject === subject && v.version === version ? v : { ...v, subject, version };
    versions.set(version, stored);
    this.indexId(stored.id, subject, version);
    this.identities.set(identityOf(stored), stored.id);
    if (stored.deleted) this.dropReferences(stored);
    else {
      this.maxIdSeen = Math.max(this.maxIdSeen, stored.id);
      for (const ref of stored.references) {
        const k = refKey(ref.subject, ref.version);
        let ids = this.referencedByIndex.get(k);
        if (!ids) this.referencedByIndex.set(k, (ids = new Set()));
        ids.add(stored.id);
      }
    }
  }

  private tombstoneSchema(subject: string, version: number): void {
    const versions = this.subjects.get(subject);
    const old = versions?.get(version);
    if (!versions || !old) return;
    versions.delete(version);
    if (versions.size === 0) this.subjects.delete(subject);
    this.unindexId(old.id, subject, version);
    this.dropReferences(old);
  }

  private deleteSubject(subject: string, upToVersion: number): void {
    const versions = this.subjects.get(subject);
    if (!versions) return;
    for (const [version, v] of versions) {
      if (version <= upToVersion && !v.deleted) {
        const deleted = { ...v, deleted: true };
        versions.set(version, deleted);
        this.dropReferences(deleted);
      }
    }
  }

  /** CLEAR_SUBJECT: forget the soft-deleted versions of a subject (of every subject when null). */
  private clearDeleted(subject: string | null): void {
    for (const [name, versions] of [...this.subjects]) {
      if (subject !== null && name !== subject) continue;
      for (const [version, v] of [...versions]) {
        if (!v.deleted) continue;
        versions.delete(version);
        this.unindexId(v.id, name, version);
      }
      if (versions.size === 0) this.subjects.delete(name);
    }
  }

  private indexId(id: number, subject: string, version: number): void {
    let bySubject = this.idIndex.get(id);
    if (!bySubject) this.idIndex.set(id, (bySubject = new Map()));
    bySubject.set(subject, version);
  }

  private unindexId(id: number, subject: string, version: number): void {
    const bySubject = this.idIndex.get(id);
    if (!bySubject || bySubject.get(subject) !== version) return;
    bySubject.delete(subject);
    // Another version of the same subject may carry the same id (re-registered after a delete).
    const other = [...(this.subjects.get(subject)?.values() ?? [])].filter((v) => v.id === id && v.version !== version).sort((a, b) => b.version - a.version)[0];
    if (other) bySubject.set(subject, other.version);
    if (bySubject.size === 0) this.idIndex.delete(id);
  }

  private dropReferences(v: SchemaValue): void {
    for (const ref of v.references) {
      const k = refKey(ref.subject, ref.version);
      const ids = this.referencedByIndex.get(k);
      if (!ids) continue;
      // Only when no live version with this id still refers to it.
      const stillReferring = [...(this.idIndex.get(v.id)?.entries() ?? [])].some(([s, ver]) => {
        const other = this.subjects.get(s)?.get(ver);
        return other !== undefined && other !== v && !other.deleted && other.references.some((r) => r.subject === ref.subject && r.version === ref.version);
      });
      if (stillReferring) continue;
      ids.delete(v.id);
      if (ids.size === 0) this.referencedByIndex.delete(k);
    }
  }

  // ---- reads ----------------------------------------------------------------------------------

  /** Subject names, sorted, that have at least one version the filter includes. */
  subjectNames(filter: LookupFilter, prefix = ""): string[] {
    const out: string[] = [];
    for (const [name, versions] of this.subjects) {
      if (!name.startsWith(prefix)) continue;
      // A subject is deleted when every version is (Confluent's extractUniqueSubjects).
      const allDeleted = [...versions.values()].every((v) => v.deleted);
      if (versions.size > 0 && includes(filter, allDeleted)) out.push(name);
    }
    return out.sort();
  }

  hasSubject(subject: string, includeDeleted: boolean): boolean {
    const versions = this.subjects.get(subject);
    return versions !== undefined && [...versions.values()].some((v) => includeDeleted || !v.deleted);
  }

  /** The subject's versions the filter includes, in version order. */
  versions(subject: string, filter: LookupFilter): SchemaValue[] {
    const versions = this.subjects.get(subject);
    if (!versions) return [];
    return [...versions.values()].filter((v) => includes(filter, v.deleted)).sort((a, b) => a.version - b.version);
  }

  get(subject: string, version: number): SchemaValue | undefined {
    return this.subjects.get(subject)?.get(version);
  }

  /** The highest live version of a subject. */
  latest(subject: string): SchemaValue | undefined {
    return this.versions(subject, "DEFAULT").at(-1);
  }

  /** The highest version number ever used in the subject (live or soft-deleted). */
  highestVersion(subject: string): number {
    return Math.max(0, ...(this.subjects.get(subject)?.keys() ?? []));
  }

  /** The id a schema was registered with, while some subject-version still carries it. */
  idOf(identity: string): number | undefined {
    const id = this.identities.get(identity);
    return id !== undefined && this.idIndex.has(id) ? id : undefined;
  }

  /** The subject-versions that carry an id (soft-deleted ones included), in registration order. */
  subjectVersionsOf(id: number): Array<{ subject: string; version: number }> {
    return [...(this.idIndex.get(id)?.entries() ?? [])].map(([subject, version]) => ({ subject, version }));
  }

  /** The schema with an id: as registered under `subject` when it is, else under any subject. */
  schemaById(id: number, subject?: string | null): SchemaValue | undefined {
    const bySubject = this.idIndex.get(id);
    if (!bySubject) return undefined;
    const version = subject ? bySubject.get(subject) : undefined;
    if (subject && version !== undefined) return this.get(subject, version);
    for (const [s, v] of bySubject) {
      const value = this.get(s, v);
      if (value) return value;
    }
    return undefined;
  }

  /** Ids of the live schemas that refer to subject-version, sorted. */
  referencedBy(subject: string, version: number): number[] {
    return [...(this.referencedByIndex.get(refKey(subject, version)) ?? [])].sort((a, b) => a - b);
  }

  /** The config record of a subject (null: the global one), if one is set. */
  config(subject: string | null): ConfigValue | undefined {
    return this.configs.get(subject);
  }

  mode(subject: string | null): Mode | undefined {
    return this.modes.get(subject);
  }

  /** Subjects that have their own config or mode record. */
  configuredSubjects(): string[] {
    return [...new Set([...this.configs.keys(), ...this.modes.keys()])].filter((s): s is string => s !== null);
  }

  maxId(): number {
    return this.maxIdSeen;
  }

  /** Every schema of every subject (live and soft-deleted), by subject then version. */
  allSchemas(): SchemaValue[] {
    return [...this.subjects.keys()].sort().flatMap((s) => this.versions(s, "INCLUDE_DELETED"));
  }
}

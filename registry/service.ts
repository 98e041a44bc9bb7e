// The Schema Registry's operations with Confluent's semantics (its KafkaSchemaRegistry and the
// REST resources' checks around it). Reads are answered from the in-memory state; writes run one
// at a time on the leader: catch up with the log, decide, append records, and the state changes
// when the records are read back — so a follower applying the same log ends up in the same state.
// A write on a follower throws NotLeaderError, which the REST layer turns into a forwarded request.
import type { Logger } from "../lib/logger.ts";
import { compatibilityContext, incompatibilities, type PreviousVersion } from "./compatibility.ts";
import { mergeMetadata, mergeRuleSets, withProperty } from "./data-contracts.ts";
import { errors, NotLeaderError, RegistryError } from "./errors.ts";
import type { AvroParsedSchema } from "./formats/avro/index.ts";
import { formatFor } from "./formats/index.ts";
import { protobufFormattedString } from "./formats/protobuf/output-formats.ts";
import { InvalidSchemaError, type ParsedSchema, type SchemaFormat, type SchemaReference, type SchemaType } from "./formats/types.ts";
import type { LeaderElection, RegistryIdentity, RegistryLog } from "./store/log.ts";
import {
  clearSubjectKey,
  type CompatibilityLevel,
  configKey,
  type ConfigValue,
  deleteSubjectKey,
  encodeKey,
  encodeValue,
  type Mode,
  modeKey,
  type RegistryKey,
  type RegistryValue,
  type SchemaMetadata,
  type SchemaRuleSet,
  type SchemaValue,
  schemaKey,
} from "./store/records.ts";
import { type LookupFilter, type RegistryState, schemaIdentity } from "./store/state.ts";
import { RegistryStoreError, RegistryStoreTimeoutError } from "./store/store-errors.ts";

/** A registration or lookup request's schema part (Confluent's RegisterSchemaRequest). */
export interface SchemaRequest {
  readonly schema?: string | null;
  readonly schemaType?: string | null;
  readonly references?: readonly SchemaReference[] | null;
  readonly metadata?: SchemaMetadata | null;
  readonly ruleSet?: SchemaRuleSet | null;
  /** Explicit id (IMPORT mode only). */
  readonly id?: number | null;
  /** Explicit version: in IMPORT mode any; otherwise it must be the next one. */
  readonly version?: number | null;
}

/** The answer to a registration: the id, and the whole schema when the registry changed or completed it. */
export interface RegisterResult {
  readonly id: number;
  readonly schema?: SchemaValue;
}

export interface CompatibilityResult {
  readonly isCompatible: boolean;
  readonly messages: readonly string[];
}

/** A config update (Confluent's ConfigUpdateRequest; absent members keep their value). */
export type ConfigUpdate = ConfigValue;

export interface RegistryServiceOptions {
  readonly state: RegistryState;
  readonly log: RegistryLog;
  readonly election: LeaderElection;
  /** `schema.compatibility.level` (default BACKWARD). */
  readonly defaultCompatibility?: CompatibilityLevel;
  /** `mode.mutability` (default true): whether PUT/DELETE /mode are allowed. */
  readonly modeMutability?: boolean;
  /** `kafkastore.timeout.ms` (default 500): how long a write may take. */
  readonly storeTimeoutMs?: number;
  /** `schema.search.default.limit` / `schema.search.max.limit` for GET /schemas. */
  readonly searchDefaultLimit?: number;
  readonly searchMaxLimit?: number;
  /** The largest record the store takes (the producer's max.request.size); larger schemas answer 42209. */
  readonly maxRecordBytes?: number;
  readonly logger?: Logger;
}

/** The store messages Confluent's resources answer a failed or timed-out write with. */
interface WriteOperation {
  readonly failed: string;
  readonly timedOut: string;
}

const REGISTER: WriteOperation = { failed: "Register schema operation failed while writing to the Kafka store", timedOut: "Register operation timed out" };
const DELETE_VERSION: WriteOperation = {
  failed: "Delete Schema Version operation failed while writing to the Kafka store",
  timedOut: "Delete Schema Version operation timed out",
};
const UPDATE_CONFIG: WriteOperation = { failed: "Failed to update compatibility level", timedOut: "Failed to update compatibility level" };
const DELETE_CONFIG: WriteOperation = { failed: "Failed to delete compatibility level", timedOut: "Failed to delete compatibility level" };
const UPDATE_MODE: WriteOperation = { failed: "Failed to update mode", timedOut: "Update mode operation timed out" };
const DELETE_MODE: WriteOperation = { failed: "Failed to delete mode", timedOut: "Failed to delete mode" };
const deleteSubjectOperation = (subject: string): WriteOperation => ({ failed: `Error while deleting the subject ${subject}`, timedOut: "Delete subject operation timed out" });

export const CONFLUENT_VERSION = "confluent:version";
const MIN_VERSION = 1;
/** Stored versions kept parsed (Confluent's schema.cache.size default). */
const PARSED_CACHE_SIZE = 1000;
const MAX_VERSION = 2 ** 31 - 1;

/** Parses a path version: "latest" or -1 (the latest live version) or 1..2^31-1; else 42202. */
export function parseVersion(text: string): number {
  const trimmed = text.trim();
  if (trimmed.toLowerCase() === "latest") return -1;
  if (!/^[+-]?\d+$/.test(trimmed)) throw errors.invalidVersion(text);
  const n = Number(trimmed);
  if (n === -1 || (n >= MIN_VERSION && n <= MAX_VERSION)) return n;
  throw errors.invalidVersion(text);
}

export function leaderUrl(identity: RegistryIdentity): string {
  const host = identity.host.includes(":") && !identity.host.startsWith("[") ? `[${identity.host}]` : identity.host;
  return `${identity.scheme}://${host}:${identity.port}`;
}

/** A subject name Confluent accepts: no ISO control characters (QualifiedSubject.isValidSubject). */
function isValidSubject(subject: string): boolean {
  // eslint-disable-next-line no-control-regex
  return subject.length > 0 && !/[\u0000-\u001f\u007f-\u009f]/.test(subject);
}

function describeReferences(refs: readonly SchemaReference[]): string {
  return `[${refs.map((r) => `{name='${r.name}', subject='${r.subject}', version=${r.version}}`).join(", ")}]`;
}

function describeMetadata(m: SchemaMetadata | null | undefined): string {
  if (!m) return "null";
  const tags = Object.entries(m.tags ?? {}).map(([k, v]) => `${k}=[${v.join(", ")}]`);
  const props = Object.entries(m.properties ?? {}).map(([k, v]) => `${k}=${v}`);
  return `Metadata{tags={${tags.join(", ")}}, properties={${props.join(", ")}}, sensitive=[${(m.sensitive ?? []).join(", ")}]}`;
}

/** The schema as Confluent's Schema.toString() shows it in a 42201 message. */
function describeRequest(subject: string, req: SchemaRequest, schemaType: string): string {
  const refs = req.references ?? [];
  return (
    `{subject=${subject},version=${req.version ?? 0},id=${req.id ?? -1},schemaType=${schemaType},references=${describeReferences(refs)},` +
    `metadata=${describeMetadata(req.metadata)},ruleSet=${req.ruleSet ? JSON.stringify(req.ruleSet) : "null"},schema=${req.schema ?? "null"},schemaTags=null}`
  );
}

function sameReferences(a: readonly SchemaReference[], b: readonly SchemaReference[]): boolean {
  return a.length === b.length && a.every((r, i) => r.name === b[i]?.name && r.subject === b[i]?.subject && r.version === b[i]?.version);
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new RegistryStoreTimeoutError(`the store did not answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** A parsed candidate schema with what is stored for it. */
interface Canonical {
  readonly format: SchemaFormat;
  readonly parsed: ParsedSchema;
  readonly schemaType: SchemaType;
  readonly text: string;
  readonly references: readonly SchemaReference[];
}

export class RegistryService {
  readonly state: RegistryState;
  private readonly log: RegistryLog;
  private readonly election: LeaderElection;
  readonly defaultCompatibility: CompatibilityLevel;
  readonly modeMutability: boolean;
  private readonly storeTimeoutMs: number;
  private readonly searchDefaultLimit: number;
  private readonly searchMaxLimit: number;
  private readonly maxRecordBytes: number;
  private readonly logger: Logger | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly parsedCache = new Map<string, ParsedSchema>();

  constructor(options: RegistryServiceOptions) {
    this.state = options.state;
    this.log = options.log;
    this.election = options.election;
    this.defaultCompatibility = options.defaultCompatibility ?? "BACKWARD";
    this.modeMutability = options.modeMutability ?? true;
    this.storeTimeoutMs = options.storeTimeoutMs ?? 500;
    this.searchDefaultLimit = options.searchDefaultLimit ?? 1000;
    this.searchMaxLimit = options.searchMaxLimit ?? 1000;
    this.maxRecordBytes = options.maxRecordBytes ?? 1024 * 1024;
    this.logger = options.logger;
  }

  // ---- leadership and writes ------------------------------------------------------------------

  isLeader(): boolean {
    return this.election.isLeader();
  }

  /** The leader's URL (null when there is none or this instance leads). */
  leaderUrl(): string | null {
    const leader = this.election.leader();
    return leader && !this.election.isLeader() ? leaderUrl(leader) : null;
  }

  private requireLeader(): void {
    if (this.election.isLeader()) return;
    const leader = this.election.leader();
    throw new NotLeaderError(leader ? leaderUrl(leader) : null);
  }

  /** Runs a write alone, on the leader, after catching up with the log. */
  private exclusive<T>(operation: WriteOperation, work: () => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      this.requireLeader();
      try {
        await this.log.waitUntilCaughtUp(this.storeTimeoutMs);
      } catch (err) {
        throw this.storeFailure(operation, err);
      }
      return work();
    };
    const result = this.chain.then(run, run);
    this.chain = result.catch(() => undefined);
    return result;
  }

  private storeFailure(operation: WriteOperation, err: unknown): RegistryError {
    if (err instanceof RegistryError) return err;
    this.logger?.error({ err }, operation.failed);
    if (err instanceof RegistryStoreTimeoutError) return errors.timeout(operation.timedOut, err);
    return errors.store(operation.failed, err);
  }

  private async append(operation: WriteOperation, key: RegistryKey, value: RegistryValue | null): Promise<void> {
    const keyBytes = encodeKey(key);
    const valueBytes = encodeValue(key, value);
    if (keyBytes.length + (valueBytes?.length ?? 0) > this.maxRecordBytes) throw errors.schemaTooLarge();
    try {
      await withTimeout(this.log.append(keyBytes, valueBytes), this.storeTimeoutMs);
    } catch (err) {
      if (err instanceof RegistryStoreError || !(err instanceof RegistryError)) throw this.storeFailure(operation, err);
      throw err;
    }
  }

  // ---- config and mode in scope ---------------------------------------------------------------

  /** The compatibility level that applies to a subject (its own, else the global one, else the default). */
  compatibilityLevel(subject: string | null): CompatibilityLevel {
    return (subject !== null ? this.state.config(subject)?.compatibilityLevel : undefined) ?? this.state.config(null)?.compatibilityLevel ?? this.defaultCompatibility;
  }

  /** The config in scope for a subject: its own record over the global one, the level always set. */
  configInScope(subject: string | null): ConfigValue {
    const global = this.state.config(null) ?? {};
    const own = subject !== null ? this.state.config(subject) : undefined;
    return { ...global, ...own, compatibilityLevel: this.compatibilityLevel(subject) };
  }

  /** The mode that applies to a subject (READONLY_OVERRIDE globally wins over any subject's). */
  modeInScope(subject: string | null): Mode {
    const global = this.state.mode(null) ?? "READWRITE";
    if (global === "READONLY_OVERRIDE" || subject === null) return global;
    return this.state.mode(subject) ?? global;
  }

  private isReadOnly(subject: string | null): boolean {
    const mode = this.modeInScope(subject);
    return mode === "READONLY" || mode === "READONLY_OVERRIDE";
  }

  private refuseIfReadOnly(subject: string | null): void {
    if (this.isReadOnly(subject)) throw errors.operationNotPermitted(`Subject ${subject} is in read-only mode`);
  }

  // ---- parsing --------------------------------------------------------------------------------

  /**
   * The texts of the schemas `refs` name, transitively, by reference name, dependencies first.
   * A reference to a version that does not exist is an invalid schema (42201).
   */
  resolveReferences(refs: readonly SchemaReference[]): Map<string, string> {
    const resolved = new Map<string, string>();
    const visiting = new Set<string>();
    const visit = (ref: SchemaReference): void => {
      if (resolved.has(ref.name) || visiting.has(ref.name)) return;
      const target = ref.version === -1 ? this.state.latest(ref.subject) : this.state.get(ref.subject, ref.version);
      if (!target) throw new InvalidSchemaError(`No schema reference found for subject "${ref.subject}" and version ${ref.version}`);
      visiting.add(ref.name);
      for (const inner of target.references) visit(inner);
      visiting.delete(ref.name);
      resolved.set(ref.name, target.schema);
    };
    for (const ref of refs) visit(ref);
    return resolved;
  }

  /**
   * Parses a stored version (for compatibility checks). Parses are kept for the versions most
   * recently checked: a transitive level checks every version on every registration.
   */
  parseStored(v: SchemaValue): ParsedSchema {
    const format = formatFor(v.schemaType);
    if (!format) throw errors.invalidSchema(`Invalid schema type ${v.schemaType}`);
    const resolved = this.resolveReferences(v.references);
    const key = JSON.stringify([v.schemaType, v.schema, v.references, [...resolved]]);
    const cached = this.parsedCache.get(key);
    if (cached) {
      this.parsedCache.delete(key);
      this.parsedCache.set(key, cached);
      return cached;
    }
    // A stored schema is not new: checks Confluent applies to new schemas only are skipped.
    const parsed = format.parse(v.schema, v.references, resolved, { isNew: false });
    this.parsedCache.set(key, parsed);
    if (this.parsedCache.size > PARSED_CACHE_SIZE) this.parsedCache.delete(this.parsedCache.keys().next().value as string);
    return parsed;
  }

  /**
   * Parses a request's schema into what the registry stores (Confluent's canonicalizeSchema);
   * 42201 when it is not valid. `isNew` as Confluent's: false for lookups and imports.
   */
  private canonicalize(subject: string, req: SchemaRequest, normalize: boolean, isNew: boolean): Canonical {
    const schemaType = req.schemaType ?? "AVRO";
    const format = formatFor(schemaType);
    if (!format) throw errors.invalidSchema(`Invalid schema type ${schemaType}`);
    const references = req.references ?? [];
    const text = req.schema ?? "";
    try {
      const parsed = format.parse(text, references, this.resolveReferences(references), { normalize, isNew });
      return { format, parsed, schemaType: format.schemaType, text: parsed.canonicalString, references: parsed.references };
    } catch (err) {
      if (err instanceof RegistryError) throw err;
      const detail = err instanceof Error ? err.message : String(err);
      if (!(err instanceof InvalidSchemaError)) this.logger?.warn({ err, subject }, "a schema format failed on a schema");
      throw errors.invalidSchema(`Invalid schema ${describeRequest(subject, req, schemaType)} with refs ${describeReferences(references)} of type ${schemaType}, details: ${detail}`);
    }
  }

  private normalizeFor(subject: string | null, normalize: boolean): boolean {
    return normalize || this.configInScope(subject).normalize === true;
  }

  private checkSubject(subject: string): void {
    if (!isValidSubject(subject)) throw errors.invalidSubject(subject);
  }

  // ---- registration and lookup ----------------------------------------------------------------

  /** POST /subjects/{subject}/versions. */
  async register(subject: string, req: SchemaRequest, options: { normalize?: boolean } = {}): Promise<RegisterResult> {
    this.checkSubject(subject);
    const normalize = this.normalizeFor(subject, options.normalize ?? false);
    const config = this.configInScope(subject);
    // Confluent answers a schema the subject already has without going to the leader.
    const hasDefaults = config.defaultMetadata || config.overrideMetadata || config.defaultRuleSet || config.overrideRuleSet;
    if (!req.version && !hasDefaults && req.schema && req.schema.trim() !== "") {
      const existing = this.findUnderSubject(subject, req, normalize, { includeDeleted: false, lenient: false });
      if (existing && (req.id === undefined || req.id === null || req.id < 0 || req.id === existing.id)) return { id: existing.id };
    }
    return this.exclusive(REGISTER, () => this.registerOnLeader(subject, req, normalize));
  }

  private async registerOnLeader(subject: string, req: SchemaRequest, normalize: boolean): Promise<RegisterResult> {
    const explicitId = req.id !== undefined && req.id !== null && req.id >= 0 ? req.id : null;
    const mode = this.modeInScope(subject);
    if (mode === "READONLY" || mode === "READONLY_OVERRIDE") throw errors.operationNotPermitted(`Subject ${subject} is in read-only mode`);
    if (explicitId !== null && mode !== "IMPORT") throw errors.operationNotPermitted(`Subject ${subject} is not in import mode`);
    if (explicitId === null && mode !== "READWRITE") throw errors.operationNotPermitted(`Subject ${subject} is not in read-write mode`);

    const all = this.state.versions(subject, "INCLUDE_DELETED");
    const live = all.filter((v) => !v.deleted);
    const previous = live.at(-1);
    const newVersion = Math.max(MIN_VERSION, this.state.highestVersion(subject) + 1);
    const requestedVersion = req.version ?? 0;
    const config = this.configInScope(subject);

    let request: SchemaRequest = req;
    let modified = false;
    if (mode !== "IMPORT") {
      if (!req.schema || req.schema.trim() === "") {
        if (!previous) throw errors.invalidSchema("Empty schema");
        request = { ...request, schema: previous.schema, schemaType: previous.schemaType, references: previous.references };
        modified = true;
      }
      let metadata = mergeMetadata(mergeMetadata(config.defaultMetadata, request.metadata ?? previous?.metadata), config.overrideMetadata);
      const ruleSet = mergeRuleSets(mergeRuleSets(config.defaultRuleSet, request.ruleSet ?? previous?.ruleSet), config.overrideRuleSet);
      if (requestedVersion !== 0 || metadata?.properties?.[CONFLUENT_VERSION] !== undefined) metadata = withProperty(metadata, CONFLUENT_VERSION, String(newVersion));
      if (metadata || ruleSet) {
        request = { ...request, metadata, ruleSet };
        modified = true;
      }
    } else if (!req.schema || req.schema.trim() === "") {
      throw errors.invalidSchema("Empty schema");
    }

    const canonical = this.canonicalize(subject, request, normalize, explicitId === null);
    const metadata = request.metadata ?? null;
    const ruleSet = request.ruleSet ?? null;
    const identity = schemaIdentity(canonical.schemaType, canonical.text, canonical.references, metadata, ruleSet);
    const candidate = (version: number, id: number): SchemaValue => ({
      subject,
      version,
      id,
      schemaType: canonical.schemaType,
      references: canonical.references,
      metadata,
      ruleSet,
      schema: canonical.text,
      deleted: false,
    });

    let schemaId = explicitId ?? -1;
    const knownId = this.state.idOf(identity);
    if (knownId !== undefined && (explicitId === null || explicitId === knownId)) {
      const mine = live.find((v) => v.id === knownId);
      if (requestedVersion === 0 && mine) return modified ? { id: knownId, schema: mine } : { id: knownId };
      // An import replaying a version exactly as it is answers it without writing (Confluent 7.9).
      if (mode === "IMPORT" && requestedVersion > 0) {
        const at = this.state.get(subject, requestedVersion);
        if (at && !at.deleted && at.id === knownId) return { id: knownId, schema: at };
      }
      schemaId = knownId;
    }

    if (mode !== "IMPORT") {
      const messages = this.compatibilityMessages(subject, config, canonical, metadata, live);
      if (messages.length > 0) throw errors.incompatible(subject, messages);
    }

    let version: number;
    if (requestedVersion <= 0) version = newVersion;
    else if (requestedVersion !== newVersion && mode !== "IMPORT") throw errors.invalidSchema("Version is not one more than previous version");
    else version = requestedVersion;

    if (explicitId !== null) {
      const holder = this.state.schemaById(explicitId);
      if (holder) {
        const same =
          holder.schema === canonical.text &&
          holder.schemaType === canonical.schemaType &&
          sameReferences(holder.references, canonical.references) &&
          schemaIdentity(holder.schemaType, holder.schema, holder.references, holder.metadata, holder.ruleSet) === identity;
        if (!same) throw errors.operationNotPermitted(`Overwrite new schema with id ${explicitId} is not permitted.`);
      }
    } else if (schemaId < 0) {
      schemaId = this.state.maxId() + 1;
      while (this.state.schemaById(schemaId)) schemaId++;
    }

    // A soft-deleted earlier version with the same id is superseded: tombstone it (as Confluent does).
    for (const old of all) {
      if (old.deleted && old.id === schemaId && old.version < version) await this.append(REGISTER, schemaKey(subject, old.version), null);
    }
    const value = candidate(version, schemaId);
    await this.append(REGISTER, schemaKey(subject, version), { keytype: "SCHEMA", value });
    this.logger?.info({ subject, version, id: schemaId, schemaType: value.schemaType }, "registered a schema");
    return modified ? { id: schemaId, schema: value } : { id: schemaId };
  }

  private compatibilityMessages(
    subject: string,
    config: ConfigValue,
    canonical: Canonical,
    metadata: SchemaMetadata | null,
    previous: readonly SchemaValue[],
  ): string[] {
    const level = config.compatibilityLevel ?? this.defaultCompatibility;
    let versions = previous;
    const group = config.compatibilityGroup;
    if (group) {
      // Only versions with the same value of the group property (which may be absent) are checked.
      const value = metadata?.properties?.[group];
      versions = versions.filter((v) => v.metadata?.properties?.[group] === value);
    }
    const history: PreviousVersion[] = versions.map((v) => ({ version: v.version, schemaType: v.schemaType, text: v.schema, parse: () => this.parseStored(v) }));
    let messages: string[];
    try {
      messages = incompatibilities(canonical.format, level, canonical.parsed, history);
    } catch (err) {
      if (err instanceof RegistryError) throw err;
      this.logger?.error({ err, subject }, "a compatibility check failed");
      throw errors.invalidSchema(`Invalid schema: ${err instanceof Error ? err.message : String(err)}`);
    }
    return messages.length > 0 ? [...messages, compatibilityContext(level, config.validateFields === true)] : [];
  }

  /**
   * The version of `subject` a request's schema is registered as: the same stored text,
   * references and (when the request has them) metadata and rules.
   */
  private findUnderSubject(
    subject: string,
    req: SchemaRequest,
    normalize: boolean,
    options: { readonly includeDeleted: boolean; readonly lenient: boolean },
  ): SchemaValue | undefined {
    if (!req.schema || req.schema.trim() === "") return undefined;
    const canonical = this.canonicalize(subject, req, normalize, false);
    const metadata = req.metadata ?? null;
    const ruleSet = req.ruleSet ?? null;
    const identity = schemaIdentity(canonical.schemaType, canonical.text, canonical.references, metadata, ruleSet);
    const candidates = this.state.versions(subject, options.includeDeleted ? "INCLUDE_DELETED" : "DEFAULT").reverse();
    const exact = candidates.find((v) => schemaIdentity(v.schemaType, v.schema, v.references, v.metadata, v.ruleSet) === identity);
    if (exact || !options.lenient) return exact;
    // A request without metadata or rules matches a version that has them.
    return candidates.find(
      (v) =>
        v.schemaType === canonical.schemaType &&
        v.schema === canonical.text &&
        sameReferences(v.references, canonical.references) &&
        (!req.metadata || schemaIdentity("AVRO", "", [], v.metadata, null) === schemaIdentity("AVRO", "", [], metadata, null)) &&
        (!req.ruleSet || schemaIdentity("AVRO", "", [], null, v.ruleSet) === schemaIdentity("AVRO", "", [], null, ruleSet)),
    );
  }

  /** POST /subjects/{subject}: the version the schema is registered as; 40401 or 40403 when none. */
  lookup(subject: string, req: SchemaRequest, options: { normalize?: boolean; deleted?: boolean } = {}): SchemaValue {
    const normalize = this.normalizeFor(subject, options.normalize ?? false);
    const found = this.findUnderSubject(subject, req, normalize, { includeDeleted: options.deleted ?? false, lenient: true });
    if (found) return found;
    if (!this.state.hasSubject(subject, options.deleted ?? false)) throw errors.subjectNotFound(subject);
    throw errors.schemaNotFound();
  }

  // ---- reads ----------------------------------------------------------------------------------

  /** GET /schemas/ids/{id}. */
  schemaById(id: number, subject?: string | null): SchemaValue {
    const found = this.state.schemaById(id, subject);
    if (!found) throw errors.schemaNotFound(id);
    return found;
  }

  /**
   * A version with its schema text in one of Confluent's output formats (the `format` query
   * parameter of the reads), as Confluent's ParsedSchema.formattedString gives it: none or blank,
   * the text as stored; AVRO `resolved`, the schema with its referenced types written out; PROTOBUF
   * `serialized`, a base64-encoded FileDescriptorProto, and `ignore_extensions`. AVRO answers its
   * canonical text for a format it does not have (Confluent logs a warning); JSON has no formats
   * and PROTOBUF none but its own, which Confluent answers with a bare 500.
   */
  formatted(v: SchemaValue, format: string | undefined): SchemaValue {
    if (format === undefined || format.trim() === "") return v;
    let text: string | undefined;
    try {
      if (v.schemaType === "AVRO") {
        const parsed = this.parseStored(v) as AvroParsedSchema;
        text = format === "resolved" ? parsed.resolvedString : parsed.canonicalString;
      } else if (v.schemaType === "PROTOBUF") {
        text = protobufFormattedString(v.schema, this.resolveReferences(v.references), format);
      }
    } catch (err) {
      if (err instanceof RegistryError) throw err;
      if (err instanceof InvalidSchemaError) throw errors.invalidSchema(`Invalid schema ${v.schema}, details: ${err.message}`);
      throw err;
    }
    if (text === undefined) {
      this.logger?.warn({ schemaType: v.schemaType, format }, "a schema was asked for in a format its type does not have");
      // Confluent's generic exception mapper: its JSON and Protobuf schemas throw on such a format.
      throw new RegistryError(500, 500, "Internal Server Error");
    }
    return { ...v, schema: text };
  }

  /** GET /schemas/ids/{id}/versions: every subject-version with the id (the subject locates, it does not filter). */
  versionsForId(id: number, subject: string | null, deleted: boolean): Array<{ subject: string; version: number }> {
    if (!this.state.schemaById(id, subject)) throw errors.schemaNotFound();
    return this.state
      .subjectVersionsOf(id)
      .filter(({ subject: s, version }) => {
        const v = this.state.get(s, version);
        return v !== undefined && (deleted || !v.deleted);
      })
      .sort((a, b) => (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : a.version - b.version));
  }

  /** GET /schemas/ids/{id}/subjects. */
  subjectsForId(id: number, subject: string | null, deleted: boolean): string[] {
    return [...new Set(this.versionsForId(id, subject, deleted).map((sv) => sv.subject))];
  }

  /** GET /schemas: schemas of the subjects with a prefix, by subject and version. */
  listSchemas(options: { prefix?: string; deleted?: boolean; latestOnly?: boolean; offset?: number; limit?: number }): SchemaValue[] {
    const filter: LookupFilter = options.deleted ? "INCLUDE_DELETED" : "DEFAULT";
    const prefix = options.prefix ?? "";
    const out: SchemaValue[] = [];
    for (const subject of this.state.subjectNames("INCLUDE_DELETED", prefix)) {
      const versions = this.state.versions(subject, filter);
      if (options.latestOnly) {
        const last = versions.at(-1);
        if (last) out.push(last);
      } else out.push(...versions);
    }
    const requested = options.limit ?? -1;
    const limit = requested > 0 && requested <= this.searchMaxLimit ? requested : this.searchDefaultLimit;
    const offset = Math.max(0, options.offset ?? 0);
    return out.slice(offset, offset + limit);
  }

  /** GET /subjects. */
  listSubjects(options: { prefix?: string; deleted?: boolean; deletedOnly?: boolean } = {}): string[] {
    const filter: LookupFilter = options.deletedOnly ? "DELETED_ONLY" : options.deleted ? "INCLUDE_DELETED" : "DEFAULT";
    // Confluent's default prefix ":*:" matches every subject of every context.
    const prefix = options.prefix === undefined || options.prefix === ":*:" ? "" : options.prefix;
    return this.state.subjectNames(filter, prefix);
  }

  /** GET /subjects/{subject}/versions. */
  listVersions(subject: string, options: { deleted?: boolean; deletedOnly?: boolean } = {}): number[] {
    if (!this.state.hasSubject(subject, options.deleted === true || options.deletedOnly === true)) throw errors.subjectNotFound(subject);
    const filter: LookupFilter = options.deletedOnly ? "DELETED_ONLY" : options.deleted ? "INCLUDE_DELETED" : "DEFAULT";
    return this.state.versions(subject, filter).map((v) => v.version);
  }

  /** A version (-1: the latest live one), soft-deleted ones only when asked; undefined when none. */
  private find(subject: string, version: number, includeDeleted: boolean): SchemaValue | undefined {
    if (version === -1) return this.state.latest(subject);
    const v = this.state.get(subject, version);
    return v && (!v.deleted || includeDeleted) ? v : undefined;
  }

  /** GET /subjects/{subject}/versions/{version}. */
  getVersion(subject: string, versionText: string, deleted = false): SchemaValue {
    const version = parseVersion(versionText);
    const found = this.find(subject, version, deleted);
    if (found) return found;
    if (!this.state.hasSubject(subject, deleted)) throw errors.subjectNotFound(subject);
    throw errors.versionNotFound(version);
  }

  /** GET /subjects/{subject}/versions/{version}/referencedby. */
  referencedBy(subject: string, versionText: string): number[] {
    const v = this.getVersion(subject, versionText, true);
    return this.state.referencedBy(v.subject, v.version);
  }

  // ---- deletes --------------------------------------------------------------------------------

  /** DELETE /subjects/{subject}/versions/{version}: the deleted version. */
  async deleteVersion(subject: string, versionText: string, permanent: boolean): Promise<number> {
    const version = parseVersion(versionText);
    const target = (): SchemaValue => {
      const any = this.find(subject, version, true);
      if (any && !permanent && any.deleted) throw errors.versionSoftDeleted(subject, versionText);
      if (any) return any;
      if (!this.state.hasSubject(subject, true)) throw errors.subjectNotFound(subject);
      throw errors.versionNotFound(version);
    };
    target();
    return this.exclusive(DELETE_VERSION, async () => {
      const v = target();
      this.refuseIfReadOnly(subject);
      if (this.state.referencedBy(subject, v.version).length > 0) throw errors.referenceExists(subject, v.version);
      if (permanent && !v.deleted) throw errors.versionNotSoftDeleted(subject, v.version);
      if (permanent) {
        await this.append(DELETE_VERSION, schemaKey(subject, v.version), null);
      } else {
        await this.append(DELETE_VERSION, schemaKey(subject, v.version), { keytype: "SCHEMA", value: { ...v, deleted: true } });
        // A subject without live versions keeps no config or mode of its own.
        if (!this.state.hasSubject(subject, false)) await this.dropSubjectSettings(subject, DELETE_VERSION);
      }
      this.logger?.info({ subject, version: v.version, permanent }, "deleted a schema version");
      return v.version;
    });
  }

  private async dropSubjectSettings(subject: string, operation: WriteOperation): Promise<void> {
    if (this.state.mode(subject) !== undefined) await this.append(operation, modeKey(subject), null);
    if (this.state.config(subject) !== undefined) await this.append(operation, configKey(subject), null);
  }

  /** DELETE /subjects/{subject}: the deleted versions. */
  async deleteSubject(subject: string, permanent: boolean): Promise<number[]> {
    const precheck = (): void => {
      if (!this.state.hasSubject(subject, true)) throw errors.subjectNotFound(subject);
      if (!permanent && !this.state.hasSubject(subject, false)) throw errors.subjectSoftDeleted(subject);
    };
    precheck();
    const operation = deleteSubjectOperation(subject);
    return this.exclusive(operation, async () => {
      precheck();
      this.refuseIfReadOnly(subject);
      const versions = this.state.versions(subject, permanent ? "INCLUDE_DELETED" : "DEFAULT");
      for (const v of versions) {
        if (this.state.referencedBy(subject, v.version).length > 0) throw errors.referenceExists(subject, v.version);
        if (permanent && !v.deleted) throw errors.subjectNotSoftDeleted(subject);
      }
      const numbers = versions.map((v) => v.version);
      if (permanent) {
        for (const n of numbers) await this.append(operation, schemaKey(subject, n), null);
      } else {
        await this.append(operation, deleteSubjectKey(subject), { keytype: "DELETE_SUBJECT", value: { subject, version: Math.max(...numbers) } });
        await this.dropSubjectSettings(subject, operation);
      }
      this.logger?.info({ subject, versions: numbers, permanent }, "deleted a subject");
      return numbers;
    });
  }

  // ---- compatibility --------------------------------------------------------------------------

  /**
   * POST /compatibility/subjects/{subject}/versions[/{version}]: is the schema compatible with that
   * version (or, without one, with the versions the subject's level checks)?
   */
  checkCompatibility(subject: string, versionText: string | null, req: SchemaRequest, options: { normalize?: boolean; verbose?: boolean } = {}): CompatibilityResult {
    let previous: SchemaValue[];
    if (versionText !== null) {
      const version = parseVersion(versionText);
      const found = this.find(subject, version, false);
      if (!found && version !== -1) {
        if (!this.state.hasSubject(subject, false)) throw errors.subjectNotFound(subject);
        throw errors.versionNotFound(version);
      }
      previous = found ? [found] : [];
    } else {
      previous = this.state.versions(subject, "DEFAULT");
    }
    const normalize = this.normalizeFor(subject, options.normalize ?? false);
    const config = this.configInScope(subject);
    let canonical: Canonical;
    try {
      if (!req.schema || req.schema.trim() === "") throw errors.invalidSchema("Empty schema");
      canonical = this.canonicalize(subject, req, normalize, true);
    } catch (err) {
      if (options.verbose && err instanceof RegistryError && err.errorCode === 42201) return { isCompatible: false, messages: [err.message] };
      throw err;
    }
    const messages = this.compatibilityMessages(subject, config, canonical, req.metadata ?? null, previous);
    return { isCompatible: messages.length === 0, messages };
  }

  // ---- config ---------------------------------------------------------------------------------

  /** GET /config and GET /config/{subject}: 40408 when the subject has none and no default is asked for. */
  getConfig(subject: string | null, defaultToGlobal = false): ConfigValue {
    if (subject === null) return { ...this.state.config(null), compatibilityLevel: this.compatibilityLevel(null) };
    const own = this.state.config(subject);
    if (!own && !defaultToGlobal) throw errors.subjectCompatibilityNotConfigured(subject);
    return defaultToGlobal ? this.configInScope(subject) : { ...own, compatibilityLevel: own?.compatibilityLevel ?? this.compatibilityLevel(subject) };
  }

  /** PUT /config[/{subject}]: merges the update into the record. */
  async setConfig(subject: string | null, update: ConfigUpdate): Promise<void> {
    if (subject !== null) this.checkSubject(subject);
    await this.exclusive(UPDATE_CONFIG, async () => {
      this.refuseIfReadOnly(subject);
      const old = this.state.config(subject) ?? {};
      const merged: ConfigValue = { ...old };
      for (const [k, v] of Object.entries(update)) if (v !== undefined && v !== null) (merged as Record<string, unknown>)[k] = v;
      await this.append(UPDATE_CONFIG, configKey(subject), { keytype: "CONFIG", value: merged });
      this.logger?.info({ subject, config: merged }, "updated a config");
    });
  }

  /** DELETE /config[/{subject}]: the config that was in place. */
  async deleteConfig(subject: string | null): Promise<ConfigValue> {
    const old = (): ConfigValue => {
      if (subject === null) return this.getConfig(null);
      const own = this.state.config(subject);
      if (!own) throw errors.subjectNotFound(subject);
      return own;
    };
    old();
    return this.exclusive(DELETE_CONFIG, async () => {
      const before = old();
      this.refuseIfReadOnly(subject);
      await this.append(DELETE_CONFIG, configKey(subject), null);
      return before;
    });
  }

  // ---- mode -----------------------------------------------------------------------------------

  /** GET /mode and GET /mode/{subject}: 40409 when the subject has none and no default is asked for. */
  getMode(subject: string | null, defaultToGlobal = false): Mode {
    if (subject === null || defaultToGlobal) return this.modeInScope(subject);
    const global = this.state.mode(null);
    if (global === "READONLY_OVERRIDE") return global;
    const own = this.state.mode(subject);
    if (own === undefined) throw errors.subjectModeNotConfigured(subject);
    return own;
  }

  /** PUT /mode[/{subject}]. */
  async setMode(subject: string | null, mode: Mode, force = false): Promise<void> {
    if (subject !== null) this.checkSubject(subject);
    if (!this.modeMutability) throw errors.operationNotPermitted("Mode changes are not allowed");
    await this.exclusive(UPDATE_MODE, async () => {
      if (mode === "IMPORT" && this.modeInScope(subject) !== "IMPORT" && !force) {
        // Importing starts from nothing: no live subject may match, soft-deleted ones are purged.
        const matching = subject === null ? this.state.subjectNames("INCLUDE_DELETED") : this.state.hasSubject(subject, true) ? [subject] : [];
        if (matching.some((s) => this.state.hasSubject(s, false))) throw errors.operationNotPermitted("Cannot import since found existing subjects");
        const purge = matching.flatMap((s) => this.state.versions(s, "INCLUDE_DELETED"));
        for (const v of purge) if (this.state.referencedBy(v.subject, v.version).length > 0) throw errors.referenceExists(v.subject, v.version);
        for (const v of purge) await this.append(UPDATE_MODE, schemaKey(v.subject, v.version), null);
        await this.append(UPDATE_MODE, clearSubjectKey(subject), { keytype: "CLEAR_SUBJECT", value: { subject } });
      }
      await this.append(UPDATE_MODE, modeKey(subject), { keytype: "MODE", value: { mode } });
      this.logger?.info({ subject, mode }, "updated a mode");
    });
  }

  /** DELETE /mode/{subject}: the mode that was set. */
  async deleteMode(subject: string): Promise<Mode> {
    if (!this.modeMutability) throw errors.operationNotPermitted("Mode changes are not allowed");
    const old = (): Mode => {
      const own = this.state.mode(subject);
      if (own === undefined) throw errors.subjectNotFound(subject);
      return own;
    };
    old();
    return this.exclusive(DELETE_MODE, async () => {
      const before = old();
      await this.append(DELETE_MODE, modeKey(subject), null);
      return before;
    });
  }
}

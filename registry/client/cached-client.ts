// The registry client the serdes use (Confluent's CachedSchemaRegistryClient): the REST calls
// behind caches, since a serializer asks the same question for every record. Registered ids and
// schemas by id never change, so they are cached for good (bounded per subject / in total); the
// latest version of a subject changes, so it is cached for latest.cache.ttl.sec (-1: forever, as
// Confluent). Concurrent callers of the same question share one request.
import type { ResolvedReferences, SchemaReference } from "../formats/types.ts";
import type { SchemaById, SchemaSpec, SubjectVersion } from "./entities.ts";
import { BoundedCache } from "./bounded-cache.ts";
import { RestService, type RestServiceOptions } from "./rest-service.ts";

export interface CachedClientOptions extends RestServiceOptions {
  /** Schemas remembered per subject (Confluent's max.schemas.per.subject, 1000). */
  readonly maxSchemasPerSubject?: number;
  /** How long a subject's latest version is remembered, in seconds; negative: until restart (latest.cache.ttl.sec). */
  readonly latestCacheTtlSec?: number;
  /** How many subjects' latest versions are remembered (latest.cache.size). */
  readonly latestCacheSize?: number;
}

/** A schema with the texts of everything it refers to, ready for a format's parse. */
export interface ResolvedSchema extends SchemaById {
  readonly resolvedReferences: ResolvedReferences;
}

const keys = new WeakMap<SchemaSpec, string>();

/** The key of a schema within a subject: its text, format and references (computed once per spec object). */
export function schemaKey(schema: SchemaSpec): string {
  let key = keys.get(schema);
  if (key === undefined) {
    key = JSON.stringify([schema.schemaType ?? "AVRO", schema.schema, schema.references ?? []]);
    keys.set(schema, key);
  }
  return key;
}

export class CachedSchemaRegistryClient {
  readonly rest: RestService;
  readonly #perSubject: number;
  readonly #latestTtlMs: number;
  /** subject -> schema key -> id (register and lookup). */
  readonly #ids = new Map<string, BoundedCache<string, Promise<number>>>();
  /** subject -> schema key -> version (lookup). */
  readonly #versions = new Map<string, BoundedCache<string, Promise<number>>>();
  readonly #byId: BoundedCache<number, Promise<ResolvedSchema>>;
  readonly #bySubjectVersion: BoundedCache<string, Promise<SubjectVersion>>;
  readonly #latest: BoundedCache<string, { at: number; value: Promise<SubjectVersion> }>;

  constructor(options: CachedClientOptions | RestService, cacheOptions: Omit<CachedClientOptions, keyof RestServiceOptions> = {}) {
    const rest = options instanceof RestService ? options : new RestService(options);
    const opts = options instanceof RestService ? cacheOptions : options;
    this.rest = rest;
    this.#perSubject = Math.max(1, opts.maxSchemasPerSubject ?? 1000);
    this.#latestTtlMs = (opts.latestCacheTtlSec ?? -1) < 0 ? Number.POSITIVE_INFINITY : (opts.latestCacheTtlSec ?? 0) * 1000;
    this.#byId = new BoundedCache(Math.max(1000, this.#perSubject));
    this.#bySubjectVersion = new BoundedCache(Math.max(1000, this.#perSubject));
    this.#latest = new BoundedCache(Math.max(1, opts.latestCacheSize ?? 1000));
  }

  /** Registers the schema under the subject (or finds it registered already); its id. */
  register(subject: string, schema: SchemaSpec, normalize = false): Promise<number> {
    return this.#cached(this.#ids, subject, `${normalize}:${schemaKey(schema)}`, async () => (await this.rest.register(subject, schema, normalize)).id);
  }

  /** The id of a schema registered under the subject (RestClientException 40403 when it is not). */
  getId(subject: string, schema: SchemaSpec, normalize = false): Promise<number> {
    return this.#cached(this.#ids, subject, `${normalize}:${schemaKey(schema)}`, async () => {
      const found = await this.rest.lookUpSubjectVersion(subject, schema, { normalize });
      return found.id;
    });
  }

  /** The version of the subject that holds this schema. */
  getVersion(subject: string, schema: SchemaSpec, normalize = false): Promise<number> {
    return this.#cached(this.#versions, subject, `${normalize}:${schemaKey(schema)}`, async () => {
      const found = await this.rest.lookUpSubjectVersion(subject, schema, { normalize });
      return found.version;
    });
  }

  /** The schema with this id, its references resolved. */
  getSchemaById(id: number, subject?: string): Promise<ResolvedSchema> {
    let found = this.#byId.get(id);
    if (found === undefined) {
      found = (async () => {
        const schema = await this.rest.getSchemaById(id, subject);
        return { ...schema, resolvedReferences: await this.resolveReferences(schema.references) };
      })();
      this.#remember(this.#byId, id, found);
    }
    return found;
  }

  /** A version of a subject (immutable once registered, so cached). */
  getSubjectVersion(subject: string, version: number): Promise<SubjectVersion> {
    const key = `${version}\u0000${subject}`;
    let found = this.#bySubjectVersion.get(key);
    if (found === undefined) {
      found = this.rest.getSubjectVersion(subject, version);
      this.#remember(this.#bySubjectVersion, key, found);
    }
    return found;
  }

  /** The latest version of a subject, cached for latest.cache.ttl.sec. */
  getLatestSubjectVersion(subject: string): Promise<SubjectVersion> {
    const now = Date.now();
    const cached = this.#latest.get(subject);
    if (cached !== undefined && now - cached.at < this.#latestTtlMs) return cached.value;
    const value = this.rest.getSubjectVersion(subject, "latest");
    const entry = { at: now, value };
    this.#latest.set(subject, entry);
    value.catch(() => {
      if (this.#latest.get(subject) === entry) this.#latest.delete(subject);
    });
    return value;
  }

  /**
   * The texts of the referenced schemas, transitively, by reference name, each after the schemas
   * it refers to (what a format's parse takes).
   */
  async resolveReferences(references: readonly SchemaReference[]): Promise<ResolvedReferences> {
    const resolved = new Map<string, string>();
    const visiting = new Set<string>();
    const visit = async (refs: readonly SchemaReference[]): Promise<void> => {
      for (const ref of refs) {
        if (resolved.has(ref.name) || visiting.has(ref.name)) continue;
        visiting.add(ref.name);
        const version = await this.getSubjectVersion(ref.subject, ref.version);
        await visit(version.references);
        resolved.set(ref.name, version.schema);
      }
    };
    await visit(references);
    return resolved;
  }

  /** Forgets what was learnt of a subject (after it was deleted, say). */
  invalidateSubject(subject: string): void {
    this.#ids.delete(subject);
    this.#versions.delete(subject);
    this.#latest.delete(subject);
  }

  #cached<T>(caches: Map<string, BoundedCache<string, Promise<T>>>, subject: string, key: string, load: () => Promise<T>): Promise<T> {
    let cache = caches.get(subject);
    if (cache === undefined) {
      cache = new BoundedCache(this.#perSubject);
      caches.set(subject, cache);
    }
    let found = cache.get(key);
    if (found === undefined) {
      found = load();
      this.#remember(cache, key, found);
    }
    return found;
  }

  /** Caches a pending answer so concurrent callers share it; a failure is not remembered. */
  #remember<K, T>(cache: BoundedCache<K, Promise<T>>, key: K, value: Promise<T>): void {
    cache.set(key, value);
    value.catch(() => {
      if (cache.get(key) === value) cache.delete(key);
    });
  }
}

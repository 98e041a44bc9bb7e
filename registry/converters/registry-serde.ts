// What every registry-backed serializer and deserializer does, whatever the format (Confluent's
// AbstractKafkaSchemaSerDe and its serializer/deserializer halves):
//
//   writing  name the subject (key/value.subject.name.strategy), then find the schema id:
//            register it (auto.register.schemas, the default), or take a given id
//            (use.schema.id), or the subject's latest version (use.latest.version), or look the
//            schema up (it must be registered already)
//   reading  take the id from the wire format, fetch that schema (once: ids never change) and,
//            for Connect, the version it has under the subject (the Connect schema's version)
//
// The format (Avro, JSON Schema, Protobuf) plugs in through SchemaFormatAdapter.
import type { CachedSchemaRegistryClient, ResolvedSchema, SchemaSpec } from "../client/index.ts";
import type { ResolvedReferences, SchemaType } from "../formats/types.ts";
import type { SubjectNameStrategy } from "../serde/subject-name-strategy.ts";
import { SerializationException, unframe } from "../serde/wire-format.ts";
import type { SerdeSettings } from "./serde-config.ts";

/** A schema of the format with what the registry knows it by. */
export interface RegisteredSchema<P> {
  readonly parsed: P;
  readonly spec: SchemaSpec;
  readonly resolvedReferences: ResolvedReferences;
}

export interface SchemaFormatAdapter<P> {
  readonly schemaType: SchemaType;
  /** How error messages name the format: "Avro", "JSON Schema", "Protobuf". */
  readonly label: string;
  /** Parses a schema the registry returned. */
  parse(schema: ResolvedSchema): P;
  /** The name RecordNameStrategy uses (null: the schema has none). */
  recordName(schema: P): string | null;
  /** Why `reader` cannot read data written with `writer` (empty: it can). */
  incompatibilities(reader: RegisteredSchema<P>, writer: RegisteredSchema<P>): string[];
}

/** A registry call failed: `context` says which ("Error registering Avro schema"), as Confluent's messages do. */
export class RegistryCallError extends Error {
  override name = "RegistryCallError";
  readonly context: string;

  constructor(context: string, cause: unknown) {
    super(`${context}: ${(cause as Error).message}`, { cause });
    this.context = context;
  }
}

/** The schema a value is written with, and its id. */
export interface WriterSchema<P> {
  readonly id: number;
  readonly schema: RegisteredSchema<P>;
  /** The subject it was registered or found under. */
  readonly subject: string;
}

/** What a framed message was written with. */
export interface ReaderInput<P> {
  readonly id: number;
  readonly schema: RegisteredSchema<P>;
  /** The writer schema's version under the subject (null if not asked for). */
  readonly version: number | null;
  readonly messageIndexes: readonly number[] | null;
  readonly payload: Buffer;
}

const MAX_PARSED = 1000;

export class RegistrySerde<P> {
  readonly client: CachedSchemaRegistryClient;
  readonly settings: SerdeSettings;
  readonly format: SchemaFormatAdapter<P>;
  readonly isKey: boolean;
  readonly #byId = new Map<number, Promise<RegisteredSchema<P>>>();

  constructor(client: CachedSchemaRegistryClient, settings: SerdeSettings, format: SchemaFormatAdapter<P>, isKey: boolean) {
    this.client = client;
    this.settings = settings;
    this.format = format;
    this.isKey = isKey;
  }

  get strategy(): SubjectNameStrategy {
    return this.isKey ? this.settings.keyStrategy : this.settings.valueStrategy;
  }

  subjectName(topic: string, schema: P): string {
    return this.strategy.subjectName(topic, this.isKey, this.format.recordName(schema));
  }

  /** The id (and schema) to write a value of schema `own` with, as the settings say. */
  async writerFor(topic: string, own: RegisteredSchema<P>): Promise<WriterSchema<P>> {
    const subject = this.subjectName(topic, own.parsed);
    const { settings, client, format } = this;
    if (settings.autoRegister) {
      const id = await call(`Error registering ${format.label} schema`, () => client.register(subject, own.spec, settings.normalize));
      return { id, schema: own, subject };
    }
    if (settings.useSchemaId >= 0) {
      const schema = await call("Error retrieving schema ID", () => this.schemaById(settings.useSchemaId, subject));
      if (settings.idCompatStrict) this.#checkCompatible(schema, own, "id.compatibility.strict");
      return { id: settings.useSchemaId, schema, subject };
    }
    if (settings.useLatestVersion) {
      const latest = await call(`Error retrieving latest version of ${format.label} schema`, async () => {
        const version = await client.getLatestSubjectVersion(subject);
        return { id: version.id, schema: await this.schemaById(version.id, subject) };
      });
      if (settings.latestCompatStrict) this.#checkCompatible(latest.schema, own, "latest.compatibility.strict");
      return { id: latest.id, schema: latest.schema, subject };
    }
    const id = await call(`Error retrieving ${format.label} schema`, () => client.getId(subject, own.spec, settings.normalize));
    return { id, schema: own, subject };
  }

  /** Confluent's sanity check: the registered schema must be able to read data of the value's own schema. */
  #checkCompatible(registered: RegisteredSchema<P>, own: RegisteredSchema<P>, key: string): void {
    const problems = this.format.incompatibilities(registered, own);
    if (problems.length > 0) {
      throw new SerializationException(
        `Incompatible schema ${registered.spec.schema} with refs ${JSON.stringify(registered.spec.references ?? [])} of type ${registered.spec.schemaType ?? "AVRO"} ` +
          `for schema ${own.spec.schema}. Set ${key}=false to disable this check. Reasons: ${problems.join("; ")}`,
      );
    }
  }

  /** The registered schema with this id, parsed (cached for good: ids never change). */
  schemaById(id: number, subject?: string): Promise<RegisteredSchema<P>> {
    let found = this.#byId.get(id);
    if (found === undefined) {
      found = this.client.getSchemaById(id, subject).then((resolved) => {
        if (resolved.schemaType !== this.format.schemaType) {
          throw new SerializationException(`Schema ${id} is a ${resolved.schemaType} schema, not ${this.format.schemaType}`);
        }
        return {
          parsed: this.format.parse(resolved),
          spec: { schema: resolved.schema, schemaType: resolved.schemaType, references: resolved.references },
          resolvedReferences: resolved.resolvedReferences,
        };
      });
      if (this.#byId.size >= MAX_PARSED) this.#byId.delete(this.#byId.keys().next().value as number);
      this.#byId.set(id, found);
      found.catch(() => {
        if (this.#byId.get(id) === found) this.#byId.delete(id);
      });
    }
    return found;
  }

  /** Unframes a message and fetches its writer schema (and, with `withVersion`, that schema's version under the subject). */
  async readerFor(topic: string, bytes: Buffer, options: { messageIndexes?: boolean; withVersion?: boolean } = {}): Promise<ReaderInput<P>> {
    const message = unframe(bytes, { messageIndexes: options.messageIndexes ?? false });
    const kind = this.isKey ? "key" : "value";
    const schema = await call(`Error retrieving ${this.format.label} schema for id ${message.schemaId}`, () => this.schemaById(message.schemaId));
    let version: number | null = null;
    if (options.withVersion) {
      const subject = this.subjectName(topic, schema.parsed);
      version = await call(`Error retrieving ${this.format.label} ${kind} schema version for id ${message.schemaId}`, () => this.client.getVersion(subject, schema.spec));
    }
    return { id: message.schemaId, schema, version, messageIndexes: message.messageIndexes, payload: message.payload };
  }
}

/** Runs a registry call; a failure becomes a RegistryCallError saying which call it was (format errors pass through). */
async function call<T>(context: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof SerializationException) throw e;
    throw new RegistryCallError(context, e);
  }
}

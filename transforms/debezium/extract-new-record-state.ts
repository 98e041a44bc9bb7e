// Debezium's event-flattening SMT (io.debezium.transforms.ExtractNewRecordState), written from
// its documented behaviour: a Debezium change event (a Struct value whose schema is named
// `<prefix>.<schema>.<table>.Envelope`, with before/after/source/op/ts_ms) becomes the row's
// `after` state. Deletes and tombstones are dropped, kept or rewritten per
// delete.tombstone.handling.mode (or the older drop.tombstones + delete.handling.mode pair);
// envelope metadata can be copied into the value (add.fields) or headers (add.headers). Records
// that are not change events (heartbeats, schema changes, schemaless values) pass unchanged.
import { ConfigDef, ConfigException, type ConnectRecord, definePlugin, type Headers, Schema, SchemaBuilder, Struct, Transformation, ValidString, type Validator, type PluginConfigs } from "../../connect/api/index.ts";
import { copySchemaBasics, HUB_TRANSFORMS_VERSION, REPLACE_NULL_WITH_DEFAULT_DOC, structGet } from "../util.ts";

const ENVELOPE_SUFFIX = ".Envelope";
const DELETED_FIELD = "__deleted";

/** What becomes of a delete event's record. */
type DeleteAction = "drop" | "rewrite" | "null-value" | "tombstone";

/** The outcome of both handling settings: the delete event's fate and whether tombstones stay. */
interface DeleteHandling {
  readonly deletes: DeleteAction;
  readonly keepTombstones: boolean;
}

const TOMBSTONE_HANDLING_MODES: Readonly<Record<string, DeleteHandling>> = {
  drop: { deletes: "drop", keepTombstones: false },
  tombstone: { deletes: "drop", keepTombstones: true },
  rewrite: { deletes: "rewrite", keepTombstones: false },
  "rewrite-with-tombstone": { deletes: "rewrite", keepTombstones: true },
  "delete-to-tombstone": { deletes: "tombstone", keepTombstones: false },
};

// The legacy delete.handling.mode values; `none` keeps the delete as a record whose value is null.
const LEGACY_DELETE_ACTIONS: Readonly<Record<string, DeleteAction>> = { drop: "drop", rewrite: "rewrite", none: "null-value" };

/** Accepts null (unset) or whatever the inner validator accepts. */
class NullOr implements Validator {
  readonly #inner: Validator;

  constructor(inner: Validator) {
    this.#inner = inner;
  }

  ensureValid(name: string, value: unknown): void {
    if (value !== null) this.#inner.ensureValid(name, value);
  }

  toString(): string {
    return this.#inner.toString();
  }
}

// With delete.tombstone.handling.mode unset, the legacy pair decides (its defaults drop both the
// delete event and its tombstone, as Debezium's newer `drop` mode would).
export const EXTRACT_NEW_RECORD_STATE_CONFIG = new ConfigDef()
  .define({ name: "drop.tombstones", type: "BOOLEAN", defaultValue: true, importance: "LOW", documentation: "Deprecated (use delete.tombstone.handling.mode). Whether tombstone records are dropped from the stream." })
  .define({ name: "delete.handling.mode", type: "STRING", defaultValue: "drop", validator: ValidString.in(...Object.keys(LEGACY_DELETE_ACTIONS)), importance: "MEDIUM", documentation: "Deprecated (use delete.tombstone.handling.mode). How delete events are handled: drop removes them, none keeps them with a null value, rewrite emits the before state with __deleted=true." })
  .define({ name: "delete.tombstone.handling.mode", type: "STRING", defaultValue: null, validator: new NullOr(ValidString.in(...Object.keys(TOMBSTONE_HANDLING_MODES))), importance: "MEDIUM", documentation: "How delete events and tombstones are handled: drop, tombstone, rewrite, rewrite-with-tombstone or delete-to-tombstone. When set, it takes precedence over drop.tombstones and delete.handling.mode." })
  .define({ name: "route.by.field", type: "STRING", defaultValue: "", importance: "LOW", documentation: "A field of the row state (after, or before for a rewritten delete) whose value becomes the record's topic." })
  .define({ name: "add.fields", type: "LIST", defaultValue: "", importance: "LOW", documentation: "Envelope fields to add to the value, e.g. op,table,source.ts_ms; `field:newName` renames." })
  .define({ name: "add.fields.prefix", type: "STRING", defaultValue: "__", importance: "LOW", documentation: "Prefix of the names of the fields added by add.fields." })
  .define({ name: "add.headers", type: "LIST", defaultValue: "", importance: "LOW", documentation: "Envelope fields to add as headers, e.g. op,db,source.ts_ms; `field:newName` renames." })
  .define({ name: "add.headers.prefix", type: "STRING", defaultValue: "__", importance: "LOW", documentation: "Prefix of the names of the headers added by add.headers." })
  .define({ name: "drop.fields.header.name", type: "STRING", defaultValue: null, importance: "LOW", documentation: "A header listing field names to drop from the output value (and key, with drop.fields.from.key)." })
  .define({ name: "drop.fields.from.key", type: "BOOLEAN", defaultValue: false, importance: "LOW", documentation: "Whether the fields named by drop.fields.header.name are also dropped from the key." })
  .define({ name: "drop.fields.keep.schema.compatible", type: "BOOLEAN", defaultValue: true, importance: "LOW", documentation: "When true, only optional fields named by drop.fields.header.name are dropped." })
  .define({ name: "replace.null.with.default", type: "BOOLEAN", defaultValue: true, importance: "LOW", documentation: REPLACE_NULL_WITH_DEFAULT_DOC });

/** One add.fields / add.headers entry: a path in the envelope and the output name. */
interface MetadataField {
  /** ["op"] or ["source", "ts_ms"]. */
  readonly path: readonly string[];
  readonly outputName: string;
}

function parseMetadataFields(entries: readonly string[], prefix: string): MetadataField[] {
  return entries
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "")
    .map((entry) => {
      const [reference, rename] = entry.split(":", 2) as [string, string | undefined];
      const path = reference.split(".");
      if (path.some((part) => part === "")) throw new ConfigException(`Invalid metadata field reference: ${entry}`);
      return { path, outputName: prefix + (rename !== undefined && rename.trim() !== "" ? rename.trim() : path.join("_")) };
    });
}

/** The field's own schema made optional: metadata may be absent from some events. */
function optionalCopy(schema: Schema): Schema {
  return schema.optional ? schema : schema.with({ optional: true });
}

/** A metadata value and its schema, or null when the envelope has no such field. */
interface Located {
  readonly schema: Schema;
  readonly value: unknown;
}

/**
 * Resolves a metadata path in the envelope. A single name is looked up at the envelope's top
 * level first (op, ts_ms, transaction), then in `source` (db, table, lsn ...).
 */
function locate(envelope: Struct, path: readonly string[]): Located | null {
  const walk = (start: Struct | null, parts: readonly string[]): Located | null => {
    let struct = start;
    let schema: Schema | null = start?.schema ?? null;
    let value: unknown = start;
    for (const part of parts) {
      if (schema === null || schema.type !== "STRUCT") return null;
      const field = schema.field(part);
      if (!field) return null;
      schema = field.schema;
      value = struct === null ? null : struct.get(field.name);
      struct = value instanceof Struct ? value : null;
    }
    return schema === null ? null : { schema, value };
  };
  if (path.length === 1 && !envelope.schema.field(path[0]!)) {
    const source = envelope.schema.field("source") ? envelope.get("source") : null;
    return source instanceof Struct ? walk(source, path) : null;
  }
  return walk(envelope, path);
}

function isChangeEvent(record: ConnectRecord): record is ConnectRecord & { value: Struct } {
  const schema = record.valueSchema;
  return schema !== null && schema.type === "STRUCT" && (schema.name?.endsWith(ENVELOPE_SUFFIX) ?? false) && record.value instanceof Struct;
}

export class ExtractNewRecordState extends Transformation {
  #handling: DeleteHandling = { deletes: "drop", keepTombstones: false };
  #routeByField = "";
  #addFields: MetadataField[] = [];
  #addHeaders: MetadataField[] = [];
  #dropFieldsHeader: string | null = null;
  #dropFieldsFromKey = false;
  #dropOnlyOptional = true;
  #replaceNullWithDefault = true;
  readonly #schemaCache = new Map<string, Schema>();
  readonly #schemaIds = new WeakMap<Schema, number>();

  override configure(configs: PluginConfigs): void {
    const c = EXTRACT_NEW_RECORD_STATE_CONFIG.parse(configs);
    const mode = c["delete.tombstone.handling.mode"] as string | null;
    this.#handling =
      mode !== null
        ? TOMBSTONE_HANDLING_MODES[mode]!
        : { deletes: LEGACY_DELETE_ACTIONS[c["delete.handling.mode"] as string]!, keepTombstones: !(c["drop.tombstones"] as boolean) };
    this.#routeByField = (c["route.by.field"] as string).trim();
    this.#addFields = parseMetadataFields(c["add.fields"] as string[], c["add.fields.prefix"] as string);
    this.#addHeaders = parseMetadataFields(c["add.headers"] as string[], c["add.headers.prefix"] as string);
    const dropHeader = c["drop.fields.header.name"] as string | null;
    this.#dropFieldsHeader = dropHeader === null || dropHeader.trim() === "" ? null : dropHeader.trim();
    this.#dropFieldsFromKey = c["drop.fields.from.key"] as boolean;
    this.#dropOnlyOptional = c["drop.fields.keep.schema.compatible"] as boolean;
    this.#replaceNullWithDefault = c["replace.null.with.default"] as boolean;
  }

  override apply(record: ConnectRecord): ConnectRecord | null {
    if (record.value === null) return this.#handling.keepTombstones ? record : null;
    if (!isChangeEvent(record)) return record;
    const envelope = record.value;
    const op = envelope.schema.field("op") ? envelope.get("op") : null;
    // A truncate event has no row state to extract.
    if (op === "t") return null;
    const after = envelope.schema.field("after") ? envelope.get("after") : null;
    const isDelete = op === "d" || !(after instanceof Struct);
    const headers = this.#metadataHeaders(record, envelope);
    if (!isDelete) return this.#finish(record, envelope, after, headers, false);
    switch (this.#handling.deletes) {
      case "drop":
        return null;
      case "tombstone":
        return record.newRecord({ valueSchema: null, value: null, headers });
      case "null-value": {
        const rowSchema = envelope.schema.field("after")?.schema ?? null;
        return record.newRecord({ valueSchema: rowSchema, value: null, headers });
      }
      case "rewrite": {
        const before = envelope.schema.field("before") ? envelope.get("before") : null;
        if (!(before instanceof Struct)) return record.newRecord({ valueSchema: envelope.schema.field("before")?.schema ?? null, value: null, headers });
        return this.#finish(record, envelope, before, headers, true);
      }
    }
  }

  /** The row state as the new value, with __deleted and metadata fields, routed and trimmed. */
  #finish(record: ConnectRecord, envelope: Struct, row: Struct, headers: Headers, deleted: boolean): ConnectRecord {
    const rewriting = this.#handling.deletes === "rewrite";
    let value = row;
    if (rewriting || this.#addFields.length > 0) value = this.#enrich(envelope, row, rewriting ? String(deleted) : null);
    let topic = record.topic;
    if (this.#routeByField !== "" && row.schema.field(this.#routeByField)) {
      const target = row.get(this.#routeByField);
      if (target !== null && target !== undefined) topic = String(target);
    }
    let key = record.key;
    let keySchema = record.keySchema;
    const dropped = this.#fieldsToDrop(record);
    if (dropped.size > 0) {
      value = this.#withoutFields(value, dropped);
      if (this.#dropFieldsFromKey && key instanceof Struct) {
        key = this.#withoutFields(key, dropped);
        keySchema = (key as Struct).schema;
      }
    }
    return record.newRecord({ topic, keySchema, key, valueSchema: value.schema, value, headers });
  }

  #enrich(envelope: Struct, row: Struct, deletedFlag: string | null): Struct {
    const located = this.#addFields.map((f) => ({ field: f, found: locate(envelope, f.path) }));
    const schema = this.#cached(`enrich:${this.#idOf(row.schema)}:${this.#idOf(envelope.schema)}:${deletedFlag !== null}`, () => {
      const builder = copySchemaBasics(row.schema, SchemaBuilder.struct());
      if (row.schema.optional) builder.optional();
      for (const field of row.schema.fields) builder.field(field.name, field.schema);
      if (deletedFlag !== null) builder.field(DELETED_FIELD, Schema.OPTIONAL_STRING_SCHEMA);
      for (const { field, found } of located) {
        // Debezium still adds a field the envelope lacks (as an optional string, always null).
        if (!builder.fields().some((f) => f.name === field.outputName)) builder.field(field.outputName, found ? optionalCopy(found.schema) : Schema.OPTIONAL_STRING_SCHEMA);
      }
      return builder.build();
    });
    const out = new Struct(schema);
    for (const field of row.schema.fields) out.put(field.name, structGet(row, field.name, this.#replaceNullWithDefault));
    if (deletedFlag !== null) out.put(DELETED_FIELD, deletedFlag);
    for (const { field, found } of located) if (found && found.value !== undefined) out.put(field.outputName, found.value);
    return out;
  }

  /** A copy of the record's headers with the add.headers metadata appended (absent ones skipped). */
  #metadataHeaders(record: ConnectRecord, envelope: Struct): Headers {
    const headers = record.headers.duplicate();
    for (const field of this.#addHeaders) {
      const found = locate(envelope, field.path);
      if (found) headers.add(field.outputName, found.value ?? null, optionalCopy(found.schema));
    }
    return headers;
  }

  /** The names listed in the drop.fields.header.name header (a list of strings or a comma-separated string). */
  #fieldsToDrop(record: ConnectRecord): Set<string> {
    if (this.#dropFieldsHeader === null) return new Set();
    const header = record.headers.lastWithName(this.#dropFieldsHeader);
    const raw = header?.value;
    const names = Array.isArray(raw) ? raw.map(String) : typeof raw === "string" ? raw.split(",") : [];
    return new Set(names.map((n) => n.trim()).filter((n) => n !== ""));
  }

  #withoutFields(struct: Struct, names: ReadonlySet<string>): Struct {
    const removable = (field: { name: string; schema: Schema }): boolean => names.has(field.name) && (!this.#dropOnlyOptional || field.schema.optional);
    if (!struct.schema.fields.some(removable)) return struct;
    const key = `drop:${this.#idOf(struct.schema)}:${[...names].sort().join(",")}:${this.#dropOnlyOptional}`;
    const schema = this.#cached(key, () => {
      const builder = copySchemaBasics(struct.schema, SchemaBuilder.struct());
      if (struct.schema.optional) builder.optional();
      for (const field of struct.schema.fields) if (!removable(field)) builder.field(field.name, field.schema);
      return builder.build();
    });
    const out = new Struct(schema);
    for (const field of schema.fields) out.put(field.name, structGet(struct, field.name, this.#replaceNullWithDefault));
    return out;
  }

  // Derived schemas are cached per source schema object (by identity), so repeated events of
  // one table share one output schema, as downstream converters expect.
  #idOf(schema: Schema): number {
    let id = this.#schemaIds.get(schema);
    if (id === undefined) {
      id = nextSchemaId++;
      this.#schemaIds.set(schema, id);
    }
    return id;
  }

  #cached(key: string, build: () => Schema): Schema {
    let schema = this.#schemaCache.get(key);
    if (!schema) {
      schema = build();
      this.#schemaCache.set(key, schema);
    }
    return schema;
  }

  override config(): ConfigDef {
    return EXTRACT_NEW_RECORD_STATE_CONFIG;
  }
}

let nextSchemaId = 0;

export const extractNewRecordStatePlugin = definePlugin({
  name: "ExtractNewRecordState",
  kind: "transformation",
  version: HUB_TRANSFORMS_VERSION,
  aliases: ["io.debezium.transforms.ExtractNewRecordState"],
  configDef: EXTRACT_NEW_RECORD_STATE_CONFIG,
  doc: "Flatten a Debezium change event to the row's new state (after), handling deletes and tombstones and optionally adding envelope metadata as fields or headers.",
  create: () => new ExtractNewRecordState(),
});

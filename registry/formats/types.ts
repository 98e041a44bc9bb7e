// What the registry needs of a schema format (Avro, JSON Schema, Protobuf), and nothing more:
// parse a schema text with its references into a ParsedSchema, and tell whether data written
// with one schema can be read with another. The REST layer, the store and the compatibility
// levels (BACKWARD, FORWARD, FULL, transitive or not) are format-agnostic on top of this
// (registry/compatibility.ts composes them), as in Confluent's Schema Registry.

/** Confluent's names for the formats (`schemaType` in the REST API; AVRO when absent). */
export type SchemaType = "AVRO" | "JSON" | "PROTOBUF";

export const SCHEMA_TYPES: readonly SchemaType[] = ["AVRO", "JSON", "PROTOBUF"];

/** A reference as registered: `name` is how the referring schema names it (an Avro full name, a JSON `$ref` URL, a `.proto` import path). */
export interface SchemaReference {
  readonly name: string;
  readonly subject: string;
  readonly version: number;
}

/**
 * The schemas a schema refers to, resolved by the store: every reference, transitively
 * (references of references too), by its `name`, in dependency order (a schema after the
 * schemas it refers to), each with its text.
 */
export type ResolvedReferences = ReadonlyMap<string, string>;

/** A schema text that is not a valid schema of its format: the REST layer answers 42201 with this message. */
export class InvalidSchemaError extends Error {
  override name = "InvalidSchemaError";
}

export interface ParseOptions {
  /**
   * Confluent's `normalize=true`: canonicalize further so that semantically equal texts get the
   * same `canonicalString` (Avro: Parsing Canonical Form plus what it drops that matters
   * — defaults, aliases, logical types, doc is dropped; JSON Schema: key order; Protobuf:
   * ordering and defaults of options, fully qualified type names).
   */
  readonly normalize?: boolean;
  /**
   * Confluent's `isNew`: the schema is being registered (or looked up, or tested) now, rather
   * than read back from the store. Checks that Confluent applies to new schemas only are skipped
   * otherwise, so that a `_schemas` topic written by an older registry still loads (Avro: field
   * defaults must fit their types). Default: true.
   */
  readonly isNew?: boolean;
}

export interface ParsedSchema {
  readonly schemaType: SchemaType;
  /**
   * The text the registry stores and returns, and compares to find a schema already registered
   * (with the references): Confluent's `canonicalString()` — for Avro the schema as Avro's Java
   * `Schema.toString()` prints it (whitespace removed, attributes kept); JSON Schema: the JSON
   * with whitespace removed; Protobuf: the schema printed back in a canonical text form.
   * With `normalize`, the normalized form.
   */
  readonly canonicalString: string;
  /** The references it was parsed with (as registered). */
  readonly references: readonly SchemaReference[];
  /**
   * The name RecordNameStrategy uses: the Avro record's (or enum's, fixed's) full name, the JSON
   * Schema's `title`, the first Protobuf message's full name; null when there is none.
   */
  readonly name: string | null;
}

export interface CompatibilityRoles {
  readonly reader: "new" | "old";
  readonly writer: "new" | "old";
}

export interface SchemaFormat<P extends ParsedSchema = ParsedSchema> {
  readonly schemaType: SchemaType;
  /** Parses and validates a schema; throws InvalidSchemaError with a message for the user. */
  parse(text: string, references: readonly SchemaReference[], resolved: ResolvedReferences, options?: ParseOptions): P;
  /**
   * Why data written with `writer` cannot be read with `reader` (empty: it can), one message per
   * incompatibility, as Confluent's verbose compatibility check lists them, e.g.
   * `{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field 'f' at path '/fields/1' in the new schema has no default value and is missing in the old schema', additionalInfo:'f'}`.
   * BACKWARD checks (reader = new, writer = old); FORWARD (reader = old, writer = new).
   * `roles` words the messages: which of the two is the "new" and which the "old" schema
   * (default: the reader is the new one).
   */
  incompatibilities(reader: P, writer: P, roles?: CompatibilityRoles): string[];
}

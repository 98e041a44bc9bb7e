// The Avro format of the Schema Registry: parsing (with references to schemas of other
// subjects), the canonical text Confluent stores and returns, Confluent's normalization, and
// compatibility as Confluent reports it. The rules are Apache Avro's Java implementation's
// (1.11), which Confluent's registry runs; schema.ts says how they are followed.
import type { Type } from "avsc";
import type {
  CompatibilityRoles,
  ParsedSchema,
  ParseOptions,
  ResolvedReferences,
  SchemaFormat,
  SchemaReference,
} from "../types.ts";
import { avscType } from "./avsc.ts";
import { checkReaderWriter, CompatibilityCheckError, type Incompatibility } from "./compatibility.ts";
import { normalizedSchemaText } from "./normalize.ts";
import { printSchema } from "./print.ts";
import { type AvroSchema, AvroNames, isNamed, parseAvroSchema } from "./schema.ts";

export type { AvroSchema, Field, NamedSchema, RecordSchema } from "./schema.ts";
export type { Incompatibility } from "./compatibility.ts";
/** The avsc Type of a parsed schema's model with other avsc options (wrapUnions, logicalTypes ...). */
export { avscType } from "./avsc.ts";

/** A parsed Avro schema: the registry's view plus what the serializers and converters need. */
export interface AvroParsedSchema extends ParsedSchema {
  readonly schemaType: "AVRO";
  /**
   * The schema as an avsc Type (named types from references included), built on first use.
   * Throws when avsc cannot represent a schema Java Avro accepts (avsc only takes ASCII names).
   */
  readonly avroType: Type;
  /**
   * The schema as Java Avro holds it (every attribute and property, named types shared by their
   * references, referenced types included), for what avsc leaves out (docs, `connect.*` properties).
   */
  readonly model: AvroSchema;
  /** The schema with its referenced types written out (Confluent's `format=resolved`). */
  readonly resolvedString: string;
}

class ParsedAvroSchema implements AvroParsedSchema {
  readonly schemaType = "AVRO" as const;
  readonly canonicalString: string;
  readonly references: readonly SchemaReference[];
  readonly name: string | null;
  readonly model: AvroSchema;
  private type: Type | undefined;
  private resolved: string | undefined;

  constructor(model: AvroSchema, canonicalString: string, references: readonly SchemaReference[]) {
    this.model = model;
    this.canonicalString = canonicalString;
    this.references = references;
    this.name = isNamed(model) ? model.name.full : null;
  }

  get avroType(): Type {
    this.type ??= avscType(this.model);
    return this.type;
  }

  get resolvedString(): string {
    this.resolved ??= printSchema(this.model);
    return this.resolved;
  }
}

interface Parsed {
  readonly model: AvroSchema;
  /** Full names of the types the references define, which the canonical text names without defining. */
  readonly referenced: readonly string[];
}

/**
 * Parses the referenced schemas, in dependency order, then the schema, into one set of names, as
 * Confluent does with one Java Schema.Parser; the schema can then use the referenced types by name.
 *
 * Every named type a reference defines counts as defined elsewhere, also one nested inside a
 * referenced record. Confluent counts only each reference's top-level type, so it writes a
 * nested one out in full where the schema uses it, and that text no longer parses with its
 * references ("Can't redefine"); the hub names it instead, so that what it stores reads back.
 */
function parseWithReferences(text: string, resolved: ResolvedReferences, isNew: boolean): Parsed {
  const names = new AvroNames();
  for (const refText of resolved.values()) parseAvroSchema(refText, names, { validateDefaults: isNew });
  const referenced = names.definedNames();
  return { model: parseAvroSchema(text, names, { validateDefaults: isNew }), referenced };
}

/** Confluent's order of references (SchemaReference.compareTo): by subject, then version. */
function compareReferences(a: SchemaReference, b: SchemaReference): number {
  if (a.subject !== b.subject) return a.subject < b.subject ? -1 : 1;
  return a.version - b.version;
}

/** Confluent sorts a normalized schema's references (a stable sort) and drops exact repeats. */
function normalizedReferences(references: readonly SchemaReference[]): SchemaReference[] {
  const out: SchemaReference[] = [];
  for (const r of [...references].sort(compareReferences)) {
    if (!out.some((o) => o.name === r.name && o.subject === r.subject && o.version === r.version)) out.push(r);
  }
  return out;
}

export function parseAvro(
  text: string,
  references: readonly SchemaReference[],
  resolved: ResolvedReferences,
  options: ParseOptions = {},
): AvroParsedSchema {
  const isNew = options.isNew ?? true;
  let parsed = parseWithReferences(text, resolved, isNew);
  if (!options.normalize) {
    return new ParsedAvroSchema(parsed.model, printSchema(parsed.model, parsed.referenced), references);
  }
  // Confluent builds the normalized text, then parses it again as a schema of its own.
  parsed = parseWithReferences(normalizedSchemaText(parsed.model, parsed.referenced), resolved, isNew);
  return new ParsedAvroSchema(
    parsed.model,
    printSchema(parsed.model, parsed.referenced),
    normalizedReferences(references),
  );
}

/** Confluent's wording of one incompatibility (its Difference class), with "new"/"old" filled in. */
export function describeIncompatibility(i: Incompatibility, roles: CompatibilityRoles): string {
  const { reader, writer } = roles;
  let description: string;
  switch (i.type) {
    case "FIXED_SIZE_MISMATCH":
      description = `The size of FIXED type field at path '${i.location}' in the ${reader} schema does not match with the ${writer} schema`;
      break;
    case "TYPE_MISMATCH":
      description = `The type (path '${i.location}') of a field in the ${reader} schema does not match with the ${writer} schema`;
      break;
    case "NAME_MISMATCH":
      description = `The name of the schema has changed (path '${i.location}')`;
      break;
    case "MISSING_ENUM_SYMBOLS":
      description = `The ${reader} schema is missing enum symbols '${i.message}' at path '${i.location}' in the ${writer} schema`;
      break;
    case "MISSING_UNION_BRANCH":
      description = `The ${reader} schema is missing a type inside a union field at path '${i.location}' in the ${writer} schema`;
      break;
    case "READER_FIELD_MISSING_DEFAULT_VALUE":
      description = `The field '${i.message}' at path '${i.location}' in the ${reader} schema has no default value and is missing in the ${writer} schema`;
      break;
  }
  return `{errorType:'${i.type}', description:'${description}', additionalInfo:'${i.message}'}`;
}

export function avroIncompatibilities(
  reader: AvroParsedSchema,
  writer: AvroParsedSchema,
  roles: CompatibilityRoles = { reader: "new", writer: "old" },
): string[] {
  let found: Incompatibility[];
  try {
    found = checkReaderWriter(reader.model, writer.model);
  } catch (e) {
    if (e instanceof CompatibilityCheckError) return [`Unexpected exception during compatibility check: ${e.message}`];
    throw e;
  }
  return found.map((i) => describeIncompatibility(i, roles));
}

export const avroFormat: SchemaFormat<AvroParsedSchema> = {
  schemaType: "AVRO",
  parse: parseAvro,
  incompatibilities: avroIncompatibilities,
};


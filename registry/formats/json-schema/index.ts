// The JSON Schema format of the Schema Registry (Confluent's schemaType "JSON"):
// - parse: the text must be JSON, a JSON object or boolean, and valid against the meta-schema of
//   its draft (draft-04, -06, -07, 2019-09, 2020-12 by `$schema`; draft-07 without one); every
//   `$ref` must resolve, within the schema or to one of its references (a reference's `name` is
//   the URL a `$ref` uses, relative to the schema's `$id` when it has one);
// - canonical string: the JSON without whitespace, keys in the order given (Confluent's
//   JsonSchema.canonicalString()); normalize sorts object keys (and the references);
// - name: the `title`;
// - new schemas (isNew): no top-level property named with the "$$" prefix;
// - compatibility: Confluent's JSON Schema diff rules (./diff.ts), each incompatible difference
//   worded as `{errorType:"...", description:"..."}`.
import type { ValidateFunction } from "ajv";
import {
  type CompatibilityRoles,
  InvalidSchemaError,
  type ParseOptions,
  type ParsedSchema,
  type ResolvedReferences,
  type SchemaFormat,
  type SchemaReference,
} from "../types.ts";
import { schemaDifferences } from "./diff.ts";
import { formatDifference, isCompatibleChange } from "./differences.ts";
import { compileValidator, type Draft, draftOf, idKeyword, metaSchemaErrors } from "./drafts.ts";
import { type JsonTree, type JsonValue, parseJsonText, toJsonValue, writeJsonText } from "./json-text.ts";
import { InvalidPatternError, loadSchemaModel, resolveUri, type SchemaDocument, type SchemaNode, UnresolvableReferenceError } from "./model.ts";

export type { JsonValue } from "./json-text.ts";
export type { Draft } from "./drafts.ts";

export interface JsonParsedSchema extends ParsedSchema {
  readonly schemaType: "JSON";
  /** The draft the schema is written in. */
  readonly draft: Draft;
  /** The schema document as parsed: an object or a boolean. */
  readonly schema: JsonValue;
  /** The referenced schema documents (transitively) by reference name (the URL a `$ref` uses). */
  readonly referencedSchemas: ReadonlyMap<string, JsonValue>;
  /**
   * Validates a value against the schema, its references resolved (ajv, strict=false; formats are
   * not checked). Compiled on first use: compiling costs milliseconds per kilobyte of schema, and
   * the registry parses every stored schema when it starts but validates data with few of them.
   */
  readonly validate: ValidateFunction;
  /** The schema as the compatibility rules see it. */
  readonly model: SchemaNode;
}

/** The base URI of a schema without an absolute `$id` (Confluent resolves against "mem://input"). */
const DEFAULT_BASE_URI = "mem://input/";

/** The URI a `$ref` reaches a reference by: its name, relative to the root's base URI. */
function referenceUri(rootBase: string, name: string): string {
  return resolveUri(rootBase, name);
}

function parseDocument(text: string, what: string): { tree: JsonTree; value: JsonValue } {
  let tree: JsonTree;
  try {
    tree = parseJsonText(text);
  } catch (error) {
    throw new InvalidSchemaError(`Invalid JSON${what}: ${(error as Error).message}`);
  }
  const value = toJsonValue(tree);
  if (value === null || (typeof value !== "object" && typeof value !== "boolean") || Array.isArray(value)) {
    throw new InvalidSchemaError(`Invalid JSON Schema${what}: a schema must be a JSON object or a boolean`);
  }
  return { tree, value };
}

function parse(text: string, references: readonly SchemaReference[], resolved: ResolvedReferences, options: ParseOptions = {}): JsonParsedSchema {
  const { tree, value } = parseDocument(text, "");
  const draft = draftOf(value);
  const metaErrors = metaSchemaErrors(value, draft);
  if (metaErrors !== null) throw new InvalidSchemaError(`Invalid JSON Schema: ${metaErrors}`);

  const rootId = typeof value === "object" && value !== null && !Array.isArray(value) ? value[idKeyword(draft)] : undefined;
  const rootBase = resolveUri(DEFAULT_BASE_URI, typeof rootId === "string" ? rootId : "");
  const referencedSchemas = new Map<string, JsonValue>();
  const documents: SchemaDocument[] = [];
  for (const [name, referenceText] of resolved) {
    const reference = parseDocument(referenceText, ` in reference '${name}'`).value;
    const referenceDraft = draftOf(reference, draft);
    const referenceErrors = metaSchemaErrors(reference, referenceDraft);
    if (referenceErrors !== null) throw new InvalidSchemaError(`Invalid JSON Schema in reference '${name}': ${referenceErrors}`);
    referencedSchemas.set(name, reference);
    documents.push({ uri: referenceUri(rootBase, name), schema: reference, draft: referenceDraft });
  }

  // Reading the model resolves every $ref and compiles every pattern: what would make the
  // validator fail to compile.
  let model: SchemaNode;
  try {
    model = loadSchemaModel({ uri: rootBase, schema: value, draft }, documents);
  } catch (error) {
    if (error instanceof UnresolvableReferenceError || error instanceof InvalidPatternError) {
      throw new InvalidSchemaError(`Invalid JSON Schema: ${error.message}`);
    }
    throw error;
  }
  if (options.isNew !== false) rejectReservedFieldNames(model);
  let validate: ValidateFunction | undefined;
  const compile = (): ValidateFunction => {
    try {
      validate ??= compileValidator(value, rootBase, draft, documents);
    } catch (error) {
      throw new InvalidSchemaError(`Invalid JSON Schema: ${(error as Error).message}`);
    }
    return validate;
  };

  const normalize = options.normalize === true;
  const title = typeof value === "object" && value !== null && !Array.isArray(value) ? value.title : undefined;
  return {
    schemaType: "JSON",
    canonicalString: writeJsonText(tree, { sortKeys: normalize }),
    references: normalize ? sortedReferences(references) : references,
    name: typeof title === "string" || typeof title === "number" || typeof title === "boolean" ? String(title) : null,
    draft,
    schema: value,
    referencedSchemas,
    get validate() {
      return compile();
    },
    model,
  };
}

/**
 * Confluent's check for new schemas: a top-level object schema may not name a property with the
 * "$$" prefix (kept for its own use). Stored schemas are not checked, so old topics still load.
 */
function rejectReservedFieldNames(model: SchemaNode): void {
  if (model.kind !== "object") return;
  for (const name of model.properties.keys()) {
    if (name.startsWith("$$")) throw new InvalidSchemaError(`Invalid JSON Schema: Field names cannot start with $$ prefix: #/properties/${name}`);
  }
}

/** Normalized references: sorted (name, subject, version) and without duplicates, as Confluent's normalize() does. */
function sortedReferences(references: readonly SchemaReference[]): SchemaReference[] {
  const byKey = new Map<string, SchemaReference>();
  for (const reference of references) byKey.set(JSON.stringify([reference.name, reference.subject, reference.version]), reference);
  return [...byKey.values()].sort(
    (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0) || a.version - b.version,
  );
}

function incompatibilities(reader: JsonParsedSchema, writer: JsonParsedSchema, roles: CompatibilityRoles = { reader: "new", writer: "old" }): string[] {
  // Confluent diffs from the schema the data was written with to the one reading it.
  return schemaDifferences(writer.model, reader.model)
    .filter((difference) => !isCompatibleChange(difference.type))
    .map((difference) => formatDifference(difference, roles.reader, roles.writer));
}

export const jsonSchemaFormat: SchemaFormat<JsonParsedSchema> = {
  schemaType: "JSON",
  parse,
  incompatibilities,
};

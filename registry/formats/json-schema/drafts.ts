// The JSON Schema drafts the registry accepts, chosen by `$schema` as Confluent chooses them
// (io.confluent.kafka.schemaregistry.json.SpecificationVersion): draft-04, -06, -07, 2019-09 and
// 2020-12, and draft-07 when `$schema` is absent or not one of those URLs. Validation is ajv's,
// in non-strict mode: Confluent accepts keywords it does not know.
import { Ajv, type AnySchema, type ErrorObject, type Options, type ValidateFunction } from "ajv";
import { Ajv2019 } from "ajv/dist/2019.js";
import { Ajv2020 } from "ajv/dist/2020.js";
import draft06MetaSchema from "ajv/dist/refs/json-schema-draft-06.json" with { type: "json" };
// A CommonJS module whose class is also its `default` property (no named export).
import AjvDraft04Module from "ajv-draft-04";
import type { JsonValue } from "./json-text.ts";

export type Draft = "draft-04" | "draft-06" | "draft-07" | "2019-09" | "2020-12";

// The URLs Confluent recognises (with or without the empty fragment "#" people usually write).
const DRAFT_URLS: ReadonlyMap<string, Draft> = new Map<string, Draft>([
  ["http://json-schema.org/draft-04/schema", "draft-04"],
  ["https://json-schema.org/draft-04/schema", "draft-04"],
  ["http://json-schema.org/schema", "draft-04"],
  ["https://json-schema.org/schema", "draft-04"],
  ["http://json-schema.org/draft-06/schema", "draft-06"],
  ["https://json-schema.org/draft-06/schema", "draft-06"],
  ["http://json-schema.org/draft-07/schema", "draft-07"],
  ["https://json-schema.org/draft-07/schema", "draft-07"],
  ["http://json-schema.org/draft/2019-09/schema", "2019-09"],
  ["https://json-schema.org/draft/2019-09/schema", "2019-09"],
  ["http://json-schema.org/draft/2020-12/schema", "2020-12"],
  ["https://json-schema.org/draft/2020-12/schema", "2020-12"],
]);

/** The meta-schema URL ajv knows each draft by. */
const META_SCHEMA_URL: Readonly<Record<Draft, string>> = {
  "draft-04": "http://json-schema.org/draft-04/schema#",
  "draft-06": "http://json-schema.org/draft-06/schema#",
  "draft-07": "http://json-schema.org/draft-07/schema#",
  "2019-09": "https://json-schema.org/draft/2019-09/schema",
  "2020-12": "https://json-schema.org/draft/2020-12/schema",
};

/** The draft a schema document is written in: its `$schema`, else draft-07 (Confluent's default). */
export function draftOf(schema: JsonValue, fallback: Draft = "draft-07"): Draft {
  if (schema === null || typeof schema !== "object" || Array.isArray(schema)) return fallback;
  const url = schema.$schema;
  if (typeof url !== "string") return fallback;
  return DRAFT_URLS.get(url.endsWith("#") ? url.slice(0, -1) : url) ?? fallback;
}

/** `$id` names a schema resource from draft-06 on; draft-04 says `id`. */
export function idKeyword(draft: Draft): "id" | "$id" {
  return draft === "draft-04" ? "id" : "$id";
}

export function isModernDraft(draft: Draft): boolean {
  return draft === "2019-09" || draft === "2020-12";
}

/** What this module uses of an ajv instance, whichever draft's class it is. */
type AjvInstance = Pick<Ajv, "validateSchema" | "addSchema" | "compile" | "errors">;

function newAjv(draft: Draft, withMetaSchemas: boolean): AjvInstance {
  const options: Options = {
    strict: false,
    logger: false,
    allErrors: false,
    meta: withMetaSchemas,
    validateSchema: false,
    // Formats are not checked (no format vocabulary is loaded); unknown formats are ignored.
    validateFormats: false,
  };
  switch (draft) {
    case "draft-04":
      return new AjvDraft04Module.default(options);
    case "draft-06": {
      const ajv = new Ajv(options);
      if (withMetaSchemas) ajv.addMetaSchema(draft06MetaSchema);
      return ajv;
    }
    case "draft-07":
      return new Ajv(options);
    case "2019-09":
      return new Ajv2019(options);
    case "2020-12":
      return new Ajv2020(options);
  }
}

// One instance per draft checks schemas against the meta-schema: building it compiles the
// meta-schema, which is far slower than compiling a schema.
const metaCheckers = new Map<Draft, AjvInstance>();

/** Why a schema is not valid against its draft's meta-schema, or null when it is. */
export function metaSchemaErrors(schema: JsonValue, draft: Draft): string | null {
  let ajv = metaCheckers.get(draft);
  if (ajv === undefined) {
    ajv = newAjv(draft, true);
    metaCheckers.set(draft, ajv);
  }
  const valid = ajv.validateSchema(withMetaSchema(schema, draft) as AnySchema);
  if (valid === true) return null;
  return describeErrors(ajv.errors ?? []);
}

export function describeErrors(errors: readonly ErrorObject[]): string {
  if (errors.length === 0) return "invalid";
  return errors.map((error) => `${error.instancePath === "" ? "#" : `#${error.instancePath}`}: ${error.message ?? error.keyword}`).join("; ");
}

/** A reference as handed to ajv: the URL a `$ref` resolves to and the referenced document. */
export interface ReferencedDocument {
  readonly uri: string;
  readonly schema: JsonValue;
  readonly draft: Draft;
}

/**
 * Compiles a schema with the schemas it refers to. The root gets an absolute base URI so that
 * relative `$ref`s ("customer.json") resolve to the URIs the references are registered under;
 * throws (ajv's MissingRefError, a SyntaxError for a bad pattern...) when it cannot compile.
 */
export function compileValidator(root: JsonValue, rootBase: string, draft: Draft, references: readonly ReferencedDocument[]): ValidateFunction {
  // A fresh light instance per schema: registered $ids differ from one schema to the next.
  const ajv = newAjv(draft, false);
  for (const reference of references) {
    ajv.addSchema(withMetaSchema(reference.schema, reference.draft) as AnySchema, reference.uri);
  }
  const prepared = withMetaSchema(root, draft);
  if (prepared !== null && typeof prepared === "object" && !Array.isArray(prepared)) {
    prepared[idKeyword(draft)] = rootBase;
  }
  return ajv.compile(prepared as AnySchema);
}

/** A shallow copy whose `$schema` is the URL ajv knows for the draft (Confluent reads an unknown `$schema` as draft-07). */
function withMetaSchema(schema: JsonValue, draft: Draft): JsonValue {
  if (schema === null || typeof schema !== "object" || Array.isArray(schema)) return schema;
  if (schema.$schema === undefined) return { ...schema };
  return { ...schema, $schema: META_SCHEMA_URL[draft] };
}

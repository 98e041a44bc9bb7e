// The REST answers' entities, member by member in the order Confluent's entity classes write
// them (Schema, SchemaString, RegisterSchemaResponse, Config, ...), with Jackson's NON_EMPTY:
// `schemaType` is left out for AVRO, `references`, `metadata` and `ruleSet` when empty.
import { encodeMetadata, encodeRuleSet, type ConfigValue, type SchemaMetadata, type SchemaRuleSet, type SchemaValue } from "../store/records.ts";
import type { SchemaReference } from "../formats/types.ts";
import { RawJson, type Writable } from "./json.ts";

const metadata = (m: SchemaMetadata | null | undefined): RawJson | undefined => {
  const text = encodeMetadata(m);
  return text === undefined ? undefined : new RawJson(text);
};

const ruleSet = (r: SchemaRuleSet | null | undefined): RawJson | undefined => {
  const text = encodeRuleSet(r);
  return text === undefined ? undefined : new RawJson(text);
};

const references = (refs: readonly SchemaReference[]): Writable =>
  refs.length === 0 ? undefined : refs.map((r) => ({ name: r.name, subject: r.subject, version: r.version }));

const schemaType = (v: SchemaValue): string | undefined => (v.schemaType === "AVRO" ? undefined : v.schemaType);

/** Confluent's Schema entity (GET /subjects/{s}/versions/{v}, POST /subjects/{s}, GET /schemas). */
export function schemaEntity(v: SchemaValue): Writable {
  return {
    subject: v.subject,
    version: v.version,
    id: v.id,
    schemaType: schemaType(v),
    references: references(v.references),
    metadata: metadata(v.metadata),
    ruleSet: ruleSet(v.ruleSet),
    schema: v.schema,
  };
}

/** Confluent's SchemaString entity (GET /schemas/ids/{id}). */
export function schemaStringEntity(v: SchemaValue): Writable {
  return {
    schemaType: schemaType(v),
    schema: v.schema,
    references: references(v.references),
    metadata: metadata(v.metadata),
    ruleSet: ruleSet(v.ruleSet),
  };
}

/** Confluent's RegisterSchemaResponse: the id, and the schema when the registry completed or changed it. */
export function registerResponse(id: number, v?: SchemaValue): Writable {
  if (!v) return { id };
  return {
    id,
    version: v.version,
    schemaType: schemaType(v),
    references: references(v.references),
    metadata: metadata(v.metadata),
    ruleSet: ruleSet(v.ruleSet),
    schema: v.schema,
  };
}

/** Confluent's Config entity (GET /config). */
export function configEntity(c: ConfigValue): Writable {
  return {
    alias: c.alias,
    normalize: c.normalize,
    validateFields: c.validateFields,
    compatibilityLevel: c.compatibilityLevel,
    compatibilityGroup: c.compatibilityGroup,
    defaultMetadata: metadata(c.defaultMetadata),
    overrideMetadata: metadata(c.overrideMetadata),
    defaultRuleSet: ruleSet(c.defaultRuleSet),
    overrideRuleSet: ruleSet(c.overrideRuleSet),
  };
}

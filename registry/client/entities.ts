// The JSON shapes of Confluent's Schema Registry REST API that the client sends and reads.
import type { SchemaReference, SchemaType } from "../formats/types.ts";

export type { SchemaReference, SchemaType };

/** A schema as the serdes hand it to the registry: its text, format and references. */
export interface SchemaSpec {
  readonly schema: string;
  /** AVRO when absent, as in the REST API. */
  readonly schemaType?: SchemaType;
  readonly references?: readonly SchemaReference[];
  /** Newer clients' metadata and rule set (data contracts): passed through untouched. */
  readonly metadata?: unknown;
  readonly ruleSet?: unknown;
}

/** GET /schemas/ids/{id}. */
export interface SchemaById extends SchemaSpec {
  readonly schemaType: SchemaType;
  readonly references: readonly SchemaReference[];
}

/** A registered version: GET /subjects/{subject}/versions/{version}, POST /subjects/{subject}. */
export interface SubjectVersion {
  readonly subject: string;
  readonly version: number;
  readonly id: number;
  readonly schema: string;
  readonly schemaType: SchemaType;
  readonly references: readonly SchemaReference[];
  readonly metadata?: unknown;
  readonly ruleSet?: unknown;
}

/** POST /subjects/{subject}/versions. */
export interface RegisterResponse {
  readonly id: number;
}

/** POST /compatibility/subjects/{subject}/versions/{version}. */
export interface CompatibilityResponse {
  readonly is_compatible: boolean;
  readonly messages?: readonly string[];
}

// The shape every type family returns: the Connect schema Debezium gives a PostgreSQL type and
// how its text output becomes the Connect value.
import type { Schema } from "../../../connect/api/index.ts";
import type { ColumnInfo, TypeMappingOptions } from "../contracts.ts";

export interface PgValueType {
  /** The schema of a value of the type, required and without default (the column adds those). */
  readonly schema: Schema;
  /** The Connect value of one non-null value, from the type's text output. Throws on unreadable text. */
  fromText(text: string): unknown;
  /**
   * What a NOT NULL column without default gets when its value is absent (an old tuple that
   * carries only the key columns): Debezium's per-type fallback (0, "", epoch, ...).
   */
  readonly fallback: unknown;
}

/** What a type family needs to know about the column. */
export interface TypeContext {
  /** pg_type.typname (the base type's for a domain; the element's for an array element). */
  typeName: string;
  typeModifier: number;
  typeCategory: string;
  enumValues?: readonly string[] | undefined;
  options: TypeMappingOptions;
}

export function contextOf(column: ColumnInfo, options: TypeMappingOptions): TypeContext {
  return {
    typeName: column.typeName,
    typeModifier: column.typeModifier,
    typeCategory: column.typeCategory,
    enumValues: column.enumValues,
    options,
  };
}

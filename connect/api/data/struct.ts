// A structured value of a STRUCT schema (org.apache.kafka.connect.data.Struct): values by
// field, validated against each field's schema on put, defaults applied on get.
import { DataException } from "../errors.ts";
import { valueEquals } from "./equality.ts";
import type { Field, Schema, SchemaType } from "./schema.ts";
import { schemaEquals } from "./schema.ts";
import { validateValue } from "./validate.ts";

export class Struct {
  readonly schema: Schema;
  readonly #values: unknown[];

  constructor(schema: Schema) {
    if (schema.type !== "STRUCT") throw new DataException(`Not a struct schema: ${schema.toString()}`);
    this.schema = schema;
    this.#values = new Array<unknown>(schema.fields.length).fill(null);
  }

  #lookup(name: string): Field {
    const field = this.schema.field(name);
    if (field === null) throw new DataException(`${name} is not a valid field name`);
    return field;
  }

  #resolve(field: string | Field): Field {
    if (typeof field === "string") return this.#lookup(field);
    if (field == null) throw new DataException("field cannot be null.");
    // A Field of another schema with the same name is accepted, as long as it is this schema's.
    const own = this.schema.fields[field.index];
    if (own !== field && (own === undefined || own.name !== field.name)) throw new DataException(`${field.name} is not a valid field name`);
    return own as Field;
  }

  /** Sets a field, after validating the value against the field's schema; returns this. */
  put(field: string | Field, value: unknown): this {
    const f = this.#resolve(field);
    const v = value === undefined ? null : value;
    validateValue(f.schema, v, f.name);
    this.#values[f.index] = v;
    return this;
  }

  /** A field's value, or its schema's default value when the field is null. */
  get(field: string | Field): unknown {
    const f = this.#resolve(field);
    const value = this.#values[f.index];
    return value === null ? f.schema.defaultValue : value;
  }

  /** A field's value as set, without falling back to the default. */
  getWithoutDefault(field: string | Field): unknown {
    return this.#values[this.#resolve(field).index];
  }

  #typed(name: string, type: SchemaType): unknown {
    const field = this.#lookup(name);
    if (field.schema.type !== type) throw new DataException(`Field '${name}' is not of type ${type}`);
    return this.get(field);
  }

  getInt8(name: string): number | null {
    return this.#typed(name, "INT8") as number | null;
  }
  getInt16(name: string): number | null {
    return this.#typed(name, "INT16") as number | null;
  }
  getInt32(name: string): number | null {
    return this.#typed(name, "INT32") as number | null;
  }
  getInt64(name: string): bigint | null {
    return this.#typed(name, "INT64") as bigint | null;
  }
  getFloat32(name: string): number | null {
    return this.#typed(name, "FLOAT32") as number | null;
  }
  getFloat64(name: string): number | null {
    return this.#typed(name, "FLOAT64") as number | null;
  }
  getBoolean(name: string): boolean | null {
    return this.#typed(name, "BOOLEAN") as boolean | null;
  }
  getString(name: string): string | null {
    return this.#typed(name, "STRING") as string | null;
  }
  /** BYTES as a Buffer (a plain Uint8Array that was put is viewed as a Buffer, not copied). */
  getBytes(name: string): Buffer | null {
    const bytes = this.#typed(name, "BYTES") as Uint8Array | null;
    return bytes === null || Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  getArray<T = unknown>(name: string): T[] | null {
    return this.#typed(name, "ARRAY") as T[] | null;
  }
  getMap<K = unknown, V = unknown>(name: string): Map<K, V> | null {
    return this.#typed(name, "MAP") as Map<K, V> | null;
  }
  getStruct(name: string): Struct | null {
    return this.#typed(name, "STRUCT") as Struct | null;
  }

  /** Throws a DataException if a required field without default is null (or a value is invalid). */
  validate(): void {
    for (const field of this.schema.fields) {
      const value = this.#values[field.index];
      if (value === null && (field.schema.optional || field.schema.defaultValue !== null)) continue;
      validateValue(field.schema, value, field.name);
    }
  }

  equals(other: unknown): boolean {
    if (other === this) return true;
    if (!(other instanceof Struct) || !schemaEquals(this.schema, other.schema)) return false;
    for (const field of this.schema.fields) {
      if (!valueEquals(this.#values[field.index], other.getWithoutDefault(field))) return false;
    }
    return true;
  }

  /** "Struct{a=1,b=x}" with the fields that are not null, as Kafka prints structs. */
  toString(): string {
    const parts: string[] = [];
    for (const field of this.schema.fields) {
      const value = this.#values[field.index];
      if (value !== null) parts.push(`${field.name}=${formatValue(value)}`);
    }
    return `Struct{${parts.join(",")}}`;
  }
}

/** Java-like text of a value for toString()s and logs (never used for data formats). */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return `[${value.map(formatValue).join(", ")}]`;
  if (value instanceof Map) return `{${[...value].map(([k, v]) => `${formatValue(k)}=${formatValue(v)}`).join(", ")}}`;
  if (value instanceof Uint8Array) return `bytes[${value.length}]`;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString();
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return `{${Object.entries(value).map(([k, v]) => `${k}=${formatValue(v)}`).join(", ")}}`;
  }
  return String(value);
}

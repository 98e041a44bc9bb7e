// A library-neutral description of a parsed .proto file: what the compatibility check, the
// serializers (message indexes) and the Connect converters need, without exposing the parsing
// library's own classes.

export type ProtoSyntax = "proto2" | "proto3";

export type ProtoScalarType =
  | "double" | "float"
  | "int32" | "int64" | "uint32" | "uint64" | "sint32" | "sint64"
  | "fixed32" | "fixed64" | "sfixed32" | "sfixed64"
  | "bool" | "string" | "bytes";

export type ProtoLabel = "optional" | "required" | "repeated";

/**
 * A field's type: a scalar, or a message / enum by full name (package-qualified, no leading
 * dot). A proto2 group is a message encoded between start/end tags: kind "group", whose message
 * findMessage() gives.
 */
export type ProtoFieldType =
  | { readonly kind: "scalar"; readonly scalar: ProtoScalarType }
  | { readonly kind: "message"; readonly fullName: string }
  | { readonly kind: "enum"; readonly fullName: string }
  | { readonly kind: "group"; readonly fullName: string }
  | { readonly kind: "map"; readonly key: ProtoScalarType; readonly value: ProtoFieldType };

/**
 * An option's value as plain data: strings, booleans, numbers (as written when not a finite
 * number, e.g. `inf`), enum values by name, text-format messages as objects, repeated values as
 * arrays. `(a).b = 1` and `(a) = { b: 1 }` both give `{ "(a)": { b: 1 } }`.
 */
export type ProtoOptionValue = string | number | boolean | readonly ProtoOptionValue[] | { readonly [key: string]: ProtoOptionValue };

/** Options by name, custom ones in parentheses: `{ java_package: "x", "(confluent.field_meta)": { doc: "d" } }`. */
export type ProtoOptions = Readonly<Record<string, ProtoOptionValue>>;

export interface ProtoField {
  readonly name: string;
  /** The package-qualified name: `pkg.Message.field`. */
  readonly fullName: string;
  readonly number: number;
  /** Maps are `repeated` on the wire and labelled so here. proto3 singular fields are `optional`. */
  readonly label: ProtoLabel;
  readonly type: ProtoFieldType;
  /** The oneof the field belongs to (not a proto3 `optional`'s synthetic oneof), or null. */
  readonly oneof: string | null;
  /** proto3 `optional` (explicit presence). */
  readonly proto3Optional: boolean;
  /** A proto2 `[default = ...]`: numbers as numbers (64-bit ones beyond 2^53 as strings, inf/nan as Infinity/NaN), enum values by name. */
  readonly defaultValue: string | number | boolean | null;
  /** `[json_name = ...]`, else protoc's lowerCamelCase of the name. */
  readonly jsonName: string;
  readonly options: ProtoOptions;
}

export interface ProtoEnumValue {
  readonly name: string;
  readonly number: number;
}

export interface ProtoEnum {
  readonly name: string;
  readonly fullName: string;
  readonly values: readonly ProtoEnumValue[];
  readonly options: ProtoOptions;
}

export interface ProtoMessage {
  readonly name: string;
  readonly fullName: string;
  /**
   * Confluent's message indexes: the path of declaration indexes (counting messages only) from
   * the file's top level. null for the message a proto2 group declares (not a declaration Confluent counts).
   */
  readonly indexes: readonly number[] | null;
  /** Fields in declaration order (a group's field is named in lower case, as protoc names it). */
  readonly fields: readonly ProtoField[];
  /** Real oneofs (not proto3 `optional` ones), in declaration order, with their field names. */
  readonly oneofs: readonly { readonly name: string; readonly fields: readonly string[] }[];
  /** Nested messages as declared (the entry messages protoc makes for `map<K, V>` fields are not here; group messages neither). */
  readonly messages: readonly ProtoMessage[];
  readonly enums: readonly ProtoEnum[];
  readonly options: ProtoOptions;
}

export interface ProtoFile {
  /** The import path ("" for the registered schema itself). */
  readonly path: string;
  readonly syntax: ProtoSyntax;
  /** The package, "" when none. */
  readonly packageName: string;
  readonly imports: readonly string[];
  /** Top-level messages in declaration order. */
  readonly messages: readonly ProtoMessage[];
  readonly enums: readonly ProtoEnum[];
  readonly options: ProtoOptions;
}

/**
 * A message value as `encode` takes it and `decode` returns it: fields by their declared names;
 * 64-bit integers as bigint (encode also takes numbers and decimal strings); bytes as Uint8Array;
 * enums by value name (decode gives the number for a value the schema does not know; encode
 * takes either); map fields as objects keyed by the key's string form; nested messages as
 * objects; repeated fields as arrays. decode fills unset singular scalar/enum fields with their
 * defaults (as a Java DynamicMessage reads them) and leaves unset message fields, unset
 * oneof members and unset proto3 `optional` fields out.
 */
export type ProtoValue =
  | string | number | bigint | boolean | Uint8Array
  | readonly ProtoValue[]
  | { readonly [field: string]: ProtoValue };

export type ProtoObject = { readonly [field: string]: ProtoValue };

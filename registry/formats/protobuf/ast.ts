// The syntax tree of a .proto file, shaped like the tree Confluent's Schema Registry parses into
// (Square Wire's ProtoFileElement): declarations as written (labels, type names, option kinds,
// reserved ranges), because Confluent's canonical text and its compatibility rules are both
// defined on that shape, not on resolved descriptors.

export interface Location {
  readonly line: number;
  readonly column: number;
}

/** An option value, with the kind Wire gives it (which decides how it is printed back). */
export type OptionValue =
  | { readonly kind: "STRING"; readonly value: string }
  | { readonly kind: "BOOLEAN" | "NUMBER" | "ENUM"; readonly value: string }
  /** A text-format message `{ a: 1 b { c: 2 } }`: keys in order; a repeated key's values become a LIST. */
  | { readonly kind: "MAP"; readonly entries: readonly (readonly [string, OptionValue])[] }
  | { readonly kind: "LIST"; readonly items: readonly OptionValue[] }
  /** `(foo).bar = 1`: the option `foo` whose value is the option `bar = 1`. */
  | { readonly kind: "OPTION"; readonly option: OptionElement };

export interface OptionElement {
  /** Without parentheses: `(my.opt)` has name `my.opt` and `parenthesized` true. */
  readonly name: string;
  readonly parenthesized: boolean;
  readonly value: OptionValue;
}

export type Label = "optional" | "required" | "repeated";

export interface FieldElement {
  readonly location: Location;
  /** As written; null when none was written (proto3 singular fields, oneof members, maps). */
  readonly label: Label | null;
  /** As written, a map normalized to `map<K, V>`. */
  readonly type: string;
  readonly name: string;
  readonly tag: number;
  /** `[default = ...]`, taken out of the options as Wire does: the value as text (strings unescaped). */
  readonly defaultValue: string | null;
  /** `[json_name = "..."]`, taken out of the options. */
  readonly jsonName: string | null;
  readonly options: readonly OptionElement[];
}

export interface GroupElement {
  readonly location: Location;
  readonly label: Label | null;
  readonly name: string;
  readonly tag: number;
  readonly fields: readonly FieldElement[];
}

export interface OneOfElement {
  readonly location: Location;
  readonly name: string;
  readonly fields: readonly FieldElement[];
  readonly groups: readonly GroupElement[];
  readonly options: readonly OptionElement[];
}

/** A single number, an inclusive range [start, end], or (reserved only) a field name. */
export type RangeValue = number | readonly [number, number];

export interface ReservedElement {
  readonly location: Location;
  readonly values: readonly (RangeValue | string)[];
}

export interface ExtensionsElement {
  readonly location: Location;
  readonly values: readonly RangeValue[];
  readonly options: readonly OptionElement[];
}

export interface ExtendElement {
  readonly location: Location;
  /** The extended message as written. */
  readonly name: string;
  readonly fields: readonly FieldElement[];
}

export interface MessageElement {
  readonly kind: "message";
  readonly location: Location;
  readonly name: string;
  /** Nested messages and enums, in declaration order (groups are not here, as in Wire). */
  readonly nestedTypes: readonly TypeElement[];
  readonly options: readonly OptionElement[];
  readonly reserveds: readonly ReservedElement[];
  /** Fields outside oneofs, map fields included. */
  readonly fields: readonly FieldElement[];
  readonly oneOfs: readonly OneOfElement[];
  readonly extensions: readonly ExtensionsElement[];
  readonly groups: readonly GroupElement[];
  readonly extendDeclarations: readonly ExtendElement[];
}

export interface EnumConstantElement {
  readonly location: Location;
  readonly name: string;
  readonly tag: number;
  readonly options: readonly OptionElement[];
}

export interface EnumElement {
  readonly kind: "enum";
  readonly location: Location;
  readonly name: string;
  readonly options: readonly OptionElement[];
  readonly constants: readonly EnumConstantElement[];
  readonly reserveds: readonly ReservedElement[];
}

export type TypeElement = MessageElement | EnumElement;

export interface RpcElement {
  readonly location: Location;
  readonly name: string;
  readonly requestType: string;
  readonly responseType: string;
  readonly requestStreaming: boolean;
  readonly responseStreaming: boolean;
  readonly options: readonly OptionElement[];
}

export interface ServiceElement {
  readonly location: Location;
  readonly name: string;
  readonly rpcs: readonly RpcElement[];
  readonly options: readonly OptionElement[];
}

export interface ProtoFileElement {
  /** null when the file has no `syntax` statement (which means proto2). */
  readonly syntax: "proto2" | "proto3" | null;
  readonly packageName: string | null;
  readonly imports: readonly string[];
  readonly publicImports: readonly string[];
  readonly weakImports: readonly string[];
  /** Top-level messages and enums in declaration order. */
  readonly types: readonly TypeElement[];
  readonly services: readonly ServiceElement[];
  readonly extendDeclarations: readonly ExtendElement[];
  readonly options: readonly OptionElement[];
}

/** The largest field number (2^29 - 1); `max` in ranges. */
export const MAX_TAG = 536_870_911;

export const SCALAR_TYPES: ReadonlySet<string> = new Set([
  "double", "float", "int32", "int64", "uint32", "uint64", "sint32", "sint64",
  "fixed32", "fixed64", "sfixed32", "sfixed64", "bool", "string", "bytes",
]);

/** `map<K, V>` → [K, V]; null for other types. */
export function mapTypes(type: string): readonly [string, string] | null {
  const match = /^map<\s*([^,\s]+)\s*,\s*([^>\s]+)\s*>$/.exec(type);
  return match ? [match[1]!, match[2]!] : null;
}

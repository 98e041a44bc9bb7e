// A linked schema as a serialized FileDescriptorProto: what Confluent's `format=serialized` answers
// (base64-encoded), for clients that build their message types from descriptors instead of parsing
// .proto text (Confluent's JavaScript, Python and Go serializers). The inverse of descriptor.ts.
//
// The descriptor is written the way protoc writes one, so that any descriptor library can build it
// as it is: type names fully qualified with a leading dot and every field's type set (Confluent
// leaves names as written and the type of message and enum fields unset, which its clients patch
// up), map fields as repeated fields of an `XxxEntry` message marked `map_entry`, proto3 `optional`
// fields in synthetic oneofs after the real ones, proto2 groups as TYPE_GROUP fields with their
// message. Entry and group messages come after the declared nested messages, so the declared ones
// keep the positions Confluent's message indexes count. The file is named "default", as Confluent
// names it (clients rename it, or name it by the reference that imports it). Custom options are
// left out: they are extensions, which the descriptor codec does not know.

import type { EnumElement, ExtendElement, FieldElement, GroupElement, MessageElement, OptionElement, OptionValue, RangeValue, ReservedElement, ServiceElement } from "./ast.ts";
import { descriptorSchema } from "./descriptor.ts";
import type { Linked, ResolvedType } from "./link.ts";
import { allFields, byLocation, groupFieldName } from "./link.ts";
import type { ProtoField, ProtoObject, ProtoScalarType, ProtoValue } from "./model.ts";

/** The file name Confluent gives the schema's own descriptor. */
export const DESCRIPTOR_FILE_NAME = "default";

type Writable = Record<string, ProtoValue>;

const SCALAR_TYPES: Readonly<Record<ProtoScalarType, string>> = {
  double: "TYPE_DOUBLE", float: "TYPE_FLOAT", int64: "TYPE_INT64", uint64: "TYPE_UINT64", int32: "TYPE_INT32",
  fixed64: "TYPE_FIXED64", fixed32: "TYPE_FIXED32", bool: "TYPE_BOOL", string: "TYPE_STRING", bytes: "TYPE_BYTES",
  uint32: "TYPE_UINT32", sfixed32: "TYPE_SFIXED32", sfixed64: "TYPE_SFIXED64", sint32: "TYPE_SINT32", sint64: "TYPE_SINT64",
};

const join = (scope: string, name: string): string => (scope === "" ? name : `${scope}.${name}`);

/** A protobuf integer literal (decimal, 0x hex, 0 octal) in decimal, as protoc stores defaults; null when it is not one. */
function decimalInteger(text: string): string | null {
  const match = /^(-?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(text.trim());
  if (!match) return null;
  const digits = match[2]!;
  const value = /^0[xX]/.test(digits) ? BigInt(digits) : digits.length > 1 ? BigInt(`0o${digits.slice(1)}`) : BigInt(digits);
  return (match[1] ? -value : value).toString();
}

/** protoc's C escaping of a bytes default: printable ASCII as it is, the rest as octal escapes. */
function cEscape(text: string): string {
  const named: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\", "'": "\\'", '"': '\\"' };
  let out = "";
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (named[char] !== undefined) out += named[char];
    else if (code >= 0x20 && code < 0x7f) out += char;
    else {
      // A bytes literal's escapes were read into characters 0-255, one a byte; others are UTF-8.
      const bytes = code < 0x100 ? [code] : [...Buffer.from(char, "utf8")];
      for (const byte of bytes) out += `\\${byte.toString(8).padStart(3, "0")}`;
    }
  }
  return out;
}

/** A default value as FieldDescriptorProto.default_value holds it. */
function defaultText(type: ResolvedType, text: string): string {
  if (type.kind !== "scalar") return text;
  switch (type.scalar) {
    case "string":
    case "bool":
      return text;
    case "bytes":
      return cEscape(text);
    case "float":
    case "double":
      if (/^-?inf(inity)?$/i.test(text)) return text.startsWith("-") ? "-inf" : "inf";
      if (/^-?nan$/i.test(text)) return "nan";
      return decimalInteger(text) ?? text;
    default:
      return decimalInteger(text) ?? text;
  }
}

/** An option's value for its field in google.protobuf.XxxOptions; undefined when it does not fit. */
function optionFieldValue(field: ProtoField, value: OptionValue): ProtoValue | undefined {
  const type = field.type;
  if (type.kind === "enum") {
    if (value.kind !== "ENUM") return undefined;
    const known = descriptorSchema().described.enums.get(type.fullName)?.values.some((v) => v.name === value.value);
    return known ? value.value : undefined;
  }
  if (type.kind !== "scalar") return undefined;
  switch (type.scalar) {
    case "bool":
      return value.kind === "BOOLEAN" ? value.value === "true" : undefined;
    case "string":
      return value.kind === "STRING" ? value.value : undefined;
    case "float":
    case "double":
      return value.kind === "NUMBER" && Number.isFinite(Number(value.value)) ? Number(value.value) : undefined;
    case "bytes":
      return undefined;
    default: {
      const integer = value.kind === "NUMBER" ? decimalInteger(value.value) : null;
      return integer === null ? undefined : BigInt(integer);
    }
  }
}

/** The standard options of a declaration as a google.protobuf.`optionsType` message; custom ones are extensions and left out. */
function standardOptions(optionsType: string, options: readonly OptionElement[]): Writable | undefined {
  const message = descriptorSchema().described.messages.get(`google.protobuf.${optionsType}`)!;
  const result: Writable = {};
  for (const option of options) {
    if (option.parenthesized) continue;
    const field = message.fields.find((f) => f.name === option.name && f.label !== "repeated");
    const value = field ? optionFieldValue(field, option.value) : undefined;
    if (field && value !== undefined) result[field.name] = value;
  }
  return Object.keys(result).length > 0 ? result : undefined;
}

function withOptions(target: Writable, optionsType: string, options: readonly OptionElement[]): Writable {
  const written = standardOptions(optionsType, options);
  if (written) target.options = written;
  return target;
}

function typeOf(type: ResolvedType): Writable {
  switch (type.kind) {
    case "scalar": return { type: SCALAR_TYPES[type.scalar] };
    case "message": return { type: "TYPE_MESSAGE", type_name: `.${type.fullName}` };
    case "enum": return { type: "TYPE_ENUM", type_name: `.${type.fullName}` };
    case "group": return { type: "TYPE_GROUP", type_name: `.${type.fullName}` };
    case "map": throw new Error("a map is written as its entry message");
  }
}

/** protoc's name for the entry message of a map field: `my_field` → `MyFieldEntry`. */
function mapEntryName(fieldName: string): string {
  return `${fieldName.replace(/(^|_+)([a-z]?)/g, (_, _sep: string, letter: string) => letter.toUpperCase())}Entry`;
}

const rangeStart = (value: RangeValue): number => (typeof value === "number" ? value : value[0]);
const rangeEnd = (value: RangeValue): number => (typeof value === "number" ? value : value[1]);

function reservedNames(reserveds: readonly ReservedElement[]): string[] {
  return reserveds.flatMap((r) => r.values.filter((v): v is string => typeof v === "string"));
}

/** Reserved number ranges; `endExclusive` for messages (DescriptorProto.ReservedRange), not for enums. */
function reservedRanges(reserveds: readonly ReservedElement[], endExclusive: boolean): Writable[] {
  return reserveds
    .flatMap((r) => r.values.filter((v): v is RangeValue => typeof v !== "string"))
    .map((v) => ({ start: rangeStart(v), end: rangeEnd(v) + (endExclusive ? 1 : 0) }));
}

class DescriptorWriter {
  private readonly linked: Linked;
  private readonly proto3: boolean;

  constructor(linked: Linked) {
    this.linked = linked;
    this.proto3 = linked.main.syntax === "proto3";
  }

  file(name: string): Writable {
    const main = this.linked.main;
    const ast = main.ast;
    const dependencies = [...ast.imports, ...ast.publicImports, ...ast.weakImports];
    const file: Writable = { name };
    if (ast.packageName !== null) file.package = ast.packageName;
    if (dependencies.length > 0) file.dependency = dependencies;
    if (ast.publicImports.length > 0) file.public_dependency = ast.publicImports.map((_, i) => ast.imports.length + i);
    if (ast.weakImports.length > 0) file.weak_dependency = ast.weakImports.map((_, i) => ast.imports.length + ast.publicImports.length + i);
    const messages = ast.types.filter((t): t is MessageElement => t.kind === "message");
    const enums = ast.types.filter((t): t is EnumElement => t.kind === "enum");
    if (messages.length > 0) file.message_type = messages.map((m) => this.message(m, join(main.packageName, m.name)));
    if (enums.length > 0) file.enum_type = enums.map((e) => this.enumType(e));
    if (ast.services.length > 0) file.service = ast.services.map((s) => this.service(s));
    const extensions = this.extensions(ast.extendDeclarations);
    if (extensions.length > 0) file.extension = extensions;
    withOptions(file, "FileOptions", ast.options);
    if (ast.syntax !== null) file.syntax = ast.syntax;
    return file;
  }

  private message(element: MessageElement, fullName: string): Writable {
    const oneofOf = new Map<FieldElement | GroupElement, number>();
    element.oneOfs.forEach((oneOf, i) => [...oneOf.fields, ...oneOf.groups].forEach((member) => oneofOf.set(member, i)));
    const groups = [...element.groups, ...element.oneOfs.flatMap((o) => o.groups)];
    const members = [...allFields(element), ...groups].sort(byLocation);
    // Messages the descriptor adds (map entries, groups' messages), after the declared ones.
    const added: Writable[] = [];
    const fields = members.map((member) =>
      "fields" in member ? this.groupField(member, fullName, oneofOf.get(member), added) : this.field(member, fullName, oneofOf.get(member), added),
    );
    const oneofs: Writable[] = element.oneOfs.map((o) => ({ name: o.name }));
    const names = new Set([...fields.map((f) => f.name as string), ...element.oneOfs.map((o) => o.name)]);
    for (const field of fields) {
      if (field.proto3_optional !== true) continue;
      // protoc's synthetic oneof: `_name`, prefixed with X until it collides with nothing.
      let name = `_${field.name as string}`;
      while (names.has(name)) name = `X${name}`;
      names.add(name);
      field.oneof_index = oneofs.length;
      oneofs.push({ name });
    }
    const nestedMessages = element.nestedTypes.filter((t): t is MessageElement => t.kind === "message");
    const nestedEnums = element.nestedTypes.filter((t): t is EnumElement => t.kind === "enum");
    const message: Writable = { name: element.name };
    if (fields.length > 0) message.field = fields;
    const extensions = this.extensions(element.extendDeclarations);
    if (extensions.length > 0) message.extension = extensions;
    const nested = [...nestedMessages.map((m) => this.message(m, join(fullName, m.name))), ...added];
    if (nested.length > 0) message.nested_type = nested;
    if (nestedEnums.length > 0) message.enum_type = nestedEnums.map((e) => this.enumType(e));
    const extensionRanges = element.extensions.flatMap((e) => e.values).map((v) => ({ start: rangeStart(v), end: rangeEnd(v) + 1 }));
    if (extensionRanges.length > 0) message.extension_range = extensionRanges;
    withOptions(message, "MessageOptions", element.options);
    if (oneofs.length > 0) message.oneof_decl = oneofs;
    const ranges = reservedRanges(element.reserveds, true);
    if (ranges.length > 0) message.reserved_range = ranges;
    const reservedNameList = reservedNames(element.reserveds);
    if (reservedNameList.length > 0) message.reserved_name = reservedNameList;
    return message;
  }

  private label(written: FieldElement["label"]): string {
    return written === "repeated" ? "LABEL_REPEATED" : written === "required" ? "LABEL_REQUIRED" : "LABEL_OPTIONAL";
  }

  /** A field of a message (`owner`), or an extension (owner null); a map field adds its entry message to `added`. */
  private field(element: FieldElement, owner: string | null, oneofIndex: number | undefined, added: Writable[]): Writable {
    const type = this.linked.fieldTypes.get(element)!;
    const field: Writable = { name: element.name, number: element.tag };
    if (type.kind === "map") {
      const entryName = mapEntryName(element.name);
      added.push({
        name: entryName,
        field: [
          { name: "key", number: 1, label: "LABEL_OPTIONAL", ...typeOf({ kind: "scalar", scalar: type.key }) },
          { name: "value", number: 2, label: "LABEL_OPTIONAL", ...typeOf(type.value) },
        ],
        options: { map_entry: true },
      });
      Object.assign(field, { label: "LABEL_REPEATED", type: "TYPE_MESSAGE", type_name: `.${join(owner ?? "", entryName)}` });
    } else {
      Object.assign(field, { label: this.label(element.label), ...typeOf(type) });
    }
    if (element.defaultValue !== null) field.default_value = defaultText(type, element.defaultValue);
    if (oneofIndex !== undefined) field.oneof_index = oneofIndex;
    if (element.jsonName !== null) field.json_name = element.jsonName;
    withOptions(field, "FieldOptions", element.options);
    if (this.proto3 && owner !== null && element.label === "optional" && oneofIndex === undefined) field.proto3_optional = true;
    return field;
  }

  private groupField(group: GroupElement, owner: string, oneofIndex: number | undefined, added: Writable[]): Writable {
    const fullName = join(owner, group.name);
    const groupAdded: Writable[] = [];
    const message: Writable = { name: group.name, field: group.fields.map((f) => this.field(f, fullName, undefined, groupAdded)) };
    if (groupAdded.length > 0) message.nested_type = groupAdded;
    added.push(message);
    const field: Writable = { name: groupFieldName(group), number: group.tag, label: this.label(group.label), type: "TYPE_GROUP", type_name: `.${fullName}` };
    if (oneofIndex !== undefined) field.oneof_index = oneofIndex;
    return field;
  }

  private extensions(extendElements: readonly ExtendElement[]): Writable[] {
    return extendElements.flatMap((extend) =>
      extend.fields.map((f) => ({ ...this.field(f, null, undefined, []), extendee: `.${this.linked.extendees.get(extend)!}` })),
    );
  }

  private enumType(element: EnumElement): Writable {
    const written: Writable = {
      name: element.name,
      value: element.constants.map((c) => withOptions({ name: c.name, number: c.tag }, "EnumValueOptions", c.options)),
    };
    withOptions(written, "EnumOptions", element.options);
    const ranges = reservedRanges(element.reserveds, false);
    if (ranges.length > 0) written.reserved_range = ranges;
    const names = reservedNames(element.reserveds);
    if (names.length > 0) written.reserved_name = names;
    return written;
  }

  /** A method's message, looked up from the file's package outwards (the linker has checked that it exists). */
  private messageName(name: string): string {
    if (name.startsWith(".")) return name;
    for (let scope = this.linked.main.packageName; ; scope = scope.includes(".") ? scope.slice(0, scope.lastIndexOf(".")) : "") {
      if (this.linked.messages.has(join(scope, name))) return `.${join(scope, name)}`;
      if (scope === "") return `.${name}`;
    }
  }

  private service(element: ServiceElement): Writable {
    const methods = element.rpcs.map((rpc) => {
      const method: Writable = { name: rpc.name, input_type: this.messageName(rpc.requestType), output_type: this.messageName(rpc.responseType) };
      withOptions(method, "MethodOptions", rpc.options);
      if (rpc.requestStreaming) method.client_streaming = true;
      if (rpc.responseStreaming) method.server_streaming = true;
      return method;
    });
    const service: Writable = { name: element.name };
    if (methods.length > 0) service.method = methods;
    return withOptions(service, "ServiceOptions", element.options);
  }
}

/** The schema's own file (not its imports) as a serialized google.protobuf.FileDescriptorProto. */
export function fileToDescriptor(linked: Linked, name: string = DESCRIPTOR_FILE_NAME): Uint8Array {
  const file: ProtoObject = new DescriptorWriter(linked).file(name);
  return descriptorSchema().codec.encode("google.protobuf.FileDescriptorProto", file);
}

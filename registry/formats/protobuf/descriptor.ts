// A schema may be registered as a base64-encoded FileDescriptorProto instead of .proto text (the
// Python client registers schemas so); Confluent turns it into the same syntax tree as text, and
// stores and returns it as text. This does the same, reading the descriptor with the codec and
// Google's descriptor.proto: type names stay fully qualified with a leading dot, maps stay
// repeated `...Entry` fields with their entry messages (as Confluent prints them), proto3 fields
// lose their implicit labels, TYPE_GROUP fields become the groups they were declared as. Custom
// options (and Confluent's meta options) in a descriptor are not kept: they arrive as extensions
// the descriptor codec does not know. descriptor-writer.ts writes descriptors back.

import type {
  EnumElement, ExtendElement, ExtensionsElement, FieldElement, GroupElement, Label, MessageElement, OneOfElement, OptionElement,
  OptionValue, ProtoFileElement, RangeValue, ReservedElement, RpcElement, ServiceElement, TypeElement,
} from "./ast.ts";
import { ProtobufCodec } from "./codec.ts";
import { describe, type Described } from "./describe.ts";
import { linkSchema } from "./link.ts";
import type { ProtoObject, ProtoValue } from "./model.ts";
import { ProtoSyntaxError, parseProto } from "./parser.ts";
import { wellKnownText } from "./well-known.ts";

const NOWHERE = { line: 0, column: 0 };

/** Google's descriptor.proto, described and ready to encode and decode its messages. */
export interface DescriptorSchema {
  readonly described: Described;
  readonly codec: ProtobufCodec;
}

let descriptorSchemaInstance: DescriptorSchema | null = null;

/** descriptor.proto, parsed once on first use (descriptor-writer.ts encodes with it too). */
export function descriptorSchema(): DescriptorSchema {
  if (!descriptorSchemaInstance) {
    const described = describe(linkSchema(wellKnownText("google/protobuf/descriptor.proto")!, new Map()));
    descriptorSchemaInstance = { described, codec: new ProtobufCodec(described) };
  }
  return descriptorSchemaInstance;
}

type Obj = Readonly<Record<string, ProtoValue>>;

const list = (value: ProtoValue | undefined): Obj[] => (Array.isArray(value) ? (value as Obj[]) : []);
const text = (value: ProtoValue | undefined): string | undefined => (typeof value === "string" ? value : undefined);
const num = (value: ProtoValue | undefined): number => (typeof value === "number" ? value : Number(value ?? 0));
const obj = (value: ProtoValue | undefined): Obj => (typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array) ? (value as Obj) : {});

function option(name: string, value: ProtoValue | undefined, kind: "BOOLEAN" | "ENUM" | "STRING"): OptionElement[] {
  if (value === undefined) return [];
  return [{ name, parenthesized: false, value: { kind, value: String(value) } as OptionValue }];
}

function range(start: number, endInclusive: number): RangeValue {
  return start === endInclusive ? start : [start, endInclusive];
}

class DescriptorReader {
  private readonly proto3: boolean;

  constructor(proto3: boolean) {
    this.proto3 = proto3;
  }

  field(fd: Obj, inOneof: boolean): FieldElement {
    const options = obj(fd.options);
    const typeName = text(fd.type_name);
    let label: Label | null = null;
    if (!inOneof) {
      const written = text(fd.label) ?? "LABEL_OPTIONAL";
      if (fd.proto3_optional === true) label = "optional";
      else if (written === "LABEL_REPEATED") label = "repeated";
      else if (!this.proto3) label = written === "LABEL_REQUIRED" ? "required" : "optional";
    }
    return {
      location: NOWHERE,
      label,
      type: typeName ?? String(fd.type ?? "TYPE_STRING").replace(/^TYPE_/, "").toLowerCase(),
      name: text(fd.name) ?? "",
      tag: num(fd.number),
      defaultValue: !this.proto3 && text(fd.default_value) !== undefined ? text(fd.default_value)! : null,
      jsonName: text(fd.json_name) ?? null,
      options: [
        ...option("ctype", options.ctype, "ENUM"),
        ...option("packed", options.packed, "BOOLEAN"),
        ...option("jstype", options.jstype, "ENUM"),
        ...option("deprecated", options.deprecated, "BOOLEAN"),
      ],
    };
  }

  /** A TYPE_GROUP field with its message (a nested type of the same name) as the group it was declared as. */
  private group(fd: Obj, message: Obj, inOneof: boolean): GroupElement {
    const written = text(fd.label) ?? "LABEL_OPTIONAL";
    const label: Label | null = inOneof ? null : written === "LABEL_REPEATED" ? "repeated" : written === "LABEL_REQUIRED" ? "required" : "optional";
    return { location: NOWHERE, label, name: text(message.name) ?? "", tag: num(fd.number), fields: list(message.field).map((f) => this.field(f, false)) };
  }

  message(descriptor: Obj): MessageElement {
    const nested = list(descriptor.nested_type);
    const groupMessage = (fd: Obj): Obj | undefined => {
      if (text(fd.type) !== "TYPE_GROUP") return undefined;
      const typeName = text(fd.type_name) ?? "";
      return nested.find((m) => text(m.name) === typeName.slice(typeName.lastIndexOf(".") + 1));
    };
    const oneOfFields = list(descriptor.oneof_decl).map(() => [] as FieldElement[]);
    const oneOfGroups = list(descriptor.oneof_decl).map(() => [] as GroupElement[]);
    const fields: FieldElement[] = [];
    const groups: GroupElement[] = [];
    const groupMessages = new Set<Obj>();
    for (const fd of list(descriptor.field)) {
      const inOneof = fd.oneof_index !== undefined && fd.proto3_optional !== true;
      const message = groupMessage(fd);
      if (message) {
        groupMessages.add(message);
        if (inOneof) oneOfGroups[num(fd.oneof_index)]?.push(this.group(fd, message, true));
        else groups.push(this.group(fd, message, false));
      } else if (inOneof) oneOfFields[num(fd.oneof_index)]?.push(this.field(fd, true));
      else fields.push(this.field(fd, false));
    }
    const oneOfs: OneOfElement[] = list(descriptor.oneof_decl)
      .map((o, i) => ({ location: NOWHERE, name: text(o.name) ?? "", fields: oneOfFields[i]!, groups: oneOfGroups[i]!, options: [] }))
      .filter((o) => o.fields.length > 0 || o.groups.length > 0);
    const reserveds: ReservedElement[] = [
      ...list(descriptor.reserved_range).map((r) => ({ location: NOWHERE, values: [range(num(r.start), num(r.end) - 1)] })),
      ...((descriptor.reserved_name ?? []) as string[]).map((name) => ({ location: NOWHERE, values: [name] })),
    ];
    const extensions: ExtensionsElement[] = list(descriptor.extension_range)
      .map((r) => ({ location: NOWHERE, values: [range(num(r.start), num(r.end) - 1)], options: [] }));
    const options = obj(descriptor.options);
    return {
      kind: "message",
      location: NOWHERE,
      name: text(descriptor.name) ?? "",
      nestedTypes: [...nested.filter((d) => !groupMessages.has(d)).map((d) => this.message(d)), ...list(descriptor.enum_type).map((e) => this.enumType(e))],
      options: [
        ...option("no_standard_descriptor_accessor", options.no_standard_descriptor_accessor, "BOOLEAN"),
        ...option("deprecated", options.deprecated, "BOOLEAN"),
        ...option("map_entry", options.map_entry, "BOOLEAN"),
      ],
      reserveds,
      fields,
      oneOfs,
      extensions,
      groups,
      extendDeclarations: this.extends(list(descriptor.extension)),
    };
  }

  enumType(descriptor: Obj): EnumElement {
    const options = obj(descriptor.options);
    return {
      kind: "enum",
      location: NOWHERE,
      name: text(descriptor.name) ?? "",
      options: [...option("allow_alias", options.allow_alias, "BOOLEAN"), ...option("deprecated", options.deprecated, "BOOLEAN")],
      constants: list(descriptor.value).map((v) => ({
        location: NOWHERE,
        name: text(v.name) ?? "",
        tag: num(v.number),
        options: option("deprecated", obj(v.options).deprecated, "BOOLEAN"),
      })),
      reserveds: [
        ...list(descriptor.reserved_range).map((r) => ({ location: NOWHERE, values: [range(num(r.start), num(r.end))] })),
        ...((descriptor.reserved_name ?? []) as string[]).map((name) => ({ location: NOWHERE, values: [name] })),
      ],
    };
  }

  extends(fields: Obj[]): ExtendElement[] {
    const byExtendee = new Map<string, FieldElement[]>();
    for (const fd of fields) {
      const extendee = text(fd.extendee) ?? "";
      byExtendee.set(extendee, [...(byExtendee.get(extendee) ?? []), this.field(fd, false)]);
    }
    return [...byExtendee].map(([name, extendFields]) => ({ location: NOWHERE, name, fields: extendFields }));
  }

  service(descriptor: Obj): ServiceElement {
    const rpcs: RpcElement[] = list(descriptor.method).map((m) => ({
      location: NOWHERE,
      name: text(m.name) ?? "",
      requestType: text(m.input_type) ?? "",
      responseType: text(m.output_type) ?? "",
      requestStreaming: m.client_streaming === true,
      responseStreaming: m.server_streaming === true,
      options: [
        ...option("deprecated", obj(m.options).deprecated, "BOOLEAN"),
        ...option("idempotency_level", obj(m.options).idempotency_level, "ENUM"),
      ],
    }));
    return { location: NOWHERE, name: text(descriptor.name) ?? "", rpcs, options: option("deprecated", obj(descriptor.options).deprecated, "BOOLEAN") };
  }
}

const FILE_OPTIONS: readonly (readonly [string, "BOOLEAN" | "ENUM" | "STRING"])[] = [
  ["java_package", "STRING"], ["java_outer_classname", "STRING"], ["java_multiple_files", "BOOLEAN"],
  ["java_generate_equals_and_hash", "BOOLEAN"], ["java_string_check_utf8", "BOOLEAN"], ["optimize_for", "ENUM"],
  ["go_package", "STRING"], ["cc_generic_services", "BOOLEAN"], ["java_generic_services", "BOOLEAN"],
  ["py_generic_services", "BOOLEAN"], ["php_generic_services", "BOOLEAN"], ["deprecated", "BOOLEAN"],
  ["cc_enable_arenas", "BOOLEAN"], ["objc_class_prefix", "STRING"], ["csharp_namespace", "STRING"],
  ["swift_prefix", "STRING"], ["php_class_prefix", "STRING"], ["php_namespace", "STRING"],
  ["php_metadata_namespace", "STRING"], ["ruby_package", "STRING"],
];

/** The syntax tree of a serialized FileDescriptorProto, as Confluent converts one. */
export function fileFromDescriptor(bytes: Uint8Array): ProtoFileElement {
  const file: ProtoObject = descriptorSchema().codec.decode("google.protobuf.FileDescriptorProto", bytes, true);
  const syntax = text(file.syntax) === "proto3" ? "proto3" : text(file.syntax) === "proto2" ? "proto2" : null;
  const reader = new DescriptorReader(syntax === "proto3");
  const dependencies = (file.dependency ?? []) as string[];
  const publicIndexes = new Set((file.public_dependency ?? []) as number[]);
  const options = obj(file.options);
  const types: TypeElement[] = [...list(file.message_type).map((d) => reader.message(d)), ...list(file.enum_type).map((e) => reader.enumType(e))];
  return {
    syntax,
    packageName: text(file.package) || null,
    imports: dependencies.filter((_, i) => !publicIndexes.has(i)),
    publicImports: dependencies.filter((_, i) => publicIndexes.has(i)),
    weakImports: [],
    types,
    services: list(file.service).map((s) => reader.service(s)),
    extendDeclarations: reader.extends(list(file.extension)),
    options: FILE_OPTIONS.flatMap(([name, kind]) => option(name, options[name], kind)),
  };
}

/** .proto text, or else (as Confluent does) a base64-encoded FileDescriptorProto; throws the text's syntax error. */
export function parseTextOrDescriptor(source: string): ProtoFileElement {
  try {
    return parseProto(source);
  } catch (error) {
    const compact = source.replace(/\s+/g, "");
    if (!(error instanceof ProtoSyntaxError) || compact === "" || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) throw error;
    try {
      return fileFromDescriptor(new Uint8Array(Buffer.from(compact, "base64")));
    } catch {
      throw error;
    }
  }
}


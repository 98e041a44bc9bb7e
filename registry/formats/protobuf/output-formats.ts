// The output formats of a stored Protobuf schema, Confluent's `format=` query parameter (its
// ProtobufSchema.formattedString), looked up by their exact names:
//   default            the canonical text (what is stored)
//   serialized         the schema's file as a base64-encoded FileDescriptorProto (descriptor-writer.ts),
//                      which Confluent's JavaScript and Python serializers ask for
//   ignore_extensions  the canonical text without extension declarations (`extend`), extension
//                      ranges and custom options, Confluent's own `confluent.*` options excepted
// Any other name is not a format of Protobuf schemas: undefined (Confluent answers 500).

import type { OptionElement, ProtoFileElement, TypeElement, FieldElement, MessageElement, GroupElement } from "./ast.ts";
import { fileToDescriptor } from "./descriptor-writer.ts";
import { parseTextOrDescriptor } from "./descriptor.ts";
import { linkSchema, type Linked } from "./link.ts";
import { printSchema } from "./printer.ts";
import type { ResolvedReferences } from "../types.ts";

export const PROTOBUF_OUTPUT_FORMATS: readonly string[] = ["default", "serialized", "ignore_extensions"];

/** Custom options are extensions; Confluent keeps its own meta options. */
const keepOption = (option: OptionElement): boolean => !option.parenthesized || option.name.startsWith("confluent.");

const keptOptions = (options: readonly OptionElement[]): OptionElement[] => options.filter(keepOption);

function withoutExtensionsField(field: FieldElement): FieldElement {
  return { ...field, options: keptOptions(field.options) };
}

function withoutExtensionsGroup(group: GroupElement): GroupElement {
  return { ...group, fields: group.fields.map(withoutExtensionsField) };
}

function withoutExtensionsMessage(message: MessageElement): MessageElement {
  return {
    ...message,
    options: keptOptions(message.options),
    fields: message.fields.map(withoutExtensionsField),
    oneOfs: message.oneOfs.map((o) => ({ ...o, options: keptOptions(o.options), fields: o.fields.map(withoutExtensionsField), groups: o.groups.map(withoutExtensionsGroup) })),
    groups: message.groups.map(withoutExtensionsGroup),
    extensions: [],
    extendDeclarations: [],
    nestedTypes: message.nestedTypes.map(withoutExtensionsType),
  };
}

function withoutExtensionsType(type: TypeElement): TypeElement {
  if (type.kind === "message") return withoutExtensionsMessage(type);
  return { ...type, options: keptOptions(type.options), constants: type.constants.map((c) => ({ ...c, options: keptOptions(c.options) })) };
}

function withoutExtensionsFile(file: ProtoFileElement): ProtoFileElement {
  return {
    ...file,
    options: keptOptions(file.options),
    types: file.types.map(withoutExtensionsType),
    services: file.services.map((s) => ({ ...s, options: keptOptions(s.options), rpcs: s.rpcs.map((r) => ({ ...r, options: keptOptions(r.options) })) })),
    extendDeclarations: [],
  };
}

/**
 * A stored Protobuf schema (its text, and the texts of its references by import path) in one of
 * Confluent's output formats; undefined for a format Protobuf schemas do not have.
 */
export function protobufFormattedString(text: string, resolved: ResolvedReferences, format: string): string | undefined {
  if (!PROTOBUF_OUTPUT_FORMATS.includes(format)) return undefined;
  // A stored schema: Confluent's checks for new schemas only do not apply (see LinkOptions).
  const linked: Linked = linkSchema(text, resolved, { protocRules: false }, parseTextOrDescriptor);
  switch (format) {
    case "serialized":
      return Buffer.from(fileToDescriptor(linked)).toString("base64");
    case "ignore_extensions":
      // Printing without normalizing reads nothing of the linked schema but the file's tree.
      return printSchema({ ...linked, main: { ...linked.main, ast: withoutExtensionsFile(linked.main.ast) } }, false);
    default:
      return printSchema(linked, false);
  }
}

// The PROTOBUF schema format of the registry: parse .proto text (proto2 and proto3) with its
// imports resolved from references and built-in well-known types, print it back as Confluent's
// canonical text, find messages by Confluent's message indexes, encode and decode messages, and
// check compatibility the way Confluent's Protobuf diff does.
//
// Parsing is ours (parser.ts), not a library's: Confluent's canonical text and compatibility
// rules are defined on the declarations as written (labels, option kinds, type names, the
// grouping of extend blocks), which the JS .proto parsers do not keep (protobufjs's parser turns
// `(x) = FOO` and `(x) = "FOO"` into the same string and drops the file's syntax). Encoding and
// decoding use protobufjs's run-time reflection (codec.ts). As in Confluent, a schema may also
// arrive as a base64-encoded FileDescriptorProto (descriptor.ts); it is stored as text.

import type { ParsedSchema, ParseOptions, ResolvedReferences, SchemaFormat, SchemaReference } from "../types.ts";
import { ProtobufCodec } from "./codec.ts";
import { incompatibilityMessages } from "./compatibility.ts";
import type { DiffSide } from "./compatibility.ts";
import { parseTextOrDescriptor } from "./descriptor.ts";
import { describe } from "./describe.ts";
import type { Described } from "./describe.ts";
import { linkSchema } from "./link.ts";
import type { ProtoFile, ProtoMessage, ProtoObject } from "./model.ts";
import { printSchema } from "./printer.ts";

export type * from "./model.ts";

export interface ProtobufParsedSchema extends ParsedSchema {
  readonly schemaType: "PROTOBUF";
  /** This schema's own file (its imports are described by `dependencies`). */
  readonly file: ProtoFile;
  /** The imported files by import path (references and built-in files), transitively. */
  readonly dependencies: ReadonlyMap<string, ProtoFile>;
  /** Every message this file declares, nested ones too, depth-first in declaration order. */
  readonly messages: readonly ProtoMessage[];
  /** A message of this file or of a file it imports (group messages too), by full name (`pkg.Outer.Inner`); a leading dot is allowed. */
  findMessage(fullName: string): ProtoMessage | undefined;
  /**
   * Confluent's message indexes of a message this file declares, by full name (a name without
   * the package is accepted too); throws when the file declares no such message.
   */
  messageIndexes(fullName: string): number[];
  /** The message this file declares at Confluent's message indexes ([] means [0]); throws when there is none. */
  messageAt(indexes: readonly number[]): ProtoMessage;
  /** Encodes a value of the message `fullName` (of this file or an import); throws a TypeError naming the path of a value that does not fit. */
  encode(fullName: string, value: ProtoObject): Uint8Array;
  /** Decodes bytes of the message `fullName`; throws on bytes that are not a valid message. */
  decode(fullName: string, bytes: Uint8Array): ProtoObject;
}

export interface ProtobufParseOptions extends ParseOptions {
  /**
   * Reject what protoc rejects but Confluent accepts (reserved numbers used, a proto3 enum not
   * starting at zero, ... see LinkOptions in link.ts). Default: `isNew` — new schemas get
   * protoc's checks; schemas read back from the store (perhaps written by Confluent) do not.
   */
  readonly protocRules?: boolean;
}

/** The PROTOBUF format, whose parse also takes ProtobufParseOptions. */
export interface ProtobufFormat extends SchemaFormat<ProtobufParsedSchema> {
  parse(text: string, references: readonly SchemaReference[], resolved: ResolvedReferences, options?: ProtobufParseOptions): ProtobufParsedSchema;
}

/** What the compatibility check needs of a parsed schema, kept out of the public shape. */
const diffSides = new WeakMap<ProtobufParsedSchema, DiffSide>();

/** Confluent's reference order after normalization: by subject, then version; duplicates dropped. */
function normalizedReferences(references: readonly SchemaReference[]): SchemaReference[] {
  const unique: SchemaReference[] = [];
  for (const reference of references) {
    if (!unique.some((r) => r.name === reference.name && r.subject === reference.subject && r.version === reference.version)) unique.push(reference);
  }
  return unique.sort((a, b) => (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : a.version - b.version));
}

function ownMessages(described: Described): ProtoMessage[] {
  const result: ProtoMessage[] = [];
  const visit = (message: ProtoMessage): void => {
    result.push(message);
    message.messages.forEach(visit);
  };
  described.file.messages.forEach(visit);
  return result;
}

function parse(
  text: string,
  references: readonly SchemaReference[],
  resolved: ResolvedReferences,
  options?: ProtobufParseOptions,
): ProtobufParsedSchema {
  const linkOptions = { protocRules: options?.protocRules ?? options?.isNew ?? true };
  let linked = linkSchema(text, resolved, linkOptions, parseTextOrDescriptor);
  let refs: readonly SchemaReference[] = references;
  let canonicalString: string;
  if (options?.normalize) {
    // As Confluent's normalize(): the normalized text is the canonical string, and is parsed
    // again to be the schema from then on.
    canonicalString = printSchema(linked, true);
    linked = linkSchema(canonicalString, resolved, linkOptions, parseTextOrDescriptor);
    refs = normalizedReferences(references);
  } else {
    canonicalString = printSchema(linked, false);
  }
  const described = describe(linked);
  const messages = ownMessages(described);
  const file = described.file;
  const firstType = file.messages[0] ?? file.enums[0];
  let codec: ProtobufCodec | null = null;
  const getCodec = (): ProtobufCodec => (codec ??= new ProtobufCodec(described));

  const ownMessage = (fullName: string): ProtoMessage | undefined => {
    const name = fullName.startsWith(".") ? fullName.slice(1) : fullName;
    const found = messages.find((m) => m.fullName === name);
    if (found || file.packageName === "") return found;
    return messages.find((m) => m.fullName === `${file.packageName}.${name}`);
  };

  const schema: ProtobufParsedSchema = {
    schemaType: "PROTOBUF",
    canonicalString,
    references: refs,
    name: firstType ? firstType.fullName : null,
    file,
    dependencies: described.dependencies,
    messages,
    findMessage: (fullName) => described.messages.get(fullName.startsWith(".") ? fullName.slice(1) : fullName),
    messageIndexes(fullName) {
      const message = ownMessage(fullName);
      if (!message || message.indexes === null) throw new Error(`The schema declares no message '${fullName}'`);
      return [...message.indexes];
    },
    messageAt(indexes) {
      const path = indexes.length === 0 ? [0] : indexes;
      let candidates: readonly ProtoMessage[] = file.messages;
      let message: ProtoMessage | undefined;
      for (const index of path) {
        message = candidates[index];
        if (!message) throw new Error(`Invalid message indexes: [${indexes.join(", ")}]`);
        candidates = message.messages;
      }
      return message!;
    },
    encode: (fullName, value) => getCodec().encode(fullName, value),
    decode: (fullName, bytes) => getCodec().decode(fullName, bytes),
  };
  diffSides.set(schema, { linked, references: refs });
  return schema;
}

function incompatibilities(
  reader: ProtobufParsedSchema,
  writer: ProtobufParsedSchema,
  roles: { reader: "new" | "old"; writer: "new" | "old" } = { reader: "new", writer: "old" },
): string[] {
  const readerSide = diffSides.get(reader);
  const writerSide = diffSides.get(writer);
  if (!readerSide || !writerSide) throw new Error("Both schemas must come from protobufFormat.parse");
  return incompatibilityMessages(writerSide, readerSide, roles);
}

export const protobufFormat: ProtobufFormat = {
  schemaType: "PROTOBUF",
  parse,
  incompatibilities,
};

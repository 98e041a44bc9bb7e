// Confluent's Protobuf compatibility check (its protobuf.diff package), on the same syntax tree
// shape: walk the writer's ("original") and reader's ("update") files side by side, list every
// difference at a path like `#/Message/3`, and report those that are not in Confluent's set of
// compatible changes. The rules, in short: removing or renaming a field, adding one, adding or
// removing enum values, messages moving, oneofs appearing or disappearing are fine; changing a
// field between scalar / message / map, between scalar groups that are not wire-compatible
// (int32/int64/uint32/uint64/bool/enum · sint32/sint64 · fixed32/sfixed32 · fixed64/sfixed64 ·
// string/bytes · float · double), to another message type, a numeric field's label, adding or
// removing a required field, removing a message, removing a oneof member or moving several
// fields into one oneof are not. (A package change is reported but, since Confluent 7.x,
// compatible.)
//
// Differences are listed in the order Confluent lists them, which follows Java's HashSet
// iteration over names and numbers; javaHashSetOrder reproduces that order.

import type { EnumElement, FieldElement, MessageElement, OneOfElement, ProtoFileElement, TypeElement } from "./ast.ts";
import { SCALAR_TYPES, mapTypes } from "./ast.ts";
import type { Linked, LinkedFile } from "./link.ts";
import { confluentResolve } from "./resolve.ts";
import type { CompatibilityRoles, SchemaReference } from "../types.ts";

export type DifferenceType =
  | "PACKAGE_CHANGED" | "MESSAGE_ADDED" | "MESSAGE_REMOVED" | "MESSAGE_MOVED"
  | "ENUM_ADDED" | "ENUM_REMOVED" | "ENUM_CONST_ADDED" | "ENUM_CONST_CHANGED" | "ENUM_CONST_REMOVED"
  | "FIELD_ADDED" | "FIELD_REMOVED" | "FIELD_NAME_CHANGED" | "FIELD_KIND_CHANGED"
  | "FIELD_SCALAR_KIND_CHANGED" | "FIELD_NAMED_TYPE_CHANGED"
  | "FIELD_NUMERIC_LABEL_CHANGED" | "FIELD_STRING_OR_BYTES_LABEL_CHANGED"
  | "REQUIRED_FIELD_ADDED" | "REQUIRED_FIELD_REMOVED"
  | "ONEOF_ADDED" | "ONEOF_REMOVED" | "ONEOF_FIELD_ADDED" | "ONEOF_FIELD_REMOVED"
  | "MULTIPLE_FIELDS_MOVED_TO_ONEOF" | "FIELD_MOVED_TO_EXISTING_ONEOF";

export interface Difference {
  readonly type: DifferenceType;
  readonly fullPath: string;
}

export const COMPATIBLE_CHANGES: ReadonlySet<DifferenceType> = new Set<DifferenceType>([
  "PACKAGE_CHANGED",
  "MESSAGE_ADDED", "MESSAGE_MOVED", "ENUM_ADDED", "ENUM_REMOVED", "ENUM_CONST_ADDED", "ENUM_CONST_CHANGED",
  "ENUM_CONST_REMOVED", "FIELD_ADDED", "FIELD_REMOVED", "FIELD_NAME_CHANGED", "FIELD_STRING_OR_BYTES_LABEL_CHANGED",
  "ONEOF_ADDED", "ONEOF_REMOVED", "ONEOF_FIELD_ADDED",
]);

/** What one side of the comparison is made of: its files and the references it was registered with. */
export interface DiffSide {
  readonly linked: Linked;
  readonly references: readonly SchemaReference[];
}

// ---- Java HashSet iteration order ----

function javaStringHash(value: string): number {
  let hash = 0;
  for (let i = 0; i < value.length; i++) hash = (Math.imul(31, hash) + value.charCodeAt(i)) | 0;
  return hash;
}

function tableSizeFor(capacity: number): number {
  let size = 1;
  while (size < capacity) size *= 2;
  return size;
}

/**
 * The iteration order of `new HashSet<>(first); set.addAll(second)` in Java, where `first` and
 * `second` are the keys of two maps in their declaration order: by hash bucket of the final
 * table, then by insertion.
 */
export function javaHashSetOrder<T extends string | number>(first: readonly T[], second: readonly T[]): T[] {
  const all: T[] = [];
  const seen = new Set<T>();
  for (const key of [...first, ...second]) {
    if (!seen.has(key)) {
      seen.add(key);
      all.push(key);
    }
  }
  let capacity = tableSizeFor(Math.max(Math.floor(first.length / 0.75) + 1, 16));
  for (let size = first.length + 1; size <= all.length; size++) if (size > capacity * 0.75) capacity *= 2;
  const bucket = (key: T): number => {
    const hash = typeof key === "number" ? key | 0 : javaStringHash(key);
    return (hash ^ (hash >>> 16)) & (capacity - 1);
  };
  return all
    .map((key, index) => ({ key, index, bucket: bucket(key) }))
    .sort((a, b) => a.bucket - b.bucket || a.index - b.index)
    .map((entry) => entry.key);
}

// ---- the comparison context (Confluent's diff Context) ----

interface TypeInfo {
  readonly packageName: string;
  /** The reference the type came from: a placeholder for the schema itself, null for files not referenced directly. */
  readonly reference: SchemaReference | null;
  readonly type: TypeElement;
  readonly isMap: boolean;
  readonly key: FieldElement | null;
  readonly value: FieldElement | null;
}

const OWN_SCHEMA: SchemaReference = { name: "", subject: "", version: -1 };

function isMapEntry(message: MessageElement): boolean {
  return message.options.some((o) => !o.parenthesized && o.name === "map_entry" && o.value.kind === "BOOLEAN" && o.value.value === "true");
}

function collectTypes(side: DiffSide): Map<string, TypeInfo> {
  const types = new Map<string, TypeInfo>();
  const collectFile = (file: LinkedFile, reference: SchemaReference | null): void => {
    const visit = (scope: string, list: readonly TypeElement[]): void => {
      for (const type of list) {
        const fullName = scope === "" ? type.name : `${scope}.${type.name}`;
        let info: TypeInfo = { packageName: file.packageName, reference, type, isMap: false, key: null, value: null };
        if (type.kind === "message" && isMapEntry(type)) {
          const key = type.fields.find((f) => f.name === "key") ?? null;
          const value = type.fields.find((f) => f.name === "value") ?? null;
          info = { ...info, isMap: true, key, value };
        }
        types.set(fullName, info);
        if (type.kind === "message") visit(fullName, type.nestedTypes);
      }
    };
    visit(file.packageName, file.ast.types);
  };
  for (const [path, file] of side.linked.dependencies) {
    collectFile(file, side.references.find((r) => r.name === path) ?? null);
  }
  collectFile(side.linked.main, OWN_SCHEMA);
  return types;
}

class DiffContext {
  readonly differences: Difference[] = [];
  private readonly originalTypes: Map<string, TypeInfo>;
  private readonly updateTypes: Map<string, TypeInfo>;
  private originalPackage: string;
  private updatePackage: string;
  private fullPath: string[];
  private fullName: string[];
  private readonly schemas: Set<MessageElement>;

  constructor(
    originalTypes: Map<string, TypeInfo>, updateTypes: Map<string, TypeInfo>,
    originalPackage: string, updatePackage: string,
    fullPath: string[] = [], fullName: string[] = [], schemas: Set<MessageElement> = new Set(),
  ) {
    this.originalTypes = originalTypes;
    this.updateTypes = updateTypes;
    this.originalPackage = originalPackage;
    this.updatePackage = updatePackage;
    this.fullPath = fullPath;
    this.fullName = fullName;
    this.schemas = schemas;
  }

  subcontext(): DiffContext {
    return new DiffContext(this.originalTypes, this.updateTypes, this.originalPackage, this.updatePackage,
      [...this.fullPath], [...this.fullName], new Set(this.schemas));
  }

  setPackages(original: string, update: string): void {
    this.originalPackage = original;
    this.updatePackage = update;
  }

  setFullName(name: string): void {
    this.fullPath = name.split(".");
    this.fullName = name.split(".");
  }

  add(type: DifferenceType): void {
    this.differences.push({ type, fullPath: `#/${this.fullPath.join("/")}` });
  }

  isCompatible(): boolean {
    return this.differences.every((d) => COMPATIBLE_CHANGES.has(d.type));
  }

  inPath<T>(segment: string, body: () => T): T {
    this.fullPath.push(segment);
    try {
      return body();
    } finally {
      this.fullPath.pop();
    }
  }

  inName<T>(name: string, body: () => T): T {
    this.fullName.push(name);
    try {
      return this.inPath(name, body);
    } finally {
      this.fullName.pop();
    }
  }

  /** Runs `body` with `schema` marked as being compared; false (and nothing run) when it already is. */
  inSchema(schema: MessageElement, body: () => void): void {
    if (this.schemas.has(schema)) return;
    this.schemas.add(schema);
    try {
      body();
    } finally {
      this.schemas.delete(schema);
    }
  }

  resolve(name: string, original: boolean): string | null {
    const types = original ? this.originalTypes : this.updateTypes;
    const exists = (fullName: string): boolean => types.has(fullName);
    return confluentResolve(exists, original ? this.originalPackage : this.updatePackage, this.fullName, name);
  }

  getType(name: string, original: boolean): TypeInfo | null {
    const fullName = this.resolve(name, original);
    return fullName === null ? null : (original ? this.originalTypes : this.updateTypes).get(fullName) ?? null;
  }
}

// ---- the comparison ----

function compareFiles(ctx: DiffContext, original: ProtoFileElement, update: ProtoFileElement): void {
  if (original.packageName !== update.packageName) ctx.add("PACKAGE_CHANGED");
  compareTypeElements(ctx, original.types, update.types);
}

function compareTypeElements(ctx: DiffContext, original: readonly TypeElement[], update: readonly TypeElement[]): void {
  const index = (types: readonly TypeElement[]) => {
    const messages = new Map<string, MessageElement>();
    const messageIndexes = new Map<string, number>();
    const enums = new Map<string, EnumElement>();
    for (const type of types) {
      if (type.kind === "message") {
        messages.set(type.name, type);
        messageIndexes.set(type.name, messageIndexes.size);
      } else {
        enums.set(type.name, type);
      }
    }
    return { messages, messageIndexes, enums };
  };
  const before = index(original);
  const after = index(update);
  for (const name of javaHashSetOrder([...before.messages.keys()], [...after.messages.keys()])) {
    ctx.inName(name, () => {
      const originalMessage = before.messages.get(name);
      const updateMessage = after.messages.get(name);
      if (!updateMessage) {
        const info = ctx.getType(name, true);
        if (info && !info.isMap) ctx.add("MESSAGE_REMOVED");
      } else if (!originalMessage) {
        const info = ctx.getType(name, false);
        if (info && !info.isMap) ctx.add("MESSAGE_ADDED");
      } else {
        compareMessages(ctx, originalMessage, updateMessage);
        if (before.messageIndexes.get(name) !== after.messageIndexes.get(name)) ctx.add("MESSAGE_MOVED");
      }
    });
  }
  for (const name of javaHashSetOrder([...before.enums.keys()], [...after.enums.keys()])) {
    ctx.inName(name, () => {
      const originalEnum = before.enums.get(name);
      const updateEnum = after.enums.get(name);
      if (!updateEnum) ctx.add("ENUM_REMOVED");
      else if (!originalEnum) ctx.add("ENUM_ADDED");
      else compareEnums(ctx, originalEnum, updateEnum);
    });
  }
}

function byTag(fields: readonly FieldElement[]): Map<number, FieldElement> {
  return new Map(fields.map((f) => [f.tag, f]));
}

function compareMessages(ctx: DiffContext, original: MessageElement, update: MessageElement): void {
  ctx.inSchema(original, () => {
    const originalByTag = byTag(original.fields);
    const updateByTag = byTag(update.fields);
    const originalOneOfs = new Map<string, OneOfElement>(original.oneOfs.map((o) => [o.name, o]));
    const updateOneOfs = new Map<string, OneOfElement>();
    const originalOneOfFields = byTag(original.oneOfs.flatMap((o) => o.fields));
    for (const oneOf of update.oneOfs) {
      updateOneOfs.set(oneOf.name, oneOf);
      ctx.inPath(oneOf.name, () => {
        let moved = 0;
        let existing = 0;
        for (const field of oneOf.fields) {
          // A field moved into the oneof is not reported as removed.
          if (originalByTag.delete(field.tag)) moved++;
          else if (originalOneOfFields.has(field.tag)) existing++;
        }
        if (moved > 1) ctx.add("MULTIPLE_FIELDS_MOVED_TO_ONEOF");
        else if (moved === 1 && existing > 0) ctx.add("FIELD_MOVED_TO_EXISTING_ONEOF");
      });
    }
    for (const name of javaHashSetOrder([...originalOneOfs.keys()], [...updateOneOfs.keys()])) {
      ctx.inPath(name, () => {
        const originalOneOf = originalOneOfs.get(name);
        const updateOneOf = updateOneOfs.get(name);
        if (!updateOneOf) ctx.add("ONEOF_REMOVED");
        else if (!originalOneOf) ctx.add("ONEOF_ADDED");
        else compareOneOfs(ctx, originalOneOf, updateOneOf);
      });
    }
    for (const tag of javaHashSetOrder([...originalByTag.keys()], [...updateByTag.keys()])) {
      ctx.inPath(String(tag), () => {
        const originalField = originalByTag.get(tag);
        const updateField = updateByTag.get(tag);
        if (!updateField) ctx.add(originalField!.label === "required" ? "REQUIRED_FIELD_REMOVED" : "FIELD_REMOVED");
        else if (!originalField) ctx.add(updateField.label === "required" ? "REQUIRED_FIELD_ADDED" : "FIELD_ADDED");
        else compareFields(ctx, originalField, updateField);
      });
    }
  });
  compareTypeElements(ctx, original.nestedTypes, update.nestedTypes);
}

function compareOneOfs(ctx: DiffContext, original: OneOfElement, update: OneOfElement): void {
  const originalByTag = byTag(original.fields);
  const updateByTag = byTag(update.fields);
  for (const tag of javaHashSetOrder([...originalByTag.keys()], [...updateByTag.keys()])) {
    ctx.inPath(String(tag), () => {
      const originalField = originalByTag.get(tag);
      const updateField = updateByTag.get(tag);
      if (!updateField) ctx.add("ONEOF_FIELD_REMOVED");
      else if (!originalField) ctx.add("ONEOF_FIELD_ADDED");
      else compareFields(ctx, originalField, updateField);
    });
  }
}

function compareEnums(ctx: DiffContext, original: EnumElement, update: EnumElement): void {
  const originalByTag = new Map(original.constants.map((c) => [c.tag, c]));
  const updateByTag = new Map(update.constants.map((c) => [c.tag, c]));
  for (const tag of javaHashSetOrder([...originalByTag.keys()], [...updateByTag.keys()])) {
    ctx.inPath(String(tag), () => {
      const originalConstant = originalByTag.get(tag);
      const updateConstant = updateByTag.get(tag);
      if (!updateConstant) ctx.add("ENUM_CONST_REMOVED");
      else if (!originalConstant) ctx.add("ENUM_CONST_ADDED");
      else if (originalConstant.name !== updateConstant.name) ctx.add("ENUM_CONST_CHANGED");
    });
  }
}

function compareFields(ctx: DiffContext, original: FieldElement, update: FieldElement): void {
  if (original.name !== update.name) ctx.add("FIELD_NAME_CHANGED");
  compareLabelsAndTypes(ctx, original.label, update.label, original.type, update.type);
}

type Kind = "SCALAR" | "MESSAGE" | "MAP";
type ScalarKind = "GENERAL_NUMBER" | "SIGNED_NUMBER" | "STRING_OR_BYTES" | "FIXED32" | "FIXED64" | "FLOAT" | "DOUBLE";

const SCALAR_KINDS: Readonly<Record<string, ScalarKind>> = {
  int32: "GENERAL_NUMBER", int64: "GENERAL_NUMBER", uint32: "GENERAL_NUMBER", uint64: "GENERAL_NUMBER", bool: "GENERAL_NUMBER",
  sint32: "SIGNED_NUMBER", sint64: "SIGNED_NUMBER",
  string: "STRING_OR_BYTES", bytes: "STRING_OR_BYTES",
  fixed32: "FIXED32", sfixed32: "FIXED32",
  fixed64: "FIXED64", sfixed64: "FIXED64",
  float: "FLOAT",
  double: "DOUBLE",
};

function mapTypeOf(info: TypeInfo | null): string | null {
  return info?.isMap && info.key && info.value ? `map<${info.key.type}, ${info.value.type}>` : null;
}

function kind(ctx: DiffContext, type: string, original: boolean): Kind {
  if (SCALAR_TYPES.has(type)) return "SCALAR";
  if (mapTypes(type)) return "MAP";
  return ctx.getType(type, original)?.type.kind === "enum" ? "SCALAR" : "MESSAGE";
}

function scalarKind(ctx: DiffContext, type: string, original: boolean): ScalarKind {
  if (ctx.getType(type, original)?.type.kind === "enum") return "GENERAL_NUMBER";
  return SCALAR_KINDS[type]!;
}

function compareLabelsAndTypes(
  ctx: DiffContext, originalLabel: string | null, updateLabel: string | null, originalType: string, updateType: string,
): void {
  const before = mapTypeOf(ctx.getType(originalType, true)) ?? originalType;
  const after = mapTypeOf(ctx.getType(updateType, false)) ?? updateType;
  const beforeKind = kind(ctx, before, true);
  const afterKind = kind(ctx, after, false);
  if (beforeKind !== afterKind) {
    ctx.add("FIELD_KIND_CHANGED");
    return;
  }
  if (beforeKind === "SCALAR") {
    const beforeScalar = scalarKind(ctx, before, true);
    if (beforeScalar !== scalarKind(ctx, after, false)) {
      ctx.add("FIELD_SCALAR_KIND_CHANGED");
    } else if (originalLabel !== null && updateLabel !== null && originalLabel !== updateLabel) {
      // A label change only matters when both sides wrote one (proto3 singular fields have none).
      if (beforeScalar === "STRING_OR_BYTES") ctx.add("FIELD_STRING_OR_BYTES_LABEL_CHANGED");
      else ctx.add("FIELD_NUMERIC_LABEL_CHANGED");
    }
  } else if (beforeKind === "MESSAGE") {
    compareMessageTypes(ctx, before, after);
  } else {
    const [beforeKey, beforeValue] = mapTypes(before)!;
    const [afterKey, afterValue] = mapTypes(after)!;
    compareLabelsAndTypes(ctx, null, null, beforeKey, afterKey);
    compareLabelsAndTypes(ctx, null, null, beforeValue, afterValue);
  }
}

function compareMessageTypes(ctx: DiffContext, original: string, update: string): void {
  const originalFullName = ctx.resolve(original, true);
  const updateFullName = ctx.resolve(update, false);
  if (originalFullName === null || updateFullName === null) {
    if (original !== update) ctx.add("FIELD_NAMED_TYPE_CHANGED");
    return;
  }
  const originalInfo = ctx.getType(originalFullName, true)!;
  const updateInfo = ctx.getType(updateFullName, false)!;
  const local = (fullName: string, info: TypeInfo): string =>
    fullName.startsWith(`${info.packageName}.`) ? fullName.slice(info.packageName.length + 1) : fullName;
  const originalLocal = local(originalFullName, originalInfo);
  const updateLocal = local(updateFullName, updateInfo);
  if (originalLocal !== updateLocal) {
    ctx.add("FIELD_NAMED_TYPE_CHANGED");
    return;
  }
  const [a, b] = [originalInfo.reference, updateInfo.reference];
  // Types of the schema itself are compared where they are declared, and one subject-version
  // referenced on both sides is the same schema: only other references are compared here.
  if (a !== null && b !== null && a.subject === b.subject && a.version === b.version) return;
  if (originalInfo.type.kind !== "message" || updateInfo.type.kind !== "message") return;
  const sub = ctx.subcontext();
  sub.setPackages(originalInfo.packageName, updateInfo.packageName);
  sub.setFullName(originalLocal);
  compareMessages(sub, originalInfo.type, updateInfo.type);
  ctx.differences.push(...sub.differences);
  if (!sub.isCompatible()) ctx.add("FIELD_NAMED_TYPE_CHANGED");
}

/** Every difference between the writer's schema (Confluent's "original") and the reader's ("update"). */
export function differences(writer: DiffSide, reader: DiffSide): Difference[] {
  const ctx = new DiffContext(collectTypes(writer), collectTypes(reader), writer.linked.main.packageName, reader.linked.main.packageName);
  compareFiles(ctx, writer.linked.main.ast, reader.linked.main.ast);
  return ctx.differences;
}

/** Confluent's description of an incompatible difference; `%s` are the reader's and the writer's role. */
const DESCRIPTIONS: Partial<Record<DifferenceType, (path: string) => string>> = {
  PACKAGE_CHANGED: (p) => `The package at '${p}' in the %s schema does not match the package in the %s schema`,
  MESSAGE_REMOVED: (p) => `The %s schema is missing a MESSAGE type at path '${p}' in the %s schema`,
  FIELD_KIND_CHANGED: (p) => `The type of a field at path '${p}' in the %s schema does not match the %s schema`,
  FIELD_SCALAR_KIND_CHANGED: (p) => `The kind of a SCALAR field at path '${p}' in the %s schema does not match its kind in the %s schema`,
  FIELD_NAMED_TYPE_CHANGED: (p) => `The type of a MESSAGE field at path '${p}' in the %s schema does not match its type in the %s schema`,
  FIELD_NUMERIC_LABEL_CHANGED: (p) => `The label for a NUMERIC field at path '${p}' in the %s schema does not match its label in the %s schema`,
  REQUIRED_FIELD_ADDED: (p) => `A required field  at path '${p}' in the %s schema is missing in the %s schema`,
  REQUIRED_FIELD_REMOVED: (p) => `The %s schema is missing a required field at path: '${p}' in the %s schema`,
  ONEOF_FIELD_REMOVED: (p) => `The %s schema is missing a oneof field at path '${p}' in the %s schema`,
  MULTIPLE_FIELDS_MOVED_TO_ONEOF: (p) => `Multiple fields in the oneof at path '${p}' in the %s schema are outside a oneof in the %s schema`,
  FIELD_MOVED_TO_EXISTING_ONEOF: (p) => `A field in the oneof at path '${p}' in the %s schema is outside an existing oneof in the %s schema`,
};

/** The incompatible differences as Confluent words them: `{errorType:"...", description:"..."}`. */
export function incompatibilityMessages(writer: DiffSide, reader: DiffSide, roles: CompatibilityRoles): string[] {
  return differences(writer, reader)
    .filter((d) => !COMPATIBLE_CHANGES.has(d.type))
    .map((d) => {
      const template = DESCRIPTIONS[d.type]?.(d.fullPath) ?? "";
      let n = 0;
      const description = template.replace(/%s/g, () => (n++ === 0 ? roles.reader : roles.writer));
      return `{errorType:"${d.type}", description:"${description}"}`;
    });
}

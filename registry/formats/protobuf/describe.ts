// Linked syntax trees → the library-neutral description (model.ts) the serializers and Connect
// converters use: fields in declaration order with resolved types, proto3 presence, defaults,
// JSON names and options as plain data.

import type { EnumElement, FieldElement, GroupElement, MessageElement, OptionElement, OptionValue } from "./ast.ts";
import type { Linked, LinkedFile, ResolvedType } from "./link.ts";
import { allFields, byLocation, groupFieldName } from "./link.ts";
import type {
  ProtoEnum, ProtoField, ProtoFieldType, ProtoFile, ProtoMessage, ProtoOptionValue, ProtoOptions,
} from "./model.ts";
import { parseInteger } from "./parser.ts";

function optionValue(value: OptionValue): ProtoOptionValue {
  switch (value.kind) {
    case "STRING":
    case "ENUM":
      return value.value;
    case "BOOLEAN":
      return value.value === "true";
    case "NUMBER": {
      const integer = parseInteger(value.value);
      if (integer !== null) return Number.isSafeInteger(integer) ? integer : value.value;
      const number = Number(value.value);
      return Number.isFinite(number) ? number : value.value;
    }
    case "LIST":
      return value.items.map(optionValue);
    case "MAP": {
      const result: Record<string, ProtoOptionValue> = {};
      for (const [key, item] of value.entries) result[key] = optionValue(item);
      return result;
    }
    case "OPTION":
      return { [value.option.name]: optionValue(value.option.value) };
  }
}

function isRecord(value: ProtoOptionValue | undefined): value is { readonly [key: string]: ProtoOptionValue } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Several settings of one option merge into one value, as Confluent reads its meta options. */
function mergeOptionValues(existing: ProtoOptionValue | undefined, next: ProtoOptionValue): ProtoOptionValue {
  if (existing === undefined) return next;
  if (isRecord(existing) && isRecord(next)) {
    const merged: Record<string, ProtoOptionValue> = { ...existing };
    for (const [key, value] of Object.entries(next)) {
      const previous = merged[key];
      if (previous === undefined) merged[key] = value;
      else if (isRecord(previous) && isRecord(value)) merged[key] = mergeOptionValues(previous, value);
      else merged[key] = [...(Array.isArray(previous) ? previous : [previous]), ...(Array.isArray(value) ? value : [value])];
    }
    return merged;
  }
  return next;
}

export function describeOptions(options: readonly OptionElement[]): ProtoOptions {
  const result: Record<string, ProtoOptionValue> = {};
  for (const option of options) {
    const key = option.parenthesized ? `(${option.name})` : option.name;
    result[key] = mergeOptionValues(result[key], optionValue(option.value));
  }
  return result;
}

/** protoc's default JSON name: lowerCamelCase, underscores removed. */
function defaultJsonName(name: string): string {
  return name.replace(/_+([a-zA-Z0-9])?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : ""));
}

function fieldType(type: ResolvedType): ProtoFieldType {
  if (type.kind === "map") return { kind: "map", key: type.key, value: fieldType(type.value) };
  return type;
}

function defaultValue(type: ResolvedType, text: string | null): string | number | boolean | null {
  if (text === null) return null;
  if (type.kind !== "scalar") return text;
  switch (type.scalar) {
    case "string":
    case "bytes":
      return text;
    case "bool":
      return text === "true";
    case "float":
    case "double":
      if (/^-?inf(inity)?$/i.test(text)) return text.startsWith("-") ? -Infinity : Infinity;
      if (/^-?nan$/i.test(text)) return NaN;
      return parseInteger(text) ?? Number(text);
    default: {
      const value = parseInteger(text);
      return value !== null && Number.isSafeInteger(value) ? value : BigInt(text).toString();
    }
  }
}

class Describer {
  private readonly linked: Linked;
  private readonly described = new Map<string, ProtoMessage>();

  constructor(linked: Linked) {
    this.linked = linked;
  }

  file(file: LinkedFile): ProtoFile {
    const ast = file.ast;
    return {
      path: file.path,
      syntax: file.syntax,
      packageName: file.packageName,
      imports: file.dependencies,
      messages: ast.types.filter((t) => t.kind === "message").map((t) => this.message(join(file.packageName, t.name))),
      enums: ast.types.filter((t) => t.kind === "enum").map((t) => this.enumType(join(file.packageName, t.name), t)),
      options: describeOptions(ast.options),
    };
  }

  /** Every message of the schema by full name, groups' messages included. */
  message(fullName: string): ProtoMessage {
    const cached = this.described.get(fullName);
    if (cached) return cached;
    const decl = this.linked.messages.get(fullName)!;
    const element = decl.element;
    const proto3 = decl.file.syntax === "proto3";
    let described: ProtoMessage;
    if ("kind" in element) {
      const oneOfOf = new Map<FieldElement | GroupElement, string>();
      for (const oneOf of element.oneOfs) for (const member of [...oneOf.fields, ...oneOf.groups]) oneOfOf.set(member, oneOf.name);
      const groups = [...element.groups, ...element.oneOfs.flatMap((o) => o.groups)];
      const members = [...allFields(element), ...groups].sort(byLocation);
      described = {
        name: element.name,
        fullName,
        indexes: decl.indexes,
        fields: members.map((m) => ("fields" in m ? this.groupField(fullName, m, oneOfOf.get(m) ?? null) : this.field(fullName, m, oneOfOf.get(m) ?? null, proto3))),
        oneofs: element.oneOfs.map((o) => ({ name: o.name, fields: [...o.fields, ...o.groups].sort(byLocation).map((f) => ("fields" in f ? groupFieldName(f) : f.name)) })),
        messages: element.nestedTypes.filter((t): t is MessageElement => t.kind === "message").map((t) => this.message(join(fullName, t.name))),
        enums: element.nestedTypes.filter((t): t is EnumElement => t.kind === "enum").map((t) => this.enumType(join(fullName, t.name), t)),
        options: describeOptions(element.options),
      };
    } else {
      described = {
        name: element.name,
        fullName,
        indexes: null,
        fields: element.fields.map((f) => this.field(fullName, f, null, proto3)),
        oneofs: [],
        messages: [],
        enums: [],
        options: {},
      };
    }
    this.described.set(fullName, described);
    return described;
  }

  /** A repeated field of an explicit map entry message (as descriptors write maps) is a map field. */
  private asMap(type: ResolvedType, label: string | null): ResolvedType {
    if (type.kind !== "message" || label !== "repeated") return type;
    const entry = this.linked.messages.get(type.fullName)?.element;
    if (!entry || !("kind" in entry)) return type;
    const isEntry = entry.options.some((o) => !o.parenthesized && o.name === "map_entry" && o.value.kind === "BOOLEAN" && o.value.value === "true");
    const key = entry.fields.find((f) => f.name === "key");
    const value = entry.fields.find((f) => f.name === "value");
    if (!isEntry || !key || !value) return type;
    const keyType = this.linked.fieldTypes.get(key)!;
    if (keyType.kind !== "scalar") return type;
    return { kind: "map", key: keyType.scalar, value: this.linked.fieldTypes.get(value)! };
  }

  private field(owner: string, field: FieldElement, oneof: string | null, proto3: boolean): ProtoField {
    const type = this.asMap(this.linked.fieldTypes.get(field)!, field.label);
    return {
      name: field.name,
      fullName: join(owner, field.name),
      number: field.tag,
      label: type.kind === "map" ? "repeated" : (field.label ?? "optional"),
      type: fieldType(type),
      oneof,
      proto3Optional: proto3 && field.label === "optional",
      defaultValue: defaultValue(type, field.defaultValue),
      jsonName: field.jsonName ?? defaultJsonName(field.name),
      options: describeOptions(field.options),
    };
  }

  private groupField(owner: string, group: GroupElement, oneof: string | null): ProtoField {
    const name = groupFieldName(group);
    return {
      name,
      fullName: join(owner, name),
      number: group.tag,
      label: group.label ?? "optional",
      type: { kind: "group", fullName: join(owner, group.name) },
      oneof,
      proto3Optional: false,
      defaultValue: null,
      jsonName: defaultJsonName(name),
      options: {},
    };
  }

  enumType(fullName: string, element: EnumElement): ProtoEnum {
    return {
      name: element.name,
      fullName,
      values: element.constants.map((c) => ({ name: c.name, number: c.tag })),
      options: describeOptions(element.options),
    };
  }
}

const join = (scope: string, name: string): string => (scope === "" ? name : `${scope}.${name}`);

export interface Described {
  readonly file: ProtoFile;
  readonly dependencies: ReadonlyMap<string, ProtoFile>;
  /** Every message of every file (groups' too), by full name. */
  readonly messages: ReadonlyMap<string, ProtoMessage>;
  readonly enums: ReadonlyMap<string, ProtoEnum>;
}

export function describe(linked: Linked): Described {
  const describer = new Describer(linked);
  const dependencies = new Map<string, ProtoFile>();
  for (const [path, file] of linked.dependencies) dependencies.set(path, describer.file(file));
  const file = describer.file(linked.main);
  const messages = new Map<string, ProtoMessage>();
  for (const fullName of linked.messages.keys()) messages.set(fullName, describer.message(fullName));
  const enums = new Map<string, ProtoEnum>();
  for (const [fullName, decl] of linked.enums) enums.set(fullName, describer.enumType(fullName, decl.element));
  return { file, dependencies, messages, enums };
}

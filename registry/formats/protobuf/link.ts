// Links a parsed schema with the files it imports (references, then built-in files): resolves
// every type name the way protoc does (innermost scope outwards, only through imported files),
// and rejects what protoc would reject — unknown or invisible types, duplicate names and field
// numbers, reserved numbers and names, bad map keys, proto3 rules, bad defaults — with the line
// and column of the declaration. Confluent validates a new schema by building Java descriptors
// from it, which applies the same rules.

import type {
  EnumElement, ExtendElement, FieldElement, GroupElement, Location, MessageElement, OneOfElement,
  ProtoFileElement, RangeValue, ReservedElement, TypeElement,
} from "./ast.ts";
import { MAX_TAG, SCALAR_TYPES, mapTypes } from "./ast.ts";
import { InvalidSchemaError } from "../types.ts";
import type { ResolvedReferences } from "../types.ts";
import type { ProtoFieldType, ProtoScalarType, ProtoSyntax } from "./model.ts";
import { ProtoSyntaxError, parseInteger, parseProto } from "./parser.ts";
import { wellKnownText } from "./well-known.ts";

/** The import path of the schema being registered (it has none of its own). */
export const MAIN_PATH = "";

export interface LinkedFile {
  /** The import path; MAIN_PATH for the schema itself. */
  readonly path: string;
  readonly ast: ProtoFileElement;
  readonly syntax: ProtoSyntax;
  /** "" when the file has no package. */
  readonly packageName: string;
  /** Direct imports (plain, public and weak), in order. */
  readonly dependencies: readonly string[];
}

/** A field's type as linking resolves it: the model's field type (full names without a leading dot). */
export type ResolvedType = ProtoFieldType;

export interface MessageDecl {
  readonly kind: "message";
  readonly fullName: string;
  readonly file: LinkedFile;
  /** The declaration; a group's declaration for the message a group declares. */
  readonly element: MessageElement | GroupElement;
  /** Confluent's message indexes within its file; null for group messages. */
  readonly indexes: readonly number[] | null;
}

export interface EnumDecl {
  readonly kind: "enum";
  readonly fullName: string;
  readonly file: LinkedFile;
  readonly element: EnumElement;
}

export interface ExtensionDecl {
  readonly fullName: string;
  readonly field: FieldElement;
  /** The full name of the extended message. */
  readonly extendee: string;
  readonly file: LinkedFile;
}

export interface Linked {
  readonly main: LinkedFile;
  /** The imported files by import path, transitively (not the main one). */
  readonly dependencies: ReadonlyMap<string, LinkedFile>;
  readonly messages: ReadonlyMap<string, MessageDecl>;
  readonly enums: ReadonlyMap<string, EnumDecl>;
  readonly extensions: ReadonlyMap<string, ExtensionDecl>;
  /** The resolved type of every field of every file (extension fields too). */
  readonly fieldTypes: ReadonlyMap<FieldElement, ResolvedType>;
  /** The resolved full name of every `extend` block's message. */
  readonly extendees: ReadonlyMap<ExtendElement, string>;
}

type SymbolKind = "package" | "message" | "enum" | "field" | "oneof" | "enum value" | "service" | "extension";

interface Sym {
  readonly kind: SymbolKind;
  readonly file: LinkedFile | null;
  readonly location: Location | null;
}

/** Throws InvalidSchemaError naming the file (when not the main schema) and the location. */
function fail(file: { readonly path: string } | null, message: string, location?: Location | null): never {
  const where = location ? ` (line ${location.line}, column ${location.column})` : "";
  const inFile = file && file.path !== MAIN_PATH ? `In '${file.path}': ` : "";
  throw new InvalidSchemaError(`${inFile}${message}${where}`);
}

const INTEGRAL_MAP_KEYS: ReadonlySet<string> = new Set([
  "int32", "int64", "uint32", "uint64", "sint32", "sint64", "fixed32", "fixed64", "sfixed32", "sfixed64", "bool", "string",
]);

/** Loads the main text and its imports (by reference name, else built in), parsing each once. */
/** Built-in files are parsed once: their trees are never changed, only read. */
const builtIn = new Map<string, ProtoFileElement>();

function builtInText(path: string): string | undefined {
  const text = wellKnownText(path);
  if (text !== undefined && !builtIn.has(text)) builtIn.set(text, parseProto(text));
  return text;
}

/** Reads the text of a file into its syntax tree; throws ProtoSyntaxError. */
export type FileParser = (text: string) => ProtoFileElement;

function loadFiles(mainText: string, resolved: ResolvedReferences, parseFile: FileParser): { main: LinkedFile; dependencies: Map<string, LinkedFile> } {
  const dependencies = new Map<string, LinkedFile>();
  const visiting = new Set<string>();
  const load = (path: string, text: string): LinkedFile => {
    let ast: ProtoFileElement;
    try {
      ast = builtIn.get(text) ?? parseFile(text);
    } catch (error) {
      if (error instanceof ProtoSyntaxError) {
        fail(path === MAIN_PATH ? null : { path }, error.message);
      }
      throw error;
    }
    const file: LinkedFile = {
      path,
      ast,
      syntax: ast.syntax ?? "proto2",
      packageName: ast.packageName ?? "",
      dependencies: [...ast.imports, ...ast.publicImports, ...ast.weakImports],
    };
    visiting.add(path);
    const seen = new Set<string>();
    for (const dependency of file.dependencies) {
      if (seen.has(dependency)) fail(file, `Import '${dependency}' is listed twice`);
      seen.add(dependency);
      if (visiting.has(dependency)) fail(file, `Import '${dependency}' makes a cycle of imports`);
      if (dependencies.has(dependency)) continue;
      const dependencyText = resolved.get(dependency) ?? builtInText(dependency);
      if (dependencyText === undefined) {
        fail(file, `Import '${dependency}' is neither a reference of the schema nor a well-known type`);
      }
      dependencies.set(dependency, load(dependency, dependencyText));
    }
    visiting.delete(path);
    return file;
  };
  const main = load(MAIN_PATH, mainText);
  return { main, dependencies };
}

/** `a.b.c` → `a.b`; `a` → "". */
function parentScope(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot < 0 ? "" : name.slice(0, dot);
}

const join = (scope: string, name: string): string => (scope === "" ? name : `${scope}.${name}`);

function rangeStart(value: RangeValue): number {
  return typeof value === "number" ? value : value[0];
}

function rangeEnd(value: RangeValue): number {
  return typeof value === "number" ? value : value[1];
}

function inRanges(values: readonly (RangeValue | string)[], tag: number): boolean {
  return values.some((v) => typeof v !== "string" && tag >= rangeStart(v) && tag <= rangeEnd(v));
}

/** Fields of a message in declaration order: plain, oneof members, and the fields groups declare. */
export function allFields(message: MessageElement): FieldElement[] {
  return [...message.fields, ...message.oneOfs.flatMap((o) => o.fields)].sort(byLocation);
}

export function byLocation(a: { location: Location }, b: { location: Location }): number {
  return a.location.line - b.location.line || a.location.column - b.location.column;
}

/** The field name protoc gives a group: its type name in lower case. */
export function groupFieldName(group: GroupElement): string {
  return group.name.toLowerCase();
}

class Linker {
  private readonly symbols = new Map<string, Sym>();
  private readonly messages = new Map<string, MessageDecl>();
  private readonly enums = new Map<string, EnumDecl>();
  private readonly extensions = new Map<string, ExtensionDecl>();
  private readonly fieldTypes = new Map<FieldElement, ResolvedType>();
  private readonly extendees = new Map<ExtendElement, string>();
  private readonly visible = new Map<LinkedFile, Set<string>>();
  private readonly main: LinkedFile;
  private readonly dependencies: Map<string, LinkedFile>;
  private readonly protocRules: boolean;

  constructor(main: LinkedFile, dependencies: Map<string, LinkedFile>, options: LinkOptions) {
    this.main = main;
    this.dependencies = dependencies;
    this.protocRules = options.protocRules;
  }

  link(): Linked {
    const files = [...this.dependencies.values(), this.main];
    for (const file of files) this.declareFile(file);
    for (const file of files) this.visible.set(file, this.visibleFiles(file));
    for (const file of files) this.resolveFile(file);
    for (const file of files) this.checkFile(file);
    return {
      main: this.main,
      dependencies: this.dependencies,
      messages: this.messages,
      enums: this.enums,
      extensions: this.extensions,
      fieldTypes: this.fieldTypes,
      extendees: this.extendees,
    };
  }

  // ---- declaring symbols ----

  private define(fullName: string, kind: SymbolKind, file: LinkedFile, location: Location | null): void {
    const existing = this.symbols.get(fullName);
    if (existing) {
      if (existing.kind === "package" && kind === "package") return;
      const where = existing.file && existing.file !== file ? ` in '${existing.file.path || "the schema"}'` : "";
      let message = `'${fullName}' is already defined${where}`;
      if (kind === "enum value" || existing.kind === "enum value") {
        message += "; note that enum values are scoped like C++ enums: they are siblings of their enum, not members of it";
      }
      fail(file, message, location);
    }
    this.symbols.set(fullName, { kind, file, location });
  }

  private declareFile(file: LinkedFile): void {
    let scope = "";
    for (const part of file.packageName === "" ? [] : file.packageName.split(".")) {
      scope = join(scope, part);
      this.define(scope, "package", file, null);
    }
    let index = 0;
    for (const type of file.ast.types) {
      this.declareType(file, file.packageName, type, type.kind === "message" ? [index] : null);
      if (type.kind === "message") index++;
    }
    for (const extend of file.ast.extendDeclarations) this.declareExtend(file, file.packageName, extend);
    for (const service of file.ast.services) {
      const name = join(file.packageName, service.name);
      this.define(name, "service", file, service.location);
      for (const rpc of service.rpcs) this.define(join(name, rpc.name), "field", file, rpc.location);
    }
  }

  private declareType(file: LinkedFile, scope: string, type: TypeElement, indexes: number[] | null): void {
    const fullName = join(scope, type.name);
    if (type.kind === "enum") {
      this.define(fullName, "enum", file, type.location);
      this.enums.set(fullName, { kind: "enum", fullName, file, element: type });
      for (const constant of type.constants) this.define(join(scope, constant.name), "enum value", file, constant.location);
      return;
    }
    this.define(fullName, "message", file, type.location);
    this.messages.set(fullName, { kind: "message", fullName, file, element: type, indexes });
    let index = 0;
    for (const nested of type.nestedTypes) {
      this.declareType(file, fullName, nested, nested.kind === "message" && indexes ? [...indexes, index] : null);
      if (nested.kind === "message") index++;
    }
    for (const field of type.fields) this.define(join(fullName, field.name), "field", file, field.location);
    for (const oneOf of type.oneOfs) {
      this.define(join(fullName, oneOf.name), "oneof", file, oneOf.location);
      for (const field of oneOf.fields) this.define(join(fullName, field.name), "field", file, field.location);
      for (const group of oneOf.groups) this.declareGroup(file, fullName, group);
    }
    for (const group of type.groups) this.declareGroup(file, fullName, group);
    for (const extend of type.extendDeclarations) this.declareExtend(file, fullName, extend);
  }

  private declareGroup(file: LinkedFile, scope: string, group: GroupElement): void {
    const fullName = join(scope, group.name);
    this.define(fullName, "message", file, group.location);
    this.define(join(scope, groupFieldName(group)), "field", file, group.location);
    this.messages.set(fullName, { kind: "message", fullName, file, element: group, indexes: null });
    for (const field of group.fields) this.define(join(fullName, field.name), "field", file, field.location);
  }

  private declareExtend(file: LinkedFile, scope: string, extend: ExtendElement): void {
    for (const field of extend.fields) {
      const fullName = join(scope, field.name);
      this.define(fullName, "extension", file, field.location);
      // the extendee is resolved later; the entry is completed then
      this.extensions.set(fullName, { fullName, field, extendee: "", file });
    }
  }

  // ---- resolving names ----

  /** The files whose declarations `file` can use: itself, its imports and what they import publicly. */
  private visibleFiles(file: LinkedFile): Set<string> {
    const visible = new Set<string>([file.path]);
    const addPublic = (path: string): void => {
      if (visible.has(path)) return;
      visible.add(path);
      const dependency = this.dependencies.get(path);
      for (const publicImport of dependency?.ast.publicImports ?? []) addPublic(publicImport);
    };
    for (const dependency of file.dependencies) addPublic(dependency);
    return visible;
  }

  /**
   * protoc's lookup: find the first component of `name` in the innermost scope that has it, then
   * the rest of the name inside that; a name with a leading dot is already fully qualified.
   */
  private lookup(file: LinkedFile, scope: string, name: string, location: Location, what: string): { fullName: string; sym: Sym } {
    let fullName: string | null = null;
    if (name.startsWith(".")) {
      fullName = name.slice(1);
      if (!this.isType(this.symbols.get(fullName))) fail(file, `${what}: '${name}' is not defined`, location);
    } else {
      const first = name.split(".")[0]!;
      for (let prefix: string | null = scope; prefix !== null; prefix = prefix === "" ? null : parentScope(prefix)) {
        const found = this.symbols.get(join(prefix, first));
        if (!found) continue;
        if (first === name) {
          if (!this.isType(found)) continue;
          fullName = join(prefix, first);
          break;
        }
        if (found.kind === "package" || found.kind === "message" || found.kind === "enum") {
          const candidate = join(prefix, name);
          if (!this.isType(this.symbols.get(candidate))) {
            fail(file, `${what}: '${name}' is resolved to '${candidate}', which is not defined`, location);
          }
          fullName = candidate;
          break;
        }
      }
      if (fullName === null) fail(file, `${what}: '${name}' is not defined`, location);
    }
    const sym = this.symbols.get(fullName)!;
    if (sym.file && !this.visible.get(file)!.has(sym.file.path)) {
      fail(file, `${what}: '${name}' seems to be defined in '${sym.file.path}', which is not imported`, location);
    }
    return { fullName, sym };
  }

  private isType(sym: Sym | undefined): boolean {
    return sym !== undefined && (sym.kind === "message" || sym.kind === "enum");
  }

  private resolveType(file: LinkedFile, scope: string, type: string, location: Location, what: string): ResolvedType {
    const map = mapTypes(type);
    if (map) {
      const [key, value] = map;
      if (this.protocRules && !INTEGRAL_MAP_KEYS.has(key)) {
        fail(file, `${what}: a map key must be an integral or string type, not '${key}'`, location);
      }
      if (mapTypes(value)) fail(file, `${what}: a map value cannot be a map`, location);
      return { kind: "map", key: key as ProtoScalarType, value: this.resolveType(file, scope, value, location, what) };
    }
    if (SCALAR_TYPES.has(type)) return { kind: "scalar", scalar: type as ProtoScalarType };
    const { fullName, sym } = this.lookup(file, scope, type, location, what);
    return sym.kind === "enum" ? { kind: "enum", fullName } : { kind: "message", fullName };
  }

  private resolveField(file: LinkedFile, scope: string, field: FieldElement, owner: string): void {
    const what = `Field '${join(owner, field.name)}'`;
    this.fieldTypes.set(field, this.resolveType(file, scope, field.type, field.location, what));
  }

  private resolveFile(file: LinkedFile): void {
    for (const type of file.ast.types) this.resolveTypeElement(file, file.packageName, type);
    for (const extend of file.ast.extendDeclarations) this.resolveExtend(file, file.packageName, extend);
    for (const service of file.ast.services) {
      for (const rpc of service.rpcs) {
        for (const type of [rpc.requestType, rpc.responseType]) {
          const resolved = this.resolveType(file, file.packageName, type, rpc.location, `Method '${service.name}.${rpc.name}'`);
          if (resolved.kind !== "message") fail(file, `Method '${service.name}.${rpc.name}': '${type}' is not a message type`, rpc.location);
        }
      }
    }
  }

  private resolveTypeElement(file: LinkedFile, scope: string, type: TypeElement): void {
    if (type.kind === "enum") return;
    const fullName = join(scope, type.name);
    // Names inside a message are looked up from the message's own scope first.
    for (const field of allFields(type)) this.resolveField(file, fullName, field, fullName);
    for (const group of [...type.groups, ...type.oneOfs.flatMap((o) => o.groups)]) {
      const groupName = join(fullName, group.name);
      for (const field of group.fields) this.resolveField(file, groupName, field, groupName);
    }
    for (const nested of type.nestedTypes) this.resolveTypeElement(file, fullName, nested);
    for (const extend of type.extendDeclarations) this.resolveExtend(file, fullName, extend);
  }

  private resolveExtend(file: LinkedFile, scope: string, extend: ExtendElement): void {
    const what = `Extension of '${extend.name}'`;
    const { fullName, sym } = this.lookup(file, scope, extend.name, extend.location, what);
    if (sym.kind !== "message") fail(file, `${what}: '${extend.name}' is not a message type`, extend.location);
    this.extendees.set(extend, fullName);
    for (const field of extend.fields) {
      const extensionName = join(scope, field.name);
      this.extensions.set(extensionName, { fullName: extensionName, field, extendee: fullName, file });
      this.resolveField(file, scope, field, extensionName);
    }
  }

  // ---- checking declarations ----

  private checkFile(file: LinkedFile): void {
    for (const type of file.ast.types) this.checkType(file, file.packageName, type);
    for (const extend of file.ast.extendDeclarations) this.checkExtend(file, extend);
  }

  private checkType(file: LinkedFile, scope: string, type: TypeElement): void {
    const fullName = join(scope, type.name);
    if (type.kind === "enum") {
      this.checkEnum(file, fullName, type);
      return;
    }
    this.checkMessage(file, fullName, type);
    for (const nested of type.nestedTypes) this.checkType(file, fullName, nested);
    for (const extend of type.extendDeclarations) this.checkExtend(file, extend);
  }

  private checkMessage(file: LinkedFile, fullName: string, message: MessageElement): void {
    const groups = [...message.groups, ...message.oneOfs.flatMap((o) => o.groups)];
    const numbered: { name: string; tag: number; location: Location }[] = [
      ...allFields(message).map((f) => ({ name: f.name, tag: f.tag, location: f.location })),
      ...groups.map((g) => ({ name: groupFieldName(g), tag: g.tag, location: g.location })),
    ].sort(byLocation);
    const reserved = message.reserveds.flatMap((r) => r.values);
    const byTag = new Map<number, string>();
    for (const field of numbered) {
      this.checkTag(file, fullName, field.name, field.tag, field.location);
      const previous = byTag.get(field.tag);
      if (previous !== undefined) {
        fail(file, `Field number ${field.tag} has already been used in '${fullName}' by field '${previous}'`, field.location);
      }
      byTag.set(field.tag, field.name);
      if (this.protocRules && inRanges(reserved, field.tag)) fail(file, `Field '${field.name}' in '${fullName}' uses reserved number ${field.tag}`, field.location);
      if (this.protocRules && reserved.includes(field.name)) fail(file, `Field name '${field.name}' is reserved in '${fullName}'`, field.location);
      for (const extensions of message.extensions) {
        if (inRanges(extensions.values, field.tag)) {
          fail(file, `An extension range of '${fullName}' includes field '${field.name}' (${field.tag})`, extensions.location);
        }
      }
    }
    this.checkReserved(file, fullName, message.reserveds, true);
    for (const oneOf of message.oneOfs) this.checkOneOf(file, fullName, oneOf);
    for (const field of allFields(message)) this.checkField(file, fullName, field, message.oneOfs.some((o) => o.fields.includes(field)));
    for (const group of groups) {
      const groupName = join(fullName, group.name);
      const groupTags = new Map<number, string>();
      for (const field of group.fields) {
        this.checkTag(file, groupName, field.name, field.tag, field.location);
        const previous = groupTags.get(field.tag);
        if (previous !== undefined) {
          fail(file, `Field number ${field.tag} has already been used in '${groupName}' by field '${previous}'`, field.location);
        }
        groupTags.set(field.tag, field.name);
        this.checkField(file, groupName, field, false);
      }
    }
    for (const extensions of message.extensions) {
      for (const value of extensions.values) {
        if (rangeStart(value) < 1 || rangeEnd(value) > MAX_TAG) {
          fail(file, `Extension numbers of '${fullName}' must be between 1 and ${MAX_TAG}`, extensions.location);
        }
      }
    }
  }

  private checkTag(file: LinkedFile, owner: string, name: string, tag: number, location: Location): void {
    if (tag < 1 || tag > MAX_TAG) fail(file, `Field '${join(owner, name)}': field numbers must be between 1 and ${MAX_TAG}`, location);
    if (tag >= 19000 && tag <= 19999) {
      fail(file, `Field '${join(owner, name)}': field numbers 19000 through 19999 are reserved for the protocol buffer library implementation`, location);
    }
  }

  private checkReserved(file: LinkedFile, owner: string, reserveds: readonly ReservedElement[], isMessage: boolean): void {
    for (const reserved of reserveds) {
      for (const value of reserved.values) {
        if (typeof value === "string") continue;
        if (isMessage && (rangeStart(value) < 1 || rangeEnd(value) > MAX_TAG)) {
          fail(file, `Reserved numbers of '${owner}' must be between 1 and ${MAX_TAG}`, reserved.location);
        }
      }
    }
  }

  private checkOneOf(file: LinkedFile, owner: string, oneOf: OneOfElement): void {
    if (this.protocRules && oneOf.fields.length === 0 && oneOf.groups.length === 0) {
      fail(file, `Oneof '${join(owner, oneOf.name)}' must have at least one field`, oneOf.location);
    }
  }

  private checkField(file: LinkedFile, owner: string, field: FieldElement, inOneOf: boolean): void {
    const name = join(owner, field.name);
    const type = this.fieldTypes.get(field)!;
    if (field.defaultValue !== null) {
      if (file.syntax === "proto3") fail(file, `Field '${name}': explicit default values are not allowed in proto3`, field.location);
      if (field.label === "repeated") fail(file, `Field '${name}': repeated fields can't have default values`, field.location);
      this.checkDefault(file, name, type, field.defaultValue, field.location);
    }
    const packed = field.options.find((o) => !o.parenthesized && o.name === "packed");
    if (packed && this.protocRules) {
      const packable = type.kind === "enum" || (type.kind === "scalar" && !["string", "bytes"].includes(type.scalar));
      if (field.label !== "repeated" || !packable) {
        fail(file, `Field '${name}': [packed = ${packed.value.kind === "BOOLEAN" ? packed.value.value : "..."}] can only be specified for repeated primitive fields`, field.location);
      }
    }
    if (this.protocRules && file.syntax === "proto3" && type.kind === "enum" && !inOneOf) {
      const enumDecl = this.enums.get(type.fullName)!;
      if (enumDecl.file.syntax === "proto2") {
        fail(file, `Field '${name}': enum '${type.fullName}' is a proto2 (closed) enum, which a proto3 message cannot use`, field.location);
      }
    }
  }

  private checkDefault(file: LinkedFile, name: string, type: ResolvedType, value: string, location: Location): void {
    const bad = (why: string): never => fail(file, `Field '${name}': ${why}`, location);
    switch (type.kind) {
      case "message":
      case "group":
      case "map":
        bad("messages can't have default values");
        break;
      case "enum": {
        const decl = this.enums.get(type.fullName)!;
        if (!decl.element.constants.some((c) => c.name === value)) bad(`default value '${value}' is not a value of enum '${type.fullName}'`);
        break;
      }
      case "scalar":
        switch (type.scalar) {
          case "string":
          case "bytes":
            break;
          case "bool":
            if (value !== "true" && value !== "false") bad(`expected 'true' or 'false' as default value, not '${value}'`);
            break;
          case "float":
          case "double":
            if (!/^-?(inf|nan|infinity)$/i.test(value) && Number.isNaN(Number(value)) && parseInteger(value) === null) {
              bad(`expected a number as default value, not '${value}'`);
            }
            break;
          default: {
            if (parseInteger(value) === null) bad(`expected an integer as default value, not '${value}'`);
            if (type.scalar.startsWith("u") || type.scalar.startsWith("fixed")) {
              if (value.startsWith("-")) bad(`unsigned fields can't have negative default values`);
            }
          }
        }
    }
  }

  private checkEnum(file: LinkedFile, fullName: string, element: EnumElement): void {
    if (element.constants.length === 0) fail(file, `Enum '${fullName}' must contain at least one value`, element.location);
    if (this.protocRules && file.syntax === "proto3" && element.constants[0]!.tag !== 0) {
      fail(file, `Enum '${fullName}': the first enum value must be zero in proto3`, element.constants[0]!.location);
    }
    const allowAlias = element.options.some((o) => !o.parenthesized && o.name === "allow_alias" && o.value.kind === "BOOLEAN" && o.value.value === "true");
    const byTag = new Map<number, string>();
    const reserved = element.reserveds.flatMap((r) => r.values);
    for (const constant of element.constants) {
      if (constant.tag < -2147483648 || constant.tag > 2147483647) {
        fail(file, `Enum value '${constant.name}' of '${fullName}' is out of the 32-bit integer range`, constant.location);
      }
      const previous = byTag.get(constant.tag);
      if (this.protocRules && previous !== undefined && !allowAlias) {
        fail(file, `Enum value '${constant.name}' of '${fullName}' uses the same number as '${previous}'; set 'option allow_alias = true;' if this is intended`, constant.location);
      }
      byTag.set(constant.tag, constant.name);
      if (this.protocRules && inRanges(reserved, constant.tag)) fail(file, `Enum value '${constant.name}' of '${fullName}' uses reserved number ${constant.tag}`, constant.location);
      if (this.protocRules && reserved.includes(constant.name)) fail(file, `Enum value name '${constant.name}' is reserved in '${fullName}'`, constant.location);
    }
    this.checkReserved(file, fullName, element.reserveds, false);
  }

  private checkExtend(file: LinkedFile, extend: ExtendElement): void {
    const extendee = this.extendees.get(extend)!;
    const target = this.messages.get(extendee)!;
    if (this.protocRules && file.syntax === "proto3" && !/^google\.protobuf\.[A-Za-z]+Options$/.test(extendee)) {
      fail(file, `Extensions in proto3 are only allowed for defining options (extend of '${extendee}')`, extend.location);
    }
    const ranges = "extensions" in target.element ? target.element.extensions.flatMap((e) => e.values) : [];
    for (const field of extend.fields) {
      this.checkTag(file, extendee, field.name, field.tag, field.location);
      if (!inRanges(ranges, field.tag)) fail(file, `'${extendee}' does not declare ${field.tag} as an extension number`, field.location);
      if (field.label === "required") fail(file, `Extension '${field.name}': extensions can't be required`, field.location);
      this.checkField(file, extendee, field, false);
    }
  }
}

export interface LinkOptions {
  /**
   * Also apply the rules protoc applies but Confluent does not (it builds Java descriptors,
   * which skip them): fields and enum values using reserved numbers or names, a proto3 enum not
   * starting at zero, enum numbers aliased without allow_alias, map key types, `packed` on
   * fields that cannot be packed, empty oneofs, proto2 enums in proto3 messages, proto3
   * extensions of non-option messages. Confluent's own normalization test registers a schema
   * whose fields use reserved numbers, so a registry reading Confluent's data must be able to
   * turn these off.
   */
  readonly protocRules: boolean;
}

/**
 * Parses the schema text and the texts it imports (from `resolved`, by import path, else the
 * built-in files) and links them; throws InvalidSchemaError.
 */
export function linkSchema(
  text: string,
  resolved: ResolvedReferences,
  options: LinkOptions = { protocRules: true },
  parseFile: FileParser = parseProto,
): Linked {
  const { main, dependencies } = loadFiles(text, resolved, parseFile);
  return new Linker(main, dependencies, options).link();
}

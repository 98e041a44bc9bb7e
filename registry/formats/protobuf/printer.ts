// Prints a linked schema back as text the way Confluent's Schema Registry does
// (ProtobufSchemaUtils): that text is what the registry stores and returns, so registering a
// schema and reading it back gives the layout Confluent users see — messages before enums, each
// message's parts grouped (reserved, options, fields, oneofs, groups, extensions, extends, nested
// types), two-space indents, multi-line option lists, comments dropped. With `normalize`, as
// Confluent's normalize(): type names fully qualified, options sorted and merged, fields sorted
// by number, imports sorted, map entry messages folded back into map<K, V> fields.

import type {
  EnumConstantElement, EnumElement, ExtendElement, ExtensionsElement, FieldElement, GroupElement, MessageElement,
  OneOfElement, OptionElement, OptionValue, ProtoFileElement, RangeValue, ReservedElement, RpcElement, ServiceElement,
  TypeElement,
} from "./ast.ts";
import { MAX_TAG, SCALAR_TYPES, mapTypes } from "./ast.ts";
import type { Linked } from "./link.ts";
import { confluentResolve } from "./resolve.ts";

/** Java's String.split("\n"): trailing empty strings are dropped. */
function splitLines(text: string): string[] {
  const lines = text.split("\n");
  while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

function indented(text: string): string {
  return splitLines(text).map((line) => `  ${line}\n`).join("");
}

/**
 * A section of a block: nothing when there are no `elements`; else a blank line, then each
 * element (in the `order` given, when one is) printed and indented.
 */
function section<T>(elements: readonly T[], print: (element: T) => string, order?: (elements: readonly T[]) => readonly T[]): string {
  if (elements.length === 0) return "";
  let out = "\n";
  for (const element of order ? order(elements) : elements) out += indented(print(element));
  return out;
}

/** Confluent's escaping of string values: C escapes for control characters, quotes and backslash. */
export function escapeChars(input: string): string {
  let out = "";
  for (const c of input) {
    switch (c) {
      case "\u0007": out += "\\a"; break;
      case "\b": out += "\\b"; break;
      case "\f": out += "\\f"; break;
      case "\n": out += "\\n"; break;
      case "\r": out += "\\r"; break;
      case "\t": out += "\\t"; break;
      case "\v": out += "\\v"; break;
      case "\\": out += "\\\\"; break;
      case "'": out += "\\'"; break;
      case '"': out += '\\"'; break;
      default: out += c;
    }
  }
  return out;
}

/**
 * A number written in an option as Confluent normalizes it (Java's DecimalFormat after
 * NumberUtils.createNumber): hex and octal to decimal, at most three fraction digits, no
 * exponent; what is not a number (inf, nan) stays as written.
 */
export function normalizeNumber(text: string): string {
  const integer = /^([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]+|[0-9]+)$/.exec(text);
  if (integer) {
    const digits = integer[2]!;
    let value: bigint;
    if (/^0[xX]/.test(digits)) value = BigInt(digits);
    else if (digits.length > 1 && digits.startsWith("0")) value = BigInt(`0o${digits.slice(1)}`);
    else value = BigInt(digits);
    return (integer[1] === "-" ? -value : value).toString();
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?$/.test(text)) return text;
  const value = Number(text.replace(/[fFdD]$/, ""));
  if (!Number.isFinite(value)) return value > 0 ? "\u221e" : "-\u221e";
  if (Number.isInteger(value)) return Object.is(value, -0) ? "-0" : BigInt(value).toString();
  const fixed = value.toFixed(3).replace(/\.?0+$/, "");
  return fixed === "-0" ? "-0" : fixed;
}

interface OptionInfo {
  readonly element: OptionElement;
}

/** Wire's OptionPrimitive: a scalar in a text-format map, printed without quotes. */
function transform(option: OptionElement): OptionElement {
  if (option.value.kind !== "OPTION") return option;
  return { name: option.name, parenthesized: option.parenthesized, value: optionAsMap(option.value.option) };
}

function optionAsMap(inner: OptionElement): OptionValue {
  const value = inner.value.kind === "OPTION" ? optionAsMap(inner.value.option) : inner.value;
  return { kind: "MAP", entries: [[inner.name, value]] };
}

function sameValue(a: OptionValue, b: OptionValue): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Confluent's merge of two settings of one non-repeated option message: keys combined, clashes listed. */
function merge(existing: OptionElement, replacement: OptionElement): OptionElement {
  const next = transform(replacement);
  if (existing.value.kind !== "MAP" || next.value.kind !== "MAP") return next;
  const entries: [string, OptionValue][] = existing.value.entries.map(([k, v]) => [k, v]);
  for (const [key, value] of next.value.entries) {
    const index = entries.findIndex(([k]) => k === key);
    if (index < 0) {
      entries.push([key, value]);
      continue;
    }
    const items: OptionValue[] = [];
    for (const item of [entries[index]![1], value].flatMap((v) => (v.kind === "LIST" ? v.items : [v]))) {
      if (!items.some((seen) => sameValue(seen, item))) items.push(item);
    }
    entries[index] = [key, { kind: "LIST", items }];
  }
  return { name: next.name, parenthesized: next.parenthesized, value: { kind: "MAP", entries } };
}

class Printer {
  private readonly linked: Linked;
  private readonly file: ProtoFileElement;
  private readonly normalize: boolean;
  /** The names of the enclosing messages (Confluent's name scope). */
  private readonly path: string[] = [];

  constructor(linked: Linked, normalize: boolean) {
    this.linked = linked;
    this.file = linked.main.ast;
    this.normalize = normalize;
  }

  print(): string {
    const file = this.file;
    let out = "";
    if (file.syntax !== null && (!this.normalize || file.syntax === "proto3")) out += `syntax = "${file.syntax}";\n`;
    if (file.packageName !== null) out += `package ${file.packageName};\n`;
    if (file.imports.length > 0 || file.publicImports.length > 0 || file.weakImports.length > 0) {
      out += "\n";
      const sorted = (list: readonly string[]): readonly string[] => (this.normalize ? [...new Set(list)].sort() : list);
      for (const path of sorted(file.imports)) out += `import "${path}";\n`;
      for (const path of sorted(file.publicImports)) out += `import public "${path}";\n`;
      // Confluent drops weak imports; keeping them keeps the printed schema valid.
      for (const path of sorted(file.weakImports)) out += `import weak "${path}";\n`;
    }
    const options = this.filterOptions(file.options);
    if (options.length > 0) {
      out += "\n";
      for (const option of options) out += this.optionStatement(option);
    }
    out += this.types(file.types, (text) => text);
    const extendText = this.extends(file.extendDeclarations, (text) => text);
    out += extendText;
    if (file.services.length > 0) {
      out += "\n";
      for (const service of file.services) out += this.service(service);
    }
    return out;
  }

  // ---- types ----

  /** Messages first, then enums (each in declaration order), as Confluent prints them. */
  private types(types: readonly TypeElement[], wrap: (text: string) => string): string {
    const kept = this.normalize ? types.filter((t) => t.kind !== "message" || !this.isMapEntry(t)) : types;
    if (kept.length === 0) return "";
    let out = "\n";
    for (const type of kept) if (type.kind === "message") out += wrap(this.withName(type.name, () => this.message(type)));
    for (const type of kept) if (type.kind === "enum") out += wrap(this.withName(type.name, () => this.enumType(type)));
    return out;
  }

  private withName(name: string, print: () => string): string {
    this.path.push(name);
    try {
      return print();
    } finally {
      this.path.pop();
    }
  }

  private isMapEntry(message: MessageElement): boolean {
    return message.options.some((o) => !o.parenthesized && o.name === "map_entry" && o.value.kind === "BOOLEAN" && o.value.value === "true");
  }

  private message(message: MessageElement): string {
    let out = `message ${message.name} {`;
    out += section(message.reserveds, (r) => this.reserved(r), (r) => this.sortedRanges(r));
    out += section(this.filterOptions(message.options), (o) => this.optionStatement(o));
    out += section(message.fields, (f) => this.field(f), (f) => this.sortedByTag(f));
    out += section(message.oneOfs, (o) => this.oneOf(o), (o) => this.sortedOneOfs(o));
    out += section(message.groups, (g) => this.group(g), (g) => this.sortedByTag(g));
    out += section(message.extensions, (e) => this.extensions(e), (e) => this.sortedRanges(e));
    out += this.extends(message.extendDeclarations, indented);
    out += this.types(message.nestedTypes, indented);
    return `${out}}\n`;
  }

  /** Normalized: fields and groups by number. */
  private sortedByTag<T extends { readonly tag: number }>(elements: readonly T[]): readonly T[] {
    return this.normalize ? [...elements].sort((a, b) => a.tag - b.tag) : elements;
  }

  /** Normalized: oneofs with fields, each's fields by number, by their first number. */
  private sortedOneOfs(oneOfs: readonly OneOfElement[]): readonly OneOfElement[] {
    if (!this.normalize) return oneOfs;
    return oneOfs
      .filter((o) => o.fields.length > 0)
      .map((o) => ({ ...o, fields: [...o.fields].sort((a, b) => a.tag - b.tag) }))
      .sort((a, b) => a.fields[0]!.tag - b.fields[0]!.tag);
  }

  /** Normalized: one value per statement, by first number (names last, by name). */
  private sortedRanges<T extends ReservedElement | ExtensionsElement>(elements: readonly T[]): readonly T[] {
    if (!this.normalize) return elements;
    const single = elements.flatMap((e) => e.values.map((value) => ({ ...e, values: [value] }) as T));
    const start = (v: RangeValue | string): number => (typeof v === "string" ? Number.MAX_SAFE_INTEGER : typeof v === "number" ? v : v[0]);
    const text = (v: RangeValue | string): string => (typeof v === "object" ? `${v[0]}..${v[1]}` : String(v));
    return single.sort((a, b) => {
      const [x, y] = [a.values[0]!, b.values[0]!];
      return start(x) - start(y) || (text(x) < text(y) ? -1 : text(x) > text(y) ? 1 : 0);
    });
  }

  private range(value: RangeValue): string {
    if (typeof value === "number") return String(value);
    if (this.normalize && value[0] === value[1]) return String(value[0]);
    return `${value[0]} to ${value[1] < MAX_TAG ? value[1] : "max"}`;
  }

  private reserved(reserved: ReservedElement): string {
    const values = reserved.values.map((v) => (typeof v === "string" ? `"${v}"` : this.range(v)));
    return `reserved ${values.join(", ")};\n`;
  }

  private extensions(extensions: ExtensionsElement): string {
    return `extensions ${extensions.values.map((v) => this.range(v)).join(", ")};\n`;
  }

  private enumType(element: EnumElement): string {
    let out = `enum ${element.name} {`;
    out += section(element.reserveds, (r) => this.reserved(r), (r) => this.sortedRanges(r));
    if (element.reserveds.length === 0 && (element.options.length > 0 || element.constants.length > 0)) out += "\n";
    for (const option of this.filterOptions(element.options)) out += indented(this.optionStatement(option));
    const constants = this.normalize
      ? [...element.constants].sort((a, b) => a.tag - b.tag || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      : element.constants;
    for (const constant of constants) out += indented(this.enumConstant(constant));
    return `${out}}\n`;
  }

  private enumConstant(constant: EnumConstantElement): string {
    const options = this.filterOptions(constant.options);
    return `${constant.name} = ${constant.tag}${options.length > 0 ? ` ${this.optionList(options)}` : ""};\n`;
  }

  private oneOf(oneOf: OneOfElement): string {
    let out = `oneof ${oneOf.name} {`;
    out += section(this.filterOptions(oneOf.options), (o) => this.optionStatement(o));
    out += section(oneOf.fields, (f) => this.field(f));
    out += section(oneOf.groups, (g) => this.group(g), (g) => this.sortedByTag(g));
    return `${out}}\n`;
  }

  private group(group: GroupElement): string {
    let out = `${group.label ? `${group.label} ` : ""}group ${group.name} = ${group.tag} {`;
    out += section(group.fields, (f) => this.field(f), (f) => this.sortedByTag(f));
    return `${out}}\n`;
  }

  private extends(extendElements: readonly ExtendElement[], wrap: (text: string) => string): string {
    if (extendElements.length === 0) return "";
    let blocks: { name: string; fields: FieldElement[] }[];
    if (this.normalize) {
      const byName = new Map<string, FieldElement[]>();
      for (const extend of extendElements) {
        const name = `.${this.resolveType(extend.name) ?? extend.name}`;
        const fields = byName.get(name) ?? [];
        fields.push(...extend.fields);
        byName.set(name, fields);
      }
      blocks = [...byName].map(([name, fields]) => ({ name, fields: fields.sort((a, b) => a.tag - b.tag) }));
    } else {
      blocks = extendElements.map((e) => ({ name: e.name, fields: [...e.fields] }));
    }
    let out = "\n";
    for (const block of blocks) {
      let text = `extend ${block.name} {`;
      if (block.fields.length > 0) {
        text += "\n";
        for (const field of block.fields) text += indented(this.field(field));
      }
      out += wrap(`${text}}\n`);
    }
    return out;
  }

  private field(field: FieldElement): string {
    let label = field.label;
    let type = field.type;
    if (this.normalize) {
      let map = mapTypes(type);
      if (!map && !SCALAR_TYPES.has(type)) {
        const resolved = this.resolveType(type);
        if (resolved === null) throw new Error(`Could not resolve type: ${type}`);
        const entry = this.linked.messages.get(resolved);
        if (entry && "kind" in entry.element && this.isMapEntry(entry.element)) {
          const key = entry.element.fields.find((f) => f.name === "key");
          const value = entry.element.fields.find((f) => f.name === "value");
          if (key && value) map = [key.type, value.type];
        }
        type = `.${resolved}`;
      }
      if (map) {
        const value = SCALAR_TYPES.has(map[1]) ? null : this.resolveType(map[1]);
        type = `map<${map[0]}, ${value !== null ? `.${value}` : map[1]}>`;
        label = null;
      }
    }
    let out = `${label ? `${label} ` : ""}${type} ${field.name} = ${field.tag}`;
    const options: OptionElement[] = [...field.options];
    if (field.defaultValue !== null) options.push({ name: "default", parenthesized: false, value: this.defaultValue(type, field.defaultValue) });
    if (field.jsonName !== null) options.push({ name: "json_name", parenthesized: false, value: { kind: "STRING", value: field.jsonName } });
    const filtered = this.filterOptions(options);
    if (filtered.length > 0) out += ` ${this.optionList(filtered)}`;
    return `${out};\n`;
  }

  /** The kind a default prints with, from the field's type (Confluent's toKind). */
  private defaultValue(type: string, value: string): OptionValue {
    const simple = type.slice(type.lastIndexOf(".") + 1);
    if (simple === "bool") return { kind: "BOOLEAN", value };
    // Confluent prints bytes defaults unquoted, which does not parse back; quote them.
    if (simple === "string" || simple === "bytes") return { kind: "STRING", value };
    if (SCALAR_TYPES.has(simple)) return { kind: "NUMBER", value };
    return { kind: "ENUM", value };
  }

  private service(service: ServiceElement): string {
    let out = `service ${service.name} {`;
    out += section(this.filterOptions(service.options), (o) => this.optionStatement(o));
    out += section(service.rpcs, (r) => this.rpc(r));
    return `${out}}\n`;
  }

  private rpc(rpc: RpcElement): string {
    const type = (name: string): string => {
      if (!this.normalize) return name;
      const resolved = this.resolveType(name);
      if (resolved === null) throw new Error(`Could not resolve type: ${name}`);
      return `.${resolved}`;
    };
    let out = `rpc ${rpc.name} (${rpc.requestStreaming ? "stream " : ""}${type(rpc.requestType)}) returns (${rpc.responseStreaming ? "stream " : ""}${type(rpc.responseType)})`;
    const options = this.filterOptions(rpc.options);
    if (options.length > 0) {
      out += " {\n";
      for (const option of options) out += indented(this.optionStatement(option));
      out += "}";
    }
    return `${out};\n`;
  }

  // ---- options ----

  private resolveType(name: string): string | null {
    const exists = (fullName: string): boolean => this.linked.messages.has(fullName) || this.linked.enums.has(fullName);
    return confluentResolve(exists, this.linked.main.packageName, this.path, name);
  }

  private resolveExtension(name: string): string | null {
    return confluentResolve((fullName) => this.linked.extensions.has(fullName), this.linked.main.packageName, this.path, name);
  }

  /** Normalized: custom option names fully qualified, `(a).b = 1` as `(a) = { b: 1 }`, sorted by name, merged. */
  private filterOptions(options: readonly OptionElement[]): OptionElement[] {
    if (!this.normalize || options.length === 0) return [...options];
    const qualified: OptionInfo[] = options.map((option) => {
      if (option.parenthesized) {
        const resolved = this.resolveExtension(option.name);
        if (resolved !== null) return { element: transform({ ...option, name: resolved }) };
      }
      return { element: option };
    });
    qualified.sort((a, b) => (a.element.name < b.element.name ? -1 : a.element.name > b.element.name ? 1 : 0));
    const byName = new Map<string, OptionElement[]>();
    for (const { element } of qualified) {
      const list = byName.get(element.name) ?? [];
      list.push(element);
      byName.set(element.name, list);
    }
    const result: OptionElement[] = [];
    for (const [name, list] of byName) {
      const extension = this.linked.extensions.get(name);
      if (extension && extension.field.label !== "repeated") result.push(list.reduce(merge));
      else result.push(...list);
    }
    return result;
  }

  private optionStatement(option: OptionElement): string {
    return `option ${this.option(option)};\n`;
  }

  private option(option: OptionElement): string {
    const name = option.parenthesized ? `(${option.name})` : option.name;
    const value = option.value;
    switch (value.kind) {
      case "STRING": return `${name} = "${escapeChars(value.value)}"`;
      case "BOOLEAN":
      case "ENUM": return `${name} = ${value.value}`;
      case "NUMBER": return `${name} = ${this.number(value.value)}`;
      case "OPTION": return `${name}.${this.option(value.option)}`;
      case "MAP": return `${name} = {\n${this.optionMap(value.entries)}}`;
      case "LIST": return `${name} = ${this.valueList(value.items)}`;
    }
  }

  private number(text: string): string {
    return this.normalize ? normalizeNumber(text) : text;
  }

  /** `[a = 1]`, or one option a line when there are several. */
  private optionList(options: readonly OptionElement[]): string {
    if (options.length === 1) return `[${this.option(options[0]!)}]`;
    return `[\n${options.map((o, i) => indented(this.option(o) + (i < options.length - 1 ? "," : ""))).join("")}]`;
  }

  private valueList(items: readonly OptionValue[]): string {
    if (items.length === 1) return `[${this.mapValue(items[0]!)}]`;
    return `[\n${items.map((v, i) => indented(this.mapValue(v) + (i < items.length - 1 ? "," : ""))).join("")}]`;
  }

  private optionMap(entries: readonly (readonly [string, OptionValue])[]): string {
    let list = entries;
    if (this.normalize) {
      const byKey = new Map<string, OptionValue>();
      for (const [key, value] of entries) {
        if (value.kind === "LIST" && value.items.length === 0) continue;
        let name = key;
        if (key.startsWith("[") && key.endsWith("]")) {
          const resolved = this.resolveExtension(key.slice(1, -1));
          if (resolved !== null) name = `[${resolved}]`;
        }
        if (!byKey.has(name)) byKey.set(name, value);
      }
      list = [...byKey].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    }
    return list.map(([key, value], i) => indented(`${key}: ${this.mapValue(value)}${i < list.length - 1 ? "," : ""}`)).join("");
  }

  private mapValue(value: OptionValue): string {
    switch (value.kind) {
      case "STRING": return `"${escapeChars(value.value)}"`;
      case "BOOLEAN":
      case "ENUM": return value.value;
      case "NUMBER": return this.number(value.value);
      case "MAP": return `{\n${this.optionMap(value.entries)}}`;
      case "LIST":
        if (this.normalize && value.items.length === 1) return this.mapValue(value.items[0]!);
        return `[\n${value.items.map((v, i) => indented(this.mapValue(v) + (i < value.items.length - 1 ? "," : ""))).join("")}]`;
      case "OPTION": return this.option(value.option);
    }
  }
}

/** The schema's text as Confluent's canonicalString() (or, with `normalize`, its normalize()) prints it. */
export function printSchema(linked: Linked, normalize: boolean): string {
  return new Printer(linked, normalize).print();
}

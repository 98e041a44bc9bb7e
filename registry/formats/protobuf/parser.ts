// .proto text → syntax tree (ast.ts). Reads proto2 and proto3 the way Confluent's parser (Square
// Wire's ProtoParser) reads them — words may hold dots and dashes, options keep their kind, a
// field's `default` and `json_name` are taken out of its options — and fails with the line and
// column of the first error.

import type {
  EnumConstantElement, EnumElement, ExtendElement, ExtensionsElement, FieldElement, GroupElement, Label,
  Location, MessageElement, OneOfElement, OptionElement, OptionValue, ProtoFileElement, RangeValue,
  ReservedElement, RpcElement, ServiceElement, TypeElement,
} from "./ast.ts";
import { MAX_TAG } from "./ast.ts";

/** A syntax error, with where it is. */
export class ProtoSyntaxError extends Error {
  override name = "ProtoSyntaxError";
  readonly line: number;
  readonly column: number;
  constructor(message: string, location: Location) {
    super(`Syntax error at line ${location.line}, column ${location.column}: ${message}`);
    this.line = location.line;
    this.column = location.column;
  }
}

const WORD_CHAR = /[A-Za-z0-9_.-]/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const QUALIFIED = /^\.?[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** Reads characters, words and strings, skipping whitespace and comments; tracks line and column. */
class Reader {
  private readonly text: string;
  private pos = 0;
  private line = 1;
  private lineStart = 0;

  constructor(text: string) {
    this.text = text;
  }

  location(): Location {
    return { line: this.line, column: this.pos - this.lineStart + 1 };
  }

  fail(message: string, at: Location = this.location()): never {
    throw new ProtoSyntaxError(message, at);
  }

  exhausted(): boolean {
    this.skipWhitespace();
    return this.pos >= this.text.length;
  }

  peekChar(): string {
    this.skipWhitespace();
    if (this.pos >= this.text.length) this.fail("unexpected end of file");
    return this.text[this.pos]!;
  }

  /** Consumes `c` when it is next. */
  accept(c: string): boolean {
    if (this.peekChar() !== c) return false;
    this.pos++;
    return true;
  }

  readChar(): string {
    const c = this.peekChar();
    this.pos++;
    return c;
  }

  require(c: string): void {
    const at = this.location();
    const read = this.peekChar();
    if (read !== c) this.fail(`expected '${c}' but was '${read}'`, at);
    this.pos++;
  }

  /** A run of letters, digits, `_`, `.` and `-` (Wire's word). */
  readWord(what = "a word"): string {
    this.skipWhitespace();
    const start = this.pos;
    while (this.pos < this.text.length && WORD_CHAR.test(this.text[this.pos]!)) this.pos++;
    if (start === this.pos) {
      const found = this.pos < this.text.length ? `'${this.text[this.pos]}'` : "end of file";
      this.fail(`expected ${what} but was ${found}`);
    }
    return this.text.slice(start, this.pos);
  }

  readIdentifier(what: string): string {
    const at = this.location();
    const word = this.readWord(what);
    if (!IDENTIFIER.test(word)) this.fail(`'${word}' is not a valid ${what}`, at);
    return word;
  }

  readQualifiedName(what: string): string {
    const at = this.location();
    const word = this.readWord(what);
    if (!QUALIFIED.test(word)) this.fail(`'${word}' is not a valid ${what}`, at);
    return word;
  }

  /** An integer: decimal, 0x hexadecimal or 0 octal, optionally negative. */
  readInt(what = "an integer"): number {
    const at = this.location();
    const word = this.readWord(what);
    const value = parseInteger(word);
    if (value === null || !Number.isSafeInteger(value)) this.fail(`expected ${what} but was '${word}'`, at);
    return value;
  }

  peekIsQuote(): boolean {
    const c = this.peekChar();
    return c === '"' || c === "'";
  }

  /** A quoted string with C escapes; adjacent quoted strings are joined. */
  readString(): string {
    let result = "";
    do {
      const quote = this.readChar();
      if (quote !== '"' && quote !== "'") this.fail("expected a quoted string");
      for (;;) {
        if (this.pos >= this.text.length) this.fail("unterminated string");
        const c = this.text[this.pos++]!;
        if (c === quote) break;
        if (c === "\n") this.fail("unterminated string");
        if (c !== "\\") {
          result += c;
          continue;
        }
        result += this.readEscape();
      }
    } while (this.pos < this.text.length && this.peekIsQuote());
    return result;
  }

  private readEscape(): string {
    if (this.pos >= this.text.length) this.fail("unterminated string");
    const c = this.text[this.pos++]!;
    switch (c) {
      case "a": return "\u0007";
      case "b": return "\b";
      case "f": return "\f";
      case "n": return "\n";
      case "r": return "\r";
      case "t": return "\t";
      case "v": return "\v";
      case "x": case "X": return String.fromCharCode(this.readDigits(16, 2));
      case "u": return String.fromCodePoint(this.readDigits(16, 4, 4));
      case "U": return String.fromCodePoint(this.readDigits(16, 8, 8));
      default:
        if (c >= "0" && c <= "7") {
          this.pos--;
          return String.fromCharCode(this.readDigits(8, 3));
        }
        return c; // \\ \' \" \? and anything else stand for themselves
    }
  }

  private readDigits(radix: number, max: number, min = 1): number {
    let value = 0;
    let count = 0;
    while (count < max && this.pos < this.text.length) {
      const digit = parseInt(this.text[this.pos]!, radix);
      if (Number.isNaN(digit)) break;
      value = value * radix + digit;
      this.pos++;
      count++;
    }
    if (count < min) this.fail("invalid escape sequence in string");
    return value;
  }

  private skipWhitespace(): void {
    const text = this.text;
    while (this.pos < text.length) {
      const c = text[this.pos]!;
      if (c === "\n") {
        this.pos++;
        this.line++;
        this.lineStart = this.pos;
      } else if (c === " " || c === "\t" || c === "\r" || c === "\f" || c === "\v") {
        this.pos++;
      } else if (c === "/" && text[this.pos + 1] === "/") {
        while (this.pos < text.length && text[this.pos] !== "\n") this.pos++;
      } else if (c === "/" && text[this.pos + 1] === "*") {
        const at = this.location();
        this.pos += 2;
        for (;;) {
          if (this.pos >= text.length) this.fail("unterminated comment", at);
          if (text[this.pos] === "*" && text[this.pos + 1] === "/") {
            this.pos += 2;
            break;
          }
          if (text[this.pos] === "\n") {
            this.line++;
            this.lineStart = this.pos + 1;
          }
          this.pos++;
        }
      } else {
        return;
      }
    }
  }
}

/** Parses a protobuf integer literal (decimal, 0x hex, 0 octal, optional sign); null when it is not one. */
export function parseInteger(word: string): number | null {
  const match = /^(-?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(word);
  if (!match) return null;
  const digits = match[2]!;
  let value: number;
  if (/^0[xX]/.test(digits)) value = parseInt(digits.slice(2), 16);
  else if (digits.length > 1 && digits.startsWith("0")) value = parseInt(digits.slice(1), 8);
  else value = parseInt(digits, 10);
  return match[1] ? -value : value;
}

type Context = "file" | "message" | "enum" | "service" | "extend" | "rpc";

class ProtoParser {
  private readonly reader: Reader;
  private syntax: "proto2" | "proto3" | null = null;
  private declarationCount = 0;

  constructor(text: string) {
    this.reader = new Reader(text);
  }

  readFile(): ProtoFileElement {
    const r: Reader = this.reader;
    let packageName: string | null = null;
    const imports: string[] = [];
    const publicImports: string[] = [];
    const weakImports: string[] = [];
    const types: TypeElement[] = [];
    const services: ServiceElement[] = [];
    const extendDeclarations: ExtendElement[] = [];
    const options: OptionElement[] = [];
    while (!r.exhausted()) {
      const index = this.declarationCount++;
      if (r.accept(";")) continue;
      const at = r.location();
      const word = r.readWord("a declaration");
      switch (word) {
        case "syntax": {
          if (this.syntax !== null) r.fail("too many syntax definitions", at);
          if (index !== 0) r.fail("'syntax' element must be the first declaration in a file", at);
          r.require("=");
          const valueAt = r.location();
          const value = r.readString();
          if (value !== "proto2" && value !== "proto3") r.fail(`unexpected syntax: ${value}`, valueAt);
          this.syntax = value;
          r.require(";");
          break;
        }
        case "edition":
          r.fail("editions are not supported: use syntax = \"proto2\" or \"proto3\"", at);
          break;
        case "package":
          if (packageName !== null) r.fail("too many package names", at);
          packageName = r.readQualifiedName("package name");
          if (packageName.startsWith(".")) r.fail(`'${packageName}' is not a valid package name`, at);
          r.require(";");
          break;
        case "import": {
          let list = imports;
          if (!r.peekIsQuote()) {
            const modifier = r.readWord("a quoted import path");
            if (modifier === "public") list = publicImports;
            else if (modifier === "weak") list = weakImports;
            else r.fail("expected a quoted import path", at);
          }
          list.push(r.readString());
          r.require(";");
          break;
        }
        case "option":
          options.push(this.readOptionStatement());
          break;
        case "message":
        case "enum": {
          const type = this.readTypeDeclaration(word, at);
          const duplicate = types.find((t) => t.name === type.name);
          if (duplicate) r.fail(`${type.name} is already defined at line ${duplicate.location.line}`, at);
          types.push(type);
          break;
        }
        case "service": {
          const service = this.readService(at);
          if (services.some((s) => s.name === service.name)) r.fail(`${service.name} is already defined`, at);
          services.push(service);
          break;
        }
        case "extend":
          extendDeclarations.push(this.readExtend(at));
          break;
        default:
          r.fail(`unexpected label: ${word}`, at);
      }
    }
    return { syntax: this.syntax, packageName, imports, publicImports, weakImports, types, services, extendDeclarations, options };
  }

  /** `{ ... }`: hands each declaration's first word (`what` names what is expected) and location to `declaration`. */
  private readBlock(what: string, declaration: (word: string, at: Location) => void): void {
    const r: Reader = this.reader;
    r.require("{");
    while (!r.accept("}")) {
      if (r.accept(";")) continue;
      const at = r.location();
      declaration(r.readWord(what), at);
    }
  }

  /** A `message` or `enum` declaration, its keyword read. */
  private readTypeDeclaration(keyword: "message" | "enum", at: Location): TypeElement {
    return keyword === "message" ? this.readMessage(at) : this.readEnum(at);
  }

  /** `option name = value;`, its `option` keyword read. */
  private readOptionStatement(): OptionElement {
    const option = this.readOption("=");
    this.reader.require(";");
    return option;
  }

  /** `= number`. */
  private readTag(what: string): number {
    this.reader.require("=");
    return this.reader.readInt(what);
  }

  /** A declaration's end: its `[options]`, if any, and `;`. */
  private readTrailingOptions(): OptionElement[] {
    const options = this.readBracketOptions();
    this.reader.require(";");
    return options;
  }

  private readMessage(at: Location): MessageElement {
    const name = this.reader.readIdentifier("message name");
    const nestedTypes: TypeElement[] = [];
    const options: OptionElement[] = [];
    const reserveds: ReservedElement[] = [];
    const fields: FieldElement[] = [];
    const oneOfs: OneOfElement[] = [];
    const extensions: ExtensionsElement[] = [];
    const groups: GroupElement[] = [];
    const extendDeclarations: ExtendElement[] = [];
    this.readBlock("a field or declaration", (word, declAt) => {
      switch (word) {
        case "message":
        case "enum":
          nestedTypes.push(this.readTypeDeclaration(word, declAt));
          break;
        case "option":
          options.push(this.readOptionStatement());
          break;
        case "reserved":
          reserveds.push(this.readReserved(declAt));
          break;
        case "extensions":
          extensions.push(this.readExtensions(declAt));
          break;
        case "oneof":
          oneOfs.push(this.readOneOf(declAt));
          break;
        case "extend":
          extendDeclarations.push(this.readExtend(declAt));
          break;
        default: {
          const field = this.readFieldOrGroup(word, declAt, "message");
          if ("fields" in field) groups.push(field);
          else fields.push(field);
        }
      }
    });
    return { kind: "message", location: at, name, nestedTypes, options, reserveds, fields, oneOfs, extensions, groups, extendDeclarations };
  }

  /** A field (or group) whose first word (a label, or its type) has been read. */
  private readFieldOrGroup(word: string, at: Location, context: Context): FieldElement | GroupElement {
    const r: Reader = this.reader;
    let label: Label | null = null;
    let type: string;
    if (word === "required" || word === "optional" || word === "repeated") {
      if (word === "required" && this.syntax === "proto3") r.fail("'required' label forbidden in proto3 field declarations", at);
      label = word;
      type = this.readType(r.readWord("a field type"));
    } else {
      const isMap = word === "map" && r.peekChar() === "<";
      if (this.syntax !== "proto3" && !isMap) r.fail(`unexpected label: ${word}`, at);
      type = this.readType(word);
    }
    if (type.startsWith("map<") && label !== null) r.fail("'map' type cannot have label", at);
    if (type.startsWith("map<") && context === "extend") r.fail("map fields are not allowed to be extensions", at);
    if (type === "group") return this.readGroup(label, at);
    return this.readField(label, type, at);
  }

  /** A field where a group is not allowed; `groupError` says so when one is found. */
  private readFieldNotGroup(word: string, at: Location, context: Context, groupError: string): FieldElement {
    const field = this.readFieldOrGroup(word, at, context);
    if ("fields" in field) this.reader.fail(groupError, at);
    return field;
  }

  /** A type name, or `map<K, V>` when the word read is `map` followed by `<`. */
  private readType(word: string): string {
    const r: Reader = this.reader;
    if (word === "map" && r.peekChar() === "<") {
      r.require("<");
      const key = this.readType(r.readWord("a map key type"));
      r.require(",");
      const value = this.readType(r.readWord("a map value type"));
      r.require(">");
      return `map<${key}, ${value}>`;
    }
    if (!QUALIFIED.test(word)) r.fail(`'${word}' is not a valid type name`);
    return word;
  }

  private readField(label: Label | null, type: string, at: Location): FieldElement {
    const r: Reader = this.reader;
    const name = r.readIdentifier("field name");
    const tag = this.readTag("a field number");
    const options = this.readTrailingOptions();
    // As Wire does: `default` and `json_name` are attributes of the field, not options.
    let defaultValue: string | null = null;
    let jsonName: string | null = null;
    const rest: OptionElement[] = [];
    for (const option of options) {
      const special = !option.parenthesized && (option.name === "default" || option.name === "json_name");
      if (!special) {
        rest.push(option);
        continue;
      }
      const text = optionText(option.value);
      if (text === null) r.fail(`'${option.name}' must be a single value`, at);
      if (option.name === "default") defaultValue = text;
      else jsonName = text;
    }
    return { location: at, label, type, name, tag, defaultValue, jsonName, options: rest };
  }

  private readGroup(label: Label | null, at: Location): GroupElement {
    const r: Reader = this.reader;
    if (this.syntax === "proto3") r.fail("groups are not supported in proto3", at);
    const name = r.readIdentifier("group name");
    if (!/^[A-Z]/.test(name)) r.fail("group names must start with a capital letter", at);
    const tag = this.readTag("a field number");
    const fields: FieldElement[] = [];
    this.readBlock("a field", (word, fieldAt) => {
      fields.push(this.readFieldNotGroup(word, fieldAt, "message", "nested groups are not supported"));
    });
    return { location: at, label, name, tag, fields };
  }

  private readOneOf(at: Location): OneOfElement {
    const r: Reader = this.reader;
    const name = r.readIdentifier("oneof name");
    const fields: FieldElement[] = [];
    const groups: GroupElement[] = [];
    const options: OptionElement[] = [];
    this.readBlock("a field", (word, fieldAt) => {
      if (word === "option") {
        options.push(this.readOptionStatement());
      } else if (word === "group") {
        groups.push(this.readGroup(null, fieldAt));
      } else if (word === "required" || word === "optional" || word === "repeated") {
        r.fail("fields in oneofs must not have labels", fieldAt);
      } else {
        const type = this.readType(word);
        if (type.startsWith("map<")) r.fail("map fields are not allowed in oneofs", fieldAt);
        fields.push(this.readField(null, type, fieldAt));
      }
    });
    return { location: at, name, fields, groups, options };
  }

  private readEnum(at: Location): EnumElement {
    const r: Reader = this.reader;
    const name = r.readIdentifier("enum name");
    const options: OptionElement[] = [];
    const constants: EnumConstantElement[] = [];
    const reserveds: ReservedElement[] = [];
    this.readBlock("an enum value", (word, declAt) => {
      if (word === "option") {
        options.push(this.readOptionStatement());
      } else if (word === "reserved") {
        reserveds.push(this.readReserved(declAt));
      } else {
        if (!IDENTIFIER.test(word)) r.fail(`'${word}' is not a valid enum value name`, declAt);
        const tag = this.readTag("an enum value number");
        constants.push({ location: declAt, name: word, tag, options: this.readTrailingOptions() });
      }
    });
    return { kind: "enum", location: at, name, options, constants, reserveds };
  }

  private readService(at: Location): ServiceElement {
    const r: Reader = this.reader;
    const name = r.readIdentifier("service name");
    const rpcs: RpcElement[] = [];
    const options: OptionElement[] = [];
    this.readBlock("an rpc", (word, declAt) => {
      if (word === "option") options.push(this.readOptionStatement());
      else if (word === "rpc") rpcs.push(this.readRpc(declAt));
      else r.fail(`unexpected label: ${word}`, declAt);
    });
    return { location: at, name, rpcs, options };
  }

  private readRpc(at: Location): RpcElement {
    const r: Reader = this.reader;
    const name = r.readIdentifier("rpc name");
    const readMessageType = (): [string, boolean] => {
      r.require("(");
      let word = r.readWord("a message type");
      let streaming = false;
      if (word === "stream" && r.peekChar() !== ")") {
        streaming = true;
        word = r.readWord("a message type");
      }
      const type = this.readType(word);
      r.require(")");
      return [type, streaming];
    };
    const [requestType, requestStreaming] = readMessageType();
    const returnsAt = r.location();
    if (r.readWord("'returns'") !== "returns") r.fail("expected 'returns'", returnsAt);
    const [responseType, responseStreaming] = readMessageType();
    const options: OptionElement[] = [];
    if (r.peekChar() === "{") {
      this.readBlock("an option", (word, declAt) => {
        if (word !== "option") r.fail("expected 'option'", declAt);
        options.push(this.readOptionStatement());
      });
      r.accept(";");
    } else {
      r.require(";");
    }
    return { location: at, name, requestType, responseType, requestStreaming, responseStreaming, options };
  }

  private readExtend(at: Location): ExtendElement {
    const r: Reader = this.reader;
    const name = this.readType(r.readWord("an extended message name"));
    const fields: FieldElement[] = [];
    this.readBlock("a field", (word, fieldAt) => {
      fields.push(this.readFieldNotGroup(word, fieldAt, "extend", "groups in extend blocks are not supported"));
    });
    return { location: at, name, fields };
  }

  private readReserved(at: Location): ReservedElement {
    const r: Reader = this.reader;
    const values: (RangeValue | string)[] = [];
    do {
      if (r.peekIsQuote()) {
        const nameAt = r.location();
        const name = r.readString();
        if (!IDENTIFIER.test(name)) r.fail(`reserved name '${name}' is not a valid identifier`, nameAt);
        values.push(name);
      } else {
        values.push(this.readRange());
      }
    } while (r.accept(","));
    r.require(";");
    return { location: at, values };
  }

  private readExtensions(at: Location): ExtensionsElement {
    const r: Reader = this.reader;
    if (this.syntax === "proto3") r.fail("extension ranges are not allowed in proto3", at);
    const values: RangeValue[] = [];
    do values.push(this.readRange());
    while (r.accept(","));
    return { location: at, values, options: this.readTrailingOptions() };
  }

  /** `5`, `5 to 10` or `5 to max`. */
  private readRange(): RangeValue {
    const r: Reader = this.reader;
    const at = r.location();
    const start = r.readInt("a field number");
    const next = r.peekChar();
    if (next === "," || next === ";" || next === "[") return start;
    if (r.readWord("'to'") !== "to") r.fail("expected ',', ';' or 'to'", at);
    const endAt = r.location();
    const endWord = r.readWord("a field number or 'max'");
    const end = endWord === "max" ? MAX_TAG : parseInteger(endWord);
    if (end === null) r.fail(`expected a field number or 'max' but was '${endWord}'`, endAt);
    if (end < start) r.fail(`range ${start} to ${end} ends before it starts`, at);
    return [start, end];
  }

  /** `[a = 1, (b).c = "x"]` when next, else none. */
  private readBracketOptions(): OptionElement[] {
    const r: Reader = this.reader;
    if (!r.accept("[")) return [];
    const options: OptionElement[] = [];
    do options.push(this.readOption("="));
    while (r.accept(","));
    r.require("]");
    return options;
  }

  /** `name = value` (or `name: value` / `name { ... }` inside a text-format map). */
  private readOption(separator: "=" | ":"): OptionElement {
    const r: Reader = this.reader;
    const at = r.location();
    const first = r.peekChar();
    let name: string;
    const parenthesized = first === "(";
    if (first === "(" || first === "[") {
      r.readChar();
      name = r.readQualifiedName("option name");
      r.require(first === "(" ? ")" : "]");
      if (first === "[") name = `[${name}]`;
    } else {
      name = r.readWord("an option name");
    }
    if (name.startsWith(".") && !parenthesized) r.fail(`'${name}' is not a valid option name`, at);
    let subName: string | null = null;
    let c = r.peekChar();
    if (c === "." && parenthesized) {
      r.readChar();
      const subFirst = r.peekChar();
      if (subFirst === "(") {
        r.readChar();
        subName = `(${r.readQualifiedName("option name")})`;
        r.require(")");
      } else {
        subName = r.readQualifiedName("option name");
      }
      c = r.peekChar();
    }
    if (separator === ":" && c === "{") {
      // text format lets a message value omit the ':'
    } else if (c === separator) {
      r.readChar();
    } else {
      r.fail(`expected '${separator}' in option`);
    }
    let value = this.readOptionValue();
    if (subName !== null) {
      // Several components after the parentheses (`(a).b.c = 1`) stay one name, as in Wire.
      value = { kind: "OPTION", option: { name: subName, parenthesized: false, value } };
    }
    return { name, parenthesized, value };
  }

  private readOptionValue(): OptionValue {
    const r: Reader = this.reader;
    const c = r.peekChar();
    if (c === "{") return this.readOptionMap();
    if (c === "[") {
      r.readChar();
      const items: OptionValue[] = [];
      while (!r.accept("]")) {
        items.push(this.readOptionValue());
        if (!r.accept(",") && r.peekChar() !== "]") r.fail("expected ',' or ']'");
      }
      return { kind: "LIST", items };
    }
    if (c === '"' || c === "'") return { kind: "STRING", value: r.readString() };
    const at = r.location();
    const word = r.readWord("an option value");
    if (/^[0-9-]/.test(word)) {
      if (!/^-?(inf|nan|[0-9][0-9A-Za-z.+-]*|\.[0-9][0-9A-Za-z.+-]*)$/i.test(word)) r.fail(`'${word}' is not a number`, at);
      return { kind: "NUMBER", value: word };
    }
    if (word === "true" || word === "false") return { kind: "BOOLEAN", value: word };
    return { kind: "ENUM", value: word };
  }

  /** A text-format message value: `{ key: value, other { ... } }`. */
  private readOptionMap(): OptionValue {
    const r: Reader = this.reader;
    r.require("{");
    const entries: [string, OptionValue][] = [];
    const put = (key: string, value: OptionValue): void => {
      const index = entries.findIndex(([k]) => k === key);
      if (index < 0) {
        entries.push([key, value]);
        return;
      }
      const previous = entries[index]![1];
      const items = previous.kind === "LIST" ? [...previous.items] : [previous];
      if (value.kind === "LIST") items.push(...value.items);
      else items.push(value);
      entries[index] = [key, { kind: "LIST", items }];
    };
    while (!r.accept("}")) {
      const option = this.readOption(":");
      const key = option.parenthesized ? `(${option.name})` : option.name;
      if (option.value.kind === "OPTION") {
        const inner = option.value.option;
        put(key, { kind: "MAP", entries: [[inner.name, inner.value]] });
      } else {
        put(key, option.value);
      }
      if (!r.accept(",")) r.accept(";");
    }
    return { kind: "MAP", entries };
  }
}

/** The text of a scalar option value (what Wire keeps for `default` and `json_name`). */
function optionText(value: OptionValue): string | null {
  switch (value.kind) {
    case "STRING":
    case "BOOLEAN":
    case "NUMBER":
    case "ENUM":
      return value.value;
    default:
      return null;
  }
}

/** Parses .proto text; throws ProtoSyntaxError. */
export function parseProto(text: string): ProtoFileElement {
  return new ProtoParser(text).readFile();
}

// Encodes and decodes messages of a parsed schema with protobufjs (its run-time reflection: a
// Root built from the schema's description, no generated code). Values are checked against the
// description before encoding, because protobufjs's own conversion silently coerces (a string in
// an int field becomes 0) and the serializers should fail loudly instead.

import protobuf from "protobufjs";
import type { Described } from "./describe.ts";
import type { ProtoField, ProtoFieldType, ProtoMessage, ProtoObject, ProtoScalarType, ProtoValue } from "./model.ts";

type Json = Record<string, unknown>;

const LIMITS: Partial<Record<ProtoScalarType, readonly [bigint, bigint]>> = {
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  sint32: [-(2n ** 31n), 2n ** 31n - 1n],
  sfixed32: [-(2n ** 31n), 2n ** 31n - 1n],
  uint32: [0n, 2n ** 32n - 1n],
  fixed32: [0n, 2n ** 32n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  sint64: [-(2n ** 63n), 2n ** 63n - 1n],
  sfixed64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
  fixed64: [0n, 2n ** 64n - 1n],
};

const SIXTY_FOUR_BIT: ReadonlySet<ProtoScalarType> = new Set(["int64", "uint64", "sint64", "fixed64", "sfixed64"]);

/** The protobufjs JSON descriptor of every message and enum of the schema and its imports. */
function rootJson(described: Described): Json {
  const root: Json = { nested: {} };
  const files = [described.file, ...described.dependencies.values()];
  const syntaxOf = new Map<string, string>();
  const packageOf = new Map<string, string>();
  const collect = (scopeSyntax: string, packageName: string, fullName: string): void => {
    syntaxOf.set(fullName, scopeSyntax);
    packageOf.set(fullName, packageName);
  };
  for (const file of files) {
    const visit = (message: ProtoMessage): void => {
      collect(file.syntax, file.packageName, message.fullName);
      for (const nested of message.messages) visit(nested);
      for (const nestedEnum of message.enums) collect(file.syntax, file.packageName, nestedEnum.fullName);
      for (const field of message.fields) if (field.type.kind === "group") collect(file.syntax, file.packageName, field.type.fullName);
    };
    for (const message of file.messages) visit(message);
    for (const topEnum of file.enums) collect(file.syntax, file.packageName, topEnum.fullName);
  }
  // Parents before children: a shorter full name is never nested in a longer one.
  const names = [...syntaxOf.keys()].sort((a, b) => a.split(".").length - b.split(".").length);
  for (const fullName of names) {
    const packageName = packageOf.get(fullName)!;
    const packageParts = packageName === "" ? [] : packageName.split(".");
    const typeParts = fullName.split(".").slice(packageParts.length);
    let namespace = root;
    for (const part of [...packageParts, ...typeParts.slice(0, -1)]) {
      const nested = (namespace.nested ??= {}) as Json;
      namespace = (nested[part] ??= {}) as Json;
    }
    const nested = (namespace.nested ??= {}) as Json;
    const message = described.messages.get(fullName);
    const json = message ? messageJson(message, described) : enumJson(fullName, described);
    if (typeParts.length === 1) json.edition = syntaxOf.get(fullName);
    nested[typeParts[typeParts.length - 1]!] = { ...json, ...((nested[typeParts[typeParts.length - 1]!] as Json | undefined) ?? {}) };
  }
  return root;
}

function typeName(type: ProtoFieldType): string {
  switch (type.kind) {
    case "scalar": return type.scalar;
    case "map": return typeName(type.value);
    default: return `.${type.fullName}`;
  }
}

function messageJson(message: ProtoMessage, described: Described): Json {
  const fields: Json = {};
  const oneofs: Json = {};
  for (const oneof of message.oneofs) oneofs[oneof.name] = { oneof: oneof.fields };
  for (const field of message.fields) {
    const json: Json = { type: typeName(field.type), id: field.number };
    if (field.type.kind === "map") json.keyType = field.type.key;
    else if (field.label === "repeated" || field.label === "required") json.rule = field.label;
    const options: Json = {};
    if (typeof field.options.packed === "boolean") options.packed = field.options.packed;
    if (field.defaultValue !== null && field.type.kind !== "scalar") options.default = field.defaultValue;
    if (field.defaultValue !== null && field.type.kind === "scalar" && field.type.scalar !== "bytes") {
      options.default = SIXTY_FOUR_BIT.has(field.type.scalar) ? String(field.defaultValue) : field.defaultValue;
    }
    if (field.proto3Optional) {
      options.proto3_optional = true;
      oneofs[`_${field.name}`] = { oneof: [field.name] };
    }
    if (Object.keys(options).length > 0) json.options = options;
    fields[field.name] = json;
  }
  const json: Json = { fields };
  if (Object.keys(oneofs).length > 0) json.oneofs = oneofs;
  if (message.indexes === null && isGroupMessage(message.fullName, described)) json.group = true;
  return json;
}

function isGroupMessage(fullName: string, described: Described): boolean {
  for (const message of described.messages.values()) {
    if (message.fields.some((f) => f.type.kind === "group" && f.type.fullName === fullName)) return true;
  }
  return false;
}

function enumJson(fullName: string, described: Described): Json {
  const protoEnum = described.enums.get(fullName)!;
  const values: Json = {};
  for (const value of protoEnum.values) values[value.name] = value.number;
  const json: Json = { values };
  if (protoEnum.options.allow_alias === true) json.options = { allow_alias: true };
  return json;
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (value instanceof Uint8Array) return "bytes";
  return typeof value === "object" ? "an object" : `${typeof value} ${String(value)}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

export class ProtobufCodec {
  private readonly described: Described;
  private readonly root: protobuf.Root;

  constructor(described: Described) {
    this.described = described;
    this.root = protobuf.Root.fromJSON(rootJson(described) as protobuf.INamespace);
    this.root.resolveAll();
  }

  private message(fullName: string): { message: ProtoMessage; type: protobuf.Type } {
    const name = fullName.startsWith(".") ? fullName.slice(1) : fullName;
    const message = this.described.messages.get(name);
    if (!message) throw new Error(`The schema has no message '${name}'`);
    return { message, type: this.root.lookupType(name) };
  }

  encode(fullName: string, value: ProtoObject): Uint8Array {
    const { message, type } = this.message(fullName);
    const plain = this.toPlain(message, value, message.fullName);
    return type.encode(type.fromObject(plain)).finish();
  }

  /** `presentOnly`: leave unset fields out instead of giving their defaults (to tell "unset" from "set to the default"). */
  decode(fullName: string, bytes: Uint8Array, presentOnly = false): ProtoObject {
    const { message, type } = this.message(fullName);
    let decoded: protobuf.Message;
    try {
      decoded = type.decode(bytes);
    } catch (error) {
      throw new Error(`Invalid protobuf bytes for message '${message.fullName}': ${(error as Error).message}`, { cause: error });
    }
    const object = type.toObject(decoded, { longs: BigInt, enums: String, defaults: !presentOnly, arrays: !presentOnly, objects: !presentOnly });
    return cleanDecoded(object) as ProtoObject;
  }

  private toPlain(message: ProtoMessage, value: unknown, path: string): Record<string, unknown> {
    if (!isPlainObject(value)) throw new TypeError(`${path}: expected an object for message '${message.fullName}', got ${describeValue(value)}`);
    const byName = new Map(message.fields.map((f) => [f.name, f]));
    const result: Record<string, unknown> = {};
    const oneofSet = new Map<string, string>();
    for (const [key, item] of Object.entries(value)) {
      const field = byName.get(key);
      if (!field) throw new TypeError(`${path}: message '${message.fullName}' has no field '${key}'`);
      if (item === undefined || item === null) continue;
      if (field.oneof !== null) {
        const other = oneofSet.get(field.oneof);
        if (other !== undefined) throw new TypeError(`${path}: fields '${other}' and '${key}' are both set, but belong to one oneof '${field.oneof}'`);
        oneofSet.set(field.oneof, key);
      }
      result[key] = this.fieldToPlain(field, item, `${path}.${key}`);
    }
    return result;
  }

  private fieldToPlain(field: ProtoField, value: unknown, path: string): unknown {
    const type = field.type;
    if (type.kind === "map") {
      if (!isPlainObject(value)) throw new TypeError(`${path}: expected an object for a map field, got ${describeValue(value)}`);
      const result: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        this.checkMapKey(type.key, key, `${path}[${key}]`);
        result[key] = this.valueToPlain(type.value, item, `${path}[${key}]`);
      }
      return result;
    }
    if (field.label === "repeated") {
      if (!Array.isArray(value)) throw new TypeError(`${path}: expected an array for a repeated field, got ${describeValue(value)}`);
      return value.map((item: unknown, i) => this.valueToPlain(type, item, `${path}[${i}]`));
    }
    return this.valueToPlain(type, value, path);
  }

  private checkMapKey(key: ProtoScalarType, text: string, path: string): void {
    if (key === "string") return;
    if (key === "bool") {
      if (text !== "true" && text !== "false") throw new TypeError(`${path}: a bool map key must be 'true' or 'false'`);
      return;
    }
    this.integer(key, /^-?\d+$/.test(text) ? BigInt(text) : text, path);
  }

  private valueToPlain(type: ProtoFieldType, value: unknown, path: string): unknown {
    switch (type.kind) {
      case "message":
      case "group":
        return this.toPlain(this.described.messages.get(type.fullName)!, value, path);
      case "enum": {
        const protoEnum = this.described.enums.get(type.fullName)!;
        if (typeof value === "string") {
          if (!protoEnum.values.some((v) => v.name === value)) throw new TypeError(`${path}: '${value}' is not a value of enum '${type.fullName}'`);
          return value;
        }
        if (typeof value === "number" && Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31) return value;
        throw new TypeError(`${path}: expected a value name or number of enum '${type.fullName}', got ${describeValue(value)}`);
      }
      case "map":
        throw new TypeError(`${path}: a map value cannot be a map`);
      case "scalar":
        return this.scalar(type.scalar, value, path);
    }
  }

  private scalar(scalar: ProtoScalarType, value: unknown, path: string): unknown {
    switch (scalar) {
      case "string":
        if (typeof value !== "string") throw new TypeError(`${path}: expected a string, got ${describeValue(value)}`);
        return value;
      case "bytes":
        if (!(value instanceof Uint8Array)) throw new TypeError(`${path}: expected bytes (a Uint8Array), got ${describeValue(value)}`);
        return value;
      case "bool":
        if (typeof value !== "boolean") throw new TypeError(`${path}: expected a boolean, got ${describeValue(value)}`);
        return value;
      case "float":
      case "double":
        if (typeof value !== "number") throw new TypeError(`${path}: expected a number, got ${describeValue(value)}`);
        return value;
      default:
        return this.integer(scalar, value, path);
    }
  }

  /** An integer in range for its type; 64-bit ones as decimal strings (exact for protobufjs's Long). */
  private integer(scalar: ProtoScalarType, value: unknown, path: string): number | string {
    let big: bigint;
    if (typeof value === "bigint") big = value;
    else if (typeof value === "number" && Number.isInteger(value)) big = BigInt(value);
    else if (typeof value === "string" && SIXTY_FOUR_BIT.has(scalar) && /^-?\d+$/.test(value)) big = BigInt(value);
    else throw new TypeError(`${path}: expected an integer (${scalar}), got ${describeValue(value)}`);
    const [min, max] = LIMITS[scalar]!;
    if (big < min || big > max) throw new TypeError(`${path}: ${big} is out of range for ${scalar}`);
    return SIXTY_FOUR_BIT.has(scalar) ? big.toString() : Number(big);
  }
}

/** protobufjs's toObject output → ProtoValue: no nulls for unset messages, plain Uint8Arrays. */
function cleanDecoded(value: unknown): ProtoValue | undefined {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Uint8Array) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength).slice();
  if (Array.isArray(value)) return value.map((v) => cleanDecoded(v)).filter((v): v is ProtoValue => v !== undefined);
  if (typeof value === "object") {
    const result: Record<string, ProtoValue> = {};
    for (const [key, item] of Object.entries(value)) {
      const cleaned = cleanDecoded(item);
      if (cleaned !== undefined) result[key] = cleaned;
    }
    return result;
  }
  return value as ProtoValue;
}

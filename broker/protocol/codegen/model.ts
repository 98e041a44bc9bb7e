// Turns a raw Kafka definition into the model the emitter works from: structs with their
// fields, types resolved (primitives, arrays, inline and common structs), version ranges
// parsed, and for every struct the range of message versions in which it can appear (its
// context), so the emitter can drop version checks that always hold.
import {
  hull,
  intersect,
  isEmpty,
  NO_VERSIONS,
  parseVersions,
  sameVersions,
  type RawField,
  type RawSpec,
  type RawStruct,
  type Versions,
} from "./spec.ts";

export type Prim = "int8" | "int16" | "uint16" | "int32" | "uint32" | "int64" | "float64" | "bool" | "string" | "bytes" | "records" | "uuid";

const PRIMS: ReadonlySet<string> = new Set<Prim>(["int8", "int16", "uint16", "int32", "uint32", "int64", "float64", "bool", "string", "bytes", "records", "uuid"]);
const NULLABLE_PRIMS: ReadonlySet<string> = new Set<Prim>(["string", "bytes", "records"]);

/** Byte size of fixed-width types (used for tagged fields, whose size prefix comes first). */
export const FIXED_SIZE: Readonly<Record<string, number>> = { int8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, int64: 8, float64: 8, bool: 1, uuid: 16 };

export type TypeModel = { kind: "prim"; prim: Prim } | { kind: "struct"; struct: StructModel } | { kind: "array"; elem: TypeModel };

export interface FieldModel {
  /** Kafka's field name. */
  name: string;
  /** Property name in the TypeScript interface. */
  prop: string;
  /** Local variable name in generated decoders. */
  local: string;
  type: TypeModel;
  versions: Versions;
  /** nullableVersions ∩ versions. */
  nullable: Versions;
  tag: number | undefined;
  /** A field-level flexibleVersions override (RequestHeader.ClientId stays non-compact). */
  flexible: Versions | undefined;
  defaultValue: RawField["default"];
  where: string;
}

export interface StructModel {
  kafkaName: string;
  tsName: string;
  fields: FieldModel[];
  /** Versions this struct declares itself valid for (commonStructs may narrow it). */
  declared: Versions;
  /** Message versions in which this struct can appear. */
  ctx: Versions;
  isTop: boolean;
  needsIsDefault: boolean;
}

export interface MessageModel {
  spec: RawSpec;
  /** e.g. "message/ProduceRequest.json" */
  source: string;
  name: string;
  valid: Versions;
  flexible: Versions;
  top: StructModel;
  /** Top first, then nested structs in definition order. */
  structs: StructModel[];
}

export function camel(name: string): string {
  return name[0]!.toLowerCase() + name.slice(1);
}

export function pascal(name: string): string {
  return name[0]!.toUpperCase() + name.slice(1);
}

export function kebab(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/([A-Z])([A-Z][a-z])/g, "$1-$2")
    .toLowerCase();
}

export function buildMessage(spec: RawSpec, source: string): MessageModel {
  const where = source;
  const valid = parseVersions(spec.validVersions, `${where} validVersions`);
  const flexible = parseVersions(spec.flexibleVersions ?? "none", `${where} flexibleVersions`);
  const common = new Map<string, RawStruct>((spec.commonStructs ?? []).map((s) => [s.name, s]));
  const byName = new Map<string, { struct: StructModel; raw: RawField[] }>();
  const order: StructModel[] = [];

  const tsNameOf = (structName: string): string => (structName.startsWith(spec.name) ? structName : spec.name + structName);

  const newStruct = (kafkaName: string, raw: RawField[], declared: Versions, isTop: boolean): StructModel => {
    const struct: StructModel = {
      kafkaName,
      tsName: isTop ? spec.name : tsNameOf(kafkaName),
      fields: [],
      declared,
      ctx: isTop ? valid : NO_VERSIONS,
      isTop,
      needsIsDefault: false,
    };
    order.push(struct);
    if (!isTop) byName.set(kafkaName, { struct, raw });
    struct.fields = raw.map((f) => buildField(f, struct));
    const props = new Set<string>();
    for (const f of struct.fields) {
      if (props.has(f.prop)) throw new Error(`${where}: duplicate field ${f.prop} in ${kafkaName}`);
      props.add(f.prop);
    }
    const tags = new Set<number>();
    for (const f of struct.fields) {
      if (f.tag === undefined) continue;
      if (tags.has(f.tag)) throw new Error(`${where}: duplicate tag ${f.tag} in ${kafkaName}`);
      tags.add(f.tag);
    }
    return struct;
  };

  const resolveStruct = (typeName: string, field: RawField): StructModel => {
    if (field.fields !== undefined) {
      const seen = byName.get(typeName);
      if (seen !== undefined) {
        if (seen.raw === field.fields) return seen.struct;
        throw new Error(`${where}: struct ${typeName} is defined twice`);
      }
      return newStruct(typeName, field.fields, { min: 0, max: Number.MAX_SAFE_INTEGER }, false);
    }
    const seen = byName.get(typeName);
    if (seen !== undefined) return seen.struct;
    const c = common.get(typeName);
    if (c === undefined) throw new Error(`${where}: unknown type ${typeName} of field ${field.name}`);
    return newStruct(typeName, c.fields, c.versions === undefined ? { min: 0, max: Number.MAX_SAFE_INTEGER } : parseVersions(c.versions, `${where} ${typeName}`), false);
  };

  const resolveType = (typeName: string, field: RawField, inArray: boolean): TypeModel => {
    if (typeName.startsWith("[]")) {
      if (inArray) throw new Error(`${where}: nested arrays are not supported (${field.name})`);
      return { kind: "array", elem: resolveType(typeName.slice(2), field, true) };
    }
    if (PRIMS.has(typeName)) {
      if (field.fields !== undefined) throw new Error(`${where}: primitive field ${field.name} has nested fields`);
      return { kind: "prim", prim: typeName as Prim };
    }
    if (!/^[A-Z]/.test(typeName)) throw new Error(`${where}: unknown type ${typeName} of field ${field.name}`);
    return { kind: "struct", struct: resolveStruct(typeName, field) };
  };

  function buildField(raw: RawField, owner: { kafkaName: string }): FieldModel {
    const fwhere = `${where} ${owner.kafkaName}.${raw.name}`;
    const versions = parseVersions(raw.versions ?? raw.taggedVersions, `${fwhere} versions`);
    const type = resolveType(raw.type, raw, false);
    const nullable = raw.nullableVersions === undefined ? NO_VERSIONS : intersect(parseVersions(raw.nullableVersions, `${fwhere} nullableVersions`), versions);
    if (!isEmpty(nullable) && type.kind === "prim" && !NULLABLE_PRIMS.has(type.prim)) {
      throw new Error(`${fwhere}: type ${raw.type} cannot be nullable`);
    }
    let tag: number | undefined;
    if (raw.tag !== undefined || raw.taggedVersions !== undefined) {
      if (raw.tag === undefined || raw.taggedVersions === undefined) throw new Error(`${fwhere}: tag and taggedVersions go together`);
      const tagged = parseVersions(raw.taggedVersions, `${fwhere} taggedVersions`);
      // Kafka allows a field to become tagged in a later version than it appears; none of the
      // definitions do that, so it is refused here rather than modelled untested.
      if (!sameVersions(tagged, versions)) throw new Error(`${fwhere}: tagged in only some of its versions (not supported)`);
      if (type.kind === "prim" && type.prim === "records") throw new Error(`${fwhere}: records cannot be tagged`);
      tag = raw.tag;
    }
    return {
      name: raw.name,
      prop: camel(raw.name),
      local: `f${pascal(raw.name)}`,
      type,
      versions,
      nullable,
      tag,
      flexible: raw.flexibleVersions === undefined ? undefined : parseVersions(raw.flexibleVersions, `${fwhere} flexibleVersions`),
      defaultValue: raw.default,
      where: fwhere,
    };
  }

  const top = newStruct(spec.name, spec.fields, valid, true);

  // Each struct's context is the hull of the versions in which any field of that type can be
  // present, given its parent's context. Iterate to a fixed point: common structs may be
  // reached from several places.
  for (let changed = true; changed; ) {
    changed = false;
    for (const s of order) {
      for (const f of s.fields) {
        const child = f.type.kind === "struct" ? f.type.struct : f.type.kind === "array" && f.type.elem.kind === "struct" ? f.type.elem.struct : undefined;
        if (child === undefined) continue;
        const reach = intersect(intersect(f.versions, s.ctx), child.declared);
        const next = hull(child.ctx, reach);
        if (!sameVersions(next, child.ctx)) {
          child.ctx = next;
          changed = true;
        }
      }
    }
  }
  for (const s of order) if (isEmpty(s.ctx)) s.ctx = valid;

  return { spec, source, name: spec.name, valid, flexible, top, structs: order };
}

/** The struct a field refers to directly or through an array, if any. */
export function structOf(t: TypeModel): StructModel | undefined {
  if (t.kind === "struct") return t.struct;
  if (t.kind === "array" && t.elem.kind === "struct") return t.elem.struct;
  return undefined;
}

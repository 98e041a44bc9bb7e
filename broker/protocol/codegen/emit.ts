// Emits one TypeScript module per message: interfaces, default factories, and straight-line
// decoders/encoders in which each field is one statement guarded by the version checks that
// can actually vary within the struct's context (checks that always hold are folded away).
//
// Deliberately not modelled: Kafka's encoders refuse a non-"ignorable" field holding a
// non-default value at a version that lacks it; ours silently leave it out (a handler picks
// the fields of the version it answers). Kafka's "about" texts are not copied into the output.
import { FIXED_SIZE, structOf, type FieldModel, type MessageModel, type StructModel, type TypeModel } from "./model.ts";
import { describeVersions, intersect, isEmpty, MAX_VERSION, type Versions } from "./spec.ts";

/** A version condition: always, never, or a JavaScript expression over `version`. */
type Cond = "true" | "false" | string;

export function versionCond(range: Versions, ctx: Versions): Cond {
  const r = intersect(range, ctx);
  if (isEmpty(r)) return "false";
  const parts: string[] = [];
  if (r.min > ctx.min) parts.push(`version >= ${r.min}`);
  if (r.max < ctx.max) parts.push(`version <= ${r.max}`);
  return parts.length === 0 ? "true" : parts.join(" && ");
}

function pick(cond: Cond, a: string, b: string): string {
  if (cond === "true") return a;
  if (cond === "false") return b;
  return `(${cond} ? ${a} : ${b})`;
}

function pickStmt(cond: Cond, a: string, b: string): string[] {
  if (cond === "true") return [a];
  if (cond === "false") return [b];
  return [`if (${cond}) ${a}`, `else ${b}`];
}

function guard(cond: Cond, body: string[]): string[] {
  if (cond === "false") return [];
  if (cond === "true") return body;
  return [`if (${cond}) {`, ...indent(body), "}"];
}

function indent(lines: string[], by = 1): string[] {
  const pad = "  ".repeat(by);
  return lines.map((l) => (l === "" ? l : pad + l));
}

const NUMBER_PRIMS = new Set(["int8", "int16", "uint16", "int32", "uint32", "float64"]);
const INT_RANGE: Readonly<Record<string, readonly [number, number]>> = {
  int8: [-128, 127],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
};

function tsType(t: TypeModel): string {
  if (t.kind === "array") return `${tsType(t.elem)}[]`;
  if (t.kind === "struct") return t.struct.tsName;
  switch (t.prim) {
    case "int64":
      return "bigint";
    case "bool":
      return "boolean";
    case "string":
    case "uuid":
      return "string";
    case "bytes":
    case "records":
      return "Buffer";
    default:
      return "number";
  }
}

function fieldTsType(f: FieldModel): string {
  return tsType(f.type) + (isEmpty(f.nullable) ? "" : " | null");
}

function isNullDefault(f: FieldModel): boolean {
  return f.defaultValue === null || f.defaultValue === "null";
}

/** The value a field takes when absent from a version (or when a tagged field is not sent). */
export function defaultExpr(f: FieldModel): string {
  const t = f.type;
  const d = f.defaultValue;
  const nullable = !isEmpty(f.nullable);
  if (isNullDefault(f) && !(t.kind === "prim" && (t.prim === "records" || t.prim === "string" || t.prim === "bytes")) && t.kind === "prim") {
    throw new Error(`${f.where}: default null on a ${t.prim}`);
  }
  if (isNullDefault(f)) {
    if (!nullable) throw new Error(`${f.where}: default null but never nullable`);
    return "null";
  }
  if (t.kind === "array") {
    if (d !== undefined && d !== "") throw new Error(`${f.where}: unsupported array default ${JSON.stringify(d)}`);
    return "[]";
  }
  if (t.kind === "struct") {
    if (d !== undefined) throw new Error(`${f.where}: unsupported struct default ${JSON.stringify(d)}`);
    return `default${t.struct.tsName}()`;
  }
  const p = t.prim;
  if (NUMBER_PRIMS.has(p)) {
    if (d === undefined) return "0";
    const n = typeof d === "number" ? d : Number(String(d).trim());
    const range = INT_RANGE[p];
    if (!Number.isFinite(n) || (range !== undefined && (!Number.isInteger(n) || n < range[0] || n > range[1]))) {
      throw new Error(`${f.where}: bad ${p} default ${JSON.stringify(d)}`);
    }
    return String(n);
  }
  switch (p) {
    case "int64": {
      if (d === undefined) return "0n";
      const v = BigInt(String(d).trim());
      if (v < -(2n ** 63n) || v >= 2n ** 63n) throw new Error(`${f.where}: bad int64 default`);
      return `${v}n`;
    }
    case "bool":
      if (d === undefined || d === false || d === "false") return "false";
      if (d === true || d === "true") return "true";
      throw new Error(`${f.where}: bad bool default ${JSON.stringify(d)}`);
    case "string":
      return JSON.stringify(d === undefined ? "" : String(d));
    case "uuid":
      if (d !== undefined) throw new Error(`${f.where}: uuid defaults are not supported`);
      return "ZERO_UUID";
    case "bytes":
      if (d !== undefined) throw new Error(`${f.where}: unsupported bytes default`);
      return "EMPTY_BYTES";
    case "records":
      return nullable ? "null" : "EMPTY_BYTES";
  }
  throw new Error(`${f.where}: no default for ${p}`);
}

/** An expression that is true when `v` holds the field's default value. */
function isDefaultExpr(f: FieldModel, v: string): string {
  const t = f.type;
  const nullable = !isEmpty(f.nullable);
  if (isNullDefault(f)) return `${v} === null`;
  if (t.kind === "array" || (t.kind === "prim" && (t.prim === "bytes" || t.prim === "records"))) {
    return nullable ? `(${v} !== null && ${v}.length === 0)` : `${v}.length === 0`;
  }
  if (t.kind === "struct") {
    return nullable ? `(${v} !== null && isDefault${t.struct.tsName}(${v}))` : `isDefault${t.struct.tsName}(${v})`;
  }
  return `${v} === ${defaultExpr(f)}`;
}

function negate(expr: string): string {
  const m = /^(\S+) === (\S+)$/.exec(expr);
  if (m) return `${m[1]} !== ${m[2]}`;
  return `!${expr.startsWith("(") ? expr : `(${expr})`}`;
}

// ---- decoding ----------------------------------------------------------------------------

function primRead(p: string, flex: Cond, nul: Cond): string {
  switch (p) {
    case "string":
      return pick(flex, pick(nul, "r.compactNullableString()", "r.compactString()"), pick(nul, "r.nullableString()", "r.string()"));
    case "bytes":
    case "records":
      return pick(flex, pick(nul, "r.compactNullableBytes()", "r.compactBytes()"), pick(nul, "r.nullableBytes()", "r.bytes()"));
    default:
      return `r.${p}()`;
  }
}

function elemRead(t: TypeModel, flex: Cond): string {
  if (t.kind === "struct") return `decode${t.struct.tsName}(r, version)`;
  if (t.kind === "prim") return primRead(t.prim, flex, "false");
  throw new Error("nested arrays");
}

/** Statements assigning the decoded value of `f` to `target` (already declared). */
function decodeInto(f: FieldModel, target: string, flex: Cond, nul: Cond): string[] {
  const t = f.type;
  if (t.kind === "array") {
    const onNull =
      nul === "true" ? `${target} = null;` : nul === "false" ? `r.fail("non-nullable field ${f.name} was null");` : `if (${nul}) ${target} = null;\nelse r.fail("non-nullable field ${f.name} was null");`;
    return [
      "{",
      `  const n = ${flex === "true" || flex === "false" ? pick(flex, "r.compactArrayLength()", "r.arrayLength()") : `${flex} ? r.compactArrayLength() : r.arrayLength()`};`,
      "  if (n < 0) {",
      ...indent(onNull.split("\n"), 2),
      "  } else {",
      `    const a: ${tsType(t.elem)}[] = [];`,
      `    for (let i = 0; i < n; i++) a.push(${elemRead(t.elem, flex)});`,
      `    ${target} = a;`,
      "  }",
      "}",
    ];
  }
  if (t.kind === "struct") {
    const base = `decode${t.struct.tsName}(r, version)`;
    return [`${target} = ${pick(nul, `r.int8() < 0 ? null : ${base}`, base)};`];
  }
  return [`${target} = ${primRead(t.prim, flex, nul)};`];
}

/** A single expression decoding `f` (non-array types only). */
function decodeExpr(f: FieldModel, flex: Cond, nul: Cond): string {
  const t = f.type;
  if (t.kind === "struct") {
    const base = `decode${t.struct.tsName}(r, version)`;
    return pick(nul, `(r.int8() < 0 ? null : ${base})`, base);
  }
  if (t.kind === "prim") return primRead(t.prim, flex, nul);
  throw new Error("arrays are decoded with statements");
}

// ---- encoding ----------------------------------------------------------------------------

function primWrite(p: string, v: string, wr: string, flex: Cond): string[] {
  switch (p) {
    case "string":
      return pickStmt(flex, `${wr}.compactString(${v});`, `${wr}.string(${v});`);
    case "bytes":
    case "records":
      return pickStmt(flex, `${wr}.compactBytes(${v});`, `${wr}.bytes(${v});`);
    default:
      return [`${wr}.${p}(${v});`];
  }
}

function nullWrite(t: TypeModel, wr: string, flex: Cond): string[] {
  if (t.kind === "struct") return [`${wr}.int8(-1);`];
  if (t.kind === "prim" && t.prim === "string") return pickStmt(flex, `${wr}.uvarint(0);`, `${wr}.int16(-1);`);
  return pickStmt(flex, `${wr}.uvarint(0);`, `${wr}.int32(-1);`);
}

/** Statements writing value `v` (never null here) of type `t`. */
function valueWrite(t: TypeModel, v: string, wr: string, flex: Cond, nul: Cond): string[] {
  if (t.kind === "prim") return primWrite(t.prim, v, wr, flex);
  if (t.kind === "struct") {
    const marker = nul === "true" ? [`${wr}.int8(1);`] : nul === "false" ? [] : [`if (${nul}) ${wr}.int8(1);`];
    return [...marker, `encode${t.struct.tsName}(${wr}, version, ${v});`];
  }
  const elem = t.elem;
  const elemStmts = elem.kind === "struct" ? [`encode${elem.struct.tsName}(${wr}, version, e);`] : elem.kind === "prim" ? primWrite(elem.prim, "e", wr, flex) : [];
  return [
    ...pickStmt(flex, `${wr}.uvarint(${v}.length + 1);`, `${wr}.int32(${v}.length);`),
    elemStmts.length === 1 ? `for (const e of ${v}) ${elemStmts[0]}` : `for (const e of ${v}) {\n${indent(elemStmts).join("\n")}\n}`,
  ].flatMap((l) => l.split("\n"));
}

/** Statements writing field `f` read from expression `v`. */
function fieldWrite(f: FieldModel, v: string, wr: string, flex: Cond, nul: Cond): string[] {
  if (isEmpty(f.nullable)) return valueWrite(f.type, v, wr, flex, "false");
  const onNull = nul === "true" ? nullWrite(f.type, wr, flex) : nul === "false" ? [failNull(f, wr)] : [`if (${nul}) {`, ...indent(nullWrite(f.type, wr, flex)), "} else {", `  ${failNull(f, wr)}`, "}"];
  return [`if (${v} === null) {`, ...indent(onNull), "} else {", ...indent(valueWrite(f.type, v, wr, flex, nul)), "}"];
}

function failNull(f: FieldModel, wr: string): string {
  return `${wr}.fail(\`${f.name} cannot be null in version \${version}\`);`;
}

// ---- module ------------------------------------------------------------------------------

export interface EmitContext {
  /** Relative import prefix of the primitives directory, e.g. "../primitives". */
  primitives: string;
  banner: string;
}

export function emitModule(m: MessageModel, ctx: EmitContext): string {
  markIsDefault(m);
  const body: string[] = [];
  for (const s of m.structs) body.push(...emitInterface(m, s), "");
  for (const s of m.structs) {
    body.push(...emitDefault(s), "");
    body.push(...emitDecode(m, s), "");
    body.push(...emitEncode(m, s), "");
    if (s.needsIsDefault) body.push(...emitIsDefault(s), "");
  }
  while (body.length > 0 && body[body.length - 1] === "") body.pop();
  const text = body.join("\n");

  const readerValues = ["EMPTY_BYTES", "ZERO_UUID"].filter((n) => new RegExp(`\\b${n}\\b`).test(text));
  const readerTypes = ["Reader", "RawTaggedField"].filter((n) => new RegExp(`\\b${n}\\b`).test(text));
  const readerImports = [...readerValues, ...readerTypes.map((n) => `type ${n}`)];
  const writerImport = /\bnew Writer\(/.test(text) ? "Writer" : "type Writer";
  const imports = [
    readerImports.length === readerTypes.length ? `import type { ${readerTypes.join(", ")} } from "${ctx.primitives}/reader.ts";` : `import { ${readerImports.join(", ")} } from "${ctx.primitives}/reader.ts";`,
    writerImport === "Writer" ? `import { Writer } from "${ctx.primitives}/writer.ts";` : `import type { Writer } from "${ctx.primitives}/writer.ts";`,
  ];
  return `${ctx.banner}\n${imports.join("\n")}\n\n${text}\n`;
}

function markIsDefault(m: MessageModel): void {
  const mark = (s: StructModel): void => {
    if (s.needsIsDefault) return;
    s.needsIsDefault = true;
    for (const f of s.fields) if (f.type.kind === "struct" && !isNullDefault(f)) mark(f.type.struct);
  };
  for (const s of m.structs) {
    for (const f of s.fields) if (f.tag !== undefined && f.type.kind === "struct" && !isNullDefault(f)) mark(f.type.struct);
  }
}

function fieldDoc(f: FieldModel): string {
  const parts = [`v${describeVersions(f.versions)}`];
  if (!isEmpty(f.nullable)) parts.push(`nullable v${describeVersions(f.nullable)}`);
  if (f.tag !== undefined) parts.push(`tag ${f.tag}`);
  if (f.type.kind === "prim" && f.type.prim === "uuid") parts.push("base64url uuid");
  if (f.type.kind === "prim" && (f.type.prim === "bytes" || f.type.prim === "records")) parts.push("zero-copy");
  return `/** ${parts.join(", ")} */`;
}

function hasFlexible(m: MessageModel, s: StructModel): boolean {
  return !isEmpty(intersect(m.flexible, s.ctx));
}

function emitInterface(m: MessageModel, s: StructModel): string[] {
  const head: string[] = [];
  if (s.isTop) {
    const key = m.spec.apiKey === undefined ? "" : ` (api key ${m.spec.apiKey})`;
    head.push(`/** ${m.name}${key}: versions ${describeVersions(m.valid)}, flexible ${describeVersions(m.flexible)}. */`);
  } else {
    head.push(`/** ${m.name} struct ${s.kafkaName}: appears in versions ${describeVersions(s.ctx)}. */`);
  }
  const lines = [...head, `export interface ${s.tsName} {`];
  for (const f of s.fields) lines.push(`  ${fieldDoc(f)}`, `  ${f.prop}: ${fieldTsType(f)};`);
  if (hasFlexible(m, s)) lines.push("  /** Tagged fields this code does not know, kept as raw bytes. */", "  unknownTaggedFields?: RawTaggedField[];");
  lines.push("}");
  return lines;
}

function emitDefault(s: StructModel): string[] {
  if (s.fields.length === 0) return [`export function default${s.tsName}(): ${s.tsName} {`, "  return {};", "}"];
  return [`export function default${s.tsName}(): ${s.tsName} {`, "  return {", ...s.fields.map((f) => `    ${f.prop}: ${defaultExpr(f)},`), "  };", "}"];
}

function emitIsDefault(s: StructModel): string[] {
  const checks = s.fields.map((f) => isDefaultExpr(f, `v.${f.prop}`));
  const v = checks.length === 0 ? "_v" : "v";
  return [`function isDefault${s.tsName}(${v}: ${s.tsName}): boolean {`, `  return ${checks.length === 0 ? "true" : checks.join(" &&\n    ")};`, "}"];
}

interface StructConds {
  /** Whether the struct is flexible: "true", "false", or "flexible" (a local). */
  flex: Cond;
  flexDecl: string[];
}

function structConds(m: MessageModel, s: StructModel): StructConds {
  const c = versionCond(m.flexible, s.ctx);
  if (c === "true" || c === "false") return { flex: c, flexDecl: [] };
  return { flex: "flexible", flexDecl: [`const flexible = ${c};`] };
}

/** The flexible condition for one field: its own override, or the struct's, folded to the field's versions. */
function fieldFlex(m: MessageModel, s: StructModel, f: FieldModel, sc: StructConds): Cond {
  const present = intersect(f.versions, s.ctx);
  const c = versionCond(f.flexible ?? m.flexible, present);
  if (c === "true" || c === "false") return c;
  return f.flexible === undefined ? sc.flex : c;
}

function versionCheck(m: MessageModel, s: StructModel, failer: string): string[] {
  if (!s.isTop) return [];
  const max = m.valid.max === MAX_VERSION ? "" : ` || version > ${m.valid.max}`;
  return [`if (version < ${m.valid.min}${max}) ${failer}.fail(\`${m.name} version \${version} is not supported\`);`];
}

function emitDecode(m: MessageModel, s: StructModel): string[] {
  const sc = structConds(m, s);
  const check = versionCheck(m, s, "r");
  const lines: string[] = [];
  const bodyNeedsFlex = { used: false };
  const useFlex = (c: Cond): Cond => {
    if (c === "flexible") bodyNeedsFlex.used = true;
    return c;
  };
  const tagged = s.fields.filter((f) => f.tag !== undefined).sort((a, b) => a.tag! - b.tag!);
  const flexCtx = intersect(s.ctx, m.flexible);

  for (const f of s.fields) {
    const type = fieldTsType(f);
    if (f.tag !== undefined) {
      const live = sc.flex !== "false" && versionCond(f.versions, flexCtx) !== "false";
      lines.push(`${live ? "let" : "const"} ${f.local}: ${type} = ${defaultExpr(f)};`);
      continue;
    }
    const present = versionCond(f.versions, s.ctx);
    if (present === "false") {
      lines.push(`const ${f.local}: ${type} = ${defaultExpr(f)};`);
      continue;
    }
    const pctx = intersect(f.versions, s.ctx);
    const flex = useFlex(fieldFlex(m, s, f, sc));
    const nul = versionCond(f.nullable, pctx);
    if (f.type.kind === "array") {
      lines.push(`let ${f.local}: ${type};`);
      const stmts = decodeInto(f, f.local, flex, nul);
      if (present === "true") lines.push(...stmts);
      else lines.push(`if (${present}) {`, ...indent(stmts), `} else {`, `  ${f.local} = ${defaultExpr(f)};`, "}");
      continue;
    }
    const expr = decodeExpr(f, flex, nul);
    lines.push(present === "true" ? `const ${f.local}: ${type} = ${expr};` : `const ${f.local}: ${type} = ${present} ? ${expr} : ${defaultExpr(f)};`);
  }

  let unknownVar = false;
  if (sc.flex !== "false") {
    unknownVar = true;
    const liveTagged = tagged.filter((f) => versionCond(f.versions, flexCtx) !== "false");
    if (liveTagged.length === 0) {
      lines.push(`const unknownTaggedFields = ${sc.flex === "true" ? "r.unknownTaggedFields()" : `${useFlex(sc.flex)} ? r.unknownTaggedFields() : undefined`};`);
    } else {
      const loop: string[] = ["const tagCount = r.taggedFieldCount();", "for (let k = 0; k < tagCount; k++) {", "  const tag = r.uvarint();", "  const end = r.taggedFieldEnd(r.uvarint());"];
      liveTagged.forEach((f, idx) => {
        const cond = versionCond(f.versions, flexCtx);
        const pctx = intersect(f.versions, flexCtx);
        const nul = versionCond(f.nullable, pctx);
        const test = cond === "true" ? `tag === ${f.tag}` : `tag === ${f.tag} && ${cond}`;
        loop.push(`  ${idx === 0 ? "if" : "} else if"} (${test}) {`, ...indent(decodeInto(f, f.local, "true", nul), 2));
      });
      loop.push("  } else {", "    (unknownTaggedFields ??= []).push({ tag, data: r.raw(end - r.pos) });", "  }", "  r.expectTaggedFieldEnd(end, tag);", "}");
      lines.push("let unknownTaggedFields: RawTaggedField[] | undefined;");
      lines.push(...(sc.flex === "true" ? loop : [`if (${useFlex(sc.flex)}) {`, ...indent(loop), "}"]));
    }
  }

  const props = s.fields.map((f) => `${f.prop}: ${f.local}`);
  if (unknownVar) {
    lines.push(`const out: ${s.tsName} = { ${props.join(", ")} };`, "if (unknownTaggedFields !== undefined) out.unknownTaggedFields = unknownTaggedFields;", "return out;");
  } else {
    lines.push(`return { ${props.join(", ")} };`);
  }
  const decls = bodyNeedsFlex.used ? sc.flexDecl : [];
  const usesR = check.length > 0 || lines.some((l) => /\br\./.test(l) || /\(r, version\)/.test(l));
  const usesVersion = check.length > 0 || decls.length > 0 || lines.some((l) => /\bversion\b/.test(l));
  const rName = usesR ? "r" : "_r";
  const vName = usesVersion ? "version" : "_version";
  return [`export function decode${s.tsName}(${rName}: Reader, ${vName}: number): ${s.tsName} {`, ...indent([...check, ...decls, ...lines]), "}"];
}

function emitEncode(m: MessageModel, s: StructModel): string[] {
  const sc = structConds(m, s);
  const check = versionCheck(m, s, "w");
  const lines: string[] = [];
  let flexUsed = false;
  const useFlex = (c: Cond): Cond => {
    if (c === "flexible") flexUsed = true;
    return c;
  };
  const flexCtx = intersect(s.ctx, m.flexible);

  for (const f of s.fields) {
    if (f.tag !== undefined) continue;
    const present = versionCond(f.versions, s.ctx);
    if (present === "false") continue;
    const pctx = intersect(f.versions, s.ctx);
    const flex = useFlex(fieldFlex(m, s, f, sc));
    const nul = versionCond(f.nullable, pctx);
    lines.push(...guard(present, fieldWrite(f, `msg.${f.prop}`, "w", flex, nul)));
  }

  if (sc.flex !== "false") {
    const tagged = s.fields
      .filter((f) => f.tag !== undefined && versionCond(f.versions, flexCtx) !== "false")
      .sort((a, b) => a.tag! - b.tag!);
    let section: string[];
    if (tagged.length === 0) {
      section = ["w.taggedFields(msg.unknownTaggedFields);"];
    } else {
      section = ["const unknown = msg.unknownTaggedFields;", "let tagCount = unknown === undefined ? 0 : unknown.length;"];
      for (const f of tagged) {
        const cond = versionCond(f.versions, flexCtx);
        const nonDefault = negate(isDefaultExpr(f, `msg.${f.prop}`));
        section.push(`const t${f.tag} = ${cond === "true" ? nonDefault : `${cond} && ${nonDefault}`};`, `if (t${f.tag}) tagCount++;`);
      }
      section.push("w.uvarint(tagCount);", "let u = 0;");
      for (const f of tagged) {
        const pctx = intersect(f.versions, flexCtx);
        const nul = versionCond(f.nullable, pctx);
        const fixed = f.type.kind === "prim" ? FIXED_SIZE[f.type.prim] : undefined;
        const value =
          fixed !== undefined
            ? [`w.uvarint(${fixed});`, ...fieldWrite(f, `msg.${f.prop}`, "w", "true", nul)]
            : ["const s: Writer = new Writer(64);", ...fieldWrite(f, `msg.${f.prop}`, "s", "true", nul), "w.uvarint(s.length);", "w.append(s);"];
        section.push(`if (t${f.tag}) {`, `  if (unknown !== undefined) u = w.rawTaggedFields(unknown, u, ${f.tag});`, `  w.uvarint(${f.tag});`, ...indent(value), "}");
      }
      section.push("if (unknown !== undefined) w.rawTaggedFields(unknown, u, Infinity);");
    }
    lines.push(...(sc.flex === "true" ? section : [`if (${useFlex(sc.flex)}) {`, ...indent(section), "}"]));
  }

  const decls = flexUsed ? sc.flexDecl : [];
  const usesW = check.length > 0 || lines.some((l) => /\bw\b/.test(l));
  const usesVersion = check.length > 0 || decls.length > 0 || lines.some((l) => /\bversion\b/.test(l));
  const usesMsg = lines.some((l) => /\bmsg\b/.test(l));
  return [
    `export function encode${s.tsName}(${usesW ? "w" : "_w"}: Writer, ${usesVersion ? "version" : "_version"}: number, ${usesMsg ? "msg" : "_msg"}: ${s.tsName}): void {`,
    ...indent([...check, ...decls, ...lines]),
    "}",
  ];
}

export { structOf };

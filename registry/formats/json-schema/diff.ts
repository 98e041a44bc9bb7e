// The differences between an original schema (what data was written with) and an update (what
// reads it), with Confluent's rules (io.confluent.kafka.schemaregistry.json.diff.SchemaDiff and
// its per-kind comparisons). The update may read the original's data when every difference is a
// compatible one. Notable rules:
// - content models: an object is "open" (additionalProperties absent or true, no
//   patternProperties), "partially open" (patternProperties or a schema for additionalProperties /
//   unevaluatedProperties) or "closed"; a property may be added to an unopen model and removed
//   from an open one, not the reverse, since data written under an open model may hold that
//   property with any value;
// - a plain schema may become a oneOf/anyOf holding a compatible branch (SUM_TYPE_EXTENDED), an
//   allOf may become one of its branches (PRODUCT_TYPE_NARROWED); subschemas of two combined
//   schemas are paired by a maximum matching of compatible pairs;
// - `$ref`s are followed; a pair already being compared higher up (recursion) counts as compatible.
import { type Difference, type DifferenceType, isCompatibleChange } from "./differences.ts";
import { jsonEquals, jsonKey } from "./json-text.ts";
import type { ArrayNode, CombinedNode, NotNode, NumberNode, ObjectNode, SchemaNode, StringNode } from "./model.ts";

/** All differences (compatible or not) from `original` to `update`. */
export function schemaDifferences(original: SchemaNode, update: SchemaNode): Difference[] {
  const context = new Context([], new Set(), new Map());
  compare(context, original, update);
  return context.differences;
}

class Context {
  readonly differences: Difference[] = [];
  private readonly path: string[];
  /** Pairs being compared on the stack, shared by sub-contexts. */
  readonly inProgress: Set<string>;
  /** Differences of pairs already compared, relative to the pair, shared by sub-contexts. */
  readonly memo: Map<string, readonly Difference[]>;

  constructor(path: string[], inProgress: Set<string>, memo: Map<string, readonly Difference[]>) {
    this.path = path;
    this.inProgress = inProgress;
    this.memo = memo;
  }

  /** A context at the same path collecting its own differences, to decide before keeping them. */
  sub(): Context {
    return new Context([...this.path], this.inProgress, this.memo);
  }

  /** A context rooted at the pair being compared ("#/"), for differences to remember. */
  detached(): Context {
    return new Context([], this.inProgress, this.memo);
  }

  /** Adds differences found relative to a pair, moved under the current path. */
  addRebased(differences: readonly Difference[]): void {
    for (const difference of differences) {
      const relative = difference.path.slice(2);
      const segments = relative === "" ? this.path : [...this.path, relative];
      this.differences.push({ type: difference.type, path: `#/${segments.join("/")}` });
    }
  }

  isCompatible(): boolean {
    return this.differences.every((difference) => isCompatibleChange(difference.type));
  }

  add(type: DifferenceType, attribute?: string): void {
    const segments = attribute === undefined ? this.path : [...this.path, attribute];
    this.differences.push({ type, path: `#/${segments.join("/")}` });
  }

  addAll(differences: readonly Difference[]): void {
    this.differences.push(...differences);
  }

  within(segment: string, body: () => void): void {
    this.path.push(segment);
    try {
      body();
    } finally {
      this.path.pop();
    }
  }
}

// Identity of nodes for recursion detection.
const nodeIds = new WeakMap<SchemaNode, number>();
let nextNodeId = 0;
function nodeId(node: SchemaNode): number {
  let id = nodeIds.get(node);
  if (id === undefined) {
    id = nextNodeId++;
    nodeIds.set(node, id);
  }
  return id;
}

/** Follows references to the schema they name (an unresolvable or self-referring one reads as empty). */
function dereference(node: SchemaNode): SchemaNode {
  const seen = new Set<SchemaNode>();
  let current = node;
  while (current.kind === "reference") {
    if (seen.has(current)) return EMPTY;
    seen.add(current);
    current = current.referred() ?? EMPTY;
  }
  return current;
}

const EMPTY: SchemaNode = {
  kind: "empty",
  source: true,
  variant: "",
  annotations: { id: undefined, title: undefined, description: undefined, hasDefault: false, default: undefined },
};

function compareOptional(context: Context, original: SchemaNode | null, update: SchemaNode | null): void {
  if (original === null && update === null) return;
  if (original === null) context.add("SCHEMA_ADDED");
  else if (update === null) context.add("SCHEMA_REMOVED");
  else compare(context, original, update);
}

function compare(context: Context, originalNode: SchemaNode, updateNode: SchemaNode): void {
  const original = dereference(originalNode);
  const update = dereference(updateNode);
  // Pairs recur (references, the cross product of combined schemas): compare each pair once.
  const pair = `${nodeId(original)}:${nodeId(update)}`;
  const known = context.memo.get(pair);
  if (known !== undefined) {
    context.addRebased(known);
    return;
  }
  // A pair met again below itself is a recursive schema: it holds no new difference.
  if (context.inProgress.has(pair)) return;
  context.inProgress.add(pair);
  try {
    const own = context.detached();
    compareDereferenced(own, original, update);
    context.memo.set(pair, own.differences);
    context.addRebased(own.differences);
  } finally {
    context.inProgress.delete(pair);
  }
}

function compareDereferenced(context: Context, original: SchemaNode, update: SchemaNode): void {
  if (original.kind !== "combined" && update.kind === "combined") {
    if (update.subschemas.length === 1) {
      const sub = context.sub();
      compare(sub, original, update.subschemas[0] as SchemaNode);
      if (sub.isCompatible()) {
        context.addAll(sub.differences);
        return;
      }
    } else if (update.criterion !== "allOf") {
      for (const branch of update.subschemas) {
        const sub = context.sub();
        compare(sub, original, branch);
        if (sub.isCompatible()) {
          context.addAll(sub.differences);
          context.add("SUM_TYPE_EXTENDED");
          return;
        }
      }
    }
  } else if (original.kind === "combined" && update.kind !== "combined") {
    if (original.subschemas.length === 1) {
      const sub = context.sub();
      compare(sub, original.subschemas[0] as SchemaNode, update);
      if (sub.isCompatible()) {
        context.addAll(sub.differences);
        return;
      }
    } else if (original.criterion === "allOf") {
      for (const branch of original.subschemas) {
        const sub = context.sub();
        compare(sub, branch, update);
        if (sub.isCompatible()) {
          context.addAll(sub.differences);
          context.add("PRODUCT_TYPE_NARROWED");
          return;
        }
      }
    }
  }

  if (original.kind !== update.kind) {
    // Nothing was written with `false`; the empty schema reads anything.
    if (original.kind !== "false" && update.kind !== "empty") context.add("TYPE_CHANGED");
    return;
  }

  if (original.annotations.id !== update.annotations.id) context.add("ID_CHANGED");
  if (original.annotations.title !== update.annotations.title) context.add("TITLE_CHANGED");
  if (original.annotations.description !== update.annotations.description) context.add("DESCRIPTION_CHANGED");
  if (!jsonEquals(original.annotations.default, update.annotations.default)) context.add("DEFAULT_CHANGED");
  switch (original.kind) {
    case "string":
      compareStrings(context, original, update as StringNode);
      break;
    case "number":
      compareNumbers(context, original, update as NumberNode);
      break;
    case "enum":
      compareEnums(context, original.values, (update as typeof original).values);
      break;
    case "const":
      if (!jsonEquals(original.value, (update as typeof original).value)) context.add("ENUM_ARRAY_CHANGED", "const");
      break;
    case "combined":
      compareCombined(context, original, update as CombinedNode);
      break;
    case "not":
      compareNot(context, original, update as NotNode);
      break;
    case "object":
      compareObjects(context, original, update as ObjectNode);
      break;
    case "array":
      compareArrays(context, original, update as ArrayNode);
      break;
    default:
      break;
  }
}

/** Added / removed / increased / decreased for an optional numeric keyword. */
function compareLimit(
  context: Context,
  attribute: string,
  original: number | undefined,
  update: number | undefined,
  types: readonly [added: DifferenceType, removed: DifferenceType, increased: DifferenceType, decreased: DifferenceType],
): void {
  if (original === update) return;
  if (original === undefined) context.add(types[0], attribute);
  else if (update === undefined) context.add(types[1], attribute);
  else if (original < update) context.add(types[2], attribute);
  else if (original > update) context.add(types[3], attribute);
}

function compareStrings(context: Context, original: StringNode, update: StringNode): void {
  compareLimit(context, "maxLength", original.maxLength, update.maxLength, ["MAX_LENGTH_ADDED", "MAX_LENGTH_REMOVED", "MAX_LENGTH_INCREASED", "MAX_LENGTH_DECREASED"]);
  compareLimit(context, "minLength", original.minLength, update.minLength, ["MIN_LENGTH_ADDED", "MIN_LENGTH_REMOVED", "MIN_LENGTH_INCREASED", "MIN_LENGTH_DECREASED"]);
  if (original.pattern === undefined && update.pattern !== undefined) context.add("PATTERN_ADDED", "pattern");
  else if (original.pattern !== undefined && update.pattern === undefined) context.add("PATTERN_REMOVED", "pattern");
  else if (original.pattern !== update.pattern) context.add("PATTERN_CHANGED", "pattern");
}

function compareNumbers(context: Context, original: NumberNode, update: NumberNode): void {
  compareLimit(context, "maximum", original.maximum, update.maximum, ["MAXIMUM_ADDED", "MAXIMUM_REMOVED", "MAXIMUM_INCREASED", "MAXIMUM_DECREASED"]);
  compareLimit(context, "minimum", original.minimum, update.minimum, ["MINIMUM_ADDED", "MINIMUM_REMOVED", "MINIMUM_INCREASED", "MINIMUM_DECREASED"]);
  compareLimit(context, "exclusiveMaximum", original.exclusiveMaximum, update.exclusiveMaximum, [
    "EXCLUSIVE_MAXIMUM_ADDED",
    "EXCLUSIVE_MAXIMUM_REMOVED",
    "EXCLUSIVE_MAXIMUM_INCREASED",
    "EXCLUSIVE_MAXIMUM_DECREASED",
  ]);
  compareLimit(context, "exclusiveMinimum", original.exclusiveMinimum, update.exclusiveMinimum, [
    "EXCLUSIVE_MINIMUM_ADDED",
    "EXCLUSIVE_MINIMUM_REMOVED",
    "EXCLUSIVE_MINIMUM_INCREASED",
    "EXCLUSIVE_MINIMUM_DECREASED",
  ]);
  if (original.multipleOf !== update.multipleOf && !decimalsEqual(original.multipleOf, update.multipleOf)) {
    if (original.multipleOf === undefined) context.add("MULTIPLE_OF_ADDED", "multipleOf");
    else if (update.multipleOf === undefined) context.add("MULTIPLE_OF_REMOVED", "multipleOf");
    // A multiple of the new step is a multiple of the old one: fewer values are valid.
    else if (isMultiple(update.multipleOf, original.multipleOf)) context.add("MULTIPLE_OF_EXPANDED", "multipleOf");
    else if (isMultiple(original.multipleOf, update.multipleOf)) context.add("MULTIPLE_OF_REDUCED", "multipleOf");
    else context.add("MULTIPLE_OF_CHANGED", "multipleOf");
  }
  if (original.requiresInteger !== update.requiresInteger) {
    context.add(original.requiresInteger ? "TYPE_EXTENDED" : "TYPE_NARROWED");
  }
}

/** Exact decimal arithmetic on "12.5"-style texts: scaled to integers with a common scale. */
function scaled(a: string, b: string): [bigint, bigint] {
  const fractionDigits = (text: string) => (text.split(".")[1] ?? "").length;
  const scale = Math.max(fractionDigits(a), fractionDigits(b));
  const toBigInt = (text: string) => {
    const [whole = "0", fraction = ""] = text.replace(/^-/, "").split(".");
    return BigInt(whole + fraction.padEnd(scale, "0"));
  };
  return [toBigInt(a), toBigInt(b)];
}

function decimalsEqual(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  const [x, y] = scaled(a, b);
  return x === y;
}

function isMultiple(value: string, step: string): boolean {
  const [x, y] = scaled(value, step);
  return y !== 0n && x % y === 0n;
}

function compareEnums(context: Context, original: readonly unknown[], update: readonly unknown[]): void {
  const originalKeys = new Set(original.map((value) => jsonKey(value as never)));
  const updateKeys = new Set(update.map((value) => jsonKey(value as never)));
  const containsAll = (a: Set<string>, b: Set<string>) => [...b].every((key) => a.has(key));
  if (originalKeys.size === updateKeys.size && containsAll(originalKeys, updateKeys)) return;
  if (containsAll(updateKeys, originalKeys)) context.add("ENUM_ARRAY_EXTENDED", "enum");
  else if (containsAll(originalKeys, updateKeys)) context.add("ENUM_ARRAY_NARROWED", "enum");
  else context.add("ENUM_ARRAY_CHANGED", "enum");
}

function compareNot(context: Context, original: NotNode, update: NotNode): void {
  context.within("not", () => {
    // What the update forbids must be within what the original forbade: compare reversed.
    const sub = context.sub();
    compare(sub, update.schema, original.schema);
    context.add(sub.isCompatible() ? "NOT_TYPE_NARROWED" : "NOT_TYPE_EXTENDED");
  });
}

function compareCriteria(context: Context, original: CombinedNode, update: CombinedNode): DifferenceType | null {
  if (original.criterion === update.criterion) return null;
  let type: DifferenceType;
  if (update.criterion === "anyOf") type = "COMBINED_TYPE_EXTENDED";
  else if (update.criterion === "oneOf") type = original.subschemas.length === 1 ? "COMBINED_TYPE_EXTENDED" : "COMBINED_TYPE_CHANGED";
  else type = original.subschemas.length === 1 && update.subschemas.length === 1 ? "COMBINED_TYPE_EXTENDED" : "COMBINED_TYPE_CHANGED";
  context.add(type);
  return type;
}

// Structural keys of schema JSON, computed once per object (only combined schemas need them).
const sourceKeys = new WeakMap<object, string>();
function structuralKey(node: SchemaNode): string {
  const source = node.source;
  if (source === null || typeof source !== "object") return `${node.variant}|${jsonKey(source)}`;
  let key = sourceKeys.get(source);
  if (key === undefined) {
    key = jsonKey(source);
    sourceKeys.set(source, key);
  }
  return `${node.variant}|${key}`;
}

/** Subschemas with duplicates collapsed (Confluent compares sets of subschemas). */
function distinctSubschemas(node: CombinedNode): SchemaNode[] {
  const seen = new Set<string>();
  return node.subschemas.filter((subschema) => {
    const key = structuralKey(subschema);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function compareCombined(context: Context, original: CombinedNode, update: CombinedNode): void {
  if (compareCriteria(context, original, update) === "COMBINED_TYPE_CHANGED") return;
  const originals = distinctSubschemas(original);
  const updates = distinctSubschemas(update);
  if (originals.length < updates.length) context.add(update.criterion === "allOf" ? "PRODUCT_TYPE_EXTENDED" : "SUM_TYPE_EXTENDED");
  else if (originals.length > updates.length) context.add(update.criterion === "allOf" ? "PRODUCT_TYPE_NARROWED" : "SUM_TYPE_NARROWED");

  // Compatible pairs (original i, update j) with their differences.
  const edges = originals.map((originalSubschema, index) => {
    const row = new Map<number, Difference[]>();
    context.within(`${original.criterion}/${index}`, () => {
      updates.forEach((updateSubschema, j) => {
        const sub = context.sub();
        compare(sub, originalSubschema, updateSubschema);
        if (sub.isCompatible()) row.set(j, sub.differences);
      });
    });
    return row;
  });
  const matching = maximumMatching(edges, updates.length);
  for (const [i, j] of matching) context.addAll(edges[i]?.get(j) ?? []);
  if (matching.length < Math.min(originals.length, updates.length)) context.add("COMBINED_TYPE_SUBSCHEMAS_CHANGED");
}

/** A maximum bipartite matching (augmenting paths) over rows of compatible columns. */
function maximumMatching(edges: readonly ReadonlyMap<number, unknown>[], columns: number): [number, number][] {
  const rowOfColumn = new Array<number>(columns).fill(-1);
  const tryRow = (row: number, visited: boolean[]): boolean => {
    for (const column of edges[row]?.keys() ?? []) {
      if (visited[column]) continue;
      visited[column] = true;
      const holder = rowOfColumn[column] as number;
      if (holder === -1 || tryRow(holder, visited)) {
        rowOfColumn[column] = row;
        return true;
      }
    }
    return false;
  };
  edges.forEach((_, row) => tryRow(row, new Array<boolean>(columns).fill(false)));
  const pairs: [number, number][] = [];
  rowOfColumn.forEach((row, column) => {
    if (row !== -1) pairs.push([row, column]);
  });
  return pairs.sort((a, b) => a[0] - b[0]);
}

function isOpenObject(node: ObjectNode): boolean {
  if (node.patternProperties.length > 0 || !node.permitsAdditionalProperties || node.additionalPropertiesSchema !== null) return false;
  return node.unevaluatedProperties === null || dereference(node.unevaluatedProperties).kind === "empty";
}

/** The schema that covers `name` in a partially open object: a matching patternProperty, additionalProperties, or unevaluatedProperties. */
function partialObjectSchema(node: ObjectNode, name: string): SchemaNode | null {
  for (const [pattern, schema] of node.patternProperties) {
    if (patternFinds(pattern, name)) return schema;
  }
  if (node.additionalPropertiesSchema !== null) return node.additionalPropertiesSchema;
  if (node.permitsAdditionalProperties && node.unevaluatedProperties !== null) {
    const kind = dereference(node.unevaluatedProperties).kind;
    if (kind !== "false" && kind !== "empty") return node.unevaluatedProperties;
  }
  return null;
}

function patternFinds(pattern: string, text: string): boolean {
  try {
    return new RegExp(pattern, "u").test(text);
  } catch {
    return false;
  }
}

function hasDefault(node: SchemaNode): boolean {
  return node.annotations.hasDefault || dereference(node).annotations.hasDefault;
}

function compareObjects(context: Context, original: ObjectNode, update: ObjectNode): void {
  // required
  context.within("required", () => {
    for (const name of original.properties.keys()) {
      const updateProperty = update.properties.get(name);
      if (updateProperty === undefined) continue;
      const wasRequired = original.required.has(name);
      const isRequired = update.required.has(name);
      if (wasRequired && !isRequired) context.add("REQUIRED_ATTRIBUTE_REMOVED", name);
      else if (!wasRequired && isRequired) context.add(hasDefault(updateProperty) ? "REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED" : "REQUIRED_ATTRIBUTE_ADDED", name);
    }
  });
  // properties
  context.within("properties", () => {
    const names = new Set([...original.properties.keys(), ...update.properties.keys()]);
    for (const name of names) {
      context.within(name, () => comparePropertySlot(context, name, original, update));
    }
  });
  // dependencies
  context.within("dependencies", () => {
    const arrayNames = new Set([...original.propertyDependencies.keys(), ...update.propertyDependencies.keys()]);
    for (const name of arrayNames) {
      const before = original.propertyDependencies.get(name);
      const after = update.propertyDependencies.get(name);
      if (after === undefined) context.add("DEPENDENCY_ARRAY_REMOVED", name);
      else if (before === undefined) context.add("DEPENDENCY_ARRAY_ADDED", name);
      else {
        const afterHasAll = [...before].every((item) => after.has(item));
        const beforeHasAll = [...after].every((item) => before.has(item));
        if (afterHasAll && beforeHasAll) continue;
        context.add(afterHasAll ? "DEPENDENCY_ARRAY_EXTENDED" : beforeHasAll ? "DEPENDENCY_ARRAY_NARROWED" : "DEPENDENCY_ARRAY_CHANGED", name);
      }
    }
    const schemaNames = new Set([...original.schemaDependencies.keys(), ...update.schemaDependencies.keys()]);
    for (const name of schemaNames) {
      const before = original.schemaDependencies.get(name);
      const after = update.schemaDependencies.get(name);
      if (after === undefined) context.add("DEPENDENCY_SCHEMA_REMOVED", name);
      else if (before === undefined) context.add("DEPENDENCY_SCHEMA_ADDED", name);
      else context.within(name, () => compare(context, before, after));
    }
  });
  // additionalProperties
  compareAdditional(
    context,
    "additionalProperties",
    { permits: original.permitsAdditionalProperties, schema: original.additionalPropertiesSchema },
    { permits: update.permitsAdditionalProperties, schema: update.additionalPropertiesSchema },
    ["ADDITIONAL_PROPERTIES_ADDED", "ADDITIONAL_PROPERTIES_REMOVED", "ADDITIONAL_PROPERTIES_NARROWED", "ADDITIONAL_PROPERTIES_EXTENDED"],
  );
  compareUnevaluated(context, "unevaluatedProperties", original.unevaluatedProperties, update.unevaluatedProperties, [
    "UNEVALUATED_PROPERTIES_ADDED",
    "UNEVALUATED_PROPERTIES_REMOVED",
    "UNEVALUATED_PROPERTIES_EXTENDED",
    "UNEVALUATED_PROPERTIES_NARROWED",
  ]);
  compareLimit(context, "maxProperties", original.maxProperties, update.maxProperties, [
    "MAX_PROPERTIES_ADDED",
    "MAX_PROPERTIES_REMOVED",
    "MAX_PROPERTIES_INCREASED",
    "MAX_PROPERTIES_DECREASED",
  ]);
  compareLimit(context, "minProperties", original.minProperties, update.minProperties, [
    "MIN_PROPERTIES_ADDED",
    "MIN_PROPERTIES_REMOVED",
    "MIN_PROPERTIES_INCREASED",
    "MIN_PROPERTIES_DECREASED",
  ]);
}

/** One property name present in either schema (the context is at #/.../properties/name). */
function comparePropertySlot(context: Context, name: string, original: ObjectNode, update: ObjectNode): void {
  const before = original.properties.get(name);
  const after = update.properties.get(name);
  if (before !== undefined && after !== undefined) {
    compare(context, before, after);
  } else if (before !== undefined) {
    // Removed: only the update's content model matters (may it still read the property?).
    if (isOpenObject(update)) {
      context.add("PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL");
      return;
    }
    const cover = partialObjectSchema(update, name);
    if (cover !== null) {
      const sub = context.sub();
      compare(sub, before, cover);
      context.addAll(sub.differences);
      context.add(sub.isCompatible() ? "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL" : "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL");
    } else {
      context.add(dereference(before).kind === "false" ? "PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL" : "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL");
    }
  } else if (after !== undefined) {
    // Added: only the original's content model matters (may old data hold this property?).
    const required = update.required.has(name);
    if (isOpenObject(original)) {
      if (dereference(after).kind === "empty") context.add("PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL");
      else if (!required) context.add("OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL");
      else context.add(hasDefault(after) ? "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL" : "REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL");
      return;
    }
    const cover = partialObjectSchema(original, name);
    if (cover !== null) {
      const sub = context.sub();
      compare(sub, cover, after);
      context.addAll(sub.differences);
      context.add(sub.isCompatible() ? "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL" : "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL");
    }
    if (required) {
      context.add(hasDefault(after) ? "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL" : "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL");
    } else {
      context.add("OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL");
    }
  }
}

/** unevaluatedProperties / unevaluatedItems: absent or `true` opens, `false` closes, a schema partially opens. */
/** What `additionalProperties` / `additionalItems` allow: more at all, and the schema more must match (null: any). */
interface Additional {
  readonly permits: boolean;
  readonly schema: SchemaNode | null;
}

function compareAdditional(
  context: Context,
  attribute: string,
  original: Additional,
  update: Additional,
  types: readonly [added: DifferenceType, removed: DifferenceType, narrowed: DifferenceType, extended: DifferenceType],
): void {
  const [added, removed, narrowed, extended] = types;
  context.within(attribute, () => {
    if (original.permits !== update.permits) context.add(update.permits ? added : removed);
    else if (original.schema === null && update.schema !== null) context.add(narrowed);
    else if (original.schema !== null && update.schema === null) context.add(extended);
    else compareOptional(context, original.schema, update.schema);
  });
}

function compareUnevaluated(
  context: Context,
  attribute: string,
  originalNode: SchemaNode | null,
  updateNode: SchemaNode | null,
  types: readonly [added: DifferenceType, removed: DifferenceType, extended: DifferenceType, narrowed: DifferenceType],
): void {
  if (originalNode === null && updateNode === null) return;
  const [added, removed, extended, narrowed] = types;
  const kindOf = (node: SchemaNode | null) => (node === null ? null : dereference(node).kind);
  const before = kindOf(originalNode);
  const after = kindOf(updateNode);
  context.within(attribute, () => {
    if (originalNode === null) context.add(after === "false" ? removed : narrowed);
    else if (updateNode === null) context.add(before === "false" ? added : extended);
    else if (before === "false" && after !== "false") context.add(added);
    else if (before !== "false" && after === "false") context.add(removed);
    else if (before === "empty" && after !== "empty") context.add(narrowed);
    else if (before !== "empty" && after === "empty") context.add(extended);
    else compare(context, originalNode, updateNode);
  });
}

function isOpenArray(node: ArrayNode): boolean {
  if (!node.permitsAdditionalItems || node.additionalItemsSchema !== null) return false;
  return node.unevaluatedItems === null || dereference(node.unevaluatedItems).kind === "empty";
}

function partialArraySchema(node: ArrayNode): SchemaNode | null {
  if (node.additionalItemsSchema !== null) return node.additionalItemsSchema;
  if (node.permitsAdditionalItems && node.unevaluatedItems !== null) {
    const kind = dereference(node.unevaluatedItems).kind;
    if (kind !== "false" && kind !== "empty") return node.unevaluatedItems;
  }
  return null;
}

function compareArrays(context: Context, original: ArrayNode, update: ArrayNode): void {
  context.within("items", () => compareOptional(context, original.allItemSchema, update.allItemSchema));
  const shared = Math.min(original.itemSchemas.length, update.itemSchemas.length);
  for (let index = 0; index < shared; index++) {
    context.within(`items/${index}`, () => compare(context, original.itemSchemas[index] as SchemaNode, update.itemSchemas[index] as SchemaNode));
  }
  for (let index = shared; index < original.itemSchemas.length; index++) {
    const before = original.itemSchemas[index] as SchemaNode;
    context.within(`items/${index}`, () => {
      if (isOpenArray(update)) {
        context.add("ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL");
        return;
      }
      const cover = partialArraySchema(update);
      if (cover !== null) {
        const sub = context.sub();
        compare(sub, before, cover);
        context.addAll(sub.differences);
        context.add(sub.isCompatible() ? "ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL" : "ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL");
      } else {
        context.add(dereference(before).kind === "false" ? "ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL" : "ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL");
      }
    });
  }
  for (let index = shared; index < update.itemSchemas.length; index++) {
    const after = update.itemSchemas[index] as SchemaNode;
    context.within(`items/${index}`, () => {
      if (isOpenArray(original)) {
        context.add(dereference(after).kind === "empty" ? "ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL" : "ITEM_ADDED_TO_OPEN_CONTENT_MODEL");
        return;
      }
      const cover = partialArraySchema(original);
      if (cover !== null) {
        const sub = context.sub();
        compare(sub, cover, after);
        context.addAll(sub.differences);
        context.add(sub.isCompatible() ? "ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL" : "ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL");
      } else {
        context.add("ITEM_ADDED_TO_CLOSED_CONTENT_MODEL");
      }
    });
  }
  compareAdditional(
    context,
    "additionalItems",
    { permits: original.permitsAdditionalItems, schema: original.additionalItemsSchema },
    { permits: update.permitsAdditionalItems, schema: update.additionalItemsSchema },
    ["ADDITIONAL_ITEMS_ADDED", "ADDITIONAL_ITEMS_REMOVED", "ADDITIONAL_ITEMS_NARROWED", "ADDITIONAL_ITEMS_EXTENDED"],
  );
  compareUnevaluated(context, "unevaluatedItems", original.unevaluatedItems, update.unevaluatedItems, [
    "UNEVALUATED_ITEMS_ADDED",
    "UNEVALUATED_ITEMS_REMOVED",
    "UNEVALUATED_ITEMS_EXTENDED",
    "UNEVALUATED_ITEMS_NARROWED",
  ]);
  compareLimit(context, "maxItems", original.maxItems, update.maxItems, ["MAX_ITEMS_ADDED", "MAX_ITEMS_REMOVED", "MAX_ITEMS_INCREASED", "MAX_ITEMS_DECREASED"]);
  compareLimit(context, "minItems", original.minItems, update.minItems, ["MIN_ITEMS_ADDED", "MIN_ITEMS_REMOVED", "MIN_ITEMS_INCREASED", "MIN_ITEMS_DECREASED"]);
  if (original.uniqueItems !== update.uniqueItems) context.add(original.uniqueItems ? "UNIQUE_ITEMS_REMOVED" : "UNIQUE_ITEMS_ADDED", "uniqueItems");
  compareLimit(context, "maxContains", original.maxContains, update.maxContains, [
    "MAX_CONTAINS_ADDED",
    "MAX_CONTAINS_REMOVED",
    "MAX_CONTAINS_INCREASED",
    "MAX_CONTAINS_DECREASED",
  ]);
  compareLimit(context, "minContains", original.minContains, update.minContains, [
    "MIN_CONTAINS_ADDED",
    "MIN_CONTAINS_REMOVED",
    "MIN_CONTAINS_INCREASED",
    "MIN_CONTAINS_DECREASED",
  ]);
}

// A JSON Schema read into the shapes Confluent's compatibility check compares. Confluent loads a
// schema with the everit library (drafts 4-7; 2019-09 and 2020-12 are read with json-sKema and
// translated to everit's classes), and its rules depend on how everit groups keywords:
//
// - `$ref` (drafts 4-7): the reference alone, its siblings are ignored;
// - otherwise, in this order: `enum`; `allOf`/`anyOf`/`oneOf` (one node each); `not`; `const`
//   (not in draft-04); `type` (one typed node, or an anyOf of typed nodes for a list of types)
//   taking the keywords of its type; then keywords no typed node took (e.g. `maxLength` beside
//   `"type":"object"`, or `format` beside `"type":"integer"` up to draft-07) each make an
//   untyped node of their kind ("property sniffing"); `if`/`then`/`else` a conditional node;
// - none: the empty schema; one: that node; several: a synthetic allOf of them.
// title, description, default and the id belong to the resulting node.
import { type Draft, idKeyword, isModernDraft } from "./drafts.ts";
import type { JsonValue } from "./json-text.ts";

export interface Annotations {
  readonly id: string | undefined;
  readonly title: string | undefined;
  readonly description: string | undefined;
  readonly hasDefault: boolean;
  readonly default: JsonValue | undefined;
}

interface NodeBase {
  /** The schema JSON the node was read from (one object may give several nodes, see `variant`). */
  readonly source: JsonValue;
  /** Which node of its source this is: "" for the schema itself, "#enum", "#string"... for its parts. */
  readonly variant: string;
  readonly annotations: Annotations;
}

export interface EmptyNode extends NodeBase {
  readonly kind: "empty";
}
export interface FalseNode extends NodeBase {
  readonly kind: "false";
}
export interface BooleanNode extends NodeBase {
  readonly kind: "boolean";
}
export interface NullNode extends NodeBase {
  readonly kind: "null";
}
export interface StringNode extends NodeBase {
  readonly kind: "string";
  readonly minLength: number | undefined;
  readonly maxLength: number | undefined;
  readonly pattern: string | undefined;
}
export interface NumberNode extends NodeBase {
  readonly kind: "number";
  readonly requiresInteger: boolean;
  readonly minimum: number | undefined;
  readonly maximum: number | undefined;
  /** The numeric form (draft-06 on); draft-04's boolean flags are not compared, as in Confluent. */
  readonly exclusiveMinimum: number | undefined;
  readonly exclusiveMaximum: number | undefined;
  /** The literal text, so that divisibility is exact for decimals. */
  readonly multipleOf: string | undefined;
}
export interface ObjectNode extends NodeBase {
  readonly kind: "object";
  readonly properties: ReadonlyMap<string, SchemaNode>;
  readonly required: ReadonlySet<string>;
  /** false for `additionalProperties: false`. */
  readonly permitsAdditionalProperties: boolean;
  /** The schema of `additionalProperties` when it is a schema (not a boolean). */
  readonly additionalPropertiesSchema: SchemaNode | null;
  readonly patternProperties: readonly (readonly [pattern: string, schema: SchemaNode])[];
  readonly propertyDependencies: ReadonlyMap<string, ReadonlySet<string>>;
  readonly schemaDependencies: ReadonlyMap<string, SchemaNode>;
  readonly minProperties: number | undefined;
  readonly maxProperties: number | undefined;
  /** `unevaluatedProperties` (2019-09 on). */
  readonly unevaluatedProperties: SchemaNode | null;
}
export interface ArrayNode extends NodeBase {
  readonly kind: "array";
  /** `items` as one schema for every item. */
  readonly allItemSchema: SchemaNode | null;
  /** `items` as a list (up to 2019-09) or `prefixItems` (2020-12). */
  readonly itemSchemas: readonly SchemaNode[];
  readonly permitsAdditionalItems: boolean;
  readonly additionalItemsSchema: SchemaNode | null;
  readonly minItems: number | undefined;
  readonly maxItems: number | undefined;
  readonly uniqueItems: boolean;
  readonly minContains: number | undefined;
  readonly maxContains: number | undefined;
  /** `unevaluatedItems` (2019-09 on). */
  readonly unevaluatedItems: SchemaNode | null;
}
export interface EnumNode extends NodeBase {
  readonly kind: "enum";
  readonly values: readonly JsonValue[];
}
export interface ConstNode extends NodeBase {
  readonly kind: "const";
  readonly value: JsonValue;
}
export interface NotNode extends NodeBase {
  readonly kind: "not";
  readonly schema: SchemaNode;
}
export type Criterion = "allOf" | "anyOf" | "oneOf";
export interface CombinedNode extends NodeBase {
  readonly kind: "combined";
  readonly criterion: Criterion;
  readonly subschemas: readonly SchemaNode[];
}
export interface ConditionalNode extends NodeBase {
  readonly kind: "conditional";
}
export interface ReferenceNode extends NodeBase {
  readonly kind: "reference";
  readonly ref: string;
  /** The schema referred to (resolved lazily: references may be recursive); null when unresolvable. */
  referred(): SchemaNode | null;
}

export type SchemaNode =
  | EmptyNode
  | FalseNode
  | BooleanNode
  | NullNode
  | StringNode
  | NumberNode
  | ObjectNode
  | ArrayNode
  | EnumNode
  | ConstNode
  | NotNode
  | CombinedNode
  | ConditionalNode
  | ReferenceNode;

type JsonObject = { [key: string]: JsonValue };

/** A schema document: the root or a referenced schema. */
export interface SchemaDocument {
  /** The absolute URI a `$ref` reaches it by. */
  readonly uri: string;
  readonly schema: JsonValue;
  readonly draft: Draft;
}

/** A `$ref` that does not name a schema of the root or its references. */
export class UnresolvableReferenceError extends Error {
  override name = "UnresolvableReferenceError";
}

/** A `pattern` or `patternProperties` name that is not a regular expression (as the validator compiles them: ECMAScript, Unicode mode). */
export class InvalidPatternError extends Error {
  override name = "InvalidPatternError";
}

function checkPattern(pattern: string): string {
  try {
    new RegExp(pattern, "u");
  } catch (error) {
    throw new InvalidPatternError((error as Error).message);
  }
  return pattern;
}

const NO_ANNOTATIONS: Annotations = { id: undefined, title: undefined, description: undefined, hasDefault: false, default: undefined };

/** Where a schema object sits: its base URI and draft. */
interface Location {
  readonly base: string;
  readonly draft: Draft;
}

// Keywords whose values are data, not schemas: never searched for $id or anchors.
const DATA_KEYWORDS = new Set(["enum", "const", "default", "examples"]);

const NUMBER_KEYWORDS = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"];

function stringKeywords(draft: Draft): string[] {
  // json-sKema ignores `format` (2019-09 on); everit counts it as a string keyword.
  return isModernDraft(draft) ? ["minLength", "maxLength", "pattern"] : ["minLength", "maxLength", "pattern", "format"];
}

function objectKeywords(draft: Draft): string[] {
  const keywords = ["properties", "required", "minProperties", "maxProperties", "dependencies", "patternProperties", "additionalProperties"];
  if (draft !== "draft-04") keywords.push("propertyNames");
  if (isModernDraft(draft)) keywords.push("dependentRequired", "dependentSchemas", "unevaluatedProperties");
  return keywords;
}

function arrayKeywords(draft: Draft): string[] {
  const keywords = ["items", "additionalItems", "minItems", "maxItems", "uniqueItems"];
  if (draft !== "draft-04") keywords.push("contains");
  if (isModernDraft(draft)) keywords.push("minContains", "maxContains", "unevaluatedItems");
  if (draft === "2020-12") keywords.push("prefixItems");
  return keywords;
}

const TYPE_NAMES = new Set(["string", "integer", "number", "boolean", "null", "array", "object"]);

function isObject(value: JsonValue | undefined): value is JsonObject {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function numberOrUndefined(value: JsonValue | undefined): number | undefined {
  return typeof value === "number" ? value : undefined;
}

/**
 * Reads the root document (and the documents it refers to) into nodes. Every `$ref` in them must
 * resolve, else UnresolvableReferenceError, and every pattern compile, else InvalidPatternError;
 * `$dynamicRef`/`$recursiveRef` are not followed.
 */
export function loadSchemaModel(root: SchemaDocument, references: readonly SchemaDocument[]): SchemaNode {
  const loader = new ModelLoader([root, ...references]);
  const node = loader.load(root.schema, { base: root.uri, draft: root.draft });
  loader.checkReferences();
  return node;
}

class ModelLoader {
  /** Schema resources by absolute URI (no fragment), anchors by "uri#name". */
  private readonly resources = new Map<string, { schema: JsonValue; location: Location }>();
  private readonly anchors = new Map<string, { schema: JsonValue; location: Location }>();
  /** Base URI and draft of every schema object of every document. */
  private readonly locations = new Map<JsonObject, Location>();
  /** One node per schema object, so references to it meet the same node (recursion ends there). */
  private readonly nodes = new Map<JsonObject, SchemaNode>();
  private readonly pendingReferences: ReferenceNode[] = [];

  constructor(documents: readonly SchemaDocument[]) {
    for (const document of documents) {
      const location = { base: withoutFragment(document.uri), draft: document.draft };
      this.resources.set(location.base, { schema: document.schema, location });
      this.index(document.schema, location);
    }
  }

  /** Records base URIs, `$id`-named resources and anchors, as a `$ref` resolver needs them. */
  private index(schema: JsonValue, location: Location): void {
    if (Array.isArray(schema)) {
      for (const item of schema) this.index(item, location);
      return;
    }
    if (!isObject(schema)) return;
    let here = location;
    const id = schema[idKeyword(location.draft)];
    if (typeof id === "string") {
      const absolute = resolveUri(location.base, id);
      const fragment = fragmentOf(absolute);
      if (fragment === "" || fragment === undefined) {
        here = { base: withoutFragment(absolute), draft: location.draft };
        if (!this.resources.has(here.base)) this.resources.set(here.base, { schema, location: here });
      } else if (!fragment.startsWith("/")) {
        // draft-06/07 `"$id": "#name"` (draft-04 `"id"`) is a plain-name anchor.
        this.anchors.set(`${withoutFragment(absolute)}#${fragment}`, { schema, location });
      }
    }
    const anchor = schema.$anchor;
    if (isModernDraft(here.draft) && typeof anchor === "string") this.anchors.set(`${here.base}#${anchor}`, { schema, location: here });
    this.locations.set(schema, here);
    for (const [key, value] of Object.entries(schema)) {
      if (!DATA_KEYWORDS.has(key)) this.index(value, here);
    }
  }

  checkReferences(): void {
    // Resolving may load more schemas and so add references: iterate until none is left.
    for (let index = 0; index < this.pendingReferences.length; index++) {
      const reference = this.pendingReferences[index] as ReferenceNode;
      if (reference.referred() === null) throw new UnresolvableReferenceError(`can't resolve reference ${reference.ref}`);
    }
  }

  load(schema: JsonValue, fallback: Location): SchemaNode {
    if (schema === true) return { kind: "empty", source: true, variant: "", annotations: NO_ANNOTATIONS };
    if (schema === false) return { kind: "false", source: false, variant: "", annotations: NO_ANNOTATIONS };
    if (!isObject(schema)) return { kind: "empty", source: true, variant: "", annotations: NO_ANNOTATIONS };
    const cached = this.nodes.get(schema);
    if (cached !== undefined) return cached;
    const location = this.locations.get(schema) ?? fallback;
    const node = this.loadObject(schema, location);
    this.nodes.set(schema, node);
    return node;
  }

  private child(schema: JsonValue | undefined, location: Location): SchemaNode | null {
    return schema === undefined ? null : this.load(schema, location);
  }

  private loadObject(schema: JsonObject, location: Location): SchemaNode {
    const annotations = readAnnotations(schema, location.draft);
    const modern = isModernDraft(location.draft);
    if (!modern && typeof schema.$ref === "string") {
      return this.reference(schema.$ref, location, schema, "", annotations);
    }
    const parts: SchemaNode[] = [];
    if (modern && typeof schema.$ref === "string") parts.push(this.reference(schema.$ref, location, schema, "#ref", NO_ANNOTATIONS));
    const taken = new Set<string>();
    if (Array.isArray(schema.enum)) parts.push({ kind: "enum", source: schema, variant: "#enum", annotations: NO_ANNOTATIONS, values: schema.enum });
    for (const criterion of ["allOf", "anyOf", "oneOf"] as const) {
      const list = schema[criterion];
      if (Array.isArray(list)) {
        parts.push({
          kind: "combined",
          source: schema,
          variant: `#${criterion}`,
          annotations: NO_ANNOTATIONS,
          criterion,
          subschemas: list.map((item) => this.load(item, location)),
        });
      }
    }
    if (schema.not !== undefined) parts.push({ kind: "not", source: schema, variant: "#not", annotations: NO_ANNOTATIONS, schema: this.load(schema.not, location) });
    if (location.draft !== "draft-04" && Object.hasOwn(schema, "const")) {
      parts.push({ kind: "const", source: schema, variant: "#const", annotations: NO_ANNOTATIONS, value: schema.const ?? null });
    }
    const type = schema.type;
    if (typeof type === "string" && TYPE_NAMES.has(type)) {
      parts.push(this.typed(type, schema, location, `#${type}`, taken));
    } else if (Array.isArray(type)) {
      const names = type.filter((name): name is string => typeof name === "string" && TYPE_NAMES.has(name));
      parts.push({
        kind: "combined",
        source: schema,
        variant: "#types",
        annotations: NO_ANNOTATIONS,
        criterion: "anyOf",
        subschemas: names.map((name) => this.typed(name, schema, location, `#${name}`, taken)),
      });
    }
    // Keywords no typed node took make untyped nodes of their kind.
    const present = (keywords: string[]) => keywords.some((keyword) => !taken.has(keyword) && Object.hasOwn(schema, keyword));
    if (present(arrayKeywords(location.draft))) parts.push(this.array(schema, location, "#array?"));
    if (present(objectKeywords(location.draft))) parts.push(this.object(schema, location, "#object?"));
    if (present(NUMBER_KEYWORDS)) parts.push(numberNode(schema, location.draft, "#number?", false));
    if (present(stringKeywords(location.draft))) parts.push(stringNode(schema, "#string?"));
    if (location.draft !== "draft-04" && location.draft !== "draft-06" && ["if", "then", "else"].some((k) => Object.hasOwn(schema, k))) {
      parts.push({ kind: "conditional", source: schema, variant: "#if", annotations: NO_ANNOTATIONS });
    }
    if (parts.length === 0) return { kind: "empty", source: schema, variant: "", annotations };
    if (parts.length === 1) return { ...(parts[0] as SchemaNode), variant: "", annotations } as SchemaNode;
    return { kind: "combined", source: schema, variant: "", annotations, criterion: "allOf", subschemas: parts };
  }

  private typed(type: string, schema: JsonObject, location: Location, variant: string, taken: Set<string>): SchemaNode {
    const take = (keywords: string[]) => keywords.forEach((keyword) => taken.add(keyword));
    switch (type) {
      case "string":
        take(stringKeywords(location.draft));
        return stringNode(schema, variant);
      case "integer":
      case "number":
        take(NUMBER_KEYWORDS);
        return numberNode(schema, location.draft, variant, type === "integer");
      case "object":
        take(objectKeywords(location.draft));
        return this.object(schema, location, variant);
      case "array":
        take(arrayKeywords(location.draft));
        return this.array(schema, location, variant);
      case "boolean":
        return { kind: "boolean", source: schema, variant, annotations: NO_ANNOTATIONS };
      default:
        return { kind: "null", source: schema, variant, annotations: NO_ANNOTATIONS };
    }
  }

  private object(schema: JsonObject, location: Location, variant: string): ObjectNode {
    const properties = new Map<string, SchemaNode>();
    if (isObject(schema.properties)) {
      for (const [name, value] of Object.entries(schema.properties)) properties.set(name, this.load(value, location));
    }
    const required = new Set<string>(Array.isArray(schema.required) ? schema.required.filter((name): name is string => typeof name === "string") : []);
    const additional = schema.additionalProperties;
    const patternProperties: [string, SchemaNode][] = isObject(schema.patternProperties)
      ? Object.entries(schema.patternProperties).map(([pattern, value]) => [checkPattern(pattern), this.load(value, location)])
      : [];
    const propertyDependencies = new Map<string, ReadonlySet<string>>();
    const schemaDependencies = new Map<string, SchemaNode>();
    const addDependencies = (dependencies: JsonValue | undefined, arrays: boolean, schemas: boolean) => {
      if (!isObject(dependencies)) return;
      for (const [name, value] of Object.entries(dependencies)) {
        if (Array.isArray(value)) {
          if (arrays) propertyDependencies.set(name, new Set(value.filter((item): item is string => typeof item === "string")));
        } else if (schemas) {
          schemaDependencies.set(name, this.load(value, location));
        }
      }
    };
    addDependencies(schema.dependencies, true, true);
    if (isModernDraft(location.draft)) {
      addDependencies(schema.dependentRequired, true, false);
      addDependencies(schema.dependentSchemas, false, true);
    }
    return {
      kind: "object",
      source: schema,
      variant,
      annotations: NO_ANNOTATIONS,
      properties,
      required,
      permitsAdditionalProperties: additional !== false,
      additionalPropertiesSchema: typeof additional === "boolean" || additional === undefined ? null : this.load(additional, location),
      patternProperties,
      propertyDependencies,
      schemaDependencies,
      minProperties: numberOrUndefined(schema.minProperties),
      maxProperties: numberOrUndefined(schema.maxProperties),
      unevaluatedProperties: isModernDraft(location.draft) ? this.child(schema.unevaluatedProperties, location) : null,
    };
  }

  private array(schema: JsonObject, location: Location, variant: string): ArrayNode {
    let allItemSchema: SchemaNode | null = null;
    let itemSchemas: SchemaNode[] = [];
    let permitsAdditionalItems = true;
    let additionalItemsSchema: SchemaNode | null = null;
    const additionalItems = (value: JsonValue | undefined) => {
      if (value === false) permitsAdditionalItems = false;
      else if (value !== undefined && value !== true) additionalItemsSchema = this.load(value, location);
    };
    if (location.draft === "2020-12") {
      // prefixItems are the positional schemas; `items` then covers the items after them.
      if (Array.isArray(schema.prefixItems)) itemSchemas = schema.prefixItems.map((item) => this.load(item, location));
      if (itemSchemas.length > 0) additionalItems(schema.items);
      else if (schema.items === false) permitsAdditionalItems = false;
      else if (schema.items !== undefined && schema.items !== true) allItemSchema = this.load(schema.items, location);
    } else {
      if (Array.isArray(schema.items)) itemSchemas = schema.items.map((item) => this.load(item, location));
      else if (schema.items !== undefined) allItemSchema = this.load(schema.items, location);
      additionalItems(schema.additionalItems);
    }
    const modern = isModernDraft(location.draft);
    // json-sKema gives `contains` its default minContains of 1 (2019-09 on).
    const minContains = numberOrUndefined(schema.minContains) ?? (modern && schema.contains !== undefined ? 1 : undefined);
    return {
      kind: "array",
      source: schema,
      variant,
      annotations: NO_ANNOTATIONS,
      allItemSchema,
      itemSchemas,
      permitsAdditionalItems,
      additionalItemsSchema,
      minItems: numberOrUndefined(schema.minItems),
      maxItems: numberOrUndefined(schema.maxItems),
      uniqueItems: schema.uniqueItems === true,
      minContains,
      maxContains: numberOrUndefined(schema.maxContains),
      unevaluatedItems: modern ? this.child(schema.unevaluatedItems, location) : null,
    };
  }

  private reference(ref: string, location: Location, source: JsonObject, variant: string, annotations: Annotations): ReferenceNode {
    let resolved: SchemaNode | null | undefined;
    const node: ReferenceNode = {
      kind: "reference",
      source,
      variant,
      annotations,
      ref,
      referred: () => {
        if (resolved === undefined) {
          resolved = null; // a reference to itself ends here
          const target = this.resolve(ref, location);
          resolved = target === null ? null : this.load(target.schema, target.location);
        }
        return resolved;
      },
    };
    this.pendingReferences.push(node);
    return node;
  }

  private resolve(ref: string, location: Location): { schema: JsonValue; location: Location } | null {
    const absolute = resolveUri(location.base, ref);
    const fragment = fragmentOf(absolute) ?? "";
    const resource = this.resources.get(withoutFragment(absolute));
    if (fragment === "") return resource ?? null;
    if (!fragment.startsWith("/")) return this.anchors.get(`${withoutFragment(absolute)}#${fragment}`) ?? null;
    if (resource === undefined) return null;
    let current: JsonValue | undefined = resource.schema;
    for (const rawSegment of fragment.slice(1).split("/")) {
      const segment = decodePointerSegment(rawSegment);
      if (Array.isArray(current)) current = current[Number(segment)];
      else if (isObject(current) && Object.hasOwn(current, segment)) current = current[segment];
      else return null;
      if (current === undefined) return null;
    }
    const target = current;
    return { schema: target, location: (isObject(target) ? this.locations.get(target) : undefined) ?? resource.location };
  }
}

function readAnnotations(schema: JsonObject, draft: Draft): Annotations {
  const text = (value: JsonValue | undefined) => (typeof value === "string" ? value : undefined);
  const hasDefault = Object.hasOwn(schema, "default");
  return {
    id: text(schema[idKeyword(draft)]),
    title: text(schema.title),
    description: text(schema.description),
    hasDefault,
    default: hasDefault ? schema.default : undefined,
  };
}

function stringNode(schema: JsonObject, variant: string): StringNode {
  const pattern = typeof schema.pattern === "string" ? schema.pattern : undefined;
  if (pattern !== undefined) checkPattern(pattern);
  return {
    kind: "string",
    source: schema,
    variant,
    annotations: NO_ANNOTATIONS,
    minLength: numberOrUndefined(schema.minLength),
    maxLength: numberOrUndefined(schema.maxLength),
    pattern,
  };
}

function numberNode(schema: JsonObject, draft: Draft, variant: string, requiresInteger: boolean): NumberNode {
  const numericExclusive = draft !== "draft-04";
  const multipleOf = schema.multipleOf;
  return {
    kind: "number",
    source: schema,
    variant,
    annotations: NO_ANNOTATIONS,
    requiresInteger,
    minimum: numberOrUndefined(schema.minimum),
    maximum: numberOrUndefined(schema.maximum),
    exclusiveMinimum: numericExclusive ? numberOrUndefined(schema.exclusiveMinimum) : undefined,
    exclusiveMaximum: numericExclusive ? numberOrUndefined(schema.exclusiveMaximum) : undefined,
    multipleOf: typeof multipleOf === "number" ? decimalText(multipleOf) : undefined,
  };
}

/** A positive finite number as a plain decimal string (no exponent). */
function decimalText(value: number): string {
  const text = String(value);
  if (!/e/i.test(text)) return text;
  return value.toFixed(20).replace(/\.?0+$/, "");
}

/** Resolves a URI reference against a base (RFC 3986), tolerating bases URL cannot parse. */
export function resolveUri(base: string, reference: string): string {
  try {
    return new URL(reference, base).href;
  } catch {
    return reference;
  }
}

function decodePointerSegment(segment: string): string {
  let decoded = segment;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    // Not percent-encoded after all: use it as written.
  }
  return decoded.replaceAll("~1", "/").replaceAll("~0", "~");
}

function withoutFragment(uri: string): string {
  const hash = uri.indexOf("#");
  return hash === -1 ? uri : uri.slice(0, hash);
}

function fragmentOf(uri: string): string | undefined {
  const hash = uri.indexOf("#");
  return hash === -1 ? undefined : uri.slice(hash + 1);
}

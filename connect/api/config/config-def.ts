// A plugin's configuration, declared once (org.apache.kafka.common.config.ConfigDef): names,
// types, defaults, importance, docs, validators, groups, dependents and recommenders. Parsing,
// the answers of PUT /connector-plugins/{plugin}/config/validate, GET .../config, secret
// hiding and generated docs all come from it.
//
//   const def = new ConfigDef()
//     .define({ name: "topic", type: "STRING", importance: "HIGH", documentation: "Topic to write to." })
//     .define({ name: "batch.size", type: "INT", defaultValue: 100, validator: Range.atLeast(1),
//               importance: "LOW", documentation: "Records per batch." });
//   def.parse({ topic: "t" })  →  { topic: "t", "batch.size": 100 }
//
// A key without `defaultValue` is required (Kafka's NO_DEFAULT_VALUE); `defaultValue: null`
// is an optional key whose default is null. Parsed JavaScript values by type: BOOLEAN boolean,
// STRING string, INT/SHORT/LONG/DOUBLE number, LIST string[], CLASS string (a class or alias
// name, resolved by the runtime), PASSWORD Password. Values may be given as strings (as in
// connector configs) or already typed.
import { javaDoubleToString } from "../data/java-text.ts";
import { ConfigException, configValueText } from "./config-exception.ts";
import { Password } from "./password.ts";
import type { Validator } from "./validators.ts";

export const ConfigType = {
  BOOLEAN: "BOOLEAN",
  STRING: "STRING",
  INT: "INT",
  SHORT: "SHORT",
  LONG: "LONG",
  DOUBLE: "DOUBLE",
  LIST: "LIST",
  CLASS: "CLASS",
  PASSWORD: "PASSWORD",
} as const;
export type ConfigType = (typeof ConfigType)[keyof typeof ConfigType];

export const Importance = { HIGH: "HIGH", MEDIUM: "MEDIUM", LOW: "LOW" } as const;
export type Importance = (typeof Importance)[keyof typeof Importance];

/** How wide a UI field should be (Kafka's ConfigDef.Width). */
export const Width = { NONE: "NONE", SHORT: "SHORT", MEDIUM: "MEDIUM", LONG: "LONG" } as const;
export type Width = (typeof Width)[keyof typeof Width];

/** The default of a required key. */
export const NO_DEFAULT_VALUE: unique symbol = Symbol("NO_DEFAULT_VALUE");

/** Config values as given: an object (a connector's JSON config) or a Map (a .properties file). */
export type ConfigProps = Readonly<Record<string, unknown>> | ReadonlyMap<string, unknown>;

/** Dynamic valid values and visibility of a key, from the values parsed so far. */
export interface Recommender {
  validValues(name: string, parsedConfig: Readonly<Record<string, unknown>>): unknown[];
  visible(name: string, parsedConfig: Readonly<Record<string, unknown>>): boolean;
}

export interface ConfigKeyDefinition {
  name: string;
  type: ConfigType;
  /** Absent: the key is required. Given as a typed value or as its string form. */
  defaultValue?: unknown;
  validator?: Validator | null;
  importance: Importance;
  documentation: string;
  group?: string | null;
  /** Position within the group (-1: none). */
  orderInGroup?: number;
  width?: Width;
  /** Defaults to the name. */
  displayName?: string;
  /** Keys whose validity depends on this one (validated after it). */
  dependents?: readonly string[];
  recommender?: Recommender | null;
  /** Internal keys are parsed but left out of docs and GET .../config. */
  internal?: boolean;
}

export class ConfigKey {
  readonly name: string;
  readonly type: ConfigType;
  /** The parsed default, or NO_DEFAULT_VALUE for a required key. */
  readonly defaultValue: unknown;
  readonly validator: Validator | null;
  readonly importance: Importance;
  readonly documentation: string;
  readonly group: string | null;
  readonly orderInGroup: number;
  readonly width: Width;
  readonly displayName: string;
  readonly dependents: readonly string[];
  readonly recommender: Recommender | null;
  readonly internalConfig: boolean;

  constructor(def: ConfigKeyDefinition) {
    this.name = def.name;
    this.type = def.type;
    this.validator = def.validator ?? null;
    const hasDefault = "defaultValue" in def && def.defaultValue !== undefined && def.defaultValue !== NO_DEFAULT_VALUE;
    this.defaultValue = hasDefault ? parseType(def.name, def.defaultValue, def.type) : NO_DEFAULT_VALUE;
    this.importance = def.importance;
    this.documentation = def.documentation;
    this.group = def.group ?? null;
    this.orderInGroup = def.orderInGroup ?? -1;
    this.width = def.width ?? "NONE";
    this.displayName = def.displayName ?? def.name;
    this.dependents = Object.freeze([...(def.dependents ?? [])]);
    this.recommender = def.recommender ?? null;
    this.internalConfig = def.internal ?? false;
    if (this.validator !== null && hasDefault) this.validator.ensureValid(this.name, this.defaultValue);
    Object.freeze(this);
  }

  hasDefault(): boolean {
    return this.defaultValue !== NO_DEFAULT_VALUE;
  }
}

/** One key's validation result (org.apache.kafka.common.config.ConfigValue). */
export class ConfigValue {
  readonly name: string;
  value: unknown;
  recommendedValues: unknown[];
  readonly errors: string[];
  visible: boolean;

  constructor(name: string, value: unknown = null, recommendedValues: unknown[] = [], errors: string[] = [], visible = true) {
    this.name = name;
    this.value = value;
    this.recommendedValues = recommendedValues;
    this.errors = errors;
    this.visible = visible;
  }

  addErrorMessage(message: string): void {
    this.errors.push(message);
  }

  toString(): string {
    return `[${this.name},${configValueText(this.value)},[${this.recommendedValues.map(configValueText).join(", ")}],[${this.errors.join(", ")}],${this.visible}]`;
  }
}

function lookup(props: ConfigProps): { has(name: string): boolean; get(name: string): unknown } {
  if (props instanceof Map) return props;
  const record = props as Readonly<Record<string, unknown>>;
  return { has: (name) => Object.hasOwn(record, name), get: (name) => record[name] };
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (typeof value !== "object") return typeof value;
  return (value as { constructor?: { name?: string } }).constructor?.name ?? "object";
}

const INT_TEXT = /^[+-]?\d+$/;
const LIST_SEPARATOR = /\s*,\s*/;

function parseInteger(name: string, value: unknown, trimmed: string, min: number, max: number, type: ConfigType): number {
  if (!INT_TEXT.test(trimmed)) throw new ConfigException(name, value, `Not a number of type ${type}`);
  const n = Number(trimmed);
  if (n < min || n > max) throw new ConfigException(name, value, `Not a number of type ${type}`);
  return n;
}

/**
 * A value of the given type from a string or a typed value (Kafka's ConfigDef.parseType).
 * Strings are trimmed. null stays null.
 */
export function parseType(name: string, value: unknown, type: ConfigType): unknown {
  if (value === null || value === undefined) return null;
  const trimmed = typeof value === "string" ? value.trim() : null;
  switch (type) {
    case "BOOLEAN":
      if (typeof value === "boolean") return value;
      if (trimmed !== null && (trimmed.toLowerCase() === "true" || trimmed.toLowerCase() === "false")) return trimmed.toLowerCase() === "true";
      throw new ConfigException(name, value, "Expected value to be either true or false");
    case "PASSWORD":
      if (value instanceof Password) return value;
      if (trimmed !== null) return new Password(trimmed);
      throw new ConfigException(name, value, `Expected value to be a string, but it was a ${typeName(value)}`);
    case "STRING":
      if (trimmed !== null) return trimmed;
      throw new ConfigException(name, value, `Expected value to be a string, but it was a ${typeName(value)}`);
    case "INT":
      if (typeof value === "number" && Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31) return value;
      if (trimmed !== null) return parseInteger(name, value, trimmed, -(2 ** 31), 2 ** 31 - 1, type);
      throw new ConfigException(name, value, `Expected value to be a 32-bit integer, but it was a ${typeName(value)}`);
    case "SHORT":
      if (typeof value === "number" && Number.isInteger(value) && value >= -32768 && value <= 32767) return value;
      if (trimmed !== null) return parseInteger(name, value, trimmed, -32768, 32767, type);
      throw new ConfigException(name, value, `Expected value to be a 16-bit integer (short), but it was a ${typeName(value)}`);
    case "LONG":
      // Kept as numbers: exact to 2^53, which every duration and size in practice is.
      if (typeof value === "number" && Number.isInteger(value)) return value;
      if (typeof value === "bigint" && value >= -(2n ** 63n) && value < 2n ** 63n) return Number(value);
      if (trimmed !== null) {
        if (!INT_TEXT.test(trimmed) || BigInt(trimmed) < -(2n ** 63n) || BigInt(trimmed) >= 2n ** 63n) {
          throw new ConfigException(name, value, `Not a number of type ${type}`);
        }
        return Number(trimmed);
      }
      throw new ConfigException(name, value, `Expected value to be a 64-bit integer, but it was a ${typeName(value)}`);
    case "DOUBLE":
      if (typeof value === "number") return value;
      if (trimmed !== null) {
        const n = trimmed === "" ? Number.NaN : Number(trimmed);
        if (Number.isNaN(n) && trimmed !== "NaN") throw new ConfigException(name, value, `Not a number of type ${type}`);
        return n;
      }
      throw new ConfigException(name, value, `Expected value to be a double, but it was a ${typeName(value)}`);
    case "LIST":
      if (Array.isArray(value)) return value;
      if (trimmed !== null) return trimmed === "" ? [] : trimmed.split(LIST_SEPARATOR);
      throw new ConfigException(name, value, "Expected a comma separated list.");
    case "CLASS":
      if (trimmed !== null) return trimmed;
      if (typeof value === "function" && value.name !== "") return value.name;
      throw new ConfigException(name, value, "Expected a Class instance or class name.");
    default:
      throw new ConfigException(name, value, `Unknown type ${String(type)}`);
  }
}

/**
 * The string form of a parsed value (Kafka's ConfigDef.convertToString): lists joined with
 * commas, doubles as Java prints them ("1.0"), passwords as "[hidden]".
 */
export function convertToString(value: unknown, type: ConfigType | null): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Password) return Password.HIDDEN;
  switch (type) {
    case "LIST":
      return Array.isArray(value) ? value.map((v) => String(v)).join(",") : String(value);
    case "DOUBLE":
      return typeof value === "number" ? javaDoubleToString(value) : String(value);
    case "CLASS":
      return typeof value === "function" ? value.name : String(value);
    default:
      return String(value);
  }
}

export class ConfigDef {
  static readonly NO_DEFAULT_VALUE = NO_DEFAULT_VALUE;
  readonly #keys = new Map<string, ConfigKey>();
  readonly #groups: string[] = [];

  /** Adds a key (a definition or a ConfigKey); a name can be defined once. */
  define(definition: ConfigKeyDefinition | ConfigKey): this {
    const key = definition instanceof ConfigKey ? definition : new ConfigKey(definition);
    if (this.#keys.has(key.name)) throw new ConfigException(`Configuration ${key.name} is defined twice.`);
    if (key.group !== null && !this.#groups.includes(key.group)) this.#groups.push(key.group);
    this.#keys.set(key.name, key);
    return this;
  }

  /** The keys in definition order. */
  configKeys(): ReadonlyMap<string, ConfigKey> {
    return this.#keys;
  }

  names(): string[] {
    return [...this.#keys.keys()];
  }

  /** The groups in the order they first appeared. */
  groups(): string[] {
    return [...this.#groups];
  }

  /** The parsed defaults of the keys that have one. */
  defaultValues(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const key of this.#keys.values()) if (key.hasDefault()) out[key.name] = key.defaultValue;
    return out;
  }

  /**
   * Adds another ConfigDef's keys under a prefix (Kafka's embed, which Connect uses for
   * `transforms.<alias>.` keys): groups become "<groupPrefix>: <group>", orders count from
   * startingOrd, and validators still name the key without its prefix.
   */
  embed(keyPrefix: string, groupPrefix: string, startingOrd: number, child: ConfigDef): this {
    let order = startingOrd;
    for (const key of child.configKeys().values()) {
      const validator = key.validator;
      const recommender = key.recommender;
      const strip = (parsed: Readonly<Record<string, unknown>>): Record<string, unknown> => {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(parsed)) if (k.startsWith(keyPrefix)) out[k.slice(keyPrefix.length)] = v;
        return out;
      };
      this.define(
        new ConfigKey({
          name: keyPrefix + key.name,
          type: key.type,
          ...(key.hasDefault() ? { defaultValue: key.defaultValue } : {}),
          validator:
            validator === null
              ? null
              : { ensureValid: (name, value) => validator.ensureValid(name.slice(keyPrefix.length), value), toString: () => validator.toString() },
          importance: key.importance,
          documentation: key.documentation,
          group: key.group === null ? groupPrefix : `${groupPrefix}: ${key.group}`,
          orderInGroup: order++,
          width: key.width,
          displayName: key.displayName,
          dependents: key.dependents.map((d) => keyPrefix + d),
          recommender:
            recommender === null
              ? null
              : {
                  validValues: (name, parsed) => recommender.validValues(name.slice(keyPrefix.length), strip(parsed)),
                  visible: (name, parsed) => recommender.visible(name.slice(keyPrefix.length), strip(parsed)),
                },
          internal: key.internalConfig,
        }),
      );
    }
    return this;
  }

  #checkDependents(): void {
    const undefinedKeys = new Set<string>();
    for (const key of this.#keys.values()) for (const d of key.dependents) if (!this.#keys.has(d)) undefinedKeys.add(d);
    if (undefinedKeys.size > 0) {
      throw new ConfigException(`Some configurations in are referred in the dependents, but not defined: ${[...undefinedKeys].join(",")}`);
    }
  }

  /**
   * The parsed value of every defined key (given, or the default); keys that are not defined
   * are ignored. Throws the first ConfigException: a missing required key, a value of the wrong
   * type, a value its validator rejects.
   */
  parse(props: ConfigProps): Record<string, unknown> {
    this.#checkDependents();
    const given = lookup(props);
    const values: Record<string, unknown> = {};
    for (const key of this.#keys.values()) {
      let value: unknown;
      if (given.has(key.name)) value = parseType(key.name, given.get(key.name), key.type);
      else if (!key.hasDefault()) throw new ConfigException(`Missing required configuration "${key.name}" which has no default value.`);
      else value = key.defaultValue;
      if (key.validator !== null) key.validator.ensureValid(key.name, value);
      values[key.name] = value;
    }
    return values;
  }

  /**
   * Validates every key without stopping at the first problem: one ConfigValue per defined key,
   * in definition order, with the parsed value, its errors, and the recommender's valid values
   * and visibility (what /config/validate answers with).
   */
  validate(props: ConfigProps): ConfigValue[] {
    return [...this.validateAll(props).values()];
  }

  validateAll(props: ConfigProps): Map<string, ConfigValue> {
    this.#checkDependents();
    const given = lookup(props);
    const results = new Map<string, ConfigValue>();
    for (const name of this.#keys.keys()) results.set(name, new ConfigValue(name));
    const parsed: Record<string, unknown> = {};
    const roots = this.#roots();

    const parsedKeys = new Set<string>();
    const parseKey = (name: string): void => {
      const key = this.#keys.get(name);
      if (key === undefined || parsedKeys.has(name)) return;
      parsedKeys.add(name);
      const result = results.get(name) as ConfigValue;
      let value: unknown = null;
      if (given.has(name)) {
        try {
          value = parseType(name, given.get(name), key.type);
        } catch (e) {
          if (!(e instanceof ConfigException)) throw e;
          result.addErrorMessage(e.message);
        }
      } else if (!key.hasDefault()) {
        result.addErrorMessage(`Missing required configuration "${name}" which has no default value.`);
      } else {
        value = key.defaultValue;
      }
      if (key.validator !== null) {
        try {
          key.validator.ensureValid(name, value);
        } catch (e) {
          if (!(e instanceof ConfigException)) throw e;
          result.addErrorMessage(e.message);
        }
      }
      result.value = value;
      parsed[name] = value;
      for (const d of key.dependents) parseKey(d);
    };
    for (const name of roots) parseKey(name);
    for (const name of this.#keys.keys()) parseKey(name);

    const recommended = new Set<string>();
    const recommend = (name: string): void => {
      const key = this.#keys.get(name);
      if (key === undefined || recommended.has(name)) return;
      recommended.add(name);
      const result = results.get(name) as ConfigValue;
      if (key.recommender !== null) {
        try {
          let values = key.recommender.validValues(name, parsed);
          if (result.recommendedValues.length > 0) {
            const earlier = new Set(result.recommendedValues);
            values = values.filter((v) => earlier.has(v));
          }
          result.recommendedValues = values;
          result.visible = key.recommender.visible(name, parsed);
        } catch (e) {
          if (!(e instanceof ConfigException)) throw e;
          result.addErrorMessage(e.message);
        }
      }
      for (const d of key.dependents) recommend(d);
    };
    for (const name of roots) recommend(name);
    for (const name of this.#keys.keys()) recommend(name);
    return results;
  }

  /** Keys that are nobody's dependent, where validation starts (Kafka's getConfigsWithNoParent). */
  #roots(): string[] {
    const dependents = new Set<string>();
    for (const key of this.#keys.values()) for (const d of key.dependents) dependents.add(d);
    return [...this.#keys.keys()].filter((name) => !dependents.has(name));
  }

  static readonly parseType = parseType;
  static readonly convertToString = convertToString;
}

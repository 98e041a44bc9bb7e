// ConfigDef validators, with Kafka's names, factories, messages and toString()s (the toString
// is the "Valid Values" column of generated docs):
//   Range.atLeast(1) → [1,...]      ValidString.in("a", "b") → [a, b]
//   CaseInsensitiveValidString.in("numeric", "base64") → (case insensitive) [NUMERIC, BASE64]
//   ValidList.in("x", "y") → [x, y] (each element one of them, no duplicates)
//   NonEmptyString, NonNullValidator, NonEmptyStringWithoutControlChars, ListSize.atMostOfSize(n),
//   CompositeValidator.of(...), LambdaValidator.with(fn, description)
import { ConfigException } from "./config-exception.ts";

export interface Validator {
  /** Throws a ConfigException when the (parsed) value is not valid for the config `name`. */
  ensureValid(name: string, value: unknown): void;
  toString(): string;
}

export class Range implements Validator {
  readonly #min: number | null;
  readonly #max: number | null;

  private constructor(min: number | null, max: number | null) {
    this.#min = min;
    this.#max = max;
  }

  static atLeast(min: number): Range {
    return new Range(min, null);
  }

  static between(min: number, max: number): Range {
    return new Range(min, max);
  }

  ensureValid(name: string, value: unknown): void {
    if (value === null || value === undefined) throw new ConfigException(name, null, "Value must be non-null");
    const n = Number(value);
    if (this.#min !== null && n < this.#min) throw new ConfigException(name, value, `Value must be at least ${this.#min}`);
    if (this.#max !== null && n > this.#max) throw new ConfigException(name, value, `Value must be no more than ${this.#max}`);
  }

  toString(): string {
    if (this.#min === null) return `[...,${this.#max}]`;
    return this.#max === null ? `[${this.#min},...]` : `[${this.#min},...,${this.#max}]`;
  }
}

export class ValidString implements Validator {
  readonly validStrings: readonly string[];

  private constructor(validStrings: readonly string[]) {
    this.validStrings = validStrings;
  }

  static in(...validStrings: string[]): ValidString {
    return new ValidString(validStrings);
  }

  ensureValid(name: string, value: unknown): void {
    if (typeof value !== "string" || !this.validStrings.includes(value)) {
      throw new ConfigException(name, value, `String must be one of: ${this.validStrings.join(", ")}`);
    }
  }

  toString(): string {
    return `[${this.validStrings.join(", ")}]`;
  }
}

export class CaseInsensitiveValidString implements Validator {
  readonly validStrings: readonly string[];

  private constructor(validStrings: readonly string[]) {
    this.validStrings = validStrings.map((s) => s.toUpperCase());
  }

  static in(...validStrings: string[]): CaseInsensitiveValidString {
    return new CaseInsensitiveValidString(validStrings);
  }

  ensureValid(name: string, value: unknown): void {
    if (typeof value !== "string" || !this.validStrings.includes(value.toUpperCase())) {
      throw new ConfigException(name, value, `String must be one of (case insensitive): ${this.validStrings.join(", ")}`);
    }
  }

  toString(): string {
    return `(case insensitive) [${this.validStrings.join(", ")}]`;
  }
}

/** A LIST whose elements are distinct (and, with valid strings given, each one of them). */
export class ValidList implements Validator {
  readonly #validString: ValidString | null;
  readonly #isEmptyAllowed: boolean;
  readonly #isNullAllowed: boolean;

  private constructor(validString: ValidString | null, isEmptyAllowed: boolean, isNullAllowed: boolean) {
    this.#validString = validString;
    this.#isEmptyAllowed = isEmptyAllowed;
    this.#isNullAllowed = isNullAllowed;
  }

  /** ValidList.in("a", "b") (an empty list is valid) or ValidList.in(isEmptyAllowed, "a", "b"). */
  static in(...args: [boolean, ...string[]] | string[]): ValidList {
    const isEmptyAllowed = typeof args[0] === "boolean" ? args[0] : true;
    const strings = (typeof args[0] === "boolean" ? args.slice(1) : args) as string[];
    return new ValidList(ValidString.in(...strings), isEmptyAllowed, false);
  }

  /** Any values, without duplicates or empty strings. */
  static anyNonDuplicateValues(isEmptyAllowed: boolean, isNullAllowed: boolean): ValidList {
    return new ValidList(null, isEmptyAllowed, isNullAllowed);
  }

  ensureValid(name: string, value: unknown): void {
    if (value === null || value === undefined) {
      if (this.#isNullAllowed) return;
      throw new ConfigException(`Configuration '${name}' values must not be null.`);
    }
    const list = value as unknown[];
    if (list.length === 0) {
      if (this.#isEmptyAllowed) return;
      throw new ConfigException(`Configuration '${name}' must not be empty. Valid values include: ${this.#validString?.toString() ?? "any non-empty value"}`);
    }
    if (new Set(list).size !== list.length) throw new ConfigException(`Configuration '${name}' values must not be duplicated.`);
    for (const element of list) {
      if (this.#validString !== null) this.#validString.ensureValid(name, element);
      else if (element === "") throw new ConfigException(`Configuration '${name}' values must not be empty.`);
    }
  }

  toString(): string {
    return this.#validString?.toString() ?? "";
  }
}

export class NonEmptyString implements Validator {
  ensureValid(name: string, value: unknown): void {
    if (value === "") throw new ConfigException(name, value, "String must be non-empty");
  }

  toString(): string {
    return "non-empty string";
  }
}

export class NonNullValidator implements Validator {
  ensureValid(name: string, value: unknown): void {
    if (value === null || value === undefined) throw new ConfigException(name, null, "entry must be non null");
  }

  toString(): string {
    return "non-null string";
  }
}

export class NonEmptyStringWithoutControlChars implements Validator {
  ensureValid(name: string, value: unknown): void {
    if (value === null || value === undefined) return;
    const s = String(value);
    if (s === "") throw new ConfigException(name, value, "String may not be empty");
    const controls: number[] = [];
    for (const ch of s) {
      const code = ch.codePointAt(0) as number;
      if (code <= 0x1f || (code >= 0x7f && code <= 0x9f)) controls.push(code);
    }
    if (controls.length > 0) {
      throw new ConfigException(name, value, `String may not contain control sequences but had the following ASCII chars: ${controls.join(", ")}`);
    }
  }

  toString(): string {
    return "non-empty string without ISO control characters";
  }
}

export class ListSize implements Validator {
  readonly #maxSize: number;

  private constructor(maxSize: number) {
    this.#maxSize = maxSize;
  }

  static atMostOfSize(maxSize: number): ListSize {
    return new ListSize(maxSize);
  }

  ensureValid(name: string, value: unknown): void {
    if (Array.isArray(value) && value.length > this.#maxSize) {
      throw new ConfigException(name, value, `exceeds maximum list size of [${this.#maxSize}].`);
    }
  }

  toString(): string {
    return `List containing maximum of ${this.#maxSize} elements`;
  }
}

/** Every validator in turn. */
export class CompositeValidator implements Validator {
  readonly #validators: readonly Validator[];

  private constructor(validators: readonly Validator[]) {
    this.#validators = validators;
  }

  static of(...validators: Validator[]): CompositeValidator {
    return new CompositeValidator(validators);
  }

  ensureValid(name: string, value: unknown): void {
    for (const v of this.#validators) v.ensureValid(name, value);
  }

  toString(): string {
    return this.#validators.map((v) => v.toString()).join(", ");
  }
}

/** A validator from a function (which throws a ConfigException) and a description. */
export class LambdaValidator implements Validator {
  readonly #ensureValid: (name: string, value: unknown) => void;
  readonly #description: () => string;

  private constructor(ensureValid: (name: string, value: unknown) => void, description: () => string) {
    this.#ensureValid = ensureValid;
    this.#description = description;
  }

  static with(ensureValid: (name: string, value: unknown) => void, description: () => string): LambdaValidator {
    return new LambdaValidator(ensureValid, description);
  }

  ensureValid(name: string, value: unknown): void {
    this.#ensureValid(name, value);
  }

  toString(): string {
    return this.#description();
  }
}

// A PASSWORD-type config value (org.apache.kafka.common.config.types.Password): the secret is
// only readable through value(); every way of printing it (toString, JSON, console.log/inspect)
// gives "[hidden]", so secrets do not reach logs or REST responses by accident.
const INSPECT = Symbol.for("nodejs.util.inspect.custom");

export class Password {
  static readonly HIDDEN = "[hidden]";
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
    Object.freeze(this);
  }

  /** The secret itself. */
  value(): string {
    return this.#value;
  }

  equals(other: unknown): boolean {
    return other instanceof Password && other.#value === this.#value;
  }

  toString(): string {
    return Password.HIDDEN;
  }

  toJSON(): string {
    return Password.HIDDEN;
  }

  [INSPECT](): string {
    return Password.HIDDEN;
  }
}

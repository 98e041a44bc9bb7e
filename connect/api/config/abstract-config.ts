// A parsed configuration with typed getters (org.apache.kafka.common.config.AbstractConfig),
// the usual base of a connector's config class:
//   class MySourceConfig extends AbstractConfig {
//     constructor(props: ConfigProps) { super(CONFIG_DEF, props); }
//     get topic(): string { return this.getString("topic") as string; }
//   }
// The constructor parses (and so validates) the props; it throws a ConfigException.
import { ConfigException } from "./config-exception.ts";
import type { ConfigDef, ConfigProps, ConfigType } from "./config-def.ts";
import type { Password } from "./password.ts";

export class AbstractConfig {
  readonly #definition: ConfigDef;
  readonly #originals: Readonly<Record<string, unknown>>;
  readonly #values: Readonly<Record<string, unknown>>;

  constructor(definition: ConfigDef, originals: ConfigProps) {
    this.#definition = definition;
    this.#originals = Object.freeze(originals instanceof Map ? Object.fromEntries(originals) : { ...(originals as Readonly<Record<string, unknown>>) });
    this.#values = Object.freeze(definition.parse(this.#originals));
  }

  definition(): ConfigDef {
    return this.#definition;
  }

  /** The parsed value of a defined key. */
  get(key: string): unknown {
    if (!Object.hasOwn(this.#values, key)) throw new ConfigException(`Unknown configuration '${key}'`);
    return this.#values[key];
  }

  #typed(key: string, ...types: ConfigType[]): unknown {
    const value = this.get(key);
    const type = this.#definition.configKeys().get(key)?.type;
    if (type !== undefined && !types.includes(type)) throw new ConfigException(`Configuration '${key}' is of type ${type}, not ${types.join(" or ")}`);
    return value;
  }

  getString(key: string): string | null {
    return this.#typed(key, "STRING") as string | null;
  }
  getInt(key: string): number | null {
    return this.#typed(key, "INT") as number | null;
  }
  getShort(key: string): number | null {
    return this.#typed(key, "SHORT") as number | null;
  }
  getLong(key: string): number | null {
    return this.#typed(key, "LONG") as number | null;
  }
  getDouble(key: string): number | null {
    return this.#typed(key, "DOUBLE") as number | null;
  }
  getBoolean(key: string): boolean | null {
    return this.#typed(key, "BOOLEAN") as boolean | null;
  }
  getList(key: string): string[] | null {
    return this.#typed(key, "LIST") as string[] | null;
  }
  getPassword(key: string): Password | null {
    return this.#typed(key, "PASSWORD") as Password | null;
  }
  /** A CLASS key's class or alias name. */
  getClass(key: string): string | null {
    return this.#typed(key, "CLASS") as string | null;
  }

  /** The props as given, defined or not. */
  originals(): Record<string, unknown> {
    return { ...this.#originals };
  }

  /** The props as given whose values are strings. */
  originalsStrings(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.#originals)) if (typeof v === "string") out[k] = v;
    return out;
  }

  /** The props whose keys start with the prefix, the prefix removed unless strip is false. */
  originalsWithPrefix(prefix: string, strip = true): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(this.#originals)) if (k.startsWith(prefix)) out[strip ? k.slice(prefix.length) : k] = v;
    return out;
  }

  /** Every defined key's parsed value. */
  values(): Record<string, unknown> {
    return { ...this.#values };
  }
}

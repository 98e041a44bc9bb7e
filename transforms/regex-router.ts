// RegexRouter (org.apache.kafka.connect.transforms.RegexRouter): when the whole topic name
// matches `regex`, renames the topic to `replacement` ($1, $2 ... refer to capture groups), as
// Java's Matcher.matches() + replaceFirst. Patterns are JavaScript regular expressions, which
// agree with Java's for the usual constructs.
import { ConfigDef, ConfigException, type ConnectRecord, definePlugin, Transformation, type PluginConfigs, type Validator } from "../connect/api/index.ts";
import { HUB_TRANSFORMS_VERSION, KAFKA_TRANSFORMS_PACKAGE } from "./util.ts";

/** Kafka's RegexValidator: the value must compile as a regular expression. */
export const REGEX_VALIDATOR: Validator = {
  ensureValid(name: string, value: unknown): void {
    if (value === null || value === undefined) return;
    try {
      new RegExp(String(value));
    } catch (error) {
      throw new ConfigException(name, value, `Invalid regex: ${(error as Error).message}`);
    }
  },
  toString: () => "valid regex",
};

/** A pattern that must match the whole input, as Java's Matcher.matches(). */
export function fullMatchRegExp(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`);
}

export const REGEX_ROUTER_CONFIG = new ConfigDef()
  .define({ name: "regex", type: "STRING", validator: REGEX_VALIDATOR, importance: "HIGH", documentation: "Regular expression to use for matching." })
  .define({ name: "replacement", type: "STRING", importance: "HIGH", documentation: "Replacement string." });

/** Topics whose routing is remembered: a connector writes to few topics, and matching every record's topic again costs. */
const ROUTES_CACHED = 1000;

export class RegexRouter extends Transformation {
  #regex = /$^/;
  #replacement = "";
  /** topic → the routed topic, or null when the regex does not match it. */
  readonly #routes = new Map<string, string | null>();

  override configure(configs: PluginConfigs): void {
    const c = REGEX_ROUTER_CONFIG.parse(configs);
    this.#regex = fullMatchRegExp(c["regex"] as string);
    this.#replacement = c["replacement"] as string;
    this.#routes.clear();
  }

  override apply(record: ConnectRecord): ConnectRecord | null {
    const routed = this.#route(record.topic);
    return routed === null ? record : record.newRecord({ topic: routed });
  }

  #route(topic: string): string | null {
    let routed = this.#routes.get(topic);
    if (routed === undefined) {
      routed = this.#regex.test(topic) ? topic.replace(this.#regex, this.#replacement) : null;
      if (this.#routes.size >= ROUTES_CACHED) this.#routes.clear();
      this.#routes.set(topic, routed);
    }
    return routed;
  }

  override config(): ConfigDef {
    return REGEX_ROUTER_CONFIG;
  }
}

export const regexRouterPlugin = definePlugin({
  name: "RegexRouter",
  kind: "transformation",
  version: HUB_TRANSFORMS_VERSION,
  aliases: [`${KAFKA_TRANSFORMS_PACKAGE}.RegexRouter`],
  configDef: REGEX_ROUTER_CONFIG,
  doc: "Update the record topic using the configured regular expression and replacement string.",
  create: () => new RegexRouter(),
});

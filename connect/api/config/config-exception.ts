// Kafka's ConfigException (org.apache.kafka.common.config.ConfigException): its messages are
// what users see in REST validation answers, so they follow Kafka's word for word:
//   Invalid value abc for configuration x: Not a number of type INT
//   Missing required configuration "x" which has no default value.
import { Password } from "./password.ts";

/** Java's String.valueOf for config values: lists as "[a, b]", passwords hidden. */
export function configValueText(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return `[${value.map(configValueText).join(", ")}]`;
  if (value instanceof Password) return Password.HIDDEN;
  return String(value);
}

export class ConfigException extends Error {
  override name = "ConfigException";

  /** new ConfigException(message) or new ConfigException(name, value, message?) as in Kafka. */
  constructor(nameOrMessage: string, ...rest: [] | [value: unknown, message?: string | null]) {
    super(
      rest.length === 0
        ? nameOrMessage
        : `Invalid value ${configValueText(rest[0])} for configuration ${nameOrMessage}${rest[1] == null ? "" : `: ${rest[1]}`}`,
    );
  }
}

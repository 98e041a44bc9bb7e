// The JSON and docs forms of a ConfigDef: the entries of GET /connector-plugins/{plugin}/config
// (Kafka's ConfigKeyInfo), the "value" objects of PUT .../config/validate (ConfigValueInfo),
// and the Markdown table of a connector's README.
import { type ConfigDef, type ConfigKey, type ConfigType, type ConfigValue, convertToString } from "./config-def.ts";

/** One key as GET /connector-plugins/{plugin}/config shows it (Kafka 4's ConfigKeyInfo, its field names). */
export interface ConfigKeyInfo {
  name: string;
  type: ConfigType;
  required: boolean;
  default_value: string | null;
  importance: string;
  documentation: string;
  group: string | null;
  /** The key's position in its group (-1: none). */
  order_in_group: number;
  width: string;
  display_name: string;
  dependents: string[];
}

/** One key's result as PUT /connector-plugins/{plugin}/config/validate shows it. */
export interface ConfigValueInfo {
  name: string;
  value: string | null;
  recommended_values: string[];
  errors: string[];
  visible: boolean;
}

export function configKeyInfo(key: ConfigKey): ConfigKeyInfo {
  return {
    name: key.name,
    type: key.type,
    required: !key.hasDefault(),
    default_value: key.hasDefault() ? convertToString(key.defaultValue, key.type) : null,
    importance: key.importance,
    documentation: key.documentation,
    group: key.group,
    order_in_group: key.orderInGroup,
    width: key.width,
    display_name: key.displayName,
    dependents: [...key.dependents],
  };
}

/** The keys of a ConfigDef (internal ones left out) in definition order. */
export function configDefToJson(def: ConfigDef): ConfigKeyInfo[] {
  return [...def.configKeys().values()].filter((k) => !k.internalConfig).map(configKeyInfo);
}

/** A validation result, values in their string form (passwords "[hidden]"). */
export function configValueToJson(value: ConfigValue, type: ConfigType | null): ConfigValueInfo {
  // Recommended values of a LIST key are single elements, shown as strings (as Kafka does).
  const recommendedType = type === "LIST" ? "STRING" : type;
  return {
    name: value.name,
    value: convertToString(value.value, type),
    recommended_values: value.recommendedValues.map((v) => convertToString(v, recommendedType) ?? "null"),
    errors: [...value.errors],
    visible: value.visible,
  };
}

const IMPORTANCE_ORDER: Record<string, number> = { HIGH: 0, MEDIUM: 1, LOW: 2 };

function cell(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

/**
 * A Markdown table of the keys, in Kafka's docs order (required first, then by importance,
 * then by name): name, description, type, default, valid values, importance.
 */
export function configDefToMarkdown(def: ConfigDef): string {
  const keys = [...def.configKeys().values()]
    .filter((k) => !k.internalConfig)
    .sort(
      (a, b) =>
        Number(a.hasDefault()) - Number(b.hasDefault()) ||
        (IMPORTANCE_ORDER[a.importance] ?? 3) - (IMPORTANCE_ORDER[b.importance] ?? 3) ||
        (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    );
  const lines = ["| Name | Description | Type | Default | Valid values | Importance |", "|---|---|---|---|---|---|"];
  for (const k of keys) {
    let dflt = "";
    if (k.hasDefault()) {
      const text = convertToString(k.defaultValue, k.type);
      dflt = text === null ? "null" : text === "" ? '""' : text;
    }
    const valid = k.validator?.toString() ?? "";
    lines.push(`| \`${cell(k.name)}\` | ${cell(k.documentation)} | ${k.type.toLowerCase()} | ${cell(dflt)} | ${cell(valid)} | ${k.importance.toLowerCase()} |`);
  }
  return `${lines.join("\n")}\n`;
}

// Column defaults in the schema, as Debezium's PostgresDefaultValueConverter derives them from
// the default expression (pg_get_expr's text). Only the types it has a mapper for get one; the
// literal is the text between the first pair of single quotes (or the whole expression when it
// has none); a function call (nextval(...), now(), gen_random_uuid()) stands for a per-type
// placeholder (0, "", 1970-01-01, ...); anything that does not parse gives no default.

/** A function call at the start of the expression (Debezium's FUNCTION_DEFAULT_PATTERN). */
const FUNCTION_DEFAULT = /^[(]?[A-Za-z0-9_]+\((?:.+(?:, ?.+)*)?\)/;

/** The literal of an expression: inside the first '...' (lazily, so '' escapes cut it short, as Debezium's), else all of it. */
function literalOf(expression: string): string {
  if (!expression.includes("'")) return expression;
  return /'(.*?)'/.exec(expression)?.[1] ?? expression;
}

function extract(expression: string, generated: string): string {
  return FUNCTION_DEFAULT.test(expression) ? generated : literalOf(expression);
}

interface DefaultRule {
  /** The placeholder for a function default. */
  generated: string;
  /** Whether "NULL::type" means no default (Debezium's parseNullDefault). */
  nullMeansNone: boolean;
  /** Turns Debezium's extracted text into the type's text output for the column converter; null: no default. */
  toText?: (literal: string) => string | null;
}

const INTEGER = (text: string): string | null => (/^[+-]?\d+$/.test(text) ? text.replace(/^\+/, "") : null);
const NUMBER = (text: string): string | null => (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) || /^(NaN|[+-]?Infinity)$/.test(text) ? text : null);

const RULES: Readonly<Record<string, DefaultRule>> = {
  bit: { generated: "00", nullMeansNone: false },
  varbit: { generated: "0", nullMeansNone: false },
  // Boolean.parseBoolean: "true" (any case) is true, anything else false
  bool: { generated: "false", nullMeansNone: true, toText: (t) => (t.toLowerCase() === "true" ? "t" : "f") },
  bpchar: { generated: "", nullMeansNone: false },
  varchar: { generated: "", nullMeansNone: false },
  text: { generated: "", nullMeansNone: false },
  numeric: { generated: "0.0", nullMeansNone: true, toText: NUMBER },
  float4: { generated: "0.0", nullMeansNone: true, toText: NUMBER },
  float8: { generated: "0.0", nullMeansNone: true, toText: NUMBER },
  int2: { generated: "0", nullMeansNone: true, toText: INTEGER },
  int4: { generated: "0", nullMeansNone: true, toText: INTEGER },
  int8: { generated: "0", nullMeansNone: true, toText: INTEGER },
  json: { generated: "{}", nullMeansNone: false },
  jsonb: { generated: "{}", nullMeansNone: false },
  xml: { generated: "", nullMeansNone: false },
  uuid: {
    generated: "00000000-0000-0000-0000-000000000000",
    nullMeansNone: false,
    toText: (t) => (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(t) ? t.toLowerCase() : null),
  },
  date: { generated: "1970-01-01", nullMeansNone: false },
  time: { generated: "00:00", nullMeansNone: false, toText: (t) => (/^\d{2}:\d{2}$/.test(t) ? `${t}:00` : t) },
  timestamp: { generated: "1970-01-01", nullMeansNone: false, toText: (t) => (/^\d{4,}-\d{2}-\d{2}$/.test(t) ? `${t} 00:00:00` : t) },
  timestamptz: { generated: "1970-01-01", nullMeansNone: false, toText: (t) => (/^\d{4,}-\d{2}-\d{2}$/.test(t) ? `${t} 00:00:00+00` : t) },
  interval: { generated: "00:00:00", nullMeansNone: false },
};

/**
 * The text (in the type's output format) of the column's default as Debezium derives it, or
 * null for no default. The caller converts it with the column's converter (a failure, or a
 * struct value such as VariableScaleDecimal, also means no default).
 */
export function defaultText(typeName: string, expression: string): string | null {
  const rule = RULES[typeName];
  if (rule === undefined) return null;
  if (rule.nullMeansNone && expression.startsWith("NULL::")) return null;
  const literal = extract(expression, rule.generated);
  return rule.toText === undefined ? literal : rule.toText(literal);
}

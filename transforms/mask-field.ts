// MaskField (org.apache.kafka.connect.transforms.MaskField$Key / $Value): replaces the listed
// fields with their type's "empty" value (false, 0, "", an empty array or map, the epoch for
// dates, zero for decimals) or, with `replacement`, with that text converted to the field's
// type (numbers and strings only, as in Kafka).
import { ConfigDef, type ConnectRecord, DataException, Decimal, inferSchemaType, isPlainObject, NonEmptyString, type Schema, Struct, Transformation, ValidList, type PluginConfigs } from "../connect/api/index.ts";
import { KAFKA_TRANSFORMS_PACKAGE, keyValuePlugins, operatingSchema, operatingValue, REPLACE_NULL_WITH_DEFAULT_DOC, requireMap, requireStruct, type Side, structGet, withOperated } from "./util.ts";

const PURPOSE = "mask fields";

export const MASK_FIELD_CONFIG = new ConfigDef()
  .define({ name: "fields", type: "LIST", validator: ValidList.anyNonDuplicateValues(false, false), importance: "HIGH", documentation: "Names of fields to mask." })
  .define({ name: "replacement", type: "STRING", defaultValue: null, validator: new NonEmptyString(), importance: "LOW", documentation: "Custom value replacement, that will be applied to all 'fields' values (numeric or non-empty string values only)." })
  .define({ name: "replace.null.with.default", type: "BOOLEAN", defaultValue: true, importance: "MEDIUM", documentation: REPLACE_NULL_WITH_DEFAULT_DOC });

/** The Connect type of a value: the field's schema when there is one, else inferred. */
function typeOf(schema: Schema | null, value: unknown): string | null {
  if (schema !== null) return schema.name === Decimal.LOGICAL_NAME ? "DECIMAL" : value instanceof Date ? "DATE" : schema.type;
  if (value instanceof Decimal) return "DECIMAL";
  if (value instanceof Date) return "DATE";
  if (value instanceof Map || isPlainObject(value)) return "MAP";
  return inferSchemaType(value);
}

function parseInteger(text: string, min: number, max: number): number {
  if (!/^[+-]?\d+$/.test(text) || Number(text) < min || Number(text) > max) throw new Error("not a number");
  return Number(text);
}

export class MaskField extends Transformation {
  readonly #side: Side;
  #fields: ReadonlySet<string> = new Set();
  #replacement: string | null = null;
  #replaceNullWithDefault = true;

  constructor(side: Side) {
    super();
    this.#side = side;
  }

  override configure(configs: PluginConfigs): void {
    const c = MASK_FIELD_CONFIG.parse(configs);
    this.#fields = new Set(c["fields"] as string[]);
    this.#replacement = c["replacement"] as string | null;
    this.#replaceNullWithDefault = c["replace.null.with.default"] as boolean;
  }

  #masked(schema: Schema | null, value: unknown): unknown {
    if (value === null || value === undefined) return null;
    const type = typeOf(schema, value);
    if (this.#replacement === null) {
      switch (type) {
        case "BOOLEAN": return false;
        case "INT8": case "INT16": case "INT32": case "FLOAT32": case "FLOAT64": return 0;
        case "INT64": return 0n;
        case "STRING": return "";
        case "DECIMAL": return schema === null ? Decimal.from(0) : Decimal.from(0).setScale(Decimal.scaleOf(schema));
        case "DATE": return new Date(0);
        case "ARRAY": return [];
        case "MAP": return schema === null && isPlainObject(value) ? {} : new Map();
        default: throw new DataException(`Cannot mask value of type: ${type}`);
      }
    }
    const text = this.#replacement;
    try {
      switch (type) {
        case "STRING": return text;
        case "INT8": return parseInteger(text, -128, 127);
        case "INT16": return parseInteger(text, -32768, 32767);
        case "INT32": return parseInteger(text, -(2 ** 31), 2 ** 31 - 1);
        case "INT64": {
          if (!/^[+-]?\d+$/.test(text)) throw new Error("not a number");
          return BigInt(text);
        }
        case "FLOAT32": case "FLOAT64": {
          const n = Number(text);
          if (text.trim() === "" || Number.isNaN(n)) throw new Error("not a number");
          return type === "FLOAT32" ? Math.fround(n) : n;
        }
        case "DECIMAL": return Decimal.parse(text);
      }
    } catch {
      throw new DataException(`Unable to convert ${text} (class java.lang.String) to number`);
    }
    throw new DataException(`Cannot mask value of type ${type} with custom replacement.`);
  }

  override apply(record: ConnectRecord): ConnectRecord | null {
    const schema = operatingSchema(record, this.#side);
    const value = operatingValue(record, this.#side);
    if (value === null || value === undefined) return record;
    if (schema === null) {
      const updated: Record<string, unknown> = { ...requireMap(value, PURPOSE) };
      for (const name of this.#fields) if (name in updated) updated[name] = this.#masked(null, updated[name]);
      return withOperated(record, this.#side, null, updated);
    }
    const struct = requireStruct(value, PURPOSE);
    const updated = new Struct(struct.schema);
    for (const field of struct.schema.fields) {
      const original = structGet(struct, field.name, this.#replaceNullWithDefault);
      updated.put(field.name, this.#fields.has(field.name) ? this.#masked(field.schema, original) : original);
    }
    return withOperated(record, this.#side, struct.schema, updated);
  }

  override config(): ConfigDef {
    return MASK_FIELD_CONFIG;
  }
}

export const [maskFieldKeyPlugin, maskFieldValuePlugin] = keyValuePlugins(
  "MaskField",
  `${KAFKA_TRANSFORMS_PACKAGE}.MaskField`,
  MASK_FIELD_CONFIG,
  "Mask specified fields with a valid null value for the field type",
  (side) => new MaskField(side),
);

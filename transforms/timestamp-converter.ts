// TimestampConverter (org.apache.kafka.connect.transforms.TimestampConverter$Key / $Value):
// converts a timestamp field (`field`, or the whole key/value when empty) between Unix epoch
// numbers (`unix.precision`), strings (`format`, a SimpleDateFormat pattern: the numeric subset,
// see simple-date-format.ts) and Connect's Date, Time and Timestamp logical types, all in UTC.
import {
  CaseInsensitiveValidString,
  ConfigDef,
  ConfigException,
  ConnectDate,
  type ConnectRecord,
  ConnectTime,
  ConnectTimestamp,
  DataException,
  MILLIS_PER_DAY,
  type Schema,
  SchemaBuilder,
  Struct,
  Transformation,
  ValidString,
  type PluginConfigs,
} from "../connect/api/index.ts";
import { simpleDateFormat, simpleDateParse } from "./simple-date-format.ts";
import { copySchemaBasics, KAFKA_TRANSFORMS_PACKAGE, keyValuePlugins, operatingSchema, operatingValue, REPLACE_NULL_WITH_DEFAULT_DOC, requireMap, requireStruct, type Side, structGet, withOperated } from "./util.ts";

const PURPOSE = "converting timestamp formats";
type Kind = "string" | "unix" | "Date" | "Time" | "Timestamp";

export const TIMESTAMP_CONVERTER_CONFIG = new ConfigDef()
  .define({ name: "field", type: "STRING", defaultValue: "", importance: "HIGH", documentation: "The field containing the timestamp, or empty if the entire value is a timestamp" })
  .define({ name: "target.type", type: "STRING", validator: ValidString.in("string", "unix", "Date", "Time", "Timestamp"), importance: "HIGH", documentation: "The desired timestamp representation: string, unix, Date, Time, or Timestamp" })
  .define({ name: "format", type: "STRING", defaultValue: "", importance: "MEDIUM", documentation: "A SimpleDateFormat-compatible format for the timestamp. Used to generate the output when type=string or used to parse the input if the input is a string." })
  .define({ name: "unix.precision", type: "STRING", defaultValue: "milliseconds", validator: CaseInsensitiveValidString.in("nanoseconds", "microseconds", "milliseconds", "seconds"), importance: "LOW", documentation: "The desired Unix precision for the timestamp: seconds, milliseconds, microseconds, or nanoseconds. Used to generate the output when type=unix or used to parse the input if the input is a Long." })
  .define({ name: "replace.null.with.default", type: "BOOLEAN", defaultValue: true, importance: "MEDIUM", documentation: REPLACE_NULL_WITH_DEFAULT_DOC });

const UNITS_PER_MS: Record<string, bigint> = { nanoseconds: 1_000_000n, microseconds: 1000n, milliseconds: 1n, seconds: 0n };

export class TimestampConverter extends Transformation {
  readonly #side: Side;
  #field = "";
  #target: Kind = "Timestamp";
  #format: ((d: Date) => string) | null = null;
  #parse: ((text: string) => Date) | null = null;
  #precision = "milliseconds";
  #replaceNullWithDefault = true;

  constructor(side: Side) {
    super();
    this.#side = side;
  }

  override configure(configs: PluginConfigs): void {
    const c = TIMESTAMP_CONVERTER_CONFIG.parse(configs);
    this.#field = c["field"] as string;
    this.#target = c["target.type"] as Kind;
    this.#precision = (c["unix.precision"] as string).toLowerCase();
    this.#replaceNullWithDefault = c["replace.null.with.default"] as boolean;
    const format = c["format"] as string;
    if (this.#target === "string" && format.trim() === "") throw new ConfigException("TimestampConverter requires format option to be specified when using string timestamps");
    if (format.trim() !== "") {
      try {
        this.#format = simpleDateFormat(format);
        this.#parse = simpleDateParse(format);
      } catch (error) {
        throw new ConfigException(`TimestampConverter requires a SimpleDateFormat-compatible pattern for string timestamps: ${format} (${(error as Error).message})`);
      }
    }
  }

  #kindOfSchema(schema: Schema): Kind {
    if (schema.name === ConnectTimestamp.LOGICAL_NAME) return "Timestamp";
    if (schema.name === ConnectDate.LOGICAL_NAME) return "Date";
    if (schema.name === ConnectTime.LOGICAL_NAME) return "Time";
    if (schema.type === "STRING") return "string";
    if (schema.type === "INT64") return "unix";
    throw new DataException(`Schema ${schema.toString()} does not correspond to a known timestamp type format`);
  }

  #kindOfValue(value: unknown): Kind {
    if (value instanceof Date) return "Timestamp";
    if (typeof value === "number" || typeof value === "bigint") return "unix";
    if (typeof value === "string") return "string";
    throw new DataException(`TimestampConverter does not support ${typeof value} objects as timestamps`);
  }

  #toDate(value: unknown, kind: Kind): Date {
    switch (kind) {
      case "string":
        if (this.#parse === null) throw new DataException("TimestampConverter requires format option to be specified when using string timestamps");
        try {
          return this.#parse(value as string);
        } catch (error) {
          throw new DataException(`Could not parse timestamp: value (${String(value)}) does not match pattern: ${(error as Error).message}`);
        }
      case "unix": {
        const n = typeof value === "bigint" ? value : BigInt(Math.trunc(value as number));
        const per = UNITS_PER_MS[this.#precision]!;
        return new Date(Number(per === 0n ? n * 1000n : n / per));
      }
      default:
        return value as Date;
    }
  }

  #fromDate(date: Date): unknown {
    const ms = date.getTime();
    switch (this.#target) {
      case "string":
        return this.#format!(date);
      case "unix": {
        const per = UNITS_PER_MS[this.#precision]!;
        return per === 0n ? BigInt(Math.floor(ms / 1000)) : BigInt(ms) * per;
      }
      case "Date":
        return new Date(ms - (((ms % MILLIS_PER_DAY) + MILLIS_PER_DAY) % MILLIS_PER_DAY));
      case "Time":
        return new Date(((ms % MILLIS_PER_DAY) + MILLIS_PER_DAY) % MILLIS_PER_DAY);
      default:
        return date;
    }
  }

  #targetSchema(optional: boolean): Schema {
    const builder =
      this.#target === "string" ? SchemaBuilder.string() : this.#target === "unix" ? SchemaBuilder.int64() : this.#target === "Date" ? ConnectDate.builder() : this.#target === "Time" ? ConnectTime.builder() : ConnectTimestamp.builder();
    if (optional) builder.optional();
    return builder.build();
  }

  #convert(value: unknown, kind: Kind): unknown {
    return value === null || value === undefined ? null : this.#fromDate(this.#toDate(value, kind));
  }

  override apply(record: ConnectRecord): ConnectRecord | null {
    const schema = operatingSchema(record, this.#side);
    const value = operatingValue(record, this.#side);
    if (schema === null) {
      if (value === null || value === undefined) return withOperated(record, this.#side, null, null);
      if (this.#field === "") return withOperated(record, this.#side, null, this.#convert(value, this.#kindOfValue(value)));
      const updated: Record<string, unknown> = { ...requireMap(value, PURPOSE) };
      const v = updated[this.#field];
      updated[this.#field] = v === null || v === undefined ? null : this.#convert(v, this.#kindOfValue(v));
      return withOperated(record, this.#side, null, updated);
    }
    if (this.#field === "") {
      return withOperated(record, this.#side, this.#targetSchema(schema.optional), this.#convert(value, this.#kindOfSchema(schema)));
    }
    const builder = copySchemaBasics(schema, SchemaBuilder.struct());
    for (const f of schema.fields) builder.field(f.name, f.name === this.#field ? this.#targetSchema(f.schema.optional) : f.schema);
    if (schema.optional) builder.optional();
    const updatedSchema = builder.build();
    if (value === null || value === undefined) return withOperated(record, this.#side, updatedSchema, null);
    const struct = requireStruct(value, PURPOSE);
    const out = new Struct(updatedSchema);
    for (const f of schema.fields) {
      const v = structGet(struct, f.name, this.#replaceNullWithDefault);
      out.put(f.name, f.name === this.#field ? this.#convert(v, this.#kindOfSchema(f.schema)) : v);
    }
    return withOperated(record, this.#side, updatedSchema, out);
  }

  override config(): ConfigDef {
    return TIMESTAMP_CONVERTER_CONFIG;
  }
}

export const [timestampConverterKeyPlugin, timestampConverterValuePlugin] = keyValuePlugins(
  "TimestampConverter",
  `${KAFKA_TRANSFORMS_PACKAGE}.TimestampConverter`,
  TIMESTAMP_CONVERTER_CONFIG,
  "Convert timestamps between different formats such as Unix epoch, strings, and Connect Date/Timestamp types",
  (side) => new TimestampConverter(side),
);

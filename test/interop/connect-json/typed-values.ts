// The "typed values" JsonConverterHarness.java exchanges with the tests: JSON that keeps the
// Connect type of every value (see the harness's header comment), built into the hub's values
// and dumped back from them, the same way the harness does on the Java side.
import {
  ConnectDate,
  ConnectTime,
  ConnectTimestamp,
  Decimal,
  isPlainObject,
  javaDoubleToString,
  javaFloatToString,
  type Schema,
  Struct,
} from "../../../connect/api/index.ts";

export type TV =
  | null
  | { int8: number }
  | { int16: number }
  | { int32: number }
  | { int64: string }
  | { float32: string }
  | { float64: string }
  | { boolean: boolean }
  | { string: string }
  | { bytes: string }
  | { decimal: { unscaled: string; scale: number } }
  | { date: number }
  | { time: number }
  | { timestamp: number }
  | { array: TV[] }
  | { map: [TV, TV][] }
  | { struct: Record<string, TV> }
  /** Only in loosened form: a schemaless JavaScript number. */
  | { number: number };

const tag = (tv: Exclude<TV, null>): string => Object.keys(tv)[0] as string;

/** The hub's value for a typed value (schema: for structs and element schemas; null when schemaless). */
export function build(tv: TV, schema: Schema | null): unknown {
  if (tv === null) return null;
  const v = Object.values(tv)[0] as unknown;
  switch (tag(tv)) {
    case "int8":
    case "int16":
    case "int32":
    case "number":
      return v as number;
    case "int64":
      return BigInt(v as string);
    case "float32":
      return Math.fround(Number(v));
    case "float64":
      return Number(v);
    case "boolean":
    case "string":
      return v;
    case "bytes":
      return Buffer.from(v as string, "base64");
    case "decimal": {
      const d = v as { unscaled: string; scale: number };
      return new Decimal(BigInt(d.unscaled), d.scale);
    }
    case "date":
    case "time":
    case "timestamp":
      return new Date(v as number);
    case "array":
      return (v as TV[]).map((e) => build(e, schema?.valueSchema ?? null));
    case "map": {
      const entries = (v as [TV, TV][]).map(([k, x]) => [build(k, schema?.keySchema ?? null), build(x, schema?.valueSchema ?? null)] as const);
      // Schemaless maps with string keys are plain objects, as JavaScript code writes them.
      if (schema === null && entries.every(([k]) => typeof k === "string")) return Object.fromEntries(entries);
      return new Map(entries);
    }
    case "struct": {
      if (schema === null) throw new Error("a struct needs a schema");
      const struct = new Struct(schema);
      for (const [name, fieldTv] of Object.entries(v as Record<string, TV>)) {
        struct.put(name, build(fieldTv, schema.field(name)?.schema ?? null));
      }
      return struct;
    }
    default:
      throw new Error(`unknown typed value ${JSON.stringify(tv)}`);
  }
}

/** The typed value of a hub value; schemaless values come out loosened (see loosen()). */
export function dump(value: unknown, schema: Schema | null): TV {
  if (value === null || value === undefined) return null;
  switch (schema?.name) {
    case ConnectDate.LOGICAL_NAME:
      return { date: (value as Date).getTime() };
    case ConnectTime.LOGICAL_NAME:
      return { time: (value as Date).getTime() };
    case ConnectTimestamp.LOGICAL_NAME:
      return { timestamp: (value as Date).getTime() };
    default:
      break;
  }
  if (value instanceof Decimal) return { decimal: { unscaled: value.unscaled.toString(), scale: value.scale } };
  if (value instanceof Uint8Array) return { bytes: Buffer.from(value).toString("base64") };
  if (value instanceof Struct) {
    const fields: Record<string, TV> = {};
    for (const f of value.schema.fields) fields[f.name] = dump(value.getWithoutDefault(f), f.schema);
    return { struct: fields };
  }
  if (Array.isArray(value)) return { array: value.map((e) => dump(e, schema?.valueSchema ?? null)) };
  if (value instanceof Map || isPlainObject(value)) {
    const entries = value instanceof Map ? [...value] : Object.entries(value);
    return sortMap({ map: entries.map(([k, x]) => [dump(k, schema?.keySchema ?? null), dump(x, schema?.valueSchema ?? null)]) });
  }
  switch (typeof value) {
    case "boolean":
      return { boolean: value };
    case "string":
      return { string: value };
    case "bigint":
      return { int64: value.toString() };
    case "number":
      switch (schema?.type) {
        case "INT8":
          return { int8: value };
        case "INT16":
          return { int16: value };
        case "INT32":
          return { int32: value };
        case "FLOAT32":
          return { float32: javaFloatToString(value) };
        case "FLOAT64":
          return { float64: javaDoubleToString(value) };
        default:
          return { number: value };
      }
    default:
      throw new Error(`cannot dump ${String(value)}`);
  }
}

function sortMap(tv: { map: [TV, TV][] }): TV {
  return { map: [...tv.map].sort(([a], [b]) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)) };
}

/**
 * A typed value as the hub represents it without a schema: Java's Byte/Short/Integer/Long/
 * Float/Double all become JavaScript numbers (Longs past 2^53 stay int64, as bigints), and
 * map entries are sorted (Kafka's schemaless maps are HashMaps, in no particular order).
 */
export function loosen(tv: TV): TV {
  if (tv === null) return null;
  const v = Object.values(tv)[0] as unknown;
  switch (tag(tv)) {
    case "int8":
    case "int16":
    case "int32":
      return { number: v as number };
    case "int64":
      return Number.isSafeInteger(Number(v)) ? { number: Number(v) } : tv;
    case "float32":
    case "float64":
      return { number: Number(v) };
    case "array":
      return { array: (v as TV[]).map(loosen) };
    case "map":
      return sortMap({ map: (v as [TV, TV][]).map(([k, x]) => [loosen(k), loosen(x)]) });
    default:
      return tv;
  }
}

/** Map entries sorted, at any depth (for comparing maps whose order carries no meaning). */
export function sortMaps(tv: TV): TV {
  if (tv === null) return null;
  const v = Object.values(tv)[0] as unknown;
  switch (tag(tv)) {
    case "array":
      return { array: (v as TV[]).map(sortMaps) };
    case "map":
      return sortMap({ map: (v as [TV, TV][]).map(([k, x]) => [sortMaps(k), sortMaps(x)]) });
    case "struct":
      return { struct: Object.fromEntries(Object.entries(v as Record<string, TV>).map(([k, x]) => [k, sortMaps(x)])) };
    default:
      return tv;
  }
}

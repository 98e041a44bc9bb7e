// Kafka's number converters (org.apache.kafka.connect.converters.ShortConverter,
// IntegerConverter, LongConverter, FloatConverter, DoubleConverter): one number in the bytes of
// Kafka's Short/Integer/Long/Float/DoubleSerializer, big-endian two's complement or IEEE 754
// (2, 4, 8, 4 and 8 bytes). Reading gives the matching optional schema. Each is also a header
// converter. Long values are bigints (numbers that are safe integers are accepted too).
import { converterConfigDef, DataException, definePlugin, describeValue, type PluginDescriptor, Schema, SchemaAndValue } from "../api/index.ts";
import { HUB_VERSION } from "../../lib/version.ts";
import { type BytesCodec, CodecConverter, CodecHeaderConverter } from "./codec-converter.ts";

export interface NumberFormat {
  /** The converter's class name, without the package. */
  className: string;
  /** The word in Kafka's error messages ("integer"). */
  typeName: string;
  /** The Kafka deserializer named in size errors. */
  deserializer: string;
  size: number;
  schema: Schema;
  write(value: unknown, out: Buffer): boolean;
  read(bytes: Buffer): number | bigint;
}

const intIn = (value: unknown, min: number, max: number): value is number => typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;

const FORMATS: readonly NumberFormat[] = [
  {
    className: "ShortConverter",
    typeName: "short",
    deserializer: "ShortDeserializer",
    size: 2,
    schema: Schema.OPTIONAL_INT16_SCHEMA,
    write: (v, out) => intIn(v, -32768, 32767) && (out.writeInt16BE(v), true),
    read: (b) => b.readInt16BE(0),
  },
  {
    className: "IntegerConverter",
    typeName: "integer",
    deserializer: "IntegerDeserializer",
    size: 4,
    schema: Schema.OPTIONAL_INT32_SCHEMA,
    write: (v, out) => intIn(v, -2147483648, 2147483647) && (out.writeInt32BE(v), true),
    read: (b) => b.readInt32BE(0),
  },
  {
    className: "LongConverter",
    typeName: "long",
    deserializer: "LongDeserializer",
    size: 8,
    schema: Schema.OPTIONAL_INT64_SCHEMA,
    write: (v, out) => {
      const n = typeof v === "number" && Number.isSafeInteger(v) ? BigInt(v) : v;
      if (typeof n !== "bigint" || n < -(2n ** 63n) || n >= 2n ** 63n) return false;
      out.writeBigInt64BE(n);
      return true;
    },
    read: (b) => b.readBigInt64BE(0),
  },
  {
    className: "FloatConverter",
    typeName: "float",
    deserializer: "FloatDeserializer",
    size: 4,
    schema: Schema.OPTIONAL_FLOAT32_SCHEMA,
    write: (v, out) => typeof v === "number" && (out.writeFloatBE(v), true),
    read: (b) => b.readFloatBE(0),
  },
  {
    className: "DoubleConverter",
    typeName: "double",
    deserializer: "DoubleDeserializer",
    size: 8,
    schema: Schema.OPTIONAL_FLOAT64_SCHEMA,
    write: (v, out) => typeof v === "number" && (out.writeDoubleBE(v), true),
    read: (b) => b.readDoubleBE(0),
  },
];

function serialize(format: NumberFormat, value: unknown): Buffer | null {
  if (value === null || value === undefined) return null;
  const out = Buffer.alloc(format.size);
  if (!format.write(value, out)) throw new DataException(`Failed to serialize to ${format.typeName} (was ${describeValue(value)})`);
  return out;
}

function deserialize(format: NumberFormat, bytes: Buffer | null): SchemaAndValue {
  if (bytes === null || bytes === undefined) return new SchemaAndValue(format.schema, null);
  if (bytes.length !== format.size) {
    throw new DataException(`Failed to deserialize ${format.typeName}: Size of data received by ${format.deserializer} is not ${format.size}`);
  }
  return new SchemaAndValue(format.schema, format.read(bytes));
}

const codecOf = (format: NumberFormat): BytesCodec => ({ encode: (_schema, value) => serialize(format, value), decode: (bytes) => deserialize(format, bytes) });

/** The converter of one number type (all five share it, as Kafka's share NumberConverter). */
export class NumberConverter extends CodecConverter {
  constructor(format: NumberFormat) {
    super(codecOf(format));
  }
}

export class NumberHeaderConverter extends CodecHeaderConverter {
  constructor(format: NumberFormat) {
    super(codecOf(format));
  }
}

function formatOf(className: string): NumberFormat {
  return FORMATS.find((f) => f.className === className) as NumberFormat;
}

/** new ShortConverter() etc., for code that uses them directly. */
export class ShortConverter extends NumberConverter {
  constructor() {
    super(formatOf("ShortConverter"));
  }
}
export class IntegerConverter extends NumberConverter {
  constructor() {
    super(formatOf("IntegerConverter"));
  }
}
export class LongConverter extends NumberConverter {
  constructor() {
    super(formatOf("LongConverter"));
  }
}
export class FloatConverter extends NumberConverter {
  constructor() {
    super(formatOf("FloatConverter"));
  }
}
export class DoubleConverter extends NumberConverter {
  constructor() {
    super(formatOf("DoubleConverter"));
  }
}

/** A converter and a header converter descriptor for each of the five. */
export const numberConverterPlugins: ReadonlyArray<PluginDescriptor<"converter"> | PluginDescriptor<"header-converter">> = FORMATS.flatMap((format) => {
  const aliases = [`org.apache.kafka.connect.converters.${format.className}`];
  return [
    definePlugin({
      name: format.className,
      kind: "converter",
      version: HUB_VERSION,
      aliases,
      configDef: converterConfigDef(),
      doc: `A ${format.typeName} in Kafka's ${format.size}-byte big-endian format.`,
      create: () => new NumberConverter(format),
    }),
    definePlugin({
      name: format.className,
      kind: "header-converter",
      version: HUB_VERSION,
      aliases,
      configDef: converterConfigDef(),
      doc: `Header values as a ${format.typeName} in Kafka's ${format.size}-byte big-endian format.`,
      create: () => new NumberHeaderConverter(format),
    }),
  ];
});

// A converter and a header converter made of one codec (a value to bytes and back), with the
// converter ConfigDef and nothing else to configure: what Kafka's BooleanConverter,
// ByteArrayConverter and NumberConverter (Short/Integer/Long/Float/Double) have in common. The
// key, value and header forms of each convert alike, so one codec serves all three.
import {
  type ConfigDef,
  CONVERTER_TYPE_CONFIG,
  Converter,
  converterConfigDef,
  HeaderConverter,
  type PluginConfigs,
  type RecordHeader,
  type Schema,
  type SchemaAndValue,
} from "../api/index.ts";

export interface BytesCodec {
  /** The bytes of a value (null: a null record or header); throws DataException when it does not fit. */
  encode(schema: Schema | null, value: unknown): Buffer | null;
  decode(bytes: Buffer | null): SchemaAndValue;
}

export class CodecConverter extends Converter {
  readonly #codec: BytesCodec;

  constructor(codec: BytesCodec) {
    super();
    this.#codec = codec;
  }

  override configure(configs: PluginConfigs, isKey: boolean): void {
    converterConfigDef().parse({ ...configs, [CONVERTER_TYPE_CONFIG]: isKey ? "key" : "value" });
  }

  override config(): ConfigDef {
    return converterConfigDef();
  }

  override fromConnectData(_topic: string, _headers: RecordHeader[] | null, schema: Schema | null, value: unknown): Buffer | null {
    return this.#codec.encode(schema, value);
  }

  override toConnectData(_topic: string, _headers: readonly RecordHeader[] | null, value: Buffer | null): SchemaAndValue {
    return this.#codec.decode(value);
  }
}

export class CodecHeaderConverter extends HeaderConverter {
  readonly #codec: BytesCodec;

  constructor(codec: BytesCodec) {
    super();
    this.#codec = codec;
  }

  override configure(configs: PluginConfigs): void {
    converterConfigDef().parse({ [CONVERTER_TYPE_CONFIG]: "header", ...configs });
  }

  override config(): ConfigDef {
    return converterConfigDef();
  }

  override toConnectHeader(_topic: string, _headerKey: string, value: Buffer | null): SchemaAndValue {
    return this.#codec.decode(value);
  }

  override fromConnectHeader(_topic: string, _headerKey: string, schema: Schema | null, value: unknown): Buffer | null {
    return this.#codec.encode(schema, value);
  }
}

// Debezium's change events for one table: the key ({prefix}.{schema}.{table}.Key, the primary
// key's columns), the row (.Value, optional) and the envelope (.Envelope, version 2) with its
// fields in Debezium's order: before, after, source, transaction, op, ts_ms, ts_us, ts_ns.
import { Schema, SchemaBuilder, Struct } from "../../../connect/api/index.ts";
import type { ChangeEvent, ColumnInfo, RowChange, SourceInfo, TableEventBuilder, TableInfo, TypeMappingOptions } from "../contracts.ts";
import type { ColumnValue } from "../pgoutput/index.ts";
import { mapColumn, type ColumnMapping } from "../types/index.ts";
import { SOURCE_SCHEMA, sourceStruct } from "./source.ts";

export { SOURCE_SCHEMA, sourceStruct } from "./source.ts";

export interface EventBuilderOptions {
  /** topic.prefix */
  topicPrefix: string;
  /** database.dbname (the source block's db) */
  database: string;
  /** The version the source block reports. */
  connectorVersion: string;
  types: TypeMappingOptions;
  /** column.include.list / column.exclude.list (see catalog.ts columnFilter); key columns are always in the key. */
  includeColumn?: (schema: string, table: string, column: string) => boolean;
  /**
   * Called when a value cannot be converted; the field is left null, as Debezium does (it logs
   * "Failed to properly convert data value" and carries on).
   */
  onConversionError?: (column: ColumnInfo, error: unknown) => void;
}

/**
 * Debezium's defaults for the PostgreSQL connector: decimal.handling.mode=precise,
 * time.precision.mode=adaptive, binary.handling.mode=bytes, interval.handling.mode=numeric,
 * hstore.handling.mode=json, unavailable.value.placeholder=__debezium_unavailable_value,
 * money.fraction.digits=2, include.unknown.datatypes=false.
 */
export const DEFAULT_TYPE_MAPPING: TypeMappingOptions = Object.freeze({
  decimalHandlingMode: "precise",
  timePrecisionMode: "adaptive",
  binaryHandlingMode: "bytes",
  intervalHandlingMode: "numeric",
  hstoreHandlingMode: "json",
  unavailableValuePlaceholder: "__debezium_unavailable_value",
  moneyFractionDigits: 2,
  includeUnknownDatatypes: false,
});

/** The envelope's transaction block (provide.transaction.metadata; null unless that is on). */
export const TRANSACTION_BLOCK_SCHEMA: Schema = SchemaBuilder.struct()
  .optional()
  .name("event.block")
  .version(1)
  .field("id", Schema.STRING_SCHEMA)
  .field("total_order", Schema.INT64_SCHEMA)
  .field("data_collection_order", Schema.INT64_SCHEMA)
  .build();

/** Debezium's Envelope.SCHEMA_VERSION. */
const ENVELOPE_VERSION = 2;

/** Kafka topic names allow [a-zA-Z0-9._-]; Debezium's topic naming replaces anything else with "_". */
function sanitizeTopic(name: string): string {
  return name.replace(/[^a-zA-Z0-9._-]/g, "_");
}

interface Field {
  mapping: ColumnMapping;
  name: string;
}

class Builder implements TableEventBuilder {
  readonly table: TableInfo;
  readonly topic: string;
  readonly keySchema: Schema | null;
  readonly rowSchema: Schema;
  readonly envelopeSchema: Schema;
  readonly #keyFields: readonly Field[];
  readonly #rowFields: readonly Field[];
  readonly #options: EventBuilderOptions;

  constructor(table: TableInfo, options: EventBuilderOptions) {
    this.table = table;
    this.#options = options;
    const name = `${options.topicPrefix}.${table.schema}.${table.table}`;
    this.topic = sanitizeTopic(name);
    const fields = (columns: readonly ColumnInfo[]): Field[] =>
      columns.flatMap((column) => {
        const mapping = mapColumn(column, options.types);
        return mapping === null ? [] : [{ mapping, name: column.name }];
      });
    const byName = new Map(table.columns.map((c) => [c.name, c]));
    // Key fields in the primary key's order (TableSchemaBuilder walks Key.keyColumns()).
    const keyColumns = table.primaryKey.map((k) => {
      const column = byName.get(k);
      if (column === undefined) throw new Error(`Primary key column ${k} of ${table.schema}.${table.table} is not among its columns`);
      return column;
    });
    this.#keyFields = fields(keyColumns);
    const include = options.includeColumn;
    this.#rowFields = fields(include === undefined ? table.columns : table.columns.filter((c) => include(table.schema, table.table, c.name)));

    const struct = (suffix: string, list: readonly Field[]): SchemaBuilder => {
      const builder = SchemaBuilder.struct().name(`${name}.${suffix}`);
      for (const f of list) builder.field(f.name, f.mapping.schema);
      return builder;
    };
    // No primary key, no key: Debezium keys records by the primary key only (REPLICA IDENTITY does not matter).
    this.keySchema = this.#keyFields.length === 0 ? null : struct("Key", this.#keyFields).build();
    this.rowSchema = struct("Value", this.#rowFields).optional().build();
    this.envelopeSchema = SchemaBuilder.struct()
      .name(`${this.topic}.Envelope`)
      .version(ENVELOPE_VERSION)
      .field("before", this.rowSchema)
      .field("after", this.rowSchema)
      .field("source", SOURCE_SCHEMA)
      .field("transaction", TRANSACTION_BLOCK_SCHEMA)
      .field("op", Schema.STRING_SCHEMA)
      .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
      .field("ts_us", Schema.OPTIONAL_INT64_SCHEMA)
      .field("ts_ns", Schema.OPTIONAL_INT64_SCHEMA)
      .build();
  }

  #struct(schema: Schema, fields: readonly Field[], row: Readonly<Record<string, ColumnValue>>): Struct {
    const struct = new Struct(schema);
    for (const { mapping, name } of fields) {
      try {
        struct.put(name, mapping.convert(row[name]));
      } catch (error) {
        this.#options.onConversionError?.(mapping.column, error);
      }
    }
    return struct;
  }

  #envelope(op: string, before: Struct | null, after: Struct | null, source: SourceInfo, tsMs: number): Struct {
    return new Struct(this.envelopeSchema)
      .put("before", before)
      .put("after", after)
      .put("source", sourceStruct(source))
      .put("op", op)
      .put("ts_ms", BigInt(tsMs))
      .put("ts_us", BigInt(tsMs) * 1000n)
      .put("ts_ns", BigInt(tsMs) * 1_000_000n);
  }

  build(change: RowChange, source: SourceInfo, tsMs: number): ChangeEvent {
    const before = change.op === "u" || change.op === "d" ? change.before : null;
    const after = change.op === "d" ? null : change.after;
    const keyRow = after ?? before;
    const key = this.keySchema === null || keyRow === null ? null : this.#struct(this.keySchema, this.#keyFields, keyRow);
    const value = this.#envelope(
      change.op,
      before === null ? null : this.#struct(this.rowSchema, this.#rowFields, before),
      after === null ? null : this.#struct(this.rowSchema, this.#rowFields, after),
      source,
      tsMs,
    );
    return { topic: this.topic, keySchema: this.keySchema, key, valueSchema: this.envelopeSchema, value };
  }

  /** Debezium's truncate event: no key (the key schema stays the table's), op "t", no before/after. */
  truncate(source: SourceInfo, tsMs: number): ChangeEvent {
    return { topic: this.topic, keySchema: this.keySchema, key: null, valueSchema: this.envelopeSchema, value: this.#envelope("t", null, null, source, tsMs) };
  }
}

export function createTableEventBuilder(table: TableInfo, options: EventBuilderOptions): TableEventBuilder {
  return new Builder(table, options);
}

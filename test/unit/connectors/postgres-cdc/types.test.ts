// Column types → Debezium's Connect schemas and values, from PostgreSQL's text output. Expected
// values follow Debezium's PostgresValueConverter and the docs "PostgreSQL connector data type
// mappings" (https://debezium.io/documentation/reference/stable/connectors/postgresql.html#postgresql-data-types).
import { describe, expect, it } from "vitest";
import { Decimal, Struct, type Schema } from "../../../../connect/api/index.ts";
import type { ColumnInfo, TypeMappingOptions } from "../../../../connectors/postgres-cdc/contracts.ts";
import { DEFAULT_TYPE_MAPPING } from "../../../../connectors/postgres-cdc/events/index.ts";
import { UNCHANGED_TOAST } from "../../../../connectors/postgres-cdc/pgoutput/index.ts";
import { defaultText, mapColumn, type ColumnMapping } from "../../../../connectors/postgres-cdc/types/index.ts";
import { hashMapOrder } from "../../../../connectors/postgres-cdc/types/other.ts";
import { parseArrayText, parseHstoreText, parseInterval } from "../../../../connectors/postgres-cdc/types/pg-text.ts";
import { formatZonedTimestamp } from "../../../../connectors/postgres-cdc/types/temporal.ts";

function column(typeName: string, extra: Partial<ColumnInfo> = {}): ColumnInfo {
  return { name: "c", position: 1, typeOid: 0, typeModifier: -1, typeName, typeCategory: "X", optional: true, ...extra };
}

function mapping(typeName: string, extra: Partial<ColumnInfo> = {}, options: Partial<TypeMappingOptions> = {}): ColumnMapping {
  const m = mapColumn(column(typeName, extra), { ...DEFAULT_TYPE_MAPPING, ...options });
  if (m === null) throw new Error(`${typeName} is not mapped`);
  return m;
}

function convert(typeName: string, text: string, extra: Partial<ColumnInfo> = {}, options: Partial<TypeMappingOptions> = {}): unknown {
  return mapping(typeName, extra, options).convert(text);
}

const numericMod = (p: number, s: number): number => ((p << 16) | s) + 4;

function schemaSummary(schema: Schema): { type: string; name: string | null; version: number | null; parameters: Record<string, string> | null; optional: boolean } {
  return {
    type: schema.type,
    name: schema.name,
    version: schema.version,
    parameters: schema.parameters === null ? null : Object.fromEntries(schema.parameters),
    optional: schema.optional,
  };
}

describe("basic types", () => {
  it("maps booleans, integers, floats and oid", () => {
    expect(convert("bool", "t")).toBe(true);
    expect(convert("bool", "f")).toBe(false);
    expect(convert("int2", "-32768")).toBe(-32768);
    expect(convert("int4", "2147483647")).toBe(2147483647);
    expect(convert("int8", "-9223372036854775808")).toBe(-9223372036854775808n);
    expect(convert("oid", "4294967295")).toBe(4294967295n);
    expect(mapping("oid").schema.type).toBe("INT64");
    expect(convert("float4", "1.1")).toBe(Math.fround(1.1));
    expect(convert("float8", "NaN")).toBeNaN();
    expect(convert("float8", "-Infinity")).toBe(Number.NEGATIVE_INFINITY);
    expect(convert("float8", "1e+300")).toBe(1e300);
    expect(() => convert("int4", "x")).toThrow(/integer/);
  });

  it("keeps the column's optionality", () => {
    expect(mapping("int4").schema.optional).toBe(true);
    expect(mapping("int4", { optional: false }).schema.optional).toBe(false);
  });
});

describe("numeric and money", () => {
  it("precise with a declared scale: Connect Decimal with scale and connect.decimal.precision", () => {
    const m = mapping("numeric", { typeModifier: numericMod(38, 4) });
    expect(schemaSummary(m.schema)).toEqual({
      type: "BYTES",
      name: "org.apache.kafka.connect.data.Decimal",
      version: 1,
      parameters: { scale: "4", "connect.decimal.precision": "38" },
      optional: true,
    });
    expect(m.convert("-123456789012345678901234567890.1234")).toEqual(new Decimal(-1234567890123456789012345678901234n, 4));
    expect(m.convert("0.0000")).toEqual(new Decimal(0n, 4));
  });

  it("precise without a declared scale: io.debezium.data.VariableScaleDecimal, trailing zeros stripped", () => {
    const m = mapping("numeric");
    expect(schemaSummary(m.schema)).toMatchObject({ type: "STRUCT", name: "io.debezium.data.VariableScaleDecimal", version: 1 });
    expect(m.schema.doc).toBe("Variable scaled decimal");
    const value = m.convert("1200.500") as Struct;
    expect(value.get("scale")).toBe(1);
    expect(value.get("value")).toEqual(Buffer.from([0x2e, 0xe5])); // 12005, big-endian two's complement
    const big = m.convert("-1000") as Struct; // stripTrailingZeros gives scale -3, which Debezium resets to 0
    expect(big.get("scale")).toBe(0);
    expect(big.get("value")).toEqual(Buffer.from([0xfc, 0x18]));
  });

  it("NaN and infinities: strings (Debezium's enum names) or doubles; precise mode cannot hold them", () => {
    expect(convert("numeric", "NaN", {}, { decimalHandlingMode: "string" })).toBe("NAN");
    expect(convert("numeric", "Infinity", {}, { decimalHandlingMode: "string" })).toBe("POSITIVE_INFINITY");
    expect(convert("numeric", "-Infinity", {}, { decimalHandlingMode: "double" })).toBe(Number.NEGATIVE_INFINITY);
    expect(() => convert("numeric", "NaN")).toThrow(/precise/);
    expect(() => convert("numeric", "NaN", { typeModifier: numericMod(10, 2) })).toThrow(/precise/);
  });

  it("double and string modes", () => {
    expect(mapping("numeric", { typeModifier: numericMod(10, 2) }, { decimalHandlingMode: "double" }).schema.type).toBe("FLOAT64");
    expect(convert("numeric", "12.50", { typeModifier: numericMod(10, 2) }, { decimalHandlingMode: "double" })).toBe(12.5);
    expect(convert("numeric", "12.50", { typeModifier: numericMod(10, 2) }, { decimalHandlingMode: "string" })).toBe("12.50");
    // Java's BigDecimal.toString: scientific for small exponents
    expect(convert("numeric", "0.00000001", {}, { decimalHandlingMode: "string" })).toBe("1E-8");
  });

  it("money: Decimal with money.fraction.digits, from the locale's currency text", () => {
    const m = mapping("money");
    expect(schemaSummary(m.schema)).toMatchObject({ name: "org.apache.kafka.connect.data.Decimal", parameters: { scale: "2" } });
    expect(m.convert("$1,234.56")).toEqual(new Decimal(123456n, 2));
    expect(m.convert("-$0.07")).toEqual(new Decimal(-7n, 2));
    expect(convert("money", "$1,234.56", {}, { moneyFractionDigits: 1 })).toEqual(new Decimal(12346n, 1));
    expect(convert("money", "$1,234.50", {}, { decimalHandlingMode: "string" })).toBe("1234.5");
  });
});

describe("strings and semantic string types", () => {
  it("names uuid, json, jsonb, xml, ltree, tsvector as Debezium does", () => {
    expect(mapping("uuid").schema.name).toBe("io.debezium.data.Uuid");
    expect(mapping("json").schema.name).toBe("io.debezium.data.Json");
    expect(mapping("jsonb").schema.name).toBe("io.debezium.data.Json");
    expect(mapping("xml").schema.name).toBe("io.debezium.data.Xml");
    expect(mapping("ltree").schema.name).toBe("io.debezium.data.Ltree");
    expect(mapping("tsvector").schema.name).toBe("io.debezium.data.Tsvector");
    for (const t of ["varchar", "text", "bpchar", "name", "inet", "cidr", "macaddr", "macaddr8", "int4range", "tstzrange"]) {
      expect(schemaSummary(mapping(t).schema)).toMatchObject({ type: "STRING", name: null });
    }
    expect(convert("bpchar", "ab  ")).toBe("ab  ");
  });

  it("enums carry their labels in the allowed parameter", () => {
    const m = mapping("mood", { typeCategory: "E", enumValues: ["sad", "ok", "happy"] });
    expect(schemaSummary(m.schema)).toMatchObject({ type: "STRING", name: "io.debezium.data.Enum", parameters: { allowed: "sad,ok,happy" } });
    expect(m.convert("ok")).toBe("ok");
  });

  it("leaves out types Debezium does not map, unless include.unknown.datatypes", () => {
    expect(mapColumn(column("pg_lsn"), DEFAULT_TYPE_MAPPING)).toBeNull();
    const m = mapping("pg_lsn", {}, { includeUnknownDatatypes: true });
    expect(m.schema.type).toBe("BYTES");
    expect(m.convert("0/16B3748")).toEqual(Buffer.from("0/16B3748"));
  });
});

describe("binary and bits", () => {
  it("bytea's hex text in each binary.handling.mode", () => {
    const text = "\\x00fbff41";
    expect(convert("bytea", text)).toEqual(Buffer.from([0, 0xfb, 0xff, 0x41]));
    expect(convert("bytea", text, {}, { binaryHandlingMode: "base64" })).toBe("APv/QQ==");
    expect(convert("bytea", text, {}, { binaryHandlingMode: "base64-url-safe" })).toBe("APv_QQ==");
    expect(convert("bytea", text, {}, { binaryHandlingMode: "hex" })).toBe("00fbff41");
    expect(convert("bytea", "\\x")).toEqual(Buffer.alloc(0));
    expect(convert("bytea", "a\\000\\\\b")).toEqual(Buffer.from([0x61, 0, 0x5c, 0x62]));
  });

  it("bit(1) is a boolean, longer bit strings io.debezium.data.Bits (little-endian bytes)", () => {
    expect(mapping("bit", { typeModifier: 1 }).schema.type).toBe("BOOLEAN");
    expect(convert("bit", "1", { typeModifier: 1 })).toBe(true);
    const m = mapping("bit", { typeModifier: 12 });
    expect(schemaSummary(m.schema)).toMatchObject({ type: "BYTES", name: "io.debezium.data.Bits", parameters: { length: "12" } });
    expect(m.convert("100000000101")).toEqual(Buffer.from([0x05, 0x08]));
    expect(m.convert("000000000000")).toEqual(Buffer.alloc(0));
    // varbit without a length: 2^31 - 1 (the docs' "BIT VARYING[(M)]" row)
    expect(mapping("varbit").schema.parameters?.get("length")).toBe("2147483647");
  });
});

describe("dates and times", () => {
  it("date: epoch days (io.debezium.time.Date), BC dates, Connect Date in connect mode", () => {
    expect(mapping("date").schema.name).toBe("io.debezium.time.Date");
    expect(convert("date", "2024-02-29")).toBe(19782);
    expect(convert("date", "1969-12-31")).toBe(-1);
    expect(convert("date", "0001-01-01 BC")).toBe(-719528); // year 0, a leap year, before 0001-01-01 (-719162)
    expect(convert("date", "2024-02-29", {}, { timePrecisionMode: "connect" })).toEqual(new Date("2024-02-29T00:00:00Z"));
    expect(mapping("date", {}, { timePrecisionMode: "connect" }).schema.name).toBe("org.apache.kafka.connect.data.Date");
  });

  it("date infinities: Debezium's LocalDate stand-ins as epoch days", () => {
    expect(convert("date", "infinity")).toBe(-2147472692);
    expect(convert("date", "-infinity")).toBe(-2147472691);
  });

  it("time by time.precision.mode and precision", () => {
    expect(mapping("time").schema.name).toBe("io.debezium.time.MicroTime");
    expect(convert("time", "13:51:30.123456")).toBe(49890123456n);
    expect(mapping("time", { typeModifier: 3 }).schema.name).toBe("io.debezium.time.Time");
    expect(convert("time", "13:51:30.123", { typeModifier: 3 })).toBe(49890123);
    expect(convert("time", "13:51:30.123", { typeModifier: 3 }, { timePrecisionMode: "adaptive_time_microseconds" })).toBe(49890123000n);
    expect(convert("time", "24:00:00")).toBe(86400000000n);
    expect(convert("time", "00:00:01.5", {}, { timePrecisionMode: "connect" })).toEqual(new Date(1500));
  });

  it("timestamp: MicroTimestamp, Timestamp for precision ≤ 3, exact past 2^53 µs", () => {
    expect(convert("timestamp", "2024-01-02 03:04:05.123456")).toBe(1704164645123456n);
    expect(convert("timestamp", "1900-01-01 00:00:00.000001")).toBe(-2208988799999999n);
    expect(convert("timestamp", "2300-01-01 00:00:00.000001")).toBe(10413792000000001n); // past 2^53, still exact
    expect(mapping("timestamp", { typeModifier: 3 }).schema.name).toBe("io.debezium.time.Timestamp");
    expect(convert("timestamp", "1969-12-31 23:59:59.999", { typeModifier: 3 })).toBe(-1n);
    expect(convert("timestamp", "2024-01-02 03:04:05.5", {}, { timePrecisionMode: "connect" })).toEqual(new Date("2024-01-02T03:04:05.500Z"));
  });

  it("timestamp infinities: the JDBC driver's constants (docs: 9223372036825200000 / -9223372036832400000)", () => {
    expect(convert("timestamp", "infinity")).toBe(9223372036825200000n);
    expect(convert("timestamp", "-infinity")).toBe(-9223372036832400000n);
    expect(convert("timestamp", "infinity", { typeModifier: 0 })).toBe(9223372036825200n);
  });

  it("timestamptz: ZonedTimestamp in UTC, fraction padded to the column precision", () => {
    expect(mapping("timestamptz").schema.name).toBe("io.debezium.time.ZonedTimestamp");
    expect(convert("timestamptz", "2024-01-02 03:04:05.12+05:30")).toBe("2024-01-01T21:34:05.120000Z");
    expect(convert("timestamptz", "2024-01-02 03:04:05+00")).toBe("2024-01-02T03:04:05.000000Z");
    expect(convert("timestamptz", "2024-01-02 03:04:05.1-08", { typeModifier: 3 })).toBe("2024-01-02T11:04:05.100Z");
    expect(convert("timestamptz", "2024-01-02 03:04:05+00", { typeModifier: 0 })).toBe("2024-01-02T03:04:05Z");
    expect(convert("timestamptz", "1883-11-18 12:00:00-04:56:02")).toBe("1883-11-18T16:56:02.000000Z");
    expect(convert("timestamptz", "0044-03-15 12:00:00+00 BC")).toBe("-0043-03-15T12:00:00.000000Z");
    expect(convert("timestamptz", "infinity")).toBe("infinity");
    expect(convert("timestamptz", "-infinity")).toBe("-infinity");
    expect(formatZonedTimestamp(253402300800000000n, 6)).toBe("+10000-01-01T00:00:00.000000Z");
  });

  it("timetz: ZonedTime shifted to UTC, trailing fraction zeros dropped", () => {
    expect(mapping("timetz").schema.name).toBe("io.debezium.time.ZonedTime");
    expect(convert("timetz", "14:04:05.120+02")).toBe("12:04:05.12Z");
    expect(convert("timetz", "01:00:00-05:30")).toBe("06:30:00Z");
    expect(convert("timetz", "01:00:00+02")).toBe("23:00:00Z");
    expect(convert("timetz", "24:00:00+00")).toBe("24:00:00Z");
  });

  it("interval: MicroDuration with 365.25/12-day months, or ISO 8601 text", () => {
    expect(mapping("interval").schema.name).toBe("io.debezium.time.MicroDuration");
    expect(convert("interval", "1 mon")).toBe(2629800000000n);
    expect(convert("interval", "1 year 2 mons 3 days 04:05:06.789")).toBe(37091106789000n);
    expect(convert("interval", "-1 days +02:00:00")).toBe(-79200000000n);
    expect(convert("interval", "-00:00:00.000001")).toBe(-1n);
    expect(convert("interval", "178000000 years")).toBe(2n ** 63n - 1n); // Java's (long) cast saturates
    const iso = { intervalHandlingMode: "string" } as const;
    expect(mapping("interval", {}, iso).schema.name).toBe("io.debezium.time.Interval");
    expect(convert("interval", "1 year 2 mons 3 days 04:05:06.789", {}, iso)).toBe("P1Y2M3DT4H5M6.789S");
    expect(convert("interval", "00:00:00", {}, iso)).toBe("P0Y0M0DT0H0M0S");
    expect(convert("interval", "-2 years -04:05:06", {}, iso)).toBe("P-2Y0M0DT-4H-5M-6S");
    expect(parseInterval("3 days")).toMatchObject({ days: 3, hours: 0 });
  });
});

describe("arrays", () => {
  it("parses quoting, escapes, NULL, empty and bounded arrays", () => {
    expect(parseArrayText('{a,"b c",NULL,"NULL","q\\"x","back\\\\slash",""}')).toEqual(["a", "b c", null, "NULL", 'q"x', "back\\slash", ""]);
    expect(parseArrayText("{}")).toEqual([]);
    expect(parseArrayText("{{1,2},{3,4}}")).toEqual([["1", "2"], ["3", "4"]]);
    expect(parseArrayText("[2:3]={7,8}")).toEqual(["7", "8"]);
    expect(() => parseArrayText("{1,2")).toThrow();
  });

  it("maps an array to ARRAY of the element's (optional) schema", () => {
    const ints = mapping("_int4", { typeCategory: "A", elementTypeName: "int4" });
    expect(ints.schema.type).toBe("ARRAY");
    expect(ints.schema.valueSchema?.type).toBe("INT32");
    expect(ints.schema.valueSchema?.optional).toBe(true);
    expect(ints.convert("{1,NULL,-3}")).toEqual([1, null, -3]);
    const stamps = mapping("_timestamptz", { typeCategory: "A", elementTypeName: "timestamptz" });
    expect(stamps.convert('{"2024-01-02 03:04:05+00",infinity}')).toEqual(["2024-01-02T03:04:05.000000Z", "infinity"]);
    const decimals = mapping("_numeric", { typeCategory: "A", elementTypeName: "numeric", typeModifier: numericMod(5, 1) });
    expect(decimals.convert("{1.5,-2.0}")).toEqual([new Decimal(15n, 1), new Decimal(-20n, 1)]);
    const enums = mapping("_mood", { typeCategory: "A", elementTypeName: "mood", enumValues: ["a", "b"] });
    expect(enums.schema.valueSchema?.name).toBe("io.debezium.data.Enum");
    expect(enums.convert("{a,b}")).toEqual(["a", "b"]);
  });

  it("rejects multi-dimensional values and leaves out the arrays Debezium leaves out", () => {
    expect(() => convert("_int4", "{{1},{2}}", { typeCategory: "A", elementTypeName: "int4" })).toThrow(/one-dimensional/);
    expect(mapColumn(column("_interval", { typeCategory: "A", elementTypeName: "interval" }), DEFAULT_TYPE_MAPPING)).toBeNull();
    expect(mapColumn(column("_money", { typeCategory: "A", elementTypeName: "money" }), DEFAULT_TYPE_MAPPING)).toBeNull();
  });
});

describe("point and hstore", () => {
  it("point: io.debezium.data.geometry.Point with x, y and WKB", () => {
    const m = mapping("point");
    expect(schemaSummary(m.schema)).toMatchObject({ type: "STRUCT", name: "io.debezium.data.geometry.Point", version: 1 });
    const value = m.convert("(1.5,-2)") as Struct;
    expect(value.get("x")).toBe(1.5);
    expect(value.get("y")).toBe(-2);
    expect((value.get("wkb") as Buffer).toString("hex")).toBe("0101000000000000000000f83f00000000000000c0");
    expect(value.get("srid")).toBeNull();
    expect(value.schema).toBe(m.schema);
  });

  it("hstore: JSON text or a map, in java.util.HashMap order", () => {
    expect(parseHstoreText('"a"=>"1", "b c"=>NULL, "q"=>"x\\"y"')).toEqual([["a", "1"], ["b c", null], ["q", 'x"y']]);
    expect(convert("hstore", '"b"=>"2", "a"=>"1"')).toBe('{"a":"1","b":"2"}');
    expect(convert("hstore", '"key"=>NULL')).toBe('{"key":null}');
    const asMap = convert("hstore", '"b"=>"2", "a"=>"1"', {}, { hstoreHandlingMode: "map" }) as Map<string, string>;
    expect([...asMap]).toEqual([["a", "1"], ["b", "2"]]);
    // "Aa" and "BB" share a Java hash code: same bucket, insertion order kept
    expect(hashMapOrder([["BB", "1"], ["Aa", "2"], ["a", "3"]]).map(([k]) => k)).toEqual(["BB", "Aa", "a"]);
  });
});

describe("absent values, defaults and TOAST", () => {
  it("an absent value is null, or for NOT NULL columns the default or the type's fallback", () => {
    expect(mapping("text").convert(undefined)).toBeNull();
    expect(mapping("text", { optional: false }).convert(undefined)).toBe("");
    expect(mapping("int8", { optional: false }).convert(null)).toBe(0n);
    expect(mapping("timestamptz", { optional: false }).convert(undefined)).toBe("1970-01-01T00:00:00Z");
    expect(mapping("int4", { optional: false, defaultExpression: "7" }).convert(undefined)).toBe(7);
  });

  it("derives schema defaults as Debezium's PostgresDefaultValueConverter does", () => {
    expect(defaultText("varchar", "'abc'::character varying")).toBe("abc");
    // the literal ends at the next quote, doubled quotes included (Debezium's '(.*?)')
    expect(defaultText("text", "'it''s'::text")).toBe("it");
    expect(defaultText("int4", "'-1'::integer")).toBe("-1");
    expect(defaultText("numeric", "12.5")).toBe("12.5");
    expect(defaultText("numeric", "NULL::numeric")).toBeNull();
    expect(defaultText("bool", "true")).toBe("t");
    // function calls stand for a per-type placeholder
    expect(defaultText("int8", "nextval('t_id_seq'::regclass)")).toBe("0");
    expect(defaultText("timestamptz", "now()")).toBe("1970-01-01 00:00:00+00");
    expect(defaultText("uuid", "gen_random_uuid()")).toBe("00000000-0000-0000-0000-000000000000");
    // types without a mapper get none
    expect(defaultText("money", "'1.00'::money")).toBeNull();
    expect(defaultText("mood", "'ok'::mood")).toBeNull();

    expect(mapping("varchar", { defaultExpression: "'x'::character varying" }).schema.defaultValue).toBe("x");
    expect(mapping("numeric", { typeModifier: numericMod(6, 2), defaultExpression: "1.5" }).schema.defaultValue).toEqual(new Decimal(150n, 2));
    expect(mapping("numeric", { defaultExpression: "1.5" }).schema.defaultValue).toBeNull(); // a struct: KAFKA-12694
    expect(mapping("bool", { defaultExpression: "false" }).schema.defaultValue).toBe(false);
    expect(mapping("date", { defaultExpression: "'2020-01-01'::date" }).schema.defaultValue).toBe(18262);
    expect(mapping("int4", { optional: false, defaultExpression: "nextval('t_id_seq'::regclass)" }).schema.defaultValue).toBe(0);
    expect(mapping("timestamptz", { defaultExpression: "now()" }).schema.defaultValue).toBe("1970-01-01T00:00:00.000000Z");
    expect(mapping("time", { defaultExpression: "now()" }).schema.defaultValue).toBe(0n);
    expect(mapping("interval", { defaultExpression: "'01:00:00'::interval" }).schema.defaultValue).toBe(3600000000n);
    expect(mapping("int4", { defaultExpression: "(1 + 2)" }).schema.defaultValue).toBeNull();
  });

  it("unchanged TOASTed values become Debezium's placeholder in each type's form", () => {
    const placeholder = DEFAULT_TYPE_MAPPING.unavailableValuePlaceholder;
    expect(mapping("text").convert(UNCHANGED_TOAST)).toBe(placeholder);
    expect(mapping("jsonb").convert(UNCHANGED_TOAST)).toBe(placeholder);
    expect(mapping("bytea").convert(UNCHANGED_TOAST)).toEqual(Buffer.from(placeholder));
    expect(mapping("bytea", {}, { binaryHandlingMode: "hex" }).convert(UNCHANGED_TOAST)).toBe(placeholder);
    expect(mapping("_text", { typeCategory: "A", elementTypeName: "text" }).convert(UNCHANGED_TOAST)).toEqual([placeholder]);
    expect(mapping("_int4", { typeCategory: "A", elementTypeName: "int4" }).convert(UNCHANGED_TOAST)).toEqual([...Buffer.from(placeholder)]);
    expect(mapping("_int8", { typeCategory: "A", elementTypeName: "int8" }).convert(UNCHANGED_TOAST)).toEqual([...Buffer.from(placeholder)].map(BigInt));
    expect(mapping("int4").convert(UNCHANGED_TOAST)).toBeNull();
    expect(mapping("hstore").convert(UNCHANGED_TOAST)).toBe(`{"${placeholder}":"${placeholder}"}`);
    expect(mapping("_bool", { typeCategory: "A", elementTypeName: "bool" }).convert(UNCHANGED_TOAST)).toEqual([...Buffer.from(placeholder)].map(() => true));
    // Java's UUID.nameUUIDFromBytes of the placeholder's bytes
    expect(mapping("_uuid", { typeCategory: "A", elementTypeName: "uuid" }).convert(UNCHANGED_TOAST)).toEqual([expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-3[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)]);
  });
});

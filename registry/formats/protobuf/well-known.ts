// The files a schema may import without registering them as references, as in Confluent's
// Schema Registry: Google's well-known types (google/protobuf/*.proto), the common types
// (google/type/*.proto) and Confluent's own (confluent/meta.proto, confluent/type/decimal.proto).
// Only the declarations matter here (names, numbers, types), so the texts are written without
// comments and language options. descriptor.proto, api.proto, type.proto and
// source_context.proto are the long ones: they are read from protobufjs's copies.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const GOOGLE_PROTOBUF = 'syntax = "proto3";\npackage google.protobuf;\n';
const GOOGLE_TYPE = 'syntax = "proto3";\npackage google.type;\n';

const wrapper = (name: string, type: string): string => `message ${name} { ${type} value = 1; }\n`;

const TEXTS: Readonly<Record<string, string>> = {
  "google/protobuf/any.proto": `${GOOGLE_PROTOBUF}message Any { string type_url = 1; bytes value = 2; }\n`,
  "google/protobuf/duration.proto": `${GOOGLE_PROTOBUF}message Duration { int64 seconds = 1; int32 nanos = 2; }\n`,
  "google/protobuf/empty.proto": `${GOOGLE_PROTOBUF}message Empty {}\n`,
  "google/protobuf/field_mask.proto": `${GOOGLE_PROTOBUF}message FieldMask { repeated string paths = 1; }\n`,
  "google/protobuf/struct.proto": `${GOOGLE_PROTOBUF}
message Struct { map<string, Value> fields = 1; }
message Value {
  oneof kind {
    NullValue null_value = 1;
    double number_value = 2;
    string string_value = 3;
    bool bool_value = 4;
    Struct struct_value = 5;
    ListValue list_value = 6;
  }
}
enum NullValue { NULL_VALUE = 0; }
message ListValue { repeated Value values = 1; }
`,
  "google/protobuf/timestamp.proto": `${GOOGLE_PROTOBUF}message Timestamp { int64 seconds = 1; int32 nanos = 2; }\n`,
  "google/protobuf/wrappers.proto": GOOGLE_PROTOBUF
    + wrapper("DoubleValue", "double") + wrapper("FloatValue", "float")
    + wrapper("Int64Value", "int64") + wrapper("UInt64Value", "uint64")
    + wrapper("Int32Value", "int32") + wrapper("UInt32Value", "uint32")
    + wrapper("BoolValue", "bool") + wrapper("StringValue", "string") + wrapper("BytesValue", "bytes"),

  "google/type/calendar_period.proto": `${GOOGLE_TYPE}enum CalendarPeriod {
  CALENDAR_PERIOD_UNSPECIFIED = 0; DAY = 1; WEEK = 2; FORTNIGHT = 3; MONTH = 4; QUARTER = 5; HALF = 6; YEAR = 7;
}\n`,
  "google/type/color.proto": `${GOOGLE_TYPE}import "google/protobuf/wrappers.proto";
message Color { float red = 1; float green = 2; float blue = 3; google.protobuf.FloatValue alpha = 4; }\n`,
  "google/type/date.proto": `${GOOGLE_TYPE}message Date { int32 year = 1; int32 month = 2; int32 day = 3; }\n`,
  "google/type/datetime.proto": `${GOOGLE_TYPE}import "google/protobuf/duration.proto";
message DateTime {
  int32 year = 1; int32 month = 2; int32 day = 3; int32 hours = 4; int32 minutes = 5; int32 seconds = 6; int32 nanos = 7;
  oneof time_offset { google.protobuf.Duration utc_offset = 8; TimeZone time_zone = 9; }
}
message TimeZone { string id = 1; string version = 2; }\n`,
  "google/type/dayofweek.proto": `${GOOGLE_TYPE}enum DayOfWeek {
  DAY_OF_WEEK_UNSPECIFIED = 0; MONDAY = 1; TUESDAY = 2; WEDNESDAY = 3; THURSDAY = 4; FRIDAY = 5; SATURDAY = 6; SUNDAY = 7;
}\n`,
  "google/type/decimal.proto": `${GOOGLE_TYPE}message Decimal { string value = 1; }\n`,
  "google/type/expr.proto": `${GOOGLE_TYPE}message Expr { string expression = 1; string title = 2; string description = 3; string location = 4; }\n`,
  "google/type/fraction.proto": `${GOOGLE_TYPE}message Fraction { int64 numerator = 1; int64 denominator = 2; }\n`,
  "google/type/interval.proto": `${GOOGLE_TYPE}import "google/protobuf/timestamp.proto";
message Interval { google.protobuf.Timestamp start_time = 1; google.protobuf.Timestamp end_time = 2; }\n`,
  "google/type/latlng.proto": `${GOOGLE_TYPE}message LatLng { double latitude = 1; double longitude = 2; }\n`,
  "google/type/money.proto": `${GOOGLE_TYPE}message Money { string currency_code = 1; int64 units = 2; int32 nanos = 3; }\n`,
  "google/type/month.proto": `${GOOGLE_TYPE}enum Month {
  MONTH_UNSPECIFIED = 0; JANUARY = 1; FEBRUARY = 2; MARCH = 3; APRIL = 4; MAY = 5; JUNE = 6;
  JULY = 7; AUGUST = 8; SEPTEMBER = 9; OCTOBER = 10; NOVEMBER = 11; DECEMBER = 12;
}\n`,
  "google/type/phone_number.proto": `${GOOGLE_TYPE}message PhoneNumber {
  oneof kind { string e164_number = 1; ShortCode short_code = 2; }
  string extension = 3;
  message ShortCode { string region_code = 1; string number = 2; }
}\n`,
  "google/type/postal_address.proto": `${GOOGLE_TYPE}message PostalAddress {
  int32 revision = 1; string region_code = 2; string language_code = 3; string postal_code = 4;
  string sorting_code = 5; string administrative_area = 6; string locality = 7; string sublocality = 8;
  repeated string address_lines = 9; repeated string recipients = 10; string organization = 11;
}\n`,
  "google/type/quaternion.proto": `${GOOGLE_TYPE}message Quaternion { double x = 1; double y = 2; double z = 3; double w = 4; }\n`,
  "google/type/timeofday.proto": `${GOOGLE_TYPE}message TimeOfDay { int32 hours = 1; int32 minutes = 2; int32 seconds = 3; int32 nanos = 4; }\n`,

  "confluent/meta.proto": `syntax = "proto3";
package confluent;
import "google/protobuf/descriptor.proto";
message Meta { string doc = 1; map<string, string> params = 2; repeated string tags = 3; }
extend google.protobuf.FileOptions { Meta file_meta = 1088; }
extend google.protobuf.MessageOptions { Meta message_meta = 1088; }
extend google.protobuf.FieldOptions { Meta field_meta = 1088; }
extend google.protobuf.EnumOptions { Meta enum_meta = 1088; }
extend google.protobuf.EnumValueOptions { Meta enum_value_meta = 1088; }
`,
  "confluent/type/decimal.proto": `syntax = "proto3";
package confluent.type;
message Decimal { bytes value = 1; uint32 precision = 2; int32 scale = 3; }
`,
};

const FROM_PROTOBUFJS = ["descriptor", "api", "type", "source_context"].map((name) => `google/protobuf/${name}.proto`);

const loaded = new Map<string, string>();

/** The text of a built-in file by import path, or undefined when the path is not one. */
export function wellKnownText(path: string): string | undefined {
  const text = TEXTS[path];
  if (text !== undefined) return text;
  if (!FROM_PROTOBUFJS.includes(path)) return undefined;
  let cached = loaded.get(path);
  if (cached === undefined) {
    const require = createRequire(import.meta.url);
    cached = readFileSync(require.resolve(`protobufjs/${path}`), "utf8");
    loaded.set(path, cached);
  }
  return cached;
}

/** Every built-in import path. */
export const WELL_KNOWN_PATHS: readonly string[] = [...Object.keys(TEXTS), ...FROM_PROTOBUFJS].sort();

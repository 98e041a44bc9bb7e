// The names that make a schema a logical type. A module of their own so that value validation
// can recognise logical types without importing the logical-type helpers (which build schemas
// at load time and would otherwise form an import cycle with the schema builder).
export const DECIMAL_LOGICAL_NAME = "org.apache.kafka.connect.data.Decimal";
export const DATE_LOGICAL_NAME = "org.apache.kafka.connect.data.Date";
export const TIME_LOGICAL_NAME = "org.apache.kafka.connect.data.Time";
export const TIMESTAMP_LOGICAL_NAME = "org.apache.kafka.connect.data.Timestamp";

// pgoutput: PostgreSQL's logical replication output plugin protocol, decoded.
export { formatLsn, parseLsn, postgresTimestampToDate } from "./lsn.ts";
export { PgoutputFormatError } from "./reader.ts";
export { parseMessage } from "./messages.ts";
export type * from "./messages.ts";
export { PgoutputDecoder, UNCHANGED_TOAST } from "./decoder.ts";
export type { ColumnValue, DeleteChange, InsertChange, PgoutputEvent, Row, TruncateChange, UpdateChange } from "./decoder.ts";

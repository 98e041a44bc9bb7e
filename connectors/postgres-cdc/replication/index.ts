// The PostgreSQL-facing side of the CDC source: connections, slots, publications and the
// logical replication stream.
export {
  PostgresError,
  connectClient,
  qualifiedName,
  quoteIdentifier,
  quoteLiteral,
  serverVersionNum,
  toClientConfig,
  type PgConnectionOptions,
} from "./connection.ts";
export { PgReplicationStream, openReplicationStream, startReplicationCommand, type ReplicationStreamParams, type ReplicationStreamStats } from "./stream.ts";
export { createSlot, createSlotWithSnapshot, currentWalLsn, dropSlot, slotState, type SlotState, type SlotWithSnapshot } from "./slots.ts";
export { ensurePublication, type PublicationAutocreateMode, type PublishedTable } from "./publication.ts";

// The classic group coordinator: see coordinator.ts.
export { GroupCoordinator, NEW_MEMBER_JOIN_TIMEOUT_MS, type CoordinatorLogger, type GroupCoordinatorOptions } from "./coordinator.ts";
export { ErrorCode } from "./error-codes.ts";
export { ManualScheduler, systemScheduler, flushMicrotasks, type Cancel, type Scheduler } from "./scheduler.ts";
export {
  GroupStoreError,
  InMemoryGroupStore,
  entryKey,
  type GroupEntry,
  type GroupMemberRecord,
  type GroupMetadataRecord,
  type GroupStore,
  type GroupStoreEntry,
  type OffsetCommitRecord,
  type OffsetEntry,
} from "./store.ts";
export { parseSubscriptionTopics } from "./consumer-protocol.ts";
export * from "./types.ts";

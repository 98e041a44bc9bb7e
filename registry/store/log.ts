// The registry's storage is a log of key/value records in Confluent's format (JSON keys with a
// `keytype`: SCHEMA, CONFIG, MODE, DELETE_SUBJECT, CLEAR_SUBJECT, NOOP; JSON values, null for a
// tombstone), kept in the compacted `_schemas` topic (kafka-log.ts) or in memory for tests
// (memory-log.ts). Every instance rebuilds its state by reading the log from the beginning;
// writes go through the leader (election.ts) and are applied when they are read back, so every
// instance applies the same records in the same order.

export interface RegistryLogRecord {
  /** The record key's bytes (Confluent's JSON key). */
  readonly key: Buffer;
  /** The record value's bytes (Confluent's JSON value), null for a tombstone. */
  readonly value: Buffer | null;
  /** Position in the log. */
  readonly offset: number;
}

export interface RegistryLog {
  /**
   * Reads the log from the beginning, handing each record to `apply` in order (also the ones
   * appended later, by this instance or any other), and resolves once every record that was in
   * the log when it started has been applied. Rejects if the log cannot be read (no broker, no
   * topic and it cannot be created...).
   */
  start(apply: (record: RegistryLogRecord) => void): Promise<void>;
  /**
   * Appends one record and resolves once it has been read back and applied (read-your-writes,
   * as Confluent's KafkaStore waits for its own write), with its offset.
   */
  append(key: Buffer, value: Buffer | null): Promise<number>;
  /**
   * Resolves once every record appended anywhere before this call has been applied (a follower
   * becoming leader catches up before it assigns ids).
   */
  waitUntilCaughtUp(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/** How an instance tells others where to forward writes (Confluent's SchemaRegistryIdentity). */
export interface RegistryIdentity {
  readonly host: string;
  readonly port: number;
  readonly scheme: "http" | "https";
  /** `leader.eligibility`: an instance that is not eligible never leads. */
  readonly leaderEligibility: boolean;
}

/**
 * Leader election among the instances sharing a log (Kafka's group protocol with protocol type
 * "sr", as Confluent's KafkaGroupLeaderElector). One instance alone is its own leader.
 */
export interface LeaderElection {
  start(identity: RegistryIdentity): Promise<void>;
  /** The current leader, or null during an election. */
  leader(): RegistryIdentity | null;
  isLeader(): boolean;
  /** Called after each election with the new leader (null: none eligible). */
  onLeaderChange(listener: (leader: RegistryIdentity | null) => void): void;
  close(): Promise<void>;
}

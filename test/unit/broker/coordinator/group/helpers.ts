// Shared set-up for the group coordinator unit tests: a coordinator on virtual time with an
// in-memory store, and builders for requests the way Kafka clients send them.
import { expect } from "vitest";
import { GroupCoordinator } from "../../../../../broker/coordinator/group/coordinator.ts";
import { ErrorCode } from "../../../../../broker/coordinator/group/error-codes.ts";
import { ManualScheduler, flushMicrotasks } from "../../../../../broker/coordinator/group/scheduler.ts";
import { InMemoryGroupStore } from "../../../../../broker/coordinator/group/store.ts";
import type { GroupCoordinatorConfig, JoinGroupRequest, JoinGroupResult, SyncGroupResult } from "../../../../../broker/coordinator/group/types.ts";
import { encodeConsumerProtocolSubscription } from "../../../../../broker/protocol/generated/consumer-protocol-subscription.ts";
import { Writer } from "../../../../../broker/protocol/primitives/writer.ts";

export { ErrorCode, flushMicrotasks };

export const INITIAL_DELAY = 100;
export const SESSION = 10_000;
export const REBALANCE = 30_000;

export interface Harness {
  coordinator: GroupCoordinator;
  store: InMemoryGroupStore;
  clock: ManualScheduler;
}

export function setup(config: Partial<GroupCoordinatorConfig> = {}, store = new InMemoryGroupStore(), clock = new ManualScheduler()): Harness {
  const coordinator = new GroupCoordinator({
    store,
    scheduler: clock,
    config: { "group.initial.rebalance.delay.ms": INITIAL_DELAY, ...config },
  });
  return { coordinator, store, clock };
}

/** A ConsumerProtocolSubscription as the Java consumer writes it (v3 by default). */
export function subscription(topics: string[], version = 3): Buffer {
  const w = new Writer();
  w.int16(version);
  encodeConsumerProtocolSubscription(w, version, { topics, userData: null, ownedPartitions: [], generationId: -1, rackId: null });
  return w.toBuffer();
}

export function joinRequest(overrides: Partial<JoinGroupRequest> = {}): JoinGroupRequest {
  return {
    groupId: "g",
    memberId: "",
    groupInstanceId: null,
    protocolType: "consumer",
    protocols: [{ name: "range", metadata: subscription(["t"]) }],
    sessionTimeoutMs: SESSION,
    rebalanceTimeoutMs: REBALANCE,
    clientId: "client",
    clientHost: "/127.0.0.1",
    reason: null,
    requireKnownMemberId: false,
    ...overrides,
  };
}

/** Tracks whether a promise has settled, so tests can assert that a request is still parked. */
export function track<T>(p: Promise<T>): { readonly done: boolean; readonly value: T | undefined; promise: Promise<T> } {
  const state = { done: false, value: undefined as T | undefined, promise: p };
  p.then((v) => {
    state.done = true;
    state.value = v;
  });
  return state;
}

export function assignmentFor(memberId: string): Buffer {
  return Buffer.from(`assignment-of-${memberId}`);
}

/**
 * Joins `count` dynamic members into a new group and completes the first generation
 * (join, leader sync with an assignment per member, follower syncs). Returns the member
 * ids in join order (the first is the leader) and the generation.
 */
export async function formGroup(h: Harness, count: number, overrides: Partial<JoinGroupRequest> = {}): Promise<{ memberIds: string[]; generationId: number; leader: string; joins: JoinGroupResult[] }> {
  const pending = Array.from({ length: count }, (_, i) => h.coordinator.joinGroup(joinRequest({ clientId: `c${i}`, ...overrides })));
  // The members arrive within the initial delay, which one extension covers.
  await h.clock.advanceAsync(2 * INITIAL_DELAY);
  const joins = await Promise.all(pending);
  for (const j of joins) expect(j.errorCode).toBe(ErrorCode.NONE);
  const leader = joins[0]!.leader;
  const generationId = joins[0]!.generationId;
  const memberIds = joins.map((j) => j.memberId);
  await syncAll(h, overrides.groupId ?? "g", generationId, leader, memberIds);
  return { memberIds, generationId, leader, joins };
}

/** Every member syncs; the leader hands out assignmentFor(member). */
export async function syncAll(h: Harness, groupId: string, generationId: number, leader: string, memberIds: string[]): Promise<SyncGroupResult[]> {
  const syncs = memberIds.map((memberId) =>
    h.coordinator.syncGroup({
      groupId,
      generationId,
      memberId,
      groupInstanceId: null,
      protocolType: null,
      protocolName: null,
      assignments: memberId === leader ? memberIds.map((m) => ({ memberId: m, assignment: assignmentFor(m) })) : [],
    }),
  );
  const results = await Promise.all(syncs);
  results.forEach((r, i) => {
    expect(r.errorCode).toBe(ErrorCode.NONE);
    expect(r.assignment.toString()).toBe(assignmentFor(memberIds[i]!).toString());
  });
  return results;
}

export function heartbeat(h: Harness, memberId: string, generationId: number, groupId = "g", groupInstanceId: string | null = null): number {
  return h.coordinator.heartbeat({ groupId, memberId, generationId, groupInstanceId }).errorCode;
}

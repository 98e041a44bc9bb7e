// The leader's assignment of connectors and tasks to workers under incremental cooperative
// rebalancing (KIP-415), as Kafka's IncrementalCooperativeAssignor behaves:
//   - members keep what they run; each round only hands out what is new and revokes what must
//     move, so a rebalance does not stop the whole cluster;
//   - work that disappears with a worker ("lost") is held for scheduled.rebalance.max.delay.ms,
//     in case the worker comes back (a restart, a deploy); members are told to rejoin after the
//     remaining delay, and when it expires the lost work goes to the workers that joined empty
//     meanwhile, else it is spread as new work;
//   - a new, empty worker gets its share by load-balancing revocations: the busiest workers
//     give up what is above the balanced count in one round, and the freed work is assigned
//     in the follow-up round (members that had something revoked rejoin at once). Successive
//     revoking rounds back off exponentially (1 ms × 40^n, capped at the max delay), so a
//     flapping group cannot revoke in a loop;
//   - deleted connectors and tasks are revoked, and so is anything two workers both run.
// Pure: no I/O; the clock is injected. One instance lives on each worker and is used when that
// worker is the leader (the state only means something across consecutive generations).
import type { ConnectorId } from "../entities.ts";
import { type ConnectAssignment, CONFIG_MISMATCH, type ConnectorsAndTasks, NO_ERROR } from "./connect-protocol.ts";
import { compareTasks, WorkSet } from "./connectors-and-tasks.ts";

export interface MemberState {
  readonly url: string;
  readonly configOffset: number;
  /** What the member runs now (its allocation in the join metadata). */
  readonly owned: ConnectorsAndTasks;
}

export interface AssignmentRound {
  readonly leaderId: string;
  /** 1 (compatible) or 2 (sessioned). */
  readonly protocolVersion: number;
  /** The config topic offset the assignment is computed at. */
  readonly configOffset: number;
  readonly members: ReadonlyMap<string, MemberState>;
  /** Every configured connector and its committed tasks. */
  readonly configured: ConnectorsAndTasks;
  /** The generation the leader last completed a rebalance in (-1: none). */
  readonly lastCompletedGenerationId: number;
  readonly currentGenerationId: number;
}

export interface AssignmentResult {
  /** What each member is told: newly assigned, revoked, and the rejoin delay. */
  readonly assignments: Map<string, ConnectAssignment>;
  /** What each member runs once it has applied its assignment (who runs what, for forwarding). */
  readonly allocation: Map<string, WorkSet>;
  readonly delay: number;
}

/** A worker's load while a round is computed. */
class Load {
  readonly member: string;
  readonly work: WorkSet;
  constructor(member: string, work: WorkSet) {
    this.member = member;
    this.work = work;
  }
}

const byMember = (a: Load, b: Load): number => (a.member < b.member ? -1 : a.member > b.member ? 1 : 0);

export class IncrementalCooperativeAssignor {
  readonly #maxDelay: number;
  readonly #now: () => number;

  #previousAssignment = new WorkSet();
  #previousRevocation = new WorkSet();
  #previousGenerationId = -1;
  #previousMembers = new Set<string>();
  #scheduledRebalance = 0;
  #delay = 0;
  readonly #candidatesForReassignment = new Set<string>();
  #revokedInPrevious = false;
  #successiveRevokingRounds = 0;

  constructor(options: { maxDelayMs: number; now?: () => number }) {
    this.#maxDelay = options.maxDelayMs;
    this.#now = options.now ?? Date.now;
  }

  /** The delay members are currently asked to wait before rejoining (0: none). */
  get delay(): number {
    return this.#delay;
  }

  assign(round: AssignmentRound): AssignmentResult {
    if (this.#previousGenerationId !== round.lastCompletedGenerationId) {
      // The last round this leader computed did not complete (or another worker led since):
      // its view of what was assigned may be wrong, so start from what members report.
      this.#previousAssignment = new WorkSet();
    }
    const configured = WorkSet.of(round.configured);
    const owned = new Map<string, WorkSet>([...round.members].map(([m, s]) => [m, WorkSet.of(s.owned)]));
    const active = WorkSet.union(owned.values());

    if (!this.#previousRevocation.isEmpty()) {
      // A member still runs something it was told to give up: that revocation did not take.
      if (this.#previousRevocation.overlaps(active)) this.#previousAssignment = WorkSet.union([active]);
      this.#previousRevocation = new WorkSet();
    }

    const deleted = this.#previousAssignment.minus(configured);
    const duplicated = duplicates(owned.values());
    const lost = this.#previousAssignment.minus(active, deleted);
    const created = configured.minus(this.#previousAssignment, active);

    // What each member keeps before this round's changes: its work minus deleted work (the
    // incremental assignment is computed against this).
    const current = new Map<string, WorkSet>([...owned].map(([m, w]) => [m, w.minus(deleted)]));

    const toRevoke = new Map<string, WorkSet>();
    const revoke = (member: string, work: WorkSet): void => {
      if (work.isEmpty()) return;
      let set = toRevoke.get(member);
      if (!set) toRevoke.set(member, (set = new WorkSet()));
      set.add(work);
    };
    for (const [member, work] of owned) {
      revoke(member, work.intersect(deleted));
      revoke(member, work.intersect(duplicated));
    }

    const next: Load[] = [...owned].map(([m, w]) => new Load(m, w.minus(deleted, duplicated))).sort(byMember);

    const lostToReassign = this.#handleLost(lost, next);

    if (this.#delay === 0) {
      const balancing = this.#loadBalancingRevocations(configured, next);
      if (balancing.size > 0 && this.#revokedInPrevious) {
        this.#successiveRevokingRounds++;
        this.#delay = this.#backoff(this.#successiveRevokingRounds);
        if (this.#delay !== 0) {
          this.#scheduledRebalance = this.#now() + this.#delay;
        } else {
          this.#applyRevocations(balancing, next, revoke);
        }
      } else if (balancing.size > 0) {
        this.#applyRevocations(balancing, next, revoke);
        this.#revokedInPrevious = true;
      } else if (this.#revokedInPrevious) {
        // The previous round revoked and this one need not: the load has converged.
        this.#revokedInPrevious = false;
        this.#successiveRevokingRounds = 0;
      }
    } else {
      this.#revokedInPrevious = false;
    }

    const toAssign = WorkSet.union([created, lostToReassign]);
    assignEvenly(next, [...toAssign.connectors].sort(), (load) => load.work.connectors.size, (load, c) => load.work.connectors.add(c));
    assignEvenly(next, [...toAssign.tasks.values()].sort(compareTasks), (load) => load.work.tasks.size, (load, t) => load.work.addTask(t));

    const assignments = new Map<string, ConnectAssignment>();
    const allocation = new Map<string, WorkSet>();
    const nextAll = new WorkSet();
    for (const load of next) {
      const revoked = toRevoke.get(load.member) ?? new WorkSet();
      const newly = load.work.minus(current.get(load.member) ?? new WorkSet());
      const after = load.work.minus(revoked);
      allocation.set(load.member, after);
      nextAll.add(load.work);
      const n = newly.toJSON();
      const r = revoked.toJSON();
      assignments.set(load.member, {
        version: round.protocolVersion,
        error: NO_ERROR,
        leader: round.leaderId,
        leaderUrl: round.members.get(round.leaderId)?.url ?? "",
        configOffset: round.configOffset,
        connectors: n.connectors,
        tasks: n.tasks,
        revokedConnectors: r.connectors,
        revokedTasks: r.tasks,
        delay: this.#delay,
      });
    }

    // Remember what should run after this round: revoked work is expected to stop (and is
    // checked next round), lost work is still expected back until it is reassigned.
    for (const revoked of toRevoke.values()) {
      nextAll.remove(revoked);
      this.#previousRevocation.add(revoked);
    }
    nextAll.add(lost);
    this.#previousAssignment = nextAll;
    this.#previousGenerationId = round.currentGenerationId;
    this.#previousMembers = new Set(round.members.keys());

    return { assignments, allocation, delay: this.#delay };
  }

  /** Decides what to do with lost work; returns what should be reassigned as new work now. */
  #handleLost(lost: WorkSet, next: Load[]): WorkSet {
    const reassign = new WorkSet();
    if (lost.isEmpty() && !this.#revokedInPrevious) {
      this.#resetDelay();
      return reassign;
    }
    const now = this.#now();
    const activeMembers = new Set(next.map((l) => l.member));
    const nobodyLeft = [...this.#previousMembers].every((m) => activeMembers.has(m));
    if (this.#scheduledRebalance <= 0 && nobodyLeft) {
      // Every worker is still here: the work is missing because a member did not get or apply
      // its last assignment, not because a worker left. Hand it out again at once.
      return reassign.add(lost);
    }
    if (this.#maxDelay === 0) return reassign.add(lost);

    if (this.#scheduledRebalance > 0 && now >= this.#scheduledRebalance) {
      // The departed workers did not come back in time.
      const candidates = next.filter((l) => this.#candidatesForReassignment.has(l.member));
      if (candidates.length > 0) {
        let i = 0;
        for (const c of lost.connectors) candidates[i++ % candidates.length]!.work.connectors.add(c);
        i = 0;
        for (const t of lost.tasks.values()) candidates[i++ % candidates.length]!.work.addTask(t);
      } else {
        reassign.add(lost);
      }
      this.#resetDelay();
      this.#revokedInPrevious = false;
      return reassign;
    }

    // Start (or continue) holding the lost work; workers that have nothing are the ones that
    // may be the departed ones coming back, so they get it when the delay expires.
    for (const l of next) if (l.work.isEmpty()) this.#candidatesForReassignment.add(l.member);
    if (now < this.#scheduledRebalance) {
      this.#delay = Math.min(this.#scheduledRebalance - now, this.#maxDelay);
    } else {
      this.#delay = this.#maxDelay;
    }
    this.#scheduledRebalance = now + this.#delay;
    return reassign;
  }

  #resetDelay(): void {
    this.#candidatesForReassignment.clear();
    this.#scheduledRebalance = 0;
    this.#delay = 0;
  }

  /** Kafka's ExponentialBackoff(1, 40, maxDelay, no jitter) for successive revoking rounds. */
  #backoff(attempts: number): number {
    if (this.#maxDelay === 0) return 0;
    const maxExponent = this.#maxDelay > 1 ? Math.log(this.#maxDelay) / Math.log(40) : 0;
    const value = Math.floor(40 ** Math.min(attempts, maxExponent));
    return Math.min(value, this.#maxDelay);
  }

  #applyRevocations(balancing: Map<string, WorkSet>, next: Load[], revoke: (member: string, work: WorkSet) => void): void {
    for (const load of next) {
      const revoked = balancing.get(load.member);
      if (!revoked) continue;
      revoke(load.member, revoked);
      load.work.remove(revoked);
    }
  }

  /** What each worker must give up so that none runs more than its balanced share. */
  #loadBalancingRevocations(configured: WorkSet, loads: Load[]): Map<string, WorkSet> {
    const out = new Map<string, WorkSet>();
    if (loads.every((l) => l.work.isEmpty()) || configured.isEmpty()) return out;
    const connectorRevocations = balance(configured.connectors.size, loads, (l) => [...l.work.connectors]);
    const taskRevocations = balance(configured.tasks.size, loads, (l) => [...l.work.tasks.values()]);
    for (const [member, connectors] of connectorRevocations) out.set(member, WorkSet.of({ connectors, tasks: [] }));
    for (const [member, tasks] of taskRevocations) {
      const set = out.get(member) ?? new WorkSet();
      for (const t of tasks) set.addTask(t);
      out.set(member, set);
    }
    return out;
  }
}

/** Items that more than one member runs. */
function duplicates(works: Iterable<WorkSet>): WorkSet {
  const seen = new WorkSet();
  const dup = new WorkSet();
  for (const w of works) {
    for (const c of w.connectors) (seen.connectors.has(c) ? dup.connectors : seen.connectors).add(c);
    for (const t of w.tasks.values()) {
      if (seen.hasTask(t)) dup.addTask(t);
      else seen.addTask(t);
    }
  }
  return dup;
}

/**
 * Per worker, the items to revoke so that every worker ends at the balanced count (total /
 * workers, one more for `total % workers` of them). Workers already at count+1 keep their
 * extra first; only what is above a worker's allowance is revoked.
 */
function balance<T>(total: number, loads: Load[], items: (l: Load) => T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  const workers = loads.length;
  const min = Math.floor(total / workers);
  let extras = total % workers;
  const sizes = loads.map((l) => items(l).length);
  const atMin = sizes.filter((n) => n === min).length;
  const atMinPlusOne = sizes.filter((n) => n === min + 1).length;
  if (atMinPlusOne === extras && atMin + atMinPlusOne === workers) return out;
  // Workers exactly one above the minimum keep it without moving anything, so they take the
  // extra allowances first; the busier ones are trimmed.
  const order = [...loads].sort((a, b) => {
    const da = items(a).length === min + 1 ? 0 : 1;
    const db = items(b).length === min + 1 ? 0 : 1;
    return da - db || byMember(a, b);
  });
  for (const load of order) {
    const list = items(load);
    if (list.length <= min) continue;
    let allowed = min;
    if (extras > 0) {
      extras--;
      allowed = min + 1;
    }
    if (list.length > allowed) out.set(load.member, list.slice(allowed));
  }
  return out;
}

/** Gives each item to the least-loaded worker (ties: the lowest member id). */
function assignEvenly<T>(loads: Load[], items: T[], size: (l: Load) => number, give: (l: Load, item: T) => void): void {
  if (loads.length === 0) return;
  for (const item of items) {
    let best = loads[0]!;
    for (const l of loads) if (size(l) < size(best) || (size(l) === size(best) && l.member < best.member)) best = l;
    give(best, item);
  }
}

/** Every member is told to read the config topic to `configOffset` and rejoin (CONFIG_MISMATCH). */
export function configMismatchAssignments(
  members: Iterable<string>,
  leader: { id: string; url: string },
  configOffset: number,
  protocolVersion: number,
): Map<string, ConnectAssignment> {
  const out = new Map<string, ConnectAssignment>();
  for (const member of members) {
    out.set(member, {
      version: protocolVersion,
      error: CONFIG_MISMATCH,
      leader: leader.id,
      leaderUrl: leader.url,
      configOffset,
      connectors: [],
      tasks: [],
      revokedConnectors: [],
      revokedTasks: [],
      delay: 0,
    });
  }
  return out;
}

/**
 * The eager protocol ("default", version 0): members drop everything before joining, and the
 * leader deals all connectors and tasks out round-robin over the members in id order (Kafka's
 * EagerAssignor), each connector followed by its tasks.
 */
export function eagerAssign(round: Omit<AssignmentRound, "lastCompletedGenerationId" | "currentGenerationId" | "protocolVersion">): AssignmentResult {
  const members = [...round.members.keys()].sort();
  const allocation = new Map<string, WorkSet>(members.map((m) => [m, new WorkSet()]));
  const tasksByConnector = new Map<string, ConnectorId[]>();
  for (const t of round.configured.tasks) {
    let list = tasksByConnector.get(t.connector);
    if (!list) tasksByConnector.set(t.connector, (list = []));
    list.push(t);
  }
  let i = 0;
  const nextMember = (): WorkSet => allocation.get(members[i++ % members.length]!)!;
  for (const connector of [...round.configured.connectors].sort()) {
    nextMember().connectors.add(connector);
    for (const t of (tasksByConnector.get(connector) ?? []).sort(compareTasks)) nextMember().addTask(t);
  }
  const assignments = new Map<string, ConnectAssignment>();
  for (const [member, work] of allocation) {
    const w = work.toJSON();
    assignments.set(member, {
      version: 0,
      error: NO_ERROR,
      leader: round.leaderId,
      leaderUrl: round.members.get(round.leaderId)?.url ?? "",
      configOffset: round.configOffset,
      connectors: w.connectors,
      tasks: w.tasks,
      revokedConnectors: [],
      revokedTasks: [],
      delay: 0,
    });
  }
  return { assignments, allocation, delay: 0 };
}

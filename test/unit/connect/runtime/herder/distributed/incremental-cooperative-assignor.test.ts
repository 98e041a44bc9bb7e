// The incremental cooperative assignor played over a simulated group: members apply each
// assignment (stop what is revoked, start what is assigned), rejoin at once after a revocation
// and after the scheduled delay otherwise, as Kafka Connect's workers do (KIP-415).
import { describe, expect, it } from "vitest";
import type { ConnectorId } from "../../../../../../connect/runtime/herder/entities.ts";
import { type ConnectAssignment, CONFIG_MISMATCH } from "../../../../../../connect/runtime/herder/distributed/connect-protocol.ts";
import { WorkSet } from "../../../../../../connect/runtime/herder/distributed/connectors-and-tasks.ts";
import {
  configMismatchAssignments,
  eagerAssign,
  IncrementalCooperativeAssignor,
} from "../../../../../../connect/runtime/herder/distributed/incremental-cooperative-assignor.ts";

function configured(spec: Record<string, number>): { connectors: string[]; tasks: ConnectorId[] } {
  const connectors = Object.keys(spec);
  const tasks = connectors.flatMap((c) => Array.from({ length: spec[c]! }, (_, task) => ({ connector: c, task })));
  return { connectors, tasks };
}

class Cluster {
  readonly members = new Map<string, WorkSet>();
  clock = 1_000_000;
  generation = 0;
  lastCompleted = -1;
  readonly assignor: IncrementalCooperativeAssignor;
  config: { connectors: string[]; tasks: ConnectorId[] };
  lastAssignments = new Map<string, ConnectAssignment>();
  moves = 0;

  constructor(maxDelayMs: number, config: { connectors: string[]; tasks: ConnectorId[] }) {
    this.assignor = new IncrementalCooperativeAssignor({ maxDelayMs, now: () => this.clock });
    this.config = config;
  }

  join(member: string): void {
    this.members.set(member, new WorkSet());
  }

  leave(member: string): void {
    this.members.delete(member);
  }

  /** One rebalance; returns the assignments handed out. */
  round(): Map<string, ConnectAssignment> {
    this.generation++;
    const leaderId = [...this.members.keys()].sort()[0]!;
    const result = this.assignor.assign({
      leaderId,
      protocolVersion: 2,
      configOffset: 10,
      members: new Map([...this.members].map(([m, w]) => [m, { url: `http://${m}/`, configOffset: 10, owned: w.toJSON() }])),
      configured: this.config,
      lastCompletedGenerationId: this.lastCompleted,
      currentGenerationId: this.generation,
    });
    this.lastCompleted = this.generation;
    for (const [member, a] of result.assignments) {
      const work = this.members.get(member)!;
      work.remove({ connectors: a.revokedConnectors, tasks: a.revokedTasks });
      this.moves += a.revokedConnectors.length + a.revokedTasks.length;
      work.add({ connectors: a.connectors, tasks: a.tasks });
      expect(result.allocation.get(member)!.toJSON()).toEqual(work.toJSON());
    }
    this.lastAssignments = result.assignments;
    return result.assignments;
  }

  /** Rebalances until nobody has anything revoked and no delay is pending (at most n rounds). */
  settle(n = 10): number {
    for (let i = 1; i <= n; i++) {
      const assignments = this.round();
      const revoked = [...assignments.values()].some((a) => a.revokedConnectors.length + a.revokedTasks.length > 0);
      const delay = Math.max(0, ...[...assignments.values()].map((a) => a.delay));
      if (!revoked && delay === 0) return i;
      if (!revoked) this.clock += delay;
    }
    throw new Error("the group did not settle");
  }

  counts(): Record<string, [number, number]> {
    return Object.fromEntries([...this.members].map(([m, w]) => [m, [w.connectors.size, w.tasks.size]]));
  }

  /** Every configured item runs exactly once. */
  expectEverythingRunsOnce(): void {
    const all: string[] = [];
    for (const w of this.members.values()) all.push(...[...w.connectors].map((c) => `c:${c}`), ...[...w.tasks.values()].map((t) => `t:${t.connector}/${t.task}`));
    const expected = [...this.config.connectors.map((c) => `c:${c}`), ...this.config.tasks.map((t) => `t:${t.connector}/${t.task}`)];
    expect(all.sort()).toEqual(expected.sort());
  }
}

describe("IncrementalCooperativeAssignor", () => {
  it("spreads connectors and tasks evenly over a new group in one round", () => {
    const c = new Cluster(300_000, configured({ a: 4, b: 4, c: 4 }));
    ["w1", "w2", "w3"].forEach((m) => c.join(m));
    expect(c.settle()).toBe(1);
    expect(c.counts()).toEqual({ w1: [1, 4], w2: [1, 4], w3: [1, 4] });
    c.expectEverythingRunsOnce();
  });

  it("gives a new worker its share in a follow-up round, moving only what must move", () => {
    const c = new Cluster(300_000, configured({ a: 4, b: 4, c: 4 }));
    ["w1", "w2", "w3"].forEach((m) => c.join(m));
    c.settle();
    c.moves = 0;
    c.join("w4");
    const first = c.round();
    // Round 1 only revokes: the newcomer gets nothing yet.
    expect(first.get("w4")!.connectors).toEqual([]);
    expect(first.get("w4")!.tasks).toEqual([]);
    const revoked = [...first.values()].reduce((n, a) => n + a.revokedTasks.length, 0);
    expect(revoked).toBe(3); // 12 tasks over 4 workers: each of the three gives up one
    c.settle();
    expect(Object.values(c.counts()).map(([, t]) => t)).toEqual([3, 3, 3, 3]);
    // Connectors: 3 over 4 workers is balanced without moving any.
    expect(Object.values(c.counts()).map(([n]) => n).sort()).toEqual([0, 1, 1, 1]);
    expect(c.moves).toBe(3);
    c.expectEverythingRunsOnce();
  });

  it("holds a departed worker's work for the scheduled delay, then reassigns it", () => {
    const c = new Cluster(10_000, configured({ a: 3, b: 3, c: 3 }));
    ["w1", "w2", "w3"].forEach((m) => c.join(m));
    c.settle();
    const lostWork = c.members.get("w2")!.toJSON();
    c.leave("w2");
    const held = c.round();
    for (const a of held.values()) {
      expect(a.delay).toBe(10_000);
      expect(a.connectors).toEqual([]);
      expect(a.tasks).toEqual([]);
    }
    // Still within the delay: nothing moves, the remaining delay is reported.
    c.clock += 4_000;
    for (const a of c.round().values()) expect(a.delay).toBe(6_000);
    c.clock += 6_000;
    const after = c.round();
    const reassigned = WorkSet.union([...after.values()].map((a) => ({ connectors: a.connectors, tasks: a.tasks })));
    expect(reassigned.toJSON()).toEqual(lostWork);
    for (const a of after.values()) expect(a.delay).toBe(0);
    c.expectEverythingRunsOnce();
    c.settle();
    // Connectors and tasks are balanced separately, as in Kafka.
    expect(Object.values(c.counts()).map(([n]) => n).sort()).toEqual([1, 2]);
    expect(Object.values(c.counts()).map(([, t]) => t).sort()).toEqual([4, 5]);
  });

  it("gives the held work to a worker that joins during the delay (the departed one coming back)", () => {
    const c = new Cluster(10_000, configured({ a: 2, b: 2, c: 2 }));
    ["w1", "w2", "w3"].forEach((m) => c.join(m));
    c.settle();
    const lostWork = c.members.get("w3")!.toJSON();
    const w1Before = c.members.get("w1")!.toJSON();
    c.leave("w3");
    c.round();
    c.clock += 2_000;
    c.join("w3-restarted");
    c.round(); // the newcomer is noted as a candidate; the delay keeps running
    c.clock += 8_000;
    c.round();
    expect(c.members.get("w3-restarted")!.toJSON()).toEqual(lostWork);
    expect(c.members.get("w1")!.toJSON()).toEqual(w1Before);
    c.expectEverythingRunsOnce();
  });

  it("reassigns lost work at once with scheduled.rebalance.max.delay.ms=0", () => {
    const c = new Cluster(0, configured({ a: 2, b: 2 }));
    ["w1", "w2"].forEach((m) => c.join(m));
    c.settle();
    c.leave("w1");
    const a = c.round().get("w2")!;
    expect(a.delay).toBe(0);
    c.expectEverythingRunsOnce();
  });

  it("revokes a deleted connector's instance and tasks from the workers running them", () => {
    const c = new Cluster(300_000, configured({ a: 2, b: 2 }));
    ["w1", "w2"].forEach((m) => c.join(m));
    c.settle();
    c.config = configured({ b: 2 });
    const assignments = c.round();
    const revoked = WorkSet.union([...assignments.values()].map((a) => ({ connectors: a.revokedConnectors, tasks: a.revokedTasks })));
    expect(revoked.toJSON()).toEqual(configured({ a: 2 }));
    c.settle();
    c.expectEverythingRunsOnce();
  });

  it("assigns the tasks of a connector that grows, and revokes those of one that shrinks", () => {
    const c = new Cluster(300_000, configured({ a: 2 }));
    ["w1", "w2"].forEach((m) => c.join(m));
    c.settle();
    c.config = configured({ a: 6 });
    c.settle();
    c.expectEverythingRunsOnce();
    expect(Object.values(c.counts()).map(([, t]) => t)).toEqual([3, 3]);
    c.config = configured({ a: 1 });
    c.settle();
    c.expectEverythingRunsOnce();
  });

  it("revokes work two members both run, then assigns it to one", () => {
    const c = new Cluster(300_000, configured({ a: 2 }));
    ["w1", "w2"].forEach((m) => c.join(m));
    c.settle();
    const t = [...c.members.get("w1")!.tasks.values()][0]!;
    c.members.get("w2")!.addTask(t);
    const assignments = c.round();
    expect(assignments.get("w1")!.revokedTasks).toContainEqual(t);
    expect(assignments.get("w2")!.revokedTasks).toContainEqual(t);
    c.settle();
    c.expectEverythingRunsOnce();
  });

  it("backs off when revoking rounds follow each other", () => {
    const c = new Cluster(300_000, configured({ a: 8 }));
    c.join("w1");
    c.settle();
    c.join("w2");
    const first = c.round();
    expect(first.get("w1")!.revokedTasks.length).toBe(4);
    // Another worker joins before the freed tasks were handed out: this round would revoke
    // again, so it is postponed by the backoff (40 ms after one successive revoking round).
    c.join("w3");
    const second = c.round();
    for (const a of second.values()) {
      expect(a.revokedTasks).toEqual([]);
      expect(a.delay).toBe(40);
    }
    c.clock += 40;
    c.settle();
    c.expectEverythingRunsOnce();
    expect(Object.values(c.counts()).map(([, t]) => t).sort()).toEqual([2, 3, 3]);
  });

  it("starts from the members' reports when the previous round did not complete", () => {
    const c = new Cluster(300_000, configured({ a: 4 }));
    ["w1", "w2"].forEach((m) => c.join(m));
    c.settle();
    c.lastCompleted = 999; // another leader ran a round this one knows nothing of
    const assignments = c.round();
    for (const a of assignments.values()) expect(a.revokedTasks).toEqual([]);
    c.expectEverythingRunsOnce();
  });
});

describe("IncrementalCooperativeAssignor under a random sequence of changes", () => {
  /** mulberry32: a small seeded generator, so a failure replays. */
  function random(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  for (const seed of [1, 2, 3, 42, 1234]) {
    it(`settles to every item running once, balanced, after each change (seed ${seed})`, () => {
      const rnd = random(seed);
      const spec: Record<string, number> = { c0: 3, c1: 1 };
      const c = new Cluster(1000, configured(spec));
      let nextWorker = 0;
      let nextConnector = 2;
      for (let i = 0; i < 3; i++) c.join(`w${nextWorker++}`);
      c.settle(20);
      for (let step = 0; step < 40; step++) {
        const r = rnd();
        const workers = [...c.members.keys()];
        if (r < 0.2) c.join(`w${nextWorker++}`);
        else if (r < 0.35 && workers.length > 1) c.leave(workers[Math.floor(rnd() * workers.length)]!);
        else if (r < 0.6) spec[`c${nextConnector++}`] = 1 + Math.floor(rnd() * 5);
        else if (r < 0.75 && Object.keys(spec).length > 1) delete spec[Object.keys(spec)[Math.floor(rnd() * Object.keys(spec).length)]!];
        else {
          const names = Object.keys(spec);
          spec[names[Math.floor(rnd() * names.length)]!] = Math.floor(rnd() * 6);
        }
        c.config = configured(spec);
        c.settle(30);
        c.expectEverythingRunsOnce();
        const counts = Object.values(c.counts());
        const spread = (xs: number[]): number => Math.max(...xs) - Math.min(...xs);
        expect([step, spread(counts.map(([n]) => n)) <= 1, spread(counts.map(([, t]) => t)) <= 1]).toEqual([step, true, true]);
      }
    });
  }
});

describe("eagerAssign", () => {
  it("deals connectors, each followed by its tasks, round-robin over members in id order", () => {
    const result = eagerAssign({
      leaderId: "m1",
      configOffset: 5,
      members: new Map([
        ["m2", { url: "http://m2/", configOffset: 5, owned: { connectors: [], tasks: [] } }],
        ["m1", { url: "http://m1/", configOffset: 5, owned: { connectors: [], tasks: [] } }],
      ]),
      configured: configured({ b: 1, a: 2 }),
    });
    const m1 = result.assignments.get("m1")!;
    const m2 = result.assignments.get("m2")!;
    // a→m1, a/0→m2, a/1→m1, b→m2, b/0→m1
    expect([m1.connectors, m1.tasks]).toEqual([["a"], [{ connector: "a", task: 1 }, { connector: "b", task: 0 }]]);
    expect([m2.connectors, m2.tasks]).toEqual([["b"], [{ connector: "a", task: 0 }]]);
    expect(m1.version).toBe(0);
    expect(m1.leaderUrl).toBe("http://m1/");
  });
});

describe("configMismatchAssignments", () => {
  it("tells every member to catch up to the offset", () => {
    const a = configMismatchAssignments(["x", "y"], { id: "x", url: "http://x/" }, 77, 1);
    expect([...a.keys()]).toEqual(["x", "y"]);
    expect(a.get("y")).toMatchObject({ error: CONFIG_MISMATCH, configOffset: 77, leader: "x", leaderUrl: "http://x/", connectors: [], tasks: [] });
  });
});

// GroupMember against the hub's broker and Apache Kafka: three members of protocol type
// "connect" form a group and get the leader's assignment; a member that leaves, and one that
// stops heartbeating without leaving, each make the others rebalance into a new generation.
import { afterEach, beforeAll, afterAll, describe, expect, it } from "vitest";
import { ApiKey, ErrorCode, GroupMember, KafkaClusterClient, type AssignFunction, type JoinResult } from "../../../lib/kafka-client/index.ts";
import { TARGETS, openTarget, type InteropTarget } from "../../support/interop-targets.ts";
import { waitFor } from "./helpers.ts";

interface Assignment {
  generationId: number;
  memberId: string;
  url: string;
  of: number;
}

/** Connect's leader hands each member its own share; here: a record naming it and the group size. */
const assign: AssignFunction = ({ generationId, members }) =>
  new Map(members.map((m) => [m.memberId, Buffer.from(JSON.stringify({ generationId, memberId: m.memberId, url: (JSON.parse(m.metadata.toString()) as { url: string }).url, of: members.length } satisfies Assignment))]));

/** A worker's membership loop: rejoins whenever the member is told to. */
class Worker {
  readonly name: string;
  readonly client: KafkaClusterClient;
  readonly member: GroupMember;
  latest: JoinResult | undefined;
  rebalances: string[] = [];
  private joining: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  error: Error | undefined;

  constructor(target: InteropTarget, group: string, name: string) {
    this.name = name;
    this.client = new KafkaClusterClient({ bootstrapServers: [target.bootstrap], clientId: `worker-${name}` });
    this.member = new GroupMember(this.client, { groupId: group, protocolType: "connect", sessionTimeoutMs: 6000, rebalanceTimeoutMs: 15_000, heartbeatIntervalMs: 300 });
    this.member.on("rebalance-needed", (e) => {
      this.rebalances.push(e.reason);
      this.latest = undefined;
      this.join();
    });
  }

  get assignment(): Assignment | undefined {
    return this.latest && (JSON.parse(this.latest.assignment.toString()) as Assignment);
  }

  join(): void {
    if (this.stopped) return;
    if (this.joining) {
      this.again = true;
      return;
    }
    this.joining = (async () => {
      do {
        this.again = false;
        try {
          const metadata = Buffer.from(JSON.stringify({ url: `http://${this.name}:8083` }));
          // Connect offers its newest protocol first; every worker here offers the same two.
          this.latest = await this.member.join([{ name: "sessioned", metadata }, { name: "default", metadata }], assign);
        } catch (err) {
          if (!this.stopped) this.error = err as Error;
        }
      } while (this.again && !this.stopped);
      this.joining = undefined;
    })();
  }

  async stop(leave: boolean): Promise<void> {
    this.stopped = true;
    if (leave) await this.member.leave();
    else this.member.stop();
    await this.client.close();
  }
}

/** The workers all in one generation, each holding the assignment computed for that generation and group size. */
function settled(workers: readonly Worker[]): number | undefined {
  const gens = new Set(workers.map((w) => w.assignment?.generationId));
  if (gens.size !== 1 || !workers.every((w) => w.member.isActive && w.assignment?.of === workers.length && w.latest?.generationId === w.assignment.generationId)) return undefined;
  return workers[0]!.latest!.generationId;
}

describe.each(TARGETS)("GroupMember (protocol type connect) against %s", (targetName) => {
  let target: InteropTarget;
  let workers: Worker[] = [];
  let admin: KafkaClusterClient;

  beforeAll(async () => {
    target = await openTarget(targetName);
    admin = new KafkaClusterClient({ bootstrapServers: [target.bootstrap], clientId: "group-admin" });
  });
  afterEach(async () => {
    for (const w of workers) await w.stop(true).catch(() => undefined);
    workers = [];
  });
  afterAll(async () => {
    await admin?.close();
    await target?.close();
  });

  const formGroup = async (group: string): Promise<number> => {
    workers = ["a", "b", "c"].map((name) => new Worker(target, group, name));
    for (const w of workers) w.join();
    const generation = await waitFor("three workers in one generation", () => settled(workers), 40_000);
    expect(workers.map((w) => w.error)).toEqual([undefined, undefined, undefined]);
    return generation;
  };

  it("forms a group of three; the leader's assignment reaches every member; a member that leaves makes the others rejoin", async () => {
    const group = target.unique("connect-workers");
    const generation = await formGroup(group);

    expect(workers.filter((w) => w.latest!.isLeader)).toHaveLength(1);
    const leader = workers.find((w) => w.latest!.isLeader)!;
    expect(leader.latest!.members.map((m) => m.memberId).sort()).toEqual(workers.map((w) => w.member.memberId).sort());
    for (const w of workers) {
      expect(w.latest).toMatchObject({ protocol: "sessioned", leaderId: leader.member.memberId, memberId: w.member.memberId });
      expect(w.assignment).toEqual({ generationId: generation, memberId: w.member.memberId, url: `http://${w.name}:8083`, of: 3 });
    }
    // The coordinator's own view: a stable "connect" group of three.
    const described = await admin.send({ coordinator: group }, ApiKey.DescribeGroups, { groups: [group], includeAuthorizedOperations: false });
    expect(described.groups[0]).toMatchObject({ errorCode: ErrorCode.NONE, groupState: "Stable", protocolType: "connect", protocolData: "sessioned" });
    expect(described.groups[0]!.members).toHaveLength(3);

    const leaving = workers.pop()!;
    const left = Date.now();
    await leaving.stop(true);
    const next = await waitFor("the two remaining workers in a new generation", () => settled(workers), 30_000);
    expect(next).toBeGreaterThan(generation);
    expect(Date.now() - left).toBeLessThan(6000); // a LeaveGroup rebalances at once, not after the session timeout
    for (const w of workers) {
      expect(w.rebalances).toContain("REBALANCE_IN_PROGRESS");
      expect(w.assignment).toMatchObject({ generationId: next, of: 2 });
    }
  });

  it("drops a member that stops heartbeating (connections closed, no LeaveGroup) after its session timeout", async () => {
    const group = target.unique("connect-crash");
    const generation = await formGroup(group);
    const crashed = workers.pop()!;
    const crashedAt = Date.now();
    await crashed.stop(false);
    const next = await waitFor("the two remaining workers in a new generation", () => settled(workers), 30_000);
    const elapsed = Date.now() - crashedAt;
    expect(next).toBeGreaterThan(generation);
    // The coordinator waited for the 6 s session timeout (within its timer's granularity).
    expect(elapsed).toBeGreaterThan(4500);
    for (const w of workers) expect(w.assignment).toMatchObject({ generationId: next, of: 2 });
    expect(crashed.rebalances).toEqual([]);
  });
});

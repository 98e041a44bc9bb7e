// The registry's leader election (registry/store/election.ts) against the hub's broker and
// Apache Kafka: instances join one group with protocol type "sr" and Confluent's identity JSON;
// exactly one leads, every instance agrees which, it is the eligible one with the smallest URL,
// an ineligible instance never leads, and a leader that crashes (no LeaveGroup: its client
// closed, or its process SIGKILLed) or leaves is replaced, within the session timeout.
import { spawn, type ChildProcessByStdio } from "node:child_process";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ApiKey, ErrorCode, KafkaClusterClient } from "../../../../lib/kafka-client/index.ts";
import { KafkaLeaderElection } from "../../../../registry/store/election.ts";
import { identityUrl } from "../../../../registry/store/election-protocol.ts";
import type { RegistryIdentity } from "../../../../registry/store/log.ts";
import { TARGETS, openTarget, type InteropTarget } from "../../../support/interop-targets.ts";
import { waitFor } from "../../../support/poll.ts";

const CHILD = fileURLToPath(new URL("./election-child.ts", import.meta.url));
const SESSION_TIMEOUT_MS = 6000; // the brokers' group.min.session.timeout.ms
const HEARTBEAT_MS = 500;

interface Instance {
  readonly identity: RegistryIdentity;
  readonly url: string;
  readonly client: KafkaClusterClient;
  readonly election: KafkaLeaderElection;
  /** The leader URL passed to each onLeaderChange call. */
  readonly changes: (string | null)[];
  /** isLeader() as seen at each leader change. */
  readonly leading: boolean[];
}

describe.each(TARGETS)("KafkaLeaderElection against %s", (targetName) => {
  let target: InteropTarget;
  let admin: KafkaClusterClient;
  let instances: Instance[] = [];
  let children: ChildProcessByStdio<null, Readable, Readable>[] = [];

  beforeAll(async () => {
    target = await openTarget(targetName);
    admin = new KafkaClusterClient({ bootstrapServers: [target.bootstrap], clientId: "election-admin" });
  });
  afterEach(async () => {
    for (const child of children) child.kill("SIGKILL");
    children = [];
    for (const i of instances) {
      await i.election.close().catch(() => undefined);
      await i.client.close();
    }
    instances = [];
  });
  afterAll(async () => {
    await admin?.close();
    await target?.close();
  });

  const startInstance = async (group: string, host: string, eligible = true): Promise<Instance> => {
    const identity: RegistryIdentity = { host, port: 8081, scheme: "http", leaderEligibility: eligible };
    const client = new KafkaClusterClient({ bootstrapServers: [target.bootstrap], clientId: `registry-${host}` });
    const election = new KafkaLeaderElection({ client, groupId: group, sessionTimeoutMs: SESSION_TIMEOUT_MS, heartbeatIntervalMs: HEARTBEAT_MS, rebalanceTimeoutMs: 20_000, initTimeoutMs: 40_000 });
    const instance: Instance = { identity, url: identityUrl(identity), client, election, changes: [], leading: [] };
    election.onLeaderChange((leader) => {
      instance.changes.push(leader && identityUrl(leader));
      instance.leading.push(election.isLeader());
    });
    instances.push(instance);
    await election.start(identity);
    return instance;
  };

  /** Every instance names `leader` and exactly that one says it leads. */
  const agreeOn = (members: readonly Instance[], leader: Instance): boolean =>
    members.every((i) => i.election.leader() !== null && identityUrl(i.election.leader()!) === leader.url && i.election.isLeader() === (i === leader));

  it("one instance alone elects itself, with Confluent's protocol and JSON in the group", async () => {
    const group = target.unique("schema-registry");
    const a = await startInstance(group, "sr-alone");
    expect(a.election.isLeader()).toBe(true);
    expect(a.election.leader()).toEqual(a.identity);
    expect(a.changes).toEqual([a.url]);

    const described = await admin.send({ coordinator: group }, ApiKey.DescribeGroups, { groups: [group], includeAuthorizedOperations: false });
    const g = described.groups[0]!;
    expect(g).toMatchObject({ errorCode: ErrorCode.NONE, groupState: "Stable", protocolType: "sr", protocolData: "v0" });
    expect(g.members).toHaveLength(1);
    const identityJson = '{"host":"sr-alone","port":8081,"master_eligibility":true,"scheme":"http","version":1,"leader":false}';
    expect(g.members[0]!.memberMetadata.toString()).toBe(identityJson);
    expect(g.members[0]!.memberAssignment.toString()).toBe(`{"error":0,"master":"${a.election.memberId}","master_identity":${identityJson},"version":1}`);
  });

  it("two then three instances: one leader, the eligible one with the smallest URL, and all agree; an ineligible instance never leads", async () => {
    const group = target.unique("schema-registry");
    const c = await startInstance(group, "sr-c");
    // "sr-a" has the smallest URL but may not lead.
    const a = await startInstance(group, "sr-a", false);
    await waitFor("sr-c leading a group of two", () => agreeOn([a, c], c), 30_000);

    const b = await startInstance(group, "sr-b");
    await waitFor("sr-b leading a group of three", () => agreeOn([a, b, c], b), 30_000);
    expect([a, b, c].filter((i) => i.election.isLeader())).toEqual([b]);
    expect(a.leading.every((l) => !l)).toBe(true);
    // c led, then (after the rebalance began) nobody, then b.
    expect(c.changes).toContain(c.url);
    expect(c.changes.at(-1)).toBe(b.url);
    expect(c.election.isLeader()).toBe(false);

    const described = await admin.send({ coordinator: group }, ApiKey.DescribeGroups, { groups: [group], includeAuthorizedOperations: false });
    expect(described.groups[0]!.members).toHaveLength(3);
  });

  it("two instances advertising one URL: the election fails, the newcomer refuses to start, the first leads again once it is gone", async () => {
    const group = target.unique("schema-registry");
    const a = await startInstance(group, "sr-same");
    await expect(startInstance(group, "sr-same")).rejects.toThrow(/advertise the same URL/);
    // The failed instance left the group: a is alone again, and leads.
    await waitFor("sr-same leading alone again", () => agreeOn([a], a), 30_000);
    expect(a.changes).toEqual([a.url, null, a.url]);
  });

  it("with leader.election.sticky, a leader keeps leading when an instance with a smaller URL joins", async () => {
    const group = target.unique("schema-registry");
    const start = async (host: string): Promise<Instance> => {
      const identity: RegistryIdentity = { host, port: 8081, scheme: "http", leaderEligibility: true };
      const client = new KafkaClusterClient({ bootstrapServers: [target.bootstrap], clientId: `registry-${host}` });
      const election = new KafkaLeaderElection({ client, groupId: group, sessionTimeoutMs: SESSION_TIMEOUT_MS, heartbeatIntervalMs: HEARTBEAT_MS, rebalanceTimeoutMs: 20_000, sticky: true });
      const instance: Instance = { identity, url: identityUrl(identity), client, election, changes: [], leading: [] };
      election.onLeaderChange((leader) => instance.changes.push(leader && identityUrl(leader)));
      instances.push(instance);
      await election.start(identity);
      return instance;
    };
    const z = await start("sr-z");
    const y = await start("sr-y");
    await waitFor("both in one generation", () => y.election.leader() !== null && z.election.leader() !== null, 30_000);
    expect(agreeOn([y, z], z)).toBe(true);
    // Sticky: the leader is not forgotten while the rebalance runs.
    expect(z.changes).toEqual([z.url]);
    const described = await admin.send({ coordinator: group }, ApiKey.DescribeGroups, { groups: [group], includeAuthorizedOperations: false });
    const metadata = described.groups[0]!.members.map((m) => JSON.parse(m.memberMetadata.toString()) as { host: string; leader: boolean });
    expect(metadata.find((m) => m.host === "sr-z")?.leader).toBe(true);
  });

  it("with no eligible instance there is no leader, and the instance still starts", async () => {
    const group = target.unique("schema-registry");
    const a = await startInstance(group, "sr-reader", false);
    expect(a.election.leader()).toBeNull();
    expect(a.election.isLeader()).toBe(false);
  });

  it("a leader that leaves is replaced at once; one that crashes without leaving, within the session timeout", async () => {
    const group = target.unique("schema-registry");
    const [m1, m2, m3] = [await startInstance(group, "sr-1"), await startInstance(group, "sr-2"), await startInstance(group, "sr-3")];
    await waitFor("sr-1 leading", () => agreeOn([m1!, m2!, m3!], m1!), 30_000);

    // Crash: the connections close, no LeaveGroup is sent, the coordinator drops the member
    // only when its session times out.
    const crashed = Date.now();
    await m1!.client.close();
    await waitFor("sr-2 leading after sr-1 crashed", () => agreeOn([m2!, m3!], m2!), SESSION_TIMEOUT_MS + 20_000);
    const crashMs = Date.now() - crashed;
    expect(crashMs).toBeGreaterThanOrEqual(SESSION_TIMEOUT_MS - 1000);
    expect(crashMs).toBeLessThan(SESSION_TIMEOUT_MS + 6000);

    // A clean stop sends LeaveGroup: the group rebalances without waiting for a timeout.
    const left = Date.now();
    await m2!.election.close();
    await waitFor("sr-3 leading after sr-2 left", () => agreeOn([m3!], m3!), 20_000);
    expect(Date.now() - left).toBeLessThan(SESSION_TIMEOUT_MS - 1000);
  });

  it("a leader whose process is SIGKILLed is replaced within the session timeout", async () => {
    const group = target.unique("schema-registry");
    const child = spawn(process.execPath, [CHILD, target.bootstrap, group, "sr-0", String(SESSION_TIMEOUT_MS)], { stdio: ["ignore", "pipe", "pipe"] });
    children.push(child);
    const lines: { leader: string | null; isLeader: boolean }[] = [];
    let stderr = "";
    let pending = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      pending += chunk;
      const parts = pending.split("\n");
      pending = parts.pop() ?? "";
      for (const p of parts) if (p.trim()) lines.push(JSON.parse(p) as { leader: string | null; isLeader: boolean });
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    await waitFor(`the child leading alone (stderr: ${stderr})`, () => lines.some((l) => l.isLeader && l.leader === "http://sr-0:8081"), 30_000);

    const b = await startInstance(group, "sr-9");
    await waitFor("the child leading a group of two", () => b.election.leader() !== null && identityUrl(b.election.leader()!) === "http://sr-0:8081" && lines.at(-1)?.isLeader === true, 30_000);

    const killed = Date.now();
    child.kill("SIGKILL");
    await waitFor("sr-9 leading after the child was killed", () => agreeOn([b], b), SESSION_TIMEOUT_MS + 20_000);
    const ms = Date.now() - killed;
    expect(ms).toBeGreaterThanOrEqual(SESSION_TIMEOUT_MS - 1000);
    expect(ms).toBeLessThan(SESSION_TIMEOUT_MS + 6000);
  });
});

// Writes that reach a follower go to the leader (Confluent's leader forwarding): two registry
// instances on real sockets sharing one log, the follower told who leads by a fixed election.
// A leader that cannot be reached answers 50003, no leader 50004.
import { createServer } from "node:net";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registrySettings, type RunningRegistry, startRegistry } from "../../../../registry/index.ts";
import type { LeaderElection, RegistryIdentity } from "../../../../registry/store/log.ts";
import { MemoryRegistryLog, MemoryTopic } from "../../../../registry/store/memory-log.ts";

const log = pino({ level: "silent" });

/** The election of an instance configured to follow a known leader (null: none known). */
class FollowerOf implements LeaderElection {
  private readonly leaderIdentity: () => RegistryIdentity | null;
  constructor(leader: () => RegistryIdentity | null) {
    this.leaderIdentity = leader;
  }
  async start(): Promise<void> {}
  leader(): RegistryIdentity | null {
    return this.leaderIdentity();
  }
  isLeader(): boolean {
    return false;
  }
  onLeaderChange(): void {}
  async close(): Promise<void> {}
}

const identityOf = (url: string): RegistryIdentity => {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port), scheme: "http", leaderEligibility: true };
};

/** A port nothing listens on (bound, then released). */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === "object" && address !== null ? address.port : 1;
}

const topic = new MemoryTopic();
let leader: RunningRegistry;
let follower: RunningRegistry;
let stranded: RunningRegistry;
let orphan: RunningRegistry;

const start = (election: () => LeaderElection): Promise<RunningRegistry> =>
  startRegistry(registrySettings(new Map([["listeners", "http://127.0.0.1:0"]])), log, {
    createLog: () => new MemoryRegistryLog(topic),
    createElection: election,
  });

async function call(base: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/vnd.schemaregistry.v1+json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: JSON.parse(await res.text()) as unknown };
}

beforeAll(async () => {
  leader = await startRegistry(registrySettings(new Map([["listeners", "http://127.0.0.1:0"]])), log, { createLog: () => new MemoryRegistryLog(topic) });
  follower = await start(() => new FollowerOf(() => identityOf(leader.url)));
  const port = await deadPort();
  stranded = await start(() => new FollowerOf(() => ({ host: "127.0.0.1", port, scheme: "http", leaderEligibility: true })));
  orphan = await start(() => new FollowerOf(() => null));
});

afterAll(async () => {
  for (const r of [orphan, stranded, follower, leader]) await r?.stop();
});

describe("a follower", () => {
  it("forwards registrations, config, mode and deletes to the leader and relays its answers", async () => {
    expect(await call(follower.url, "POST", "/subjects/fw/versions", { schema: '"int"' })).toEqual({ status: 200, body: { id: 1 } });
    // The leader wrote it; every instance reads it from the shared log.
    expect((await call(leader.url, "GET", "/subjects/fw/versions")).body).toEqual([1]);
    expect((await call(follower.url, "GET", "/subjects/fw/versions/1")).body).toMatchObject({ id: 1, schema: '"int"' });
    expect(await call(follower.url, "PUT", "/config/fw", { compatibility: "NONE" })).toEqual({ status: 200, body: { compatibility: "NONE" } });
    expect((await call(leader.url, "GET", "/config/fw")).body).toEqual({ compatibilityLevel: "NONE" });
    expect(await call(follower.url, "POST", "/subjects/fw/versions", { schema: '"string"' })).toEqual({ status: 200, body: { id: 2 } });
    expect(await call(follower.url, "PUT", "/mode/fw", { mode: "READONLY" })).toEqual({ status: 200, body: { mode: "READONLY" } });
    // The leader's refusal comes back as it is.
    expect(await call(follower.url, "POST", "/subjects/fw/versions", { schema: '"long"' })).toEqual({
      status: 422,
      body: { error_code: 42205, message: "Subject fw is in read-only mode" },
    });
    expect(await call(follower.url, "DELETE", "/mode/fw")).toEqual({ status: 200, body: { mode: "READONLY" } });
    expect(await call(follower.url, "DELETE", "/subjects/fw/versions/2")).toEqual({ status: 200, body: 2 });
    expect(await call(follower.url, "DELETE", "/subjects/fw")).toEqual({ status: 200, body: [1] });
    expect(await call(follower.url, "DELETE", "/config")).toEqual({ status: 200, body: { compatibilityLevel: "BACKWARD" } });
  });

  it("answers a schema the subject already has itself", async () => {
    await call(leader.url, "POST", "/subjects/known/versions", { schema: '"float"' });
    expect(await call(orphan.url, "POST", "/subjects/known/versions", { schema: '"float"' })).toEqual({ status: 200, body: { id: expect.any(Number) } });
  });

  it("answers 50003 when the leader cannot be reached, 50004 when none is known", async () => {
    expect(await call(stranded.url, "POST", "/subjects/x/versions", { schema: '"double"' })).toEqual({
      status: 500,
      body: { error_code: 50003, message: "Error while forwarding register schema request to the leader" },
    });
    expect(await call(stranded.url, "PUT", "/config", { compatibility: "FULL" })).toEqual({
      status: 500,
      body: { error_code: 50003, message: "Error while forwarding update config request to the leader" },
    });
    expect(await call(orphan.url, "POST", "/subjects/x/versions", { schema: '"double"' })).toEqual({
      status: 500,
      body: { error_code: 50004, message: "Leader not known." },
    });
    expect((await call(leader.url, "GET", "/subjects/x/versions")).status).toBe(404);
  });
});

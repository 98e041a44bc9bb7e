// Requests a follower cannot serve are forwarded to the leader and the leader's answer relayed
// (Kafka's HerderRequestHandler): two and three in-process REST servers on real sockets.
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NotLeaderError, RebalanceNeededError } from "../../../../connect/runtime/herder/errors.ts";
import type { Herder } from "../../../../connect/runtime/herder/herder.ts";
import { LoggerLevels } from "../../../../connect/runtime/loggers.ts";
import { createRestServer, type RestServer } from "../../../../connect/rest/server.ts";
import { type Harness, startHarness } from "./harness.ts";

const LISTENER = { scheme: "http", host: "127.0.0.1", port: 0 };
const WRITES = new Set(["putConnectorConfig", "patchConnectorConfig", "deleteConnector", "restartConnector", "restartTask", "stopConnector", "alterConnectorOffsets", "resetConnectorOffsets"]);

/** A follower's herder: reads from the leader's state, writes refused with NotLeaderError(leaderUrl). */
function followerHerder(leader: Herder, leaderUrl: () => string | null, seen: string[]): Herder {
  return new Proxy(leader, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== "function") return value;
      if (typeof property === "string" && WRITES.has(property)) {
        return () => {
          seen.push(property);
          return Promise.reject(new NotLeaderError(leaderUrl()));
        };
      }
      return (value as (...args: unknown[]) => unknown).bind(target);
    },
  });
}

let leader: Harness;
let leaderUrl: string;
const servers: RestServer[] = [];

async function follower(herder: Herder): Promise<string> {
  const log = pino({ level: "silent" });
  const server = createRestServer({ herder, loggers: new LoggerLevels(log), log, version: "0.1.0" });
  servers.push(server);
  return server.listen(LISTENER);
}

beforeEach(async () => {
  leader = await startHarness();
  leaderUrl = await leader.server.listen(LISTENER);
});

afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  await leader.close();
});

async function call(url: string, method: string, body?: unknown): Promise<{ status: number; body: unknown; location: string | null }> {
  const response = await fetch(url, { method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }) });
  const text = await response.text();
  return { status: response.status, body: text === "" ? undefined : (JSON.parse(text) as unknown), location: response.headers.get("location") };
}

const source = { name: "a", config: { "connector.class": "TestSource", topic: "t" } };

describe("a follower forwards writes to the leader", () => {
  it("creates through the leader and answers with the leader's 201, Location on itself", async () => {
    const seen: string[] = [];
    const url = await follower(followerHerder(leader.herder, () => `${leaderUrl}/`, seen));
    const r = await call(`${url}/connectors`, "POST", source);
    expect(seen).toEqual(["putConnectorConfig"]);
    expect(r.status).toBe(201);
    expect(r.location).toBe(`${url}/connectors/a`);
    expect(r.body).toMatchObject({ name: "a", type: "source", tasks: [] });
    expect(await leader.herder.connectors()).toEqual(["a"]);
  });

  it("relays the leader's errors, restart answers and empty answers as they are", async () => {
    const url = await follower(followerHerder(leader.herder, () => leaderUrl, []));
    await call(`${url}/connectors`, "POST", source);
    expect(await call(`${url}/connectors`, "POST", source)).toMatchObject({ status: 409, body: { error_code: 409, message: "Connector a already exists" } });
    const restart = await call(`${url}/connectors/a/restart?includeTasks=true`, "POST");
    expect(restart.status).toBe(202);
    expect(restart.body).toMatchObject({ name: "a", connector: { state: "RESTARTING" }, tasks: [{ id: 0, state: "RESTARTING" }] });
    expect((await call(`${url}/connectors/a/restart`, "POST")).status).toBe(204);
    expect((await call(`${url}/connectors/a/config`, "PUT", { "connector.class": "TestSource", topic: "t2" })).status).toBe(200);
    expect((await call(`${url}/connectors/a/config`, "PATCH", { topic: "t3" })).body).toMatchObject({ config: { topic: "t3" } });
    expect((await call(`${url}/connectors/a/stop`, "PUT")).status).toBe(204);
    expect((await call(`${url}/connectors/a/offsets`, "DELETE")).status).toBe(200);
    expect((await call(`${url}/connectors/a`, "DELETE")).status).toBe(204);
    expect(await leader.herder.connectors()).toEqual([]);
  });

  it("two hops at most: the second follower forwards once more, with forward=false", async () => {
    const secondUrl = await follower(followerHerder(leader.herder, () => leaderUrl, []));
    const firstUrl = await follower(followerHerder(leader.herder, () => secondUrl, []));
    expect((await call(`${firstUrl}/connectors`, "POST", source)).status).toBe(201);
    // A worker told forward=false must serve the request itself, or answer 409.
    expect(await call(`${secondUrl}/connectors?forward=false`, "POST", { ...source, name: "b" })).toMatchObject({
      status: 409,
      body: { error_code: 409, message: "Cannot complete request because of a conflicting operation (e.g. worker rebalance)" },
    });
    // Three followers in a row: the third hop is refused.
    const thirdUrl = await follower(followerHerder(leader.herder, () => firstUrl, []));
    expect(await call(`${thirdUrl}/connectors`, "POST", { ...source, name: "c" })).toMatchObject({ status: 409 });
  });

  it("no known leader, a stale config, an unreachable leader", async () => {
    const noLeader = await follower(followerHerder(leader.herder, () => null, []));
    expect(await call(`${noLeader}/connectors/a/restart`, "POST")).toMatchObject({
      status: 409,
      body: { error_code: 409, message: "Cannot complete request momentarily due to no known leader URL, likely because a rebalance was underway." },
    });
    const stale = await follower(
      new Proxy(leader.herder, {
        get: (t, p, r) => (p === "deleteConnector" ? () => Promise.reject(new RebalanceNeededError()) : (Reflect.get(t, p, r) as unknown)),
      }),
    );
    expect(await call(`${stale}/connectors/a`, "DELETE")).toMatchObject({
      status: 409,
      body: { error_code: 409, message: "Cannot complete request momentarily due to stale configuration (typically caused by a concurrent config change)" },
    });
    const unreachable = await follower(followerHerder(leader.herder, () => "http://127.0.0.1:9", []));
    const r = await call(`${unreachable}/connectors/a/stop`, "PUT");
    expect(r.status).toBe(500);
    expect((r.body as { message: string }).message).toMatch(/^IO Error trying to forward REST request: /);
  });
});

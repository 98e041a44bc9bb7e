// Two `hub registry` processes sharing one `_schemas` topic on one hub broker (a child process):
// one is elected leader through the group protocol, the other forwards its writes; writes to
// either land, both read the same; SIGKILL the leader and the other takes over with every
// acknowledged schema, and keeps taking writes.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BrokerProcess, freePort } from "../../support/broker-process.ts";
import { startRegistryProcess, type RegistryProcess } from "../../support/registry-process.ts";

const CT = "application/vnd.schemaregistry.v1+json";

async function call(url: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": CT },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  return { status: res.status, json: text === "" ? null : (JSON.parse(text) as unknown) };
}

/** Distinct schemas that are each BACKWARD compatible with the others (an extra field with a default). */
const schema = (i: number): string =>
  JSON.stringify({ type: "record", name: "R", namespace: "hub.multi", fields: [{ name: "f", type: "long" }, { name: `x${i}`, type: "int", default: 0 }] });

async function register(url: string, subject: string, i: number): Promise<number> {
  const res = await call(url, "POST", `/subjects/${subject}/versions`, { schema: schema(i) });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return (res.json as { id: number }).id;
}

/** Polls until fn() returns true, or fails after timeoutMs. */
async function until(what: string, timeoutMs: number, fn: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      if (await fn()) return;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${String(last)})` : ""}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("two registry instances on one broker", () => {
  let dataDir: string;
  let broker: BrokerProcess;
  let a: RegistryProcess;
  let b: RegistryProcess;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "registry-multi-"));
    const port = await freePort();
    broker = await BrokerProcess.start({ dataDir, port, overrides: { "group.initial.rebalance.delay.ms": "0" } });
    const bootstrap = `127.0.0.1:${port}`;
    const common = { bootstrap, topic: "_schemas", props: { "kafkastore.timeout.ms": "5000", "schema.registry.group.id": "registry-multi" } };
    a = await startRegistryProcess(common);
    b = await startRegistryProcess(common);
  }, 120_000);

  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await broker?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("takes writes on either instance, with one id space, and both read the same", async () => {
    // Both instances answer once the election that followed the second one's join is over.
    for (const url of [a.url, b.url]) {
      await until(`${url} to know the leader`, 30_000, async () => (await call(url, "POST", "/subjects/warm-up/versions", { schema: schema(999) })).status === 200);
    }
    const ids: number[] = [];
    for (let i = 0; i < 10; i++) ids.push(await register(i % 2 === 0 ? a.url : b.url, `multi-${i % 3}`, i));
    expect(new Set(ids).size).toBe(10);
    // Registering a schema again, on the other instance, gives the same id.
    expect(await register(b.url, "multi-0", 0)).toBe(ids[0]);
    for (const url of [a.url, b.url]) {
      await until(`${url} to see every subject`, 10_000, async () => ((await call(url, "GET", "/subjects")).json as string[]).length === 4);
      expect(((await call(url, "GET", "/subjects")).json as string[]).sort()).toEqual(["multi-0", "multi-1", "multi-2", "warm-up"]);
      for (let i = 0; i < 10; i++) {
        const got = await call(url, "GET", `/schemas/ids/${ids[i]}`);
        expect(got.status).toBe(200);
        expect(JSON.parse((got.json as { schema: string }).schema)).toEqual(JSON.parse(schema(i)));
      }
    }
    expect((await call(a.url, "GET", "/subjects/multi-0/versions")).json).toEqual((await call(b.url, "GET", "/subjects/multi-0/versions")).json);
  }, 60_000);

  it("moves leadership when the leader is SIGKILLed, losing no acknowledged schema", async () => {
    // Confluent's rule: the eligible member with the smallest URL leads.
    const [leader, follower] = a.url < b.url ? [a, b] : [b, a];
    const before: number[] = [];
    for (let i = 100; i < 110; i++) before.push(await register(follower.url, "failover", i));
    await leader.kill();
    // The follower takes over once the group's session timeout has passed.
    let afterId = -1;
    await until("the survivor to accept writes again", 60_000, async () => {
      const res = await call(follower.url, "POST", "/subjects/failover/versions", { schema: schema(200) });
      if (res.status !== 200) return false;
      afterId = (res.json as { id: number }).id;
      return true;
    });
    expect(before).not.toContain(afterId);
    const versions = (await call(follower.url, "GET", "/subjects/failover/versions")).json as number[];
    expect(versions).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
    for (const [i, id] of before.entries()) {
      const got = await call(follower.url, "GET", `/schemas/ids/${id}`);
      expect(got.status).toBe(200);
      expect(JSON.parse((got.json as { schema: string }).schema)).toEqual(JSON.parse(schema(100 + i)));
    }
    // A new instance reading the topic from the beginning sees the same.
    const c = await startRegistryProcess({ bootstrap: `127.0.0.1:${broker.options.port}`, topic: "_schemas", props: { "schema.registry.group.id": "registry-multi" } });
    try {
      expect((await call(c.url, "GET", "/subjects/failover/versions")).json).toEqual(versions);
      expect((await call(c.url, "GET", `/schemas/ids/${afterId}`)).status).toBe(200);
    } finally {
      await c.stop();
    }
  }, 120_000);
});

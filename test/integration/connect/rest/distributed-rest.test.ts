// Two distributed hub Connect workers in one group (startConnect, as `hub connect`), on the hub's
// broker and on Apache Kafka: writes sent to either worker reach the leader (the follower
// forwards them and relays the answer), and both answer reads the same way.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type HubConnectWorker, startHubConnectWorker } from "../../../support/hub-connect.ts";
import { type InteropTarget, openTarget, TARGETS } from "../../../support/interop-targets.ts";
import { eventually } from "../../../support/poll.ts";

async function call(url: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${url}${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }) });
  const text = await response.text();
  return { status: response.status, body: text === "" ? undefined : (JSON.parse(text) as unknown) };
}

for (const targetName of TARGETS) {
  describe(`two distributed hub Connect workers on the ${targetName} broker`, () => {
    let target: InteropTarget;
    const workers: HubConnectWorker[] = [];

    beforeAll(async () => {
      target = await openTarget(targetName);
      const group = target.unique("rest-group");
      workers.push(await startHubConnectWorker({ bootstrap: target.bootstrap, mode: "distributed", group }));
      workers.push(await startHubConnectWorker({ bootstrap: target.bootstrap, mode: "distributed", group }));
      for (const w of workers) await eventually(`${w.url} healthy`, async () => ((await call(w.url, "GET", "/health")).status === 200 ? true : undefined));
    }, 90_000);

    afterAll(async () => {
      for (const w of workers.splice(0)) await w.stop();
      await target?.close();
    }, 60_000);

    it("creates, restarts and deletes connectors through either worker", async () => {
      const names = [target.unique("dist-a"), target.unique("dist-b")];
      for (const [i, name] of names.entries()) {
        const topic = target.unique("dist-topic");
        await target.createTopic(topic, 1);
        const file = join(workers[i]!.dir, `${name}.txt`);
        await writeFile(file, "");
        const created = await call(workers[i]!.url, "POST", "/connectors", { name, config: { "connector.class": "FileStreamSource", file, topic } });
        expect(created).toEqual({ status: 201, body: { name, config: { "connector.class": "FileStreamSource", file, topic, name }, tasks: [], type: "source" } });
      }
      // Both workers see both connectors running (each on one of them).
      for (const w of workers) {
        const expanded = await eventually("both connectors running", async () => {
          const body = (await call(w.url, "GET", "/connectors?expand=status")).body as Record<string, { status: { connector: { state: string }; tasks: Array<{ state: string }> } }>;
          return names.every((n) => body[n]?.status.connector.state === "RUNNING" && body[n]?.status.tasks[0]?.state === "RUNNING") ? body : undefined;
        });
        const hosts = workers.map((x) => new URL(x.url).host);
        for (const n of names) expect(hosts).toContain((expanded[n]?.status as unknown as { connector: { worker_id: string } }).connector.worker_id);
      }
      for (const w of workers) {
        const restart = await call(w.url, "POST", `/connectors/${names[0]}/restart?includeTasks=true`);
        expect(restart).toMatchObject({ status: 202, body: { name: names[0], connector: { state: "RESTARTING" }, tasks: [{ id: 0, state: "RESTARTING" }] } });
      }
      expect(await call(workers[1]!.url, "DELETE", `/connectors/${names[0]}`)).toEqual({ status: 204, body: undefined });
      expect(await call(workers[0]!.url, "DELETE", `/connectors/${names[1]}`)).toEqual({ status: 204, body: undefined });
      for (const w of workers) await eventually("no connectors left", async () => (((await call(w.url, "GET", "/connectors")).body as string[]).some((n) => names.includes(n)) ? undefined : true));
    });
  });
}

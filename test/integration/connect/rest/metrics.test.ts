// The worker's Prometheus metrics on GET /metrics of the REST listener: per connector and task
// counters move with real records (a FileStreamSource → topic → FileStreamSink pipeline on the
// hub's broker), and a connector's series go away when it is deleted.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type HubConnectWorker, startHubConnectWorker } from "../../../support/hub-connect.ts";
import { type InteropTarget, openTarget } from "../../../support/interop-targets.ts";
import { eventually } from "../../../support/poll.ts";

/** The value of one sample of the Prometheus text, or undefined. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    return Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return undefined;
}

describe("Connect metrics on GET /metrics", () => {
  let target: InteropTarget;
  let worker: HubConnectWorker;
  let dir: string;

  beforeAll(async () => {
    target = await openTarget("hub");
    worker = await startHubConnectWorker({ bootstrap: target.bootstrap });
    dir = await mkdtemp(join(tmpdir(), "connect-metrics-"));
  }, 60_000);
  afterAll(async () => {
    await worker?.stop();
    await target?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("counts the records each task polled and put, per connector and task", async () => {
    const topic = target.unique("metrics");
    const input = join(dir, "in.txt");
    const output = join(dir, "out.txt");
    await writeFile(input, ["a", "b", "c", "d", "e"].join("\n") + "\n");
    const post = (config: Record<string, string>) =>
      fetch(`${worker.url}/connectors`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: config["name"], config }) });
    expect((await post({ name: "m-source", "connector.class": "FileStreamSource", file: input, topic })).status).toBe(201);
    expect((await post({ name: "m-sink", "connector.class": "FileStreamSink", file: output, topics: topic })).status).toBe(201);
    await eventually("5 lines in the sink file", async () => ((await readFile(output, "utf8").catch(() => "")).split("\n").filter(Boolean).length === 5 ? true : undefined));

    const scrape = async () => {
      const response = await fetch(`${worker.url}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toContain("text/plain");
      return response.text();
    };
    const text = await eventually("the sink's put counter at 5", async () => {
      const t = await scrape();
      return sample(t, "connect_sink_task_sink_record_send_total", { connector: "m-sink", task: "0" }) === 5 ? t : undefined;
    });
    expect(sample(text, "connect_source_task_source_record_poll_total", { connector: "m-source", task: "0" })).toBe(5);
    expect(sample(text, "connect_source_task_source_record_write_total", { connector: "m-source", task: "0" })).toBe(5);
    expect(sample(text, "connect_sink_task_sink_record_read_total", { connector: "m-sink", task: "0" })).toBe(5);
    expect(sample(text, "connect_worker_connector_count", {})).toBe(2);
    expect(sample(text, "connect_worker_task_count", {})).toBe(2);

    expect((await fetch(`${worker.url}/connectors/m-source`, { method: "DELETE" })).status).toBe(204);
    await eventually("the deleted source's series gone", async () => {
      const t = await scrape();
      return sample(t, "connect_source_task_source_record_poll_total", { connector: "m-source" }) === undefined ? true : undefined;
    });
  }, 90_000);
});

// Smoke test: Python's confluent-kafka client (provisioned in .venv by test/services/up clients)
// produces to and consumes from Apache Kafka in a group.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { requireService } from "../../services/index.ts";

const run = promisify(execFile);
const root = join(import.meta.dirname, "../../..");

describe("Python confluent-kafka client", () => {
  it("round-trips records through Apache Kafka in a consumer group", async () => {
    const bootstrap = await requireService("kafka");
    const topic = `smoke-python-${process.pid}-${Date.now()}`;
    const { stdout } = await run(
      join(root, ".venv/bin/python"),
      [join(root, "test/interop/python/roundtrip.py"), bootstrap, topic, "20", `${topic}-group`],
      { timeout: 90_000 },
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n(is the client installed? run: test/services/up clients)`);
    });
    const result = JSON.parse(stdout) as { delivered: number; committed: number; records: Array<{ key: string; value: string; headers: string[][] }> };
    expect(result.delivered).toBe(20);
    expect(result.records.map((r) => r.value).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `v${i}`).sort());
    expect(result.records.find((r) => r.key === "k7")).toEqual({ key: "k7", value: "v7", headers: [["n", "7"]] });
    expect(result.committed).toBe(20);
  });
});

// Smoke test: a job goes through the provisioned Redis with BullMQ, producer to worker.
import { Queue, QueueEvents, Worker } from "bullmq";
import { describe, expect, it } from "vitest";
import { requireService } from "../../services/index.ts";

describe("Redis test service", () => {
  it("carries a BullMQ job from a queue to a worker and back", async () => {
    const url = new URL(await requireService("redis"));
    const connection = { host: url.hostname, port: Number(url.port) };
    const name = `smoke-${process.pid}-${Date.now()}`;
    const queue = new Queue(name, { connection });
    const events = new QueueEvents(name, { connection });
    const worker = new Worker(name, async (job) => ({ doubled: (job.data as { n: number }).n * 2 }), { connection });
    try {
      await events.waitUntilReady();
      const job = await queue.add("double", { n: 21 });
      const result: unknown = await job.waitUntilFinished(events, 15_000);
      expect(result).toEqual({ doubled: 42 });
      expect(await queue.getJobCounts("completed")).toEqual({ completed: 1 });
    } finally {
      await worker.close();
      await events.close();
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });
});

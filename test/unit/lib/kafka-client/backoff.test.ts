import { describe, expect, it } from "vitest";
import { Backoff, sleep } from "../../../../lib/kafka-client/backoff.ts";

describe("Backoff", () => {
  it("doubles from the initial delay up to the cap, with ±20% jitter", () => {
    const b = new Backoff(100, 1000);
    const delays = Array.from({ length: 8 }, () => b.next());
    const bases = [100, 200, 400, 800, 1000, 1000, 1000, 1000];
    delays.forEach((d, i) => {
      expect(d).toBeGreaterThanOrEqual(bases[i]! * 0.8);
      expect(d).toBeLessThanOrEqual(bases[i]! * 1.2);
    });
    b.reset();
    expect(b.next()).toBeLessThanOrEqual(120);
  });
});

describe("sleep", () => {
  it("ends early when its signal aborts", async () => {
    const controller = new AbortController();
    const start = Date.now();
    const slept = sleep(10_000, controller.signal);
    controller.abort();
    await slept;
    expect(Date.now() - start).toBeLessThan(1000);
  });
});

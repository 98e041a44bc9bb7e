// Passwords (PASSWORD keys of a connector's ConfigDef) never reach the logs, whatever the
// request does with them; responses show them only in the config the user set.
import { describe, expect, it } from "vitest";
import { startHarness } from "./harness.ts";

describe("passwords", () => {
  it("are not logged by the REST layer or the herder, even at trace level", async () => {
    const lines: string[] = [];
    const h = await startHarness({ logLines: lines });
    try {
      const config = { "connector.class": "TestSource", topic: "t", secret: "hunter2-secret" };
      expect((await h.call("POST", "/connectors", { name: "p", config })).status).toBe(201);
      expect((await h.call("PUT", "/connectors/p/config", { ...config, "batch.size": "x" })).status).toBe(400);
      expect((await h.call("PATCH", "/connectors/p/config", { topic: "t2" })).status).toBe(200);
      const validated = await h.call("PUT", "/connector-plugins/TestSource/config/validate", { ...config, name: "p" });
      expect(JSON.stringify(validated.body)).not.toContain("hunter2-secret");
      expect((await h.call("POST", "/connectors", "{\"name\":\"q\",\"config\":{\"secret\":\"hunter2-secret\",")).status).toBe(500);
      expect((await h.call("GET", "/connectors/p/config")).body).toMatchObject({ secret: "hunter2-secret" });
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.filter((l) => l.includes("hunter2-secret"))).toEqual([]);
    } finally {
      await h.close();
    }
  });
});

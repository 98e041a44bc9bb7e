// GET /health (KIP-1017): 200 once the worker has started and its herder answers, 503 while it
// starts, 500 when it does not answer in time. Probes only look at the status code.
import type { FastifyInstance } from "fastify";
import { type RestContext, sendJson } from "../context.ts";

const STATUS_CODE = { healthy: 200, starting: 503, unhealthy: 500 } as const;

export function registerHealthRoutes(app: FastifyInstance, ctx: RestContext): void {
  app.get("/health", async (_request, reply) => {
    const health = await ctx.herder.health();
    return sendJson(reply, STATUS_CODE[health.status], health);
  });
}

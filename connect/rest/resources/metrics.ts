// GET /metrics: the worker's metrics in Prometheus' text format, on the REST listener. Kafka
// Connect publishes the same metrics over JMX, which users scrape through the JMX exporter at
// /metrics; the hub serves them itself, so one address per worker covers REST and scraping.
import type { FastifyInstance } from "fastify";
import type { Registry } from "prom-client";

export function registerMetricsRoutes(app: FastifyInstance, registry: Registry): void {
  app.get("/metrics", async (_request, reply) => {
    const text = await registry.metrics();
    return reply.code(200).header("content-type", registry.contentType).send(text);
  });
}

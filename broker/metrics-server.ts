// Serves the broker's metrics registry in Prometheus' text format on GET /metrics (the path
// the JMX exporter Kafka users run uses). node:http directly: one route does not need a
// framework, and `hub broker` should not load one.
import { createServer, type Server } from "node:http";
import type { Registry } from "prom-client";
import type { Logger } from "../lib/logger.ts";

export interface MetricsServer {
  /** http://host:port/metrics, with the port actually bound. */
  readonly url: string;
  close(): Promise<void>;
}

export async function startMetricsServer(host: string, port: number, registry: Registry, log: Logger): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path !== "/metrics") {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("Not found: the metrics are at /metrics\n");
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" }).end("Method not allowed\n");
      return;
    }
    registry.metrics().then(
      (text) => {
        res.writeHead(200, { "content-type": registry.contentType });
        res.end(req.method === "HEAD" ? undefined : text);
      },
      (err: unknown) => {
        log.error({ err }, "collecting metrics failed");
        res.writeHead(500, { "content-type": "text/plain; charset=utf-8" }).end("collecting metrics failed\n");
      },
    );
  });
  // Scrapers keep connections alive between scrapes; do not let one hold shutdown up.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const boundPort = typeof address === "object" && address ? address.port : port;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${boundPort}/metrics`;
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

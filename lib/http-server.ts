// What the hub's REST servers (Connect's and the Schema Registry's, both fastify) share: binding
// a listener and telling the URL others reach it on, and knowing which paths have a route, so
// that a wrong method on a known path answers 405 and an unknown path 404, as Jersey (which
// Kafka Connect and Confluent's registry run on) does.
import type { FastifyInstance } from "fastify";
import type { Listener } from "./listeners.ts";

/** Binds `app` to the listener; the URL with the bound port, loopback for a wildcard host, brackets for IPv6. */
export async function listenOn(app: FastifyInstance, listener: Listener): Promise<string> {
  await app.listen({ host: listener.host, port: listener.port });
  const address = app.server.address();
  const port = typeof address === "object" && address !== null ? address.port : listener.port;
  const host = listener.host === "0.0.0.0" ? "127.0.0.1" : listener.host.includes(":") ? `[${listener.host}]` : listener.host;
  return `${listener.scheme.toLowerCase() === "https" ? "https" : "http"}://${host}:${port}`;
}

/** A route's URL (":name" parameters) as a pattern for request paths, trailing slash allowed. */
function routePattern(url: string): RegExp {
  const body = url
    .split("/")
    .map((part) => (part.startsWith(":") ? "[^/]+" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("/");
  return new RegExp(`^${body}/?$`);
}

/**
 * Watches the routes registered on `app` from now on and returns whether a request URL's path
 * has any of them (whatever the method): call before registering routes.
 */
export function routedPaths(app: FastifyInstance): (requestUrl: string) => boolean {
  const patterns: RegExp[] = [];
  app.addHook("onRoute", (route) => {
    patterns.push(routePattern(route.url));
  });
  return (requestUrl) => {
    const path = requestUrl.split("?")[0] ?? "/";
    return patterns.some((p) => p.test(path));
  };
}
